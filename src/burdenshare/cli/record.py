"""The verbs of the record: ``backtest`` (record, its alias sma, deu3), ``replay``, ``history``
(record, sma) and ``costs``."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.markup import escape

from burdenshare import services
from burdenshare.cli import render
from burdenshare.cli.common import JsonOpt, OverwriteOpt, SeedOpt, app, console, emit
from burdenshare.errors import ScenarioError

__all__ = ["backtest", "costs", "history", "replay"]


@app.command()
def backtest(
    case: Annotated[
        str,
        typer.Argument(
            help="The record to test against: record (rounds of cost-sharing talks; sma is an "
            "alias) or deu3 (EU decisions)."
        ),
    ],
    folds: Annotated[
        int, typer.Option("--folds", help="deu3: cross-validation folds for fitted models.")
    ] = 10,
    record: Annotated[
        list[str] | None,
        typer.Option(
            "--record",
            help="record: a record file of more rounds (repeatable; a round's id "
            "replaces a bundled one).",
        ),
    ] = None,
    n: Annotated[
        int | None,
        typer.Option("-n", "--sessions", help="record: sessions per ensemble (default 2000)."),
    ] = None,
    seed: SeedOpt = 0,
    chart: Annotated[
        str | None,
        typer.Option("--chart", help="record: write the reliability diagram (PNG and SVG) here."),
    ] = None,
    overwrite: OverwriteOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Score the models against real outcomes: the record of rounds (leave one round out) or
    DEU III (353 EU decisions)."""
    if case == "deu3":
        result: Any = services.backtest_deu3(folds=folds, seed=seed)
    elif case in ("record", "sma"):
        from burdenshare.services.backtest_record import DEFAULT_N, backtest_record

        result = backtest_record(
            records=record or (),
            n=DEFAULT_N if n is None else n,
            seed=seed,
            chart=chart,
            overwrite=overwrite,
        )
    else:
        raise ScenarioError(
            "unknown backtest case", field="CASE", value=case, expected="record, sma or deu3"
        )
    if json_out:
        emit(result.to_dict())
    else:
        sys.stdout.write(result.to_text() + "\n")  # a fixed-width table: not wrapped


@app.command()
def replay(
    name: Annotated[
        str, typer.Argument(help="The round of the record to replay, e.g. us-rok-sma-11.")
    ],
    record: Annotated[
        list[str] | None,
        typer.Option("--record", help="A record file of more rounds (repeatable)."),
    ] = None,
    n: Annotated[
        int, typer.Option("-n", "--sessions", help="Sessions per ensemble (per event).")
    ] = 4000,
    seed: SeedOpt = 0,
    chart: Annotated[
        str | None, typer.Option("--chart", help="Write the replay chart (PNG and SVG) here.")
    ] = None,
    overwrite: OverwriteOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Walk through a round date by date, rebuilding the case from what was public then."""
    from burdenshare.services.backtest_record import replay as _replay

    out = _replay(name, records=record or (), n=n, seed=seed, chart=chart, overwrite=overwrite)
    if json_out:
        emit(out.to_dict())
    else:
        sys.stdout.write(out.to_text() + "\n")


@app.command()
def history(
    record: Annotated[
        str, typer.Argument(help="The record to show: sma, or record (every round).")
    ],
    chart: Annotated[
        str | None,
        typer.Option(
            "--chart", help="sma: write the contribution chart (PNG and SVG) into this folder."
        ),
    ] = None,
    record_file: Annotated[
        list[str] | None,
        typer.Option(
            "--record",
            help="record: add (or replace by id) the rounds of this record file (repeatable).",
        ),
    ] = None,
    overwrite: OverwriteOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """The record of past agreements: the SMA table and contribution series, or every round."""
    from burdenshare.services.history import sma_chart, sma_record

    if record == "record":
        from burdenshare.services.record import record_table

        if chart:
            raise ScenarioError(
                "--chart draws the SMA contribution series",
                field="--chart",
                value=chart,
                expected="history sma --chart DIR",
            )
        table = record_table(record_file or ())
        if json_out:
            emit(table.to_dict())
        else:
            sys.stdout.write(table.to_text() + "\n")  # a fixed-width table: not wrapped
        return
    if record != "sma":
        raise ScenarioError(
            "unknown record", field="RECORD", value=record, expected="sma or record"
        )
    if record_file:
        raise ScenarioError(
            "--record adds rounds to the record of rounds",
            field="--record",
            value=record_file[0],
            expected="history record --record FILE",
        )
    data = sma_record()
    written = [str(p) for p in sma_chart(chart, overwrite=overwrite)] if chart else []
    if json_out:
        emit({**data, "charts": written})
        return
    render.sma_record(console(), data)
    for path in written:
        console().print(f"chart written to {escape(path)}")


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
        emit(result)
    else:
        console().print(escape(result["text"]))
