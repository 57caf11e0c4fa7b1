"""Where each session of an ensemble gets its randomness (one convention for engine and protocol).

Session ``i`` of an ``n``-session ensemble with root seed ``s`` and block length
``B = min(block_size, n)`` lies in block ``b = i // B``. Its protocol generator is the PCG64 stream
of :func:`burdenshare.seeds.block_seed` ``(s, NEGOTIATION_STREAM, b)`` advanced by
``i - b B`` draws, so the protocol's single draw (the breakdown clock, rule 7 of
:mod:`burdenshare.negotiation.protocol`) is element ``i - b B`` of that block's stream: the engine
draws whole blocks at once, the one-session path advances to the same place. The two negotiators'
generators come from ``block_seed(s, 2 + party, i)`` (per session; the built-in negotiators never
draw).
"""

from __future__ import annotations

from typing import Literal, overload

import numpy as np
import numpy.typing as npt

from burdenshare.errors import SimulationError
from burdenshare.scenario.model import MAX_PARTIES
from burdenshare.seeds import (
    DEFAULT_BLOCK_SIZE,
    MORE_PARTIES_STREAM,
    NEGOTIATION_STREAM,
    PARTY_STREAMS,
    _root,
    block_seed,
)

__all__ = [
    "MORE_PARTIES_STREAM",
    "block_length",
    "party_generators",
    "protocol_uniforms",
    "root_sequence",
    "session_generators",
]

SeedLike = int | np.random.SeedSequence


def block_length(n: int, block_size: int = DEFAULT_BLOCK_SIZE) -> int:
    """The block length ``B = min(block_size, n)`` (at least 1)."""
    return max(1, min(block_size, n))


def protocol_uniforms(
    seed: SeedLike, n: int, start: int, stop: int, block_size: int = DEFAULT_BLOCK_SIZE
) -> npt.NDArray[np.float64]:
    """The protocol's draw for each session in ``[start, stop)``, whatever the chunking."""
    size = block_length(n, block_size)
    out = np.empty(stop - start, dtype=np.float64)
    for b in range(start // size, (stop - 1) // size + 1 if stop > start else 0):
        lo, hi = b * size, min((b + 1) * size, n)
        block = np.random.Generator(np.random.PCG64(block_seed(seed, NEGOTIATION_STREAM, b)))
        u = block.random(hi - lo)
        a, z = max(lo, start), min(hi, stop)
        out[a - start : z - start] = u[a - lo : z - lo]
    return out


@overload
def session_generators(
    seed: SeedLike, n: int, i: int, block_size: int = ..., parties: Literal[2] = ...
) -> tuple[np.random.Generator, np.random.Generator, np.random.Generator]: ...


@overload
def session_generators(
    seed: SeedLike, n: int, i: int, block_size: int = ..., *, parties: int
) -> tuple[np.random.Generator, ...]: ...


def session_generators(
    seed: SeedLike, n: int, i: int, block_size: int = DEFAULT_BLOCK_SIZE, parties: int = 2
) -> tuple[np.random.Generator, ...]:
    """The protocol's generator of session ``i``, then each of its ``parties`` parties'
    (listing order): the tuple seed of :func:`burdenshare.negotiation.run_session`.

    >>> len(session_generators(0, 10, 3)), len(session_generators(0, 10, 3, parties=5))
    (3, 6)
    """
    size = block_length(n, block_size)
    b = i // size
    bit = np.random.PCG64(block_seed(seed, NEGOTIATION_STREAM, b))
    bit.advance(i - b * size)
    return (np.random.Generator(bit), *party_generators(seed, i, parties))


def root_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """The root ``SeedSequence`` of ``seed`` (an int ``s`` means ``SeedSequence(s)``): resolve it
    once to seed many sessions (:func:`party_generators` then skips hashing the int each time)."""
    return _root(seed)


def party_generators(seed: SeedLike, i: int, parties: int = 2) -> tuple[np.random.Generator, ...]:
    """The generators of session ``i``'s ``parties`` parties, in listing order (the last ones of
    :func:`session_generators`; they do not depend on the block length).

    >>> a = party_generators(7, 4, parties=3)
    >>> [float(g.random()) for g in a[:2]] == [float(g.random()) for g in party_generators(7, 4)]
    True
    """
    if not 2 <= parties <= MAX_PARTIES:
        raise SimulationError(f"a session has 2 to {MAX_PARTIES} parties, got {parties}")
    root = _root(seed)
    keys = [
        (PARTY_STREAMS[p], i) if p < 2 else (MORE_PARTIES_STREAM, i * MAX_PARTIES + p - 2)
        for p in range(parties)
    ]
    return tuple(
        np.random.Generator(np.random.PCG64(block_seed(root, stream, block)))
        for stream, block in keys
    )
