"""The forecasts of every method on one built case, for the record backtest.

:func:`case_methods` runs, on the scenario the case builder made from a case's public facts:

- the bargaining solutions at central values (a settlement, or ``None`` = "no deal" when there
  is no zone of agreement);
- an ensemble of ``n`` sessions for each negotiator pair of :data:`ENSEMBLE_PAIRS` (both sides
  play the same tactic): P(deal by the expiry), P(deal within 6 and 12 months of the as-of
  date) as the share of sessions that agree on a round dated by then, and the agreed sessions'
  settlements as a sample (median, 10%-90% interval, CRPS);
- every multi-actor forecasting model (a point settlement).

Nothing here reads the outcome.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from burdenshare.analysis import bargaining_problem, scenario_solutions, scenario_zopa
from burdenshare.engine import run_batch
from burdenshare.ensemble import draw, uncertain_parameters
from burdenshare.errors import ForecastError
from burdenshare.forecasting import FORECASTERS, actor_table, make_forecaster
from burdenshare.scenario.scenario import Scenario

__all__ = [
    "ENSEMBLE_PAIRS",
    "TARGETS",
    "EnsembleForecast",
    "MethodForecast",
    "case_methods",
    "ensemble_forecast",
]

FloatArray = npt.NDArray[np.float64]

#: the negotiator pairs of the ensembles (both sides play the same tactic)
ENSEMBLE_PAIRS: tuple[str, ...] = ("boulware", "linear", "conceder")
#: the binary targets: a deal by the expiry of the agreement in force, within 6 and 12 months
TARGETS: tuple[str, ...] = ("expiry", "6m", "12m")


@dataclass(frozen=True)
class MethodForecast:
    """One method's forecast of one case (``None``: not forecast; ``sample``: ensemble draws)."""

    method: str
    kind: str
    settlement: float | None = None
    low: float | None = None
    high: float | None = None
    probabilities: dict[str, float] = field(default_factory=dict)
    sample: tuple[float, ...] = ()
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "kind": self.kind,
            "settlement": self.settlement,
            "low": self.low,
            "high": self.high,
            "probabilities": dict(self.probabilities),
            "note": self.note,
        }


@dataclass(frozen=True)
class EnsembleForecast:
    """``n`` sessions of one negotiator pair: P(agree by each date) and the agreed settlements."""

    pair: str
    n: int
    p_agreement: float
    p_by: dict[str, float]
    settlements: FloatArray


def ensemble_forecast(
    scenario: Scenario, pair: str, *, n: int, seed: int, by: dict[str, dt.date]
) -> EnsembleForecast:
    """Run ``n`` sessions of ``pair`` against itself in memory; ``by`` maps labels to dates:
    the share of sessions that agree on a round dated on or before each."""
    draws = draw(uncertain_parameters(scenario), n, seed=seed)
    res = run_batch(scenario, (pair, pair), draws, seed=seed, n=n)
    dates = np.array(scenario.protocol.round_dates(), dtype="datetime64[D]")
    agreed = res.agreed
    when = dates[np.clip(res.round - 1, 0, len(dates) - 1)]
    p_by = {k: float(np.mean(agreed & (when <= np.datetime64(d, "D")))) for k, d in by.items()}
    values = np.asarray(res.values[scenario.issues[0].id][agreed], dtype=np.float64)
    return EnsembleForecast(pair, n, float(np.mean(agreed)), p_by, values)


def _solutions(sc: Scenario) -> tuple[bool, dict[str, float | None]]:
    problem = bargaining_problem(sc)
    zopa = scenario_zopa(problem)
    issue = sc.issues[0].id
    out: dict[str, float | None] = {}
    for s in scenario_solutions(problem):
        v = s.outcome.get(issue) if s.outcome is not None else None
        out[s.concept] = float(v) if isinstance(v, (int, float)) else None
    return zopa.exists, out


def _forecasts(sc: Scenario) -> dict[str, float | None]:
    table = actor_table(sc)
    out: dict[str, float | None] = {}
    for name in FORECASTERS:
        try:
            out[name] = float(make_forecaster(name).fit().predict(table).outcome[0])
        except ForecastError:
            out[name] = None
    return out


def case_methods(
    scenario: Scenario, by: dict[str, dt.date], *, n: int, seed: int, ensembles: bool = True
) -> tuple[bool, tuple[MethodForecast, ...]]:
    """The zone verdict at central values and every method's forecast (module docstring);
    ``ensembles=False`` leaves out the ensembles (the costly members), keeping the solutions
    and the forecasting models."""
    zopa, sols = _solutions(scenario)
    out = [
        MethodForecast(
            f"solution:{c}",
            "solution",
            v,
            note="" if v is not None else "no deal at central values",
        )
        for c, v in sols.items()
    ]
    for pair in ENSEMBLE_PAIRS if ensembles else ():
        ef = ensemble_forecast(scenario, pair, n=n, seed=seed, by=by)
        s = ef.settlements
        if s.size:
            lo, med, hi = (float(v) for v in np.quantile(s, [0.1, 0.5, 0.9]))
        else:
            lo = med = hi = None  # type: ignore[assignment]
        out.append(
            MethodForecast(
                f"ensemble:{pair}",
                "ensemble",
                settlement=med,
                low=lo,
                high=hi,
                probabilities=dict(ef.p_by),
                sample=tuple(float(v) for v in s),
                note=f"{s.size} of {n} sessions agree",
            )
        )
    for name, v in _forecasts(scenario).items():
        out.append(
            MethodForecast(
                f"forecast:{name}", "forecast", v, note="" if v is not None else "skipped"
            )
        )
    return zopa, tuple(out)
