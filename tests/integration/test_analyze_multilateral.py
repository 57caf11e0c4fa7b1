"""``analyze`` on a scenario of three parties, and bargaining powers in a bilateral one."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from burdenshare.analysis import bargaining_problem, scenario_solutions
from burdenshare.errors import ScenarioError
from burdenshare.scenario.io import load_scenario, parse_scenario_text
from burdenshare.scenario.library import bundled_path
from burdenshare.services import analyze
from burdenshare.solutions import nash_pie
from burdenshare.solutions.nparty import nash_point

TRILATERAL = Path(__file__).parents[1] / "fixtures" / "scenarios" / "trilateral-shares.yaml"
Run = Callable[..., tuple[int, str, str]]


def test_analyze_prints_the_zone_the_rule_and_every_solution(cli_main: Run) -> None:
    code, out, err = cli_main("analyze", str(TRILATERAL))
    assert code == 0, err
    assert "A deal all 3 parties prefer to walking away exists" in out
    assert "Under majority (2 of 3 parties must accept)" in out
    for label in ("Nash bargaining solution", "Weighted Nash", "Kalai-Smorodinsky", "Utilitarian"):
        assert label in out
    assert "u(West)" in out
    assert "$800.0M" in out
    assert "needs exactly two parties" not in err
    assert "Rubinstein alternating-offers equilibrium" in out  # named as left out


def test_analyze_json_adds_the_n_party_keys(cli_main: Run) -> None:
    code, out, err = cli_main("analyze", str(TRILATERAL), "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc["solutions"]) == {
        "nash",
        "nash_weighted",
        "kalai_smorodinsky",
        "egalitarian",
        "utilitarian",
    }
    assert set(doc["omitted"]) == {"nash_patience", "rubinstein", "deadline", "breakdown_risk"}
    zone = doc["zone"]
    assert (zone["decision_rule"], zone["needed"], zone["parties"]) == ("majority", 2, 3)
    assert zone["rule_outcomes"] >= zone["unanimity_outcomes"] == doc["zopa"]["feasible_outcomes"]
    front = doc["pareto_frontier"]
    assert set(front["extremes"]) == {"Host", "East", "West"}
    assert front["extremes"]["Host"]["utilities"]["Host"] == pytest.approx(1.0)
    nash = doc["solutions"]["nash"]
    assert nash["outcome"]["east_share"]["money"]["USD"] > 0
    assert set(nash["utilities"]) == {"Host", "East", "West"}


def test_the_solutions_are_the_best_grid_outcomes() -> None:
    problem = bargaining_problem(load_scenario(TRILATERAL).scenario)
    assert problem.utilities.shape == (3, problem.grid.size)
    solved = {s.concept: s for s in scenario_solutions(problem)}
    i = nash_point(problem.utilities, problem.disagreement)
    assert i is not None
    assert solved["nash"].outcome == problem.grid.outcome(i)
    weighted = solved["nash_weighted"].utilities
    assert weighted is not None
    assert solved["nash"].utilities is not None
    # the host's power of 2 moves the weighted point its way
    assert weighted["Host"] > solved["nash"].utilities["Host"]


def test_a_two_party_problem_keeps_its_rows() -> None:
    problem = bargaining_problem(load_scenario(bundled_path("split-the-pie")).scenario)
    assert problem.utilities.shape == (2, problem.grid.size)
    assert problem.u1 is not None
    assert np.array_equal(problem.u1, problem.utilities[0])
    assert problem.utilities_at({"share": 0.25}) == (0.25, 0.75)


def test_bilateral_bargaining_powers_add_the_weighted_nash_point() -> None:
    text = (
        bundled_path("split-the-pie")
        .read_text(encoding="utf-8")
        .replace("  B:\n", "    bargaining_power: 3\n  B:\n")  # A's power 3, B's 1
    )
    loaded = parse_scenario_text(text, source="powers.yaml")
    solved = {s.concept: s for s in scenario_solutions(bargaining_problem(loaded.scenario))}
    assert solved["nash"].outcome == {"share": pytest.approx(0.5)}
    share = solved["nash_weighted"].outcome
    assert share is not None
    assert share["share"] == pytest.approx(nash_pie(0.0, 0.0, alpha=0.75), abs=1e-9)


def test_equal_powers_change_nothing() -> None:
    keys = set(analyze("split-the-pie").to_dict()["solutions"])
    assert "nash_weighted" not in keys


@pytest.mark.parametrize("power", ["0", "-1", ".nan", ".inf"])
def test_a_bargaining_power_must_be_a_positive_number(power: str) -> None:
    text = (
        bundled_path("split-the-pie")
        .read_text(encoding="utf-8")
        .replace("  B:\n", f"  B:\n    bargaining_power: {power}\n")
    )
    with pytest.raises(ScenarioError, match="bargaining_power"):
        parse_scenario_text(text, source="bad.yaml")


def test_many_parties_get_a_row_each_not_a_column_each(cli_main: Run) -> None:
    """28 utility columns do not fit a terminal (they printed as empty, elided columns): with
    more than four parties the solutions table shows the least and mean utility, and a second
    table gives every party's utility under each solution, a row per party."""
    code, out, err = cli_main("analyze", "nato-wales-2014")
    assert code == 0, err
    assert "u(ALB)" not in out
    assert "least utility" in out
    assert "Each party's utility under each solution" in out
    sc = load_scenario(bundled_path("nato-wales-2014")).scenario
    rows = [line for line in out.splitlines() if line.startswith("│ ")]
    for name in sc.party_names:
        assert any(line.startswith(f"│ {name} ") for line in rows), name
    assert "…" not in out
