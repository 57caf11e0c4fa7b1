"""YAML plain scalars follow the YAML 1.2 core schema; event dates stay near the talks.

Source: YAML 1.2.2, section 10.3.2 "Tag Resolution" (https://yaml.org/spec/1.2.2/#1032-tag-
resolution). PyYAML implements YAML 1.1, where ``1:30`` is the base-60 integer 90 and ``yes``,
``on`` are booleans (https://yaml.org/type/int.html, https://yaml.org/type/bool.html).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
import yaml

from burdenshare.errors import ScenarioError
from burdenshare.scenario.io import EXAMPLE, parse_scenario_text
from burdenshare.scenario.library import bundled_names, bundled_path
from burdenshare.scenario.readers import load_yaml
from burdenshare.scenario.scenario import EVENT_WINDOW_DAYS


def value(text: str) -> Any:
    raw, _ = load_yaml(f"x: {text}\n", "t.yaml")
    return raw["x"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1:30", "1:30"),  # YAML 1.1: 90
        ("190:20:30", "190:20:30"),  # YAML 1.1: 685230
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("Yes", "Yes"),
        ("1_000", "1_000"),  # YAML 1.1: 1000
        ("0b101", "0b101"),  # YAML 1.1: 5
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("012", 12),  # YAML 1.1: octal 10
        ("0o12", 10),
        ("0x1F", 31),
        ("-7", -7),
        ("1e3", 1000.0),
        ("1.5E-3", 0.0015),
        (".5", 0.5),
        ("-.inf", float("-inf")),
        ("2019-11-19", dt.date(2019, 11, 19)),
        ("'1:30'", "1:30"),
        ('"true"', "true"),
    ],
)
def test_plain_scalars_follow_the_yaml_1_2_core_schema(text: str, expected: Any) -> None:
    got = value(text)
    assert got == expected
    assert type(got) is type(expected)


def test_nan_is_still_read_as_a_number() -> None:
    got = value(".nan")
    assert isinstance(got, float)
    assert got != got


def test_explicit_tags_do_not_bring_yaml_1_1_back() -> None:
    for text in ("!!int 1:30", "!!float 1:30", "!!bool yes"):
        with pytest.raises(ScenarioError, match="cannot read this"):
            value(text)
    assert value("!!int '0x10'") == 16
    assert value("!!str 12") == "12"


def test_line_numbers_are_kept() -> None:
    _, lines = load_yaml("a: 1\nb:\n  c: yes\n  d: 1:30\n", "t.yaml")
    assert lines[("b", "c")] == 3
    assert lines[("b", "d")] == 4


def test_sexagesimal_round_every_days_is_refused_by_the_field_type() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_scenario_text(EXAMPLE.replace("round_every_days: 28", "round_every_days: 1:30"))
    err = info.value
    assert (err.field, err.line, err.value) == ("protocol.round_every_days", 28, "1:30")
    assert "whole number" in err.message


def test_yes_and_no_are_categorical_values_not_booleans() -> None:
    text = (
        EXAMPLE.replace(
            "  - {id: duration, kind: integer, unit: years, range: [1, 5]}",
            "  - {id: duration, kind: integer, unit: years, range: [1, 5]}\n"
            "  - {id: tripwire, kind: categorical, values: [yes, no]}",
        )
        .replace(
            "      duration: {prefers: lower, ideal: 1, reservation: 5, weight: 0.2}",
            "      duration: {prefers: lower, ideal: 1, reservation: 5, weight: 0.1}\n"
            "      tripwire: {scores: {yes: 1, no: 0}, weight: 0.1}",
        )
        .replace(
            "      duration: {prefers: higher, ideal: 5, reservation: 1, weight: 0.1}",
            "      duration: {prefers: higher, ideal: 5, reservation: 1, weight: 0.05}\n"
            "      tripwire: {scores: {yes: 0, no: 1}, weight: 0.05}",
        )
    )
    sc = parse_scenario_text(text, source="t.yaml").scenario
    assert sc.issue("tripwire").values == ("yes", "no")


# -- event dates ------------------------------------------------------------------------------


def _with_event(date: str) -> str:
    return EXAMPLE.replace(
        "  breakdown_risk_per_round: 0.05",
        f"  breakdown_risk_per_round: 0.05\n  events:\n    - {{date: {date}, kind: statement}}",
    )


def test_event_window_edges() -> None:
    sc = parse_scenario_text(EXAMPLE).scenario
    first, last = sc.event_window()
    span = dt.timedelta(days=EVENT_WINDOW_DAYS)
    assert first == min(sc.as_of, sc.protocol.start) - span
    assert last == sc.protocol.end + span
    for inside in (first, last):
        parse_scenario_text(_with_event(inside.isoformat()))
    for outside in (first - dt.timedelta(days=1), last + dt.timedelta(days=1)):
        with pytest.raises(ScenarioError, match="outside the talks' calendar") as info:
            parse_scenario_text(_with_event(outside.isoformat()), source="t.yaml")
        assert info.value.field == "protocol.events.0.date"
        assert info.value.line == 32
        assert info.value.exit_code == 2


@pytest.mark.parametrize("date", ["1900-01-01", "9999-12-31", "0001-01-01"])
def test_events_far_from_the_talks_are_refused(date: str) -> None:
    with pytest.raises(ScenarioError, match="outside the talks' calendar"):
        parse_scenario_text(_with_event(date))


def test_event_window_near_the_ends_of_the_calendar_does_not_overflow() -> None:
    data: dict[str, Any] = copy.deepcopy(yaml.safe_load(EXAMPLE))
    data["as_of"] = data["protocol"]["start"] = "0001-01-02"
    data["protocol"]["deadline"] = "0001-06-01"
    data["protocol"]["events"] = [{"date": "0001-01-01", "kind": "statement"}]
    parse_scenario_text(yaml.safe_dump(data))


@pytest.mark.parametrize("name", bundled_names())
def test_bundled_scenarios_keep_their_events_in_the_window(name: str) -> None:
    sc = parse_scenario_text(bundled_path(name).read_text(encoding="utf-8")).scenario
    first, last = sc.event_window()
    assert all(first <= ev.date <= last for ev in sc.protocol.events)
