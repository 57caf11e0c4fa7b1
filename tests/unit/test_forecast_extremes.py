"""Every forecast model on extreme but valid numbers: capabilities of 1e308 and 1e-308, mixed
magnitudes, and positions near the largest float (issue 11, defect 5).

Capabilities may be any finite number >= 0 (docs/reference/scenario.md, Actors). Before, a
capability of 1e308 overflowed ``math.fsum`` (the CLI exited 1) or numpy's sums. Every model is
invariant to a common factor of the capabilities, and the models now divide them by a power of
two before summing, which is exact: so multiplying every capability by ``2^k`` must leave each
forecast bit for bit the same, and extreme ones must give finite forecasts between the actors'
positions.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest

from burdenshare import services
from burdenshare.forecasting.base import ActorTable
from burdenshare.forecasting.registry import FORECASTERS, make_forecaster
from burdenshare.scenario.io import EXAMPLE

MODELS = [name for name in FORECASTERS if name != "blend"]  # blend needs fitting first
POSITIONS = (1000.0, 3000.0, 6000.0)  # on the EXAMPLE's contribution, range [900, 6500]
SALIENCES = (0.5, 1.0, 1e-3)
CAPABILITIES = {
    "huge": (1e308, 1e308, 1.0),
    "largest": (1.7976931348623157e308,) * 3,
    "tiny": (1e-308, 1e-308, 1e-308),
    "subnormal": (5e-324, 1e-320, 4e-323),
    "mixed": (1e308, 1e-308, 1.0),
}


def _scenario(path: Path, capabilities: Sequence[float]) -> Path:
    rows = [
        f"  - {{id: a{k}, position: {p}, salience: {s}, capability: {c!r}}}"
        for k, (p, s, c) in enumerate(zip(POSITIONS, SALIENCES, capabilities, strict=True))
    ]
    path.write_text(EXAMPLE + "actors:\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("case", sorted(CAPABILITIES))
def test_every_model_forecasts_extreme_capabilities(tmp_path: Path, case: str) -> None:
    path = _scenario(tmp_path / f"{case}.yaml", CAPABILITIES[case])
    result = services.forecast(path)
    assert result["skipped"] == {}
    assert [row["model"] for row in result["forecasts"]] == MODELS
    status_quo = result["status_quo"]
    for row in result["forecasts"]:
        value = row["outcome"]
        assert math.isfinite(value), row
        if row["model"] != "reference-point":
            assert min(POSITIONS) <= value <= max(POSITIONS), row
        else:
            assert value == status_quo


def test_the_cli_serves_a_capability_of_1e308(
    tmp_path: Path,
    run_cli_calls: Callable[[Mapping[str, Sequence[str]]], dict[str, tuple[int, str, str]]],
) -> None:
    """The reported failure: ``forecast`` exited 1 on an OverflowError in ``math.fsum``."""
    path = _scenario(tmp_path / "huge.yaml", CAPABILITIES["largest"])
    code, out, err = run_cli_calls({"f": ["forecast", str(path), "--json"]})["f"]
    assert code == 0, err
    forecasts = json.loads(out)["forecasts"]
    assert all(math.isfinite(row["outcome"]) for row in forecasts)


def _table(scale: int) -> ActorTable:
    rng = np.random.default_rng(7)
    n = 9
    return ActorTable.single(
        [f"a{i}" for i in range(n)],
        rng.integers(0, 6, n).astype(float) * 10.0,
        rng.choice([0.25, 0.5, 1.0], n),
        np.ldexp(rng.uniform(0.1, 10.0, n), scale),
        reference=0.0,
        scale=(0.0, 50.0),
    )


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("scale", [-1000, -40, 40, 1000])
def test_a_common_factor_of_the_capabilities_changes_nothing(model: str, scale: int) -> None:
    """Scaling every capability by ``2^k`` is exact, and so must be its effect: none."""
    base = make_forecaster(model).predict(_table(0))
    scaled = make_forecaster(model).predict(_table(scale))
    np.testing.assert_array_equal(scaled.outcome, base.outcome)
    np.testing.assert_array_equal(scaled.path, base.path)


@pytest.mark.parametrize(
    ("positions", "scale"),
    [
        ((1e308, 1.6e308, 2e307), (0.0, 1.7e308)),
        ((-1.6e308, 1.6e308, 0.0), (-1.7e308, 1.7e308)),
        ((1e-310, 5e-301, 1e-300), (0.0, 1e-300)),
    ],
    ids=["huge", "spanning-the-floats", "tiny"],
)
@pytest.mark.parametrize("model", MODELS)
def test_positions_near_the_float_limits(
    model: str, positions: tuple[float, ...], scale: tuple[float, float]
) -> None:
    """Forecasts stay finite and between the positions when distances would overflow."""
    table = ActorTable.single(
        ["a", "b", "c"],
        positions,
        [0.5, 1.0, 0.7],
        [2.0, 1.0, 3.0],
        reference=min(positions),
        scale=scale,
    )
    (value,) = make_forecaster(model).predict(table).outcome
    assert math.isfinite(value)
    assert min(positions) <= value <= max(positions)
