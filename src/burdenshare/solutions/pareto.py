"""Pareto-optimal (non-dominated) outcomes, vectorised.

An outcome ``u`` is *dominated* by ``v`` when ``v_i >= u_i`` for every party and ``v_j > u_j`` for
at least one (all parties maximise). The Pareto set is what no party would veto in favour of a
unanimous alternative; bargaining solutions pick a point from it [Pareto1906]_, [Kalai1977]_.

Two algorithms:

1. *two parties*: sort lexicographically by ``(u1 descending, u2 descending)``; a point survives iff
   it has the largest ``u2`` among points with the same ``u1`` and strictly more ``u2`` than every
   point with larger ``u1`` (a running maximum). ``O(n log n)``.
2. *k parties*: compare every point with every other, one block of rows at a time so that memory
   stays bounded (``O(n^2 k)`` work, fully vectorised).

Exact duplicates of a non-dominated vector are all kept: none of them dominates the others.

.. [Pareto1906] V. Pareto, *Manuale di economia politica* (1906).
.. [Kalai1977] E. Kalai, "Proportional solutions to bargaining situations", *Econometrica* 45
   (1977) 1623-1630.

>>> import numpy as np
>>> from burdenshare.solutions import pareto_mask, pareto_frontier_2d
>>> U = np.array([[1.0, 0.0], [0.5, 0.5], [0.4, 0.4], [0.0, 1.0], [0.5, 0.5]])
>>> pareto_mask(U).tolist()
[True, True, False, True, True]
>>> pareto_frontier_2d(U[:, 0], U[:, 1]).tolist()
[3, 1, 4, 0]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burdenshare.errors import SolverError

__all__ = ["pareto_frontier_2d", "pareto_mask"]

#: upper bound on the number of pairwise comparisons held in memory at once (k-D path)
_BLOCK_ELEMENTS = 2_000_000


def pareto_mask(U: ArrayLike) -> NDArray[np.bool_]:
    """Boolean mask of the non-dominated rows of an ``(n, k)`` utility array (maximisation).

    Args:
        U: utilities, one row per outcome and one column per party; finite numbers.

    Returns:
        ``mask`` of shape ``(n,)``: ``mask[i]`` is True iff no row dominates row ``i``.
    """
    arr = np.asarray(U, dtype=np.float64)
    if arr.ndim != 2:
        raise SolverError(f"U must be a 2-D array (n outcomes, k parties), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise SolverError("U must contain only finite utilities, got NaN or infinity")
    n, k = arr.shape
    if n == 0:
        return np.zeros(0, dtype=np.bool_)
    if k == 0:
        return np.ones(n, dtype=np.bool_)
    if k == 1:
        return np.asarray(arr[:, 0] == arr[:, 0].max(), dtype=np.bool_)
    if k == 2:
        return _mask_2d(arr[:, 0], arr[:, 1])
    return _mask_blocks(arr)


def pareto_frontier_2d(u1: ArrayLike, u2: ArrayLike) -> NDArray[np.intp]:
    """Indices of the non-dominated points among ``(u1[i], u2[i])``, sorted by ``u1`` ascending.

    Ties in ``u1`` (exact duplicates) keep their original index order.
    """
    a = np.asarray(u1, dtype=np.float64).ravel()
    b = np.asarray(u2, dtype=np.float64).ravel()
    if a.shape != b.shape:
        raise SolverError(f"u1 and u2 must have the same length, got {a.size} and {b.size}")
    mask = pareto_mask(np.column_stack([a, b]))
    idx = np.flatnonzero(mask)
    return idx[np.argsort(a[idx], kind="stable")]


def _mask_2d(u1: NDArray[np.float64], u2: NDArray[np.float64]) -> NDArray[np.bool_]:
    n = u1.size
    order = np.lexsort((-u2, -u1))  # u1 descending, then u2 descending
    s1, s2 = u1[order], u2[order]
    new_group = np.empty(n, dtype=np.bool_)
    new_group[0] = True
    new_group[1:] = s1[1:] != s1[:-1]
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(n), 0))
    running = np.maximum.accumulate(s2)
    # best u2 among points with strictly larger u1
    before = np.where(group_start > 0, running[np.maximum(group_start - 1, 0)], -np.inf)
    keep_sorted = (s2 == s2[group_start]) & (s2 > before)
    mask = np.empty(n, dtype=np.bool_)
    mask[order] = keep_sorted
    return mask


def _mask_blocks(arr: NDArray[np.float64]) -> NDArray[np.bool_]:
    n, k = arr.shape
    rows = max(1, _BLOCK_ELEMENTS // max(1, n * k))
    dominated = np.zeros(n, dtype=np.bool_)
    for start in range(0, n, rows):
        block = arr[start : start + rows]
        ge = np.all(arr[None, :, :] >= block[:, None, :], axis=2)
        gt = np.any(arr[None, :, :] > block[:, None, :], axis=2)
        dominated[start : start + rows] = np.any(ge & gt, axis=1)
    return ~dominated
