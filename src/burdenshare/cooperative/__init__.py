"""Cooperative cost allocation: sharing a common cost (an alliance's common budget, a joint
base, a deployment) by the Shapley value, the nucleolus, the core and proportional and
ability-to-pay rules, each module one concept with its source (docs/explanation/
cost-allocation.md).

Importing reads and starts nothing; scipy is imported where a linear programme is solved.
"""

from __future__ import annotations

from burdenshare.cooperative.core import core_ranges, in_core, least_core_epsilon
from burdenshare.cooperative.game import MAX_PLAYERS, CostGame, cost_game
from burdenshare.cooperative.gamefile import parse_game_text, read_game_file
from burdenshare.cooperative.nucleolus import MAX_NUCLEOLUS_PLAYERS, nucleolus
from burdenshare.cooperative.problem import SharedCost
from burdenshare.cooperative.proportional import proportional
from burdenshare.cooperative.rules import RULES, Allocation, allocate, applicable
from burdenshare.cooperative.shapley import airport_shapley, shapley_value
from burdenshare.cooperative.structured import airport_game, facility_game

__all__ = [
    "MAX_NUCLEOLUS_PLAYERS",
    "MAX_PLAYERS",
    "RULES",
    "Allocation",
    "CostGame",
    "SharedCost",
    "airport_game",
    "airport_shapley",
    "allocate",
    "applicable",
    "core_ranges",
    "cost_game",
    "facility_game",
    "in_core",
    "least_core_epsilon",
    "nucleolus",
    "parse_game_text",
    "proportional",
    "read_game_file",
    "shapley_value",
]
