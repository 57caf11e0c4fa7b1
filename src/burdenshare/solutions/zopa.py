"""Zone of possible agreement (ZOPA): the outcomes both sides prefer to walking away.

On a single issue (say, a cost share ``x``) one side wants ``x`` low and walks away above its
reservation value ``R_low``; the other wants ``x`` high and walks away below ``R_high``. The ZOPA is
``[R_high, R_low]``, empty when ``R_high > R_low`` [Raiffa1982]_. With many outcomes described by
utilities, the ZOPA is the set of outcomes that give each party at least its disagreement utility
``d_i`` (individual rationality, [Nash1950]_).

.. [Raiffa1982] H. Raiffa, *The Art and Science of Negotiation*, Harvard University Press (1982),
   ch. 4 (the "zone of agreement").
.. [Nash1950] J. F. Nash, "The bargaining problem", *Econometrica* 18 (1950) 155-162.

>>> from burdenshare.solutions import zopa_interval
>>> zopa_interval(low_party_reservation=0.6, high_party_reservation=0.4)
(0.4, 0.6)
>>> print(zopa_interval(low_party_reservation=0.3, high_party_reservation=0.4))
None
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burdenshare.errors import SolverError
from burdenshare.solutions import _validate

__all__ = ["feasible_mask", "zopa_interval"]


def zopa_interval(
    low_party_reservation: float, high_party_reservation: float
) -> tuple[float, float] | None:
    """The interval of single-issue values acceptable to both sides, or None if there is none.

    Args:
        low_party_reservation: the *highest* value the side that wants the value low accepts.
        high_party_reservation: the *lowest* value the side that wants the value high accepts.

    Returns:
        ``(lo, hi) = (high_party_reservation, low_party_reservation)`` when ``lo <= hi``, else None.
    """
    hi = _validate.finite("low_party_reservation", low_party_reservation)
    lo = _validate.finite("high_party_reservation", high_party_reservation)
    if lo > hi:
        return None
    return (lo, hi)


def feasible_mask(u1: ArrayLike, u2: ArrayLike, d: Sequence[float]) -> NDArray[np.bool_]:
    """Mask of the discrete outcomes that are individually rational: ``u1 >= d1`` and ``u2 >= d2``.

    >>> feasible_mask([0.1, 0.5, 0.9], [0.9, 0.5, 0.1], (0.2, 0.2)).tolist()
    [False, True, False]
    """
    a = np.asarray(u1, dtype=np.float64).ravel()
    b = np.asarray(u2, dtype=np.float64).ravel()
    if a.shape != b.shape:
        raise SolverError(f"u1 and u2 must have the same length, got {a.size} and {b.size}")
    d1, d2 = _validate.point("d", d)
    return np.asarray((a >= d1) & (b >= d2), dtype=np.bool_)
