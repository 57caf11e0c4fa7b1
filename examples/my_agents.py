"""A negotiator written from the plug-in API: a frequency-model bidder on discrete issues.

``FrequencyBidder`` enumerates every outcome of the (integer and categorical) issues, asks at
round ``k`` for a target utility that falls with time as a Boulware does (Faratin, Sierra &
Jennings 1998: ``target(t) = u_min + (u_max - u_min) * (1 - t ** (1 / e))``), and offers, among
the outcomes worth at least the target to itself, the one its frequency model of the opponent
rates best (as GENIUS agents do). The model learns only from the offers received: a value's score
is ``(1 + times offered) / (1 + most times any value of that issue was offered)``, and an issue's
weight grows by ``learning`` each time the opponent keeps its value between two consecutive offers
(the HardHeaded frequency model, van Krimpen, Looije & Hajizadeh 2013). Ties go to the outcome
better for itself, then to the first in enumeration order. It accepts an admissible offer worth at
least its current target, and in the last round any admissible offer.

Use it with ``burdenshare simulate SCENARIO -N my_agents:FrequencyBidder:e=0.5`` (with this folder
on ``PYTHONPATH``), or install it with an entry point (docs/how-to/negotiator.md).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

import numpy as np

from burdenshare.errors import SimulationError
from burdenshare.negotiation import NegotiationState, Negotiator, PartyView, Response
from burdenshare.negotiation.negotiators.base import TOL, reservation_utility
from burdenshare.preferences import Outcome

__all__ = ["MAX_OUTCOMES", "FrequencyBidder"]

#: the most outcomes the bidder enumerates (the product of the issues' sizes)
MAX_OUTCOMES = 100_000


class FrequencyBidder(Negotiator):
    """Boulware-like target, offers the outcome a frequency model of the opponent rates best."""

    name: ClassVar[str] = "frequency-bidder"
    traits: ClassVar[Mapping[str, object]] = MappingProxyType(
        {
            "family": "frequency-bidder",
            "stochastic": False,
            "uses_opponent_model": True,
            "concedes": True,
        }
    )
    # discrete issues only: a continuous range has no finite list of outcomes to search
    supports: ClassVar[frozenset[str]] = frozenset(
        {"numeric", "categorical", "ratification", "negative-outside-option"}
    )

    def __init__(self, e: float = 0.2, learning: float = 0.1) -> None:
        self.e = e
        self.learning = learning

    def validate_params(self) -> None:
        for key, value in (("e", self.e), ("learning", self.learning)):
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if not (ok and math.isfinite(value) and value > 0):
                raise SimulationError(
                    f"FrequencyBidder: {key} must be a positive number, got {value!r}"
                )

    # -- a session --------------------------------------------------------------------------
    def start(self, view: PartyView, rng: np.random.Generator) -> None:
        super().start(view, rng)
        axes: list[list[float | str]] = []
        for issue in view.issues:
            if issue.kind == "categorical":
                axes.append(list(issue.values or ()))
            elif issue.kind == "integer" and issue.range is not None:
                lo, hi = issue.range
                axes.append([float(v) for v in range(math.ceil(lo), math.floor(hi) + 1)])
            else:
                raise SimulationError(
                    f"FrequencyBidder plays discrete issues only; {issue.id!r} is {issue.kind}"
                )
        size = math.prod(len(a) for a in axes)
        if size > MAX_OUTCOMES:
            raise SimulationError(f"FrequencyBidder: {size:,} outcomes, more than {MAX_OUTCOMES:,}")
        ids = [issue.id for issue in view.issues]
        self.outcomes_: list[Outcome] = [
            dict(zip(ids, combo, strict=True)) for combo in itertools.product(*axes)
        ]

    def _target(self, state: NegotiationState) -> float:
        own = state.params
        u_min = reservation_utility(own)
        u_max = max(own.utility(o) for o in self.outcomes_)
        t = min(max(state.time, 0.0), 1.0)
        return u_min + (u_max - u_min) * (1.0 - float(t ** (1.0 / self.e)))

    def _opponent_model(self, state: NegotiationState) -> Mapping[str, Mapping[float | str, float]]:
        """Estimated opponent score of each value, weighted by the issue's estimated weight."""
        ids = [issue.id for issue in self.view_.issues]
        theirs = [p.outcome for p in state.history if p.proposer != state.party]
        weights = dict.fromkeys(ids, 1.0)
        for before, after in itertools.pairwise(theirs):
            for iid in ids:
                if before.get(iid) == after.get(iid):
                    weights[iid] += self.learning
        total = sum(weights.values())
        model: dict[str, dict[float | str, float]] = {}
        for iid in ids:
            counts = Counter(o[iid] for o in theirs if iid in o)
            top = max(counts.values(), default=0)
            model[iid] = {
                v: weights[iid] / total * (1 + c) / (1 + top) for v, c in counts.items()
            } | {"__unseen__": weights[iid] / total / (1 + top)}
        return model

    def propose(self, state: NegotiationState) -> Outcome:
        own = state.params
        target = self._target(state)
        model = self._opponent_model(state)

        def theirs(o: Outcome) -> float:
            return sum(model[i].get(v, model[i]["__unseen__"]) for i, v in o.items())

        best: tuple[float, float, int] | None = None
        choice: Outcome | None = None
        for k, o in enumerate(self.outcomes_):
            u = own.utility(o)
            if u < target - TOL or not self.admissible(own, o):
                continue
            key = (theirs(o), u, -k)  # opponent's estimate, then own utility, then first
            if best is None or key > best:
                best, choice = key, o
        if choice is None:  # nothing admissible reaches the target: its best outcome
            choice = max(self.outcomes_, key=own.utility)
        return dict(choice)

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        own = state.params
        if not self.admissible(own, offer):
            return Response.REJECT
        if state.is_last_round or own.utility(offer) >= self._target(state) - TOL:
            return Response.ACCEPT
        return Response.REJECT
