"""The HTML report and its charts: pure, results in, files out.

:mod:`.plots` draws each chart from the data :func:`burdenshare.services.report.report_data`
returns, :mod:`.html` assembles the self-contained HTML file, :mod:`.export` writes every chart as
PNG and SVG. Nothing here runs a model or opens the run store; :mod:`burdenshare.services.report`
does that.
"""

from __future__ import annotations

from burdenshare.report.charts import CHARTS, ChartSpec, render_charts
from burdenshare.report.combined_plots import combined_spread_chart
from burdenshare.report.deadline_plots import deadline_beliefs_chart
from burdenshare.report.export import EXPORT_FORMATS, export_charts, figure_png, figure_svg
from burdenshare.report.html import SECTIONS, inline_svg, render_html, write_html
from burdenshare.report.plots import (
    STYLE,
    offers_chart,
    outcomes_chart,
    p_deal_chart,
    positions_chart,
    settlement_chart,
    sobol_chart,
    style_context,
    tornado_chart,
    utility_space_chart,
)

__all__ = [
    "CHARTS",
    "EXPORT_FORMATS",
    "SECTIONS",
    "STYLE",
    "ChartSpec",
    "combined_spread_chart",
    "deadline_beliefs_chart",
    "export_charts",
    "figure_png",
    "figure_svg",
    "inline_svg",
    "offers_chart",
    "outcomes_chart",
    "p_deal_chart",
    "positions_chart",
    "render_charts",
    "render_html",
    "settlement_chart",
    "sobol_chart",
    "style_context",
    "tornado_chart",
    "utility_space_chart",
    "write_html",
]
