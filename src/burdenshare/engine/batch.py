"""Run N sessions of a negotiation protocol at once: ``run_batch``.

Two parties under unanimous alternating offers play in the bilateral kernel described below;
more parties, a majority or the single negotiating text (issue 14) play in the N-party path
(:mod:`burdenshare.engine.multi_kernel`: the time-dependent family and the hardliner on linear
utilities), and whatever that path cannot play runs session by session in the one-session
protocol, as below.

Every built-in negotiator (the time-dependent family, the hardliner, tit-for-tat, the Nash-seeker,
the Rubinstein player and the GENIUS-style agents but for the ``bayesian`` opponent model) runs
in the compiled kernel (:mod:`burdenshare.engine.kernel`, with fast loops in
:mod:`~burdenshare.engine.linear_session` and :mod:`~burdenshare.engine.genius_session`) on
linear, piecewise-linear and categorical utilities; any other negotiator (user plug-ins,
subclasses, the ``bayesian`` model) runs session by session
as :func:`burdenshare.negotiation.run_session` with ``transcript=False`` plays it
(:class:`burdenshare.negotiation.session.SessionRunner`), with the same per-session seeds and
parameters. Either way the outcomes are those of the one-session protocol (a contract test checks
it for every built-in pair), and every agreement is checked to be a valid outcome
(:func:`burdenshare.engine.guard.check_batch`) before it is returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from burdenshare.engine.genius import (
    GENIUS,
    GeniusInputs,
    believed_times,
    genius_parameters,
    genius_session_bytes,
    genius_tables,
)
from burdenshare.engine.guard import check_batch
from burdenshare.engine.kernel import (
    OUTCOME_CODES,
    knots_increase,
    prepare_floors,
    run_kernel,
    utilities_of,
)
from burdenshare.engine.multi_inputs import multi_inputs, multi_unplayable, round_epochs
from burdenshare.engine.multi_kernel import run_multi_kernel
from burdenshare.engine.params import BatchParty, batch_belief_days, batch_party
from burdenshare.engine.seeding import party_generators, protocol_uniforms, root_sequence
from burdenshare.engine.strategies import TIME_DEPENDENT, kernel_strategy, solution_arrays
from burdenshare.engine.tables import PIECEWISE, UtilityTables, utility_tables
from burdenshare.errors import SimulationError
from burdenshare.negotiation import (
    BREAKDOWN_RISK_KEY,
    Negotiator,
    breakdown_clock,
    make_negotiator,
)
from burdenshare.negotiation.session import SessionRunner
from burdenshare.negotiation.state import believed_time
from burdenshare.preferences import party_parameters
from burdenshare.scenario.distributions import central
from burdenshare.scenario.scenario import Scenario
from burdenshare.seeds import DEFAULT_BLOCK_SIZE

__all__ = [
    "KERNEL_MEMORY",
    "OUTCOMES",
    "BatchResult",
    "join_batches",
    "run_batch",
    "sessions_within",
]

FloatArray = npt.NDArray[np.float64]
#: outcome names by code
OUTCOMES = tuple(sorted(OUTCOME_CODES, key=OUTCOME_CODES.__getitem__))


@dataclass(frozen=True)
class BatchResult:
    """Outcomes of sessions ``start .. start + n - 1``, as arrays (one entry per session)."""

    start: int
    outcome: npt.NDArray[np.int8]  #: codes, see :data:`OUTCOMES`
    round: npt.NDArray[np.int64]  #: 1-based round of the agreement or of the end
    values: dict[str, FloatArray]  #: agreed value per issue (NaN without agreement)
    utilities: dict[str, FloatArray]  #: undiscounted (outside option without agreement)
    discounted: dict[str, FloatArray]
    after_deadline: npt.NDArray[np.bool_]
    vectorised: bool

    @property
    def n(self) -> int:
        return int(self.outcome.shape[0])

    @property
    def agreed(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.outcome == OUTCOME_CODES["agreement"])


def _negotiator(spec: str | Negotiator) -> Negotiator:
    return make_negotiator(spec) if isinstance(spec, str) else spec


def run_batch(
    scenario: Scenario,
    negotiators: Sequence[str | Negotiator],
    draws: Mapping[str, FloatArray],
    *,
    seed: int | np.random.SeedSequence,
    n: int,
    start: int = 0,
    stop: int | None = None,
    block_size: int = DEFAULT_BLOCK_SIZE,
    force_sessions: bool = False,
) -> BatchResult:
    """Sessions ``[start, stop)`` of an ``n``-session ensemble.

    ``negotiators`` gives each party's negotiator (names or instances), in the scenario's
    listing order; ``draws`` maps field paths to arrays of length ``stop - start`` (session
    ``start + m`` uses element ``m``). ``force_sessions`` runs every session through the
    one-session protocol. Two parties under unanimous alternating offers play in the bilateral
    kernel; every other protocol, and more parties, in the N-party path
    (:mod:`burdenshare.engine.multi_kernel`), or session by session for what it cannot play.
    """
    stop = n if stop is None else stop
    if not 0 <= start <= stop <= n:
        raise SimulationError(f"sessions [{start}, {stop}) are not inside [0, {n})")
    m = stop - start
    names = scenario.party_names
    if len(negotiators) != len(names):
        raise SimulationError(
            f"give one negotiator per party ({len(names)}: {', '.join(names)}), "
            f"got {len(negotiators)}"
        )
    negs = [_negotiator(s) for s in negotiators]
    gpar = [genius_parameters(g) for g in negs]
    plan = [
        (GENIUS, float(gp[0])) if gp is not None else kernel_strategy(g)
        for g, gp in zip(negs, gpar, strict=True)
    ]
    reason = _unplayable(scenario)
    if force_sessions or reason is not None or any(p is None for p in plan):
        return _by_session(scenario, negs, draws, seed, n, start, stop, block_size)
    proto = scenario.protocol
    if not (
        len(names) == 2
        and proto.kind == "alternating_offers"
        and proto.decision_rule == "unanimity"
    ):
        codes = [p[0] for p in plan if p is not None]
        if multi_unplayable(scenario, codes) is not None:
            return _by_session(scenario, negs, draws, seed, n, start, stop, block_size)
        return _multilateral(scenario, plan, draws, seed, n, start, stop, block_size)
    dates = scenario.protocol.round_dates()
    if not dates:
        raise SimulationError(f"scenario {scenario.id!r} has no negotiation rounds")
    # epochs: the distinct event-date groups the rounds fall into
    event_dates = sorted({ev.date for ev in scenario.protocol.events if ev.has_effects})
    epoch_of = np.array([sum(d >= e for e in event_dates) for d in dates], dtype=np.int64)
    step = sessions_within(KERNEL_MEMORY, len(set(epoch_of.tolist())), len(scenario.issues))
    if any(g is not None for g in gpar) and any(
        k.startswith(("parties.", "protocol.events")) for k in draws
    ):
        # drawn parameters may give every session its own GENIUS-style tables
        per = genius_session_bytes(scenario, negs, len(set(epoch_of.tolist())))
        step = min(step, max(1, KERNEL_MEMORY // per))
    if m > step:
        # the parameter arrays grow with epochs x issues x sessions: play the sessions in
        # consecutive parts that fit the memory budget (each session's numbers are its own,
        # so the parts join to exactly the one-batch result)
        parts = [
            run_batch(
                scenario,
                negs,
                {
                    k: np.asarray(v)[a - start : min(a + step, stop) - start]
                    for k, v in draws.items()
                },
                seed=seed,
                n=n,
                start=a,
                stop=min(a + step, stop),
                block_size=block_size,
            )
            for a in range(start, stop, step)
        ]
        return join_batches(parts)
    used = sorted(set(epoch_of.tolist()))
    remap = {e: k for k, e in enumerate(used)}
    epoch = np.array([remap[int(e)] for e in epoch_of], dtype=np.int64)
    first_round = {remap[int(e)]: k for k, e in reversed(list(enumerate(epoch_of)))}
    first_date = {e: dates[k] for e, k in first_round.items()}
    parties: list[list[BatchParty]] = [
        [batch_party(scenario, p, draws, m, first_date[e]) for e in range(len(used))] for p in names
    ]
    shapes = _utility_tables(scenario, [first_date[e] for e in range(len(used))])
    if not _knots_rise(shapes, parties):
        return _by_session(scenario, negs, draws, seed, n, start, stop, block_size)
    ideal = np.stack([np.stack([bp.ideal for bp in ps]) for ps in parties])
    res = np.stack([np.stack([bp.reservation for bp in ps]) for ps in parties])
    w = np.stack([np.stack([bp.weight for bp in ps]) for ps in parties])
    outside = np.stack([np.stack([bp.outside for bp in ps]) for ps in parties])
    disc = np.stack([np.stack([bp.discount for bp in ps]) for ps in parties])
    rat_issue = np.array([ps[0].rat_issue for ps in parties], dtype=np.int64)
    thr_u = np.full((2, len(used), m), np.nan)  # the ratifier's true threshold, as a utility
    thr_b = np.full((2, len(used), m), np.nan)  # the threshold the negotiator believes
    umin = np.empty((2, len(used), m))
    for p, ps in enumerate(parties):
        for e, bp in enumerate(ps):
            u = bp.outside.copy()
            j = bp.rat_issue
            if j >= 0:
                thr_u[p, e] = _issue_utilities(shapes, p, e, j, bp.threshold, bp)
                thr_b[p, e] = _issue_utilities(shapes, p, e, j, bp.belief, bp)
                u = np.where(thr_b[p, e] > u, thr_b[p, e], u)  # Python's max(u, thr)
            umin[p, e] = u
    sparam = np.array([param for _, param in plan], dtype=np.float64)  # type: ignore[misc]
    belief_days = [batch_belief_days(scenario, p, draws, m) for p in names]
    tpow, tix = _time_powers(
        scenario,
        belief_days,
        # e for the time-dependent family; the other strategies never read their rows
        [
            param if code_p == TIME_DEPENDENT or (code_p == GENIUS and param > 0) else 1.0
            for code_p, param in (s for s in plan if s is not None)
        ],
    )
    strategy = np.array([p[0] for p in plan if p is not None], dtype=np.int64)
    sol_x, sol_ok, sol_row = solution_arrays(
        scenario,
        negs,
        strategy.tolist(),
        _solution_keys(scenario, parties),
        draws,
        [first_round[e] for e in range(len(used))],
        m,
    )
    risk = _risk(scenario, draws, m)
    clock = breakdown_clock(protocol_uniforms(seed, n, start, stop, block_size), risk)
    integer = np.array([i.kind == "integer" for i in scenario.issues], dtype=np.bool_)
    ranges = [i.range if i.range is not None else (-np.inf, np.inf) for i in scenario.issues]
    lo = np.array([r[0] for r in ranges], dtype=np.float64)
    hi = np.array([r[1] for r in ranges], dtype=np.float64)
    floor, fmax = prepare_floors(
        shapes.kind, ideal, res, lo, hi, shapes.pts_x, shapes.pts_u, shapes.npts, shapes.rank_u,
        rat_issue, thr_b,
    )  # fmt: skip
    first = names.index(scenario.protocol.first_mover)
    code, rnd, x, u_deal = run_kernel(
        ideal, res, w, floor, fmax, umin, thr_u, thr_b, outside, disc, rat_issue, strategy,
        sparam, tpow, tix, epoch, integer, lo, hi, shapes.kind, shapes.pts_x, shapes.pts_u,
        shapes.npts, shapes.cat_u, shapes.rank_u, shapes.rank_i, shapes.ncat, sol_x, sol_ok,
        sol_row, first, clock, _genius_inputs(scenario, negs, gpar, parties, draws, belief_days,
                                              [first_round[e] for e in range(len(used))], m),
    )  # fmt: skip
    values = {
        iid: (x[j] if scenario.issues[j].kind != "categorical" else np.full(m, np.nan))
        for j, iid in enumerate(scenario.issue_ids)
    }
    return _kernel_result(scenario, start, code, rnd, values, u_deal, outside, disc, epoch)


def _kernel_result(
    scenario: Scenario,
    start: int,
    code: npt.NDArray[np.int8],
    rnd: npt.NDArray[np.int64],
    values: dict[str, FloatArray],
    u_deal: FloatArray,
    outside: FloatArray,
    disc: FloatArray,
    epoch: npt.NDArray[np.int64],
) -> BatchResult:
    """A compiled loop's sessions as a :class:`BatchResult`: each party's utility of the deal
    (undiscounted, and discounted by the round), or its outside option in the epoch the talks
    ended in; every agreement checked again (:func:`~burdenshare.engine.guard.check_batch`).
    ``outside`` and ``disc`` are ``(P, epochs, sessions)``; ``u_deal`` is ``(P, sessions)``."""
    agreed = code == OUTCOME_CODES["agreement"]
    e_end = epoch[rnd]
    idx = np.arange(code.shape[0])
    utilities: dict[str, FloatArray] = {}
    discounted: dict[str, FloatArray] = {}
    for p, name in enumerate(scenario.party_names):
        out_p = outside[p][e_end, idx]
        total = u_deal[p]
        utilities[name] = np.where(agreed, total, out_p)
        discounted[name] = np.where(
            agreed, disc[p][e_end, idx] ** rnd.astype(np.float64) * total, out_p
        )
    dates = scenario.protocol.round_dates()
    deadline_round = max(k for k, d in enumerate(dates) if d <= scenario.protocol.deadline)
    check_batch(scenario, start, agreed, values, utilities)
    return BatchResult(
        start=start,
        outcome=code,
        round=rnd + 1,
        values=values,
        utilities=utilities,
        discounted=discounted,
        after_deadline=agreed & (rnd > deadline_round),
        vectorised=True,
    )


#: bytes the kernel's per-session parameter arrays may take in one batch (larger batches are
#: played in consecutive parts, :func:`sessions_within`)
KERNEL_MEMORY = 256 * 1024**2


def sessions_within(budget: int, epochs: int, issues: int) -> int:
    """How many sessions' kernel parameters fit in ``budget`` bytes: per session and party, four
    (epochs x issues) arrays (ideal, reservation, weight, floor) and seven per epoch (outside
    option, both thresholds, highest floor, outside option and discount, the row of its Nash or
    Rubinstein proposal), plus
    the session's outputs (issues + 8 numbers) and its two deadline-belief rows (issue 12), as
    8-byte numbers, with a factor of two for the temporaries numpy makes while stacking them.

    >>> sessions_within(256 * 1024**2, 1, 1), sessions_within(256 * 1024**2, 52, 1)
    (508400, 14525)
    """
    per_session = 8 * (2 * epochs * (4 * issues + 7) + issues + 8 + 2) * 2
    return max(1, budget // per_session)


def join_batches(parts: Sequence[BatchResult]) -> BatchResult:
    """Consecutive batches (sessions ``a .. b``, ``b .. c``, ...) as one."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]

    def cat(arrays: list[Any]) -> Any:
        return np.concatenate(arrays)

    return BatchResult(
        start=first.start,
        outcome=cat([p.outcome for p in parts]),
        round=cat([p.round for p in parts]),
        values={k: cat([p.values[k] for p in parts]) for k in first.values},
        utilities={k: cat([p.utilities[k] for p in parts]) for k in first.utilities},
        discounted={k: cat([p.discounted[k] for p in parts]) for k in first.discounted},
        after_deadline=cat([p.after_deadline for p in parts]),
        vectorised=all(p.vectorised for p in parts),
    )


def _unplayable(scenario: Scenario) -> str | None:
    """None if the kernel can play the scenario's issues, else why not."""
    for issue in scenario.issues:
        if issue.kind != "categorical" and issue.range is None:
            return f"issue {issue.id!r} has no range"
        if issue.kind == "categorical" and not issue.values:
            return f"issue {issue.id!r} has no categories"
    return None


def _utility_tables(scenario: Scenario, dates: Sequence[dt.date]) -> UtilityTables:
    """The parties' piecewise points and categorical scores on each epoch's first date."""
    parts = [
        [party_parameters(scenario, p, on=d).utility.parts for d in dates]
        for p in scenario.party_names
    ]
    return utility_tables(scenario.issues, parts)


def _knots_rise(tables: UtilityTables, parties: Sequence[Sequence[BatchParty]]) -> bool:
    """True if every piecewise utility's knots rise strictly in every session (a drawn
    reservation past a point breaks it: such batches play session by session)."""
    for p, ps in enumerate(parties):
        for j in np.flatnonzero(tables.kind[p] == PIECEWISE).tolist():
            n_pts = int(tables.npts[p, j])
            for bp in ps:
                px, pu = tables.pts_x[p, j, :n_pts], tables.pts_u[p, j, :n_pts]
                if not knots_increase(bp.ideal[j], bp.reservation[j], px, pu, n_pts):
                    return False
    return True


def _issue_utilities(
    tables: UtilityTables, p: int, e: int, j: int, xs: FloatArray, bp: BatchParty
) -> FloatArray:
    """Party ``p``'s utility of ``xs[i]`` on numeric issue ``j`` in epoch ``e``, per session."""
    return utilities_of(
        int(tables.kind[p, j]),
        np.asarray(xs, dtype=np.float64),
        bp.ideal[j],
        bp.reservation[j],
        tables.pts_x[p, j],
        tables.pts_u[p, j],
        int(tables.npts[p, j]),
        tables.cat_u[p, e, j],
    )


def _solution_keys(
    scenario: Scenario, parties: Sequence[Sequence[BatchParty]]
) -> list[list[list[FloatArray]]]:
    """Per party and epoch, the numbers a Nash or Rubinstein proposal depends on: the party's
    own parameters, and the opponent's too when the opponent estimate is the session's truth
    (``protocol.information: complete``); otherwise the estimate is the same in every session."""
    complete = scenario.protocol.information == "complete"
    keys: list[list[list[FloatArray]]] = []
    for p, ps in enumerate(parties):
        keys.append([])
        for e, bp in enumerate(ps):
            who = [bp, parties[1 - p][e]] if complete else [bp]
            keys[p].append(
                [
                    a
                    for b in who
                    for a in (
                        b.ideal,
                        b.reservation,
                        b.weight,
                        b.discount,
                        b.outside,
                        b.threshold,
                        b.belief,
                    )
                ]
            )
    return keys


def _genius_inputs(
    scenario: Scenario,
    negs: Sequence[Negotiator],
    gpar: Sequence[FloatArray | None],
    parties: Sequence[Sequence[BatchParty]],
    draws: Mapping[str, FloatArray],
    belief_days: Sequence[npt.NDArray[np.int64]],
    epoch_rounds: Sequence[int],
    m: int,
) -> GeniusInputs | None:
    """The GENIUS-style parties' kernel inputs (:mod:`burdenshare.engine.genius`), or None."""
    if all(g is None for g in gpar):
        return None
    params = np.stack([g if g is not None else np.zeros(9) for g in gpar])
    tables = genius_tables(
        scenario,
        negs,
        [g is not None for g in gpar],
        _solution_keys(scenario, parties),
        draws,
        epoch_rounds,
        m,
    )
    return params, believed_times(scenario, belief_days), tables


def _time_powers(
    scenario: Scenario, belief_days: Sequence[npt.NDArray[np.int64]], exponents: Sequence[float]
) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """``t_k ** (1 / e)`` per party, distinct deadline belief and round, ``(P, B, R)``, and each
    session's belief row, ``(P, N)``.

    ``t_k`` is :func:`~burdenshare.negotiation.state.believed_time` of round ``k``'s date (to the
    party's last chance before its belief) and
    the power is taken as :func:`~burdenshare.negotiation.negotiators.time_dependent_target`
    takes it (a Python float power of ``t`` clipped to [0, 1]), once per distinct belief: beliefs
    are whole days, so there are few, and the kernel reads the same numbers the one-session
    negotiators compute.
    """
    dates = scenario.protocol.round_dates()
    start = dates[0]
    rows: list[list[list[float]]] = []
    tix = np.empty((len(belief_days), belief_days[0].shape[0]), dtype=np.int64)
    for p, (days, e_exp) in enumerate(zip(belief_days, exponents, strict=True)):
        distinct, tix[p] = np.unique(days, return_inverse=True)
        party_rows = []
        for b in distinct.tolist():
            believed = start + dt.timedelta(days=int(b))
            party_rows.append(
                [
                    float(
                        min(max(believed_time(d, start, believed, dates), 0.0), 1.0)
                        ** (1.0 / e_exp)
                    )
                    for d in dates
                ]
            )
        rows.append(party_rows)
    width = max(len(r) for r in rows)
    tpow = np.zeros((len(rows), width, len(dates)))
    for p, party_rows in enumerate(rows):
        tpow[p, : len(party_rows)] = party_rows
    return tpow, tix


def _risk(scenario: Scenario, draws: Mapping[str, FloatArray], m: int) -> FloatArray:
    if BREAKDOWN_RISK_KEY in draws:
        return np.asarray(draws[BREAKDOWN_RISK_KEY], dtype=np.float64)
    return np.full(m, central(scenario.protocol.breakdown_risk_per_round))


def _multilateral(
    scenario: Scenario,
    plan: Sequence[tuple[int, float] | None],
    draws: Mapping[str, FloatArray],
    seed: int | np.random.SeedSequence,
    n: int,
    start: int,
    stop: int,
    block_size: int,
) -> BatchResult:
    """Sessions ``[start, stop)`` on the N-party path (:mod:`burdenshare.engine.multi_kernel`):
    the time-dependent family and the hardliner on linear utilities (``plan`` their codes and
    exponents), any number of parties, either protocol and decision rule. Inputs are resolved
    as the bilateral kernel's: parameters per epoch, deadline beliefs, breakdown clocks."""
    names = scenario.party_names
    m = stop - start
    epoch, _ = round_epochs(scenario)
    per_pair = sessions_within(KERNEL_MEMORY, int(epoch.max()) + 1, len(scenario.issues))
    step = max(1, per_pair * 2 // len(names))  # sessions_within counts two parties
    if m > step:
        return join_batches(
            [
                _multilateral(
                    scenario,
                    plan,
                    {
                        k: np.asarray(v)[a - start : min(a + step, stop) - start]
                        for k, v in draws.items()
                    },
                    seed,
                    n,
                    a,
                    min(a + step, stop),
                    block_size,
                )
                for a in range(start, stop, step)
            ]
        )
    inputs = multi_inputs(scenario, draws, m)
    strategy = np.array([p[0] for p in plan if p is not None], dtype=np.int64)
    belief_days = [batch_belief_days(scenario, p, draws, m) for p in names]
    tpow, tix = _time_powers(
        scenario,
        belief_days,
        [param if code == TIME_DEPENDENT else 1.0 for code, param in (p for p in plan if p)],
    )
    clock = breakdown_clock(
        protocol_uniforms(seed, n, start, stop, block_size), _risk(scenario, draws, m)
    )
    code, rnd, x, u_deal = run_multi_kernel(inputs, strategy, tpow, tix, clock)
    values = {iid: x[j] for j, iid in enumerate(scenario.issue_ids)}
    return _kernel_result(
        scenario, start, code, rnd, values, u_deal, inputs.outside, inputs.disc, inputs.epoch
    )


def _by_session(
    scenario: Scenario,
    negs: list[Negotiator],
    draws: Mapping[str, FloatArray],
    seed: int | np.random.SeedSequence,
    n: int,
    start: int,
    stop: int,
    block_size: int,
) -> BatchResult:
    """Sessions ``[start, stop)`` one at a time, each exactly as
    ``run_session(scenario, ..., seed=session_generators(seed, n, i, block_size),
    overrides=<session i's draws>, transcript=False)`` plays it: the protocol's draw of every
    session is taken from the block streams at once and turned into breakdown clocks as the
    kernel does (rule 7), and no transcript is built."""
    names = scenario.party_names
    m = stop - start
    code = np.empty(m, dtype=np.int8)
    rnd = np.empty(m, dtype=np.int64)
    late = np.zeros(m, dtype=np.bool_)
    values = {iid: np.full(m, np.nan) for iid in scenario.issue_ids}
    utilities = {p: np.empty(m) for p in names}
    discounted = {p: np.empty(m) for p in names}
    runner = SessionRunner(scenario, dict(zip(names, negs, strict=True)))
    root = root_sequence(seed)
    with np.errstate(invalid="ignore"):  # a risk outside [0, 1] is refused by its session
        clocks = breakdown_clock(
            protocol_uniforms(root, n, start, stop, block_size), _risk(scenario, draws, m)
        ).tolist()
    columns = {path: [float(x) for x in np.asarray(arr).tolist()] for path, arr in draws.items()}
    for k in range(m):
        session = runner.session({path: col[k] for path, col in columns.items()})
        result = runner.run(session, party_generators(root, start + k, len(names)), clocks[k])
        code[k] = OUTCOME_CODES[result.outcome]
        rnd[k] = result.round
        late[k] = result.after_deadline
        if result.agreement is not None:
            for iid, v in result.agreement.items():
                values[iid][k] = float(v) if not isinstance(v, str) else np.nan
        for p in names:
            utilities[p][k] = result.utilities[p]
            discounted[p][k] = result.discounted_utilities[p]
    check_batch(scenario, start, code == OUTCOME_CODES["agreement"], values, utilities)
    return BatchResult(
        start=start,
        outcome=code,
        round=rnd,
        values=values,
        utilities=utilities,
        discounted=discounted,
        after_deadline=late,
        vectorised=False,
    )
