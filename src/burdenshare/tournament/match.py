"""One match of a tournament: a picklable task and the pure function that runs it anywhere.

A match is one domain, one ordered pair of negotiators (``a`` plays the scenario's first party,
``b`` the second) and ``repetitions`` sessions, run at once on the batch engine
(:func:`burdenshare.engine.run_batch`: the compiled kernel where it applies, the one-session
protocol otherwise). Repetition ``r`` of every match on a domain uses the same seed, so the same
breakdown clock and (with ``sample=True``) the same parameter draws: pairs are compared on common
random numbers, as ANAC compares agents on the same profiles (Baarslag et al. 2013, sec. 4).

With ``sample=False`` (the default) every uncertain parameter is held at its central value, so
the repetitions differ only by the protocol's breakdown clock and randomised negotiators; with
``sample=True`` they are Monte Carlo draws from the scenario's distributions (the reference
points stay those of the central values; see :mod:`burdenshare.tournament.reference`).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from burdenshare.engine import run_batch
from burdenshare.ensemble.sampling import draw, uncertain_parameters
from burdenshare.errors import SimulationError, SolverError
from burdenshare.negotiation import BREAKDOWN_RISK_KEY, make_negotiator
from burdenshare.scenario.distributions import Distribution, central
from burdenshare.scenario.io import parse_scenario_text
from burdenshare.scenario.scenario import Scenario
from burdenshare.tournament.reference import domain_reference, reference_distances

__all__ = [
    "MATCH_COLUMNS",
    "MatchResult",
    "MatchTask",
    "domain_seed",
    "match_scenario",
    "repeats_identically",
    "run_match",
]

#: the stored per-session columns of a tournament, with their DuckDB types
MATCH_COLUMNS: dict[str, str] = {
    "domain": "VARCHAR",
    "negotiator_a": "VARCHAR",
    "negotiator_b": "VARCHAR",
    "repetition": "INTEGER",
    "outcome": "TINYINT",
    "round": "SMALLINT",
    "utility_a": "DOUBLE",
    "utility_b": "DOUBLE",
    "discounted_a": "DOUBLE",
    "discounted_b": "DOUBLE",
    "distance_pareto": "DOUBLE",
    "distance_nash": "DOUBLE",
}


@dataclass(frozen=True)
class MatchTask:
    """Match ``index`` (sessions ``index * repetitions`` onwards in the stored table)."""

    index: int
    domain: str
    scenario_text: str
    scenario_format: str
    negotiators: tuple[str, str]
    repetitions: int
    seed: int
    sample: bool = False


@dataclass(frozen=True)
class MatchResult:
    """A match's per-session columns (see :data:`MATCH_COLUMNS`) and how long it took."""

    index: int
    start: int
    stop: int
    columns: dict[str, npt.NDArray[Any]] = field(repr=False)
    seconds: float = 0.0


def domain_seed(seed: int, domain_index: int) -> int:
    """The seed every match on domain ``domain_index`` uses (one stream per domain).

    >>> domain_seed(0, 0) == domain_seed(0, 0) != domain_seed(0, 1)
    True
    """
    state = np.random.SeedSequence([seed, domain_index]).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))


@functools.lru_cache(maxsize=32)
def match_scenario(text: str, fmt: str) -> Scenario:
    """A domain's scenario, parsed once per text (every match of a domain shares it)."""
    return parse_scenario_text(text, fmt=fmt).scenario


def repeats_identically(
    scenario: Scenario, task: MatchTask, params: Mapping[str, Distribution] | None = None
) -> bool:
    """Whether every repetition of the match must give the same session: parameters held at
    their central values (or none uncertain), no risk of breakdown (the protocol's only draw,
    rule 7) and no stochastic negotiator. Then one session is run and repeated. ``params`` are
    the scenario's :func:`uncertain_parameters`, if already at hand."""
    params = uncertain_parameters(scenario) if params is None else params
    if task.sample and params:
        return False
    risk = params.get(BREAKDOWN_RISK_KEY)
    if central(risk if risk is not None else scenario.protocol.breakdown_risk_per_round) > 0:
        return False
    return not any(make_negotiator(s).traits["stochastic"] for s in task.negotiators)


def run_match(task: MatchTask, *, shortcut: bool = True) -> MatchResult:
    """Run one match (pure: the same task gives the same result on any machine).

    With ``shortcut`` (the default) a match whose repetitions must all be the same session
    (:func:`repeats_identically`) runs it once; the result is identical to running them all.
    """
    t0 = time.perf_counter()
    scenario = match_scenario(task.scenario_text, task.scenario_format)
    n = task.repetitions
    params = uncertain_parameters(scenario)
    m = 1 if shortcut and repeats_identically(scenario, task, params) else n
    if task.sample:
        draws = draw(params, n, seed=task.seed)
    else:
        draws = {k: np.full(m, central(d)) for k, d in params.items()}
    try:
        batch = run_batch(scenario, list(task.negotiators), draws, seed=task.seed, n=n, stop=m)
    except (SimulationError, SolverError) as exc:
        a, b = task.negotiators
        raise type(exc)(f"domain {task.domain!r}, {a} (first party) vs {b}: {exc}") from exc
    pa, pb = scenario.party_names

    def full(x: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return x if m == n else np.repeat(x, n)

    ua, ub = full(batch.utilities[pa]), full(batch.utilities[pb])
    ref = domain_reference(task.scenario_text, task.scenario_format)
    pareto, nash = reference_distances(ref, ua, ub)
    columns: dict[str, npt.NDArray[Any]] = {
        "domain": np.full(n, task.domain, dtype=object),
        "negotiator_a": np.full(n, task.negotiators[0], dtype=object),
        "negotiator_b": np.full(n, task.negotiators[1], dtype=object),
        "repetition": np.arange(n, dtype=np.int32),
        "outcome": full(batch.outcome.astype(np.int8)),
        "round": full(batch.round.astype(np.int16)),
        "utility_a": ua,
        "utility_b": ub,
        "discounted_a": full(batch.discounted[pa]),
        "discounted_b": full(batch.discounted[pb]),
        "distance_pareto": pareto,
        "distance_nash": nash,
    }
    start = task.index * n
    return MatchResult(task.index, start, start + n, columns, time.perf_counter() - t0)
