"""The one place that wires scenario loading, analysis, simulation, ensembles and forecasts
together. The CLI and the web app call these functions only; they return frozen records or
JSON-ready dicts and never print.

Submodules: :mod:`.core` (validate, analyze, simulate, ensemble, forecast, runs, backtests) and
the modules later features add beside it.
"""

from __future__ import annotations

from burdenshare.services.core import (
    Analysis,
    analyze,
    analyze_any,
    assumed_branches,
    backtest_deu3,
    ensemble,
    export_run,
    forecast,
    list_negotiators,
    list_runs,
    list_scenarios,
    load,
    run_scenario,
    sensitivity,
    show_run,
    simulate,
    validate,
)

__all__ = [
    "Analysis",
    "analyze",
    "analyze_any",
    "assumed_branches",
    "backtest_deu3",
    "ensemble",
    "export_run",
    "forecast",
    "list_negotiators",
    "list_runs",
    "list_scenarios",
    "load",
    "run_scenario",
    "sensitivity",
    "show_run",
    "simulate",
    "validate",
]
