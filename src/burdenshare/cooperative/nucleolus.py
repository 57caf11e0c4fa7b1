"""The nucleolus of a cost game, by a sequence of linear programmes.

The nucleolus [Schmeidler1969]_ is the imputation (efficient, each player charged at most its
stand-alone cost) that lexicographically minimises the largest *excess* ``x(S) - c(S)`` (what a
coalition pays beyond its stand-alone cost), then the next largest, and so on. It exists and is
unique when the imputations exist (sum of c({i}) >= c(N)), lies in the core whenever the core is
non-empty, and is in the least core [MPS1979]_.

Algorithm (the sequential programmes of Maschler, Peleg & Shapley [MPS1979]_ (section 6), with
the fixing rule that avoids the errors listed by Guajardo & Jörnsten [GJ2015]_):

1. scale the costs by the largest, so the programme's tolerances are relative;
2. step k solves ``min t`` subject to ``x(S) - c(S) <= t`` for the coalitions still active,
   ``x(S) - c(S) = t_j`` for the coalitions fixed at earlier steps j, ``x(N) = c(N)`` and
   ``x_i <= c({i})``;
3. the coalitions with a positive dual value are tight in *every* optimum (complementary
   slackness): fix them at ``t_k`` (if the duals single out none, numerically, each tight
   coalition is tested by a programme of its own: fixed if it cannot be made slack);
4. drop from the active set every coalition whose member vector is a combination of the fixed
   ones and N (its excess no longer varies); each step adds at least one independent row, so
   after at most n steps the fixed rows determine x, solved from them by least squares.

.. [Schmeidler1969] D. Schmeidler, "The nucleolus of a characteristic function game", *SIAM
   Journal on Applied Mathematics* 17(6) (1969) 1163-1170.
.. [MPS1979] M. Maschler, B. Peleg and L. S. Shapley, "Geometric properties of the kernel,
   nucleolus and related solution concepts", *Mathematics of Operations Research* 4(4) (1979)
   303-338.
.. [GJ2015] M. Guajardo and K. Jörnsten, "Common mistakes in computing the nucleolus",
   *European Journal of Operational Research* 241(3) (2015) 931-935.

>>> from burdenshare.cooperative.game import cost_game
>>> g = cost_game(("A", "B"), {("A",): 70, ("B",): 40, ("A", "B"): 90})
>>> nucleolus(g).round(6).tolist()
[60.0, 30.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from burdenshare.cooperative._lp import incidence, solve, tolerance
from burdenshare.cooperative.game import CostGame
from burdenshare.errors import ScenarioError, SolverError

__all__ = ["MAX_NUCLEOLUS_PLAYERS", "nucleolus"]

#: most players for the nucleolus and the core (a programme has 2^n - 2 rows; measured with 12
#: players: 0.4 s for the nucleolus, about 3 s for the core's ranges; 16 players: 8 s and 50 s)
MAX_NUCLEOLUS_PLAYERS = 12


def nucleolus(game: CostGame) -> NDArray[np.float64]:
    """The nucleolus [Schmeidler1969]_ (listing order).

    ScenarioError beyond :data:`MAX_NUCLEOLUS_PLAYERS`; SolverError when the game has no
    imputation (the stand-alone costs sum to less than c(N)), where it is not defined.
    """
    n = game.n
    if n > MAX_NUCLEOLUS_PLAYERS:
        raise ScenarioError(
            f"the nucleolus of {n} players is too large to compute exactly",
            field="players",
            expected=f"at most {MAX_NUCLEOLUS_PLAYERS} players for the nucleolus",
        )
    scale = max(1.0, float(np.max(game.costs)))
    costs = game.costs / scale
    stand_alone = np.array(game.stand_alone) / scale
    total = game.total / scale
    tol = tolerance(game) / scale
    if stand_alone.sum() < total - tol:
        raise SolverError(
            "the nucleolus is not defined: the stand-alone costs sum to less than the joint "
            "cost, so no allocation charges every player at most its stand-alone cost"
        )
    masks, rows = incidence(n)
    active = np.ones(len(masks), dtype=bool)
    fixed_rows: list[NDArray[np.float64]] = [np.ones(n)]
    fixed_values: list[float] = [total]
    bounds: list[tuple[float | None, float | None]] = [(None, float(s)) for s in stand_alone]
    bounds.append((None, None))
    for _step in range(n + 1):
        if np.linalg.matrix_rank(np.array(fixed_rows), tol=1e-9) == n:
            break
        idx = np.flatnonzero(active)
        a_eq = np.c_[np.array(fixed_rows), np.zeros(len(fixed_rows))]
        res = solve(
            c=np.r_[np.zeros(n), 1.0],
            A_ub=np.c_[rows[idx], -np.ones(idx.size)],
            b_ub=costs[masks[idx]],
            A_eq=a_eq,
            b_eq=np.array(fixed_values),
            bounds=bounds,
        )
        t = float(res.x[n])
        duals = -np.asarray(res.ineqlin.marginals)
        new = idx[duals > 1e-9]
        if new.size == 0:
            new = _tight_in_every_optimum(
                res.x, t, idx, rows, costs[masks], a_eq, fixed_values, bounds, tol
            )
        for r in new:
            fixed_rows.append(rows[r])
            fixed_values.append(float(costs[masks[r]]) + t)
        active[new] = False
        active &= ~_in_span(rows, np.array(fixed_rows))
    else:  # pragma: no cover - each step adds an independent row
        raise SolverError("the nucleolus programmes did not converge")
    x, *_ = np.linalg.lstsq(np.array(fixed_rows), np.array(fixed_values), rcond=None)
    return np.asarray(x * scale, dtype=np.float64)


def _in_span(rows: NDArray[np.float64], basis_rows: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Which rows are linear combinations of ``basis_rows``."""
    _u, s, vt = np.linalg.svd(basis_rows, full_matrices=False)
    q = vt[s > 1e-9 * s.max()]
    residual = rows - (rows @ q.T) @ q
    return np.asarray(np.linalg.norm(residual, axis=1) <= 1e-9, dtype=np.bool_)


def _tight_in_every_optimum(
    x: NDArray[np.float64],
    t: float,
    idx: NDArray[np.int64],
    rows: NDArray[np.float64],
    costs: NDArray[np.float64],
    a_eq: NDArray[np.float64],
    values: list[float],
    bounds: Sequence[tuple[float | None, float | None]],
    tol: float,
) -> NDArray[np.int64]:
    """The active coalitions tight at x that no optimum with excess level t can make slack."""
    n = rows.shape[1]
    slack = costs[idx] + t - rows[idx] @ x[:n]
    out = []
    a_ub = np.c_[rows[idx], -np.ones(idx.size)]
    for j in np.flatnonzero(slack <= tol):
        res = solve(
            c=np.r_[rows[idx[j]], 0.0],  # maximise the slack: minimise x(S)
            A_ub=a_ub,
            b_ub=costs[idx],
            A_eq=np.r_[a_eq, np.r_[np.zeros(n), 1.0][None, :]],
            b_eq=np.r_[values, t],
            bounds=bounds,
        )
        if costs[idx[j]] + t - float(res.fun) <= tol:
            out.append(idx[j])
    if not out:
        raise SolverError("the nucleolus programmes found no coalition to fix")
    return np.array(out, dtype=np.int64)
