"""`burdenshare tournament` end to end: tables, JSON, the store, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

GENIUS = Path(__file__).parents[1] / "known_values" / "data" / "genius"


@pytest.fixture(scope="module")
def calls(run_cli_calls: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    bad = tmp_path_factory.mktemp("bad-domain")
    (bad / "domain.xml").write_text("<negotiation_template><utility_space>", encoding="utf-8")
    first = run_cli_calls(
        {
            "json": [
                "tournament",
                str(GENIUS / "Laptop"),
                "split-the-pie",
                "-r",
                "3",
                "--chart",
                str(bad.parent / "charts"),
                "--json",
            ],
            "text": [
                "tournament",
                str(GENIUS / "ItexvsCypress"),
                "-N",
                "boulware",
                "-N",
                "conceder",
                "--self-play",
                "-r",
                "2",
            ],
            "bad_negotiator": ["tournament", "split-the-pie", "-N", "boulware", "-N", "nope"],
            "no_domain": ["tournament"],
            "bad_domain": ["tournament", str(bad)],
            "bad_resume": ["tournament", "--resume", "0123456789ab"],
            "zero_reps": ["tournament", "split-the-pie", "-r", "0"],
        }
    )
    run_id = json.loads(first["json"][1])["run"]["id"]
    second = run_cli_calls(
        {
            "show": ["runs", "show", run_id],
            "report": ["report", run_id, "-o", "r.html"],
            "runs": ["runs", "--json"],
        }
    )
    return {**first, **second, "run_id": run_id}


def test_json_has_the_ranking_results_and_domains(calls: dict[str, Any]) -> None:
    code, out, err = calls["json"]
    assert code == 0, err
    doc = json.loads(out)
    assert doc["kind"] == "tournament"
    assert doc["sessions"] == 2 * 12 * 3  # 2 domains x 12 ordered pairs of 4 x 3 repetitions
    assert [r["negotiator"] for r in doc["ranking"]] != []
    assert sorted(r["negotiator"] for r in doc["ranking"]) == sorted(
        ["boulware", "linear", "conceder", "hardliner"]
    )
    assert {d["name"] for d in doc["domains"]} == {"Laptop", "split-the-pie"}
    assert len(doc["results"]) == 24
    assert doc["run"]["parameters"]["kind"] == "tournament"


def test_text_output_is_a_ranking_table(calls: dict[str, Any]) -> None:
    code, out, err = calls["text"]
    assert code == 0, err
    assert "Tournament" in out
    assert "mean utility" in out
    assert "ItexvsCypress" in out
    assert out.count("boulware") >= 3  # ranking + self-play and mixed rows


def test_runs_show_prints_the_ranking_and_report_refuses(calls: dict[str, Any]) -> None:
    code, out, err = calls["show"]
    assert code == 0, err
    assert "mean utility" in out
    code, out, err = calls["report"]
    assert code == 2
    assert "is a tournament" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("bad_negotiator", "nope"),
        ("no_domain", "at least one domain"),
        ("bad_domain", "domain.xml"),
        ("bad_resume", "0123456789ab"),
        ("zero_reps", "repetitions"),
    ],
)
def test_bad_input_is_one_clear_error_and_stores_nothing(
    calls: dict[str, Any], key: str, message: str
) -> None:
    code, out, err = calls[key]
    assert code == 2, err
    assert out == ""
    assert message in err
    assert "Traceback" not in err
    stored = json.loads(calls["runs"][1])["runs"]
    assert len(stored) == 2  # only the two good tournaments


def test_the_chart_is_written_as_png_and_svg(calls: dict[str, Any]) -> None:
    doc = json.loads(calls["json"][1])
    paths = [Path(p) for p in doc["charts"]]
    assert [p.name for p in paths] == ["tournament.png", "tournament.svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in paths[1].read_text(encoding="utf-8")
