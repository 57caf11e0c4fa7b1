"""One chunk of an ensemble: a picklable task, and the pure function that runs it anywhere.

A :class:`ChunkTask` carries everything a worker needs (the scenario *text*, not a parsed object,
so it crosses process and cluster boundaries cheaply); :func:`run_chunk` parses it (cached per
process), draws the chunk's parameters with :func:`burdenshare.ensemble.sampling.draw` and runs
:func:`burdenshare.engine.run_batch`. Draws and seeds depend only on the session index, so any
backend and any chunk size give the same per-session results.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from burdenshare.engine import OUTCOMES, run_batch
from burdenshare.engine.guard import check_batch
from burdenshare.ensemble.sampling import Method, draw, uncertain_parameters
from burdenshare.scenario.io import parse_scenario_text
from burdenshare.scenario.scenario import Scenario

__all__ = ["ChunkResult", "ChunkTask", "run_chunk", "sample_columns"]


@dataclass(frozen=True)
class ChunkTask:
    """Sessions ``[start, stop)`` of an ``n``-session ensemble."""

    scenario_text: str
    scenario_format: str
    #: one negotiator name per party, in the scenario's listing order
    negotiators: tuple[str, ...]
    n: int
    index: int
    start: int
    stop: int
    seed: int
    method: Method = "mc"
    block_size: int = 65_536
    correlations: tuple[tuple[str, str, float], ...] = ()


@dataclass(frozen=True)
class ChunkResult:
    """A chunk's per-session columns (for the store) and how long it took."""

    index: int
    start: int
    stop: int
    columns: dict[str, npt.NDArray[Any]] = field(repr=False)
    seconds: float = 0.0


@functools.lru_cache(maxsize=8)
def _scenario(text: str, fmt: str) -> Scenario:
    return parse_scenario_text(text, fmt=fmt).scenario


def sample_columns(scenario: Scenario) -> dict[str, str]:
    """The stored column types of every session: drawn parameters, then outcome columns."""
    cols = dict.fromkeys(uncertain_parameters(scenario), "DOUBLE")
    cols["outcome"] = "TINYINT"
    cols["round"] = "SMALLINT"
    cols["after_deadline"] = "BOOLEAN"
    for iid in scenario.issue_ids:
        cols[f"value.{iid}"] = "DOUBLE"
    for p in scenario.party_names:
        cols[f"utility.{p}"] = "DOUBLE"
        cols[f"discounted.{p}"] = "DOUBLE"
    return cols


def run_chunk(task: ChunkTask) -> ChunkResult:
    """Run one chunk (pure: same task, same result, on any machine)."""
    t0 = time.perf_counter()
    scenario = _scenario(task.scenario_text, task.scenario_format)
    params = uncertain_parameters(scenario)
    correlations = {(a, b): rho for a, b, rho in task.correlations} or None
    draws = draw(
        params,
        task.n,
        seed=task.seed,
        method=task.method,
        start=task.start,
        stop=task.stop,
        block_size=task.block_size,
        correlations=correlations,
    )
    batch = run_batch(
        scenario,
        list(task.negotiators),
        draws,
        seed=task.seed,
        n=task.n,
        start=task.start,
        stop=task.stop,
        block_size=task.block_size,
    )
    # the storage boundary: never store an agreement outside an issue's range (internal error)
    check_batch(scenario, task.start, batch.agreed, batch.values, batch.utilities)
    columns: dict[str, npt.NDArray[Any]] = dict(draws)
    columns["outcome"] = batch.outcome.astype(np.int8)
    columns["round"] = batch.round.astype(np.int16)
    columns["after_deadline"] = batch.after_deadline.astype(np.bool_)
    for iid in scenario.issue_ids:
        columns[f"value.{iid}"] = batch.values[iid]
    for p in scenario.party_names:
        columns[f"utility.{p}"] = batch.utilities[p]
        columns[f"discounted.{p}"] = batch.discounted[p]
    assert tuple(OUTCOMES) == ("agreement", "breakdown", "deadline", "ratification_failure")
    return ChunkResult(task.index, task.start, task.stop, columns, time.perf_counter() - t0)
