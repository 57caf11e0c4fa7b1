"""The core verbs and the entry point that maps errors to exit codes.

Exit codes: 0 ok, 2 bad input (a malformed scenario, an unknown option value), 1 internal error.
No traceback reaches the user unless ``BURDENSHARE_DEBUG=1`` is set.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from rich.markup import escape

from burdenshare import __version__, services
from burdenshare.cli import render, render_analysis, render_forecasts
from burdenshare.cli.common import (
    AddressOpt,
    BackendOpt,
    JsonOpt,
    NegOpt,
    OverwriteOpt,
    ScenarioArg,
    SeedOpt,
    SessionsOpt,
    StoreOpt,
    WorkersOpt,
    app,
    console,
    emit,
    given_options,
    progress_bar,
    show_progress,
)
from burdenshare.errors import BurdenshareError, ScenarioError
from burdenshare.services.catalogue import FLAGSHIP

__all__ = ["app", "main"]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"burdenshare {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Model, simulate and forecast alliance cost-sharing negotiations."""


@app.command()
def scenarios(json_out: JsonOpt = False) -> None:
    """List the bundled scenarios."""
    items = services.list_scenarios()
    if json_out:
        emit({"scenarios": items})
    else:
        render.scenarios(console(), items)


@app.command()
def validate(scenario: ScenarioArg, json_out: JsonOpt = False) -> None:
    """Check a scenario file and describe it (exit code 2 and one clear message if malformed)."""
    info = services.validate(scenario)
    if json_out:
        emit(info)
    else:
        render.validated(console(), info)


@app.command()
def analyze(scenario: ScenarioArg, json_out: JsonOpt = False) -> None:
    """Zone of agreement and every bargaining solution, in issue units and both currencies."""
    result = services.analyze_any(scenario)
    if json_out:
        emit(result.to_dict())
    elif isinstance(result, services.Analysis):
        render_analysis.analysis(console(), result)
    else:
        render_analysis.rules_analysis(console(), result.to_dict())


#: simulate's --negotiator: one per party, whatever their number
SimulateNegOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--negotiator",
        "-N",
        help="Negotiator for each party, in scenario order (give once for every party). "
        "A name from `burdenshare negotiators` (built-in or installed plug-in) with parameters "
        "as in time-dependent:e=0.5, or a plug-in class as package.module:Class[:key=value,...]. "
        "With more than two parties, a negotiator that plays multilateral sessions (boulware, "
        "linear, conceder, time-dependent, hardliner).",
    ),
]


@app.command()
def simulate(
    scenario: ScenarioArg,
    negotiator: SimulateNegOpt = None,
    seed: SeedOpt = 0,
    json_out: JsonOpt = False,
) -> None:
    """Simulate one session (alternating offers or a mediator's single text, two parties or
    more) and show its transcript."""
    loaded, result, pair = services.simulate(scenario, negotiator, seed=seed)
    if json_out:
        emit(
            {
                **result.to_dict(),
                "negotiators": dict(zip(loaded.scenario.party_names, pair, strict=True)),
                "seed": seed,
                **services.assumed_branches(loaded.scenario),
            }
        )
    else:
        render.session(console(), loaded.scenario, result, pair, seed)


@app.command()
def run(
    scenario: Annotated[
        str, typer.Argument(help="A bundled scenario name or a scenario file path.")
    ] = FLAGSHIP,
    negotiator: NegOpt = None,
    seed: SeedOpt = 0,
    n: SessionsOpt = 100_000,
    store: StoreOpt = None,
    report_path: Annotated[
        str | None,
        typer.Option(
            "--report",
            help="Where to write the HTML report (default: burdenshare-<scenario>-<run id>.html "
            "in the current folder).",
        ),
    ] = None,
    no_report: Annotated[
        bool, typer.Option("--no-report", help="Do not write the HTML report.")
    ] = False,
    overwrite: OverwriteOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """The main job: validate, analyse, simulate one session and an ensemble, forecast; store the
    run; write an HTML report; summarise in plain words."""
    from pathlib import Path

    from burdenshare.services.combined import run_combined
    from burdenshare.services.report import build_report, check_report_outputs

    if report_path and not no_report:
        check_report_outputs(Path(report_path), None, overwrite=overwrite)
    result = services.analyze(scenario)
    loaded, session, pair = services.simulate(scenario, negotiator, seed=seed)
    with progress_bar(show_progress(json_out)) as progress:
        ens = services.ensemble(
            scenario, n=n, seed=seed, negotiators=list(pair), store=store, progress=progress
        )
    forecasts = services.forecast(scenario) if loaded.scenario.actors else None
    combined = run_combined(result, forecasts, ens.summary, pair)
    hindsight = result.hindsight(ens.summary, forecasts=forecasts, combined=combined)
    written: str | None = None
    if not no_report:
        out = Path(report_path or f"burdenshare-{loaded.scenario.id}-{ens.run_id}.html")
        written = str(build_report(ens.run_id, out=out, store=store, overwrite=overwrite))
    if json_out:
        emit(
            {
                **result.to_dict(),
                "combined": combined,
                "simulation": {
                    **session.to_dict(),
                    "seed": seed,
                    "negotiators": dict(zip(loaded.scenario.party_names, pair, strict=True)),
                },
                "ensemble": ens.to_dict(),
                "forecasts": forecasts,
                "hindsight": hindsight,
                "report": written,
            }
        )
    else:
        con = console()
        render_forecasts.combined(con, combined)
        render_analysis.analysis(con, result)
        render.session(con, loaded.scenario, session, pair, seed)
        render.ensemble(con, loaded.scenario, ens)
        if forecasts is not None:
            render_forecasts.forecasts(con, forecasts, combined_first=False)
        render_forecasts.verdict(con, result, session, ens, hindsight)
        if written:
            con.print(f"[bold]Report:[/] {escape(written)} (open it in any browser; offline)")


@app.command()
def ensemble(
    ctx: typer.Context,
    scenario: Annotated[
        str | None, typer.Argument(help="A bundled scenario name or a scenario file path.")
    ] = None,
    n: SessionsOpt = 100_000,
    negotiator: NegOpt = None,
    seed: SeedOpt = 0,
    method: Annotated[
        str, typer.Option("--method", help="Sampling: mc (Monte Carlo) or lhs (Latin hypercube).")
    ] = "mc",
    backend: BackendOpt = "local",
    workers: WorkersOpt = 0,
    address: AddressOpt = None,
    chunk_size: Annotated[
        int | None, typer.Option("--chunk-size", help="Sessions per chunk (stored atomically).")
    ] = None,
    precision: Annotated[
        float | None,
        typer.Option(
            "--precision",
            help="Stop early once the standard error of P(agreement) is at most this.",
        ),
    ] = None,
    correlate: Annotated[
        list[str] | None,
        typer.Option(
            "--correlate",
            help="Rank correlation between two uncertain parameters: PATH_A,PATH_B,RHO "
            "(the paths are listed under uncertain_fields by `burdenshare validate --json`; "
            "repeatable).",
        ),
    ] = None,
    resume: Annotated[
        str | None, typer.Option("--resume", help="Resume an interrupted run by its id.")
    ] = None,
    store: StoreOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Simulate many sessions under the scenario's uncertainty; store and summarise them."""
    if scenario is None and resume is None:
        raise ScenarioError("give a scenario, or --resume RUN_ID", field="SCENARIO")
    # with --resume, only what was typed is compared with the run's own arguments
    typed = set() if resume is None else given_options(ctx)
    with progress_bar(show_progress(json_out)) as progress:
        try:
            result = services.ensemble(
                scenario,
                n=n if resume is None or "n" in typed else None,
                seed=seed if resume is None or "seed" in typed else None,
                negotiators=negotiator,
                method=method if resume is None or "method" in typed else None,
                chunk_size=chunk_size,
                precision=precision,
                backend=backend,
                workers=workers,
                address=address,
                store=store,
                resume=resume,
                progress=progress,
                correlations=[_correlation(c) for c in correlate] if correlate else None,
            )
        except KeyboardInterrupt:
            render.SafeConsole(stderr=True).print(
                "interrupted: finished chunks are stored; resume with "
                "[bold]burdenshare ensemble --resume RUN_ID[/] (see `burdenshare runs`)"
            )
            raise
    if json_out:
        emit(result.to_dict())
    else:
        render.ensemble(console(), services.run_scenario(result.record), result)


@app.command()
def sensitivity(
    scenario: ScenarioArg,
    negotiator: NegOpt = None,
    n: SessionsOpt = 20_000,
    n_base: Annotated[
        int, typer.Option("--n-base", help="Sobol' base samples (Saltelli design size).")
    ] = 1024,
    seed: SeedOpt = 0,
    json_out: JsonOpt = False,
) -> None:
    """Which belief matters most for P(agreement) and the median settlement (tornado, Sobol')."""
    result = services.sensitivity(scenario, negotiators=negotiator, n=n, n_base=n_base, seed=seed)
    if json_out:
        emit(result)
    else:
        render.sensitivity(console(), result)


def _correlation(text: str) -> tuple[str, str, float]:
    parts = text.split(",")
    try:
        if len(parts) != 3:
            raise ValueError
        return (parts[0].strip(), parts[1].strip(), float(parts[2]))
    except ValueError:
        raise ScenarioError(
            "a correlation is PATH_A,PATH_B,RHO",
            field="--correlate",
            value=text,
            expected="e.g. parties.US.utility.contribution.reservation,"
            "parties.ROK.utility.contribution.reservation,0.5",
        ) from None


@app.command()
def forecast(
    scenario: ScenarioArg,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            "-m",
            help="Forecasting model (repeatable; default: every model). Names: compromise, "
            "compromise-salience, mean, median, weighted-median, reference-point, nash, nash-far, "
            "nash-linear-far, bdm, bdm-scholz, exchange.",
        ),
    ] = None,
    issue: Annotated[
        str | None, typer.Option("--issue", help="Issue to forecast (default: the first).")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Forecast the outcome from the scenario's actors with each multi-actor model."""
    result = services.forecast(scenario, models=model, issue=issue)
    if json_out:
        emit(result)
    else:
        render_forecasts.forecasts(console(), result)


@app.command()
def report(
    target: Annotated[
        str,
        typer.Argument(
            help="A stored run id (see `burdenshare runs`), a bundled scenario or a file."
        ),
    ],
    output: Annotated[str, typer.Option("-o", "--output", help="The HTML file to write.")],
    charts: Annotated[
        str | None,
        typer.Option("--charts", help="Also write every chart as PNG and SVG into this folder."),
    ] = None,
    store: StoreOpt = None,
    n: SessionsOpt = 100_000,
    seed: SeedOpt = 0,
    negotiator: NegOpt = None,
    overwrite: OverwriteOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Write a self-contained, offline HTML report of a run (or of a scenario, run first)."""
    from pathlib import Path

    from burdenshare.services.report import check_report_outputs, report_data, write_report

    charts_dir = Path(charts) if charts else None
    check_report_outputs(Path(output), charts_dir, overwrite=overwrite)
    with progress_bar(show_progress(json_out)) as progress:
        data = report_data(
            target,
            store=store,
            n=n,
            seed=seed,
            negotiators=negotiator,
            progress=progress,
        )
    written = write_report(data, out=Path(output), charts_dir=charts_dir, overwrite=overwrite)
    if json_out:
        emit({**written, "report": data})
    else:
        console().print(f"report written to {escape(str(written['path']))}")


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to bind (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="TCP port (1 to 65535).")
    ] = 8765,
    store: StoreOpt = None,
) -> None:
    """Start the what-if web dashboard (FastAPI) on this machine."""
    from burdenshare.web.server import bind, is_loopback
    from burdenshare.web.server import serve as _serve

    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        sock = bind(host, port)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise typer.BadParameter(
            f"cannot listen on {where}: {reason}", param_hint="'--host' / '--port'"
        ) from None
    if not is_loopback(str(sock.getsockname()[0])):
        render.SafeConsole(stderr=True, highlight=False).print(
            f"warning: the dashboard listens on {escape(where)}, so it will be reachable from "
            "other machines; it has no accounts, and anyone who reaches it can run ensembles "
            "and read the run store. Use --host 127.0.0.1 to keep it on this machine.",
            soft_wrap=True,
        )
    console().print(f"burdenshare dashboard on http://{escape(where)}/ (Ctrl-C to stop)")
    try:
        _serve(host=host, port=port, store=store, sock=sock)
    except KeyboardInterrupt:  # Ctrl-C is how a server is stopped: uvicorn has shut down cleanly
        console().print("dashboard stopped")


# the other command modules register their commands on the same app, after the core verbs
import burdenshare.cli.alliance  # noqa: E402
import burdenshare.cli.allocate  # noqa: E402, F401
from burdenshare.cli import cases, negotiators, record, research, runs  # noqa: E402, F401


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app and turn errors into exit codes.

    Usage errors (unknown option, missing argument) are reported by typer with exit code 2.
    """
    debug = os.environ.get("BURDENSHARE_DEBUG") == "1"
    for stream in (sys.stdout, sys.stderr):
        # never crash on a terminal that cannot encode ₩ or an en dash: escape instead
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        app(args=argv, prog_name="burdenshare")
    except BurdenshareError as exc:
        if debug:
            raise
        render.SafeConsole(stderr=True, highlight=False).print(
            "[bold red]error:[/] " + render.safe(str(exc)), markup=True, soft_wrap=True
        )
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        render.SafeConsole(stderr=True).print("interrupted")
        sys.exit(130)
    except Exception as exc:  # the edge: an unexpected error is internal, never a traceback
        if debug:
            raise
        render.SafeConsole(stderr=True, highlight=False).print(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in burdenshare; rerun with BURDENSHARE_DEBUG=1 to see the traceback.",
            markup=False,
            soft_wrap=True,
        )
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
