"""The reference points a tournament measures sessions against: the Pareto frontier and Nash.

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
  kept exactly as the scenario gives them (no normalisation moves them).

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
from burdenshare.solutions import nash_discrete

__all__ = ["DomainReference", "domain_reference", "reference_distances"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class DomainReference:
    """A domain's frontier points, Nash point and disagreement point (party order of the file)."""

    frontier_u1: FloatArray
    frontier_u2: FloatArray
    #: the Nash point, or None when no frontier point is individually rational
    nash: tuple[float, float] | None
    disagreement: tuple[float, float]
    method: str


@functools.lru_cache(maxsize=32)
def domain_reference(scenario_text: str, scenario_format: str = "yaml") -> DomainReference:
    """The reference points of a scenario given as text (cached per process)."""
    scenario = parse_scenario_text(scenario_text, fmt=scenario_format).scenario
    problem = bargaining_problem(scenario)
    entries = pareto_frontier_entries(problem)
    u1 = np.array([p["u1"] for p in entries["points"]], dtype=np.float64)
    u2 = np.array([p["u2"] for p in entries["points"]], dtype=np.float64)
    d = problem.disagreement
    k = nash_discrete(u1, u2, d)
    nash = None if k is None else (float(u1[k]), float(u2[k]))
    return DomainReference(u1, u2, nash, (float(d[0]), float(d[1])), str(entries["method"]))


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
    from scipy.spatial import cKDTree  # exact nearest neighbour, O(log m) per query

    tree = cKDTree(np.stack([ref.frontier_u1, ref.frontier_u2], axis=1))
    pareto, _ = tree.query(np.stack([a, b], axis=1))
    pareto = np.asarray(pareto, dtype=np.float64)
    if ref.nash is None:
        nash = np.full(a.size, math.nan)
    else:
        nash = np.hypot(a - ref.nash[0], b - ref.nash[1])
    return pareto, nash
