"""Issue 12's throughput targets, side by side in one run (benchmarks/README.md, section 9).

(a) every built-in negotiator of the registry (``burdenshare.negotiation.registry.NEGOTIATORS``,
    read at run time, so negotiators added later are measured too) in self-play and against
    ``boulware`` (the negotiator opens), on the benchmark game of ``common.scenario_yaml`` (one
    integer issue of 100 outcomes, 100 rounds), through ``burdenshare.engine.run_batch`` on every
    core; target at least 10^5 sessions/s each;
(b) ``boulware`` vs ``conceder`` on the same game, 2 M sessions; target at least 1.5 M/s;
(c) a Python plug-in negotiator (:class:`PluginLinear`, defined here: a linear concession in
    utility, accepting what meets its target) against ``boulware``, through ``run_batch`` (which
    runs it session by session) on one thread; target at least 2,000 sessions/s per core;
    also on the flagship (no draws) and on ``us-rok-sma-2021`` with its parameters drawn, as
    sessions per CPU second (``time.process_time``, one process, best of ``--repeats``).
    Measured side by side (main at 1c117c4 vs the lean session path of
    ``negotiation/session.py``, ``run_session(transcript=False)``), 2,000 sessions, best of 3,
    two alternating passes, loaded 2-core machine: flagship 930-935 -> 4,836-5,061 and
    us-rok-sma-2021 drawn 1,067-1,098 -> 3,709-3,714 sessions per CPU second (target met);
(d) the flagship scenario (``us-rok-sma-2019``, the README's ``make run``) as a 10^7-session
    ensemble end to end through the CLI (``burdenshare ensemble ... --json`` in a child process,
    a fresh run store): the child's wall time, from start to exit, and the run's own timing;
    target at least 1.2 M sessions/s. ``--baseline-src DIR`` also runs it with ``PYTHONPATH=DIR``
    (e.g. an export of the previous commit's ``src``), alternating, so before and after are
    measured in the same run.

Rates are the median over ``--repeats``; each batch is sized to take about ``--seconds`` (at least
``--min-sessions``), after one warm-up call whose time (numba's compile or cache load) is
reported apart. Timings are measured and reported, never asserted: nothing here is a test.

    .venv/bin/python benchmarks/bench_negotiators.py --json benchmarks/results/negotiators.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numba
import numpy as np
from common import fmt_rate, machine, scenario_yaml

from burdenshare.engine.batch import OUTCOMES, run_batch
from burdenshare.ensemble import draw, uncertain_parameters
from burdenshare.negotiation import NegotiationState, Negotiator, Response
from burdenshare.negotiation.registry import NEGOTIATORS
from burdenshare.preferences import Outcome
from burdenshare.scenario.io import load_scenario, parse_scenario_text
from burdenshare.scenario.library import bundled_path

FLAGSHIP = "us-rok-sma-2019"
TARGETS = {
    "builtin": 1e5,
    "boulware-conceder": 1.5e6,
    "plugin_per_core": 2e3,
    "flagship": 1.2e6,
}


class PluginLinear(Negotiator):
    """A user's plug-in as the how-to writes one: asks for utility 1 - t (t the protocol's
    relative time) and accepts an offer worth at least that; pure Python, so ``run_batch`` plays
    it session by session."""

    name: ClassVar[str] = "plugin-linear"

    def __init__(self) -> None:
        pass

    def propose(self, state: NegotiationState) -> Outcome:
        target = max(self.u_min(state.params), 1.0 - state.time)
        return state.params.utility.target_outcome(target)

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        target = max(self.u_min(state.params), 1.0 - state.time)
        ok = self.admissible(state.params, offer) and state.params.utility(offer) >= target
        return Response.ACCEPT if ok else Response.REJECT


def _game() -> Any:
    return parse_scenario_text(scenario_yaml(100), source="bench-one-issue.yaml").scenario


def _rate(
    scenario: Any,
    pair: Sequence[Any],
    a: argparse.Namespace,
    *,
    max_sessions: int,
    sessions: int | None = None,
) -> dict[str, Any]:
    """Median sessions/s of ``run_batch`` on ``pair``: batches of ``sessions``, or sized to take
    about ``a.seconds`` (at most ``max_sessions``)."""
    t0 = time.perf_counter()
    first = run_batch(scenario, list(pair), {}, seed=0, n=a.min_sessions)
    warm = time.perf_counter() - t0
    n = sessions or a.min_sessions
    while sessions is None:  # grow the batch until it takes a while, then size it
        t0 = time.perf_counter()
        run_batch(scenario, list(pair), {}, seed=1, n=n)
        seconds = max(time.perf_counter() - t0, 1e-9)
        if seconds >= a.seconds / 4 or n >= max_sessions:
            n = int(min(max_sessions, max(a.min_sessions, n * a.seconds / seconds)))
            break
        n = min(max_sessions, n * 8)
    rates: list[float] = []
    result = first
    for k in range(a.repeats):
        t0 = time.perf_counter()
        result = run_batch(scenario, list(pair), {}, seed=2 + k, n=n)
        rates.append(n / (time.perf_counter() - t0))
    codes, counts = np.unique(result.outcome, return_counts=True)
    return {
        "pair": [p if isinstance(p, str) else type(p).__name__ for p in pair],
        "compiled": bool(result.vectorised),
        "sessions": n,
        "repeats": a.repeats,
        "threads": numba.get_num_threads(),
        "warm_up_s": warm,
        "sessions_per_s": statistics.median(rates),
        "sessions_per_s_all": rates,
        "outcomes": {OUTCOMES[int(c)]: int(k) for c, k in zip(codes, counts, strict=True)},
        "mean_round": float(np.mean(result.round)),
    }


def _cli_ensemble(src: str | None, n: int, seed: int) -> dict[str, Any]:
    """``burdenshare ensemble FLAGSHIP -n n --seed seed --json`` in a child, fresh store."""
    cli = Path(sys.executable).parent / "burdenshare"
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = src
    env.pop("BURDENSHARE_PROGRESS", None)
    with tempfile.TemporaryDirectory(prefix="bench-ens-") as tmp:
        store = Path(tmp) / "runs.duckdb"
        args = [str(cli), "ensemble", FLAGSHIP, "-n", str(n), "--seed", str(seed)]
        out_path, err_path = Path(tmp) / "out.json", Path(tmp) / "err.txt"
        with out_path.open("w") as out, err_path.open("w") as err:
            t0 = time.perf_counter()
            proc = subprocess.Popen(
                [*args, "--store", str(store), "--json"], stdout=out, stderr=err, env=env
            )
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({code}): {err_path.read_text()[-2000:]}")
        data = json.loads(out_path.read_text())
        size = store.stat().st_size
    timings = data["run"]["timings"]
    return {
        "src": src or "(this environment)",
        "command": " ".join([*args, "--store", "TMP", "--json"]),
        "sessions": n,
        "process_wall_s": wall,
        "process_cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "sessions_per_s": n / wall,
        "run_wall_s": timings["wall_seconds"],
        "run_sessions_per_s": timings["sessions_per_second"],
        "store_mib": size / 2**20,
        "p_agreement": data["summary"]["p_agreement"],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=1.0, help="target seconds per batch")
    ap.add_argument("--min-sessions", type=int, default=200)
    ap.add_argument("--ensemble", type=int, default=10_000_000, help="flagship sessions")
    ap.add_argument("--ensemble-repeats", type=int, default=1)
    ap.add_argument("--baseline-src", default=None, help="also run (d) with PYTHONPATH=DIR")
    ap.add_argument("--skip-ensemble", action="store_true")
    ap.add_argument("--skip-batch", action="store_true", help="only (d)")
    ap.add_argument("--json", type=Path, default=None, help="also write every figure here")
    a = ap.parse_args()
    info = machine()
    info["loadavg_before"] = os.getloadavg()
    import burdenshare

    info["burdenshare"] = str(Path(burdenshare.__file__).parent)
    out: dict[str, Any] = {"machine": info, "targets": TARGETS}
    if not a.skip_batch:
        _batch_targets(a, out)
    if not a.skip_ensemble:
        _ensemble_target(a, out)
    info["loadavg_after"] = os.getloadavg()
    if a.json is not None:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(out, indent=2) + "\n")
    return 0


def _batch_targets(a: argparse.Namespace, out: dict[str, Any]) -> None:
    """(a), (b) and (c) of the module docstring, into ``out``."""
    game = _game()
    print(
        f"(a) every registered negotiator on the benchmark game ({numba.get_num_threads()} threads)"
    )
    print(f"{'pair':36} {'path':9} {'sessions/s':>12} {'sessions':>10} {'target':>7}")
    builtin: dict[str, dict[str, Any]] = {}
    for name in NEGOTIATORS:
        for pair in ((name, name), (name, "boulware")):
            key = f"{pair[0]} vs {pair[1]}"
            if key in builtin:
                continue
            r = _rate(game, pair, a, max_sessions=2_000_000)
            r["met"] = r["sessions_per_s"] >= TARGETS["builtin"]
            builtin[key] = r
            path = "compiled" if r["compiled"] else "sessions"
            print(
                f"{key:36} {path:9} {fmt_rate(r['sessions_per_s']):>12} {r['sessions']:>10,}"
                f" {'met' if r['met'] else 'NOT met':>7}",
                flush=True,
            )
    out["builtin"] = builtin

    r = _rate(game, ("boulware", "conceder"), a, max_sessions=2_000_000, sessions=2_000_000)
    r["met"] = r["sessions_per_s"] >= TARGETS["boulware-conceder"]
    out["boulware_conceder"] = r
    print(
        f"\n(b) boulware vs conceder, {r['sessions']:,} sessions: "
        f"{fmt_rate(r['sessions_per_s'])}/s ({'met' if r['met'] else 'NOT met'})"
    )

    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    r = _rate(game, (PluginLinear(), "boulware"), a, max_sessions=1_000_000)
    numba.set_num_threads(threads)
    r["met"] = r["sessions_per_s"] >= TARGETS["plugin_per_core"]
    out["plugin"] = r
    print(
        f"\n(c) Python plug-in vs boulware, one core: {fmt_rate(r['sessions_per_s'])}/s "
        f"({'met' if r['met'] else 'NOT met'})"
    )
    out["plugin_scenarios"] = {}
    for sid, drawn in ((FLAGSHIP, False), ("us-rok-sma-2021", True)):
        c = _plugin_cpu_rate(sid, drawn, a)
        c["met"] = c["sessions_per_cpu_s"] >= TARGETS["plugin_per_core"]
        out["plugin_scenarios"][sid] = c
        print(
            f"    on {sid}{' (drawn parameters)' if drawn else ''}: "
            f"{fmt_rate(c['sessions_per_cpu_s'])} sessions per CPU second "
            f"({'met' if c['met'] else 'NOT met'})",
            flush=True,
        )


def _plugin_cpu_rate(scenario_id: str, drawn: bool, a: argparse.Namespace) -> dict[str, Any]:
    """:class:`PluginLinear` vs ``boulware`` on a bundled scenario through ``run_batch``:
    sessions per CPU second of this process (best of ``a.repeats``), ``--min-sessions`` x 10."""
    scenario = load_scenario(bundled_path(scenario_id)).scenario
    n = 10 * a.min_sessions
    draws = draw(uncertain_parameters(scenario), n, seed=7) if drawn else {}
    run_batch(scenario, [PluginLinear(), "boulware"], draws, seed=3, n=n, stop=50)  # warm-up
    rates = []
    for k in range(a.repeats):
        t0 = time.process_time()
        run_batch(scenario, [PluginLinear(), "boulware"], draws, seed=3 + k, n=n)
        rates.append(n / max(time.process_time() - t0, 1e-9))
    return {"sessions": n, "drawn": drawn, "sessions_per_cpu_s": max(rates), "all": rates}


def _ensemble_target(a: argparse.Namespace, out: dict[str, Any]) -> None:
    """(d) of the module docstring, before and after alternating, into ``out``."""
    print(f"\n(d) {FLAGSHIP}, {a.ensemble:,} sessions through the CLI, end to end")
    runs: list[dict[str, Any]] = []
    for _ in range(a.ensemble_repeats):
        srcs = [None] if a.baseline_src is None else [a.baseline_src, None]
        for src in srcs:
            e = _cli_ensemble(src, a.ensemble, 1)
            e["baseline"] = src is not None
            e["met"] = e["sessions_per_s"] >= TARGETS["flagship"]
            runs.append(e)
            print(
                f"  {'before' if e['baseline'] else 'after ':6} {e['process_wall_s']:6.2f} s"
                f" = {fmt_rate(e['sessions_per_s'])}/s, {e['process_cpu_s']:.1f} CPU s, "
                f"{e['peak_rss_mib']:.0f} MiB (the run's own: "
                f"{fmt_rate(e['run_sessions_per_s'])}/s in {e['run_wall_s']:.2f} s; store "
                f"{e['store_mib']:.0f} MiB) {'met' if e['met'] else 'NOT met'}",
                flush=True,
            )
    out["flagship"] = runs
    for label, base in (("before", True), ("after", False)):
        walls = [e["process_wall_s"] for e in runs if e["baseline"] == base]
        if walls:
            best = a.ensemble / min(walls)
            print(
                f"  {label}: best {fmt_rate(best)}/s, median "
                f"{fmt_rate(a.ensemble / statistics.median(walls))}/s"
            )


if __name__ == "__main__":
    sys.exit(main())
