"""Opponent models: what an outcome-space negotiator believes of the other side's utility.

``frequency`` (HardHeaded / GENIUS), ``bayesian`` (Hindriks & Tykhonov 2008), ``belief`` (the
scenario's estimate) and ``none`` (uniform); :data:`OPPONENT_MODELS` maps each name to its class.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from burdenshare.negotiation.opponent.base import OpponentModel
from burdenshare.negotiation.opponent.bayesian import BayesianModel
from burdenshare.negotiation.opponent.belief import BeliefModel, NoModel
from burdenshare.negotiation.opponent.frequency import FrequencyModel

__all__ = [
    "OPPONENT_MODELS",
    "BayesianModel",
    "BeliefModel",
    "FrequencyModel",
    "NoModel",
    "OpponentModel",
]

#: every opponent model by name
OPPONENT_MODELS: Mapping[str, type[OpponentModel]] = MappingProxyType(
    {"frequency": FrequencyModel, "bayesian": BayesianModel, "belief": BeliefModel, "none": NoModel}
)
