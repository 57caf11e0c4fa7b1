"""The NegMAS side of ``bench_negmas.py``: run in ``benchmarks/.venv-negmas``, print one JSON line.

A separate program on purpose: NegMAS is AGPL-3.0, so burdenshare never imports it; this script
only calls NegMAS's public API (nothing of NegMAS is copied here) and imports nothing from
burdenshare.

The game: one issue with ``--outcomes`` integer values ``0 .. outcomes-1``; A's utility
``x / (outcomes-1)``, B's ``1 - x / (outcomes-1)`` (linear, reserved value 0);
``BoulwareTBNegotiator`` (A, joins first, so it opens) against ``ConcederTBNegotiator`` (B);
``SAOMechanism(n_steps=--steps)`` with no time limit. A *complete session* is timed from building
the mechanism, utility functions and negotiators to the end of ``run()``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
import warnings


def build(outcomes: int, steps: int):  # type: ignore[no-untyped-def]
    from negmas import SAOMechanism, make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import AffineFun
    from negmas.sao import BoulwareTBNegotiator, ConcederTBNegotiator

    top = outcomes - 1
    m = SAOMechanism(issues=[make_issue(outcomes, "x")], n_steps=steps)
    os_ = m.outcome_space
    ua = LinearAdditiveUtilityFunction(
        values=[AffineFun(1.0 / top, 0.0)], outcome_space=os_, reserved_value=0.0
    )
    ub = LinearAdditiveUtilityFunction(
        values=[AffineFun(-1.0 / top, 1.0)], outcome_space=os_, reserved_value=0.0
    )
    m.add(BoulwareTBNegotiator(name="A"), ufun=ua)
    m.add(ConcederTBNegotiator(name="B"), ufun=ub)
    return m


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--outcomes", type=int, default=100)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--sessions", type=int, default=200, help="sessions per repeat")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=20)
    a = ap.parse_args()
    warnings.filterwarnings("ignore")

    import negmas

    # the reference session: its agreement and trace (not timed)
    m = build(a.outcomes, a.steps)
    state = m.run()
    trace = [(int(step), str(who), int(o[0])) for step, who, o in m.extended_trace]
    names = {n.id: n.name for n in m.negotiators}
    offers = [(step + 1, names.get(who, who), x) for step, who, x in trace]

    for _ in range(a.warmup):
        build(a.outcomes, a.steps).run()

    total_rates, run_rates = [], []
    for _ in range(a.repeats):
        run_time = 0.0
        t0 = time.perf_counter()
        for _ in range(a.sessions):
            mech = build(a.outcomes, a.steps)
            t1 = time.perf_counter()
            s = mech.run()
            run_time += time.perf_counter() - t1
            if s.agreement != state.agreement:
                raise SystemExit(f"NegMAS is not deterministic here: {s.agreement}")
        total = time.perf_counter() - t0
        total_rates.append(a.sessions / total)
        run_rates.append(a.sessions / run_time)

    import numpy

    print(
        json.dumps(
            {
                "side": "negmas",
                "negmas": negmas.__version__,
                "python": platform.python_version(),
                "numpy": numpy.__version__,
                "agreement": None if state.agreement is None else int(state.agreement[0]),
                # the 1-based step in which the session ended (NegMAS's state.step after the run)
                "step": int(state.step),
                "relative_time": float(state.relative_time),
                "timedout": bool(state.timedout),
                "broken": bool(state.broken),
                "n_offers": len(offers),
                "offers": offers,  # (1-based step, proposer, x)
                "sessions": a.sessions,
                "repeats": a.repeats,
                "sessions_per_s": statistics.median(total_rates),
                "sessions_per_s_all": total_rates,
                "run_only_sessions_per_s": statistics.median(run_rates),
            }
        )
    )


if __name__ == "__main__":
    main()
