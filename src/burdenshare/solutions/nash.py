"""The Nash bargaining solution (symmetric and asymmetric).

The Nash solution maximises the (weighted) Nash product over the individually rational set::

    max  (u1 - d1)^alpha * (u2 - d2)^(1 - alpha)   subject to  u on the frontier, u >= d

It is the unique solution satisfying Pareto optimality, symmetry, invariance to positive affine
rescaling of either party's utility and independence of irrelevant alternatives [Nash1950]_
(``alpha = 1/2``); dropping symmetry gives the asymmetric form with bargaining power ``alpha``
[Kalai1977a]_, [Roth1979]_.

Algorithm (:func:`nash_on_frontier`):

1. restrict the frontier to ``u >= d`` (None if empty);
2. piecewise-linear frontier: on a segment ``u2 = a2 + s (u1 - a1)`` (``s < 0``) the product is
   maximised at ``u1 = d1 + alpha * K / |s|`` with ``K = a2 - d2 + s (d1 - a1)`` (the first-order
   condition), clamped to the segment; evaluate every segment's maximiser and keep the best;
3. callable frontier: maximise the log product numerically and polish with the first-order
   condition ``alpha (f(u1) - d2) + (1 - alpha) f'(u1) (u1 - d1) = 0``.

.. [Nash1950] J. F. Nash, "The bargaining problem", *Econometrica* 18 (1950) 155-162.
.. [Kalai1977a] E. Kalai, "Nonsymmetric Nash solutions and replications of 2-person bargaining",
   *International Journal of Game Theory* 6 (1977) 129-133.
.. [Roth1979] A. E. Roth, *Axiomatic Models of Bargaining*, Springer (1979), ch. I.

>>> from burdenshare.solutions import Frontier, nash_pie, nash_on_frontier
>>> round(nash_pie(0.2, 0.1), 12)
0.55
>>> p = nash_on_frontier(Frontier.from_function(lambda u: 1 - u**2, 0.0, 1.0), (0.0, 0.0))
>>> round(p.u1, 9), round(p.u2, 9)
(0.577350269, 0.666666667)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from burdenshare.solutions import _numeric, _validate
from burdenshare.solutions._discrete import argbest, feasible_arrays
from burdenshare.solutions.frontier import Frontier, UtilityPoint

__all__ = ["nash_discrete", "nash_on_frontier", "nash_pie"]


def nash_pie(d1: float, d2: float, alpha: float = 0.5) -> float | None:
    """Party 1's share of a unit pie under the (asymmetric) Nash solution, linear utilities.

    ``x1 = d1 + alpha (1 - d1 - d2)`` [Nash1950]_, [Roth1979]_; None when ``d1 + d2 > 1``.

    >>> round(nash_pie(0.2, 0.1, alpha=0.7), 12)
    0.69
    >>> print(nash_pie(0.6, 0.5))
    None
    """
    a = _validate.finite("d1", d1)
    b = _validate.finite("d2", d2)
    w = _validate.open_unit("alpha", alpha)
    surplus = 1.0 - a - b
    if surplus < 0:
        return None
    return a + w * surplus


def nash_on_frontier(
    frontier: Frontier, d: Sequence[float], alpha: float = 0.5
) -> UtilityPoint | None:
    """The (asymmetric) Nash bargaining solution on a frontier, or None if no point is rational.

    Args:
        frontier: the Pareto frontier.
        d: disagreement point ``(d1, d2)``.
        alpha: party 1's bargaining power, in (0, 1); 1/2 is Nash's symmetric solution.
    """
    w = _validate.open_unit("alpha", alpha)
    d1, d2 = _validate.point("d", d)
    ir = frontier.restricted((d1, d2))
    if ir is None:
        return None
    if ir.u1_min == ir.u1_max:
        return ir.point_at(ir.u1_min)
    if ir.vertices is not None:
        return _nash_polyline(ir, d1, d2, w)
    f = ir.function
    assert f is not None
    lo, hi = ir.u1_min, ir.u1_max

    def log_product(x: float) -> float:
        g1, g2 = x - d1, f(x) - d2
        if g1 <= 0 or g2 <= 0:
            return -math.inf
        return w * math.log(g1) + (1 - w) * math.log(g2)

    def foc(x: float) -> float | None:
        s = _numeric.slope(f, x, lo, hi)
        return None if s is None else w * (f(x) - d2) + (1 - w) * s * (x - d1)

    return ir.point_at(_numeric.maximise(log_product, foc, lo, hi))


def nash_discrete(
    u1: ArrayLike, u2: ArrayLike, d: Sequence[float], alpha: float = 0.5
) -> int | None:
    """Index of the outcome maximising the Nash product among the rational ones (None if none).

    Ties are broken towards the larger utility sum, then the lower index.

    >>> nash_discrete([0.9, 0.6, 0.2], [0.1, 0.5, 0.9], (0.0, 0.0))
    1
    """
    w = _validate.open_unit("alpha", alpha)
    a, b, idx, (d1, d2) = feasible_arrays(u1, u2, d)
    if idx.size == 0:
        return None
    g1, g2 = a[idx] - d1, b[idx] - d2
    product = np.power(g1, w) * np.power(g2, 1 - w)
    return argbest(idx, product, a[idx] + b[idx])


def _nash_polyline(ir: Frontier, d1: float, d2: float, w: float) -> UtilityPoint:
    x, y = ir.vertex_arrays()
    best: tuple[float, float, float] | None = None
    for i in range(x.size - 1):
        a1, a2, b1, b2 = x[i], y[i], x[i + 1], y[i + 1]
        s = (b2 - a2) / (b1 - a1)
        k = a2 - d2 + s * (d1 - a1)
        t = d1 + w * k / -s
        t = min(max(t, a1), b1)
        if t == b1:
            u = (float(b1), float(b2))
        elif t == a1:
            u = (float(a1), float(a2))
        else:
            u = (float(t), float(a2 + s * (t - a1)))
        value = max(u[0] - d1, 0.0) ** w * max(u[1] - d2, 0.0) ** (1 - w)
        if best is None or value > best[0]:
            best = (value, u[0], u[1])
    assert best is not None
    return UtilityPoint(best[1], best[2])
