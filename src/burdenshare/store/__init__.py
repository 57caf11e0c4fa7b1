"""The run store: runs, per-chunk statistics, samples (and offer logs) in one embedded DuckDB file.

Importing this package reads and creates nothing; a store file (and its directory) appears only
when a :class:`RunStore` is opened for writing.
"""

from __future__ import annotations

from burdenshare.store.export import (
    EXPORT_FORMATS,
    EXPORT_TABLES,
    ExportFormat,
    ExportTable,
    export_run,
    sidecar_path,
)
from burdenshare.store.location import STORE_ENV_VAR, default_store_path
from burdenshare.store.records import RUN_STATUSES, RunRecord, RunStatus
from burdenshare.store.runstore import RunStore
from burdenshare.store.schema import SAMPLE_TYPES, SCHEMA_VERSION

__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_TABLES",
    "RUN_STATUSES",
    "SAMPLE_TYPES",
    "SCHEMA_VERSION",
    "STORE_ENV_VAR",
    "ExportFormat",
    "ExportTable",
    "RunRecord",
    "RunStatus",
    "RunStore",
    "default_store_path",
    "export_run",
    "sidecar_path",
]
