"""``burdenshare alliance``: the public-goods model of alliances (``exploitation``: the
exploitation hypothesis on NATO's figures; ``equilibrium FILE``: the Nash equilibrium of a table
of allies)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from burdenshare.cli.common import JsonOpt, OverwriteOpt, SeedOpt, app, console, emit
from burdenshare.services import alliance as service

__all__ = ["alliance_app"]

alliance_app = typer.Typer(
    help="The public-goods model of alliances (Olson & Zeckhauser 1966) and its test on NATO's "
    "figures.",
    no_args_is_help=True,
)
app.add_typer(alliance_app, name="alliance")

ChartOpt = Annotated[
    str | None,
    typer.Option("--chart", help="Write the chart (PNG and SVG) into this folder."),
]


def _fmt(x: float, spec: str = "+.3f") -> str:
    return "-" if x != x else format(x, spec)  # NaN as a dash


def _exploitation_tables(out: Console, report: service.ExploitationReport) -> None:
    test = report.test
    table = Table(
        title=f"Size (GDP, NATO 2026 edition) against burden (defence % of GDP), allies: "
        f"{test.allies}; Spearman's rho, {report.resamples} bootstrap resamples, seed "
        f"{report.seed}"
    )
    for col in ("edition", "year", "allies", "rho", "CI", "p", "estimate"):
        table.add_column(col, justify="left" if col == "edition" else "right")
    for t in test.years:
        r = t.test
        table.add_row(
            t.edition,
            str(t.year),
            str(r.n),
            _fmt(r.rho),
            f"[{_fmt(r.ci_low)}, {_fmt(r.ci_high)}]",
            f"{r.p_value:.3f} ({r.p_method})",
            "e" if t.estimate else "",
        )
    out.print(table)
    trends = Table(title="Trend of rho over the years (descriptive: the years share allies)")
    for col in ("edition", "slope per year", "Kendall's tau", "p"):
        trends.add_column(col, justify="right")
    for edition, slope, tau, p in test.trends:
        trends.add_row(edition, _fmt(slope, "+.4f"), _fmt(tau), _fmt(p, ".3f"))
    out.print(trends)
    if test.editions_compared:
        gaps = Table(title="The same year in two editions (allies both list)")
        for col in ("year", "editions", "allies", "rho", "rho", "difference"):
            gaps.add_column(col, justify="right")
        for g in test.editions_compared:
            gaps.add_row(
                str(g.year),
                f"{g.edition_a} / {g.edition_b}",
                str(g.n),
                _fmt(g.rho_a),
                _fmt(g.rho_b),
                _fmt(g.rho_b - g.rho_a),
            )
        out.print(gaps)
    for path in report.charts:
        out.print(f"Chart written: {escape(path)}")


@alliance_app.command("exploitation")
def exploitation(
    edition: Annotated[
        list[str] | None,
        typer.Option(
            "--edition",
            help="NATO edition of the shares: 2024-06, 2025-08 or 2026-07 (repeatable; default "
            "all three, compared where they overlap).",
        ),
    ] = None,
    allies: Annotated[
        str,
        typer.Option(
            "--allies",
            help="members (NATO's members each year) or classic (Olson & Zeckhauser's 14).",
        ),
    ] = "members",
    size: Annotated[
        str,
        typer.Option(
            "--size", help="GDP measure of size: gdp_usd_current_m or gdp_usd_const2021_m."
        ),
    ] = "gdp_usd_current_m",
    resamples: Annotated[
        int, typer.Option("--resamples", help="Bootstrap resamples for each year's interval.")
    ] = 2000,
    confidence: Annotated[
        float, typer.Option("--confidence", help="Level of the bootstrap interval.")
    ] = 0.95,
    alternative: Annotated[
        str,
        typer.Option("--alternative", help="Alternative hypothesis: two-sided, greater or less."),
    ] = "two-sided",
    seed: SeedOpt = 0,
    chart: ChartOpt = None,
    overwrite: OverwriteOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Test the exploitation hypothesis (large allies bear larger burdens) year by year."""
    report = service.exploitation(
        editions=edition or (),
        allies=allies,
        size=size,
        resamples=resamples,
        confidence=confidence,
        alternative=alternative,
        seed=seed,
        chart=chart,
        overwrite=overwrite,
    )
    if json_out:
        emit(report.to_dict())
    else:
        _exploitation_tables(console(), report)


@alliance_app.command("equilibrium")
def equilibrium(
    file: Annotated[
        str, typer.Argument(help="A CSV file of allies with the header ally,income,alpha.")
    ],
    private_share: Annotated[
        float,
        typer.Option(
            "--private-share",
            help="Share of defence that benefits only the ally that buys it (0: a pure public "
            "good; Sandler 1977).",
        ),
    ] = 0.0,
    chart: ChartOpt = None,
    overwrite: OverwriteOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """The Nash equilibrium of defence spending for a table of allies."""
    report = service.equilibrium(
        file, private_share=private_share, chart=chart, overwrite=overwrite
    )
    if json_out:
        emit(report.to_dict())
        return
    eq = report.equilibrium
    out = console()
    table = Table(
        title=f"Nash equilibrium, private share {eq.private_share:g}: total {eq.total:,.4g}"
    )
    for col in ("ally", "income", "alpha", "spending", "burden"):
        table.add_column(col, justify="left" if col == "ally" else "right")
    for n, y, a, q in zip(eq.names, eq.incomes, eq.alphas, eq.contributions, strict=True):
        table.add_row(escape(n), f"{y:,.6g}", f"{a:g}", f"{q:,.6g}", f"{q / y:.4f}")
    out.print(table)
    if report.curve:
        curve = Table(title="Exploitation as the private share rises (Sandler 1977)")
        for col in (
            "private share",
            "smallest / largest burden",
            "largest ally's excess",
            "free riders",
        ):
            curve.add_column(col, justify="right")
        for p in report.curve:
            curve.add_row(
                f"{p.private_share:g}",
                f"{p.burden_ratio:.3f}",
                f"{p.largest_disproportion:.3f}",
                str(p.free_riders),
            )
        out.print(curve)
    for path in report.charts:
        out.print(f"Chart written: {escape(path)}")
