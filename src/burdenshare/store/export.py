"""Export a stored run: its sessions (or its offer log) through DuckDB's ``COPY``, its record as a
JSON sidecar."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Literal, get_args

from burdenshare.errors import StoreError
from burdenshare.store.runstore import RunStore
from burdenshare.store.schema import check_run_id

__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_TABLES",
    "ExportFormat",
    "ExportTable",
    "export_run",
    "sidecar_path",
]

ExportFormat = Literal["parquet", "csv"]
#: what :func:`export_run` writes: one row per session, or one row per offer
ExportTable = Literal["sessions", "offers"]

#: the formats :func:`export_run` writes
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)
#: the tables :func:`export_run` writes
EXPORT_TABLES: tuple[str, ...] = get_args(ExportTable)


def sidecar_path(path: str | os.PathLike[str]) -> Path:
    """Where :func:`export_run` writes the run record for samples written to ``path``.

    >>> sidecar_path("out/run.parquet").as_posix()
    'out/run.parquet.run.json'
    """
    return Path(os.fspath(path) + ".run.json")


def export_run(
    store: RunStore,
    run_id: str,
    path: str | os.PathLike[str],
    fmt: ExportFormat = "parquet",
    *,
    what: ExportTable = "sessions",
    overwrite: bool = False,
) -> Path:
    """Write the run's sessions (``what="sessions"``: one row per session) or its offer log
    (``what="offers"``: one row per offer, for a run that keeps one) to ``path`` (Parquet or
    CSV), and its record to ``<path>.run.json``.

    Refuses to replace either file unless ``overwrite=True``. Each file is written under a
    temporary name and renamed into place, so a failed export leaves no partial file. Returns
    ``path``.
    """
    check_run_id(run_id)
    if fmt not in EXPORT_FORMATS:
        raise StoreError(
            f"unknown export format {fmt!r}: expected one of {', '.join(EXPORT_FORMATS)}"
        )
    if what not in EXPORT_TABLES:
        raise StoreError(
            f"unknown export table {what!r}: expected one of {', '.join(EXPORT_TABLES)}"
        )
    target = Path(path).expanduser()
    sidecar = sidecar_path(target)
    if not overwrite:
        for existing in (target, sidecar):
            if existing.exists():
                raise StoreError(
                    f"{existing} already exists; replace it with --overwrite "
                    "(overwrite=True in Python)"
                )
    if not target.parent.is_dir():
        raise StoreError(f"cannot export run {run_id} to {target}: no directory {target.parent}")
    record = store.get_run(run_id)  # unknown run: StoreError before anything is written
    tag = f".tmp-{uuid.uuid4().hex[:8]}"
    tmp_samples = target.with_name(target.name + tag)
    tmp_sidecar = sidecar.with_name(sidecar.name + tag)
    try:
        if what == "offers":
            store.write_offers(run_id, tmp_samples, fmt)
        else:
            store.write_samples(run_id, tmp_samples, fmt)
        text = json.dumps(record.to_dict(), indent=2, allow_nan=True) + "\n"
        tmp_sidecar.write_text(text, encoding="utf-8")
        os.replace(tmp_samples, target)
        os.replace(tmp_sidecar, sidecar)
    except OSError as exc:
        raise StoreError(f"cannot export run {run_id} to {target}: {exc}") from exc
    finally:
        for tmp in (tmp_samples, tmp_sidecar):
            tmp.unlink(missing_ok=True)
    return target
