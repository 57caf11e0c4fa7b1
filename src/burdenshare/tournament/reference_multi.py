"""The reference points of a domain with three or more parties, on the analysis's outcome grid.

The measures are those of :mod:`burdenshare.tournament.reference`, in the utility space of all
``P`` parties (ANAC 2015-17 report them so for its three-party sessions: Fujita et al. 2016,
"The Sixth Automated Negotiating Agents Competition (ANAC 2015)", sec. 3):

- the *frontier*: the outcomes no other outcome Pareto-dominates (at least as good for every
  party, better for one), one point per distinct utility vector
  (:func:`burdenshare.solutions.nparty.pareto_set`);
- *Nash* (Nash 1950, in its N-party form): the frontier point maximising
  ``prod_i (u_i - d_i)`` among those every party weakly prefers to walking away (``u >= d``,
  ``d`` the outside options exactly as the scenario gives them;
  :func:`~burdenshare.solutions.nparty.nash_point`);
- *Kalai-Smorodinsky* (Kalai & Smorodinsky 1975, N-party): maximising
  ``min_i (u_i - d_i) / (I_i - d_i)`` over the same points, ``I`` their ideal point
  (:func:`~burdenshare.solutions.nparty.kalai_smorodinsky_point`);
- *Kalai* (egalitarian, Kalai 1977): maximising ``min_i (u_i - d_i)``
  (:func:`~burdenshare.solutions.nparty.egalitarian_point`).

Ties are broken as the solution functions break them: the larger utility sum, then the lower
index (frontier points are in lexicographic order of their utility vectors). Each point is None
when no outcome is acceptable to every party. Distances are Euclidean in ``R^P``.

The outcomes are those of the scenario's analysis
(:func:`burdenshare.analysis.problem.bargaining_problem`, the grid ``burdenshare analyze``
uses): every outcome of a discrete domain of up to
:data:`~burdenshare.analysis.problem.MAX_MULTILATERAL` outcomes (ANAC 2015's Dinner has 1,200),
a grid otherwise, at the central values on the protocol's start date. With two parties and
discrete issues the points equal :func:`~burdenshare.tournament.reference.domain_reference`'s
(a test checks it).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from burdenshare.analysis.problem import bargaining_problem
from burdenshare.scenario.io import parse_scenario_text
from burdenshare.scenario.scenario import Scenario
from burdenshare.solutions.nparty import (
    egalitarian_point,
    kalai_smorodinsky_point,
    nash_point,
    pareto_set,
)

__all__ = [
    "MultiReference",
    "frontier_of",
    "multi_distances",
    "multi_reference",
    "outcome_utilities",
    "reference_points_multi",
]

FloatArray = npt.NDArray[np.float64]
Point = tuple[float, ...]


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


def outcome_utilities(scenario: Scenario) -> tuple[FloatArray, Point, str]:
    """Every party's utility (``(G, P)``, columns in listing order) of every outcome of the
    analysis grid, the disagreement point and how the outcomes were chosen."""
    problem = bargaining_problem(scenario)
    grid = problem.grid
    exact = all(
        issue.kind == "categorical"
        or (
            issue.kind == "integer"
            and issue.range is not None
            and len(vals) == issue.range[1] - issue.range[0] + 1
        )
        for issue, vals in zip(grid.issues, grid.values, strict=True)
    )
    method = "exact (every outcome)" if exact else f"grid ({grid.size:,} outcomes)"
    d = tuple(float(p.outside_option) for p in problem.parties)
    return np.asarray(problem.utilities.T, dtype=np.float64), d, method


def frontier_of(u: FloatArray) -> FloatArray:
    """The distinct Pareto-optimal rows of ``u`` (``(G, P)``), in lexicographic order.

    >>> frontier_of(np.array([[1.0, 0, 0], [0, 1, 0], [0.5, 0.5, 0], [0.4, 0.4, 0],
    ...                       [0, 0, 1], [1.0, 0, 0]])).tolist()
    [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [0.5, 0.5, 0.0], [1.0, 0.0, 0.0]]
    """
    pts = np.asarray(u, dtype=np.float64)
    keep = pareto_set(pts.T)
    return np.asarray(np.unique(pts[keep], axis=0), dtype=np.float64)


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

    def at(k: int | None) -> Point | None:
        return None if k is None else tuple(float(x) for x in pts[k])

    return (
        at(nash_point(pts.T, dd)),
        at(kalai_smorodinsky_point(pts.T, dd)),
        at(egalitarian_point(pts.T, dd)),
    )


@functools.lru_cache(maxsize=32)
def multi_reference(scenario_text: str, scenario_format: str = "yaml") -> MultiReference:
    """The reference points of a scenario given as text, any number of parties (cached)."""
    scenario = parse_scenario_text(scenario_text, fmt=scenario_format).scenario
    u, d, method = outcome_utilities(scenario)
    front = frontier_of(u)
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
