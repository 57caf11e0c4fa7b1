"""The deadline sweep (:mod:`burdenshare.ensemble.deadline_sweep`) and its chart.

Known value: a point of the sweep is, session for session, the ensemble of a scenario that fixes
both parties' ``deadline_belief`` at that date (same ``n`` and seed): the sweep only overrides the
belief through the field path an ensemble draws.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from matplotlib.figure import Figure

from burdenshare.ensemble.deadline_sweep import deadline_sweep, default_beliefs
from burdenshare.errors import SimulationError
from burdenshare.negotiation.state import last_chance
from burdenshare.report import deadline_beliefs_chart
from burdenshare.scenario.library import bundled_path
from burdenshare.services.core import ensemble, load

SCENARIO = "us-rok-sma-2021"


def test_a_point_is_the_ensemble_with_that_belief(tmp_path: Path) -> None:
    sc = load(SCENARIO).scenario
    belief = dt.date(2021, 6, 1)
    sweep = deadline_sweep(sc, ["boulware", "conceder"], n=3000, seed=7, beliefs=[belief])
    raw = yaml.safe_load(bundled_path(SCENARIO).read_text(encoding="utf-8"))
    for party in raw["parties"].values():
        party["deadline_belief"] = belief.isoformat()
    path = tmp_path / "fixed-belief.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    result = ensemble(
        str(path),
        n=3000,
        seed=7,
        negotiators=["boulware", "conceder"],
        store=tmp_path / "store.duckdb",
    )
    rows = result.summary["p_agreement_by_date"]
    (point,) = sweep.points
    assert [r["estimate"] for r in rows] == pytest.approx(list(point.p_by_date), abs=0.0)
    assert point.p_agreement == result.summary["p_agreement"]["estimate"]
    assert point.days == (belief - sc.protocol.start).days


def test_default_beliefs_give_distinct_last_chances_up_to_the_deadline_and_the_last_round() -> None:
    for name in ("us-rok-sma-2019", SCENARIO):
        sc = load(name).scenario
        beliefs = default_beliefs(sc)
        dates = sc.protocol.round_dates()
        chances = [last_chance(dates, b) for b in beliefs]
        assert list(beliefs) == sorted(set(beliefs))
        assert len(set(chances)) == len(chances)  # every line differs in its last chance
        assert last_chance(dates, sc.protocol.deadline) in chances
        assert dates[-1] in chances
        assert all(b > sc.protocol.start for b in beliefs)
    flagship = load("us-rok-sma-2019").scenario
    # the deadline (31 Dec 2019) falls after the second round: its last chance is 17 Dec
    assert default_beliefs(flagship) == (dt.date(2019, 12, 17), dt.date(2020, 12, 15))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "1 to 1,000,000 sessions"),
        ({"beliefs": [dt.date(2020, 1, 1)]}, "after protocol.start"),
        ({"beliefs": [dt.date(2021, 3, 1) + dt.timedelta(days=i) for i in range(13)]}, "1 to 12"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, object], message: str) -> None:
    sc = load(SCENARIO).scenario
    with pytest.raises(SimulationError, match=message):
        deadline_sweep(sc, ["boulware", "boulware"], **kwargs)  # type: ignore[arg-type]


def test_chart_draws_each_belief_and_says_why_when_there_is_none() -> None:
    sc = load(SCENARIO).scenario
    sweep = deadline_sweep(sc, ["boulware", "boulware"], n=500, seed=1)
    fig = deadline_beliefs_chart({"deadline_beliefs": sweep.to_dict()})
    assert isinstance(fig, Figure)
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert len(labels) == len(sweep.points)
    assert all(p.belief.isoformat() in label for p, label in zip(sweep.points, labels, strict=True))
    empty = deadline_beliefs_chart({"deadline_beliefs": None, "deadline_beliefs_note": "why"})
    assert any(t.get_text() == "why" for t in empty.axes[0].texts)
