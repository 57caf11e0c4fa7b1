"""Side by side: complete bilateral sessions per second, NegMAS 0.16 vs the burdenshare engine.

One invocation runs both sides on the same machine, one after the other, each in a child process:

- NegMAS in ``benchmarks/.venv-negmas`` (``negmas_side.py``): ``SAOMechanism(n_steps=100)``,
  one issue with 100 outcomes, ``BoulwareTBNegotiator`` (A, opens) vs ``ConcederTBNegotiator``.
- burdenshare in this environment (``burdenshare_side.py``): ``run_batch`` on the same game
  (``common.scenario_yaml``: integer issue 0..99, A prefers high, B low, linear, 100 rounds, no
  breakdown risk, discount 1) with ``TimeDependent(0.25)`` vs ``TimeDependent(4)``, the exponents
  that give NegMAS's aspiration curves ``1 - t**4`` and ``1 - t**0.25``; with every core and
  with one thread; plus the one-session reference path ``run_session``.

It first checks that both sides reach the same agreement (exit status 1 if not), then prints a
table with the ratio. README.md explains what is identical and what differs.

    .venv/bin/python benchmarks/bench_negmas.py [--json benchmarks/results/negmas.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    BS_BOULWARE_E,
    BS_CONCEDER_E,
    NEGMAS_PYTHON,
    fmt_rate,
    machine,
    run_child,
)

TARGET_RATIO = 10_000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--negmas-sessions", type=int, default=200, help="NegMAS sessions per repeat")
    ap.add_argument("--negmas-repeats", type=int, default=5)
    ap.add_argument("--sessions", type=int, default=2_000_000, help="burdenshare batch size")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--reference", type=int, default=200, help="run_session calls to time")
    ap.add_argument("--json", type=Path, default=None, help="also write every figure here")
    a = ap.parse_args()
    if not NEGMAS_PYTHON.exists():
        print(
            f"{NEGMAS_PYTHON} not found; create it with\n"
            "  python3 -m venv benchmarks/.venv-negmas && "
            "benchmarks/.venv-negmas/bin/pip install -r benchmarks/requirements-negmas.txt\n"
            "(or `make -C benchmarks negmas-venv`)",
            file=sys.stderr,
        )
        return 2

    info = machine()
    info["loadavg_before"] = os.getloadavg()
    pair = f"{BS_BOULWARE_E:g},{BS_CONCEDER_E:g}"
    print("NegMAS side ...", file=sys.stderr)
    nm = run_child(
        NEGMAS_PYTHON,
        "negmas_side.py",
        ["--sessions", str(a.negmas_sessions), "--repeats", str(a.negmas_repeats)],
    )
    print("burdenshare side ...", file=sys.stderr)
    common_args = ["throughput", "--negotiators", pair, "--repeats", str(a.repeats)]
    bs_all = run_child(
        sys.executable,
        "burdenshare_side.py",
        [*common_args, "--sessions", str(a.sessions), "--reference", str(a.reference)],
    )
    bs_one = run_child(
        sys.executable,
        "burdenshare_side.py",
        [*common_args, "--sessions", str(a.sessions), "--threads", "1"],
    )
    # 200 rounds = NegMAS's 200 offer slots (two offers per step): the same number of offers
    bs_200 = run_child(
        sys.executable,
        "burdenshare_side.py",
        [*common_args, "--rounds", "200", "--sessions", str(a.sessions)],
    )
    info["loadavg_after"] = os.getloadavg()

    same = (
        nm["agreement"] is not None
        and bs_all["outcome"] == "agreement"
        and bs_all["agreement"] == nm["agreement"]
        and bs_all["all_identical"]
        and bs_one["agreement"] == nm["agreement"]
        and bs_all["reference_agreement"] == nm["agreement"]
    )
    base = nm["sessions_per_s"]
    rows = [
        (
            f"NegMAS {nm['negmas']} SAOMechanism, build + run()",
            nm["sessions_per_s"],
            nm["agreement"],
            f"step {nm['step']}, {nm['n_offers']} offers",
        ),
        (
            f"NegMAS {nm['negmas']} SAOMechanism, run() alone",
            nm["run_only_sessions_per_s"],
            nm["agreement"],
            f"step {nm['step']}, {nm['n_offers']} offers",
        ),
        (
            f"burdenshare run_batch, {bs_all['threads']} threads",
            bs_all["sessions_per_s"],
            bs_all["agreement"],
            f"round {bs_all['round']}, {bs_all['round']} offers",
        ),
        (
            "burdenshare run_batch, 1 thread",
            bs_one["sessions_per_s"],
            bs_one["agreement"],
            f"round {bs_one['round']}, {bs_one['round']} offers",
        ),
        (
            "burdenshare run_session (reference path)",
            bs_all["reference_sessions_per_s"],
            bs_all["reference_agreement"],
            f"round {bs_all['reference_round']}, {bs_all['reference_round']} offers",
        ),
        (
            f"burdenshare run_batch, 200 rounds, {bs_200['threads']} threads *",
            bs_200["sessions_per_s"],
            bs_200["agreement"],
            f"round {bs_200['round']}, {bs_200['round']} offers",
        ),
    ]
    print()
    print(
        f"One issue, 100 outcomes, Boulware (A, opens) vs Conceder, 100 steps/rounds; "
        f"{info['nproc']} x {info['cpu']}, {info['date']}"
    )
    print(f"{'':48} {'sessions/s':>14} {'x NegMAS':>10} {'agreement':>9}  ends")
    for name, rate, agreement, ends in rows:
        ratio = rate / base
        agreed = "-" if agreement is None else f"x={agreement:g}"
        print(f"{name:48} {fmt_rate(rate):>14} {fmt_rate(ratio):>10} {agreed:>9}  {ends}")
    ratio = bs_all["sessions_per_s"] / base
    print()
    print(
        f"same agreement: {'yes' if same else 'NO'} (NegMAS x={nm['agreement']} in step "
        f"{nm['step']}; burdenshare x={bs_all['agreement']:g} in round {bs_all['round']})"
    )
    print(
        f"engine / NegMAS: {ratio:,.0f}x with {bs_all['threads']} threads, "
        f"{bs_one['sessions_per_s'] / base:,.0f}x with 1 thread "
        f"(target >= {TARGET_RATIO:,}x: {'met' if ratio >= TARGET_RATIO else 'NOT met'})"
    )
    print(
        "numba first call (cold compile, run_batch on 1,000 sessions): "
        f"{bs_all['first_call_s']:.1f} s"
    )
    print(
        "* 200 rounds gives burdenshare as many offer slots as NegMAS's 100 steps "
        "(two offers a step); it ends on a different deal, see README.md"
    )
    print(f"load average before/after: {info['loadavg_before']} / {info['loadavg_after']}")
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        nm_short = {k: v for k, v in nm.items() if k != "offers"}
        nm_short["last_offers"] = nm["offers"][-6:]
        bs_short = {k: v for k, v in bs_all.items() if k != "reference_offers"}
        bs_short["last_offers"] = bs_all["reference_offers"][-6:]
        payload = {
            "machine": info,
            "same_agreement": same,
            "ratio_all_threads": ratio,
            "ratio_one_thread": bs_one["sessions_per_s"] / base,
            "negmas": nm_short,
            "burdenshare": bs_short,
            "burdenshare_one_thread": bs_one,
            "burdenshare_200_rounds": bs_200,
        }
        a.json.write_text(json.dumps(payload, indent=2) + "\n")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
