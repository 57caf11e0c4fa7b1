"""A finite grid over the outcome space, for solvers and opponent-model strategies.

For each issue, in scenario order:

* continuous: ``points`` (401) evenly spaced values from the lower to the higher of the two
  parties' ideals, inclusive (one value if the ideals coincide); outside that span one party
  loses without the other gaining. With ``knots=True`` the parties' walk-away points and
  piecewise knots inside the span are added, so a frontier built on the grid has exact ends;
* integer: every whole number between the two ideals, inclusive;
* categorical: every category, in the issue's order.

Candidates are the cartesian product (last issue varying fastest). If it would exceed
``max_size`` (200,000), the number of points on continuous issues is reduced to the largest
``n >= 2`` that fits; if even that does not fit, :class:`~burdenshare.errors.SimulationError`.
The grid is deterministic and cached.

>>> from burdenshare.preferences.additive import AdditiveUtility
>>> from burdenshare.preferences.issue_utility import NumericUtility
>>> from burdenshare.scenario import Issue
>>> issue = Issue(id="x", range=(0.0, 10.0))
>>> a = AdditiveUtility(("x",), (NumericUtility(ideal=8.0, reservation=0.0),), (1.0,))
>>> b = AdditiveUtility(("x",), (NumericUtility(ideal=2.0, reservation=10.0),), (1.0,))
>>> grid = candidate_grid((issue,), a, b)
>>> grid.size, grid.outcome(0), grid.outcome(400)
(401, {'x': 2.0}, {'x': 8.0})
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from burdenshare.errors import SimulationError
from burdenshare.preferences.additive import AdditiveUtility, Outcome
from burdenshare.preferences.issue_utility import CategoricalUtility, NumericUtility
from burdenshare.scenario.model import Issue

__all__ = ["CONTINUOUS_POINTS", "MAX_CANDIDATES", "CandidateGrid", "candidate_grid"]

#: evenly spaced points per continuous issue
CONTINUOUS_POINTS = 401
#: the largest number of candidate outcomes
MAX_CANDIDATES = 200_000

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class CandidateGrid:
    """Candidate outcomes as per-issue values and an index array of shape ``(size, n_issues)``."""

    issues: tuple[Issue, ...]
    values: tuple[tuple[float, ...] | tuple[str, ...], ...]
    index: npt.NDArray[np.intp]

    @property
    def size(self) -> int:
        return int(self.index.shape[0])

    def outcome(self, i: int) -> Outcome:
        """The ``i``-th candidate as an outcome."""
        return {
            issue.id: vals[int(j)]
            for issue, vals, j in zip(self.issues, self.values, self.index[i], strict=True)
        }

    def column(self, k: int) -> list[float | str]:
        """The value of issue ``k`` in every candidate."""
        vals = self.values[k]
        return [vals[int(j)] for j in self.index[:, k]]

    def issue_utilities(self, utility: AdditiveUtility) -> FloatArray:
        """``(size, n_issues)`` array of single-issue utilities of every candidate."""
        cols = []
        for k, (issue, vals) in enumerate(zip(self.issues, self.values, strict=True)):
            part = utility.parts[utility.issues.index(issue.id)]
            if isinstance(part, CategoricalUtility):
                per_value = np.array([part(str(v)) for v in vals], dtype=np.float64)
            else:
                per_value = np.asarray(part(np.asarray(vals, dtype=np.float64)), dtype=np.float64)
            cols.append(per_value[self.index[:, k]])
        return np.stack(cols, axis=1)

    def utilities(self, utility: AdditiveUtility) -> FloatArray:
        """Whole-outcome utility of every candidate."""
        iu = self.issue_utilities(utility)
        order = [utility.issues.index(i.id) for i in self.issues]
        weights = np.array([utility.weights[j] for j in order], dtype=np.float64)
        return np.asarray(iu @ weights, dtype=np.float64)


def _span(issue: Issue, a: AdditiveUtility, b: AdditiveUtility) -> tuple[float, float, list[float]]:
    ideals, knots = [], []
    for u in (a, b):
        part = u.parts[u.issues.index(issue.id)]
        assert isinstance(part, NumericUtility)
        ideals.append(part.ideal)
        knots.extend([part.reservation, *(x for x, _ in part.points)])
    assert issue.range is not None
    lo, hi = issue.range
    lo, hi = max(lo, min(ideals)), min(hi, max(ideals))
    return lo, hi, sorted({k for k in knots if lo < k < hi})


@functools.lru_cache(maxsize=128)
def candidate_grid(
    issues: tuple[Issue, ...],
    a: AdditiveUtility,
    b: AdditiveUtility,
    *,
    points: int = CONTINUOUS_POINTS,
    max_size: int = MAX_CANDIDATES,
    knots: bool = False,
) -> CandidateGrid:
    """The candidate grid between parties ``a`` and ``b`` (see the module docstring)."""
    fixed: dict[int, tuple[float, ...] | tuple[str, ...]] = {}
    spans: dict[int, tuple[float, float, list[float]]] = {}
    for k, issue in enumerate(issues):
        if issue.kind == "categorical":
            fixed[k] = tuple(issue.values or ())
        else:
            lo, hi, inner = _span(issue, a, b)
            if issue.kind == "integer":
                fixed[k] = tuple(float(x) for x in range(math.ceil(lo), math.floor(hi) + 1))
            elif lo == hi:
                fixed[k] = (lo,)
            else:
                spans[k] = (lo, hi, inner if knots else [])
    base = math.prod(len(v) for v in fixed.values())
    extra = math.prod(len(s[2]) + 1 for s in spans.values()) if spans else 1
    n = points
    while spans and n > 2 and base * extra * n ** len(spans) > max_size:
        n -= 1
    if base * (n ** len(spans) if spans else 1) > max_size:
        raise SimulationError(
            f"too many candidate outcomes ({base:,} before continuous issues; at most "
            f"{max_size:,}); use fewer or smaller discrete issues"
        )
    values = tuple(
        fixed[k]
        if k in fixed
        else tuple(
            float(x) for x in np.union1d(np.linspace(spans[k][0], spans[k][1], n), spans[k][2])
        )
        for k in range(len(issues))
    )
    grids = np.meshgrid(*(np.arange(len(v)) for v in values), indexing="ij")
    index = np.stack([g.ravel() for g in grids], axis=1).astype(np.intp)
    index.flags.writeable = False
    return CandidateGrid(issues=issues, values=values, index=index)
