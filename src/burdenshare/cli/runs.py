"""``burdenshare runs``: list, show and export stored runs."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from burdenshare import services
from burdenshare.cli import render
from burdenshare.cli.common import JsonOpt, OverwriteOpt, StoreOpt, app, console, emit

__all__ = ["runs_app"]

runs_app = typer.Typer(help="List, show and export stored runs.", no_args_is_help=False)
app.add_typer(runs_app, name="runs")


@runs_app.callback(invoke_without_command=True)
def runs(
    ctx: typer.Context,
    store: StoreOpt = None,
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many runs.")] = 50,
    json_out: JsonOpt = False,
) -> None:
    """List stored runs, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    records = services.list_runs(store, limit=limit)
    if json_out:
        emit({"runs": [r.to_dict() for r in records]})
    else:
        render.runs(console(), records)


@runs_app.command("show")
def runs_show(
    run_id: Annotated[str, typer.Argument(help="The run id (see `burdenshare runs`).")],
    store: StoreOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Show one stored run: its parameters, timings and summary."""
    record = services.show_run(run_id, store)
    if json_out:
        out = record.to_dict()
        out.pop("scenario_text", None)
        emit(out)
    else:
        render.run_record(console(), record)


@runs_app.command("export")
def runs_export(
    run_id: Annotated[str, typer.Argument(help="The run id.")],
    output: Annotated[str, typer.Option("-o", "--output", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    what: Annotated[
        str,
        typer.Option(
            "--what",
            help="sessions (one row per session) or offers (one row per offer: a "
            "tournament's offer log).",
        ),
    ] = "sessions",
    overwrite: OverwriteOpt = False,
    store: StoreOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Export a run's sessions or offers (plus a JSON sidecar describing the run)."""
    path = services.export_run(run_id, output, fmt, store, overwrite=overwrite, what=what)
    if json_out:
        emit({"path": str(path), "sidecar": str(path) + ".run.json", "what": what})
    else:
        console().print(f"wrote {escape(str(path))} and {escape(str(path))}.run.json")
