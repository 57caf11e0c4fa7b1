"""The one place that wires scenario loading, analysis and simulation together.

The CLI and (later) the web app call these functions only; they return frozen records or
JSON-ready dicts and never print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from burdenshare import __version__
from burdenshare.analysis import (
    BargainingProblem,
    SolutionResult,
    ZopaResult,
    bargaining_problem,
    scenario_solutions,
    scenario_zopa,
)
from burdenshare.errors import ScenarioError
from burdenshare.negotiation import DEFAULT_NEGOTIATORS, SessionResult, make_negotiator, run_session
from burdenshare.scenario.io import LoadedScenario, load_scenario
from burdenshare.scenario.library import bundled_names, bundled_path, is_bundled
from burdenshare.scenario.scenario import Scenario

__all__ = [
    "Analysis",
    "analyze",
    "list_scenarios",
    "load",
    "simulate",
    "validate",
]


def load(spec: str | Path) -> LoadedScenario:
    """A bundled scenario by name, or a scenario file by path."""
    text = str(spec)
    if is_bundled(text):
        loaded = load_scenario(bundled_path(text))
        return LoadedScenario(
            scenario=loaded.scenario, text=loaded.text, sha256=loaded.sha256, source=text
        )
    path = Path(text)
    if not path.exists() and path.suffix == "" and "/" not in text:
        raise ScenarioError(
            "no bundled scenario or file by that name",
            file=text,
            expected=f"a path or one of {', '.join(bundled_names())}",
        )
    return load_scenario(path)


def list_scenarios() -> list[dict[str, Any]]:
    """Every bundled scenario: name, title, as-of date."""
    out = []
    for name in bundled_names():
        sc = load(name).scenario
        out.append({"name": name, "title": sc.title, "as_of": sc.as_of.isoformat()})
    return out


def validate(spec: str | Path) -> dict[str, Any]:
    """Validate a scenario; return a short description (raises ScenarioError if malformed)."""
    loaded = load(spec)
    sc = loaded.scenario
    return {
        "valid": True,
        "source": loaded.source,
        "id": sc.id,
        "title": sc.title,
        "as_of": sc.as_of.isoformat(),
        "sha256": loaded.sha256,
        "issues": [i.id for i in sc.issues],
        "parties": list(sc.parties),
        "rounds": len(sc.protocol.round_dates()),
        "uncertain_parameters": _count_uncertain(sc),
    }


@dataclass(frozen=True)
class Analysis:
    """ZOPA and every solution concept for one scenario (central values)."""

    loaded: LoadedScenario
    problem: BargainingProblem
    zopa: ZopaResult
    solutions: tuple[SolutionResult, ...]

    def to_dict(self) -> dict[str, Any]:
        sc = self.loaded.scenario
        return {
            "scenario": _scenario_header(self.loaded),
            "parties": {p.name: _party_summary(sc, p) for p in self.problem.parties},
            "zopa": self.zopa.to_dict(sc),
            "solutions": {s.concept: s.to_dict(sc) for s in self.solutions},
        }


def analyze(spec: str | Path) -> Analysis:
    loaded = load(spec)
    problem = bargaining_problem(loaded.scenario)
    return Analysis(
        loaded=loaded,
        problem=problem,
        zopa=scenario_zopa(problem),
        solutions=tuple(scenario_solutions(problem)),
    )


def simulate(
    spec: str | Path, negotiators: Sequence[str] | None = None, seed: int = 0
) -> tuple[LoadedScenario, SessionResult, tuple[str, str]]:
    """One alternating-offers session with the named negotiators (first party, second party)."""
    loaded = load(spec)
    names = tuple(negotiators) if negotiators else DEFAULT_NEGOTIATORS
    if len(names) == 1:
        names = (names[0], names[0])
    a, b = loaded.scenario.party_names
    pair = (str(names[0]), str(names[1]))
    result = run_session(
        loaded.scenario, {a: make_negotiator(pair[0]), b: make_negotiator(pair[1])}, seed=seed
    )
    return loaded, result, pair


def _scenario_header(loaded: LoadedScenario) -> dict[str, Any]:
    sc = loaded.scenario
    return {
        "id": sc.id,
        "title": sc.title,
        "as_of": sc.as_of.isoformat(),
        "source": loaded.source,
        "sha256": loaded.sha256,
        "burdenshare_version": __version__,
        "money": {"unit": sc.money.unit, "scale": sc.money.scale, "fx": sc.money.fx},
    }


def _party_summary(sc: Scenario, p: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"discount_per_round": p.discount, "outside_option": p.outside_option}
    issues = {}
    for issue, part in zip(sc.issues, p.utility.parts, strict=True):
        if hasattr(part, "ideal"):
            issues[issue.id] = {
                "ideal": part.ideal,
                "reservation": part.reservation,
                "display": {
                    "ideal": sc.format_value(issue.id, part.ideal),
                    "reservation": sc.format_value(issue.id, part.reservation),
                },
            }
        else:
            issues[issue.id] = {"scores": dict(part.scores), "reservation": part.reservation}
    out["issues"] = issues
    if p.ratification_threshold is not None:
        out["ratification"] = {
            "issue": p.ratification_issue,
            "threshold": p.ratification_threshold,
            "display": sc.format_value(str(p.ratification_issue), p.ratification_threshold),
        }
    return out


def _count_uncertain(sc: Scenario) -> int:
    from burdenshare.scenario.distributions import Distribution

    count = 0

    def walk(obj: Any) -> None:
        nonlocal count
        if isinstance(obj, Distribution):
            count += 1
        elif hasattr(obj, "model_fields"):
            for name in type(obj).model_fields:
                walk(getattr(obj, name))
        elif isinstance(obj, dict):
            for v in obj.values():
                walk(v)
        elif isinstance(obj, list | tuple):
            for v in obj:
                walk(v)

    walk(sc)
    return count
