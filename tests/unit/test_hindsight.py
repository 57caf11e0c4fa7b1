"""The hindsight block: validated like any other value, never read by a model, and compared."""

from __future__ import annotations

from typing import Any

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
    assert out["verdict"].startswith("Right at the central beliefs: the walk-away points overlap")
    assert out["timing_verdict"] is None  # no ensemble: timing not scored


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


BY_PARTY = (
    "hindsight:\n"
    "  outcome: agreement\n"
    "  date: 2020-06-01\n"
    "  values: {pay: 1300}\n"
    "  by_party:\n"
    "    ROK: {values: {share_gdp_2024: 2.58, kept: 'yes'}, note: kept its pledge, source: x}\n"
    "    US: {note: nothing measured}\n"
)


def test_each_party_has_its_own_hindsight() -> None:
    """A pledge is kept or missed party by party (issue 14: NATO's Wales pledge, ally by ally)."""
    h = scenario(1100, BY_PARTY).hindsight
    assert h is not None
    assert h.by_party["ROK"].values == {"share_gdp_2024": 2.58, "kept": "yes"}
    assert (h.by_party["ROK"].note, h.by_party["ROK"].source) == ("kept its pledge", "x")
    assert h.by_party["US"].values == {}
    assert scenario(1100, AGREED).hindsight.by_party == {}  # type: ignore[union-attr]


def test_the_models_never_see_what_each_party_did() -> None:
    """Solutions and a simulated session are the same with and without ``by_party``."""
    from burdenshare.negotiation import make_negotiator, run_session

    with_h, without = scenario(1100, BY_PARTY), scenario(1100, AGREED)
    a = scenario_solutions(bargaining_problem(with_h))
    b = scenario_solutions(bargaining_problem(without))
    assert [s.outcome for s in a] == [s.outcome for s in b]
    runs = [
        run_session(sc, {p: make_negotiator("boulware") for p in sc.party_names})
        for sc in (with_h, without)
    ]
    assert runs[0].outcome == runs[1].outcome
    assert [o.outcome for o in runs[0].transcript] == [o.outcome for o in runs[1].transcript]


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
        (
            "hindsight: {outcome: agreement, date: 2020-06-01, by_party: {JPN: {note: x}}}\n",
            "hindsight.by_party.JPN",
        ),
        (
            "hindsight: {outcome: agreement, date: 2020-06-01, by_party: {ROK: {paid: 1}}}\n",
            "hindsight.by_party.ROK.paid",
        ),
    ],
)
def test_bad_hindsight_is_a_scenario_error(block: str, field: str) -> None:
    with pytest.raises(ScenarioError) as err:
        scenario(1100, block)
    assert err.value.field == field


def summary(*rows: tuple[str, float]) -> dict[str, Any]:
    """An ensemble summary with P(agreement) by each round's date."""
    return {"p_agreement_by_date": [{"date": d, "estimate": p, "se": 0.0} for d, p in rows]}


@pytest.mark.parametrize(
    ("block", "p", "start", "brier"),
    [
        (
            AGREED,
            0.0,
            "Wrong: the ensemble gave P(deal by 2020-05-30) = 0.0%, yet a deal came",
            1.0,
        ),
        (AGREED, 0.49, "Wrong: the ensemble gave P(deal by 2020-05-30) = 49.0%", 0.2601),
        (AGREED, 0.8, "Right: the ensemble gave P(deal by 2020-05-30) = 80.0%, and a deal", 0.04),
        (NONE, 0.7, "Wrong: the ensemble gave P(deal by 2020-05-30) = 70.0%, yet no deal", 0.49),
        (NONE, 0.1, "Right: the ensemble gave P(deal by 2020-05-30) = 10.0%, and no deal", 0.01),
    ],
)
def test_the_timing_verdict_is_scored_on_its_own_line(
    block: str, p: float, start: str, brier: float
) -> None:
    """A deal that came while the ensemble gave it less than one half is a wrong timing, beside
    whatever the zone says; its Brier contribution is (p - y)^2 (Brier 1950)."""
    sc = scenario(1100, block)
    problem = bargaining_problem(sc)
    out = compare_with_hindsight(
        sc,
        scenario_zopa(problem),
        scenario_solutions(problem),
        summary(("2020-03-01", p / 2), ("2020-05-30", p), ("2021-01-30", 1.0)),
    )
    assert out is not None
    assert out["timing_verdict"].startswith(start)
    assert out["ensemble_p_agreement_by_date"]["brier"] == pytest.approx(brier)
    assert out["ensemble_p_agreement_by_date"]["right"] == start.startswith("Right")
    assert "Right that a deal was possible" not in out["verdict"]


def test_models_and_the_combined_forecast_are_scored_against_the_deal() -> None:
    """The actual is 1,300; a forecast of 1,950 is +50%; the combined 1,400 [1,350, 1,500] misses
    the deal, which is 'wrong'; a combined 1,250 [1,200, 1,350] holds it."""
    sc = scenario(1100, AGREED)
    problem = bargaining_problem(sc)
    args = (sc, scenario_zopa(problem), scenario_solutions(problem))
    fc = {"compromise": 1950.0, "median": 1170.0, "bdm": None}
    miss = compare_with_hindsight(
        *args, forecasts=fc, combined={"point": 1400.0, "low": 1350.0, "high": 1500.0}
    )
    assert miss is not None
    assert miss["forecasts_vs_actual"]["compromise"]["error_pct"] == pytest.approx(50.0)
    assert miss["forecasts_vs_actual"]["median"]["error_pct"] == pytest.approx(-10.0)
    assert "bdm" not in miss["forecasts_vs_actual"]
    assert miss["combined_vs_actual"]["error_pct"] == pytest.approx(100 / 13)
    assert miss["combined_vs_actual"]["in_interval"] is False
    assert miss["settlement_verdict"].startswith("Wrong: the combined forecast")
    assert "-10.0% (median) to +50.0% (compromise)" in miss["settlement_verdict"]
    hit = compare_with_hindsight(
        *args, forecasts=fc, combined={"point": 1250.0, "low": 1200.0, "high": 1350.0}
    )
    assert hit is not None
    assert hit["combined_vs_actual"]["in_interval"] is True
    assert hit["settlement_verdict"].startswith("Right: the combined forecast")
    assert "In sample" not in hit["settlement_verdict"]
    fitted = compare_with_hindsight(
        *args,
        combined={"point": 1250.0, "low": 1200.0, "high": 1350.0, "in_sample_round": "r-9"},
    )
    assert fitted is not None
    assert (
        "In sample: the combination was fitted on this round (r-9)" in fitted["settlement_verdict"]
    )
    absent = compare_with_hindsight(*args, forecasts=fc, combined={"point": None, "note": "x"})
    assert absent is not None
    assert absent["combined_vs_actual"] is None
    assert absent["settlement_verdict"].startswith("No combined forecast to score (x)")


def test_no_deal_leaves_the_settlement_unscored_and_says_why() -> None:
    out = compare(1100, NONE)
    assert out is not None
    assert out["forecasts_vs_actual"] == {}
    assert out["settlement_verdict"].startswith("Not scored: no deal came by 2020-12-31")


def test_the_forecasting_models_never_see_hindsight() -> None:
    """Every forecasting model and the combined forecast give the same numbers with and without
    the hindsight block."""
    from burdenshare.scenario.io import parse_scenario_text as parse
    from burdenshare.services.combined import combined_entry, scenario_predictions
    from burdenshare.services.core import _forecast

    actors = (
        "actors:\n"
        "  - {id: a, party: US, position: 2000, salience: 0.8, capability: 0.5}\n"
        "  - {id: b, party: ROK, position: 1000, salience: 0.9, capability: 0.5}\n"
    )
    text = BASE.replace("RES_US", "1100") + actors
    with_h = parse(text + AGREED)
    without = parse(text)
    a, b = _forecast(with_h, None, None), _forecast(without, None, None)
    assert [r["outcome"] for r in a["forecasts"]] == [r["outcome"] for r in b["forecasts"]]
    assert a["combined"] == b["combined"]
    preds = scenario_predictions(with_h.scenario, forecasts=a)
    assert combined_entry(with_h.scenario, preds, None) == combined_entry(
        without.scenario, scenario_predictions(without.scenario, forecasts=b), None
    )
