"""The DuckDB run store: records, chunks, samples, export, and hostile or broken input."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from burdenshare.errors import StoreError
from burdenshare.store import (
    SAMPLE_TYPES,
    RunRecord,
    RunStore,
    default_store_path,
    export_run,
    sidecar_path,
)
from burdenshare.store.schema import samples_table

SHA = "ab" * 32
COLUMNS = {
    "parties.US.utility.contribution.reservation": "DOUBLE",
    "outcome": "VARCHAR",
    "round": "SMALLINT",
    "agreed": "BOOLEAN",
    'we"ird; DROP TABLE runs; --': "BIGINT",
}


def make_run(store: RunStore, n: int = 10, columns: dict[str, str] | None = None) -> RunRecord:
    return store.create_run(
        scenario_id="us-rok-sma-2019",
        scenario_sha256=SHA,
        scenario_text="id: us-rok-sma-2019\n",
        seed=20191119,
        version="0.1.0",
        backend="local",
        parameters={"n": n, "chunk_size": 5, "method": "lhs", "negotiators": ["boulware"]},
        n_sessions=n,
        columns=COLUMNS if columns is None else columns,
    )


def chunk(start: int, stop: int) -> dict[str, np.ndarray]:
    s = np.arange(start, stop)
    return {
        "parties.US.utility.contribution.reservation": np.sqrt(s) * 1000.0 + 0.1,
        "outcome": np.where(s % 3 == 0, "deal", "breakdown"),
        "round": (s % 7).astype(np.int16),
        "agreed": s % 3 == 0,
        'we"ird; DROP TABLE runs; --': s * 2**40,
    }


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with RunStore(tmp_path / "deep" / "dir" / "runs.duckdb") as s:
        yield s


# ------------------------------------------------------------------------- runs


def test_create_get_list_finish(store: RunStore) -> None:
    run = make_run(store)
    assert len(run.id) == 12
    assert int(run.id, 16) >= 0
    assert run.status == "running"
    assert run.created_at.endswith("+00:00")
    assert run.columns == COLUMNS
    assert (run.n_sessions_planned, run.n_sessions_done, run.chunks_done) == (10, 0, 0)
    assert store.path.exists()  # the directory was made on first open

    again = store.get_run(run.id)
    assert again == run
    assert again.scenario_text == "id: us-rok-sma-2019\n"
    assert again.parameters["negotiators"] == ["boulware"]

    second = make_run(store)
    listed = store.list_runs()
    assert [r.id for r in listed] == [second.id, run.id]  # newest first
    assert all(r.scenario_text is None for r in listed)
    assert [r.id for r in store.list_runs(limit=1)] == [second.id]

    done = store.finish_run(run.id, {"p_deal": np.float64(0.25)}, {"total_s": 1.5})
    assert done.status == "finished"
    assert done.summary == {"p_deal": 0.25}
    assert done.timings == {"total_s": 1.5}
    assert done.finished_at is not None
    payload = json.loads(json.dumps(done.to_dict()))
    assert payload["id"] == run.id
    assert payload["summary"] == {"p_deal": 0.25}


def test_records_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "runs.duckdb"
    with RunStore(path) as store:
        run = make_run(store)
        store.record_chunk(run.id, 0, 0, 5, chunk(0, 5), {"deals": 2})
    with RunStore.open(path, read_only=True) as store:
        assert store.get_run(run.id).n_sessions_done == 5
        assert store.finished_chunks(run.id) == {0}


def test_big_seed_round_trips(store: RunStore) -> None:
    entropy = 2**127 + 12345  # a SeedSequence entropy is 128 bits
    run = store.create_run(
        scenario_id="s",
        scenario_sha256=SHA,
        scenario_text="",
        seed=entropy,
        version="0.1.0",
        backend="local",
        parameters={},
        n_sessions=1,
        columns={},
    )
    assert store.get_run(run.id).seed == entropy


def test_mark_interrupted_and_resume_status(store: RunStore) -> None:
    run = make_run(store)
    assert store.mark_interrupted(run.id).status == "interrupted"
    store.record_chunk(run.id, 0, 0, 5, chunk(0, 5), {})
    assert store.get_run(run.id).status == "running"
    store.finish_run(run.id, None, {})
    assert store.mark_interrupted(run.id).status == "finished"  # finished stays finished
    with pytest.raises(StoreError, match="finished"):
        store.record_chunk(run.id, 1, 5, 10, chunk(5, 10), {})


def test_delete_run(store: RunStore) -> None:
    keep, gone = make_run(store), make_run(store)
    store.record_chunk(gone.id, 0, 0, 5, chunk(0, 5), {})
    store.delete_run(gone.id)
    assert [r.id for r in store.list_runs()] == [keep.id]
    with pytest.raises(StoreError, match=f"no run {gone.id} in .*runs.duckdb"):
        store.get_run(gone.id)
    tables = {row[0] for row in store._con.execute("SHOW TABLES").fetchall()}  # type: ignore[union-attr]
    assert f"samples_{gone.id}" not in tables
    assert f"samples_{keep.id}" in tables


def test_bad_run_arguments(store: RunStore) -> None:
    with pytest.raises(StoreError, match="scenario_sha256"):
        store.create_run(
            scenario_id="s",
            scenario_sha256="not a hash",
            scenario_text="",
            seed=1,
            version="0",
            backend="local",
            parameters={},
            n_sessions=1,
            columns={},
        )
    with pytest.raises(StoreError, match="run parameters"):
        store.create_run(
            scenario_id="s",
            scenario_sha256=SHA,
            scenario_text="",
            seed=1,
            version="0",
            backend="local",
            parameters={"f": object()},
            n_sessions=1,
            columns={},
        )
    with pytest.raises(StoreError, match="limit"):
        store.list_runs(limit=0)


# ----------------------------------------------------------------------- chunks


def test_record_chunk_is_idempotent(store: RunStore) -> None:
    run = make_run(store)
    assert store.record_chunk(run.id, 0, 0, 5, chunk(0, 5), {"deals": np.int64(2)}) is True
    assert store.record_chunk(run.id, 0, 0, 5, chunk(0, 5), {"deals": 2}) is False
    # even with different data, a recorded chunk is never written twice
    assert store.record_chunk(run.id, 0, 0, 5, chunk(100, 105), {"deals": 99}) is False
    rec = store.get_run(run.id)
    assert (rec.n_sessions_done, rec.chunks_done) == (5, 1)
    assert len(store.samples(run.id)["session"]) == 5
    assert store.chunk_stats(run.id)[0]["stats"] == {"deals": 2}


def test_counts_follow_the_chunks_table(store: RunStore) -> None:
    run = make_run(store, n=10)
    store.record_chunk(run.id, 1, 5, 10, chunk(5, 10), {"deals": 1})
    store.record_chunk(run.id, 0, 0, 5, chunk(0, 5), {"deals": 2})
    rec = store.get_run(run.id)
    assert (rec.n_sessions_done, rec.chunks_done) == (10, 2)
    assert rec.progress == 1.0
    assert store.finished_chunks(run.id) == {0, 1}
    stats = store.chunk_stats(run.id)
    assert [s["chunk_index"] for s in stats] == [0, 1]
    assert [(s["start"], s["stop"]) for s in stats] == [(0, 5), (5, 10)]
    assert [s["stats"] for s in stats] == [{"deals": 2}, {"deals": 1}]
    assert store.samples(run.id)["session"].tolist() == list(range(10))


@pytest.mark.parametrize(
    ("start", "stop", "cols", "message"),
    [
        (0, 5, {**chunk(0, 5), "extra": np.zeros(5)}, "undeclared 'extra'"),
        (0, 5, {k: v for k, v in chunk(0, 5).items() if k != "outcome"}, "missing 'outcome'"),
        (0, 5, chunk(0, 4), r"has shape \(4,\), expected \(5,\)"),
        (0, 5, {**chunk(0, 5), "round": np.zeros((5, 1))}, "has shape"),
        (5, 15, chunk(5, 15), "past the 10 planned"),
        (5, 5, chunk(5, 5), "stop must be at least 6"),
        (-1, 4, chunk(0, 5), "start must be at least 0"),
        (0, 5, {**chunk(0, 5), "round": np.full(5, 10**6)}, "cannot record chunk 3"),
    ],
)
def test_record_chunk_rejects_bad_chunks(
    store: RunStore, start: int, stop: int, cols: dict[str, np.ndarray], message: str
) -> None:
    run = make_run(store)
    with pytest.raises(StoreError, match=message):
        store.record_chunk(run.id, 3, start, stop, cols, {})
    # nothing was half-written
    assert store.finished_chunks(run.id) == set()
    assert len(store.samples(run.id)["session"]) == 0
    assert store.get_run(run.id).n_sessions_done == 0


def test_overlapping_chunks_are_refused_whole(store: RunStore) -> None:
    run = make_run(store)
    store.record_chunk(run.id, 0, 0, 5, chunk(0, 5), {})
    with pytest.raises(StoreError, match="already stored by another chunk"):
        store.record_chunk(run.id, 1, 3, 8, chunk(3, 8), {})
    assert store.finished_chunks(run.id) == {0}
    assert store.samples(run.id)["session"].tolist() == [0, 1, 2, 3, 4]


def test_million_rows_in_one_chunk(store: RunStore) -> None:
    n = 1_000_000
    run = make_run(store, n=n, columns={"value": "DOUBLE", "agreed": "BOOLEAN"})
    rng = np.random.default_rng(1)
    values = rng.normal(size=n)
    assert store.record_chunk(run.id, 0, 0, n, {"value": values, "agreed": values > 0}, {})
    back = store.samples(run.id, ["value"])["value"]
    assert np.array_equal(back.view(np.uint64), values.view(np.uint64))


# ---------------------------------------------------------------------- samples


def test_float64_samples_round_trip_bit_for_bit(store: RunStore) -> None:
    special = np.array(
        [0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -5e-324, 1.7976931348623157e308, 0.1]
    )
    payload_nan = np.array([0x7FF8_0000_0000_BEEF], dtype=np.uint64).view(np.float64)
    random = np.random.default_rng(7).standard_normal(601) * 10.0 ** np.arange(-300, 301)
    values = np.concatenate([special, payload_nan, random])
    run = make_run(store, n=len(values), columns={"x": "DOUBLE"})
    store.record_chunk(run.id, 0, 0, 600, {"x": values[:600]}, {})
    store.record_chunk(run.id, 1, 600, len(values), {"x": values[600:]}, {})
    back = store.samples(run.id)
    assert back["x"].dtype == np.float64
    assert back["x"].tobytes() == values.tobytes()
    assert back["session"].tolist() == list(range(len(values)))


def test_samples_of_every_type(store: RunStore) -> None:
    run = make_run(store)
    store.record_chunk(run.id, 0, 0, 10, chunk(0, 10), {})
    got = store.samples(run.id)
    want = chunk(0, 10)
    assert list(got) == ["session", *COLUMNS]
    for name, values in want.items():
        assert got[name].tolist() == values.tolist(), name
    assert got["round"].dtype == np.int16
    assert got["agreed"].dtype == np.bool_
    only = store.samples(run.id, ["outcome", "session"])
    assert list(only) == ["outcome", "session"]
    with pytest.raises(StoreError, match="no sample column"):
        store.samples(run.id, ["nope"])
    with pytest.raises(StoreError, match="list of names"):
        store.samples(run.id, "outcome")


# ----------------------------------------------------------------------- export


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export(store: RunStore, tmp_path: Path, fmt: str) -> None:
    run = make_run(store)
    store.record_chunk(run.id, 1, 5, 10, chunk(5, 10), {})
    store.record_chunk(run.id, 0, 0, 5, chunk(0, 5), {})
    target = tmp_path / f"run.{fmt}"
    assert export_run(store, run.id, target, fmt) == target  # type: ignore[arg-type]
    want = chunk(0, 10)
    name = "parties.US.utility.contribution.reservation"
    if fmt == "parquet":
        table = pq.read_table(target)
        assert table.column_names == ["session", *COLUMNS]
        assert table.column("session").to_pylist() == list(range(10))
        assert np.array_equal(table.column(name).to_numpy(), want[name])
        assert table.column("outcome").to_pylist() == want["outcome"].tolist()
    else:
        with target.open(newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert list(rows[0]) == ["session", *COLUMNS]
        assert [int(r["session"]) for r in rows] == list(range(10))
        assert [float(r[name]) for r in rows] == want[name].tolist()
        assert [r["outcome"] for r in rows] == want["outcome"].tolist()
    meta = json.loads(sidecar_path(target).read_text())
    assert meta["id"] == run.id
    assert meta["n_sessions_done"] == 10
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["deep", target.name, target.name + ".run.json"]
    )


def test_export_refuses_to_overwrite(store: RunStore, tmp_path: Path) -> None:
    run = make_run(store)
    target = tmp_path / "run.parquet"
    target.write_text("precious")
    with pytest.raises(StoreError, match=r"run\.parquet already exists"):
        export_run(store, run.id, target)
    assert target.read_text() == "precious"
    export_run(store, run.id, target, overwrite=True)
    assert pq.read_table(target).num_rows == 0
    target.unlink()
    with pytest.raises(StoreError, match=r"run\.parquet\.run\.json already exists"):
        export_run(store, run.id, target)


def test_export_bad_format_and_unknown_run(store: RunStore, tmp_path: Path) -> None:
    run = make_run(store)
    with pytest.raises(StoreError, match="unknown export format 'xlsx'"):
        export_run(store, run.id, tmp_path / "x", "xlsx")  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="no run 000000000000 in"):
        export_run(store, "000000000000", tmp_path / "x.parquet")
    assert not (tmp_path / "x.parquet").exists()


# ---------------------------------------------------------- hostile and broken


HOSTILE_IDS = ["../x", "1; DROP TABLE runs", "", "ABCDEF012345", "0123456789abc", None, 12]


@pytest.mark.parametrize("run_id", HOSTILE_IDS)
@pytest.mark.parametrize(
    "call",
    [
        lambda s, i: s.get_run(i),
        lambda s, i: s.finished_chunks(i),
        lambda s, i: s.chunk_stats(i),
        lambda s, i: s.samples(i),
        lambda s, i: s.delete_run(i),
        lambda s, i: s.mark_interrupted(i),
        lambda s, i: s.finish_run(i, {}, {}),
        lambda s, i: s.record_chunk(i, 0, 0, 1, {}, {}),
        lambda s, i: s.write_samples(i, "/tmp/never", "csv"),
    ],
)
def test_hostile_run_ids_never_reach_sql(store: RunStore, run_id: Any, call: Any) -> None:
    make_run(store)
    with pytest.raises(StoreError, match="bad run id"):
        call(store, run_id)
    assert len(store.list_runs()) == 1


def test_hostile_id_in_export(store: RunStore, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="bad run id"):
        export_run(store, "../../etc", tmp_path / "x.csv", "csv")


def test_unknown_run(store: RunStore) -> None:
    with pytest.raises(StoreError, match=r"no run 0123456789ab in .*runs\.duckdb"):
        store.get_run("0123456789ab")
    with pytest.raises(StoreError, match="no run 0123456789ab"):
        store.record_chunk("0123456789ab", 0, 0, 1, {}, {})


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"x": "BLOB"}, "unsupported type 'BLOB'"),
        ({"x": "DOUBLE); DROP TABLE runs; --"}, "unsupported type"),
        ({"x": 3}, "unsupported type 3"),
        ({"session": "BIGINT"}, "'session' is reserved"),
        ({"Value": "DOUBLE", "value": "DOUBLE"}, "'value' clashes with 'Value'"),
        ({"": "DOUBLE"}, "bad sample column name ''"),
        ({"a\nb": "DOUBLE"}, "control characters"),
    ],
)
def test_bad_sample_columns(store: RunStore, columns: dict[str, Any], message: str) -> None:
    with pytest.raises(StoreError, match=message):
        make_run(store, columns=columns)
    assert store.list_runs() == []


def test_every_allowed_type_is_accepted(store: RunStore) -> None:
    columns = {f"c_{t.lower()}": t.lower() for t in sorted(SAMPLE_TYPES)}
    run = make_run(store, columns=columns)
    assert run.columns == {name: t.upper() for name, t in columns.items()}


def test_corrupt_store_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.duckdb"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(StoreError, match=r"cannot open run store .*broken\.duckdb"):
        RunStore(path)
    with pytest.raises(StoreError, match=r"broken\.duckdb"):
        RunStore(path, read_only=True).list_runs()


def test_foreign_duckdb_file(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    with pytest.raises(StoreError, match=r"other\.duckdb is a DuckDB file but not a burdenshare"):
        RunStore(path, read_only=True)


def test_directory_as_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        RunStore(tmp_path)


def test_read_only_missing_file_is_empty_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "runs.duckdb"
    with RunStore(path, read_only=True) as store:
        assert store.list_runs() == []
        with pytest.raises(StoreError, match="no run 0123456789ab"):
            store.get_run("0123456789ab")
        with pytest.raises(StoreError, match="read-only"):
            make_run(store)
    assert list(tmp_path.iterdir()) == []


def test_closed_store(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs.duckdb")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="is closed"):
        store.list_runs()


# --------------------------------------------------------------------- location


def test_default_store_path_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("BURDENSHARE_STORE", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    home_default = tmp_path / "home" / ".local" / "share" / "burdenshare" / "runs.duckdb"
    assert default_store_path() == home_default

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_store_path() == tmp_path / "xdg" / "burdenshare" / "runs.duckdb"

    monkeypatch.setenv("XDG_DATA_HOME", "relative/dir")  # the XDG spec says: ignore
    assert default_store_path() == home_default
    monkeypatch.setenv("XDG_DATA_HOME", "")
    assert default_store_path() == home_default

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("BURDENSHARE_STORE", str(tmp_path / "mine.duckdb"))
    assert default_store_path() == tmp_path / "mine.duckdb"
    monkeypatch.setenv("BURDENSHARE_STORE", "~/x.duckdb")
    assert default_store_path() == tmp_path / "home" / "x.duckdb"
    assert list(tmp_path.iterdir()) == []  # computing a path creates nothing


def test_open_uses_the_default_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BURDENSHARE_STORE", str(tmp_path / "a" / "runs.duckdb"))
    with RunStore.open(read_only=True) as store:
        assert store.list_runs() == []
    assert not (tmp_path / "a").exists()
    with RunStore.open() as store:
        make_run(store)
    with RunStore.open(read_only=True) as store:
        assert len(store.list_runs()) == 1


def test_importing_the_store_is_inert(tmp_path: Path) -> None:
    code = "import burdenshare.store, sys; print('typer' in sys.modules)"
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg"), "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
    assert list(tmp_path.iterdir()) == []


def test_samples_table_name_is_checked() -> None:
    assert samples_table("0123456789ab") == '"samples_0123456789ab"'
    with pytest.raises(StoreError):
        samples_table('x"; DROP TABLE runs; --')
