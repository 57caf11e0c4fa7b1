"""The hindsight block: validated like any other value, never read by a model, and compared."""

from __future__ import annotations

import pytest

from burdenshare.analysis import (
    bargaining_problem,
    compare_with_hindsight,
    scenario_solutions,
    scenario_zopa,
)
from burdenshare.errors import ScenarioError
from burdenshare.scenario.io import parse_scenario_text

BASE = """
id: h
title: hindsight test
as_of: 2020-01-01
money: {unit: KRW, scale: billion, fx: {USD: 1000}}
issues: [{id: pay, kind: continuous, unit: money, range: [0, 3000]}]
parties:
  US: {utility: {pay: {prefers: higher, ideal: 2000, reservation: RES_US}}}
  ROK: {utility: {pay: {prefers: lower, ideal: 1000, reservation: 1500}}}
protocol: {first_mover: US, start: 2020-01-01, deadline: 2020-12-31}
"""


def scenario(res_us: float, hindsight: str):  # type: ignore[no-untyped-def]
    return parse_scenario_text(BASE.replace("RES_US", str(res_us)) + hindsight).scenario


def compare(res_us: float, hindsight: str):  # type: ignore[no-untyped-def]
    sc = scenario(res_us, hindsight)
    problem = bargaining_problem(sc)
    return compare_with_hindsight(sc, scenario_zopa(problem), scenario_solutions(problem))


AGREED = "hindsight: {outcome: agreement, date: 2020-06-01, values: {pay: 1.3 bn USD}}\n"
NONE = "hindsight: {outcome: no_agreement, date: 2020-12-31}\n"


def test_money_strings_are_converted_and_errors_computed() -> None:
    out = compare(1100, AGREED)
    assert out["values"] == {"pay": 1300.0}
    # Nash on a linear single issue is the midpoint of [1100, 1500]
    assert out["solutions_vs_actual"]["nash"]["pay"]["error_pct"] == pytest.approx(0.0, abs=1e-9)
    assert out["verdict"].startswith("Right that a deal was possible")


@pytest.mark.parametrize(
    ("res_us", "block", "start"),
    [
        (1700, AGREED, "Wrong at the central beliefs: the tool finds no zone"),
        (1100, NONE, "Wrong at the central beliefs: the tool finds a zone"),
        (1700, NONE, "Right: the tool finds no zone"),
    ],
)
def test_every_verdict(res_us: float, block: str, start: str) -> None:
    assert compare(res_us, block)["verdict"].startswith(start)


def test_the_models_never_see_hindsight() -> None:
    """Solutions are the same with and without the block."""
    with_h = scenario(1100, AGREED)
    without = scenario(1100, "")
    a = scenario_solutions(bargaining_problem(with_h))
    b = scenario_solutions(bargaining_problem(without))
    assert [s.outcome for s in a] == [s.outcome for s in b]


@pytest.mark.parametrize(
    ("block", "field"),
    [
        ("hindsight: {outcome: agreement, date: 2019-06-01}\n", "hindsight.date"),
        (
            "hindsight: {outcome: agreement, date: 2020-06-01, values: {tax: 3}}\n",
            "hindsight.values.tax",
        ),
        (
            "hindsight: {outcome: agreement, date: 2020-06-01, values: {pay: 9999}}\n",
            "hindsight.values.pay",
        ),
        (
            "hindsight: {outcome: no_agreement, date: 2020-06-01, values: {pay: 1200}}\n",
            "hindsight.values",
        ),
        ("hindsight: {outcome: maybe, date: 2020-06-01}\n", "hindsight.outcome"),
    ],
)
def test_bad_hindsight_is_a_scenario_error(block: str, field: str) -> None:
    with pytest.raises(ScenarioError) as err:
        scenario(1100, block)
    assert err.value.field == field
