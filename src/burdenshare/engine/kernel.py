"""The compiled session loop of the batch engine (numba), one session per parallel iteration.

It implements the rules of :mod:`burdenshare.negotiation.protocol` for the time-dependent
negotiators (Faratin, Sierra & Jennings 1998; ``e`` per party) and the hardliner, on scenarios
whose issues are numeric with linear utilities. Every formula is written in the same order as the
one-session code (:func:`burdenshare.preferences.issue_utility.linear_utility` and
``linear_inverse``, ``time_dependent_target``, the additive sum, and the water-filling of
:func:`burdenshare.preferences.additive.concession_level` with the clamp to each issue's range),
and numba compiles without fast-math, so each arithmetic step rounds exactly as numpy and Python
do: the contract test requires identical outcomes.
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
#: sessions per parallel work item (scratch arrays are allocated once per item)
_BLOCK = 256


@numba.njit(cache=True, inline="always", error_model="numpy")
def _lin_u(x: float, ideal: float, res: float) -> float:
    return min((x - res) / (ideal - res), 1.0)


@numba.njit(cache=True, inline="always", error_model="numpy")
def _lin_inv(u: float, ideal: float, res: float, integer: bool) -> float:
    x = res + min(u, 1.0) * (ideal - res)
    if integer:
        x = np.ceil(x - 1e-9) if ideal > res else np.floor(x + 1e-9)
    return x


@numba.njit(cache=True, error_model="numpy")
def _level(
    u: float,
    w: npt.NDArray[np.float64],
    floors: npt.NDArray[np.float64],
    held: npt.NDArray[np.bool_],
) -> float:
    """:func:`burdenshare.preferences.additive.concession_level`, step for step."""
    n = floors.shape[0]
    for j in range(n):
        held[j] = False
    v = u
    for _ in range(n):
        grew = False
        for j in range(n):
            if not held[j] and floors[j] > v:
                held[j] = True
                grew = True
        if not grew:
            break
        free = 0.0
        fixed = 0.0
        for j in range(n):
            if held[j]:
                fixed = fixed + w[j] * floors[j]
            else:
                free = free + w[j]
        if free > 0.0:
            v = (u - fixed) / free
        else:
            v = np.inf
            for j in range(n):
                v = min(v, floors[j])
            break
    return v


@numba.njit(cache=True, error_model="numpy")
def _concede(
    target: float,
    p: int,
    lid: npt.NDArray[np.float64],
    lres: npt.NDArray[np.float64],
    lw: npt.NDArray[np.float64],
    fl: npt.NDArray[np.float64],
    integer: npt.NDArray[np.bool_],
    lo: npt.NDArray[np.float64],
    hi: npt.NDArray[np.float64],
    held: npt.NDArray[np.bool_],
    x: npt.NDArray[np.float64],
) -> None:
    """Party ``p``'s proposal when a floor lies above its target: water-filling, then clamp."""
    v = _level(target, lw[p], fl[p], held)
    for j in range(x.shape[0]):
        xj = _lin_inv(max(v, fl[p, j]), lid[p, j], lres[p, j], integer[j])
        x[j] = min(max(xj, lo[j]), hi[j])


@numba.njit(cache=True, error_model="numpy")
def _session(
    i: int,
    ideal: npt.NDArray[np.float64],
    res: npt.NDArray[np.float64],
    w: npt.NDArray[np.float64],
    floor: npt.NDArray[np.float64],
    fmax: npt.NDArray[np.float64],
    umin: npt.NDArray[np.float64],
    thr_u: npt.NDArray[np.float64],
    thr_b: npt.NDArray[np.float64],
    rat_issue: npt.NDArray[np.int64],
    strategy: npt.NDArray[np.int64],
    tpow: npt.NDArray[np.float64],
    tix: npt.NDArray[np.int64],
    epoch: npt.NDArray[np.int64],
    integer: npt.NDArray[np.bool_],
    lo: npt.NDArray[np.float64],
    hi: npt.NDArray[np.float64],
    first: int,
    clock: npt.NDArray[np.int64],
    code: npt.NDArray[np.int8],
    rnd: npt.NDArray[np.int64],
    x_out: npt.NDArray[np.float64],
    u_out: npt.NDArray[np.float64],
    x: npt.NDArray[np.float64],
    fl: npt.NDArray[np.float64],
    lfmax: npt.NDArray[np.float64],
    held: npt.NDArray[np.bool_],
    lid: npt.NDArray[np.float64],
    lres: npt.NDArray[np.float64],
    lw: npt.NDArray[np.float64],
    lumin: npt.NDArray[np.float64],
    lthr: npt.NDArray[np.float64],
    lthb: npt.NDArray[np.float64],
) -> None:
    """One session, under the rules of the protocol (see the module docstring)."""
    n_rounds = epoch.shape[0]
    n_issues = integer.shape[0]
    loaded = -1
    outcome = 2
    ratfail = False
    last = n_rounds - 1
    for k in range(n_rounds):
        e = epoch[k]
        if e != loaded:
            for p in range(2):
                lumin[p] = umin[p, e, i]
                lthr[p] = thr_u[p, e, i]
                lthb[p] = thr_b[p, e, i]
                for j in range(n_issues):
                    lid[p, j] = ideal[p, e, j, i]
                    lres[p, j] = res[p, e, j, i]
                    lw[p, j] = w[p, e, j, i]
                lfmax[p] = fmax[p, e, i]
            loaded = e
        prop = first if k % 2 == 0 else 1 - first
        resp = 1 - prop
        # the proposal
        if strategy[prop] == 0:
            um = lumin[prop]
            target = um + (1.0 - um) * (1.0 - tpow[prop, tix[prop, i], k])
        else:
            target = 1.0
        # uniform concession over the issues' floors (water-filling), clamped to the ranges;
        # when no floor lies above the target, every issue is at the target (as _level finds)
        if not lfmax[prop] > target:
            for j in range(n_issues):
                xj = _lin_inv(target, lid[prop, j], lres[prop, j], integer[j])
                x[j] = min(max(xj, lo[j]), hi[j])
        else:
            # the floors are read only here (rarely): a strided load per issue saved per session
            for j in range(n_issues):
                fl[prop, j] = floor[prop, e, j, i]
            _concede(target, prop, lid, lres, lw, fl, integer, lo, hi, held, x)
        # the responder's utility (additive, summed in issue order from 0)
        total = 0.0
        for j in range(n_issues):
            total = total + lw[resp, j] * _lin_u(x[j], lid[resp, j], lres[resp, j])
        # admissible: own ratifier approves and U >= u_min - TOL
        ok = total >= lumin[resp] - TOL
        rj = rat_issue[resp]
        if ok and rj >= 0:
            u_r = _lin_u(x[rj], lid[resp, rj], lres[resp, rj])
            ok = u_r >= lthb[resp] - RATIFICATION_TOL  # its own ratifier, as it believes
        if ok:
            if strategy[resp] == 0:
                um = lumin[resp]
                t_resp = um + (1.0 - um) * (1.0 - tpow[resp, tix[resp, i], k])
                ok = total >= t_resp - TOL or k >= last
            else:
                ok = total >= 1.0 - TOL
        if ok:
            # ratification by every party that has a ratifier
            approved = True
            for p in range(2):
                rp = rat_issue[p]
                if rp >= 0:
                    up = _lin_u(x[rp], lid[p, rp], lres[p, rp])
                    if not up >= lthr[p] - RATIFICATION_TOL:
                        approved = False
            if approved:
                outcome = 0
                rnd[i] = k
                for j in range(n_issues):
                    x_out[j, i] = x[j]
                for p in range(2):  # both parties' utility of the deal, summed as one session does
                    up = 0.0
                    for j in range(n_issues):
                        up = up + lw[p, j] * _lin_u(x[j], lid[p, j], lres[p, j])
                    u_out[p, i] = up
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


@numba.njit(cache=True, parallel=True, error_model="numpy")
def _kernel(
    ideal: npt.NDArray[np.float64],  # (P, E, J, N)
    res: npt.NDArray[np.float64],
    w: npt.NDArray[np.float64],
    floor: npt.NDArray[np.float64],  # (P, E, J, N): each issue's least utility, see run_kernel
    fmax: npt.NDArray[np.float64],  # (P, E, N): the highest of a party's floors
    umin: npt.NDArray[np.float64],  # (P, E, N)
    thr_u: npt.NDArray[np.float64],  # (P, E, N); NaN without a ratifier
    thr_b: npt.NDArray[np.float64],  # (P, E, N); the threshold each negotiator believes
    rat_issue: npt.NDArray[np.int64],  # (P,)
    strategy: npt.NDArray[np.int64],  # (P,)
    tpow: npt.NDArray[np.float64],  # (P, B, R): t_k ** (1 / e) for each distinct belief b
    tix: npt.NDArray[np.int64],  # (P, N): which belief row of tpow each session uses
    epoch: npt.NDArray[np.int64],  # (R,)
    integer: npt.NDArray[np.bool_],  # (J,)
    lo: npt.NDArray[np.float64],  # (J,): each issue's range
    hi: npt.NDArray[np.float64],  # (J,)
    first: int,
    clock: npt.NDArray[np.int64],  # (N,)
    code: npt.NDArray[np.int8],
    rnd: npt.NDArray[np.int64],
    x_out: npt.NDArray[np.float64],  # (J, N)
    u_out: npt.NDArray[np.float64],  # (2, N)
) -> None:
    n = clock.shape[0]
    n_issues = integer.shape[0]
    n_blocks = (n + _BLOCK - 1) // _BLOCK
    for blk in numba.prange(n_blocks):
        # scratch for one session at a time: this session's parameters, copied out of the
        # (strided) batch arrays once per epoch, and its current offer
        x = np.empty(n_issues)
        fl = np.empty((2, n_issues))  # each party's floor per issue (this epoch)
        lfmax = np.empty(2)  # each party's highest floor
        held = np.empty(n_issues, dtype=np.bool_)
        lid = np.empty((2, n_issues))
        lres = np.empty((2, n_issues))
        lw = np.empty((2, n_issues))
        lumin = np.empty(2)
        lthr = np.empty(2)
        lthb = np.empty(2)
        for i in range(blk * _BLOCK, min(n, (blk + 1) * _BLOCK)):
            _session(
                i,
                ideal,
                res,
                w,
                floor,
                fmax,
                umin,
                thr_u,
                thr_b,
                rat_issue,
                strategy,
                tpow,
                tix,
                epoch,
                integer,
                lo,
                hi,
                first,
                clock,
                code,
                rnd,
                x_out,
                u_out,
                x,
                fl,
                lfmax,
                held,
                lid,
                lres,
                lw,
                lumin,
                lthr,
                lthb,
            )


def run_kernel(
    ideal: npt.NDArray[np.float64],
    res: npt.NDArray[np.float64],
    w: npt.NDArray[np.float64],
    floor: npt.NDArray[np.float64],
    fmax: npt.NDArray[np.float64],
    umin: npt.NDArray[np.float64],
    thr_u: npt.NDArray[np.float64],
    thr_b: npt.NDArray[np.float64],
    rat_issue: npt.NDArray[np.int64],
    strategy: npt.NDArray[np.int64],
    tpow: npt.NDArray[np.float64],
    tix: npt.NDArray[np.int64],
    epoch: npt.NDArray[np.int64],
    integer: npt.NDArray[np.bool_],
    lo: npt.NDArray[np.float64],
    hi: npt.NDArray[np.float64],
    first: int,
    clock: npt.NDArray[np.int64],
) -> tuple[
    npt.NDArray[np.int8], npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]
]:
    """Run N sessions: (outcome code, 0-based last round, agreed values (J, N), both parties'
    utilities of the agreement (2, N)); values and utilities are NaN without agreement.
    ``lo`` and ``hi`` are the issues' ranges: every proposal stays inside them. ``floor`` is each
    party's least utility per issue (at the range's far end; on its ratified issue no lower than
    the believed threshold) and ``fmax`` its highest floor: the water-filling of a proposal
    (:func:`burdenshare.preferences.additive.concession_level`) holds issues at their floors.
    ``tpow[p, b, k]`` is ``t_k ** (1 / e_p)`` for party ``p``'s ``b``-th distinct deadline belief,
    ``t_k`` its believed time in round ``k``
    (:func:`burdenshare.negotiation.state.believed_time`), and ``tix[p, i]`` the belief of
    session ``i``: the powers are computed once per distinct belief, outside the kernel, by the
    same Python arithmetic as the one-session negotiators."""
    n = clock.shape[0]
    code = np.empty(n, dtype=np.int8)
    rnd = np.zeros(n, dtype=np.int64)
    x_out = np.full((integer.shape[0], n), np.nan)
    u_out = np.full((2, n), np.nan)
    _kernel(
        np.ascontiguousarray(ideal),
        np.ascontiguousarray(res),
        np.ascontiguousarray(w),
        np.ascontiguousarray(floor),
        np.ascontiguousarray(fmax),
        np.ascontiguousarray(umin),
        np.ascontiguousarray(thr_u),
        np.ascontiguousarray(thr_b),
        rat_issue,
        strategy,
        np.ascontiguousarray(tpow),
        np.ascontiguousarray(tix),
        epoch,
        integer,
        np.ascontiguousarray(lo, dtype=np.float64),
        np.ascontiguousarray(hi, dtype=np.float64),
        first,
        clock,
        code,
        rnd,
        x_out,
        u_out,
    )
    return code, rnd, x_out, u_out
