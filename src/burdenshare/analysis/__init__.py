"""Scenario-level analysis: the bargaining problem, its ZOPA and every solution concept."""

from __future__ import annotations

from burdenshare.analysis.hindsight import compare_with_hindsight
from burdenshare.analysis.problem import BargainingProblem, bargaining_problem
from burdenshare.analysis.records import IssueZone, SolutionResult, ZopaResult, outcome_to_dict
from burdenshare.analysis.solve import CONCEPTS, scenario_solutions
from burdenshare.analysis.zopa import scenario_zopa

__all__ = [
    "CONCEPTS",
    "BargainingProblem",
    "IssueZone",
    "SolutionResult",
    "ZopaResult",
    "bargaining_problem",
    "compare_with_hindsight",
    "outcome_to_dict",
    "scenario_solutions",
    "scenario_zopa",
]
