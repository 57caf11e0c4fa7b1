"""The cost of every documented limit: each verb at each limit, as a user runs it.

Each case writes a scenario at one limit of docs/reference/scenario.md (categories, actors,
issues, rounds, events, the largest integer range, sessions) and runs one ``burdenshare`` verb on
it in a fresh child process (the installed console script, exactly as a user types it), with an
empty numba cache. Reported per case: wall time, the child's peak resident memory (``ru_maxrss``
from ``os.wait4``), its exit code, and whether it met the budget the docs state. Nothing here is a
test: budgets are measured and reported, met or not (issue 11, "Bounded resources for any input").

    .venv/bin/python benchmarks/bench_limits.py [--json benchmarks/results/limits.json]
    .venv/bin/python benchmarks/bench_limits.py --only categories  # cases whose name has it
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "burdenshare"
GiB = 1024**3

#: the budget every limit is held to unless a case says otherwise (docs/reference/scenario.md)
BUDGET_SECONDS = 10.0
BUDGET_BYTES = 1 * GiB
#: a case still running after this many times its budget is stopped (and reported as such)
KILL_AFTER = 5

HEAD = """\
id: limit
title: a scenario at a documented limit
as_of: 2020-01-01
"""
PROTOCOL = (
    "protocol: {first_mover: A, start: 2020-01-01, round_every_days: 1, "
    "deadline: 2020-01-%02d, breakdown_risk_per_round: 0.01}\n"
)


def categories(n: int) -> str:
    """One categorical issue with ``n`` categories, scored in opposite orders by the parties (A
    with a reservation category; about the most a 50,000-value file holds)."""
    values = ", ".join(f"c{i}" for i in range(n))
    a = ", ".join(f"c{i}: {i / (n - 1):.6f}" for i in range(n))
    b = ", ".join(f"c{i}: {1 - i / (n - 1):.6f}" for i in range(n))
    return (
        HEAD
        + f"issues: [{{id: pick, kind: categorical, values: [{values}]}}]\n"
        + "parties:\n"
        + f"  A: {{utility: {{pick: {{scores: {{{a}}}, reservation: c{n // 10}}}}}}}\n"
        + f"  B: {{utility: {{pick: {{scores: {{{b}}}}}}}}}\n"
        + PROTOCOL % 28
    )


def actors(n: int) -> str:
    """Two parties on one money issue and ``n`` actors spread over the range."""
    rows = "".join(
        f"  - {{id: a{i}, party: {'A' if i % 2 else 'B'}, position: {100 + (i * 7919) % 900}, "
        f"salience: {0.1 + (i % 9) / 10:.1f}, capability: {1 + (i * 31) % 97}}}\n"
        for i in range(n)
    )
    return (
        HEAD
        + "issues: [{id: x, unit: money, range: [100, 1000]}]\n"
        + "parties:\n"
        + "  A: {utility: {x: {prefers: higher, ideal: 1000, reservation: 300}}}\n"
        + "  B: {utility: {x: {prefers: lower, ideal: 100, reservation: 800}}}\n"
        + PROTOCOL % 28
        + "actors:\n"
        + rows
    )


def issues(
    n: int,
    *,
    integer_range: int = 1000,
    kinds: tuple[str, ...] = ("continuous", "integer", "categorical"),
) -> str:
    """``n`` issues of the given kinds in turn (integer ones ``0 .. integer_range``)."""
    lines, ua, ub = [], [], []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        w = 1.0 / n
        if kind == "categorical":
            lines.append(f"  - {{id: i{i}, kind: categorical, values: [lo, mid, hi]}}")
            ua.append(f"i{i}: {{scores: {{lo: 0, mid: 0.5, hi: 1}}, weight: {w}}}")
            ub.append(f"i{i}: {{scores: {{lo: 1, mid: 0.5, hi: 0}}, weight: {w}}}")
        else:
            top = integer_range if kind == "integer" else 100
            lines.append(f"  - {{id: i{i}, kind: {kind}, range: [0, {top}]}}")
            ua.append(f"i{i}: {{prefers: higher, ideal: {top}, reservation: 0, weight: {w}}}")
            ub.append(f"i{i}: {{prefers: lower, ideal: 0, reservation: {top}, weight: {w}}}")
    return (
        HEAD
        + "issues:\n"
        + "\n".join(lines)
        + "\nparties:\n"
        + "  A:\n    utility:\n"
        + "".join(f"      {u}\n" for u in ua)
        + "  B:\n    utility:\n"
        + "".join(f"      {u}\n" for u in ub)
        + PROTOCOL % 28
    )


def large_integer_range(top: int) -> str:
    """One integer issue ``1 .. top`` with the ideals at the two ends and outside options 0.3
    and -0.2 (so the frontier's ends lie inside the range, off any regular grid)."""
    return (
        HEAD
        + f"issues: [{{id: x, kind: integer, range: [1, {top}]}}]\n"
        + "parties:\n"
        + f"  A: {{utility: {{x: {{prefers: higher, ideal: {top}, reservation: 1}}}}, "
        + "outside_option: 0.3}\n"
        + f"  B: {{utility: {{x: {{prefers: lower, ideal: 1, reservation: {top}}}}}, "
        + "outside_option: -0.2}\n"
        + PROTOCOL % 28
    )


def rounds(n: int) -> str:
    """A one-issue game of ``n`` daily rounds with no zone (every session plays every round)."""
    import datetime as dt

    deadline = dt.date(2020, 1, 1) + dt.timedelta(days=n - 1)
    return (
        HEAD
        + "issues: [{id: x, range: [0, 100]}]\n"
        + "parties:\n"
        + "  A: {utility: {x: {prefers: higher, ideal: 100, reservation: 60}}}\n"
        + "  B: {utility: {x: {prefers: lower, ideal: 0, reservation: 40}}}\n"
        + "protocol: {first_mover: A, start: 2020-01-01, round_every_days: 1, "
        + f"deadline: {deadline.isoformat()}, breakdown_risk_per_round: 0}}\n"
    )


def events(n: int) -> str:
    """``n`` dated events, each moving a party's outside option, over a year of weekly rounds."""
    import datetime as dt

    start = dt.date(2020, 1, 1)
    rows = "".join(
        f"    - {{date: {(start + dt.timedelta(days=1 + i * 360 // n)).isoformat()}, "
        f"kind: cost, party: {'A' if i % 2 else 'B'}, "
        f"effects: {{outside_option: {-((i % 10) / 100):.2f}}}}}\n"
        for i in range(n)
    )
    return (
        HEAD
        + "issues: [{id: x, range: [0, 100]}]\n"
        + "parties:\n"
        + "  A: {utility: {x: {prefers: higher, ideal: 100, reservation: 30}}}\n"
        + "  B: {utility: {x: {prefers: lower, ideal: 0, reservation: 70}}}\n"
        + "protocol:\n  first_mover: A\n  start: 2020-01-01\n  round_every_days: 7\n"
        + "  deadline: 2020-12-30\n  breakdown_risk_per_round: 0.01\n  events:\n"
        + rows
    )


@dataclass(frozen=True)
class Case:
    """One verb at one limit."""

    name: str
    limit: str
    scenario: Callable[[], str] | None  # None: a bundled scenario in args
    args: tuple[str, ...]
    budget_seconds: float = BUDGET_SECONDS
    budget_bytes: int = BUDGET_BYTES


CASES: tuple[Case, ...] = (
    Case("categories-validate", "12,000 categories", lambda: categories(12_000), ("validate",)),
    Case("categories-analyze", "12,000 categories", lambda: categories(12_000), ("analyze",)),
    Case("categories-simulate", "12,000 categories", lambda: categories(12_000), ("simulate",)),
    Case(
        "categories-ensemble",
        "12,000 categories",
        lambda: categories(12_000),
        ("ensemble", "-n", "10000"),
        budget_seconds=60.0,
    ),
    Case("actors-forecast", "1,000 actors", lambda: actors(1000), ("forecast",)),
    Case("issues-analyze", "20 issues (mixed kinds)", lambda: issues(20), ("analyze",)),
    Case(
        "issues-continuous-analyze",
        "20 continuous issues",
        lambda: issues(20, kinds=("continuous",)),
        ("analyze",),
    ),
    Case(
        "issues-integer-analyze",
        "20 integer issues of [0, 1000] (10^60 outcomes)",
        lambda: issues(20, kinds=("integer",)),
        ("analyze",),
    ),
    Case("issues-simulate", "20 issues", lambda: issues(20), ("simulate",)),
    Case(
        "issues-numeric-ensemble",
        "20 issues (continuous and integer: the compiled engine)",
        lambda: issues(20, kinds=("continuous", "integer")),
        ("ensemble", "-n", "100000"),
    ),
    Case(
        "issues-mixed-ensemble",
        "20 issues (7 categorical: session by session)",
        lambda: issues(20),
        ("ensemble", "-n", "10000"),
        budget_seconds=60.0,
    ),
    Case(
        "integer-range-analyze",
        "integer range [1, 10^12]",
        lambda: large_integer_range(10**12),
        ("analyze",),
    ),
    Case(
        "integer-range-1e300-analyze",
        "integer range [1, 10^300]",
        lambda: large_integer_range(10**300),
        ("analyze",),
    ),
    Case(
        "integer-range-ensemble",
        "integer range [1, 10^12]",
        lambda: large_integer_range(10**12),
        ("ensemble", "-n", "100000"),
    ),
    Case("rounds-simulate", "10,000 rounds", lambda: rounds(10_000), ("simulate",)),
    Case(
        "rounds-ensemble",
        "10,000 rounds",
        lambda: rounds(10_000),
        ("ensemble", "-n", "10000"),
        budget_seconds=60.0,
    ),
    Case("events-analyze", "1,000 events", lambda: events(1000), ("analyze",)),
    Case("events-ensemble", "1,000 events", lambda: events(1000), ("ensemble", "-n", "100000")),
    Case(
        "sessions-ensemble",
        "10^7 sessions (flagship)",
        None,
        ("ensemble", "us-rok-sma-2019", "-n", "10000000"),
        budget_seconds=600.0,
        budget_bytes=2 * GiB,
    ),
)


def run_case(case: Case, tmp: Path) -> dict[str, Any]:
    args = list(case.args)
    if case.scenario is not None:
        path = tmp / f"{case.name}.yaml"
        path.write_text(case.scenario(), encoding="utf-8")
        args.insert(1, str(path))
    if args[0] == "ensemble":
        args += ["--store", str(tmp / f"{case.name}.duckdb")]
    env = dict(os.environ)
    env["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="numba-", dir=tmp)
    env.pop("BURDENSHARE_PROGRESS", None)
    errors = tmp / f"{case.name}.stderr"
    limit = KILL_AFTER * case.budget_seconds
    started = time.perf_counter()
    with errors.open("wb") as err:
        proc = subprocess.Popen(
            [str(CLI), *args, "--json"] if args[0] != "validate" else [str(CLI), *args],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
        )
        killed = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > limit:
                proc.kill()
                killed = True
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
    wall = time.perf_counter() - started
    lines = errors.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    code = os.waitstatus_to_exitcode(status)
    peak = int(usage.ru_maxrss) * 1024
    error = lines[-1][:300] if code and lines else None
    if killed:
        error = f"stopped after {limit:.0f} s ({KILL_AFTER} x its budget)"
    store = tmp / f"{case.name}.duckdb"
    store_bytes = store.stat().st_size if store.exists() else None
    return {
        "case": case.name,
        "limit": case.limit,
        "command": "burdenshare " + " ".join(case.args),
        "exit_code": code,
        "seconds": round(wall, 2),
        "peak_bytes": peak,
        "budget_seconds": case.budget_seconds,
        "budget_bytes": case.budget_bytes,
        "met": code == 0 and wall <= case.budget_seconds and peak <= case.budget_bytes,
        "error": error,
        "store_bytes": store_bytes,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--json", type=Path, help="write every figure here as JSON")
    ap.add_argument("--only", help="run only the cases whose name contains this")
    opts = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="burdenshare-limits-") as tmp:
        for case in CASES:
            if opts.only and opts.only not in case.name:
                continue
            row = run_case(case, Path(tmp))
            rows.append(row)
            print(
                f"{row['case']:26} {row['seconds']:8.2f} s {row['peak_bytes'] / 2**20:8.0f} MiB"
                f"  exit {row['exit_code']}  {'met' if row['met'] else 'NOT MET'}"
                + (f"  store {row['store_bytes'] / 2**20:.0f} MiB" if row["store_bytes"] else "")
                + (f"  {row['error']}" if row["error"] else ""),
                flush=True,
            )
    if opts.json:
        opts.json.parent.mkdir(parents=True, exist_ok=True)
        opts.json.write_text(
            json.dumps({"machine": machine(), "cases": rows}, indent=2) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
