"""Errors at the HTTP edge: one JSON body shape for every 4xx and 5xx, and one table of statuses.

Every error the app sends, from a request the schema refuses to an unexpected exception, is a
:class:`Problem`: ``error`` (the kind), ``message``, and ``file``, ``line``, ``field``,
``value``, ``expected`` and ``detail`` (``null`` when they do not apply). The OpenAPI document
declares this one model for every error status (:func:`error_responses`), so what the document
promises is what a client gets.

No error names a file on the server: messages pass through :func:`redact`, which replaces the
run store's path with "the run store" and any other absolute path with ``<path>``.

>>> Problem.of("NotFound", "no bundled scenario 'x'").model_dump()["field"] is None
True
>>> redact("no run 0123456789ab in /srv/data/runs.duckdb", [Path("/srv/data/runs.duckdb")])
'no run 0123456789ab in the run store'
>>> redact("cannot write /tmp/burdenshare-x/samples.csv: disk full", [])
'cannot write <path>: disk full'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from burdenshare.errors import (
    BurdenshareError,
    ForecastError,
    ScenarioError,
    SimulationError,
    SolverError,
    StoreError,
)
from burdenshare.jsonsafe import finite

__all__ = [
    "STATUS",
    "Problem",
    "error_responses",
    "problem_bytes",
    "problem_response_body",
    "redact",
    "status_of",
]

#: HTTP status of each error class (the most specific class wins); StoreError is refined in
#: :func:`status_of`
STATUS: dict[type[BurdenshareError], int] = {
    ScenarioError: 422,
    SimulationError: 422,
    ForecastError: 422,
    SolverError: 422,
    StoreError: 500,
    BurdenshareError: 500,
}

#: what each error status means, for the OpenAPI document
DESCRIPTIONS: dict[int, str] = {
    400: "the body cannot be read: JSON that is not UTF-8 text, or a multipart body that is "
    "malformed or lacks its 'file' field; or a negotiator given by import path "
    "(package.module:Class), which the web API refuses",
    404: "no such bundled scenario or stored run",
    409: "the run already exists in the run store",
    413: "the request body or the scenario file is too large",
    422: "the request or the scenario is malformed, or a value is out of range",
    500: "an unexpected error (the message says no more)",
    501: "this installation cannot build reports",
    503: "another process holds the run store for writing; try again",
}

_PATH = re.compile(r"(?<![\w.~/-])(?:/[\w.@+,=-]+){2,}/?")
_OUR_ROUTES = ("/api/", "/static/", "/vendor/", "/openapi.json")


class Problem(BaseModel):
    """The body of every error response."""

    model_config = ConfigDict(extra="forbid", title="Problem")

    error: str = Field(description="the kind of error, e.g. ScenarioError, NotFound")
    message: str = Field(description="what went wrong, in a sentence")
    file: str | None = Field(description="the scenario file (the name the client gave)")
    line: int | None = Field(description="the line in that file")
    field: str | None = Field(description="the field at fault, as a dotted path")
    value: str | None = Field(description="the value found (abridged)")
    expected: str | None = Field(description="what was expected instead")
    detail: str | None = Field(description="the whole message, with its place")

    @classmethod
    def of(cls, error: str, message: str, **extra: Any) -> Problem:
        """A problem with ``extra`` keys filled and the others null."""
        keys = ("file", "line", "field", "value", "expected", "detail")
        return cls(error=error, message=message, **{k: extra.get(k) for k in keys})


def redact(text: str, known: Iterable[Path]) -> str:
    """``text`` without server paths: each ``known`` store path (as given and resolved) becomes
    "the run store", its folder "the run store's folder", any other absolute path ``<path>``."""
    names: list[tuple[str, str]] = []
    for path in known:
        for form in {str(path), str(path.expanduser()), str(_resolved(path))}:
            names.append((form, "the run store"))
            names.append((str(Path(form).parent), "the run store's folder"))
    for name, label in sorted(names, key=lambda item: -len(item[0])):
        if len(name) > 1:
            text = text.replace(name, label)
    return _PATH.sub(lambda m: m[0] if m[0].startswith(_OUR_ROUTES) else "<path>", text)


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):
        return path


def status_of(exc: BurdenshareError) -> int:
    """The HTTP status of a package error."""
    if isinstance(exc, StoreError):
        text = str(exc)
        if text.startswith(("no run ", "bad run id")):
            return 404
        if "another process has it open" in text:
            return 503
        if "already exists" in text:
            return 409
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500  # pragma: no cover - BurdenshareError is in the table


def problem_response_body(exc: BurdenshareError, known: Iterable[Path]) -> dict[str, Any]:
    """The :class:`Problem` body of a package error, without server paths."""
    raw = finite(exc.to_dict())
    known = list(known)
    text = {k: (redact(str(v), known) if v is not None else None) for k, v in raw.items()}
    problem = Problem.of(
        str(raw.get("error", type(exc).__name__)),
        redact(exc.message if isinstance(exc, ScenarioError) else str(exc), known),
        file=text.get("file"),
        line=raw.get("line") if isinstance(raw.get("line"), int) else None,
        field=text.get("field"),
        value=text.get("value"),
        expected=text.get("expected"),
        detail=redact(str(exc), known) if isinstance(exc, ScenarioError) else None,
    )
    return problem.model_dump()


def problem_bytes(problem: Problem) -> bytes:
    """A problem as the JSON bytes the app sends."""
    return json.dumps(problem.model_dump(), ensure_ascii=False, allow_nan=False).encode()


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` entry of a route for these error statuses (and 500, which any route
    may answer), each with the :class:`Problem` body."""
    return {
        status: {"model": Problem, "description": DESCRIPTIONS[status]}
        for status in sorted({*statuses, 500})
    }
