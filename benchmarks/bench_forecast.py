"""Forecast benchmark: every registered forecast model on 100, 300 and 1,000 actors.

1,000 actors is the documented maximum of a scenario (``docs/reference/scenario.md``, limits).
For each model of :data:`burdenshare.forecasting.registry.FORECASTERS` and each size, a fresh
child process (this script with ``--child``) writes a seeded scenario file (the reference
``EXAMPLE`` plus ``n`` actors on ``contribution``: positions uniform on the issue's range,
saliences in [0.1, 1], capabilities in [0.1, 10]) and runs what ``burdenshare forecast FILE
--model MODEL`` runs, :func:`burdenshare.services.forecast`, from loading the file to the
forecast. The child reports

* ``seconds``: loading plus forecasting, inside the process (imports excluded);
* ``wall_s``: the whole child, from start to exit (interpreter, imports, numba compile);
* ``peak_rss_mib``: the child's own ``resource.getrusage(RUSAGE_SELF).ru_maxrss``.

Each (model, size) runs twice in one empty numba cache: the first run compiles (cold), the
second loads the compiled code from the cache (warm, as every later ``burdenshare`` process).
A child is killed after ``--timeout`` seconds and limited to ``--memory-cap-gib`` of address space
(``RLIMIT_AS``), so a model that would take the machine's memory fails instead; such runs are
recorded with their status (``timeout``, ``failed``). ``blend`` is not run: it needs fitting on
past cases and ``forecast`` leaves it out.

Timings are measured and printed, never asserted. Usage:
``.venv/bin/python benchmarks/bench_forecast.py [--json PATH] [--sizes 100 300 1000]
[--models bdm ...] [--timeout S] [--memory-cap-gib G]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import machine  # noqa: E402

SIZES = (100, 300, 1000)


def scenario_text(n: int, seed: int) -> str:
    """The reference EXAMPLE scenario with ``n`` seeded actors on its first issue."""
    import numpy as np

    from burdenshare.scenario.io import EXAMPLE

    rng = np.random.default_rng(seed)
    position = rng.uniform(900.0, 6500.0, n).round(1)
    salience = rng.uniform(0.1, 1.0, n).round(3)
    capability = rng.uniform(0.1, 10.0, n).round(3)
    rows = [
        f"  - {{id: a{k}, position: {position[k]}, salience: {salience[k]}, "
        f"capability: {capability[k]}}}"
        for k in range(n)
    ]
    return EXAMPLE + "actors:\n" + "\n".join(rows) + "\n"


def child(model: str, n: int, seed: int, cap_gib: float) -> dict[str, Any]:
    """Run one model on ``n`` actors in this process; the figures as a dict."""
    if cap_gib > 0:
        cap = int(cap_gib * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    from burdenshare import services

    with tempfile.TemporaryDirectory(prefix="bench-forecast-") as tmp:
        path = Path(tmp) / f"actors-{n}.yaml"
        path.write_text(scenario_text(n, seed), encoding="utf-8")
        start = time.perf_counter()
        result = services.forecast(path, models=[model])
        seconds = time.perf_counter() - start
    (row,) = result["forecasts"]
    return {
        "model": model,
        "actors": n,
        "seconds": seconds,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "outcome": row["outcome"],
        "rounds": row["rounds"],
    }


def run_one(
    model: str, n: int, seed: int, cache: str, timeout: float, cap_gib: float
) -> dict[str, Any]:
    """One child process; its figures, or its status when it timed out or failed."""
    env = dict(os.environ, NUMBA_CACHE_DIR=cache)
    args = [sys.executable, str(Path(__file__).resolve()), "--child", model, str(n)]
    args += ["--seed", str(seed), "--memory-cap-gib", str(cap_gib)]
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            args, capture_output=True, text=True, env=env, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"model": model, "actors": n, "status": "timeout", "wall_s": timeout}
    wall = time.perf_counter() - start
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    if proc.returncode != 0 or not lines:
        last = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
        return {"model": model, "actors": n, "status": "failed", "wall_s": wall, "error": last}
    out = dict(json.loads(lines[-1]))
    out.update(status="ok", wall_s=wall)
    return out


def _fmt(r: dict[str, Any] | None) -> str:
    if r is None:
        return "-"
    if r["status"] != "ok":
        return f"{r['status']} ({r['wall_s']:.0f} s)"
    return f"{r['seconds']:.2f} s / {r['peak_rss_mib']:,.0f} MiB"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    ap.add_argument("--models", nargs="+", default=None, help="default: every registered model")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per child")
    ap.add_argument(
        "--memory-cap-gib", type=float, default=8.0, help="address-space cap per child (0: none)"
    )
    ap.add_argument("--json", type=Path, default=None, help="also write every figure here")
    ap.add_argument("--child", nargs=2, metavar=("MODEL", "N"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(child(a.child[0], int(a.child[1]), a.seed, a.memory_cap_gib)))
        return 0

    from burdenshare.forecasting.registry import FORECASTERS

    models = a.models or [m for m in FORECASTERS if m != "blend"]
    runs: list[dict[str, Any]] = []
    for model in models:
        for n in a.sizes:
            with tempfile.TemporaryDirectory(prefix="bench-numba-") as cache:
                cold = run_one(model, n, a.seed, cache, a.timeout, a.memory_cap_gib)
                cold["cache"] = "cold"
                runs.append(cold)
                warm = None
                if cold["status"] == "ok":
                    warm = run_one(model, n, a.seed, cache, a.timeout, a.memory_cap_gib)
                    warm["cache"] = "warm"
                    runs.append(warm)
            print(f"{model:>18} {n:>5} actors: cold {_fmt(cold)}, warm {_fmt(warm)}", flush=True)

    print()
    print("| model | " + " | ".join(f"{n:,} actors (s / peak RSS)" for n in a.sizes) + " |")
    print("|---|" + "---:|" * len(a.sizes))
    for model in models:
        cells = []
        for n in a.sizes:
            found = [r for r in runs if r["model"] == model and r["actors"] == n]
            best = next((r for r in found if r.get("cache") == "warm"), found[0])
            cells.append(_fmt(best))
        print(f"| `{model}` | " + " | ".join(cells) + " |")
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        facts = machine() | {"loadavg_after": os.getloadavg()}
        a.json.write_text(json.dumps({"machine": facts, "runs": runs}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
