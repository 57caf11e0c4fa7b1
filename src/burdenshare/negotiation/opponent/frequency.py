"""The frequency model of HardHeaded, as in GENIUS (``frequency``).

van Krimpen, Looije & Hajizadeh (2013), "HardHeaded", in *Complex Automated Negotiations*,
Studies in Computational Intelligence 435:223-227 (the ANAC 2011 winner); as implemented in
GENIUS's ``HardHeadedFrequencyModel`` (Baarslag, Hindriks, Hendrikx, Dirkzwager & Jonker 2014,
"Decoupling negotiating agents to explore the space of negotiation strategies", *Novel Insights
in Agent-based Complex Automated Negotiation*, SCI 535:61-83). With ``n`` issues, learning
coefficient ``l`` (0.2) and value addition ``v`` (1):

1. Start: every issue weight ``1/n``; every value's count 1.
2. For each offer received *after the first* (GENIUS updates only from the second offer on, so
   the first offer's values are not counted), compare it with the previous one. Let
   ``g = l / n`` (the "golden value"), ``u`` the number of issues whose value is unchanged,
   ``S = 1 + g u`` and ``w_max = 1 - n g / S``. Each unchanged issue whose weight is below
   ``w_max`` becomes ``(w + g) / S``; every other issue ``w / S``.
3. Add ``v`` to the count of the offer's value on every issue.
4. Estimated utility: ``sum_k w_k * count_k(x_k) / max_j count_k(j)``.

Numeric issues count by the nearest value of the outcome space
(:meth:`~burdenshare.negotiation.outcome_space.OutcomeSpace.locate`).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from burdenshare.errors import SimulationError
from burdenshare.negotiation.opponent.base import FloatArray, IntArray, OpponentModel, offer_rows
from burdenshare.negotiation.outcome_space import OutcomeSpace

__all__ = ["FrequencyModel", "frequency_estimate", "frequency_utilities"]


def frequency_estimate(
    rows: IntArray, n_values: IntArray, learn_coef: float = 0.2, value_addition: float = 1.0
) -> tuple[FloatArray, FloatArray]:
    """Issue weights ``(n,)`` and value counts ``(n, max values)`` after the offers ``rows``
    (``(T, n)`` value indices, oldest first); steps 1-3 of the module docstring.

    Padding beyond an issue's ``n_values`` stays 0.

    >>> w, c = frequency_estimate(np.array([[0, 0], [0, 1]]), np.array([2, 2]))
    >>> w.round(4).tolist(), c.tolist()
    ([0.5455, 0.4545], [[2.0, 1.0], [1.0, 2.0]])
    """
    n = len(n_values)
    weights = np.full(n, 1.0 / n)
    counts = np.zeros((n, int(np.max(n_values)) if n else 0))
    for k in range(n):
        counts[k, : n_values[k]] = 1.0
    golden = learn_coef / n if n else 0.0
    for t in range(1, len(rows)):
        unchanged = rows[t] == rows[t - 1]
        total = 1.0 + golden * float(np.count_nonzero(unchanged))
        w_max = 1.0 - n * golden / total
        for k in range(n):
            if unchanged[k] and weights[k] < w_max:
                weights[k] = (weights[k] + golden) / total
            else:
                weights[k] = weights[k] / total
            counts[k, rows[t, k]] += value_addition
    return weights, counts


def frequency_utilities(index: IntArray, weights: FloatArray, counts: FloatArray) -> FloatArray:
    """Step 4: the estimated utility of every outcome (rows of ``index``)."""
    out = np.zeros(index.shape[0], dtype=np.float64)
    for k in range(index.shape[1]):
        out += weights[k] * counts[k, index[:, k]] / np.max(counts[k])
    return out


class FrequencyModel(OpponentModel):
    """HardHeaded's frequency model (see the module docstring)."""

    name: ClassVar[str] = "frequency"

    def __init__(self, learn_coef: float = 0.2, value_addition: float = 1.0) -> None:
        self.learn_coef = learn_coef
        self.value_addition = value_addition

    def validate_params(self) -> None:
        for key in ("learn_coef", "value_addition"):
            v = getattr(self, key)
            if isinstance(v, bool) or not isinstance(v, int | float) or not v >= 0:
                raise SimulationError(f"frequency model: {key} must be a number >= 0, got {v!r}")

    def utilities(self, space: OutcomeSpace) -> FloatArray:
        weights, counts = frequency_estimate(
            offer_rows(space, self.offers_),
            space.n_values,
            float(self.learn_coef),
            float(self.value_addition),
        )
        return frequency_utilities(space.index, weights, counts)
