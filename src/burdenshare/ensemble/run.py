"""Run an ensemble: chunks on a backend, recorded in the run store, resumable, with progress.

Chunks are recorded in index order (results that finish early wait in a small buffer), so the
finished chunks of a run are always a prefix and ``--resume`` recomputes nothing that was
recorded: each chunk is written in one transaction with its samples, so a run killed at any point
keeps whole chunks only. Recording happens on a writer thread while the next chunks compute
(:class:`~burdenshare.ensemble.writer.ChunkWriter`); the progress callback counts recorded
sessions. With ``precision``, the run stops at the first chunk boundary where the
standard error of P(agreement) is at most ``precision``.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from burdenshare import __version__
from burdenshare.backends import Backend, LocalBackend
from burdenshare.ensemble.accumulate import Accumulator, chunk_stats
from burdenshare.ensemble.chunk import ChunkResult, ChunkTask, run_chunk, sample_columns
from burdenshare.ensemble.resume import check_resume_arguments
from burdenshare.ensemble.sampling import DEFAULT_BLOCK_SIZE, Method
from burdenshare.ensemble.summary import summarise
from burdenshare.ensemble.writer import ChunkWriter
from burdenshare.errors import SimulationError, StoreError
from burdenshare.negotiation import make_negotiator
from burdenshare.scenario.io import LoadedScenario, parse_scenario_text
from burdenshare.store import RunRecord, RunStore

__all__ = ["DEFAULT_CHUNK", "EnsembleResult", "run_ensemble"]

#: sessions per chunk unless told otherwise: four DuckDB row groups (122,880 rows each), so every
#: chunk fills whole row groups. 262,144 (the default before issue 12) left a partial row group
#: per chunk, which DuckDB rewrote when closing the store: 2 s more at 10^7 sessions and a run
#: store of 387 MB instead of 281 MB. It changes no result (draws depend on the session only)
DEFAULT_CHUNK = 491_520
#: most sessions in one run: 10^9 take about half an hour and 39 GB of run store on 2 cores
#: (benchmarks/bench_limits.py measures 10^7: 18 s, 390 MB); 10^10 (the first limit) would
#: need 390 GB, more than the machines this runs on hold, so it was lowered to what is served
MAX_SESSIONS = 1_000_000_000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class EnsembleResult:
    """A finished (or stopped) ensemble: its stored record and summary."""

    record: RunRecord
    summary: dict[str, Any]

    @property
    def run_id(self) -> str:
        return self.record.id

    def to_dict(self) -> dict[str, Any]:
        return {"run": self.record.header(), "summary": self.summary}


def _quantities(loaded: LoadedScenario) -> list[str]:
    sc = loaded.scenario
    q = [f"value.{i}" for i in sc.issue_ids] + [f"value2.{i}" for i in sc.issue_ids]
    q += [f"discounted.{p}" for p in sc.party_names] + [f"discounted2.{p}" for p in sc.party_names]
    return q


def _stats(result: ChunkResult, loaded: LoadedScenario, n_rounds: int) -> dict[str, Any]:
    cols = result.columns
    agreed = cols["outcome"] == 0
    quantities: dict[str, npt.NDArray[np.float64]] = {}
    for iid in loaded.scenario.issue_ids:
        v = np.where(agreed, np.nan_to_num(cols[f"value.{iid}"]), 0.0)
        quantities[f"value.{iid}"] = v
        quantities[f"value2.{iid}"] = v * v
    for p in loaded.scenario.party_names:
        d = np.asarray(cols[f"discounted.{p}"], dtype=np.float64)
        quantities[f"discounted.{p}"] = d
        quantities[f"discounted2.{p}"] = d * d
    return chunk_stats(
        result.start, result.stop, cols["outcome"], cols["round"], quantities, n_rounds
    )


def run_ensemble(
    loaded: LoadedScenario | None,
    *,
    n: int = 100_000,
    seed: int = 0,
    negotiators: Sequence[str] = ("boulware", "boulware"),
    method: Method = "mc",
    chunk_size: int = DEFAULT_CHUNK,
    block_size: int = DEFAULT_BLOCK_SIZE,
    correlations: Sequence[tuple[str, str, float]] = (),
    precision: float | None = None,
    backend: Backend | None = None,
    store: RunStore,
    resume: str | None = None,
    given: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> EnsembleResult:
    """Run (or resume) an ensemble and record it in ``store``; see the module docstring.

    With ``resume``, the run's stored arguments are used; ``given`` holds the arguments the
    caller set alongside it, and any that differs from the stored one is refused
    (:func:`~burdenshare.ensemble.resume.check_resume_arguments`)."""
    backend = backend or LocalBackend()
    if resume is not None:
        record = store.get_run(resume)
        if record.parameters.get("kind") == "tournament":
            raise StoreError(
                f"run {resume} is a tournament; resume it with "
                f"`burdenshare tournament --resume {resume}`"
            )
        if record.status == "finished":
            raise StoreError(f"run {resume} is already finished; nothing to resume")
        check_resume_arguments(record, given or {})
        p = record.parameters
        loaded = parse_scenario_text(
            record.scenario_text or "",
            source=f"run {resume}",
            fmt=str(p.get("scenario_format", "yaml")),
        )
        n, seed, method = int(p["n"]), int(record.seed), p["method"]
        negotiators, chunk_size, block_size = (
            tuple(p["negotiators"]),
            int(p["chunk_size"]),
            int(p["block_size"]),
        )
        correlations = [(str(a), str(b), float(r)) for a, b, r in p.get("correlations", [])]
        precision = p.get("precision")
    else:
        if loaded is None:
            raise SimulationError("give a scenario or a run id to resume")
        _check(n, chunk_size, block_size, precision, negotiators, len(loaded.scenario.parties))
        # a one-session probe: bad correlations, parameters or negotiators fail here, before
        # anything is stored
        run_chunk(
            ChunkTask(
                scenario_text=loaded.text,
                scenario_format=loaded.fmt,
                negotiators=tuple(negotiators),
                n=n,
                index=0,
                start=0,
                stop=1,
                seed=seed,
                method=method,
                block_size=block_size,
                correlations=tuple((str(a), str(b), float(r)) for a, b, r in correlations),
            )
        )
        record = store.create_run(
            scenario_id=loaded.scenario.id,
            scenario_sha256=loaded.sha256,
            scenario_text=loaded.text,
            seed=seed,
            version=__version__,
            backend=backend.name,
            parameters={
                "n": n,
                "scenario_format": loaded.fmt,
                "method": method,
                "negotiators": list(negotiators),
                "chunk_size": chunk_size,
                "block_size": block_size,
                "correlations": [list(c) for c in correlations],
                "precision": precision,
            },
            n_sessions=n,
            columns=sample_columns(loaded.scenario),
        )
    assert loaded is not None
    dates = loaded.scenario.protocol.round_dates()
    acc = Accumulator(n=n, n_rounds=len(dates), quantities=_quantities(loaded))
    done = store.finished_chunks(record.id)
    for row in store.chunk_stats(record.id):
        acc.add(row["stats"])
    resumed_from = acc.done
    n_chunks = math.ceil(n / chunk_size)
    tasks = (
        ChunkTask(
            scenario_text=loaded.text,
            scenario_format=loaded.fmt,
            negotiators=tuple(negotiators),
            n=n,
            index=k,
            start=k * chunk_size,
            stop=min(n, (k + 1) * chunk_size),
            seed=seed,
            method=method,
            block_size=block_size,
            correlations=tuple((str(a), str(b), float(r)) for a, b, r in correlations),
        )
        for k in range(n_chunks)
        if k not in done
    )
    t0 = time.perf_counter()
    compute = 0.0
    recorded = acc.done
    if progress:
        progress(recorded, n)

    def written(sessions: int) -> None:
        nonlocal recorded
        recorded += sessions
        if progress:
            progress(recorded, n)

    next_index = min(set(range(n_chunks)) - done, default=n_chunks)
    buffer: dict[int, ChunkResult] = {}
    stopped_early = False
    results: Iterator[ChunkResult] = backend.map_unordered(run_chunk, tasks)
    # chunks are recorded on a writer thread while the next ones compute (ensemble/writer.py)
    writer = ChunkWriter(store, record.id, on_written=written)
    try:
        for result in results:
            buffer[result.index] = result
            while next_index in buffer:
                res = buffer.pop(next_index)
                stats = _stats(res, loaded, len(dates))
                writer.put(res, stats)
                acc.add(stats)
                compute += res.seconds
                next_index += 1
                if precision is not None and _precise(acc, precision):
                    stopped_early = True
                    break
            if stopped_early:
                break
        writer.finish()
    except BaseException:  # Ctrl-C (KeyboardInterrupt) or an error: keep whole chunks only
        writer.abandon()
        with contextlib.suppress(StoreError):  # a broken store: the run stays resumable
            store.mark_interrupted(record.id)
        raise
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
        backend.close()
    if stopped_early:
        acc.n = acc.done  # the ensemble is the prefix that met the precision
    wall = time.perf_counter() - t0
    settlements = _settlements(store, record.id, loaded, acc.done)
    summary = summarise(loaded.scenario, acc, settlements, dates)
    summary["stopped_by_precision"] = stopped_early
    timings = {
        "wall_seconds": wall,
        "compute_seconds": compute,
        "sessions_this_call": acc.done - resumed_from,
        "sessions_per_second": ((acc.done - resumed_from) / wall) if wall > 0 else math.nan,
    }
    record = store.finish_run(record.id, summary, timings)
    return EnsembleResult(record=record, summary=summary)


def _check(
    n: int,
    chunk_size: int,
    block_size: int,
    precision: float | None,
    negotiators: Sequence[str],
    parties: int = 2,
) -> None:
    if not 1 <= n <= MAX_SESSIONS:
        raise SimulationError(
            f"n must be between 1 and {MAX_SESSIONS:,} (each session takes about 39 bytes of "
            f"run store), got {n:,}",
        )
    if chunk_size < 1 or block_size < 1:
        raise SimulationError(
            f"chunk and block sizes must be positive, got {chunk_size}, {block_size}"
        )
    if precision is not None and not (0 < precision < 0.5):
        raise SimulationError(f"precision is a standard error in (0, 0.5), got {precision}")
    if len(negotiators) != parties:
        count = "two" if parties == 2 else f"{parties} (one per party)"
        raise SimulationError(f"give {count} negotiators, got {list(negotiators)}")
    for spec in negotiators:
        make_negotiator(spec)


def _precise(acc: Accumulator, precision: float) -> bool:
    n = acc.done
    p = acc.counts[0] / n
    return n >= 1000 and math.sqrt(p * (1 - p) / n) <= precision


def _settlements(
    store: RunStore, run_id: str, loaded: LoadedScenario, upto: int
) -> dict[str, npt.NDArray[np.float64]]:
    """Agreed values per issue, read back from the store (sorted later; order is irrelevant)."""
    ids = [i.id for i in loaded.scenario.issues if i.kind != "categorical"]
    cols = store.samples(
        run_id, [f"value.{i}" for i in ids], where_equal=("outcome", 0), below_session=upto
    )
    return {i: np.asarray(cols[f"value.{i}"], dtype=np.float64) for i in ids}
