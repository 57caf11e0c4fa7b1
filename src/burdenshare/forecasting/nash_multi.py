"""The asymmetric n-person Nash bargaining solution on a one-dimensional policy issue.

On each issue the forecast is

    x* = argmax_x  Σ_i w_i log(u_i(x) − u_i(q))     over {x : u_i(x) > u_i(q) for all i},

the maximiser of the weighted Nash product Π_i (u_i(x) − u_i(q))^{w_i} (Nash 1950; the asymmetric
form with bargaining powers w_i is Kalai 1977). Utilities are quadratic, ``u_i = −s_i (x − x_i)²``,
or linear, ``u_i = −s_i |x − x_i|``; the bargaining power is ``w_i = c_i s_i`` (capability ×
salience, the weights of the compromise model) or ``w_i = c_i``. Actors with no salience or no
power on an issue are left out (their factor is constant).

The disagreement point ``q`` is the issue's reference point (``reference="status_quo"``) or a point
``far_distance`` scale widths above the top of the issue's scale (``reference="far"``). Achen (2006,
ch. 4 of *The European Union Decides*) shows why the compromise model is a Nash solution: with
quadratic utilities and ``q`` far away the first-order condition tends to ``Σ w_i (x − x_i) = 0``,
so x* tends to the weighted mean (the salience inside ``u_i`` only adds a constant to the log, so
the weighted mean of the compromise model needs ``w_i = c_i s_i``). With linear utilities it tends
to the weighted median instead. If ``q`` lies between the actors' positions, no point makes every
actor better off (the status quo is Pareto optimal on a line) and the solution is ``q`` itself.

Numerics (step by step):

1. The feasible set is the open interval ``(max_i(x_i − d_i), min_i(x_i + d_i))`` with
   ``d_i = |q − x_i|`` (both utility shapes); intersect it with the actors' hull
   ``[min x_i, max x_i]``, which holds the maximiser. If the intersection is empty the
   solution is ``q``.
2. The objective is concave, so its derivative is non-increasing; with quadratic utilities
   ``f'(x) = Σ 2 w_i (x_i − x) / g_i(x)`` with ``g_i = (q − x)(q + x − 2 x_i)`` (factored, so it
   stays accurate for ``q`` far away), with linear ones ``f'(x) = Σ −w_i sign(x − x_i) / g_i(x)``.
3. Bracket the sign change of ``f'`` between consecutive kinks (the actors' positions); return the
   kink if the derivative jumps across zero there, else solve ``f'(x) = 0`` on the bracket with
   :func:`scipy.optimize.brentq`.

>>> from burdenshare.forecasting import ActorTable
>>> t = ActorTable.single(["a", "b"], [0.0, 100.0], [1.0, 1.0], [1.0, 3.0], scale=(0.0, 100.0))
>>> round(float(NashBargaining(reference="far").predict(t).outcome[0]), 3)  # weighted mean 75
75.0
>>> t = ActorTable.single(["a", "b"], [0.0, 100.0], [1.0, 1.0], [1.0, 3.0], reference=40.0)
>>> float(NashBargaining().predict(t).outcome[0])  # the status quo is Pareto optimal
40.0
"""

from __future__ import annotations

import itertools
import math
from typing import ClassVar, Literal

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq

from burdenshare.errors import ForecastError
from burdenshare.forecasting.base import ActorTable, Forecast, Forecaster
from burdenshare.forecasting.scaling import unit_exponent, unit_scaled

__all__ = ["NashBargaining", "nash_point"]

FloatArray = npt.NDArray[np.float64]

Utility = Literal["quadratic", "linear"]
Reference = Literal["status_quo", "far"]
Power = Literal["capability_salience", "capability"]

#: positions within ``2^±400`` are used as they are; beyond, they are rescaled (see ``predict``)
_SAFE_EXPONENT = 400


def _gain(x: float, q: float, ideal: FloatArray, utility: Utility) -> FloatArray:
    """``(u_i(x) − u_i(q)) / s_i`` for every actor (positive on the feasible set)."""
    if utility == "quadratic":
        return (q - x) * (q + x - 2.0 * ideal)
    return np.abs(q - ideal) - np.abs(x - ideal)


def _slope(
    x: float, q: float, ideal: FloatArray, w: FloatArray, utility: Utility, side: int
) -> float:
    """One-sided derivative (``side`` = +1 right, −1 left) of ``Σ w_i log(u_i(x) − u_i(q))``."""
    g = _gain(x, q, ideal, utility)
    if utility == "quadratic":
        num = 2.0 * (ideal - x)
    else:
        d = x - ideal
        # the one-sided derivative of −|x − x_i| at the kink x = x_i is −side
        num = -np.where(d > 0, 1.0, np.where(d < 0, -1.0, float(side)))
    return float(np.sum(w * num / g))


def nash_point(
    ideal: FloatArray, power: FloatArray, q: float, utility: Utility = "quadratic"
) -> float:
    """The asymmetric Nash bargaining point of one issue (see the module docstring).

    ``ideal`` and ``power`` are the actors' positions and bargaining powers (>= 0; an actor of
    power 0, or of a power below ``2^-1074`` of the largest, bounds the feasible set but does
    not pull the solution), ``q`` the
    disagreement point.

    >>> nash_point(np.array([0.0, 10.0]), np.array([1.0, 1.0]), q=1e9)  # far: the mean
    5.0
    >>> nash_point(np.array([0.0, 10.0, 30.0]), np.array([1.0, 1.0, 1.0]), q=1e9, utility="linear")
    10.0
    """
    ideal = np.asarray(ideal, dtype=np.float64)
    w = np.asarray(power, dtype=np.float64)
    if utility not in ("quadratic", "linear"):
        raise ForecastError(f"utility must be 'quadratic' or 'linear', got {utility!r}")
    if ideal.shape != w.shape or ideal.size == 0 or not np.all(np.isfinite(w)):
        raise ForecastError("nash_point needs one finite power per actor")
    if np.any(w < 0) or not np.any(w > 0):
        raise ForecastError("nash_point needs powers >= 0, at least one of them positive")
    if not np.isfinite(q):
        raise ForecastError(f"the disagreement point must be finite, got {q}")
    # the maximiser is the same for any common factor of the powers: divide by a power of two
    # (exact), so that w_i times a slope cannot overflow. A power below 2^-1074 of the largest
    # becomes 0: its actor still bounds the feasible set, its pull is below rounding.
    w = unit_scaled(w)
    lo_hull, hi_hull = float(ideal.min()), float(ideal.max())
    if lo_hull == hi_hull:
        return lo_hull
    d = np.abs(q - ideal)
    feasible_lo, feasible_hi = float(np.max(ideal - d)), float(np.min(ideal + d))
    lo, hi = max(feasible_lo, lo_hull), min(feasible_hi, hi_hull)
    if not lo < hi:
        return float(q)  # no point makes every actor better off than q
    # step back from a feasibility bound (where a gain is zero), not from the hull's ends
    tiny = 1e-12 * (hi_hull - lo_hull)
    lo = lo if feasible_lo < lo_hull else lo + tiny
    hi = hi if feasible_hi > hi_hull else hi - tiny
    kinks = np.unique(np.concatenate(([lo, hi], ideal[(ideal > lo) & (ideal < hi)])))
    for a, b in itertools.pairwise(kinks):
        right_of_a = _slope(float(a), q, ideal, w, utility, +1)
        if right_of_a <= 0:
            return float(a)  # f'(a-) > 0 (else we had stopped before) and f'(a+) <= 0
        left_of_b = _slope(float(b), q, ideal, w, utility, -1)
        if left_of_b < 0:
            root = brentq(
                lambda x: _slope(x, q, ideal, w, utility, +1), a, b, xtol=1e-13 * (b - a + 1.0)
            )
            return float(root)
    return float(kinks[-1])


class NashBargaining(Forecaster):
    """The asymmetric n-person Nash bargaining solution (Nash 1950; Kalai 1977; Achen 2006).

    Parameters: ``utility`` ("quadratic" or "linear" loss in the distance to the actor's
    position, scaled by salience), ``reference`` (the disagreement point: the issue's status quo,
    or "far": ``far_distance`` scale widths above the top of the scale) and ``power`` (the
    exponents: "capability_salience" = ``c_i s_i``, or "capability" = ``c_i``). With
    ``reference="status_quo"`` an issue without a known reference point raises
    :class:`~burdenshare.errors.ForecastError`.
    """

    name: ClassVar[str] = "nash"
    source: ClassVar[str] = (
        "Nash (1950) Econometrica 18:155; Kalai (1977) IJGT 6:129 (asymmetric); "
        "Achen (2006) The European Union Decides, ch. 4"
    )

    def __init__(
        self,
        utility: Utility = "quadratic",
        reference: Reference = "status_quo",
        far_distance: float = 1e4,
        power: Power = "capability_salience",
    ) -> None:
        self.utility = utility
        self.reference = reference
        self.far_distance = far_distance
        self.power = power

    def _check(self) -> None:
        if self.utility not in ("quadratic", "linear"):
            raise ForecastError(f"utility must be 'quadratic' or 'linear', got {self.utility!r}")
        if self.reference not in ("status_quo", "far"):
            raise ForecastError(f"reference must be 'status_quo' or 'far', got {self.reference!r}")
        if self.power not in ("capability_salience", "capability"):
            raise ForecastError(
                f"power must be 'capability_salience' or 'capability', got {self.power!r}"
            )
        if not (np.isfinite(self.far_distance) and self.far_distance > 0):
            raise ForecastError(f"far_distance must be > 0, got {self.far_distance!r}")

    def _disagreement(self, table: ActorTable, j: int, e: int) -> float:
        """The disagreement point of issue ``j``, in units of ``2^e`` (see :meth:`predict`)."""
        if self.reference == "far":
            low, high = (math.ldexp(v, -e) for v in table.scale[j])
            x = np.ldexp(table.position[:, j], -e)
            width = high - low if high > low else float(x.max() - x.min())
            return float(max(high, x.max()) + self.far_distance * width)
        q = float(table.reference[j])
        if not np.isfinite(q):
            raise ForecastError(
                f"issue {table.issues[j]!r} has no reference point; "
                "use NashBargaining(reference='far') or give the table a reference"
            )
        return math.ldexp(q, -e)

    def predict(self, table: ActorTable) -> Forecast:
        """The Nash point of every issue.

        Positions (and the scale and reference point) whose magnitude is beyond ``2^±400`` are
        first divided by a power of two: the solution moves with the positions (it is equivariant
        under ``x -> a x``, ``a > 0``) and the products of distances in the gains would otherwise
        overflow or underflow. Powers are scaled likewise (:func:`nash_point`). A disagreement
        point that only exists beyond the largest float (``far`` on a scale near ``1e308``) is
        reported as ``None``.
        """
        self._check()
        outcome = np.empty(table.n_issues)
        disagreement: list[float | None] = []
        c = unit_scaled(table.capability)  # exact; the powers' common factor changes nothing
        for j in range(table.n_issues):
            s = table.salience[:, j]
            w = c * s if self.power == "capability_salience" else c
            keep = (table.capability > 0) & (s > 0)  # not w > 0: c s may underflow
            magnitudes = [*table.scale[j], float(np.nan_to_num(table.reference[j]))]
            e = unit_exponent(np.append(table.position[:, j], magnitudes))
            e = e if abs(e) > _SAFE_EXPONENT else 0
            q = self._disagreement(table, j, e)
            x = np.ldexp(table.position[keep, j], -e)
            outcome[j] = math.ldexp(nash_point(x, w[keep], q, self.utility), e)
            with np.errstate(over="ignore"):
                unscaled = float(np.ldexp(q, e))
            disagreement.append(unscaled if math.isfinite(unscaled) else None)
        return Forecast(
            model=self.name,
            issues=table.issues,
            outcome=outcome,
            details={"disagreement_point": disagreement},
        )
