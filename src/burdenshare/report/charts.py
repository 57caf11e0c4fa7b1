"""Every chart of the report, in report order: :data:`CHARTS` and :func:`render_charts`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.figure import Figure

from burdenshare.report.combined_plots import combined_spread_chart
from burdenshare.report.deadline_plots import deadline_beliefs_chart
from burdenshare.report.multilateral_plots import utility_profiles_chart
from burdenshare.report.plots import (
    Data,
    offers_chart,
    outcomes_chart,
    p_deal_chart,
    positions_chart,
    settlement_chart,
    sobol_chart,
    tornado_chart,
    utility_space_chart,
)

__all__ = ["CHARTS", "ChartSpec", "render_charts"]


@dataclass(frozen=True)
class ChartSpec:
    """One chart of the report: its id (file name and HTML anchor), title and section."""

    id: str
    title: str
    section: str
    draw: Callable[[Data], Figure]
    #: drawn instead of ``draw`` for a scenario of more than two parties (``None``: ``draw``)
    multilateral: Callable[[Data], Figure] | None = None

    def drawer(self, data: Data) -> Callable[[Data], Figure]:
        """The function that draws the chart of ``data``."""
        if self.multilateral is not None and len(data["utility_space"]["parties"]) > 2:
            return self.multilateral
        return self.draw

    @property
    def caption(self) -> str:
        """How to read the chart: its function's docstring as one paragraph."""
        return " ".join((self.draw.__doc__ or "").split())

    def caption_for(self, data: Data) -> str:
        """:attr:`caption` of the function that draws the chart of ``data``."""
        return " ".join((self.drawer(data).__doc__ or "").split())


#: every chart, in report order
CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "positions", "Positions, walk-away beliefs and the zone", "positions", positions_chart
    ),
    ChartSpec(
        "utility_space",
        "Utility space",
        "utility-space",
        utility_space_chart,
        multilateral=utility_profiles_chart,
    ),
    ChartSpec("offers", "Offers in sample sessions", "sessions", offers_chart),
    ChartSpec("p_deal_by_date", "P(deal by date)", "ensemble", p_deal_chart),
    ChartSpec(
        "deadline_beliefs", "Deal date by believed deadline", "ensemble", deadline_beliefs_chart
    ),
    ChartSpec("settlement", "Settlements", "ensemble", settlement_chart),
    ChartSpec("outcomes", "How sessions end", "ensemble", outcomes_chart),
    ChartSpec("tornado", "Tornado: one belief at a time", "sensitivity", tornado_chart),
    ChartSpec("sobol", "Sobol' indices", "sensitivity", sobol_chart),
    ChartSpec("combined_spread", "The spread across models", "combined", combined_spread_chart),
)


def render_charts(data: Data) -> dict[str, Figure]:
    """Every chart of :data:`CHARTS` for ``data``, keyed by chart id."""
    return {spec.id: spec.drawer(data)(data) for spec in CHARTS}
