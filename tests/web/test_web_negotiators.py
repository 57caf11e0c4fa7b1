"""The web API and negotiator plug-ins (issue 12, item 5): installed entry-point plug-ins are
offered and accepted by name, import paths are refused with 400 before anything is imported, and
a what-if that runs fewer sessions than requested says how many and why (``sessions_cut``)."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():  # newer Starlette would rather use httpx2 than httpx
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from burdenshare.negotiation.plugins import entry_points
from burdenshare.services.whatif import SESSION_BY_SESSION_MAX
from burdenshare.web import create_app

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ROOT / "tests" / "plugins"
IMPORT_PATH = "bs_demo_plugin_web_never_imported:Agent"


def _install(folder: Path) -> None:
    info = folder / "bs_demo_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: bs-demo-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[burdenshare.negotiators]\nnoisy-linear = bs_demo_plugin:NoisyLinear\n"
        "broken = bs_demo_plugin_nowhere:Nothing\n"
    )


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    _install(tmp_path / "site")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.syspath_prepend(str(PLUGINS))
    entry_points.cache_clear()
    with TestClient(create_app(tmp_path / "runs.duckdb"), raise_server_exceptions=False) as c:
        yield c
    entry_points.cache_clear()


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert "Traceback" not in response.text
    return body


@pytest.mark.parametrize(
    ("route", "extra"),
    [("/api/whatif", {"n": 10}), ("/api/replay", {}), ("/api/runs", {"n": 10})],
)
def test_an_import_path_is_refused_with_400_and_nothing_is_imported(
    client: TestClient, route: str, extra: dict[str, Any]
) -> None:
    for negotiators in ([IMPORT_PATH], ["boulware", f"{IMPORT_PATH}:x=1"]):
        body = {"scenario": "split-the-pie", "negotiators": negotiators, **extra}
        got = _problem(client.post(route, json=body), 400)
        assert got["error"] == "NegotiatorRefused"
        assert got["field"] == f"negotiators.{len(negotiators) - 1}"
        assert "import paths" in got["message"]
    assert "bs_demo_plugin_web_never_imported" not in sys.modules


def test_a_known_name_that_looks_like_a_path_is_a_422_not_a_400(client: TestClient) -> None:
    body = {"scenario": "split-the-pie", "negotiators": ["boulware:e"], "n": 10}
    assert _problem(client.post("/api/whatif", json=body), 422)["field"] == "negotiators.0"


def test_installed_plugins_are_offered_and_accepted_by_name(client: TestClient) -> None:
    offered = client.get("/api/scenarios").json()["negotiators"]
    assert offered[-1] == "noisy-linear"  # after the built-ins; the broken plug-in is left out
    assert "broken" not in offered
    assert "noisy-linear" in client.get("/").text  # the page's negotiator list
    r = client.post("/api/replay", json={"scenario": "split-the-pie", "negotiators": offered[-1:]})
    assert r.status_code == 200, r.text
    assert r.json()["negotiators"] == {
        "A": "NoisyLinear(noise=0.05)",
        "B": "NoisyLinear(noise=0.05)",
    }


def test_a_cut_what_if_says_how_many_sessions_ran_and_why(client: TestClient) -> None:
    body = {"scenario": "split-the-pie", "negotiators": ["noisy-linear"], "n": 1000}
    r = client.post("/api/whatif", json=body).json()
    assert r["n_requested"] == 1000
    assert r["n_sessions"] == SESSION_BY_SESSION_MAX
    cut = r["sessions_cut"]
    assert (cut["ran"], cut["requested"], cut["limit"]) == (SESSION_BY_SESSION_MAX, 1000, 200)
    assert "200 of the 1,000 requested sessions ran" in cut["reason"]
    assert r["note"] == cut["reason"]
    full = client.post("/api/whatif", json={"scenario": "split-the-pie", "n": 1000}).json()
    assert full["n_sessions"] == 1000
    assert full["sessions_cut"] is None
