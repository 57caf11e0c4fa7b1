"""The seeding convention: every random number in burdenshare comes from one root seed.

A root ``SeedSequence`` (an int seed ``s`` means ``SeedSequence(s)``) is split by *stream* and
*block* without calling ``spawn`` (whose keys would collide): stream ``k``, block ``b`` is seeded
by ``SeedSequence(entropy=root.entropy, spawn_key=(*root.spawn_key, k, b))``. The streams:

* 0 (:data:`SAMPLING_STREAM`): the draws of uncertain parameters, per block of sessions;
* 1 (:data:`NEGOTIATION_STREAM`): the protocol's one draw per session (the breakdown clock),
  per block of sessions;
* 2 and 3 (:data:`PARTY_STREAMS`): each party's negotiator, per *session* (block = session index);
* 4 (:data:`SENSITIVITY_STREAM`): sensitivity-analysis designs and bootstraps;
* 5 (:data:`MORE_PARTIES_STREAM`): the negotiators of the third and later parties, per session
  and party (block ``session * MAX_PARTIES + party - 2``; :mod:`burdenshare.engine.seeding`).

New consumers take the next number. A block of an ``n``-session ensemble holds
``min(DEFAULT_BLOCK_SIZE, n)`` sessions unless told otherwise.
"""

from __future__ import annotations

import numpy as np

from burdenshare.errors import SimulationError

__all__ = [
    "DEFAULT_BLOCK_SIZE",
    "MORE_PARTIES_STREAM",
    "NEGOTIATION_STREAM",
    "PARTY_STREAMS",
    "SAMPLING_STREAM",
    "SENSITIVITY_STREAM",
    "block_rng",
    "block_seed",
]

#: sessions per block unless told otherwise
DEFAULT_BLOCK_SIZE = 65_536
#: stream of the uncertain-parameter draws
SAMPLING_STREAM = 0
#: stream of the protocol's per-session draw
NEGOTIATION_STREAM = 1
#: streams of the first and second party's negotiators
PARTY_STREAMS = (2, 3)
#: stream of the sensitivity analyses
SENSITIVITY_STREAM = 4
#: stream of the third and later parties' negotiators
MORE_PARTIES_STREAM = 5


def _root(seed: np.random.SeedSequence | int) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise SimulationError(
            f"seed must be a non-negative integer or a numpy SeedSequence, got {seed!r}"
        )
    return np.random.SeedSequence(int(seed))


def block_seed(
    seed: np.random.SeedSequence | int, stream: int, block: int
) -> np.random.SeedSequence:
    """The seed of ``block`` in ``stream``: the root's entropy with spawn key
    ``(*root.spawn_key, stream, block)`` (see the module docstring for the stream numbers).

    >>> block_seed(0, SAMPLING_STREAM, 3).spawn_key
    (0, 3)
    >>> root = np.random.SeedSequence(5, spawn_key=(9,))
    >>> block_seed(root, NEGOTIATION_STREAM, 0).spawn_key
    (9, 1, 0)
    """
    for name, value in (("stream", stream), ("block", block)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
            raise SimulationError(f"{name} must be a non-negative integer, got {value!r}")
    root = _root(seed)
    return np.random.SeedSequence(
        entropy=root.entropy,
        spawn_key=(*root.spawn_key, int(stream), int(block)),
        pool_size=root.pool_size,
    )


def block_rng(seed: np.random.SeedSequence | int, stream: int, block: int) -> np.random.Generator:
    """A PCG64 generator seeded by :func:`block_seed` (``stream``, ``block``).

    >>> float(block_rng(0, SAMPLING_STREAM, 0).random()) == float(block_rng(0, 0, 0).random())
    True
    """
    return np.random.Generator(np.random.PCG64(block_seed(seed, stream, block)))
