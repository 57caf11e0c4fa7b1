"""Typer application: verbs, options, and the mapping of errors to exit codes.

Exit codes: 0 ok, 2 bad input (a malformed scenario, an unknown option value), 1 internal error.
No traceback reaches the user unless ``BURDENSHARE_DEBUG=1`` is set.
"""

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
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from burdenshare import __version__, services
from burdenshare.cli import render
from burdenshare.errors import BurdenshareError, ScenarioError
from burdenshare.jsonsafe import finite
from burdenshare.scenario.library import FLAGSHIP

__all__ = ["app", "main"]

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
        "Names: boulware, linear, conceder, hardliner, tit-for-tat, nash, rubinstein; "
        "parameters as in time-dependent:e=0.5.",
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


def _emit(data: Any) -> None:
    """Standard JSON on stdout (NaN as null); ASCII escapes when the terminal cannot show UTF-8."""
    utf8 = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "") == "utf8"
    text = json.dumps(finite(data), indent=2, ensure_ascii=not utf8, default=str, allow_nan=False)
    sys.stdout.write(text + "\n")


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False, width=max(100, Console().width))


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
        _emit({"scenarios": items})
    else:
        render.scenarios(_console(), items)


@app.command()
def validate(scenario: ScenarioArg, json_out: JsonOpt = False) -> None:
    """Check a scenario file and describe it (exit code 2 and one clear message if malformed)."""
    info = services.validate(scenario)
    if json_out:
        _emit(info)
    else:
        render.validated(_console(), info)


@app.command()
def analyze(scenario: ScenarioArg, json_out: JsonOpt = False) -> None:
    """Zone of agreement and every bargaining solution, in issue units and both currencies."""
    result = services.analyze_any(scenario)
    if json_out:
        _emit(result.to_dict())
    elif isinstance(result, services.Analysis):
        render.analysis(_console(), result)
    else:
        render.rules_analysis(_console(), result.to_dict())


@app.command()
def simulate(
    scenario: ScenarioArg,
    negotiator: NegOpt = None,
    seed: SeedOpt = 0,
    json_out: JsonOpt = False,
) -> None:
    """Simulate one alternating-offers session and show its transcript."""
    loaded, result, pair = services.simulate(scenario, negotiator, seed=seed)
    if json_out:
        _emit(
            {
                **result.to_dict(),
                "negotiators": dict(zip(loaded.scenario.party_names, pair, strict=True)),
                "seed": seed,
            }
        )
    else:
        render.session(_console(), loaded.scenario, result, pair, seed)


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
    json_out: JsonOpt = False,
) -> None:
    """The main job: validate, analyse, simulate one session and an ensemble, forecast; store the
    run; write an HTML report; summarise in plain words."""
    result = services.analyze(scenario)
    loaded, session, pair = services.simulate(scenario, negotiator, seed=seed)
    with _progress(_show_progress(json_out)) as progress:
        ens = services.ensemble(
            scenario, n=n, seed=seed, negotiators=list(pair), store=store, progress=progress
        )
    forecasts = services.forecast(scenario) if loaded.scenario.actors else None
    written: str | None = None
    if not no_report:
        from pathlib import Path

        from burdenshare.services.report import build_report

        out = Path(report_path or f"burdenshare-{loaded.scenario.id}-{ens.run_id}.html")
        written = str(build_report(ens.run_id, out=out, store=store))
    if json_out:
        _emit(
            {
                **result.to_dict(),
                "simulation": {
                    **session.to_dict(),
                    "seed": seed,
                    "negotiators": dict(zip(loaded.scenario.party_names, pair, strict=True)),
                },
                "ensemble": ens.to_dict(),
                "forecasts": forecasts,
                "hindsight": result.hindsight(ens.summary),
                "report": written,
            }
        )
    else:
        console = _console()
        render.analysis(console, result)
        render.session(console, loaded.scenario, session, pair, seed)
        render.ensemble(console, loaded.scenario, ens)
        if forecasts is not None:
            render.forecasts(console, forecasts)
        render.verdict(console, result, session, ens)
        if written:
            console.print(f"[bold]Report:[/] {escape(written)} (open it in any browser; offline)")


def _show_progress(json_out: bool) -> bool:
    """Progress bars go to stderr, for people: on a terminal, or when BURDENSHARE_PROGRESS=1."""
    if os.environ.get("BURDENSHARE_PROGRESS") == "1":
        return True
    return not json_out and sys.stderr.isatty()


@contextlib.contextmanager
def _progress(
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


@app.command()
def ensemble(
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
    with _progress(_show_progress(json_out)) as progress:
        try:
            result = services.ensemble(
                scenario,
                n=n,
                seed=seed,
                negotiators=negotiator,
                method=method,
                chunk_size=chunk_size,
                precision=precision,
                backend=backend,
                workers=workers,
                address=address,
                store=store,
                resume=resume,
                progress=progress,
                correlations=[_correlation(c) for c in correlate or []],
            )
        except KeyboardInterrupt:
            Console(stderr=True).print(
                "interrupted: finished chunks are stored; resume with "
                "[bold]burdenshare ensemble --resume RUN_ID[/] (see `burdenshare runs`)"
            )
            raise
    if json_out:
        _emit(result.to_dict())
    else:
        render.ensemble(_console(), services.run_scenario(result.record), result)


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
        _emit(result)
    else:
        render.sensitivity(_console(), result)


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
        _emit(result)
    else:
        render.forecasts(_console(), result)


@app.command()
def backtest(
    case: Annotated[
        str, typer.Argument(help="The record to test against: deu3 (EU decisions) or sma.")
    ],
    folds: Annotated[
        int, typer.Option("--folds", help="deu3: cross-validation folds for fitted models.")
    ] = 10,
    n: Annotated[int, typer.Option("-n", "--sessions", help="sma: sessions per ensemble.")] = 4000,
    seed: SeedOpt = 0,
    json_out: JsonOpt = False,
) -> None:
    """Score the models against real outcomes: DEU III (353 EU decisions) or the SMA talks."""
    if case == "deu3":
        result: Any = services.backtest_deu3(folds=folds, seed=seed)
    elif case == "sma":
        from burdenshare.services.backtest_sma import backtest_sma

        result = backtest_sma(n=n, seed=seed)
    else:
        raise ScenarioError(
            "unknown backtest case", field="CASE", value=case, expected="deu3 or sma"
        )
    if json_out:
        _emit(result.to_dict())
    else:
        sys.stdout.write(result.to_text() + "\n")  # a fixed-width table: not wrapped


@app.command()
def replay(
    name: Annotated[str, typer.Argument(help="The replay: us-rok-sma-11.")],
    n: Annotated[
        int, typer.Option("-n", "--sessions", help="Sessions per ensemble (per event).")
    ] = 4000,
    seed: SeedOpt = 0,
    chart: Annotated[
        str | None, typer.Option("--chart", help="Write the replay chart (PNG and SVG) here.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Walk through the 2019-2021 talks event by event, rebuilding the case from what was public."""
    from burdenshare.services.backtest_sma import replay as _replay

    out = _replay(name, n=n, seed=seed, chart=chart)
    if json_out:
        _emit(out.to_dict())
    else:
        sys.stdout.write(out.to_text() + "\n")


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
    json_out: JsonOpt = False,
) -> None:
    """Write a self-contained, offline HTML report of a run (or of a scenario, run first)."""
    from pathlib import Path

    from burdenshare.services.report import report_data, write_report

    with _progress(_show_progress(json_out)) as progress:
        data = report_data(
            target,
            store=store,
            n=n,
            seed=seed,
            negotiators=negotiator,
            progress=progress,
        )
    written = write_report(data, out=Path(output), charts_dir=Path(charts) if charts else None)
    if json_out:
        _emit({**written, "report": data})
    else:
        _console().print(f"report written to {escape(str(written['path']))}")


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to bind (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8765,
    store: StoreOpt = None,
) -> None:
    """Start the what-if web dashboard (FastAPI) on this machine."""
    from burdenshare.web import serve as _serve

    _console().print(f"burdenshare dashboard on http://{host}:{port}/ (Ctrl-C to stop)")
    _serve(host=host, port=port, store=store)


@app.command()
def history(
    record: Annotated[str, typer.Argument(help="The record to show: sma.")],
    chart: Annotated[
        str | None,
        typer.Option(
            "--chart", help="Write the contribution chart (PNG and SVG) into this folder."
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """The record of past agreements: the SMA table and the yearly contribution series."""
    from burdenshare.services.history import sma_chart, sma_record

    if record != "sma":
        raise ScenarioError("unknown record", field="RECORD", value=record, expected="sma")
    data = sma_record()
    written = [str(p) for p in sma_chart(chart)] if chart else []
    if json_out:
        _emit({**data, "charts": written})
        return
    render.sma_record(_console(), data)
    for path in written:
        _console().print(f"chart written to {escape(path)}")


@app.command()
def costs(
    rule: Annotated[
        str | None,
        typer.Option(
            "--rule",
            help="Compute what a demand rule implies instead of the indicators: cost+50%, "
            "50% of cost, 1.5x, +13% ...",
        ),
    ] = None,
    cost: Annotated[
        str | None,
        typer.Option(
            "--cost",
            help="With --rule: the cost it applies to, with its unit ('3.35 bn USD'); default "
            "DoD's yearly cost of forces in Korea, 2016-2019 (GAO-21-270).",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Burden-sharing indicators from the sourced figures, or what a demand rule implies."""
    from burdenshare.services.history import cost_indicators, demand_rule

    result = demand_rule(rule, cost=cost) if rule else cost_indicators()
    if json_out:
        _emit(result)
    else:
        _console().print(escape(result["text"]))


@app.command()
def tournament(
    domains: Annotated[
        list[str] | None,
        typer.Argument(
            help="Domains: bundled scenario names, scenario files, or GENIUS / GeniusWeb "
            "domain folders (imported on the fly)."
        ),
    ] = None,
    negotiator: Annotated[
        list[str] | None,
        typer.Option(
            "--negotiator",
            "-N",
            help="A negotiator that takes part (repeatable; default: boulware, linear, "
            "conceder, hardliner). Specs as in time-dependent:e=0.5.",
        ),
    ] = None,
    repetitions: Annotated[
        int,
        typer.Option("--repetitions", "-r", help="Sessions per ordered pair and domain."),
    ] = 10,
    seed: SeedOpt = 0,
    self_play: Annotated[
        bool, typer.Option("--self-play", help="Also let each negotiator meet itself.")
    ] = False,
    sample: Annotated[
        bool,
        typer.Option(
            "--sample",
            help="Draw uncertain parameters for each repetition (the same draws for every "
            "pair); default: central values.",
        ),
    ] = False,
    backend: BackendOpt = "local",
    workers: WorkersOpt = 0,
    address: AddressOpt = None,
    resume: Annotated[
        str | None, typer.Option("--resume", help="Resume an interrupted tournament by its id.")
    ] = None,
    chart: Annotated[
        str | None,
        typer.Option(
            "--chart", help="Write the ranking and outcome chart (PNG and SVG) here (a folder)."
        ),
    ] = None,
    store: StoreOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Every ordered pair of negotiators on every domain (both roles), ranked as in ANAC."""
    from burdenshare.services.tournament import tournament as run
    from burdenshare.services.tournament import tournament_chart

    if not domains and resume is None:
        raise ScenarioError("give at least one domain, or --resume RUN_ID", field="DOMAINS")
    with _progress(_show_progress(json_out), "tournament") as progress:
        try:
            result = run(
                domains or [],
                negotiators=negotiator,
                repetitions=repetitions,
                seed=seed,
                self_play=self_play,
                sample=sample,
                backend=backend,
                workers=workers,
                address=address,
                store=store,
                resume=resume,
                progress=progress,
            )
        except KeyboardInterrupt:
            Console(stderr=True).print(
                "interrupted: finished matches are stored; resume with "
                "[bold]burdenshare tournament --resume RUN_ID[/] (see `burdenshare runs`)"
            )
            raise
    written = [str(p) for p in tournament_chart(result.run_id, chart, store)] if chart else []
    if json_out:
        _emit({**result.to_dict(), "charts": written})
    else:
        render.tournament(_console(), result.run_id, result.summary)
        for path in written:
            _console().print(f"chart written to {escape(path)}")


@app.command("import-genius")
def import_genius(
    directory: Annotated[
        str,
        typer.Argument(
            help="A GENIUS domain folder (domain XML and profile XMLs) or a "
            "GeniusWeb folder (JSON)."
        ),
    ],
    output: Annotated[str, typer.Option("-o", "--output", help="The scenario file to write.")],
    json_out: JsonOpt = False,
) -> None:
    """Turn a GENIUS/ANAC negotiation domain into a burdenshare scenario file."""
    from pathlib import Path

    from burdenshare.interop import load_genius, to_scenario

    domain = load_genius(directory)
    text, scenario = to_scenario(domain)
    Path(output).write_text(text, encoding="utf-8")
    if json_out:
        _emit(
            {
                "path": output,
                "id": scenario.id,
                "issues": scenario.issue_ids,
                "parties": list(scenario.parties),
            }
        )
    else:
        _console().print(
            f"wrote {escape(output)}: {len(scenario.issues)} issues, parties "
            f"{', '.join(scenario.parties)}; analyse it with `burdenshare analyze {escape(output)}`"
        )


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
        _emit({"runs": [r.to_dict() for r in records]})
    else:
        render.runs(_console(), records)


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
        _emit(out)
    else:
        render.run_record(_console(), record)


@runs_app.command("export")
def runs_export(
    run_id: Annotated[str, typer.Argument(help="The run id.")],
    output: Annotated[str, typer.Option("-o", "--output", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing file.")
    ] = False,
    store: StoreOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Export a run's per-session samples (plus a JSON sidecar describing the run)."""
    path = services.export_run(run_id, output, fmt, store, overwrite=overwrite)
    if json_out:
        _emit({"path": str(path), "sidecar": str(path) + ".run.json"})
    else:
        _console().print(f"wrote {escape(str(path))} and {escape(str(path))}.run.json")


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
        Console(stderr=True, highlight=False).print(
            "[bold red]error:[/] " + escape(str(exc)), markup=True, soft_wrap=True
        )
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        Console(stderr=True).print("interrupted")
        sys.exit(130)
    except Exception as exc:  # the edge: an unexpected error is internal, never a traceback
        if debug:
            raise
        Console(stderr=True, highlight=False).print(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in burdenshare; rerun with BURDENSHARE_DEBUG=1 to see the traceback.",
            markup=False,
            soft_wrap=True,
        )
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
