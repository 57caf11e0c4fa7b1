"""The Kalai-Smorodinsky solution: equal proportions of each party's ideal gain.

The ideal (utopia) point ``I`` gives each party the most it can get on the frontier while the other
still gets its disagreement utility: ``I1 = max{u1 : u2 >= d2}``, ``I2 = max{u2 : u1 >= d1}``. The
solution is the Pareto point on the segment from ``d`` to ``I`` [KalaiSmorodinsky1975]_. It
replaces Nash's independence of irrelevant alternatives with *individual monotonicity* and, like
Nash, is invariant to positive affine rescaling of each party's utility.

Algorithm (:func:`kalai_smorodinsky_on_frontier`): restrict to ``u >= d``; compute ``I``; find the
``t`` in ``[0, 1]`` with ``f(d1 + t (I1 - d1)) = d2 + t (I2 - d2)`` by Brent's method (to about
1e-15; exact on a piecewise-linear frontier up to rounding).

.. [KalaiSmorodinsky1975] E. Kalai and M. Smorodinsky, "Other solutions to Nash's bargaining
   problem", *Econometrica* 43 (1975) 513-518.

>>> from burdenshare.solutions import Frontier, kalai_smorodinsky_on_frontier
>>> p = kalai_smorodinsky_on_frontier(Frontier.from_function(lambda u: 1 - u**2, 0, 1), (0, 0))
>>> round(p.u1, 12), round(p.u2, 12)
(0.61803398875, 0.61803398875)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from burdenshare.solutions import _numeric, _validate
from burdenshare.solutions._discrete import argbest, feasible_arrays
from burdenshare.solutions.frontier import Frontier, UtilityPoint

__all__ = ["ideal_point", "kalai_smorodinsky_discrete", "kalai_smorodinsky_on_frontier"]


def ideal_point(frontier: Frontier, d: Sequence[float]) -> UtilityPoint | None:
    """The ideal point ``(max u1 s.t. u2 >= d2, max u2 s.t. u1 >= d1)`` (None if none is rational).

    >>> ideal_point(Frontier.linear(), (0.2, 0.1))
    UtilityPoint(u1=0.9, u2=0.8)
    """
    ir = frontier.restricted(_validate.point("d", d))
    if ir is None:
        return None
    return UtilityPoint(ir.u1_max, ir.u2_max)


def kalai_smorodinsky_on_frontier(frontier: Frontier, d: Sequence[float]) -> UtilityPoint | None:
    """The Kalai-Smorodinsky point of the frontier for disagreement point ``d`` (None if none)."""
    d1, d2 = _validate.point("d", d)
    ir = frontier.restricted((d1, d2))
    if ir is None:
        return None
    i1, i2 = ir.u1_max, ir.u2_max
    if ir.u1_min == ir.u1_max:
        return ir.point_at(ir.u1_min)
    lo = ir.u1_min

    def gap(t: float) -> float:
        x = d1 + t * (i1 - d1)
        return ir.u2_at(max(x, lo)) - (d2 + t * (i2 - d2))

    t = _numeric.root(gap, 0.0, 1.0)
    u1 = min(max(d1 + t * (i1 - d1), lo), i1)
    return ir.point_at(u1)


def kalai_smorodinsky_discrete(u1: ArrayLike, u2: ArrayLike, d: Sequence[float]) -> int | None:
    """Index of the rational outcome maximising ``min_i (u_i - d_i) / (I_i - d_i)`` (None if none).

    ``I`` is the ideal point of the rational outcomes; a party whose ideal equals its disagreement
    utility is ignored in the minimum. Ties go to the larger utility sum, then the lower index.

    >>> kalai_smorodinsky_discrete([1.0, 0.5, 0.0], [0.0, 0.5, 1.0], (0.0, 0.0))
    1
    """
    a, b, idx, (d1, d2) = feasible_arrays(u1, u2, d)
    if idx.size == 0:
        return None
    g1, g2 = a[idx] - d1, b[idx] - d2
    r1 = g1 / g1.max() if g1.max() > 0 else np.full(idx.size, np.inf)
    r2 = g2 / g2.max() if g2.max() > 0 else np.full(idx.size, np.inf)
    return argbest(idx, np.minimum(r1, r2), a[idx] + b[idx])
