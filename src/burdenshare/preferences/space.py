"""A finite grid over the outcome space, for solvers and opponent-model strategies.

Continuous issues get ``resolution`` evenly spaced values over the part of the range between the
two parties' ideals (inclusive; outside it one party loses without the other gaining), integer
issues every whole number there, categorical issues every category. The cartesian product is
capped at ``max_outcomes`` by lowering the continuous resolution. Deterministic.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from burdenshare.preferences.additive import AdditiveUtility, Outcome
from burdenshare.preferences.issue_utility import NumericUtility
from burdenshare.scenario.model import Issue

__all__ = ["issue_grid", "outcome_grid"]


def issue_grid(
    issue: Issue, utilities: Sequence[AdditiveUtility], resolution: int
) -> list[float | str]:
    """The candidate values of one issue."""
    if issue.kind == "categorical":
        return list(issue.values or ())
    assert issue.range is not None
    ideals: list[float] = []
    knots: list[float] = []
    for u in utilities:
        part = u.parts[u.issues.index(issue.id)]
        assert isinstance(part, NumericUtility)
        ideals.append(part.ideal)
        knots.extend([part.reservation, *(x for x, _ in part.points)])
    lo = max(issue.range[0], min(ideals))
    hi = min(issue.range[1], max(ideals))
    if issue.kind == "integer":
        return [float(v) for v in range(int(np.ceil(lo)), int(np.floor(hi)) + 1)] or [
            float(round(lo))
        ]
    if hi <= lo:
        return [float(lo)]
    # walk-away points and piecewise knots are kept exactly, so the frontier's ends are exact
    values = np.union1d(np.linspace(lo, hi, resolution), [k for k in knots if lo < k < hi])
    return [float(v) for v in values]


def outcome_grid(
    issues: Sequence[Issue],
    utilities: Sequence[AdditiveUtility],
    *,
    resolution: int = 401,
    max_outcomes: int = 200_000,
) -> list[Outcome]:
    """Every combination of the issues' candidate values (at most ``max_outcomes``)."""
    res = resolution
    while True:
        grids = [issue_grid(i, utilities, res) for i in issues]
        size = int(np.prod([len(g) for g in grids]))
        if size <= max_outcomes or res <= 2:
            break
        res = max(2, res // 2)
    ids = [i.id for i in issues]
    return [dict(zip(ids, combo, strict=True)) for combo in itertools.product(*grids)]
