"""Multi-actor forecasting models (compromise, expected utility, exchange, Nash), sklearn-style.

:class:`ExpectedUtility` is imported on first use: its module brings in numba for its compiled
loops (half a second and about 45 MB), which the other models never need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from burdenshare.forecasting.base import ActorTable, Forecast, Forecaster
from burdenshare.forecasting.compromise import (
    Compromise,
    Mean,
    Median,
    ReferencePoint,
    WeightedMedian,
)
from burdenshare.forecasting.exchange import ExchangeModel
from burdenshare.forecasting.from_scenario import actor_table
from burdenshare.forecasting.nash_multi import NashBargaining
from burdenshare.forecasting.registry import FORECASTERS, make_forecaster

if TYPE_CHECKING:
    from burdenshare.forecasting.bdm import ExpectedUtility

__all__ = [
    "FORECASTERS",
    "ActorTable",
    "Compromise",
    "ExchangeModel",
    "ExpectedUtility",
    "Forecast",
    "Forecaster",
    "Mean",
    "Median",
    "NashBargaining",
    "ReferencePoint",
    "WeightedMedian",
    "actor_table",
    "make_forecaster",
]


def __getattr__(name: str) -> Any:
    """``ExpectedUtility`` from :mod:`burdenshare.forecasting.bdm`, imported on first use."""
    if name == "ExpectedUtility":
        from burdenshare.forecasting.bdm import ExpectedUtility

        return ExpectedUtility
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
