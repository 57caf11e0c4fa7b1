"""A tournament as a chart: the ranking, then where each pair's agreements land on each domain.

Top left: each negotiator's mean utility with a 95% interval (mean ± 1.96 se) and its agreement
rate; top right: the mean social welfare of its sessions and the mean relative time of its
agreements, each with its 95% interval. Every interval is over distinct observations (copies of a
deterministic session count once; :mod:`burdenshare.tournament.ranking`). Below, one panel per
domain (at most :data:`MAX_PANELS`): the Pareto frontier's points, the Nash, Kalai-Smorodinsky
and Kalai points, the disagreement point, and for every ordered pair the mean undiscounted
utilities of its agreements (one marker per pair, coloured by negotiator A, shaped by negotiator
B), the picture ANAC reports draw of how close agents land to the frontier (Baarslag et al. 2013,
fig. 6).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure

from burdenshare.engine import OUTCOMES
from burdenshare.report.plots import COLORS, style_context
from burdenshare.tournament.reference import DomainReference

__all__ = ["MAX_PANELS", "tournament_figure"]

#: most domain panels drawn (the ranking covers every domain)
MAX_PANELS = 12
_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#555555", "#F0E442")
_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "<", ">", "h")


def tournament_figure(
    summary: Mapping[str, Any],
    references: Mapping[str, DomainReference],
    cols: Mapping[str, npt.NDArray[Any]],
) -> Figure:
    """The chart of a finished tournament (its summary, each domain's reference points, and the
    stored per-session columns). Only the domains in ``references`` get a panel (the
    two-party ones: a domain with three or more parties is in the ranking, not drawn)."""
    ranking = summary["ranking"]
    names = [r["negotiator"] for r in ranking]
    order = sorted(names)
    drawn = [d["name"] for d in summary["domains"] if d["name"] in references]
    domains = drawn[:MAX_PANELS]
    ncols = min(4, max(1, len(domains)))
    nrows = math.ceil(len(domains) / ncols)
    agreed = np.asarray(cols["outcome"]) == OUTCOMES.index("agreement")
    with style_context():
        fig = Figure(figsize=(max(3.2 * ncols, 9.0), 2.6 + 2.9 * nrows), layout="constrained")
        grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=(0.9, *([1.0] * nrows)))
        top = grid[0, :].subgridspec(1, 2, width_ratios=(3, 2))
        pax = fig.add_subplot(top[0, 0])
        _ranking(pax, ranking)
        _welfare(fig.add_subplot(top[0, 1]), ranking)
        for k, dom in enumerate(domains):
            pax = fig.add_subplot(grid[1 + k // ncols, k % ncols])
            _domain(pax, dom, references[dom], cols, agreed, order)
            if k == 0:
                pax.legend(fontsize="x-small", loc="best")
        handles = [
            pax.scatter([], [], color=_PALETTE[i % len(_PALETTE)], marker="s", label=f"A: {n}")
            for i, n in enumerate(order)
        ] + [
            pax.scatter(
                [], [], color=COLORS["neutral"], marker=_MARKERS[i % len(_MARKERS)], label=f"B: {n}"
            )
            for i, n in enumerate(order)
        ]
        if domains:
            fig.legend(
                handles=handles,
                loc="outside lower center",
                ncols=min(8, len(handles)),
                fontsize="small",
            )
        if len(drawn) < len(summary["domains"]):
            fig.suptitle(
                f"{len(domains)} of {len(summary['domains'])} domains shown (two-party domains "
                "only)",
                fontsize="small",
            )
        elif len(summary["domains"]) > MAX_PANELS:
            fig.suptitle(
                f"first {MAX_PANELS} of {len(summary['domains'])} domains shown", fontsize="small"
            )
    return fig


def _interval(r: Mapping[str, Any], key: str) -> float:
    """1.96 standard errors of ranking entry ``r``'s ``key`` (0 when undefined)."""
    se = r.get(f"se_{key}")
    return 0.0 if se is None or not math.isfinite(float(se)) else 1.96 * float(se)


def _value(r: Mapping[str, Any], key: str) -> float:
    v = r.get(key)
    return math.nan if v is None else float(v)


def _welfare(ax: Any, ranking: Sequence[Mapping[str, Any]]) -> None:
    """Mean social welfare per negotiator (bars) and the mean relative time of its agreements
    (diamonds, top axis), both with 95% intervals over distinct observations."""
    y = np.arange(len(ranking))[::-1]
    welfare = np.array([_value(r, "welfare") for r in ranking])
    ax.barh(
        y,
        np.nan_to_num(welfare),
        xerr=[_interval(r, "welfare") for r in ranking],
        color=COLORS["party1"],
        alpha=0.8,
    )
    ax.set_yticks(y, [r["negotiator"] for r in ranking])
    ax.set_xlabel("mean social welfare (both scores; 95% interval)")
    ax.set_title("Welfare and time of agreement")
    top = ax.twiny()
    times = np.array([_value(r, "agreement_time") for r in ranking])
    ok = np.isfinite(times)
    if ok.any():
        top.errorbar(
            times[ok],
            y[ok],
            xerr=np.array([_interval(r, "agreement_time") for r in ranking])[ok],
            fmt="D",
            color=COLORS["accent"],
            markersize=5,
        )
    top.set_xlim(0.0, 1.05)
    top.set_xlabel("time of agreement (relative, 0-1)", fontsize="small", color=COLORS["accent"])


def _ranking(ax: Any, ranking: Sequence[Mapping[str, Any]]) -> None:
    y = np.arange(len(ranking))[::-1]
    means = np.array([r["mean_utility"] for r in ranking], dtype=float)
    se = np.array([r["se_utility"] if r["se_utility"] is not None else 0.0 for r in ranking])
    ax.barh(y, means, xerr=1.96 * np.nan_to_num(se), color=COLORS["party0"], alpha=0.8)
    ax.set_yticks(y, [f"{r['rank']}. {r['negotiator']}" for r in ranking])
    ends = means + 1.96 * np.nan_to_num(se)
    for yi, end, r in zip(y, ends, ranking, strict=True):
        ax.annotate(
            f"  {100 * r['agreement_rate']:.0f}% agreements",
            (max(float(end), 0.0), yi),
            va="center",
            fontsize="small",
            color=COLORS["neutral"],
        )
    ax.set_xlim(min(0.0, float(np.nanmin(means)) * 1.1), max(1e-9, float(np.nanmax(ends))) * 1.25)
    ax.set_xlabel("mean utility (own, discounted; 95% interval)")
    ax.set_title("Ranking")


def _domain(
    ax: Any,
    name: str,
    ref: DomainReference,
    cols: Mapping[str, npt.NDArray[Any]],
    agreed: npt.NDArray[np.bool_],
    order: Sequence[str],
) -> None:
    ax.plot(
        ref.frontier_u1, ref.frontier_u2, ".", color=COLORS["light"], markersize=3, label="Pareto"
    )
    ax.plot(*ref.disagreement, "x", color=COLORS["gap"], label="disagreement")
    if ref.nash is not None:
        ax.plot(*ref.nash, "*", color=COLORS["accent"], markersize=11, label="Nash")
    if ref.kalai_smorodinsky is not None:
        ax.plot(*ref.kalai_smorodinsky, "+", color=COLORS["neutral"], markersize=10, label="KS")
    if ref.kalai is not None:
        ax.plot(*ref.kalai, "1", color=COLORS["purple"], markersize=10, label="Kalai")
    on = (np.asarray(cols["domain"]).astype(str) == name) & agreed
    a = np.asarray(cols["negotiator_a"]).astype(str)
    b = np.asarray(cols["negotiator_b"]).astype(str)
    for i, na in enumerate(order):
        for j, nb in enumerate(order):
            sel = on & (a == na) & (b == nb)
            if sel.any():
                ax.scatter(
                    [float(np.mean(cols["utility_a"][sel]))],
                    [float(np.mean(cols["utility_b"][sel]))],
                    color=_PALETTE[i % len(_PALETTE)],
                    marker=_MARKERS[j % len(_MARKERS)],
                    s=34,
                    alpha=0.8,
                    edgecolors="white",
                    linewidths=0.5,
                    zorder=3,
                )
    ax.set_title(name, fontsize="small")
    ax.set_xlabel("u(first party)", fontsize="small")
    ax.set_ylabel("u(second party)", fontsize="small")
