"""Every chart renders a Figure with the expected axes and labels: for the flagship and for the
edge cases (no zone of agreement, no agreement in the whole ensemble, several issues, no actors
and no uncertain belief)."""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

import burdenshare.report as report
from burdenshare.report import (
    CHARTS,
    combined_spread_chart,
    offers_chart,
    outcomes_chart,
    p_deal_chart,
    positions_chart,
    render_charts,
    settlement_chart,
    sobol_chart,
    tornado_chart,
    utility_space_chart,
)
from burdenshare.services.report import report_data

SMALL = {"sensitivity_n": 400, "sensitivity_n_base": 16}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("store") / "runs.duckdb"


@pytest.fixture(scope="module")
def flagship(store: Path) -> dict[str, Any]:
    return report_data("us-rok-sma-2019", store=store, n=3000, **SMALL)


@pytest.fixture(scope="module")
def multi_issue(store: Path) -> dict[str, Any]:
    return report_data("us-rok-sma-2021", store=store, n=1000, **SMALL)


@pytest.fixture(scope="module")
def pie(store: Path) -> dict[str, Any]:
    """split-the-pie: no actors and no uncertain belief."""
    return report_data("split-the-pie", store=store, n=200, **SMALL)


@pytest.fixture
def no_agreements(flagship: dict[str, Any]) -> dict[str, Any]:
    """The flagship as if no session of the ensemble had agreed."""
    data = copy.deepcopy(flagship)
    summary = data["ensemble"]["summary"]
    total = summary["n_sessions"]
    zero = {"estimate": 0.0, "se": 0.0, "count": 0}
    summary["p_agreement"] = dict(zero)
    summary["p_agreement_by_date"] = [{**row, **zero} for row in summary["p_agreement_by_date"]]
    summary["outcomes"]["agreement"] = dict(zero)
    summary["outcomes"]["deadline"]["count"] += total - sum(
        o["count"] for o in summary["outcomes"].values()
    )
    for st in summary["settlement"].values():
        st.update(n_agreements=0, mean=None, mean_display=None)
        st["quantiles"] = {q: {"value": None, "se": None} for q in st["quantiles"]}
    data["ensemble"]["settlement_histograms"] = {
        iid: {"n": 0, "edges": [], "counts": [], "integer": False}
        for iid in data["ensemble"]["settlement_histograms"]
    }
    data["sessions"] = [s for s in data["sessions"] if s["outcome"] != "agreement"]
    return data


def texts(fig: Figure) -> str:
    """Every piece of text in the figure (labels, titles, ticks, legends), one per line."""
    return "\n".join(t.get_text() for t in fig.findobj(Text) if t.get_text())


def drawn(fig: Figure) -> Figure:
    """Lay out and draw the figure (without rasterising) so draw-time errors surface."""
    assert isinstance(fig, Figure)
    fig.draw_without_rendering()
    return fig


def test_public_names_are_pinned() -> None:
    assert sorted(report.__all__) == sorted(
        [
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
    )
    assert [c.id for c in CHARTS] == [
        "positions",
        "utility_space",
        "offers",
        "p_deal_by_date",
        "deadline_beliefs",
        "settlement",
        "outcomes",
        "tornado",
        "sobol",
        "combined_spread",
    ]
    assert all(c.caption for c in CHARTS)


def test_positions_of_the_flagship(flagship: dict[str, Any]) -> None:
    fig = drawn(positions_chart(flagship))
    ax = fig.axes[0]
    assert ax.get_xlabel() == "contribution (KRW billion)"
    words = texts(fig)
    assert "USD billion (at 1,126 KRW/USD)" in words  # money in both currencies
    assert "ratifier" in words
    assert "National Assembly" in words
    assert "gap: no zone of agreement" in words  # the flagship has no zone
    assert "\nzone of agreement\n" not in f"\n{words}\n"
    assert r"walk-away ₩1,646.9bn (\$1.463bn)" in words  # `$` kept literal, not mathtext
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "US",
        "ROK",
        "ROK ratifier\n(National Assembly)",
        "actors",
    ]


def test_utility_space_without_a_zone(flagship: dict[str, Any]) -> None:
    fig = drawn(utility_space_chart(flagship))
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("utility of US")
    assert ax.get_ylabel().startswith("utility of ROK")
    words = texts(fig)
    assert "Pareto frontier (of all outcomes)" in words
    assert "no solution point" in words
    assert ax.get_xlim()[1] == pytest.approx(1.05)


def test_offers_p_deal_and_outcomes_of_the_flagship(flagship: dict[str, Any]) -> None:
    fig = drawn(offers_chart(flagship))
    assert fig.axes[0].get_ylabel() == "contribution (KRW billion)"
    words = texts(fig)
    assert "session 0:" in words
    assert "US walk-away (central)" in words
    fig = drawn(p_deal_chart(flagship))
    assert fig.axes[0].get_ylabel() == "P(agreement by date)"
    assert "deadline" in texts(fig)
    assert "actual: no deal by 2020-12-31" in texts(fig)
    fig = drawn(outcomes_chart(flagship))
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["agreement", "breakdown", "no deal by the last round", "ratification failure"]


def test_sensitivity_charts_of_the_flagship(flagship: dict[str, Any]) -> None:
    fig = drawn(tornado_chart(flagship))
    words = texts(fig)
    assert "P(agreement)" in words
    assert "belief at its 10% quantile" in words
    assert "ROK: contribution reservation" in words
    fig = drawn(sobol_chart(flagship))
    assert "first order S1" in texts(fig)
    assert "total ST" in texts(fig)


def test_no_agreement_in_the_whole_ensemble(no_agreements: dict[str, Any]) -> None:
    fig = drawn(settlement_chart(no_agreements))
    assert "No session reached an agreement (0 of 3,000)" in texts(fig)
    fig = drawn(p_deal_chart(no_agreements))
    assert "P(deal) by the last round: 0.0%" in texts(fig)
    fig = drawn(outcomes_chart(no_agreements))
    assert "0.0% (0)" in texts(fig)
    drawn(offers_chart(no_agreements))


def test_no_sessions_at_all(flagship: dict[str, Any]) -> None:
    data = {**flagship, "sessions": []}
    assert "No sample session" in texts(drawn(offers_chart(data)))


def test_multi_issue_scenario(multi_issue: dict[str, Any]) -> None:
    fig = drawn(positions_chart(multi_issue))
    panels = [ax for ax in fig.axes if ax.get_xlabel()]
    assert [ax.get_xlabel() for ax in panels[:2]] == [
        "contribution (KRW billion)",
        "duration (years)",
    ]
    assert "zone of agreement" in texts(fig)
    fig = drawn(settlement_chart(multi_issue))
    xlabels = [ax.get_xlabel() for ax in fig.axes]
    assert "contribution (KRW billion)" in xlabels
    assert "duration (years)" in xlabels
    fig = drawn(offers_chart(multi_issue))
    assert {ax.get_ylabel() for ax in fig.axes} >= {
        "contribution (KRW billion)",
        "duration (years)",
    }
    fig = drawn(utility_space_chart(multi_issue))
    words = texts(fig)
    assert "Nash bargaining solution" in words
    assert "actual deal" in words
    assert "zoom: acceptable outcomes" in words


def test_no_actors_and_no_uncertain_beliefs(pie: dict[str, Any]) -> None:
    assert pie["forecasts"] is None
    assert "actors" in pie["forecasts_note"]
    assert pie["sensitivity"] is None
    for chart in (tornado_chart, sobol_chart):
        assert "no uncertain parameter" in texts(drawn(chart(pie)))
    fig = drawn(positions_chart(pie))
    assert fig.axes[0].get_xlabel() == "share"
    assert "actors" not in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    for fig in render_charts(pie).values():
        drawn(fig)


def test_every_chart_renders_to_svg(flagship: dict[str, Any]) -> None:
    for name, fig in render_charts(flagship).items():
        buf = io.StringIO()
        fig.savefig(buf, format="svg")
        assert len(buf.getvalue()) > 1000, name


def test_the_spread_chart_shows_every_model_and_the_combined_forecast(
    multi_issue: dict[str, Any],
) -> None:
    """One dot per prediction (solutions, forecasting models, the ensemble), the actual deal;
    with combination weights (the test fixture), the combined point and its 80% interval."""
    from burdenshare.forecasting.combined import load_combination
    from burdenshare.services.combined import combined_entry

    entry = multi_issue["combined"]
    preds = entry["predictions"]
    assert "forecast:compromise" in preds
    assert "solution:nash" in preds
    assert any(k.startswith("ensemble:") for k in preds)
    fig = drawn(combined_spread_chart(multi_issue))
    ax = fig.axes[0]
    labels = [t.get_text().split("  (")[0] for t in ax.get_yticklabels()]  # "name  (40%)"
    assert sorted(labels) == sorted(preds)
    assert "actual deal" in texts(fig)
    assert "No combined forecast" in texts(fig) or entry["available"]
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "combination-fixture.json"
    data = copy.deepcopy(multi_issue)
    from burdenshare.scenario.io import load_scenario
    from burdenshare.scenario.library import bundled_path

    sc = load_scenario(bundled_path("us-rok-sma-2021")).scenario
    data["combined"] = combined_entry(sc, preds, load_combination(fixture))
    fig = drawn(combined_spread_chart(data))
    shown = texts(fig)
    assert "combined forecast" in shown
    assert "80% interval" in shown
    assert "solution:nash  (40%)" in shown


def test_the_spread_chart_without_predictions(pie: dict[str, Any]) -> None:
    """split-the-pie's solutions forecast a share: the chart still draws them; with nothing at
    all it says so."""
    drawn(combined_spread_chart(pie))
    empty = {**pie, "combined": None}
    assert "nothing to combine" in texts(drawn(combined_spread_chart(empty)))
