"""Readable terminal output (rich) for each verb; pure presentation of service results."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from burdenshare.negotiation import SessionResult
from burdenshare.scenario.scenario import Scenario
from burdenshare.services import Analysis

__all__ = ["analysis", "scenarios", "session", "validated", "verdict"]


def scenarios(console: Console, items: list[dict[str, Any]]) -> None:
    table = Table(title="Bundled scenarios", title_justify="left")
    table.add_column("name", style="bold")
    table.add_column("as of")
    table.add_column("title")
    for it in items:
        table.add_row(it["name"], it["as_of"], escape(it["title"]))
    console.print(table)


def validated(console: Console, info: dict[str, Any]) -> None:
    console.print(f"[green]valid[/]: {escape(info['source'])} — {escape(info['title'])}")
    console.print(
        f"  issues: {', '.join(info['issues'])}; parties: {', '.join(info['parties'])}; "
        f"{info['rounds']} rounds; {info['uncertain_parameters']} uncertain parameters "
        "(central values used)"
    )


def analysis(console: Console, result: Analysis) -> None:
    sc = result.loaded.scenario
    console.rule(f"[bold]{escape(sc.title)}")
    table = Table(title="Positions (central values)", title_justify="left")
    table.add_column("party", style="bold")
    table.add_column("issue")
    table.add_column("ideal")
    table.add_column("walks away beyond")
    table.add_column("discount/round")
    for p in result.problem.parties:
        for issue, part in zip(sc.issues, p.utility.parts, strict=True):
            ideal = getattr(part, "ideal", "—")
            res = getattr(part, "reservation", "—")
            table.add_row(
                p.name,
                issue.id,
                escape(sc.format_value(issue.id, ideal)) if ideal != "—" else ideal,
                escape(sc.format_value(issue.id, res)) if isinstance(res, float) else str(res),
                f"{p.discount:g}",
            )
        if p.ratification_threshold is not None:
            table.add_row(
                p.name,
                f"ratifier ({p.ratification_issue})",
                "",
                escape(sc.format_value(str(p.ratification_issue), p.ratification_threshold)),
                "",
            )
    console.print(table)
    style = "green" if result.zopa.exists else "red"
    console.print(f"[bold {style}]Zone of agreement:[/] {escape(result.zopa.explanation)}")
    sol = Table(title="Bargaining solutions", title_justify="left")
    sol.add_column("concept")
    sol.add_column("outcome")
    for p in result.problem.parties:
        sol.add_column(f"u({p.name})", justify="right")
    for s in result.solutions:
        if s.agreement and s.outcome is not None and s.utilities is not None:
            shown = "; ".join(escape(sc.format_value(k, v)) for k, v in s.outcome.items())
            sol.add_row(
                s.label, shown, *(f"{s.utilities[p.name]:.3f}" for p in result.problem.parties)
            )
        else:
            sol.add_row(s.label, "[red]no agreement[/]", *("—" for _ in result.problem.parties))
    console.print(sol)


def session(
    console: Console, sc: Scenario, result: SessionResult, pair: tuple[str, str], seed: int
) -> None:
    a, b = sc.party_names
    table = Table(
        title=f"Simulated session: {a} plays {pair[0]}, {b} plays {pair[1]} (seed {seed})",
        title_justify="left",
    )
    table.add_column("round", justify="right")
    table.add_column("date")
    table.add_column("proposer")
    table.add_column("offer")
    table.add_column(f"u({a})", justify="right")
    table.add_column(f"u({b})", justify="right")
    table.add_column("response")
    rows = list(result.transcript)
    shown = rows if len(rows) <= 12 else [*rows[:6], None, *rows[-5:]]
    for off in shown:
        if off is None:
            table.add_row("…", "", "", f"({len(rows) - 11} more offers)", "", "", "")
            continue
        text = "; ".join(escape(sc.format_value(k, v)) for k, v in off.outcome.items())
        response = off.response.value if hasattr(off.response, "value") else str(off.response)
        rejected = [p for p, ok in off.ratification.items() if not ok]
        if rejected:
            response += f" (rejected by {', '.join(rejected)}'s ratifier)"
        table.add_row(
            str(off.round),
            off.date.isoformat(),
            off.proposer,
            text,
            f"{off.utilities[a]:.3f}",
            f"{off.utilities[b]:.3f}",
            escape(response),
        )
    console.print(table)
    colour = "green" if result.outcome == "agreement" else "red"
    console.print(f"[bold {colour}]Outcome:[/] {escape(result.cause)}")


def verdict(console: Console, result: Analysis, sim: SessionResult) -> None:
    """Plain sentences: can they agree, where should it land, what happened in the simulation."""
    sc = result.loaded.scenario
    console.rule("[bold]In plain words")
    console.print(escape(result.zopa.explanation))
    nash = next((s for s in result.solutions if s.concept == "nash"), None)
    if nash is not None and nash.outcome is not None:
        where = "; ".join(sc.format_value(k, v) for k, v in nash.outcome.items())
        console.print(f"If they split the gains evenly (Nash), the deal lands at {escape(where)}.")
    console.print(f"In one simulated session: {escape(sim.cause)}")
    console.print(
        "[dim]These figures follow from the scenario's stated beliefs (central values of every "
        "distribution); see the scenario file for sources and assumptions.[/]"
    )
