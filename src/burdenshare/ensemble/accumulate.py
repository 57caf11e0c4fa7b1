"""Streaming, chunk-invariant totals of an ensemble.

Counts are integers and need no care. Sums of floating-point numbers depend on the order of the
additions, so we fix the order: sessions are grouped in *units* of :data:`UNIT` consecutive
sessions, each unit is summed on its own (in session order), and the unit sums are added in unit
order at the end. A chunk hands over the sums of the units it covers whole and the raw values of
the (at most two) units it covers in part; these are completed when the neighbouring chunks
arrive. So every total is bit-identical whatever the chunk size, the backend or the order in
which chunks finish, and memory stays bounded (one float per unit and quantity).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["UNIT", "Accumulator", "chunk_stats"]

#: sessions per summation unit
UNIT = 1024


def chunk_stats(
    start: int,
    stop: int,
    outcome: npt.NDArray[Any],
    rounds: npt.NDArray[Any],
    quantities: Mapping[str, npt.NDArray[np.float64]],
    n_rounds: int,
) -> dict[str, Any]:
    """The JSON-ready statistics of one chunk (what the store keeps for resuming)."""
    agreed = outcome == 0
    counts = np.bincount(outcome.astype(np.int64), minlength=4)[:4]
    by_round = np.bincount(rounds[agreed].astype(np.int64) - 1, minlength=n_rounds)[:n_rounds]
    units: dict[str, list[float]] = {}
    partial: dict[str, dict[str, list[float]]] = {}
    names = sorted(quantities)
    # whole units, summed row by row of a (units, UNIT) view: numpy sums each contiguous row
    # pairwise exactly as np.sum sums the unit's slice (bit-identical, checked by a test)
    first_whole, stop_whole = -(-start // UNIT), stop // UNIT
    if stop_whole > first_whole:
        cut = slice(first_whole * UNIT - start, stop_whole * UNIT - start)
        sums = [
            np.ascontiguousarray(quantities[q][cut]).reshape(-1, UNIT).sum(axis=1) for q in names
        ]
        rows = np.stack(sums, axis=1).tolist()
        for k, u in enumerate(range(first_whole, stop_whole)):
            units[str(u)] = rows[k]
    for u in sorted({start // UNIT, (stop - 1) // UNIT}):
        lo, hi = max(u * UNIT, start), min((u + 1) * UNIT, stop)
        if lo == u * UNIT and hi == (u + 1) * UNIT:
            continue  # whole: summed above
        sl = slice(lo - start, hi - start)
        partial[str(u)] = {str(lo): [float(v) for q in names for v in quantities[q][sl]]}
    return {
        "n": stop - start,
        "counts": [int(c) for c in counts],
        "agreements_by_round": [int(c) for c in by_round],
        "rounds_sum": int(rounds[agreed].astype(np.int64).sum()),
        "quantities": names,
        "units": units,
        "partial_units": partial,
    }


@dataclass
class Accumulator:
    """Running totals of an ensemble of ``n`` sessions (feed it :func:`chunk_stats` dicts)."""

    n: int
    n_rounds: int
    quantities: Sequence[str]
    counts: npt.NDArray[np.int64] = field(init=False)
    by_round: npt.NDArray[np.int64] = field(init=False)
    rounds_sum: int = 0
    done: int = 0
    _units: dict[int, npt.NDArray[np.float64]] = field(default_factory=dict)
    _pending: dict[int, dict[int, list[float]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.counts = np.zeros(4, dtype=np.int64)
        self.by_round = np.zeros(self.n_rounds, dtype=np.int64)
        self.quantities = sorted(self.quantities)

    def add(self, stats: Mapping[str, Any]) -> None:
        if list(stats["quantities"]) != list(self.quantities):
            raise ValueError("chunk statistics carry different quantities")
        self.done += int(stats["n"])
        self.counts += np.asarray(stats["counts"], dtype=np.int64)
        self.by_round += np.asarray(stats["agreements_by_round"], dtype=np.int64)
        self.rounds_sum += int(stats["rounds_sum"])
        for u, sums in stats["units"].items():
            self._units[int(u)] = np.asarray(sums, dtype=np.float64)
        k = len(self.quantities)
        for u_str, pieces in stats["partial_units"].items():
            u = int(u_str)
            store = self._pending.setdefault(u, {})
            store.update({int(lo): vals for lo, vals in pieces.items()})
            size = min((u + 1) * UNIT, self.n) - u * UNIT
            if sum(len(v) // k for v in store.values()) == size:
                parts = [
                    np.asarray(store[lo], dtype=np.float64).reshape(k, -1) for lo in sorted(store)
                ]
                whole = np.concatenate(parts, axis=1)
                self._units[u] = np.array([float(np.sum(whole[q])) for q in range(k)])
                del self._pending[u]

    def total(self, quantity: str) -> float:
        """The sum of ``quantity`` over the sessions so far (complete units, in unit order)."""
        q = list(self.quantities).index(quantity)
        sums = np.array([self._units[u][q] for u in sorted(self._units)], dtype=np.float64)
        return float(np.sum(sums))

    @property
    def complete(self) -> bool:
        return self.done == self.n and not self._pending
