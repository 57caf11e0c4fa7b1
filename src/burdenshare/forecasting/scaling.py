"""Exact rescaling by a power of two, so that sums of capabilities or weights cannot overflow.

Every model here is invariant to multiplying all capabilities (or all weights) by one positive
number: the compromise and the weighted median are ratios and ranks of sums, Nash's product
keeps its maximiser, BDM's probabilities are ratios of vote sums, the exchange model's shifts are
``s c / sum c s``. Capabilities may be any finite number >= 0, so ``1e308`` is valid input, yet
two of them overflow a sum. :func:`unit_scaled` divides by the power of two ``2^e`` that brings
the largest magnitude into ``[0.5, 1)``. Division by a power of two is exact (unless a value
becomes subnormal, i.e. less than ``2^-1022`` of the largest), so every result that did not
overflow before is bit for bit what it was.

>>> unit_scaled(np.array([1e308, 1e308, 1.0])).tolist()
[0.5562684646268003, 0.5562684646268003, 5.562684646268003e-309]
>>> unit_scaled(np.array([3.0, 1.0])).tolist(), unit_scaled(np.zeros(2)).tolist()
([0.75, 0.25], [0.0, 0.0])
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = ["unit_exponent", "unit_scaled"]

FloatArray = npt.NDArray[np.float64]


def unit_exponent(values: npt.ArrayLike) -> int:
    """The ``e`` with ``max |values| / 2^e`` in ``[0.5, 1)``; ``0`` if every value is zero.

    >>> unit_exponent([1e308]), unit_exponent([1.0]), unit_exponent([5e-324]), unit_exponent([0.0])
    (1024, 1, -1073, 0)
    """
    top = float(np.max(np.abs(np.asarray(values, dtype=np.float64)), initial=0.0))
    if top == 0.0 or not math.isfinite(top):
        return 0
    return math.frexp(top)[1]


def unit_scaled(values: npt.ArrayLike) -> FloatArray:
    """``values / 2^e``, :func:`unit_exponent`'s ``e``: the largest magnitude in ``[0.5, 1)``."""
    arr = np.asarray(values, dtype=np.float64)
    return np.asarray(np.ldexp(arr, -unit_exponent(arr)), dtype=np.float64)
