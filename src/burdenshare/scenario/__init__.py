"""Scenario files: the frozen model, money units, uncertain values, safe loading, the library."""

from __future__ import annotations

from burdenshare.scenario.distributions import Distribution, Uncertain, central
from burdenshare.scenario.model import (
    Actor,
    Event,
    EventEffects,
    Hindsight,
    Issue,
    IssueUtility,
    Party,
    Protocol,
    Provenance,
    Ratification,
    UtilityRule,
    UtilityRules,
)
from burdenshare.scenario.scenario import Scenario
from burdenshare.scenario.units import Money

__all__ = [
    "Actor",
    "Distribution",
    "Event",
    "EventEffects",
    "Hindsight",
    "Issue",
    "IssueUtility",
    "Money",
    "Party",
    "Protocol",
    "Provenance",
    "Ratification",
    "Scenario",
    "Uncertain",
    "UtilityRule",
    "UtilityRules",
    "central",
]
