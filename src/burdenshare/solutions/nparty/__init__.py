"""Bargaining solutions of two or more parties on a finite set of outcomes: pure functions of a
``(P, G)`` utility array (one row per party, one column per outcome) and a disagreement vector.

One concept per module, each citing its source: the Pareto set and the frontier's extreme
points (:mod:`.pareto`), the zone of agreement under unanimity or a majority (:mod:`.zone`), the
symmetric and weighted Nash solution (:mod:`.nash`), Kalai-Smorodinsky
(:mod:`.kalai_smorodinsky`), egalitarian (:mod:`.egalitarian`) and utilitarian
(:mod:`.utilitarian`) points. Each solution returns an outcome's index, or None when no outcome
is individually rational; with two parties they agree with the discrete solvers of
:mod:`burdenshare.solutions` (a property test checks it).
"""

from __future__ import annotations

from burdenshare.solutions.nparty.egalitarian import egalitarian_point
from burdenshare.solutions.nparty.kalai_smorodinsky import (
    ideal_point_n,
    kalai_smorodinsky_level,
    kalai_smorodinsky_point,
)
from burdenshare.solutions.nparty.nash import nash_point, nash_product
from burdenshare.solutions.nparty.pareto import extreme_points, pareto_set
from burdenshare.solutions.nparty.utilitarian import utilitarian_point
from burdenshare.solutions.nparty.zone import acceptance_counts, zone_mask

__all__ = [
    "acceptance_counts",
    "egalitarian_point",
    "extreme_points",
    "ideal_point_n",
    "kalai_smorodinsky_level",
    "kalai_smorodinsky_point",
    "nash_point",
    "nash_product",
    "pareto_set",
    "utilitarian_point",
    "zone_mask",
]
