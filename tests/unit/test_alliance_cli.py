"""``burdenshare alliance``: JSON output (every key documented), charts, and exit 2 on bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from burdenshare.cli.app import main

JSON_REF = Path(__file__).resolve().parents[2] / "docs" / "reference" / "json.md"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as ex:
        main(list(args))
    out = capsys.readouterr()
    code = ex.value.code
    return (code if isinstance(code, int) else 0), out.out, out.err


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _documented() -> set[str]:
    text = JSON_REF.read_text(encoding="utf-8")
    start = text.index("\n## alliance\n")
    end = text.find("\n## ", start + 1)
    section = text[start : end if end > 0 else None]  # the alliance section only
    spans = re.findall(r"`([A-Za-z0-9_.<>\[\]]+)`", section)
    return {p for s in spans for p in re.split(r"[.\[\]]+", s) if p}


def _allies_csv(tmp_path: Path, body: str) -> str:
    path = tmp_path / "allies.csv"
    path.write_text(body, encoding="utf-8")
    return str(path)


def test_exploitation_json_is_documented(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "alliance", "exploitation", "--resamples", "50", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert {t["edition"] for t in doc["years"]} == {"2024-06", "2025-08", "2026-07"}
    assert not _keys(doc) - _documented()


def test_equilibrium_json_is_documented(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _allies_csv(tmp_path, "ally,income,alpha\nbig,300,0.5\nsmall,100,0.5\n")
    code, out, err = _run(capsys, "alliance", "equilibrium", path, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["contributors"] == ["big"]
    assert doc["total"] == pytest.approx(150.0)
    assert len(doc["curve"]) == 5
    assert not _keys(doc) - _documented()


def test_charts_are_written_and_not_overwritten(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ["alliance", "exploitation", "--edition", "2024-06", "--resamples", "20"]
    code, _, err = _run(capsys, *args, "--chart", str(tmp_path))
    assert code == 0, err
    assert (tmp_path / "alliance-exploitation.png").stat().st_size > 0
    assert (tmp_path / "alliance-exploitation.svg").stat().st_size > 0
    code, _, err = _run(capsys, *args, "--chart", str(tmp_path))
    assert code == 2
    assert "--chart" in err


def test_equilibrium_chart_and_table(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _allies_csv(tmp_path, "ally,income,alpha\nbig,29000,0.04\nsmall,4700,0.04\n")
    code, out, err = _run(capsys, "alliance", "equilibrium", path, "--chart", str(tmp_path))
    assert code == 0, err
    assert "29,000" in out
    assert "1,160" in out  # the big ally alone: a y = 0.04 * 29,000
    assert (tmp_path / "alliance-equilibrium.png").stat().st_size > 0
    assert (tmp_path / "alliance-equilibrium.svg").stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--edition", "2023-01"], "--edition"),
        (["--allies", "everyone"], "--allies"),
        (["--size", "population"], "--size"),
        (["--alternative", "up"], "--alternative"),
        (["--resamples", "0"], "--resamples"),
        (["--resamples", "100001"], "--resamples"),
        (["--confidence", "1"], "--confidence"),
    ],
)
def test_exploitation_bad_input_is_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    code, _, err = _run(capsys, "alliance", "exploitation", *args)
    assert code == 2
    assert needle in err


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("ally,gdp\nA,1\n", "unexpected columns"),
        ("ally,income,alpha\nA,100,0.5\nB,lots,0.5\n", "allies.csv:3: B.income"),
        ("ally,income,alpha\nA,100,0.5\nB,50,1.5\n", "allies.csv:3: B.alpha"),
        ("ally,income,alpha\nA,100,0.5\nA,50,0.5\n", "distinct"),
        ("ally,income,alpha\n", "lists no ally"),
        ("ally,income,alpha\n" + "".join(f"a{i},1,0.5\n" for i in range(1001)), "too many"),
        ("ally,income,alpha\nA,1\n", "exactly three cells"),
    ],
)
def test_equilibrium_bad_file_is_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, body: str, needle: str
) -> None:
    code, _, err = _run(capsys, "alliance", "equilibrium", _allies_csv(tmp_path, body))
    assert code == 2
    assert needle in err


def test_equilibrium_missing_file_is_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = _run(capsys, "alliance", "equilibrium", str(tmp_path / "none.csv"))
    assert code == 2
    assert "no such file" in err


def test_equilibrium_bad_private_share_is_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _allies_csv(tmp_path, "ally,income,alpha\nA,100,0.5\n")
    code, _, err = _run(capsys, "alliance", "equilibrium", path, "--private-share", "2")
    assert code == 2
    assert "--private-share" in err
