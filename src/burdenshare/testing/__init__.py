"""Test helpers shipped for users' own negotiators: the negotiator contract mixin."""

from __future__ import annotations

from burdenshare.testing.contracts import (
    CONTRACT_SCENARIOS,
    NegotiatorContract,
    RandomOfferer,
    ResponseCase,
    contract_scenarios,
)

__all__ = [
    "CONTRACT_SCENARIOS",
    "NegotiatorContract",
    "RandomOfferer",
    "ResponseCase",
    "contract_scenarios",
]
