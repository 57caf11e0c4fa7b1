"""What both N-party session loops share (numba): a party's epoch parameters, its proposal when
a floor lies above its target, the ratifiers' verdicts and the deal's payoffs, for the
time-dependent family and the hardliner on linear utilities. (The answer to an offer, and the
common proposal, are written inline in each loop: a call with array arguments costs reference
counting on every round: sessions ran about 5 times slower, measured.)

Each function repeats the arithmetic of the one-session negotiators in the same order, as the
bilateral kernel does (:mod:`burdenshare.engine.kernel`): the proposal is
``concession_outcome(params, target)`` (every issue at the target utility, or the water-filling
of :func:`~burdenshare.engine.linear_session.level` when a floor lies above it, each value
clamped to its range); the answer is ``admissible`` (the party's own ratifier approves as it
believes, and ``U >= u_min - TOL``) and then the negotiator's test (time-dependent:
``U >= target - TOL`` or the last round; hardliner: ``U >= 1 - TOL``); the ratifiers use the
true thresholds less ``RATIFICATION_TOL``. The per-party state lives in scratch arrays indexed
by party (listing order): ``lid``, ``lres``, ``lw`` ``(P, J)`` and ``lumin``, ``lthr``,
``lthb``, ``lfmax`` ``(P,)``, copied out of the batch arrays once per epoch.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

from burdenshare.engine.linear_session import RATIFICATION_TOL, level
from burdenshare.engine.strategies import TIME_DEPENDENT, time_dependent_target
from burdenshare.engine.tables import linear_at, linear_inverse_at

__all__ = ["load_epoch", "propose", "ratifiers_refuse", "settle"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_call = numba.njit(cache=True, error_model="numpy")


@_call
def load_epoch(
    i: int,
    e: int,
    ideal: FloatArray,
    res: FloatArray,
    w: FloatArray,
    fmax: FloatArray,
    umin: FloatArray,
    thr_u: FloatArray,
    thr_b: FloatArray,
    lid: FloatArray,
    lres: FloatArray,
    lw: FloatArray,
    lfmax: FloatArray,
    lumin: FloatArray,
    lthr: FloatArray,
    lthb: FloatArray,
) -> None:
    """Copy session ``i``'s parameters in epoch ``e`` into the scratch arrays."""
    for p in range(lid.shape[0]):
        lumin[p] = umin[p, e, i]
        lthr[p] = thr_u[p, e, i]
        lthb[p] = thr_b[p, e, i]
        lfmax[p] = fmax[p, e, i]
        for j in range(lid.shape[1]):
            lid[p, j] = ideal[p, e, j, i]
            lres[p, j] = res[p, e, j, i]
            lw[p, j] = w[p, e, j, i]


@_call
def propose(
    p: int,
    k: int,
    i: int,
    e: int,
    strategy: IntArray,
    tpow: FloatArray,
    tix: IntArray,
    floor: FloatArray,
    integer: BoolArray,
    lo: FloatArray,
    hi: FloatArray,
    lid: FloatArray,
    lres: FloatArray,
    lw: FloatArray,
    lfmax: FloatArray,
    lumin: FloatArray,
    fl: FloatArray,
    held: BoolArray,
    x: FloatArray,
) -> None:
    """Party ``p``'s proposal in round ``k`` into ``x``."""
    if strategy[p] == TIME_DEPENDENT:
        target = time_dependent_target(tpow[p, tix[p, i], k], lumin[p])
    else:
        target = 1.0  # the hardliner: its ideal outcome
    n_issues = x.shape[0]
    if not lfmax[p] > target:  # no floor above the target: every issue at it
        for j in range(n_issues):
            x[j] = linear_inverse_at(target, lid[p, j], lres[p, j], integer[j], lo[j], hi[j])
        return
    for j in range(n_issues):  # the floors are read only here (rarely)
        fl[p, j] = floor[p, e, j, i]
    v = level(target, lw[p], fl[p], held)
    for j in range(n_issues):
        f = fl[p, j]
        u = f if f > v else v  # Python's max(v, f)
        x[j] = linear_inverse_at(u, lid[p, j], lres[p, j], integer[j], lo[j], hi[j])


@_call
def ratifiers_refuse(
    x: FloatArray,
    rat_issue: IntArray,
    lid: FloatArray,
    lres: FloatArray,
    lthr: FloatArray,
    refused: BoolArray,
) -> int:
    """How many ratifiers refuse ``x`` (rule 6, true thresholds); ``refused[p]`` says whose."""
    count = 0
    for p in range(rat_issue.shape[0]):
        rp = rat_issue[p]
        refused[p] = False
        if rp >= 0 and not linear_at(x[rp], lid[p, rp], lres[p, rp]) >= lthr[p] - RATIFICATION_TOL:
            refused[p] = True
            count += 1
    return count


@_call
def settle(
    i: int,
    x: FloatArray,
    lid: FloatArray,
    lres: FloatArray,
    lw: FloatArray,
    x_out: FloatArray,
    u_out: FloatArray,
) -> None:
    """Store the agreement ``x`` of session ``i`` and every party's utility of it."""
    for j in range(x.shape[0]):
        x_out[j, i] = x[j]
    for p in range(lid.shape[0]):
        up = 0.0
        for j in range(x.shape[0]):
            up = up + lw[p, j] * linear_at(x[j], lid[p, j], lres[p, j])
        u_out[p, i] = up
