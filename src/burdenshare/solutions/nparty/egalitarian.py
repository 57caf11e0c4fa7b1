"""The egalitarian solution of N parties on a finite set: equal absolute gains.

Maximise ``min_i (u_i - d_i)`` over the individually rational outcomes [Kalai1977]_ (ties: the
larger sum of utilities, then the lowest index, which makes the answer Pareto optimal on the
finite set). It compares gains across parties, so it needs utilities in a common unit (it is
not invariant to rescaling one party). On the N-party split-the-pie with ``d = 0`` it gives
equal shares ``1 / N``.

.. [Kalai1977] E. Kalai, "Proportional solutions to bargaining situations: interpersonal
   utility comparisons", *Econometrica* 45 (1977) 1623-1630.

>>> import numpy as np
>>> egalitarian_point(np.array([[0.8, 0.5, 0.4], [0.2, 0.5, 0.4], [0.0, 0.4, 0.4]]), (0, 0, 0))
1
"""

from __future__ import annotations

from numpy.typing import ArrayLike

from burdenshare.solutions.nparty import _arrays

__all__ = ["egalitarian_point"]


def egalitarian_point(U: ArrayLike, d: ArrayLike) -> int | None:
    """Index of the rational outcome of ``U`` (``(P, G)``) with the largest least gain over
    ``d``; None if no outcome is rational."""
    arr, vec, idx = _arrays.rational(U, d)
    if idx.size == 0:
        return None
    gains = arr[:, idx] - vec[:, None]
    return _arrays.argbest(idx, gains.min(axis=0), arr[:, idx].sum(axis=0))
