"""Pick a backend by name (what the CLI's ``--backend`` option and services pass along)."""

from __future__ import annotations

from burdenshare.backends.base import Backend
from burdenshare.backends.local import LocalBackend
from burdenshare.backends.ray import RayBackend
from burdenshare.errors import SimulationError

__all__ = ["BACKEND_NAMES", "make_backend"]

#: the names :func:`make_backend` knows
BACKEND_NAMES: tuple[str, ...] = ("local", "ray")


def make_backend(name: str, *, workers: int = 0, address: str | None = None) -> Backend:
    """A backend by name.

    ``"local"``: :class:`LocalBackend` (``workers=0`` in this process, else that many processes).
    ``"ray"``: :class:`RayBackend` joining the cluster at ``address``, or, without one, starting
    a local Ray instance (with ``workers`` CPUs when ``workers > 0``). Ray is imported only here.

    >>> make_backend("local").name, make_backend("local", workers=2).name
    ('local', 'process')
    >>> make_backend("spark")
    Traceback (most recent call last):
    ...
    burdenshare.errors.SimulationError: unknown backend 'spark': expected one of local, ray
    """
    if name == "local":
        if address is not None:
            raise SimulationError(
                f"an address ({address}) applies to the ray backend only, not to local"
            )
        return LocalBackend(workers)
    if name == "ray":
        if workers < 0:
            raise SimulationError(f"workers must be 0 (every core) or more, got {workers}")
        if workers and address is not None:
            raise SimulationError(
                "workers sizes a local Ray instance; a cluster at an address has its own CPUs"
            )
        return RayBackend(address, num_cpus=workers or None)
    raise SimulationError(f"unknown backend {name!r}: expected one of {', '.join(BACKEND_NAMES)}")
