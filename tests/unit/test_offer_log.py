"""The run store's offer log: created with a run, written with each chunk in one transaction,
read back with its NULLs, exported with ``what="offers"``, and refused where a run keeps none."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from burdenshare.errors import StoreError
from burdenshare.store import EXPORT_TABLES, RunRecord, RunStore, export_run

SHA = "cd" * 32
OFFERS = {"round": "SMALLINT", "ratified": "BOOLEAN", "outcome": "VARCHAR", "u": "DOUBLE"}


@pytest.fixture
def store(tmp_path: Path) -> RunStore:
    with RunStore(tmp_path / "runs.duckdb") as st:
        yield st  # type: ignore[misc]


def _run(store: RunStore, offers: dict[str, str] | None = OFFERS) -> RunRecord:
    return store.create_run(
        scenario_id="t",
        scenario_sha256=SHA,
        scenario_text="{}",
        seed=0,
        version="0",
        backend="local",
        parameters={},
        n_sessions=4,
        columns={"x": "DOUBLE"},
        offer_columns=offers,
    )


def _log(sessions: list[int]) -> dict[str, np.ndarray]:
    k = len(sessions)
    offer = [sessions[:j].count(s) for j, s in enumerate(sessions)]  # from 0 in each session
    return {
        "session": np.array(sessions, dtype=np.int64),
        "offer": np.array(offer, dtype=np.int32),
        "round": np.arange(1, k + 1, dtype=np.int16),
        "ratified": np.array([None if j % 2 else j == 0 for j in range(k)], dtype=object),
        "outcome": np.array([f'{{"x":{j}}}' for j in range(k)], dtype=object),
        "u": np.linspace(0, 1, k),
    }


def test_offers_are_stored_with_their_chunk_and_read_back_with_nulls(store: RunStore) -> None:
    run = _run(store)
    assert store.offer_columns(run.id) == {"session": "BIGINT", "offer": "INTEGER", **OFFERS}
    log = _log([0, 0, 1])
    assert store.record_chunk(run.id, 0, 0, 2, {"x": np.zeros(2)}, {}, offers=log)
    # a chunk whose sessions made no offer records an empty log
    assert store.record_chunk(run.id, 1, 2, 4, {"x": np.ones(2)}, {}, offers=_log([]))
    back = store.offers(run.id)
    assert back["session"].tolist() == [0, 0, 1]
    assert back["ratified"].tolist() == [True, None, False]  # NULL stays None, not False
    assert back["outcome"].tolist() == log["outcome"].tolist()
    assert np.array_equal(back["u"], log["u"])
    # recording the chunk again changes nothing, offers included
    assert not store.record_chunk(run.id, 0, 0, 2, {"x": np.zeros(2)}, {}, offers=log)
    assert store.offers(run.id, ["offer"])["offer"].tolist() == [0, 1, 0]


def test_a_bad_offer_log_stores_nothing_of_the_chunk(store: RunStore) -> None:
    run = _run(store)
    outside = _log([0, 5])  # session 5 is not in the chunk
    with pytest.raises(StoreError, match=r"outside 0\.\.1"):
        store.record_chunk(run.id, 0, 0, 2, {"x": np.zeros(2)}, {}, offers=outside)
    missing = {k: v for k, v in _log([0]).items() if k != "u"}
    with pytest.raises(StoreError, match="missing 'u'"):
        store.record_chunk(run.id, 0, 0, 2, {"x": np.zeros(2)}, {}, offers=missing)
    with pytest.raises(StoreError, match="give the offers"):
        store.record_chunk(run.id, 0, 0, 2, {"x": np.zeros(2)}, {})
    assert store.finished_chunks(run.id) == set()
    assert store.samples(run.id)["session"].size == 0
    assert store.offers(run.id)["session"].size == 0


def test_a_run_without_an_offer_log_refuses_offers_and_their_export(
    store: RunStore, tmp_path: Path
) -> None:
    run = _run(store, offers=None)
    assert store.offer_columns(run.id) is None
    with pytest.raises(StoreError, match="keeps no offer log"):
        store.record_chunk(run.id, 0, 0, 2, {"x": np.zeros(2)}, {}, offers=_log([0]))
    with pytest.raises(StoreError, match="keeps no offer log"):
        store.offers(run.id)
    with pytest.raises(StoreError, match="keeps no offer log"):
        export_run(store, run.id, tmp_path / "o.parquet", what="offers")
    assert not (tmp_path / "o.parquet").exists()
    with pytest.raises(StoreError, match="unknown export table"):
        export_run(store, run.id, tmp_path / "o.parquet", what="transcripts")  # type: ignore[arg-type]
    assert EXPORT_TABLES == ("sessions", "offers")


@pytest.mark.parametrize("reserved", ["session", "offer", "OFFER"])
def test_the_key_columns_cannot_be_declared(store: RunStore, reserved: str) -> None:
    with pytest.raises(StoreError, match="reserved"):
        _run(store, offers={reserved: "INTEGER"})


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_the_offer_log_exports_in_session_and_offer_order(
    store: RunStore, tmp_path: Path, fmt: str
) -> None:
    run = _run(store)
    store.record_chunk(run.id, 1, 2, 4, {"x": np.ones(2)}, {}, offers=_log([3, 3, 2]))
    store.record_chunk(run.id, 0, 0, 2, {"x": np.zeros(2)}, {}, offers=_log([1]))
    path = export_run(store, run.id, tmp_path / f"offers.{fmt}", fmt, what="offers")  # type: ignore[arg-type]
    if fmt == "parquet":
        table = pq.read_table(path).to_pydict()
    else:
        con = duckdb.connect()
        rel = con.execute("SELECT * FROM read_csv_auto(?)", [str(path)])
        names = [d[0] for d in rel.description]
        table = {n: list(c) for n, c in zip(names, zip(*rel.fetchall(), strict=True), strict=True)}
    assert list(table)[:2] == ["session", "offer"]
    order = list(zip(table["session"], table["offer"], strict=True))
    assert order == [(1, 0), (2, 0), (3, 0), (3, 1)]
    assert table["ratified"] == [True, False, True, None]


def test_deleting_a_run_drops_its_offer_log(store: RunStore) -> None:
    run = _run(store)
    store.record_chunk(run.id, 0, 0, 2, {"x": np.zeros(2)}, {}, offers=_log([1]))
    store.delete_run(run.id)
    with pytest.raises(StoreError, match="no run"):
        store.offer_columns(run.id)
    store.close()
    with duckdb.connect(str(store.path), read_only=True) as con:
        rows = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    names = {r[0] for r in rows}
    assert not any(n.startswith(("offers_", "samples_")) for n in names)
