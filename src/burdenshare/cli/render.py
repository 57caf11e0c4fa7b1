"""Readable terminal output (rich) for each verb; pure presentation of service results.

Every piece of text that came from a user, a scenario file, a GENIUS domain or the run store
goes through :func:`safe` (control and bidirectional formatting characters escaped, rich markup
escaped), and :class:`SafeConsole` escapes whatever reaches the terminal anyway (defence in
depth: a run stored before scenario text was checked, a name some future code forgets):

>>> safe("A \x1b[31mred[/] talk")
'A \\\\x1b[31mred\\\\[/] talk'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.markup import escape
from rich.segment import Segment
from rich.table import Table

from burdenshare.services.catalogue import assumed_worlds, negotiators_in_words, printable

if TYPE_CHECKING:
    from burdenshare.ensemble import EnsembleResult
    from burdenshare.negotiation import SessionResult
    from burdenshare.negotiation.transcript import Offer
    from burdenshare.scenario.scenario import Scenario
    from burdenshare.store import RunRecord

__all__ = [
    "SafeConsole",
    "ensemble",
    "negotiators",
    "run_record",
    "runs",
    "safe",
    "scenarios",
    "sensitivity",
    "session",
    "sma_record",
    "tournament",
    "validated",
]


def safe(text: object) -> str:
    """``text`` ready for rich markup: non-printable characters but line feeds escaped as
    ``\\xNN`` / ``\\uNNNN`` (:func:`burdenshare.scenario.text.printable`), markup escaped."""
    return escape("\n".join(printable(line) for line in str(text).split("\n")))


class SafeConsole(Console):
    """A rich console that escapes any non-printable character in the text it renders.

    Only text segments are touched: rich's own styling is added later, and its control
    segments (cursor moves of a progress bar) are left alone; line breaks are kept. Emoji codes
    are off: rich would otherwise turn ``file.yaml:100: field`` into ``file.yaml💯 field``
    (found by the generated hostile corpus), or a ``:smile:`` in a title into a picture.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("emoji", False)
        super().__init__(*args, **kwargs)

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            text = segment.text
            if segment.control or text.isprintable():
                yield segment
            else:
                shown = "\n".join(printable(part) for part in text.split("\n"))
                yield Segment(shown, segment.style, segment.control)


def scenarios(console: Console, items: list[dict[str, Any]]) -> None:
    table = Table(title="Bundled scenarios", title_justify="left")
    table.add_column("name", style="bold")
    table.add_column("as of")
    table.add_column("title")
    for it in items:
        table.add_row(safe(it["name"]), safe(it["as_of"]), safe(it["title"]))
    console.print(table)


def negotiators(console: Console, items: list[dict[str, Any]]) -> None:
    from burdenshare.services.catalogue import CAPABILITIES

    table = Table(title="Negotiators (use with -N NAME[:key=value,...])", title_justify="left")
    table.add_column("name", style="bold")
    table.add_column("source")
    table.add_column("parameters (defaults)")
    table.add_column("cannot play")
    table.add_column("what it does")
    for it in items:
        params = ", ".join(k if v is None else f"{k}={v}" for k, v in it["parameters"].items())
        source = it["source"] + (f" ({it['distribution']})" if it["distribution"] else "")
        if it["error"] is not None:
            table.add_row(
                safe(it["name"]), safe(source), "-", "-", f"[red]unusable[/]: {safe(it['error'])}"
            )
            continue
        lacks = sorted(CAPABILITIES - set(it["supports"]))
        table.add_row(
            safe(it["name"]),
            safe(source),
            safe(params) or "-",
            safe(", ".join(lacks)) or "-",
            safe(it["summary"].replace("``", "")),
        )
    console.print(table)


def validated(console: Console, info: dict[str, Any]) -> None:
    console.print(f"[green]valid[/]: {safe(info['source'])} — {safe(info['title'])}")
    console.print(
        f"  issues: {safe(', '.join(info['issues']))}; "
        f"parties: {safe(', '.join(info['parties']))}; "
        f"{info['rounds']} rounds; {info['uncertain_parameters']} uncertain parameters "
        "(central values used)"
    )


#: with more parties than this, the transcript shows the answers in words, not a utility column
#: per party (the utilities are in --json)
UTILITY_COLUMNS = 6


def _answers(off: Offer, wide: bool) -> str:
    """The round's answers (escaped by the caller): the one answer of a bilateral round; every
    answer by party for a few parties; for many, how many accepted and who did not."""
    decisive = off.response.value if hasattr(off.response, "value") else str(off.response)
    answers = list(off.responses.items())
    if len(answers) <= 1 and off.proposer in off.utilities:
        return decisive
    head = "passed" if off.response.value == "accept" else decisive
    if not wide:
        return f"{head}: " + ", ".join(f"{p} {r.value}" for p, r in answers)
    yes = sum(r.value == "accept" for _, r in answers)
    against = [p for p, r in answers if r.value != "accept"]
    shown = ", ".join(against[:8]) + (f" and {len(against) - 8} more" if len(against) > 8 else "")
    return f"{head}: {yes} of {len(answers)} asked accepted" + (
        f"; rejected by {shown}" if against else ""
    )


def session(
    console: Console, sc: Scenario, result: SessionResult, cast: tuple[str, ...], seed: int
) -> None:
    """One session: who plays what, every offer with every party's utility and every answer
    (with many parties, the answers in words), the outcome and what each party got."""
    names = sc.party_names
    wide = len(names) > UTILITY_COLUMNS
    if wide and len(set(cast)) == 1:
        plays = f"each of the {len(names)} parties plays {safe(cast[0])}"
    else:
        plays = ", ".join(f"{safe(p)} plays {safe(n)}" for p, n in zip(names, cast, strict=True))
    proto = sc.protocol
    if not sc.bilateral or proto.kind != "alternating_offers":
        kind = "single negotiating text" if proto.kind == "single_text" else "alternating offers"
        rule: str = proto.decision_rule
        if rule == "majority":
            rule = f"majority of {proto.needed(len(names))}"
        plays += f"; {kind}, {rule}"
    table = Table(title=f"Simulated session: {plays} (seed {seed})", title_justify="left")
    table.add_column("round", justify="right")
    table.add_column("date")
    table.add_column("proposer")
    table.add_column("offer")
    columns = () if wide else names
    for p in columns:
        table.add_column(f"u({safe(p)})", justify="right")
    table.add_column("response")
    rows = list(result.transcript)
    shown = rows if len(rows) <= 12 else [*rows[:6], None, *rows[-5:]]
    for off in shown:
        if off is None:
            more = f"({len(rows) - 11} more offers)"
            table.add_row("…", "", "", more, *("" for _ in columns), "")
            continue
        text = "; ".join(safe(sc.format_value(k, v)) for k, v in off.outcome.items())
        response = _answers(off, wide)
        rejected = [p for p, ok in off.ratification.items() if not ok]
        if rejected:
            response += f" (rejected by {', '.join(rejected)}'s ratifier)"
        table.add_row(
            str(off.round),
            off.date.isoformat(),
            safe(off.proposer),
            text,
            *(f"{off.utilities[p]:.3f}" for p in columns),
            safe(response),
        )
    console.print(table)
    colour = "green" if result.outcome == "agreement" else "red"
    console.print(f"[bold {colour}]Outcome:[/] {safe(result.cause)}")
    got = "utility (discounted)" if result.agreed else "outside option"
    console.print(
        f"Each party's {got}: "
        + ", ".join(
            f"{safe(p)} {result.utilities[p]:.3f}"
            + (f" ({result.discounted_utilities[p]:.3f})" if result.agreed else "")
            for p in names
        )
    )
    for k, _, w in assumed_worlds(sc.protocol.events):
        ev = sc.protocol.events[k]
        console.print(
            f"Assumed for the {safe(ev.kind)} of {ev.date.isoformat()} ({safe(ev.party)}): "
            f"'{safe(w.name)}', its most probable world (probability {w.probability:.0%}); "
            "an ensemble draws it per session"
        )


def _pct(entry: dict[str, Any]) -> str:
    return f"{100 * entry['estimate']:.1f}% (± {100 * entry['se']:.2f})"


def ensemble(console: Console, sc: Scenario, result: EnsembleResult) -> None:
    """P(agreement), by the deadline and by date; settlement quantiles; failure causes."""
    s = result.summary
    neg = result.record.parameters.get("negotiators", [])
    console.rule(f"[bold]Ensemble of {s['n_sessions']:,} sessions (run {safe(result.run_id)})")
    console.print(
        f"Negotiators {safe(negotiators_in_words(neg))}; uncertain beliefs sampled "
        f"({safe(result.record.parameters.get('method', 'mc'))}); seed {result.record.seed}. "
        "± is one Monte Carlo standard error."
    )
    console.print(f"P(agreement at all): [bold]{_pct(s['p_agreement'])}[/]")
    dl = s["p_agreement_by_deadline"]
    console.print(f"P(agreement by the deadline, {dl['date']}): [bold]{_pct(dl)}[/]")
    by_date = Table(title="P(agreement by date)", title_justify="left")
    by_date.add_column("round", justify="right")
    by_date.add_column("date")
    by_date.add_column("P(deal by then)", justify="right")
    rows = s["p_agreement_by_date"]
    step = max(1, len(rows) // 8)
    for row in [*rows[::step][:-1], rows[-1]] if len(rows) > 1 else rows:
        by_date.add_row(str(row["round"]), row["date"], _pct(row))
    console.print(by_date)
    for iid, st in s["settlement"].items():
        if not st["n_agreements"]:
            console.print(
                f"No agreement in any session: no settlement distribution for {safe(iid)}."
            )
            continue
        table = Table(
            title=f"Settlement of {safe(iid)} ({st['n_agreements']:,} agreements)",
            title_justify="left",
        )
        table.add_column("quantile", justify="right")
        table.add_column("value")
        table.add_column("± SE", justify="right")
        for q, entry in st["quantiles"].items():
            se = entry["se"]
            table.add_row(
                q,
                safe(entry.get("display", "—")),
                "—" if se != se else safe(sc.format_value(iid, se)),
            )
        table.add_row(
            "mean",
            safe(st["mean_display"] or "—"),
            safe(sc.format_value(iid, st["mean_se"])) if st["mean_se"] == st["mean_se"] else "—",
        )
        console.print(table)
    causes = Table(title="How sessions ended", title_justify="left")
    causes.add_column("outcome")
    causes.add_column("share of sessions", justify="right")
    for name, entry in s["outcomes"].items():
        causes.add_row(safe(name.replace("_", " ")), _pct(entry))
    console.print(causes)
    payoffs = s.get("expected_discounted_utility", {})
    if len(payoffs) > 2:  # every party, a row each (the bilateral output stays as it was)
        table = Table(
            title="Each party's expected discounted utility",
            title_justify="left",
        )
        table.add_column("party")
        table.add_column("mean", justify="right")
        table.add_column("± SE", justify="right")
        for party, entry in payoffs.items():
            table.add_row(safe(party), _num(entry["mean"]), _num(entry["se"], 2))
        console.print(table)
    t = s["time_to_agreement"]
    if s["p_agreement"]["count"]:
        med = t["quantiles"]["0.5"]
        console.print(
            f"Time to agreement: mean {t['mean_days']:.0f} days; median by round {med['round']} "
            f"({med['date']})."
        )
    console.print(
        f"[dim]Stored as run {safe(result.run_id)}; `burdenshare runs show "
        f"{safe(result.run_id)}`.[/]"
    )


def sensitivity(console: Console, result: dict[str, Any]) -> None:
    """The tornado and Sobol' tables, each with its one-sentence reading."""
    console.rule("[bold]Which belief matters most (one at a time)")
    console.print(safe(result["describe"]["tornado"]))
    console.rule("[bold]Which belief matters most (variance-based, Sobol')")
    console.print(safe(result["describe"]["sobol"]))


def sma_record(console: Console, data: dict[str, Any]) -> None:
    """The agreements table; recalled and inferred values are marked as the data mark them."""
    rows = data["table"]
    table = Table(title="US–ROK Special Measures Agreements", title_justify="left")
    for key in rows[0]:
        table.add_column(safe(str(key).replace("_", " ")))
    for row in rows:
        table.add_row(*(safe(str(v)) if v is not None else "—" for v in row.values()))
    console.print(table)
    for note in data.get("notes", []):
        console.print(f"[dim]{safe(str(note))}[/]")


def runs(console: Console, records: list[RunRecord]) -> None:
    if not records:
        console.print("No stored runs.")
        return
    table = Table(title="Stored runs (newest first)", title_justify="left")
    for col in ("id", "created", "scenario", "sessions", "status", "P(agreement)"):
        table.add_column(col)
    for r in records:
        p = (r.summary or {}).get("p_agreement")
        table.add_row(
            safe(r.id),
            safe(r.created_at[:19]),
            safe(r.scenario_id),
            f"{r.n_sessions_done:,}/{r.n_sessions_planned:,}",
            safe(r.status),
            _pct(p) if p else "—",
        )
    console.print(table)


def run_record(console: Console, r: RunRecord) -> None:
    console.rule(f"[bold]Run {safe(r.id)}")
    console.print(
        f"scenario {safe(r.scenario_id)} (sha256 {safe(r.scenario_sha256[:12])}…), "
        f"seed {r.seed}, burdenshare {safe(r.version)}, backend {safe(r.backend)}"
    )
    console.print(
        f"status {safe(r.status)}: {r.n_sessions_done:,} of {r.n_sessions_planned:,} sessions "
        f"in {r.chunks_done} chunks; created {safe(r.created_at)}"
    )
    console.print(f"parameters: {safe(str(r.parameters))}")
    console.print(f"timings: {safe(str(r.timings))}")
    s = r.summary
    if s and s.get("kind") == "tournament":
        tournament(console, r.id, s)
    elif s:
        console.print(
            f"P(agreement): {_pct(s['p_agreement'])}; by the deadline "
            f"({s['p_agreement_by_deadline']['date']}): {_pct(s['p_agreement_by_deadline'])}"
        )
        for iid, st in s["settlement"].items():
            med = st["quantiles"]["0.5"]
            if st["n_agreements"]:
                console.print(f"median {safe(iid)}: {safe(med.get('display', '—'))}")
    elif r.status != "finished":
        verb = "tournament" if r.parameters.get("kind") == "tournament" else "ensemble"
        console.print(f"resume with: burdenshare {verb} --resume {safe(r.id)}")


def _num(x: float | None, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def tournament(console: Console, run_id: str, s: dict[str, Any]) -> None:
    """The ranking, then the results table (one row per ordered pair and domain; one per
    lineup when a domain has three or more parties)."""
    multilateral = any("negotiator_c" in r for r in s["results"])
    table = Table(
        title=f"Tournament {safe(run_id)}: {s['sessions']:,} sessions, "
        f"{100 * s['agreement_rate']:.1f}% agreements",
        title_justify="left",
    )
    heads = ["rank", "negotiator", "mean utility", "± se", "agreements", "welfare", "± se"]
    heads += ["time of deal"]
    for col in heads:
        table.add_column(col, justify="left" if col == "negotiator" else "right")
    for r in s["ranking"]:
        table.add_row(
            str(r["rank"]),
            safe(r["negotiator"]),
            _num(r["mean_utility"]),
            _num(r["se_utility"]),
            f"{100 * r['agreement_rate']:.1f}%",
            _num(r.get("welfare")),
            _num(r.get("se_welfare")),
            _num(r.get("agreement_time"), 2),
        )
    console.print(table)
    dist = Table(title="Distance of the outcomes to", title_justify="left")
    for col in ("negotiator", "Pareto", "Nash", "Kalai-Smorodinsky", "Kalai"):
        dist.add_column(col, justify="left" if col == "negotiator" else "right")
    for r in s["ranking"]:
        keys = ("distance_pareto", "distance_nash", "distance_ks", "distance_kalai")
        dist.add_row(safe(r["negotiator"]), *[_num(r.get(k)) for k in keys])
    console.print(dist)
    console.print(
        "[dim]Means over every session in both roles; ± se over distinct observations (copies "
        "of a deterministic session count once). Welfare: sum of both sides' discounted "
        "utilities. Distances: of the two undiscounted utilities (the outside options without "
        "a deal) to the nearest Pareto point and the Nash, Kalai-Smorodinsky and Kalai "
        "(egalitarian) points. Time of deal: relative time in [0, 1] of the agreements.[/]"
        if not multilateral
        else "[dim]Means over every session in every role (a, b, c, ...: the parties in "
        "listing order); ± se over distinct observations (copies of a deterministic session "
        "count once). Welfare: sum of every party's discounted utility. Distances: of the "
        "parties' undiscounted utilities (the outside options without a deal), in the space of "
        "all the domain's parties, to the nearest Pareto point and the Nash, "
        "Kalai-Smorodinsky and Kalai (egalitarian) points. Time of deal: relative time in "
        "[0, 1] of the agreements.[/]"
    )
    if multilateral:
        _lineups(console, s["results"])
    else:
        res = Table(title="Results (A plays the first party)", title_justify="left")
        for col in ("domain", "A", "B", "agreements", "utility A", "utility B", "welfare", "round"):
            res.add_column(col)
        res.add_column("to Pareto")
        for r in s["results"]:
            res.add_row(
                safe(r["domain"]),
                safe(r["negotiator_a"]),
                safe(r["negotiator_b"]),
                f"{100 * r['agreement_rate']:.0f}%",
                _num(r["utility_a"]),
                _num(r["utility_b"]),
                _num(r.get("welfare")),
                _num(r["mean_round"], 1),
                _num(r["distance_pareto"]),
            )
        console.print(res)
    for d in s["domains"]:
        points = ", ".join(
            f"{label} {_point(d.get(key))}"
            for label, key in (("Nash", "nash"), ("KS", "kalai_smorodinsky"), ("Kalai", "kalai"))
            if key in d
        )
        console.print(
            f"{safe(d['name'])}: {d['frontier_points']} frontier points "
            f"({safe(d['frontier_method'])}), {points}, disagreement {_point(d['disagreement'])}"
        )


def _lineups(console: Console, results: list[dict[str, Any]]) -> None:
    """The results table of a tournament with a domain of three or more parties: one row per
    lineup, the negotiators and their utilities in the parties' order (roles a, b, c, ...)."""
    res = Table(title="Results (negotiators in the parties' order)", title_justify="left")
    for col in ("domain", "lineup", "agreements", "utilities", "welfare", "round", "to Pareto"):
        res.add_column(col)
    for r in results:
        roles = [k.removeprefix("negotiator_") for k in r if k.startswith("negotiator_")]
        res.add_row(
            safe(r["domain"]),
            safe(" / ".join(r[f"negotiator_{x}"] for x in roles)),
            f"{100 * r['agreement_rate']:.0f}%",
            " / ".join(_num(r.get(f"utility_{x}")) for x in roles),
            _num(r.get("welfare")),
            _num(r["mean_round"], 1),
            _num(r["distance_pareto"]),
        )
    console.print(res)


def _point(p: list[float] | None) -> str:
    return "none acceptable" if p is None else "(" + ", ".join(f"{x:.3f}" for x in p) + ")"
