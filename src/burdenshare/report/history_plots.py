"""The chart of the SMA record (``burdenshare history sma --chart``): the ROK contribution under
the Special Measures Agreements and its change on the previous year.

Pure: the series, the yearly changes and the agreements of :mod:`burdenshare.history.sma` in, a
matplotlib Figure (no pyplot state) out; :func:`burdenshare.services.history.sma_chart` writes it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from burdenshare.history.sma import Confidence, ContributionYear, SmaAgreement, YearlyChange
from burdenshare.report.plots import COLORS, style_context

__all__ = ["sma_figure"]

_MARKERS = {
    Confidence.SOURCED: {"marker": "o"},
    Confidence.INFERRED: {"marker": "o", "markerfacecolor": "white"},
    Confidence.RECALLED: {"marker": "X"},
}


def sma_figure(
    series: Sequence[ContributionYear],
    changes: Sequence[YearlyChange],
    agreements: Sequence[SmaAgreement],
) -> Figure:
    """The ROK contribution 1991–2022 (won from 2005 on the left axis, the MND's dollar series
    before on the right) and its change on the previous year; hollow markers and hatched bars
    are inferred values, crosses recalled ones; shaded bands are the SMA periods."""
    colors = {"KRW": COLORS["party1"], "USD": COLORS["party0"]}
    with style_context():
        fig = Figure(figsize=(8.0, 6.4), layout="constrained")
        ax, axc = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
        axr = ax.twinx()
        axr.spines["right"].set_visible(True)
        axr.grid(False)
        for cur, target in (("KRW", ax), ("USD", axr)):
            pts = [c for c in series if c.currency == cur]
            target.plot(
                [c.year for c in pts], [c.value for c in pts], color=colors[cur], linewidth=1.4
            )
            for c in pts:
                target.plot(
                    [c.year],
                    [c.value],
                    linestyle="none",
                    color=colors[cur],
                    markersize=5,
                    **_MARKERS[c.confidence],
                )
        ax.set_ylim(0, max(c.value for c in series if c.currency == "KRW") * 1.15)
        axr.set_ylim(0, max(c.value for c in series if c.currency == "USD") * 1.6)
        ax.set_ylabel("KRW billion (2005-2022)", color=colors["KRW"])
        axr.set_ylabel("USD million, MND series (1991-2004)", color=colors["USD"])
        thousands = FuncFormatter(lambda v, _p: f"{v:,.0f}")
        ax.yaxis.set_major_formatter(thousands)
        axr.yaxis.set_major_formatter(thousands)
        ax.set_title("ROK contribution under the Special Measures Agreements, 1991-2022")
        for k, a in enumerate(agreements):
            if a.first_year is None or a.last_year is None:
                continue
            lo, hi = a.first_year - 0.5, min(a.last_year, series[-1].year) + 0.5
            for target in (ax, axc):
                target.axvspan(lo, hi, color=COLORS["light"], alpha=0.18 if k % 2 else 0.05, lw=0)
            mark = "?" if "years_covered" in a.tagged_fields else ""
            ax.text(
                (lo + hi) / 2,
                0.98,
                a.sma + mark,
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="top",
                fontsize=7,
                color=COLORS["neutral"],
            )
        for year in (2019, 2021):
            c = next(c for c in series if c.year == year)
            ax.annotate(
                f"{c.value:,.1f}",
                (c.year, c.value),
                xytext=(-4, 6),
                textcoords="offset points",
                ha="right",
                fontsize=7,
                color=colors["KRW"],
            )
        handles = [
            Line2D([], [], color=colors["KRW"], marker="o", label="KRW bn"),
            Line2D([], [], color=colors["USD"], marker="o", label="USD m (MND)"),
            Line2D([], [], color="black", marker="o", ls="none", label="sourced"),
            Line2D([], [], color="black", marker="o", mfc="white", ls="none", label="inferred"),
            Line2D([], [], color="black", marker="X", ls="none", label="recalled"),
        ]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 0.92), ncols=2)

        for ch in changes:
            if ch.pct is None:
                axc.text(
                    ch.year, 0.5, "n/a", ha="center", va="bottom", fontsize=7,
                    color=COLORS["neutral"],
                )  # fmt: skip
                continue
            sourced = ch.confidence is Confidence.SOURCED
            axc.bar(
                ch.year,
                ch.pct,
                color=colors[ch.currency],
                alpha=0.9 if sourced else 0.45,
                hatch=None if sourced else "///",
                edgecolor=colors[ch.currency],
                width=0.8,
            )
            if ch.year >= 2019:
                axc.text(
                    ch.year,
                    ch.pct + (0.6 if ch.pct >= 0 else -0.6),
                    f"{ch.pct:+.1f}%",
                    ha="center",
                    va="bottom" if ch.pct >= 0 else "top",
                    fontsize=7,
                )
        axc.axhline(0, color=COLORS["neutral"], linewidth=0.8)
        axc.yaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
        axc.set_ylabel("change on previous year")
        axc.legend(
            handles=[
                Patch(color=colors["USD"], label="in USD (1992-2004)"),
                Patch(color=colors["KRW"], label="in KRW (2006-2022)"),
                Patch(facecolor="white", edgecolor=COLORS["neutral"], hatch="///",
                      label="a year is inferred"),
            ],
            loc="lower right",
        )  # fmt: skip
        axc.set_xlim(series[0].year - 0.7, series[-1].year + 0.7)
        axc.set_xlabel(
            textwrap.fill(
                "No won/dollar conversion: no yearly exchange rate is sourced, so the MND's dollar "
                "series (to 2004) and the won series (from 2005) have separate axes and the 2005 "
                "change (n/a) is not computed. '?': the SMA's span of years is recalled. "
                "Sources: MND 2018 Defense White Paper Chart 5-1; 10th and 11th SMA terms.",
                130,
            ),
            fontsize=7,
            color=COLORS["neutral"],
        )
    return fig
