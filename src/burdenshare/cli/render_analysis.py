"""The analysis in a terminal: positions, the zone of agreement, the bargaining solutions (a
column per party, or with many parties a row per party), each uncertain event's worlds, and the
exact analysis of a scenario with utility rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from burdenshare.cli.render import safe
from burdenshare.services import Analysis

if TYPE_CHECKING:
    from burdenshare.analysis.branches import EventWorlds
    from burdenshare.scenario.scenario import Scenario

__all__ = ["WIDE_PARTIES", "analysis", "rules_analysis"]


def analysis(console: Console, result: Analysis) -> None:
    sc = result.loaded.scenario
    console.rule(f"[bold]{safe(sc.title)}")
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
                safe(p.name),
                safe(issue.id),
                safe(sc.format_value(issue.id, ideal)) if ideal != "—" else ideal,
                safe(sc.format_value(issue.id, res)) if isinstance(res, float) else str(res),
                f"{p.discount:g}",
            )
        if p.ratification_threshold is not None:
            table.add_row(
                safe(p.name),
                f"ratifier ({safe(p.ratification_issue)})",
                "",
                safe(sc.format_value(str(p.ratification_issue), p.ratification_threshold)),
                "",
            )
    console.print(table)
    style = "green" if result.zopa.exists else "red"
    console.print(f"[bold {style}]Zone of agreement:[/] {safe(result.zopa.explanation)}")
    if result.zone is not None and result.zone.needed < result.zone.parties:
        console.print(f"[bold]By the decision rule:[/] {safe(result.zone.explanation)}")
    if len(result.problem.parties) <= WIDE_PARTIES:
        _solutions_by_column(console, sc, result)
    else:
        _solutions_by_row(console, sc, result)
    if result.zone is not None:
        for s in result.solutions:
            if s.note and s.agreement:
                console.print(f"[yellow]{safe(s.label)}:[/] {safe(s.note)}")
        for reason in result.omitted().values():
            console.print(f"[yellow]Not shown:[/] {safe(reason)}.")
    for ew in result.branches:
        _event_worlds(console, sc, ew)
    for note in result.notes:
        console.print(f"[yellow]Note:[/] {safe(note)}")


#: up to this many parties, the solutions table has a utility column per party; with more, the
#: utilities get a table of their own with a row per party (28 columns do not fit a terminal)
WIDE_PARTIES = 4


def _solutions_by_column(console: Console, sc: Scenario, result: Analysis) -> None:
    """One row per solution: its outcome and every party's utility."""
    sol = Table(title="Bargaining solutions", title_justify="left")
    sol.add_column("concept")
    sol.add_column("outcome")
    for p in result.problem.parties:
        sol.add_column(f"u({safe(p.name)})", justify="right")
    for s in result.solutions:
        if s.agreement and s.outcome is not None and s.utilities is not None:
            shown = "; ".join(safe(sc.format_value(k, v)) for k, v in s.outcome.items())
            sol.add_row(
                s.label, shown, *(f"{s.utilities[p.name]:.3f}" for p in result.problem.parties)
            )
        else:
            sol.add_row(s.label, "[red]no agreement[/]", *("—" for _ in result.problem.parties))
    console.print(sol)


def _solutions_by_row(console: Console, sc: Scenario, result: Analysis) -> None:
    """Many parties: the solutions with their outcome and least utility, then each party's
    utility under each solution, a row per party."""
    names = [p.name for p in result.problem.parties]
    sol = Table(title="Bargaining solutions", title_justify="left")
    for col in ("", "concept", "outcome", "least utility", "mean utility"):
        sol.add_column(col, justify="right" if "utility" in col else "left")
    reached = [
        s
        for s in result.solutions
        if s.agreement and s.outcome is not None and s.utilities is not None
    ]
    for k, s in enumerate(result.solutions):
        if s in reached and s.outcome is not None and s.utilities is not None:
            shown = "; ".join(safe(sc.format_value(i, v)) for i, v in s.outcome.items())
            low = min(names, key=lambda n, u=s.utilities: u[n])  # type: ignore[misc]
            mean = sum(s.utilities[n] for n in names) / len(names)
            least = f"{s.utilities[low]:.3f} ({safe(low)})"
            sol.add_row(f"S{k + 1}", s.label, shown, least, f"{mean:.3f}")
        else:
            sol.add_row(f"S{k + 1}", s.label, "[red]no agreement[/]", "—", "—")
    console.print(sol)
    if not reached:
        return
    per = Table(title="Each party's utility under each solution", title_justify="left")
    per.add_column("party")
    columns = [k for k, s in enumerate(result.solutions) if s in reached]
    for k in columns:
        per.add_column(f"S{k + 1}", justify="right")
    for n in names:
        row = []
        for k in columns:
            u = result.solutions[k].utilities
            row.append("—" if u is None else f"{u[n]:.3f}")
        per.add_row(safe(n), *row)
    console.print(per)


def _event_worlds(console: Console, sc: Scenario, ew: EventWorlds) -> None:
    """One small table per uncertain event: each world's probability, zone and Nash point."""
    ev = ew.event
    title = (
        f"If the {safe(ev.kind)} of {ev.date.isoformat()} ({safe(ev.party)}) goes each way "
        f"(on {ew.on.isoformat()}; {safe(ew.field)})"
    )
    table = Table(title=title, title_justify="left")
    for name in ("world", "probability", "zone of agreement", "Nash solution"):
        table.add_column(name)
    for w in ew.worlds:
        nash = next((s for s in w.solutions if s.concept == "nash"), None)
        shown = (
            "; ".join(safe(sc.format_value(k, v)) for k, v in nash.outcome.items())
            if nash is not None and nash.agreement and nash.outcome is not None
            else "[red]no agreement[/]"
        )
        zone = "[green]yes[/]" if w.zopa.exists else "[red]none[/]"
        label = safe(w.world.name) + (" (most probable)" if w.assumed else "")
        table.add_row(label, f"{w.world.probability:.0%}", zone, shown)
    console.print(table)


def rules_analysis(console: Console, doc: dict[str, Any]) -> None:
    """A non-linear scenario: its parties, exact frontier and bargaining points."""
    console.rule(f"[bold]{safe(doc['scenario']['title'])}")
    names = list(doc["parties"])
    for n, p in doc["parties"].items():
        lo, hi = p["utility_range"]
        console.print(
            f"{safe(n)}: {p['utility']} utility ({p['rules']} rules, scale {p['scale']:g}), "
            f"outside option {p['outside_option']:g}, utility from {lo:.4f} to {hi:.4f}"
        )
    front = doc["pareto_frontier"]
    console.print(
        f"Pareto frontier ({safe(front['method'])}): {len(front['points'])} utility vectors, "
        f"shared by {sum(p['count'] for p in front['points']):,} of {front['n_outcomes']:,} "
        f"outcomes; opposition {doc['opposition']['value']:.4f}"
    )
    style = "green" if doc["zopa"]["exists"] else "red"
    console.print(f"[bold {style}]Zone of agreement:[/] {safe(doc['zopa']['explanation'])}")
    sol = Table(title="Bargaining solutions (on the exact frontier)", title_justify="left")
    sol.add_column("concept")
    for n in names:
        sol.add_column(f"u({safe(n)})", justify="right")
    sol.add_column("outcomes", justify="right")
    sol.add_column("one of them")
    for s in doc["solutions"].values():
        if s["agreement"]:
            shown = ", ".join(
                f"{safe(k)}={v:g}" if isinstance(v, float) else f"{safe(k)}={safe(str(v))}"
                for k, v in s["outcome"].items()
            )
            sol.add_row(
                s["label"], *(f"{s['utilities'][n]:.4f}" for n in names), f"{s['count']:,}", shown
            )
        else:
            sol.add_row(s["label"], *("—" for _ in names), "—", "[red]no agreement[/]")
    console.print(sol)
