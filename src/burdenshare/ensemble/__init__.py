"""Ensembles of sessions: reproducible, chunk-invariant draws of a scenario's uncertain numbers."""

from __future__ import annotations

from burdenshare.ensemble.accumulate import UNIT, Accumulator, chunk_stats
from burdenshare.ensemble.chunk import ChunkResult, ChunkTask, run_chunk, sample_columns
from burdenshare.ensemble.run import DEFAULT_CHUNK, EnsembleResult, run_ensemble
from burdenshare.ensemble.sampling import (
    DEFAULT_BLOCK_SIZE,
    NEGOTIATION_STREAM,
    SAMPLING_STREAM,
    Method,
    SamplePlan,
    block_rng,
    block_seed,
    draw,
    sample_block,
    session_overrides,
    uncertain_parameters,
)
from burdenshare.ensemble.sensitivity import (
    SobolIndices,
    SobolResult,
    TornadoResult,
    TornadoRow,
    sobol,
    tornado,
)

__all__ = [
    "DEFAULT_BLOCK_SIZE",
    "DEFAULT_CHUNK",
    "NEGOTIATION_STREAM",
    "SAMPLING_STREAM",
    "UNIT",
    "Accumulator",
    "ChunkResult",
    "ChunkTask",
    "EnsembleResult",
    "Method",
    "SamplePlan",
    "SobolIndices",
    "SobolResult",
    "TornadoResult",
    "TornadoRow",
    "block_rng",
    "block_seed",
    "chunk_stats",
    "draw",
    "run_chunk",
    "run_ensemble",
    "sample_block",
    "sample_columns",
    "session_overrides",
    "sobol",
    "tornado",
    "uncertain_parameters",
]
