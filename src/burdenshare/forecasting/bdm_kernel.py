"""The compiled loops of Bueno de Mesquita's model: vote sums and expected utilities (numba).

Step 3 (``shared/reference/models.md`` §1.3; BDM 1994, Scholz et al. 2011) sums step 1's votes
``V[k, a, b] = w_k (g[k, b] - g[k, a])``, ``g[k, y] = (|x_k - x_y| / delta)^r_k``, over the voters
``k``. Written out, that is an ``n x n x n`` array (16 GB at 1,000 actors). The sums need less:

* voter ``k``'s vote on the pair ``x_lo < x_hi`` is ``>= 0`` (it prefers ``x_lo``) exactly when
  ``|x_k - x_lo| <= |x_k - x_hi|``, because ``d -> (d / delta)^r`` is increasing for ``r > 0``.
  Along the voters sorted by position those voters are a prefix (everyone at or left of
  ``x_lo``, then those nearer ``x_lo``): the rounded distances are monotone along it too, and
  the prefix is found with the same floating-point distances the votes use;
* so ``sum_k max(0, V[k, lo, hi]) = S[t, hi] - S[t, lo]`` and ``sum_k max(0, V[k, hi, lo]) =
  (S[n, lo] - S[t, lo]) - (S[n, hi] - S[t, hi])``, where ``t`` is the prefix's length and
  ``S[t, y]`` the sum of ``w_k g[k, y]`` over the first ``t`` sorted voters.

``S`` is ``(n + 1) x n``: O(n^2) memory and time. The prefix sums are compensated (Neumaier
1974), so each is within a few units of rounding of the exact sum of the rounded terms; the
result equals summing the votes to about ``1e-15`` relative (``tests/unit/test_bdm_vote_sums.py``).
Step 5's expected utilities are :func:`~burdenshare.forecasting.bdm_formulas.expected_utility`
written out pair by pair (:func:`challenge_kernel`). Compiled without fast-math and cached on
disk (``cache=True``), as :mod:`burdenshare.engine.kernel`.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

__all__ = ["challenge_kernel", "vote_sums_kernel"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@numba.njit(cache=True, inline="always", error_model="numpy")
def _power(base: float, exponent: float) -> float:
    """``base ** exponent``, or ``base`` itself when ``exponent`` is 1 (what ``pow`` returns)."""
    return base if exponent == 1.0 else base**exponent


@numba.njit(cache=True, error_model="numpy")
def _prefix_sums(xs: FloatArray, ws: FloatArray, rs: FloatArray, delta: float) -> FloatArray:
    """``S[t, y]``: the compensated sum of ``w_k (|x_k - x_y| / delta)^r_k`` over ``k < t``.

    Voters and positions both in sorted order; row ``t`` is the sum over the first ``t`` voters.
    """
    n = xs.size
    out = np.zeros((n + 1, n))
    total = np.zeros(n)
    carry = np.zeros(n)
    for k in range(n):
        for y in range(n):
            term = ws[k] * _power(np.abs(xs[k] - xs[y]) / delta, rs[k])
            new = total[y] + term
            if abs(total[y]) >= abs(term):
                carry[y] += (total[y] - new) + term
            else:
                carry[y] += (term - new) + total[y]
            total[y] = new
            out[k + 1, y] = new + carry[y]
    return out


@numba.njit(cache=True, error_model="numpy")
def vote_sums_kernel(
    xs: FloatArray, ws: FloatArray, rs: FloatArray, order: IntArray, delta: float
) -> tuple[FloatArray, FloatArray]:
    """``(support, contest)``: ``sum_k max(0, V[k, a, b])`` and ``sum_k |V[k, a, b]|`` (n x n).

    Positions ``xs`` sorted, with their weights ``ws`` and risk exponents ``rs``; ``order[k]`` is
    the actor at sorted place ``k``, and the results are in the actors' order. For sorted places
    ``lo < hi`` the voters for ``xs[lo]`` are the first ``t``; ``t`` never decreases as ``hi``
    grows, so one pointer per ``lo`` finds every ``t``: O(n^2) in all.
    """
    n = xs.size
    s = _prefix_sums(xs, ws, rs, delta)
    support = np.zeros((n, n))
    contest = np.zeros((n, n))
    for lo in range(n):
        t = 0
        x_lo = xs[lo]
        for hi in range(lo + 1, n):
            x_hi = xs[hi]
            if x_hi == x_lo:
                continue  # every vote on the pair is zero
            while t < n and (xs[t] <= x_lo or np.abs(xs[t] - x_lo) < np.abs(xs[t] - x_hi)):
                t += 1
            for_lo = max(0.0, s[t, hi] - s[t, lo])
            for_hi = max(0.0, (s[n, lo] - s[t, lo]) - (s[n, hi] - s[t, hi]))
            a, b = order[lo], order[hi]
            support[a, b] = for_lo
            support[b, a] = for_hi
            contest[a, b] = contest[b, a] = for_lo + for_hi
    return support, contest


@numba.njit(cache=True, error_model="numpy")
def challenge_kernel(
    x: FloatArray,
    s: FloatArray,
    p: FloatArray,
    r: FloatArray,
    delta: float,
    mu: float,
    q: float,
    t: float,
    their_view: bool,
) -> tuple[FloatArray, FloatArray]:
    """Step 5 for every pair: ``own[i, j] = EU_i(i -> j)`` and ``their[i, j] = EU_i(j -> i)``.

    :func:`~burdenshare.forecasting.bdm_formulas.expected_utility` written out per pair, each
    operation in the same order, with ``d = |x_i - x_j| / delta``, ``i``'s risk exponent, the
    target's salience (``s_j``, resp. ``s_i``), ``P = p[i, j]`` (resp. ``p[j, i]``) and ``e``
    of the challenger. Both views share ``U_s`` and ``U_f``. ``their`` is empty unless
    ``their_view``.
    """
    n = x.size
    own = np.empty((n, n))
    their = np.empty((n, n) if their_view else (0, 0))
    for i in range(n):
        ri = r[i]
        usq = 2.0 - 4.0 * 0.5**ri
        for j in range(n):
            d = np.abs(x[i] - x[j]) / delta
            us = 2.0 - 4.0 * _power(max(0.5 - 0.5 * d, 0.0), ri)
            uf = 2.0 - 4.0 * _power(0.5 + 0.5 * d, ri)
            pij = p[i, j]
            eu = s[j] * (pij * us + (1.0 - pij) * uf) + (1.0 - s[j]) * us - q * usq
            if q < 1.0:
                e = 0.25 * (np.abs(x[i] - mu) + d * delta) / delta
                ub = 2.0 - 4.0 * max(0.5 - e, 0.0) ** ri
                uw = 2.0 - 4.0 * (0.5 + e) ** ri
                eu = eu - (1.0 - q) * (t * ub + (1.0 - t) * uw)
            own[i, j] = eu
            if their_view:
                pji = p[j, i]
                eu = s[i] * (pji * us + (1.0 - pji) * uf) + (1.0 - s[i]) * us - q * usq
                if q < 1.0:
                    e = 0.25 * (np.abs(x[j] - mu) + d * delta) / delta
                    ub = 2.0 - 4.0 * max(0.5 - e, 0.0) ** ri
                    uw = 2.0 - 4.0 * (0.5 + e) ** ri
                    eu = eu - (1.0 - q) * (t * ub + (1.0 - t) * uw)
                their[i, j] = eu
    return own, their
