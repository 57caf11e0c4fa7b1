"""Downstream of one session, every party (issue 14): negotiators per party in the ensemble, the
sensitivity analysis, the what-if, the deadline sweep and a resumed run; the report's utility
chart of one row per party; the words a run's negotiators are shown in. None of these needs the
N-party engine: they stop before a session is played, or draw from analysis data."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from matplotlib.figure import Figure

from burdenshare import services
from burdenshare.ensemble import sobol, tornado
from burdenshare.ensemble.deadline_sweep import deadline_sweep
from burdenshare.ensemble.resume import check_resume_arguments
from burdenshare.errors import ScenarioError, SimulationError
from burdenshare.negotiation.cast import negotiators_in_words
from burdenshare.report.charts import CHARTS
from burdenshare.report.multilateral_plots import utility_profiles_chart
from burdenshare.report.plots import utility_space_chart
from burdenshare.services.combined import ensemble_member
from burdenshare.services.report import _reproduce, _utility_space
from burdenshare.services.whatif import replay, store_run, whatif

THREE = "us-japan-rok-trilateral"
TWENTY_EIGHT = "nato-wales-2014"


def test_the_words_for_a_cast() -> None:
    assert negotiators_in_words(["boulware", "boulware"]) == "boulware vs boulware"
    assert negotiators_in_words(["linear"] * 28) == "linear for all 28 parties"
    assert negotiators_in_words(["a", "b", "a"]) == "a, b, a (in listing order)"


def test_the_ensemble_member_of_one_negotiator_for_all() -> None:
    assert ensemble_member(["linear"] * 3) == "ensemble:linear"
    assert ensemble_member(["linear", "boulware", "linear"]) == "ensemble:linear/boulware/linear"
    assert ensemble_member(["linear", "conceder"]) == "ensemble:linear/conceder"


def test_an_ensemble_of_three_parties_refuses_two_negotiators(tmp_path: Any) -> None:
    with pytest.raises(ScenarioError, match="one negotiator \\(for all 3 parties\\) or 3") as e:
        services.ensemble(THREE, n=10, negotiators=["linear", "boulware"], store=tmp_path / "s")
    assert e.value.field == "--negotiator"


def test_a_bilateral_ensemble_keeps_its_message(tmp_path: Any) -> None:
    with pytest.raises(ScenarioError, match="one negotiator \\(for both parties\\) or two"):
        services.ensemble("split-the-pie", n=10, negotiators=["linear"] * 3, store=tmp_path / "s")


def test_the_sensitivity_analysis_wants_one_negotiator_per_party() -> None:
    sc = services.load(THREE).scenario
    for analysis in (tornado, sobol):
        with pytest.raises(SimulationError, match="give 3 negotiators \\(one per party\\)"):
            analysis(sc, ["boulware", "boulware"])
    two = services.load("us-rok-sma-2019").scenario
    with pytest.raises(SimulationError, match="give two negotiators \\(one per party\\)"):
        tornado(two, ["boulware"] * 3)


def test_the_deadline_sweep_wants_one_negotiator_per_party() -> None:
    sc = services.load(THREE).scenario
    with pytest.raises(SimulationError, match="give 3 negotiators"):
        deadline_sweep(sc, ["boulware", "boulware"], n=10)


@pytest.mark.parametrize("call", [whatif, store_run, replay])
def test_the_whatif_counts_the_parties(call: Any) -> None:
    with pytest.raises(ScenarioError) as e:
        call(THREE, negotiators=["linear", "boulware"])
    assert e.value.field == "negotiators"
    assert "one negotiator name or 3 (one per party)" in str(e.value)


def test_the_bilateral_whatif_keeps_its_message() -> None:
    with pytest.raises(ScenarioError, match="give one negotiator name or two"):
        whatif("us-rok-sma-2019", negotiators=["linear"] * 3, n=10)


def test_a_resumed_run_takes_one_name_for_every_party() -> None:
    record = SimpleNamespace(
        id="0123456789ab", seed=0, scenario_sha256="x", parameters={"negotiators": ["linear"] * 3}
    )
    check_resume_arguments(record, {"negotiators": ["linear"]})
    check_resume_arguments(record, {"negotiators": ["linear"] * 3})
    with pytest.raises(ScenarioError, match="another value"):
        check_resume_arguments(record, {"negotiators": ["boulware"]})


def _record(negotiators: list[str]) -> Any:
    return SimpleNamespace(
        id="0123456789ab",
        seed=7,
        version="x",
        scenario_id=THREE,
        scenario_sha256="x",
        created_at="now",
        n_sessions_planned=100,
        parameters={"n": 100, "method": "mc", "negotiators": negotiators},
    )


def test_the_reproduce_command_names_each_party_once_or_all_at_once() -> None:
    same = _reproduce(_record(["linear"] * 3), THREE, ("linear",) * 3)["command"]
    assert same.endswith("-n 100 --seed 7 -N linear")
    mixed = _reproduce(_record(["a", "b", "c"]), THREE, ("a", "b", "c"))["command"]
    assert mixed.endswith("-N a -N b -N c")
    two = _reproduce(_record(["x", "x"]), "s", ("x", "x"))["command"]
    assert two.endswith("-N x -N x")  # bilateral: as before


@pytest.fixture(scope="module")
def profiles() -> dict[str, Any]:
    analysis = services.analyze(THREE)
    return _utility_space(analysis, analysis.to_dict())


def test_three_parties_get_a_utility_profile_not_a_plane(profiles: dict[str, Any]) -> None:
    assert profiles["multilateral"] is True
    assert profiles["parties"] == ["US", "Japan", "ROK"]
    assert "points" not in profiles
    assert "frontier" not in profiles
    for s in profiles["solutions"]:
        assert set(s["utilities"]) == {"US", "Japan", "ROK"}
    # every solution of the deals acceptable to all lies in each party's Pareto range
    for name, (lo, hi) in profiles["pareto_range"].items():
        assert lo <= hi
        nash = next(s for s in profiles["solutions"] if s["concept"] == "nash")
        assert lo - 1e-9 <= nash["utilities"][name] <= hi + 1e-9


def test_the_bilateral_utility_space_keeps_its_keys() -> None:
    analysis = services.analyze("us-rok-sma-2019")
    space = _utility_space(analysis, analysis.to_dict())
    assert "multilateral" not in space
    assert {"points", "frontier", "acceptable", "frontier_scope"} <= set(space)


def test_the_profile_chart_draws_a_row_per_party(profiles: dict[str, Any]) -> None:
    data = {"utility_space": profiles}
    spec = next(s for s in CHARTS if s.id == "utility_space")
    assert spec.drawer(data) is utility_profiles_chart
    assert spec.caption_for(data).startswith("Each party's utility at each solution")
    fig = spec.drawer(data)(data)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["US", "Japan", "ROK"]
    labels = {t.get_text() for t in fig.legends[0].get_texts()}
    assert {s["label"] for s in profiles["solutions"]} <= labels


def test_twenty_eight_allies_in_one_chart() -> None:
    analysis = services.analyze(TWENTY_EIGHT)
    data = {"utility_space": _utility_space(analysis, analysis.to_dict())}
    fig = utility_profiles_chart(data)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == list(services.load(TWENTY_EIGHT).scenario.party_names)
    assert fig.get_size_inches()[1] < 12  # a row of 0.3 inch per ally, not a page per ally


def test_two_parties_still_get_the_plane() -> None:
    analysis = services.analyze("us-rok-sma-2019")
    data = {"utility_space": _utility_space(analysis, analysis.to_dict())}
    spec = next(s for s in CHARTS if s.id == "utility_space")
    assert spec.drawer(data) is utility_space_chart
    assert spec.caption_for(data) == spec.caption


def test_no_acceptable_deal_is_said_in_words(profiles: dict[str, Any]) -> None:
    empty = {**profiles, "solutions": [], "pareto_range": dict.fromkeys(profiles["parties"])}
    fig = utility_profiles_chart({"utility_space": empty})
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "No deal all 3 parties prefer to walking away" in texts
