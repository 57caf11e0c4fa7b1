"""The reference points a tournament measures sessions against: Pareto, Nash, KS and Kalai.

ANAC reports, besides each agent's utility, how far the agreements land from the Pareto frontier
and from the Nash point (Baarslag et al. 2013, "Evaluating practical negotiating agents: results
and analysis of the 2011 international competition", *Artificial Intelligence* 198:73-103,
sec. 5.3). Here both are measured in the utility plane of the two parties, with the Euclidean
distance:

- *distance to Pareto* of a utility pair ``u``: ``min_k ||u - f_k||`` over the frontier points
  ``f_k`` (the exact frontier of a discrete domain, or the analysis grid's frontier when an issue
  is continuous; :func:`burdenshare.analysis.frontier_points.pareto_frontier_entries`);
- *distance to Nash*: ``||u - n||`` where ``n`` maximises ``(u1 - d1)(u2 - d2)`` over the
  frontier points that both parties prefer to walking away (Nash 1950), ``d`` the outside options
  kept exactly as the scenario gives them (no normalisation moves them);
- *distance to Kalai-Smorodinsky*: ``||u - k||`` where ``k`` maximises
  ``min_i (u_i - d_i) / (I_i - d_i)`` over the same points, ``I`` their ideal point (Kalai &
  Smorodinsky 1975; :func:`~burdenshare.solutions.kalai_smorodinsky_discrete`);
- *distance to Kalai* (egalitarian): ``||u - e||`` where ``e`` maximises ``min_i (u_i - d_i)``,
  equal absolute gains over the outside options (Kalai 1977;
  :func:`~burdenshare.solutions.egalitarian_discrete`), NegMAS's "Kalai point". It compares
  utilities across parties, which GENIUS's normalised [0, 1] utilities allow.

The three points are taken among the frontier points with both parties' ties broken as the
solution functions break them (larger utility sum, then the lower index); each is None when no
frontier point is at least as good as walking away for both.

A session without agreement is measured at its disagreement point ``d``. Everything is at the
scenario's central values on the protocol's start date.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from burdenshare.analysis.frontier_points import pareto_frontier_entries
from burdenshare.analysis.problem import bargaining_problem
from burdenshare.scenario.io import parse_scenario_text
from burdenshare.solutions import (
    egalitarian_discrete,
    kalai_smorodinsky_discrete,
    nash_discrete,
)

__all__ = [
    "DISTANCE_COLUMNS",
    "DomainReference",
    "all_distances",
    "domain_reference",
    "reference_distances",
    "reference_points",
]

#: the per-session distance columns, by the reference they measure against
DISTANCE_COLUMNS: dict[str, str] = {
    "distance_pareto": "the nearest Pareto-frontier point",
    "distance_nash": "the Nash point",
    "distance_ks": "the Kalai-Smorodinsky point",
    "distance_kalai": "the Kalai (egalitarian) point",
}

Point = tuple[float, float]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class DomainReference:
    """A domain's frontier points, its Nash, Kalai-Smorodinsky and Kalai (egalitarian) points
    and its disagreement point (party order of the file)."""

    frontier_u1: FloatArray
    frontier_u2: FloatArray
    #: the Nash point, or None when no frontier point is individually rational
    nash: Point | None
    disagreement: Point
    method: str
    #: the Kalai-Smorodinsky point (None as for Nash)
    kalai_smorodinsky: Point | None = None
    #: the Kalai (egalitarian) point (None as for Nash)
    kalai: Point | None = None


def reference_points(
    u1: FloatArray, u2: FloatArray, d: Point
) -> tuple[Point | None, Point | None, Point | None]:
    """The Nash, Kalai-Smorodinsky and Kalai (egalitarian) points among the utility pairs
    ``(u1[k], u2[k])`` for disagreement point ``d`` (each None if no pair is rational).

    On a unit pie with nothing outside all three are the even split; scale the second party's
    utility by 1/2 and Nash and Kalai-Smorodinsky, being scale invariant, still split the pie,
    while Kalai equalises the gains: ``u1 = (1 - u1) / 2`` gives ``(1/3, 1/3)``.

    >>> x = np.arange(13) / 12
    >>> reference_points(x, 1 - x, (0.0, 0.0))
    ((0.5, 0.5), (0.5, 0.5), (0.5, 0.5))
    >>> n, ks, k = reference_points(x, (1 - x) / 2, (0.0, 0.0))
    >>> n, ks, [round(v, 12) for v in k]
    ((0.5, 0.25), (0.5, 0.25), [0.333333333333, 0.333333333333])
    """

    def at(k: int | None) -> Point | None:
        return None if k is None else (float(u1[k]), float(u2[k]))

    return (
        at(nash_discrete(u1, u2, d)),
        at(kalai_smorodinsky_discrete(u1, u2, d)),
        at(egalitarian_discrete(u1, u2, d)),
    )


@functools.lru_cache(maxsize=32)
def domain_reference(scenario_text: str, scenario_format: str = "yaml") -> DomainReference:
    """The reference points of a scenario given as text (cached per process)."""
    scenario = parse_scenario_text(scenario_text, fmt=scenario_format).scenario
    problem = bargaining_problem(scenario)
    entries = pareto_frontier_entries(problem)
    u1 = np.array([p["u1"] for p in entries["points"]], dtype=np.float64)
    u2 = np.array([p["u2"] for p in entries["points"]], dtype=np.float64)
    d = (float(problem.disagreement[0]), float(problem.disagreement[1]))
    nash, ks, kalai = reference_points(u1, u2, d)
    return DomainReference(u1, u2, nash, d, str(entries["method"]), ks, kalai)


def _to_point(point: Point | None, a: FloatArray, b: FloatArray) -> FloatArray:
    """Euclidean distance of each ``(a[i], b[i])`` to ``point`` (NaN everywhere if None)."""
    if point is None:
        return np.full(a.size, math.nan)
    return np.asarray(np.hypot(a - point[0], b - point[1]), dtype=np.float64)


def _to_frontier(ref: DomainReference, a: FloatArray, b: FloatArray) -> FloatArray:
    """Distance of each ``(a[i], b[i])`` to the nearest frontier point."""
    from scipy.spatial import cKDTree  # exact nearest neighbour, O(log m) per query

    tree = cKDTree(np.stack([ref.frontier_u1, ref.frontier_u2], axis=1))
    pareto, _ = tree.query(np.stack([a, b], axis=1))
    return np.asarray(pareto, dtype=np.float64)


def reference_distances(
    ref: DomainReference, u1: FloatArray, u2: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Distances of each utility pair ``(u1[i], u2[i])`` to the nearest point of the frontier
    (its Pareto-optimal outcomes, as ANAC measures it on discrete domains) and to the Nash point.

    >>> ref = DomainReference(np.array([0.0, 1.0]), np.array([1.0, 0.0]), (1.0, 0.0),
    ...                       (0.0, 0.0), "exact")
    >>> p, n = reference_distances(ref, np.array([0.0, 0.5]), np.array([0.0, 0.5]))
    >>> [round(x, 6) for x in p.tolist()], [round(x, 6) for x in n.tolist()]
    ([1.0, 0.707107], [1.0, 0.707107])
    """
    a = np.asarray(u1, dtype=np.float64)
    b = np.asarray(u2, dtype=np.float64)
    return _to_frontier(ref, a, b), _to_point(ref.nash, a, b)


def all_distances(ref: DomainReference, u1: FloatArray, u2: FloatArray) -> dict[str, FloatArray]:
    """The :data:`DISTANCE_COLUMNS` of each utility pair ``(u1[i], u2[i])``: to the nearest
    frontier point and to the Nash, Kalai-Smorodinsky and Kalai points (NaN where a point is
    None).

    >>> x = np.arange(5) / 4
    >>> ref = DomainReference(x, 1 - x, (0.5, 0.5), (0.0, 0.0), "exact", (0.5, 0.5), (0.5, 0.5))
    >>> [round(float(v[0]), 6) for v in all_distances(ref, [1.0], [0.0]).values()]
    [0.0, 0.707107, 0.707107, 0.707107]
    """
    a = np.asarray(u1, dtype=np.float64)
    b = np.asarray(u2, dtype=np.float64)
    return {
        "distance_pareto": _to_frontier(ref, a, b),
        "distance_nash": _to_point(ref.nash, a, b),
        "distance_ks": _to_point(ref.kalai_smorodinsky, a, b),
        "distance_kalai": _to_point(ref.kalai, a, b),
    }
