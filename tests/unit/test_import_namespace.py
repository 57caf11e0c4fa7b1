"""The public surface is explicit and importing the package is inert (STYLE.md, convention 9)."""

from __future__ import annotations

import subprocess
import sys

import burdenshare


def test_top_level_all_is_pinned() -> None:
    assert sorted(burdenshare.__all__) == sorted(
        [
            "BurdenshareError",
            "ForecastError",
            "ScenarioError",
            "SimulationError",
            "SolverError",
            "StoreError",
            "__version__",
        ]
    )
    for name in burdenshare.__all__:
        assert hasattr(burdenshare, name)


def test_import_has_no_side_effects(tmp_path) -> None:
    """Importing writes no files in the working directory and loads no CLI or web code."""
    code = (
        "import sys, burdenshare; "
        "bad = [m for m in ('typer', 'rich', 'burdenshare.cli') if m in sys.modules]; "
        "print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
    assert list(tmp_path.iterdir()) == []


def test_subpackages_declare_all() -> None:
    import importlib

    for mod in (
        "burdenshare.scenario",
        "burdenshare.preferences",
        "burdenshare.solutions",
        "burdenshare.analysis",
        "burdenshare.negotiation",
        "burdenshare.forecasting",
        "burdenshare.history",
        "burdenshare.ensemble",
        "burdenshare.engine",
        "burdenshare.backends",
        "burdenshare.store",
    ):
        m = importlib.import_module(mod)
        assert isinstance(m.__all__, list), mod
        assert m.__all__, mod
        for name in m.__all__:
            assert hasattr(m, name), f"{mod}.{name}"
