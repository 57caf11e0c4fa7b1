"""Real negotiations with known outcomes (DEU III) and the backtest of the forecasting models.

>>> from burdenshare.history import load_deu3
>>> len(load_deu3())
353
"""

from __future__ import annotations

from burdenshare.forecasting.blend import Blend
from burdenshare.history.backtest import BacktestResult, backtest_deu3
from burdenshare.history.deu3 import Deu3Issue, load_deu3, proposal_table
from burdenshare.history.metrics import (
    ErrorSummary,
    PairedComparison,
    error_summary,
    paired_comparison,
)

__all__ = [
    "BacktestResult",
    "Blend",
    "Deu3Issue",
    "ErrorSummary",
    "PairedComparison",
    "backtest_deu3",
    "error_summary",
    "load_deu3",
    "paired_comparison",
    "proposal_table",
]
