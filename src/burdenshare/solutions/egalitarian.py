"""The egalitarian solution: equal absolute gains over the disagreement point.

Maximise ``min(u1 - d1, u2 - d2)``; on a frontier this is the point where ``u1 - d1 = u2 - d2``
[Kalai1977]_. Unlike Nash and Kalai-Smorodinsky it compares utility *gains* across parties, so it
is not invariant to rescaling either party's utility: use it only when utilities share a common
unit (e.g. money, or cost shares on the same budget scale). When the frontier ends before reaching
the 45-degree line through ``d``, the solution is the frontier end point nearest to it (the
lexicographic-maximin refinement, which is Pareto optimal).

.. [Kalai1977] E. Kalai, "Proportional solutions to bargaining situations: interpersonal utility
   comparisons", *Econometrica* 45 (1977) 1623-1630.

>>> from burdenshare.solutions import Frontier, egalitarian_on_frontier
>>> egalitarian_on_frontier(Frontier.linear(), (0.2, 0.0))
UtilityPoint(u1=0.6, u2=0.4)
"""

from __future__ import annotations

from collections.abc import Sequence

from numpy.typing import ArrayLike

from burdenshare.solutions import _numeric, _validate
from burdenshare.solutions._discrete import argbest, feasible_arrays
from burdenshare.solutions.frontier import Frontier, UtilityPoint

__all__ = ["egalitarian_discrete", "egalitarian_on_frontier"]


def egalitarian_on_frontier(frontier: Frontier, d: Sequence[float]) -> UtilityPoint | None:
    """The frontier point with ``u1 - d1 = u2 - d2`` (or the nearest end point); None if none."""
    d1, d2 = _validate.point("d", d)
    ir = frontier.restricted((d1, d2))
    if ir is None:
        return None
    u1 = _numeric.root(lambda x: ir.u2_at(x) - d2 - (x - d1), ir.u1_min, ir.u1_max)
    return ir.point_at(u1)


def egalitarian_discrete(u1: ArrayLike, u2: ArrayLike, d: Sequence[float]) -> int | None:
    """Index of the rational outcome maximising ``min(u1 - d1, u2 - d2)`` (None if none).

    Ties go to the larger utility sum (leximin), then the lower index.

    >>> egalitarian_discrete([0.8, 0.5, 0.6], [0.2, 0.5, 0.6], (0.0, 0.0))
    2
    """
    a, b, idx, (d1, d2) = feasible_arrays(u1, u2, d)
    if idx.size == 0:
        return None
    gains_min = (a[idx] - d1).clip(max=b[idx] - d2)
    return argbest(idx, gains_min, a[idx] + b[idx])
