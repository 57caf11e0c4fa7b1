"""The formulas of Bueno de Mesquita's expected-utility model, one small pure function each.

Sources: Bueno de Mesquita (1994) "Political forecasting: an expected utility method" (in
*European Community Decision Making*, Yale UP), Bueno de Mesquita (1997) "A decision making model:
its structure and form" (*International Interactions* 23: 235-266), and Scholz, Calbert & Smith
(2011) "Unravelling Bueno de Mesquita's group decision model" (*J. Theoretical Politics* 23: 510),
as implemented by the public replication jmckib/bdm-scholz-expected-utility-model. "Step n" refers
to the numbered steps of ``shared/reference/models.md`` section 1.3.

Notation: actors ``i = 1..n`` with position ``x_i``, weight ``w_i = c_i s_i`` (capability times
salience) and risk exponent ``r_i``; ``delta`` is the range of the initial positions, so distances
``|x_i - x_j| / delta`` lie in ``[0, 1]``. Matrices are indexed ``[challenger, target]``.
The round loop that strings these together is :mod:`burdenshare.forecasting.bdm`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from burdenshare.forecasting.bdm_kernel import vote_sums_kernel

__all__ = [
    "OfferKind",
    "classify_offer",
    "compromise_position",
    "condorcet_median",
    "expected_utility",
    "normalised_distance",
    "probability_bdm",
    "probability_bdm_sums",
    "probability_scholz",
    "probability_scholz_sums",
    "risk_exponents",
    "scan_median",
    "scholz_compromise_key",
    "utility_better",
    "utility_failure",
    "utility_status_quo",
    "utility_success",
    "utility_worse",
    "vote_sums",
    "votes",
    "weighted_mean",
]

FloatArray = npt.NDArray[np.float64]
OfferKind = Literal["confrontation", "compromise", "capitulation"]


def _arr(a: npt.ArrayLike) -> FloatArray:
    return np.asarray(a, dtype=np.float64)


def normalised_distance(x: npt.ArrayLike, delta: float) -> FloatArray:
    """``d[i, j] = |x_i - x_j| / delta`` (models.md §1.3, notation; BDM 1994).

    >>> normalised_distance([4.0, 7.0, 10.0], 6.0)[0].tolist()
    [0.0, 0.5, 1.0]
    """
    xs = _arr(x)
    return np.abs(xs[:, None] - xs[None, :]) / delta


def votes(x: npt.ArrayLike, weight: npt.ArrayLike, r: npt.ArrayLike, delta: float) -> FloatArray:
    """Step 1: ``V[k, a, b] = w_k [(|x_k - x_b|/delta)^r_k - (|x_k - x_a|/delta)^r_k]``.

    Actor ``k``'s vote for ``x_a`` over ``x_b`` (BDM 1994 eq. for ``v_k``; Scholz et al. 2011,
    "compare" in jmckib), with ``k``'s own risk exponent. Positive means ``k`` prefers ``x_a``.
    The whole ``n x n x n`` array: the reference for small cases. The model itself only needs
    its sums over ``k``, :func:`vote_sums`, which never build it.

    >>> v = votes([0.0, 10.0], [0.05 * 10, 0.05 * 10], [1.0, 1.0], 10.0)
    >>> float(v[0, 0, 1]), float(v[1, 0, 1])
    (0.5, -0.5)
    """
    xs, w = _arr(x), _arr(weight)
    rr = np.broadcast_to(_arr(r), xs.shape)
    g = normalised_distance(xs, delta) ** rr[:, None]  # g[k, a] = (|x_k - x_a|/delta)^r_k
    return w[:, None, None] * (g[:, None, :] - g[:, :, None])


def scan_median(
    x: npt.ArrayLike, weight: npt.ArrayLike, delta: float, *, tolerance: float = 0.0
) -> float:
    """Step 2, jmckib's sequential scan: start at ``x_0``; move to ``p`` whenever ``p`` beats it.

    Each distinct position ``p`` (here in actor order; jmckib iterates over a Python ``set``) is
    compared with the current one by the ``r = 1`` vote ``sum_k V[k, p, median] > 0``. The result is
    the Condorcet winner when one beats every other position strictly; with ties it depends on the
    scan order (BDM 1994 intends the median voter; Scholz et al. 2011). Margins within
    ``tolerance`` times the total weight count as ties (jmckib: exact comparison).

    >>> scan_median([4.0, 7.0, 10.0], [1.0, 1.0, 1.0], 6.0)
    7.0
    """
    xs, w = _arr(x), _arr(weight)
    median = float(xs[0])
    slack = tolerance * float(w.sum())
    for p in dict.fromkeys(xs.tolist()):
        margin = np.sum(w * (np.abs(xs - median) - np.abs(xs - p)) / delta)
        if margin > slack:
            median = p
    return median


def condorcet_median(x: npt.ArrayLike, weight: npt.ArrayLike, delta: float) -> float:
    """Step 2, full pairwise check: the position no other position beats under the ``r = 1`` vote.

    Every pair of distinct positions is compared (as dmasad's replication intends). If several
    positions are unbeaten (the weight splits exactly in half) the result is the midpoint of the
    lowest and highest of them, so it does not depend on the actors' order. Margins within
    ``1e-12`` of the total weight count as ties.

    The margin of ``p_a`` over ``p_b``, ``sum_k w_k (|x_k - p_b| - |x_k - p_a|) / delta``, splits
    into ``cost(p_b) - cost(p_a)`` with ``cost(p) = sum_k w_k |x_k - p| / delta``, so ``p_a`` is
    unbeaten exactly when ``cost(p_a) <= min cost + 1e-12 sum w``: O(n m) work and memory for
    ``m`` distinct positions, where the pairwise table took ``n m^2``. (The unbeaten positions
    are the weighted medians: the minimisers of the total weighted distance.)

    >>> condorcet_median([4.0, 7.0, 10.0], [1.0, 1.0, 3.0], 6.0)
    10.0
    >>> condorcet_median([4.0, 10.0], [1.0, 1.0], 6.0)
    7.0
    """
    xs, w = _arr(x), _arr(weight)
    pts = np.unique(xs)
    cost = w @ (np.abs(xs[:, None] - pts[None, :]) / delta)  # n x m, never n x m x m
    winners = pts[cost <= cost.min() + 1e-12 * float(w.sum())]
    return float(winners[0]) if winners.size == 1 else float((winners[0] + winners[-1]) / 2)


def weighted_mean(x: npt.ArrayLike, weight: npt.ArrayLike) -> float:
    """Step 2, the compromise prediction ``sum_i c_i s_i x_i / sum_i c_i s_i`` (BDM 1994).

    >>> weighted_mean([4.0, 10.0], [1.0, 3.0])
    8.5
    """
    xs, w = _arr(x), _arr(weight)
    return float(np.sum(w * xs) / np.sum(w))


def probability_scholz(v: FloatArray) -> FloatArray:
    """Step 3 as in Scholz's code (jmckib: "faithful to Scholz' code").

    ``P[i, j] = sum_k max(0, V[k, i, j]) / sum_k sum_a sum_b |V[k, a, b]|``. The denominator sums
    over *all* pairs, so ``P`` is tiny and ``P[i, j] + P[j, i] != 1`` (Scholz et al. 2011).

    >>> p = probability_scholz(votes([0.0, 10.0], [1.0, 1.0], [1.0, 1.0], 10.0))
    >>> p.tolist()
    [[0.0, 0.25], [0.25, 0.0]]
    """
    total = float(np.sum(np.abs(v)))
    num = np.sum(np.maximum(v, 0.0), axis=0)
    return num / total if total > 0 else np.zeros_like(num)


def probability_bdm(v: FloatArray) -> FloatArray:
    """Step 3 as BDM (1994, 1997) intends: ``sum_k max(0, V[k,i,j]) / sum_k |V[k,i,j]|``.

    So ``P[i, j] + P[j, i] = 1`` whenever some actor is not indifferent; pairs nobody separates
    (including ``i = j``) get ``0.5``.

    >>> p = probability_bdm(votes([0.0, 10.0], [1.0, 3.0], [1.0, 1.0], 10.0))
    >>> p.tolist()
    [[0.5, 0.25], [0.75, 0.5]]
    """
    num = np.sum(np.maximum(v, 0.0), axis=0)
    den = np.sum(np.abs(v), axis=0)
    out: FloatArray = np.full(num.shape, 0.5)
    np.divide(num, den, out=out, where=den > 0)
    return out


def vote_sums(
    x: npt.ArrayLike, weight: npt.ArrayLike, r: npt.ArrayLike, delta: float
) -> tuple[FloatArray, FloatArray]:
    """Steps 1 and 3: the sums over voters of :func:`votes`, without the ``n x n x n`` array.

    ``support[a, b] = sum_k max(0, V[k, a, b])`` (the votes for ``x_a`` over ``x_b``) and
    ``contest[a, b] = sum_k |V[k, a, b]|`` (BDM 1994; Scholz et al. 2011). A voter's vote on a
    pair has the sign of which position is nearer to it, so along the voters sorted by position
    the sums are differences of prefix sums of ``w_k (|x_k - x_y| / delta)^r_k``:
    O(n^2) memory and time (plus a sort), by the compiled loop of
    :mod:`burdenshare.forecasting.bdm_kernel` (see there). Equal to summing :func:`votes` up to
    rounding (``tests/unit/test_bdm_vote_sums.py`` checks 1e-12).

    >>> support, contest = vote_sums([0.0, 10.0], [1.0, 3.0], [1.0, 1.0], 10.0)
    >>> support.tolist(), contest.tolist()
    ([[0.0, 1.0], [3.0, 0.0]], [[0.0, 4.0], [4.0, 0.0]])
    """
    xs = _arr(x)
    order = np.argsort(xs, kind="stable")
    w = np.broadcast_to(_arr(weight), xs.shape)[order]
    rr = np.broadcast_to(_arr(r), xs.shape)[order]
    support, contest = vote_sums_kernel(xs[order], w, rr, order.astype(np.int64), float(delta))
    return support, contest


def probability_scholz_sums(support: FloatArray, contest: FloatArray) -> FloatArray:
    """:func:`probability_scholz` from :func:`vote_sums`: ``support / sum_{a, b} contest``.

    ``sum_k sum_a sum_b |V[k, a, b]|`` is the sum of ``contest`` over all pairs.

    >>> probability_scholz_sums(*vote_sums([0.0, 10.0], [1.0, 1.0], [1.0, 1.0], 10.0)).tolist()
    [[0.0, 0.25], [0.25, 0.0]]
    """
    total = float(np.sum(contest))
    return support / total if total > 0 else np.zeros_like(support)


def probability_bdm_sums(support: FloatArray, contest: FloatArray) -> FloatArray:
    """:func:`probability_bdm` from :func:`vote_sums`: ``support / contest``, ``0.5`` where 0/0.

    >>> probability_bdm_sums(*vote_sums([0.0, 10.0], [1.0, 3.0], [1.0, 1.0], 10.0)).tolist()
    [[0.5, 0.25], [0.75, 0.5]]
    """
    out: FloatArray = np.full(support.shape, 0.5)
    np.divide(support, contest, out=out, where=contest > 0)
    return out


def utility_success(d: npt.ArrayLike, r: npt.ArrayLike) -> FloatArray:
    """Step 4: ``U_s = 2 - 4 (0.5 - 0.5 d)^r`` (BDM 1997; Scholz et al. 2011).

    >>> float(utility_success(0.5, 1.0)), float(utility_success(0.5, 2.0))
    (1.0, 1.75)
    """
    return 2.0 - 4.0 * np.maximum(0.5 - 0.5 * _arr(d), 0.0) ** _arr(r)


def utility_failure(d: npt.ArrayLike, r: npt.ArrayLike) -> FloatArray:
    """Step 4: ``U_f = 2 - 4 (0.5 + 0.5 d)^r`` (BDM 1997; Scholz et al. 2011).

    >>> float(utility_failure(0.5, 1.0))
    -1.0
    """
    return 2.0 - 4.0 * (0.5 + 0.5 * _arr(d)) ** _arr(r)


def utility_status_quo(r: npt.ArrayLike) -> FloatArray:
    """Step 4: ``U_sq = 2 - 4 (0.5)^r`` (BDM 1997; Scholz et al. 2011).

    >>> float(utility_status_quo(1.0)), round(float(utility_status_quo(0.5)), 12)
    (0.0, -0.828427124746)
    """
    return 2.0 - 4.0 * 0.5 ** _arr(r)


def utility_better(e: npt.ArrayLike, r: npt.ArrayLike) -> FloatArray:
    """Step 4: ``U_b = 2 - 4 (0.5 - e)^r``, ``e = 0.25 (|x_i - mu| + |x_i - x_j|) / delta``.

    The status quo changes, for the better (BDM 1997; dmasad's replication).

    >>> float(utility_better(0.25, 1.0))
    1.0
    """
    return 2.0 - 4.0 * np.maximum(0.5 - _arr(e), 0.0) ** _arr(r)


def utility_worse(e: npt.ArrayLike, r: npt.ArrayLike) -> FloatArray:
    """Step 4: ``U_w = 2 - 4 (0.5 + e)^r``: the status quo changes for the worse (BDM 1997).

    >>> float(utility_worse(0.25, 1.0))
    -1.0
    """
    return 2.0 - 4.0 * (0.5 + _arr(e)) ** _arr(r)


def expected_utility(
    d: npt.ArrayLike,
    s_target: npt.ArrayLike,
    p: npt.ArrayLike,
    r: npt.ArrayLike,
    *,
    q: float = 1.0,
    t: float = 1.0,
    e: npt.ArrayLike = 0.0,
) -> FloatArray:
    """Step 5: the expected utility of challenging, ``EU_i(i -> j)``.

    ``s_j [P U_s + (1 - P) U_f] + (1 - s_j) U_s - Q U_sq - (1 - Q) [T U_b + (1 - T) U_w]``
    (BDM 1994, 1997; Scholz et al. 2011), with ``d = |x_i - x_j|/delta``, ``P = P(i beats j)``,
    the observer's risk exponent ``r``, and ``e`` the argument of ``U_b``/``U_w``. At ``Q = 1``
    (jmckib, Scholz) ``T`` and ``e`` play no part. Evaluated in this order so that it
    reproduces jmckib's floating-point results.

    >>> float(expected_utility(0.5, 1.0, 0.5, 1.0))
    0.0
    >>> float(expected_utility(1.0, 0.0, 0.0, 1.0))
    2.0
    """
    us, uf = utility_success(d, r), utility_failure(d, r)
    pp, sj = _arr(p), _arr(s_target)
    eu = sj * (pp * us + (1.0 - pp) * uf) + (1.0 - sj) * us - q * utility_status_quo(r)
    if q < 1.0:
        eu = eu - (1.0 - q) * (t * utility_better(e, r) + (1.0 - t) * utility_worse(e, r))
    return eu


def risk_exponents(security: npt.ArrayLike, *, tolerance: float = 0.0) -> FloatArray:
    """Step 6: ``r_i = (1 - R_i/3)/(1 + R_i/3)``, ``R_i = (2D_i - max D - min D)/(max D - min D)``.

    ``D_i = sum_{k != i} EU_k(k -> i)`` (all ``r = 1``) is how much the others gain by challenging
    ``i`` (BDM 1994, 1997; Scholz et al. 2011). ``r`` lies in ``[0.5, 2]``: the most threatened
    actor gets 0.5, the safest 2. If every ``D_i`` is equal, every ``r_i = 1``; so too if they
    spread by no more than ``tolerance * max(1, |D|)``, since ``R`` would blow rounding noise up
    to the full range ``[-1, 1]``.

    >>> risk_exponents([1.0, 0.0, -1.0]).tolist()
    [0.5, 1.0, 2.0]
    >>> risk_exponents([1.0, 1.0 + 1e-15]).tolist()
    [2.0, 0.5]
    >>> risk_exponents([1.0, 1.0 + 1e-15], tolerance=1e-9).tolist()
    [1.0, 1.0]
    """
    dd = _arr(security)
    lo, hi = float(dd.min()), float(dd.max())
    if hi - lo <= tolerance * max(1.0, abs(lo), abs(hi)):
        return np.ones_like(dd)
    big_r = (2.0 * dd - hi - lo) / (hi - lo)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def classify_offer(
    e_ij: float,
    e_ji: float,
    *,
    capitulation: Literal["jmckib", "fixed"] = "fixed",
    tolerance: float = 0.0,
) -> OfferKind | None:
    """Step 7: what ``i`` does about ``j``, given ``e_ij = EU_i(i->j)`` and ``e_ji = EU_i(j->i)``.

    * confrontation (``i`` expects to lose and moves to ``x_j``): ``e_ji > e_ij > 0``;
    * compromise: ``e_ji > 0 > e_ij`` and ``e_ji > |e_ij|``;
    * capitulation (``i`` moves to ``x_j``): ``e_ji > 0 > e_ij`` and ``e_ji < |e_ij|``. jmckib
      writes the test as ``e_ji < |e_ji|``, never true when ``e_ji > 0``, so with
      ``capitulation="jmckib"`` it never fires.

    Differences within ``tolerance`` count as ties (no offer) (BDM 1994, 1997; Scholz et al. 2011).

    >>> classify_offer(-0.5, 0.2), classify_offer(-0.5, 0.2, capitulation="jmckib")
    ('capitulation', None)
    >>> classify_offer(0.2, 0.5), classify_offer(-0.1, 0.3)
    ('confrontation', 'compromise')
    """
    if e_ji - e_ij > tolerance and e_ij > tolerance:
        return "confrontation"
    if e_ji > tolerance and e_ij < -tolerance:
        if e_ji - abs(e_ij) > tolerance:
            return "compromise"
        if capitulation == "fixed" and abs(e_ij) - e_ji > tolerance:
            return "capitulation"
    return None


def compromise_position(x_i: float, x_j: float, e_ij: float, e_ji: float) -> float:
    """Step 7, the compromise ``x_i + (x_j - x_i) |e_ij / e_ji|`` (BDM 1994; Scholz et al. 2011).

    >>> compromise_position(7.0, 10.0, -0.1, 0.3)
    8.0
    """
    return x_i + (x_j - x_i) * abs(e_ij / e_ji)


def scholz_compromise_key(x_i: float, x_j: float, e_ij: float, e_ji: float) -> float:
    """Step 7, the key jmckib minimises to choose a compromise (Scholz et al. 2011).

    ``key = (|e_ij| x_i + |e_ji| x_j) / (|e_ij| + |e_ji|)``, "faithful to Scholz' original code",
    which jmckib believes is a mistake: it is neither the compromise position nor the movement, so
    the compromise with the smallest *key* wins, not the one with the least movement.

    >>> scholz_compromise_key(7.0, 10.0, -0.1, 0.3)
    9.25
    """
    a, b = abs(e_ij), abs(e_ji)
    return (a * x_i + b * x_j) / (a + b)
