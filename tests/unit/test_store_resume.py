"""Resume safety for real: SIGKILL a writer process mid-run, reopen, finish, compare.

Each chunk is one transaction, so whatever moment the kill lands, the store must hold only whole
chunks (samples exactly covering the recorded chunks' session ranges), and finishing the run from
there must give the same totals and samples as a run that was never interrupted.

DuckDB lets one process at a time hold the file for writing, so the writer reports each finished
chunk on stdout (the side channel) instead of the test polling the store.
"""

from __future__ import annotations

import inspect
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Collection
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from burdenshare.errors import StoreError
from burdenshare.store import RunStore

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")

CHUNK = 50_000
N_CHUNKS = 8
KILL_AFTER = 2  # the writer is killed after (or while) it records the chunk after this one
COLUMNS = {"value": "DOUBLE", "agreed": "BOOLEAN", "round": "SMALLINT", "outcome": "VARCHAR"}
RUN_ARGS: dict[str, Any] = {
    "scenario_id": "us-rok-sma-2019",
    "scenario_sha256": "cd" * 32,
    "scenario_text": "id: us-rok-sma-2019\n",
    "seed": 11,
    "version": "0.1.0",
    "backend": "local",
    "parameters": {"n": CHUNK * N_CHUNKS, "chunk_size": CHUNK},
    "n_sessions": CHUNK * N_CHUNKS,
    "columns": COLUMNS,
}


def chunk_columns(start: int, stop: int) -> dict[str, Any]:
    """Deterministic samples for sessions start..stop-1 (the writer runs this same source)."""
    s = np.arange(start, stop)
    return {
        "value": np.sin(s * 0.001) * 1e3 + s * 1e-7,
        "agreed": s % 3 == 0,
        "round": (s % 11).astype(np.int16),
        "outcome": np.where(s % 3 == 0, "deal", "no deal"),
    }


def chunk_stats(start: int, stop: int) -> dict[str, Any]:
    values = chunk_columns(start, stop)["value"]
    return {"sum": float(values.sum()), "deals": int((np.arange(start, stop) % 3 == 0).sum())}


WRITER = """
from __future__ import annotations
import sys, time
import numpy as np
from burdenshare.store import RunStore

{helpers}

path, pause = sys.argv[1], float(sys.argv[2])
bounds = [(i * {chunk}, (i + 1) * {chunk}) for i in range({n_chunks})]
data = [(chunk_columns(a, b), chunk_stats(a, b)) for a, b in bounds]  # so chunks are all I/O
with RunStore(path) as store:
    run = store.create_run(**{run_args!r})
    print("run", run.id, flush=True)
    for i, ((start, stop), (columns, stats)) in enumerate(zip(bounds, data)):
        store.record_chunk(run.id, i, start, stop, columns, stats)
        print("chunk", i, flush=True)
        time.sleep(pause)
    print("all", flush=True)
    sys.stdin.read()  # hold on until killed, so the test always kills a live writer
"""


def _writer_code() -> str:
    helpers = inspect.getsource(chunk_columns) + "\n" + inspect.getsource(chunk_stats)
    return WRITER.format(helpers=helpers, run_args=RUN_ARGS, n_chunks=N_CHUNKS, chunk=CHUNK)


def _lines(stream: Any, out: queue.Queue[str | None]) -> None:
    for line in stream:
        out.put(line.strip())
    out.put(None)


def _kill_mid_run(path: Path, pause: float, kill_late: bool) -> tuple[str, set[int]]:
    """Start the writer and SIGKILL it after it reports chunk KILL_AFTER; (run id, reported).

    With ``kill_late``, wait first for about 60% of the time the last chunk took, so the kill
    lands in the middle of recording the next chunk (mostly inside its transaction).
    """
    proc = subprocess.Popen(
        [sys.executable, "-c", _writer_code(), str(path), str(pause)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True).start()
    run_id, reported, seen_at = "", set(), []
    try:
        while True:
            try:
                line = lines.get(timeout=60)
            except queue.Empty:
                pytest.fail("the writer process stopped reporting")
            if line is None:
                pytest.fail(f"the writer process ended early: {proc.stderr.read()}")  # type: ignore[union-attr]
            kind, _, value = line.partition(" ")
            if kind == "run":
                run_id = value
            elif kind == "chunk":
                reported.add(int(value))
                seen_at.append(time.perf_counter())
                if int(value) == KILL_AFTER:
                    if kill_late:
                        time.sleep(0.6 * (seen_at[-1] - seen_at[-2]))
                    proc.send_signal(signal.SIGKILL)
                    break
    finally:
        proc.kill()
        proc.wait(timeout=30)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert proc.returncode == -signal.SIGKILL
    return run_id, reported


def _record_all(store: RunStore, run_id: str, skip: Collection[int] = ()) -> None:
    for i in range(N_CHUNKS):
        if i not in skip:
            start, stop = i * CHUNK, (i + 1) * CHUNK
            assert store.record_chunk(
                run_id, i, start, stop, chunk_columns(start, stop), chunk_stats(start, stop)
            )


@pytest.mark.parametrize(
    ("pause", "kill_late"),
    [(0.0, True), (0.05, False)],
    ids=["kill-while-writing", "kill-between-chunks"],
)
def test_killed_writer_leaves_whole_chunks_and_resumes(
    tmp_path: Path, pause: float, kill_late: bool
) -> None:
    path = tmp_path / "runs.duckdb"
    run_id, reported = _kill_mid_run(path, pause, kill_late)

    with RunStore(path) as store:
        run = store.get_run(run_id)
        assert run.status == "running"  # nobody got the chance to mark it
        done = store.finished_chunks(run_id)
        # every reported chunk survived; at most the chunks after it were also committed
        assert reported <= done
        assert done == set(range(len(done)))
        assert len(done) < N_CHUNKS

        # only whole chunks: the stored sessions are exactly the recorded ranges
        rows = store.chunk_stats(run_id)
        sessions = store.samples(run_id, ["session"])["session"]
        ranges = [np.arange(r["start"], r["stop"]) for r in rows]
        assert np.array_equal(sessions, np.concatenate(ranges))
        for r in rows:
            inside = np.count_nonzero((sessions >= r["start"]) & (sessions < r["stop"]))
            assert inside == r["stop"] - r["start"]
            assert r["stats"] == chunk_stats(r["start"], r["stop"])
        assert run.n_sessions_done == len(sessions) == CHUNK * len(done)
        assert run.chunks_done == len(done)

        # resume: recorded chunks are skipped (and could not count twice anyway)
        first = 0
        assert not store.record_chunk(
            run_id, first, 0, CHUNK, chunk_columns(0, CHUNK), chunk_stats(0, CHUNK)
        )
        _record_all(store, run_id, skip=done)
        resumed = store.finish_run(run_id, {"note": "resumed"}, {})

        reference_id = store.create_run(**RUN_ARGS).id
        _record_all(store, reference_id)
        reference = store.finish_run(reference_id, {"note": "resumed"}, {})

        assert resumed.n_sessions_done == reference.n_sessions_done == CHUNK * N_CHUNKS
        assert resumed.chunks_done == reference.chunks_done == N_CHUNKS
        assert [r["stats"] for r in store.chunk_stats(run_id)] == [
            r["stats"] for r in store.chunk_stats(reference_id)
        ]
        got, want = store.samples(run_id), store.samples(reference_id)
        assert list(got) == list(want)
        for name in got:
            if got[name].dtype == object:
                assert got[name].tolist() == want[name].tolist(), name
            else:
                assert got[name].tobytes() == want[name].tobytes(), name


def test_a_second_writer_is_refused_while_one_holds_the_store(tmp_path: Path) -> None:
    path = tmp_path / "runs.duckdb"
    code = (
        "import sys; from burdenshare.store import RunStore\n"
        "s = RunStore(sys.argv[1]); print('open', flush=True); sys.stdin.read()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "open"
        t0 = time.monotonic()
        with pytest.raises(StoreError, match=r"cannot open run store .*runs\.duckdb"):
            RunStore(path, wait=0.5)
        assert time.monotonic() - t0 >= 0.5  # it waited for the holder before giving up
    finally:
        proc.kill()
        proc.communicate(timeout=30)
    with RunStore(path) as store:  # the lock goes with the process
        assert store.list_runs() == []


def test_a_second_writer_waits_for_the_first_to_finish(tmp_path: Path) -> None:
    path = tmp_path / "runs.duckdb"
    code = (
        "import sys, time; from burdenshare.store import RunStore\n"
        "s = RunStore(sys.argv[1]); print('open', flush=True); time.sleep(1.0); s.close()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "open"
        with RunStore(path, wait=30) as store:  # opens once the other process lets go
            assert store.list_runs() == []
    finally:
        proc.communicate(timeout=30)
