"""Engine throughput (sessions per second) and the peak memory of a 10-million-session ensemble.

Every measurement runs in its own child process (``burdenshare_side.py``) with an empty numba
cache, so compile time is cold and reported apart, and peak memory is that child's own
``ru_maxrss``.

Throughput: ``run_batch`` on ``--sessions`` sessions of 100-round games (``common.scenario_yaml``)
with the built-in time-dependent negotiators, on every core and on one thread:

- ``boulware-conceder``: the built-in ``boulware`` (e = 0.2) vs ``conceder`` (e = 5); every
  session agrees at the same round;
- ``full-100-rounds``: the same pair with outside options 0.6 on both sides, so no deal is
  acceptable to both and every session plays all 100 rounds (the worst case per session);
- ``uncertain``: reservations drawn per session (A's uniform on [0, 60], B's on [40, 99]) with
  ``burdenshare.ensemble.draw``, so sessions differ; drawing is timed apart.

Memory: 10 million sessions of the flagship scenario ``us-rok-sma-2019`` (15 rounds, three
uncertain numbers, 5% breakdown risk per round), ``boulware`` vs ``conceder``:

- ``run_ensemble``: the whole ensemble path, ``burdenshare.ensemble.run.run_ensemble`` into a
  fresh run store (DuckDB file in a temporary directory), in-process backend, default chunks;
- ``engine-aggregate``: ``draw`` + ``run_batch`` in chunks of 1M, keeping counts only;
- ``engine-keep``: the same, keeping every per-session array of every chunk in memory.

    .venv/bin/python benchmarks/bench_engine.py [--json benchmarks/results/engine.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import fmt_rate, machine, run_child

TARGET_SESSIONS_PER_S = 2_000_000
FLAGSHIP = "us-rok-sma-2019"

THROUGHPUT_CASES: dict[str, list[str]] = {
    "boulware-conceder": ["--negotiators", "boulware,conceder"],
    "full-100-rounds": ["--negotiators", "boulware,conceder", "--outside-option", "0.6"],
    "uncertain": [
        "--negotiators",
        "boulware,conceder",
        "--reservation-a",
        "{uniform: [0, 60]}",
        "--reservation-b",
        "{uniform: [40, 99]}",
    ],
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sessions", type=int, default=2_000_000, help="batch size for throughput")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--ensemble", type=int, default=10_000_000, help="sessions for memory")
    ap.add_argument("--chunk", type=int, default=1_000_000, help="engine chunk for memory")
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--json", type=Path, default=None, help="also write every figure here")
    a = ap.parse_args()
    info = machine()
    info["loadavg_before"] = os.getloadavg()
    out: dict[str, Any] = {"machine": info, "throughput": {}, "memory": {}}
    nproc = str(os.cpu_count() or 1)

    if not a.skip_throughput:
        print(
            f"\nThroughput: run_batch, {a.sessions:,} sessions of a 100-round game, "
            f"median of {a.repeats}"
        )
        print(
            f"{'case':20} {'threads':>7} {'sessions/s':>12} {'rounds/s':>14} {'mean round':>10}"
            f" {'outcomes':30} {'compile s':>9}"
        )
        for case, extra in THROUGHPUT_CASES.items():
            for threads in (nproc, "1"):
                r = run_child(
                    sys.executable,
                    "burdenshare_side.py",
                    [
                        "throughput",
                        *extra,
                        "--sessions",
                        str(a.sessions),
                        "--repeats",
                        str(a.repeats),
                        "--threads",
                        threads,
                    ],
                )
                r["rounds_per_s"] = r["sessions_per_s"] * r["mean_round"]
                out["throughput"][f"{case}/{threads}"] = r
                outcomes = ", ".join(
                    f"{k} {v / r['sessions']:.0%}" for k, v in r["outcomes"].items()
                )
                print(
                    f"{case:20} {r['threads']:>7} {fmt_rate(r['sessions_per_s']):>12} "
                    f"{fmt_rate(r['rounds_per_s']):>14} {r['mean_round']:>10.1f} {outcomes:30} "
                    f"{r['first_call_s']:>9.1f}"
                )
        best = out["throughput"][f"full-100-rounds/{nproc}"]["sessions_per_s"]
        print(
            f"target >= {TARGET_SESSIONS_PER_S:,} 100-round sessions/s on {nproc} cores: "
            f"{fmt_rate(best)} for full 100-round sessions "
            f"({'met' if best >= TARGET_SESSIONS_PER_S else 'NOT met'})"
        )

    if not a.skip_memory:
        print(f"\nPeak memory: {a.ensemble:,} sessions of {FLAGSHIP}, boulware vs conceder")
        print(
            f"{'path':18} {'peak RSS MiB':>12} {'after warm-up':>13} {'kept MiB':>9} "
            f"{'store MiB':>9} {'seconds':>8} {'sessions/s':>11}"
        )
        runs = {
            "run_ensemble": ["ensemble"],
            "engine-aggregate": ["memory", "--chunk", str(a.chunk)],
            "engine-keep": ["memory", "--chunk", str(a.chunk), "--keep"],
        }
        for name, args in runs.items():
            r = run_child(
                sys.executable,
                "burdenshare_side.py",
                [
                    *args,
                    "--scenario",
                    FLAGSHIP,
                    "--negotiators",
                    "boulware,conceder",
                    "--sessions",
                    str(a.ensemble),
                ],
            )
            out["memory"][name] = r
            print(
                f"{name:18} {r['peak_rss_mib']:>12,.0f} {r['baseline_peak_rss_mib']:>13,.0f} "
                f"{r.get('kept_mib', 0.0):>9,.0f} {r.get('store_mib', 0.0):>9,.0f} "
                f"{r['seconds']:>8.1f} {fmt_rate(r['sessions_per_s']):>11}"
            )
    info["loadavg_after"] = os.getloadavg()
    print(f"\nload average before/after: {info['loadavg_before']} / {info['loadavg_after']}")
    print(
        f"{info['nproc']} x {info['cpu']}; Python {info['python']}, numpy {info['numpy']}, "
        f"numba {info['numba']}; {info['date']}"
    )
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
