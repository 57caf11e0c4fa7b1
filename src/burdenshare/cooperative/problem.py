"""A shared cost as read from a file: the players (with optional GDP and GNI), the total and,
when the file gives one, the cost game behind it.

A file that gives only the total (``kind: total``) can be shared by the proportional and
ability-to-pay rules, for any number of players up to :data:`MAX_TOTAL_PLAYERS`; the
cooperative rules (Shapley value, nucleolus, core) need the cost of every coalition, from an
explicit table or a structured game (:mod:`burdenshare.cooperative.structured`).
"""

from __future__ import annotations

from dataclasses import dataclass

from burdenshare.cooperative.game import CostGame

__all__ = ["GAME_KINDS", "MAX_TOTAL_PLAYERS", "SharedCost"]

#: most players of a file that gives only the total
MAX_TOTAL_PLAYERS = 200
#: the kinds of ``game`` a file may describe
GAME_KINDS = ("total", "coalitions", "airport", "facility")


@dataclass(frozen=True, eq=False)
class SharedCost:
    """What an allocation file says (money in ``currency`` x ``scale``)."""

    title: str
    players: tuple[str, ...]
    total: float
    kind: str
    game: CostGame | None = None
    gdp: tuple[float, ...] | None = None
    gni: tuple[float, ...] | None = None
    currency: str = ""
    scale: str = ""
    sources: tuple[str, ...] = ()
    source: str = "<input>"
