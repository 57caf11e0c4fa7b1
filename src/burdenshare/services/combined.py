"""Gather a scenario's predictions of the settlement and combine them (the combined forecast).

The settlement is the scenario's first issue (the first-year payment in the SMA scenarios). Its
predictions are named as the record backtest names its methods:

- ``solution:<concept>``: each bargaining solution at the central beliefs;
- ``forecast:<model>``: each multi-actor forecasting model (:func:`burdenshare.services.forecast`);
- ``ensemble:<pair>``: the median settlement of an ensemble, where one was run (``<pair>`` is the
  negotiator both sides play, or ``A/B`` when they differ).

:func:`combined_entry` applies the shipped combination
(:func:`burdenshare.forecasting.combined.shipped_combination`) and returns the JSON-ready entry
``forecast --json`` and ``run --json`` print under ``combined``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from burdenshare.analysis.records import SolutionResult
from burdenshare.forecasting.combined import (
    CombinationParams,
    combined_forecast,
    shipped_combination,
)
from burdenshare.scenario.scenario import Scenario

if TYPE_CHECKING:
    from burdenshare.scenario.io import LoadedScenario
    from burdenshare.services.core import Analysis

__all__ = [
    "combined_entry",
    "ensemble_member",
    "fitted_round",
    "forecast_panel",
    "run_combined",
    "scenario_predictions",
]


def ensemble_member(pair: Sequence[str]) -> str:
    """The member name of an ensemble of ``pair`` (one negotiator per party, first party's
    first): one name when every party plays the same.

    >>> ensemble_member(("boulware", "boulware")), ensemble_member(("linear", "conceder"))
    ('ensemble:boulware', 'ensemble:linear/conceder')
    >>> ensemble_member(("linear",) * 28)
    'ensemble:linear'
    """
    names = list(pair)
    return f"ensemble:{names[0]}" if len(set(names)) == 1 else "ensemble:" + "/".join(names)


def _finite(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def scenario_predictions(
    scenario: Scenario,
    *,
    solutions: Sequence[SolutionResult] = (),
    forecasts: Mapping[str, Any] | None = None,
    ensemble_summary: Mapping[str, Any] | None = None,
    pair: Sequence[str] | None = None,
) -> dict[str, float | None]:
    """Every prediction of the settlement (the first issue), by member name; None where a
    method gave none (a solution without agreement, an ensemble where no session agreed)."""
    iid = scenario.issues[0].id
    out: dict[str, float | None] = {}
    for s in solutions:
        value = s.outcome.get(iid) if s.agreement and s.outcome is not None else None
        out[f"solution:{s.concept}"] = _finite(value)
    if forecasts is not None and forecasts.get("issue") == iid:
        for row in forecasts["forecasts"]:
            out[f"forecast:{row['model']}"] = _finite(row["outcome"])
    if ensemble_summary is not None and pair is not None:
        st = (ensemble_summary.get("settlement") or {}).get(iid) or {}
        median = ((st.get("quantiles") or {}).get("0.5") or {}).get("value")
        out[ensemble_member(pair)] = _finite(median) if st.get("n_agreements") else None
    return out


def combined_entry(
    scenario: Scenario,
    predictions: Mapping[str, float | None],
    params: CombinationParams | Literal["shipped"] | None = "shipped",
) -> dict[str, Any]:
    """The combined forecast of ``predictions`` as JSON (``CombinedForecast.to_dict()``) with
    the issue and ``display`` strings for people. ``params``: the shipped parameters by
    default; where there are none (or ``None`` is given), the entry says so in ``note``."""
    why = ""
    if params == "shipped":
        params, why = shipped_combination()
        outside = outside_the_record(scenario)
        if params is not None and outside:
            params, why = None, outside
    assert not isinstance(params, str)
    fc = combined_forecast(predictions, params)
    iid = scenario.issues[0].id
    entry = {"issue": iid, **fc.to_dict()}
    if why:
        entry["note"] = f"{why}. No weight is made up: read the spread of the models instead."

    def shown(v: float | None) -> str | None:
        return None if v is None else scenario.format_value(iid, v)

    entry["in_sample_round"] = fitted_round(scenario, params)
    entry["display"] = {
        "point": shown(fc.point),
        "low": shown(fc.low),
        "high": shown(fc.high),
        "spread": [shown(v) for v in fc.spread] if fc.spread is not None else None,
    }
    return entry


def outside_the_record(scenario: Scenario) -> str:
    """Why the shipped combination does not apply to ``scenario`` ("" if it does): it was
    fitted on the record of rounds, bilateral settlements of a money issue, so its weights and
    interval say nothing about more than two parties or about an issue in other units."""
    fitted = (
        "The shipped combination was fitted on bilateral settlements of money "
        "(the record of rounds)"
    )
    if not scenario.bilateral:
        return f"{fitted}; this scenario has {len(scenario.parties)} parties"
    issue = scenario.issues[0]
    if not issue.is_money:
        unit = f" ({issue.unit})" if issue.unit else ""
        return f"{fitted}; this scenario's issue {issue.id!r}{unit} is not money"
    return ""


def fitted_round(scenario: Scenario, params: CombinationParams | None) -> str | None:
    """The round of the record the combination was fitted on whose deal is this scenario's
    hindsight deal (same agreement or signature date), or None: scoring the combined forecast
    on that deal is then a check in sample, and the hindsight says so."""
    h = scenario.hindsight
    if params is None or h is None or h.outcome != "agreement":
        return None
    from burdenshare.history.record import load_record

    for r in load_record():
        dates = (r.outcome.agreement_date, r.outcome.signature_date)
        if r.id in params.fitted_on and h.date in dates:
            return r.id
    return None


def run_combined(
    analysis: Analysis,
    forecasts: Mapping[str, Any] | None,
    ensemble_summary: Mapping[str, Any] | None,
    pair: Sequence[str] | None,
    params: CombinationParams | Literal["shipped"] | None = "shipped",
) -> dict[str, Any]:
    """The combined forecast of a run: the solutions at central values, the forecasting models
    (``forecasts``, as :func:`burdenshare.services.forecast` returns them) and the ensemble's
    median settlement (``ensemble:<pair>``)."""
    sc = analysis.loaded.scenario
    predictions = scenario_predictions(
        sc,
        solutions=analysis.solutions,
        forecasts=forecasts,
        ensemble_summary=ensemble_summary,
        pair=pair,
    )
    return combined_entry(sc, predictions, params)


def forecast_panel(loaded: LoadedScenario) -> dict[str, Any]:
    """What the dashboard shows under "Forecasts" for a scenario as written: the combined
    forecast (solutions at central values and forecasting models), the models' table
    (:func:`burdenshare.services.forecast`'s dict, or None and why), and the hindsight block
    with every forecast scored (the timing is scored where an ensemble runs: ``burdenshare
    run``, the report)."""
    from burdenshare.analysis.rules import has_rules
    from burdenshare.errors import ForecastError
    from burdenshare.services.core import _analysis, _forecast, about

    sc = loaded.scenario
    with about(loaded):
        analysis = None if has_rules(sc) else _analysis(loaded)
        try:
            forecasts: dict[str, Any] | None = _forecast(loaded, None, None)
            note = ""
        except ForecastError as exc:
            forecasts, note = None, str(exc)
    if analysis is None:
        combined = combined_entry(sc, scenario_predictions(sc, forecasts=forecasts))
        hindsight = None
    else:
        combined = run_combined(analysis, forecasts, None, None)
        hindsight = analysis.hindsight(None, forecasts=forecasts, combined=combined)
    return {
        "combined": combined,
        "forecasts": forecasts,
        "forecasts_note": note,
        "hindsight": hindsight,
    }
