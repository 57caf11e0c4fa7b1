"""The web dashboard and its JSON API (FastAPI): the page is a client of the same API.

Everything here is the HTTP edge: requests are parsed and checked, the services do the work
(:mod:`burdenshare.services` and :mod:`burdenshare.services.whatif`), and errors are translated
to statuses in one place (:data:`STATUS`), as datasette does: a
:class:`~burdenshare.errors.ScenarioError` is a 422 with its field and line, an unknown run a
404, anything unexpected a 500 with a message and no traceback.

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
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from burdenshare import __version__
from burdenshare.errors import (
    BurdenshareError,
    ForecastError,
    ScenarioError,
    SimulationError,
    SolverError,
    StoreError,
)
from burdenshare.jsonsafe import finite
from burdenshare.scenario.io import MAX_BYTES

__all__ = ["MAX_REQUEST_BYTES", "STATUS", "AppState", "create_app", "plotly_js_path"]

_HERE = Path(__file__).resolve().parent
#: the largest request body accepted (a scenario of MAX_BYTES, JSON-escaped, with its settings)
MAX_REQUEST_BYTES = 2 * MAX_BYTES + 64 * 1024
#: multipart framing allowed on top of the file itself
_MULTIPART_OVERHEAD = 64 * 1024
#: the most runs one listing returns
MAX_LIST = 500
#: the most sessions a stored ensemble started from the page may have
MAX_STORED_SESSIONS = 1_000_000

#: HTTP status of each error class (the most specific class wins); StoreError is refined below
STATUS: dict[type[BurdenshareError], int] = {
    ScenarioError: 422,
    SimulationError: 422,
    ForecastError: 422,
    SolverError: 422,
    StoreError: 500,
    BurdenshareError: 500,
}

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


def _status(exc: BurdenshareError) -> int:
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


def _error_body(exc: BurdenshareError) -> dict[str, Any]:
    body = exc.to_dict()
    if isinstance(exc, ScenarioError):
        body["message"] = exc.message
        body["detail"] = str(exc)
    body.setdefault("field", None)
    body.setdefault("line", None)
    clean: dict[str, Any] = finite(body)
    return clean


def _json(data: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    text = json.dumps(finite(data), ensure_ascii=False, allow_nan=False, default=str)
    return Response(text, status_code=status_code, media_type="application/json", headers=headers)


def _problem(status: int, error: str, message: str, **extra: Any) -> Response:
    return _json({"error": error, "message": message, "field": None, "line": None, **extra}, status)


def _install_error_handlers(app: FastAPI) -> None:
    async def burdenshare_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, BurdenshareError)
        return _json(_error_body(exc), _status(exc))

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = exc.errors()
        first = errors[0] if errors else {}
        loc = [str(x) for x in first.get("loc", ()) if x not in ("body", "query", "path")]
        field_path = ".".join(loc) or None
        message = str(first.get("msg", "invalid request"))
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
        return _problem(exc.status_code, name, str(exc.detail))

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
        for key, value in scope.get("headers", ()):
            if key == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = False
                if too_big:
                    body = json.dumps(
                        {
                            "error": "PayloadTooLarge",
                            "message": f"request body over {self.limit:,} bytes",
                            "field": None,
                            "line": None,
                        }
                    ).encode()
                    headers = [(b"content-type", b"application/json")]
                    headers.append((b"content-length", str(len(body)).encode()))
                    await send({"type": "http.response.start", "status": 413, "headers": headers})
                    await send({"type": "http.response.body", "body": body})
                    return
        seen = 0

        async def limited() -> MutableMapping[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413, f"request body over {self.limit:,} bytes")
            return message

        await self.app(scope, limited, send)


# -- request bodies ---------------------------------------------------------------------------

ScenarioName = Annotated[str, Field(min_length=1, max_length=100)]
Changes = dict[Annotated[str, Field(max_length=200)], float | str]


class _ScenarioRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: ScenarioName | None = Field(
        default=None, description="a bundled scenario's name (see GET /api/scenarios)"
    )
    scenario_text: str | None = Field(
        default=None,
        max_length=MAX_BYTES,
        description="the text of an uploaded scenario file, instead of a bundled name",
    )
    format: Literal["yaml", "json", "toml"] = Field(
        default="yaml", description="the format of scenario_text"
    )
    negotiators: list[Annotated[str, Field(max_length=100)]] | None = Field(
        default=None,
        max_length=2,
        description="one negotiator for both parties, or one per party (first party first)",
    )
    seed: int = Field(default=0, ge=0, le=2**63 - 1)


class WhatIfRequest(_ScenarioRef):
    """Change some key parameters and rerun the ensemble."""

    changes: Changes = Field(
        default_factory=dict,
        max_length=100,
        description="field path → new value (a number, or an ISO date for dates)",
    )
    n: int = Field(default=100_000, ge=1, le=1_000_000, description="sessions to run")
    uncertain: Literal["shift", "fix"] = Field(
        default="shift",
        description="for a parameter given as a distribution: shift the distribution so its "
        "mean is the new value, or fix the parameter at it",
    )


class ReplayRequest(WhatIfRequest):
    """One session, offer by offer."""

    session: int | None = Field(
        default=None,
        ge=0,
        description="replay this session of the what-if ensemble (None: central values)",
    )


class RunRequest(_ScenarioRef):
    """Run an ensemble and keep it in the run store."""

    n: int = Field(default=100_000, ge=1, le=MAX_STORED_SESSIONS)


# -- the app ----------------------------------------------------------------------------------


def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _check_bundled(name: str) -> str:
    from burdenshare.scenario.library import bundled_names

    if name not in bundled_names():
        raise HTTPException(404, f"no bundled scenario {name!r}; see GET /api/scenarios")
    return name


def _scenario_spec(body: _ScenarioRef) -> str:
    """The bundled name or the scenario text of a request (exactly one must be given)."""
    if (body.scenario is None) == (body.scenario_text is None):
        raise ScenarioError(
            "give either a bundled scenario name or the text of a scenario file",
            field="scenario",
            expected="scenario or scenario_text",
        )
    if body.scenario is not None:
        return _check_bundled(body.scenario)
    assert body.scenario_text is not None
    return body.scenario_text


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
    _install_error_handlers(app)
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
        from burdenshare.negotiation import DEFAULT_NEGOTIATORS, NEGOTIATORS
        from burdenshare.scenario.library import FLAGSHIP
        from burdenshare.services import list_scenarios

        page = env.get_template("index.html").render(
            version=__version__,
            scenarios=list_scenarios(),
            flagship=FLAGSHIP,
            boot={
                "flagship": FLAGSHIP,
                "negotiators": sorted(NEGOTIATORS),
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

    @app.get("/api/scenarios", tags=["scenarios"], summary="The bundled scenarios")
    def scenarios() -> Response:
        from burdenshare.negotiation import DEFAULT_NEGOTIATORS, NEGOTIATORS
        from burdenshare.scenario.library import FLAGSHIP
        from burdenshare.services import list_scenarios

        return _json(
            {
                "scenarios": list_scenarios(),
                "flagship": FLAGSHIP,
                "negotiators": sorted(NEGOTIATORS),
                "default_negotiators": list(DEFAULT_NEGOTIATORS),
            }
        )

    @app.get(
        "/api/scenarios/{name}",
        tags=["scenarios"],
        summary="One bundled scenario: its validation summary and the sliders to show",
    )
    def scenario(name: str) -> Response:
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
        responses={
            413: {"description": "the file is too large"},
            422: {"description": "the scenario is malformed"},
        },
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
            if upload is None or isinstance(upload, str):
                raise HTTPException(400, "send the scenario file in the multipart field 'file'")
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
        "failure and the time taken. A value out of range is a 422 naming the field.",
    )
    def whatif(body: WhatIfRequest) -> Response:
        spec = _scenario_spec(body)
        with state.compute_lock:
            result = wi.whatif(
                spec,
                body.changes,
                n=body.n,
                seed=body.seed,
                negotiators=body.negotiators,
                uncertain=body.uncertain,
                fmt=body.format,
            )
        return _json(result)

    @app.post(
        "/api/replay",
        tags=["what-if"],
        summary="Replay one session offer by offer",
        description="With `session` unset the parties hold the central values of every "
        "belief; with `session=i` the replay is session i of the what-if ensemble (same "
        "changes, n and seed), with its sampled beliefs.",
    )
    def replay(body: ReplayRequest) -> Response:
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
            fmt=body.format,
        )
        return _json(result)

    # -- stored runs ---------------------------------------------------------------------

    @app.get("/api/runs", tags=["runs"], summary="The stored runs, newest first")
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
    )
    def create_run(body: RunRequest) -> Response:
        spec = _scenario_spec(body)
        with state.store_lock, state.compute_lock:
            result = wi.store_run(
                spec,
                n=body.n,
                seed=body.seed,
                negotiators=body.negotiators,
                fmt=body.format,
                store=state.store_path,
            )
        return _json(result, 201)

    @app.get("/api/runs/{run_id}", tags=["runs"], summary="One stored run (its JSON record)")
    def run(
        run_id: str, download: Annotated[bool, Query(description="as an attachment")] = False
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
    )
    def export_csv(run_id: str) -> FileResponse:
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
        responses={501: {"description": "this installation cannot build reports"}},
    )
    def report(run_id: str) -> Response:
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
    from burdenshare.scenario.io import parse_scenario_bytes

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
