"""How the deal date depends on the deadline the negotiators believe in: a sweep.

A time-dependent negotiator concedes against the deadline it *believes* (``deadline_belief`` of
its party; see docs/reference/scenario.md), not against the protocol's hard deadline or horizon.
That belief is rarely known, so the report and the dashboard show what it does to the answer:
for a few believed deadlines, held equal for every party, an ensemble of ``n`` sessions gives
P(deal by each round's date).

Every point of the sweep uses the same draws of the scenario's other uncertain parameters and the
same per-session seeds (common random numbers; Glasserman 2004, *Monte Carlo Methods in Financial
Engineering*, sec. 4.2), so the differences between curves come from the belief alone, not from
sampling noise. The believed deadline is set through the same field path an ensemble draws,
``parties.NAME.deadline_belief`` (days after ``protocol.start``), so the numbers are those of an
ensemble whose scenario fixes the belief at that date.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from burdenshare.engine import run_batch
from burdenshare.ensemble.sampling import draw, uncertain_parameters
from burdenshare.errors import SimulationError
from burdenshare.negotiation.protocol import belief_key
from burdenshare.negotiation.state import last_chance
from burdenshare.scenario.scenario import Scenario

__all__ = [
    "DeadlinePoint",
    "DeadlineSweep",
    "deadline_sweep",
    "default_beliefs",
]

#: the largest ensemble one point of the sweep may run
MAX_SWEEP_SESSIONS = 1_000_000
#: the most believed deadlines one sweep may try
MAX_SWEEP_POINTS = 12


@dataclass(frozen=True)
class DeadlinePoint:
    """One believed deadline (every party) and what an ensemble says under it.

    ``p_by_date`` holds P(deal by each round's date), one entry per round of the protocol;
    ``p_agreement`` is its last entry, ``p_by_deadline`` its value on the protocol's deadline.
    """

    belief: dt.date
    days: int
    p_agreement: float
    p_by_deadline: float
    p_by_date: tuple[float, ...]
    median_date: dt.date | None

    def to_dict(self) -> dict[str, object]:
        return {
            "belief": self.belief.isoformat(),
            "days_after_start": self.days,
            "p_agreement": self.p_agreement,
            "p_agreement_by_deadline": self.p_by_deadline,
            "p_agreement_by_date": list(self.p_by_date),
            "median_agreement_date": (
                None if self.median_date is None else self.median_date.isoformat()
            ),
        }


@dataclass(frozen=True)
class DeadlineSweep:
    """A sweep over believed deadlines: the round dates, the points and how it was run."""

    round_dates: tuple[dt.date, ...]
    deadline: dt.date
    points: tuple[DeadlinePoint, ...]
    n: int
    seed: int
    #: one negotiator per party, in listing order
    negotiators: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (keys documented in docs/reference/json.md, ``deadline_beliefs``)."""
        return {
            "n_sessions": self.n,
            "seed": self.seed,
            "negotiators": list(self.negotiators),
            "deadline": self.deadline.isoformat(),
            "round_dates": [d.isoformat() for d in self.round_dates],
            "points": [p.to_dict() for p in self.points],
        }


def default_beliefs(scenario: Scenario) -> tuple[dt.date, ...]:
    """Believed deadlines worth showing, one per distinct *last chance* (the round a negotiator
    that believes the date concedes fully by; :func:`~burdenshare.negotiation.state.last_chance`):
    the round dates a quarter, half and three quarters of the way to the protocol's deadline
    round, the deadline itself, and the last round's date. Rounds after the first only (a belief
    on the first round leaves nothing to concede over), without repeats.
    """
    dates = scenario.protocol.round_dates()
    if not dates:
        raise SimulationError(f"scenario {scenario.id!r} has no negotiation rounds")
    deadline = scenario.protocol.deadline
    deadline_round = max(k for k, d in enumerate(dates) if d <= deadline)
    picks = [dates[max(1, round(deadline_round * f))] for f in (0.25, 0.5, 0.75)]
    picks += [deadline, dates[-1]]
    out: list[dt.date] = []
    seen: set[dt.date] = set()
    for date in picks:
        if date <= scenario.protocol.start:
            continue
        chance = last_chance(dates, date)
        if chance not in seen:
            seen.add(chance)
            out.append(date)
    return tuple(sorted(out))


def _check(scenario: Scenario, beliefs: Sequence[dt.date], n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_SWEEP_SESSIONS:
        raise SimulationError(
            f"a deadline sweep runs 1 to {MAX_SWEEP_SESSIONS:,} sessions per point, got {n!r}"
        )
    if not 1 <= len(beliefs) <= MAX_SWEEP_POINTS:
        raise SimulationError(
            f"a deadline sweep tries 1 to {MAX_SWEEP_POINTS} believed deadlines, got {len(beliefs)}"
        )
    start = scenario.protocol.start
    for b in beliefs:
        if not isinstance(b, dt.date) or b <= start:
            raise SimulationError(
                f"a believed deadline must be a date after protocol.start ({start}), got {b!r}"
            )


def _median_date(dates: Sequence[dt.date], cumulative: np.ndarray) -> dt.date | None:
    """The first round date by which half of the sessions that agree have agreed."""
    total = float(cumulative[-1]) if cumulative.size else 0.0
    if total <= 0.0:
        return None
    k = int(np.searchsorted(cumulative, total / 2.0, side="left"))
    return dates[min(k, len(dates) - 1)]


def deadline_sweep(
    scenario: Scenario,
    negotiators: Sequence[str],
    *,
    n: int = 20_000,
    seed: int = 0,
    beliefs: Sequence[dt.date] | None = None,
) -> DeadlineSweep:
    """P(deal by date) for each believed deadline in ``beliefs`` (every party alike;
    ``negotiators``: one per party, in listing order).

    ``beliefs`` defaults to :func:`default_beliefs`. The scenario's own deadline beliefs
    (fixed or drawn) are replaced at each point; every other uncertain parameter is drawn as in
    ``burdenshare ensemble`` with ``seed`` (the same draws at every point).
    """
    chosen = tuple(default_beliefs(scenario) if beliefs is None else beliefs)
    _check(scenario, chosen, n)
    cast = tuple(str(x) for x in negotiators)
    if len(cast) != len(scenario.party_names):
        count = "two" if len(scenario.party_names) == 2 else str(len(scenario.party_names))
        raise SimulationError(f"give {count} negotiators (one per party), got {list(cast)}")
    dates = tuple(scenario.protocol.round_dates())
    start = scenario.protocol.start
    paths = [belief_key(p) for p in scenario.party_names]
    params = {k: v for k, v in uncertain_parameters(scenario).items() if k not in paths}
    base = draw(params, n, seed=seed)
    deadline_round = max(k for k, d in enumerate(dates) if d <= scenario.protocol.deadline)
    points: list[DeadlinePoint] = []
    for belief in chosen:
        days = (belief - start).days
        draws = dict(base)
        for path in paths:
            draws[path] = np.full(n, float(days))
        batch = run_batch(scenario, list(cast), draws, seed=seed, n=n)
        rounds = batch.round[batch.agreed]
        counts = np.bincount(rounds - 1, minlength=len(dates))[: len(dates)]
        cumulative = np.cumsum(counts) / n
        points.append(
            DeadlinePoint(
                belief=belief,
                days=days,
                p_agreement=float(cumulative[-1]),
                p_by_deadline=float(cumulative[deadline_round]),
                p_by_date=tuple(float(c) for c in cumulative),
                median_date=_median_date(dates, cumulative),
            )
        )
    assert all(math.isfinite(p.p_agreement) for p in points)
    return DeadlineSweep(
        round_dates=dates,
        deadline=scenario.protocol.deadline,
        points=tuple(points),
        n=n,
        seed=seed,
        negotiators=cast,
    )
