"""Reliability diagrams of the record backtest (``burdenshare backtest record --chart DIR``).

One panel per target (a deal by the expiry, within 6 months, within 12 months of the as-of
date): for each probability method the mean forecast of each bin against the observed frequency
of a deal in it (Murphy & Winkler 1977), the diagonal being perfect calibration; the marker's
area grows with the number of cases in the bin. Built under the report's style
(:func:`burdenshare.report.plots.style_context`) with the Okabe-Ito colours of the other charts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from burdenshare.history.scoring import ReliabilityBin
from burdenshare.report.plots import style_context

__all__ = ["RELIABILITY_CHART_NAME", "reliability_chart", "reliability_figure"]

#: the file stem of the chart written into a folder
RELIABILITY_CHART_NAME = "backtest-reliability"
#: Okabe-Ito colours, one per method drawn
_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
_TITLES = {
    "expiry": "deal by the expiry",
    "6m": "deal within 6 months",
    "12m": "deal within 12 months",
}


def reliability_figure(
    data: Mapping[str, Mapping[str, Sequence[ReliabilityBin]]],
    methods: Sequence[str],
    targets: Sequence[str] = ("expiry", "6m", "12m"),
) -> Figure:
    """The diagram of ``methods`` (those of ``data`` that forecast a target are drawn)."""
    with style_context():
        fig = Figure(figsize=(4.0 * len(targets), 4.8), layout="constrained")
        axes = fig.subplots(1, len(targets), squeeze=False)[0]
        for ax, target in zip(axes, targets, strict=True):
            ax.plot([0, 1], [0, 1], color="#999999", linewidth=0.8, linestyle="--")
            for color, method in zip(_COLORS, methods, strict=False):
                bins = data.get(method, {}).get(target)
                if not bins:
                    continue
                ax.plot(
                    [b.mean_forecast for b in bins],
                    [b.observed_frequency for b in bins],
                    "-",
                    color=color,
                    linewidth=1.0,
                    alpha=0.7,
                )
                ax.scatter(
                    [b.mean_forecast for b in bins],
                    [b.observed_frequency for b in bins],
                    s=[20 + 12 * b.count for b in bins],
                    color=color,
                    zorder=3,
                )
            ax.set_xlim(-0.03, 1.03)
            ax.set_ylim(-0.03, 1.03)
            ax.set_aspect("equal")
            ax.set_xlabel("forecast probability (bin mean)")
            ax.set_title(_TITLES.get(target, target))
        axes[0].set_ylabel("observed frequency of a deal")
        drawn = [m for m in methods if any(data.get(m, {}).get(t) for t in targets)]
        handles = [
            Line2D([], [], color=c, marker="o", linewidth=1.0, markersize=6, label=m)
            for c, m in zip(_COLORS, drawn, strict=False)
        ]
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(len(handles), 5) or 1,
            fontsize=8,
            title="marker area grows with the cases in the bin; dashed: perfect calibration",
            title_fontsize=8,
        )
    return fig


def reliability_chart(
    data: Mapping[str, Mapping[str, Sequence[ReliabilityBin]]],
    methods: Sequence[str],
    path_or_dir: str | Path,
) -> list[Path]:
    """Write the diagram as PNG and SVG (:func:`burdenshare.report.export.write_figure`)."""
    from burdenshare.report.export import write_figure

    return write_figure(
        reliability_figure(data, methods), path_or_dir, RELIABILITY_CHART_NAME, dpi=120
    )
