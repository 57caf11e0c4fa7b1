"""Cost games with structure, built from a few numbers per player.

- :func:`airport_game`: the airport game of Littlechild & Owen [LittlechildOwen1973]_. A runway
  long enough for the largest aircraft of a coalition serves all of it, so
  ``c(S) = max_{i in S} c_i`` with ``c_i`` the cost of the runway player i needs alone. For an
  alliance: a shared facility (a base, a pipeline, a radar network) built to the most demanding
  member's requirement.
- :func:`facility_game`: a coalition either serves each member on its own (the sum of their
  stand-alone costs) or builds one joint facility (a fixed cost plus each member's marginal cost
  there), whichever is cheaper: ``c(S) = min(sum_{i in S} a_i, F + sum_{i in S} m_i)``. It is the
  simplest "build separately or together" game of the cost-allocation literature ([Young1985]_,
  ch. 1, for the shared-facility setting); the formula here is this module's construction, not a
  quotation.

.. [LittlechildOwen1973] S. C. Littlechild and G. Owen, "A simple expression for the Shapley
   value in a special case", *Management Science* 20(3) (1973) 370-372.
.. [Young1985] H. P. Young (ed.), *Cost Allocation: Methods, Principles, Applications*,
   North-Holland (1985).

>>> g = airport_game(("A", "B", "C"), (1.0, 3.0, 6.0))
>>> g.cost(("A", "B")), g.total
(3.0, 6.0)
>>> f = facility_game(("A", "B"), stand_alone=(70, 40), fixed=90)
>>> f.cost(("A",)), f.total
(70.0, 90.0)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from burdenshare.cooperative.game import CostGame, _players
from burdenshare.errors import ScenarioError

__all__ = ["airport_game", "facility_game"]


def airport_game(players: Sequence[str], stand_alone: Sequence[float]) -> CostGame:
    """The airport game ``c(S) = max_{i in S} c_i`` [LittlechildOwen1973]_."""
    names = _players(players)
    c = _amounts(stand_alone, len(names), "game.stand_alone")
    costs = np.zeros(1 << len(names))
    for i, ci in enumerate(c):
        lo, hi = 1 << i, 1 << (i + 1)
        costs[lo:hi] = np.maximum(costs[:lo], ci)
    return CostGame.from_array(names, costs)


def facility_game(
    players: Sequence[str],
    *,
    stand_alone: Sequence[float],
    fixed: float,
    marginal: Sequence[float] | None = None,
) -> CostGame:
    """``c(S) = min(sum_S a_i, F + sum_S m_i)``: each alone, or one joint facility.

    ``stand_alone`` are the a_i, ``fixed`` the joint facility's fixed cost F and ``marginal`` the
    m_i (each member's own cost at the joint facility; zero if not given).
    """
    names = _players(players)
    a = _amounts(stand_alone, len(names), "game.stand_alone")
    m = _amounts(marginal or [0.0] * len(names), len(names), "game.marginal")
    f = _amounts([fixed], 1, "game.fixed")[0]
    alone = np.zeros(1 << len(names))
    joint = np.zeros(1 << len(names))
    for i in range(len(names)):
        lo, hi = 1 << i, 1 << (i + 1)
        alone[lo:hi] = alone[:lo] + a[i]
        joint[lo:hi] = joint[:lo] + m[i]
    costs = np.minimum(alone, f + joint)
    costs[0] = 0.0
    return CostGame.from_array(names, costs)


def _amounts(values: Sequence[float], n: int, field: str) -> list[float]:
    out = [float(v) for v in values]
    if len(out) != n:
        raise ScenarioError(
            f"{len(out)} amounts for {n} players", field=field, expected=f"{n} amounts"
        )
    for v in out:
        if not np.isfinite(v) or v < 0:
            raise ScenarioError(
                "an amount must be finite and >= 0", field=field, value=v, expected=">= 0"
            )
    return out
