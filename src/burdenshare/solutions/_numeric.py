"""Numerical helpers for frontiers given as callables (private).

Maximising a smooth objective by comparing its values can only locate the maximiser to about
``sqrt(machine epsilon) ~ 1e-8``, because values near a maximum are flat. So :func:`maximise`
first brackets the maximiser (grid, then Brent's bounded method) and then *polishes* it by
finding the root of the first-order condition (which is not flat) with Brent's root finder, using
a fourth-order central difference for the frontier's slope. The polished point is kept only if it
is at least as good as every other candidate.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy.optimize import brentq, minimize_scalar

_GRID = 129
_EPS = float(np.finfo(np.float64).eps)


def slope(f: Callable[[float], float], x: float, lo: float, hi: float) -> float | None:
    """``f'(x)`` by a 5-point central difference inside ``[lo, hi]`` (None if too close)."""
    span = hi - lo
    h = min(1e-3 * span, (x - lo) / 2.0, (hi - x) / 2.0)
    if not h > 1e-7 * max(span, 1.0):
        return None
    return (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h)


def maximise(
    objective: Callable[[float], float],
    foc: Callable[[float], float | None] | None,
    lo: float,
    hi: float,
) -> float:
    """A maximiser of ``objective`` on ``[lo, hi]``.

    ``foc`` is the first-order condition (zero at an interior maximum, None where it cannot be
    evaluated); it is only used to polish the estimate.
    """
    if not lo < hi:
        return lo
    grid = np.linspace(lo, hi, _GRID)
    values = np.array([objective(float(x)) for x in grid])
    i = int(np.argmax(values))
    a, b = float(grid[max(i - 1, 0)]), float(grid[min(i + 1, _GRID - 1)])
    res = minimize_scalar(
        lambda x: -objective(float(x)), bounds=(a, b), method="bounded", options={"xatol": 1e-14}
    )
    candidates = [float(grid[i]), float(res.x)]
    best = max(candidates, key=objective)
    if foc is None:
        return best
    polished = _polish(foc, best, a, b, hi - lo)
    if polished is None:
        return best
    top = objective(best)
    mine = objective(polished)
    if mine >= top - 8 * _EPS * (abs(top) + 1.0):
        return polished
    return best


def _polish(
    foc: Callable[[float], float | None], x: float, a: float, b: float, span: float
) -> float | None:
    for width in (1e-7 * span, 1e-5 * span, 1e-3 * span):
        pa, pb = max(a, x - width), min(b, x + width)
        fa, fb = foc(pa), foc(pb)
        if fa is None or fb is None or not (math.isfinite(fa) and math.isfinite(fb)):
            return None
        if fa == 0.0:
            return pa
        if fb == 0.0:
            return pb
        if fa * fb < 0:
            return float(brentq(lambda t: _value(foc, t), pa, pb, xtol=1e-15, rtol=4 * _EPS))
    return None


def _value(foc: Callable[[float], float | None], t: float) -> float:
    out = foc(t)
    return 0.0 if out is None else out


def root(g: Callable[[float], float], lo: float, hi: float) -> float:
    """Root of a continuous decreasing ``g`` on ``[lo, hi]``, clamped to the end points."""
    glo = g(lo)
    if glo <= 0.0:
        return lo
    ghi = g(hi)
    if ghi >= 0.0:
        return hi
    return float(brentq(g, lo, hi, xtol=1e-15, rtol=4 * _EPS, maxiter=500))
