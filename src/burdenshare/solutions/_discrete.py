"""Shared plumbing for solutions over a finite set of outcomes (private)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burdenshare.errors import SolverError
from burdenshare.solutions import _validate


def feasible_arrays(
    u1: ArrayLike, u2: ArrayLike, d: Sequence[float]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp], tuple[float, float]]:
    """``(u1, u2, indices of rational outcomes, d)`` after validating the inputs."""
    a = np.asarray(u1, dtype=np.float64).ravel()
    b = np.asarray(u2, dtype=np.float64).ravel()
    if a.shape != b.shape:
        raise SolverError(f"u1 and u2 must have the same length, got {a.size} and {b.size}")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise SolverError("utilities u1 and u2 must be finite, got NaN or infinity")
    point = _validate.point("d", d)
    idx = np.flatnonzero((a >= point[0]) & (b >= point[1]))
    return a, b, idx, point


def argbest(
    idx: NDArray[np.intp], primary: NDArray[np.float64], secondary: NDArray[np.float64]
) -> int:
    """The index in ``idx`` maximising ``primary``, then ``secondary``, then lowest position."""
    order = np.lexsort((np.arange(idx.size), -secondary, -primary))
    return int(idx[order[0]])
