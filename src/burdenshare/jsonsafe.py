"""Strict JSON from results: one helper for the CLI, the web app and the services.

>>> finite({"p": float("nan"), "n": [1.5, float("inf")]})
{'p': None, 'n': [1.5, None]}
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["finite"]


def finite(value: Any) -> Any:
    """A copy with NaN and infinities as None (they are not JSON), numpy scalars as Python ones."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value
