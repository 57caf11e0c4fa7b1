"""POST /api/deadline-beliefs: how the deal date depends on the believed deadline (issue 12,
item 4), as the dashboard's panel asks for it. The numbers are the report's sweep
(:func:`burdenshare.ensemble.deadline_sweep.deadline_sweep`) with the same inputs; bad requests
are 4xx problems naming the field; the budget's cut is stated, never silent."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():  # newer Starlette would rather use httpx2 than httpx
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

import itertools

from burdenshare.ensemble.deadline_sweep import MAX_SWEEP_POINTS, deadline_sweep
from burdenshare.scenario.library import FLAGSHIP, bundled_path
from burdenshare.services.whatif import SESSION_BY_SESSION_MAX, resolve
from burdenshare.services.whatif_deadlines import (
    MAX_SWEEP_BELIEFS,
    MAX_SWEEP_REQUEST_SESSIONS,
    deadline_beliefs,
)
from burdenshare.web import budget, create_app
from burdenshare.web.requests import MAX_DEADLINE_BELIEFS, MAX_DEADLINE_SESSIONS

ROUTE = "/api/deadline-beliefs"
#: a negotiator the compiled engine does not run (the sweep then goes session by session)
SLOW_NEGOTIATOR = "genius-time-dependent:e=0.2,model=bayesian"  # played session by session


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(tmp_path / "runs.duckdb"), raise_server_exceptions=False) as c:
        yield c


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["error"]
    assert body["message"]
    assert "Traceback" not in response.text
    return body


def test_the_limits_of_the_edge_are_those_of_the_service() -> None:
    assert MAX_DEADLINE_SESSIONS == MAX_SWEEP_REQUEST_SESSIONS
    assert MAX_DEADLINE_BELIEFS == MAX_SWEEP_BELIEFS == MAX_SWEEP_POINTS


def test_the_sweep_is_the_reports_with_the_same_inputs(client: TestClient) -> None:
    r = client.post(ROUTE, json={"scenario": FLAGSHIP, "n": 2000, "seed": 3})
    assert r.status_code == 200, r.text
    got = r.json()
    sc = resolve(FLAGSHIP).scenario
    want = deadline_sweep(sc, ["boulware", "boulware"], n=2000, seed=3).to_dict()
    for key, value in want.items():
        assert got[key] == value, key
    assert got["n_requested"] == got["n_sessions"] == 2000
    assert got["sessions_cut"] is None
    assert got["note"] == ""
    assert got["beliefs_from"] == "default"
    assert got["scenario"]["id"] == sc.id
    assert got["deadline"] == sc.protocol.deadline.isoformat()


def test_each_curve_is_a_cumulative_share_ending_at_p_agreement(client: TestClient) -> None:
    r = client.post(ROUTE, json={"scenario": FLAGSHIP, "n": 2000, "negotiators": ["conceder"]})
    data = r.json()
    assert len(data["points"]) >= 2
    for point in data["points"]:
        curve = point["p_agreement_by_date"]
        assert len(curve) == len(data["round_dates"])
        assert all(0.0 <= a <= b <= 1.0 for a, b in itertools.pairwise(curve))
        assert curve[-1] == point["p_agreement"]


def test_the_believed_deadline_moves_the_deal_date(client: TestClient) -> None:
    """Two boulwares on the flagship: a belief at the last round makes them concede later
    than a belief at the protocol's deadline, so by the deadline fewer deals are made."""
    sc = resolve(FLAGSHIP).scenario
    dates = sc.protocol.round_dates()
    beliefs = [sc.protocol.deadline.isoformat(), dates[-1].isoformat()]
    r = client.post(ROUTE, json={"scenario": FLAGSHIP, "n": 4000, "beliefs": beliefs})
    data = r.json()
    assert data["beliefs_from"] == "request"
    assert [p["belief"] for p in data["points"]] == beliefs
    early, late = data["points"]
    assert early["p_agreement_by_deadline"] > late["p_agreement_by_deadline"]
    assert early["median_agreement_date"] < late["median_agreement_date"]


def test_an_uploaded_scenario_text_works_as_a_name(client: TestClient) -> None:
    text = bundled_path("split-the-pie").read_text(encoding="utf-8")
    by_text = client.post(ROUTE, json={"scenario_text": text, "n": 500}).json()
    by_name = client.post(ROUTE, json={"scenario": "split-the-pie", "n": 500}).json()
    assert by_text["points"] == by_name["points"]


@pytest.mark.parametrize(
    ("beliefs", "field", "words"),
    [
        (["2019-11-19"], "beliefs.0", "after protocol.start"),
        (["2020-01-01", "2020-01-01"], "beliefs.1", "twice"),
        (["2020-01-01", "2200-01-01"], "beliefs.1", "at most 36,525 days"),
    ],
)
def test_a_believed_deadline_out_of_range_is_422_naming_it(
    client: TestClient, beliefs: list[str], field: str, words: str
) -> None:
    r = client.post(ROUTE, json={"scenario": FLAGSHIP, "n": 10, "beliefs": beliefs})
    body = problem(r, 422)
    assert body["error"] == "ScenarioError"
    assert body["field"] == field
    assert words in body["message"]


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ({"beliefs": [20200101]}, "beliefs.0"),
        ({"beliefs": ["2020-01-01T00:00"]}, "beliefs.0"),
        ({"beliefs": ["20200101"]}, "beliefs.0"),
        ({"beliefs": []}, "beliefs"),
        ({"beliefs": [f"2020-01-{d:02d}" for d in range(1, 14)]}, "beliefs"),
        ({"n": MAX_DEADLINE_SESSIONS + 1}, "n"),
        ({"n": 0}, "n"),
        ({"changes": {}}, "changes"),
    ],
)
def test_a_malformed_request_is_422(client: TestClient, sent: dict[str, Any], field: str) -> None:
    body = problem(client.post(ROUTE, json={"scenario": FLAGSHIP, **sent}), 422)
    assert body["error"] == "RequestValidationError"
    assert body["field"] == field


def test_unknown_scenarios_negotiators_and_import_paths(client: TestClient) -> None:
    problem(client.post(ROUTE, json={"scenario": "no-such-scenario"}), 404)
    body = problem(client.post(ROUTE, json={"scenario": FLAGSHIP, "negotiators": ["x"]}), 422)
    assert body["field"] == "negotiators.0"
    body = problem(client.post(ROUTE, json={"scenario": FLAGSHIP, "negotiators": ["a.b:C"]}), 400)
    assert body["error"] == "NegotiatorRefused"
    body = problem(client.post(ROUTE, json={"scenario": FLAGSHIP, "scenario_text": "x"}), 422)
    assert "not both" in body["message"]


def test_beyond_the_memory_budget_is_422_naming_n(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    sc = resolve(FLAGSHIP).scenario
    per_session = budget.BASE + budget.PER_COLUMN * (len(sc.issue_ids) + 3)
    monkeypatch.setattr(budget, "MEMORY_BUDGET_BYTES", per_session * 1000)
    assert client.post(ROUTE, json={"scenario": FLAGSHIP, "n": 1000}).status_code == 200
    body = problem(client.post(ROUTE, json={"scenario": FLAGSHIP, "n": 1001}), 422)
    assert body["field"] == "n"
    assert "at most 1,000 sessions" in body["expected"]


def test_session_by_session_negotiators_are_cut_and_say_so(client: TestClient) -> None:
    beliefs = ["2019-12-17", "2019-12-31", "2020-03-10", "2020-12-15"]
    sent = {"scenario": FLAGSHIP, "n": 5000, "beliefs": beliefs, "negotiators": [SLOW_NEGOTIATOR]}
    data = client.post(ROUTE, json=sent).json()
    per_point = SESSION_BY_SESSION_MAX // len(beliefs)
    assert data["vectorised"] is False
    assert data["n_requested"] == 5000
    assert data["n_sessions"] == per_point
    cut = data["sessions_cut"]
    assert cut["ran"] == per_point
    assert cut["requested"] == 5000
    assert cut["limit"] == SESSION_BY_SESSION_MAX
    assert f"{per_point} of the 5,000 requested sessions" in cut["reason"]
    assert data["note"] == cut["reason"]
    # the shares are over the sessions that ran, so each is a multiple of 1 / per_point
    for point in data["points"]:
        for p in point["p_agreement_by_date"]:
            assert abs(p * per_point - round(p * per_point)) < 1e-9


def test_no_cut_when_the_request_fits_the_budget() -> None:
    data = deadline_beliefs(
        FLAGSHIP, n=30, negotiators=[SLOW_NEGOTIATOR], beliefs=[dt.date(2019, 12, 31)]
    )
    assert data["sessions_cut"] is None
    assert data["n_sessions"] == 30


def test_the_route_is_in_the_openapi_document(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    op = doc["paths"][ROUTE]["post"]
    assert set(op["responses"]) >= {"200", "400", "404", "413", "422"}


# -- the what-if's believed-deadline sliders -----------------------------------------------------


def belief_paths(params: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {p["path"]: p for p in params if p["path"].endswith(".deadline_belief")}


def test_each_party_has_a_believed_deadline_slider(client: TestClient) -> None:
    sc = resolve(FLAGSHIP).scenario
    sliders = belief_paths(client.get(f"/api/scenarios/{FLAGSHIP}").json()["parameters"])
    assert set(sliders) == {f"parties.{p}.deadline_belief" for p in sc.party_names}
    for name, slider in sliders.items():
        assert slider["kind"] == "date"
        assert slider["group"] == name.split(".")[1]
        # left out in the scenario, the belief is the protocol's deadline
        assert slider["value"] == sc.protocol.deadline.isoformat()
        assert dt.date.fromisoformat(slider["min"]) > sc.protocol.start
        assert dt.date.fromisoformat(slider["max"]) > sc.protocol.round_dates()[-1]


def test_a_whatif_belief_is_the_sweeps_point_at_that_date(client: TestClient) -> None:
    """Both parties' belief moved by the what-if gives the numbers the sweep gives for that
    date: the same scenario, seed and draws (the belief is a date, not a drawn parameter)."""
    sc = resolve(FLAGSHIP).scenario
    belief = sc.protocol.round_dates()[-1].isoformat()
    changes = {f"parties.{p}.deadline_belief": belief for p in sc.party_names}
    w = client.post("/api/whatif", json={"scenario": FLAGSHIP, "n": 3000, "changes": changes})
    assert w.status_code == 200, w.text
    s = client.post(ROUTE, json={"scenario": FLAGSHIP, "n": 3000, "beliefs": [belief]}).json()
    point = s["points"][0]
    assert [row["estimate"] for row in w.json()["p_agreement_by_date"]] == pytest.approx(
        point["p_agreement_by_date"], abs=1e-12
    )
    assert w.json()["p_agreement"]["estimate"] == pytest.approx(point["p_agreement"], abs=1e-12)
    assert {c["mode"] for c in w.json()["changes"]} == {"date"}


def test_a_believed_deadline_out_of_its_range_is_422(client: TestClient) -> None:
    sc = resolve(FLAGSHIP).scenario
    field = f"parties.{sc.party_names[0]}.deadline_belief"
    sent = {"scenario": FLAGSHIP, "n": 10, "changes": {field: sc.protocol.start.isoformat()}}
    body = problem(client.post("/api/whatif", json=sent), 422)
    assert body["field"] == field
    assert "date out of range" in body["message"]


def test_a_belief_given_as_a_distribution_has_no_slider() -> None:
    import json

    import yaml

    from burdenshare.services.whatif import key_parameters

    doc = yaml.safe_load(bundled_path(FLAGSHIP).read_text(encoding="utf-8"))
    first = next(iter(doc["parties"]))
    doc["parties"][first]["deadline_belief"] = {"uniform": [20, 60]}
    sc = resolve(json.dumps(doc, default=str), fmt="json").scenario
    assert set(belief_paths(key_parameters(sc))) == {
        f"parties.{p}.deadline_belief" for p in sc.party_names if p != first
    }
