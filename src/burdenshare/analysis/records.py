"""Frozen result records of a scenario analysis, each with a JSON-ready ``to_dict``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from burdenshare.preferences import Outcome
from burdenshare.scenario.scenario import Scenario

__all__ = ["IssueZone", "SolutionResult", "ZopaResult", "issue_span_dict", "outcome_to_dict"]


def outcome_to_dict(scenario: Scenario, outcome: Outcome | None) -> dict[str, Any] | None:
    """An outcome for JSON: each issue's value, how it reads, and money in every currency."""
    if outcome is None:
        return None
    out: dict[str, Any] = {}
    for issue in scenario.issues:
        v = outcome[issue.id]
        entry: dict[str, Any] = {"value": v, "display": scenario.format_value(issue.id, v)}
        if issue.is_money and not isinstance(v, str):
            entry["money"] = scenario.money.as_dict(float(v))
        out[issue.id] = entry
    return out


def issue_span_dict(scenario: Scenario, issue: str, zone: Any) -> Any:
    """An issue's span in a zone as JSON: None, the categories, or ``low``/``high`` with their
    ``display`` strings (money in every currency)."""
    if zone is None:
        return None
    if zone and isinstance(zone[0], str):
        return list(zone)
    lo, hi = zone
    return {
        "low": lo,
        "high": hi,
        "display": [scenario.format_value(issue, lo), scenario.format_value(issue, hi)],
    }


@dataclass(frozen=True)
class IssueZone:
    """On one issue: the values each party accepts, and their overlap (None if empty)."""

    issue: str
    acceptable: dict[str, tuple[float, float] | tuple[str, ...] | None]
    overlap: tuple[float, float] | tuple[str, ...] | None


@dataclass(frozen=True)
class ZopaResult:
    """The zone of possible agreement, and in words and money why there is or is not one."""

    exists: bool
    issues: tuple[IssueZone, ...]
    explanation: str
    #: for a single money issue with no overlap: how far apart the walk-away points are
    gap: float | None = None
    n_feasible: int = 0
    n_outcomes: int = 0

    def to_dict(self, scenario: Scenario) -> dict[str, Any]:
        def show(issue: str, zone: Any) -> Any:
            return issue_span_dict(scenario, issue, zone)

        return {
            "exists": self.exists,
            "explanation": self.explanation,
            "gap": self.gap,
            "gap_money": scenario.money.as_dict(self.gap) if self.gap is not None else None,
            "issues": {
                z.issue: {
                    "acceptable": {p: show(z.issue, a) for p, a in z.acceptable.items()},
                    "overlap": show(z.issue, z.overlap),
                }
                for z in self.issues
            },
            "feasible_outcomes": self.n_feasible,
            "grid_outcomes": self.n_outcomes,
        }


@dataclass(frozen=True)
class SolutionResult:
    """One bargaining solution applied to the scenario."""

    concept: str
    label: str
    source: str
    agreement: bool
    outcome: Outcome | None
    utilities: dict[str, float] | None
    note: str = ""
    parameters: dict[str, float | int | str] = field(default_factory=dict)

    def to_dict(self, scenario: Scenario) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "label": self.label,
            "source": self.source,
            "agreement": self.agreement,
            "outcome": outcome_to_dict(scenario, self.outcome),
            "utilities": self.utilities,
            "parameters": self.parameters,
            "note": self.note,
        }
