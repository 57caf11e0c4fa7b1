"""The Kalai-Smorodinsky solution of N parties on a finite set.

The ideal point ``I`` gives each party the most it gets among the individually rational
outcomes; the solution is the maximal point on the segment from ``d`` to ``I``
[KalaiSmorodinsky1975]_. On a finite set this is the outcome maximising the least proportion of
ideal gain, ``min_i (u_i - d_i) / (I_i - d_i)`` (a party whose ideal equals its disagreement
utility is left out of the minimum).

With more than two parties the maximal point on the segment need not be Pareto optimal (only
weakly: [Roth1979]_ ch. I.5 shows that no N-party solution is both Pareto optimal and
individually monotone for N >= 3). Among the outcomes reaching that least proportion the
largest sum of utilities is returned, which is Pareto optimal on the finite set; the
proportion itself is :func:`kalai_smorodinsky_level`.

Closed form on the N-party split-the-pie with ``d = 0``: ``I = (1, ..., 1)`` and the solution
is equal shares ``1 / N``.

.. [KalaiSmorodinsky1975] E. Kalai and M. Smorodinsky, "Other solutions to Nash's bargaining
   problem", *Econometrica* 43 (1975) 513-518.
.. [Roth1979] A. E. Roth, *Axiomatic Models of Bargaining*, Springer (1979), ch. I.

>>> import numpy as np
>>> shares = np.array([[a, b, 6 - a - b] for a in range(7) for b in range(7 - a)]).T / 6
>>> shares[:, kalai_smorodinsky_point(shares, (0, 0, 0))].round(6).tolist()
[0.333333, 0.333333, 0.333333]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from burdenshare.solutions.nparty import _arrays
from burdenshare.solutions.nparty._arrays import FloatArray

__all__ = ["ideal_point_n", "kalai_smorodinsky_level", "kalai_smorodinsky_point"]


def ideal_point_n(U: ArrayLike, d: ArrayLike) -> FloatArray | None:
    """Each party's best utility among the individually rational outcomes (None if none)."""
    arr, _, idx = _arrays.rational(U, d)
    if idx.size == 0:
        return None
    return np.asarray(arr[:, idx].max(axis=1), dtype=np.float64)


def _ratios(arr: FloatArray, vec: FloatArray, idx: _arrays.IndexArray) -> FloatArray:
    gains = arr[:, idx] - vec[:, None]
    best = gains.max(axis=1)
    ratios = np.full(gains.shape, np.inf)
    for i in np.flatnonzero(best > 0):
        ratios[i] = gains[i] / best[i]
    return np.asarray(ratios.min(axis=0))


def kalai_smorodinsky_point(U: ArrayLike, d: ArrayLike) -> int | None:
    """Index of the rational outcome maximising ``min_i (u_i - d_i) / (I_i - d_i)`` (ties: the
    larger sum of utilities, then the lowest index); None if no outcome is rational."""
    arr, vec, idx = _arrays.rational(U, d)
    if idx.size == 0:
        return None
    return _arrays.argbest(idx, _ratios(arr, vec, idx), arr[:, idx].sum(axis=0))


def kalai_smorodinsky_level(U: ArrayLike, d: ArrayLike) -> float | None:
    """The largest ``t`` such that some rational outcome gives every party at least
    ``d + t (I - d)`` (1 when every party's ideal is its disagreement utility; None if no
    outcome is rational)."""
    arr, vec, idx = _arrays.rational(U, d)
    if idx.size == 0:
        return None
    return float(min(1.0, _ratios(arr, vec, idx).max()))
