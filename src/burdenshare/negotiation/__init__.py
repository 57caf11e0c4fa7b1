"""One alternating-offers session between two negotiators: protocol, state, transcript, strategies.

>>> from burdenshare.negotiation import NEGOTIATORS
>>> sorted(NEGOTIATORS)  # doctest: +NORMALIZE_WHITESPACE
['boulware', 'conceder', 'genius-boulware', 'genius-conceder', 'genius-hardliner',
 'genius-linear', 'hardliner', 'linear', 'nash', 'rubinstein', 'tit-for-tat']
"""

from __future__ import annotations

from burdenshare.negotiation.negotiators import (
    Boulware,
    Conceder,
    GeniusBoulware,
    GeniusConceder,
    GeniusHardliner,
    GeniusLinear,
    GeniusTimeDependent,
    Hardliner,
    Linear,
    NashSeeker,
    Negotiator,
    RelativeTitForTat,
    RubinsteinPlayer,
    TimeDependent,
    reservation_utility,
)
from burdenshare.negotiation.protocol import (
    BREAKDOWN_RISK_KEY,
    breakdown_clock,
    negotiation_state,
    party_view,
    ratifier_approves,
    run_session,
)
from burdenshare.negotiation.registry import DEFAULT_NEGOTIATORS, NEGOTIATORS, make_negotiator
from burdenshare.negotiation.state import NegotiationState, PartyView, PastOffer, Response
from burdenshare.negotiation.transcript import Offer, SessionOutcome, SessionResult, Transcript

__all__ = [
    "BREAKDOWN_RISK_KEY",
    "DEFAULT_NEGOTIATORS",
    "NEGOTIATORS",
    "Boulware",
    "Conceder",
    "GeniusBoulware",
    "GeniusConceder",
    "GeniusHardliner",
    "GeniusLinear",
    "GeniusTimeDependent",
    "Hardliner",
    "Linear",
    "NashSeeker",
    "NegotiationState",
    "Negotiator",
    "Offer",
    "PartyView",
    "PastOffer",
    "RelativeTitForTat",
    "Response",
    "RubinsteinPlayer",
    "SessionOutcome",
    "SessionResult",
    "TimeDependent",
    "Transcript",
    "breakdown_clock",
    "make_negotiator",
    "negotiation_state",
    "party_view",
    "ratifier_approves",
    "reservation_utility",
    "run_session",
]
