"""The combined forecast: one point and an 80% interval from every model of a scenario.

The weights and the interval are not chosen here. They are fitted out of sample on the record of
past rounds (leave one round out) by :mod:`burdenshare.history.stacking` and shipped as
``forecasting/data/combination-v1.json``; this module only applies them (the schema is in
docs/explanation/forecasting.md):

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


@dataclass(frozen=True)
class CombinationParams:
    """Fitted combination weights and the relative-error quantiles of the combination.

    The JSON schema is D's (``history/stacking.py``): ``version``, ``fitted_on`` (round ids),
    ``target``, ``members`` (name -> weight), ``relative_error_quantiles`` ("0.1", "0.5",
    "0.9" -> q), ``relative_error_sd``, ``n`` (held-out rounds), ``method``.
    """

    version: str
    fitted_on: tuple[str, ...]
    target: str
    members: Mapping[str, float]
    relative_error_quantiles: Mapping[str, float]
    relative_error_sd: float
    n: int
    method: str
    source: str = ""

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], source: str = "") -> CombinationParams:
        """Check and read the JSON object (a :class:`ForecastError` names a bad field)."""

        def bad(key: str, expected: str) -> ForecastError:
            where = f"{source}: " if source else ""
            return ForecastError(
                f"{where}combination parameters: {key} must be {expected} (got {raw.get(key)!r})"
            )

        if not isinstance(raw, Mapping):
            raise ForecastError(f"{source}: combination parameters must be a JSON object")
        for key in ("version", "target", "method"):
            if not isinstance(raw.get(key), str):
                raise bad(key, "a string")
        fitted = raw.get("fitted_on")
        if not isinstance(fitted, list) or not all(isinstance(r, str) for r in fitted):
            raise bad("fitted_on", "a list of round ids")
        members = raw.get("members")
        if not isinstance(members, Mapping) or not members:
            raise bad("members", "an object of member name -> weight")
        weights = {str(k): _number(v) for k, v in members.items()}
        if any(w is None or w < 0 for w in weights.values()):
            raise bad("members", "non-negative weights")
        if not math.isclose(sum(w for w in weights.values() if w is not None), 1.0, abs_tol=1e-6):
            raise bad("members", "weights summing to 1")
        quantiles = raw.get("relative_error_quantiles")
        if not isinstance(quantiles, Mapping) or not all(q in quantiles for q in INTERVAL):
            raise bad("relative_error_quantiles", f"an object with keys {', '.join(INTERVAL)}")
        raw_qs = {str(k): _number(v) for k, v in quantiles.items()}
        qs = {k: v for k, v in raw_qs.items() if v is not None and v > -1}
        if len(qs) != len(raw_qs):
            raise bad("relative_error_quantiles", "numbers above -1")
        if qs[INTERVAL[0]] > qs[INTERVAL[1]]:
            raise bad("relative_error_quantiles", "quantiles in increasing order")
        sd = _number(raw.get("relative_error_sd"))
        if sd is None or sd < 0:
            raise bad("relative_error_sd", "a non-negative number")
        n = raw.get("n")
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise bad("n", "a positive whole number")
        return cls(
            version=str(raw["version"]),
            fitted_on=tuple(fitted),
            target=str(raw["target"]),
            members={k: float(v) for k, v in weights.items() if v is not None},
            relative_error_quantiles=qs,
            relative_error_sd=float(sd),
            n=n,
            method=str(raw["method"]),
            source=source,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "fitted_on": list(self.fitted_on),
            "target": self.target,
            "members": dict(self.members),
            "relative_error_quantiles": dict(self.relative_error_quantiles),
            "relative_error_sd": self.relative_error_sd,
            "n": self.n,
            "method": self.method,
        }


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def load_combination(path: str | Path | None = None) -> CombinationParams:
    """The combination parameters in ``path``, or the shipped ones (``None``).

    A missing or malformed file is a :class:`ForecastError`; :func:`shipped_combination` is
    the lenient form the services use.
    """
    if path is None:
        ref = resources.files("burdenshare").joinpath(SHIPPED)
        if not ref.is_file():
            raise ForecastError(
                f"{SHIPPED} is not shipped (its weights are fitted out of sample on the "
                "record of past rounds)"
            )
        text, source = ref.read_text(encoding="utf-8"), SHIPPED
    else:
        p = Path(path)
        try:
            if p.stat().st_size > _MAX_BYTES:
                raise ForecastError(f"{p}: combination file over {_MAX_BYTES:,} bytes")
            text, source = p.read_text(encoding="utf-8"), str(p)
        except OSError as exc:
            raise ForecastError(f"{p}: cannot read the combination parameters: {exc}") from exc
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ForecastError(f"{source}:{exc.lineno}: not JSON: {exc.msg}") from exc
    return CombinationParams.from_dict(raw, source=source)


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
