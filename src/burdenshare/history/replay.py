"""Replay a round of the record event by event, from what was public on each date.

For every date of the round on which something became public (a position, the end of a
meeting, an election, one of the round's as-of dates), from the start of the talks (or the first
public position, if earlier) up to the day before the deal, :func:`replay_round` cuts the
round's facts to that date (:func:`burdenshare.history.record.facts_as_of`), builds the case
(:func:`burdenshare.history.builder.build_case`) and runs ensembles of the three negotiator pairs
with the date as the first round. It reports P(deal within 3 months) and P(deal within 6 months)
of the date (the share of sessions that agree on a round dated on or before the date plus 3 or 6
calendar months), the hazard model's same two probabilities
(:func:`burdenshare.history.timing.p_deal_by`), the median predicted settlement, and what
actually happened next. :func:`burdenshare.report.replay_plots.replay_chart` draws it.

The priors and the hazard are fitted on the *other* rounds of the record when there are at least
three (an honest replay: nothing the round taught is used); with fewer the shipped ones are used
and the result says ``in_sample``.

>>> result = replay_round("us-rok-sma-11", n=50)
>>> row = next(r for r in result.rows if r.date.isoformat() == "2019-11-19")
>>> row.deal_within_6m, 0.0 <= row.hazard_6m <= 1.0
(False, True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from burdenshare.analysis import bargaining_problem, scenario_zopa
from burdenshare.history.facts import Facts, RecordRound
from burdenshare.history.record import default_as_of_dates, facts_as_of, load_record
from burdenshare.history.record_methods import ENSEMBLE_PAIRS, ensemble_forecast
from burdenshare.history.timing import add_months, fit_hazard, load_timing, p_deal_by

__all__ = [
    "MIN_OTHER_ROUNDS",
    "ReplayResult",
    "ReplayRow",
    "add_months",
    "public_events",
    "replay_round",
]

#: the pair whose numbers the chart draws as lines (the other pairs give the shaded band)
MAIN_PAIR = "linear"
#: the priors are fitted on at least this many rounds (else the shipped ones are used)
MIN_OTHER_ROUNDS = 3


@dataclass(frozen=True)
class ReplayRow:
    """One date: what became public, the case's numbers, the forecasts, what happened next."""

    date: dt.date
    event: str
    ask: float | None
    offer: float | None
    zopa: bool
    p_within_3m: dict[str, float]
    p_within_6m: dict[str, float]
    hazard_3m: float
    hazard_6m: float
    median_settlement: dict[str, float | None]
    deal_within_3m: bool
    deal_within_6m: bool
    days_to_deal: int
    next_event: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "event": self.event,
            "ask": self.ask,
            "offer": self.offer,
            "zopa_at_central_values": self.zopa,
            "p_within_3m": dict(self.p_within_3m),
            "p_within_6m": dict(self.p_within_6m),
            "hazard": {"3m": self.hazard_3m, "6m": self.hazard_6m},
            "median_settlement": dict(self.median_settlement),
            "actual": {
                "deal_within_3m": self.deal_within_3m,
                "deal_within_6m": self.deal_within_6m,
                "days_to_deal": self.days_to_deal,
                "next_event": self.next_event,
            },
        }


@dataclass(frozen=True)
class ReplayResult:
    """The replay of one round: one row per public date, and the real outcome."""

    round_id: str
    n: int
    seed: int
    rows: tuple[ReplayRow, ...]
    deal_date: dt.date
    settlement: float
    status_quo: float
    currency: str
    scale: str
    in_sample: bool

    def brier(self, window: str, pair: str = MAIN_PAIR) -> float:
        """Brier score of P(deal within ``window``) (``"3m"``/``"6m"``) over the dates;
        ``pair`` ``"hazard"`` scores the hazard model."""
        total = 0.0
        for r in self.rows:
            if pair == "hazard":
                p = r.hazard_3m if window == "3m" else r.hazard_6m
            else:
                p = (r.p_within_3m if window == "3m" else r.p_within_6m)[pair]
            y = r.deal_within_3m if window == "3m" else r.deal_within_6m
            total += (p - float(y)) ** 2
        return total / len(self.rows)

    def to_dict(self) -> dict[str, Any]:
        who = (*ENSEMBLE_PAIRS, "hazard")
        return {
            "round": self.round_id,
            "n": self.n,
            "seed": self.seed,
            "in_sample": self.in_sample,
            "brier": {w: {p: self.brier(w, p) for p in who} for w in ("3m", "6m")},
            "pairs": list(ENSEMBLE_PAIRS),
            "deal_date": self.deal_date.isoformat(),
            "settlement": self.settlement,
            "status_quo": self.status_quo,
            "currency": self.currency,
            "scale": self.scale,
            "rows": [r.to_dict() for r in self.rows],
        }

    def to_text(self) -> str:
        """A fixed-width table, one line per date (linear pair; band = min..max of pairs)."""

        def band(d: dict[str, float]) -> str:
            return f"{d[MAIN_PAIR]:.2f} ({min(d.values()):.2f}-{max(d.values()):.2f})"

        def num(v: float | None) -> str:
            return "-" if v is None else f"{v:.0f}"

        fitted = (
            "priors and hazard fitted on the other rounds"
            if not self.in_sample
            else "shipped priors and hazard (fitted with this round: in sample)"
        )
        out = [
            f"Replay of {self.round_id}: {len(self.rows)} dates, ensembles of n={self.n} per "
            f"pair (seed {self.seed}); P = linear pair (min-max over "
            f"{', '.join(ENSEMBLE_PAIRS)}); hazard = the timing model; {fitted}. Actual: deal on "
            f"{self.deal_date} at {self.settlement:,.1f} {self.currency} {self.scale} "
            f"(status quo {self.status_quo:,.1f}).",
            "",
            f"{'date':<10} {'ask':>7} {'offer':>7} {'ZOPA':>4} {'P(<=3m)':>16} "
            f"{'P(<=6m)':>16} {'hz3m':>5} {'hz6m':>5} {'median':>7} {'deal<=6m':>8}  event",
        ]
        for r in self.rows:
            out.append(
                f"{r.date.isoformat():<10} {num(r.ask):>7} {num(r.offer):>7} "
                f"{'yes' if r.zopa else 'no':>4} {band(r.p_within_3m):>16} "
                f"{band(r.p_within_6m):>16} {r.hazard_3m:>5.2f} {r.hazard_6m:>5.2f} "
                f"{num(r.median_settlement[MAIN_PAIR]):>7} "
                f"{'yes' if r.deal_within_6m else 'no':>8}  {r.event[:60]}"
            )
        n3 = sum(r.deal_within_3m for r in self.rows)
        n6 = sum(r.deal_within_6m for r in self.rows)
        out += [
            "",
            "Brier score over the dates (linear / boulware / conceder / hazard; a coin scores "
            "0.25): "
            + "; ".join(
                f"{w}: "
                + " / ".join(
                    f"{self.brier(w, p):.3f}" for p in (MAIN_PAIR, "boulware", "conceder", "hazard")
                )
                for w in ("3m", "6m")
            )
            + f". A deal followed within 3 months of {n3} and within 6 months of {n6} of the "
            f"{len(self.rows)} dates.",
        ]
        return "\n".join(out)


def public_events(rnd: RecordRound) -> list[tuple[dt.date, str]]:
    """Every date something of ``rnd`` became public before its deal, with what (in order);
    when nothing was, the round's default as-of dates (may be empty: the deal came first)."""
    f, deal = rnd.facts, rnd.outcome.deal_date
    found: dict[dt.date, list[str]] = {}
    for p in f.positions:
        found.setdefault(p.date, []).append(f"{p.party} {p.kind}: {p.stated}")
    for m in f.meetings:
        found.setdefault(m.end or m.date, []).append(m.note or "meeting")
    for e in f.elections:
        found.setdefault(e.date, []).append(f"{e.party} {e.kind} election")
    for day, label in rnd.as_of_dates:
        found.setdefault(day, []).append(label)
    starts = [d for d in (f.talks_start, *(p.date for p in f.positions)) if d is not None]
    first = min(starts) if starts else f.expiry
    out = [
        (d, "; ".join(dict.fromkeys(found[d])))
        for d in sorted(found)
        if first <= d and (deal is None or d < deal)
    ]
    # nothing dated before the deal (a round with no positions or meetings): the backtest's
    # default as-of dates, so every round the backtest scores can be replayed
    return out or list(default_as_of_dates(rnd))


def _fitted(rnd: RecordRound, rounds: Sequence[RecordRound]) -> tuple[Any, Any, bool]:
    from burdenshare.history.priors_fit import fit_priors, load_priors

    others = [r for r in rounds if r.id != rnd.id]
    if len(others) >= MIN_OTHER_ROUNDS:
        return fit_priors(others), fit_hazard(others), False
    return load_priors(), load_timing(), True


def _latest(facts: Facts, kind: str) -> float | None:
    mine = [p for p in facts.positions if p.kind == kind]
    return max(mine, key=lambda p: p.date).amount if mine else None


def replay_round(
    round_id: str = "us-rok-sma-11",
    *,
    records: Sequence[str | Path] = (),
    n: int = 4000,
    seed: int = 0,
) -> ReplayResult:
    """Every public date of the round from the start of its talks to its deal (module doc)."""
    from burdenshare.history.builder import build_case

    rounds = load_record(records)
    rnd = next((r for r in rounds if r.id == round_id), None)
    if rnd is None:
        raise KeyError(round_id)
    deal = rnd.outcome.deal_date
    if deal is None or rnd.outcome.settlement_amount is None:
        raise ValueError(f"{round_id} has no deal to replay towards")
    events = public_events(rnd)
    if not events:
        raise ValueError(f"{round_id}: nothing was public before its deal date {deal}")
    priors, hazard, in_sample = _fitted(rnd, rounds)
    rows = []
    for i, (day, what) in enumerate(events):
        facts = facts_as_of(rnd, day)
        sc = build_case(facts, priors).scenario
        zopa = scenario_zopa(bargaining_problem(sc)).exists
        within = {"3m": add_months(day, 3), "6m": add_months(day, 6)}
        fc = {p: ensemble_forecast(sc, p, n=n, seed=seed, by=within) for p in ENSEMBLE_PAIRS}
        hz = p_deal_by(facts, list(within.values()), hazard)
        nxt = events[i + 1] if i + 1 < len(events) else None
        rows.append(
            ReplayRow(
                date=day,
                event=what,
                ask=_latest(facts, "ask"),
                offer=_latest(facts, "offer"),
                zopa=zopa,
                p_within_3m={p: f.p_by["3m"] for p, f in fc.items()},
                p_within_6m={p: f.p_by["6m"] for p, f in fc.items()},
                hazard_3m=hz[within["3m"]],
                hazard_6m=hz[within["6m"]],
                median_settlement={
                    p: float(np.median(f.settlements)) if f.settlements.size else None
                    for p, f in fc.items()
                },
                deal_within_3m=deal <= within["3m"],
                deal_within_6m=deal <= within["6m"],
                days_to_deal=(deal - day).days,
                next_event=f"{nxt[0]}: {nxt[1]}" if nxt is not None else "",
            )
        )
    return ReplayResult(
        round_id=round_id,
        n=n,
        seed=seed,
        rows=tuple(rows),
        deal_date=deal,
        settlement=rnd.outcome.settlement_amount,
        status_quo=rnd.facts.status_quo.amount,
        currency=rnd.facts.currency,
        scale=rnd.facts.scale,
        in_sample=in_sample,
    )
