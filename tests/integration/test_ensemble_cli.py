"""The ensemble from the command line: the flagship at a million sessions, JSON keys, precision,
and the kill-and-resume contract (a real process killed mid-run; the resumed run's totals equal an
uninterrupted run's, nothing lost or counted twice)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).parent / "burdenshare")


def _run(
    *args: str, store: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, *args, "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def _without_timings(d: dict) -> dict:  # type: ignore[type-arg]
    return {k: v for k, v in d.items() if k not in ("timings",)}


def test_flagship_million_sessions(tmp_path: Path) -> None:
    out = _run(
        "ensemble", "us-rok-sma-2019", "-n", "1000000", "--json", store=tmp_path / "s.duckdb"
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    s = data["summary"]
    assert s["n_sessions"] == 1_000_000
    for key in (
        "p_agreement",
        "p_agreement_by_deadline",
        "p_agreement_by_date",
        "outcomes",
        "failure_causes",
        "settlement",
        "time_to_agreement",
    ):
        assert key in s
    total = sum(v["count"] for v in s["outcomes"].values())
    assert total == 1_000_000
    assert 0 <= s["p_agreement"]["se"] < 0.001
    q = s["settlement"]["contribution"]["quantiles"]["0.5"]
    assert set(q["money"]) == {"KRW", "USD"}
    assert data["run"]["status"] == "finished"
    listed = _run("runs", "--json", store=tmp_path / "s.duckdb")
    assert json.loads(listed.stdout)["runs"][0]["id"] == data["run"]["id"]


def test_precision_stops_early_at_a_chunk_boundary(tmp_path: Path) -> None:
    out = _run(
        "ensemble",
        "us-rok-sma-2021",
        "-n",
        "2000000",
        "--chunk-size",
        "20000",
        "--precision",
        "0.004",
        "--json",
        store=tmp_path / "s.duckdb",
    )
    assert out.returncode == 0, out.stderr
    s = json.loads(out.stdout)["summary"]
    assert s["stopped_by_precision"]
    assert s["n_sessions"] % 20000 == 0
    assert s["n_sessions"] < 2_000_000
    assert s["p_agreement"]["se"] <= 0.004


@pytest.mark.parametrize(
    "bad",
    [
        ["-n", "0"],
        ["--method", "sobol"],
        ["--precision", "2"],
        ["-N", "nobody"],
        ["--backend", "mars"],
        ["--correlate", "junk"],
        ["--correlate", "a,b,0.5"],
        [
            "--correlate",
            "parties.US.utility.contribution.reservation,"
            "parties.ROK.utility.contribution.reservation,1.5",
        ],
    ],
)
def test_bad_ensemble_options_exit_2_and_store_nothing(tmp_path: Path, bad: list[str]) -> None:
    store = tmp_path / "s.duckdb"
    out = _run("ensemble", "us-rok-sma-2019", *bad, store=store)
    assert out.returncode == 2, (bad, out.stdout, out.stderr)
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith("error:")
    listed = _run("runs", "--json", store=store)
    assert json.loads(listed.stdout)["runs"] == []


def test_kill_and_resume_matches_an_uninterrupted_run(tmp_path: Path) -> None:
    args = [
        "ensemble",
        "us-rok-sma-2019",
        "-n",
        "600000",
        "--chunk-size",
        "20000",
        "--seed",
        "5",
        "--json",
    ]
    ref = _run(*args, store=tmp_path / "ref.duckdb")
    assert ref.returncode == 0, ref.stderr
    reference = json.loads(ref.stdout)

    store = tmp_path / "killed.duckdb"
    proc = subprocess.Popen(
        [CLI, *args, "--store", str(store)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "BURDENSHARE_PROGRESS": "plain"},
    )
    assert proc.stderr is not None
    seen = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if line.startswith("progress "):
            seen = int(line.split()[1])
            if seen >= 5 * 20000:  # several chunks are stored: kill it mid-run
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert 0 < seen < 600000

    listed = json.loads(_run("runs", "--json", store=store).stdout)["runs"]
    assert len(listed) == 1
    run = listed[0]
    assert run["status"] == "running"  # killed: it never got to say otherwise
    assert 0 < run["n_sessions_done"] < 600000
    assert run["n_sessions_done"] % 20000 == 0

    resumed = _run("ensemble", "--resume", run["id"], "--json", store=store)
    assert resumed.returncode == 0, resumed.stderr
    again = json.loads(resumed.stdout)
    assert again["run"]["n_sessions_done"] == 600000
    assert again["run"]["chunks_done"] == 30
    assert again["summary"] == reference["summary"]


def test_ctrl_c_exits_130_marks_the_run_interrupted_and_resumes_exactly(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT) while chunks compute and the writer thread records them: exit 130, the
    run is marked interrupted with whole chunks only, and resuming gives the uninterrupted
    run's summary (issue 12: store writes overlapped with compute)."""
    args = ["ensemble", "us-rok-sma-2019", "-n", "400000", "--chunk-size", "20000", "--seed", "9"]
    ref = _run(*args, "--json", store=tmp_path / "ref.duckdb")
    assert ref.returncode == 0, ref.stderr
    store = tmp_path / "s.duckdb"
    proc = subprocess.Popen(
        [CLI, *args, "--json", "--store", str(store)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "BURDENSHARE_PROGRESS": "plain"},
        # a shell running the suite in the background ignores SIGINT for its children: undo that
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if line.startswith("progress ") and int(line.split()[1]) >= 3 * 20000:
            break
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    (run,) = json.loads(_run("runs", "--json", store=store).stdout)["runs"]
    assert run["status"] == "interrupted"
    assert 0 < run["n_sessions_done"] < 400000
    assert run["n_sessions_done"] % 20000 == 0
    resumed = _run("ensemble", "--resume", run["id"], "--json", store=store)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["summary"] == json.loads(ref.stdout)["summary"]
