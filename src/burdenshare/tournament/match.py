"""One match of a tournament: a picklable task and the pure function that runs it anywhere.

A match is one domain, one lineup of negotiators (one per party, in the scenario's listing order:
``a`` plays the first party, ``b`` the second, ``c`` the third, ...) and ``repetitions`` sessions,
run at once on the batch engine
(:func:`burdenshare.engine.run_batch`: the compiled kernel where it applies, the one-session
protocol otherwise). Repetition ``r`` of every match on a domain uses the same seed, so the same
breakdown clock and (with ``sample=True``) the same parameter draws: pairs are compared on common
random numbers, as ANAC compares agents on the same profiles (Baarslag et al. 2013, sec. 4).

With ``sample=False`` (the default) every uncertain parameter is held at its central value, so
the repetitions differ only by the protocol's breakdown clock and randomised negotiators; with
``sample=True`` they are Monte Carlo draws from the scenario's distributions (the reference
points stay those of the central values; see :mod:`burdenshare.tournament.reference`).

With ``offers=True`` a match also returns its offer log (:data:`OFFER_COLUMNS`, one row per
offer): its sessions are then played by the one-session protocol
(:func:`burdenshare.negotiation.run_session`, with the seeds and parameters
:func:`~burdenshare.engine.run_batch` would give them, so the outcomes are the same) because only
it keeps the offers. A domain with a categorical issue is always played that way, since the agreed
category is kept only there. A match whose repetitions must all be the same session logs the
offers of its first repetition only: the others are copies.

The stored columns (:func:`match_columns`) hold one ``negotiator_<role>``, ``utility_<role>`` and
``discounted_<role>`` per role, roles lettered ``a``, ``b``, ``c``, ... as many as the tournament's
largest domain has parties (a bilateral tournament has exactly :data:`MATCH_COLUMNS`); a domain
with fewer parties leaves the further roles empty (no negotiator, NaN utilities). The distances of
a domain with three or more parties are measured in the utility space of all its parties
(:mod:`burdenshare.tournament.reference_multi`).
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from burdenshare.engine import OUTCOMES, run_batch, session_generators
from burdenshare.ensemble.sampling import draw, uncertain_parameters
from burdenshare.errors import SimulationError, SolverError
from burdenshare.negotiation import (
    BREAKDOWN_RISK_KEY,
    SessionResult,
    make_negotiator,
    run_session,
)
from burdenshare.preferences import Outcome
from burdenshare.scenario.distributions import Distribution, central
from burdenshare.scenario.io import parse_scenario_text
from burdenshare.scenario.scenario import Scenario
from burdenshare.tournament.reference import all_distances, domain_reference
from burdenshare.tournament.reference_multi import multi_distances, multi_reference

__all__ = [
    "MATCH_COLUMNS",
    "MAX_ROLES",
    "OFFER_COLUMNS",
    "ROLES",
    "MatchResult",
    "MatchTask",
    "domain_seed",
    "match_columns",
    "match_scenario",
    "offer_columns",
    "outcome_json",
    "relative_time",
    "repeats_identically",
    "run_match",
]

#: the role letters: role ``ROLES[k]`` plays the scenario's party ``k`` (listing order)
ROLES = "abcdefghijklmnopqrstuvwxyz"
#: most parties of a tournament domain (one letter per role)
MAX_ROLES = len(ROLES)


def match_columns(roles: int = 2) -> dict[str, str]:
    """The stored per-session columns of a tournament whose largest domain has ``roles``
    parties, with their DuckDB types.

    >>> [c for c in match_columns(3) if c.endswith("_c")]
    ['negotiator_c', 'utility_c', 'discounted_c']
    """
    if not 2 <= roles <= MAX_ROLES:
        raise SimulationError(f"a tournament domain has 2 to {MAX_ROLES} parties, got {roles}")
    letters = ROLES[:roles]
    return {
        "domain": "VARCHAR",
        **{f"negotiator_{r}": "VARCHAR" for r in letters},
        "repetition": "INTEGER",
        "outcome": "TINYINT",
        "round": "SMALLINT",
        "time": "DOUBLE",
        **{f"utility_{r}": "DOUBLE" for r in letters},
        **{f"discounted_{r}": "DOUBLE" for r in letters},
        "welfare": "DOUBLE",
        "distance_pareto": "DOUBLE",
        "distance_nash": "DOUBLE",
        "distance_ks": "DOUBLE",
        "distance_kalai": "DOUBLE",
        "agreement": "VARCHAR",
    }


def offer_columns(roles: int = 2) -> dict[str, str]:
    """The stored per-offer columns (the store adds ``session`` and ``offer``): ``proposer`` is
    the proposer's role letter (``"mediator"`` for a single negotiating text)."""
    return {
        "round": "SMALLINT",
        "proposer": "VARCHAR",
        "response": "VARCHAR",
        "ratified": "BOOLEAN",
        **{f"utility_{r}": "DOUBLE" for r in ROLES[: max(roles, 2)]},
        "outcome": "VARCHAR",
    }


#: the stored per-session columns of a bilateral tournament, with their DuckDB types
MATCH_COLUMNS: dict[str, str] = match_columns(2)

#: the stored per-offer columns of a bilateral tournament
OFFER_COLUMNS: dict[str, str] = offer_columns(2)


@dataclass(frozen=True)
class MatchTask:
    """Match ``index`` (sessions ``index * repetitions`` onwards in the stored table):
    ``negotiators`` one per party of the domain, in listing order; ``roles`` the number of
    role columns stored (the tournament's largest domain's parties)."""

    index: int
    domain: str
    scenario_text: str
    scenario_format: str
    negotiators: tuple[str, ...]
    repetitions: int
    seed: int
    sample: bool = False
    offers: bool = False
    roles: int = 2


@dataclass(frozen=True)
class MatchResult:
    """A match's per-session columns (see :data:`MATCH_COLUMNS`), its offer log (``session``,
    ``offer`` and :data:`OFFER_COLUMNS`; None unless asked for) and how long it took."""

    index: int
    start: int
    stop: int
    columns: dict[str, npt.NDArray[Any]] = field(repr=False)
    seconds: float = 0.0
    offers: dict[str, npt.NDArray[Any]] | None = field(default=None, repr=False)


def relative_time(rounds: npt.ArrayLike, n_rounds: int) -> npt.NDArray[np.float64]:
    """The protocol's relative time of 1-based round ``r``: ``(r - 1) / (K - 1)`` in [0, 1] for
    ``K`` rounds (1 when ``K = 1``): 0 in the first round, 1 in the last. It is the round-based
    clock of :attr:`~burdenshare.negotiation.NegotiationState.round_time`, GENIUS's discrete
    timeline up to its one-round offset, and does not depend on any negotiator's beliefs.

    >>> relative_time([1, 3, 5], 5).tolist()
    [0.0, 0.5, 1.0]
    """
    r = np.asarray(rounds, dtype=np.float64)
    if n_rounds <= 1:
        return np.ones_like(r)
    return np.asarray((r - 1.0) / (n_rounds - 1), dtype=np.float64)


def outcome_json(scenario: Scenario, outcome: Outcome | None) -> str | None:
    """An outcome as compact JSON text in the scenario's issue order (integers as integers), or
    None for no outcome: how the agreement and every offer are stored.

    >>> from burdenshare.services import load
    >>> outcome_json(load("us-rok-sma-2021").scenario, {"duration": 5.0, "contribution": 1.5e3})
    '{"contribution":1500.0,"duration":5}'
    """
    if outcome is None:
        return None
    out: dict[str, float | int | str] = {}
    for issue in scenario.issues:
        v = outcome[issue.id]
        if isinstance(v, str):
            out[issue.id] = v
        elif issue.kind == "integer":
            out[issue.id] = round(float(v))
        else:
            out[issue.id] = float(v)
    return json.dumps(out, separators=(",", ":"), allow_nan=False)


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
    start = task.index * n
    by_session = task.offers or any(i.kind == "categorical" for i in scenario.issues)
    try:
        if by_session:
            played = _play(scenario, task, draws, m)
            core = _session_columns(scenario, played)
            offers = _offer_log(scenario, played, start, task.roles) if task.offers else None
        else:
            core = _batch_columns(scenario, task, draws, m)
            offers = None
    except (SimulationError, SolverError) as exc:
        if len(task.negotiators) == 2:
            a, b = task.negotiators
            where = f"{a} (first party) vs {b}"
        else:
            where = ", ".join(task.negotiators) + " (in the parties' order)"
        raise type(exc)(f"domain {task.domain!r}, {where}: {exc}") from exc

    def full(x: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return x if m == n else np.repeat(x, n)

    core = {k: full(v) for k, v in core.items()}
    letters = ROLES[: len(scenario.party_names)]
    if len(letters) == 2:
        ref = domain_reference(task.scenario_text, task.scenario_format)
        distances = all_distances(ref, core["utility_a"], core["utility_b"])
    else:
        multi = multi_reference(task.scenario_text, task.scenario_format)
        utilities = np.stack([core[f"utility_{r}"] for r in letters], axis=1)
        distances = multi_distances(multi, utilities)
    welfare = core[f"discounted_{letters[0]}"]
    for r in letters[1:]:
        welfare = welfare + core[f"discounted_{r}"]  # in role order: a + b for two parties
    n_rounds = len(scenario.protocol.round_dates())
    width = ROLES[: max(task.roles, len(letters))]
    empty_names = np.full(n, None, dtype=object)
    nan = np.full(n, np.nan)
    names = dict(zip(letters, task.negotiators, strict=True))
    columns: dict[str, npt.NDArray[Any]] = {
        "domain": np.full(n, task.domain, dtype=object),
        **{
            f"negotiator_{r}": np.full(n, names[r], dtype=object) if r in names else empty_names
            for r in width
        },
        "repetition": np.arange(n, dtype=np.int32),
        "outcome": core["outcome"],
        "round": core["round"],
        "time": relative_time(core["round"], n_rounds),
        **{f"utility_{r}": core.get(f"utility_{r}", nan) for r in width},
        **{f"discounted_{r}": core.get(f"discounted_{r}", nan) for r in width},
        "welfare": welfare,
        **distances,
        "agreement": core["agreement"],
    }
    return MatchResult(
        task.index, start, start + n, columns, time.perf_counter() - t0, offers=offers
    )


def _batch_columns(
    scenario: Scenario, task: MatchTask, draws: Mapping[str, npt.NDArray[Any]], m: int
) -> dict[str, npt.NDArray[Any]]:
    """The first ``m`` sessions on the batch engine (compiled kernel where it applies)."""
    batch = run_batch(
        scenario, list(task.negotiators), draws, seed=task.seed, n=task.repetitions, stop=m
    )
    agreed = batch.agreed
    agreement = np.array(
        [
            outcome_json(scenario, {i: float(batch.values[i][k]) for i in scenario.issue_ids})
            if agreed[k]
            else None
            for k in range(m)
        ],
        dtype=object,
    )
    return {
        "outcome": batch.outcome.astype(np.int8),
        "round": batch.round.astype(np.int16),
        **{
            f"utility_{r}": batch.utilities[p]
            for r, p in zip(ROLES[: len(scenario.party_names)], scenario.party_names, strict=True)
        },
        **{
            f"discounted_{r}": batch.discounted[p]
            for r, p in zip(ROLES[: len(scenario.party_names)], scenario.party_names, strict=True)
        },
        "agreement": agreement,
    }


def _play(
    scenario: Scenario, task: MatchTask, draws: Mapping[str, npt.NDArray[Any]], m: int
) -> list[SessionResult]:
    """The first ``m`` sessions on the one-session protocol, with the seeds and parameters the
    batch engine gives session ``k`` of ``task.repetitions`` (so the same outcomes)."""
    out = []
    p = len(scenario.party_names)
    for k in range(m):
        negs = dict(zip(scenario.party_names, map(make_negotiator, task.negotiators), strict=True))
        out.append(
            run_session(
                scenario,
                negs,
                seed=session_generators(task.seed, task.repetitions, k, parties=p),
                overrides={path: float(arr[k]) for path, arr in draws.items()},
            )
        )
    return out


def _session_columns(
    scenario: Scenario, played: list[SessionResult]
) -> dict[str, npt.NDArray[Any]]:
    def num(f: Any, dtype: Any = np.float64) -> npt.NDArray[Any]:
        return np.array([f(r) for r in played], dtype=dtype)

    roles = list(zip(ROLES[: len(scenario.party_names)], scenario.party_names, strict=True))
    return {
        "outcome": num(lambda r: OUTCOMES.index(r.outcome), np.int8),
        "round": num(lambda r: r.round, np.int16),
        **{f"utility_{x}": num(lambda r, p=p: r.utilities[p]) for x, p in roles},
        **{f"discounted_{x}": num(lambda r, p=p: r.discounted_utilities[p]) for x, p in roles},
        "agreement": np.array([outcome_json(scenario, r.agreement) for r in played], dtype=object),
    }


def _offer_log(
    scenario: Scenario, played: list[SessionResult], start: int, roles: int = 2
) -> dict[str, npt.NDArray[Any]]:
    """Every offer of the played sessions (session ``start + k`` for ``played[k]``), in order;
    ``roles`` utility columns (NaN for the roles the domain does not have)."""
    role = dict(zip(scenario.party_names, ROLES[: len(scenario.party_names)], strict=True))
    rows = [(start + k, j, o) for k, r in enumerate(played) for j, o in enumerate(r.transcript)]
    return {
        "session": np.array([s for s, _, _ in rows], dtype=np.int64),
        "offer": np.array([j for _, j, _ in rows], dtype=np.int32),
        "round": np.array([o.round for _, _, o in rows], dtype=np.int16),
        "proposer": np.array([role.get(o.proposer, o.proposer) for _, _, o in rows], dtype=object),
        "response": np.array([o.response.value for _, _, o in rows], dtype=object),
        "ratified": np.array([o.ratified for _, _, o in rows], dtype=object),
        **{
            f"utility_{role[p]}": np.array([o.utilities[p] for _, _, o in rows], dtype=np.float64)
            for p in scenario.party_names
        },
        **{f"utility_{r}": np.full(len(rows), np.nan) for r in ROLES[len(role) : roles]},
        "outcome": np.array([outcome_json(scenario, o.outcome) for _, _, o in rows], dtype=object),
    }
