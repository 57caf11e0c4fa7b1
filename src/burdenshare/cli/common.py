"""What every CLI module shares: the typer app, the common options, JSON output, the console and
the progress bar."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from burdenshare.jsonsafe import finite

__all__ = [
    "AddressOpt",
    "BackendOpt",
    "JsonOpt",
    "NegOpt",
    "OverwriteOpt",
    "ScenarioArg",
    "SeedOpt",
    "SessionsOpt",
    "StoreOpt",
    "WorkersOpt",
    "app",
    "console",
    "emit",
    "given_options",
    "progress_bar",
    "show_progress",
]

app = typer.Typer(
    name="burdenshare",
    help="Model, simulate and forecast alliance cost-sharing negotiations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ScenarioArg = Annotated[
    str,
    typer.Argument(
        help="A bundled scenario name (see `burdenshare scenarios`), a scenario file path, or a "
        "GENIUS / GeniusWeb domain folder."
    ),
]
OverwriteOpt = Annotated[
    bool,
    typer.Option(
        "--overwrite",
        help="Replace files that already exist (without it, an existing output file is refused "
        "with exit 2 before anything runs).",
    ),
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON (docs/reference/json.md).")
]
SeedOpt = Annotated[
    int, typer.Option("--seed", help="Seed for every random draw (same seed, same numbers).")
]
NegOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--negotiator",
        "-N",
        help="Negotiator for the first and second party, in scenario order (give once for both). "
        "A name from `burdenshare negotiators` (built-in or installed plug-in) with parameters "
        "as in time-dependent:e=0.5, or a plug-in class as package.module:Class[:key=value,...].",
    ),
]


StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Run store file (DuckDB). Default: $BURDENSHARE_STORE, else "
        "$XDG_DATA_HOME/burdenshare/runs.duckdb, else ~/.local/share/burdenshare/runs.duckdb.",
    ),
]


SessionsOpt = Annotated[int, typer.Option("-n", "--sessions", help="Number of sessions.")]
BackendOpt = Annotated[str, typer.Option("--backend", help="Where the work runs: local or ray.")]
WorkersOpt = Annotated[
    int,
    typer.Option(
        "--workers",
        help="local: worker processes (0 = in process); ray: CPUs of a new local cluster.",
    ),
]
AddressOpt = Annotated[
    str | None, typer.Option("--address", help="Ray backend: address of an existing cluster.")
]


def given_options(ctx: typer.Context) -> set[str]:
    """The parameters of the running command that the user set (on the command line or through
    an environment variable), as opposed to left at their defaults."""
    return {
        name
        for name in ctx.params
        if (source := ctx.get_parameter_source(name)) is not None
        and source.name not in ("DEFAULT", "DEFAULT_MAP")
    }


def emit(data: Any) -> None:
    """Standard JSON on stdout (NaN as null); ASCII escapes when the terminal cannot show UTF-8."""
    utf8 = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "") == "utf8"
    text = json.dumps(finite(data), indent=2, ensure_ascii=not utf8, default=str, allow_nan=False)
    sys.stdout.write(text + "\n")


def console() -> Console:
    """The console every verb prints to; it escapes any control character it is handed."""
    from burdenshare.cli.render import SafeConsole

    return SafeConsole(highlight=False, soft_wrap=False, width=max(100, Console().width))


def show_progress(json_out: bool) -> bool:
    """Progress bars go to stderr, for people: on a terminal, or when BURDENSHARE_PROGRESS=1."""
    if os.environ.get("BURDENSHARE_PROGRESS") == "1":
        return True
    return not json_out and sys.stderr.isatty()


@contextlib.contextmanager
def progress_bar(
    enabled: bool, label: str = "ensemble"
) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr (sessions, rate, ETA), or nothing.

    With ``BURDENSHARE_PROGRESS=plain`` it prints one line per finished chunk instead (for logs).
    """
    mode = os.environ.get("BURDENSHARE_PROGRESS", "")
    if mode == "plain":

        def line(done: int, total: int) -> None:
            sys.stderr.write(f"progress {done} {total}\n")
            sys.stderr.flush()

        yield line
        return
    if not enabled:
        yield None
        return
    columns = (
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("sessions"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task(label, total=None, rate="")
        t0 = time.perf_counter()
        first: list[int] = []

        def update(done: int, total: int) -> None:
            if not first:
                first.append(done)
            dt_ = time.perf_counter() - t0
            rate = (done - first[0]) / dt_ if dt_ > 0 else 0.0
            bar.update(task, completed=done, total=total, rate=f"{rate:,.0f}/s")

        yield update
