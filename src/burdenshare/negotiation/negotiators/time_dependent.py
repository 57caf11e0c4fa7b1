"""Time-dependent concession: Boulware, linear and conceder tactics.

The polynomial family of Faratin, Sierra & Jennings (1998), "Negotiation decision functions for
autonomous agents", *Robotics and Autonomous Systems* 24:159-182, with ``k = 0``, written in
utility space::

    target(t) = u_min + (1 - u_min) * (1 - t ** (1 / e)),    t = k / (K - 1)

``k`` is the 0-based round index and ``K`` the number of rounds in the session (``t = 1`` in the
last round; ``K = 1`` gives ``t = 1``). ``e < 1`` holds out until late (Boulware), ``e = 1``
concedes linearly, ``e > 1`` concedes early (Conceder).

>>> time_dependent_target(0.5, 1.0, 0.0), time_dependent_target(0.5, 0.2, 0.0)
(0.5, 0.96875)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

from burdenshare.errors import SimulationError
from burdenshare.negotiation.negotiators.base import (
    CAPABILITIES,
    TOL,
    Negotiator,
    concession_outcome,
    reservation_utility,
)
from burdenshare.negotiation.state import NegotiationState, Response
from burdenshare.preferences import Outcome

__all__ = ["Boulware", "Conceder", "Linear", "TimeDependent", "time_dependent_target"]


def time_dependent_target(t: float, e: float, u_min: float) -> float:
    """The utility a time-dependent negotiator asks for at relative time ``t`` in [0, 1]."""
    t = min(max(t, 0.0), 1.0)
    return u_min + (1.0 - u_min) * (1.0 - float(t ** (1.0 / e)))


class TimeDependent(Negotiator):
    """Concede in utility along ``target(t)`` (see the module docstring); ``e > 0``.

    Proposes ``concession_outcome(params, target(t))``: every issue at the target utility, each
    inside its range. A negative outside option makes ``u_min``, and late targets, negative: the
    offer then goes past the walk-away points as far as the ranges allow; an issue whose range
    ends first stays at its end and the others concede the rest (water-filling), and the ratified
    issue never goes past the believed threshold (:func:`~.base.concession_outcome`). Accepts
    an admissible offer iff ``U(offer) >= target(t) - TOL`` at the same ``t`` as its own current
    target, or, in the last round, iff ``U(offer) >= u_min - TOL``.
    """

    name: ClassVar[str] = "time-dependent"
    traits: ClassVar[Mapping[str, object]] = MappingProxyType(
        {
            "family": "time-dependent",
            "stochastic": False,
            "uses_opponent_model": False,
            "concedes": True,
        }
    )

    #: it reads only its own parameters, so it plays with any number of parties
    supports: ClassVar[frozenset[str]] = CAPABILITIES

    def __init__(self, e: float = 1.0) -> None:
        self.e = e

    def validate_params(self) -> None:
        e = self.e
        if (
            isinstance(e, bool)
            or not isinstance(e, int | float)
            or not (math.isfinite(e) and e > 0)
        ):
            raise SimulationError(
                f"{type(self).__name__}: e must be a positive number (0.2 Boulware, 1 linear, "
                f"5 conceder), got {e!r}"
            )

    def target(self, state: NegotiationState) -> float:
        """The utility this negotiator asks for in ``state``'s round."""
        return time_dependent_target(state.time, float(self.e), reservation_utility(state.params))

    def propose(self, state: NegotiationState) -> Outcome:
        return concession_outcome(state.params, self.target(state))

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        if not self.admissible(state.params, offer):
            return Response.REJECT
        u = state.params.utility(offer)
        if u >= self.target(state) - TOL or state.is_last_round:
            return Response.ACCEPT
        return Response.REJECT


class Boulware(TimeDependent):
    """Time-dependent with ``e = 0.2``: holds near its ideal until late."""

    name: ClassVar[str] = "boulware"
    e = 0.2

    def __init__(self) -> None:
        """No parameters: ``e`` is fixed (a class attribute)."""


class Linear(TimeDependent):
    """Time-dependent with ``e = 1``: concedes the same utility every round."""

    name: ClassVar[str] = "linear"
    e = 1.0

    def __init__(self) -> None:
        """No parameters: ``e`` is fixed (a class attribute)."""


class Conceder(TimeDependent):
    """Time-dependent with ``e = 5``: concedes most of the way early."""

    name: ClassVar[str] = "conceder"
    e = 5.0

    def __init__(self) -> None:
        """No parameters: ``e`` is fixed (a class attribute)."""
