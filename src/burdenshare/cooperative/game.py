"""The cost game: players and the cost ``c(S)`` of serving every coalition ``S`` on its own.

A *cost game* (N, c) gives each coalition S of the players N the cost c(S) of the cheapest way
to serve S alone, with c(empty) = 0 [Young1985]_ (ch. 1); an allocation x shares c(N) among the
players (efficiency: the sum of x is c(N)). Coalitions are bit masks: player i (in listing
order) is bit i, so ``costs[0b101]`` is the cost of the first and third players together.

Every exact rule here needs all 2^n coalitions, so a game holds at most :data:`MAX_PLAYERS`
players (2^20 costs, 8 MB); the nucleolus solves linear programmes over all coalitions and is
limited further (:data:`burdenshare.cooperative.nucleolus.MAX_NUCLEOLUS_PLAYERS`).

.. [Young1985] H. P. Young (ed.), *Cost Allocation: Methods, Principles, Applications*,
   North-Holland (1985).

>>> g = cost_game(("A", "B"), {("A",): 70, ("B",): 40, ("A", "B"): 90})
>>> g.n, g.total, g.cost(("B",))
(2, 90.0, 40.0)
>>> g.stand_alone
(70.0, 40.0)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from burdenshare.errors import ScenarioError

__all__ = ["MAX_PLAYERS", "CostGame", "coalition_mask", "cost_game", "members", "popcounts"]

#: most players of a game with the cost of every coalition (2^20 costs)
MAX_PLAYERS = 20


@dataclass(frozen=True, eq=False)
class CostGame:
    """Players (listing order) and ``costs[mask]``, the cost of each coalition (read-only).

    Build one with :func:`cost_game`, or from an array with :meth:`from_array`, which validate:
    2 to :data:`MAX_PLAYERS` distinct names, 2^n costs, c(empty) = 0, every cost finite and
    non-negative.
    """

    players: tuple[str, ...]
    costs: NDArray[np.float64]

    @classmethod
    def from_array(cls, players: Sequence[str], costs: Iterable[float]) -> CostGame:
        """A validated game from the costs in mask order (``costs[0]`` is the empty coalition).

        >>> CostGame.from_array(("A", "B"), [0, 1, 2, 2.5]).total
        2.5
        >>> CostGame.from_array(("A", "B"), [0, 1, -2, 2.5])
        Traceback (most recent call last):
        ...
        burdenshare.errors.ScenarioError: game.coalitions: a coalition's cost must be finite \
and >= 0 (got -2.0; expected the cost of B)
        """
        names = _players(players)
        arr = np.array(list(costs), dtype=np.float64)
        if arr.shape != (1 << len(names),):
            raise ScenarioError(
                f"{arr.size} costs for {len(names)} players",
                field="game.coalitions",
                expected=f"2^{len(names)} = {1 << len(names)} costs, one per coalition",
            )
        if arr[0] != 0.0:
            raise ScenarioError(
                "the empty coalition must cost 0",
                field="game.coalitions",
                value=float(arr[0]),
                expected="0",
            )
        bad = np.flatnonzero(~np.isfinite(arr) | (arr < 0))
        if bad.size:
            mask = int(bad[0])
            raise ScenarioError(
                "a coalition's cost must be finite and >= 0",
                field="game.coalitions",
                value=float(arr[mask]),
                expected="the cost of " + ", ".join(members(names, mask)),
            )
        arr.flags.writeable = False
        return cls(names, arr)

    @property
    def n(self) -> int:
        """The number of players."""
        return len(self.players)

    @property
    def grand(self) -> int:
        """The mask of the grand coalition N."""
        return (1 << self.n) - 1

    @property
    def total(self) -> float:
        """c(N), the cost to be shared."""
        return float(self.costs[self.grand])

    @property
    def stand_alone(self) -> tuple[float, ...]:
        """Each player's stand-alone cost c({i}), in listing order."""
        return tuple(float(self.costs[1 << i]) for i in range(self.n))

    def cost(self, coalition: Iterable[str]) -> float:
        """c(S) for a coalition given by its players' names."""
        return float(self.costs[coalition_mask(self.players, coalition)])


def cost_game(players: Sequence[str], costs: Mapping[tuple[str, ...], float]) -> CostGame:
    """A game from the cost of every non-empty coalition, keyed by its members (any order).

    Every one of the 2^n - 1 non-empty coalitions must be given exactly once.
    """
    names = _players(players)
    arr = np.full(1 << len(names), np.nan)
    arr[0] = 0.0
    for coalition, value in costs.items():
        mask = coalition_mask(names, coalition)
        if mask == 0:
            raise ScenarioError(
                "a coalition needs at least one player", field="game.coalitions", expected="0"
            )
        if not math.isnan(arr[mask]):
            raise ScenarioError(
                "coalition given twice",
                field="game.coalitions",
                value=sorted(members(names, mask)),
                expected="each coalition once",
            )
        arr[mask] = float(value)
    missing = np.flatnonzero(np.isnan(arr))
    if missing.size:
        raise ScenarioError(
            f"{missing.size} coalition(s) have no cost",
            field="game.coalitions",
            value=list(members(names, int(missing[0]))),
            expected="the cost of every non-empty coalition",
        )
    return CostGame.from_array(names, arr)


def coalition_mask(players: Sequence[str], coalition: Iterable[str]) -> int:
    """The bit mask of ``coalition`` (names of ``players``).

    >>> coalition_mask(("A", "B", "C"), ["C", "A"])
    5
    """
    index = {p: i for i, p in enumerate(players)}
    mask = 0
    for name in coalition:
        if name not in index:
            raise ScenarioError(
                "unknown player in a coalition",
                field="game.coalitions",
                value=name,
                expected="one of " + ", ".join(players),
            )
        bit = 1 << index[name]
        if mask & bit:
            raise ScenarioError(
                "player named twice in a coalition", field="game.coalitions", value=name
            )
        mask |= bit
    return mask


def members(players: Sequence[str], mask: int) -> tuple[str, ...]:
    """The names in coalition ``mask``, in listing order.

    >>> members(("A", "B", "C"), 6)
    ('B', 'C')
    """
    return tuple(p for i, p in enumerate(players) if mask >> i & 1)


def popcounts(n: int) -> NDArray[np.int64]:
    """The size |S| of every coalition mask 0 .. 2^n - 1.

    >>> popcounts(2).tolist()
    [0, 1, 1, 2]
    """
    sizes = np.zeros(1 << n, dtype=np.int64)
    for i in range(n):
        sizes[1 << i : 1 << (i + 1)] = sizes[: 1 << i] + 1
    return sizes


def _players(players: Sequence[str]) -> tuple[str, ...]:
    names = tuple(players)
    if not 2 <= len(names) <= MAX_PLAYERS:
        raise ScenarioError(
            f"{len(names)} players",
            field="players",
            expected=f"2 to {MAX_PLAYERS} players for a game with the cost of every coalition "
            "(larger alliances: the proportional and ability-to-pay rules, which need only the "
            "total)",
        )
    if len(set(names)) != len(names) or not all(isinstance(p, str) and p for p in names):
        raise ScenarioError(
            "players must be distinct non-empty names", field="players", value=list(names)
        )
    return names
