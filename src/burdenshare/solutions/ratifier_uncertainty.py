"""An offer to a party whose ratifier's threshold is uncertain (two-level games, Iida 1993).

Party A proposes a share ``x`` (its utility) to party B, whose domestic ratifier approves only
``x <= r_B``; A does not know ``r_B``, only its distribution. A's best take-it-or-leave-it offer
maximises its expected gain over walking away::

    x* = argmax_x (x - d_A) P(r_B >= x)

and the deal then fails ratification with probability ``P(r_B < x*)`` (Iida 1993, JCR 37:403-426:
with incomplete domestic information "successful ratification is not guaranteed"; the objective
is the one given in shared/reference/models.md section 4, P2). For ``r_B`` uniform on ``[a, b]``
with ``a <= (d_A + b) / 2 <= b``: ``x* = (d_A + b) / 2`` and
``P(failure) = (x* - a) / (b - a)``, which grows as the distribution moves toward ``d_A``.

>>> point = uncertain_ratifier_offer(0.2, lambda x: min(1.0, max(0.0, (0.8 - x) / 0.4)))
>>> round(point.offer, 9), round(point.p_failure, 9)
(0.5, 0.25)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

from burdenshare.solutions import _validate

__all__ = ["RatifierOffer", "uncertain_ratifier_offer"]


@dataclass(frozen=True)
class RatifierOffer:
    """A's optimal offer, its expected gain over walking away, and the chance it fails."""

    offer: float
    expected_gain: float
    p_failure: float


def uncertain_ratifier_offer(
    d_a: float, survival: Callable[[float], float], *, upper: float = 1.0
) -> RatifierOffer | None:
    """Maximise ``(x - d_a) * survival(x)`` over ``x`` in ``[d_a, upper]``.

    ``survival(x)`` is ``P(r_B >= x)``. Returns None when no offer has a positive expected gain
    (the ratifier surely rejects every offer A would make: no win-set).
    """
    d = _validate.finite("d_a", d_a)
    if not upper > d:
        return None

    def loss(x: float) -> float:
        return -(x - d) * float(survival(x))

    grid = np.linspace(d, upper, 2001)
    values = np.array([-loss(float(x)) for x in grid])
    k = int(np.argmax(values))
    if values[k] <= 0.0:
        return None
    lo, hi = grid[max(0, k - 1)], grid[min(len(grid) - 1, k + 1)]
    res = minimize_scalar(loss, bounds=(lo, hi), method="bounded", options={"xatol": 1e-13})
    x = float(res.x) if -float(res.fun) >= values[k] else float(grid[k])
    s = float(survival(x))
    return RatifierOffer(offer=x, expected_gain=(x - d) * s, p_failure=1.0 - s)
