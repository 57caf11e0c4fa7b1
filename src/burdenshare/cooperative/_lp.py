"""What the core and the nucleolus share: the coalitions as rows of a matrix, the linear
programmes through :func:`scipy.optimize.linprog` (HiGHS), and the tolerance."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from burdenshare.cooperative.game import CostGame
from burdenshare.errors import SolverError

__all__ = ["coalition_sums", "incidence", "solve", "tolerance"]


def incidence(n: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The proper non-empty coalitions' masks (1 .. 2^n - 2) and their 0/1 member matrix."""
    masks = np.arange(1, (1 << n) - 1)
    rows = ((masks[:, None] >> np.arange(n)[None, :]) & 1).astype(np.float64)
    return masks, rows


def coalition_sums(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """x(S) for every mask S = 0 .. 2^n - 1 (doubling: x(S + i) = x(S) + x_i)."""
    out = np.zeros(1 << x.size)
    for i, xi in enumerate(x):
        out[1 << i : 1 << (i + 1)] = out[: 1 << i] + xi
    return out


def tolerance(game: CostGame) -> float:
    """Absolute tolerance for comparing costs: 1e-7 of the game's largest cost (at least 1e-7),
    HiGHS's default feasibility tolerance on the scaled programmes."""
    return 1e-7 * max(1.0, float(np.max(game.costs)))


def solve(**problem: Any) -> Any:
    """``linprog(method="highs")``; a SolverError unless it finds an optimum."""
    from scipy.optimize import linprog

    res = linprog(method="highs", **problem)
    if res.status != 0:
        raise SolverError(f"linear programme not solved: {res.message}")
    return res
