"""`burdenshare tournament` on three-party domains, end to end (issue 14, item 4).

They play the N-party one-session protocol (ANAC 2015's Dinner, whose categorical issues are
always played session by session, and a numeric three-party scenario with its offer log) and the
N-party compiled engine (the same scenario with ``--no-offers``), which must agree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from burdenshare.tournament import TournamentPlan

GENIUS = Path(__file__).parents[1] / "known_values" / "data" / "genius"
NEGS = ["-N", "boulware", "-N", "linear", "-N", "conceder"]

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


@pytest.fixture(scope="module")
def calls(run_cli_calls: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("three")
    three = folder / "three.yaml"
    three.write_text(THREE, encoding="utf-8")
    out: dict[str, Any] = run_cli_calls(
        {
            "dinner": ["tournament", str(GENIUS / "Dinner"), *NEGS, "-r", "2", "--json"],
            "offers": ["tournament", str(three), *NEGS, "-r", "2", "--json"],
            "compiled": ["tournament", str(three), *NEGS, "-r", "2", "--no-offers", "--json"],
            "mixed": [
                "tournament",
                str(GENIUS / "Laptop"),
                str(GENIUS / "Dinner"),
                *NEGS,
                "-r",
                "1",
                "--json",
            ],
        }
    )
    return out


def _ok(calls: dict[str, Any], key: str) -> dict[str, Any]:
    code, stdout, stderr = calls[key]
    assert code == 0, stderr
    doc: dict[str, Any] = json.loads(stdout)
    return doc


def test_dinner_every_lineup_of_three(calls: dict[str, Any]) -> None:
    doc = _ok(calls, "dinner")
    assert doc["sessions"] == 6 * 2  # 3! lineups of three negotiators, two repetitions each
    assert [c for c in doc["run"]["columns"] if c.startswith("negotiator_")] == [
        "negotiator_a",
        "negotiator_b",
        "negotiator_c",
    ]
    assert {r["sessions"] for r in doc["ranking"]} == {12}  # every lineup, every role
    for row in doc["results"]:
        assert {row["negotiator_a"], row["negotiator_b"], row["negotiator_c"]} == {
            "boulware",
            "linear",
            "conceder",
        }
        utilities = [row["utility_a"], row["utility_b"], row["utility_c"]]
        if row["agreement_rate"] == 1.0:  # welfare is the sum of the three utilities
            assert row["welfare"] == pytest.approx(sum(utilities), abs=1e-12)
        assert row["distance_pareto"] is not None
    assert len(doc["domains"][0]["nash"]) == 3


def test_the_compiled_engine_and_the_protocol_agree_on_three_parties(
    calls: dict[str, Any],
) -> None:
    """The same tournament with and without the offer log (one-session protocol vs compiled
    N-party engine) gives the same results, as for two parties."""
    a, b = _ok(calls, "offers"), _ok(calls, "compiled")
    assert a["results"] == b["results"]
    assert a["ranking"] == b["ranking"]


def test_a_mixed_tournament_stores_three_roles(calls: dict[str, Any]) -> None:
    doc = _ok(calls, "mixed")
    assert doc["sessions"] == 6 + 6
    laptop = [r for r in doc["results"] if r["domain"] == "Laptop"]
    dinner = [r for r in doc["results"] if r["domain"] == "Dinner"]
    assert len(laptop) == len(dinner) == 6
    assert all("negotiator_c" not in r for r in laptop)
    assert all("negotiator_c" in r for r in dinner)


def test_the_plan_is_what_the_tournament_would_play() -> None:
    """What runs today: the Dinner plan the tests above play."""
    from burdenshare.services.tournament import load_domain

    plan = TournamentPlan((load_domain(GENIUS / "Dinner"),), ("boulware", "linear", "conceder"))
    plan.check()
    assert plan.n_matches == 6


def test_no_errors(calls: dict[str, Any]) -> None:
    """Every three-party tournament above succeeds, without a word on standard error."""
    for key in ("dinner", "offers", "compiled", "mixed"):
        code, _, stderr = calls[key]
        assert code == 0, stderr
        assert "internal error" not in stderr
        assert "Traceback" not in stderr
