"""Alternating offers under a risk of breakdown (Binmore, Rubinstein & Wolinsky 1986).

After each rejection the talks break down for good with probability ``p``, leaving the parties at
the breakdown point ``b = (b1, b2)``; there is no time discounting. A responder accepts an offer
worth at least ``(1 - p) * (its value as next proposer) + p * b_i``, so the stationary SPE is
Rubinstein's with ``delta_i`` replaced by ``1 - p`` and the disagreement point by ``b``
[BRW1986]_. On a unit pie with linear utilities the first proposer gets::

    x1 = b1 + (1 - b1 - b2) / (2 - p)

As ``p -> 0`` this converges to the symmetric Nash solution with disagreement point ``b`` (the
*breakdown* payoff, not an inside option earned during talks) -- the classic justification for
Nash's axioms as the limit of a strategic model.

.. [BRW1986] K. Binmore, A. Rubinstein and A. Wolinsky, "The Nash bargaining solution in economic
   modelling", *RAND Journal of Economics* 17 (1986) 176-188.

>>> from burdenshare.solutions import breakdown_risk_share
>>> round(breakdown_risk_share(0.1), 6)
0.526316
>>> round(breakdown_risk_share(0.01, b1=0.2, b2=0.1), 6)
0.551759
"""

from __future__ import annotations

from collections.abc import Sequence

from burdenshare.solutions import _validate
from burdenshare.solutions.frontier import Frontier, UtilityPoint
from burdenshare.solutions.nash import nash_on_frontier
from burdenshare.solutions.rubinstein import alternating_offers_point

__all__ = ["breakdown_risk_on_frontier", "breakdown_risk_share"]


def breakdown_risk_share(p: float, b1: float = 0.0, b2: float = 0.0) -> float | None:
    """First proposer's stationary SPE share of a unit pie: ``b1 + (1 - b1 - b2) / (2 - p)``.

    Args:
        p: probability of breakdown after each rejection, in [0, 1].
        b1, b2: breakdown payoffs; None is returned when ``b1 + b2 > 1`` (no agreement is rational).
    """
    q = _validate.probability("p", p)
    a = _validate.finite("b1", b1)
    b = _validate.finite("b2", b2)
    surplus = 1.0 - a - b
    if surplus < 0:
        return None
    return a + surplus / (2.0 - q)


def breakdown_risk_on_frontier(
    frontier: Frontier,
    p: float,
    b: Sequence[float] = (0.0, 0.0),
    first_mover: int = 1,
) -> UtilityPoint | None:
    """The first proposer's stationary SPE offer on a frontier (None if ``b`` is infeasible).

    Solves ``u_R(offer) - b_R = (1 - p) (u_R(own proposal) - b_R)`` for both responders. At
    ``p = 0`` the strategic model has a continuum of equilibria; its ``p -> 0`` limit, the Nash
    solution with disagreement point ``b``, is returned.
    """
    q = _validate.probability("p", p)
    point = _validate.point("b", b)
    _validate.first_mover(first_mover)
    if q == 0.0:
        return nash_on_frontier(frontier, point)
    return alternating_offers_point(frontier, 1.0 - q, 1.0 - q, point, first_mover)
