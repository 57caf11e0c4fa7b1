"""The :class:`Negotiator` interface and the rules every built-in negotiator shares.

A negotiator follows the scikit-learn convention: ``__init__`` only stores its parameters
(so ``repr`` and :meth:`Negotiator.clone` work), and per-session state is set in
:meth:`Negotiator.start`, which the protocol calls once per session with the party's
:class:`~burdenshare.negotiation.state.PartyView` and a dedicated random generator.

Every built-in negotiator has a *minimum acceptable utility* (:func:`reservation_utility`)::

    u_min = max(outside option, single-issue utility of the ratification threshold it believes)

and never proposes nor accepts an outcome worth less to it than ``u_min`` (less ``TOL``), nor one
that its own ratifier would reject (:meth:`Negotiator.admissible`). On several issues a loss
beyond the reservation on one issue may be made good on another (the additive convention of
:mod:`burdenshare.preferences.additive`).

The conceding negotiators turn a utility target into a proposal with :func:`concession_outcome`:
every issue at the same utility, inside its range, and the ratified issue no worse than the
threshold the party believes. A negative outside option makes targets below 0 possible: the party
then offers values beyond its walk-away point, as far as each issue's range allows; where one
issue's range ends first, the rest of the concession is spread over the others (water-filling,
:func:`burdenshare.preferences.additive.concession_level`). The hardliner proposes its ideal, and
the opponent-model negotiators (Nash, Rubinstein) candidates of the grid between the two ideals,
both inside the ranges by construction: a proposal is always a valid outcome.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

import numpy as np

from burdenshare.errors import SimulationError
from burdenshare.negotiation.protocol import issue_utility, ratifier_approves
from burdenshare.negotiation.state import NegotiationState, PartyView, Response
from burdenshare.params import Parametrised
from burdenshare.preferences import Outcome, PartyParameters

__all__ = [
    "CAPABILITIES",
    "REQUIRED_TRAITS",
    "TOL",
    "Negotiator",
    "concession_outcome",
    "ratification_floor",
    "reservation_utility",
]

#: tolerance on utility comparisons made by the built-in negotiators
TOL = 1e-9

#: keys every negotiator's ``traits`` must have, with their types
REQUIRED_TRAITS: Mapping[str, type] = MappingProxyType(
    {"family": str, "stochastic": bool, "uses_opponent_model": bool, "concedes": bool}
)

#: what a negotiator may declare it can play (:attr:`Negotiator.supports`): numeric issues,
#: categorical issues, continuous (non-integer) ranges, a ratification stage, a negative outside
#: option, more than two parties (reserved for multilateral protocols)
CAPABILITIES: frozenset[str] = frozenset(
    {
        "numeric",
        "categorical",
        "continuous",
        "ratification",
        "negative-outside-option",
        "multilateral",
    }
)


def reservation_utility(params: PartyParameters) -> float:
    """A party's minimum acceptable utility ``u_min``.

    ``max(outside option, utility of the threshold it believes its ratifier has)``. The outside
    option is 0 unless the scenario says otherwise: walking away is worth the reservation deal;
    a cost (a furlough) can push it below 0, and the party then accepts deals beyond its
    reservation. On one issue ``u_min`` is exact; on several, a uniform concession (every issue at
    the same utility) at or above ``u_min`` also satisfies the party's own ratifier.
    """
    u = params.outside_option
    if params.ratification_belief is not None and params.ratification_issue is not None:
        thr = issue_utility(params.utility, params.ratification_issue, params.ratification_belief)
        u = max(u, thr)
    return u


def ratification_floor(params: PartyParameters) -> dict[str, float]:
    """``{ratified issue: utility of the threshold the party believes}``, or ``{}``."""
    if params.ratification_belief is None or params.ratification_issue is None:
        return {}
    iid = params.ratification_issue
    return {iid: issue_utility(params.utility, iid, params.ratification_belief)}


def concession_outcome(params: PartyParameters, u: float) -> Outcome:
    """The proposal worth (about) ``u`` to the party: a uniform concession inside every issue's
    range, its ratified issue held at the believed threshold or better
    (:meth:`~burdenshare.preferences.additive.AdditiveUtility.target_outcome`)."""
    return params.utility.target_outcome(u, at_least=ratification_floor(params))


class Negotiator(Parametrised, ABC):
    """A strategy for one party in an alternating-offers session.

    Subclasses set ``name`` and ``traits`` (with at least the :data:`REQUIRED_TRAITS`) and
    implement :meth:`propose` and :meth:`respond`. Their ``__init__`` takes keyword parameters
    and stores each under the same attribute name, nothing else. ``supports`` declares what the
    negotiator can play (a subset of :data:`CAPABILITIES`; by default all but
    ``"multilateral"``); the contract mixin skips the checks that need anything else.
    """

    name: ClassVar[str] = "negotiator"
    traits: ClassVar[Mapping[str, object]] = MappingProxyType(
        {"family": "abstract", "stochastic": False, "uses_opponent_model": False, "concedes": False}
    )
    supports: ClassVar[frozenset[str]] = CAPABILITIES - {"multilateral"}

    #: set by :meth:`start`: the party's view of the session
    view_: PartyView
    #: set by :meth:`start`: this negotiator's own random generator for the session
    rng_: np.random.Generator

    # -- the interface ------------------------------------------------------------------------
    def start(self, view: PartyView, rng: np.random.Generator) -> None:
        """Begin a session: check parameters and reset every piece of per-session state.

        Subclasses that keep state override this and call ``super().start(view, rng)`` first.
        """
        self.validate_params()
        self.view_ = view
        self.rng_ = rng

    @abstractmethod
    def propose(self, state: NegotiationState) -> Outcome:
        """The offer to make in ``state.round``: a value for every issue."""

    @abstractmethod
    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        """Accept, reject or walk away from the opponent's ``offer``."""

    def validate_params(self) -> None:
        """Raise :class:`SimulationError` if a parameter is invalid (called by :meth:`start`)."""

    # -- shared rules -------------------------------------------------------------------------
    def opponent_name(self) -> str:
        """The opponent's name in a two-party session (:attr:`PartyView.opponent`); a
        :class:`SimulationError` with more parties, where there is no single opponent."""
        name = self.view_.opponent
        if name is None:
            raise SimulationError(
                f"{self!r} needs a single opponent; this session has "
                f"{len(self.view_.opponents) + 1} parties"
            )
        return name

    @staticmethod
    def u_min(params: PartyParameters) -> float:
        """See :func:`reservation_utility`."""
        return reservation_utility(params)

    @staticmethod
    def admissible(params: PartyParameters, offer: Mapping[str, float | str]) -> bool:
        """Own ratifier approves and ``U >= u_min - TOL``."""
        return ratifier_approves(params, offer, as_believed=True) and (
            params.utility(offer) >= reservation_utility(params) - TOL
        )
