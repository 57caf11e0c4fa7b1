"""Bueno de Mesquita's expected-utility model against jmckib's replication of Scholz et al. (2011).

The fixture (``data/bdm/``, provenance in its README) is jmckib/bdm-scholz-expected-utility-model
run on the EC car-emissions example of Bueno de Mesquita (1994); its author states it replicates
Scholz, Calbert & Smith's published runs to 10 rounds. ``ExpectedUtility.scholz_faithful()`` must
reproduce every number in it to ``1e-9``: round 0, then each of the 10 rounds' risk exponents,
moves (who, how, with whom, both expected utilities, new position), positions, median and mean,
and the round-1 probability and expected-utility matrices. Rounds are compared through the
forecast's JSON ``details`` (the public output); the matrices through ``run_issue``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from burdenshare.forecasting.base import ActorTable, Forecast
from burdenshare.forecasting.bdm import ExpectedUtility, IssueRun

DATA = Path(__file__).parent / "data" / "bdm"
FIXTURE: dict[str, Any] = json.loads(
    (DATA / "bdm_scholz_EC_jmckib_fixture.json").read_text(encoding="utf-8")
)
EXACT = 1e-9
ISSUE = "emission_standards"
ROUNDS = [rd["round"] for rd in FIXTURE["rounds"]]


def _table() -> ActorTable:
    with (DATA / "bdm_scholz_EC_example_actors.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return ActorTable.single(
        [r["Actor"] for r in rows],
        [float(r["Position"]) for r in rows],
        [float(r["Salience"]) for r in rows],
        [float(r["Capability"]) for r in rows],
        issue=ISSUE,
    )


@pytest.fixture(scope="module")
def table() -> ActorTable:
    return _table()


@pytest.fixture(scope="module")
def forecast(table: ActorTable) -> Forecast:
    return ExpectedUtility.scholz_faithful().predict(table)


@pytest.fixture(scope="module")
def details(forecast: Forecast) -> dict[str, Any]:
    out: dict[str, Any] = forecast.details["issues"][ISSUE]
    return out


@pytest.fixture(scope="module")
def run(table: ActorTable) -> IssueRun:
    return ExpectedUtility.scholz_faithful().run_issue(table)


def _by_round(details: dict[str, Any], number: int) -> tuple[dict[str, Any], dict[str, Any]]:
    ours = details["rounds"][number - 1]
    theirs = FIXTURE["rounds"][number - 1]
    assert ours["round"] == theirs["round"] == number
    return ours, theirs


def _close_maps(ours: dict[str, float], theirs: dict[str, float]) -> None:
    assert list(ours) == list(theirs)
    for actor, value in theirs.items():
        assert ours[actor] == pytest.approx(value, abs=EXACT), actor


def test_round0(details: dict[str, Any]) -> None:
    assert details["position_range"] == pytest.approx(FIXTURE["position_range"], abs=EXACT)
    _close_maps(details["initial"]["positions"], FIXTURE["round0"]["positions"])
    assert details["initial"]["median"] == pytest.approx(FIXTURE["round0"]["median"], abs=EXACT)
    assert details["initial"]["mean"] == pytest.approx(FIXTURE["round0"]["mean"], abs=EXACT)


def test_ten_rounds_played_without_a_stopping_rule(forecast: Forecast) -> None:
    assert FIXTURE["q"] == 1.0
    assert forecast.path.shape == (len(ROUNDS) + 1, 1)
    assert forecast.converged is None
    medians = [FIXTURE["round0"]["median"]] + [rd["median"] for rd in FIXTURE["rounds"]]
    np.testing.assert_allclose(forecast.path[:, 0], medians, rtol=0, atol=EXACT)
    assert forecast.outcome[0] == pytest.approx(7.0, abs=EXACT)
    json.dumps(forecast.to_dict())  # the details are JSON-ready


@pytest.mark.parametrize("number", ROUNDS, ids=lambda n: f"round{n}")
def test_risk_exponents(details: dict[str, Any], number: int) -> None:
    ours, theirs = _by_round(details, number)
    _close_maps(ours["risk_exponent"], theirs["risk_exponent_r"])


@pytest.mark.parametrize("number", ROUNDS, ids=lambda n: f"round{n}")
def test_moves(details: dict[str, Any], number: int) -> None:
    ours, theirs = _by_round(details, number)
    assert [(m["actor"], m["type"], m["with"]) for m in ours["moves"]] == [
        (m["actor"], m["type"], m["with"]) for m in theirs["moves"]
    ]
    for mine, ref in zip(ours["moves"], theirs["moves"], strict=True):
        for key in ("eu_ij", "eu_ji", "new_position"):
            assert mine[key] == pytest.approx(ref[key], abs=EXACT), (ref["actor"], key)


@pytest.mark.parametrize("number", ROUNDS, ids=lambda n: f"round{n}")
def test_positions(details: dict[str, Any], number: int) -> None:
    ours, theirs = _by_round(details, number)
    _close_maps(ours["positions"], theirs["positions"])


@pytest.mark.parametrize("number", ROUNDS, ids=lambda n: f"round{n}")
def test_median_and_mean(details: dict[str, Any], number: int) -> None:
    ours, theirs = _by_round(details, number)
    assert ours["median"] == pytest.approx(theirs["median"], abs=EXACT)
    assert ours["mean"] == pytest.approx(theirs["mean"], abs=EXACT)


@pytest.mark.parametrize(
    ("field", "matrix"),
    [("prob_success_P", "probability"), ("eu_challenge_from_own_perspective", "eu_own")],
)
def test_round1_matrices(run: IssueRun, field: str, matrix: str) -> None:
    """``P(i beats j)`` and ``EU_i(i -> j)`` (with ``r_i``) for all 90 ordered pairs."""
    index = {a: k for k, a in enumerate(run.actors)}
    ours = getattr(run.rounds[0], matrix)
    theirs: dict[str, float] = FIXTURE["rounds"][0][field]
    assert len(theirs) == len(index) * (len(index) - 1)
    for pair, value in theirs.items():
        i, j = pair.split("->")
        assert ours[index[i], index[j]] == pytest.approx(value, abs=EXACT), pair


def test_move_utilities_are_the_matrix_entries(run: IssueRun) -> None:
    """A move's ``eu_ij`` is ``EU_i(i -> j)``, its ``eu_ji`` ``EU_i(j -> i)``, both with ``r_i``."""
    index = {a: k for k, a in enumerate(run.actors)}
    for rd in run.rounds:
        for m in rd.moves:
            i, j = index[m.actor], index[m.target]
            assert m.eu_ij == rd.eu_own[i, j]
            assert m.eu_ji == rd.eu_their[i, j]


def test_literal_float_comparisons_agree(table: ActorTable, forecast: Forecast) -> None:
    """``tolerance=0`` (jmckib's exact float comparisons) takes the same decisions on this case."""
    literal = ExpectedUtility(tolerance=0.0).predict(table)
    np.testing.assert_allclose(literal.path, forecast.path, rtol=0, atol=EXACT)
    assert literal.details["issues"][ISSUE]["rounds"] == forecast.details["issues"][ISSUE]["rounds"]


def test_condorcet_median_agrees_on_this_case(table: ActorTable, forecast: Forecast) -> None:
    """Every round of the fixture has a strict Condorcet winner, so the scan order cannot matter."""
    full = ExpectedUtility(median="condorcet").predict(table)
    np.testing.assert_allclose(full.path, forecast.path, rtol=0, atol=EXACT)
