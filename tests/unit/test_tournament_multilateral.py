"""Tournaments on domains with three or more parties (issue 14, item 4).

What runs today, before the N-party protocol (helper F) and engine (helper G) are on main:
planning (ANAC 2015-17 lineups), the stored columns, the reference points by brute force, the
ranking and results table on hand-made sessions, and a match's columns on a stand-in batch. The
end-to-end tournaments are in tests/integration/test_tournament_multilateral_cli.py.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from burdenshare.errors import SimulationError
from burdenshare.interop import load_genius, to_scenario
from burdenshare.preferences import party_parameters
from burdenshare.scenario.io import parse_scenario_text
from burdenshare.tournament import (
    MATCH_COLUMNS,
    Domain,
    TournamentPlan,
    domain_reference,
    match_tasks,
    ranking,
    results_table,
)
from burdenshare.tournament import match as match_module
from burdenshare.tournament.match import MatchTask, match_columns, offer_columns, run_match
from burdenshare.tournament.reference_multi import (
    frontier_of,
    multi_reference,
    outcome_utilities,
    reference_points_multi,
)

GENIUS = Path(__file__).resolve().parents[1] / "known_values" / "data" / "genius"
NEGS = ("boulware", "linear", "conceder", "hardliner")

#: three parties over two shares: A wants x high, B wants y high, C wants both low
THREE = """
id: three-way
title: Three parties, two shares (test)
as_of: 2020-01-01
issues:
  - {id: x, kind: continuous, range: [0, 1]}
  - {id: y, kind: continuous, range: [0, 1]}
parties:
  A:
    utility:
      x: {prefers: higher, ideal: 1, reservation: 0, weight: 0.8}
      y: {prefers: lower, ideal: 0, reservation: 1, weight: 0.2}
  B:
    utility:
      x: {prefers: lower, ideal: 0, reservation: 1, weight: 0.2}
      y: {prefers: higher, ideal: 1, reservation: 0, weight: 0.8}
  C:
    utility:
      x: {prefers: lower, ideal: 0, reservation: 1, weight: 0.5}
      y: {prefers: lower, ideal: 0, reservation: 1, weight: 0.5}
protocol:
  first_mover: A
  start: 2020-01-01
  round_every_days: 1
  deadline: 2020-01-21
"""


def _dinner() -> Domain:
    text, _ = to_scenario(load_genius(GENIUS / "Dinner"))
    return Domain("Dinner", text)


def _laptop() -> Domain:
    text, _ = to_scenario(load_genius(GENIUS / "Laptop"))
    return Domain("Laptop", text)


# -- planning ----------------------------------------------------------------------------------


def test_every_ordered_choice_of_three_negotiators_plays_a_three_party_domain() -> None:
    plan = TournamentPlan((_dinner(),), NEGS, repetitions=2)
    plan.check()
    tasks = match_tasks(plan)
    lineups = [t.negotiators for t in tasks]
    assert lineups == list(itertools.permutations(NEGS, 3))
    assert len(lineups) == plan.n_matches == 4 * 3 * 2
    # every group of three meets in all 3! assignments to the parties
    for group in itertools.combinations(NEGS, 3):
        assert sum(set(x) == set(group) for x in lineups) == 6
    assert {t.roles for t in tasks} == {3}
    assert plan.columns == match_columns(3)


def test_self_play_allows_repeats_and_is_counted_without_listing() -> None:
    plan = TournamentPlan((_dinner(),), NEGS[:2], self_play=True)
    plan.check()
    assert plan.n_lineups(3) == 8 == len(match_tasks(plan))
    big = TournamentPlan((), tuple(f"time-dependent:e={k}" for k in range(1, 11)), self_play=True)
    assert big.n_lineups(10) == 10**10  # counted: 10^10 lineups are never listed


def test_a_bilateral_plan_is_unchanged() -> None:
    plan = TournamentPlan((_laptop(),), NEGS)
    assert plan.columns == MATCH_COLUMNS
    assert [t.negotiators for t in match_tasks(plan)] == plan.pairs
    assert {t.roles for t in match_tasks(plan)} == {2}


def test_a_mixed_plan_stores_the_widest_domain_s_roles() -> None:
    plan = TournamentPlan((_laptop(), _dinner()), NEGS[:3])
    plan.check()
    tasks = match_tasks(plan)
    assert plan.n_matches == len(tasks) == 6 + 6
    assert [len(t.negotiators) for t in tasks] == [2] * 6 + [3] * 6
    assert {t.roles for t in tasks} == {3}


def test_too_few_negotiators_for_the_parties_is_refused() -> None:
    plan = TournamentPlan((_dinner(),), NEGS[:2])
    with pytest.raises(SimulationError, match=r"3 parties.*at least 3 negotiators"):
        plan.check()


def test_columns() -> None:
    cols = match_columns(3)
    assert [c for c in cols if c.startswith("negotiator_")] == [
        "negotiator_a",
        "negotiator_b",
        "negotiator_c",
    ]
    assert list(match_columns(2)) == list(MATCH_COLUMNS)
    assert "utility_c" in offer_columns(3)
    with pytest.raises(SimulationError):
        match_columns(27)


# -- reference points --------------------------------------------------------------------------


def test_dinner_reference_points_against_an_independent_brute_force() -> None:
    """Nash, Kalai-Smorodinsky and Kalai of Dinner equal the maximisers over all 1,200 outcomes
    scored outcome by outcome (no grid, no frontier); the frontier is every outcome no other
    dominates. Tolerance 1e-12."""
    dom = _dinner()
    scenario = parse_scenario_text(dom.text).scenario
    params = [
        party_parameters(scenario, p, on=scenario.protocol.start) for p in scenario.party_names
    ]
    values = [list(i.values or ()) for i in scenario.issues]
    u = np.array(
        [
            [p.utility(dict(zip(scenario.issue_ids, combo, strict=True))) for p in params]
            for combo in itertools.product(*values)
        ]
    )
    assert u.shape == (1200, 3)
    ref = multi_reference(dom.text)
    assert ref.method == "exact (every outcome)"
    dominated = np.array([bool(np.any(np.all(u >= x, axis=1) & np.any(u > x, axis=1))) for x in u])
    assert ref.frontier_points == len({tuple(x) for x in np.round(u[~dominated], 12)})
    assert ref.disagreement == (0.0, 0.0, 0.0)
    assert ref.nash is not None
    assert ref.kalai_smorodinsky is not None
    assert ref.kalai is not None
    assert math.prod(ref.nash) == pytest.approx(float(np.prod(u, axis=1).max()), abs=1e-12)
    assert min(ref.kalai) == pytest.approx(float(u.min(axis=1).max()), abs=1e-12)
    ideal = u.max(axis=0)
    assert min(np.asarray(ref.kalai_smorodinsky) / ideal) == pytest.approx(
        float((u / ideal).min(axis=1).max()), abs=1e-12
    )


@pytest.mark.parametrize("name", ["Laptop", "ItexvsCypress", "FiftyFiftyA"])
def test_with_two_parties_the_brute_force_agrees_with_the_bilateral_reference(name: str) -> None:
    text, _ = to_scenario(load_genius(GENIUS / name))
    two, many = domain_reference(text), multi_reference(text)
    assert many.frontier_points == two.frontier_u1.size
    for a, b in ((two.nash, many.nash), (two.kalai_smorodinsky, many.kalai_smorodinsky)):
        assert a is not None
        assert b == pytest.approx(a, abs=1e-9)
    assert many.kalai == pytest.approx(two.kalai, abs=1e-9)


def test_the_frontier_is_the_distinct_non_dominated_rows() -> None:
    rng = np.random.default_rng(7)
    u = np.round(rng.random((300, 3)), 2)
    want = {tuple(x) for x in u if not bool(np.any(np.all(u >= x, axis=1) & np.any(u > x, axis=1)))}
    got = frontier_of(u)
    assert len(got) == len(want)
    assert {tuple(x) for x in got} == want


def test_weighted_closed_form_on_the_simplex() -> None:
    """N-party split-the-pie with linear utilities and nothing outside: Nash, KS and Kalai all
    give equal shares (here of 12 units, so exactly 1/3 each)."""
    g = np.array([(i / 12, j / 12, (12 - i - j) / 12) for i in range(13) for j in range(13 - i)])
    for point in reference_points_multi(frontier_of(g), (0.0, 0.0, 0.0)):
        assert point == pytest.approx((1 / 3, 1 / 3, 1 / 3), abs=1e-15)
    assert reference_points_multi(g, (0.5, 0.5, 0.5)) == (None, None, None)


def test_continuous_issues_are_on_the_analysis_grid() -> None:
    scenario = parse_scenario_text(THREE).scenario
    u, d, method = outcome_utilities(scenario)
    assert u.shape[1] == 3
    assert d == (0.0, 0.0, 0.0)
    assert method.startswith("grid (")
    assert multi_reference(THREE).frontier.shape[1] == 3


# -- ranking and results on hand-made sessions ------------------------------------------------


def _sessions() -> dict[str, np.ndarray]:
    """Two three-party sessions and one two-party session (role c empty there)."""

    def obj(*x: object) -> np.ndarray:
        return np.array(x, dtype=object)

    return {
        "domain": obj("D3", "D3", "D2"),
        "negotiator_a": obj("x", "y", "x"),
        "negotiator_b": obj("y", "z", "z"),
        "negotiator_c": obj("z", "x", None),
        "repetition": np.array([0, 0, 0]),
        "outcome": np.array([0, 1, 0]),
        "round": np.array([3, 10, 5]),
        "time": np.array([0.2, 1.0, 0.4]),
        "discounted_a": np.array([0.6, 0.1, 0.9]),
        "discounted_b": np.array([0.3, 0.2, 0.5]),
        "discounted_c": np.array([0.9, 0.3, np.nan]),
        "welfare": np.array([1.8, 0.6, 1.4]),
        "distance_pareto": np.array([0.0, 0.3, 0.1]),
        "distance_nash": np.array([0.1, 0.4, 0.2]),
    }


def test_ranking_is_the_mean_individual_utility_over_every_role() -> None:
    """By hand: x plays a (0.6), c (0.3), a (0.9) -> 0.6; y: b 0.3, a 0.1 -> 0.2; z: c 0.9,
    b 0.2, b 0.5 -> 0.5333."""
    rows = {r["negotiator"]: r for r in ranking(_sessions(), ["x", "y", "z"])}
    assert rows["x"]["mean_utility"] == pytest.approx(0.6, abs=1e-15)
    assert rows["y"]["mean_utility"] == pytest.approx(0.2, abs=1e-15)
    assert rows["z"]["mean_utility"] == pytest.approx(1.6 / 3, abs=1e-15)
    assert [rows[n]["rank"] for n in ("x", "z", "y")] == [1, 2, 3]
    assert rows["x"]["sessions"] == 3
    assert rows["y"]["sessions"] == 2
    assert rows["x"]["welfare"] == pytest.approx((1.8 + 0.6 + 1.4) / 3, abs=1e-15)
    assert rows["y"]["agreement_rate"] == pytest.approx(0.5, abs=1e-15)


def test_results_table_has_a_column_per_role_of_each_domain() -> None:
    rows = results_table(_sessions(), repeated={("D3", "x", "y", "z")})
    assert [r["domain"] for r in rows] == ["D3", "D3", "D2"]
    first, last = rows[0], rows[2]
    assert (first["negotiator_a"], first["negotiator_b"], first["negotiator_c"]) == ("x", "y", "z")
    assert first["utility_c"] == pytest.approx(0.9, abs=1e-15)
    assert first["identical_repetitions"]
    assert not rows[1]["identical_repetitions"]
    assert "negotiator_c" not in last
    assert "utility_c" not in last
    assert last["utility_a"] == pytest.approx(0.9, abs=1e-15)


# -- one match on a stand-in batch ------------------------------------------------------------


def test_a_three_party_match_assembles_its_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """``run_batch`` stands in for the N-party engine (helper G): the match stores one column per
    role, the welfare is their sum, and the distances are in the three parties' space."""
    scenario = parse_scenario_text(THREE).scenario
    util = {"A": np.array([0.5, 0.0]), "B": np.array([0.4, 0.0]), "C": np.array([0.3, 0.0])}
    disc = {k: v * 0.9 for k, v in util.items()}
    seen: dict[str, Any] = {}

    def fake_batch(sc: Any, negotiators: list[str], *args: Any, **kwargs: Any) -> Any:
        seen["negotiators"] = negotiators
        return SimpleNamespace(
            agreed=np.array([True, False]),
            values={"x": np.array([0.5, np.nan]), "y": np.array([0.25, np.nan])},
            outcome=np.array([0, 1], dtype=np.int8),
            round=np.array([4, 20]),
            utilities=util,
            discounted=disc,
        )

    monkeypatch.setattr(match_module, "run_batch", fake_batch)
    task = MatchTask(
        0, "three", THREE, "yaml", ("linear", "boulware", "conceder"), 2, seed=1, roles=4
    )
    res = run_match(task, shortcut=False)
    cols = res.columns
    assert seen["negotiators"] == ["linear", "boulware", "conceder"]
    assert list(cols) == list(match_columns(4))
    assert cols["negotiator_c"].tolist() == ["conceder", "conceder"]
    assert cols["negotiator_d"].tolist() == [None, None]
    assert np.isnan(cols["utility_d"]).all()
    assert cols["welfare"] == pytest.approx((util["A"] + util["B"] + util["C"]) * 0.9, abs=1e-15)
    ref = multi_reference(THREE)
    assert ref.nash is not None
    want = math.dist((0.5, 0.4, 0.3), ref.nash)
    assert cols["distance_nash"][0] == pytest.approx(want, abs=1e-12)
    assert cols["agreement"].tolist() == ['{"x":0.5,"y":0.25}', None]
    assert scenario.party_names == ("A", "B", "C")


def test_the_text_report_lists_each_lineup_and_every_coordinate() -> None:
    from rich.console import Console

    from burdenshare.cli import render

    cols = _sessions()
    summary = {
        "sessions": 3,
        "agreement_rate": 2 / 3,
        "ranking": ranking(cols, ["x", "y", "z"]),
        "results": results_table(cols),
        "domains": [
            {
                "name": "D3",
                "frontier_points": 5,
                "frontier_method": "exact (every outcome)",
                "nash": [0.5, 0.25, 0.125],
                "disagreement": [0.0, 0.0, 0.0],
            }
        ],
    }
    console = Console(record=True, width=160)
    render.tournament(console, "r1", summary)
    text = console.export_text()
    assert "x / y / z" in text
    assert "0.600 / 0.300 / 0.900" in text
    assert "Nash (0.500, 0.250, 0.125)" in text
    assert "disagreement (0.000, 0.000, 0.000)" in text


def test_the_text_report_explains_every_role() -> None:
    from rich.console import Console

    from burdenshare.cli import render

    cols = _sessions()
    summary = {
        "sessions": 3,
        "agreement_rate": 2 / 3,
        "ranking": ranking(cols, ["x", "y", "z"]),
        "results": results_table(cols),
        "domains": [],
    }
    console = Console(record=True, width=400)
    render.tournament(console, "r1", summary)
    text = console.export_text()
    assert "every role" in text
    assert "every party's discounted utility" in text
    assert "both roles" not in text


def test_a_stored_three_party_tournament_keeps_its_plan_and_columns(tmp_path: Path) -> None:
    """Stored and read back: the plan (for --resume) has the same three role columns the run
    was stored with, and the ranking is recomputed from the stored sessions alike."""
    from burdenshare.store import RunStore
    from burdenshare.tournament import plan_of, run_tournament
    from burdenshare.tournament.run import summarise

    plan = TournamentPlan(
        (Domain("three", THREE),), ("boulware", "linear", "conceder"), repetitions=1, offers=False
    )
    with RunStore.open(tmp_path / "t.duckdb") as st:
        result = run_tournament(plan, store=st)
        record = st.get_run(result.run_id)
        again = plan_of(record)
        cols = st.samples(record.id, list(again.columns))
    assert again == plan
    assert record.columns == again.columns == match_columns(3)
    assert summarise(again, cols)["ranking"] == result.summary["ranking"]
    assert result.summary["sessions"] == 6
