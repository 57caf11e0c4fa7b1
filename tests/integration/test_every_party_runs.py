"""Every party end to end (issue 14): an ensemble, a report and the dashboard's API on the
three-party bundled scenario, played by the N-party engine and replayed by the one-session
protocol."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from burdenshare import services
from burdenshare.report.deadline_plots import deadline_beliefs_chart
from burdenshare.services.report import report_data, write_report

THREE = "us-japan-rok-trilateral"
PARTIES = ["US", "Japan", "ROK"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("store") / "runs.duckdb"


@pytest.fixture(scope="module")
def run(store: Path) -> Any:
    return services.ensemble(THREE, n=2000, seed=3, negotiators=["linear"], store=store)


def test_an_ensemble_of_three_parties_is_stored_with_a_negotiator_each(run: Any) -> None:
    assert run.record.parameters["negotiators"] == ["linear"] * 3
    assert set(run.summary["expected_discounted_utility"]) == set(PARTIES)
    assert run.summary["n_sessions"] == 2000
    assert 0.0 < run.summary["p_agreement"]["estimate"] < 1.0


def test_the_report_of_a_three_party_run_shows_every_party(run: Any, store: Path) -> None:
    data = report_data(
        run.run_id, store=store, sensitivity_n=200, sensitivity_n_base=8, deadline_n=200
    )
    assert data["utility_space"]["multilateral"] is True
    assert data["reproduce"]["negotiators"] == ["linear"] * 3
    assert data["reproduce"]["command"].endswith("-N linear")
    assert data["sessions"], "the run's sample sessions are replayed"
    for s in data["sessions"]:
        assert s["matches_run"], s  # the one-session protocol gives the stored outcome
    for panel in data["positions"]:
        assert list(panel["parties"]) == PARTIES
    assert data["sensitivity"] is not None, data["sensitivity_note"]
    assert data["deadline_beliefs"] is not None, data["deadline_beliefs_note"]
    title = deadline_beliefs_chart(data).axes[0].get_title(loc="left")
    assert title.endswith("linear for all 3 parties)"), title


def test_the_html_report_of_three_parties(run: Any, store: Path, tmp_path: Path) -> None:
    data = report_data(
        run.run_id, store=store, sensitivity_n=200, sensitivity_n_base=8, deadline_n=200
    )
    out = write_report(data, out=tmp_path / "r.html")
    html = Path(out["path"]).read_text(encoding="utf-8")
    assert "linear for all 3 parties" in html
    assert "Each party&#39;s utility at each solution" in html or "Each party's utility" in html
    for name in PARTIES:
        assert f"utility {name}" in html  # three columns: at most four parties stay columns


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[Any]:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        from fastapi.testclient import TestClient

        from burdenshare.web import create_app

        with TestClient(create_app(store)) as c:
            yield c


def test_a_three_party_whatif(client: Any) -> None:
    body = {"scenario": THREE, "n": 2000, "negotiators": ["linear"]}
    r = client.post("/api/whatif", json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["negotiators"] == ["linear"] * 3
    assert set(data["expected_discounted_utility"]) == set(PARTIES)
    first = next(iter(data["positions"].values()))
    assert list(first["parties"]) == PARTIES


def test_a_three_party_whatif_with_a_negotiator_each_and_a_moved_slider(client: Any) -> None:
    info = client.get(f"/api/scenarios/{THREE}").json()
    assert info["parties"] == PARTIES
    rok = next(p for p in info["parameters"] if p["path"].startswith("parties.ROK."))
    body = {
        "scenario": THREE,
        "n": 2000,
        "negotiators": ["linear", "boulware", "conceder"],
        "changes": {rok["path"]: rok["max"]},
    }
    r = client.post("/api/whatif", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["negotiators"] == ["linear", "boulware", "conceder"]
    assert [c["path"] for c in r.json()["changes"]] == [rok["path"]]


def test_two_negotiators_for_three_parties_is_a_422_naming_the_field(client: Any) -> None:
    r = client.post(
        "/api/whatif", json={"scenario": THREE, "n": 100, "negotiators": ["linear", "boulware"]}
    )
    assert r.status_code == 422
    assert r.json()["field"] == "negotiators"


def test_a_three_party_replay_and_deadline_sweep(client: Any) -> None:
    r = client.post(
        "/api/replay", json={"scenario": THREE, "negotiators": ["linear"], "session": 5, "n": 2000}
    )
    assert r.status_code == 200, r.text
    assert r.json()["negotiator_names"] == ["linear"] * 3
    assert r.json()["parties"] == PARTIES
    d = client.post(
        "/api/deadline-beliefs", json={"scenario": THREE, "n": 500, "negotiators": ["linear"]}
    )
    assert d.status_code == 200, d.text
    assert d.json()["negotiators"] == ["linear"] * 3


def test_a_three_party_stored_run(client: Any) -> None:
    r = client.post("/api/runs", json={"scenario": THREE, "n": 1000, "negotiators": ["linear"]})
    assert r.status_code == 201, r.text
    assert r.json()["run"]["parameters"]["negotiators"] == ["linear"] * 3


def test_the_cli_shows_a_run_of_28_allies_a_row_per_ally(cli_main: Any, tmp_path: Path) -> None:
    code, out, err = cli_main(
        "ensemble",
        "nato-wales-2014",
        "-n",
        "300",
        "-N",
        "linear",
        "--store",
        str(tmp_path / "s.duckdb"),
    )
    assert code == 0, err
    assert "linear for all 28 parties" in out
    assert "linear vs linear" not in out
    rows = [line for line in out.splitlines() if line.startswith("│ ")]
    allies = services.load("nato-wales-2014").scenario.party_names
    for ally in allies:
        assert any(line.startswith(f"│ {ally} ") for line in rows), ally
