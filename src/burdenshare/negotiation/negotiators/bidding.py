"""GENIUS-style time-dependent agents: a target utility from time, a bid from the outcome space.

Faratin, Sierra & Jennings (1998), "Negotiation decision functions for autonomous agents",
*Robotics and Autonomous Systems* 24:159-182, as implemented in GENIUS's ``TimeDependentAgent``
(Baarslag; Hendrikx), with the offering rule of GENIUS's and NegMAS's model-based bidders::

    f(t) = k + (1 - k) t^(1/e)          (f(t) = k when e = 0: the hardliner)
    target(t) = Pmin + (Pmax - Pmin) (1 - f(t))

``Pmax`` is the best own utility in the outcome space, ``Pmin = max(u_min, worst own utility in
the space)`` with ``u_min`` the party's minimum acceptable utility
(:func:`~burdenshare.negotiation.negotiators.base.reservation_utility`; GENIUS's reservation
value). ``t`` is ``state.time`` (the relative time the protocol gives the negotiator).

**Bid**: among the outcomes of the space
(:func:`~burdenshare.negotiation.outcome_space.outcome_space`) that the party may propose (its own
ratifier approves, at least ``u_min``) and that are worth at least ``target(t)`` to it, those in
the *window* ``[target, target + m * window]`` with the smallest whole ``m >= 1`` that holds one;
of these, the one the opponent model (:mod:`burdenshare.negotiation.opponent`) rates highest; ties
go to the higher own utility, then to the lower outcome index (:func:`select_bid`). If no outcome
reaches the target, the best own outcome. This is GENIUS's BOA opponent-model strategy
(``OMStrategy.getBid``: a window of 0.01 above the target, widened by 0.01 until it holds a bid;
Baarslag et al. 2014, "Decoupling negotiating agents to explore the space of negotiation
strategies"), so an agent whose model has learned nothing still concedes along its target.
``window=inf`` gives the unbounded rule (the best for the model among all outcomes at or above
the target).

**Response**: an offer the party may not accept (its ratifier, ``u_min``) is rejected; any other
is judged by the acceptance condition ``accept`` (:mod:`burdenshare.negotiation.acceptance`),
against the bid the agent would make now (``u_next``). The default ``next`` is GENIUS's
``AC_next(1, 0)``. There is no special last-round rule (GENIUS has none).

>>> genius_target(0.5, 1.0, 0.0, 0.2, 1.0), genius_target(0.5, 0.0, 0.0, 0.2, 1.0)
(0.6, 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from burdenshare.errors import SimulationError
from burdenshare.negotiation.acceptance import (
    ACCEPTANCE_CONDITIONS,
    ac_combi,
    ac_const,
    ac_next,
    ac_time,
)
from burdenshare.negotiation.negotiators.base import TOL, Negotiator, reservation_utility
from burdenshare.negotiation.negotiators.candidates import admissible_mask
from burdenshare.negotiation.opponent import OPPONENT_MODELS, OpponentModel
from burdenshare.negotiation.outcome_space import OutcomeSpace, outcome_space
from burdenshare.negotiation.state import NegotiationState, PartyView, Response
from burdenshare.preferences import Outcome, PartyParameters

__all__ = [
    "GeniusBoulware",
    "GeniusConceder",
    "GeniusHardliner",
    "GeniusLinear",
    "GeniusTimeDependent",
    "genius_target",
    "select_bid",
    "target_bounds",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def genius_target(t: float, e: float, k: float, p_min: float, p_max: float) -> float:
    """``Pmin + (Pmax - Pmin) (1 - f(t))`` with ``f(t) = k + (1 - k) t^(1/e)`` (``k`` if e = 0)."""
    t = min(max(t, 0.0), 1.0)
    f = k if e == 0 else k + (1.0 - k) * t ** (1.0 / e)
    return p_min + (p_max - p_min) * (1.0 - f)


def target_bounds(own: FloatArray, u_min: float) -> tuple[float, float]:
    """``(Pmin, Pmax)``: ``max(u_min, worst own utility)`` and the best own utility in the space.

    >>> target_bounds(np.array([0.25, 1.0, -0.5]), 0.0)
    (0.0, 1.0)
    """
    p_max = float(np.max(own))
    p_min = max(u_min, float(np.min(own)))
    return p_min, p_max


def select_bid(
    own: FloatArray, opp: FloatArray, target: float, ok: BoolArray, window: float = math.inf
) -> int:
    """The index of the bid: among ``ok`` outcomes with ``own >= target - TOL`` and
    ``own <= target + m * window + TOL`` (the smallest whole ``m >= 1`` that leaves one), the
    highest ``opp``; ties to the highest ``own``, then the lowest index. If none reaches the
    target, the ``ok`` outcome with the highest ``own`` (lowest index on a tie); ``-1`` if none
    is ``ok``.

    >>> own, opp = np.array([1.0, 0.8, 0.8, 0.5]), np.array([0.0, 0.6, 0.6, 1.0])
    >>> select_bid(own, opp, 0.7, np.ones(4, bool)), select_bid(own, opp, 0.2, np.ones(4, bool))
    (1, 3)
    >>> select_bid(own, opp, 1.5, np.array([False, True, True, True]))
    1
    >>> select_bid(own, np.zeros(4), 0.45, np.ones(4, bool), window=0.01)  # nearest the target
    3
    >>> select_bid(own, opp, 0.75, np.ones(4, bool), window=0.01)  # window [0.75, 0.81]
    1
    """
    if not ok.any():
        return -1
    reach = ok & (own >= target - TOL)
    if not reach.any():
        best = np.where(ok, own, -np.inf)
        return int(np.argmax(best))
    if math.isfinite(window):
        lowest = float(np.min(own[reach]))
        m = max(1.0, float(math.ceil((lowest - target - TOL) / window)))
        reach = reach & (own <= target + m * window + TOL)
    best_opp = np.max(opp[reach])
    tied = reach & (opp == best_opp)
    best_own = np.max(own[tied])
    return int(np.argmax(tied & (own == best_own)))


def _number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


class GeniusTimeDependent(Negotiator):
    """A GENIUS-style time-dependent agent over the outcome space (see the module docstring).

    ``e >= 0`` the concession exponent (0 hardliner, 0.2 Boulware, 1 linear, 2 conceder in
    GENIUS), ``k`` in [0, 1] the initial concession, ``model`` the opponent model
    (``frequency``, ``bayesian``, ``belief``, ``none``), ``accept`` the acceptance condition
    (``next``, ``const``, ``time``, ``combi``) with its numbers ``alpha``, ``beta`` (AC_next),
    ``c`` (AC_const) and ``T`` (AC_time and AC_combi), and ``window`` the bidding window above
    the target (GENIUS's 0.01; ``inf`` for none).
    """

    name: ClassVar[str] = "genius-time-dependent"
    traits: ClassVar[Mapping[str, object]] = MappingProxyType(
        {
            "family": "genius-time-dependent",
            "stochastic": False,
            "uses_opponent_model": True,
            "concedes": True,
        }
    )

    space_: OutcomeSpace
    model_: OpponentModel

    def __init__(
        self,
        e: float = 1.0,
        k: float = 0.0,
        model: str = "frequency",
        accept: str = "next",
        alpha: float = 1.0,
        beta: float = 0.0,
        c: float = 0.9,
        T: float = 0.98,
        window: float = 0.01,
    ) -> None:
        self.e = e
        self.k = k
        self.model = model
        self.accept = accept
        self.alpha = alpha
        self.beta = beta
        self.c = c
        self.T = T
        self.window = window

    def validate_params(self) -> None:
        who = type(self).__name__
        if not (_number(self.e) and self.e >= 0):
            raise SimulationError(
                f"{who}: e must be a number >= 0 (0 hardliner, 0.2 Boulware, 1 linear, "
                f"2 conceder), got {self.e!r}"
            )
        if not (_number(self.k) and 0 <= self.k <= 1):
            raise SimulationError(f"{who}: k must be in [0, 1], got {self.k!r}")
        if self.model not in OPPONENT_MODELS:
            raise SimulationError(
                f"{who}: model must be one of {', '.join(OPPONENT_MODELS)}, got {self.model!r}"
            )
        if self.accept not in ACCEPTANCE_CONDITIONS:
            raise SimulationError(
                f"{who}: accept must be one of {', '.join(ACCEPTANCE_CONDITIONS)}, "
                f"got {self.accept!r}"
            )
        for key in ("alpha", "beta", "c"):
            if not _number(getattr(self, key)):
                raise SimulationError(f"{who}: {key} must be a number, got {getattr(self, key)!r}")
        if not (_number(self.T) and 0 <= self.T <= 1):
            raise SimulationError(f"{who}: T must be in [0, 1], got {self.T!r}")
        w = self.window
        if isinstance(w, bool) or not isinstance(w, int | float) or not w > 0 or math.isnan(w):
            raise SimulationError(
                f"{who}: window must be a positive number (GENIUS: 0.01; inf for no window), "
                f"got {w!r}"
            )

    # -- session state --------------------------------------------------------------------------
    def start(self, view: PartyView, rng: np.random.Generator) -> None:
        super().start(view, rng)
        known = [view.params.utility]
        estimate = getattr(view, "opponent_estimate", None)
        if estimate is not None:
            known.append(estimate.utility)
        self.space_ = outcome_space(view.issues, tuple(known))
        self.model_ = OPPONENT_MODELS[str(self.model)]()
        self.model_.start(view)
        self._seen = 0
        self._opp: tuple[int, FloatArray] | None = None
        self._own: dict[PartyParameters, tuple[FloatArray, BoolArray]] = {}
        self._received_u: list[float] = []
        self._received_t: list[float] = []

    def _observe(self, state: NegotiationState, offer: Mapping[str, float | str] | None) -> None:
        """Give the opponent model every opponent offer it has not seen yet, oldest first."""
        offers = [h.outcome for h in state.history if h.proposer != state.party]
        if offer is not None:
            offers.append(dict(offer))
        for received in offers[self._seen :]:
            self.model_.update(received, state)
        self._seen = max(self._seen, len(offers))

    def _own_table(self, params: PartyParameters) -> tuple[FloatArray, BoolArray]:
        if params not in self._own:
            self._own[params] = (
                self.space_.utilities(params.utility),
                admissible_mask(self.space_, params),
            )
        return self._own[params]

    def _opponent(self) -> FloatArray:
        if self._opp is None or self._opp[0] != self._seen:
            self._opp = (self._seen, self.model_.utilities(self.space_))
        return self._opp[1]

    # -- decisions -----------------------------------------------------------------------------
    def target(self, state: NegotiationState) -> float:
        """``target(state.time)`` for ``state.params`` (see the module docstring)."""
        own, _ = self._own_table(state.params)
        p_min, p_max = target_bounds(own, reservation_utility(state.params))
        return genius_target(state.time, float(self.e), float(self.k), p_min, p_max)

    def _plan(self, state: NegotiationState) -> tuple[Outcome, float]:
        """The bid this agent makes in ``state`` and its own utility."""
        own, ok = self._own_table(state.params)
        i = select_bid(own, self._opponent(), self.target(state), ok, float(self.window))
        if i < 0:
            best = state.params.utility.ideal_outcome()
            return best, state.params.utility(best)
        return self.space_.outcome(i), float(own[i])

    def propose(self, state: NegotiationState) -> Outcome:
        self._observe(state, None)
        return self._plan(state)[0]

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        self._observe(state, offer)
        u = state.params.utility(offer)
        self._received_u.append(u)
        self._received_t.append(state.time)
        if not self.admissible(state.params, offer):
            return Response.REJECT
        u_next = self._plan(state)[1]
        if self.accept == "next":
            ok = ac_next(u, u_next, float(self.alpha), float(self.beta))
        elif self.accept == "const":
            ok = ac_const(u, float(self.c))
        elif self.accept == "time":
            ok = ac_time(state.time, float(self.T))
        else:
            ok = ac_combi(
                u,
                u_next,
                state.time,
                float(self.T),
                np.asarray(self._received_u),
                np.asarray(self._received_t),
            )
        return Response.ACCEPT if ok else Response.REJECT


class _GeniusFixed(GeniusTimeDependent):
    """A member of the family with its ``e`` fixed (a class attribute)."""

    def __init__(
        self,
        k: float = 0.0,
        model: str = "frequency",
        accept: str = "next",
        alpha: float = 1.0,
        beta: float = 0.0,
        c: float = 0.9,
        T: float = 0.98,
        window: float = 0.01,
    ) -> None:
        """``e`` is fixed (a class attribute); the other parameters as the family's."""
        self.k = k
        self.model = model
        self.accept = accept
        self.alpha = alpha
        self.beta = beta
        self.c = c
        self.T = T
        self.window = window


class GeniusBoulware(_GeniusFixed):
    """``e = 0.2`` (GENIUS ``TimeDependentAgentBoulware``)."""

    name: ClassVar[str] = "genius-boulware"
    e = 0.2


class GeniusLinear(_GeniusFixed):
    """``e = 1`` (GENIUS ``TimeDependentAgentLinear``)."""

    name: ClassVar[str] = "genius-linear"
    e = 1.0


class GeniusConceder(_GeniusFixed):
    """``e = 2`` (GENIUS ``TimeDependentAgentConceder``)."""

    name: ClassVar[str] = "genius-conceder"
    e = 2.0


class GeniusHardliner(_GeniusFixed):
    """``e = 0`` (GENIUS ``TimeDependentAgentHardliner``): always bids its best outcome."""

    name: ClassVar[str] = "genius-hardliner"
    e = 0.0
