"""Outcome-space benchmark: exact Pareto frontier and Nash point of GENIUS domains.

Times, in the project's environment,

1. AMPOvsCity (1,944,000 outcomes, linear-additive): the frontier by dynamic programming
   (``additive_frontier``) and by enumeration (``enumerated_frontier``), each followed by the
   Nash point over the frontier; both must give the same frontier;
2. a linear-additive space of 10^10 outcomes (ten issues of ten values, seeded random tables):
   the frontier by dynamic programming only;
3. the ANAC 2014 10issues domain (10^10 outcomes, hyper-rectangle profiles, not additive): the
   exact frontier, counts and utility ranges by the rule-state dynamic programme
   (``rectangle_frontier``), checked against the published ``pareto.xml``;
4. NegMAS 0.16's ``pareto_frontier`` on AMPOvsCity, in its own virtualenv, only if
   ``benchmarks/.venv-negmas/bin/python`` exists (killed after 60 s).

Timings are measured and printed, never asserted. Usage:
``.venv/bin/python benchmarks/bench_outcome_space.py [--json PATH] [--repeats N]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from burdenshare.solutions.additive_frontier import additive_frontier
from burdenshare.solutions.outcome_space import enumerated_frontier, frontier_solutions
from burdenshare.solutions.rectangle_frontier import (
    HyperRectangle,
    RectangleFrontier,
    rectangle_frontier,
)

HERE = Path(__file__).resolve().parent
GENIUS = HERE.parent / "tests" / "known_values" / "data" / "genius"
AMPO = GENIUS / "AMPOvsCity"
TEN = GENIUS / "10issues"
NEGMAS_PYTHON = HERE / ".venv-negmas" / "bin" / "python"

Tables = list[list[list[float]]]


def read_genius_additive(template: Path, profiles: list[Path]) -> Tables:
    """Minimal reader of a discrete linear-additive GENIUS domain (benchmark-local).

    ``tables[p][j][v] = weight_j * evaluation(v) / max evaluation of issue j``, values in the
    template's order; an item listed twice in a profile keeps its last evaluation.
    """
    issues = [
        (issue.get("index"), [item.get("value") for item in issue.findall("item")])
        for issue in ET.parse(template).getroot().iter("issue")
    ]
    tables: Tables = []
    for path in profiles:
        root = ET.parse(path).getroot()
        weights = {w.get("index"): float(w.get("value", "0")) for w in root.iter("weight")}
        by_index = {i.get("index"): i for i in root.iter("issue")}
        party = []
        for index, values in issues:
            evals = {
                item.get("value"): float(item.get("evaluation", "0"))
                for item in by_index[index].findall("item")
            }
            top = max(evals.values())
            party.append([weights[index] * evals[v] / top for v in values])
        tables.append(party)
    return tables


def read_genius_rectangles(profile: Path) -> tuple[list[int], list[HyperRectangle], float]:
    """Minimal reader of a GENIUS hyper-rectangle profile (benchmark-local).

    ``(sizes, rules, maxutility)``: integer issues in the objective's order; ``INCLUDES index``
    is the issue's 1-based ``index`` attribute, min/max are values (index = value - lowerbound).
    """
    root = ET.parse(profile).getroot()
    issues = list(root.iter("issue"))
    position = {issue.get("index"): j for j, issue in enumerate(issues)}
    lower = [int(issue.get("lowerbound", "0")) for issue in issues]
    sizes = [int(i.get("upperbound", "0")) - lo + 1 for i, lo in zip(issues, lower, strict=True)]
    rules = []
    for rect in root.iter("hyperRectangle"):
        bounds = []
        for inc in rect.findall("INCLUDES"):
            j = position[inc.get("index")]
            bounds.append(
                (j, int(inc.get("min", "0")) - lower[j], int(inc.get("max", "0")) - lower[j])
            )
        rules.append(HyperRectangle(float(rect.get("utility", "0")), tuple(bounds)))
    top = next(root.iter("utility")).get("maxutility", "1")
    return sizes, rules, float(top)


def ten_issues_frontier(repeats: int) -> dict[str, Any]:
    """Time ``rectangle_frontier`` on 10issues and compare with its ``pareto.xml``."""
    sizes, rules1, max1 = read_genius_rectangles(TEN / "profile-1.xml")
    _, rules2, max2 = read_genius_rectangles(TEN / "profile-2.xml")
    seconds, res = timed(lambda: rectangle_frontier(sizes, (rules1, rules2), (max1, max2)), repeats)
    assert isinstance(res, RectangleFrontier)
    lines = (TEN / "pareto.xml").read_text().splitlines()
    published = sorted(tuple(float(x) for x in line.split(",")) for line in lines if line.strip())
    front = res.frontier
    same = len(published) == len(front) and all(
        abs(p1 - u1) < 1e-6 and abs(p2 - u2) < 1e-6
        for (p1, p2), u1, u2 in zip(published, front.u1, front.u2, strict=True)
    )
    return {
        "tenissues_outcomes": front.n_outcomes,
        "tenissues_pareto_points": len(front),
        "tenissues_pareto_outcomes": int(front.counts.sum()),
        "tenissues_class_combinations": res.n_class_combinations,
        "tenissues_dp_states": res.n_states,
        "tenissues_frontier_s": seconds,
        "tenissues_equals_pareto_xml": same,
    }


def timed(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


NEGMAS_SCRIPT = """
import time, warnings, json
warnings.filterwarnings("ignore")
from negmas.inout import Scenario
from negmas.preferences import pareto_frontier
s = Scenario.from_genius_folder({folder!r}, ignore_discount=True, safe_parsing=False)
t = time.perf_counter()
front, _ = pareto_frontier(s.ufuns, issues=s.outcome_space.issues)
print(json.dumps({{"seconds": time.perf_counter() - t, "points": len(front)}}))
"""


def negmas_frontier(folder: Path) -> dict[str, Any]:
    if not NEGMAS_PYTHON.exists():
        return {"skipped": "no benchmarks/.venv-negmas"}
    try:
        out = subprocess.run(
            [str(NEGMAS_PYTHON), "-c", NEGMAS_SCRIPT.format(folder=str(folder))],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return {"skipped": "over 60 s"}
    except subprocess.CalledProcessError as err:
        return {"failed": err.stderr.strip().splitlines()[-1:]}
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--repeats", type=int, default=5, help="median of this many runs")
    parser.add_argument("--skip-negmas", action="store_true")
    args = parser.parse_args()

    tables = read_genius_additive(
        AMPO / "ampo_vs_city_template.xml",
        [AMPO / "ampo_vs_city_ampo_space.xml", AMPO / "ampo_vs_city_city_space.xml"],
    )
    d = (0.0, 0.0)

    def dp_and_nash() -> Any:
        front = additive_frontier(tables)
        return front, frontier_solutions(front, d)["nash"]

    def enum_and_nash() -> Any:
        front = enumerated_frontier(tables)
        return front, frontier_solutions(front, d)["nash"]

    additive_frontier(tables)  # warm imports and caches before timing
    t_dp, (front_dp, nash_dp) = timed(dp_and_nash, args.repeats)
    t_enum, (front_enum, nash_enum) = timed(enum_and_nash, max(1, args.repeats // 2))
    same = (
        front_dp.u1.tolist() == front_enum.u1.tolist()
        and front_dp.u2.tolist() == front_enum.u2.tolist()
        and front_dp.counts.tolist() == front_enum.counts.tolist()
        and (nash_dp["u1"], nash_dp["u2"]) == (nash_enum["u1"], nash_enum["u2"])
    )

    rng = np.random.default_rng(2026)
    big: Tables = [[list(rng.random(10) * w) for w in rng.dirichlet(np.ones(10))] for _ in "ab"]
    t_big, front_big = timed(lambda: additive_frontier(big), args.repeats)
    ten = ten_issues_frontier(args.repeats)

    negmas = {"skipped": "--skip-negmas"} if args.skip_negmas else negmas_frontier(AMPO)
    figures = {
        "ampo_outcomes": front_dp.n_outcomes,
        "ampo_pareto_points": len(front_dp),
        "ampo_pareto_outcomes": int(front_dp.counts.sum()),
        "ampo_nash": nash_dp,
        "ampo_dp_plus_nash_s": t_dp,
        "ampo_enumeration_plus_nash_s": t_enum,
        "ampo_dp_equals_enumeration": same,
        "random_1e10_outcomes": front_big.n_outcomes,
        "random_1e10_pareto_points": len(front_big),
        "random_1e10_dp_s": t_big,
        **ten,
        "negmas_ampo_frontier": negmas,
    }
    for key, value in figures.items():
        print(f"{key:32s} {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
