"""The chunk statistics' unit sums (ensemble/accumulate.py) are bit-identical to summing each
unit of :data:`UNIT` sessions on its own with ``np.sum``, the definition the module states, for
any chunk boundaries; and the totals of any chunking equal those of one chunk, bit for bit."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.ensemble.accumulate import UNIT, Accumulator, chunk_stats


def reference_units(start: int, stop: int, values: np.ndarray) -> dict[str, Any]:
    """The definition, unit by unit (the loop chunk_stats used before issue 12)."""
    units: dict[str, list[float]] = {}
    partial: dict[str, dict[str, list[float]]] = {}
    for u in range(start // UNIT, (stop - 1) // UNIT + 1):
        lo, hi = max(u * UNIT, start), min((u + 1) * UNIT, stop)
        sl = slice(lo - start, hi - start)
        if lo == u * UNIT and hi == (u + 1) * UNIT:
            units[str(u)] = [float(np.sum(values[sl]))]
        else:
            partial[str(u)] = {str(lo): [float(v) for v in values[sl]]}
    return {"units": units, "partial_units": partial}


def _stats(start: int, stop: int, values: np.ndarray) -> dict[str, Any]:
    n = stop - start
    return chunk_stats(
        start, stop, np.zeros(n, dtype=np.int8), np.ones(n, dtype=np.int16), {"q": values}, 3
    )


@settings(max_examples=60, deadline=None)
@given(
    start=st.integers(0, 5 * UNIT),
    size=st.integers(1, 6 * UNIT),
    scale=st.sampled_from([1e-9, 1.0, 1e6, 1e15]),
    seed=st.integers(0, 2**32 - 1),
)
def test_unit_sums_equal_the_definition_bit_for_bit(
    start: int, size: int, scale: float, seed: int
) -> None:
    values = np.random.default_rng(seed).standard_normal(size) * scale
    got = _stats(start, start + size, values)
    want = reference_units(start, start + size, values)
    assert got["partial_units"] == want["partial_units"]
    assert list(got["units"]) == list(want["units"])
    for u, sums in want["units"].items():
        assert np.float64(got["units"][u][0]).tobytes() == np.float64(sums[0]).tobytes(), u


@settings(max_examples=25, deadline=None)
@given(
    cuts=st.lists(st.integers(1, 7 * UNIT - 1), max_size=6, unique=True), seed=st.integers(0, 99)
)
def test_any_chunking_gives_the_same_totals(cuts: list[int], seed: int) -> None:
    n = 7 * UNIT + 5
    values = np.random.default_rng(seed).standard_normal(n) * 1e3
    bounds = [0, *sorted(cuts), n]
    whole, parts = Accumulator(n, 3, ["q"]), Accumulator(n, 3, ["q"])
    whole.add(_stats(0, n, values))
    for lo, hi in itertools.pairwise(bounds):
        parts.add(_stats(lo, hi, values[lo:hi]))
    assert parts.complete
    assert np.float64(parts.total("q")).tobytes() == np.float64(whole.total("q")).tobytes()
