"""The burdenshare side of the benchmarks: run in the project's environment, print one JSON line.

``throughput`` times :func:`burdenshare.engine.batch.run_batch` on ``--sessions`` sessions of a
scenario (the game of :func:`common.scenario_yaml` unless ``--scenario`` names a library
scenario), after a first, compiling call that is timed separately; ``--reference`` also times
the one-session protocol :func:`burdenshare.negotiation.run_session` on a few sessions.
``memory`` runs an ensemble of ``--sessions`` sessions in chunks, with draws from
:func:`burdenshare.ensemble.draw`, and reports this process's peak resident set size
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``).

Run it through ``bench_negmas.py`` / ``bench_engine.py``, which start it as a child process with
an empty numba cache (a cold compile) and a given number of threads.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numba
import numpy as np
from common import scenario_yaml


def _rss_mib() -> float:
    """Peak RSS of this process so far, in MiB (Linux reports ``ru_maxrss`` in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _current_rss_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("nan")


def _scenario(a: argparse.Namespace) -> Any:
    from burdenshare.scenario.io import load_scenario, parse_scenario_text

    if a.scenario:
        lib = Path(__file__).resolve().parents[1] / "src/burdenshare/scenario/library"
        path = Path(a.scenario)
        if not path.exists():
            path = lib / f"{a.scenario}.yaml"
        return load_scenario(path).scenario
    return parse_scenario_text(
        scenario_yaml(
            a.rounds,
            outside_option=a.outside_option,
            reservation_a=a.reservation_a,
            reservation_b=a.reservation_b,
            parties=a.parties,
            protocol=a.protocol,
        )
    ).scenario


def _negotiators(a: argparse.Namespace) -> list[Any]:
    from burdenshare.negotiation import TimeDependent

    out: list[Any] = []
    for spec in a.negotiators.split(","):
        try:
            out.append(TimeDependent(float(spec)))
        except ValueError:
            out.append(spec)  # a registered name: "boulware", "conceder", "hardliner", ...
    return out


def _draws(scenario: Any, n: int, seed: int, start: int, stop: int) -> dict[str, Any]:
    from burdenshare.ensemble import draw, uncertain_parameters

    params = uncertain_parameters(scenario)
    return draw(params, n, seed=seed, start=start, stop=stop) if params else {}


def throughput(a: argparse.Namespace) -> dict[str, Any]:
    from burdenshare.engine.batch import OUTCOMES, run_batch
    from burdenshare.negotiation import make_negotiator, run_session

    numba.set_num_threads(a.threads)
    scenario = _scenario(a)
    negs = _negotiators(a)
    n = a.sessions
    t0 = time.perf_counter()
    first = run_batch(scenario, negs, _draws(scenario, 1000, 0, 0, 1000), seed=0, n=1000)
    compile_s = time.perf_counter() - t0
    if not first.vectorised:
        raise SystemExit("this pair/scenario does not run in the compiled kernel")
    t0 = time.perf_counter()
    draws = _draws(scenario, n, a.seed, 0, n)
    draw_s = time.perf_counter() - t0
    rates, times = [], []
    result = None
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        result = run_batch(scenario, negs, draws, seed=a.seed, n=n)
        dt = time.perf_counter() - t0
        times.append(dt)
        rates.append(n / dt)
    assert result is not None
    codes, counts = np.unique(result.outcome, return_counts=True)
    x0 = scenario.issue_ids[0]
    out: dict[str, Any] = {
        "side": "burdenshare",
        "scenario": scenario.id,
        "n_rounds": len(scenario.protocol.round_dates()),
        "negotiators": [repr(make_negotiator(g) if isinstance(g, str) else g) for g in negs],
        "threads": numba.get_num_threads(),
        "numba": numba.__version__,
        "numpy": np.__version__,
        "sessions": n,
        "repeats": a.repeats,
        "first_call_s": compile_s,
        "draw_s": draw_s,
        "uncertain": list(draws),
        "sessions_per_s": statistics.median(rates),
        "sessions_per_s_all": rates,
        "seconds_all": times,
        "outcomes": {OUTCOMES[int(c)]: int(k) for c, k in zip(codes, counts, strict=True)},
        "mean_round": float(result.round.mean()),
        "rounds_played": int(result.round.sum()),
        "agreement": float(result.values[x0][0]),
        "round": int(result.round[0]),
        "outcome": OUTCOMES[int(result.outcome[0])],
        "all_identical": bool(
            np.all(result.outcome == result.outcome[0])
            and np.all(result.round == result.round[0])
            and np.array_equal(result.values[x0], np.full(n, result.values[x0][0]), equal_nan=True)
        ),
        "peak_rss_mib": _rss_mib(),
    }
    if a.reference:
        names = scenario.party_names
        pair = [make_negotiator(g) if isinstance(g, str) else g for g in negs]
        one = run_session(scenario, {names[0]: pair[0].clone(), names[1]: pair[1].clone()}, seed=0)
        t0 = time.perf_counter()
        for i in range(a.reference):
            run_session(scenario, {names[0]: pair[0].clone(), names[1]: pair[1].clone()}, seed=i)
        out["reference_sessions_per_s"] = a.reference / (time.perf_counter() - t0)
        out["reference_sessions"] = a.reference
        out["reference_agreement"] = None if one.agreement is None else one.agreement[x0]
        out["reference_round"] = one.round
        out["reference_offers"] = [
            (o.round, o.proposer, o.outcome[x0]) for o in one.transcript.offers
        ]
    return out


def memory(a: argparse.Namespace) -> dict[str, Any]:
    from burdenshare.engine.batch import run_batch

    numba.set_num_threads(a.threads)
    scenario = _scenario(a)
    negs = _negotiators(a)
    n, chunk = a.sessions, a.chunk
    # compile on a small batch first, then note the RSS of the warmed-up process
    run_batch(scenario, negs, _draws(scenario, 1000, 0, 0, 1000), seed=0, n=1000)
    base_peak, base_now = _rss_mib(), _current_rss_mib()
    kept: dict[str, list[Any]] = {}
    agreed = 0
    rounds = 0
    t0 = time.perf_counter()
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        draws = _draws(scenario, n, a.seed, start, stop)
        r = run_batch(scenario, negs, draws, seed=a.seed, n=n, start=start, stop=stop)
        agreed += int(r.agreed.sum())
        rounds += int(r.round.sum())
        if a.keep:
            # everything a BatchResult holds, per session, for the whole ensemble
            arrays = {"outcome": r.outcome, "round": r.round, "after_deadline": r.after_deadline}
            arrays |= {f"values.{k}": v for k, v in r.values.items()}
            arrays |= {f"utilities.{k}": v for k, v in r.utilities.items()}
            arrays |= {f"discounted.{k}": v for k, v in r.discounted.items()}
            arrays |= {f"draws.{k}": v for k, v in draws.items()}
            for k, v in arrays.items():
                kept.setdefault(k, []).append(v)
        del r, draws
    whole = {k: np.concatenate(v) for k, v in kept.items()}
    kept.clear()
    elapsed = time.perf_counter() - t0
    kept_bytes = sum(v.nbytes for v in whole.values())
    return {
        "side": "burdenshare",
        "mode": "keep" if a.keep else "aggregate",
        "scenario": scenario.id,
        "n_rounds": len(scenario.protocol.round_dates()),
        "sessions": n,
        "chunk": chunk,
        "threads": numba.get_num_threads(),
        "seconds": elapsed,
        "sessions_per_s": n / elapsed,
        "agreement_rate": agreed / n,
        "mean_round": rounds / n,
        "kept_mib": kept_bytes / 2**20,
        "kept_bytes_per_session": kept_bytes / n,
        "baseline_peak_rss_mib": base_peak,
        "baseline_rss_mib": base_now,
        "peak_rss_mib": _rss_mib(),
    }


def ensemble(a: argparse.Namespace) -> dict[str, Any]:
    """The whole ensemble path: ``run_ensemble`` into a fresh run store, in this process."""
    import tempfile

    from burdenshare.backends import LocalBackend
    from burdenshare.ensemble.run import run_ensemble
    from burdenshare.scenario.io import load_scenario
    from burdenshare.store import RunStore

    numba.set_num_threads(a.threads)
    lib = Path(__file__).resolve().parents[1] / "src/burdenshare/scenario/library"
    path = Path(a.scenario) if Path(a.scenario).exists() else lib / f"{a.scenario}.yaml"
    loaded = load_scenario(path)
    negs = tuple(a.negotiators.split(","))
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        store_path = Path(tmp) / "runs.duckdb"
        store = RunStore(store_path)
        # compile (and create the store's tables) on a small run first
        run_ensemble(loaded, n=1000, seed=0, negotiators=negs, store=store)
        base_peak, base_now = _rss_mib(), _current_rss_mib()
        size0 = store_path.stat().st_size
        t0 = time.perf_counter()
        result = run_ensemble(
            loaded,
            n=a.sessions,
            seed=a.seed,
            negotiators=negs,
            chunk_size=a.chunk,
            store=store,
            backend=LocalBackend(a.workers),
        )
        elapsed = time.perf_counter() - t0
        peak = _rss_mib()
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
        close = getattr(store, "close", None)
        if close is not None:
            close()
        size = store_path.stat().st_size
        wal = sum(p.stat().st_size for p in Path(tmp).iterdir() if p != store_path)
    summary = result.summary
    return {
        "side": "burdenshare",
        "mode": "run_ensemble",
        "scenario": loaded.scenario.id,
        "n_rounds": len(loaded.scenario.protocol.round_dates()),
        "negotiators": list(negs),
        "sessions": a.sessions,
        "chunk": a.chunk,
        "workers": a.workers,
        "threads": numba.get_num_threads(),
        "seconds": elapsed,
        "sessions_per_s": a.sessions / elapsed,
        "summary_keys": sorted(summary)[:20],
        "store_mib": (size - size0) / 2**20,
        "store_other_files_mib": wal / 2**20,
        "baseline_peak_rss_mib": base_peak,
        "baseline_rss_mib": base_now,
        "peak_rss_mib": peak,
        "children_peak_rss_mib": children,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("what", choices=["throughput", "memory", "ensemble"])
    ap.add_argument("--scenario", default="", help="a library scenario id or a path")
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--outside-option", type=float, default=0.0)
    ap.add_argument("--reservation-a", default="0")
    ap.add_argument("--reservation-b", default=None)
    ap.add_argument("--parties", type=int, default=2, help="parties C, D, ... copy B (issue 14)")
    ap.add_argument("--protocol", default="", help='e.g. "kind: single_text"')
    ap.add_argument(
        "--negotiators",
        default="0.25,4",
        help="two comma-separated TimeDependent exponents or registered names",
    )
    ap.add_argument("--sessions", type=int, default=2_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=numba.config.NUMBA_NUM_THREADS)
    ap.add_argument("--seed", type=int, default=20191119)
    ap.add_argument("--reference", type=int, default=0, help="also time N run_session calls")
    ap.add_argument("--chunk", type=int, default=1_000_000)
    ap.add_argument("--keep", action="store_true", help="memory: keep every per-session array")
    ap.add_argument("--workers", type=int, default=0, help="ensemble: LocalBackend workers")
    a = ap.parse_args()
    out = {"throughput": throughput, "memory": memory, "ensemble": ensemble}[a.what](a)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
