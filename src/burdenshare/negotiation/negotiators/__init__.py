"""Built-in negotiators, one family per module."""

from __future__ import annotations

from burdenshare.negotiation.negotiators.base import (
    REQUIRED_TRAITS,
    TOL,
    Negotiator,
    reservation_utility,
)
from burdenshare.negotiation.negotiators.bidding import (
    GeniusBoulware,
    GeniusConceder,
    GeniusHardliner,
    GeniusLinear,
    GeniusTimeDependent,
)
from burdenshare.negotiation.negotiators.hardliner import Hardliner
from burdenshare.negotiation.negotiators.nash_seeker import NashSeeker
from burdenshare.negotiation.negotiators.rubinstein import RubinsteinPlayer
from burdenshare.negotiation.negotiators.time_dependent import (
    Boulware,
    Conceder,
    Linear,
    TimeDependent,
)
from burdenshare.negotiation.negotiators.tit_for_tat import RelativeTitForTat

__all__ = [
    "REQUIRED_TRAITS",
    "TOL",
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
    "Negotiator",
    "RelativeTitForTat",
    "RubinsteinPlayer",
    "TimeDependent",
    "reservation_utility",
]
