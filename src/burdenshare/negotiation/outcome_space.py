"""The discrete outcome space an outcome-space negotiator searches (GENIUS-style bidding).

GENIUS agents enumerate the whole domain and pick bids from it (``SortedOutcomeSpace``); a
burdenshare scenario may have numeric issues, so each issue is first given a finite list of
values, over the issue's *whole range* (a GENIUS domain is the whole product, not the span
between the parties' ideals as in :mod:`burdenshare.preferences.space`):

* categorical: every category, in the issue's order;
* integer: every whole number of the range if there are at most ``points`` (:data:`POINTS`,
  101) of them; otherwise ``points`` evenly spaced values rounded to whole numbers (the rule of
  :func:`burdenshare.preferences.space.candidate_grid` for sampled integer issues), plus the
  whole numbers either side of every *known point*;
* continuous: ``points`` evenly spaced values from one end of the range to the other, both ends
  included, plus every known point.

The *known points* are the reservation, the ideal and the piecewise knots of each utility the
negotiator knows (its own; the opponent's estimate when it has one), where they lie inside the
range, so the walk-away and ideal outcomes are in the space exactly.

Outcomes are the cartesian product (last issue varying fastest), in array form: ``index`` of
shape ``(G, n_issues)`` holds each outcome's value index per issue. If ``G`` would exceed
``max_size`` (:data:`MAX_OUTCOMES`, 200,000), the number of evenly spaced points on the sampled
issues is reduced to the largest ``n >= 2`` that fits; if even that does not fit (too many
categorical or short integer issues),
:class:`~burdenshare.errors.SimulationError`. Sizes are checked before anything of that size is
built; spaces are cached.

>>> from burdenshare.preferences.additive import AdditiveUtility
>>> from burdenshare.preferences.issue_utility import NumericUtility
>>> from burdenshare.scenario import Issue
>>> x = Issue(id="x", range=(0.0, 10.0))
>>> u = AdditiveUtility(("x",), (NumericUtility(ideal=8.0, reservation=2.5),), (1.0,))
>>> space = outcome_space((x,), (u,), points=3)
>>> space.values, space.size
(((0.0, 2.5, 5.0, 8.0, 10.0),), 5)
>>> space.utilities(u).round(3).tolist()
[-0.455, 0.0, 0.455, 1.0, 1.0]
>>> space.locate({"x": 4.0}).tolist(), space.flat_index({"x": 8.0})
([2], 3)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from burdenshare.errors import SimulationError
from burdenshare.preferences.additive import AdditiveUtility
from burdenshare.preferences.issue_utility import NumericUtility
from burdenshare.preferences.space import CandidateGrid
from burdenshare.scenario.model import Issue

__all__ = ["MAX_OUTCOMES", "POINTS", "OutcomeSpace", "outcome_space"]

#: evenly spaced values per continuous issue (and per integer issue with more whole numbers)
POINTS = 101
#: the largest number of outcomes in a space
MAX_OUTCOMES = 200_000

IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class OutcomeSpace(CandidateGrid):
    """A finite outcome space: per-issue values and the ``(G, n_issues)`` index array.

    Builds on :class:`~burdenshare.preferences.space.CandidateGrid` (each issue utility's array
    path), sums whole-outcome utilities as the scalar utility does (:meth:`utilities`), and adds
    the look-ups an opponent model needs for the offers it receives.
    """

    def utilities(self, utility: AdditiveUtility) -> FloatArray:
        """Whole-outcome utility of every outcome, summed issue by issue in ``utility``'s own
        order exactly as :meth:`AdditiveUtility.__call__ <burdenshare.preferences.additive.
        AdditiveUtility.__call__>` sums one outcome (each product and each addition rounds the
        same way), so a table entry equals the utility of that outcome bit for bit. A matrix
        product may round the last bit differently, and an agent comparing a received offer's
        utility with its own next bid's (AC_next) would then refuse its own bid.
        """
        iu = self.issue_utilities(utility)
        column = {issue.id: k for k, issue in enumerate(self.issues)}
        total = np.zeros(iu.shape[0], dtype=np.float64)
        for iid, w in zip(utility.issues, utility.weights, strict=True):
            total = total + w * iu[:, column[iid]]
        return total

    @functools.cached_property
    def n_values(self) -> IntArray:
        """Number of values of each issue, shape ``(n_issues,)``."""
        return np.array([len(v) for v in self.values], dtype=np.intp)

    @functools.cached_property
    def _strides(self) -> IntArray:
        n = self.n_values
        strides = np.ones(len(n), dtype=np.intp)
        for k in range(len(n) - 2, -1, -1):
            strides[k] = strides[k + 1] * n[k + 1]
        return strides

    @functools.cached_property
    def _lookup(self) -> tuple[dict[str, int] | None, ...]:
        return tuple(
            {str(v): j for j, v in enumerate(vals)} if issue.kind == "categorical" else None
            for issue, vals in zip(self.issues, self.values, strict=True)
        )

    def locate(self, outcome: Mapping[str, float | str]) -> IntArray:
        """Each issue's value index for ``outcome``: the category, or the nearest value of a
        numeric issue (the lower one on a tie). An unknown category is a SimulationError."""
        row = np.empty(len(self.issues), dtype=np.intp)
        for k, (issue, vals, table) in enumerate(
            zip(self.issues, self.values, self._lookup, strict=True)
        ):
            value = outcome[issue.id]
            if table is not None:
                if str(value) not in table:
                    raise SimulationError(
                        f"offer has {value!r} on issue {issue.id!r}; expected one of {list(vals)}"
                    )
                row[k] = table[str(value)]
                continue
            axis = np.asarray(vals, dtype=np.float64)
            x = float(value)
            j = int(np.searchsorted(axis, x))
            if j >= len(axis):
                j = len(axis) - 1
            elif j > 0 and (x - axis[j - 1]) <= (axis[j] - x):
                j -= 1
            row[k] = j
        return row

    def flat_index(self, outcome: Mapping[str, float | str]) -> int:
        """The position of ``outcome`` (its nearest outcome, see :meth:`locate`) in the space."""
        return int(self.locate(outcome) @ self._strides)


def _known_points(issue: Issue, utilities: tuple[AdditiveUtility, ...]) -> list[float]:
    out: list[float] = []
    for u in utilities:
        if issue.id not in u.issues:
            continue
        part = u.parts[u.issues.index(issue.id)]
        if isinstance(part, NumericUtility):
            out.extend([part.reservation, part.ideal, *(x for x, _ in part.points)])
    return out


@dataclass(frozen=True)
class _Axis:
    """One numeric issue's values with ``n`` evenly spaced points (``fixed``: all listed)."""

    lo: float
    hi: float
    integer: bool
    known: tuple[float, ...]
    fixed: bool

    def values(self, n: int) -> tuple[float, ...]:
        if self.fixed:
            return tuple(self.lo + float(j) for j in range(int(self.hi - self.lo) + 1))
        even = np.linspace(self.lo, self.hi, n)
        known = np.asarray(self.known, dtype=np.float64)
        if self.integer:
            even = np.round(even)
            known = np.concatenate([np.floor(known), np.ceil(known)])
        known = known[(known >= self.lo) & (known <= self.hi)]
        return tuple(float(x) for x in np.union1d(even, known))

    def count(self, n: int) -> int:
        return len(self.values(n))


def outcome_space(
    issues: tuple[Issue, ...],
    utilities: tuple[AdditiveUtility, ...] = (),
    *,
    points: int = POINTS,
    max_size: int = MAX_OUTCOMES,
) -> OutcomeSpace:
    """The outcome space of ``issues`` (see the module docstring); ``utilities`` are the
    utility functions whose reservations, ideals and knots are added as known points."""
    return _outcome_space(issues, utilities, points, max_size)


@functools.lru_cache(maxsize=64)
def _outcome_space(
    issues: tuple[Issue, ...],
    utilities: tuple[AdditiveUtility, ...],
    points: int,
    max_size: int,
) -> OutcomeSpace:
    fixed: dict[int, tuple[float, ...] | tuple[str, ...]] = {}
    axes: dict[int, _Axis] = {}
    for k, issue in enumerate(issues):
        if issue.kind == "categorical":
            fixed[k] = tuple(issue.values or ())
            continue
        if issue.range is None:
            raise SimulationError(f"issue {issue.id!r} has no range: cannot list its values")
        lo, hi = (float(issue.range[0]), float(issue.range[1]))
        known = tuple(_known_points(issue, utilities))
        if issue.kind == "integer":
            lo, hi = float(math.ceil(lo)), float(math.floor(hi))
            axes[k] = _Axis(lo, hi, True, known, fixed=hi - lo + 1 <= points)
        else:
            axes[k] = _Axis(lo, hi, False, known, fixed=lo == hi)
    base = math.prod(len(v) for v in fixed.values())
    sampled = [a for a in axes.values() if not a.fixed]
    listed = math.prod(a.count(points) for a in axes.values() if a.fixed)

    def size(n: int) -> int:
        return base * listed * math.prod(a.count(n) for a in sampled)

    n = points
    while sampled and n > 2 and size(n) > max_size:
        n = max(2, n // 2) if size(n) > 4 * max_size else n - 1
    if size(n) > max_size:
        raise SimulationError(
            f"too many outcomes for an outcome-space negotiator: {size(n):,} (at most "
            f"{max_size:,}; {len(fixed)} categorical issues give {base:,} combinations); use a "
            "negotiator that concedes issue by issue (boulware, linear, ...) or fewer values"
        )
    values = tuple(fixed[k] if k in fixed else axes[k].values(n) for k in range(len(issues)))
    grids = np.meshgrid(*(np.arange(len(v)) for v in values), indexing="ij")
    index = np.stack([g.ravel() for g in grids], axis=1).astype(np.intp)
    index.flags.writeable = False
    return OutcomeSpace(issues=issues, values=values, index=index)
