"""Scenario-level analysis: the frontier, ZOPA and solutions mapped back to issue units."""

from __future__ import annotations

import pytest

from burdenshare.analysis import bargaining_problem, scenario_solutions, scenario_zopa
from burdenshare.scenario.io import load_scenario, parse_scenario_text
from burdenshare.scenario.library import bundled_path

MONEY = """
id: money-test
title: one money issue
as_of: 2020-01-01
money: {unit: KRW, scale: billion, fx: {USD: 1000}}
issues:
  - {id: contribution, kind: continuous, unit: money, range: [0, 3000]}
parties:
  US:
    utility: {contribution: {prefers: higher, ideal: 2000, reservation: 1000}}
    discount_per_round: 0.9
  ROK:
    utility: {contribution: {prefers: lower, ideal: 1000, reservation: {uniform: [1400, 1600]}}}
    discount_per_round: 0.9
    ratification: {body: Assembly, issue: contribution, approval_threshold: 1200}
protocol: {first_mover: US, start: 2020-01-01, round_every_days: 30, deadline: 2020-12-31,
           breakdown_risk_per_round: 0.1}
"""

MULTI = """
id: multi-test
title: three issues
as_of: 2020-01-01
issues:
  - {id: money, kind: continuous, range: [0, 100]}
  - {id: years, kind: integer, range: [1, 5]}
  - {id: venue, kind: categorical, values: [seoul, washington, tokyo]}
parties:
  A:
    utility:
      money: {ideal: 100, reservation: 0, weight: 0.6}
      years: {ideal: 5, reservation: 1, weight: 0.2}
      venue: {scores: {seoul: 0, washington: 1, tokyo: 0.5}, weight: 0.2}
  B:
    utility:
      money: {ideal: 0, reservation: 100, weight: 0.5}
      years: {ideal: 1, reservation: 5, weight: 0.1}
      venue: {scores: {seoul: 1, washington: 0, tokyo: 0.6}, weight: 0.4}
protocol: {first_mover: A, start: 2020-01-01, deadline: 2020-06-30}
"""


def _solutions(text: str) -> dict[str, object]:
    problem = bargaining_problem(parse_scenario_text(text).scenario)
    return {s.concept: s for s in scenario_solutions(problem)}


def test_single_money_issue_zopa_is_the_interval_between_walk_away_points() -> None:
    problem = bargaining_problem(parse_scenario_text(MONEY).scenario)
    zopa = scenario_zopa(problem)
    assert zopa.exists
    assert zopa.issues[0].overlap == pytest.approx((1000.0, 1500.0))  # uniform mean 1500
    assert "$1.000bn" in zopa.explanation
    assert "$1.500bn" in zopa.explanation


def test_nash_is_the_midpoint_of_the_zone_for_linear_utilities() -> None:
    """Nash (1950) on a linear frontier with d = 0 splits the surplus evenly: the midpoint."""
    sol = _solutions(MONEY)
    assert sol["nash"].outcome["contribution"] == pytest.approx(1250.0, abs=1e-9)
    assert sol["nash"].utilities["US"] == pytest.approx(0.25, abs=1e-12)
    assert sol["nash"].utilities["ROK"] == pytest.approx(0.5, abs=1e-12)


def test_rubinstein_on_the_scenario_matches_the_closed_form() -> None:
    """Proposer US keeps (1 - 0.9) / (1 - 0.81) of the surplus in its own utility units."""
    sol = _solutions(MONEY)
    share = (1 - 0.9) / (1 - 0.81)
    assert sol["rubinstein"].outcome["contribution"] == pytest.approx(1000 + 500 * share, abs=1e-9)


def test_breakdown_risk_solution_matches_brw_closed_form() -> None:
    """BRW (1986): proposer share 1/(2 - p) of the surplus, p = 0.1."""
    sol = _solutions(MONEY)
    assert sol["breakdown_risk"].outcome["contribution"] == pytest.approx(
        1000 + 500 / (2 - 0.1), abs=1e-9
    )


def test_ratifier_caps_the_constrained_nash_solution() -> None:
    """Putnam (1988): the Assembly approves at most 1,200, below the unconstrained Nash 1,250."""
    sol = _solutions(MONEY)
    assert sol["ratified_nash"].outcome["contribution"] == pytest.approx(1200.0, abs=1e-9)
    assert sol["ratified_nash"].utilities["ROK"] > sol["nash"].utilities["ROK"]


def test_money_outcomes_are_reported_in_both_currencies() -> None:
    problem = bargaining_problem(parse_scenario_text(MONEY).scenario)
    nash = next(s for s in scenario_solutions(problem) if s.concept == "nash")
    out = nash.to_dict(problem.scenario)["outcome"]["contribution"]
    assert out["money"]["KRW"] == pytest.approx(1250e9)
    assert out["money"]["USD"] == pytest.approx(1.25e9)


def test_multi_issue_solutions_are_pareto_optimal_on_the_grid() -> None:
    problem = bargaining_problem(parse_scenario_text(MULTI).scenario)
    assert scenario_zopa(problem).exists
    for s in scenario_solutions(problem):
        assert s.agreement
        assert s.outcome["venue"] in {"seoul", "washington", "tokyo"}
        assert float(s.outcome["years"]).is_integer()
        u1, u2 = s.utilities["A"], s.utilities["B"]
        dominated = (problem.u1 >= u1 + 1e-6) & (problem.u2 >= u2 + 1e-6)
        assert not dominated.any(), s.concept


def test_logrolling_opens_a_zone_on_the_2021_scenario() -> None:
    """On money alone the central walk-away points miss each other; the term bridges them."""
    scenario = load_scenario(bundled_path("us-rok-sma-2021")).scenario
    zopa = scenario_zopa(bargaining_problem(scenario))
    assert zopa.exists
    assert zopa.issues[1].overlap == (5.0, 5.0)
