"""The dashboard's JSON API, through FastAPI's test client: every route, the OpenAPI document,
validation of uploads (good, malformed, oversize), path traversal, errors as 4xx JSON (never a
traceback), what-if answers and concurrent writers to the run store."""

from __future__ import annotations

import json
import re
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

with warnings.catch_warnings():  # newer Starlette would rather use httpx2 than httpx
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from burdenshare.scenario.io import MAX_BYTES
from burdenshare.scenario.library import FLAGSHIP, bundled_path
from burdenshare.web import app as web_app
from burdenshare.web import create_app
from burdenshare.web.problems import Problem

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "hostile" / "corpus"
EXPECTATIONS = yaml.safe_load((ROOT / "tests" / "hostile" / "expectations.yaml").read_text())
US_RESERVATION = "parties.US.utility.contribution.reservation"
#: a few malformed files of different kinds: unsafe YAML, bad syntax, bad values, not text
MALFORMED = [
    "python-tag.yaml",
    "billion-laughs.yaml",
    "bad-yaml-tab-indent.yaml",
    "reservation-wrong-side.yaml",
    "dates-deadline-before-start.yaml",
    "binary-junk.bin",
    "json-syntax.json",
]
API_PATHS = {
    "/api/scenarios",
    "/api/scenarios/{name}",
    "/api/scenarios/validate",
    "/api/whatif",
    "/api/replay",
    "/api/runs",
    "/api/runs/{run_id}",
    "/api/runs/{run_id}/export.csv",
    "/api/runs/{run_id}/report",
}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store" / "runs.duckdb"


@pytest.fixture
def client(store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        yield c


def flagship_bytes() -> bytes:
    return bundled_path(FLAGSHIP).read_bytes()


def is_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is a JSON error with ``status``, a message and no traceback."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["error"]
    assert body["message"]
    assert "Traceback" not in response.text
    assert 'File "' not in response.text
    return body


# -- the page and its assets -------------------------------------------------------------------


def test_the_page_loads_with_its_scripts_and_no_cdn(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert '<script src="/vendor/plotly.min.js"' in r.text
    assert '<script src="/static/app.js"' in r.text
    assert "://" not in r.text.split("<footer>")[0], "the page must load nothing from elsewhere"
    assert FLAGSHIP in r.text


def test_plotly_is_served_from_the_installed_package(client: TestClient) -> None:
    r = client.get("/vendor/plotly.min.js")
    assert r.status_code == 200
    assert "javascript" in r.headers["content-type"]
    assert r.content == web_app.plotly_js_path().read_bytes()


@pytest.mark.parametrize(
    ("path", "kind"), [("/static/app.js", "javascript"), ("/static/app.css", "css")]
)
def test_static_files(client: TestClient, path: str, kind: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert kind in r.headers["content-type"]


def test_the_openapi_document_lists_the_api(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert set(doc["paths"]) >= API_PATHS
    assert "post" in doc["paths"]["/api/whatif"]
    assert "post" in doc["paths"]["/api/scenarios/validate"]
    assert doc["info"]["title"] == "burdenshare"


def test_no_docs_page_that_would_load_a_cdn(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404


# -- scenarios ---------------------------------------------------------------------------------


def test_list_scenarios(client: TestClient) -> None:
    data = client.get("/api/scenarios").json()
    names = [s["name"] for s in data["scenarios"]]
    assert FLAGSHIP in names
    assert data["flagship"] == FLAGSHIP
    assert "boulware" in data["negotiators"]


def test_one_scenario_has_its_sliders(client: TestClient) -> None:
    data = client.get(f"/api/scenarios/{FLAGSHIP}").json()
    assert data["valid"] is True
    assert data["id"] == FLAGSHIP
    paths = {p["path"]: p for p in data["parameters"]}
    for wanted in (
        "parties.US.utility.contribution.ideal",
        US_RESERVATION,
        "parties.ROK.utility.contribution.ideal",
        "parties.ROK.utility.contribution.reservation",
        "parties.US.discount_per_round",
        "protocol.breakdown_risk_per_round",
        "protocol.deadline",
    ):
        assert wanted in paths
    assert any(p["label"].endswith("election date") for p in data["parameters"])
    res = paths[US_RESERVATION]
    assert res["min"] <= res["value"] <= res["max"]
    assert res["distribution"] == {"triangular": [1090.8, 1350.0, 2500.0]}


def test_an_unknown_scenario_is_404(client: TestClient) -> None:
    body = is_problem(client.get("/api/scenarios/no-such-scenario"), 404)
    assert "no-such-scenario" in body["message"]


@pytest.mark.parametrize(
    "name",
    [
        "../etc/passwd",
        "..%2Fetc%2Fpasswd",
        "%2e%2e/",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "..",
        "..%5C..%5Cetc%5Cpasswd",
        "%2Fetc%2Fpasswd",
        "us-rok-sma-2019%00.yaml",
        "~root",
    ],
)
def test_scenario_names_cannot_reach_files(client: TestClient, name: str) -> None:
    r = client.get(f"/api/scenarios/{name}")
    assert r.status_code in (404, 422), r.text
    assert "root:" not in r.text
    assert "Traceback" not in r.text


@pytest.mark.parametrize("name", ["../etc/passwd", "/etc/passwd", "~/.ssh/id_rsa"])
def test_whatif_scenario_names_are_checked_too(client: TestClient, name: str) -> None:
    r = client.post("/api/whatif", json={"scenario": name, "n": 10})
    assert r.status_code == 404
    assert "root:" not in r.text


# -- validating a file -------------------------------------------------------------------------


def test_validate_a_good_file_raw(client: TestClient) -> None:
    r = client.post("/api/scenarios/validate?filename=sma.yaml", content=flagship_bytes())
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["valid"] is True
    assert data["id"] == FLAGSHIP
    assert data["source"] == "sma.yaml"
    assert data["parties"] == ["US", "ROK"]
    assert len(data["sha256"]) == 64
    assert data["parameters"]


def test_validate_a_good_file_multipart(client: TestClient) -> None:
    text = (ROOT / "tests" / "hostile" / "well-formed.yaml").read_bytes()
    r = client.post("/api/scenarios/validate", files={"file": ("mine.yaml", text)})
    assert r.status_code == 200, r.text
    assert r.json()["source"] == "mine.yaml"


def test_validate_names_the_upload_without_its_directories(client: TestClient) -> None:
    files = {"file": ("../../etc/passwd", b"id: [")}
    body = is_problem(client.post("/api/scenarios/validate", files=files), 422)
    assert body["file"] == "passwd"


@pytest.mark.parametrize("name", MALFORMED)
def test_validate_a_malformed_file_says_where(client: TestClient, name: str) -> None:
    want = EXPECTATIONS[name]
    data = (CORPUS / name).read_bytes()
    r = client.post("/api/scenarios/validate", files={"file": (name, data)})
    body = is_problem(r, 422)
    assert body["error"] == "ScenarioError"
    assert body["field"] == want["field"]
    assert body["line"] == want["line"]
    assert want["message"] in body["message"] or want["message"] in body["detail"]
    assert body["file"] == name


def test_validate_refuses_an_oversize_file(client: TestClient) -> None:
    big = b"# " + b"x" * MAX_BYTES + b"\n"
    is_problem(client.post("/api/scenarios/validate", content=big), 413)
    files = {"file": ("big.yaml", big)}
    is_problem(client.post("/api/scenarios/validate", files=files), 413)


def test_validate_refuses_an_oversize_streamed_body(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"#" * 65536

    is_problem(client.post("/api/scenarios/validate", content=chunks()), 413)


def test_a_file_of_exactly_the_limit_is_read(client: TestClient) -> None:
    text = flagship_bytes()
    padded = text + b"#" * (MAX_BYTES - len(text))
    assert len(padded) == MAX_BYTES
    assert client.post("/api/scenarios/validate", content=padded).status_code == 200


def test_multipart_without_a_file_is_400(client: TestClient) -> None:
    r = client.post("/api/scenarios/validate", data={"other": "x"}, files={"x": ("a", b"b")})
    is_problem(r, 400)


# -- what-if -----------------------------------------------------------------------------------


def test_whatif_answers_and_records_its_time(client: TestClient, record_property: Any) -> None:
    t0 = time.perf_counter()
    r = client.post("/api/whatif", json={"scenario": FLAGSHIP})
    wall = time.perf_counter() - t0
    assert r.status_code == 200, r.text
    data = r.json()
    record_property("whatif_100k_seconds", wall)
    record_property("whatif_100k_server_seconds", data["elapsed_seconds"])
    assert data["n_sessions"] == 100_000
    p = data["p_agreement"]
    assert 0.0 <= p["estimate"] <= 1.0
    assert p["se"] > 0
    rounds = client.get(f"/api/scenarios/{FLAGSHIP}").json()["rounds"]
    assert [row["round"] for row in data["p_agreement_by_date"]] == list(range(1, rounds + 1))
    hist = data["settlement"]["contribution"]["histogram"]
    assert sum(hist["counts"]) == p["count"]
    assert set(hist["currency_edges"]) == {"KRW", "USD"}
    assert len(hist["edges"]) == len(hist["counts"]) + 1
    assert set(data["settlement"]["contribution"]["quantiles"]) == {
        "0.05",
        "0.25",
        "0.5",
        "0.75",
        "0.95",
    }
    assert set(data["failure_causes"]) == {"breakdown", "deadline", "ratification_failure"}
    assert "exists" in data["zopa"]
    assert data["elapsed_seconds"] > 0


def test_whatif_changes_when_a_parameter_changes(client: TestClient) -> None:
    base = client.post("/api/whatif", json={"scenario": FLAGSHIP, "n": 20_000}).json()
    moved = client.post(
        "/api/whatif",
        json={"scenario": FLAGSHIP, "n": 20_000, "changes": {US_RESERVATION: 1150}},
    ).json()
    assert moved["p_agreement"]["estimate"] > base["p_agreement"]["estimate"]
    hist = "settlement", "contribution", "histogram"
    assert moved[hist[0]][hist[1]][hist[2]] != base[hist[0]][hist[1]][hist[2]]
    (change,) = moved["changes"]
    assert change["path"] == US_RESERVATION
    assert change["mode"] == "shifted"
    assert change["value"] == 1150


def test_whatif_fix_mode_removes_the_uncertainty(client: TestClient) -> None:
    r = client.post(
        "/api/whatif",
        json={
            "scenario": FLAGSHIP,
            "n": 5000,
            "changes": {US_RESERVATION: 1150},
            "uncertain": "fix",
        },
    ).json()
    assert r["changes"][0]["mode"] == "fixed"
    assert r["changes"][0]["clipped_share"] == 0.0


def test_whatif_unchanged_matches_a_stored_ensemble(client: TestClient) -> None:
    stored = client.post("/api/runs", json={"scenario": FLAGSHIP, "n": 3000, "seed": 4}).json()
    again = client.post("/api/whatif", json={"scenario": FLAGSHIP, "n": 3000, "seed": 4}).json()
    assert again["p_agreement"] == stored["summary"]["p_agreement"]


def test_whatif_dates(client: TestClient) -> None:
    r = client.post(
        "/api/whatif",
        json={"scenario": FLAGSHIP, "n": 5000, "changes": {"protocol.deadline": "2020-06-30"}},
    )
    assert r.status_code == 200, r.text
    assert r.json()["p_agreement_by_deadline"]["date"] == "2020-06-30"


def test_whatif_on_uploaded_text(client: TestClient) -> None:
    text = flagship_bytes().decode()
    r = client.post("/api/whatif", json={"scenario_text": text, "n": 2000})
    assert r.status_code == 200, r.text
    assert r.json()["scenario"]["id"] == FLAGSHIP


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"changes": {"parties.US.discount_per_round": 1.5}}, "parties.US.discount_per_round"),
        (
            {"changes": {"protocol.breakdown_risk_per_round": -0.1}},
            "protocol.breakdown_risk_per_round",
        ),
        ({"changes": {US_RESERVATION: 9000}}, US_RESERVATION),
        ({"changes": {US_RESERVATION: 6000}}, US_RESERVATION),  # above the US ask
        (
            {"changes": {"parties.US.utility.contribution.weight": 0.5}},
            "parties.US.utility.contribution.weight",
        ),
        ({"changes": {"no.such.field": 1}}, "no.such.field"),
        ({"changes": {"protocol.deadline": "2019-01-01"}}, "protocol.deadline"),
        ({"changes": {"protocol.deadline": "soon"}}, "protocol.deadline"),
        ({"changes": {US_RESERVATION: "many"}}, US_RESERVATION),
        ({"n": 0}, "n"),
        ({"n": 10_000_000}, "n"),
        ({"seed": -1}, "seed"),
        ({"uncertain": "ignore"}, "uncertain"),
        ({"negotiators": ["boulware", "no-such-negotiator"]}, "negotiators.1"),
        ({"negotiators": ["a", "b", "c"]}, "negotiators"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_whatif_parameters_are_422_with_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    r = client.post("/api/whatif", json={"scenario": FLAGSHIP, "n": 100, **body})
    got = is_problem(r, 422)
    assert got["field"] == field


def test_whatif_needs_exactly_one_scenario(client: TestClient) -> None:
    is_problem(client.post("/api/whatif", json={"n": 10}), 422)
    both = {"scenario": FLAGSHIP, "scenario_text": "id: x", "n": 10}
    is_problem(client.post("/api/whatif", json=both), 422)


def test_whatif_on_malformed_text_says_where(client: TestClient) -> None:
    text = (CORPUS / "reservation-wrong-side.yaml").read_text()
    body = is_problem(client.post("/api/whatif", json={"scenario_text": text, "n": 10}), 422)
    assert body["line"] == EXPECTATIONS["reservation-wrong-side.yaml"]["line"]


@pytest.mark.parametrize(
    "raw", [b"{not json", b"[]", b"null", b'{"scenario": 5}', b'{"changes": [1, 2]}']
)
def test_malformed_json_is_422(client: TestClient, raw: bytes) -> None:
    headers = {"content-type": "application/json"}
    is_problem(client.post("/api/whatif", content=raw, headers=headers), 422)


def test_an_oversize_json_body_is_413(client: TestClient) -> None:
    big = b'{"scenario_text": "' + b"x" * (web_app.MAX_REQUEST_BYTES + 10) + b'"}'
    headers = {"content-type": "application/json"}
    is_problem(client.post("/api/whatif", content=big, headers=headers), 413)


def test_an_unexpected_error_is_a_500_without_a_traceback(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from burdenshare.services import whatif as wi

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals at /srv/x.py")

    monkeypatch.setattr(wi, "whatif", boom)
    body = is_problem(client.post("/api/whatif", json={"scenario": FLAGSHIP, "n": 10}), 500)
    assert "secret" not in body["message"]


def test_unknown_routes_and_methods_are_json(client: TestClient) -> None:
    is_problem(client.get("/api/nothing-here"), 404)
    is_problem(client.delete("/api/scenarios"), 405)


# -- replay ------------------------------------------------------------------------------------


def test_replay_at_central_values(client: TestClient) -> None:
    r = client.post("/api/replay", json={"scenario": FLAGSHIP})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["outcome"] in ("agreement", "breakdown", "deadline", "ratification_failure")
    assert data["transcript"]
    first = data["transcript"][0]
    assert first["proposer"] == "US"
    assert first["round"] == 1
    assert data["session"] is None


def test_replay_of_an_ensemble_session_has_its_outcome(client: TestClient) -> None:
    settings = {"scenario": FLAGSHIP, "n": 20_000, "changes": {US_RESERVATION: 1300}}
    whatif = client.post("/api/whatif", json=settings).json()
    for outcome, session in whatif["example_sessions"].items():
        if session is None:
            continue
        r = client.post("/api/replay", json={**settings, "session": session})
        assert r.status_code == 200, r.text
        assert r.json()["outcome"] == outcome
        assert r.json()["sampled"]


def test_replay_session_out_of_range(client: TestClient) -> None:
    r = client.post("/api/replay", json={"scenario": FLAGSHIP, "n": 10, "session": 10})
    assert is_problem(r, 422)["field"] == "session"


# -- stored runs -------------------------------------------------------------------------------


def test_runs_on_an_empty_store(client: TestClient, store: Path) -> None:
    assert client.get("/api/runs").json() == {"runs": []}
    assert not store.exists(), "reading must not create the store"


def test_store_show_and_download_a_run(client: TestClient) -> None:
    r = client.post("/api/runs", json={"scenario": FLAGSHIP, "n": 2000, "seed": 1})
    assert r.status_code == 201, r.text
    run_id = r.json()["run"]["id"]
    (row,) = client.get("/api/runs").json()["runs"]
    assert row["id"] == run_id
    assert row["status"] == "finished"
    assert "scenario_text" not in row
    assert row["p_agreement"]["estimate"] == r.json()["summary"]["p_agreement"]["estimate"]
    assert row["links"]["csv"] == f"/api/runs/{run_id}/export.csv"

    record = client.get(f"/api/runs/{run_id}")
    assert record.status_code == 200
    assert record.json()["id"] == run_id
    assert record.json()["scenario_text"] == flagship_bytes().decode()
    download = client.get(f"/api/runs/{run_id}?download=true")
    assert "attachment" in download.headers["content-disposition"]

    csv = client.get(f"/api/runs/{run_id}/export.csv")
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert f"run-{run_id}.csv" in csv.headers["content-disposition"]
    lines = csv.text.strip().splitlines()
    assert lines[0].startswith("session,")
    assert len(lines) == 2001


def test_report_of_a_run(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    run_id = client.post("/api/runs", json={"scenario": FLAGSHIP, "n": 500}).json()["run"]["id"]

    def fake_build(run: str, *, out: Path, store: Any = None) -> Path:
        out.write_text(f"<!doctype html><title>report {run}</title>", encoding="utf-8")
        return out

    monkeypatch.setattr(web_app, "_report_builder", lambda: (fake_build, None))
    r = client.get(f"/api/runs/{run_id}/report")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert f"report {run_id}" in r.text


def test_report_without_a_report_builder_is_501(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web_app, "_report_builder", lambda: (None, None))
    is_problem(client.get("/api/runs/0123456789ab/report"), 501)


@pytest.mark.parametrize("suffix", ["", "/export.csv", "/report"], ids=["record", "csv", "report"])
@pytest.mark.parametrize(
    "run_id", ["0123456789ab", "not-a-run", "..%2F..%2Fetc%2Fpasswd", "0123456789AB", "%2e%2e"]
)
def test_unknown_or_bad_runs_are_404(client: TestClient, run_id: str, suffix: str) -> None:
    client.post("/api/runs", json={"scenario": FLAGSHIP, "n": 100})  # a store with a run
    r = client.get(f"/api/runs/{run_id}{suffix}")
    assert r.status_code == 404, r.text
    assert "root:" not in r.text
    assert "Traceback" not in r.text


def test_bad_run_requests(client: TestClient) -> None:
    assert is_problem(client.post("/api/runs", json={"scenario": FLAGSHIP, "n": 0}), 422)
    assert is_problem(client.get("/api/runs?limit=0"), 422)["field"] == "limit"
    is_problem(client.post("/api/runs", json={"scenario": "../x", "n": 10}), 404)


# -- concurrency -------------------------------------------------------------------------------


def test_concurrent_whatifs_and_stored_runs_keep_the_store_whole(
    client: TestClient, store: Path
) -> None:
    writers, readers, n = 4, 4, 3000
    errors: list[str] = []
    results: dict[str, list[Any]] = {"runs": [], "whatif": [], "lists": []}
    start = threading.Barrier(writers + readers * 2)

    def write(seed: int) -> None:
        start.wait()
        r = client.post("/api/runs", json={"scenario": FLAGSHIP, "n": n, "seed": seed})
        if r.status_code != 201:
            errors.append(r.text)
        else:
            results["runs"].append(r.json()["run"]["id"])

    def whatif(seed: int) -> None:
        start.wait()
        body = {"scenario": FLAGSHIP, "n": 20_000, "seed": seed, "changes": {US_RESERVATION: 1400}}
        r = client.post("/api/whatif", json=body)
        if r.status_code != 200:
            errors.append(r.text)
        else:
            results["whatif"].append(r.json()["p_agreement"]["estimate"])

    def read() -> None:
        start.wait()
        r = client.get("/api/runs")
        if r.status_code != 200:
            errors.append(r.text)
        else:
            results["lists"].append(len(r.json()["runs"]))

    threads = [threading.Thread(target=write, args=(k,)) for k in range(writers)]
    threads += [threading.Thread(target=whatif, args=(k,)) for k in range(readers)]
    threads += [threading.Thread(target=read) for _ in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(results["runs"]) == writers
    assert len(results["whatif"]) == readers
    assert all(0 <= k <= writers for k in results["lists"])

    listed = client.get("/api/runs").json()["runs"]
    assert sorted(r["id"] for r in listed) == sorted(results["runs"])
    for row in listed:
        assert row["status"] == "finished"
        assert row["n_sessions_done"] == n
        csv = client.get(f"/api/runs/{row['id']}/export.csv")
        assert len(csv.text.strip().splitlines()) == n + 1
    # the same seed gives the same stored answer whatever ran beside it
    again = client.post("/api/whatif", json={"scenario": FLAGSHIP, "n": 3000, "seed": 2}).json()
    run2 = next(r for r in listed if r["seed"] == 2)
    assert again["p_agreement"]["estimate"] == run2["p_agreement"]["estimate"]


# -- the contract: the OpenAPI document says what the app does (issue 11, defect 6) ------------


def _operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            yield path, method, op


def test_every_error_status_is_declared_with_the_problem_body(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    problem = doc["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == set(Problem.model_fields)
    for path, method, op in _operations(doc):
        errors = {code: r for code, r in op["responses"].items() if code >= "400"}
        assert "500" in errors, f"{method} {path}"
        for code, response in errors.items():
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Problem"}, f"{method} {path} {code}"


@pytest.mark.parametrize(
    ("method", "path", "declared"),
    [
        ("get", f"/api/scenarios/{FLAGSHIP}x", "404"),
        ("get", "/api/runs/0123456789ab", "404"),
        ("get", "/api/runs/0123456789ab/export.csv", "404"),
        ("get", "/api/runs/0123456789ab/report", "404"),
        ("get", "/api/runs/" + "a" * 65, "422"),
        ("get", "/api/runs?limit=0", "422"),
    ],
)
def test_the_statuses_the_app_answers_are_declared(
    client: TestClient, method: str, path: str, declared: str
) -> None:
    client.post("/api/runs", json={"scenario": FLAGSHIP, "n": 100})
    r = client.request(method, path)
    assert str(r.status_code) == declared, r.text
    doc = client.get("/openapi.json").json()
    template = next(
        p
        for p in doc["paths"]
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", p), path.split("?")[0])
    )
    assert declared in doc["paths"][template][method]["responses"]
    body = r.json()
    assert set(body) == set(Problem.model_fields)


@pytest.mark.parametrize("route", ["/api/whatif", "/api/replay", "/api/runs"])
def test_the_scenario_either_or_is_in_the_schema(client: TestClient, route: str) -> None:
    doc = client.get("/openapi.json").json()
    body = doc["paths"][route]["post"]["requestBody"]["content"]["application/json"]["schema"]
    branches = [doc["components"]["schemas"][b["$ref"].rsplit("/", 1)[1]] for b in body["oneOf"]]
    assert [b["required"] for b in branches] == [["scenario"], ["scenario_text"]]
    assert all(b["additionalProperties"] is False for b in branches)
    # {} and both keys are invalid by the schema, and refused
    for sent in ({}, {"scenario": FLAGSHIP, "scenario_text": "id: x"}):
        got = is_problem(client.post(route, json=sent), 422)
        assert "either" in got["message"]


def test_a_405_names_the_allowed_methods(client: TestClient) -> None:
    r = client.delete("/api/runs")
    is_problem(r, 405)
    assert {m.strip() for m in r.headers["allow"].split(",")} == {"GET", "POST"}
    r = client.put("/api/whatif")
    is_problem(r, 405)
    assert r.headers["allow"] == "POST"


def test_no_response_shows_the_store_path(tmp_path: Path) -> None:
    store = tmp_path / "secret-place" / "runs.duckdb"
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        c.post("/api/runs", json={"scenario": FLAGSHIP, "n": 100})
        for path in ("/api/runs/0123456789ab", "/api/runs/0123456789ab/export.csv"):
            r = c.get(path)
            body = is_problem(r, 404)
            assert "secret-place" not in r.text
            assert str(tmp_path) not in r.text
            assert body["message"] == "no run 0123456789ab in the run store"


def test_a_store_that_cannot_be_opened_does_not_show_its_path(tmp_path: Path) -> None:
    store = tmp_path / "secret-place"
    store.mkdir()  # a folder where the store file should be
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        r = c.post("/api/runs", json={"scenario": FLAGSHIP, "n": 10})
        assert r.status_code >= 400
        assert str(tmp_path) not in r.text
        assert "secret-place" not in r.text


def test_a_whatif_beyond_the_memory_budget_is_422_naming_n(client: TestClient) -> None:
    from burdenshare.web.budget import max_sessions

    issues = [{"id": f"i{k}", "kind": "continuous", "range": [0, 100]} for k in range(20)]

    def side(prefers: str, ideal: list[float], reservation: list[float]) -> dict[str, Any]:
        utility = {
            f"i{k}": {
                "prefers": prefers,
                "ideal": {"triangular": ideal},
                "reservation": {"triangular": reservation},
                "weight": 0.05,
            }
            for k in range(20)
        }
        return {"utility": utility, "discount_per_round": {"triangular": [0.9, 0.95, 0.99]}}

    doc = {
        "id": "wide",
        "title": "twenty issues, every belief uncertain",
        "as_of": "2020-01-01",
        "issues": issues,
        "parties": {
            "US": side("higher", [70, 80, 90], [20, 30, 40]),
            "ROK": side("lower", [10, 20, 30], [60, 70, 80]),
        },
        "protocol": {"first_mover": "US", "start": "2020-01-01", "deadline": "2021-01-01"},
    }
    limit = max_sessions(n_issues=20, n_uncertain=82)
    assert limit < 1_000_000
    sent = {"scenario_text": json.dumps(doc), "format": "json", "n": 1_000_000}
    r = client.post("/api/whatif", json=sent)
    body = is_problem(r, 422)
    assert body["field"] == "n"
    assert f"{limit:,}" in body["expected"]


def test_a_multipart_upload_has_the_file_field_and_no_other(client: TestClient) -> None:
    files = {"file": ("mine.yaml", flagship_bytes()), "note": (None, b"hello")}
    is_problem(client.post("/api/scenarios/validate", files=files), 400)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"seed": False}, "seed"),
        ({"seed": "3"}, "seed"),
        ({"seed": 2**53}, "seed"),
        ({"n": True}, "n"),
        ({"n": 10.5}, "n"),
        ({"changes": {US_RESERVATION: True}}, f"changes.{US_RESERVATION}"),
    ],
)
def test_numbers_are_what_the_schema_says(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    """Found by the fuzzer: pydantic took true and "3" for integers, and seeds past 2**53 could
    not be told apart in the schema's floating-point maximum."""
    got = is_problem(client.post("/api/whatif", json={"scenario": FLAGSHIP, "n": 10, **body}), 422)
    assert got["field"] == field
    assert got["error"] == "RequestValidationError"


def test_a_whole_float_is_an_integer_as_in_json_schema(client: TestClient) -> None:
    r = client.post("/api/whatif", json={"scenario": FLAGSHIP, "n": 100.0, "seed": 2.0})
    assert r.status_code == 200, r.text
    assert r.json()["seed"] == 2


def test_a_whatif_on_an_integer_range_of_a_trillion_is_served(client: TestClient) -> None:
    """Issue 11, defect 2: one 1 KB what-if on an integer issue of [1, 10^12] took the server to
    about 5 GB and a 500, because every whole number of the range was built. The analysis now
    samples such a range in whole numbers; the answer is a 200 with whole-number settlements
    inside the range."""
    top = 10**12
    text = (
        "id: trillion\ntitle: an integer range of a trillion\nas_of: 2020-01-01\n"
        f"issues: [{{id: x, kind: integer, range: [1, {top}]}}]\n"
        "parties:\n"
        f"  A: {{utility: {{x: {{prefers: higher, ideal: {top}, reservation: 1}}}}, "
        "outside_option: 0.3}\n"
        f"  B: {{utility: {{x: {{prefers: lower, ideal: 1, reservation: {top}}}}}, "
        "outside_option: -0.2}\n"
        "protocol: {first_mover: A, start: 2020-01-01, round_every_days: 1, "
        "deadline: 2020-01-28, breakdown_risk_per_round: 0.01}\n"
    )
    r = client.post("/api/whatif", json={"scenario_text": text, "n": 500})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["p_agreement"]["count"] > 0
    for q in body["settlement"]["x"]["quantiles"].values():
        assert float(q["value"]).is_integer()
        assert 1 <= q["value"] <= top


def test_forecast_gives_the_combined_forecast_the_models_and_the_hindsight(
    client: TestClient,
) -> None:
    r = client.post("/api/forecast", json={"scenario": "us-rok-sma-2021"})
    assert r.status_code == 200
    body = r.json()
    assert list(body) == ["combined", "forecasts", "forecasts_note", "hindsight"]
    c = body["combined"]
    assert c["issue"] == "contribution"
    assert "forecast:compromise" in c["predictions"]
    assert "solution:nash" in c["predictions"]
    assert c["display"]["spread"][0].startswith("₩1,038.9bn")
    assert c["available"] or "No weight is made up" in c["note"]
    assert body["forecasts"]["forecasts"][0]["model"] == "compromise"
    h = body["hindsight"]
    assert h["timing_verdict"] is None  # no ensemble here
    assert h["forecasts_vs_actual"]["compromise"]["error_pct"] > 10


def test_forecast_of_a_scenario_without_actors_still_combines_the_solutions(
    client: TestClient,
) -> None:
    body = client.post("/api/forecast", json={"scenario": "split-the-pie"}).json()
    assert body["forecasts"] is None
    assert "actors" in body["forecasts_note"]
    assert "solution:nash" in body["combined"]["predictions"]
    assert body["hindsight"] is None
    assert client.post("/api/forecast", json={}).status_code == 422


def test_the_replay_session_bound_is_in_the_schema(client: TestClient) -> None:
    """The schema said ``"ge": 0`` (not a JSON Schema keyword) for ``session``, so -1 was valid
    by the document and refused by the app; the schema fuzzer found it."""
    doc = client.get("/openapi.json").json()
    session = doc["components"]["schemas"]["ReplayByName"]["properties"]["session"]
    assert {"type": "integer", "minimum": 0} in session["anyOf"]
    assert client.post("/api/replay", json={"scenario": FLAGSHIP, "session": -1}).status_code == 422
