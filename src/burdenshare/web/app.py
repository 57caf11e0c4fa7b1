"""The web dashboard and its JSON API (FastAPI): the page is a client of the same API.

Everything here is the HTTP edge: requests are parsed and checked, the services do the work
(:mod:`burdenshare.services` and :mod:`burdenshare.services.whatif`), and errors are translated
to statuses in one place (:mod:`burdenshare.web.problems`), as datasette does: a
:class:`~burdenshare.errors.ScenarioError` is a 422 with its field and line, an unknown run a
404, anything unexpected a 500 with a message and no traceback. Every error body is one
:class:`~burdenshare.web.problems.Problem`, and the OpenAPI document declares it for every error
status each route can answer. No response names a file on the server.

Each request holds a bounded amount of memory: the body is at most :data:`MAX_REQUEST_BYTES`
(413 beyond), a scenario file at most ``MAX_BYTES`` with the scenario limits of
:mod:`burdenshare.scenario`, and a what-if (or each date of a deadline sweep) at most the sessions
:func:`burdenshare.web.budget.max_sessions` allows for its scenario (422 beyond).

The run store is a DuckDB file that one process at a time may hold open for writing, and within
one process a reading and a writing connection to the same file cannot coexist; so every use of
the store goes through one lock (:attr:`AppState.store_lock`), opening the store per request.
Ensembles also share :attr:`AppState.compute_lock` with what-ifs: the compiled kernel runs its
own threads, and numba's fallback threading layer must not be entered from two threads at once.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import threading
from collections.abc import AsyncGenerator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from importlib import util as importlib_util
from pathlib import Path
from typing import Annotated, Any, Literal

import jinja2
from fastapi import Body, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from burdenshare import __version__
from burdenshare.errors import BurdenshareError, ScenarioError, StoreError
from burdenshare.jsonsafe import finite
from burdenshare.services.catalogue import MAX_BYTES
from burdenshare.web.budget import check_sessions
from burdenshare.web.problems import (
    STATUS,
    Problem,
    error_responses,
    problem_bytes,
    problem_response_body,
    redact,
    status_of,
)
from burdenshare.web.requests import (
    SOURCE_TAGS,
    DeadlineBeliefsBody,
    ForecastBody,
    ReplayBody,
    RunBody,
    WhatIfBody,
    _ByName,
    _ByText,
)

__all__ = ["MAX_REQUEST_BYTES", "STATUS", "AppState", "create_app", "plotly_js_path"]

_HERE = Path(__file__).resolve().parent
#: the largest request body accepted (a scenario of MAX_BYTES, JSON-escaped, with its settings)
MAX_REQUEST_BYTES = 2 * MAX_BYTES + 64 * 1024
#: multipart framing allowed on top of the file itself
_MULTIPART_OVERHEAD = 64 * 1024
#: the most runs one listing returns
MAX_LIST = 500
#: a bundled scenario's name in a path (an unknown one is a 404)
BundledName = Annotated[str, PathParam(min_length=1, max_length=100, examples=["us-rok-sma-2019"])]
#: a run id in a path (12 lowercase hex digits; anything else is a 404)
RunId = Annotated[str, PathParam(min_length=1, max_length=64)]

_UPLOAD_FORMATS = {"yaml": "yaml", "yml": "yaml", "json": "json", "toml": "toml"}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def plotly_js_path() -> Path:
    """The ``plotly.min.js`` shipped inside the installed plotly package (found without
    importing plotly, which is slow to import)."""
    spec = importlib_util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the plotly package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"


@dataclass
class AppState:
    """What the app holds between requests: the store path and the locks."""

    store_path: Path | None
    store_lock: threading.Lock = field(default_factory=threading.Lock)
    compute_lock: threading.Lock = field(default_factory=threading.Lock)


# -- errors at the edge -----------------------------------------------------------------------


def _json(data: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    text = json.dumps(finite(data), ensure_ascii=False, allow_nan=False, default=str)
    return Response(text, status_code=status_code, media_type="application/json", headers=headers)


def _problem(
    status: int, error: str, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    return _json(Problem.of(error, message, **extra).model_dump(), status, headers)


def _known_paths(state: AppState) -> list[Path]:
    """The server paths no response may show: the run store's."""
    from burdenshare.services.catalogue import default_store_path

    return [state.store_path if state.store_path is not None else default_store_path()]


#: the names pydantic puts in an error's place for the member of a plain union (float | str)
_UNION_MEMBERS = ("float", "str", "int", "constrained-str", "constrained-float")


def _field_path(loc: Any) -> str | None:
    """A validation error's place as a dotted field path (no 'body', no union tag)."""
    skip = {"body", "query", "path", *SOURCE_TAGS, *_UNION_MEMBERS}
    parts = [str(x) for x in loc or () if x not in skip]
    return ".".join(parts) or None


def _allowed_methods(app: FastAPI, path: str) -> str:
    """The methods of the resource at ``path``, for a 405's Allow header: those of the routes
    written exactly as ``path`` if there are any (``/api/scenarios/validate`` is not the
    scenario named "validate"), else of the routes whose template matches it."""
    exact: set[str] = set()
    matching: set[str] = set()
    for route in app.routes:
        regex = getattr(route, "path_regex", None)
        if regex is None or not regex.match(path):
            continue
        methods = set(getattr(route, "methods", None) or {"GET", "HEAD"})
        matching |= methods
        if getattr(route, "path", None) == path:
            exact |= methods
    return ", ".join(sorted(exact or matching or {"GET", "HEAD"}))


def _install_error_handlers(app: FastAPI, state: AppState) -> None:
    async def burdenshare_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, BurdenshareError)
        return _json(problem_response_body(exc, _known_paths(state)), status_of(exc))

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = exc.errors()
        first = errors[0] if errors else {}
        field_path = _field_path(first.get("loc"))
        message = redact(str(first.get("msg", "invalid request")), _known_paths(state))
        return _problem(
            422,
            "RequestValidationError",
            message,
            field=field_path,
            detail=f"{field_path}: {message}" if field_path else message,
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        names = {404: "NotFound", 405: "MethodNotAllowed", 413: "PayloadTooLarge"}
        name = names.get(exc.status_code, "HTTPError")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(app, request.url.path)
        message = redact(str(exc.detail), _known_paths(state))
        return _problem(exc.status_code, name, message, headers=headers or None)

    async def unexpected(request: Request, exc: Exception) -> Response:
        return _problem(500, "InternalError", "internal error: the request could not be completed")

    app.add_exception_handler(BurdenshareError, burdenshare_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)


class _BodyLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes with 413, whether the client
    announces the length or streams the body."""

    def __init__(self, app: Callable[..., Awaitable[None]], limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        message = f"request body over {self.limit:,} bytes"
        for key, value in scope.get("headers", ()):
            if key == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = False
                if too_big:
                    body = problem_bytes(Problem.of("PayloadTooLarge", message))
                    headers = [(b"content-type", b"application/json")]
                    headers.append((b"content-length", str(len(body)).encode()))
                    await send({"type": "http.response.start", "status": 413, "headers": headers})
                    await send({"type": "http.response.body", "body": body})
                    return
        seen = 0

        async def limited() -> MutableMapping[str, Any]:
            nonlocal seen
            received = await receive()
            if received["type"] == "http.request":
                seen += len(received.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413, message)
            return received

        await self.app(scope, limited, send)


# -- the app ----------------------------------------------------------------------------------


def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _offered_negotiators() -> list[str]:
    """The negotiators the page offers: the built-ins, then installed entry-point plug-ins that
    load (import paths are never offered nor accepted, see :func:`_import_path_problem`)."""
    from burdenshare.services.catalogue import NEGOTIATORS, negotiator_catalogue

    plugins = [
        e.name for e in negotiator_catalogue() if e.source == "entry point" and e.error is None
    ]
    return [*sorted(NEGOTIATORS), *sorted(plugins)]


def _import_path_problem(negotiators: list[str] | None) -> Response | None:
    """A 400 for a negotiator given by import path (``package.module:Class``): a request must
    not make the server import a module of its choosing. Built-in names and installed
    entry-point plug-ins are accepted; the check is pure syntax and imports nothing."""
    from burdenshare.services.catalogue import is_import_path

    for k, spec in enumerate(negotiators or ()):
        if is_import_path(spec):
            return _problem(
                400,
                "NegotiatorRefused",
                "the web API accepts built-in and installed plug-in negotiator names only, not "
                "import paths",
                field=f"negotiators.{k}",
                value=spec,
                expected="a name from GET /api/scenarios (negotiators); install a plug-in "
                "with an entry point in the group burdenshare.negotiators to offer it here",
                detail=f"negotiators.{k}: {spec!r} is an import path (package.module:Class), "
                "which the web API refuses",
            )
    return None


def _check_bundled(name: str) -> str:
    from burdenshare.services.catalogue import bundled_names

    if name not in bundled_names():
        raise HTTPException(404, f"no bundled scenario {name!r}; see GET /api/scenarios")
    return name


def _scenario_spec(body: _ByName | _ByText) -> str:
    """The bundled name (checked against the library) or the scenario text of a request."""
    if isinstance(body, _ByName):
        return _check_bundled(body.scenario)
    return body.scenario_text


def _fmt(body: _ByName | _ByText) -> str:
    return body.format if isinstance(body, _ByText) else "yaml"


def _upload_body() -> dict[str, Any]:
    """The request body of POST /api/scenarios/validate, for the OpenAPI document (its example
    is the smallest bundled scenario)."""
    from burdenshare.services.catalogue import bundled_path

    return {
        "required": True,
        "description": f"a scenario file of at most {MAX_BYTES:,} bytes",
        "content": {
            "application/octet-stream": {
                "schema": {"type": "string", "format": "binary"},
                "example": bundled_path("split-the-pie").read_text(encoding="utf-8"),
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                    "additionalProperties": False,
                }
            },
        },
    }


def _openapi_with_json_errors(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """``app.openapi`` with every error response as JSON: FastAPI files an error's model under
    the route's own media type (``text/html`` for the report, ``text/csv`` for the export),
    but the app sends every error as a JSON :class:`~burdenshare.web.problems.Problem`."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = build()
            for ops in doc["paths"].values():
                for op in ops.values():
                    for code, response in op.get("responses", {}).items():
                        content = response.get("content", {})
                        schemas = [c.get("schema") for c in content.values() if c.get("schema")]
                        if code >= "400" and schemas:
                            response["content"] = {"application/json": {"schema": schemas[0]}}
            app.openapi_schema = doc
        return app.openapi_schema

    return openapi


def _upload_name(raw: str | None) -> tuple[str, str]:
    """A display name for an uploaded file (no directories) and its format."""
    name = Path((raw or "upload.yaml").replace("\\", "/")).name
    name = _SAFE_NAME.sub("_", name)[:100] or "upload.yaml"
    fmt = _UPLOAD_FORMATS.get(name.rsplit(".", 1)[-1].lower(), "yaml") if "." in name else "yaml"
    return name, fmt


async def _read_limited(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"the scenario file is over {MAX_BYTES:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def _one(data: bytes) -> AsyncGenerator[bytes, None]:
    yield data


def create_app(store_path: str | Path | None = None) -> FastAPI:
    """The dashboard app. ``store_path`` is the run store file (None: the default store,
    ``$BURDENSHARE_STORE`` or the per-user data directory, resolved per request)."""
    from burdenshare.services import whatif as wi

    state = AppState(store_path=Path(store_path) if store_path is not None else None)
    app = FastAPI(
        title="burdenshare",
        version=__version__,
        description="Alliance cost-sharing negotiations: scenarios, what-if ensembles, session "
        "replays and stored runs. The dashboard at / is a client of this API.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.burdenshare = state
    app.openapi = _openapi_with_json_errors(app)  # type: ignore[method-assign]
    _install_error_handlers(app, state)
    app.add_middleware(_BodyLimit, limit=MAX_REQUEST_BYTES)
    env = _templates()

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; "
                "base-uri 'none'; form-action 'none'",
            )
        return response

    # -- the page ------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        from burdenshare.services import list_scenarios
        from burdenshare.services.catalogue import DEFAULT_NEGOTIATORS, FLAGSHIP

        page = env.get_template("index.html").render(
            version=__version__,
            scenarios=list_scenarios(),
            flagship=FLAGSHIP,
            boot={
                "flagship": FLAGSHIP,
                "negotiators": _offered_negotiators(),
                "default_negotiators": list(DEFAULT_NEGOTIATORS),
                "max_bytes": MAX_BYTES,
            },
        )
        return HTMLResponse(page)

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        path = plotly_js_path()
        if not path.is_file():  # pragma: no cover - a broken plotly install
            raise HTTPException(404, "plotly.min.js is missing from the plotly package")
        return FileResponse(
            path,
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")

    # -- scenarios -----------------------------------------------------------------------

    @app.get(
        "/api/scenarios",
        tags=["scenarios"],
        summary="The bundled scenarios",
        responses=error_responses(),
    )
    def scenarios() -> Response:
        from burdenshare.services import list_scenarios
        from burdenshare.services.catalogue import DEFAULT_NEGOTIATORS, FLAGSHIP

        return _json(
            {
                "scenarios": list_scenarios(),
                "flagship": FLAGSHIP,
                "negotiators": _offered_negotiators(),
                "default_negotiators": list(DEFAULT_NEGOTIATORS),
            }
        )

    @app.get(
        "/api/scenarios/{name}",
        tags=["scenarios"],
        summary="One bundled scenario: its validation summary and the sliders to show",
        responses=error_responses(404, 422),
    )
    def scenario(name: BundledName) -> Response:
        return _json(wi.describe(wi.resolve(_check_bundled(name))))

    @app.post(
        "/api/scenarios/validate",
        tags=["scenarios"],
        summary="Validate a scenario file (raw body or multipart field 'file')",
        description=f"The body is a scenario file (YAML, JSON or TOML) of at most {MAX_BYTES:,} "
        "bytes, sent raw (name it with ?filename=) or as a multipart/form-data field 'file'. "
        "A valid file gives what `burdenshare validate --json` prints plus the sliders to "
        "show; a malformed one a 422 naming the file, line, field, value and what was "
        "expected; an oversize one a 413.",
        responses=error_responses(400, 413, 422),
        openapi_extra={"requestBody": _upload_body()},
    )
    async def validate(
        request: Request,
        filename: Annotated[str | None, Query(max_length=200)] = None,
        format: Annotated[Literal["yaml", "json", "toml"] | None, Query()] = None,
    ) -> Response:
        from starlette.formparsers import MultiPartParser

        ctype = request.headers.get("content-type", "")
        if ctype.startswith("multipart/form-data"):
            raw = await _read_limited(request, MAX_BYTES + _MULTIPART_OVERHEAD)
            parser = MultiPartParser(request.headers, _one(raw), max_files=1, max_fields=5)
            try:
                form = await parser.parse()
            except Exception as exc:
                raise HTTPException(400, f"cannot read the multipart body: {exc}") from None
            upload = form.get("file")
            if upload is None or isinstance(upload, str) or set(form.keys()) != {"file"}:
                raise HTTPException(
                    400, "send the scenario file in the multipart field 'file', and no other"
                )
            data = await upload.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise HTTPException(413, f"the scenario file is over {MAX_BYTES:,} bytes")
            name, fmt = _upload_name(upload.filename)
        else:
            data = await _read_limited(request, MAX_BYTES)
            name, fmt = _upload_name(filename)
        if format is not None:
            fmt = format
        loaded = await run_in_threadpool(_parse_upload, data, name, fmt)
        return _json(wi.describe(loaded))

    # -- what-if and replay --------------------------------------------------------------

    @app.post(
        "/api/whatif",
        tags=["what-if"],
        summary="Change key parameters, rerun the ensemble",
        description="Applies `changes` (field path → value) and runs `n` sessions; returns "
        "P(deal) with its standard error, P(deal by date), the settlement distribution "
        "(quantiles and a histogram in every currency), the zone of agreement, the causes of "
        "failure and the time taken. A value out of range is a 422 naming the field, and so "
        "is an `n` above what one request's memory budget allows for the scenario.",
        responses=error_responses(400, 404, 413, 422),
    )
    def whatif(body: Annotated[WhatIfBody, Body()]) -> Response:
        if (refused := _import_path_problem(body.negotiators)) is not None:
            return refused
        loaded = wi.resolve(_scenario_spec(body), fmt=_fmt(body))
        check_sessions(loaded.scenario, body.n)
        with state.compute_lock:
            result = wi.whatif(
                loaded,
                body.changes,
                n=body.n,
                seed=body.seed,
                negotiators=body.negotiators,
                uncertain=body.uncertain,
            )
        return _json(result)

    @app.post(
        "/api/deadline-beliefs",
        tags=["what-if"],
        summary="How the deal date depends on the deadline the negotiators believe in",
        description="Runs `n` sessions of the scenario as written for each believed deadline "
        "in `beliefs` (every party alike; by default five dates up to the protocol's last "
        "round), with the same draws of every other belief and the same seeds at each date, and "
        "returns P(deal by each round's date) per believed deadline. Negotiators that need the "
        "one-session protocol run at most 200 sessions in all, and `sessions_cut` says so. A "
        "date before the talks start, a repeated date or an `n` above the memory budget for "
        "the scenario is a 422 naming the field.",
        responses=error_responses(400, 404, 413, 422),
    )
    def deadline_beliefs(body: Annotated[DeadlineBeliefsBody, Body()]) -> Response:
        from burdenshare.services.whatif_deadlines import deadline_beliefs as sweep

        if (refused := _import_path_problem(body.negotiators)) is not None:
            return refused
        loaded = wi.resolve(_scenario_spec(body), fmt=_fmt(body))
        check_sessions(loaded.scenario, body.n)
        with state.compute_lock:
            result = sweep(
                loaded,
                n=body.n,
                seed=body.seed,
                negotiators=body.negotiators,
                beliefs=body.beliefs,
            )
        return _json(result)

    @app.post(
        "/api/forecast",
        tags=["what-if"],
        summary="The combined forecast, every model's forecast and the hindsight verdicts",
        description="For the scenario as written (the sliders do not apply): the combined "
        "forecast of the settlement (the first issue) with its 80% interval and the spread "
        "across models, what `burdenshare forecast --json` prints (null with a note when the "
        "scenario lists fewer than two actors), and the hindsight block with every forecast "
        "scored, when the scenario has one.",
        responses=error_responses(400, 404, 413, 422),
    )
    def forecast(body: Annotated[ForecastBody, Body()]) -> Response:
        from burdenshare.services.combined import forecast_panel

        loaded = wi.resolve(_scenario_spec(body), fmt=_fmt(body))
        with state.compute_lock:
            return _json(forecast_panel(loaded))

    @app.post(
        "/api/replay",
        tags=["what-if"],
        summary="Replay one session offer by offer",
        description="With `session` unset the parties hold the central values of every "
        "belief; with `session=i` the replay is session i of the what-if ensemble (same "
        "changes, n and seed), with its sampled beliefs.",
        responses=error_responses(400, 404, 413, 422),
    )
    def replay(body: Annotated[ReplayBody, Body()]) -> Response:
        if (refused := _import_path_problem(body.negotiators)) is not None:
            return refused
        spec = _scenario_spec(body)
        if body.session is not None and body.session >= body.n:
            raise ScenarioError(
                "the session must be one of the ensemble's",
                field="session",
                value=body.session,
                expected=f"a session number below n = {body.n}",
            )
        result = wi.replay(
            spec,
            body.negotiators,
            body.seed,
            changes=body.changes,
            uncertain=body.uncertain,
            session=body.session,
            n=body.n,
            fmt=_fmt(body),
        )
        return _json(result)

    # -- stored runs ---------------------------------------------------------------------

    @app.get(
        "/api/runs",
        tags=["runs"],
        summary="The stored runs, newest first",
        responses=error_responses(422, 503),
    )
    def runs(limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 50) -> Response:
        from burdenshare.services import list_runs

        with state.store_lock:
            records = list_runs(state.store_path, limit=limit)
        return _json({"runs": [_run_row(r.to_dict()) for r in records]})

    @app.post(
        "/api/runs",
        tags=["runs"],
        summary="Run an ensemble and store it",
        status_code=201,
        description="Runs `n` sessions of the scenario as it is written (no what-if changes) "
        "and records the run; returns the run record and its summary.",
        responses=error_responses(400, 404, 409, 413, 422, 503),
    )
    def create_run(body: Annotated[RunBody, Body()]) -> Response:
        if (refused := _import_path_problem(body.negotiators)) is not None:
            return refused
        spec = _scenario_spec(body)
        with state.store_lock, state.compute_lock:
            result = wi.store_run(
                spec,
                n=body.n,
                seed=body.seed,
                negotiators=body.negotiators,
                fmt=_fmt(body),
                store=state.store_path,
            )
        return _json(result, 201)

    @app.get(
        "/api/runs/{run_id}",
        tags=["runs"],
        summary="One stored run (its JSON record)",
        responses=error_responses(404, 422, 503),
    )
    def run(
        run_id: RunId, download: Annotated[bool, Query(description="as an attachment")] = False
    ) -> Response:
        from burdenshare.services import show_run

        with state.store_lock:
            record = show_run(run_id, state.store_path)
        headers = (
            {"Content-Disposition": f'attachment; filename="run-{record.id}.json"'}
            if download
            else None
        )
        return _json(record.to_dict(), headers=headers)

    @app.get(
        "/api/runs/{run_id}/export.csv",
        tags=["runs"],
        summary="A stored run's per-session samples as CSV",
        response_class=FileResponse,
        responses={
            200: {"description": "the samples", "content": {"text/csv": {"schema": {}}}},
            **error_responses(404, 422, 503),
        },
    )
    def export_csv(run_id: RunId) -> FileResponse:
        from burdenshare.services import export_run

        tmp = Path(tempfile.mkdtemp(prefix="burdenshare-export-"))
        try:
            with state.store_lock:
                path = export_run(run_id, tmp / "samples.csv", fmt="csv", store=state.store_path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return FileResponse(
            path,
            media_type="text/csv",
            filename=f"run-{run_id}.csv",
            background=BackgroundTask(shutil.rmtree, tmp, ignore_errors=True),
        )

    @app.get(
        "/api/runs/{run_id}/report",
        tags=["runs"],
        summary="A stored run's HTML report",
        response_class=HTMLResponse,
        responses=error_responses(404, 422, 501, 503),
    )
    def report(run_id: RunId) -> Response:
        from burdenshare.services import show_run

        build, is_run_id = _report_builder()
        if build is None:
            return _problem(
                501,
                "NotImplemented",
                "reports are not available in this version of burdenshare "
                "(burdenshare.services.report.build_report is missing)",
            )
        with tempfile.TemporaryDirectory(prefix="burdenshare-report-") as tmp:
            out = Path(tmp) / f"report-{run_id}.html"
            with state.store_lock:
                show_run(run_id, state.store_path)  # a bad or unknown id: 404 before anything
                if is_run_id is not None and not is_run_id(run_id):
                    # the report builder would read a file or bundled scenario of that name
                    raise StoreError(f"bad run id {run_id!r}: it names a file or a scenario")
                made = build(run_id, out=out, store=state.store_path)
            html = _report_html(made, out)
        if html is None:
            return _problem(500, "InternalError", "the report builder wrote no HTML file")
        return HTMLResponse(html)

    return app


def _parse_upload(data: bytes, name: str, fmt: str) -> Any:
    from burdenshare.services.catalogue import parse_scenario_bytes

    return parse_scenario_bytes(data, source=name, fmt=fmt)


def _run_row(rec: dict[str, Any]) -> dict[str, Any]:
    """A run record for a listing: no scenario text; the summary cut to its headline."""
    summary = rec.pop("summary", None) or {}
    rec.pop("scenario_text", None)
    rec["p_agreement"] = summary.get("p_agreement")
    rec["links"] = {
        "json": f"/api/runs/{rec['id']}?download=true",
        "csv": f"/api/runs/{rec['id']}/export.csv",
        "report": f"/api/runs/{rec['id']}/report",
    }
    return rec


def _report_builder() -> tuple[Callable[..., Any] | None, Callable[[str], bool] | None]:
    """``burdenshare.services.report``'s ``build_report`` and ``is_run_id``, where this
    installation has them (None for a missing one)."""
    from importlib import import_module

    try:
        module = import_module("burdenshare.services.report")
    except ImportError:
        return None, None
    build = getattr(module, "build_report", None)
    is_run_id = getattr(module, "is_run_id", None)
    return (build if callable(build) else None, is_run_id if callable(is_run_id) else None)


def _report_html(made: Any, out: Path) -> str | None:
    """The HTML the report builder produced: a returned string, or the file it wrote."""
    if isinstance(made, str) and made.lstrip().startswith("<"):
        return made
    candidates = [Path(made)] if isinstance(made, str | Path) else []
    candidates.append(out)
    for path in candidates:
        if path.is_dir():
            pages = sorted(path.glob("*.html"))
            path = (
                path / "index.html"
                if (path / "index.html").is_file()
                else (pages[0] if pages else path)
            )
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None
