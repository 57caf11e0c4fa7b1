"""Commands for negotiation research: GENIUS/ANAC import and tournaments."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from burdenshare.cli import render
from burdenshare.cli.common import (
    AddressOpt,
    BackendOpt,
    JsonOpt,
    OverwriteOpt,
    SeedOpt,
    StoreOpt,
    WorkersOpt,
    app,
    console,
    emit,
    given_options,
    progress_bar,
    show_progress,
)
from burdenshare.errors import ScenarioError

__all__ = ["import_genius", "tournament"]


@app.command()
def tournament(
    ctx: typer.Context,
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
    offers: Annotated[
        bool,
        typer.Option(
            "--offers/--no-offers",
            help="Keep every offer of every session in the run store (export it with "
            "`runs export --what offers`); --no-offers plays on the compiled engine and keeps "
            "only the outcomes.",
        ),
    ] = True,
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
    overwrite: OverwriteOpt = False,
    store: StoreOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Every ordered pair of negotiators on every domain (both roles), ranked as in ANAC."""
    from burdenshare.services.tournament import check_chart_path, tournament_chart
    from burdenshare.services.tournament import tournament as run

    if not domains and resume is None:
        raise ScenarioError("give at least one domain, or --resume RUN_ID", field="DOMAINS")
    if chart:
        check_chart_path(chart, overwrite=overwrite)
    # with --resume, only what was typed is compared with the stored plan
    typed = set() if resume is None else given_options(ctx)

    def typed_or_none(name: str, value: Any) -> Any:
        return value if resume is None or name in typed else None

    with progress_bar(show_progress(json_out), "tournament") as progress:
        try:
            result = run(
                domains or [],
                negotiators=negotiator,
                repetitions=typed_or_none("repetitions", repetitions),
                seed=typed_or_none("seed", seed),
                self_play=typed_or_none("self_play", self_play),
                sample=typed_or_none("sample", sample),
                offers=typed_or_none("offers", offers),
                backend=backend,
                workers=workers,
                address=address,
                store=store,
                resume=resume,
                progress=progress,
            )
        except KeyboardInterrupt:
            render.SafeConsole(stderr=True).print(
                "interrupted: finished matches are stored; resume with "
                "[bold]burdenshare tournament --resume RUN_ID[/] (see `burdenshare runs`)"
            )
            raise
    written = (
        [str(p) for p in tournament_chart(result.run_id, chart, store, overwrite=overwrite)]
        if chart
        else []
    )
    if json_out:
        emit({**result.to_dict(), "charts": written})
    else:
        render.tournament(console(), result.run_id, result.summary)
        for path in written:
            console().print(f"chart written to {escape(path)}")


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
    rounds: Annotated[
        int | None,
        typer.Option(
            "--rounds", help="Daily rounds of the protocol (default 100, or to --deadline)."
        ),
    ] = None,
    start: Annotated[
        str, typer.Option("--start", help="The date of the first round (YYYY-MM-DD).")
    ] = "2000-01-01",
    deadline: Annotated[
        str | None,
        typer.Option(
            "--deadline", help="The hard deadline (YYYY-MM-DD): one round a day up to it."
        ),
    ] = None,
    first_mover: Annotated[
        str | None,
        typer.Option(
            "--first-mover",
            help="The party that opens: its party id or GENIUS profile name (default: the "
            "first profile).",
        ),
    ] = None,
    profile: Annotated[
        list[str] | None,
        typer.Option(
            "--profile",
            help="A profile to make a party of, by GENIUS profile name or party id "
            "(repeatable, two or more, in the parties' order; default: every profile of the "
            "domain, so a three-profile ANAC 2015 domain gives a three-party scenario).",
        ),
    ] = None,
    overwrite: OverwriteOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Turn a GENIUS/ANAC negotiation domain into a burdenshare scenario file (one party per
    profile)."""
    from burdenshare.services.genius import import_genius as write_scenario

    scenario = write_scenario(
        directory,
        output,
        rounds=rounds,
        start=start,
        deadline=deadline,
        first_mover=first_mover,
        profiles=profile,
        overwrite=overwrite,
    )
    if json_out:
        emit(
            {
                "path": output,
                "id": scenario.id,
                "issues": scenario.issue_ids,
                "parties": list(scenario.parties),
            }
        )
    else:
        console().print(
            f"wrote {escape(output)}: {len(scenario.issues)} issues, parties "
            f"{', '.join(scenario.parties)}; analyse it with `burdenshare analyze {escape(output)}`"
        )
