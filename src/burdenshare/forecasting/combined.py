"""The combined forecast: one point and an 80% interval from every model of a scenario.

The weights and the interval are not chosen here. They are fitted out of sample on the record of
past rounds (leave one round out) by :mod:`burdenshare.history.stacking` and shipped as
``forecasting/data/combination-v1.json``, whose record type and reader
(:class:`~burdenshare.forecasting.combination_params.CombinationParams`) this module uses; it
only applies them:

- the point is ``sum_m w_m * pred_m`` over the members that have a prediction here, the weights
  renormalised over those members (Wolpert 1992's stacking, applied);
- the 80% interval is ``point * (1 + q)`` for the fitted quantiles ``q`` (10% and 90%) of the
  relative error ``(actual - point) / point`` of the combination on the held-out rounds.

Members are named as the backtest names its methods: ``solution:<concept>``,
``forecast:<model>``, ``ensemble:<pair>``. Without the shipped file the combined forecast is
absent and says why; a weight is never made up.

>>> params = CombinationParams.from_dict({
...     "version": "combination-test", "fitted_on": ["a", "b", "c"], "target": "settlement",
...     "members": {"solution:nash": 0.75, "forecast:median": 0.25},
...     "relative_error_quantiles": {"0.1": -0.1, "0.5": 0.0, "0.9": 0.2},
...     "relative_error_sd": 0.12, "n": 3, "method": "example"})
>>> c = combined_forecast({"solution:nash": 1000.0, "forecast:median": 1400.0,
...                        "forecast:mean": 2000.0}, params)
>>> c.point, c.low, c.high, c.spread
(1100.0, 990.0, 1320.0, (1000.0, 2000.0))
>>> combined_forecast({"forecast:mean": 2000.0}, None).point is None
True
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from burdenshare.errors import ForecastError
from burdenshare.forecasting.combination_params import (
    CombinationParams,
    load_combination_params,
)

__all__ = [
    "INTERVAL",
    "SHIPPED",
    "CombinationParams",
    "CombinedForecast",
    "combined_forecast",
    "load_combination",
    "shipped_combination",
]

#: the shipped parameters, inside the package
SHIPPED = "forecasting/data/combination-v1.json"
#: the quantiles of the relative error that bound the interval (an 80% interval)
INTERVAL = ("0.1", "0.9")
#: the largest parameter file read (the shipped one is a few kilobytes)
_MAX_BYTES = 1 << 20


def load_combination(path: str | Path | None = None) -> CombinationParams:
    """The combination parameters in ``path``, or the shipped ones (``None``), read by
    :func:`burdenshare.forecasting.combination_params.load_combination_params`.

    A missing, oversized or malformed file is a :class:`ForecastError` naming it;
    :func:`shipped_combination` is the lenient form the services use.
    """
    source = SHIPPED if path is None else str(path)
    if path is None and not resources.files("burdenshare").joinpath(SHIPPED).is_file():
        raise ForecastError(
            f"{SHIPPED} is not shipped (its weights are fitted out of sample on the record of "
            "past rounds)"
        )
    try:
        if path is not None and Path(path).stat().st_size > _MAX_BYTES:
            raise ForecastError(f"{source}: combination file over {_MAX_BYTES:,} bytes")
        params = load_combination_params(path)
    except json.JSONDecodeError as exc:
        raise ForecastError(f"{source}:{exc.lineno}: not JSON: {exc.msg}") from exc
    except OSError as exc:
        raise ForecastError(f"{source}: cannot read the combination parameters: {exc}") from exc
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        what = f"missing key {exc}" if isinstance(exc, KeyError) else str(exc)
        raise ForecastError(f"{source}: bad combination parameters: {what}") from exc
    q = params.relative_error_quantiles
    if params.n < 1 or q[INTERVAL[0]] > q[INTERVAL[1]] or q[INTERVAL[0]] <= -1:
        raise ForecastError(
            f"{source}: bad combination parameters: n must be positive and the relative-error "
            f"quantiles increasing and above -1 (got n = {params.n}, quantiles {dict(q)})"
        )
    return params


def shipped_combination() -> tuple[CombinationParams | None, str]:
    """The shipped parameters, or None and the reason they cannot be used."""
    try:
        return load_combination(), ""
    except ForecastError as exc:
        return None, str(exc)


@dataclass(frozen=True)
class CombinedForecast:
    """The combined forecast of one scenario: point, 80% interval, members, spread, note.

    ``point``, ``low`` and ``high`` are None when there are no parameters or no member has a
    prediction; ``note`` then says why. ``spread`` is (min, max) over every prediction given
    (members or not), and ``predictions`` holds them all, so the spread can be drawn.
    """

    point: float | None
    low: float | None
    high: float | None
    members: Mapping[str, float]
    missing: tuple[str, ...]
    spread: tuple[float, float] | None
    predictions: Mapping[str, float]
    version: str | None
    n_fit: int | None
    n_rounds: int | None
    method: str | None
    weight_present: float
    note: str
    interval: float = 0.8

    @property
    def available(self) -> bool:
        return self.point is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "available": self.available,
            "point": self.point,
            "low": self.low,
            "high": self.high,
            "interval": self.interval,
            "members": dict(self.members),
            "missing": list(self.missing),
            "weight_present": self.weight_present,
            "spread": list(self.spread) if self.spread is not None else None,
            "predictions": dict(self.predictions),
            "version": self.version,
            "n_fit": self.n_fit,
            "n_rounds": self.n_rounds,
            "method": self.method,
            "note": self.note,
        }


def combined_forecast(
    predictions: Mapping[str, float | None], params: CombinationParams | None
) -> CombinedForecast:
    """Apply ``params`` to one scenario's ``predictions`` (member name -> value, None or NaN
    where a model gave none); see the module docstring."""
    given = {
        k: float(v)
        for k, v in predictions.items()
        if v is not None and not isinstance(v, bool) and math.isfinite(v)
    }
    spread = (min(given.values()), max(given.values())) if given else None
    if params is None:
        return CombinedForecast(
            point=None,
            low=None,
            high=None,
            members={},
            missing=(),
            spread=spread,
            predictions=given,
            version=None,
            n_fit=None,
            n_rounds=None,
            method=None,
            weight_present=0.0,
            note="No fitted combination parameters are available, and no weight is made up: "
            "read the spread of the models instead.",
        )
    present = {m: w for m, w in params.members.items() if m in given}
    missing = tuple(m for m in params.members if m not in given)
    total = sum(present.values())
    if total <= 0:
        return CombinedForecast(
            point=None,
            low=None,
            high=None,
            members={},
            missing=missing,
            spread=spread,
            predictions=given,
            weight_present=0.0,
            note=f"None of the weighted members of {params.version} has a prediction here "
            f"(missing: {', '.join(missing) or 'none'}).",
            version=params.version,
            n_fit=params.n,
            n_rounds=len(params.fitted_on),
            method=params.method,
        )
    weights = {m: w / total for m, w in present.items()}
    point = sum(w * given[m] for m, w in weights.items())
    q_lo = params.relative_error_quantiles[INTERVAL[0]]
    q_hi = params.relative_error_quantiles[INTERVAL[1]]
    low, high = point * (1 + q_lo), point * (1 + q_hi)
    note = (
        f"Stacked combination {params.version}, fitted out of sample (leaving one round out) on "
        f"{params.n} cases of {len(params.fitted_on)} past rounds; the 80% interval is the "
        "point times one plus the 10% and 90% quantiles of its out-of-sample relative error."
    )
    if missing:
        note += (
            f" Members without a prediction here ({', '.join(missing)}) carried "
            f"{100 * (1 - total):.0f}% of the weight; the others are renormalised, and the "
            "interval was fitted for the full combination."
        )
    return CombinedForecast(
        point=point,
        low=min(low, high),
        high=max(low, high),
        members=weights,
        missing=missing,
        spread=spread,
        predictions=given,
        weight_present=total,
        note=note,
        version=params.version,
        n_fit=params.n,
        n_rounds=len(params.fitted_on),
        method=params.method,
    )
