"""The engine kernel's fast path: time-dependent negotiators and hardliners on linear utilities.

The general session loop (:mod:`burdenshare.engine.kernel`) plays every built-in negotiator on
every kind of utility; this one plays the most common case, linear utilities with the
time-dependent family or the hardliner, with nothing else in its round loop (the general loop's
branches for other strategies and utilities cost about 8x per round here, measured). The rules
and the arithmetic are the same, in the same order: the linear utility and its inverse are the
one-session code's own functions, compiled (:func:`burdenshare.preferences.issue_utility.
linear_at` and ``linear_inverse_at``, via :mod:`burdenshare.engine.tables`), then the
time-dependent target, the additive sum, :func:`burdenshare.preferences.additive.
concession_level`; the contract test checks both paths
against :func:`burdenshare.negotiation.run_session`.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

from burdenshare.engine.tables import linear_at, linear_inverse_at

__all__ = ["RATIFICATION_TOL", "TOL", "level", "linear_session"]

TOL = 1e-9
RATIFICATION_TOL = 1e-12


@numba.njit(cache=True, error_model="numpy")
def level(
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
    v = level(target, lw[p], fl[p], held)
    for j in range(x.shape[0]):
        x[j] = linear_inverse_at(max(v, fl[p, j]), lid[p, j], lres[p, j], integer[j], lo[j], hi[j])


@numba.njit(cache=True, error_model="numpy")
def linear_session(
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
    """One session of time-dependent negotiators or hardliners on linear utilities."""
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
                x[j] = linear_inverse_at(
                    target, lid[prop, j], lres[prop, j], integer[j], lo[j], hi[j]
                )
        else:
            # the floors are read only here (rarely): a strided load per issue saved per session
            for j in range(n_issues):
                fl[prop, j] = floor[prop, e, j, i]
            _concede(target, prop, lid, lres, lw, fl, integer, lo, hi, held, x)
        # the responder's utility (additive, summed in issue order from 0)
        total = 0.0
        for j in range(n_issues):
            total = total + lw[resp, j] * linear_at(x[j], lid[resp, j], lres[resp, j])
        # admissible: own ratifier approves and U >= u_min - TOL
        ok = total >= lumin[resp] - TOL
        rj = rat_issue[resp]
        if ok and rj >= 0:
            u_r = linear_at(x[rj], lid[resp, rj], lres[resp, rj])
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
                    up = linear_at(x[rp], lid[p, rp], lres[p, rp])
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
                        up = up + lw[p, j] * linear_at(x[j], lid[p, j], lres[p, j])
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
