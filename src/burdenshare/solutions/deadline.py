"""Alternating offers with a deadline: finite-horizon backward induction.

Parties alternate proposals for at most ``T`` rounds; if the last offer is rejected both get the
disagreement payoff. By backward induction the last proposer takes everything above the responder's
disagreement payoff, and in each earlier round the proposer offers the responder exactly its
discounted continuation value ``d_R + delta_R (v_R - d_R)`` [Stahl1972]_, [Rubinstein1982]_. On a
unit pie with a common discount factor and player 1 proposing first::

    x1(T) = (1 - (-delta)^T) / (1 + delta)

so the share oscillates with the parity of ``T`` (a last-mover advantage near the deadline) and
converges to Rubinstein's ``1 / (1 + delta)`` as ``T -> infinity``.

.. [Stahl1972] I. Stahl, *Bargaining Theory*, Stockholm School of Economics (1972).
.. [Rubinstein1982] A. Rubinstein, "Perfect equilibrium in a bargaining model", *Econometrica* 50
   (1982) 97-109.

>>> from burdenshare.solutions import deadline_share
>>> [round(deadline_share(T, 0.9), 6) for T in range(1, 7)]
[1.0, 0.1, 0.91, 0.181, 0.8371, 0.24661]
"""

from __future__ import annotations

import operator
from collections.abc import Sequence

from burdenshare.errors import SolverError
from burdenshare.solutions import _validate
from burdenshare.solutions.frontier import Frontier, UtilityPoint

__all__ = ["deadline_backward_induction", "deadline_share"]


def _rounds(T: int) -> int:
    try:
        rounds = operator.index(T)
    except TypeError:
        raise SolverError(f"T must be a whole number of rounds >= 1, got {T!r}") from None
    if isinstance(T, bool) or rounds < 1:
        raise SolverError(f"T must be a whole number of rounds >= 1, got {T!r}")
    return rounds


def deadline_share(T: int, delta: float) -> float:
    """Player 1's SPE share of a unit pie with ``T`` rounds, common ``delta`` in (0, 1], 1 first.

    ``x1(T) = (1 - (-delta)^T) / (1 + delta)``.
    """
    rounds = _rounds(T)
    a = _validate.half_open_unit("delta", delta)
    return (1.0 - (-a) ** rounds) / (1.0 + a)


def deadline_backward_induction(
    frontier: Frontier,
    T: int,
    delta1: float,
    delta2: float,
    d: Sequence[float] = (0.0, 0.0),
    first_mover: int = 1,
) -> UtilityPoint | None:
    """The round-1 SPE proposal (accepted at once) with ``T`` rounds on any frontier.

    Args:
        frontier: the Pareto frontier.
        T: number of rounds (>= 1); after round ``T`` talks end at ``d``.
        delta1, delta2: per-round discount factors, in (0, 1].
        d: disagreement point.
        first_mover: 1 or 2 (the parties then alternate).

    Returns:
        The agreed utility pair, or None when no frontier point gives both at least ``d``.

    >>> p = deadline_backward_induction(Frontier.linear(), 3, 0.9, 0.9)
    >>> round(p.u1, 12), round(p.u2, 12)
    (0.91, 0.09)
    """
    rounds = _rounds(T)
    a = _validate.half_open_unit("delta1", delta1)
    b = _validate.half_open_unit("delta2", delta2)
    mover = _validate.first_mover(first_mover)
    d1, d2 = _validate.point("d", d)
    ir = frontier.restricted((d1, d2))
    if ir is None:
        return None
    v1, v2 = d1, d2  # continuation value after the final rejection
    for t in range(rounds, 0, -1):
        proposer = mover if (t - 1) % 2 == 0 else 3 - mover
        if proposer == 1:
            best = ir.max_u1_given(d2 + b * (v2 - d2))
            x1 = ir.u1_min if best is None else best
        else:
            x1 = min(max(d1 + a * (v1 - d1), ir.u1_min), ir.u1_max)
        v1, v2 = x1, ir.u2_at(x1)
    return UtilityPoint(v1, v2)
