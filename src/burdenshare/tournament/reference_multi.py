"""The reference points of a domain with three or more parties, by brute force over its outcomes.

The measures are those of :mod:`burdenshare.tournament.reference`, in the utility space of all
``P`` parties (ANAC 2015-17 report them so for its three-party sessions: Fujita et al. 2016,
"The Sixth Automated Negotiating Agents Competition (ANAC 2015)", sec. 3):

- the *frontier*: the outcomes no other outcome Pareto-dominates (at least as good for every
  party, better for one), one point per distinct utility vector;
- *Nash* (Nash 1950, in its N-party form): the frontier point maximising
  ``prod_i (u_i - d_i)`` among those every party weakly prefers to walking away (``u >= d``,
  ``d`` the outside options exactly as the scenario gives them);
- *Kalai-Smorodinsky* (Kalai & Smorodinsky 1975, N-party): maximising
  ``min_i (u_i - d_i) / (I_i - d_i)`` over the same points, ``I`` their ideal point;
- *Kalai* (egalitarian, Kalai 1977): maximising ``min_i (u_i - d_i)``.

Ties are broken as the two-party functions break them: the larger utility sum, then the lower
index (frontier points are in lexicographic order of their utility vectors). Each point is None
when no outcome is acceptable to every party. Distances are Euclidean in ``R^P``.

The outcome space is enumerated: every category, every whole number of an integer issue with at
most :data:`MAX_VALUES` of them, and otherwise (a continuous issue, or a larger integer range)
:data:`POINTS` evenly spaced values plus every party's ideal and reservation; at most
:data:`MAX_OUTCOMES` outcomes (otherwise a :class:`~burdenshare.errors.SolverError` naming the
count). With two parties and discrete issues the points equal
:func:`~burdenshare.tournament.reference.domain_reference`'s (a test checks it).

TODO(issue 14, helper D): switch to D's N-party solutions in ``burdenshare.solutions`` (the
N-party Pareto set, ``nash``/``kalai_smorodinsky``/``egalitarian`` for P parties, on branch
i14-d) once they are on main; this local brute force is the interim.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from burdenshare.errors import SolverError
from burdenshare.preferences import NumericUtility, party_parameters
from burdenshare.preferences.space import CandidateGrid
from burdenshare.scenario.io import parse_scenario_text
from burdenshare.scenario.scenario import Scenario

__all__ = [
    "MAX_OUTCOMES",
    "MultiReference",
    "multi_distances",
    "multi_reference",
    "outcome_utilities",
    "pareto_indices",
    "reference_points_multi",
]

FloatArray = npt.NDArray[np.float64]
Point = tuple[float, ...]

#: most outcomes enumerated for the reference points
MAX_OUTCOMES = 500_000
#: an integer issue with at most this many whole numbers is listed value by value
MAX_VALUES = 101
#: evenly spaced values of a continuous issue (or a larger integer range)
POINTS = 21


@dataclass(frozen=True)
class MultiReference:
    """A domain's frontier (``(K, P)``, parties in listing order), its Nash,
    Kalai-Smorodinsky and Kalai points and its disagreement point."""

    frontier: FloatArray
    nash: Point | None
    disagreement: Point
    method: str
    kalai_smorodinsky: Point | None = None
    kalai: Point | None = None

    @property
    def frontier_points(self) -> int:
        return int(self.frontier.shape[0])


def _issue_values(scenario: Scenario, knots: Sequence[float], k: int) -> tuple[float, ...]:
    issue = scenario.issues[k]
    assert issue.range is not None
    lo, hi = float(issue.range[0]), float(issue.range[1])
    if issue.kind == "integer" and hi - lo + 1 <= MAX_VALUES:
        return tuple(float(x) for x in np.arange(lo, hi + 1))
    even = np.linspace(lo, hi, POINTS)
    extra = np.array([x for x in knots if lo <= x <= hi], dtype=np.float64)
    vals = np.union1d(even, extra)
    if issue.kind == "integer":
        vals = np.unique(np.rint(vals))
    return tuple(float(x) for x in vals)


def outcome_utilities(scenario: Scenario) -> tuple[CandidateGrid, FloatArray, Point, str]:
    """Every party's utility (columns in listing order) of every enumerated outcome, at the
    central values on the protocol's start date; the disagreement point; the method."""
    if any(p.utility_rules is not None for p in scenario.parties.values()):
        raise SolverError(
            "the reference points of a domain with three or more parties need additive "
            "utilities (a party has utility_rules)"
        )
    day = scenario.protocol.start
    params = [party_parameters(scenario, name, on=day) for name in scenario.party_names]
    values: list[tuple[float, ...] | tuple[str, ...]] = []
    exact = True
    for k, issue in enumerate(scenario.issues):
        if issue.kind == "categorical":
            values.append(tuple(issue.values or ()))
            continue
        knots: list[float] = []
        for p in params:
            part = p.utility.parts[p.utility.issues.index(issue.id)]
            if isinstance(part, NumericUtility):
                knots += [part.ideal, part.reservation, *(x for x, _ in part.points)]
        vals = _issue_values(scenario, knots, k)
        assert issue.range is not None
        exact &= issue.kind == "integer" and len(vals) == issue.range[1] - issue.range[0] + 1
        values.append(vals)
    shape = tuple(len(v) for v in values)
    size = math.prod(shape)
    if size > MAX_OUTCOMES:
        raise SolverError(
            f"the domain has {size:,} outcomes to enumerate for its reference points; the "
            f"limit with three or more parties is {MAX_OUTCOMES:,}"
        )
    index = np.indices(shape).reshape(len(shape), -1).T.astype(np.intp)
    grid = CandidateGrid(scenario.issues, tuple(values), index)
    utilities = np.stack([grid.utilities(p.utility) for p in params], axis=1)
    d = tuple(float(p.outside_option) for p in params)
    method = (
        "exact (every outcome)"
        if exact
        else f"grid ({POINTS} values per continuous issue, with every ideal and reservation)"
    )
    return grid, utilities, d, method


def pareto_indices(u: FloatArray) -> npt.NDArray[np.intp]:
    """Indices of the Pareto-optimal rows of ``u`` (``(G, P)``, larger is better), one per
    distinct utility vector, in lexicographic order of the vectors.

    >>> pareto_indices(np.array([[1.0, 0, 0], [0, 1, 0], [0.5, 0.5, 0], [0.4, 0.4, 0],
    ...                          [0, 0, 1], [1.0, 0, 0]])).tolist()
    [4, 1, 2, 0]
    """
    pts = np.asarray(u, dtype=np.float64)
    keys, first = np.unique(pts, axis=0, return_index=True)  # sorted lexicographically
    # visit by descending sum: a point can only be dominated by one with a larger sum
    order = np.argsort(-keys.sum(axis=1), kind="stable")
    kept: list[int] = []
    for i in order:
        p = keys[i]
        if kept:
            front = keys[kept]
            if np.any(np.all(front >= p, axis=1) & np.any(front > p, axis=1)):
                continue
        kept.append(int(i))
    kept.sort()
    return np.asarray(first[kept], dtype=np.intp)


def _argbest(primary: FloatArray, total: FloatArray) -> int:
    order = np.lexsort((np.arange(primary.size), -total, -primary))
    return int(order[0])


def reference_points_multi(
    front: FloatArray, d: Sequence[float]
) -> tuple[Point | None, Point | None, Point | None]:
    """The Nash, Kalai-Smorodinsky and Kalai points among the rows of ``front`` for the
    disagreement point ``d`` (each None if no row is at least ``d`` for every party).

    On the three-party unit simplex with nothing outside, all three are the equal split:

    >>> g = [(i / 6, j / 6, (6 - i - j) / 6) for i in range(7) for j in range(7 - i)]
    >>> points = reference_points_multi(np.array(g), (0, 0, 0))
    >>> [tuple(round(x, 12) for x in p) for p in points] == [(round(1 / 3, 12),) * 3] * 3
    True
    """
    pts = np.asarray(front, dtype=np.float64)
    dd = np.asarray(d, dtype=np.float64)
    ok = np.flatnonzero(np.all(pts >= dd, axis=1))
    if ok.size == 0:
        return None, None, None
    cand = pts[ok]
    gains = cand - dd
    total = cand.sum(axis=1)
    ideal = cand.max(axis=0)
    span = ideal - dd
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(span > 0, gains / np.where(span > 0, span, 1.0), 1.0)

    def at(j: int) -> Point:
        return tuple(float(x) for x in cand[j])

    return (
        at(_argbest(np.prod(gains, axis=1), total)),
        at(_argbest(ratio.min(axis=1), total)),
        at(_argbest(gains.min(axis=1), total)),
    )


@functools.lru_cache(maxsize=32)
def multi_reference(scenario_text: str, scenario_format: str = "yaml") -> MultiReference:
    """The reference points of a scenario given as text, any number of parties (cached)."""
    scenario = parse_scenario_text(scenario_text, fmt=scenario_format).scenario
    _, u, d, method = outcome_utilities(scenario)
    front = u[pareto_indices(u)]
    nash, ks, kalai = reference_points_multi(front, d)
    return MultiReference(front, nash, d, method, ks, kalai)


def multi_distances(ref: MultiReference, utilities: FloatArray) -> dict[str, FloatArray]:
    """The distance columns (:data:`~burdenshare.tournament.reference.DISTANCE_COLUMNS`) of
    each row of ``utilities`` (``(n, P)``): to the nearest frontier point and to the Nash,
    Kalai-Smorodinsky and Kalai points (NaN where a point is None).

    >>> ref = MultiReference(np.eye(3), None, (0.0, 0.0, 0.0), "exact", (1.0, 0.0, 0.0))
    >>> {k: round(float(v[0]), 6) for k, v in multi_distances(ref, np.zeros((1, 3))).items()}
    {'distance_pareto': 1.0, 'distance_nash': nan, 'distance_ks': 1.0, 'distance_kalai': nan}
    """
    from scipy.spatial import cKDTree

    u = np.asarray(utilities, dtype=np.float64)

    def to(point: Point | None) -> FloatArray:
        if point is None:
            return np.full(u.shape[0], math.nan)
        return np.asarray(np.linalg.norm(u - np.asarray(point), axis=1), dtype=np.float64)

    pareto, _ = cKDTree(ref.frontier).query(u)
    return {
        "distance_pareto": np.asarray(pareto, dtype=np.float64),
        "distance_nash": to(ref.nash),
        "distance_ks": to(ref.kalai_smorodinsky),
        "distance_kalai": to(ref.kalai),
    }
