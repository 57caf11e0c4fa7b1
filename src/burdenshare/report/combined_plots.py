"""The report's chart of the spread across models and the combined forecast.

Drawn from ``data["combined"]`` (:func:`burdenshare.services.combined.run_combined`): one dot per
prediction of the settlement (each bargaining solution at central values, each forecasting model,
the ensemble's median), sorted by value, with the combined forecast and its 80% interval over
them, and the actual deal when the scenario's hindsight block records one.
"""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from burdenshare.report.plots import (
    COLORS,
    Data,
    _figure,
    _is_money,
    _issue_label,
    _message,
    _money_axes,
    _styled,
    _t,
)

__all__ = ["combined_spread_chart"]

_KIND_COLORS = {"solution": COLORS["party0"], "forecast": COLORS["accent"]}
_KIND_COLORS["ensemble"] = COLORS["purple"]


@_styled
def combined_spread_chart(data: Data) -> Figure:
    """Every model's forecast of the settlement (dots: blue for a bargaining solution at central
    values, orange for a forecasting model, pink for the ensemble's median), sorted by value; the
    green band and line are the combined forecast and its 80% interval, with the members it
    weighs in bold; the black dashed line is the actual deal, when the scenario records one."""
    entry: dict[str, Any] | None = data.get("combined")
    preds: dict[str, float] = dict((entry or {}).get("predictions") or {})
    fig = _figure(1.4 + 0.22 * max(len(preds), 4))
    ax = fig.add_subplot()
    if entry is None or not preds:
        _message(ax, "No model gave a forecast of the settlement: nothing to combine.")
        return fig
    issue = str(entry["issue"])
    order = sorted(preds, key=lambda k: preds[k])
    ys = list(range(len(order)))
    members = entry.get("members") or {}
    for y, name in zip(ys, order, strict=True):
        kind = name.split(":", 1)[0]
        ax.plot(
            [preds[name]],
            [y],
            marker="o",
            markersize=6 if name in members else 4,
            color=_KIND_COLORS.get(kind, COLORS["neutral"]),
            linestyle="none",
        )
    labels = [f"{n}  ({100 * members[n]:.0f}%)" if n in members else n for n in order]
    ax.set_yticks(ys, [_t(label) for label in labels])
    for tick, name in zip(ax.get_yticklabels(), order, strict=True):
        if name in members:
            tick.set_fontweight("bold")
    if entry.get("available"):
        low, high, point = entry["low"], entry["high"], entry["point"]
        ax.axvspan(low, high, color=COLORS["zone"], alpha=0.15, label="combined: 80% interval")
        ax.axvline(point, color=COLORS["zone"], linewidth=2.0, label="combined forecast")
        shown = {k: str(entry["display"][k]).split(" (")[0] for k in ("point", "low", "high")}
        title = f"Combined {shown['point']}; 80% interval {shown['low']} to {shown['high']}"
    else:
        title = "No combined forecast: the spread of the models is all there is"
    h = data.get("hindsight") or {}
    actual = (h.get("values") or {}).get(issue) if h.get("outcome") == "agreement" else None
    if isinstance(actual, int | float):
        ax.axvline(actual, color="black", linestyle="--", linewidth=1.2, label="actual deal")
    ax.set_ylim(-0.7, len(order) - 0.3)
    ax.set_title(_t(title), loc="left")
    ax.set_xlabel(_issue_label(data, issue))
    if _is_money(data, issue):
        _money_axes(ax, data, "x")
    ax.grid(axis="y", visible=False)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower right", fontsize=7)
    return fig
