"""Shared checks for the N-party solutions (private): a ``(P, G)`` utility array, a
disagreement vector of length ``P``, the individually rational outcomes, and tie-breaking."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burdenshare.errors import SolverError

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]


def utilities(U: ArrayLike) -> FloatArray:
    """``U`` as a finite float array of shape ``(P, G)`` with ``P >= 1``."""
    arr = np.asarray(U, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] < 1:
        raise SolverError(
            f"U must be a 2-D array (P parties, G outcomes), got shape {np.shape(arr)}"
        )
    if not np.all(np.isfinite(arr)):
        raise SolverError("U must contain only finite utilities, got NaN or infinity")
    return arr


def disagreement(d: ArrayLike, parties: int) -> FloatArray:
    """``d`` as a finite vector of one utility per party."""
    vec = np.asarray(d, dtype=np.float64).ravel()
    if vec.size != parties:
        raise SolverError(f"d must hold one utility per party ({parties}), got {vec.size}")
    if not np.all(np.isfinite(vec)):
        raise SolverError(f"d must hold finite utilities, got {vec.tolist()!r}")
    return vec


def weights(w: ArrayLike | None, parties: int) -> FloatArray:
    """Bargaining weights, one per party, each > 0, normalised to sum to 1 (equal if None)."""
    if w is None:
        return np.full(parties, 1.0 / parties)
    vec = np.asarray(w, dtype=np.float64).ravel()
    if vec.size != parties:
        raise SolverError(f"weights must hold one number per party ({parties}), got {vec.size}")
    if not np.all(np.isfinite(vec)) or np.any(vec <= 0):
        raise SolverError(f"weights must be finite and > 0, got {vec.tolist()!r}")
    return np.asarray(vec / vec.sum(), dtype=np.float64)


def rational(U: ArrayLike, d: ArrayLike) -> tuple[FloatArray, FloatArray, IndexArray]:
    """``(U, d, indices of the outcomes with u_i >= d_i for every party)``."""
    arr = utilities(U)
    vec = disagreement(d, arr.shape[0])
    idx = np.flatnonzero(np.all(arr >= vec[:, None], axis=0))
    return arr, vec, idx


def argbest(idx: IndexArray, primary: FloatArray, secondary: FloatArray) -> int:
    """The index in ``idx`` maximising ``primary``, then ``secondary``, then lowest position."""
    order = np.lexsort((np.arange(idx.size), -secondary, -primary))
    return int(idx[order[0]])
