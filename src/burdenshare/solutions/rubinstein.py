"""Rubinstein's alternating-offers bargaining: the subgame-perfect equilibrium (SPE) split.

Two parties alternate proposals over an infinite horizon; a rejected offer costs the responder a
round of discounting (``delta_i`` per round). The unique SPE has immediate agreement on the
proposer's stationary offer [Rubinstein1982]_. On a unit pie with linear utilities and player 1
proposing first::

    x1* = (1 - delta2) / (1 - delta1 delta2),   x2* = delta2 (1 - delta1) / (1 - delta1 delta2)

With ``delta_i = exp(-r_i Delta)`` and the time between offers ``Delta -> 0``,
``x1* -> r2 / (r1 + r2)``: the more patient party (lower ``r``) gets more, and the first-mover
advantage vanishes.

On a general frontier the SPE is the pair of stationary proposals ``x`` (by party 1) and ``y``
(by party 2), both on the frontier, that leave the responder indifferent::

    u2(x) - d2 = delta2 (u2(y) - d2),      u1(y) - d1 = delta1 (u1(x) - d1)

Algorithm (:func:`rubinstein_on_frontier`): ``y1`` is a function of ``x1`` by the second equation;
substituting in the first gives a 1-D fixed point ``x1 = phi(x1)`` in ``[lo, hi]`` (the rational
range), with ``phi(lo) >= lo`` and ``phi(hi) <= hi``; solve ``phi(x1) - x1 = 0`` by Brent's method.
Where a constraint cannot bind on the frontier (free disposal), the proposer takes its maximum.

.. [Rubinstein1982] A. Rubinstein, "Perfect equilibrium in a bargaining model", *Econometrica* 50
   (1982) 97-109.

>>> from burdenshare.solutions import rubinstein_shares, rubinstein_continuous_limit
>>> x1, x2 = rubinstein_shares(0.9, 0.8)
>>> round(x1, 6), round(x2, 6)
(0.714286, 0.285714)
>>> rubinstein_continuous_limit(0.05, 0.1)
0.6666666666666666
"""

from __future__ import annotations

from collections.abc import Sequence

from burdenshare.solutions import _numeric, _validate
from burdenshare.solutions.frontier import Frontier, UtilityPoint

__all__ = ["rubinstein_continuous_limit", "rubinstein_on_frontier", "rubinstein_shares"]


def rubinstein_shares(delta1: float, delta2: float) -> tuple[float, float]:
    """SPE shares ``(x1, x2)`` of a unit pie when player 1 proposes first [Rubinstein1982]_.

    ``x1 = (1 - delta2) / (1 - delta1 delta2)``, ``x2 = 1 - x1``; both discount factors in (0, 1).
    """
    a = _validate.open_unit("delta1", delta1)
    b = _validate.open_unit("delta2", delta2)
    denominator = 1.0 - a * b
    x1 = (1.0 - b) / denominator
    return x1, b * (1.0 - a) / denominator


def rubinstein_continuous_limit(r1: float, r2: float) -> float:
    """Player 1's share as the time between offers goes to 0: ``r2 / (r1 + r2)``.

    ``r1, r2 > 0`` are the parties' discount *rates* (``delta_i = exp(-r_i Delta)``).
    """
    a = _validate.positive("r1", r1)
    b = _validate.positive("r2", r2)
    return b / (a + b)


def rubinstein_on_frontier(
    frontier: Frontier,
    delta1: float,
    delta2: float,
    d: Sequence[float] = (0.0, 0.0),
    first_mover: int = 1,
) -> UtilityPoint | None:
    """The first proposer's SPE offer (accepted at once) on a general frontier; None if no ZOPA.

    Args:
        frontier: the Pareto frontier.
        delta1, delta2: per-round discount factors, in (0, 1).
        d: disagreement point (the payoff of perpetual disagreement); gains are discounted.
        first_mover: 1 or 2.
    """
    a = _validate.open_unit("delta1", delta1)
    b = _validate.open_unit("delta2", delta2)
    return alternating_offers_point(frontier, a, b, _validate.point("d", d), first_mover)


def alternating_offers_point(
    frontier: Frontier,
    delta1: float,
    delta2: float,
    d: tuple[float, float],
    first_mover: int,
) -> UtilityPoint | None:
    """Stationary alternating-offers proposal (shared with the breakdown-risk model).

    Discount factors are already validated here and may equal 1 for at most one party.
    """
    mover = _validate.first_mover(first_mover)
    d1, d2 = d
    ir = frontier.restricted(d)
    if ir is None:
        return None
    lo, hi = ir.u1_min, ir.u1_max

    def responder_two_offer(x1: float) -> float:
        """Party 2's proposal ``y1`` given that party 1 would propose ``x1`` next round."""
        return max(lo, d1 + delta1 * (x1 - d1))

    def phi(x1: float) -> float:
        y1 = responder_two_offer(x1)
        required = d2 + delta2 * (ir.u2_at(y1) - d2)
        best = ir.max_u1_given(required)
        return lo if best is None else best

    x1 = _numeric.root(lambda x: phi(x) - x, lo, hi)
    if mover == 1:
        return ir.point_at(x1)
    return ir.point_at(min(responder_two_offer(x1), hi))
