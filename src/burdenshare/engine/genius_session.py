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

import math

import numba
import numpy as np
import numpy.typing as npt

from burdenshare.engine.genius import (
    GENIUS,
    LEARN_COEF,
    VALUE_ADDITION,
    ceil_float,
    freq_reset,
    target,
)
from burdenshare.engine.linear_session import RATIFICATION_TOL, TOL, _concede
from burdenshare.engine.tables import linear_at, linear_inverse_at

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
    g_pmin, g_pmax, g_fbx, g_fbu, g_opp0, g_cat = gt[10:]  # engine.genius.GeniusTables
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
        # phase 0: the proposal; phase 1: the response. A GENIUS-style party searches its bid
        # (engine.genius.select, written out here: in this loop a call, even an inlined one, with
        # array arguments costs atomic reference counts on shared arrays every round)
        total = 0.0
        ok = False
        g = -1
        rule = 0
        t_resp = 0.0
        for phase in range(2):
            q = prop if phase == 0 else resp
            search = False
            if phase == 0:
                search = strategy[prop] == GENIUS
            else:
                # the responder's utility (additive, summed in issue order from 0)
                for j in range(n_issues):
                    total = total + lw[resp, j] * linear_at(x[j], lid[resp, j], lres[resp, j])
                t_resp = ttime[resp, tix[resp, i], k]
                if strategy[resp] == GENIUS:  # its model sees every offer, its record each U
                    c = g_entry[resp, i]
                    if int(gpar[resp, 2]) == 2:  # engine.genius.freq_observe
                        same = 0
                        for j in range(n_issues):
                            old = fprev[resp, j]
                            if fn[resp] >= 1 and g_vals[c, j, old] == x[j]:
                                v = old  # the same value as the last offer (values are distinct)
                            elif g_cat[j]:
                                v = int(x[j])
                            else:  # OutcomeSpace.locate: the nearest value, the lower on a tie
                                m_j = g_nv[c, j]
                                lo_j, hi_j = 0, m_j
                                while lo_j < hi_j:
                                    mid = (lo_j + hi_j) // 2
                                    if g_vals[c, j, mid] < x[j]:
                                        lo_j = mid + 1
                                    else:
                                        hi_j = mid
                                v = lo_j
                                if v >= m_j:
                                    v = m_j - 1
                                elif v > 0 and (x[j] - g_vals[c, j, v - 1]) <= (
                                    g_vals[c, j, v] - x[j]
                                ):
                                    v -= 1
                            if fn[resp] >= 1 and v == old:
                                same += 1
                                fprev[resp, j] = -1 - v
                            else:
                                fprev[resp, j] = v
                        if fn[resp] >= 1:
                            golden = LEARN_COEF / n_issues
                            tot_w = 1.0 + golden * float(same)
                            w_max = 1.0 - n_issues * golden / tot_w
                            for j in range(n_issues):
                                v = fprev[resp, j]
                                if v < 0:
                                    v = -1 - v
                                    fprev[resp, j] = v
                                    if fw[resp, j] < w_max:
                                        fw[resp, j] = (fw[resp, j] + golden) / tot_w
                                    else:
                                        fw[resp, j] = fw[resp, j] / tot_w
                                else:
                                    fw[resp, j] = fw[resp, j] / tot_w
                                fc[resp, j, v] += VALUE_ADDITION
                                if fc[resp, j, v] > fm[resp, j]:
                                    fm[resp, j] = fc[resp, j, v]
                        fn[resp] += 1
                    rec_u[resp, nrec[resp]] = total
                    rec_t[resp, nrec[resp]] = t_resp
                    nrec[resp] += 1
                # admissible: own ratifier approves and U >= u_min - TOL
                ok = total >= lumin[resp] - TOL
                rj = rat_issue[resp]
                if ok and rj >= 0:
                    u_r = linear_at(x[rj], lid[resp, rj], lres[resp, rj])
                    ok = u_r >= lthb[resp] - RATIFICATION_TOL  # its own ratifier, as it believes
                if ok and strategy[resp] == GENIUS:  # engine.genius.needs_bid
                    rule = int(gpar[resp, 3])
                    if rule == 0 or rule == 3:
                        c = g_entry[resp, i]
                        goal = target(tpow[resp, tix[resp, i], k], gpar[resp, 0],
                                      gpar[resp, 1], g_pmin[c, e], g_pmax[c, e])  # fmt: skip
                        al, be = (gpar[resp, 4], gpar[resp, 5]) if rule == 0 else (1.0, 0.0)
                        n_ok = g_nok[c, e]
                        thr = goal - TOL
                        search = not (
                            n_ok > 0
                            and g_sown[e, g_off[c] + n_ok - 1] >= thr
                            and not al * total + be >= thr
                        )
            if search:  # engine.genius.select for party q
                c = g_entry[q, i]
                goal = target(tpow[q, tix[q, i], k], gpar[q, 0], gpar[q, 1], g_pmin[c, e],
                              g_pmax[c, e])  # fmt: skip
                g = -1
                n_ok = g_nok[c, e]
                if n_ok > 0:
                    base = g_off[c]
                    thr = goal - TOL
                    h = min(max(hint[q], 0), n_ok - 1)  # gallop from the last answer
                    if g_sown[e, base + h] >= thr:
                        hi_s = h
                        step = 1
                        lo_s = h - 1
                        while lo_s >= 0 and g_sown[e, base + lo_s] >= thr:
                            hi_s = lo_s
                            step *= 2
                            lo_s = hi_s - step
                        lo_s = lo_s + 1 if lo_s >= 0 else 0
                    else:
                        lo_s = h + 1
                        step = 1
                        hi_s = h + step
                        while hi_s < n_ok and g_sown[e, base + hi_s] < thr:
                            lo_s = hi_s + 1
                            step *= 2
                            hi_s = h + step
                        hi_s = min(hi_s, n_ok)
                    while lo_s < hi_s:
                        mid = (lo_s + hi_s) // 2
                        if g_sown[e, base + mid] >= thr:
                            hi_s = mid
                        else:
                            lo_s = mid + 1
                    hint[q] = lo_s
                    if lo_s == n_ok:
                        g = g_best[c, e]
                    else:
                        window = gpar[q, 8]
                        top = np.inf
                        if math.isfinite(window):
                            mw = ceil_float((g_sown[e, base + lo_s] - goal - TOL) / window)
                            mw = mw if mw > 1.0 else 1.0  # max(1.0, m)
                            top = goal + mw * window + TOL
                        model = int(gpar[q, 2])
                        pick_opp = 0.0
                        pick_own = 0.0
                        for pos in range(lo_s, n_ok):
                            u = g_sown[e, base + pos]
                            if u > top:
                                break
                            gg = g_sidx[e, base + pos]
                            if model != 2:
                                o = g_opp0[base + gg]
                            else:
                                o = 0.0
                                for j in range(n_issues):
                                    o = o + fw[q, j] * fc[q, j, g_vidx[base + gg, j]] / fm[q, j]
                            if (
                                g < 0
                                or o > pick_opp
                                or (o == pick_opp and (u > pick_own or (u == pick_own and gg < g)))
                            ):
                                g, pick_opp, pick_own = gg, o, u
            if phase == 0:
                sp = strategy[prop]
                if sp == GENIUS:
                    c = g_entry[prop, i]
                    for j in range(n_issues):
                        x[j] = g_fbx[c, e, j] if g < 0 else g_vals[c, j, g_vidx[g_off[c] + g, j]]
                else:
                    if sp == 0:
                        um = lumin[prop]
                        goal = um + (1.0 - um) * (1.0 - tpow[prop, tix[prop, i], k])
                    else:
                        goal = 1.0
                    if not lfmax[prop] > goal:
                        for j in range(n_issues):
                            x[j] = linear_inverse_at(
                                goal, lid[prop, j], lres[prop, j], integer[j], lo[j], hi[j]
                            )
                    else:
                        for j in range(n_issues):
                            fl[prop, j] = floor[prop, e, j, i]
                        _concede(goal, prop, lid, lres, lw, fl, integer, lo, hi, held, x)
            elif ok:
                sr = strategy[resp]
                if sr == GENIUS:  # engine.genius.accepts
                    c = g_entry[resp, i]
                    u_next = np.inf
                    if search:
                        u_next = g_fbu[c, e] if g < 0 else g_own[e, g_off[c] + g]
                    if rule == 0:
                        ok = gpar[resp, 4] * total + gpar[resp, 5] >= u_next
                    elif rule == 1:
                        ok = total >= gpar[resp, 6]
                    elif rule == 2:
                        ok = t_resp >= gpar[resp, 7]
                    elif 1.0 * total + 0.0 >= u_next:
                        ok = True
                    elif not t_resp >= gpar[resp, 7]:
                        ok = False
                    else:
                        low = t_resp - (1.0 - t_resp)
                        best_u = 0.0
                        found = False
                        for r in range(nrec[resp]):
                            tr = rec_t[resp, r]
                            if (
                                tr >= low
                                and tr <= t_resp
                                and (not found or rec_u[resp, r] > best_u)
                            ):
                                best_u = rec_u[resp, r]
                                found = True
                        ok = total >= best_u
                elif sr == 0:
                    um = lumin[resp]
                    tr_goal = um + (1.0 - um) * (1.0 - tpow[resp, tix[resp, i], k])
                    ok = total >= tr_goal - TOL or k >= last
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
