"""Ensembles of sessions: reproducible, chunk-invariant draws of a scenario's uncertain numbers."""

from __future__ import annotations

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

__all__ = [
    "DEFAULT_BLOCK_SIZE",
    "NEGOTIATION_STREAM",
    "SAMPLING_STREAM",
    "Method",
    "SamplePlan",
    "block_rng",
    "block_seed",
    "draw",
    "sample_block",
    "session_overrides",
    "uncertain_parameters",
]
