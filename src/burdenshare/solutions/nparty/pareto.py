"""The Pareto set of N parties: the non-dominated outcomes, and the frontier's extreme points.

An outcome ``u`` is *dominated* by ``v`` when ``v_i >= u_i`` for every party and ``v_j > u_j``
for at least one [Pareto1906]_. With ``P`` parties the Pareto frontier of a convex problem is a
``(P - 1)``-dimensional surface (for three parties, a curved triangle-like sheet in utility
space whose corners are the *extreme points*: the best outcome for each party among the
non-dominated ones) [Roth1979]_.

Algorithm (:func:`pareto_set`), the sort-filter-skyline method [Chomicki2003]_:

1. keep the outcomes with ``u >= d`` (when ``d`` is given);
2. sort them by the sum of utilities, descending (ties: lexicographically descending). An
   outcome can only be dominated by one earlier in this order, since a dominating outcome has
   a strictly larger sum;
3. sweep the sorted outcomes a block at a time: an outcome survives iff no survivor of the
   earlier blocks and no outcome of its own block dominates it; domination is transitive, so
   comparing with the survivors is enough. Cost ``O(G F P)`` for ``F`` survivors.

Exact duplicates of a non-dominated vector are all kept: none dominates the others.

.. [Pareto1906] V. Pareto, *Manuale di economia politica* (1906).
.. [Roth1979] A. E. Roth, *Axiomatic Models of Bargaining*, Springer (1979), ch. I.
.. [Chomicki2003] J. Chomicki, P. Godfrey, J. Gryz and D. Liang, "Skyline with presorting",
   *Proc. 19th ICDE* (2003) 717-719.

>>> import numpy as np
>>> U = np.array([[1.0, 0.0, 0.0, 0.3, 0.2], [0.0, 1.0, 0.0, 0.3, 0.2], [0.0, 0.0, 1.0, 0.3, 0.2]])
>>> pareto_set(U).tolist()
[0, 1, 2, 3]
>>> extreme_points(U, pareto_set(U)).tolist()
[0, 1, 2]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burdenshare.solutions.nparty import _arrays
from burdenshare.solutions.nparty._arrays import FloatArray, IndexArray

BoolArray = NDArray[np.bool_]

__all__ = ["extreme_points", "pareto_set"]

#: outcomes compared at once with the survivors (bounds the memory of one comparison)
_BLOCK = 256


def pareto_set(U: ArrayLike, d: ArrayLike | None = None) -> IndexArray:
    """Indices (ascending) of the non-dominated outcomes of ``U`` (shape ``(P, G)``), among
    those with ``u >= d`` when ``d`` is given."""
    arr = _arrays.utilities(U)
    if d is None:
        idx = np.arange(arr.shape[1], dtype=np.intp)
    else:
        arr, _, idx = _arrays.rational(arr, d)
    if idx.size == 0:
        return idx
    X = arr[:, idx].T  # (n, P)
    keys = [X[:, j] for j in range(X.shape[1] - 1, -1, -1)]
    order = np.lexsort((*(-k for k in keys), -X.sum(axis=1)))
    S = X[order]
    kept: list[int] = []
    front = np.empty((0, X.shape[1]))
    for start in range(0, S.shape[0], _BLOCK):
        block = S[start : start + _BLOCK]
        alive = ~(_dominated_by(front, block) | _dominated_by(block, block))
        kept.extend(int(start + i) for i in np.flatnonzero(alive))
        front = S[kept]
    return np.sort(idx[order[kept]])


def _dominated_by(front: FloatArray, block: FloatArray) -> BoolArray:
    """For each row of ``block`` (``(n, P)``), whether some row of ``front`` dominates it."""
    if front.shape[0] == 0:
        return np.zeros(block.shape[0], dtype=np.bool_)
    ge = np.all(front[None, :, :] >= block[:, None, :], axis=2)
    gt = np.any(front[None, :, :] > block[:, None, :], axis=2)
    return np.asarray(np.any(ge & gt, axis=1))


def extreme_points(U: ArrayLike, indices: ArrayLike) -> IndexArray:
    """For each party, the outcome among ``indices`` (say, the Pareto set) that is best for
    it (ties: the larger sum of utilities, then the lowest index): the frontier's corners.

    Returns one index per party, in party order (empty if ``indices`` is empty).
    """
    arr = _arrays.utilities(U)
    idx = np.asarray(indices, dtype=np.intp).ravel()
    if idx.size == 0:
        return np.zeros(0, dtype=np.intp)
    sub = arr[:, idx]
    total = sub.sum(axis=0)
    return np.array([_arrays.argbest(idx, sub[i], total) for i in range(arr.shape[0])])
