"""One overwrite rule for every verb that writes files (issue 11, item 8).

An existing output file is refused with exit 2, naming the option, before anything is computed or
stored; ``--overwrite`` replaces it. The commands run in-process through ``cli.main`` (the same
entry point as the console script) with a private run store.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAPTOP = str(ROOT / "tests" / "known_values" / "data" / "genius" / "Laptop")
OLD = "an earlier file the user wants to keep"


CliMain = Callable[..., tuple[int, str, str]]


def _cli(cli_main: CliMain, *argv: str) -> tuple[int, str]:
    code, out, err = cli_main(*argv)
    return code, " ".join((out + err).split())


def _runs(store: Path, cli_main: CliMain) -> int:
    if not store.exists():
        return 0
    code, text = _cli(cli_main, "runs", "--store", str(store), "--json")
    assert code == 0, text
    import json

    return len(json.loads(text))


@pytest.mark.parametrize(
    ("argv", "option", "existing"),
    [
        (("report", "split-the-pie", "-o", "{out}/r.html", "-n", "50"), "--output", "r.html"),
        (
            ("report", "split-the-pie", "-o", "{out}/new.html", "--charts", "{out}", "-n", "50"),
            "--charts",
            "positions.svg",
        ),
        (("run", "split-the-pie", "--report", "{out}/r.html", "-n", "50"), "--output", "r.html"),
        (("tournament", LAPTOP, "-N", "boulware", "--chart", "{out}"), "--chart", "tournament.png"),
        (("history", "sma", "--chart", "{out}"), "--chart", "sma-contributions.svg"),
        (("replay", "us-rok-sma-11", "--chart", "{out}/x.png"), "--chart", "x.svg"),
        (("import-genius", LAPTOP, "-o", "{out}/laptop.yaml"), "--output", "laptop.yaml"),
    ],
    ids=["report-o", "report-charts", "run-report", "tournament", "history", "replay", "import"],
)
def test_an_existing_output_is_refused_before_anything_runs(
    argv: tuple[str, ...],
    option: str,
    existing: str,
    tmp_path: Path,
    cli_main: CliMain,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    kept = out / existing
    kept.write_text(OLD, encoding="utf-8")
    store = tmp_path / "runs.duckdb"
    args = [a.format(out=out) for a in argv]
    if args[0] in ("report", "run", "tournament"):
        args += ["--store", str(store)]
    code, text = _cli(cli_main, *args)
    assert code == 2, text
    assert option in text
    assert "already exists" in text
    assert "--overwrite" in text
    assert kept.read_text(encoding="utf-8") == OLD
    assert _runs(store, cli_main) == 0  # nothing computed, nothing stored


@pytest.mark.parametrize(
    ("argv", "written"),
    [
        (("history", "sma", "--chart", "{out}"), "sma-contributions.svg"),
        (("import-genius", LAPTOP, "-o", "{out}/laptop.yaml"), "laptop.yaml"),
    ],
    ids=["history", "import"],
)
def test_overwrite_replaces_the_file(
    argv: tuple[str, ...], written: str, tmp_path: Path, cli_main: CliMain
) -> None:
    (tmp_path / written).write_text(OLD, encoding="utf-8")
    code, text = _cli(cli_main, *[a.format(out=tmp_path) for a in argv], "--overwrite")
    assert code == 0, text
    assert (tmp_path / written).read_text(encoding="utf-8") != OLD


def test_a_folder_where_a_file_is_expected_is_refused(tmp_path: Path, cli_main: CliMain) -> None:
    code, text = _cli(cli_main, "import-genius", LAPTOP, "-o", str(tmp_path), "--overwrite")
    assert code == 2, text
    assert "is a folder" in text
    assert "--output" in text
