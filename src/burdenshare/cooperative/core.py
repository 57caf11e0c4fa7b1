"""The core of a cost game: allocations no coalition can undercut by serving itself alone.

An allocation x (sum c(N)) is in the core when ``x(S) <= c(S)`` for every coalition S (the
stand-alone cost test; by efficiency the same as the incremental cost test
``x(S) >= c(N) - c(N \\ S)``) [Gillies1959]_, [Young1985]_ (ch. 1). The core may be empty; the
*least core* [MPS1979]_ relaxes every constraint by the smallest epsilon that makes it non-empty::

    epsilon* = min { t : x(S) - c(S) <= t for every S other than the empty set and N,
                         x(N) = c(N) }

so the core is non-empty exactly when epsilon* <= 0 (to the tolerance of
:func:`burdenshare.cooperative._lp.tolerance`). :func:`core_ranges` gives, for a non-empty core,
each player's lowest and highest charge over the whole core (2n linear programmes).

.. [Gillies1959] D. B. Gillies, "Solutions to general non-zero-sum games", in A. W. Tucker and
   R. D. Luce (eds.), *Contributions to the Theory of Games IV*, Princeton (1959) 47-85.
.. [MPS1979] M. Maschler, B. Peleg and L. S. Shapley, "Geometric properties of the kernel,
   nucleolus and related solution concepts", *Mathematics of Operations Research* 4(4) (1979)
   303-338 (the least core, section 2).
.. [Young1985] H. P. Young (ed.), *Cost Allocation: Methods, Principles, Applications*,
   North-Holland (1985).

>>> from burdenshare.cooperative.game import CostGame
>>> g = CostGame.from_array(("A", "B", "C"), [0, 1, 1, 1, 1, 1, 1, 2])
>>> round(least_core_epsilon(g), 9)   # x_i + x_j <= 1 + t for all pairs, sum 2: t = 1/3
0.333333333
>>> print(core_ranges(g))
None
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from burdenshare.cooperative._lp import coalition_sums, incidence, solve, tolerance
from burdenshare.cooperative.game import CostGame

__all__ = ["core_ranges", "in_core", "least_core_epsilon"]


def least_core_epsilon(game: CostGame) -> float:
    """epsilon* of the least core [MPS1979]_ (> 0: the core is empty)."""
    n = game.n
    masks, rows = incidence(n)
    scale = max(1.0, float(np.max(game.costs)))
    res = solve(
        c=np.r_[np.zeros(n), 1.0],
        A_ub=np.c_[rows, -np.ones(len(masks))],
        b_ub=game.costs[masks] / scale,
        A_eq=np.r_[np.ones(n), 0.0][None, :],
        b_eq=[game.total / scale],
        bounds=[(None, None)] * (n + 1),
    )
    return float(res.x[n]) * scale


def in_core(game: CostGame, x: Sequence[float] | NDArray[np.float64]) -> bool:
    """Whether x is efficient and no coalition pays more than its stand-alone cost."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.shape != (game.n,) or not np.all(np.isfinite(arr)):
        return False
    tol = tolerance(game)
    sums = coalition_sums(arr)
    return bool(abs(sums[-1] - game.total) <= tol and np.all(sums <= game.costs + tol))


def core_ranges(game: CostGame) -> tuple[tuple[float, float], ...] | None:
    """Each player's (lowest, highest) charge over the core; None if the core is empty."""
    if least_core_epsilon(game) > tolerance(game):
        return None
    n = game.n
    masks, rows = incidence(n)
    scale = max(1.0, float(np.max(game.costs)))
    out = []
    for i in range(n):
        ends = []
        for sign in (1.0, -1.0):
            objective = np.zeros(n)
            objective[i] = sign
            res = solve(
                c=objective,
                A_ub=rows,
                b_ub=game.costs[masks] / scale,
                A_eq=np.ones((1, n)),
                b_eq=[game.total / scale],
                bounds=[(None, None)] * n,
            )
            ends.append(float(res.x[i]) * scale + 0.0)  # no -0.0
        out.append((ends[0], ends[1]))
    return tuple(out)
