"""Multi-actor forecasting models (compromise, expected utility, exchange, Nash), sklearn-style."""

from __future__ import annotations

from burdenshare.forecasting.base import ActorTable, Forecast, Forecaster
from burdenshare.forecasting.bdm import ExpectedUtility
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
