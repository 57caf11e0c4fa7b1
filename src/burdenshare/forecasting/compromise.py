"""The compromise model (weighted mean), the weighted median and simple baselines.

The compromise model predicts, on each issue, the capability × salience weighted mean of the
actors' positions, ``O = Σ c_i s_i x_i / Σ c_i s_i`` (van den Bos 1991; Achen 2006, "Evaluating
political decision-making models", ch. 10 of *The European Union Decides*, Thomson, Stokman, Achen
& König eds.). It is the limit of the asymmetric Nash bargaining solution with quadratic losses and
a far disagreement point (see :mod:`burdenshare.forecasting.nash_multi`). On the DEU I data it did
as well as or better than the procedural and bargaining models it was compared with.

The weighted median is the "median voter" point of the same weights: the position at which half of
the weight lies on either side. :class:`Mean`, :class:`Median` and :class:`ReferencePoint` (the
status quo) are the naive baselines every model should beat.

All models here are pure functions of one issue at a time; multi-issue tables are forecast issue
by issue. Sums use :func:`math.fsum`, so relabelling the actors gives bit-identical forecasts.

>>> from burdenshare.forecasting import ActorTable
>>> t = ActorTable.single(["a", "b", "c"], [0.0, 50.0, 100.0], [1.0, 1.0, 0.5], [1.0, 1.0, 2.0])
>>> float(Compromise().predict(t).outcome[0])
50.0
>>> float(Mean().predict(t).outcome[0]), float(Median().predict(t).outcome[0])
(50.0, 50.0)
>>> float(WeightedMedian().predict(t).outcome[0])
50.0
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from burdenshare.errors import ForecastError
from burdenshare.forecasting.base import ActorTable, Forecast, Forecaster
from burdenshare.forecasting.scaling import unit_exponent, unit_scaled

__all__ = [
    "Compromise",
    "Mean",
    "Median",
    "ReferencePoint",
    "WeightedMedian",
    "actor_weights",
    "weighted_mean",
    "weighted_median",
]

FloatArray = npt.NDArray[np.float64]

#: relative tolerance under which a cumulative weight counts as exactly one half
_HALF_TOL = 1e-12


def weighted_mean(x: FloatArray, w: FloatArray) -> float:
    """``Σ w_i x_i / Σ w_i``, summed exactly (:func:`math.fsum`), so it is order independent.

    Weights and positions are first divided by powers of two (:func:`~burdenshare.forecasting.
    scaling.unit_scaled`, exact), so no sum overflows, whatever finite numbers they are; where
    nothing overflowed before, the result is bit for bit the same.

    >>> weighted_mean(np.array([0.0, 10.0]), np.array([3.0, 1.0]))
    2.5
    >>> weighted_mean(np.array([1e308, 1e308]), np.array([1e308, 1e308]))
    1e+308
    """
    scaled_w = unit_scaled(w)
    e = unit_exponent(x)
    total = math.fsum(scaled_w)
    if not total > 0:
        raise ForecastError("weighted mean: the weights sum to zero")
    return math.ldexp(math.fsum(scaled_w * np.ldexp(x, -e)) / total, e)


def weighted_median(x: FloatArray, w: FloatArray) -> float:
    """The weighted median of ``x``: the point with at most half the weight on either side.

    Weights are pooled per distinct position (exact sums), positions sorted, and the first
    position at which the cumulative weight reaches half the total is returned; when it reaches
    exactly half there (a tie between two positions) the midpoint of the two is returned, so the
    result does not depend on the actors' order or on reflecting the scale.

    >>> weighted_median(np.array([0.0, 10.0, 20.0]), np.array([1.0, 1.0, 1.0]))
    10.0
    >>> weighted_median(np.array([0.0, 10.0]), np.array([1.0, 1.0]))  # a tie
    5.0
    >>> weighted_median(np.array([0.0, 10.0, 20.0]), np.array([3.0, 1.0, 1.0]))
    0.0
    """
    keep = w > 0
    if not np.any(keep):
        raise ForecastError("weighted median: no actor has positive weight")
    w = unit_scaled(w)  # exact, and the pooled sums cannot overflow
    values = np.unique(x[keep])
    pooled = np.array([math.fsum(w[keep][x[keep] == v]) for v in values])
    total = math.fsum(pooled)
    half = total / 2.0
    cum = 0.0
    for k, v in enumerate(values):
        cum = math.fsum(pooled[: k + 1])
        if cum >= half * (1.0 - _HALF_TOL):
            if abs(cum - half) <= _HALF_TOL * total and k + 1 < len(values):
                return float((v + values[k + 1]) / 2.0)
            return float(v)
    return float(values[-1])  # pragma: no cover - unreachable: cum ends at total


def actor_weights(
    table: ActorTable, j: int, capability_power: float = 1.0, salience_power: float = 1.0
) -> FloatArray:
    """Each actor's weight on issue ``j``: ``capability ** a * salience ** b`` (``0 ** 0 = 1``)."""
    if capability_power < 0 or salience_power < 0:
        raise ForecastError(
            f"weight powers must be >= 0, got capability_power={capability_power}, "
            f"salience_power={salience_power}"
        )
    # capabilities divided by a power of two first (exact; a common factor changes no model)
    w = np.power(unit_scaled(table.capability), capability_power) * np.power(
        table.salience[:, j], salience_power
    )
    if not np.any(w > 0):
        raise ForecastError(f"issue {table.issues[j]!r}: every actor has zero weight")
    return np.asarray(w, dtype=np.float64)


class _PerIssue(Forecaster):
    """A model that forecasts each issue on its own with ``_issue``."""

    def _issue(self, table: ActorTable, j: int) -> float:
        raise NotImplementedError

    def predict(self, table: ActorTable) -> Forecast:
        outcome = np.array([self._issue(table, j) for j in range(table.n_issues)])
        return Forecast(model=self.name, issues=table.issues, outcome=outcome)


class Compromise(_PerIssue):
    """The compromise model: the capability × salience weighted mean position.

    ``capability_power`` and ``salience_power`` set the weights ``c_i ** a * s_i ** b``; the
    default (1, 1) is the compromise model of Achen (2006) and van den Bos (1991); (0, 1) is the
    salience-only weighted mean.

    >>> from burdenshare.forecasting import ActorTable
    >>> t = ActorTable.single(["a", "b"], [0.0, 100.0], [1.0, 0.5], [1.0, 2.0])
    >>> float(Compromise().predict(t).outcome[0])  # weights 1 and 1
    50.0
    >>> float(Compromise(capability_power=0.0).predict(t).outcome[0])  # weights 1 and 0.5
    33.333333333333336
    """

    name: ClassVar[str] = "compromise"
    source: ClassVar[str] = "van den Bos (1991); Achen (2006), The European Union Decides, ch. 10"

    def __init__(self, capability_power: float = 1.0, salience_power: float = 1.0) -> None:
        self.capability_power = capability_power
        self.salience_power = salience_power

    def _issue(self, table: ActorTable, j: int) -> float:
        w = actor_weights(table, j, self.capability_power, self.salience_power)
        return weighted_mean(table.position[:, j], w)


class WeightedMedian(_PerIssue):
    """The "median voter": the capability × salience weighted median position.

    >>> from burdenshare.forecasting import ActorTable
    >>> t = ActorTable.single(["a", "b", "c"], [0.0, 40.0, 100.0], [1.0, 1.0, 1.0], [1.0, 1.0, 3.0])
    >>> float(WeightedMedian().predict(t).outcome[0])  # c holds 3 of 5 units of weight
    100.0
    """

    name: ClassVar[str] = "weighted-median"
    source: ClassVar[str] = "Black (1948) median voter; Achen (2006) as a DEU baseline"

    def __init__(self, capability_power: float = 1.0, salience_power: float = 1.0) -> None:
        self.capability_power = capability_power
        self.salience_power = salience_power

    def _issue(self, table: ActorTable, j: int) -> float:
        w = actor_weights(table, j, self.capability_power, self.salience_power)
        return weighted_median(table.position[:, j], w)


class Mean(_PerIssue):
    """Baseline: the unweighted mean of every actor's position (saliences ignored)."""

    name: ClassVar[str] = "mean"
    source: ClassVar[str] = "naive baseline"

    def __init__(self) -> None:
        pass

    def _issue(self, table: ActorTable, j: int) -> float:
        return weighted_mean(table.position[:, j], np.ones(table.n_actors))


class Median(_PerIssue):
    """Baseline: the unweighted median of every actor's position (saliences ignored)."""

    name: ClassVar[str] = "median"
    source: ClassVar[str] = "naive baseline"

    def __init__(self) -> None:
        pass

    def _issue(self, table: ActorTable, j: int) -> float:
        return float(np.median(table.position[:, j]))


class ReferencePoint(Forecaster):
    """Baseline: nothing changes; predicts the reference point (status quo) of each issue.

    Where an issue's reference point is unknown it asks ``fallback`` (another forecaster) or,
    without one, raises :class:`~burdenshare.errors.ForecastError`. The status quo may lie outside
    the actors' positions, so this model is exempt from the contract's range check.

    >>> from burdenshare.forecasting import ActorTable
    >>> t = ActorTable.single(["a", "b"], [0.0, 100.0], [1.0, 1.0], [1.0, 1.0], reference=20.0)
    >>> float(ReferencePoint().predict(t).outcome[0])
    20.0
    """

    name: ClassVar[str] = "reference-point"
    source: ClassVar[str] = "naive baseline (the status quo); Achen (2006)"
    contract_exemptions: ClassVar[dict[str, str]] = {
        "range": "predicts the status quo, which may lie outside the actors' positions",
    }

    def __init__(self, fallback: Forecaster | None = None) -> None:
        self.fallback = fallback

    def predict(self, table: ActorTable) -> Forecast:
        outcome = np.array(table.reference, dtype=np.float64, copy=True)
        unknown = ~np.isfinite(outcome)
        if np.any(unknown):
            if self.fallback is None:
                missing = [table.issues[j] for j in np.flatnonzero(unknown)]
                raise ForecastError(
                    f"no reference point for issue(s) {missing}; give the table a reference or "
                    "use ReferencePoint(fallback=...)"
                )
            outcome[unknown] = self.fallback.predict(table).outcome[unknown]
        return Forecast(
            model=self.name,
            issues=table.issues,
            outcome=outcome,
            details={"fallback_issues": [table.issues[j] for j in np.flatnonzero(unknown)]},
        )
