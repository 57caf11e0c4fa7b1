"""Issue utilities as numba-friendly tables, step for step those of the one-session code.

Each function here is the compiled twin of a one-value path of
:mod:`burdenshare.preferences.issue_utility` and rounds exactly as it does (numba compiles
without fast-math, so every IEEE step is the same): the engine's kernel calls them, and the engine
contract test requires outcomes identical to :func:`burdenshare.negotiation.run_session`.

- linear: :func:`linear_at`, :func:`linear_inverse_at`, :func:`round_towards_ideal` and
  :func:`clamp_np` are not twins but the very functions of
  :mod:`burdenshare.preferences.issue_utility` (:meth:`NumericUtility.at` and
  :meth:`NumericUtility.inverse_at` call them), compiled;
- piecewise-linear: the knots of ``NumericUtility._knots`` in the signed distance ``t`` from the
  reservation towards the ideal (:func:`piecewise_knots`), then ``__call__`` and ``inverse``
  through them (:func:`piecewise_at`, :func:`piecewise_inverse_at`), with numpy's ``interp``
  rule (:func:`interp`: NumPy's ``arr_interp``, ``numpy/_core/src/multiarray/compiled_base.c``,
  for strictly increasing knots);
- categorical: a score per category (its index in the issue's list) and the categories ranked
  by ``(utility, name)`` (:func:`categorical_table`, built once per party, issue and epoch in
  Python), so :meth:`CategoricalUtility.inverse`'s bisection is :func:`categorical_inverse`.

Integer issues round towards the ideal (``ceil(x - 1e-9)`` or ``floor(x + 1e-9)``, signed zeros
as numpy gives them) and every inverse is clamped into the issue's range as :func:`clamp` does
(numpy's maximum then minimum, NaN kept).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numba
import numpy as np
import numpy.typing as npt
from numba.extending import register_jitable

from burdenshare.preferences import issue_utility
from burdenshare.preferences.issue_utility import CategoricalUtility, NumericUtility
from burdenshare.scenario.model import Issue

__all__ = [
    "CATEGORICAL",
    "LINEAR",
    "PIECEWISE",
    "UtilityTables",
    "categorical_inverse",
    "categorical_table",
    "clamp_np",
    "interp",
    "issue_at",
    "issue_inverse_at",
    "linear_at",
    "linear_inverse_at",
    "numeric_points",
    "piecewise_at",
    "piecewise_inverse_at",
    "piecewise_knots",
    "round_towards_ideal",
    "utility_tables",
]

#: how a party values an issue (the kernel's per party and issue code)
LINEAR, PIECEWISE, CATEGORICAL = 0, 1, 2

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_jit = numba.njit(cache=True, inline="always", error_model="numpy")


# The linear utility is written once, in plain Python (preferences.issue_utility); here numba
# compiles those very functions. register_jitable lets the compiled linear_inverse_at call the
# Python round_towards_ideal and clamp_at it names, compiled too.
register_jitable(inline="always")(issue_utility.round_towards_ideal)
register_jitable(inline="always")(issue_utility.clamp_at)
#: :func:`burdenshare.preferences.issue_utility.linear_at`, compiled
linear_at = _jit(issue_utility.linear_at)
#: :func:`burdenshare.preferences.issue_utility.round_towards_ideal`, compiled
round_towards_ideal = _jit(issue_utility.round_towards_ideal)
#: :func:`burdenshare.preferences.issue_utility.clamp_at`, compiled (numpy's clamp, NaN kept)
clamp_np = _jit(issue_utility.clamp_at)
#: :func:`burdenshare.preferences.issue_utility.linear_inverse_at`, compiled
linear_inverse_at = _jit(issue_utility.linear_inverse_at)


@_jit
def interp(x: float, xp: FloatArray, fp: FloatArray, n: int) -> float:
    """``np.interp(x, xp[:n], fp[:n])`` for one value and strictly increasing ``xp``.

    NumPy's rule: the end values outside the knots; at a knot, its value; inside a segment,
    ``slope (x - xp[j]) + fp[j]`` with ``slope = (fp[j+1] - fp[j]) / (xp[j+1] - xp[j])``, and
    if that is NaN, ``slope (x - xp[j+1]) + fp[j+1]``, then ``fp[j]`` if the two values agree.
    """
    if x != x:
        return x
    if x > xp[n - 1]:
        return float(fp[n - 1])
    if x < xp[0]:
        return float(fp[0])
    j = 0
    while j + 1 < n and x >= xp[j + 1]:
        j += 1
    if j == n - 1 or xp[j] == x:
        return float(fp[j])
    slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
    y = slope * (x - xp[j]) + fp[j]
    if y != y:
        y = slope * (x - xp[j + 1]) + fp[j + 1]
        if y != y and fp[j] == fp[j + 1]:
            y = fp[j]
    return float(y)


@_jit
def piecewise_knots(
    ideal: float,
    res: float,
    px: FloatArray,
    pu: FloatArray,
    n_points: int,
    tk: FloatArray,
    us: FloatArray,
) -> int:
    """Fill ``tk`` and ``us`` with the knots of ``NumericUtility._knots`` (the points sorted by
    their distance from the reservation, stably, between ``(r, 0)`` and ``(i, 1)``), as the
    signed distance ``t = (x - r) sgn`` from the reservation; returns how many (``n_points + 2``).
    """
    sgn = 1.0 if ideal > res else -1.0
    n = n_points + 2
    # a stable insertion sort of the raw points by |x - r| (Python's sorted is stable)
    for k in range(n_points):
        key = abs(px[k] - res)
        m = k + 1
        while m > 1 and abs(tk[m - 1] - res) > key:
            tk[m] = tk[m - 1]
            us[m] = us[m - 1]
            m -= 1
        tk[m] = px[k]
        us[m] = pu[k]
    tk[0] = (res - res) * sgn
    us[0] = 0.0
    for k in range(1, n_points + 1):
        tk[k] = (tk[k] - res) * sgn
    tk[n - 1] = (ideal - res) * sgn
    us[n - 1] = 1.0
    return n


@_jit
def piecewise_at(
    x: float, ideal: float, res: float, tk: FloatArray, us: FloatArray, n: int
) -> float:
    """``float(NumericUtility(...)(x))`` with points: below the reservation the first slope,
    between the knots ``np.interp``, from the ideal on 1."""
    sgn = 1.0 if ideal > res else -1.0
    t = (x - res) * sgn
    inside = interp(t, tk, us, n)
    below_slope = (us[1] - us[0]) / (tk[1] - tk[0])
    out = t * below_slope if t < 0.0 else inside
    return 1.0 if t >= tk[n - 1] else out


@_jit
def piecewise_inverse_at(
    u: float,
    ideal: float,
    res: float,
    tk: FloatArray,
    us: FloatArray,
    n: int,
    integer: bool,
    low: float,
    high: float,
) -> float:
    """``float(NumericUtility(...).inverse(u))`` with points (:meth:`NumericUtility.inverse`)."""
    increasing = ideal > res
    sgn = 1.0 if increasing else -1.0
    ua = u if (u != u or not u > 1.0) else 1.0
    below_slope = (us[1] - us[0]) / (tk[1] - tk[0])
    t = ua / below_slope if ua < 0.0 else interp(ua, us, tk, n)
    x = res + sgn * t
    if integer:
        x = round_towards_ideal(x, increasing)
    return clamp_np(x, low, high)


@_jit
def categorical_inverse(u: float, rank_u: FloatArray, rank_i: IntArray, n: int) -> int:
    """:meth:`CategoricalUtility.inverse` as a category index: the least-ranked category whose
    utility is at least ``min(u, 1, best) - 1e-12`` (Python's ``min`` and ``bisect_left``)."""
    target = u
    if target > 1.0:
        target = 1.0
    if rank_u[n - 1] < target:
        target = rank_u[n - 1]
    key = target - 1e-12
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi) // 2
        if rank_u[mid] < key:
            lo = mid + 1
        else:
            hi = mid
    return int(rank_i[lo if lo < n else n - 1])


def categorical_table(
    part: CategoricalUtility, categories: tuple[str, ...]
) -> tuple[FloatArray, FloatArray, IntArray]:
    """``(utility by category index, utilities ranked ascending, their category indices)``:
    the ranking of :meth:`CategoricalUtility.inverse` (by utility, then by name)."""
    index = {c: k for k, c in enumerate(categories)}
    by_index = np.array([part(c) for c in categories], dtype=np.float64)
    ranked = sorted((part(c), c) for c in categories)
    rank_u = np.array([v for v, _ in ranked], dtype=np.float64)
    rank_i = np.array([index[c] for _, c in ranked], dtype=np.int64)
    return by_index, rank_u, rank_i


def numeric_points(part: NumericUtility) -> tuple[FloatArray, FloatArray]:
    """A piecewise utility's points as two arrays (values, utilities), in the scenario's order."""
    px = np.array([p[0] for p in part.points], dtype=np.float64)
    pu = np.array([p[1] for p in part.points], dtype=np.float64)
    return px, pu


@_jit
def issue_at(
    kind: int,
    x: float,
    ideal: float,
    res: float,
    tk: FloatArray,
    us: FloatArray,
    n: int,
    cat_u: FloatArray,
) -> float:
    """One issue's utility of ``x`` (a category's index on a categorical issue), by ``kind``."""
    if kind == LINEAR:
        return linear_at(x, ideal, res)
    if kind == PIECEWISE:
        return piecewise_at(x, ideal, res, tk, us, n)
    return float(cat_u[int(x)])


@_jit
def issue_inverse_at(
    kind: int,
    u: float,
    ideal: float,
    res: float,
    tk: FloatArray,
    us: FloatArray,
    n: int,
    integer: bool,
    low: float,
    high: float,
    rank_u: FloatArray,
    rank_i: IntArray,
    n_cat: int,
) -> float:
    """The value (a category's index on a categorical issue) with utility ``u``, by ``kind``."""
    if kind == LINEAR:
        return linear_inverse_at(u, ideal, res, integer, low, high)
    if kind == PIECEWISE:
        return piecewise_inverse_at(u, ideal, res, tk, us, n, integer, low, high)
    return float(categorical_inverse(u, rank_u, rank_i, n_cat))


@dataclass(frozen=True)
class UtilityTables:
    """How each party values each issue, for the kernel: ``kind`` ``(P, J)``; a piecewise
    utility's points ``pts_x``, ``pts_u`` ``(P, J, K)`` (``npts`` of them; the same on every
    date: events move reservations, not points); a categorical issue's scores per epoch
    ``cat_u`` and ranking ``rank_u``, ``rank_i`` ``(P, E, J, C)`` (an event may move its
    reservation category), ``ncat`` categories ``(J,)``."""

    kind: IntArray
    pts_x: FloatArray
    pts_u: FloatArray
    npts: IntArray
    cat_u: FloatArray
    rank_u: FloatArray
    rank_i: IntArray
    ncat: IntArray


def utility_tables(
    issues: tuple[Issue, ...],
    parts: Sequence[Sequence[Sequence[NumericUtility | CategoricalUtility]]],
) -> UtilityTables:
    """The tables of ``parts[p][e][j]``: party ``p``'s utility on issue ``j`` in epoch ``e``
    (as :func:`burdenshare.preferences.party_parameters` builds it; only the points and the
    categorical scores are read, which no draw changes)."""
    n_p, n_e, n_j = len(parts), len(parts[0]), len(issues)
    n_k = max([len(getattr(u, "points", ())) for ps in parts for u in ps[0]] + [1])
    cats = [tuple(i.values or ()) if i.kind == "categorical" else () for i in issues]
    n_c = max([len(c) for c in cats] + [1])
    kind = np.zeros((n_p, n_j), dtype=np.int64)
    pts_x, pts_u = np.zeros((n_p, n_j, n_k)), np.zeros((n_p, n_j, n_k))
    npts = np.zeros((n_p, n_j), dtype=np.int64)
    cat_u, rank_u = np.zeros((n_p, n_e, n_j, n_c)), np.zeros((n_p, n_e, n_j, n_c))
    rank_i = np.zeros((n_p, n_e, n_j, n_c), dtype=np.int64)
    for p in range(n_p):
        for j in range(n_j):
            part = parts[p][0][j]
            if isinstance(part, CategoricalUtility):
                kind[p, j] = CATEGORICAL
                for e in range(n_e):
                    pe = parts[p][e][j]
                    assert isinstance(pe, CategoricalUtility)
                    c = len(cats[j])
                    cat_u[p, e, j, :c], rank_u[p, e, j, :c], rank_i[p, e, j, :c] = (
                        categorical_table(pe, cats[j])
                    )
            elif part.points:
                kind[p, j] = PIECEWISE
                px, pu = numeric_points(part)
                pts_x[p, j, : len(px)], pts_u[p, j, : len(pu)] = px, pu
                npts[p, j] = len(px)
    ncat = np.array([len(c) for c in cats], dtype=np.int64)
    return UtilityTables(kind, pts_x, pts_u, npts, cat_u, rank_u, rank_i, ncat)
