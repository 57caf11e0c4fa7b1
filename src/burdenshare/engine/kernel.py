"""The compiled session loop of the batch engine (numba), one session per parallel iteration.

It implements the rules of :mod:`burdenshare.negotiation.protocol` for the time-dependent
negotiators (Faratin, Sierra & Jennings 1998; ``e`` per party) and the hardliner, on scenarios
whose issues are numeric with linear utilities. Every formula is written in the same order as the
one-session code (:func:`burdenshare.preferences.issue_utility.linear_utility` and
``linear_inverse``, ``time_dependent_target``, the additive sum), and numba compiles without
fast-math, so each arithmetic step rounds exactly as numpy and Python do: the contract test
requires identical outcomes.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

__all__ = ["OUTCOME_CODES", "STRATEGY_CODES", "run_kernel"]

#: outcome codes stored per session
OUTCOME_CODES = {"agreement": 0, "breakdown": 1, "deadline": 2, "ratification_failure": 3}
#: strategies the kernel knows
STRATEGY_CODES = {"time-dependent": 0, "hardliner": 1}

TOL = 1e-9
RATIFICATION_TOL = 1e-12


@numba.njit(cache=True, inline="always")
def _lin_u(x: float, ideal: float, res: float) -> float:
    return min((x - res) / (ideal - res), 1.0)


@numba.njit(cache=True, inline="always")
def _lin_inv(u: float, ideal: float, res: float, integer: bool) -> float:
    x = res + min(u, 1.0) * (ideal - res)
    if integer:
        x = np.ceil(x - 1e-9) if ideal > res else np.floor(x + 1e-9)
    return x


@numba.njit(cache=True, parallel=True)
def _kernel(
    ideal: npt.NDArray[np.float64],  # (P, E, J, N)
    res: npt.NDArray[np.float64],
    w: npt.NDArray[np.float64],
    umin: npt.NDArray[np.float64],  # (P, E, N)
    thr_u: npt.NDArray[np.float64],  # (P, E, N); NaN without a ratifier
    rat_issue: npt.NDArray[np.int64],  # (P,)
    strategy: npt.NDArray[np.int64],  # (P,)
    tpow: npt.NDArray[np.float64],  # (P, R): t_k ** (1 / e)
    epoch: npt.NDArray[np.int64],  # (R,)
    integer: npt.NDArray[np.bool_],  # (J,)
    first: int,
    clock: npt.NDArray[np.int64],  # (N,)
    code: npt.NDArray[np.int8],
    rnd: npt.NDArray[np.int64],
    x_out: npt.NDArray[np.float64],  # (J, N)
) -> None:
    n = clock.shape[0]
    n_rounds = epoch.shape[0]
    n_issues = integer.shape[0]
    for i in numba.prange(n):
        x = np.empty(n_issues)
        outcome = 2
        ratfail = False
        last = n_rounds - 1
        for k in range(n_rounds):
            e = epoch[k]
            prop = first if k % 2 == 0 else 1 - first
            resp = 1 - prop
            # the proposal
            if strategy[prop] == 0:
                um = umin[prop, e, i]
                target = um + (1.0 - um) * (1.0 - tpow[prop, k])
            else:
                target = 1.0
            for j in range(n_issues):
                x[j] = _lin_inv(target, ideal[prop, e, j, i], res[prop, e, j, i], integer[j])
            # the responder's utility (additive, summed in issue order from 0)
            total = 0.0
            for j in range(n_issues):
                total = total + w[resp, e, j, i] * _lin_u(
                    x[j], ideal[resp, e, j, i], res[resp, e, j, i]
                )
            # admissible: own ratifier approves and U >= u_min - TOL
            ok = total >= umin[resp, e, i] - TOL
            rj = rat_issue[resp]
            if ok and rj >= 0:
                ok = (
                    _lin_u(x[rj], ideal[resp, e, rj, i], res[resp, e, rj, i])
                    >= thr_u[resp, e, i] - RATIFICATION_TOL
                )
            if ok:
                if strategy[resp] == 0:
                    um = umin[resp, e, i]
                    t_resp = um + (1.0 - um) * (1.0 - tpow[resp, k])
                    ok = total >= t_resp - TOL or k >= last
                else:
                    ok = total >= 1.0 - TOL
            if ok:
                # ratification by every party that has a ratifier
                approved = True
                for p in range(2):
                    rp = rat_issue[p]
                    if rp >= 0:
                        up = _lin_u(x[rp], ideal[p, e, rp, i], res[p, e, rp, i])
                        if not up >= thr_u[p, e, i] - RATIFICATION_TOL:
                            approved = False
                if approved:
                    outcome = 0
                    rnd[i] = k
                    for j in range(n_issues):
                        x_out[j, i] = x[j]
                    break
                ratfail = True
            if k >= clock[i]:
                outcome = 1
                rnd[i] = k
                break
            rnd[i] = k
        if outcome == 2 and ratfail:
            outcome = 3
        code[i] = outcome


def run_kernel(
    ideal: npt.NDArray[np.float64],
    res: npt.NDArray[np.float64],
    w: npt.NDArray[np.float64],
    umin: npt.NDArray[np.float64],
    thr_u: npt.NDArray[np.float64],
    rat_issue: npt.NDArray[np.int64],
    strategy: npt.NDArray[np.int64],
    tpow: npt.NDArray[np.float64],
    epoch: npt.NDArray[np.int64],
    integer: npt.NDArray[np.bool_],
    first: int,
    clock: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Run N sessions; return (outcome code, 0-based last round, agreed values (J, N) or NaN)."""
    n = clock.shape[0]
    code = np.empty(n, dtype=np.int8)
    rnd = np.zeros(n, dtype=np.int64)
    x_out = np.full((integer.shape[0], n), np.nan)
    _kernel(
        np.ascontiguousarray(ideal),
        np.ascontiguousarray(res),
        np.ascontiguousarray(w),
        np.ascontiguousarray(umin),
        np.ascontiguousarray(thr_u),
        rat_issue,
        strategy,
        np.ascontiguousarray(tpow),
        epoch,
        integer,
        first,
        clock,
        code,
        rnd,
        x_out,
    )
    return code, rnd, x_out
