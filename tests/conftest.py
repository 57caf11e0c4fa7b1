"""Shared test helpers: run several ``burdenshare`` commands at once, away from user data."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

CLI = Path(sys.executable).parent / "burdenshare"

#: what a CLI call gave: (return code, stdout, stderr)
Outcome = tuple[int, str, str]


@pytest.fixture(scope="module")
def run_cli_calls(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[Mapping[str, Sequence[str]]], dict[str, Outcome]]:
    """Run named CLI calls in parallel with a private run store and a scratch working folder
    (so reports that ``run`` writes, and runs it stores, never touch the repository or the
    user's data)."""
    work = tmp_path_factory.mktemp("cli")
    env = {k: v for k, v in os.environ.items() if k != "BURDENSHARE_DEBUG"}
    env["COLUMNS"] = "120"
    env["BURDENSHARE_STORE"] = str(work / "runs.duckdb")

    def run(calls: Mapping[str, Sequence[str]]) -> dict[str, Outcome]:
        procs = {
            key: subprocess.Popen(
                [str(CLI), *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                encoding="utf-8",
                env=env,
                cwd=work,
            )
            for key, args in calls.items()
        }
        out: dict[str, Outcome] = {}
        for key, proc in procs.items():
            stdout, stderr = proc.communicate(timeout=300)
            out[key] = (proc.returncode, stdout, stderr)
        return out

    return run


@pytest.fixture
def cli_main(
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., tuple[int, str, str]]:
    """Run ``burdenshare ARGS`` in-process through ``cli.main`` (the console script's entry
    point, errors mapped to exit codes); returns (exit code, stdout, stderr)."""
    from burdenshare.cli.app import main

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            main(list(argv))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
