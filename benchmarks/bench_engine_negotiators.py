"""Engine throughput per pair of built-in negotiators (issue 12, item 6), sessions per second.

``run_batch`` on ``--sessions`` sessions of the benchmark game (``common.scenario_yaml``: one
integer issue with 100 outcomes, 100 rounds, fixed parameters) for every ordered pair of the
built-in negotiators, on every core, median of ``--repeats``; and ``boulware`` vs ``conceder`` on
``--big`` sessions. Targets (issue 12): every pair at least 10^5 sessions/s on 2 cores; boulware
vs conceder at least 1.5 M.

``--uncertain`` adds the pairs of the Nash seeker and the Rubinstein player against ``conceder``
with both reservations drawn per session (A's uniform on [0, 60], B's on [40, 99]): they solve
their proposal once per distinct set of parameters (in Python), here once per session.

Everything runs in one child process with an empty numba cache (compile time reported apart).

    .venv/bin/python benchmarks/bench_engine_negotiators.py \\
        [--json benchmarks/results/engine_negotiators.json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import fmt_rate, machine, run_child, scenario_yaml

NEGOTIATORS = ("boulware", "conceder", "hardliner", "linear", "nash", "rubinstein", "tit-for-tat")
TARGET_PAIR = 100_000
TARGET_BOULWARE_CONCEDER = 1_500_000


def _measure(a: argparse.Namespace, scenario: Any, pair: list[str], n: int, draws: Any) -> Any:
    import numpy as np

    from burdenshare.engine.batch import OUTCOMES, run_batch

    rates = []
    result = None
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        result = run_batch(scenario, pair, draws, seed=a.seed, n=n)
        rates.append(n / (time.perf_counter() - t0))
    assert result is not None
    codes, counts = np.unique(result.outcome, return_counts=True)
    return {
        "pair": pair,
        "sessions": n,
        "vectorised": result.vectorised,
        "sessions_per_s": statistics.median(rates),
        "sessions_per_s_all": rates,
        "mean_round": float(result.round.mean()),
        "outcomes": {OUTCOMES[int(c)]: int(k) for c, k in zip(codes, counts, strict=True)},
    }


def child(a: argparse.Namespace) -> dict[str, Any]:
    import numba

    from burdenshare.engine.batch import run_batch
    from burdenshare.ensemble import draw, uncertain_parameters
    from burdenshare.scenario.io import parse_scenario_text

    scenario = parse_scenario_text(scenario_yaml()).scenario
    out: dict[str, Any] = {"threads": numba.get_num_threads(), "pairs": {}, "compile_s": {}}
    for pair in (["boulware", "conceder"], ["tit-for-tat", "nash"]):
        t0 = time.perf_counter()
        run_batch(scenario, pair, {}, seed=0, n=1000)
        out["compile_s"]["/".join(pair)] = time.perf_counter() - t0
    for pair in itertools.product(NEGOTIATORS, repeat=2):
        r = _measure(a, scenario, list(pair), a.sessions, {})
        out["pairs"][" vs ".join(pair)] = r
        print(json.dumps(r), file=sys.stderr, flush=True)
    out["boulware_conceder_big"] = _measure(a, scenario, ["boulware", "conceder"], a.big, {})
    if a.uncertain:
        drawn = parse_scenario_text(
            scenario_yaml(reservation_a="{uniform: [0, 60]}", reservation_b="{uniform: [40, 99]}")
        ).scenario
        draws = draw(uncertain_parameters(drawn), a.uncertain, seed=a.seed)
        out["uncertain"] = {}
        for pair in (["nash", "conceder"], ["rubinstein", "conceder"], ["tit-for-tat", "conceder"]):
            r = _measure(a, drawn, pair, a.uncertain, draws)
            out["uncertain"][" vs ".join(pair)] = r
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sessions", type=int, default=200_000, help="sessions per pair")
    ap.add_argument("--big", type=int, default=2_000_000, help="sessions, boulware vs conceder")
    ap.add_argument("--uncertain", type=int, default=20_000, help="0 to skip the drawn case")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, default=None, help="also write every figure here")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(child(a)))
        return 0
    info = machine()
    info["loadavg_before"] = os.getloadavg()
    args = [
        "--child",
        *("--sessions", str(a.sessions), "--big", str(a.big), "--uncertain", str(a.uncertain)),
        *("--repeats", str(a.repeats), "--seed", str(a.seed)),
    ]
    r = run_child(sys.executable, Path(__file__).name, args)
    info["loadavg_after"] = os.getloadavg()
    print(f"run_batch, benchmark game (100 rounds), {r['threads']} threads, median of {a.repeats}")
    print(f"compile (cold, s): {r['compile_s']}")
    print(f"{'pair':28} {'sessions/s':>12} {'mean round':>10} {'kernel':>6}  outcomes")
    worst = None
    for name, p in r["pairs"].items():
        rate = p["sessions_per_s"]
        worst = rate if worst is None else min(worst, rate)
        print(
            f"{name:28} {fmt_rate(rate):>12} {p['mean_round']:>10.1f} {p['vectorised']!s:>6}  "
            f"{p['outcomes']}"
        )
    big = r["boulware_conceder_big"]["sessions_per_s"]
    print(
        f"every pair >= {TARGET_PAIR:,}/s: slowest {fmt_rate(worst or 0.0)} "
        f"({'met' if (worst or 0) >= TARGET_PAIR else 'NOT met'})"
    )
    print(
        f"boulware vs conceder, {a.big:,} sessions: {fmt_rate(big)}/s, target "
        f"{TARGET_BOULWARE_CONCEDER:,} ({'met' if big >= TARGET_BOULWARE_CONCEDER else 'NOT met'})"
    )
    for name, p in r.get("uncertain", {}).items():
        print(f"drawn reservations, {name}: {fmt_rate(p['sessions_per_s'])}/s")
    print(f"load average before/after: {info['loadavg_before']} / {info['loadavg_after']}")
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps({"machine": info, **r}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
