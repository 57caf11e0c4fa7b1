"""The calibrated blend moved to :mod:`burdenshare.forecasting.blend` (a forecaster, beside the
others; the forecasters' registry may not import the record's layer above it). This name stays
for existing imports.
"""

from __future__ import annotations

from burdenshare.forecasting.blend import Blend

__all__ = ["Blend"]
