"""Opponent models that do not learn: the scenario's belief (``belief``) and none (``none``).

``belief``: the opponent's utility at the scenario's estimate
(:attr:`PartyView.opponent_estimate <burdenshare.negotiation.state.PartyView>`: its central
values under private information, its true parameters only when the scenario declares complete
information), rescaled affinely to ``[0, 1]`` over the space (``(u - min) / (max - min)``; the
order of outcomes is the estimate's). Without an estimate (``opponent_prior: uninformed``) it
knows nothing and is uniform, like ``none``.

``none``: every outcome 1.0 (no information, so a bidder's tie rule decides).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from burdenshare.negotiation.opponent.base import FloatArray, OpponentModel
from burdenshare.negotiation.outcome_space import OutcomeSpace

__all__ = ["BeliefModel", "NoModel", "rescale"]


def rescale(u: FloatArray) -> FloatArray:
    """``(u - min) / (max - min)``; all ones when every value is equal.

    >>> rescale(np.array([-0.5, 0.0, 1.0])).tolist()
    [0.0, 0.3333333333333333, 1.0]
    """
    lo, hi = float(np.min(u)), float(np.max(u))
    if not hi > lo:
        return np.ones_like(u)
    return np.asarray((u - lo) / (hi - lo), dtype=np.float64)


class NoModel(OpponentModel):
    """No opponent model: every outcome 1.0."""

    name: ClassVar[str] = "none"

    def __init__(self) -> None:
        """No parameters."""

    def utilities(self, space: OutcomeSpace) -> FloatArray:
        return np.ones(space.size, dtype=np.float64)


class BeliefModel(OpponentModel):
    """The scenario's estimate of the opponent's utility, rescaled to [0, 1]; see the module."""

    name: ClassVar[str] = "belief"

    def __init__(self) -> None:
        """No parameters."""

    def utilities(self, space: OutcomeSpace) -> FloatArray:
        estimate = getattr(self.view_, "opponent_estimate", None)
        if estimate is None:
            return np.ones(space.size, dtype=np.float64)
        return rescale(space.utilities(estimate.utility))
