"""The N-party engine's parallel loop: sessions of stacked alternating offers
(:mod:`~burdenshare.engine.multi_offers`) or of the single negotiating text
(:mod:`~burdenshare.engine.multi_text`), one per iteration, in blocks that share scratch arrays.

Numba compiles without fast-math, so every step rounds as numpy and Python do and the contract
test can require the one-session protocol's outcomes exactly.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

from burdenshare.engine.multi_inputs import MultiInputs
from burdenshare.engine.multi_offers import offers_session
from burdenshare.engine.multi_text import text_session

__all__ = ["run_multi_kernel"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: sessions per parallel work item (scratch arrays are allocated once per item)
_BLOCK = 256


@numba.njit(cache=True, parallel=True, error_model="numpy")
def _kernel(
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
    order: IntArray,
    needed: int,
    single_text: bool,
    step: float,
    text0: FloatArray,
    sw: FloatArray,
    clock: IntArray,
    code: npt.NDArray[np.int8],
    rnd: IntArray,
    x_out: FloatArray,
    u_out: FloatArray,
) -> None:
    n = clock.shape[0]
    n_p = order.shape[0]
    n_issues = integer.shape[0]
    n_blocks = (n + _BLOCK - 1) // _BLOCK
    for blk in numba.prange(n_blocks):
        x = np.empty(n_issues)
        fl = np.empty((n_p, n_issues))
        held = np.empty(n_issues, dtype=np.bool_)
        lid = np.empty((n_p, n_issues))
        lres = np.empty((n_p, n_issues))
        lw = np.empty((n_p, n_issues))
        lfmax = np.empty(n_p)
        lumin = np.empty(n_p)
        lthr = np.empty(n_p)
        lthb = np.empty(n_p)
        flags = np.empty(n_p, dtype=np.bool_)
        for i in range(blk * _BLOCK, min(n, (blk + 1) * _BLOCK)):
            if single_text:
                text_session(
                    i, ideal, res, w, fmax, umin, thr_u, thr_b, rat_issue, strategy, tpow, tix,
                    epoch, integer, lo, hi, order, needed, step, text0, sw, clock, code, rnd,
                    x_out, u_out, x, lid, lres, lw, lfmax, lumin, lthr, lthb, flags,
                )  # fmt: skip
            else:
                offers_session(
                    i, ideal, res, w, floor, fmax, umin, thr_u, thr_b, rat_issue, strategy, tpow,
                    tix, epoch, integer, lo, hi, order, needed, clock, code, rnd, x_out, u_out, x,
                    fl, held, lid, lres, lw, lfmax, lumin, lthr, lthb, flags,
                )  # fmt: skip


def run_multi_kernel(
    inputs: MultiInputs,
    strategy: IntArray,
    tpow: FloatArray,
    tix: IntArray,
    clock: IntArray,
) -> tuple[npt.NDArray[np.int8], IntArray, FloatArray, FloatArray]:
    """Run N sessions: (outcome code, 0-based last round, agreed values ``(J, N)``, every
    party's utility of the agreement ``(P, N)``); values and utilities are NaN without one.

    ``strategy[p]`` is party ``p``'s code (:mod:`burdenshare.engine.strategies`: time-dependent
    or hardliner), ``tpow[p, b, k]`` its ``t_k ** (1 / e)`` for its ``b``-th distinct deadline
    belief and ``tix[p, i]`` session ``i``'s belief (as the bilateral kernel's), ``clock`` the
    breakdown clocks (rule 7)."""
    c = np.ascontiguousarray
    n = clock.shape[0]
    n_p = inputs.order.shape[0]
    code = np.empty(n, dtype=np.int8)
    rnd = np.zeros(n, dtype=np.int64)
    x_out = np.full((inputs.integer.shape[0], n), np.nan)
    u_out = np.full((n_p, n), np.nan)
    _kernel(
        c(inputs.ideal), c(inputs.res), c(inputs.w), c(inputs.floor), c(inputs.fmax),
        c(inputs.umin), c(inputs.thr_u), c(inputs.thr_b), c(inputs.rat_issue, dtype=np.int64),
        c(strategy, dtype=np.int64), c(tpow), c(tix, dtype=np.int64),
        c(inputs.epoch, dtype=np.int64), c(inputs.integer), c(inputs.lo), c(inputs.hi),
        c(inputs.order, dtype=np.int64), int(inputs.needed), bool(inputs.single_text),
        float(inputs.step), c(inputs.text0), c(inputs.sw), c(clock, dtype=np.int64), code, rnd,
        x_out, u_out,
    )  # fmt: skip
    return code, rnd, x_out, u_out
