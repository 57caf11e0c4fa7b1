"""Relative tit-for-tat: reciprocate the opponent's concessions in proportion.

Faratin, Sierra & Jennings (1998), "Negotiation decision functions for autonomous agents",
*Robotics and Autonomous Systems* 24:159-182, section 4.3.1 (relative tit-for-tat), written in the
negotiator's own utility. Let ``v_n`` be the utility (to this negotiator) of the opponent's ``n``-th
offer. The opponent's last concession, relative to what its earlier offer left this negotiator
to gain, is::

    r = (v_n - v_{n-delta}) / (1 - v_{n-delta})      clipped to [0, 1]

(``r = 0`` with fewer than ``delta + 1`` opponent offers, or if ``v_{n-delta} >= 1``). The
negotiator opens at its ideal (level 1) and, at each later proposal, concedes the same
proportion of its own remaining surplus::

    level <- level - r * (level - u_min)

so it never goes below ``u_min``. It proposes ``concession_outcome(params, level)`` (every issue
at that utility, inside its range; with a negative outside option the level may fall below 0 and
the offer go past the walk-away points, as far as the ranges allow: see
:func:`~burdenshare.negotiation.negotiators.base.concession_outcome`) and accepts an admissible
offer iff ``U(offer) >= `` the level of the offer it would make next. The levels are
replayed from the history (measured in the current utility), so behaviour depends only on the state.

>>> relative_concession([0.2, 0.6], delta=1)
0.5
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import ClassVar

from burdenshare.errors import SimulationError
from burdenshare.negotiation.negotiators.base import (
    TOL,
    Negotiator,
    concession_outcome,
    reservation_utility,
)
from burdenshare.negotiation.state import NegotiationState, Response
from burdenshare.preferences import Outcome

__all__ = ["RelativeTitForTat", "relative_concession"]


def relative_concession(opponent_values: Sequence[float], delta: int = 1) -> float:
    """The opponent's relative concession ``r`` over the last ``delta`` of its offers."""
    if len(opponent_values) < delta + 1:
        return 0.0
    old, new = opponent_values[-1 - delta], opponent_values[-1]
    if old >= 1.0:
        return 0.0
    return min(max((new - old) / (1.0 - old), 0.0), 1.0)


class RelativeTitForTat(Negotiator):
    """Relative tit-for-tat with window ``delta`` (a whole number >= 1); see the module doc."""

    name: ClassVar[str] = "tit-for-tat"
    traits: ClassVar[Mapping[str, object]] = MappingProxyType(
        {
            "family": "tit-for-tat",
            "stochastic": False,
            "uses_opponent_model": False,
            "concedes": True,
        }
    )

    def __init__(self, delta: int = 1) -> None:
        self.delta = delta

    def validate_params(self) -> None:
        d = self.delta
        if (
            isinstance(d, bool)
            or not isinstance(d, int | float)
            or not (math.isfinite(d) and float(d).is_integer() and d >= 1)
        ):
            raise SimulationError(
                f"RelativeTitForTat: delta must be a whole number >= 1, got {d!r}"
            )

    def next_level(
        self, state: NegotiationState, offer: Mapping[str, float | str] | None = None
    ) -> float:
        """The utility of the next proposal, given the history (and the offer being answered)."""
        u = state.params.utility
        u_min = reservation_utility(state.params)
        delta = int(self.delta)
        moves = [(p.proposer == state.party, p.outcome) for p in state.history]
        if offer is not None:
            moves.append((False, dict(offer)))
        level, opened, seen = 1.0, False, []
        for mine, outcome in moves:
            if not mine:
                seen.append(u(outcome))
            elif opened:
                level -= relative_concession(seen, delta) * (level - u_min)
            else:
                opened = True
        if opened:
            level -= relative_concession(seen, delta) * (level - u_min)
        return min(max(level, u_min), 1.0)

    def propose(self, state: NegotiationState) -> Outcome:
        return concession_outcome(state.params, self.next_level(state))

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        if not self.admissible(state.params, offer):
            return Response.REJECT
        if state.params.utility(offer) >= self.next_level(state, offer) - TOL:
            return Response.ACCEPT
        return Response.REJECT
