"""A finite grid over the outcome space, for solvers and opponent-model strategies.

For each issue, in scenario order:

* continuous: ``points`` (401) evenly spaced values from the lowest to the highest of the
  parties' ideals (two or more parties), inclusive (one value if the ideals coincide); outside
  that span some party loses without any other gaining. With ``knots=True`` the parties'
  walk-away points and piecewise knots inside the span are added (and any ``extra`` values,
  such as the points where a party's utility equals its outside option: see
  :func:`burdenshare.analysis.problem.bargaining_problem`), so the frontier's vertices and ends
  are grid points;
* integer: every whole number between the lowest and the highest ideal, inclusive, if there are
  at most ``points`` of them (or ``exact_integers`` is set); otherwise the issue is *sampled* like a
  continuous one: ``points`` evenly spaced values rounded to whole numbers, plus the whole
  numbers either side of each knot and ``extra`` value (a range of 10^12 won is served, not
  enumerated);
* categorical: every category, in the issue's order.

Candidates are the cartesian product (last issue varying fastest). If it would exceed
``max_size`` (200,000), the number of points on sampled issues is reduced to the largest
``n >= 2`` that fits; if even that does not fit, :class:`~burdenshare.errors.SimulationError`.
Every size is computed, and checked, before anything of that size is built. The grid is
deterministic and cached.

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
        numeric = not vals or not isinstance(vals[0], str)
        table = np.asarray(vals, dtype=np.float64 if numeric else object)
        out: list[float | str] = table[self.index[:, k]].tolist()
        return out

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


def _span(issue: Issue, parties: tuple[AdditiveUtility, ...]) -> tuple[float, float, list[float]]:
    ideals, knots = [], []
    for u in parties:
        part = u.parts[u.issues.index(issue.id)]
        assert isinstance(part, NumericUtility)
        ideals.append(part.ideal)
        knots.extend([part.reservation, *(x for x, _ in part.points)])
    assert issue.range is not None
    lo, hi = issue.range
    lo, hi = max(lo, min(ideals)), min(hi, max(ideals))
    return lo, hi, sorted({k for k in knots if lo < k < hi})


def _whole_span(lo: float, hi: float, issue: Issue) -> tuple[float, float]:
    """The whole numbers ``[L, H]`` between ``lo`` and ``hi`` (the nearest one, inside the
    issue's range, if none lies between them)."""
    assert issue.range is not None
    low, high = float(math.ceil(lo)), float(math.floor(hi))
    if low > high:  # ideals that are not whole numbers and no whole number between them
        low = high = min(max(float(round((lo + hi) / 2)), issue.range[0]), issue.range[1])
    return low, high


def _whole_knots(values: list[float], low: float, high: float) -> list[float]:
    """The whole numbers either side of each value, inside ``(low, high)``."""
    out = {float(f(v)) for v in values for f in (math.floor, math.ceil)}
    return sorted(x for x in out if low < x < high)


@dataclass(frozen=True)
class _Sampled:
    """An issue whose values are ``n`` evenly spaced points (at most ``cap``: the number of
    whole numbers on an integer issue), plus the ``inner`` knots and the ``extra`` values."""

    lo: float
    hi: float
    inner: tuple[float, ...]
    extra: tuple[float, ...]
    integer: bool
    cap: int | None

    def count(self, n: int) -> int:
        """At most how many values, with ``n`` evenly spaced, not counting the knots."""
        return (min(n, self.cap) if self.cap is not None else n) + len(self.extra)

    def values(self, n: int) -> tuple[float, ...]:
        even = np.linspace(self.lo, self.hi, min(n, self.cap) if self.cap is not None else n)
        if self.integer:
            even = np.round(even)
        added = np.asarray(self.inner + self.extra, dtype=np.float64)
        return tuple(float(x) for x in np.union1d(even, added))


def candidate_grid(
    issues: tuple[Issue, ...],
    *parties: AdditiveUtility,
    points: int = CONTINUOUS_POINTS,
    max_size: int = MAX_CANDIDATES,
    knots: bool = False,
    exact_integers: bool = False,
    extra: tuple[tuple[float, ...], ...] = (),
) -> CandidateGrid:
    """The candidate grid between ``parties`` (two or more; see the module docstring).

    ``exact_integers``: every whole number of every integer issue, however many (a
    :class:`~burdenshare.errors.SimulationError` if the product is too large), instead of
    sampling an integer issue with more than ``points`` whole numbers. ``extra``: values to add
    to each issue (aligned with ``issues``; on an integer issue the whole numbers either side),
    inside the span only. Every size is checked before anything of that size is built.
    """
    return _candidate_grid(
        issues, _at_least_two(parties), points, max_size, knots, exact_integers, extra
    )


def _at_least_two(parties: tuple[AdditiveUtility, ...]) -> tuple[AdditiveUtility, ...]:
    if len(parties) < 2:
        raise SimulationError(f"a candidate grid needs two or more parties, got {len(parties)}")
    return parties


def sampled_values(
    issues: tuple[Issue, ...],
    *parties: AdditiveUtility,
    points: int = CONTINUOUS_POINTS,
    extra: tuple[tuple[float, ...], ...] = (),
) -> tuple[tuple[float, ...] | tuple[str, ...], ...]:
    """Each issue's values as :func:`candidate_grid` samples them with ``knots=True`` and
    ``points`` values per sampled issue, without forming their product (which may be far too
    large to build: the exact frontier of these values comes from dynamic programming over
    issues instead, :mod:`burdenshare.analysis.frontier_points`)."""
    parties = _at_least_two(parties)
    fixed, counts, spans = _classify(issues, parties, points, True, False, extra)
    for k, whole in counts.items():
        issue = issues[k]
        low, _ = _whole_span(*_span(issue, parties)[:2], issue)
        fixed[k] = tuple(low + float(j) for j in range(whole))
    return tuple(fixed[k] if k in fixed else spans[k].values(points) for k in range(len(issues)))


def _classify(
    issues: tuple[Issue, ...],
    parties: tuple[AdditiveUtility, ...],
    points: int,
    knots: bool,
    exact_integers: bool,
    extra: tuple[tuple[float, ...], ...],
) -> tuple[dict[int, tuple[float, ...] | tuple[str, ...]], dict[int, int], dict[int, _Sampled]]:
    """Sort the issues into fixed value lists, whole-number ranges listed value by value (their
    counts), and sampled spans; nothing of the product's size is built."""
    fixed: dict[int, tuple[float, ...] | tuple[str, ...]] = {}
    counts: dict[int, int] = {}
    spans: dict[int, _Sampled] = {}
    for k, issue in enumerate(issues):
        if issue.kind == "categorical":
            fixed[k] = tuple(issue.values or ())
            continue
        lo, hi, inner = _span(issue, parties)
        if not knots:
            inner = []
        added = sorted({x for x in (extra[k] if k < len(extra) else ()) if lo < x < hi})
        if issue.kind == "integer":
            low, high = _whole_span(lo, hi, issue)
            whole = int(high - low) + 1  # exact: both are whole floats
            if whole <= points or exact_integers:
                counts[k] = whole  # built below, once the product is known to fit
            else:
                spans[k] = _Sampled(
                    low,
                    high,
                    tuple(_whole_knots(inner, low, high)),
                    tuple(_whole_knots(added, low, high)),
                    True,
                    whole,
                )
        elif lo == hi:
            fixed[k] = (lo,)
        else:
            spans[k] = _Sampled(lo, hi, tuple(inner), tuple(added), False, None)
    return fixed, counts, spans


@functools.lru_cache(maxsize=128)
def _candidate_grid(
    issues: tuple[Issue, ...],
    parties: tuple[AdditiveUtility, ...],
    points: int,
    max_size: int,
    knots: bool,
    exact_integers: bool,
    extra: tuple[tuple[float, ...], ...],
) -> CandidateGrid:
    fixed, counts, spans = _classify(issues, parties, points, knots, exact_integers, extra)
    base = math.prod(len(v) for v in fixed.values()) * math.prod(counts.values())
    extra_factor = math.prod(len(s.inner) + 1 for s in spans.values())

    def size(n: int) -> int:
        return base * extra_factor * math.prod(s.count(n) for s in spans.values())

    n = points
    while spans and n > 2 and size(n) > max_size:
        n -= 1
    smallest = base * math.prod(s.count(n) for s in spans.values())
    if smallest > max_size:
        listed = [issues[k].id for k in (*fixed, *counts) if issues[k].kind != "continuous"]
        what = f"issues {', '.join(listed)} have {base:,} combinations" if listed else ""
        if spans:
            sampled = f"{len(spans)} sampled issues at {n} values each"
            what = f"{what}, times {sampled}" if what else sampled
        raise SimulationError(
            f"too many candidate outcomes: {what}, {smallest:,} in all (at most "
            f"{max_size:,}); use fewer or smaller discrete issues, or fewer issues"
        )
    for k, whole in counts.items():
        issue = issues[k]
        low, _ = _whole_span(*_span(issue, parties)[:2], issue)
        fixed[k] = tuple(low + float(j) for j in range(whole))
    values = tuple(fixed[k] if k in fixed else spans[k].values(n) for k in range(len(issues)))
    grids = np.meshgrid(*(np.arange(len(v)) for v in values), indexing="ij")
    index = np.stack([g.ravel() for g in grids], axis=1).astype(np.intp)
    index.flags.writeable = False
    return CandidateGrid(issues=issues, values=values, index=index)
