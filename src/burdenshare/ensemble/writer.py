"""Store writes overlapped with compute: one writer thread records chunks while the next compute.

An ensemble used to compute a chunk, then record it, then compute the next: at 10^7 sessions the
recording took about half the time, with the cores idle. :class:`ChunkWriter` records chunks on
one background thread, in the order they are handed over, while the caller computes the next
ones. DuckDB releases the GIL while it inserts, and the engine's compiled kernel and numpy's
array operations run outside the interpreter too, so the two overlap.

What stays as it was:

- **Order and atomicity.** Chunks are recorded one at a time, in the order :meth:`put` got them
  (the ensemble hands them over in index order), each in its own transaction
  (:meth:`~burdenshare.store.RunStore.record_chunk`), so the recorded chunks of a run are always
  a prefix and ``--resume`` recomputes exactly the rest.
- **Bounded memory.** At most ``depth`` chunks wait; :meth:`put` blocks while the queue is full.
- **Progress** counts *recorded* sessions, reported on the caller's thread through
  ``on_written`` (from :meth:`put` and :meth:`finish`).
- **Errors.** A failing write stops the writer; the next :meth:`put` or :meth:`finish` raises
  that error on the caller's thread (a :class:`~burdenshare.errors.StoreError` naming the chunk;
  an unexpected exception is wrapped in one), so the compute side stops instead of waiting on
  a writer that is gone.
- **Interruption.** :meth:`abandon` (on Ctrl-C or any error) lets the chunk being written finish
  or roll back, drops the ones still waiting and joins the thread, so the caller can then mark
  the run interrupted.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Mapping
from typing import Any

from burdenshare.ensemble.chunk import ChunkResult
from burdenshare.errors import BurdenshareError, StoreError
from burdenshare.store import RunStore

__all__ = ["DEFAULT_DEPTH", "ChunkWriter"]

#: chunks that may wait for the writer (each holds its per-session columns in memory)
DEFAULT_DEPTH = 2
#: how often a blocked caller looks whether the writer has failed (seconds)
_POLL = 0.05

_Item = tuple[ChunkResult, Mapping[str, Any]]


class ChunkWriter:
    """Records the chunks of run ``run_id`` into ``store`` on one background thread.

    ``on_written(sessions)`` is called on the caller's thread, once per recorded chunk, with the
    number of sessions it held. Call :meth:`finish` (all written) or :meth:`abandon` (stop
    soon) exactly once.
    """

    def __init__(
        self,
        store: RunStore,
        run_id: str,
        *,
        on_written: Callable[[int], None] | None = None,
        depth: int = DEFAULT_DEPTH,
    ) -> None:
        if depth < 1:
            raise ValueError(f"depth must be at least 1, got {depth}")
        self._store = store
        self._run_id = run_id
        self._on_written = on_written
        self._todo: queue.Queue[_Item | None] = queue.Queue(maxsize=depth)
        self._written: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, name=f"burdenshare-writer-{run_id}", daemon=True
        )
        self._thread.start()

    # ------------------------------------------------------------ caller side

    def put(self, result: ChunkResult, stats: Mapping[str, Any]) -> None:
        """Hand over a chunk to record (blocks while ``depth`` chunks wait); raises the
        writer's error if it has failed."""
        self._report()
        while True:
            self._raise_if_failed()
            try:
                self._todo.put((result, stats), timeout=_POLL)
            except queue.Full:
                self._report()
                continue
            return

    def finish(self) -> None:
        """Wait until every chunk handed over is recorded; raises the writer's error, if any."""
        while True:
            self._raise_if_failed()
            try:
                self._todo.put(None, timeout=_POLL)
                break
            except queue.Full:
                self._report()
        while self._thread.is_alive():
            self._thread.join(_POLL)
            self._report()
        self._report()
        self._raise_if_failed()

    def abandon(self) -> None:
        """Stop after the chunk being written (the others waiting are dropped) and join."""
        self._stop.set()
        while True:  # empty the queue so the writer cannot block, then wake it
            try:
                self._todo.get_nowait()
            except queue.Empty:
                break
        with contextlib.suppress(queue.Full):  # emptied just above; the writer only takes
            self._todo.put_nowait(None)
        self._thread.join()

    def _report(self) -> None:
        while True:
            try:
                sessions = self._written.get_nowait()
            except queue.Empty:
                return
            if self._on_written is not None:
                self._on_written(sessions)

    def _raise_if_failed(self) -> None:
        exc = self._error
        if exc is None:
            return
        if isinstance(exc, BurdenshareError):
            raise exc
        raise StoreError(
            f"the run store writer of run {self._run_id} ({self._store.path}) failed: "
            f"{type(exc).__name__}: {exc}"
        ) from exc

    # ------------------------------------------------------------ writer side

    def _run(self) -> None:
        while not self._stop.is_set():
            item = self._todo.get()
            if item is None or self._stop.is_set():
                return
            result, stats = item
            try:
                self._store.record_chunk(
                    self._run_id, result.index, result.start, result.stop, result.columns, stats
                )
            except BaseException as exc:  # surfaced on the caller's thread
                self._error = exc
                return
            self._written.put(result.stop - result.start)
