"""The :class:`OpponentModel` interface: what a negotiator believes of the other side's utility.

An opponent model follows the negotiators' conventions (:class:`~burdenshare.params.Parametrised`):
``__init__`` only stores parameters; :meth:`OpponentModel.start` resets it for a session with the
party's :class:`~burdenshare.negotiation.state.PartyView`; :meth:`OpponentModel.update` is called
once for each offer received from the opponent, oldest first; :meth:`OpponentModel.utilities`
returns the estimated opponent utility of every outcome of an
:class:`~burdenshare.negotiation.outcome_space.OutcomeSpace`, in ``[0, 1]``.

The models keep the offers received and compute their estimate from them with pure functions
over arrays (the offers as a ``(T, n_issues)`` array of value indices), so a compiled engine can
run the same arithmetic.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from burdenshare.negotiation.outcome_space import OutcomeSpace
from burdenshare.negotiation.state import NegotiationState, PartyView
from burdenshare.params import Parametrised
from burdenshare.preferences import Outcome

__all__ = ["OpponentModel", "offer_rows"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def offer_rows(space: OutcomeSpace, offers: list[Outcome]) -> IntArray:
    """The offers as a ``(T, n_issues)`` array of value indices in ``space``."""
    rows = np.empty((len(offers), len(space.issues)), dtype=np.intp)
    for i, offer in enumerate(offers):
        rows[i] = space.locate(offer)
    return rows


class OpponentModel(Parametrised, ABC):
    """Estimates the opponent's utility from what a negotiator may see; see the module."""

    name: ClassVar[str] = "opponent-model"

    #: set by :meth:`start`: the party's view of the session
    view_: PartyView
    #: the opponent's offers received so far, oldest first
    offers_: list[Outcome]

    def validate_params(self) -> None:
        """Raise :class:`~burdenshare.errors.SimulationError` if a parameter is invalid."""

    def start(self, view: PartyView) -> None:
        """Begin a session: check the parameters and forget every offer. Subclasses call
        ``super().start(view)``."""
        self.validate_params()
        self.view_ = view
        self.offers_ = []

    def update(self, offer: Mapping[str, float | str], state: NegotiationState) -> None:
        """Record an offer received from the opponent in ``state``'s round."""
        self.offers_.append(dict(offer))

    @abstractmethod
    def utilities(self, space: OutcomeSpace) -> FloatArray:
        """The estimated opponent utility of every outcome of ``space``, in ``[0, 1]``."""
