"""Charts of a scenario with more than two parties, where a utility *plane* cannot show them.

:func:`utility_profiles_chart` draws one row per party (listing order, top to bottom) on a
common utility axis (1 = the party's ideal, 0 = its walk-away point): the range of the party's
utility over the Pareto set of the deals acceptable to all (a grey bar), its outside option
(a cross) and its utility at each solution (one marker per solution, a little apart so that
equal values stay visible). Reading down a column of one marker gives a solution's profile,
the parallel-coordinates reading of the same numbers (Inselberg 1985, *The plane with parallel
coordinates*, The Visual Computer 1(2)) turned on its side so that 28 or 64 party names stay
legible.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from burdenshare.report.plots import (
    _SOLUTION_MARKERS,
    COLORS,
    Data,
    _figure,
    _message,
    _styled,
    _t,
)

__all__ = ["utility_profiles_chart"]


@_styled
def utility_profiles_chart(data: Data) -> Figure:
    """Each party's utility at each solution, one row per party (more than two parties).

    Utilities are 1 at a party's ideal and 0 at its walk-away point. The grey bar is the range
    of the party's utility over the Pareto set of the deals every party prefers to walking
    away; the cross is its outside option; each marker is a solution (its legend below).
    """
    us: Mapping[str, Any] = data["utility_space"]
    names = list(us["parties"])
    height = 1.4 + 0.3 * len(names)
    fig = _figure(height, 9.0)
    ax = fig.add_subplot()
    solutions = list(us["solutions"])
    if not solutions and not any(us["pareto_range"].values()):
        _message(
            ax,
            f"No deal all {len(names)} parties prefer to walking away: no Pareto set and no "
            "solution point to draw.",
        )
        return fig
    ys = {name: float(len(names) - 1 - k) for k, name in enumerate(names)}
    xs: list[float] = []
    for k, name in enumerate(names):
        y = ys[name]
        span = us["pareto_range"].get(name)
        if span:
            ax.hlines(y, span[0], span[1], color=COLORS["light"], linewidth=6.0, zorder=1)
            xs += [float(span[0]), float(span[1])]
        d = us["disagreement"][k]
        ax.plot(d, y, marker="x", color="black", markersize=6, linestyle="none", zorder=3)
        xs.append(float(d))
    step = 0.5 / max(len(solutions), 1)
    handles: list[Any] = [
        Patch(color=COLORS["light"], label="range over the Pareto set (acceptable to all)"),
        Line2D([], [], marker="x", color="black", linestyle="none", label="walk away"),
    ]
    for j, s in enumerate(solutions):
        marker = _SOLUTION_MARKERS[j % len(_SOLUTION_MARKERS)]
        offset = (j - (len(solutions) - 1) / 2) * step
        pts = [(float(s["utilities"][n]), ys[n] + offset) for n in names]
        line = ax.plot(
            [p[0] for p in pts],
            [p[1] for p in pts],
            marker=marker,
            markersize=5,
            linestyle="none",
            markerfacecolor="none" if j % 2 else None,
            markeredgewidth=1.2,
            zorder=4,
            label=_t(s["label"]),
        )
        handles.append(line[0])
        xs += [p[0] for p in pts]
    h = us.get("hindsight")
    if h:
        ax.plot(
            [float(h["utilities"][n]) for n in names],
            [ys[n] for n in names],
            marker="*",
            markersize=10,
            color="black",
            linestyle="none",
            zorder=5,
        )
        handles.append(
            Line2D([], [], marker="*", color="black", linestyle="none", label="actual deal")
        )
        xs += [float(h["utilities"][n]) for n in names]
    low = max(min(xs, default=0.0), -1.0) - 0.05
    ax.set_xlim(low, max(1.05, max(xs, default=1.0) + 0.05))
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.set_yticks([ys[n] for n in names], [_t(n) for n in names])
    ax.grid(axis="y", visible=False)
    ax.axvline(0.0, color=COLORS["neutral"], linewidth=0.8, linestyle="--")
    ax.set_xlabel("utility (1 = the party's ideal, 0 = its walk-away point)")
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=7)
    return fig
