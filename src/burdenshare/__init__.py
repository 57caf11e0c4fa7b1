"""burdenshare: model, simulate and forecast alliance cost-sharing negotiations.

Importing the package has no side effects: it reads no files and starts nothing.
"""

from __future__ import annotations

from burdenshare.errors import (
    BurdenshareError,
    ForecastError,
    ScenarioError,
    SimulationError,
    SolverError,
    StoreError,
)

__version__ = "0.1.0"

__all__ = [
    "BurdenshareError",
    "ForecastError",
    "ScenarioError",
    "SimulationError",
    "SolverError",
    "StoreError",
    "__version__",
]
