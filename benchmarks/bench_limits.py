"""Cost of `burdenshare analyze` at the documented limits: wall time and peak memory.

Cases (each a scenario file written to a temporary directory, run in its own child process):

1. ``categories-12000``: one categorical issue of 12,000 categories (about the most a 50,000-value
   file holds with two score tables), a reservation category for one party;
2. ``integer-1e12``: one integer issue of range [1, 10^12] (money in won as whole numbers), outside
   options 0.3 and -0.2;
3. ``integer-1e300``: one integer issue of range [0, 10^300] (about the largest finite range);
4. ``issues-20-continuous``: 20 continuous issues (the most a scenario may have);
5. ``issues-20-integer``: 20 integer issues of range [0, 1000] (about 10^60 outcomes).

The child runs ``burdenshare analyze FILE --json`` in-process (output discarded) and reports the
seconds spent in the command (imports excluded), its exit code and its peak resident memory,
``resource.getrusage(RUSAGE_SELF).ru_maxrss``; the parent also times the whole child process.
Timings are measured and printed, never asserted. Usage:
``.venv/bin/python benchmarks/bench_limits.py [--json PATH] [--cases NAME ...]``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROTOCOL = (
    "protocol: {first_mover: A, start: 2020-01-01, round_every_days: 30, deadline: 2020-06-30,"
    " breakdown_risk_per_round: 0.05}\n"
)


def _head(name: str, title: str) -> str:
    return f"id: {name}\ntitle: {title}\nas_of: 2020-01-01\n"


def categories(n: int = 12_000) -> str:
    cats = [f"c{k}" for k in range(n)]
    up = ", ".join(f"{c}: {k / (n - 1):.6f}" for k, c in enumerate(cats))
    down = ", ".join(f"{c}: {1 - k / (n - 1):.6f}" for k, c in enumerate(cats))
    return (
        _head("categories", f"{n:,} categories")
        + f"issues:\n  - {{id: pick, kind: categorical, values: [{', '.join(cats)}]}}\n"
        + "parties:\n"
        + f"  A: {{utility: {{pick: {{scores: {{{up}}}, reservation: c{n // 10}}}}}}}\n"
        + f"  B: {{utility: {{pick: {{scores: {{{down}}}}}}}}}\n"
        + PROTOCOL
    )


def integer_range(lo: int, hi: int, d_a: float = 0.3, d_b: float = -0.2) -> str:
    return (
        _head("integer-range", f"an integer issue of [{lo}, {hi:.3g}]")
        + f"issues: [{{id: won, kind: integer, range: [{lo}, {hi}]}}]\n"
        + "parties:\n"
        + f"  A: {{utility: {{won: {{prefers: higher, ideal: {hi}, reservation: {lo}}}}},"
        + f" outside_option: {d_a}}}\n"
        + f"  B: {{utility: {{won: {{prefers: lower, ideal: {lo}, reservation: {hi}}}}},"
        + f" outside_option: {d_b}}}\n"
        + PROTOCOL
    )


def many_issues(n: int = 20, kind: str = "continuous", high: int = 1000) -> str:
    issues = "\n".join(f"  - {{id: i{k}, kind: {kind}, range: [0, {high}]}}" for k in range(n))
    w = 1 / n
    a = ", ".join(f"i{k}: {{ideal: {high}, reservation: 0, weight: {w}}}" for k in range(n))
    # B's weights vary, so the issues trade at different rates (a frontier with corners)
    ws = [2 * (k + 1) / (n * (n + 1)) for k in range(n)]
    b = ", ".join(f"i{k}: {{ideal: 0, reservation: {high}, weight: {ws[k]!r}}}" for k in range(n))
    return (
        _head("many-issues", f"{n} {kind} issues")
        + f"issues:\n{issues}\n"
        + f"parties:\n  A: {{utility: {{{a}}}}}\n  B: {{utility: {{{b}}}}}\n"
        + PROTOCOL
    )


CASES = {
    "categories-12000": categories,
    "integer-1e12": lambda: integer_range(1, 10**12),
    "integer-1e300": lambda: integer_range(0, 10**300),
    "issues-20-continuous": lambda: many_issues(20, "continuous"),
    "issues-20-integer": lambda: many_issues(20, "integer"),
}


def child(path: str) -> dict[str, Any]:
    """Run ``analyze`` in this process; seconds, exit code and peak memory."""
    from burdenshare.cli import main

    sys.argv = ["burdenshare", "analyze", path, "--json"]
    start = time.perf_counter()
    code: int | str | None = 0
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            main()
        except SystemExit as exc:
            code = exc.code
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"seconds": seconds, "exit": code, "peak_mib": peak_kib / 1024}


def run_case(name: str, folder: Path, timeout: float) -> dict[str, Any]:
    path = folder / f"{name}.yaml"
    path.write_text(CASES[name](), encoding="utf-8")
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(path)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"case": name, "bytes": path.stat().st_size, "timeout": timeout}
    wall = time.perf_counter() - start
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    if proc.returncode != 0 or not lines:
        return {"case": name, "process_exit": proc.returncode, "stderr": proc.stderr[-2000:]}
    out = json.loads(lines[-1])
    return {"case": name, "bytes": path.stat().st_size, "process_seconds": wall, **out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--cases", nargs="*", choices=sorted(CASES), default=list(CASES))
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per case")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    sys.path.insert(0, str(HERE))
    from common import machine

    results = []
    with tempfile.TemporaryDirectory(prefix="bench-limits-") as tmp:
        for name in args.cases:
            row = run_case(name, Path(tmp), args.timeout)
            results.append(row)
            if "seconds" in row:
                print(
                    f"{name:22} exit {row['exit']}  analyze {row['seconds']:7.2f} s  "
                    f"process {row['process_seconds']:7.2f} s  peak {row['peak_mib']:7.0f} MiB"
                )
            else:
                print(f"{name:22} {row}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "cases": results}, indent=2))


if __name__ == "__main__":
    main()
