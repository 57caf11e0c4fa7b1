"""The built-in negotiators' decisions, compiled for the engine's kernel, step for step theirs.

Each numba function repeats the arithmetic of one Python negotiator in the same order (numba
compiles without fast-math), so the kernel's sessions are those of
:func:`burdenshare.negotiation.run_session` bit for bit:

- time-dependent (:mod:`~burdenshare.negotiation.negotiators.time_dependent`):
  :func:`time_dependent_target` and :func:`time_dependent_accepts`;
- hardliner: target 1, accepts ``U >= 1 - TOL``;
- relative tit-for-tat (:mod:`~burdenshare.negotiation.negotiators.tit_for_tat`): the level
  recursion replayed over the history, kept incrementally per party (:func:`tft_catch_up`, then
  :func:`tft_level` for the next proposal or the offer being answered). The one-session code
  replays the whole history at every call; the kernel keeps the replay's state between calls and
  starts it again from the first round whenever the party's parameters change (a dated event):
  the same operations in the same order, so the same numbers;
- Nash seeker and Rubinstein player (:mod:`~burdenshare.negotiation.negotiators.nash_seeker`,
  :mod:`~burdenshare.negotiation.negotiators.rubinstein`): their proposal is a function of the
  party's own parameters and its estimate of the opponent's only. :func:`solve_sessions` computes
  it once per *distinct* set of those numbers (per epoch), with the negotiator's own Python code
  (so the candidate grid, its BLAS products and the Rubinstein bisection are theirs exactly), and
  the kernel looks it up per session; :func:`nash_accepts` and :func:`rubinstein_accepts` are
  their answers. An ensemble whose draws give every session its own numbers solves once per
  session (in Python), still far faster than one whole Python session each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numba
import numpy as np
import numpy.typing as npt

from burdenshare.negotiation import (
    Hardliner,
    NashSeeker,
    Negotiator,
    RelativeTitForTat,
    RubinsteinPlayer,
    TimeDependent,
    negotiation_state,
    party_view,
)
from burdenshare.scenario.scenario import Scenario

__all__ = [
    "HARDLINER",
    "NASH",
    "RUBINSTEIN",
    "TIME_DEPENDENT",
    "TIT_FOR_TAT",
    "TOL",
    "kernel_strategy",
    "nash_accepts",
    "relative_concession",
    "rubinstein_accepts",
    "solution_arrays",
    "solve_sessions",
    "tft_catch_up",
    "tft_level",
    "time_dependent_accepts",
    "time_dependent_target",
]

#: the kernel's strategy codes
TIME_DEPENDENT, HARDLINER, TIT_FOR_TAT, NASH, RUBINSTEIN = 0, 1, 2, 3, 4
#: :data:`burdenshare.negotiation.negotiators.base.TOL`
TOL = 1e-9

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_jit = numba.njit(cache=True, inline="always", error_model="numpy")
#: functions with array arguments are called, not inlined (an inlined array argument costs
#: reference counting at every use)
_call = numba.njit(cache=True, error_model="numpy")


def kernel_strategy(neg: Negotiator) -> tuple[int, float] | None:
    """``(strategy code, parameter)`` of a built-in negotiator the kernel plays (``e`` for the
    time-dependent family, ``delta`` for tit-for-tat), or None (it plays session by session).

    Only the built-in classes themselves qualify: a subclass may change any decision.
    """
    if type(neg) is Hardliner:
        return (HARDLINER, 1.0)
    if isinstance(neg, TimeDependent) and type(neg).propose is TimeDependent.propose:
        if type(neg).respond is not TimeDependent.respond or type(neg).target is not (
            TimeDependent.target
        ):
            return None
        neg.validate_params()
        return (TIME_DEPENDENT, float(neg.e))
    if type(neg) is RelativeTitForTat:
        neg.validate_params()
        return (TIT_FOR_TAT, float(int(neg.delta)))
    if type(neg) is NashSeeker:
        return (NASH, 0.0)
    if type(neg) is RubinsteinPlayer:
        return (RUBINSTEIN, 0.0)
    return None


@_jit
def time_dependent_target(tpow: float, u_min: float) -> float:
    """``u_min + (1 - u_min) (1 - t ** (1 / e))`` with ``tpow = t ** (1 / e)`` precomputed."""
    return u_min + (1.0 - u_min) * (1.0 - tpow)


@_jit
def time_dependent_accepts(total: float, target: float, last: bool) -> bool:
    """After admissibility: ``U >= target - TOL``, or anything admissible in the last round."""
    return total >= target - TOL or last


@_call
def relative_concession(seen: FloatArray, n_seen: int, delta: int) -> float:
    """:func:`~burdenshare.negotiation.negotiators.tit_for_tat.relative_concession` over
    ``seen[:n_seen]`` (Python's ``max`` and ``min``: the first argument on a tie, NaN kept)."""
    if n_seen < delta + 1:
        return 0.0
    old = seen[n_seen - 1 - delta]
    new = seen[n_seen - 1]
    if old >= 1.0:
        return 0.0
    r = (new - old) / (1.0 - old)
    if r < 0.0:  # max(r, 0.0)
        r = 0.0
    if 1.0 < r:  # min(r, 1.0)  # noqa: SIM300 - Python's min keeps its first argument on a tie
        r = 1.0
    return float(r)


@_call
def tft_catch_up(
    p: int,
    k: int,
    first: int,
    hist_u: FloatArray,
    level: FloatArray,
    opened: BoolArray,
    done: IntArray,
    n_seen: IntArray,
    seen: FloatArray,
    u_min: float,
    delta: int,
) -> None:
    """Replay party ``p``'s tit-for-tat recursion over rounds ``done[p] .. k - 1``.

    ``hist_u[p, r]`` is ``p``'s utility (today's) of the offer made in round ``r``; the
    opponent's offers are the ``seen`` values; ``p``'s own offers after its first concede
    ``r (level - u_min)`` (:meth:`RelativeTitForTat.next_level`'s loop).
    """
    for r in range(done[p], k):
        proposer = first if r % 2 == 0 else 1 - first
        if proposer != p:
            seen[p, n_seen[p]] = hist_u[p, r]
            n_seen[p] += 1
        elif opened[p]:
            level[p] = level[p] - relative_concession(seen[p], n_seen[p], delta) * (
                level[p] - u_min
            )
        else:
            opened[p] = True
    done[p] = k


@_call
def tft_level(
    p: int,
    level: FloatArray,
    opened: BoolArray,
    n_seen: IntArray,
    seen: FloatArray,
    u_min: float,
    delta: int,
    offer_u: float,
    with_offer: bool,
) -> float:
    """:meth:`RelativeTitForTat.next_level` once the history is replayed (:func:`tft_catch_up`):
    with the offer being answered (its utility ``offer_u``) as the opponent's latest, the last
    concession step, then ``min(max(level, u_min), 1)``. Nothing is kept: the offer's slot is
    written again, with the same value, when the offer joins the history."""
    lv = level[p]
    ns = n_seen[p]
    if with_offer:
        seen[p, ns] = offer_u
        ns += 1
    if opened[p]:
        lv = lv - relative_concession(seen[p], ns, delta) * (lv - u_min)
    m = u_min if u_min > lv else lv
    return 1.0 if 1.0 < m else m  # noqa: SIM300 - min(m, 1.0) keeps m on a tie


@_jit
def nash_accepts(total: float, solved: bool, aim: float, last: bool) -> bool:
    """:meth:`NashSeeker.respond` after admissibility: ``U >= U(x*) - TOL`` (``aim``), or in the
    last round when there is a solution; without one, as a hardliner."""
    if solved:
        return total >= aim - TOL or last
    return total >= 1.0 - TOL


@_jit
def rubinstein_accepts(
    total: float, solved: bool, u_x: float, outside: float, discount: float
) -> bool:
    """:meth:`RubinsteinPlayer.respond` after admissibility: ``U >= d + delta (U(x) - d) - TOL``
    (its continuation value); without a proposal, as a hardliner."""
    floor = outside + discount * (u_x - outside) if solved else 1.0
    return total >= floor - TOL


def _distinct_rows(rows: FloatArray) -> tuple[IntArray, IntArray]:
    """``(index of one session per distinct row, each session's distinct row)``; rows are
    compared bit for bit (NaN equal to itself, 0.0 apart from -0.0)."""
    n = rows.shape[0]
    bits = np.ascontiguousarray(rows).view(np.int64)
    if n == 0 or (bits == bits[0]).all():
        return np.zeros(min(n, 1), dtype=np.int64), np.zeros(n, dtype=np.int64)
    _, first, inverse = np.unique(bits, axis=0, return_index=True, return_inverse=True)
    return first.astype(np.int64), inverse.reshape(-1).astype(np.int64)


def solve_sessions(
    scenario: Scenario,
    negotiator: Negotiator,
    party: str,
    draws: Mapping[str, FloatArray],
    epoch_rounds: Sequence[int],
    keys: Sequence[FloatArray],
) -> tuple[FloatArray, BoolArray, IntArray]:
    """The Nash or Rubinstein proposal of ``party`` in every session and epoch.

    ``keys[e]`` is an ``(N, F)`` array of every number the proposal depends on in epoch ``e``
    (the party's own parameters, and the opponent's when its estimate is the session's truth);
    ``epoch_rounds[e]`` is the first round of epoch ``e``. Sessions with the same numbers share
    one solve, made by the negotiator's own code on the state ``run_session`` would give it.
    Returns ``(values (S, J), solved (S,), row (E, N))``: the proposal's values (a category's
    index on a categorical issue; the ideal's row is unused when not ``solved``), and the row of
    each session in each epoch.
    """
    issues = scenario.issues
    n = keys[0].shape[0] if keys else 0
    rows: list[list[float]] = []
    solved: list[bool] = []
    where = np.zeros((len(keys), n), dtype=np.int64)
    for e, key in enumerate(keys):
        first, inverse = _distinct_rows(key)
        base = len(rows)
        for i in first.tolist():
            overrides = {path: float(arr[i]) for path, arr in draws.items()}
            point = _solve(scenario, negotiator, party, epoch_rounds[e], overrides)
            solved.append(point is not None)
            row: list[float] = []
            for issue in issues:
                v: Any = None if point is None else point[issue.id]
                if v is None:
                    row.append(np.nan)
                elif issue.kind == "categorical":
                    row.append(float((issue.values or ()).index(str(v))))
                else:
                    row.append(float(v))
            rows.append(row)
        where[e] = base + inverse
    values = np.array(rows, dtype=np.float64).reshape(len(rows), len(issues))
    return values, np.array(solved, dtype=np.bool_), where


def _solve(
    scenario: Scenario,
    negotiator: Negotiator,
    party: str,
    round: int,
    overrides: Mapping[str, float],
) -> Mapping[str, float | str] | None:
    """The negotiator's own proposal point on the state ``run_session`` gives it in ``round``."""
    fresh = negotiator.clone()
    fresh.start(party_view(scenario, party, overrides=overrides), np.random.default_rng(0))
    state = negotiation_state(scenario, party, round, overrides=overrides)
    if isinstance(fresh, NashSeeker):
        return fresh.solution(state)
    assert isinstance(fresh, RubinsteinPlayer)
    return fresh.proposal(state)


def solution_arrays(
    scenario: Scenario,
    negotiators: Sequence[Negotiator],
    codes: Sequence[int],
    keys: Sequence[Sequence[Sequence[FloatArray]]],
    draws: Mapping[str, FloatArray],
    epoch_rounds: Sequence[int],
    n: int,
) -> tuple[FloatArray, BoolArray, IntArray]:
    """The kernel's ``(sol_x (P, S, J), sol_ok (P, S), sol_row (P, E, N))``: each Nash or
    Rubinstein party's proposals (:func:`solve_sessions`, keyed by ``keys[p][e]``, a list of
    ``(N,)`` or ``(J, N)`` arrays of the numbers its proposal depends on); placeholders for the
    other strategies, whose rows the kernel never reads."""
    n_j, n_e = len(scenario.issues), len(epoch_rounds)
    found: list[tuple[FloatArray, BoolArray, IntArray]] = []
    for p, (neg, code) in enumerate(zip(negotiators, codes, strict=True)):
        if code in (NASH, RUBINSTEIN):
            per_epoch = [
                np.column_stack([np.atleast_2d(a).T if a.ndim == 2 else a for a in keys[p][e]])
                for e in range(n_e)
            ]
            party = scenario.party_names[p]
            found.append(solve_sessions(scenario, neg, party, draws, epoch_rounds, per_epoch))
        else:
            none_row = np.zeros((n_e, 0), dtype=np.int64)
            found.append((np.zeros((1, n_j)), np.zeros(1, dtype=np.bool_), none_row))
    size = max(f[0].shape[0] for f in found)
    sol_x = np.zeros((2, size, n_j))
    sol_ok = np.zeros((2, size), dtype=np.bool_)
    sol_row = np.zeros((2, n_e, n), dtype=np.int64)
    for p, (vals, ok, row) in enumerate(found):
        sol_x[p, : vals.shape[0]] = vals
        sol_ok[p, : ok.shape[0]] = ok
        if row.shape[1] == n:
            sol_row[p] = row
    return sol_x, sol_ok, sol_row
