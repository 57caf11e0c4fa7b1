"""Two-level games: a Nash bargain constrained by domestic ratification (Putnam 1988).

Party B's negotiator can only sign what B's domestic ratifier accepts (B's *win-set*). Putnam's
"Schelling conjecture" is that a smaller win-set makes agreement less likely but, if agreement is
reached, gives B better terms [Putnam1988]_. Under complete information the bargain is the Nash
solution restricted to the win-set: by Nash's independence of irrelevant alternatives
[Nash1950]_, removing unratifiable agreements leaves the solution unchanged when it is ratifiable
and otherwise moves it to the boundary of the win-set. On a unit pie with ``x`` = A's share and B's
ratifier accepting only ``x <= r_B``::

    x = clamp(x_NBS, d_A, min(1 - d_B, r_B)),  no agreement if r_B < d_A

.. [Putnam1988] R. D. Putnam, "Diplomacy and domestic politics: the logic of two-level games",
   *International Organization* 42 (1988) 427-460.
.. [Nash1950] J. F. Nash, "The bargaining problem", *Econometrica* 18 (1950) 155-162.

>>> from burdenshare.solutions import ratified_nash_pie
>>> [ratified_nash_pie(0.0, 0.0, r_B) for r_B in (0.8, 0.4, 0.3)]
[0.5, 0.4, 0.3]
>>> print(ratified_nash_pie(0.3, 0.0, 0.2))
None
"""

from __future__ import annotations

from collections.abc import Sequence

from burdenshare.solutions import _validate
from burdenshare.solutions.frontier import Frontier, UtilityPoint
from burdenshare.solutions.nash import nash_on_frontier, nash_pie

__all__ = ["ratified_nash_on_frontier", "ratified_nash_pie"]


def ratified_nash_pie(d_A: float, d_B: float, r_B: float, alpha: float = 0.5) -> float | None:
    """A's share of a unit pie under the Nash solution restricted to B's win-set ``x <= r_B``.

    Args:
        d_A, d_B: disagreement payoffs of A and B.
        r_B: the largest share for A that B's ratifier accepts.
        alpha: A's bargaining power, in (0, 1).

    Returns:
        ``clamp(x_NBS, d_A, min(1 - d_B, r_B))``, or None when no ratifiable agreement is rational
        (``r_B < d_A`` or ``d_A + d_B > 1``). B's gain from the constraint is ``x_NBS - x``.
    """
    r = _validate.finite("r_B", r_B)
    unconstrained = nash_pie(d_A, d_B, alpha)
    if unconstrained is None or r < d_A:
        return None
    return min(max(unconstrained, d_A), min(1.0 - d_B, r))


def ratified_nash_on_frontier(
    frontier: Frontier, d: Sequence[float], min_u2: float, alpha: float = 0.5
) -> UtilityPoint | None:
    """Nash solution on the part of the frontier where party 2 (B) gets at least ``min_u2``.

    ``min_u2`` is the utility B's ratifier demands; the disagreement point ``d`` is unchanged
    (a ratification constraint restricts the feasible set, it is not a threat point). None when no
    rational point is ratifiable.

    >>> p = ratified_nash_on_frontier(Frontier.linear(), (0.0, 0.0), min_u2=0.7)
    >>> round(p.u1, 12), round(p.u2, 12)
    (0.3, 0.7)
    """
    d1, d2 = _validate.point("d", d)
    level = _validate.finite("min_u2", min_u2)
    win_set = frontier.restricted((d1, max(d2, level)))
    if win_set is None:
        return None
    return nash_on_frontier(win_set, (d1, d2), alpha)
