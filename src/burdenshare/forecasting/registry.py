"""The built-in forecasters by name (used by the CLI, the DEU III backtest and the contract tests).

Each entry is a zero-argument factory returning a fresh, unfitted forecaster. Models defined in
modules that may be heavy or not yet installed ("bdm", "bdm-scholz", "exchange", "blend") are
imported on first use only; if their module is missing the factory raises
:class:`~burdenshare.errors.ForecastError` ("model not available").

>>> make_forecaster("compromise")
Compromise(capability_power=1.0, salience_power=1.0)
>>> make_forecaster("nash-far").get_params()["reference"]
'far'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from burdenshare.errors import ForecastError
from burdenshare.forecasting.base import Forecaster
from burdenshare.forecasting.compromise import (
    Compromise,
    Mean,
    Median,
    ReferencePoint,
    WeightedMedian,
)
from burdenshare.forecasting.nash_multi import NashBargaining

__all__ = ["FORECASTERS", "make_forecaster"]


def _lazy(
    module: str, attribute: str, build: Callable[[Any], Forecaster]
) -> Callable[[], Forecaster]:
    """A factory that imports ``module.attribute`` on first call and passes it to ``build``."""

    def factory() -> Forecaster:
        try:
            found = getattr(importlib.import_module(module), attribute)
        except (ImportError, AttributeError) as exc:
            # only a missing model module (or name) means "not available"; other errors surface
            missing = getattr(exc, "name", None)
            if isinstance(exc, ImportError) and missing not in (module, None):
                raise
            raise ForecastError(f"model not available: {module}.{attribute} ({exc})") from exc
        return build(found)

    factory.__qualname__ = f"lazy[{module}.{attribute}]"
    return factory


#: the built-in forecasters, name -> factory of a fresh, unfitted instance
FORECASTERS: dict[str, Callable[[], Forecaster]] = {
    "compromise": Compromise,
    "compromise-salience": lambda: Compromise(capability_power=0.0),
    "mean": Mean,
    "median": Median,
    "weighted-median": WeightedMedian,
    "reference-point": ReferencePoint,
    "nash": NashBargaining,
    "nash-far": lambda: NashBargaining(reference="far"),
    "nash-linear-far": lambda: NashBargaining(utility="linear", reference="far"),
    "blend": _lazy("burdenshare.forecasting.blend", "Blend", lambda cls: cls()),
    "bdm": _lazy("burdenshare.forecasting.bdm", "ExpectedUtility", lambda cls: cls.corrected()),
    "bdm-scholz": _lazy(
        "burdenshare.forecasting.bdm", "ExpectedUtility", lambda cls: cls.scholz_faithful()
    ),
    "exchange": _lazy("burdenshare.forecasting.exchange", "ExchangeModel", lambda cls: cls()),
}


def make_forecaster(name: str) -> Forecaster:
    """A fresh forecaster by registry name.

    >>> make_forecaster("oracle")
    Traceback (most recent call last):
    ...
    burdenshare.errors.ForecastError: unknown forecaster 'oracle'; choose one of: compromise, ...
    """
    try:
        factory = FORECASTERS[name]
    except KeyError:
        raise ForecastError(
            f"unknown forecaster {name!r}; choose one of: {', '.join(FORECASTERS)}"
        ) from None
    return factory()
