"""`burdenshare tournament` then `burdenshare runs export --what offers|sessions` end to end: the
per-agent metrics in the JSON, the offer log and the agreed outcomes in Parquet and CSV, the same
offers as `burdenshare simulate` shows for the session, and clear refusals."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

# a unit pie in five rounds, no discounting or breakdown risk: every session is deterministic
PIE = """\
id: pie5
title: a unit pie in five rounds
as_of: 2020-01-01
issues: [{id: x, range: [0, 1]}]
parties:
  A: {utility: {x: {ideal: 1, reservation: 0}}}
  B: {utility: {x: {ideal: 0, reservation: 1}}}
protocol: {first_mover: A, start: 2020-01-01, round_every_days: 1, deadline: 2020-01-05}
"""


@pytest.fixture(scope="module")
def calls(run_cli_calls: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("pie")
    pie = tmp / "pie5.yaml"
    pie.write_text(PIE, encoding="utf-8")
    negs = ["-N", "hardliner", "-N", "linear"]
    first = run_cli_calls(
        {
            "simulate": ["simulate", str(pie), *negs, "--json"],
            "tournament": ["tournament", str(pie), *negs, "-r", "2", "--json"],
            # one writer at a time: this one waits for the store while the other writes
            "plain": ["tournament", str(pie), *negs, "-r", "1", "--no-offers", "--json"],
        }
    )
    run_id = json.loads(first["tournament"][1])["run"]["id"]
    plain_id = json.loads(first["plain"][1])["run"]["id"]

    def export(what: str, fmt: str, rid: str = run_id) -> list[str]:
        out = tmp / f"{rid}-{what}.{fmt}"
        return ["runs", "export", rid, "--what", what, "--format", fmt, "-o", str(out), "--json"]

    second = run_cli_calls(
        {
            "offers_parquet": export("offers", "parquet"),
            "offers_csv": export("offers", "csv"),
            "sessions_csv": export("sessions", "csv"),
            "no_log": export("offers", "parquet", plain_id),
            "bad_what": export("transcripts", "csv"),
        }
    )
    return {**first, **second, "run_id": run_id}


def test_the_json_ranking_has_the_per_agent_metrics(calls: dict[str, Any]) -> None:
    code, out, err = calls["tournament"]
    assert code == 0, err
    doc = json.loads(out)
    rank = {r["negotiator"]: r for r in doc["ranking"]}
    # hand computed (tests/known_values/test_tournament_known_values.py): the hardliner gets the
    # whole pie in round 5 in both roles; every distance to the (1/2, 1/2) points is sqrt(1/2)
    assert rank["hardliner"]["mean_utility"] == 1.0
    assert rank["linear"]["mean_utility"] == 0.0
    for r in rank.values():
        assert r["welfare"] == 1.0
        assert r["agreement_rate"] == 1.0
        assert r["agreement_time"] == 1.0
        assert r["agreement_round"] == 5.0
        assert r["distance_pareto"] == 0.0
        for key in ("distance_nash", "distance_ks", "distance_kalai"):
            assert r[key] == pytest.approx(math.sqrt(0.5), abs=1e-12)
        assert r["distinct_observations"] == 2
        assert r["identical_repetitions"] == 2
    (dom,) = doc["domains"]
    assert dom["kalai_smorodinsky"] == dom["kalai"] == dom["nash"] == [0.5, 0.5]
    assert doc["run"]["parameters"]["offers"] is True


def _offers(path: str) -> dict[str, list[Any]]:
    if path.endswith(".parquet"):
        return dict(pq.read_table(path).to_pydict())
    with duckdb.connect() as con:
        rel = con.execute("SELECT * FROM read_csv(?, header = true)", [path])
        names = [c[0] for c in rel.description]
        rows = rel.fetchall()
    return {n: [r[i] for r in rows] for i, n in enumerate(names)}


@pytest.mark.parametrize("key", ["offers_parquet", "offers_csv"])
def test_exported_offers_are_what_simulate_shows(calls: dict[str, Any], key: str) -> None:
    code, out, err = calls[key]
    assert code == 0, err
    written = json.loads(out)
    assert written["what"] == "offers"
    assert Path(written["sidecar"]).is_file()
    table = _offers(written["path"])
    # session 0 is hardliner (A) vs linear (B); session 1 copies it and is not logged
    assert sorted(set(table["session"])) == [0, 2]
    transcript = json.loads(calls["simulate"][1])["transcript"]
    rows = [i for i, s in enumerate(table["session"]) if s == 0]
    assert len(rows) == len(transcript) == 5
    for i, offer in zip(rows, transcript, strict=True):
        assert table["round"][i] == offer["round"]
        assert table["proposer"][i] == {"A": "a", "B": "b"}[offer["proposer"]]
        assert table["response"][i] == offer["response"]
        assert json.loads(table["outcome"][i]) == offer["outcome"]
        assert [table["utility_a"][i], table["utility_b"][i]] == [
            offer["utilities"]["A"],
            offer["utilities"]["B"],
        ]


def test_exported_sessions_carry_the_agreed_outcome(calls: dict[str, Any]) -> None:
    code, out, err = calls["sessions_csv"]
    assert code == 0, err
    table = _offers(json.loads(out)["path"])
    assert [json.loads(t) for t in table["agreement"]] == [{"x": 1.0}] * 2 + [{"x": 0.0}] * 2
    assert table["time"] == [1.0] * 4
    assert table["welfare"] == [1.0] * 4


@pytest.mark.parametrize(
    ("key", "message"),
    [("no_log", "keeps no offer log"), ("bad_what", "--what")],
)
def test_what_cannot_be_exported_is_one_clear_error(
    calls: dict[str, Any], key: str, message: str
) -> None:
    code, out, err = calls[key]
    assert code == 2, err
    assert out == ""
    assert message in err
    assert "Traceback" not in err
