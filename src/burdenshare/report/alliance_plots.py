"""Charts of the public-goods model of alliances: matplotlib Figures, no pyplot state (as in
:mod:`burdenshare.report.plots`).

- :func:`exploitation_chart`: Spearman's rho of size and burden by year, one line per NATO
  edition with its bootstrap interval (a band; error bars where the years are not
  consecutive), and the latest year's allies (GDP on a log axis against defence as % of GDP).
- :func:`equilibrium_chart`: each ally's equilibrium burden against its income.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from burdenshare.alliance.records import Equilibrium, ExploitationTest
from burdenshare.report.plots import COLORS, style_context

__all__ = ["equilibrium_chart", "exploitation_chart"]

_EDITION_COLORS = (COLORS["party0"], COLORS["party1"], COLORS["zone"], COLORS["purple"])


def exploitation_chart(result: ExploitationTest) -> Figure:
    """Rho by year (with its interval) per edition, and the latest year's size against burden."""
    with style_context():
        fig = Figure(figsize=(10.0, 4.2), layout="constrained")
        ax, axs = fig.subplots(1, 2, width_ratios=(3, 2))
        editions = list(dict.fromkeys(t.edition for t in result.years))
        for k, edition in enumerate(editions):
            tests = [t for t in result.years if t.edition == edition]
            color = _EDITION_COLORS[k % len(_EDITION_COLORS)]
            years = [t.year for t in tests]
            rhos = [t.test.rho for t in tests]
            lows = [t.test.ci_low for t in tests]
            highs = [t.test.ci_high for t in tests]
            # a band and a line join consecutive years only (June 2024 has 2014 and 2024 only)
            if years == list(range(years[0], years[-1] + 1)):
                ax.fill_between(years, lows, highs, color=color, alpha=0.15, linewidth=0)
                ax.plot(years, rhos, marker="o", color=color, label=edition)
            else:
                ax.errorbar(
                    years,
                    rhos,
                    yerr=[
                        [r - lo for r, lo in zip(rhos, lows, strict=True)],
                        [hi - r for r, hi in zip(rhos, highs, strict=True)],
                    ],
                    fmt="o",
                    color=color,
                    capsize=3,
                    label=edition,
                )
            for t in tests:
                if t.estimate:
                    ax.plot(t.year, t.test.rho, marker="o", mfc="white", color=color)
        ax.axhline(0.0, color=COLORS["neutral"], linewidth=0.8)
        ax.set_ylim(-1.0, 1.0)
        ax.set_xlabel("year (hollow: NATO estimate)")
        ax.set_ylabel("Spearman's rho, GDP vs defence % of GDP")
        ax.set_title(f"Exploitation hypothesis by year ({result.allies})")
        ax.legend(title="NATO edition")
        latest = max(result.years, key=lambda t: (t.edition == editions[-1], t.year))
        axs.scatter(latest.sizes, latest.burdens, color=COLORS["party0"], s=14)
        for name, x, y in zip(latest.allies, latest.sizes, latest.burdens, strict=True):
            axs.annotate(name, (x, y), fontsize=6, xytext=(2, 2), textcoords="offset points")
        axs.set_xscale("log")
        axs.set_xlabel("GDP, US$ m (NATO 2026 edition, log scale)")
        axs.set_ylabel("defence, % of GDP")
        axs.set_title(f"{latest.year}, edition {latest.edition}: rho = {latest.test.rho:.2f}")
    return fig


def equilibrium_chart(eq: Equilibrium) -> Figure:
    """Each ally's equilibrium burden (spending / income) against its income."""
    with style_context():
        fig = Figure(figsize=(6.0, 4.0), layout="constrained")
        ax = fig.subplots()
        ax.scatter(eq.incomes, eq.burdens, color=COLORS["party0"])
        for name, x, y in zip(eq.names, eq.incomes, eq.burdens, strict=True):
            ax.annotate(name, (x, y), fontsize=7, xytext=(2, 2), textcoords="offset points")
        ax.set_xlabel("income")
        ax.set_ylabel("equilibrium burden (spending / income)")
        ax.set_title(f"Nash equilibrium, private share {eq.private_share:g}: Q = {eq.total:.4g}")
    return fig
