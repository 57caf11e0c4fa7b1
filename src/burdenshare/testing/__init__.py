"""Test helpers shipped for users' own negotiators: the negotiator contract mixin."""

from __future__ import annotations

from burdenshare.testing.contracts import (
    CAPABILITIES,
    CONTRACT_SCENARIOS,
    MULTILATERAL_SCENARIOS,
    NegotiatorContract,
    RandomOfferer,
    ResponseCase,
    contract_scenarios,
    multilateral_contract_scenarios,
    scenario_capabilities,
)

__all__ = [
    "CAPABILITIES",
    "CONTRACT_SCENARIOS",
    "MULTILATERAL_SCENARIOS",
    "NegotiatorContract",
    "RandomOfferer",
    "ResponseCase",
    "contract_scenarios",
    "multilateral_contract_scenarios",
    "scenario_capabilities",
]
