"""The combined forecast: reading the combination parameters and applying them.

The parameters are fitted by history/stacking.py (helper D's) and shipped as
forecasting/data/combination-v1.json; until they are, the tests use a fixture in the same
schema (tests/fixtures/combination-fixture.json, fitted on nothing) and check that without
the shipped file the combined forecast is absent and says so.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from burdenshare.errors import ForecastError
from burdenshare.forecasting.combined import (
    SHIPPED,
    CombinationParams,
    combined_forecast,
    load_combination,
    shipped_combination,
)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "combination-fixture.json"
SHIPPED_EXISTS = resources.files("burdenshare").joinpath(SHIPPED).is_file()


def raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


def test_the_fixture_reads_as_the_schema_says() -> None:
    p = load_combination(FIXTURE)
    assert p.version == "combination-fixture"
    assert p.n == 4
    assert sum(p.members.values()) == pytest.approx(1.0)
    assert p.relative_error_quantiles == {"0.1": -0.1, "0.5": 0.0, "0.9": 0.25}
    assert CombinationParams.from_dict(p.to_dict()).to_dict() == p.to_dict()
    assert isinstance(p, CombinationParams)


def test_known_values_with_every_member() -> None:
    """0.4 * 1200 + 0.3 * 1350 + 0.2 * 1124.1 + 0.1 * 1038.9 = 1213.71 (by hand); the interval
    is 1213.71 * (1 - 0.1) and 1213.71 * (1 + 0.25)."""
    p = load_combination(FIXTURE)
    preds = {
        "solution:nash": 1200.0,
        "forecast:weighted-median": 1350.0,
        "forecast:median": 1124.1,
        "forecast:reference-point": 1038.9,
        "forecast:compromise": 3335.7,  # not a member: only in the spread
    }
    c = combined_forecast(preds, p)
    assert c.point == pytest.approx(1213.71)
    assert c.low == pytest.approx(1213.71 * 0.9)
    assert c.high == pytest.approx(1213.71 * 1.25)
    assert c.spread == (1038.9, 3335.7)
    assert c.missing == ()
    assert c.weight_present == pytest.approx(1.0)
    assert c.version == "combination-fixture"
    assert c.n_fit == 4
    assert c.n_rounds == 4


def test_a_missing_member_is_renormalised_and_named() -> None:
    """Nash gives no deal (None): the other weights 0.3, 0.2, 0.1 become 1/2, 1/3, 1/6."""
    p = load_combination(FIXTURE)
    preds = {
        "solution:nash": None,
        "forecast:weighted-median": 1350.0,
        "forecast:median": 1124.1,
        "forecast:reference-point": 1038.9,
    }
    c = combined_forecast(preds, p)
    assert c.members == pytest.approx(
        {
            "forecast:weighted-median": 0.5,
            "forecast:median": 1 / 3,
            "forecast:reference-point": 1 / 6,
        }
    )
    assert c.point == pytest.approx(1350 / 2 + 1124.1 / 3 + 1038.9 / 6)
    assert c.missing == ("solution:nash",)
    assert c.weight_present == pytest.approx(0.6)
    assert "solution:nash" in c.note
    assert "40%" in c.note


def test_no_member_present_gives_no_point() -> None:
    c = combined_forecast(
        {"forecast:mean": 2000.0, "forecast:median": math.nan}, load_combination(FIXTURE)
    )
    assert c.point is None
    assert c.low is None
    assert not c.available
    assert c.spread == (2000.0, 2000.0)
    assert "None of the weighted members" in c.note


def test_without_parameters_there_is_no_combined_forecast_and_no_made_up_weight() -> None:
    c = combined_forecast({"forecast:mean": 2000.0, "forecast:median": 1124.1}, None)
    assert c.point is None
    assert c.members == {}
    assert "no weight is made up" in c.note
    assert c.to_dict()["available"] is False


@pytest.mark.skipif(SHIPPED_EXISTS, reason="the combination parameters are shipped")
def test_without_the_shipped_file_loading_says_so() -> None:
    with pytest.raises(ForecastError, match=r"combination-v1\.json is not shipped"):
        load_combination()
    params, why = shipped_combination()
    assert params is None
    assert "not shipped" in why


@pytest.mark.skipif(not SHIPPED_EXISTS, reason="the combination parameters are not shipped yet")
def test_the_shipped_file_names_backtest_methods() -> None:
    p = load_combination()
    assert p.version == "combination-v1"
    assert all(m.split(":")[0] in ("solution", "forecast", "ensemble") for m in p.members)


@pytest.mark.parametrize(
    ("change", "word"),
    [
        ({"members": {"solution:nash": 0.5}}, "sum to 1"),
        ({"members": {"solution:nash": 1.5, "forecast:mean": -0.5}}, "non-negative"),
        ({"members": {}}, "sum to 1"),
        ({"relative_error_quantiles": {"0.1": 0.1}}, "must have keys"),
        ({"relative_error_quantiles": {"0.1": 0.3, "0.5": 0.2, "0.9": 0.1}}, "increasing"),
        ({"relative_error_quantiles": {"0.1": -1.5, "0.5": 0.0, "0.9": 0.1}}, "above -1"),
        ({"n": 0}, "n must be positive"),
        ({"relative_error_sd": "wide"}, "could not convert"),
        ({"version": None, "n": None}, "bad combination parameters"),
    ],
)
def test_a_bad_file_is_refused_naming_the_file(
    tmp_path: Path, change: dict[str, Any], word: str
) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps({**raw(), **change}), encoding="utf-8")
    with pytest.raises(ForecastError, match=word) as err:
        load_combination(path)
    assert str(path) in str(err.value)


def test_a_missing_key_is_named(tmp_path: Path) -> None:
    data = raw()
    del data["members"]
    path = tmp_path / "c.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ForecastError, match="missing key 'members'"):
        load_combination(path)


def test_the_point_agrees_with_the_fitting_module() -> None:
    """The backtest scores the combination through ``CombinationParams.combine``; the combined
    forecast shown to users is the same numbers."""
    p = load_combination(FIXTURE)
    preds = {"solution:nash": None, "forecast:median": 1124.1, "forecast:weighted-median": 1350.0}
    c = combined_forecast(preds, p)
    assert (c.point, c.low, c.high) == pytest.approx(p.combine(preds))


def test_a_file_that_is_not_json_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text('{\n  "version": \n}', encoding="utf-8")
    with pytest.raises(ForecastError, match=r"c\.json:3: not JSON"):
        load_combination(path)
    with pytest.raises(ForecastError, match="cannot read"):
        load_combination(tmp_path / "missing.json")


finite = st.floats(min_value=1.0, max_value=1e4, allow_nan=False)


@given(
    preds=st.fixed_dictionaries(
        {},
        optional={
            "solution:nash": finite,
            "forecast:weighted-median": finite,
            "forecast:median": finite,
            "forecast:reference-point": finite,
            "forecast:mean": finite,
        },
    )
)
def test_the_point_lies_among_the_members_and_inside_its_interval(
    preds: dict[str, float],
) -> None:
    """A convex combination lies between its members' predictions; with q(0.1) <= 0 <= q(0.9)
    the interval holds the point; the spread holds every prediction."""
    p = load_combination(FIXTURE)
    c = combined_forecast(preds, p)
    used = [v for k, v in preds.items() if k in p.members]
    if not used:
        assert c.point is None
        return
    assert c.point is not None
    assert c.low is not None
    assert c.high is not None
    assert min(used) - 1e-9 <= c.point <= max(used) + 1e-9
    assert c.low <= c.point <= c.high
    assert sum(c.members.values()) == pytest.approx(1.0)
    assert c.spread is not None
    assert c.spread[0] <= min(preds.values())
    assert c.spread[1] >= max(preds.values())


def test_an_absent_shipped_file_gives_no_combined_forecast(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether or not combination-v1.json is shipped, its absence is handled: loading says so,
    and the services' combined forecast is absent with that reason and no weight."""
    import burdenshare.forecasting.combined as combined
    from burdenshare.services import load
    from burdenshare.services.combined import combined_entry

    monkeypatch.setattr(combined, "SHIPPED", "forecasting/data/combination-v0.json")
    with pytest.raises(ForecastError, match=r"combination-v0\.json is not shipped"):
        load_combination()
    params, why = shipped_combination()
    assert params is None
    assert "is not shipped" in why
    sc = load("us-rok-sma-2021").scenario
    entry = combined_entry(sc, {"forecast:median": 1174.0, "solution:nash": 1202.9})
    assert entry["available"] is False
    assert entry["members"] == {}
    assert "combination-v0.json is not shipped" in entry["note"]
    assert "No weight is made up" in entry["note"]
    assert entry["display"]["spread"] == ["₩1,174.0bn ($1.016bn)", "₩1,202.9bn ($1.041bn)"]


@pytest.mark.skipif(not SHIPPED_EXISTS, reason="the combination parameters are not shipped yet")
def test_forecast_shows_the_shipped_combination_of_its_predictions() -> None:
    from burdenshare.services import forecast

    fc = forecast("us-rok-sma-2021")
    c = fc["combined"]
    assert c["available"] is True
    assert c["version"] == "combination-v1"
    preds = c["predictions"]
    assert (c["point"], c["low"], c["high"]) == pytest.approx(load_combination().combine(preds))
    assert c["low"] < c["point"] < c["high"]
    assert min(preds.values()) <= c["point"] <= max(preds.values())


@pytest.mark.skipif(not SHIPPED_EXISTS, reason="the combination parameters are not shipped yet")
@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("nato-wales-2014", "this scenario has 28 parties"),
        ("split-the-pie", "issue 'share' is not money"),
    ],
)
def test_the_combination_is_not_applied_outside_the_record(name: str, why: str) -> None:
    """The shipped weights were fitted on bilateral settlements of money; a %-of-GDP guideline
    among 28 allies (or a unit pie) gets no combined forecast, with the reason, and keeps the
    models' spread (a bug found in use: Wales showed "0.53% of GDP" from SMA weights)."""
    from burdenshare.services import load
    from burdenshare.services.combined import combined_entry

    sc = load(name).scenario
    c = combined_entry(sc, {"forecast:median": 0.4, "solution:nash": 0.6})
    assert c["available"] is False
    assert c["point"] is None
    assert c["members"] == {}
    assert why in c["note"]
    assert "fitted on bilateral settlements of money" in c["note"]
    assert len(c["display"]["spread"]) >= 2
