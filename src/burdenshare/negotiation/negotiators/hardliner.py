"""The hardliner: asks for its ideal every round and accepts nothing less.

A benchmark strategy (Axelrod's "Defector", NegMAS's ``ToughNegotiator``): it makes no
concession, so a deal happens only if the opponent concedes everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

from burdenshare.negotiation.negotiators.base import CAPABILITIES, TOL, Negotiator
from burdenshare.negotiation.state import NegotiationState, Response
from burdenshare.preferences import Outcome

__all__ = ["Hardliner"]


class Hardliner(Negotiator):
    """Always proposes its ideal outcome; accepts an admissible offer only if ``U >= 1 - TOL``."""

    name: ClassVar[str] = "hardliner"
    traits: ClassVar[Mapping[str, object]] = MappingProxyType(
        {
            "family": "hardliner",
            "stochastic": False,
            "uses_opponent_model": False,
            "concedes": False,
        }
    )

    #: it reads only its own parameters, so it plays with any number of parties
    supports: ClassVar[frozenset[str]] = CAPABILITIES

    def __init__(self) -> None:
        pass

    def propose(self, state: NegotiationState) -> Outcome:
        return state.params.utility.ideal_outcome()

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        ok = self.admissible(state.params, offer) and state.params.utility(offer) >= 1.0 - TOL
        return Response.ACCEPT if ok else Response.REJECT
