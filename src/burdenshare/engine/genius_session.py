"""The kernel's fast path for GENIUS-style agents on linear utilities.

The general session loop (:mod:`burdenshare.engine.kernel`) plays every built-in negotiator on
every kind of utility; its branches for the other strategies and utilities cost about as much
per round as a GENIUS-style agent's own decisions (measured on the benchmark game). This loop
plays GENIUS-style agents against each other, the time-dependent family or the hardliner, on
linear utilities only, as :mod:`burdenshare.engine.linear_session` does for the time-dependent
family: the same rules and the same arithmetic in the same order (the agents' decisions are
:mod:`burdenshare.engine.genius`'s), checked against
:func:`burdenshare.negotiation.run_session` by the engine contract test.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

from burdenshare.engine.genius import (
    GENIUS,
    accepts,
    freq_observe,
    freq_reset,
    needs_bid,
    select,
    target,
)
from burdenshare.engine.linear_session import RATIFICATION_TOL, TOL, _concede, _lin_inv, _lin_u

__all__ = ["genius_linear_session"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@numba.njit(cache=True, error_model="numpy")
def genius_linear_session(
    i: int,
    ideal: FloatArray,
    res: FloatArray,
    w: FloatArray,
    floor: FloatArray,
    fmax: FloatArray,
    umin: FloatArray,
    thr_u: FloatArray,
    thr_b: FloatArray,
    rat_issue: IntArray,
    strategy: IntArray,
    tpow: FloatArray,
    tix: IntArray,
    epoch: IntArray,
    integer: BoolArray,
    lo: FloatArray,
    hi: FloatArray,
    first: int,
    clock: IntArray,
    code: npt.NDArray[np.int8],
    rnd: IntArray,
    x_out: FloatArray,
    u_out: FloatArray,
    x: FloatArray,
    fl: FloatArray,
    lfmax: FloatArray,
    held: BoolArray,
    lid: FloatArray,
    lres: FloatArray,
    lw: FloatArray,
    lumin: FloatArray,
    lthr: FloatArray,
    lthb: FloatArray,
    gpar: FloatArray,
    ttime: FloatArray,
    gt: tuple,  # type: ignore[type-arg]
    gs: tuple,  # type: ignore[type-arg]
) -> None:
    """One session of GENIUS-style agents, time-dependent negotiators or hardliners on linear
    utilities (strategy codes 5, 0 and 1)."""
    n_rounds = epoch.shape[0]
    n_issues = integer.shape[0]
    g_entry, g_off, g_vals, g_nv, g_vidx, g_own, g_sidx, g_sown, g_nok, g_best = gt[:10]
    g_pmin, g_pmax, g_fbx, g_fbu, g_opp0, g_cat = gt[10:]
    fw, fc, fm, fn, fprev, rec_u, rec_t, nrec, hint = gs
    for p in range(2):
        if strategy[p] == GENIUS:
            nrec[p] = 0
            hint[p] = 0
            if int(gpar[p, 2]) == 2:
                freq_reset(p, g_entry[p, i], g_nv, fw, fc, fm, fn)
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
        sp = strategy[prop]
        if sp == GENIUS:
            c = g_entry[prop, i]
            goal = target(tpow[prop, tix[prop, i], k], gpar[prop, 0], gpar[prop, 1],
                          g_pmin[c, e], g_pmax[c, e])  # fmt: skip
            g = select(prop, c, e, goal, gpar[prop, 8], int(gpar[prop, 2]), g_off, g_sidx,
                       g_sown, g_nok, g_best, g_opp0, g_vidx, fw, fc, fm,
                       hint)  # fmt: skip
            for j in range(n_issues):
                if g < 0:
                    x[j] = g_fbx[c, e, j]
                else:
                    x[j] = g_vals[c, j, g_vidx[g_off[c] + g, j]]
        else:
            if sp == 0:
                um = lumin[prop]
                goal = um + (1.0 - um) * (1.0 - tpow[prop, tix[prop, i], k])
            else:
                goal = 1.0
            if not lfmax[prop] > goal:
                for j in range(n_issues):
                    xj = _lin_inv(goal, lid[prop, j], lres[prop, j], integer[j])
                    x[j] = min(max(xj, lo[j]), hi[j])
            else:
                for j in range(n_issues):
                    fl[prop, j] = floor[prop, e, j, i]
                _concede(goal, prop, lid, lres, lw, fl, integer, lo, hi, held, x)
        # the responder's utility (additive, summed in issue order from 0)
        total = 0.0
        for j in range(n_issues):
            total = total + lw[resp, j] * _lin_u(x[j], lid[resp, j], lres[resp, j])
        sr = strategy[resp]
        if sr == GENIUS:  # its model sees every offer, its record every offer's utility
            c = g_entry[resp, i]
            if int(gpar[resp, 2]) == 2:
                freq_observe(resp, c, x, g_cat, g_vals, g_nv, fw, fc, fm, fn, fprev)
            rec_u[resp, nrec[resp]] = total
            rec_t[resp, nrec[resp]] = ttime[resp, tix[resp, i], k]
            nrec[resp] += 1
        # admissible: own ratifier approves and U >= u_min - TOL
        ok = total >= lumin[resp] - TOL
        rj = rat_issue[resp]
        if ok and rj >= 0:
            u_r = _lin_u(x[rj], lid[resp, rj], lres[resp, rj])
            ok = u_r >= lthb[resp] - RATIFICATION_TOL  # its own ratifier, as it believes
        if ok:
            if sr == GENIUS:
                c = g_entry[resp, i]
                goal = target(tpow[resp, tix[resp, i], k], gpar[resp, 0], gpar[resp, 1],
                              g_pmin[c, e], g_pmax[c, e])  # fmt: skip
                rule = int(gpar[resp, 3])
                u_next = np.inf
                if needs_bid(rule, total, gpar[resp, 4], gpar[resp, 5], goal, c, e, g_off, g_sown,
                             g_nok):  # fmt: skip
                    g = select(resp, c, e, goal, gpar[resp, 8], int(gpar[resp, 2]), g_off,
                               g_sidx, g_sown, g_nok, g_best, g_opp0, g_vidx, fw, fc, fm,
                               hint)  # fmt: skip
                    u_next = g_fbu[c, e] if g < 0 else g_own[e, g_off[c] + g]
                ok = accepts(rule, total, u_next, ttime[resp, tix[resp, i], k],
                             gpar[resp, 4], gpar[resp, 5], gpar[resp, 6], gpar[resp, 7],
                             rec_u[resp], rec_t[resp], nrec[resp])  # fmt: skip
            elif sr == 0:
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
