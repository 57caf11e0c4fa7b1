"""The Pareto frontier of a scenario as a list: one entry per distinct non-dominated utility
vector, with a representative outcome and the number of outcomes that share it.

When every issue is discrete (categorical or integer), the frontier is exact over the whole
outcome space, found without enumerating it by dynamic programming over issues
(:func:`burdenshare.solutions.additive_frontier.additive_frontier`). With a continuous issue it is
the frontier of the analysis grid (:class:`~burdenshare.analysis.problem.BargainingProblem`).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from burdenshare.preferences import CategoricalUtility, NumericUtility, PartyParameters
from burdenshare.preferences.space import CandidateGrid
from burdenshare.scenario.scenario import Scenario
from burdenshare.solutions import pareto_frontier_2d
from burdenshare.solutions.additive_frontier import (
    AdditiveFrontier,
    FrontierSizeError,
    additive_frontier,
)
from burdenshare.solutions.outcome_space import opposition, opposition_in_range

if TYPE_CHECKING:
    from burdenshare.analysis.problem import BargainingProblem

__all__ = [
    "discrete_values",
    "exact_frontier",
    "frontier_grid",
    "opposition_entry",
    "pareto_frontier_entries",
    "sampled_frontier_grid",
    "utility_tables",
]

#: the largest integer issue expanded value by value
_MAX_INTEGER_VALUES = 100_000


def discrete_values(scenario: Scenario) -> list[list[float | str]] | None:
    """Each issue's values, in order, or None if an issue is continuous (or a huge integer one)."""
    out: list[list[float | str]] = []
    for issue in scenario.issues:
        if issue.kind == "categorical":
            out.append(list(issue.values or ()))
        elif issue.kind == "integer":
            assert issue.range is not None
            lo, hi = int(issue.range[0]), int(issue.range[1])
            if hi - lo + 1 > _MAX_INTEGER_VALUES:
                return None
            out.append([float(v) for v in range(lo, hi + 1)])
        else:
            return None
    return out


def utility_tables(
    parties: Sequence[PartyParameters], values: list[list[float | str]]
) -> list[list[npt.NDArray[np.float64]]]:
    """``tables[p][j][k]``: party p's weighted utility of value k of issue j."""
    tables = []
    for party in parties:
        u = party.utility
        rows = []
        for j, vals in enumerate(values):
            part, w = u.parts[j], u.weights[j]
            if isinstance(part, CategoricalUtility):
                row = np.array([w * part(str(v)) for v in vals], dtype=np.float64)
            else:
                assert isinstance(part, NumericUtility)
                row = w * np.asarray(part(np.asarray(vals, dtype=np.float64)), dtype=np.float64)
            rows.append(row)
        tables.append(rows)
    return tables


def exact_frontier(
    parties: Sequence[PartyParameters], values: list[list[float | str]]
) -> AdditiveFrontier | None:
    """The exact frontier by dynamic programming, or None when it is over its size budget
    (:class:`~burdenshare.solutions.additive_frontier.FrontierSizeError`; callers then use the
    analysis grid)."""
    key = tuple(tuple(v) for v in values)
    return _exact_frontier(tuple(parties), key)


@functools.lru_cache(maxsize=8)
def _exact_frontier(
    parties: tuple[PartyParameters, ...], values: tuple[tuple[float | str, ...], ...]
) -> AdditiveFrontier | None:
    # cached: analyze asks for it three times (grid, frontier entries, opposition)
    try:
        return additive_frontier(utility_tables(parties, [list(v) for v in values]))
    except FrontierSizeError:
        return None


def frontier_grid(scenario: Scenario, parties: Sequence[PartyParameters]) -> CandidateGrid | None:
    """A candidate grid holding only the exact Pareto frontier's outcomes (None if an issue is
    continuous or the frontier is over its size budget): enough for every bargaining solution,
    which all lie on the frontier."""
    values = discrete_values(scenario)
    front = None if values is None else exact_frontier(parties, values)
    if values is None or front is None:
        return None
    index = np.asarray(front.outcomes, dtype=np.intp)
    index.flags.writeable = False
    vals = tuple(
        tuple(str(v) for v in vs)
        if scenario.issues[j].kind == "categorical"
        else tuple(float(v) for v in vs)
        for j, vs in enumerate(values)
    )
    return CandidateGrid(issues=scenario.issues, values=vals, index=index)


def sampled_frontier_grid(
    scenario: Scenario,
    parties: Sequence[PartyParameters],
    values: Sequence[tuple[float, ...] | tuple[str, ...]],
) -> CandidateGrid | None:
    """A candidate grid holding the Pareto frontier of the product of ``values`` (each issue's
    sampled values, :func:`burdenshare.preferences.space.sampled_values`), found by dynamic
    programming over issues without forming the product; None if over the size budget.

    For many issues the product is far too large to list (20 issues at their ends alone are
    2^20 outcomes), while the frontier stays small; every solution lies on it."""
    front = exact_frontier(parties, [list(v) for v in values])
    if front is None:
        return None
    index = np.asarray(front.outcomes, dtype=np.intp)
    index.flags.writeable = False
    return CandidateGrid(issues=scenario.issues, values=tuple(values), index=index)


def pareto_frontier_entries(problem: BargainingProblem) -> dict[str, Any]:
    """``{"method", "n_outcomes", "points": [{u1, u2, outcome, count}, ...]}`` sorted by u1."""
    sc = problem.scenario
    ids = sc.issue_ids
    values = discrete_values(sc)
    front = None if values is None else exact_frontier(problem.parties, values)
    if values is not None and front is not None:
        points = [
            {
                "u1": float(front.u1[i]),
                "u2": float(front.u2[i]),
                "outcome": {
                    iid: values[j][int(k)]
                    for j, (iid, k) in enumerate(zip(ids, front.outcomes[i], strict=True))
                },
                "count": int(front.counts[i]),
            }
            for i in range(len(front.u1))
        ]
        return {
            "method": "exact (dynamic programming over issues)",
            "n_outcomes": int(front.n_outcomes),
            "points": points,
        }
    idx = pareto_frontier_2d(problem.u1, problem.u2)
    pairs = np.round(np.stack([problem.u1, problem.u2], axis=1), 12)
    keys, counts = np.unique(pairs, axis=0, return_counts=True)
    count_of = {(float(a), float(b)): int(c) for (a, b), c in zip(keys, counts, strict=True)}
    seen: dict[tuple[float, float], int] = {}
    for i in idx:
        seen.setdefault((float(pairs[i, 0]), float(pairs[i, 1])), int(i))
    points = [
        {
            "u1": float(problem.u1[i]),
            "u2": float(problem.u2[i]),
            "outcome": problem.grid.outcome(i),
            "count": count_of[key],
        }
        for key, i in seen.items()
    ]
    return {
        "method": _grid_method(problem),
        "n_outcomes": problem.grid.size,
        "points": points,
    }


def opposition_entry(problem: BargainingProblem) -> dict[str, Any]:
    """The opposition level (Baarslag et al. 2013; :mod:`burdenshare.solutions.outcome_space`):
    the least distance from a min-max normalised outcome to (1, 1). Exact over the whole space
    when every issue is discrete; over the analysis grid otherwise (``method`` says which)."""
    values = discrete_values(problem.scenario)
    front = None if values is None else exact_frontier(problem.parties, values)
    if values is not None and front is not None:
        value = opposition(utility_tables(problem.parties, values), front)
        method = "exact (whole outcome space)"
    else:
        idx = pareto_frontier_2d(problem.u1, problem.u2)
        # the least and greatest utility over every combination of the grid's values: sums of
        # per-issue extremes (additive utilities), exact even when the grid lists only the
        # frontier of its values' product
        tables = utility_tables(problem.parties, [list(v) for v in problem.grid.values])
        lows = tuple(float(sum(row.min() for row in t)) for t in tables)
        highs = tuple(float(sum(row.max() for row in t)) for t in tables)
        value = opposition_in_range(
            problem.u1[idx], problem.u2[idx], (lows[0], lows[1]), (highs[0], highs[1])
        )
        method = _grid_method(problem)
    return {"value": value, "normalisation": "minmax", "method": method}


def _grid_method(problem: BargainingProblem) -> str:
    product = 1
    for v in problem.grid.values:
        product *= len(v)
    if problem.grid.size < product:
        return "frontier of the sampled values (dynamic programming over issues)"
    if any(issue.kind == "continuous" for issue in problem.scenario.issues):
        return "analysis grid (a continuous issue)"
    return "analysis grid (too many outcomes for the exact programme)"
