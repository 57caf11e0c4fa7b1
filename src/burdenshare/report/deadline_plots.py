"""The report's chart of how the deal date depends on the believed deadline.

Drawn from ``data["deadline_beliefs"]`` (``DeadlineSweep.to_dict`` in
:mod:`burdenshare.ensemble.deadline_sweep`): one step curve of P(deal by date) per believed
deadline, on a date axis.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from burdenshare.negotiation.cast import negotiators_in_words
from burdenshare.report.plots import COLORS, Data, _figure, _message, _styled

__all__ = ["deadline_beliefs_chart"]

_LINE_COLORS = ("#56B4E9", "#009E73", "#E69F00", "#0072B2", "#D55E00", "#CC79A7", "#555555")


def _day(iso: str) -> float:
    """An ISO date as a matplotlib date number."""
    return float(date2num(dt.date.fromisoformat(iso)))  # type: ignore[no-untyped-call]


@_styled
def deadline_beliefs_chart(data: Data) -> Figure:
    """P(deal by date) when both negotiators believe the talks must end by a given date.

    Each line is one believed deadline (its date is marked by a dot of the same colour on the
    horizontal axis); every line uses the same draws of the other beliefs and the same seeds,
    so the gaps between lines come from the believed deadline alone. The dotted line is the
    protocol's deadline. A believed deadline is what the negotiators concede against; it is not
    a rule of the talks.
    """
    sweep: dict[str, Any] | None = data.get("deadline_beliefs")
    fig = _figure(3.6)
    ax = fig.add_subplot()
    if not sweep or not sweep.get("points"):
        _message(ax, data.get("deadline_beliefs_note") or "No deadline sweep was run.")
        return fig
    dates = [_day(d) for d in sweep["round_dates"]]
    top = 0.01
    for i, point in enumerate(sweep["points"]):
        color = _LINE_COLORS[i % len(_LINE_COLORS)]
        est = [float(p) for p in point["p_agreement_by_date"]]
        top = max(top, max(est))
        ax.step(
            dates,
            est,
            where="post",
            color=color,
            linewidth=1.5,
            label=f"believed deadline {point['belief']}: P(deal) {100 * point['p_agreement']:.1f}%",
        )
        ax.plot(
            [_day(point["belief"])],
            [0.0],
            marker="o",
            color=color,
            clip_on=False,
            linestyle="none",
        )
    top = min(1.0, top * 1.25)
    deadline = _day(sweep["deadline"])
    ax.axvline(deadline, color="black", linestyle=":", linewidth=1.0)
    ax.text(deadline, top * 0.55, " protocol deadline", va="center", rotation=90, fontsize=7)
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.set_ylim(0.0, top)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=1 if top < 0.1 else 0))
    ax.set_ylabel("P(agreement by date)")
    ax.set_xlabel("round date")
    ax.set_title(
        f"Deal date by believed deadline ({sweep['n_sessions']:,} sessions each, "
        f"{negotiators_in_words(sweep['negotiators'])})",
        loc="left",
    )
    ax.legend(loc="center left", fontsize=7, frameon=False)
    ax.grid(axis="y", color=COLORS["light"], linewidth=0.5)
    return fig
