"""The utilitarian solution of N parties on a finite set: the largest sum of utilities.

Maximise ``sum_i u_i`` over the individually rational outcomes [Harsanyi1955]_ (ties: the
larger least gain ``min_i (u_i - d_i)``, [Kalai1977]_, then the lowest index). Like the
egalitarian solution it needs utilities in a common unit; on a linear frontier it is rarely
unique, which the tie-break settles towards equal gains.

.. [Harsanyi1955] J. C. Harsanyi, "Cardinal welfare, individualistic ethics, and interpersonal
   comparisons of utility", *Journal of Political Economy* 63 (1955) 309-321.
.. [Kalai1977] E. Kalai, "Proportional solutions to bargaining situations: interpersonal
   utility comparisons", *Econometrica* 45 (1977) 1623-1630.

>>> import numpy as np
>>> utilitarian_point(np.array([[0.9, 0.5, 0.4], [0.0, 0.5, 0.4], [0.0, 0.1, 0.4]]), (0, 0, 0))
2
"""

from __future__ import annotations

from numpy.typing import ArrayLike

from burdenshare.solutions.nparty import _arrays

__all__ = ["utilitarian_point"]


def utilitarian_point(U: ArrayLike, d: ArrayLike) -> int | None:
    """Index of the rational outcome of ``U`` (``(P, G)``) with the largest sum of utilities;
    None if no outcome is rational."""
    arr, vec, idx = _arrays.rational(U, d)
    if idx.size == 0:
        return None
    gains = arr[:, idx] - vec[:, None]
    return _arrays.argbest(idx, arr[:, idx].sum(axis=0), gains.min(axis=0))
