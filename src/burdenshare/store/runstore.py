"""An embedded DuckDB store of ensemble runs: one file, one row per run, one table of samples each.

Each chunk of sessions is written in one transaction together with its row in ``chunks``, so a
process killed at any moment leaves only whole chunks behind, and recording a chunk twice is a
no-op. A run's progress counters are recomputed from ``chunks`` in that same transaction.

>>> import tempfile, numpy as np
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as tmp, RunStore(Path(tmp) / "runs.duckdb") as store:
...     run = store.create_run(scenario_id="demo", scenario_sha256="0" * 64,
...                            scenario_text="id: demo", seed=1, version="0.1.0",
...                            backend="local", parameters={"n": 4},
...                            n_sessions=4, columns={"value": "DOUBLE", "agreed": "BOOLEAN"})
...     store.record_chunk(run.id, 0, 0, 2, {"value": np.array([1.5, 2.5]),
...                                          "agreed": np.array([True, False])}, {"deals": 1})
...     store.record_chunk(run.id, 0, 0, 2, {"value": np.array([1.5, 2.5]),
...                                          "agreed": np.array([True, False])}, {"deals": 1})
...     store.get_run(run.id).n_sessions_done
...     store.samples(run.id, ["value"])["value"].tolist()
True
False
2
[1.5, 2.5]
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import duckdb
import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from burdenshare.errors import StoreError
from burdenshare.store.location import default_store_path
from burdenshare.store.records import RUN_STATUSES, RunRecord, dumps, loads, new_run_id, utc_now
from burdenshare.store.schema import (
    DDL,
    OFFER_KEYS,
    SCHEMA_VERSION,
    check_columns,
    check_run_id,
    offers_table,
    quote_ident,
    samples_table,
)

__all__ = ["RunStore"]

_SHA256_HEX = frozenset("0123456789abcdef")
_CHUNK_VIEW = "_burdenshare_chunk"
_OFFERS_VIEW = "_burdenshare_offers"
_RUN_FIELDS = (
    "id, created_at, scenario_id, scenario_sha256, {text}, seed, version, backend, parameters, "
    "sample_columns, status, n_sessions_planned, n_sessions_done, chunks_done, timings, summary, "
    "finished_at"
)


#: how long opening a store waits for another process to release it
LOCK_WAIT_SECONDS = 60.0
#: DuckDB's memory budget per open store (it spills beyond this)
MEMORY_LIMIT = "128MB"


class RunStore:
    """A DuckDB file of ensemble runs, their per-chunk statistics and their samples.

    ``RunStore(path)`` opens (creating if needed, with its directory) a store for writing.
    ``read_only=True`` opens an existing file for reading; if the file does not exist, the store
    behaves as an empty one and creates nothing. DuckDB lets one process at a time hold a file
    open for writing. One ``RunStore`` may be shared between threads (calls are serialised).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        read_only: bool = False,
        wait: float = LOCK_WAIT_SECONDS,
    ) -> None:
        self._path = Path(path).expanduser()
        self._read_only = read_only
        self._wait = wait
        self._lock = threading.RLock()
        self._con: duckdb.DuckDBPyConnection | None = self._connect()

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        read_only: bool = False,
        wait: float = LOCK_WAIT_SECONDS,
    ) -> Self:
        """The store at ``path``, or at :func:`default_store_path` when ``path`` is None."""
        return cls(default_store_path() if path is None else path, read_only=read_only, wait=wait)

    @property
    def path(self) -> Path:
        """The store file."""
        return self._path

    @property
    def read_only(self) -> bool:
        """Whether writes are refused."""
        return self._read_only

    def close(self) -> None:
        """Close the file (idempotent); later calls raise :class:`StoreError`."""
        with self._lock:
            if self._con is not None:
                con, self._con = self._con, None
                with contextlib.suppress(duckdb.Error):
                    con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self._read_only else "read-write"
        state = "closed" if self._con is None else mode
        return f"RunStore({str(self._path)!r}, {state})"

    # ------------------------------------------------------------------ runs

    def create_run(
        self,
        *,
        scenario_id: str,
        scenario_sha256: str,
        scenario_text: str,
        seed: int,
        version: str,
        backend: str,
        parameters: Mapping[str, Any],
        n_sessions: int,
        columns: Mapping[str, str],
        offer_columns: Mapping[str, str] | None = None,
    ) -> RunRecord:
        """Register a new run (status ``running``) and create its empty samples table.

        ``columns`` maps each sample column name (any text, e.g.
        ``"parties.US.utility.contribution.reservation"``) to a DuckDB type from
        :data:`~burdenshare.store.schema.SAMPLE_TYPES`. With ``offer_columns`` (same form) the
        run also gets an offer log: one row per offer, keyed by ``session`` and ``offer``, filled
        by :meth:`record_chunk` with each chunk's offers.
        """
        for name, value in (
            ("scenario_id", scenario_id),
            ("scenario_text", scenario_text),
            ("version", version),
            ("backend", backend),
        ):
            if not isinstance(value, str):
                raise StoreError(f"{name} must be text, got {value!r}")
        sha = scenario_sha256.lower() if isinstance(scenario_sha256, str) else ""
        if len(sha) != 64 or not set(sha) <= _SHA256_HEX:
            raise StoreError(f"scenario_sha256 must be 64 hex characters, got {scenario_sha256!r}")
        _check_int("seed", seed, minimum=None)
        _check_int("n_sessions", n_sessions, minimum=1)
        cols = check_columns(columns)
        offer_cols = None if offer_columns is None else check_columns(offer_columns, (*OFFER_KEYS,))
        params = dumps(dict(parameters), "run parameters")
        col_defs = "".join(f", {quote_ident(n)} {t}" for n, t in cols.items())
        with self._writing() as con:
            run_id = new_run_id()
            while self._exists(con, run_id):
                run_id = new_run_id()
            with self._transaction(con, f"create a run in {self._path}"):
                con.execute(
                    "INSERT INTO runs VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM runs), "
                    "?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, 0, 0, '{}', NULL, NULL)",
                    [
                        run_id,
                        utc_now(),
                        scenario_id,
                        sha,
                        scenario_text,
                        str(seed),
                        version,
                        backend,
                        params,
                        dumps(list(cols.items()), "sample columns"),
                        n_sessions,
                    ],
                )
                con.execute(
                    f"CREATE TABLE {samples_table(run_id)} (session BIGINT PRIMARY KEY{col_defs})"
                )
                if offer_cols is not None:
                    defs = ", ".join(
                        f"{quote_ident(n)} {t}" for n, t in {**OFFER_KEYS, **offer_cols}.items()
                    )
                    con.execute(f"CREATE TABLE {offers_table(run_id)} ({defs})")
            return self._get(con, run_id, with_text=True)

    def get_run(self, run_id: str) -> RunRecord:
        """The run's full record, scenario text included."""
        check_run_id(run_id)
        with self._reading() as con:
            return self._get(con, run_id, with_text=True)

    def list_runs(self, limit: int | None = 50) -> list[RunRecord]:
        """Up to ``limit`` runs, newest first, without their scenario text (``None``)."""
        if limit is not None:
            _check_int("limit", limit, minimum=1)
        sql = (
            f"SELECT {_RUN_FIELDS.format(text='NULL')} FROM runs ORDER BY created_at DESC, seq DESC"
        )
        with self._reading() as con:
            if limit is not None:
                rows = self._fetchall(con, sql + " LIMIT ?", [limit])
            else:
                rows = self._fetchall(con, sql)
        return [_record(row) for row in rows]

    def finish_run(
        self, run_id: str, summary: Mapping[str, Any] | None, timings: Mapping[str, Any]
    ) -> RunRecord:
        """Mark the run finished with its summary and timings; returns the updated record."""
        check_run_id(run_id)
        summary_json = None if summary is None else dumps(dict(summary), "run summary")
        timings_json = dumps(dict(timings), "run timings")
        with self._writing() as con:
            self._get(con, run_id, with_text=False)
            with self._transaction(con, f"finish run {run_id} in {self._path}"):
                con.execute(
                    "UPDATE runs SET status = 'finished', summary = ?, timings = ?, "
                    "finished_at = ? WHERE id = ?",
                    [summary_json, timings_json, utc_now(), run_id],
                )
            return self._get(con, run_id, with_text=True)

    def mark_interrupted(self, run_id: str) -> RunRecord:
        """Mark a running run as interrupted (a finished run stays finished)."""
        check_run_id(run_id)
        with self._writing() as con:
            self._get(con, run_id, with_text=False)
            with self._transaction(con, f"mark run {run_id} interrupted in {self._path}"):
                con.execute(
                    "UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'running'",
                    [run_id],
                )
            return self._get(con, run_id, with_text=True)

    def delete_run(self, run_id: str) -> None:
        """Remove the run, its chunks and its samples."""
        check_run_id(run_id)
        with self._writing() as con:
            self._get(con, run_id, with_text=False)
            with self._transaction(con, f"delete run {run_id} from {self._path}"):
                con.execute(f"DROP TABLE IF EXISTS {samples_table(run_id)}")
                con.execute(f"DROP TABLE IF EXISTS {offers_table(run_id)}")
                con.execute("DELETE FROM chunks WHERE run_id = ?", [run_id])
                con.execute("DELETE FROM runs WHERE id = ?", [run_id])

    # ---------------------------------------------------------------- chunks

    def record_chunk(
        self,
        run_id: str,
        chunk_index: int,
        start: int,
        stop: int,
        columns: Mapping[str, np.ndarray],
        stats: Mapping[str, Any],
        offers: Mapping[str, np.ndarray] | None = None,
    ) -> bool:
        """Store sessions ``start .. stop-1`` of a chunk and its statistics, all or nothing.

        Returns False, changing nothing, if chunk ``chunk_index`` is already recorded. ``columns``
        must hold exactly the run's sample columns, each a 1-D array of ``stop - start`` values.
        A run with an offer log needs ``offers``: ``session`` (inside the chunk), ``offer`` and
        every offer column, 1-D arrays of one length (zero when no offer was made); a run
        without one refuses them. Recording a chunk of an interrupted run sets it running again;
        a finished run takes no new chunks.
        """
        check_run_id(run_id)
        _check_int("chunk_index", chunk_index, minimum=0)
        _check_int("start", start, minimum=0)
        _check_int("stop", stop, minimum=start + 1)
        chunk_index, start, stop = int(chunk_index), int(start), int(stop)
        stats_json = dumps(dict(stats), f"statistics of chunk {chunk_index} of run {run_id}")
        with self._writing() as con:
            run = self._get(con, run_id, with_text=False)
            if self._has_chunk(con, run_id, chunk_index):
                return False
            where = f"chunk {chunk_index} of run {run_id} in {self._path}"
            if run.status == "finished":
                raise StoreError(f"cannot record {where}: the run is finished")
            if stop > run.n_sessions_planned:
                raise StoreError(
                    f"cannot record {where}: sessions {start}..{stop - 1} go past the "
                    f"{run.n_sessions_planned} planned"
                )
            table = _chunk_table(run.columns, columns, start, stop, where)
            offer_cols = self._offer_columns(con, run_id)
            log = _offers_table(offer_cols, offers, start, stop, where)
            targets = ", ".join(["session", *(quote_ident(n) for n in run.columns)])
            sources = ", ".join(f'"_c{i}"' for i in range(len(run.columns) + 1))
            try:
                con.register(_CHUNK_VIEW, table)
                if log is not None:
                    con.register(_OFFERS_VIEW, log)
                con.begin()
                con.execute(
                    f"INSERT INTO {samples_table(run_id)} ({targets}) "
                    f"SELECT {sources} FROM {_CHUNK_VIEW}"
                )
                if log is not None and log.num_rows:
                    names = ", ".join(quote_ident(n) for n in offer_cols or {})
                    cols = ", ".join(f'"_c{i}"' for i in range(len(offer_cols or {})))
                    con.execute(
                        f"INSERT INTO {offers_table(run_id)} ({names}) "
                        f"SELECT {cols} FROM {_OFFERS_VIEW}"
                    )
                con.execute(
                    "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?)",
                    [run_id, chunk_index, start, stop, stats_json, utc_now()],
                )
                con.execute(
                    "UPDATE runs SET status = 'running', "
                    "n_sessions_done = (SELECT coalesce(sum(stop - start), 0) FROM chunks "
                    "WHERE run_id = $id), "
                    "chunks_done = (SELECT count(*) FROM chunks WHERE run_id = $id) "
                    "WHERE id = $id",
                    {"id": run_id},
                )
                con.commit()
            except duckdb.Error as exc:
                with contextlib.suppress(duckdb.Error):
                    con.rollback()
                if self._has_chunk(con, run_id, chunk_index):
                    return False  # recorded meanwhile through another connection
                if isinstance(exc, duckdb.ConstraintException):
                    raise StoreError(
                        f"cannot record {where}: some of sessions {start}..{stop - 1} are "
                        "already stored by another chunk"
                    ) from exc
                raise StoreError(f"cannot record {where}: {exc}") from exc
            finally:
                for view in (_CHUNK_VIEW, _OFFERS_VIEW):
                    with contextlib.suppress(duckdb.Error):
                        con.unregister(view)
            return True

    def finished_chunks(self, run_id: str) -> set[int]:
        """The indices of the run's recorded chunks."""
        check_run_id(run_id)
        with self._reading() as con:
            self._get(con, run_id, with_text=False)
            rows = self._fetchall(con, "SELECT chunk_index FROM chunks WHERE run_id = ?", [run_id])
        return {int(row[0]) for row in rows}

    def chunk_stats(self, run_id: str) -> list[dict[str, Any]]:
        """One dict per recorded chunk, by chunk index.

        Keys: ``chunk_index``, ``start``, ``stop``, ``finished_at`` and ``stats`` (the mapping
        given to :meth:`record_chunk`, read back from JSON).
        """
        check_run_id(run_id)
        with self._reading() as con:
            self._get(con, run_id, with_text=False)
            rows = self._fetchall(
                con,
                "SELECT chunk_index, start, stop, finished_at, stats FROM chunks "
                "WHERE run_id = ? ORDER BY chunk_index",
                [run_id],
            )
        return [
            {
                "chunk_index": int(index),
                "start": int(start),
                "stop": int(stop),
                "finished_at": finished_at,
                "stats": loads(stats, f"statistics of chunk {index} of run {run_id}"),
            }
            for index, start, stop, finished_at, stats in rows
        ]

    # --------------------------------------------------------------- samples

    def samples(
        self,
        run_id: str,
        columns: Sequence[str] | None = None,
        *,
        where_equal: tuple[str, int | float | bool] | None = None,
        below_session: int | None = None,
    ) -> dict[str, np.ndarray]:
        """The run's stored samples as arrays ordered by session.

        With ``columns=None``: ``session`` and every sample column; otherwise just the named
        columns (``"session"`` may be among them). VARCHAR columns come back as object arrays.
        ``where_equal=(column, value)`` keeps the sessions where that column equals the value,
        and ``below_session`` those with a smaller session index; both filter inside DuckDB,
        so only what is asked for is loaded.
        """
        check_run_id(run_id)
        with self._reading() as con:
            run = self._get(con, run_id, with_text=False)
            if isinstance(columns, str):
                raise StoreError(f"columns must be a list of names, not the text {columns!r}")
            names = ["session", *run.columns] if columns is None else list(columns)
            unknown = [n for n in names if n != "session" and n not in run.columns]
            if unknown:
                raise StoreError(
                    f"run {run_id} in {self._path} has no sample column(s) "
                    f"{', '.join(map(repr, unknown))}"
                )
            if not names:
                return {}
            select = ", ".join(f'{quote_ident(n)} AS "_c{i}"' for i, n in enumerate(names))
            conditions, params = [], []
            if where_equal is not None:
                col, value = where_equal
                if col != "session" and col not in run.columns:
                    raise StoreError(f"run {run_id} in {self._path} has no sample column {col!r}")
                conditions.append(f"{quote_ident(col)} = ?")
                params.append(value)
            if below_session is not None:
                conditions.append("session < ?")
                params.append(int(below_session))
            where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
            sql = f"SELECT {select} FROM {samples_table(run_id)}{where} ORDER BY session"
            try:
                arrays = con.execute(sql, params).fetchnumpy()
            except duckdb.Error as exc:
                raise StoreError(
                    f"cannot read samples of run {run_id} in {self._path}: {exc}"
                ) from exc
        return {name: _unmasked(arrays[f"_c{i}"]) for i, name in enumerate(names)}

    def offer_columns(self, run_id: str) -> dict[str, str] | None:
        """The run's offer-log columns and their types (``session`` and ``offer`` first), or
        None when the run keeps no offer log."""
        check_run_id(run_id)
        with self._reading() as con:
            self._get(con, run_id, with_text=False)
            return self._offer_columns(con, run_id)

    def offers(self, run_id: str, columns: Sequence[str] | None = None) -> dict[str, np.ndarray]:
        """The run's offer log as arrays ordered by session, then offer (every column, or the
        named ones). A run without an offer log raises :class:`StoreError`."""
        check_run_id(run_id)
        with self._reading() as con:
            self._get(con, run_id, with_text=False)
            declared = self._offer_columns(con, run_id)
            if declared is None:
                raise StoreError(f"run {run_id} in {self._path} keeps no offer log")
            names = list(declared) if columns is None else list(columns)
            unknown = [n for n in names if n not in declared]
            if unknown:
                raise StoreError(
                    f"the offer log of run {run_id} has no column(s) "
                    f"{', '.join(map(repr, unknown))}"
                )
            select = ", ".join(f'{quote_ident(n)} AS "_c{i}"' for i, n in enumerate(names))
            sql = f"SELECT {select} FROM {offers_table(run_id)} ORDER BY session, offer"
            try:
                arrays = con.execute(sql).fetchnumpy()
            except duckdb.Error as exc:
                raise StoreError(f"cannot read the offers of run {run_id}: {exc}") from exc
        return {name: _unmasked(arrays[f"_c{i}"]) for i, name in enumerate(names)}

    def write_offers(self, run_id: str, path: str | os.PathLike[str], fmt: str) -> None:
        """Write the run's offer log, ordered by session and offer, to ``path`` (as
        :meth:`write_samples`). A run without an offer log raises :class:`StoreError`."""
        self._copy(run_id, path, fmt, what="offers")

    def write_samples(self, run_id: str, path: str | os.PathLike[str], fmt: str) -> None:
        """Write the run's samples, ordered by session, to ``path`` with DuckDB's ``COPY``.

        ``fmt`` is ``"parquet"`` or ``"csv"`` (with a header). An existing file is replaced; use
        :func:`burdenshare.store.export_run` for the careful version with a metadata sidecar.
        """
        self._copy(run_id, path, fmt, what="sessions")

    def _copy(self, run_id: str, path: str | os.PathLike[str], fmt: str, *, what: str) -> None:
        check_run_id(run_id)
        options = _COPY_OPTIONS.get(fmt) if isinstance(fmt, str) else None
        if options is None:
            raise StoreError(f"unknown export format {fmt!r}: expected one of parquet, csv")
        with self._reading() as con:
            self._get(con, run_id, with_text=False)
            if what == "offers":
                if self._offer_columns(con, run_id) is None:
                    raise StoreError(
                        f"run {run_id} in {self._path} keeps no offer log (ensembles keep "
                        "none; a tournament keeps one unless run with --no-offers)"
                    )
                source = f"{offers_table(run_id)} ORDER BY session, offer"
            else:
                source = f"{samples_table(run_id)} ORDER BY session"
            sql = f"COPY (SELECT * FROM {source}) TO ? ({options})"
            try:
                con.execute(sql, [os.fspath(path)])
            except duckdb.Error as exc:
                raise StoreError(
                    f"cannot export run {run_id} from {self._path} to {os.fspath(path)}: {exc}"
                ) from exc

    # -------------------------------------------------------------- plumbing

    def _connect_waiting(self, path: Path) -> duckdb.DuckDBPyConnection:
        """Open the file, waiting up to ``wait`` seconds (default :data:`LOCK_WAIT_SECONDS`)
        while another process holds it (DuckDB allows one writing process at a time; a run
        holds it for its duration)."""
        deadline = time.monotonic() + self._wait
        pause = 0.05
        while True:
            try:
                con = duckdb.connect(str(path), read_only=self._read_only)
            except duckdb.Error as exc:
                if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
                continue
            # bounded memory: DuckDB spills to disk instead of caching without limit
            con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            return con

    def _connect(self) -> duckdb.DuckDBPyConnection:
        path = self._path
        if self._read_only and not path.exists():
            con = duckdb.connect(":memory:")  # an empty store; nothing touches the disk
            _harden(con)
            self._init_schema(con)
            return con
        if not self._read_only:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the run store directory {path.parent}: {exc}"
                ) from exc
        if path.is_dir():
            raise StoreError(f"cannot open run store {path}: it is a directory")
        try:
            con = self._connect_waiting(path)
        except duckdb.Error as exc:
            hint = ""
            if "lock" in str(exc).lower():
                hint = " (another process has it open for writing; wait for it to finish)"
            raise StoreError(f"cannot open run store {path}: {exc}{hint}") from exc
        try:
            _harden(con)
            if self._read_only:
                self._check_schema(con)
            else:
                self._init_schema(con)
        except duckdb.Error as exc:
            con.close()
            raise StoreError(f"cannot open run store {path}: {exc}") from exc
        except BaseException:
            con.close()
            raise
        return con

    def _init_schema(self, con: duckdb.DuckDBPyConnection) -> None:
        with self._transaction(con, f"set up run store {self._path}"):
            for statement in DDL:
                con.execute(statement)
            con.execute(
                "INSERT INTO store_meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
                [str(SCHEMA_VERSION)],
            )
        self._check_schema(con)

    def _check_schema(self, con: duckdb.DuckDBPyConnection) -> None:
        try:
            row = con.execute(
                "SELECT value FROM store_meta WHERE key = 'schema_version'"
            ).fetchone()
        except duckdb.Error as exc:
            raise StoreError(
                f"{self._path} is a DuckDB file but not a burdenshare run store ({exc})"
            ) from exc
        if row is None or row[0] != str(SCHEMA_VERSION):
            found = "none" if row is None else row[0]
            raise StoreError(
                f"run store {self._path} has schema version {found}; this burdenshare "
                f"reads version {SCHEMA_VERSION}"
            )

    @contextlib.contextmanager
    def _reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            if self._con is None:
                raise StoreError(f"run store {self._path} is closed")
            yield self._con

    @contextlib.contextmanager
    def _writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._read_only:
            raise StoreError(f"run store {self._path} is open read-only")
        with self._reading() as con:
            yield con

    @contextlib.contextmanager
    def _transaction(self, con: duckdb.DuckDBPyConnection, action: str) -> Iterator[None]:
        try:
            con.begin()
            yield
            con.commit()
        except BaseException as exc:
            with contextlib.suppress(duckdb.Error):
                con.rollback()
            if isinstance(exc, duckdb.Error):
                raise StoreError(f"cannot {action}: {exc}") from exc
            raise

    def _fetchall(
        self, con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None
    ) -> list[tuple[Any, ...]]:
        try:
            return con.execute(sql, params).fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"cannot read run store {self._path}: {exc}") from exc

    def _exists(self, con: duckdb.DuckDBPyConnection, run_id: str) -> bool:
        return bool(self._fetchall(con, "SELECT 1 FROM runs WHERE id = ?", [run_id]))

    def _offer_columns(self, con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, str] | None:
        rows = self._fetchall(
            con,
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            [f"offers_{run_id}"],
        )
        return {str(n): str(t) for n, t in rows} if rows else None

    def _has_chunk(self, con: duckdb.DuckDBPyConnection, run_id: str, chunk_index: int) -> bool:
        sql = "SELECT 1 FROM chunks WHERE run_id = ? AND chunk_index = ?"
        return bool(self._fetchall(con, sql, [run_id, chunk_index]))

    def _get(self, con: duckdb.DuckDBPyConnection, run_id: str, *, with_text: bool) -> RunRecord:
        text = "scenario_text" if with_text else "NULL"
        rows = self._fetchall(
            con, f"SELECT {_RUN_FIELDS.format(text=text)} FROM runs WHERE id = ?", [run_id]
        )
        if not rows:
            raise StoreError(f"no run {run_id} in {self._path}")
        return _record(rows[0])


_COPY_OPTIONS: dict[str, str] = {
    "parquet": "FORMAT parquet",
    "csv": "FORMAT csv, HEADER true",
}


def _harden(con: duckdb.DuckDBPyConnection) -> None:
    """Stop DuckDB from resolving unknown table names to Python variables of the caller."""
    con.execute("SET python_enable_replacements = false")


def _unmasked(values: Any) -> np.ndarray:
    """A fetched column as a plain array: SQL NULLs (which DuckDB hands over masked) become NaN
    in a float column and None otherwise, never the masked slot's placeholder (``False``,
    ``0``).

    >>> _unmasked(np.ma.masked_array([True, False], mask=[True, False])).tolist()
    [None, False]
    >>> _unmasked(np.ma.masked_array([1.0, 2.0], mask=[False, True])).tolist()
    [1.0, nan]
    """
    if not isinstance(values, np.ma.MaskedArray) or not np.ma.is_masked(values):
        return np.asarray(values)
    if values.dtype.kind == "f":
        return np.asarray(values.filled(np.nan))
    out = np.asarray(values.data).astype(object)
    out[np.ma.getmaskarray(values)] = None
    return out


def _check_int(name: str, value: object, *, minimum: int | None) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise StoreError(f"{name} must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise StoreError(f"{name} must be at least {minimum}, got {value}")


def _record(row: tuple[Any, ...]) -> RunRecord:
    (
        run_id,
        created_at,
        scenario_id,
        sha,
        text,
        seed,
        version,
        backend,
        parameters,
        sample_columns,
        status,
        planned,
        done,
        chunks_done,
        timings,
        summary,
        finished_at,
    ) = row
    what = f"record of run {run_id}"
    if status not in RUN_STATUSES:
        raise StoreError(f"corrupt {what}: unknown status {status!r}")
    return RunRecord(
        id=run_id,
        created_at=created_at,
        scenario_id=scenario_id,
        scenario_sha256=sha,
        scenario_text=text,
        seed=int(seed),
        version=version,
        backend=backend,
        parameters=loads(parameters, what),
        status=status,
        n_sessions_planned=int(planned),
        n_sessions_done=int(done),
        chunks_done=int(chunks_done),
        timings=loads(timings, what),
        summary=loads(summary, what),
        columns=dict(loads(sample_columns, what)),
        finished_at=finished_at,
    )


def _chunk_table(
    declared: Mapping[str, str],
    given: Mapping[str, np.ndarray],
    start: int,
    stop: int,
    where: str,
) -> Any:
    """The chunk as an Arrow table with columns ``_c0`` (session), ``_c1``.. (declared order)."""
    _check_names(declared, given, where, "sample columns")
    n = stop - start
    arrays = [pa.array(np.arange(start, stop, dtype=np.int64))]
    arrays += [_arrow(name, given[name], n, where) for name in declared]
    return pa.table(arrays, names=[f"_c{i}" for i in range(len(arrays))])


def _check_names(
    declared: Mapping[str, str], given: Mapping[str, np.ndarray], where: str, what: str
) -> None:
    missing = [n for n in declared if n not in given]
    extra = [n for n in given if n not in declared]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(map(repr, missing))}")
        if extra:
            parts.append(f"undeclared {', '.join(map(repr, extra))}")
        raise StoreError(f"cannot record {where}: {what} {'; '.join(parts)}")


def _arrow(name: str, values: Any, n: int, where: str) -> Any:
    arr = np.asarray(values)
    if arr.shape != (n,):
        raise StoreError(
            f"cannot record {where}: column {name!r} has shape {arr.shape}, expected ({n},)"
        )
    try:
        return pa.array(arr)
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise StoreError(f"cannot record {where}: column {name!r}: {exc}") from exc


def _offers_table(
    declared: Mapping[str, str] | None,
    given: Mapping[str, np.ndarray] | None,
    start: int,
    stop: int,
    where: str,
) -> Any:
    """The chunk's offers as an Arrow table with columns ``_c0``.. in the log's order (None
    for a run without an offer log)."""
    if declared is None:
        if given is not None:
            raise StoreError(f"cannot record {where}: the run keeps no offer log")
        return None
    if given is None:
        raise StoreError(f"cannot record {where}: the run keeps an offer log; give the offers")
    _check_names(declared, given, where, "offer columns")
    session = np.asarray(given["session"])
    if session.ndim != 1:
        raise StoreError(f"cannot record {where}: offer column 'session' must be 1-D")
    n = int(session.shape[0])
    if n and (session.min() < start or session.max() >= stop):
        raise StoreError(f"cannot record {where}: offers of sessions outside {start}..{stop - 1}")
    arrays = [_arrow(name, given[name], n, where) for name in declared]
    return pa.table(arrays, names=[f"_c{i}" for i in range(len(arrays))])
