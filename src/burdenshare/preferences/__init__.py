"""Utility functions over issues: linear, piecewise-linear, categorical, additive."""

from __future__ import annotations

from burdenshare.preferences.additive import AdditiveUtility, Outcome
from burdenshare.preferences.build import PartyParameters, party_parameters
from burdenshare.preferences.issue_utility import CategoricalUtility, NumericUtility

__all__ = [
    "AdditiveUtility",
    "CategoricalUtility",
    "NumericUtility",
    "Outcome",
    "PartyParameters",
    "party_parameters",
]
