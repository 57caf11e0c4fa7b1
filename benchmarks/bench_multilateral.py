"""Issue 14: the engine on 3- and 5-party games beside the bilateral one, in one run.

The game is :func:`common.scenario_yaml` with ``parties`` parties: one integer issue with 100
outcomes, 100 rounds, A (``boulware``, opens) wants it high, B and every further party (copies
of B, ``conceder``) want it low. Two versions: ``agree`` (outside options 0: every session
agrees, in round 63) and ``full-100-rounds`` (outside options 0.6: no deal is acceptable, every
session plays all 100 rounds, the worst case per session). Each game is played

- bilaterally (A and B: the bilateral kernel, unanimous alternating offers), and
- with 3 and 5 parties (the N-party path) under stacked alternating offers with unanimity and
  with a simple majority, and under the single negotiating text with unanimity (every party
  answers every round). A majority of B's copies settles early, so the majority rows measure
  a shorter game (see the mean round); the unanimity rows play the same rounds as the
  bilateral game.

Each case runs ``run_batch`` on ``--sessions`` sessions in its own child process
(``burdenshare_side.py throughput``, empty numba cache, compile timed apart), median of
``--repeats``; the ratios are each case's sessions/s over the bilateral game's in the same run.
Issue 14's targets: a 3-party game at no less than 1/2, a 5-party game at no less than 1/4 of
the bilateral sessions/s. Timings are reported, never asserted.

    .venv/bin/python benchmarks/bench_multilateral.py [--json benchmarks/results/multilateral.json]
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

#: issue 14: sessions/s of a P-party game at least this share of the bilateral game's
TARGETS = {3: 0.5, 5: 0.25}
GAMES = {"agree": "0", "full-100-rounds": "0.6"}
PROTOCOLS = {
    "stacked, unanimity": "",
    "stacked, majority": "decision_rule: majority",
    "single text, unanimity": "kind: single_text",
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sessions", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", type=Path, default=None, help="also write every figure here")
    a = ap.parse_args()
    info = machine()
    info["loadavg_before"] = os.getloadavg()
    out: dict[str, Any] = {"machine": info, "cases": {}, "targets": TARGETS}
    print(
        f"run_batch, {a.sessions:,} sessions of a 100-round game, median of {a.repeats}, "
        f"{a.threads} threads"
    )
    print(
        f"{'game':16} {'parties':>7} {'protocol':22} {'sessions/s':>11} {'x bilateral':>11} "
        f"{'target':>7} {'mean round':>10} {'compile s':>9}"
    )
    verdicts = []
    for game, outside in GAMES.items():
        cases = [(2, "bilateral", "")] + [
            (p, name, proto) for p in TARGETS for name, proto in PROTOCOLS.items()
        ]
        base = None
        for parties, name, proto in cases:
            negs = ",".join(["boulware"] + ["conceder"] * (parties - 1))
            r = run_child(
                sys.executable,
                "burdenshare_side.py",
                [
                    "throughput",
                    "--negotiators",
                    negs,
                    "--outside-option",
                    outside,
                    "--parties",
                    str(parties),
                    "--protocol",
                    proto,
                    "--sessions",
                    str(a.sessions),
                    "--repeats",
                    str(a.repeats),
                    "--threads",
                    str(a.threads),
                ],
            )
            rate = r["sessions_per_s"]
            base = rate if base is None else base
            ratio = rate / base
            target = TARGETS.get(parties)
            met = None if target is None else ratio >= target
            r.update(ratio=ratio, target=target, met=met, protocol=name, parties=parties)
            out["cases"][f"{game}/{parties}/{name}"] = r
            if met is not None:
                verdicts.append(met)
            shown = "" if target is None else f"{target:g} {'met' if met else 'NOT met'}"
            print(
                f"{game:16} {parties:>7} {name:22} {fmt_rate(rate):>11} {ratio:>11.2f} "
                f"{shown:>7} {r['mean_round']:>10.1f} {r['first_call_s']:>9.1f}"
            )
    info["loadavg_after"] = os.getloadavg()
    print(f"\ntargets (3 parties >= 1/2, 5 parties >= 1/4): {sum(verdicts)} of {len(verdicts)} met")
    print(f"load average before/after: {info['loadavg_before']} / {info['loadavg_after']}")
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
