"""The frozen record of one stored run, and the small JSON helpers the store uses."""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any, Literal

import numpy as np

from burdenshare.errors import StoreError

__all__ = ["RUN_STATUSES", "RunRecord", "RunStatus", "new_run_id", "utc_now"]

RunStatus = Literal["running", "finished", "interrupted"]

#: every value ``RunRecord.status`` can take
RUN_STATUSES: tuple[RunStatus, ...] = ("running", "finished", "interrupted")


@dataclass(frozen=True)
class RunRecord:
    """What the store knows about one ensemble run.

    ``scenario_text`` is ``None`` in :meth:`RunStore.list_runs` results (it can be large);
    :meth:`RunStore.get_run` fills it in. ``columns`` maps each sample column to its DuckDB type.

    >>> rec = RunRecord(id="0123456789ab", created_at="2019-11-19T00:00:00.000000+00:00",
    ...                 scenario_id="us-rok-sma-2019", scenario_sha256="0" * 64,
    ...                 scenario_text="id: us-rok-sma-2019", seed=7, version="0.1.0",
    ...                 backend="local", parameters={"n": 1000, "chunk_size": 250},
    ...                 status="running", n_sessions_planned=1000)
    >>> rec.progress
    0.0
    >>> rec.to_dict()["parameters"]
    {'n': 1000, 'chunk_size': 250}
    """

    id: str
    created_at: str
    scenario_id: str
    scenario_sha256: str
    scenario_text: str | None
    seed: int
    version: str
    backend: str
    parameters: dict[str, Any]
    status: RunStatus
    n_sessions_planned: int
    n_sessions_done: int = 0
    chunks_done: int = 0
    timings: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] | None = None
    columns: dict[str, str] = field(default_factory=dict)
    finished_at: str | None = None

    @property
    def progress(self) -> float:
        """The share of planned sessions already stored, in [0, 1]."""
        if self.n_sessions_planned <= 0:
            return 0.0
        return min(1.0, self.n_sessions_done / self.n_sessions_planned)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy (containers are copied, so changing it leaves the record alone)."""
        return {
            "id": self.id,
            "created_at": self.created_at,
            "finished_at": self.finished_at,
            "status": self.status,
            "scenario_id": self.scenario_id,
            "scenario_sha256": self.scenario_sha256,
            "scenario_text": self.scenario_text,
            "seed": self.seed,
            "version": self.version,
            "backend": self.backend,
            "parameters": copy.deepcopy(self.parameters),
            "n_sessions_planned": self.n_sessions_planned,
            "n_sessions_done": self.n_sessions_done,
            "chunks_done": self.chunks_done,
            "progress": self.progress,
            "timings": copy.deepcopy(self.timings),
            "summary": copy.deepcopy(self.summary),
            "columns": dict(self.columns),
        }

    def header(self) -> dict[str, Any]:
        """:meth:`to_dict` without the scenario text and the summary (which results show once,
        on their own)."""
        out = self.to_dict()
        del out["scenario_text"], out["summary"]
        return out


def new_run_id() -> str:
    """A fresh run id: the first 12 hex characters of a random UUID4."""
    return uuid.uuid4().hex[:12]


def utc_now() -> str:
    """The current UTC time as ISO 8601 with microseconds (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _plain(value: Any) -> Any:
    """``json.dumps`` fallback for the numpy and path values simulations tend to produce."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any, what: str) -> str:
    """``value`` as JSON text, or a :class:`StoreError` naming ``what`` could not be stored."""
    try:
        return json.dumps(value, default=_plain)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"cannot store {what}: {exc}") from exc


def loads(text: str | None, what: str) -> Any:
    """JSON text read back from the store (``None`` stays ``None``)."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise StoreError(f"corrupt {what} in the run store: {exc}") from exc
