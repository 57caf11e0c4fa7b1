"""The utilitarian solution: maximise the sum of utilities over the rational part of the frontier.

``max u1 + u2`` subject to ``u >= d`` [Harsanyi1955]_. Like the egalitarian solution it needs
utilities measured in a common unit (it is not invariant to rescaling one party), and it ignores
how the total is split, so it is rarely unique on a linear frontier. Ties are broken towards equal
gains ``u1 - d1 = u2 - d2`` [Kalai1977]_.

Algorithm: on a piecewise-linear frontier the sum is maximised at a vertex, so evaluate the
vertices (and, on a segment of tied vertices, pick its most equal point); on a callable frontier
maximise numerically and polish with the first-order condition ``f'(u1) = -1``.

.. [Harsanyi1955] J. C. Harsanyi, "Cardinal welfare, individualistic ethics, and interpersonal
   comparisons of utility", *Journal of Political Economy* 63 (1955) 309-321.
.. [Kalai1977] E. Kalai, "Proportional solutions to bargaining situations: interpersonal utility
   comparisons", *Econometrica* 45 (1977) 1623-1630.

>>> from burdenshare.solutions import Frontier, utilitarian_on_frontier
>>> utilitarian_on_frontier(Frontier.from_points([0, 0.7, 0.9], [1, 0.6, 0]), (0, 0))
UtilityPoint(u1=0.7, u2=0.6)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from burdenshare.solutions import _numeric, _validate
from burdenshare.solutions._discrete import argbest, feasible_arrays
from burdenshare.solutions.frontier import Frontier, UtilityPoint

__all__ = ["utilitarian_discrete", "utilitarian_on_frontier"]


def utilitarian_on_frontier(frontier: Frontier, d: Sequence[float]) -> UtilityPoint | None:
    """The rational frontier point with the largest ``u1 + u2`` (most equal gains on ties)."""
    d1, d2 = _validate.point("d", d)
    ir = frontier.restricted((d1, d2))
    if ir is None:
        return None
    if ir.vertices is not None:
        return _utilitarian_polyline(ir, d1, d2)
    f = ir.function
    assert f is not None
    lo, hi = ir.u1_min, ir.u1_max

    def foc(x: float) -> float | None:
        s = _numeric.slope(f, x, lo, hi)
        return None if s is None else 1.0 + s

    def total(x: float) -> float:
        return x + f(x)

    x = _numeric.maximise(total, foc, lo, hi)
    return ir.point_at(_break_ties_callable(total, x, ir, d1, d2))


def utilitarian_discrete(u1: ArrayLike, u2: ArrayLike, d: Sequence[float]) -> int | None:
    """Index of the rational outcome with the largest ``u1 + u2`` (None if none).

    Ties go to the larger ``min(u1 - d1, u2 - d2)``, then the lower index.

    >>> utilitarian_discrete([0.9, 0.5, 0.3], [0.0, 0.5, 0.3], (0.0, 0.0))
    1
    """
    a, b, idx, (d1, d2) = feasible_arrays(u1, u2, d)
    if idx.size == 0:
        return None
    return argbest(idx, a[idx] + b[idx], np.minimum(a[idx] - d1, b[idx] - d2))


def _utilitarian_polyline(ir: Frontier, d1: float, d2: float) -> UtilityPoint:
    x, y = ir.vertex_arrays()
    total = x + y
    best = float(total.max())
    tied = total >= best - 1e-12 * (1.0 + abs(best))
    candidates = [(float(x[i]), float(y[i])) for i in np.flatnonzero(tied)]
    for i in range(x.size - 1):
        if tied[i] and tied[i + 1]:
            # the whole segment is optimal: take its point with equal gains, if inside
            a1, a2, b1, b2 = x[i], y[i], x[i + 1], y[i + 1]
            s = (b2 - a2) / (b1 - a1)
            # a2 + s (t - a1) - d2 = t - d1
            t = (a2 - d2 - s * a1 + d1) / (1.0 - s)
            if a1 < t < b1:
                candidates.append((float(t), float(a2 + s * (t - a1))))
    u = max(candidates, key=lambda c: min(c[0] - d1, c[1] - d2))
    return UtilityPoint(u[0], u[1])


def _break_ties_callable(
    total: Callable[[float], float], x: float, ir: Frontier, d1: float, d2: float
) -> float:
    """Move a maximiser of ``total`` towards equal gains along a flat stretch of optimal points.

    A flat stretch is recognised when at least two points of a 129-point grid tie with the
    maximum; otherwise the (unique, polished) maximiser is returned unchanged.
    """
    best = total(x)
    tol = 1e-12 * (1.0 + abs(best))
    grid = np.linspace(ir.u1_min, ir.u1_max, 129)
    if int(np.sum([total(float(g)) >= best - tol for g in grid])) < 2:
        return x
    equal = _numeric.root(lambda t: ir.u2_at(t) - d2 - (t - d1), ir.u1_min, ir.u1_max)
    if total(equal) >= best - tol:
        return equal
    good, bad = x, equal
    for _ in range(200):
        mid = 0.5 * (good + bad)
        if mid in (good, bad):
            break
        if total(mid) >= best - tol:
            good = mid
        else:
            bad = mid
    return good
