"""The Nash seeker: proposes (and holds out for) the Nash bargaining solution it estimates.

Nash (1950), "The bargaining problem", *Econometrica* 18:155-162: the agreement maximising the
product of the parties' gains over their disagreement points. The negotiator uses what it is told
of the opponent (``state.opponent_estimate``: the scenario's central values under private
information, the truth under complete information; with none, the uninformed estimate of
:func:`~burdenshare.negotiation.prior.uninformed_estimate`, interests opposed on every issue) and
searches the shared
candidate grid (:mod:`~burdenshare.negotiation.negotiators.candidates`) restricted to outcomes
admissible to both (by the estimate for the opponent)::

    x* = argmax (U_me(x) - d_me) * (U_opp(x) - d_opp)        d = outside options

(the first maximiser in grid order). It proposes ``x*`` every round and accepts an admissible
offer iff ``U(offer) >= U_me(x*) - TOL``, or, in the last round, iff ``U(offer) >= u_min - TOL``.
If no candidate is admissible to both, it behaves like a hardliner.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

import numpy as np

from burdenshare.negotiation.negotiators.base import TOL, Negotiator
from burdenshare.negotiation.negotiators.candidates import admissible_mask, candidate_grid
from burdenshare.negotiation.prior import uninformed_estimate
from burdenshare.negotiation.state import NegotiationState, PartyView, Response
from burdenshare.preferences import Outcome, PartyParameters

__all__ = ["NashSeeker"]


class NashSeeker(Negotiator):
    """Proposes the estimated Nash bargaining solution; see the module docstring."""

    name: ClassVar[str] = "nash"
    traits: ClassVar[Mapping[str, object]] = MappingProxyType(
        {
            "family": "bargaining-solution",
            "stochastic": False,
            "uses_opponent_model": True,
            "concedes": False,
        }
    )

    def __init__(self) -> None:
        pass

    def start(self, view: PartyView, rng: np.random.Generator) -> None:
        super().start(view, rng)
        self._solutions: dict[tuple[PartyParameters, PartyParameters | None], Outcome | None] = {}

    def solution(self, state: NegotiationState) -> Outcome | None:
        """The estimated Nash point in ``state`` (None if no candidate suits both)."""
        key = (state.params, state.opponent_estimate)
        if key not in self._solutions:
            me, opp = state.params, state.opponent_estimate
            if opp is None:
                opp = uninformed_estimate(me, self.view_.issues, self.opponent_name())
            grid = candidate_grid(self.view_.issues, me.utility, opp.utility)
            ok = admissible_mask(grid, me) & admissible_mask(grid, opp)
            if not ok.any():
                self._solutions[key] = None
            else:
                gain = (grid.utilities(me.utility) - me.outside_option) * (
                    grid.utilities(opp.utility) - opp.outside_option
                )
                self._solutions[key] = grid.outcome(int(np.argmax(np.where(ok, gain, -np.inf))))
        return self._solutions[key]

    def propose(self, state: NegotiationState) -> Outcome:
        point = self.solution(state)
        return state.params.utility.ideal_outcome() if point is None else dict(point)

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        if not self.admissible(state.params, offer):
            return Response.REJECT
        point = self.solution(state)
        u = state.params.utility
        aim = 1.0 if point is None else u(point)
        if u(offer) >= aim - TOL or (point is not None and state.is_last_round):
            return Response.ACCEPT
        return Response.REJECT
