"""A small negotiator plug-in for the tests: outside the package, loaded by import path or by an
entry point (tests put this folder on ``PYTHONPATH`` so spawned workers can import it too).

``NoisyLinear`` concedes linearly with a random jitter drawn from its own generator, so a run
depends on the seed and the tests can check that every backend draws the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

from burdenshare.negotiation import NegotiationState, Negotiator, Response
from burdenshare.negotiation.negotiators.base import TOL, concession_outcome, reservation_utility
from burdenshare.preferences import Outcome

__all__ = ["NoisyLinear", "NotANegotiator", "Unfinished"]


class NoisyLinear(Negotiator):
    """Linear concession plus a uniform jitter of +-``noise``, never below ``u_min``."""

    name: ClassVar[str] = "noisy-linear"
    traits: ClassVar[Mapping[str, object]] = MappingProxyType(
        {"family": "demo", "stochastic": True, "uses_opponent_model": False, "concedes": True}
    )

    def __init__(self, noise: float = 0.05) -> None:
        if isinstance(noise, str):
            raise TypeError(f"noise must be a number, got {noise!r}")
        self.noise = noise

    def _target(self, state: NegotiationState) -> float:
        u_min = reservation_utility(state.params)
        jitter = self.noise * float(self.rng_.uniform(-1.0, 1.0))
        return max(u_min, u_min + (1.0 - u_min) * (1.0 - state.time) + jitter)

    def propose(self, state: NegotiationState) -> Outcome:
        return concession_outcome(state.params, self._target(state))

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        params = state.params
        if self.admissible(params, offer) and (
            state.is_last_round or params.utility(offer) >= self._target(state) - TOL
        ):
            return Response.ACCEPT
        return Response.REJECT


class Unfinished(Negotiator):
    """Abstract: it implements neither propose nor respond."""


class NotANegotiator:
    """A class that is not a negotiator."""
