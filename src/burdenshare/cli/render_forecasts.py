"""Rendering of forecasts for the terminal: the combined forecast first, each model's forecast,
and the plain-words verdict of ``run`` with every forecast scored against the hindsight block.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from burdenshare.cli.render import safe
from burdenshare.services import Analysis

if TYPE_CHECKING:
    from burdenshare.ensemble import EnsembleResult
    from burdenshare.negotiation import SessionResult

__all__ = ["combined", "forecasts", "hindsight_lines", "verdict"]


def combined(console: Console, entry: dict[str, Any] | None) -> None:
    """The combined forecast first: point and 80% interval, how it was fitted, the spread."""
    if entry is None:
        return
    d = entry["display"]
    n_models = len(entry["predictions"])
    console.rule(f"[bold]Combined forecast of {safe(entry['issue'])}")
    spread = (
        f"the {n_models} forecasts of the settlement span "
        f"{safe(d['spread'][0])} to {safe(d['spread'][1])}"
        if d["spread"]
        else "no model gave a forecast"
    )
    if entry["available"]:
        used = ", ".join(f"{safe(m)} {100 * w:.0f}%" for m, w in entry["members"].items())
        console.print(
            f"[bold]{safe(d['point'])}[/], 80% interval {safe(d['low'])} to {safe(d['high'])} "
            f"({safe(entry['version'])}; weights {used})."
        )
        console.print(f"{spread[0].upper()}{spread[1:]}.")
        console.print(
            "Which to trust: this combined forecast and its interval, fitted out of sample "
            f"(leaving one round out) on {entry['n_rounds']} past rounds; any single model is "
            "one view of the actors."
        )
    else:
        console.print(f"[bold]No combined forecast[/]: {spread}.")
    console.print(f"[dim]{safe(entry['note'])}[/]")


def forecasts(console: Console, result: dict[str, Any], *, combined_first: bool = True) -> None:
    """The combined forecast (unless shown already), the actors, then each model's forecast
    in money, with one line on which to trust."""
    if combined_first:
        combined(console, result.get("combined"))
    console.rule(f"[bold]Forecasts of {safe(result['issue'])}: {safe(result['scenario']['title'])}")
    actors = Table(title="Actors (central values)", title_justify="left")
    for col in ("actor", "position", "salience", "capability"):
        actors.add_column(col)
    for a in result["actors"]:
        actors.add_row(
            safe(a["id"]), safe(a["display"]), f"{a['salience']:.2f}", f"{a['capability']:.2f}"
        )
    console.print(actors)
    table = Table(title="Model forecasts", title_justify="left")
    for col in ("model", "forecast", "rounds"):
        table.add_column(col)
    for f in result["forecasts"]:
        table.add_row(safe(f["model"]), safe(f["display"]), str(f["rounds"] or "—"))
    console.print(table)
    for name, why in result.get("skipped", {}).items():
        console.print(f"[dim]{safe(name)} not shown: {safe(why)}[/]")
    entry = result.get("combined")
    if entry is not None and entry["available"]:
        console.print(
            "Which to trust: not one row of this table but the combined forecast "
            f"({safe(entry['display']['point'])}) and its 80% interval, fitted out of sample "
            f"on {entry['n_rounds']} past rounds."
        )
    elif len(result["forecasts"]) > 1:
        console.print(
            "Which to trust: no single row. Without fitted combination weights the spread of "
            "this table is the forecast; `burdenshare backtest` shows how each model did."
        )
    console.print("[dim]Sources of each model: `burdenshare forecast SCENARIO --json`.[/]")


def verdict(
    console: Console,
    result: Analysis,
    sim: SessionResult,
    ens: EnsembleResult | None = None,
    hindsight: dict[str, Any] | None = None,
) -> None:
    """Plain sentences: can they agree, where should it land, what happened in the simulation."""
    sc = result.loaded.scenario
    console.rule("[bold]In plain words")
    console.print(safe(result.zopa.explanation))
    nash = next((s for s in result.solutions if s.concept == "nash"), None)
    if nash is not None and nash.outcome is not None:
        where = "; ".join(sc.format_value(k, v) for k, v in nash.outcome.items())
        console.print(f"If they split the gains evenly (Nash), the deal lands at {safe(where)}.")
    console.print(f"In one simulated session: {safe(sim.cause)}")
    if ens is not None:
        s = ens.summary
        p, dl = s["p_agreement"], s["p_agreement_by_deadline"]
        text = (
            f"Across {s['n_sessions']:,} sessions drawn from the uncertain beliefs, the chance "
            f"of a deal by the deadline ({dl['date']}) is {100 * dl['estimate']:.1f}% "
            f"and of a deal at all {100 * p['estimate']:.1f}%"
        )
        first = next(iter(s["settlement"].values()), None)
        if first and first["n_agreements"]:
            text += f"; when there is a deal, its median is {first['quantiles']['0.5']['display']}"
        worst = max(s["failure_causes"].items(), key=lambda kv: kv[1]["count"])
        if worst[1]["count"]:
            text += f"; most failures are {worst[0].replace('_', ' ')}s"
        console.print(safe(text) + ".")
    h = hindsight or result.hindsight(ens.summary if ens is not None else None)
    if h is not None:
        console.rule("[bold]Against what happened (hindsight; no model saw this)")
        shown = "; ".join(f"{k} {v}" for k, v in h["display"].items())
        what = (
            "a deal" + (f" ({shown})" if shown else "")
            if h["outcome"] == "agreement"
            else "no deal"
        )
        console.print(f"By {h['date']}: {safe(what)}. {safe(h['note'])}")
        hindsight_lines(console, h)
    console.print(
        "[dim]The zone and the solutions use the central value of every belief; the ensemble "
        "samples them. See the scenario file for sources and assumptions.[/]"
    )


def hindsight_lines(console: Console, h: dict[str, Any]) -> None:
    """Each forecast scored against what happened, one verdict per line, "wrong" in red."""

    def line(label: str, text: str | None) -> None:
        if text is None:
            return
        colour = "red" if text.startswith("Wrong") else "green" if text.startswith("Right") else ""
        shown = f"[{colour}]{safe(text)}[/]" if colour else safe(text)
        console.print(f"[bold]{label}:[/] {shown}")

    line("Zone", h["verdict"])
    line(
        "Timing",
        h.get("timing_verdict") or "not scored: no ensemble (`burdenshare run` scores it).",
    )
    line("Settlement", h.get("settlement_verdict"))
    errors = {f"forecast:{m}": r for m, r in h.get("forecasts_vs_actual", {}).items()}
    for concept, row in h.get("solutions_vs_actual", {}).items():
        first = next(iter(row.values()), None)
        if first is not None and first.get("error_pct") is not None:
            errors[f"solution:{concept}"] = first
    if errors:
        shown = "; ".join(
            f"{name} {r['error_pct']:+.1f}%"
            for name, r in errors.items()
            if r["error_pct"] is not None
        )
        console.print(f"[dim]Percent errors against the deal: {safe(shown)}.[/]")
