"""``burdenshare allocate GAME``: share a common cost by the Shapley value, the nucleolus and the
proportional and ability-to-pay rules, and describe the core (docs/how-to/allocate.md)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from burdenshare.cli.common import JsonOpt, app, console, emit
from burdenshare.cli.render import safe
from burdenshare.services.allocate import allocate as allocate_service

__all__ = ["allocate"]


@app.command()
def allocate(
    game: Annotated[
        str,
        typer.Argument(
            help="A shared-cost file (YAML, see docs/how-to/allocate.md) or a bundled game: "
            "airport-example, nato-civil-budget-2021."
        ),
    ],
    rule: Annotated[
        list[str] | None,
        typer.Option(
            "--rule",
            "-r",
            help="A rule to apply (repeatable): shapley, nucleolus, proportional, equal, gdp, "
            "gni. Default: every rule the file allows.",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Share a common cost among allies: Shapley value, nucleolus, core, proportional and
    ability-to-pay rules (exit 2 on a bad file or a rule the file cannot support)."""
    report = allocate_service(game, rules=tuple(rule or ()))
    if json_out:
        emit(report.to_dict())
    else:
        render(console(), report.to_dict())


def render(out: Console, doc: dict[str, Any]) -> None:
    """The allocations side by side (amount and percent of the total), then the core."""
    g = doc["game"]
    unit = " ".join(x for x in (g["currency"], g["scale"]) if x)
    table = Table(
        title=f"{safe(g['title'])}: total {g['total']:,.6g} {safe(unit)}".rstrip(),
        title_justify="left",
    )
    table.add_column("player", style="bold")
    for a in doc["allocations"]:
        table.add_column(safe(a["rule"]), justify="right")
    for i, name in enumerate(g["players"]):
        cells = []
        for a in doc["allocations"]:
            s = a["shares"][i]
            pct = "" if s["percent"] is None else f" ({s['percent']:.2f}%)"
            cells.append(f"{s['amount']:,.4g}{pct}")
        table.add_row(safe(name), *cells)
    if doc["core"] is not None:
        table.add_row(
            "in the core?",
            *("yes" if a["in_core"] else "no" for a in doc["allocations"]),
            style="italic",
        )
    out.print(table)
    core = doc["core"]
    if core is not None:
        eps = core["least_core_epsilon"]
        if core["empty"]:
            out.print(
                f"The core is empty: some coalition would pay at least {eps:,.6g} more than its "
                "stand-alone cost under any allocation (least-core epsilon)."
            )
        else:
            out.print(f"The core is not empty (least-core epsilon {eps:,.6g}). Range per player:")
            for r in core["ranges"]:
                out.print(f"  {safe(r['player'])}: {r['min']:,.6g} to {r['max']:,.6g}")
    for s in doc["skipped"]:
        out.print(f"[dim]not applied: {safe(s['rule'])}: {safe(s['reason'])}[/dim]")
    for source in g["sources"]:
        out.print(f"[dim]source: {safe(source)}[/dim]")
