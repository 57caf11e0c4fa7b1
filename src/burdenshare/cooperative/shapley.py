"""The Shapley value of a cost game, exactly, by summing over coalitions.

Player i pays its expected marginal cost when the players arrive in a uniformly random order
[Shapley1953]_ (formula (1) of the paper, written for costs)::

    phi_i = sum_{S subset of N \\ {i}}  |S|! (n - |S| - 1)! / n!  *  (c(S + i) - c(S))

It is the one rule that is efficient, symmetric, gives a dummy player (c(S + i) = c(S) + c({i})
for all S) its stand-alone cost, and is additive over games [Shapley1953]_. Exact in
O(n 2^n) operations; the game's limit (20 players) keeps it below a second.

For the airport game ``c(S) = max_S c_i`` it has the closed form of Littlechild & Owen
[LittlechildOwen1973]_: with costs sorted ``c_(1) <= ... <= c_(n)`` and ``c_(0) = 0``, each
runway segment ``c_(k) - c_(k-1)`` is shared equally by the ``n - k + 1`` players who use it::

    phi_(j) = sum_{k = 1}^{j} (c_(k) - c_(k-1)) / (n - k + 1)

.. [Shapley1953] L. S. Shapley, "A value for n-person games", in H. W. Kuhn and A. W. Tucker
   (eds.), *Contributions to the Theory of Games II*, Annals of Mathematics Studies 28, Princeton
   University Press (1953) 307-317.
.. [LittlechildOwen1973] S. C. Littlechild and G. Owen, "A simple expression for the Shapley
   value in a special case", *Management Science* 20(3) (1973) 370-372.

>>> from burdenshare.cooperative.game import cost_game
>>> g = cost_game(("A", "B"), {("A",): 70, ("B",): 40, ("A", "B"): 90})
>>> shapley_value(g).tolist()
[60.0, 30.0]
>>> [round(x, 9) for x in airport_shapley((1.0, 3.0, 6.0))]
[0.333333333, 1.333333333, 4.333333333]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from burdenshare.cooperative.game import CostGame, popcounts

__all__ = ["airport_shapley", "shapley_value"]


def shapley_value(game: CostGame) -> NDArray[np.float64]:
    """Each player's Shapley value (listing order), formula (1) of [Shapley1953]_."""
    n = game.n
    sizes = popcounts(n)
    # weight of a coalition S of size s not containing i: s! (n - s - 1)! / n!
    weight = np.array(
        [math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) for s in range(n)]
    )
    masks = np.arange(1 << n)
    out = np.empty(n)
    for i in range(n):
        bit = 1 << i
        without = masks[(masks & bit) == 0]
        marginal = game.costs[without | bit] - game.costs[without]
        out[i] = float(np.dot(weight[sizes[without]], marginal))
    return out


def airport_shapley(stand_alone: Sequence[float]) -> list[float]:
    """The Shapley value of the airport game, by the closed form of [LittlechildOwen1973]_."""
    c = [float(x) for x in stand_alone]
    n = len(c)
    order = sorted(range(n), key=lambda i: c[i])
    out = [0.0] * n
    share = previous = 0.0
    for k, i in enumerate(order):  # k = 0-based rank; n - k players use this segment
        share += (c[i] - previous) / (n - k)
        previous = c[i]
        out[i] = share
    return out
