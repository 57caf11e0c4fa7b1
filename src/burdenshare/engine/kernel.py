"""The compiled session loop of the batch engine (numba), one session per parallel iteration.

It implements the rules of :mod:`burdenshare.negotiation.protocol` for every built-in negotiator
(:mod:`burdenshare.engine.strategies`: time-dependent, hardliner, tit-for-tat, Nash seeker,
Rubinstein player) on scenarios whose issues are numeric (linear or piecewise-linear utilities)
or categorical (:mod:`burdenshare.engine.tables`). Every formula is written in the same order as
the one-session code (the issue utilities and their inverses, the additive sum, the water-filling
of :func:`burdenshare.preferences.additive.concession_level` with the clamp to each issue's range,
each negotiator's decisions), and numba compiles without fast-math, so each arithmetic step
rounds exactly as numpy and Python do: the contract test requires identical outcomes.

A categorical issue's value is carried as its category's index (a float) and returned as such;
:func:`burdenshare.engine.batch.run_batch` stores NaN for it, as the session path does.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

from burdenshare.engine.genius import (
    GENIUS,
    GeniusInputs,
    freq_observe,
    freq_reset,
    genius_placeholder,
)
from burdenshare.engine.genius import accepts as genius_accepts
from burdenshare.engine.genius import needs_bid as genius_needs_bid
from burdenshare.engine.genius import select as genius_select
from burdenshare.engine.genius import target as genius_target
from burdenshare.engine.genius_session import genius_linear_session
from burdenshare.engine.linear_session import level as concession_level
from burdenshare.engine.linear_session import linear_session
from burdenshare.engine.strategies import (
    HARDLINER,
    NASH,
    RUBINSTEIN,
    TIME_DEPENDENT,
    TIT_FOR_TAT,
    nash_accepts,
    rubinstein_accepts,
    tft_catch_up,
    tft_level,
    time_dependent_accepts,
    time_dependent_target,
)
from burdenshare.engine.tables import (
    CATEGORICAL,
    LINEAR,
    PIECEWISE,
    categorical_inverse,
    linear_at,
    linear_inverse_at,
    piecewise_at,
    piecewise_inverse_at,
    piecewise_knots,
)

__all__ = ["OUTCOME_CODES", "STRATEGY_CODES", "prepare_floors", "run_kernel", "utilities_of"]

#: outcome codes stored per session
OUTCOME_CODES = {"agreement": 0, "breakdown": 1, "deadline": 2, "ratification_failure": 3}
#: strategies the kernel knows
STRATEGY_CODES = {
    "time-dependent": TIME_DEPENDENT,
    "hardliner": HARDLINER,
    "tit-for-tat": TIT_FOR_TAT,
    "nash": NASH,
    "rubinstein": RUBINSTEIN,
}

TOL = 1e-9
RATIFICATION_TOL = 1e-12
#: sessions per parallel work item (scratch arrays are allocated once per item)
_BLOCK = 256

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@numba.njit(cache=True, error_model="numpy")
def _u(
    p: int,
    j: int,
    xj: float,
    e: int,
    lid: FloatArray,
    lres: FloatArray,
    ukind: IntArray,
    tk: FloatArray,
    us: FloatArray,
    nk: IntArray,
    cat_u: FloatArray,
) -> float:
    """Party ``p``'s utility of value ``xj`` on issue ``j`` (this epoch's parameters)."""
    kind = ukind[p, j]
    if kind == LINEAR:
        return linear_at(xj, lid[p, j], lres[p, j])
    if kind == PIECEWISE:
        return piecewise_at(xj, lid[p, j], lres[p, j], tk[p, j], us[p, j], nk[p, j])
    return float(cat_u[p, e, j, int(xj)])


@numba.njit(cache=True, error_model="numpy")
def _total(
    p: int,
    x: FloatArray,
    e: int,
    lid: FloatArray,
    lres: FloatArray,
    lw: FloatArray,
    ukind: IntArray,
    tk: FloatArray,
    us: FloatArray,
    nk: IntArray,
    cat_u: FloatArray,
) -> float:
    """The additive utility, summed in issue order from 0 as ``AdditiveUtility.__call__``."""
    total = 0.0
    for j in range(x.shape[0]):
        total = total + lw[p, j] * _u(p, j, x[j], e, lid, lres, ukind, tk, us, nk, cat_u)
    return total


@numba.njit(cache=True, error_model="numpy")
def _inv(
    p: int,
    j: int,
    level: float,
    e: int,
    lid: FloatArray,
    lres: FloatArray,
    ukind: IntArray,
    tk: FloatArray,
    us: FloatArray,
    nk: IntArray,
    integer: BoolArray,
    lo: FloatArray,
    hi: FloatArray,
    rank_u: FloatArray,
    rank_i: IntArray,
    ncat: IntArray,
) -> float:
    """The value (category index) at utility ``level`` on issue ``j``, inside its range."""
    kind = ukind[p, j]
    if kind == LINEAR:
        return linear_inverse_at(level, lid[p, j], lres[p, j], integer[j], lo[j], hi[j])
    if kind == PIECEWISE:
        return piecewise_inverse_at(
            level, lid[p, j], lres[p, j], tk[p, j], us[p, j], nk[p, j], integer[j], lo[j], hi[j]
        )
    return float(categorical_inverse(level, rank_u[p, e, j], rank_i[p, e, j], ncat[j]))


@numba.njit(cache=True, error_model="numpy")
def _propose_at(
    target: float,
    p: int,
    e: int,
    i: int,
    floor: FloatArray,
    lfmax: FloatArray,
    fl: FloatArray,
    held: BoolArray,
    x: FloatArray,
    lid: FloatArray,
    lres: FloatArray,
    lw: FloatArray,
    ukind: IntArray,
    tk: FloatArray,
    us: FloatArray,
    nk: IntArray,
    integer: BoolArray,
    lo: FloatArray,
    hi: FloatArray,
    rank_u: FloatArray,
    rank_i: IntArray,
    ncat: IntArray,
) -> None:
    """``concession_outcome(params, target)``: uniform concession over the issues' floors
    (water-filling), each value inside its range. When no floor lies above the target every
    issue is at the target (as ``concession_level`` finds); the floors are read only otherwise
    (rarely: a strided load per issue saved per session)."""
    n_issues = x.shape[0]
    if not lfmax[p] > target:
        for j in range(n_issues):
            x[j] = _inv(p, j, target, e, lid, lres, ukind, tk, us, nk, integer, lo, hi, rank_u,
                        rank_i, ncat)  # fmt: skip
        return
    for j in range(n_issues):
        fl[p, j] = floor[p, e, j, i]
    v = concession_level(target, lw[p], fl[p], held)
    for j in range(n_issues):
        f = fl[p, j]
        level = f if f > v else v  # Python's max(v, f)
        x[j] = _inv(p, j, level, e, lid, lres, ukind, tk, us, nk, integer, lo, hi, rank_u,
                    rank_i, ncat)  # fmt: skip


@numba.njit(cache=True, error_model="numpy")
def _session(
    i: int,
    ideal: FloatArray,
    res: FloatArray,
    w: FloatArray,
    floor: FloatArray,
    fmax: FloatArray,
    umin: FloatArray,
    thr_u: FloatArray,
    thr_b: FloatArray,
    outside: FloatArray,
    disc: FloatArray,
    rat_issue: IntArray,
    strategy: IntArray,
    sparam: FloatArray,
    tpow: FloatArray,
    tix: IntArray,
    epoch: IntArray,
    integer: BoolArray,
    lo: FloatArray,
    hi: FloatArray,
    ukind: IntArray,
    pts_x: FloatArray,
    pts_u: FloatArray,
    npts: IntArray,
    cat_u: FloatArray,
    rank_u: FloatArray,
    rank_i: IntArray,
    ncat: IntArray,
    sol_x: FloatArray,
    sol_ok: BoolArray,
    sol_row: IntArray,
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
    lout: FloatArray,
    ldisc: FloatArray,
    tk: FloatArray,
    us: FloatArray,
    nk: IntArray,
    hist_x: FloatArray,
    hist_u: FloatArray,
    t_level: FloatArray,
    t_open: BoolArray,
    t_done: IntArray,
    t_seen_n: IntArray,
    t_seen: FloatArray,
    gpar: FloatArray,
    ttime: FloatArray,
    gt: tuple,  # type: ignore[type-arg]
    gs: tuple,  # type: ignore[type-arg]
) -> None:
    """One session, under the rules of the protocol (see the module docstring)."""
    n_rounds = epoch.shape[0]
    n_issues = integer.shape[0]
    loaded = -1
    outcome = 2
    ratfail = False
    last = n_rounds - 1
    tft = strategy[0] == TIT_FOR_TAT or strategy[1] == TIT_FOR_TAT
    # GENIUS-style agents (engine.genius): their tables and per-session state
    g_entry, g_off, g_vals, g_nv, g_vidx, g_own, g_sidx, g_sown, g_nok, g_best = gt[:10]
    g_pmin, g_pmax, g_fbx, g_fbu, g_opp0, g_cat = gt[10:]
    fw, fc, fm, fn, fprev, rec_u, rec_t, nrec, hint = gs
    for p in range(2):
        if strategy[p] == GENIUS:
            nrec[p] = 0
            hint[p] = 0
            if int(gpar[p, 2]) == 2:
                freq_reset(p, g_entry[p, i], g_nv, fw, fc, fm, fn)
    # a party whose every issue is linear takes the inline paths below: the round loop calls
    # only scalar functions there (a call, or an inlined function, with array arguments costs
    # reference counting on every round)
    lin0 = True
    lin1 = True
    for j in range(n_issues):
        lin0 = lin0 and ukind[0, j] == LINEAR
        lin1 = lin1 and ukind[1, j] == LINEAR
    for k in range(n_rounds):
        e = epoch[k]
        if e != loaded:
            for p in range(2):
                lumin[p] = umin[p, e, i]
                lthr[p] = thr_u[p, e, i]
                lthb[p] = thr_b[p, e, i]
                lout[p] = outside[p, e, i]
                ldisc[p] = disc[p, e, i]
                for j in range(n_issues):
                    lid[p, j] = ideal[p, e, j, i]
                    lres[p, j] = res[p, e, j, i]
                    lw[p, j] = w[p, e, j, i]
                    if ukind[p, j] == PIECEWISE:
                        nk[p, j] = piecewise_knots(
                            lid[p, j], lres[p, j], pts_x[p, j], pts_u[p, j], npts[p, j],
                            tk[p, j], us[p, j],
                        )  # fmt: skip
                lfmax[p] = fmax[p, e, i]
            if tft:  # tit-for-tat measures past offers in today's utility: replay from round 0
                for p in range(2):
                    if strategy[p] != TIT_FOR_TAT:
                        continue
                    t_level[p] = 1.0
                    t_open[p] = False
                    t_done[p] = 0
                    t_seen_n[p] = 0
                    for r in range(k):
                        if (first if r % 2 == 0 else 1 - first) != p:
                            hist_u[p, r] = _total(
                                p, hist_x[r], e, lid, lres, lw, ukind, tk, us, nk, cat_u
                            )
            loaded = e
        prop = first if k % 2 == 0 else 1 - first
        resp = 1 - prop
        # the proposal
        sp = strategy[prop]
        if sp in (NASH, RUBINSTEIN):
            row = sol_row[prop, e, i]
            if sol_ok[prop, row]:
                for j in range(n_issues):
                    x[j] = sol_x[prop, row, j]
                target = np.nan
            else:
                target = 1.0  # as a hardliner: its ideal outcome
        elif sp == TIME_DEPENDENT:
            target = time_dependent_target(tpow[prop, tix[prop, i], k], lumin[prop])
        elif sp == GENIUS:
            c = g_entry[prop, i]
            goal = genius_target(tpow[prop, tix[prop, i], k], gpar[prop, 0], gpar[prop, 1],
                                 g_pmin[c, e], g_pmax[c, e])  # fmt: skip
            g = genius_select(prop, c, e, goal, gpar[prop, 8], int(gpar[prop, 2]), g_off,
                              g_sidx, g_sown, g_nok, g_best, g_opp0, g_vidx, fw, fc,
                              fm, hint)  # fmt: skip
            for j in range(n_issues):
                if g < 0:
                    x[j] = g_fbx[c, e, j]
                else:
                    x[j] = g_vals[c, j, g_vidx[g_off[c] + g, j]]
            target = np.nan
        elif sp == TIT_FOR_TAT:
            tft_catch_up(prop, k, first, hist_u, t_level, t_open, t_done, t_seen_n, t_seen,
                         lumin[prop], int(sparam[prop]))  # fmt: skip
            target = tft_level(prop, t_level, t_open, t_seen_n, t_seen, lumin[prop],
                               int(sparam[prop]), 0.0, False)  # fmt: skip
        else:
            target = 1.0
        if target == target:
            if (lin0 if prop == 0 else lin1) and not lfmax[prop] > target:
                for j in range(n_issues):  # no floor above the target: every issue at it
                    x[j] = linear_inverse_at(
                        target, lid[prop, j], lres[prop, j], integer[j], lo[j], hi[j]
                    )
            else:
                _propose_at(target, prop, e, i, floor, lfmax, fl, held, x, lid, lres, lw, ukind,
                            tk, us, nk, integer, lo, hi, rank_u, rank_i, ncat)  # fmt: skip
        # the responder's utility
        if lin0 if resp == 0 else lin1:
            total = 0.0
            for j in range(n_issues):
                total = total + lw[resp, j] * linear_at(x[j], lid[resp, j], lres[resp, j])
        else:
            total = _total(resp, x, e, lid, lres, lw, ukind, tk, us, nk, cat_u)
        if tft:
            for j in range(n_issues):
                hist_x[k, j] = x[j]
            hist_u[resp, k] = total
        sr = strategy[resp]
        if sr == GENIUS:  # its model sees every offer, its record every offer's utility
            c = g_entry[resp, i]
            if int(gpar[resp, 2]) == 2:
                freq_observe(resp, c, x, g_cat, g_vals, g_nv, fw, fc, fm, fn, fprev)
            rec_u[resp, nrec[resp]] = total
            rec_t[resp, nrec[resp]] = ttime[resp, tix[resp, i], k]
            nrec[resp] += 1
        # admissible: own ratifier approves (as it believes) and U >= u_min - TOL
        ok = total >= lumin[resp] - TOL
        rj = rat_issue[resp]
        if ok and rj >= 0:
            if ukind[resp, rj] == LINEAR:
                u_r = linear_at(x[rj], lid[resp, rj], lres[resp, rj])
            else:
                u_r = _u(resp, rj, x[rj], e, lid, lres, ukind, tk, us, nk, cat_u)
            ok = u_r >= lthb[resp] - RATIFICATION_TOL
        if ok:
            if sr == TIME_DEPENDENT:
                t_resp = time_dependent_target(tpow[resp, tix[resp, i], k], lumin[resp])
                ok = time_dependent_accepts(total, t_resp, k >= last)
            elif sr == HARDLINER:
                ok = total >= 1.0 - TOL
            elif sr == GENIUS:
                c = g_entry[resp, i]
                goal = genius_target(tpow[resp, tix[resp, i], k], gpar[resp, 0], gpar[resp, 1],
                                     g_pmin[c, e], g_pmax[c, e])  # fmt: skip
                rule = int(gpar[resp, 3])
                u_next = np.inf
                if genius_needs_bid(rule, total, gpar[resp, 4], gpar[resp, 5], goal, c, e, g_off,
                                    g_sown, g_nok):  # fmt: skip
                    g = genius_select(resp, c, e, goal, gpar[resp, 8], int(gpar[resp, 2]), g_off,
                                      g_sidx, g_sown, g_nok, g_best, g_opp0, g_vidx, fw, fc,
                                      fm, hint)  # fmt: skip
                    u_next = g_fbu[c, e] if g < 0 else g_own[e, g_off[c] + g]
                ok = genius_accepts(rule, total, u_next,
                                    ttime[resp, tix[resp, i], k], gpar[resp, 4], gpar[resp, 5],
                                    gpar[resp, 6], gpar[resp, 7], rec_u[resp], rec_t[resp],
                                    nrec[resp])  # fmt: skip
            elif sr == TIT_FOR_TAT:
                tft_catch_up(resp, k, first, hist_u, t_level, t_open, t_done, t_seen_n, t_seen,
                             lumin[resp], int(sparam[resp]))  # fmt: skip
                level = tft_level(resp, t_level, t_open, t_seen_n, t_seen, lumin[resp],
                                  int(sparam[resp]), total, True)  # fmt: skip
                ok = total >= level - TOL
            else:
                row = sol_row[resp, e, i]
                solved = sol_ok[resp, row]
                u_x = 1.0
                if solved and (lin0 if resp == 0 else lin1):
                    u_x = 0.0
                    for j in range(n_issues):
                        u_x = u_x + lw[resp, j] * linear_at(
                            sol_x[resp, row, j], lid[resp, j], lres[resp, j]
                        )
                elif solved:
                    u_x = _total(resp, sol_x[resp, row], e, lid, lres, lw, ukind, tk, us, nk,
                                 cat_u)  # fmt: skip
                if sr == NASH:
                    ok = nash_accepts(total, solved, u_x, k >= last)
                else:
                    ok = rubinstein_accepts(total, solved, u_x, lout[resp], ldisc[resp])
        if ok:
            # ratification by every party that has a ratifier
            approved = True
            for p in range(2):
                rp = rat_issue[p]
                if rp >= 0:
                    if ukind[p, rp] == LINEAR:
                        up = linear_at(x[rp], lid[p, rp], lres[p, rp])
                    else:
                        up = _u(p, rp, x[rp], e, lid, lres, ukind, tk, us, nk, cat_u)
                    if not up >= lthr[p] - RATIFICATION_TOL:
                        approved = False
            if approved:
                outcome = 0
                rnd[i] = k
                for j in range(n_issues):
                    x_out[j, i] = x[j]
                for p in range(2):  # both parties' utility of the deal, summed as one session does
                    u_out[p, i] = _total(p, x, e, lid, lres, lw, ukind, tk, us, nk, cat_u)
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
    ideal: FloatArray,  # (P, E, J, N)
    res: FloatArray,
    w: FloatArray,
    floor: FloatArray,  # (P, E, J, N): each issue's least utility, see run_kernel
    fmax: FloatArray,  # (P, E, N): the highest of a party's floors
    umin: FloatArray,  # (P, E, N)
    thr_u: FloatArray,  # (P, E, N); NaN without a ratifier
    thr_b: FloatArray,  # (P, E, N); the threshold each negotiator believes
    outside: FloatArray,  # (P, E, N)
    disc: FloatArray,  # (P, E, N)
    rat_issue: IntArray,  # (P,)
    strategy: IntArray,  # (P,)
    sparam: FloatArray,  # (P,): tit-for-tat's delta
    tpow: FloatArray,  # (P, B, R): t_k ** (1 / e) for each distinct deadline belief b
    tix: IntArray,  # (P, N): which belief row of tpow each session uses
    epoch: IntArray,  # (R,)
    integer: BoolArray,  # (J,)
    lo: FloatArray,  # (J,): each issue's range
    hi: FloatArray,  # (J,)
    ukind: IntArray,  # (P, J)
    pts_x: FloatArray,  # (P, J, K): piecewise points
    pts_u: FloatArray,  # (P, J, K)
    npts: IntArray,  # (P, J)
    cat_u: FloatArray,  # (P, E, J, C): utility by category index
    rank_u: FloatArray,  # (P, E, J, C): utilities ranked
    rank_i: IntArray,  # (P, E, J, C): their categories
    ncat: IntArray,  # (J,)
    sol_x: FloatArray,  # (P, S, J): Nash / Rubinstein proposals
    sol_ok: BoolArray,  # (P, S)
    sol_row: IntArray,  # (P, E, N)
    fast: bool,  # linear utilities, time-dependent or hardliner: the fast path
    first: int,
    clock: IntArray,  # (N,)
    code: npt.NDArray[np.int8],
    rnd: IntArray,
    x_out: FloatArray,  # (J, N)
    u_out: FloatArray,  # (2, N)
    gpar: FloatArray,  # (P, 9): GENIUS-style parameters (engine.genius.genius_parameters)
    ttime: FloatArray,  # (P, B, R): believed time per deadline belief (as tpow's rows)
    gt: tuple,  # type: ignore[type-arg]  # engine.genius.GeniusTables.arrays()
    gfast: bool,  # linear utilities, GENIUS-style, time-dependent or hardliner: its fast path
) -> None:
    n = clock.shape[0]
    n_issues = integer.shape[0]
    n_rounds = epoch.shape[0]
    n_knots = pts_x.shape[2] + 2
    n_blocks = (n + _BLOCK - 1) // _BLOCK
    for blk in numba.prange(n_blocks):
        # scratch for one session at a time: this session's parameters, copied out of the
        # (strided) batch arrays once per epoch, its current offer, its history (tit-for-tat)
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
        lout = np.empty(2)
        ldisc = np.empty(2)
        tk = np.zeros((2, n_issues, n_knots))
        us = np.zeros((2, n_issues, n_knots))
        nk = np.zeros((2, n_issues), dtype=np.int64)
        hist_x = np.empty((n_rounds, n_issues))
        hist_u = np.empty((2, n_rounds))
        t_level = np.empty(2)
        t_open = np.empty(2, dtype=np.bool_)
        t_done = np.empty(2, dtype=np.int64)
        t_seen_n = np.empty(2, dtype=np.int64)
        t_seen = np.empty((2, n_rounds + 1))
        n_vals = gt[2].shape[2]
        gs = (
            np.empty((2, n_issues)),  # frequency model: issue weights
            np.empty((2, n_issues, n_vals)),  # value counts
            np.empty((2, n_issues)),  # highest count per issue
            np.zeros(2, dtype=np.int64),  # offers seen
            np.zeros((2, n_issues), dtype=np.int64),  # the last offer's value indices
            np.empty((2, n_rounds)),  # utilities of the offers received (AC_combi)
            np.empty((2, n_rounds)),  # their times
            np.zeros(2, dtype=np.int64),  # how many
            np.zeros(2, dtype=np.int64),  # where each party's last bid search ended
        )
        for i in range(blk * _BLOCK, min(n, (blk + 1) * _BLOCK)):
            if fast:
                linear_session(
                    i, ideal, res, w, floor, fmax, umin, thr_u, thr_b, rat_issue, strategy, tpow,
                    tix, epoch, integer, lo, hi, first, clock, code, rnd, x_out, u_out, x, fl,
                    lfmax, held, lid, lres, lw, lumin, lthr, lthb,
                )  # fmt: skip
                continue
            if gfast:
                genius_linear_session(
                    i, ideal, res, w, floor, fmax, umin, thr_u, thr_b, rat_issue, strategy, tpow,
                    tix, epoch, integer, lo, hi, first, clock, code, rnd, x_out, u_out, x, fl,
                    lfmax, held, lid, lres, lw, lumin, lthr, lthb, gpar, ttime, gt, gs,
                )  # fmt: skip
                continue
            _session(
                i, ideal, res, w, floor, fmax, umin, thr_u, thr_b, outside, disc, rat_issue,
                strategy, sparam, tpow, tix, epoch, integer, lo, hi, ukind, pts_x, pts_u, npts,
                cat_u, rank_u, rank_i, ncat, sol_x, sol_ok, sol_row, first, clock, code, rnd, x_out,
                u_out, x, fl, lfmax, held, lid, lres, lw, lumin, lthr, lthb, lout, ldisc, tk, us,
                nk, hist_x, hist_u, t_level, t_open, t_done, t_seen_n, t_seen, gpar, ttime, gt, gs,
            )  # fmt: skip


@numba.njit(cache=True, error_model="numpy")
def utilities_of(
    kind: int,
    xs: FloatArray,
    ideal: FloatArray,
    res: FloatArray,
    px: FloatArray,
    pu: FloatArray,
    n_points: int,
    cat_u: FloatArray,
) -> FloatArray:
    """One party's utility of ``xs[i]`` on one issue in session ``i`` (its ideal and reservation
    ``ideal[i]``, ``res[i]``): for thresholds and floors, as the one-session code computes them."""
    n = xs.shape[0]
    out = np.empty(n)
    tk = np.empty(n_points + 2)
    us = np.empty(n_points + 2)
    for i in range(n):
        if kind == LINEAR:
            out[i] = linear_at(xs[i], ideal[i], res[i])
        elif kind == PIECEWISE:
            m = piecewise_knots(ideal[i], res[i], px, pu, n_points, tk, us)
            out[i] = piecewise_at(xs[i], ideal[i], res[i], tk, us, m)
        else:
            out[i] = cat_u[int(xs[i])]
    return out


@numba.njit(cache=True, error_model="numpy")
def knots_increase(
    ideal: FloatArray, res: FloatArray, px: FloatArray, pu: FloatArray, n_points: int
) -> bool:
    """True if every session's piecewise knots rise strictly in ``t`` and in utility (the
    kernel's interpolation assumes it; the scenario's rules guarantee it at central values)."""
    tk = np.empty(n_points + 2)
    us = np.empty(n_points + 2)
    for i in range(ideal.shape[0]):
        m = piecewise_knots(ideal[i], res[i], px, pu, n_points, tk, us)
        for k in range(1, m):
            if not (tk[k] > tk[k - 1] and us[k] > us[k - 1]):
                return False
    return True


def prepare_floors(
    ukind: IntArray,
    ideal: FloatArray,
    res: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
    pts_x: FloatArray,
    pts_u: FloatArray,
    npts: IntArray,
    rank_u: FloatArray,
    rat_issue: IntArray,
    thr_b: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Each party's floor per issue, ``(P, E, J, N)``, and its highest floor, ``(P, E, N)``.

    As :meth:`burdenshare.preferences.additive.AdditiveUtility.floors` with the believed
    ratification threshold: a numeric issue's utility at the range's end beyond the reservation
    (``-inf`` if that end is unbounded), a categorical issue's worst category; on the ratified
    issue at least the threshold's utility (Python's ``max``).
    """
    n_p, n_e, n_j, n = ideal.shape
    floor = np.empty((n_p, n_e, n_j, n))
    for p in range(n_p):
        for e in range(n_e):
            for j in range(n_j):
                if ukind[p, j] == CATEGORICAL:
                    floor[p, e, j] = rank_u[p, e, j, 0]
                    continue
                far = np.where(ideal[p, e, j] > res[p, e, j], lo[j], hi[j])
                f = utilities_of(
                    int(ukind[p, j]), far, ideal[p, e, j], res[p, e, j], pts_x[p, j],
                    pts_u[p, j], int(npts[p, j]), rank_u[p, e, j],
                )  # fmt: skip
                floor[p, e, j] = np.where(np.isfinite(far), f, -np.inf)
            j = int(rat_issue[p])
            if j >= 0:
                extra = thr_b[p, e]
                floor[p, e, j] = np.where(extra > floor[p, e, j], extra, floor[p, e, j])
    return floor, floor.max(axis=2)


def run_kernel(
    ideal: FloatArray,
    res: FloatArray,
    w: FloatArray,
    floor: FloatArray,
    fmax: FloatArray,
    umin: FloatArray,
    thr_u: FloatArray,
    thr_b: FloatArray,
    outside: FloatArray,
    disc: FloatArray,
    rat_issue: IntArray,
    strategy: IntArray,
    sparam: FloatArray,
    tpow: FloatArray,
    tix: IntArray,
    epoch: IntArray,
    integer: BoolArray,
    lo: FloatArray,
    hi: FloatArray,
    ukind: IntArray,
    pts_x: FloatArray,
    pts_u: FloatArray,
    npts: IntArray,
    cat_u: FloatArray,
    rank_u: FloatArray,
    rank_i: IntArray,
    ncat: IntArray,
    sol_x: FloatArray,
    sol_ok: BoolArray,
    sol_row: IntArray,
    first: int,
    clock: IntArray,
    genius: GeniusInputs | None = None,
) -> tuple[npt.NDArray[np.int8], IntArray, FloatArray, FloatArray]:
    """Run N sessions: (outcome code, 0-based last round, agreed values (J, N), both parties'
    utilities of the agreement (2, N)); values and utilities are NaN without agreement.
    ``lo`` and ``hi`` are the issues' ranges: every proposal stays inside them. ``floor`` is each
    party's least utility per issue (:func:`prepare_floors`) and ``fmax`` its highest floor: the
    water-filling of a proposal (:func:`burdenshare.preferences.additive.concession_level`)
    holds issues at their floors. Party ``p`` plays ``strategy[p]``
    (:mod:`burdenshare.engine.strategies`); a Nash or Rubinstein party proposes
    ``sol_x[p, sol_row[p, e, i]]`` in epoch ``e`` of session ``i`` when ``sol_ok`` says it has one.
    ``tpow[p, b, k]`` is ``t_k ** (1 / e_p)`` for party ``p``'s ``b``-th distinct deadline belief,
    ``t_k`` its believed time in round ``k``
    (:func:`burdenshare.negotiation.state.believed_time`), and ``tix[p, i]`` the belief of
    session ``i``: the powers are computed once per distinct belief, outside the kernel, by the
    same Python arithmetic as the one-session negotiators. ``genius`` gives the GENIUS-style
    parties' parameters, believed times and tables (:mod:`burdenshare.engine.genius`)."""
    if genius is None:
        genius = genius_placeholder(integer.shape[0], int(epoch.max()) + 1 if len(epoch) else 1)
    gpar, ttime, tables = genius
    gfast = bool(
        np.all(ukind == LINEAR)
        and np.all((strategy == TIME_DEPENDENT) | (strategy == HARDLINER) | (strategy == GENIUS))
    )
    fast = bool(
        np.all(ukind == LINEAR) and np.all((strategy == TIME_DEPENDENT) | (strategy == HARDLINER))
    )
    n = clock.shape[0]
    code = np.empty(n, dtype=np.int8)
    rnd = np.zeros(n, dtype=np.int64)
    x_out = np.full((integer.shape[0], n), np.nan)
    u_out = np.full((2, n), np.nan)
    c = np.ascontiguousarray
    _kernel(
        c(ideal), c(res), c(w), c(floor), c(fmax), c(umin), c(thr_u), c(thr_b), c(outside),
        c(disc), c(rat_issue, dtype=np.int64), c(strategy, dtype=np.int64),
        c(sparam, dtype=np.float64), c(tpow), c(tix, dtype=np.int64), c(epoch, dtype=np.int64),
        c(integer),
        c(lo, dtype=np.float64), c(hi, dtype=np.float64), c(ukind, dtype=np.int64), c(pts_x),
        c(pts_u), c(npts, dtype=np.int64), c(cat_u), c(rank_u), c(rank_i, dtype=np.int64),
        c(ncat, dtype=np.int64), c(sol_x), c(sol_ok), c(sol_row, dtype=np.int64), fast, first,
        c(clock, dtype=np.int64), code, rnd, x_out, u_out, c(gpar), c(ttime), tables.arrays(),
        gfast,
    )  # fmt: skip
    return code, rnd, x_out, u_out
