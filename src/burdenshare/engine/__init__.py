"""The batch engine: N sessions at once (bilateral or multilateral), same rules as one session."""

from __future__ import annotations

from burdenshare.engine.batch import OUTCOMES, BatchResult, run_batch
from burdenshare.engine.seeding import block_length, protocol_uniforms, session_generators

__all__ = [
    "OUTCOMES",
    "BatchResult",
    "block_length",
    "protocol_uniforms",
    "run_batch",
    "session_generators",
]
