"""The chart of a round's replay (:func:`burdenshare.history.replay.replay_round`): what the
forecasts said after each public date, and what happened.

Pure: a :class:`~burdenshare.history.replay.ReplayResult` in, a matplotlib Figure (no pyplot
state) or two files out.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from burdenshare.history.replay import MAIN_PAIR, ReplayResult
from burdenshare.report.export import write_figure
from burdenshare.report.plots import style_context

__all__ = ["chart_name", "replay_chart", "replay_figure"]


def _marks(result: ReplayResult) -> tuple[tuple[dt.date, str], ...]:
    """The dates the chart marks: the expiry, breakdowns and elections, and the deal."""
    rows = [
        (r.date, r.event) for r in result.rows if "breakdown" in r.event or "election" in r.event
    ]
    return (*((d, e[:40]) for d, e in rows), (result.deal_date, "deal"))


def _draw_marks(ax: Axes, marks: tuple[tuple[dt.date, str], ...], labels: bool) -> None:
    for day, label in marks:
        ax.axvline(day, color="#555555", linestyle=":", linewidth=0.9)  # type: ignore[arg-type]
        if labels:
            ax.annotate(
                label,
                xy=(day, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(2, -2),
                textcoords="offset points",
                rotation=90,
                va="top",
                fontsize=7,
                color="#333333",
            )


def replay_figure(result: ReplayResult) -> Figure:
    """The replay of a round: P(deal within 3 and 6 months) after each public date (the
    linear pair, a band over all pairs, the hazard model dashed) above the positions and the
    median predicted settlement (log scale), the marked dates on both."""
    with style_context():
        fig = Figure(figsize=(9.0, 7.0), layout="constrained")
        top, bottom = fig.subplots(2, 1, sharex=True)
        rows = result.rows
        days = [r.date for r in rows]
        for key, color, label in (("3m", "#0072B2", "3 months"), ("6m", "#D55E00", "6 months")):
            vals = [(r.p_within_3m if key == "3m" else r.p_within_6m) for r in rows]
            main = [v[MAIN_PAIR] for v in vals]
            lo = [min(v.values()) for v in vals]
            hi = [max(v.values()) for v in vals]
            top.fill_between(days, lo, hi, step="post", color=color, alpha=0.15, linewidth=0)
            top.step(days, main, where="post", color=color, label=f"P(deal within {label})")
        for key, color, label in (("3m", "#0072B2", "3"), ("6m", "#D55E00", "6")):
            top.step(
                days,
                [r.hazard_3m if key == "3m" else r.hazard_6m for r in rows],
                where="post",
                color=color,
                linestyle="--",
                label=f"hazard model: P(deal within {label} months)",
            )
        top.set_ylim(-0.02, 1.02)
        top.set_ylabel("probability")
        top.set_title(
            "P(deal) after each public date (linear pair; band: all pairs; dashed: hazard)"
        )
        top.legend(loc="lower left", fontsize=8)
        marks = _marks(result)
        _draw_marks(top, marks, labels=True)
        ask = [r.ask if r.ask is not None else float("nan") for r in rows]
        offer = [r.offer if r.offer is not None else float("nan") for r in rows]
        med = [r.median_settlement[MAIN_PAIR] for r in rows]
        bottom.step(days, ask, where="post", color="#CC79A7", label="latest ask")
        bottom.step(days, offer, where="post", color="#009E73", label="latest offer")
        bottom.plot(
            days,
            [float("nan") if m is None else m for m in med],
            "o",
            color="#0072B2",
            markersize=3.5,
            label="median predicted settlement",
        )
        bottom.axhline(result.status_quo, color="#999999", linewidth=0.8, label="status quo")
        bottom.plot(
            [result.deal_date],
            [result.settlement],
            "*",
            color="#D55E00",
            markersize=12,
            label=f"actual settlement ({result.settlement:,.1f})",
        )
        bottom.set_yscale("log")
        bottom.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        bottom.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
        bottom.set_ylabel(f"{result.currency} {result.scale} (log scale)")
        bottom.set_title("Positions and predicted settlement (none drawn where no session agrees)")
        bottom.legend(loc="upper right", fontsize=8)
        _draw_marks(bottom, marks, labels=False)
        fig.autofmt_xdate()
    return fig


def chart_name(round_id: str) -> str:
    """The file stem of a round's replay chart written into a folder (``replay-<round id>``)."""
    return f"replay-{round_id}"


def replay_chart(result: ReplayResult, path_or_dir: str | Path) -> list[Path]:
    """Write the replay chart as PNG and SVG; returns the two paths.

    ``path_or_dir`` is a directory (files ``replay-<round id>.png``/``.svg`` in it, created
    if needed) or a file path whose suffix is replaced by ``.png`` and ``.svg``.
    """
    return write_figure(replay_figure(result), path_or_dir, chart_name(result.round_id), dpi=120)
