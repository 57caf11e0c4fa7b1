"""Bargaining solutions in two-party utility space: pure functions, numbers in, points out.

Each concept lives in its own module and cites its source: the zone of possible agreement
(:mod:`.zopa`), Pareto filtering (:mod:`.pareto`), the Nash, Kalai-Smorodinsky, egalitarian and
utilitarian solutions, Rubinstein's alternating offers, finite deadlines, breakdown risk and
ratification-constrained (two-level) bargaining. ``None`` always means "no agreement": the
individually rational part of the feasible set is empty. Impossible parameters raise
:class:`burdenshare.errors.SolverError`.
"""

from __future__ import annotations

from burdenshare.solutions.breakdown_risk import breakdown_risk_on_frontier, breakdown_risk_share
from burdenshare.solutions.deadline import deadline_backward_induction, deadline_share
from burdenshare.solutions.egalitarian import egalitarian_discrete, egalitarian_on_frontier
from burdenshare.solutions.frontier import Frontier, UtilityPoint
from burdenshare.solutions.kalai_smorodinsky import (
    ideal_point,
    kalai_smorodinsky_discrete,
    kalai_smorodinsky_on_frontier,
)
from burdenshare.solutions.nash import nash_discrete, nash_on_frontier, nash_pie
from burdenshare.solutions.pareto import pareto_frontier_2d, pareto_mask
from burdenshare.solutions.ratifier_uncertainty import RatifierOffer, uncertain_ratifier_offer
from burdenshare.solutions.rubinstein import (
    rubinstein_continuous_limit,
    rubinstein_on_frontier,
    rubinstein_shares,
)
from burdenshare.solutions.two_level import ratified_nash_on_frontier, ratified_nash_pie
from burdenshare.solutions.utilitarian import utilitarian_discrete, utilitarian_on_frontier
from burdenshare.solutions.zopa import feasible_mask, zopa_interval

__all__ = [
    "Frontier",
    "RatifierOffer",
    "UtilityPoint",
    "breakdown_risk_on_frontier",
    "breakdown_risk_share",
    "deadline_backward_induction",
    "deadline_share",
    "egalitarian_discrete",
    "egalitarian_on_frontier",
    "feasible_mask",
    "ideal_point",
    "kalai_smorodinsky_discrete",
    "kalai_smorodinsky_on_frontier",
    "nash_discrete",
    "nash_on_frontier",
    "nash_pie",
    "pareto_frontier_2d",
    "pareto_mask",
    "ratified_nash_on_frontier",
    "ratified_nash_pie",
    "rubinstein_continuous_limit",
    "rubinstein_on_frontier",
    "rubinstein_shares",
    "uncertain_ratifier_offer",
    "utilitarian_discrete",
    "utilitarian_on_frontier",
    "zopa_interval",
]
