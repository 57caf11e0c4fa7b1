"""The analysis of a scenario with three or more parties: its zone of agreement (under
unanimity and under the protocol's decision rule), its Pareto set and every N-party solution,
each mapped back to issue values.

The grid of :func:`~burdenshare.analysis.problem.bargaining_problem` is scored by every party;
the solutions are the best grid outcomes of :mod:`burdenshare.solutions.nparty` (no
interpolation between grid outcomes, so they are exact to the grid's spacing). What is
bilateral by nature (Rubinstein's alternating offers, the deadline and breakdown-risk games,
patience as bargaining power) is left out, with a note saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from burdenshare.analysis.frontier_points import utility_tables
from burdenshare.analysis.problem import BargainingProblem
from burdenshare.analysis.records import SolutionResult, ZopaResult, issue_span_dict
from burdenshare.analysis.zopa import describe_zone, issue_span, issue_zones
from burdenshare.solutions.nparty import (
    egalitarian_point,
    extreme_points,
    kalai_smorodinsky_level,
    kalai_smorodinsky_point,
    nash_point,
    pareto_set,
    utilitarian_point,
    zone_mask,
)

__all__ = [
    "BILATERAL_ONLY",
    "MultilateralZone",
    "bargaining_powers",
    "multilateral_opposition",
    "multilateral_solutions",
    "multilateral_zone",
    "multilateral_zopa",
    "omitted_concepts",
    "pareto_entries",
]

#: the concepts that need exactly two parties, left out of an N-party analysis
BILATERAL_ONLY = ("nash_patience", "rubinstein", "deadline", "breakdown_risk")

#: what the N-party Kalai-Smorodinsky point is, said once (Roth 1979)
_KS_NOTE = (
    "with more than two parties the point on the line from the disagreement point to the "
    "ideal point may be only weakly Pareto optimal (Roth 1979); the deal with the largest sum "
    "of utilities among those reaching it is shown"
)


def bargaining_powers(problem: BargainingProblem) -> tuple[float, ...]:
    """Each party's ``bargaining_power`` (listing order): the weighted Nash solution's weights."""
    return tuple(problem.scenario.parties[n].bargaining_power for n in problem.names)


@dataclass(frozen=True)
class MultilateralZone:
    """The deals acceptable to every party, and to the decision rule's ``needed`` of them."""

    decision_rule: str
    needed: int
    parties: int
    unanimity: int
    by_rule: int
    #: per issue, the span of the values of the deals passing the decision rule
    rule_spans: dict[str, tuple[float, float] | tuple[str, ...] | None]
    explanation: str

    def to_dict(self, scenario: Any) -> dict[str, Any]:
        def show(issue: str, zone: Any) -> Any:
            return issue_span_dict(scenario, issue, zone)

        return {
            "decision_rule": self.decision_rule,
            "needed": self.needed,
            "parties": self.parties,
            "unanimity_outcomes": self.unanimity,
            "rule_outcomes": self.by_rule,
            "rule_issues": {k: show(k, v) for k, v in self.rule_spans.items()},
            "explanation": self.explanation,
        }


def multilateral_zopa(problem: BargainingProblem) -> ZopaResult:
    """Where every party would rather agree than walk away (unanimity), in words and money."""
    sc = problem.scenario
    n_parties = len(problem.parties)
    feasible = problem.acceptable
    zones = issue_zones(problem, feasible)
    n = int(feasible.sum())
    if n:
        parts = [describe_zone(sc, z.issue, z.overlap) for z in zones if z.overlap is not None]
        text = (
            f"A deal all {n_parties} parties prefer to walking away exists; the deals in the "
            "zone span " + "; ".join(parts) + "."
        )
        return ZopaResult(True, tuple(zones), text, None, n, problem.grid.size)
    d = np.asarray(problem.disagreement)[:, None]
    k = int(np.argmax((problem.utilities - d).min(axis=0)))
    closest = "; ".join(sc.format_value(i, v) for i, v in problem.grid.outcome(k).items())
    gaps = ", ".join(
        f"{name} at {problem.utilities[i, k] - d[i, 0]:+.3f}"
        for i, name in enumerate(problem.names)
    )
    text = (
        f"No deal all {n_parties} parties can accept: no combination of the issues gives every "
        f"party what walking away is worth. The closest, {closest}, leaves {gaps} relative to "
        "walking away."
    )
    return ZopaResult(False, tuple(zones), text, None, 0, problem.grid.size)


def multilateral_zone(problem: BargainingProblem) -> MultilateralZone:
    """The zone under unanimity and under the protocol's decision rule (``needed(P)`` parties)."""
    sc = problem.scenario
    n_parties = len(problem.parties)
    needed = sc.protocol.needed(n_parties)
    mask = zone_mask(problem.utilities, problem.disagreement, needed, tol=1e-12)
    spans = {
        issue.id: issue_span(problem.grid.values[k], problem.grid.index[:, k], mask)
        for k, issue in enumerate(sc.issues)
    }
    unanimous = int(problem.acceptable.sum())
    passing = int(mask.sum())
    rule = "unanimity" if needed == n_parties else f"{sc.protocol.decision_rule}"
    if passing == 0:
        text = (
            f"Under {rule} ({needed} of {n_parties} parties must accept) no deal passes: no "
            f"combination of the issues is worth more than walking away to {needed} parties."
        )
    else:
        parts = [describe_zone(sc, k, v) for k, v in spans.items() if v is not None]
        text = (
            f"Under {rule} ({needed} of {n_parties} parties must accept) {passing:,} of the "
            f"{problem.grid.size:,} grid deals pass ({unanimous:,} acceptable to all); they "
            "span " + "; ".join(parts) + "."
        )
    return MultilateralZone(
        decision_rule=sc.protocol.decision_rule,
        needed=needed,
        parties=n_parties,
        unanimity=unanimous,
        by_rule=passing,
        rule_spans=spans,
        explanation=text,
    )


def multilateral_solutions(problem: BargainingProblem) -> list[SolutionResult]:
    """Every N-party concept on the deals acceptable to all (central values)."""
    from burdenshare.analysis.solve import CONCEPTS

    U, d = problem.utilities, problem.disagreement
    powers = bargaining_powers(problem)
    solvers: dict[str, tuple[Callable[[], int | None], dict[str, Any], str]] = {
        "nash": (lambda: nash_point(U, d), {"weights": "equal"}, ""),
    }
    if len(set(powers)) > 1:
        weights = dict(zip(problem.names, powers, strict=True))
        solvers["nash_weighted"] = (
            lambda: nash_point(U, d, powers),
            {f"power_{n}": w for n, w in weights.items()},
            "",
        )
    level = kalai_smorodinsky_level(U, d)
    solvers["kalai_smorodinsky"] = (
        lambda: kalai_smorodinsky_point(U, d),
        {} if level is None else {"line_level": round(level, 12)},
        _KS_NOTE,
    )
    solvers["egalitarian"] = (lambda: egalitarian_point(U, d), {}, "")
    solvers["utilitarian"] = (lambda: utilitarian_point(U, d), {}, "")
    results = []
    for key, (solve, params, note) in solvers.items():
        label, source = CONCEPTS[key]
        results.append(_result(problem, key, label, source, solve(), params, note))
    ratifiers = [p for p in problem.parties if p.ratification_threshold is not None]
    if ratifiers:
        label, source = CONCEPTS["ratified_nash"]
        keep = np.flatnonzero(problem.ratifiable())
        j = nash_point(U[:, keep], d) if keep.size else None
        i = None if j is None else int(keep[j])
        note = "; ".join(
            f"{p.name}'s ratifier approves up to "
            + problem.scenario.format_value(
                str(p.ratification_issue), float(p.ratification_threshold or 0.0)
            )
            for p in ratifiers
        )
        results.append(_result(problem, "ratified_nash", label, source, i, {}, note))
    return results


def _result(
    problem: BargainingProblem,
    key: str,
    label: str,
    source: str,
    index: int | None,
    params: dict[str, Any],
    note: str,
) -> SolutionResult:
    if index is None:
        return SolutionResult(
            concept=key,
            label=label,
            source=source,
            agreement=False,
            outcome=None,
            utilities=None,
            note="no agreement: no outcome is acceptable to every party",
            parameters=params,
        )
    outcome = problem.grid.outcome(index)
    u = problem.utilities_at(outcome)
    return SolutionResult(
        concept=key,
        label=label,
        source=source,
        agreement=True,
        outcome=outcome,
        utilities=dict(zip(problem.names, u, strict=True)),
        note=note,
        parameters=params,
    )


def omitted_concepts(problem: BargainingProblem) -> dict[str, str]:
    """The bilateral concepts left out of an N-party analysis, each with the reason."""
    from burdenshare.analysis.solve import CONCEPTS

    n = len(problem.parties)
    return {
        key: f"{CONCEPTS[key][0]} needs exactly two parties; this scenario has {n}"
        for key in BILATERAL_ONLY
    }


def multilateral_opposition(problem: BargainingProblem) -> dict[str, Any]:
    """The opposition level generalised to P parties: the least Euclidean distance from a
    min-max normalised Pareto deal to the ideal ``(1, ..., 1)`` (Baarslag et al. 2013 define it
    for two; 0 when one deal is best for everyone, up to ``sqrt(P)``). Each party's range is the
    least and greatest utility over every combination of the grid's values (sums of per-issue
    extremes of its additive utility)."""
    tables = utility_tables(problem.parties, [list(v) for v in problem.grid.values])
    lows = np.array([sum(float(row.min()) for row in t) for t in tables])
    highs = np.array([sum(float(row.max()) for row in t) for t in tables])
    U = problem.utilities  # the least distance is at a Pareto deal: no need to filter first
    span = np.where(highs > lows, highs - lows, 1.0)
    v = np.where((highs > lows)[:, None], (U - lows[:, None]) / span[:, None], 1.0)
    value = float(np.sqrt(((1.0 - v) ** 2).sum(axis=0).min()))
    return {"value": value, "normalisation": "minmax", "method": "analysis grid (P parties)"}


def pareto_entries(problem: BargainingProblem) -> dict[str, Any]:
    """The Pareto set of the deals acceptable to all: ``{"method", "n_outcomes", "points":
    [{"utilities", "outcome", "count"}], "extremes": {party: point}}``, one point per distinct
    utility vector (``count`` grid deals share it), sorted by the first party's utility."""
    U = problem.utilities
    idx = pareto_set(U, problem.disagreement)
    rounded = np.round(U.T, 12)
    keys, counts = np.unique(rounded, axis=0, return_counts=True)
    count_of = {tuple(map(float, k)): int(c) for k, c in zip(keys, counts, strict=True)}
    seen: dict[tuple[float, ...], int] = {}
    for i in idx[np.argsort(U[0, idx], kind="stable")]:
        seen.setdefault(tuple(map(float, rounded[int(i)])), int(i))

    def point(i: int) -> dict[str, Any]:
        return {
            "utilities": {n: float(U[j, i]) for j, n in enumerate(problem.names)},
            "outcome": problem.grid.outcome(i),
        }

    extremes = extreme_points(U, np.asarray(list(seen.values()), dtype=np.intp))
    return {
        "method": "analysis grid (pairwise non-domination, sort-filter-skyline)",
        "n_outcomes": problem.grid.size,
        "points": [{**point(i), "count": count_of[k]} for k, i in seen.items()],
        "extremes": {n: point(int(extremes[j])) for j, n in enumerate(problem.names)}
        if extremes.size
        else {},
    }
