"""One session of the single negotiating text with ``P`` parties (numba): a mediator keeps one
text and amends it after each round (Raiffa 1982, *The Art and Science of Negotiation*, ch. 14,
"The single negotiating text"), the rules of :mod:`burdenshare.negotiation.protocol`.

No party proposes; ``Q = protocol.needed(P)`` (``P`` under unanimity).

- The first text ``T_0``: each continuous issue at ``(lo + hi) / 2``, each integer issue at
  ``floor((lo + hi) / 2)`` (categorical issues at their first value: not played here).
- Round ``k``: every party, in turn order from the first mover, answers ``T_k`` (a walk-away
  would end the talks; the negotiators played here never walk away). ``T_k`` passes iff at
  least ``Q`` accept; a passing text goes to every ratifier, and if all approve, agreement in
  round ``k``.
- A round without agreement is one rejection for the breakdown clock (``k >= clock``: breakdown).
- The mediator then amends the text for the parties ``R`` that rejected it (after a ratifier's
  refusal, the parties whose ratifier refused), knowing only public information: each party's
  central parameters on ``date_k`` (``s_ij w_ij``, :func:`~burdenshare.engine.multi_inputs.
  mediator_directions`). On each numeric issue ``j``, in float64 and in this order::

      acc = 0.0; for i in parties (listing order): if i in R: acc += s_ij * w_ij
      x = T_kj + step * (hi_j - lo_j) * acc / P
      x = min(max(x, lo_j), hi_j); if integer: x = float(numpy.rint(x))

- Without agreement after the last round: ``ratification_failure`` if a ratifier refused a
  passing text, else ``deadline``.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

from burdenshare.engine.linear_session import RATIFICATION_TOL, TOL
from burdenshare.engine.multi_common import load_epoch, ratifiers_refuse, settle
from burdenshare.engine.strategies import TIME_DEPENDENT, time_dependent_target
from burdenshare.engine.tables import linear_at

__all__ = ["amend", "text_session"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@numba.njit(cache=True, error_model="numpy")
def amend(
    t: FloatArray,
    against: BoolArray,
    sw: FloatArray,
    step: float,
    lo: FloatArray,
    hi: FloatArray,
    integer: BoolArray,
) -> None:
    """The mediator's amendment of text ``t`` for the parties ``against`` (``sw``: ``(P, J)``,
    this round's directions), as the module docstring writes it."""
    n_p = against.shape[0]
    for j in range(t.shape[0]):
        acc = 0.0
        for p in range(n_p):
            if against[p]:
                acc += sw[p, j]
        x = t[j] + step * (hi[j] - lo[j]) * acc / n_p
        x = lo[j] if lo[j] > x else x  # Python's max(x, lo)
        x = hi[j] if hi[j] < x else x  # Python's min(x, hi)
        if integer[j]:
            x = np.rint(x)
        t[j] = x


@numba.njit(cache=True, error_model="numpy")
def text_session(
    i: int,
    ideal: FloatArray,
    res: FloatArray,
    w: FloatArray,
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
    step: float,
    text0: FloatArray,
    sw: FloatArray,
    clock: IntArray,
    code: npt.NDArray[np.int8],
    rnd: IntArray,
    x_out: FloatArray,
    u_out: FloatArray,
    t: FloatArray,
    lid: FloatArray,
    lres: FloatArray,
    lw: FloatArray,
    lfmax: FloatArray,
    lumin: FloatArray,
    lthr: FloatArray,
    lthb: FloatArray,
    flags: BoolArray,
) -> None:
    """Session ``i`` under the rules above (outcome codes as the bilateral kernel's)."""
    n_p = order.shape[0]
    n_issues = t.shape[0]
    n_rounds = epoch.shape[0]
    last = n_rounds - 1
    loaded = -1
    outcome = 2
    ratfail = False
    for j in range(t.shape[0]):
        t[j] = text0[j]
    for k in range(n_rounds):
        e = epoch[k]
        if e != loaded:
            load_epoch(i, e, ideal, res, w, fmax, umin, thr_u, thr_b, lid, lres, lw, lfmax, lumin,
                       lthr, lthb)  # fmt: skip
            loaded = e
        yes = 0
        for r in range(n_p):
            q = order[r]
            # q's answer: admissible (u_min, its own ratifier as it believes), then its test
            total = 0.0
            for j in range(n_issues):
                total = total + lw[q, j] * linear_at(t[j], lid[q, j], lres[q, j])
            ok = total >= lumin[q] - TOL
            rj = rat_issue[q]
            if ok and rj >= 0:
                ok = linear_at(t[rj], lid[q, rj], lres[q, rj]) >= lthb[q] - RATIFICATION_TOL
            if ok:
                if strategy[q] == TIME_DEPENDENT:
                    t_q = time_dependent_target(tpow[q, tix[q, i], k], lumin[q])
                    ok = total >= t_q - TOL or k >= last
                else:
                    ok = total >= 1.0 - TOL
            flags[q] = not ok
            if ok:
                yes += 1
        if yes >= needed:
            if ratifiers_refuse(t, rat_issue, lid, lres, lthr, flags) == 0:
                outcome = 0
                rnd[i] = k
                settle(i, t, lid, lres, lw, x_out, u_out)
                break
            ratfail = True
        if k >= clock[i]:
            outcome = 1
            rnd[i] = k
            break
        rnd[i] = k
        amend(t, flags, sw[e], step, lo, hi, integer)
    if outcome == 2 and ratfail:
        outcome = 3
    code[i] = outcome
