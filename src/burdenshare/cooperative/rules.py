"""The allocation rules by name, each with its source, applied to a :class:`SharedCost`.

============  ===========================================  ==========================
rule          what each player pays                        needs
============  ===========================================  ==========================
shapley       its Shapley value [Shapley1953]_              the cost of every coalition
nucleolus     its share in the nucleolus [Schmeidler1969]_  the cost of every coalition
proportional  total x its share of the stand-alone costs    the cost of every coalition
equal         total / n                                     the total
gdp           total x its share of the players' GDP         every player's gdp
gni           total x its share of the players' GNI         every player's gni
============  ===========================================  ==========================

Sources are in :mod:`~burdenshare.cooperative.shapley`, :mod:`~burdenshare.cooperative.nucleolus`
and :mod:`~burdenshare.cooperative.proportional`.

>>> from burdenshare.cooperative.problem import SharedCost
>>> p = SharedCost(title="t", players=("A", "B"), total=10.0, kind="total", gdp=(3.0, 1.0))
>>> allocate(p, "gdp").amounts
(7.5, 2.5)
>>> allocate(p, "shapley")
Traceback (most recent call last):
...
burdenshare.errors.ScenarioError: rule: shapley needs the cost of every coalition (got 'shapley'; \
expected a game of kind coalitions, airport or facility)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from burdenshare.cooperative.nucleolus import nucleolus
from burdenshare.cooperative.problem import SharedCost
from burdenshare.cooperative.proportional import proportional
from burdenshare.cooperative.shapley import shapley_value
from burdenshare.errors import ScenarioError

__all__ = ["RULES", "Allocation", "Rule", "allocate", "applicable"]


@dataclass(frozen=True)
class Rule:
    """A rule's name, what it needs and its source."""

    name: str
    title: str
    needs: str  # "game", "total", "gdp" or "gni"
    source: str
    apply: Callable[[SharedCost], NDArray[np.float64]]


@dataclass(frozen=True)
class Allocation:
    """What each player pays under one rule (listing order; money as in the file)."""

    rule: str
    players: tuple[str, ...]
    amounts: tuple[float, ...]


RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule(
            "shapley",
            "Shapley value",
            "game",
            "Shapley (1953), 'A value for n-person games', formula (1)",
            lambda p: shapley_value(p.game) if p.game else np.empty(0),
        ),
        Rule(
            "nucleolus",
            "nucleolus",
            "game",
            "Schmeidler (1969); sequential programmes of Maschler, Peleg & Shapley (1979)",
            lambda p: nucleolus(p.game) if p.game else np.empty(0),
        ),
        Rule(
            "proportional",
            "proportional to stand-alone cost",
            "game",
            "Young (ed., 1985), Cost Allocation, ch. 1: the proportional rule",
            lambda p: proportional(p.total, p.game.stand_alone) if p.game else np.empty(0),
        ),
        Rule(
            "equal",
            "equal split",
            "total",
            "an equal share per player",
            lambda p: proportional(p.total, [1.0] * len(p.players)),
        ),
        Rule(
            "gdp",
            "ability to pay (GDP)",
            "gdp",
            "shares of the players' GDP (ability to pay)",
            lambda p: proportional(p.total, p.gdp or ()),
        ),
        Rule(
            "gni",
            "ability to pay (GNI)",
            "gni",
            "shares of the players' GNI: the basis of NATO's common-funding cost-share formula "
            "(NATO, 'Funding NATO')",
            lambda p: proportional(p.total, p.gni or ()),
        ),
    )
}


def applicable(problem: SharedCost, rule: str) -> str | None:
    """Why ``rule`` cannot be applied to ``problem`` (None: it can)."""
    needs = RULES[rule].needs
    if needs == "game" and problem.game is None:
        return f"{rule} needs the cost of every coalition"
    if needs == "gdp" and problem.gdp is None:
        return "gdp needs every player's gdp"
    if needs == "gni" and problem.gni is None:
        return "gni needs every player's gni"
    return None


def allocate(problem: SharedCost, rule: str) -> Allocation:
    """The allocation of ``problem``'s total under ``rule`` (ScenarioError if it cannot apply)."""
    if rule not in RULES:
        raise ScenarioError("unknown rule", field="rule", value=rule, expected=" | ".join(RULES))
    why = applicable(problem, rule)
    if why is not None:
        needs = RULES[rule].needs
        expected = (
            "a game of kind coalitions, airport or facility"
            if needs == "game"
            else f"{needs} for every player"
        )
        raise ScenarioError(why, field="rule", value=rule, expected=expected)
    amounts = RULES[rule].apply(problem)
    return Allocation(rule, problem.players, tuple(float(a) for a in amounts))
