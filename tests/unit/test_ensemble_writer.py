"""Store writes overlapped with compute (issue 12, item 6): the writer thread of an ensemble.

What must not change with the writer thread: the stored numbers are exactly what the chunks
computed, recorded chunks are a prefix, progress counts recorded sessions, an interrupted run
resumes to the numbers of an uninterrupted one, and a failing writer stops the compute side with
a clear error instead of a hang.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest

from burdenshare.backends import LocalBackend
from burdenshare.ensemble.chunk import ChunkTask, run_chunk
from burdenshare.ensemble.run import EnsembleResult, run_ensemble
from burdenshare.ensemble.writer import DEFAULT_DEPTH
from burdenshare.errors import StoreError
from burdenshare.scenario.io import LoadedScenario
from burdenshare.services import load
from burdenshare.store import RunStore

T = TypeVar("T")
R = TypeVar("R")

N = 12_000
CHUNK = 1_000
SEED = 3


@pytest.fixture(scope="module")
def flagship() -> LoadedScenario:
    return load("us-rok-sma-2019")


class CountingBackend:
    """In-process chunks, counted; with ``stop_after``, Ctrl-C after that many."""

    name = "local"
    parallelism = 1

    def __init__(self, stop_after: int | None = None) -> None:
        self.computed = 0
        self.stop_after = stop_after

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        for task in tasks:
            if self.stop_after is not None and self.computed == self.stop_after:
                raise KeyboardInterrupt
            self.computed += 1
            yield fn(task)

    def close(self) -> None:
        pass


def _ensemble(loaded: LoadedScenario | None, store: RunStore, **kw: Any) -> EnsembleResult:
    args: dict[str, Any] = {"n": N, "seed": SEED, "chunk_size": CHUNK, "store": store}
    if kw.get("resume"):
        args = {"store": store}
    return run_ensemble(loaded, **{**args, **kw})


def _within(seconds: float, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` on a thread; fail (instead of hanging the suite) if it does not return."""
    out: dict[str, Any] = {}

    def target() -> None:
        try:
            out["value"] = fn()
        except BaseException as exc:
            out["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"still running after {seconds} s: the ensemble hangs"
    if "error" in out:
        raise out["error"]
    return out["value"]


def test_stored_samples_are_exactly_what_the_chunks_computed(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    with RunStore(tmp_path / "s.duckdb") as store:
        result = _ensemble(flagship, store, backend=LocalBackend(0))
        stored = store.samples(result.run_id)
    pair = ("boulware", "boulware")
    chunks = [
        run_chunk(
            ChunkTask(flagship.text, flagship.fmt, pair, N, k, k * CHUNK, (k + 1) * CHUNK, SEED)
        )
        for k in range(N // CHUNK)
    ]
    assert np.array_equal(stored["session"], np.arange(N))
    for name in chunks[0].columns:
        want = np.concatenate([c.columns[name] for c in chunks])
        assert stored[name].tobytes() == want.astype(stored[name].dtype).tobytes(), name


def test_progress_counts_recorded_sessions_never_ahead_of_the_store(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    with RunStore(tmp_path / "s.duckdb") as store:
        holder: dict[str, str] = {}

        def progress(done: int, total: int) -> None:
            runs = store.list_runs()
            if runs:
                holder["id"] = runs[0].id
                stored = len(store.finished_chunks(runs[0].id)) * CHUNK
                seen.append((done, stored))
            assert total == N

        _ensemble(flagship, store, backend=LocalBackend(0), progress=progress)
    reported = [d for d, _ in seen]
    assert reported == sorted(reported)
    assert reported[0] == 0
    assert reported[-1] == N
    assert set(reported) == set(range(0, N + 1, CHUNK))  # one call per recorded chunk
    assert all(done <= stored for done, stored in seen)


def test_a_failing_writer_stops_the_compute_side_with_its_error(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    original = store.record_chunk

    def broken(run_id: str, index: int, *args: Any) -> bool:
        if index == 2:
            raise StoreError(f"cannot record chunk {index} of run {run_id}: disk full")
        return original(run_id, index, *args)

    store.record_chunk = broken  # type: ignore[method-assign]
    backend = CountingBackend()
    with store, pytest.raises(StoreError, match=r"cannot record chunk 2 of run .*: disk full"):
        _within(60, lambda: _ensemble(flagship, store, backend=backend))
    # the compute side stopped soon after: the failing chunk, those queued, one in hand
    assert backend.computed <= 2 + 1 + DEFAULT_DEPTH + 1 < N // CHUNK
    with RunStore(tmp_path / "s.duckdb") as again:
        (run,) = again.list_runs()
        assert run.status == "interrupted"
        assert again.finished_chunks(run.id) == {0, 1}


def test_an_unexpected_writer_failure_is_reported_as_a_store_error(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    store = RunStore(tmp_path / "s.duckdb")

    def broken(*args: Any) -> bool:
        raise RuntimeError("the disk caught fire")

    store.record_chunk = broken  # type: ignore[method-assign]
    with (
        store,
        pytest.raises(
            StoreError, match=r"writer of run \w+ .* failed: RuntimeError: the disk caught"
        ),
    ):
        _within(60, lambda: _ensemble(flagship, store, backend=CountingBackend()))


def test_ctrl_c_keeps_a_prefix_of_whole_chunks_and_resume_is_exact(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    with RunStore(tmp_path / "ref.duckdb") as store:
        reference = _ensemble(flagship, store, backend=LocalBackend(0))
        ref_samples = store.samples(reference.run_id)
    with RunStore(tmp_path / "s.duckdb") as store:
        with pytest.raises(KeyboardInterrupt):
            _ensemble(flagship, store, backend=CountingBackend(stop_after=5))
        (run,) = store.list_runs()
        assert run.status == "interrupted"
        done = store.finished_chunks(run.id)
        assert done == set(range(len(done)))  # a prefix, whole chunks
        assert 0 < len(done) <= 5
        resumed = _ensemble(None, store, resume=run.id, backend=LocalBackend(0))
        samples = store.samples(run.id)
    assert resumed.summary == reference.summary
    for name, values in ref_samples.items():
        assert samples[name].tobytes() == values.tobytes(), name


def test_chunks_compute_while_earlier_chunks_are_written(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    """The overlap itself: with a slow store, later chunks compute during earlier writes (before
    issue 12 every write finished before the next chunk started)."""
    events: list[tuple[str, int, float]] = []
    store = RunStore(tmp_path / "s.duckdb")
    original = store.record_chunk

    def slow(run_id: str, index: int, *args: Any) -> bool:
        events.append(("write", index, time.perf_counter()))
        time.sleep(0.2)
        ok = original(run_id, index, *args)
        events.append(("written", index, time.perf_counter()))
        return ok

    class Timed(CountingBackend):
        def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
            for result in super().map_unordered(fn, tasks):
                events.append(("computed", self.computed - 1, time.perf_counter()))
                yield result

    store.record_chunk = slow  # type: ignore[method-assign]
    with store:
        _ensemble(flagship, store, n=6 * CHUNK, backend=Timed())
    written = {i: t for kind, i, t in events if kind == "written"}
    computed = {i: t for kind, i, t in events if kind == "computed"}
    assert sorted(written) == list(range(6))
    # chunk k + 1 was computed before chunk k's write ended, for every k but the last
    assert all(computed[k + 1] < written[k] for k in range(5))
