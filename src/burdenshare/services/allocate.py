"""Sharing a common cost (``burdenshare allocate GAME [--rule R ...]``): read a shared-cost file
(or a bundled one by name), apply each rule and describe the core. Nothing here prints.

>>> r = allocate("airport-example", rules=("shapley", "nucleolus"))
>>> [(a.rule, [round(x, 4) for x in a.amounts], a.in_core) for a in r.allocations]
[('shapley', [0.3333, 1.3333, 4.3333], True), ('nucleolus', [0.5, 1.25, 4.25], True)]
>>> r.core.empty, round(r.core.least_core_epsilon, 6)
(False, -0.5)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from burdenshare.cooperative import (
    MAX_NUCLEOLUS_PLAYERS,
    RULES,
    SharedCost,
    applicable,
    core_ranges,
    in_core,
    least_core_epsilon,
    read_game_file,
)
from burdenshare.cooperative import allocate as apply_rule
from burdenshare.cooperative._lp import tolerance
from burdenshare.cooperative.library import bundled_game_names, bundled_game_path
from burdenshare.errors import ScenarioError, SolverError

__all__ = ["AllocationReport", "CoreSummary", "RuleResult", "allocate", "list_games"]


@dataclass(frozen=True)
class RuleResult:
    """One rule's allocation: amounts in listing order, and whether it is in the core."""

    rule: str
    title: str
    source: str
    amounts: tuple[float, ...]
    in_core: bool | None


@dataclass(frozen=True)
class CoreSummary:
    """The least-core epsilon, whether the core is empty and each player's range in it."""

    empty: bool
    least_core_epsilon: float
    ranges: tuple[tuple[float, float], ...] | None


@dataclass(frozen=True)
class AllocationReport:
    """Every rule's allocation of one shared cost."""

    problem: SharedCost
    allocations: tuple[RuleResult, ...]
    core: CoreSummary | None
    skipped: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        p = self.problem
        total = p.total

        def shares(amounts: tuple[float, ...]) -> list[dict[str, Any]]:
            return [
                {"player": name, "amount": a, "percent": 100.0 * a / total if total else None}
                for name, a in zip(p.players, amounts, strict=True)
            ]

        core = None
        if self.core is not None:
            ranges = self.core.ranges
            core = {
                "empty": self.core.empty,
                "least_core_epsilon": self.core.least_core_epsilon,
                "ranges": None
                if ranges is None
                else [
                    {"player": name, "min": lo, "max": hi}
                    for name, (lo, hi) in zip(p.players, ranges, strict=True)
                ],
            }
        return {
            "game": {
                "title": p.title,
                "file": p.source,
                "kind": p.kind,
                "currency": p.currency,
                "scale": p.scale,
                "total": total,
                "players": list(p.players),
                "sources": list(p.sources),
            },
            "allocations": [
                {
                    "rule": a.rule,
                    "title": a.title,
                    "source": a.source,
                    "in_core": a.in_core,
                    "shares": shares(a.amounts),
                }
                for a in self.allocations
            ],
            "core": core,
            "skipped": [{"rule": rule, "reason": why} for rule, why in self.skipped],
        }


def list_games() -> list[str]:
    """The bundled shared-cost files, by name."""
    return bundled_game_names()


def load_game(game: str) -> SharedCost:
    """A bundled game by name, else the file at ``game``."""
    path = bundled_game_path(game)
    return read_game_file(path if path is not None else game)


def allocate(game: str, *, rules: Sequence[str] = ()) -> AllocationReport:
    """Each of ``rules`` (default: every rule the file allows) applied to ``game``."""
    problem = load_game(game)
    for rule in rules:
        if rule not in RULES:
            raise ScenarioError(
                "unknown rule", field="--rule", value=rule, expected=" | ".join(RULES)
            )
    chosen = list(dict.fromkeys(rules)) or list(RULES)
    results, skipped = [], []
    for rule in chosen:
        why = applicable(problem, rule)
        cost_game = problem.game
        big = cost_game is not None and cost_game.n > MAX_NUCLEOLUS_PLAYERS
        if why is None and rule == "nucleolus" and big:
            why = f"nucleolus: at most {MAX_NUCLEOLUS_PLAYERS} players"
        if why is not None and rules:
            raise ScenarioError(why, file=problem.source, field="--rule", value=rule)
        if why is not None:
            skipped.append((rule, why))
            continue
        try:
            alloc = apply_rule(problem, rule)
        except SolverError as exc:
            if rules:
                raise ScenarioError(
                    str(exc), file=problem.source, field="--rule", value=rule
                ) from None
            skipped.append((rule, str(exc)))
            continue
        member = (
            in_core(problem.game, alloc.amounts)
            if problem.game is not None and _core_size(problem)
            else None
        )
        spec = RULES[rule]
        results.append(RuleResult(rule, spec.title, spec.source, alloc.amounts, member))
    return AllocationReport(problem, tuple(results), _core(problem), tuple(skipped))


def _core_size(problem: SharedCost) -> bool:
    return problem.game is not None and problem.game.n <= MAX_NUCLEOLUS_PLAYERS


def _core(problem: SharedCost) -> CoreSummary | None:
    if not _core_size(problem):
        return None
    game = problem.game
    assert game is not None
    eps = least_core_epsilon(game)
    empty = eps > tolerance(game)
    return CoreSummary(empty, eps, None if empty else core_ranges(game))
