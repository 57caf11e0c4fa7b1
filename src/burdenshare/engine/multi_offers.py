"""One session of stacked alternating offers with ``P`` parties (numba), the rules of
:mod:`burdenshare.negotiation.protocol` for ``P >= 2`` (Aydogan et al. 2017, the protocol of the
ANAC 2015-17 multilateral leagues).

Round ``k`` (0-based) takes place on ``date_k``; the parties move in *turn order* (the listing
order rotated so that ``protocol.first_mover`` is first), and ``Q = protocol.needed(P)``.

1. The proposer ``q_k`` (``q_0`` the first mover) proposes.
2. The other ``P - 1`` parties answer in turn order after ``q_k``. Under unanimity the first
   rejection ends the vote and the offer passes iff all ``P - 1`` accept; under a majority every
   responder is asked and the offer passes iff ``1 + accepts >= Q``. A walk-away ends the talks
   at once (the negotiators played here never walk away).
3. A passing offer goes to every party's ratifier; if all approve, agreement in round ``k``.
4. A round without agreement is one rejection for the breakdown clock: the talks break down if
   ``k >= clock``.
5. The next proposer is the first responder who rejected (in turn order); after a ratifier's
   refusal, the party after ``q_k`` in turn order.
6. Without agreement after the last round: ``ratification_failure`` if a ratifier refused a
   passing offer, else ``deadline``.

With ``P = 2`` under unanimity these are the bilateral rules. The parties' answers here are
deterministic and never walk away, so the vote stops as soon as its result is known (``Q``
accepts, or too few responders left to reach ``Q``): the first rejection, which names the next
proposer, is always seen before a vote fails.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

from burdenshare.engine.linear_session import RATIFICATION_TOL, TOL
from burdenshare.engine.multi_common import load_epoch, propose, ratifiers_refuse, settle
from burdenshare.engine.strategies import TIME_DEPENDENT, time_dependent_target
from burdenshare.engine.tables import linear_at, linear_inverse_at

__all__ = ["offers_session"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@numba.njit(cache=True, error_model="numpy")
def offers_session(
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
    order: IntArray,
    needed: int,
    clock: IntArray,
    code: npt.NDArray[np.int8],
    rnd: IntArray,
    x_out: FloatArray,
    u_out: FloatArray,
    x: FloatArray,
    fl: FloatArray,
    held: BoolArray,
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
    n_issues = x.shape[0]
    n_rounds = epoch.shape[0]
    last = n_rounds - 1
    loaded = -1
    outcome = 2
    ratfail = False
    pos = 0  # the proposer's place in turn order
    for k in range(n_rounds):
        e = epoch[k]
        if e != loaded:
            load_epoch(i, e, ideal, res, w, fmax, umin, thr_u, thr_b, lid, lres, lw, lfmax, lumin,
                       lthr, lthb)  # fmt: skip
            loaded = e
        prop = order[pos]
        # the proposal (multi_common.propose, inline: a call with array arguments costs
        # reference counting on every round)
        if strategy[prop] == TIME_DEPENDENT:
            target = time_dependent_target(tpow[prop, tix[prop, i], k], lumin[prop])
        else:
            target = 1.0  # the hardliner: its ideal outcome
        if not lfmax[prop] > target:  # no floor above the target: every issue at it
            for j in range(n_issues):
                x[j] = linear_inverse_at(
                    target, lid[prop, j], lres[prop, j], integer[j], lo[j], hi[j]
                )
        else:
            propose(prop, k, i, e, strategy, tpow, tix, floor, integer, lo, hi, lid, lres, lw,
                    lfmax, lumin, fl, held, x)  # fmt: skip
        yes = 1  # the proposer
        first_no = -1
        for r in range(1, n_p):
            at = pos + r
            if at >= n_p:
                at -= n_p
            q = order[at]
            # q's answer: admissible (u_min, its own ratifier as it believes), then its test
            total = 0.0
            for j in range(n_issues):
                total = total + lw[q, j] * linear_at(x[j], lid[q, j], lres[q, j])
            ok = total >= lumin[q] - TOL
            rj = rat_issue[q]
            if ok and rj >= 0:
                ok = linear_at(x[rj], lid[q, rj], lres[q, rj]) >= lthb[q] - RATIFICATION_TOL
            if ok:
                if strategy[q] == TIME_DEPENDENT:
                    t_q = time_dependent_target(tpow[q, tix[q, i], k], lumin[q])
                    ok = total >= t_q - TOL or k >= last
                else:
                    ok = total >= 1.0 - TOL
            if ok:
                yes += 1
                if yes >= needed:
                    break
            else:
                if first_no < 0:
                    first_no = at
                if yes + (n_p - 1 - r) < needed:
                    break
        if yes >= needed:
            if ratifiers_refuse(x, rat_issue, lid, lres, lthr, flags) == 0:
                outcome = 0
                rnd[i] = k
                settle(i, x, lid, lres, lw, x_out, u_out)
                break
            ratfail = True
            pos = pos + 1 if pos + 1 < n_p else 0
        else:
            pos = first_no
        if k >= clock[i]:
            outcome = 1
            rnd[i] = k
            break
        rnd[i] = k
    if outcome == 2 and ratfail:
        outcome = 3
    code[i] = outcome
