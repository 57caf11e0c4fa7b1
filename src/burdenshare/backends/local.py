"""The local backend: chunks in this process, or in a pool of worker processes.

Each chunk is a pure function of its task (:func:`burdenshare.ensemble.chunk.run_chunk`), so
running it here or in a worker gives the same numbers. Workers are started with the ``spawn``
method (forking a process that has started numba's threads is unsafe) and at most
``2 x workers`` chunks are in flight, so memory stays bounded.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from burdenshare.errors import SimulationError

__all__ = ["LocalBackend"]

T = TypeVar("T")
R = TypeVar("R")


class LocalBackend:
    """``workers=0``: in this process (numba still uses every core); ``workers=k``: k processes."""

    def __init__(self, workers: int = 0) -> None:
        if workers < 0:
            raise SimulationError(f"workers must be 0 (in-process) or more, got {workers}")
        self.workers = workers
        self.name = "local" if workers == 0 else "process"
        self.parallelism = max(1, workers)
        self._pool: cf.ProcessPoolExecutor | None = None

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        if self.workers == 0:
            for task in tasks:
                yield fn(task)
            return
        if self._pool is None:
            self._pool = cf.ProcessPoolExecutor(self.workers, mp_context=mp.get_context("spawn"))
        window = 2 * self.workers
        pending: set[cf.Future[R]] = set()
        it = iter(tasks)
        try:
            for task in it:
                pending.add(self._pool.submit(fn, task))
                if len(pending) >= window:
                    done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                    for fut in done:
                        yield fut.result()
            while pending:
                done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                for fut in done:
                    yield fut.result()
        finally:
            for fut in pending:
                fut.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
