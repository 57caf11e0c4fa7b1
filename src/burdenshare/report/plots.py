"""One pure function per chart: report data in, a :class:`matplotlib.figure.Figure` out.

The data is what :func:`burdenshare.services.report.report_data` returns.

Figures are built with :class:`~matplotlib.figure.Figure` directly (no ``pyplot``, so no global
figure state and no interactive backend) under one fixed style, :data:`STYLE`. Money axes show the
scenario's base currency and, on a second axis, every currency it gives an exchange rate for.
A chart with nothing to show (no agreements, no uncertain beliefs) still renders, with a sentence
saying why.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ParamSpec, cast

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

__all__ = [
    "COLORS",
    "STYLE",
    "offers_chart",
    "outcomes_chart",
    "p_deal_chart",
    "positions_chart",
    "settlement_chart",
    "sobol_chart",
    "style_context",
    "tornado_chart",
    "utility_space_chart",
]

Data = Mapping[str, Any]
P = ParamSpec("P")

#: the fixed look of every chart (applied while a chart is built and while it is saved)
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.titleweight": "bold",
    "axes.labelsize": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "legend.fontsize": 8.0,
    "legend.frameon": False,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "figure.dpi": 100.0,
    "savefig.dpi": 200.0,
    "svg.fonttype": "path",
    "svg.hashsalt": "burdenshare",
    "path.simplify": True,
    "date.epoch": "1970-01-01T00:00:00",
}

#: colour-blind-safe colours (Okabe & Ito 2008)
COLORS: dict[str, str] = {
    "party0": "#0072B2",
    "party1": "#D55E00",
    "zone": "#009E73",
    "gap": "#CC3311",
    "neutral": "#555555",
    "light": "#BBBBBB",
    "accent": "#E69F00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
}
_SESSION_COLORS = ("#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#555555")
_SOLUTION_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "<", ">", "h")
_OUTCOME_LABELS = {
    "agreement": "agreement",
    "breakdown": "breakdown",
    "deadline": "no deal by the last round",
    "ratification_failure": "ratification failure",
}
_OUTCOME_COLORS = {
    "agreement": COLORS["zone"],
    "breakdown": COLORS["gap"],
    "deadline": COLORS["accent"],
    "ratification_failure": COLORS["purple"],
}
_SCALE_WORD = {"one": "", "thousand": "thousand", "million": "million", "billion": "billion"}
_SCALE_WORD["trillion"] = "trillion"
_WIDTH = 8.0
#: matplotlib's date epoch: date numbers count days from it
_EPOCH = dt.date(1970, 1, 1)


def style_context() -> contextlib.AbstractContextManager[None]:
    """Matplotlib settings set to :data:`STYLE` inside a ``with`` block, restored after."""
    return mpl.rc_context(cast(Any, STYLE))


def _styled(fn: Callable[P, Figure]) -> Callable[P, Figure]:
    """Build the figure under :data:`STYLE` (rc settings are read when artists are created)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with style_context():
            return fn(*args, **kwargs)

    return wrapper


# -- small helpers -----------------------------------------------------------------------------


def _t(text: object) -> str:
    """Text for matplotlib: a ``$`` is a dollar sign, never the start of mathtext."""
    return str(text).replace("$", r"\$")


def _figure(height: float, width: float = _WIDTH) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _message(ax: Axes, text: str) -> None:
    """A chart with nothing to draw: say why, in the middle of the axes."""
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        _t(textwrap.fill(text, 90)),
        ha="center",
        va="center",
        transform=ax.transAxes,
        color=COLORS["neutral"],
    )


#: the parties' colours in listing order (the first two as in a bilateral chart), cycled
PARTY_CYCLE = (
    COLORS["party0"],
    COLORS["party1"],
    COLORS["zone"],
    COLORS["purple"],
    COLORS["accent"],
    COLORS["sky"],
    COLORS["neutral"],
)


def _party_color(data: Data, party: str | None) -> str:
    """A party's colour (:data:`PARTY_CYCLE`); neutral for none.

    >>> _party_color({"utility_space": {"parties": ["A", "B", "C"]}}, "C") == COLORS["zone"]
    True
    """
    names = list(data["utility_space"]["parties"])
    if party in names:
        return PARTY_CYCLE[names.index(party) % len(PARTY_CYCLE)]
    return COLORS["neutral"]


def _unit_word(money: Mapping[str, Any], currency: str) -> str:
    scale = _SCALE_WORD.get(str(money.get("scale", "one")), "")
    return f"{currency} {scale}".strip()


def _issue_label(data: Data, issue: str) -> str:
    """An issue's axis label with its unit (``contribution (KRW billion)``)."""
    meta = next((i for i in data["issues"] if i["id"] == issue), None)
    if meta is not None and meta["is_money"]:
        return (
            f"{issue} ({_unit_word(data['scenario']['money'], data['scenario']['money']['unit'])})"
        )
    unit = meta["unit"] if meta is not None else ""
    return f"{issue} ({unit})" if unit else issue


def _is_money(data: Data, issue: str) -> bool:
    return any(i["id"] == issue and i["is_money"] for i in data["issues"])


def _thousands(value: float, _pos: object = None) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def _money_axes(ax: Axes, data: Data, which: str = "x") -> None:
    """Format a money axis in the base unit and add one axis per other known currency."""
    money = data["scenario"]["money"]
    fx: Mapping[str, float] = money.get("fx") or {}
    axis = ax.xaxis if which == "x" else ax.yaxis
    axis.set_major_formatter(FuncFormatter(_thousands))
    for k, (currency, rate) in enumerate(fx.items()):
        r = float(rate)

        def fwd(v: Any, r: float = r) -> Any:
            return v / r

        def inv(v: Any, r: float = r) -> Any:
            return v * r

        label = f"{_unit_word(money, currency)} (at {r:,.4g} {money['unit']}/{currency})"
        if which == "x":
            sec = ax.secondary_xaxis("top", functions=(fwd, inv))
            sec.set_xlabel(label, color=COLORS["neutral"])
            sec.xaxis.set_major_formatter(FuncFormatter(_thousands))
            if k:
                sec.spines["top"].set_position(("outward", 28.0 * k))
        else:
            sec = ax.secondary_yaxis("right", functions=(fwd, inv))
            sec.set_ylabel(label, color=COLORS["neutral"])
            sec.yaxis.set_major_formatter(FuncFormatter(_thousands))
            if k:
                sec.spines["right"].set_position(("outward", 36.0 * k))
        sec.tick_params(colors=COLORS["neutral"])


def _date(text: str) -> float:
    """An ISO date as a matplotlib date number (call ``xaxis_date`` on the axes)."""
    day = dt.date.fromisoformat(text)
    return float((day - _EPOCH).days)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _param_label(path: str) -> str:
    """A belief's field path for a chart label (``US: contribution reservation``)."""
    parts = path.split(".")
    if len(parts) >= 5 and parts[0] == "parties" and parts[2] == "utility":
        return f"{parts[1]}: {parts[3]} {parts[4]}".replace("_", " ")
    if len(parts) >= 4 and parts[0] == "parties" and parts[2] == "ratification":
        return f"{parts[1]}: ratifier {parts[3]}".replace("_", " ")
    if len(parts) == 3 and parts[0] == "parties":
        return f"{parts[1]}: {parts[2]}".replace("_", " ")
    if parts[0] == "protocol":
        return " ".join(parts[1:]).replace("_", " ")
    return path


def _numeric_issues(data: Data) -> list[str]:
    return [i["id"] for i in data["issues"] if i["kind"] != "categorical"]


# -- positions ---------------------------------------------------------------------------------


@_styled
def positions_chart(data: Data) -> Figure:
    """The number line: each party's ideal and walk-away belief, ratifiers, the zone, actors.

    One panel per numeric issue. A walk-away point (reservation) or ratification threshold that
    is uncertain is drawn as its density (shaded) with the 5–95% range as a bar; fixed values are
    ticks. The zone of agreement is the green band; without one, the red band is the gap
    between the two sides' walk-away points at their central values.
    """
    panels = data["positions"]
    if not panels:
        fig = _figure(2.0)
        _message(fig.add_subplot(), "The scenario has no numeric issue to draw on a number line.")
        return fig
    rows_per = [_position_rows(p) for p in panels]
    heights = [1.1 + 0.55 * len(r) for r in rows_per]
    fig = _figure(sum(heights) + 0.9)
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=heights)[:, 0]
    for ax, panel, rows in zip(axes, panels, rows_per, strict=True):
        _position_panel(ax, data, panel, rows)
    handles = []
    if any(isinstance(p["zone"], Mapping) for p in panels):
        handles.append(Patch(color=COLORS["zone"], alpha=0.25, label="zone of agreement"))
    if any(not isinstance(p["zone"], Mapping) and _gap(p) for p in panels):
        handles.append(Patch(color=COLORS["gap"], alpha=0.15, label="gap: no zone of agreement"))
    handles.append(Patch(color=COLORS["light"], alpha=0.7, label="belief density; bar = 5–95%"))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    return fig


def _position_rows(panel: Mapping[str, Any]) -> list[tuple[str, str, str | None]]:
    """(kind, label, party) per row, top to bottom."""
    rows: list[tuple[str, str, str | None]] = []
    for name, entry in panel["parties"].items():
        rows.append(("party", name, name))
        if entry["ratification"] is not None:
            rows.append(("ratifier", f"{name} ratifier\n({entry['ratification']['body']})", name))
    if panel["actors"]:
        rows.append(("actors", "actors", None))
    return rows


def _belief_shape(
    ax: Axes, belief: Mapping[str, Any], y: float, color: str, hatch: str | None = None
) -> None:
    """A distribution on row ``y``: its density above the row line, its 5–95% bar on it."""
    dens = belief.get("density")
    if dens and dens["x"]:
        top = max(dens["y"]) or 1.0
        ys = [y + 0.38 * v / top for v in dens["y"]]
        ax.fill_between(
            dens["x"], y, ys, color=color, alpha=0.3, linewidth=0.8, hatch=hatch, edgecolor=color
        )
    points = belief.get("points")
    if points:
        top = max(points["p"]) or 1.0
        for x, p in zip(points["x"], points["p"], strict=True):
            ax.vlines(x, y, y + 0.38 * p / top, color=color, linewidth=2.0)
    ax.hlines(y, belief["q05"], belief["q95"], color=color, linewidth=4.0, alpha=0.6)


def _position_panel(
    ax: Axes, data: Data, panel: Mapping[str, Any], rows: list[tuple[str, str, str | None]]
) -> None:
    n = len(rows)
    ys = {k: float(n - 1 - k) for k in range(n)}
    xs: list[float] = []
    labels: list[tuple[float, float, str, str, float]] = []  # x, y, text, colour, offset
    zone = panel["zone"]
    if isinstance(zone, Mapping):
        ax.axvspan(zone["low"], zone["high"], color=COLORS["zone"], alpha=0.25, zorder=0)
        xs += [zone["low"], zone["high"]]
    else:
        gap = _gap(panel)
        if gap is not None:
            ax.axvspan(gap[0], gap[1], color=COLORS["gap"], alpha=0.15, zorder=0)
            ax.text(
                (gap[0] + gap[1]) / 2,
                n - 0.35,
                "gap",
                ha="center",
                va="bottom",
                color=COLORS["gap"],
                fontsize=8,
            )
    for k, (kind, _label, party) in enumerate(rows):
        y = ys[k]
        color = _party_color(data, party)
        if kind == "party" and party is not None:
            e = panel["parties"][party]
            ideal, res = float(e["ideal"]), float(e["reservation"])
            ax.plot([res, ideal], [y, y], color=color, linewidth=1.0, alpha=0.6)
            if e["reservation_belief"]:
                _belief_shape(ax, e["reservation_belief"], y, color)
                xs += [e["reservation_belief"]["q05"], e["reservation_belief"]["q95"]]
            if e["ideal_belief"]:
                _belief_shape(ax, e["ideal_belief"], y, color)
            ax.plot(res, y, marker="|", markersize=16, color=color, markeredgewidth=2.0)
            ax.plot(ideal, y, marker="o", markersize=7, color=color)
            labels.append((ideal, y, f"ideal {e['ideal_display']}", color, 9.0))
            labels.append((res, y, f"walk-away {e['reservation_display']}", color, -11.0))
            xs += [ideal, res]
        elif kind == "ratifier" and party is not None:
            r = panel["parties"][party]["ratification"]
            if r["belief"]:
                _belief_shape(ax, r["belief"], y, color, hatch="///")
                xs += [r["belief"]["q05"], r["belief"]["q95"]]
            ax.plot(r["threshold"], y, marker="|", markersize=14, color=color, markeredgewidth=2)
            labels.append((r["threshold"], y, f"approves up to {r['display']}", color, -11.0))
            xs.append(float(r["threshold"]))
        elif kind == "actors":
            for a in panel["actors"]:
                ax.plot(
                    a["position"],
                    y,
                    marker="D",
                    markersize=5,
                    color=_party_color(data, a["party"]),
                    alpha=0.7,
                )
                xs.append(float(a["position"]))
    for key, label, style, height in (
        ("nash", "Nash", ":", n - 0.3),
        ("hindsight", "actual", "--", n - 0.55),
    ):
        mark = panel.get(key)
        if mark:
            ax.axvline(mark["value"], color="black", linestyle=style, linewidth=1.0)
            ax.text(mark["value"], height, f" {label}", ha="left", va="bottom", fontsize=7)
            xs.append(float(mark["value"]))
    lo, hi = (min(xs), max(xs)) if xs else tuple(panel["range"])
    pad = 0.06 * (hi - lo or 1.0)
    ax.set_xlim(lo - pad, hi + pad)
    for x, y, text, color, offset in labels:
        where = (x - lo) / (hi - lo) if hi > lo else 0.5
        ha = "left" if where < 0.2 else "right" if where > 0.8 else "center"
        ax.annotate(
            _t(text),
            (x, y),
            xytext=(0, offset),
            textcoords="offset points",
            ha=ha,
            va="bottom" if offset > 0 else "top",
            fontsize=7,
            color=color,
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "alpha": 0.7, "lw": 0},
        )
    ax.set_ylim(-0.8, n - 0.2)
    ax.set_yticks([ys[k] for k in range(n)], [r[1] for r in rows])
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(_issue_label(data, panel["issue"]))
    if panel["is_money"]:
        _money_axes(ax, data, "x")


def _gap(panel: Mapping[str, Any]) -> tuple[float, float] | None:
    """The interval between the two sides' acceptable ranges when they do not overlap."""
    ranges = [r for r in panel["acceptable"].values() if isinstance(r, Mapping)]
    if len(ranges) != 2:
        walk = [float(e["reservation"]) for e in panel["parties"].values()]
        return (min(walk), max(walk)) if len(walk) == 2 else None
    a, b = sorted(ranges, key=lambda r: float(r["low"]))
    if float(a["high"]) < float(b["low"]):
        return (float(a["high"]), float(b["low"]))
    return None


# -- utility space -----------------------------------------------------------------------------


@_styled
def utility_space_chart(data: Data) -> Figure:
    """Both parties' utilities of every outcome, the Pareto frontier and the solution points.

    Utilities are 1 at a party's ideal and 0 at its walk-away point; outcomes worse than −1 for
    either side are off the chart. Without a zone of agreement the frontier drawn is that of all
    outcomes, and it does not reach the upper-right quadrant.
    """
    us = data["utility_space"]
    a, b = us["parties"]
    fig = _figure(5.6, 9.0)
    ax = fig.add_subplot()
    u1, u2 = us["points"]["u1"], us["points"]["u2"]
    acc = us["acceptable"]
    other = [(x, y) for x, y, ok in zip(u1, u2, acc, strict=True) if not ok]
    good = [(x, y) for x, y, ok in zip(u1, u2, acc, strict=True) if ok]
    if other:
        ox, oy = zip(*other, strict=True)
        ax.scatter(ox, oy, s=6, color=COLORS["light"], label="outcomes")
    if good:
        gx, gy = zip(*good, strict=True)
        ax.scatter(
            gx,
            gy,
            s=8,
            color=COLORS["zone"],
            alpha=0.6,
            label="acceptable to both",
        )
    f1, f2 = us["frontier"]["u1"], us["frontier"]["u2"]
    if f1:
        scope = us["frontier_scope"]
        label = "Pareto frontier" + ("" if scope == "acceptable" else " (of all outcomes)")
        ax.plot(f1, f2, color="black", linewidth=1.4, label=label)
    d1, d2 = us["disagreement"]
    ax.axvline(d1, color=COLORS["neutral"], linewidth=0.8, linestyle="--")
    ax.axhline(d2, color=COLORS["neutral"], linewidth=0.8, linestyle="--")
    ax.plot(d1, d2, marker="x", color="black", markersize=8, linestyle="none", label="walk away")
    for k, s in enumerate(us["solutions"]):
        ax.plot(
            s["u1"],
            s["u2"],
            marker=_SOLUTION_MARKERS[k % len(_SOLUTION_MARKERS)],
            markersize=7,
            linestyle="none",
            markerfacecolor="none" if k % 2 else None,
            markeredgewidth=1.4,
            label=s["label"],
        )
    if us["hindsight"]:
        h = us["hindsight"]
        ax.plot(h["u1"], h["u2"], marker="*", markersize=13, color="black", linestyle="none")
        ax.annotate("actual deal", (h["u1"], h["u2"]), xytext=(6, 6), textcoords="offset points")
    lows = [v for v in (*u1, *u2, *f1, *f2, d1, d2) if v is not None]
    low = max(min(lows, default=0.0), -1.0) - 0.05
    ax.set_xlim(low, 1.05)
    ax.set_ylim(low, 1.05)
    ax.set_xlabel(f"utility of {a} (1 = its ideal, 0 = walking away)")
    ax.set_ylabel(f"utility of {b} (1 = its ideal, 0 = walking away)")
    if not us["solutions"]:
        ax.text(
            0.98,
            0.98,
            "No outcome is acceptable to both:\nno solution point.",
            ha="right",
            va="top",
            transform=ax.transAxes,
            color=COLORS["gap"],
        )
    fig.legend(loc="outside right upper", fontsize=7)
    _zoom(ax, us, good, low)
    return fig


def _zoom(ax: Axes, us: Mapping[str, Any], good: list[tuple[float, float]], low: float) -> None:
    """An inset magnifying the acceptable outcomes when they fill little of the chart."""
    pts = good + [(s["u1"], s["u2"]) for s in us["solutions"]]
    if not pts:
        return
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    span = max(max(xs) - min(xs), max(ys) - min(ys))
    if span > 0.3 * (1.05 - low):
        return
    pad = max(0.02, 0.15 * span)
    inset = ax.inset_axes((0.55, 0.55, 0.42, 0.42))
    for line in ax.get_lines():
        inset.plot(
            line.get_xdata(),
            line.get_ydata(),
            marker=line.get_marker(),
            markersize=line.get_markersize(),
            linestyle=line.get_linestyle(),
            linewidth=line.get_linewidth(),
            color=line.get_color(),
            markerfacecolor=line.get_markerfacecolor(),
            markeredgecolor=line.get_markeredgecolor(),
        )
    if good:
        gx, gy = zip(*good, strict=True)
        inset.scatter(gx, gy, s=8, color=COLORS["zone"], alpha=0.6)
    inset.set_xlim(min(xs) - pad, max(xs) + pad)
    inset.set_ylim(min(ys) - pad, max(ys) + pad)
    inset.tick_params(labelsize=6)
    inset.set_title("zoom: acceptable outcomes", fontsize=7)
    ax.indicate_inset_zoom(inset, edgecolor=COLORS["neutral"])


# -- sample sessions ---------------------------------------------------------------------------


@_styled
def offers_chart(data: Data) -> Figure:
    """The offers of a few sessions of the run, replayed, on each numeric issue over time.

    One colour per session; the first party's offers are triangles pointing up on a solid line,
    the second party's triangles pointing down on a dashed one; a star is the offer accepted.
    Horizontal dashed lines are each party's walk-away point at its central value.
    """
    sessions = data["sessions"]
    issues = _numeric_issues(data)
    if not sessions or not issues:
        fig = _figure(2.0)
        _message(fig.add_subplot(), "No sample session to show (the run has no sessions).")
        return fig
    parties = list(data["utility_space"]["parties"])
    fig = _figure(1.2 + 2.6 * len(issues))
    axes = fig.subplots(len(issues), 1, squeeze=False, sharex=True)[:, 0]
    positions = {p["issue"]: p for p in data["positions"]}
    for ax, issue in zip(axes, issues, strict=True):
        panel = positions.get(issue)
        if panel is not None:
            zone = panel["zone"]
            if isinstance(zone, Mapping):
                ax.axhspan(zone["low"], zone["high"], color=COLORS["zone"], alpha=0.2, zorder=0)
            for name, e in panel["parties"].items():
                ax.axhline(
                    e["reservation"],
                    color=_party_color(data, name),
                    linestyle="--",
                    linewidth=0.9,
                    label=f"{name} walk-away (central)",
                )
        for k, s in enumerate(sessions):
            color = _SESSION_COLORS[k % len(_SESSION_COLORS)]
            offers = [o for o in s["offers"] if not isinstance(o["values"].get(issue), str)]
            dates = [_date(o["date"]) for o in offers]
            vals = [float(o["values"][issue]) for o in offers]
            label = f"session {s['session']}: {_OUTCOME_LABELS.get(s['outcome'], s['outcome'])}"
            for j, party in enumerate(parties):
                mine = [
                    (d, v)
                    for o, d, v in zip(offers, dates, vals, strict=True)
                    if o["proposer"] == party
                ]
                if mine:
                    ax.plot(
                        *zip(*mine, strict=True),
                        color=color,
                        linewidth=1.0,
                        linestyle="-" if j == 0 else "--",
                        alpha=0.8,
                        label=label if j == 0 else None,
                    )
            for o, d, v in zip(offers, dates, vals, strict=True):
                first = o["proposer"] == parties[0]
                ax.plot(
                    d,
                    v,
                    marker="^" if first else "v",
                    color=color,
                    markersize=5,
                    markeredgecolor=_party_color(data, o["proposer"]),
                )
                if o["response"] == "accept":
                    ax.plot(d, v, marker="*", color=color, markersize=14, markeredgecolor="black")
        ax.axvline(_date(data["ensemble"]["deadline"]), color="black", linestyle=":", linewidth=1.0)
        ax.set_ylabel(_issue_label(data, issue))
        ax.xaxis_date()
        if _is_money(data, issue):
            _money_axes(ax, data, "y")
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=3, fontsize=7)
    axes[-1].set_xlabel(f"round date (dotted: deadline {data['ensemble']['deadline']})")
    axes[-1].tick_params(axis="x", labelrotation=30)
    return fig


# -- ensemble ----------------------------------------------------------------------------------


@_styled
def p_deal_chart(data: Data) -> Figure:
    """P(a deal by each round's date), with a 95% band (±1.96 standard errors).

    The dotted line is the deadline; grey lines are the scenario's events; the dashed black line
    is what happened (hindsight), when the scenario says.
    """
    summary = data["ensemble"]["summary"]
    rows = summary["p_agreement_by_date"]
    fig = _figure(3.6)
    ax = fig.add_subplot()
    if not rows:
        _message(ax, "The protocol schedules no round.")
        return fig
    dates = [_date(r["date"]) for r in rows]
    est = [float(r["estimate"]) for r in rows]
    se = [float(r["se"] or 0.0) for r in rows]
    lo = [max(0.0, e - 1.96 * s) for e, s in zip(est, se, strict=True)]
    hi = [min(1.0, e + 1.96 * s) for e, s in zip(est, se, strict=True)]
    ax.fill_between(dates, lo, hi, step="post", color=COLORS["party0"], alpha=0.2, label="95% band")
    ax.step(
        dates, est, where="post", color=COLORS["party0"], linewidth=1.6, label="P(deal by date)"
    )
    ax.plot(dates, est, marker="o", markersize=3, linestyle="none", color=COLORS["party0"])
    top = min(1.0, max(0.01, max(hi) * 1.25))
    deadline = _date(data["ensemble"]["deadline"])
    ax.axvline(deadline, color="black", linestyle=":", linewidth=1.0)
    ax.text(deadline, top, " deadline", va="top", fontsize=7)
    for ev in data["events"]:
        d = _date(ev["date"])
        if dates[0] <= d <= dates[-1]:
            ax.axvline(d, color=COLORS["light"], linewidth=0.8)
            ax.text(d, top * 0.97, _t(f" {ev['kind']}"), va="top", fontsize=6, rotation=90)
    h = data.get("hindsight")
    if h:
        d = _date(h["date"])
        deal = h["outcome"] == "agreement"
        what = f"actual: {'deal on' if deal else 'no deal by'} {h['date']}"
        ax.axvline(d, color="black", linestyle="--", linewidth=1.2, label=what)
    final = summary["p_agreement"]
    ax.set_title(
        f"P(deal) by the last round: {_pct(final['estimate'])} "
        f"(of {summary['n_sessions']:,} sessions)",
        loc="left",
    )
    ax.set_ylim(0.0, top)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=1 if top < 0.1 else 0))
    ax.set_ylabel("P(agreement by date)")
    ax.set_xlabel("round date")
    ax.legend(loc="best")
    return fig


@_styled
def settlement_chart(data: Data) -> Figure:
    """The distribution of the agreed value over the sessions that agreed, per numeric issue.

    Vertical lines: the median (solid) and the 5% and 95% quantiles (dashed); the black dashed
    line is the actual deal, when the scenario records one.
    """
    ens = data["ensemble"]
    hists: Mapping[str, Any] = ens["settlement_histograms"]
    settlement = ens["summary"].get("settlement") or {}
    n = ens["summary"]["n_sessions"]
    issues = [i for i in _numeric_issues(data) if i in hists]
    if not issues:
        fig = _figure(2.0)
        _message(fig.add_subplot(), "The scenario has no numeric issue to settle.")
        return fig
    fig = _figure(0.8 + 2.8 * len(issues))
    axes = fig.subplots(len(issues), 1, squeeze=False)[:, 0]
    positions = {p["issue"]: p for p in data["positions"]}
    for ax, issue in zip(axes, issues, strict=True):
        h = hists[issue]
        if h["n"] == 0:
            _message(ax, f"No session reached an agreement (0 of {n:,}): nothing to settle.")
            continue
        edges, counts = h["edges"], h["counts"]
        widths = [b - a for a, b in itertools.pairwise(edges)]
        ax.bar(edges[:-1], counts, width=widths, align="edge", color=COLORS["sky"], alpha=0.8)
        q = (settlement.get(issue) or {}).get("quantiles") or {}
        for key, style in (("0.05", "--"), ("0.5", "-"), ("0.95", "--")):
            v = (q.get(key) or {}).get("value")
            if v is not None:
                ax.axvline(v, color=COLORS["party0"], linestyle=style, linewidth=1.2)
        med = (q.get("0.5") or {}).get("display")
        title = f"{issue}: {h['n']:,} agreements of {n:,} sessions"
        if med:
            title += f"; median {med}"
        ax.set_title(_t(title), loc="left")
        mark = (positions.get(issue) or {}).get("hindsight")
        if mark:
            ax.axvline(mark["value"], color="black", linestyle="--", linewidth=1.2)
            ax.text(mark["value"], max(counts), " actual", va="top", fontsize=7)
        ax.set_xlabel(_issue_label(data, issue))
        ax.set_ylabel("sessions")
        if _is_money(data, issue):
            _money_axes(ax, data, "x")
    return fig


@_styled
def outcomes_chart(data: Data) -> Figure:
    """The share of sessions ending in agreement and in each kind of failure, with 95% error
    bars (±1.96 standard errors); labels give the percentage and the count."""
    summary = data["ensemble"]["summary"]
    outcomes: Mapping[str, Any] = summary["outcomes"]
    keys = [k for k in _OUTCOME_LABELS if k in outcomes] + [
        k for k in outcomes if k not in _OUTCOME_LABELS
    ]
    fig = _figure(2.8)
    ax = fig.add_subplot()
    est = [float(outcomes[k]["estimate"]) for k in keys]
    err = [1.96 * float(outcomes[k]["se"] or 0.0) for k in keys]
    ys = list(range(len(keys)))[::-1]
    ax.barh(
        ys,
        est,
        xerr=err,
        color=[_OUTCOME_COLORS.get(k, COLORS["neutral"]) for k in keys],
        alpha=0.85,
        capsize=3,
    )
    for y, k, e, x in zip(ys, keys, est, err, strict=True):
        ax.text(e + x, y, f"  {_pct(e)} ({outcomes[k]['count']:,})", va="center", fontsize=8)
    ax.set_yticks(ys, [_OUTCOME_LABELS.get(k, k) for k in keys])
    ax.set_xlim(0.0, 1.15)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_xlabel(f"share of {summary['n_sessions']:,} sessions")
    ax.grid(axis="y", visible=False)
    return fig


# -- sensitivity -------------------------------------------------------------------------------


@_styled
def tornado_chart(data: Data) -> Figure:
    """One belief at a time at its 10% and 90% quantile: how far P(deal) and the median move.

    Each bar runs from the baseline (every belief sampled, the vertical line) to the value with
    the belief held low (light blue) and held high (orange); the beliefs are sorted by how far
    they move P(deal), and each label gives the two values the belief was held at.
    """
    sens = data.get("sensitivity")
    if not sens:
        fig = _figure(2.0)
        _message(fig.add_subplot(), data.get("sensitivity_note") or "No sensitivity analysis.")
        return fig
    t = sens["tornado"]
    rows = list(t["rows"])[::-1]
    fig = _figure(1.5 + 0.7 * max(1, len(rows)))
    ax_p, ax_m = fig.subplots(1, 2, sharey=True, width_ratios=(1.2, 1.0))
    ys = list(range(len(rows)))
    labels = [
        _t(f"{_param_label(r['parameter'])}\n{r.get('low_display')} → {r.get('high_display')}")
        for r in rows
    ]
    base = t["baseline"]
    _tornado_panel(ax_p, rows, ys, "p_agreement", base.get("p_agreement"), clamp=(0.0, 1.0))
    ax_p.set_yticks(ys, labels, fontsize=7)
    ax_p.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=1))
    ax_p.set_xlabel("P(agreement)")
    ax_p.set_title("P(agreement)", loc="left")
    if any(r.get("median_low") is not None for r in rows):
        _tornado_panel(ax_m, rows, ys, "median", base.get("median"), clamp=None)
        ax_m.set_xlabel(_issue_label(data, t["issue"]))
        ax_m.set_title("median settlement", loc="left")
        ax_m.xaxis.set_major_formatter(FuncFormatter(_thousands))
        ax_m.tick_params(axis="x", labelrotation=30)
    else:
        _message(ax_m, "Too few agreements for a median settlement (20 per run needed).")
    handles = [
        Patch(color=COLORS["sky"], label="belief at its 10% quantile"),
        Patch(color=COLORS["accent"], label="belief at its 90% quantile"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=2)
    fig.suptitle(
        f"One-at-a-time sensitivity ({t['n']:,} sessions per run, seed {t['seed']})",
        fontsize=9,
    )
    return fig


def _tornado_panel(
    ax: Axes,
    rows: Sequence[Mapping[str, Any]],
    ys: Sequence[int],
    key: str,
    base: Any,
    clamp: tuple[float, float] | None,
) -> None:
    values: list[float] = []
    for y, r in zip(ys, rows, strict=True):
        lo, hi = r.get(f"{key}_low"), r.get(f"{key}_high")
        if lo is None or hi is None:
            continue
        ref = float(base) if base is not None else float(lo)
        ax.barh(y, float(lo) - ref, left=ref, color=COLORS["sky"], height=0.6)
        ax.barh(y, float(hi) - ref, left=ref, color=COLORS["accent"], height=0.6, alpha=0.85)
        values += [float(lo), float(hi), ref]
    if base is not None:
        ax.axvline(float(base), color="black", linewidth=1.0)
    ax.grid(axis="y", visible=False)
    if values:
        lo_v, hi_v = min(values), max(values)
        pad = 0.1 * (hi_v - lo_v) or 0.01 * max(1.0, abs(hi_v))
        left, right = lo_v - pad, hi_v + pad
        if clamp is not None:
            left, right = max(clamp[0], left), min(clamp[1], right)
        ax.set_xlim(left, right)


@_styled
def sobol_chart(data: Data) -> Figure:
    """Sobol' indices: the share of the variance of each output due to each belief alone (S1)
    and with its interactions (ST), with 95% bootstrap half-widths."""
    sens = data.get("sensitivity")
    if not sens:
        fig = _figure(2.0)
        _message(fig.add_subplot(), data.get("sensitivity_note") or "No sensitivity analysis.")
        return fig
    s = sens["sobol"]
    params = list(s["parameters"])
    fig = _figure(1.6 + 0.5 * max(1, len(params)))
    axes = fig.subplots(1, 2, sharey=True)
    ys = list(range(len(params)))[::-1]
    labels = [_param_label(p) for p in params]
    for ax, key, title in (
        (axes[0], "agreement", "P(agreement) at a point"),
        (axes[1], "settlement", f"median {s['issue']} at a point"),
    ):
        out = s["outputs"].get(key) or {}
        idx = out.get("indices") or []
        usable = [i for i in idx if i.get("S1") is not None and i.get("ST") is not None]
        ax.set_title(title, loc="left")
        ax.set_yticks(ys, labels)
        if not usable:
            note = textwrap.fill(str(out.get("note") or "not computed"), 45)
            ax.text(
                0.5,
                0.5,
                _t(note),
                ha="center",
                va="center",
                transform=ax.transAxes,
                color=COLORS["neutral"],
                fontsize=7,
            )
            ax.set_xlim(0.0, 1.0)
            ax.set_xticks([])
            continue
        by = {i["parameter"]: i for i in idx}
        s1 = [float(by[p]["S1"] or 0.0) for p in params]
        st = [float(by[p]["ST"] or 0.0) for p in params]
        s1e = [float(by[p]["S1_conf"] or 0.0) for p in params]
        ste = [float(by[p]["ST_conf"] or 0.0) for p in params]
        ax.barh(
            [y + 0.18 for y in ys], s1, height=0.34, xerr=s1e, color=COLORS["party0"], capsize=2
        )
        ax.barh(
            [y - 0.18 for y in ys], st, height=0.34, xerr=ste, color=COLORS["accent"], capsize=2
        )
        right = max([1.0, *(a + b for a, b in zip(st, ste, strict=True))])
        ax.set_xlim(min(0.0, *(a - b for a, b in zip(s1, s1e, strict=True))), right)
        ax.axvline(0.0, color="black", linewidth=0.8)
        ax.set_xlabel("index (share of variance)")
        ax.grid(axis="y", visible=False)
    handles = [
        Patch(color=COLORS["party0"], label="first order S1"),
        Patch(color=COLORS["accent"], label="total ST"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=2)
    fig.suptitle(
        f"Sobol' indices (Saltelli design, {s['n_base']} base samples, "
        f"{s['sessions_per_point']} sessions per point)",
        fontsize=9,
    )
    return fig
