"""Multi-actor forecasting models (compromise, expected utility, exchange, Nash), sklearn-style."""

from __future__ import annotations

from burdenshare.forecasting.base import ActorTable, Forecast, Forecaster

__all__ = ["ActorTable", "Forecast", "Forecaster"]
