"""Analysis of a scenario with a non-linear party (``utility_rules``, hyper-rectangles).

Such a scenario is a finite two-party problem over discrete issues: its exact Pareto frontier
comes from :func:`burdenshare.solutions.rectangle_frontier.rectangle_frontier` (no enumeration of
the outcome space, which has 10^10 outcomes for the ANAC 2014 ``10issues`` domain), and the Nash,
Kalai-Smorodinsky, egalitarian and utilitarian points are picked among the frontier points with
the outside options as the disagreement point, exactly as given
(:func:`~burdenshare.solutions.outcome_space.frontier_solutions`). The opposition level
(Baarslag et al. 2013) normalises each party's utility by its exact minimum and maximum over the
whole space.

A party with an ordinary utility per issue may face a non-linear one: its additive utility is
the sum of one single-issue rule per value (issue ``j`` at value ``v`` is worth ``w_j u_j(v)``),
so both parties are handled by the same exact algorithm.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from burdenshare.errors import ScenarioError
from burdenshare.preferences.build import party_parameters
from burdenshare.preferences.issue_utility import CategoricalUtility, NumericUtility
from burdenshare.scenario.distributions import central
from burdenshare.scenario.io import LoadedScenario
from burdenshare.scenario.scenario import Scenario
from burdenshare.solutions.outcome_space import frontier_solutions, opposition_in_range
from burdenshare.solutions.rectangle_frontier import HyperRectangle, rectangle_frontier

__all__ = ["RulesAnalysis", "has_rules", "rules_analysis"]

#: the largest number of values an issue may have here
MAX_VALUES = 100_000

SOLUTION_LABELS: dict[str, tuple[str, str]] = {
    "nash": ("Nash bargaining solution", "Nash (1950), Econometrica 18:155-162"),
    "kalai_smorodinsky": (
        "Kalai-Smorodinsky solution",
        "Kalai & Smorodinsky (1975), Econometrica 43:513-518",
    ),
    "egalitarian": ("Egalitarian solution", "Kalai (1977), Econometrica 45:1623-1630"),
    "utilitarian": ("Utilitarian solution", "Harsanyi (1955); maximises the sum of utilities"),
}


def has_rules(scenario: Scenario) -> bool:
    """Whether a party of the scenario has a non-linear utility (``utility_rules``)."""
    return any(p.utility_rules is not None for p in scenario.parties.values())


def _values(scenario: Scenario) -> list[list[float | str]]:
    out: list[list[float | str]] = []
    for issue in scenario.issues:
        if issue.kind == "categorical":
            out.append(list(issue.values or ()))
            continue
        if issue.kind != "integer" or issue.range is None:
            raise ScenarioError(
                "a scenario with utility_rules needs discrete issues (integer or categorical)",
                field=f"issues.{issue.id}",
                value=issue.kind,
                expected="kind: integer or categorical",
            )
        lo, hi = int(issue.range[0]), int(issue.range[1])
        if hi - lo + 1 > MAX_VALUES:
            raise ScenarioError(
                "an integer issue has too many values to analyse",
                field=f"issues.{issue.id}.range",
                value=[lo, hi],
                expected=f"at most {MAX_VALUES:,} values",
            )
        out.append([float(v) for v in range(lo, hi + 1)])
    return out


def _party_rules(
    scenario: Scenario, name: str, values: list[list[float | str]]
) -> tuple[list[HyperRectangle], float]:
    spec = scenario.parties[name]
    pos = {issue.id: j for j, issue in enumerate(scenario.issues)}
    if spec.utility_rules is not None:
        rules = []
        for rule in spec.utility_rules.rules:
            bounds = []
            for iid, (lo, hi) in rule.ranges.items():
                j = pos[iid]
                low = float(values[j][0])
                bounds.append((j, int(lo - low), int(hi - low)))
            rules.append(HyperRectangle(rule.utility, tuple(bounds)))
        return rules, spec.utility_rules.scale
    util = party_parameters(scenario, name).utility
    rules = []
    for j, vals in enumerate(values):
        part, w = util.parts[j], util.weights[j]
        for k, v in enumerate(vals):
            if isinstance(part, CategoricalUtility):
                u = w * part(str(v))
            else:
                assert isinstance(part, NumericUtility)
                u = w * float(part(float(v)))
            if u != 0.0:
                rules.append(HyperRectangle(u, ((j, k, k),)))
    return rules, 1.0


@dataclass(frozen=True)
class RulesAnalysis:
    """What ``burdenshare analyze`` reports for a scenario with a non-linear party."""

    loaded: LoadedScenario
    result: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self.result


def rules_analysis(scenario: Scenario) -> dict[str, Any]:
    """Exact frontier, bargaining points, opposition and parties of a non-linear scenario."""
    values = _values(scenario)
    names = scenario.party_names
    built = [_party_rules(scenario, n, values) for n in names]
    res = rectangle_frontier(
        [len(v) for v in values], (built[0][0], built[1][0]), (built[0][1], built[1][1])
    )
    front = res.frontier
    d = tuple(central(scenario.parties[n].outside_option) for n in names)
    ids = scenario.issue_ids

    def outcome(idx: Any) -> dict[str, float | str]:
        return {iid: values[j][int(k)] for j, (iid, k) in enumerate(zip(ids, idx, strict=True))}

    points: list[dict[str, Any]] = [
        {
            "u1": float(front.u1[i]),
            "u2": float(front.u2[i]),
            "outcome": outcome(front.outcomes[i]),
            "count": int(front.counts[i]),
        }
        for i in range(len(front))
    ]
    solutions: dict[str, Any] = {}
    for key, entry in frontier_solutions(front, d).items():
        label, source = SOLUTION_LABELS[key]
        solutions[key] = {
            "concept": key,
            "label": label,
            "source": source,
            "agreement": entry is not None,
            "outcome": None if entry is None else outcome(entry["outcome"]),
            "utilities": None
            if entry is None
            else dict(zip(names, (entry["u1"], entry["u2"]), strict=True)),
            "count": None if entry is None else entry["count"],
        }
    rational = [p for p in points if p["u1"] >= d[0] and p["u2"] >= d[1]]
    parties = {}
    for k, n in enumerate(names):
        spec = scenario.parties[n]
        parties[n] = {
            "utility": "rules" if spec.utility_rules is not None else "additive",
            "rules": len(built[k][0]),
            "scale": built[k][1],
            "outside_option": d[k],
            "utility_range": [res.u_min[k], res.u_max[k]],
        }
    return {
        "parties": parties,
        "zopa": {
            "exists": bool(rational),
            "explanation": (
                f"{len(rational)} of {len(points)} Pareto-optimal utility vectors are worth at "
                "least the outside option to both parties"
            ),
        },
        "solutions": solutions,
        "pareto_frontier": {
            "method": "exact (hyper-rectangle value classes)",
            "n_outcomes": int(front.n_outcomes),
            "classes_per_issue": list(res.classes_per_issue),
            "points": points,
        },
        "opposition": {
            "value": opposition_in_range(front.u1, front.u2, res.u_min, res.u_max),
            "normalisation": "minmax",
            "method": "exact (whole outcome space)",
        },
        "hindsight": None,
    }
