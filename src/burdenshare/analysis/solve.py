"""Every bargaining solution of :mod:`burdenshare.solutions`, applied to a scenario.

The pure solvers work in utility space; this module builds the frontier of the scenario's
acceptable outcomes, sets each solver's parameters from the scenario (outside options as the
disagreement point, discount factors, first mover, rounds to the deadline, breakdown risk,
ratifiers) and maps each solution point back to an outcome in issue units.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from burdenshare.analysis.problem import BargainingProblem
from burdenshare.analysis.records import SolutionResult
from burdenshare.errors import SolverError
from burdenshare.scenario.distributions import central
from burdenshare.solutions import (
    Frontier,
    UtilityPoint,
    breakdown_risk_on_frontier,
    deadline_backward_induction,
    egalitarian_on_frontier,
    kalai_smorodinsky_on_frontier,
    nash_on_frontier,
    rubinstein_on_frontier,
    utilitarian_on_frontier,
)

__all__ = ["CONCEPTS", "scenario_solutions"]

#: concept key -> (label, source)
CONCEPTS: dict[str, tuple[str, str]] = {
    "nash": ("Nash bargaining solution", "Nash (1950), Econometrica 18:155-162"),
    "nash_patience": (
        "Asymmetric Nash (bargaining power from patience)",
        "Binmore, Rubinstein & Wolinsky (1986), RAND J. Econ. 17:176-188, sec. 4",
    ),
    "nash_weighted": (
        "Weighted Nash solution (the parties' bargaining powers)",
        "Kalai (1977), IJGT 6:129-133; Roth (1979), Axiomatic Models of Bargaining, ch. I",
    ),
    "kalai_smorodinsky": (
        "Kalai-Smorodinsky solution",
        "Kalai & Smorodinsky (1975), Econometrica 43:513-518",
    ),
    "egalitarian": ("Egalitarian solution", "Kalai (1977), Econometrica 45:1623-1630"),
    "utilitarian": ("Utilitarian solution", "Harsanyi (1955); maximises the sum of utilities"),
    "rubinstein": (
        "Rubinstein alternating-offers equilibrium",
        "Rubinstein (1982), Econometrica 50:97-109",
    ),
    "deadline": (
        "Alternating offers with a deadline (backward induction)",
        "Stahl (1972); Rubinstein (1982)",
    ),
    "breakdown_risk": (
        "Alternating offers with a risk of breakdown",
        "Binmore, Rubinstein & Wolinsky (1986), RAND J. Econ. 17:176-188",
    ),
    "ratified_nash": (
        "Ratification-constrained Nash (two-level game)",
        "Putnam (1988), IO 42:427-460",
    ),
}


def scenario_solutions(problem: BargainingProblem) -> list[SolutionResult]:
    """Apply every concept in :data:`CONCEPTS` to the scenario (central values); with more than
    two parties, the N-party ones
    (:func:`~burdenshare.analysis.multilateral.multilateral_solutions`)."""
    if len(problem.parties) > 2:
        from burdenshare.analysis.multilateral import multilateral_solutions

        return multilateral_solutions(problem)
    sc = problem.scenario
    p1, p2 = problem.parties
    d = problem.disagreement
    first = 1 if sc.protocol.first_mover == p1.name else 2
    dates = sc.protocol.round_dates()
    t_deadline = max(1, sum(1 for day in dates if day <= sc.protocol.deadline))
    risk = central(sc.protocol.breakdown_risk_per_round)
    d1, d2 = p1.discount, p2.discount

    solvers: dict[
        str, tuple[Callable[[Frontier], UtilityPoint | None], dict[str, float | int | str]]
    ] = {
        "nash": (lambda f: nash_on_frontier(f, d), {"alpha": 0.5}),
    }
    w1, w2 = (sc.parties[p.name].bargaining_power for p in (p1, p2))
    if w1 != w2:
        # the asymmetric Nash solution with powers w1 : w2 (Kalai 1977; Roth 1979)
        solvers["nash_weighted"] = (
            lambda f: nash_on_frontier(f, d, w1 / (w1 + w2)),
            {"alpha": round(w1 / (w1 + w2), 6), "power_" + p1.name: w1, "power_" + p2.name: w2},
        )
    solvers |= {
        "kalai_smorodinsky": (lambda f: kalai_smorodinsky_on_frontier(f, d), {}),
        "egalitarian": (lambda f: egalitarian_on_frontier(f, d), {}),
        "utilitarian": (lambda f: utilitarian_on_frontier(f, d), {}),
    }
    if d1 < 1.0 and d2 < 1.0:
        # BRW (1986) sec. 4: with delta_i = exp(-r_i T), power alpha_1 = r_2 / (r_1 + r_2)
        alpha = math.log(d2) / (math.log(d1) + math.log(d2))
        solvers["nash_patience"] = (
            lambda f: nash_on_frontier(f, d, alpha),
            {"alpha": round(alpha, 6)},
        )
        solvers["rubinstein"] = (
            lambda f: rubinstein_on_frontier(f, d1, d2, d, first_mover=first),
            {
                "delta_" + p1.name: d1,
                "delta_" + p2.name: d2,
                "first_mover": sc.protocol.first_mover,
            },
        )
    solvers["deadline"] = (
        lambda f: deadline_backward_induction(f, t_deadline, d1, d2, d, first_mover=first),
        {"rounds_to_deadline": t_deadline, "first_mover": sc.protocol.first_mover},
    )
    solvers["breakdown_risk"] = (
        lambda f: breakdown_risk_on_frontier(f, risk, d, first_mover=first),
        {"breakdown_risk_per_round": risk, "first_mover": sc.protocol.first_mover},
    )

    results: list[SolutionResult] = []
    base = problem.frontier()
    for key, (solve, params) in solvers.items():
        results.append(_result(problem, key, base, solve, params))
    ratifiers = [p for p in problem.parties if p.ratification_threshold is not None]
    if ratifiers:
        win_set = problem.frontier(problem.ratifiable())
        note = "; ".join(
            f"{p.name}'s ratifier approves up to "
            + sc.format_value(str(p.ratification_issue), float(p.ratification_threshold or 0.0))
            for p in ratifiers
        )
        res = _result(problem, "ratified_nash", win_set, lambda f: nash_on_frontier(f, d), {})
        joined = "; ".join(t for t in (res.note, note) if t)
        results.append(SolutionResult(**{**res.__dict__, "note": joined}))
    return results


def _result(
    problem: BargainingProblem,
    key: str,
    frontier: tuple[Frontier, list[int]] | None,
    solve: Callable[[Frontier], UtilityPoint | None],
    params: dict[str, float | int | str],
) -> SolutionResult:
    label, source = CONCEPTS[key]
    point: UtilityPoint | None = None
    note = ""
    if frontier is not None:
        try:
            point = solve(frontier[0])
        except SolverError as exc:
            note = f"not computed: {exc}"
    if point is None or frontier is None:
        return SolutionResult(
            concept=key,
            label=label,
            source=source,
            agreement=False,
            outcome=None,
            utilities=None,
            note=note or "no agreement: no outcome is acceptable to both sides",
            parameters=params,
        )
    outcome = problem.outcome_at(frontier[1], point.u1)
    u = problem.utilities_at(outcome)
    a, b = problem.names
    return SolutionResult(
        concept=key,
        label=label,
        source=source,
        agreement=True,
        outcome=outcome,
        utilities={a: u[0], b: u[1]},
        note=note,
        parameters=params,
    )
