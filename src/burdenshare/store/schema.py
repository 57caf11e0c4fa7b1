"""The run store's tables, and the checks that keep identifiers out of SQL injection's reach.

Every table name and column name that reaches SQL passes through here first: run ids must match
``^[0-9a-f]{12}$`` and sample column names are always double-quoted (with embedded quotes doubled),
so no caller-supplied text is ever spliced into a statement unquoted.

Tables (schema version 1):

``store_meta``
    ``key VARCHAR PRIMARY KEY, value VARCHAR`` — holds ``schema_version``.
``runs``
    one row per run; JSON-valued columns (``parameters``, ``sample_columns``, ``timings``,
    ``summary``) are stored as VARCHAR text.
``chunks``
    one row per finished chunk, ``PRIMARY KEY (run_id, chunk_index)``.
``samples_<run id>``
    one table per run: ``session BIGINT PRIMARY KEY`` plus the run's declared sample columns.
``offers_<run id>``
    only for a run created with offer columns (a tournament's per-offer log): ``session BIGINT``
    and ``offer INTEGER`` (the offer's index in its session, from 0) plus the declared offer
    columns, one row per offer. Its presence and columns are read from DuckDB's catalogue, so a
    store without any offer log is unchanged (same schema version).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from burdenshare.errors import StoreError

__all__ = [
    "DDL",
    "OFFER_KEYS",
    "SAMPLE_TYPES",
    "SCHEMA_VERSION",
    "check_columns",
    "check_run_id",
    "offers_table",
    "quote_ident",
    "samples_table",
]

#: the key columns of an offer log (added by the store, never declared)
OFFER_KEYS: dict[str, str] = {"session": "BIGINT", "offer": "INTEGER"}

SCHEMA_VERSION = 1

#: the DuckDB types a sample column may have
SAMPLE_TYPES = frozenset(
    {"DOUBLE", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "BOOLEAN", "VARCHAR"}
)

_RUN_ID = re.compile(r"[0-9a-f]{12}")
_MAX_COLUMN_NAME = 255

DDL: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS store_meta (
        key VARCHAR PRIMARY KEY,
        value VARCHAR NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS runs (
        id VARCHAR PRIMARY KEY,
        seq BIGINT NOT NULL,
        created_at VARCHAR NOT NULL,
        scenario_id VARCHAR NOT NULL,
        scenario_sha256 VARCHAR NOT NULL,
        scenario_text VARCHAR NOT NULL,
        seed VARCHAR NOT NULL,
        version VARCHAR NOT NULL,
        backend VARCHAR NOT NULL,
        parameters VARCHAR NOT NULL,
        sample_columns VARCHAR NOT NULL,
        status VARCHAR NOT NULL CHECK (status IN ('running', 'finished', 'interrupted')),
        n_sessions_planned BIGINT NOT NULL,
        n_sessions_done BIGINT NOT NULL,
        chunks_done BIGINT NOT NULL,
        timings VARCHAR NOT NULL,
        summary VARCHAR,
        finished_at VARCHAR
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS chunks (
        run_id VARCHAR NOT NULL,
        chunk_index BIGINT NOT NULL,
        start BIGINT NOT NULL,
        stop BIGINT NOT NULL,
        stats VARCHAR NOT NULL,
        finished_at VARCHAR NOT NULL,
        PRIMARY KEY (run_id, chunk_index)
    )
    """,
)


def check_run_id(run_id: object) -> str:
    """``run_id`` if it is 12 lowercase hex characters, else a :class:`StoreError`.

    >>> check_run_id("0123456789ab")
    '0123456789ab'
    >>> check_run_id("../x")
    Traceback (most recent call last):
    ...
    burdenshare.errors.StoreError: bad run id '../x': expected 12 lowercase hex characters
    """
    if not isinstance(run_id, str) or _RUN_ID.fullmatch(run_id) is None:
        raise StoreError(f"bad run id {run_id!r}: expected 12 lowercase hex characters")
    return run_id


def samples_table(run_id: str) -> str:
    """The quoted name of a run's samples table (the id is checked first).

    >>> samples_table("0123456789ab")
    '"samples_0123456789ab"'
    """
    return quote_ident(f"samples_{check_run_id(run_id)}")


def offers_table(run_id: str) -> str:
    """The quoted name of a run's offer log (the id is checked first).

    >>> offers_table("0123456789ab")
    '"offers_0123456789ab"'
    """
    return quote_ident(f"offers_{check_run_id(run_id)}")


def quote_ident(name: str) -> str:
    """``name`` as a DuckDB identifier: double-quoted, embedded quotes doubled.

    >>> print(quote_ident('say "yes" now'))
    "say ""yes"" now"
    """
    return '"' + name.replace('"', '""') + '"'


def check_columns(
    columns: Mapping[str, str], reserved: tuple[str, ...] = ("session",)
) -> dict[str, str]:
    """Sample columns checked and normalised: ``{name: TYPE}`` in the given order.

    Names are any non-empty text without control characters, unique ignoring case (DuckDB
    identifiers are case-insensitive) and none of ``reserved`` (the key columns: ``session``, and
    ``offer`` too for an offer log). Types must be one of
    :data:`SAMPLE_TYPES`, in any case.

    >>> check_columns({"parties.US.utility": "double", "outcome": "VARCHAR"})
    {'parties.US.utility': 'DOUBLE', 'outcome': 'VARCHAR'}
    >>> check_columns({"x": "BLOB"})
    Traceback (most recent call last):
    ...
    burdenshare.errors.StoreError: sample column 'x': unsupported type 'BLOB' (expected one of ...)
    """
    if not isinstance(columns, Mapping):
        raise StoreError(f"sample columns must be a mapping of name to type, got {columns!r}")
    out: dict[str, str] = {}
    seen: dict[str, str] = {key: key for key in reserved}
    for name, kind in columns.items():
        if not isinstance(name, str) or not name or len(name) > _MAX_COLUMN_NAME:
            raise StoreError(
                f"bad sample column name {name!r}: expected 1 to {_MAX_COLUMN_NAME} characters"
            )
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
            raise StoreError(f"bad sample column name {name!r}: control characters not allowed")
        folded = name.casefold()
        if folded in seen:
            what = "is reserved" if seen[folded] in reserved else f"clashes with {seen[folded]!r}"
            raise StoreError(f"sample column {name!r} {what} (names are case-insensitive)")
        seen[folded] = name
        normal = kind.strip().upper() if isinstance(kind, str) else kind
        if normal not in SAMPLE_TYPES:
            raise StoreError(
                f"sample column {name!r}: unsupported type {kind!r} "
                f"(expected one of {', '.join(sorted(SAMPLE_TYPES))})"
            )
        out[name] = normal
    return out
