"""What a backend is: something that runs ensemble chunks and hands back their results."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

__all__ = ["Backend"]

T = TypeVar("T")
R = TypeVar("R")


class Backend(Protocol):
    """Runs a pure function over tasks; results may come back in any order."""

    #: the name recorded with each run ("local", "process", "ray")
    name: str
    #: how many tasks it runs at once (the ensemble keeps about twice as many in flight)
    parallelism: int

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """Apply ``fn`` to every task, yielding results as they finish."""
        ...

    def close(self) -> None:
        """Release workers (idempotent)."""
        ...
