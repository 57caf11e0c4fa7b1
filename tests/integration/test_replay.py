"""The replay of a round of the record (burdenshare.history.replay), ported from the SMA timeline
to the record: one row per public date, facts cut to that date, priors fitted without the round."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from burdenshare.errors import ScenarioError, SimulationError
from burdenshare.history.record import load_record
from burdenshare.history.record_methods import ENSEMBLE_PAIRS
from burdenshare.history.replay import public_events, replay_chart, replay_round
from burdenshare.history.timing import add_months
from burdenshare.services import backtest_record as service

D = dt.date


@pytest.fixture(scope="module")
def replay():  # type: ignore[no-untyped-def]
    return replay_round("us-rok-sma-11", n=100)


def _eleventh():  # type: ignore[no-untyped-def]
    return next(r for r in load_record() if r.id == "us-rok-sma-11")


def test_one_row_per_public_date_before_the_deal(replay) -> None:  # type: ignore[no-untyped-def]
    events = public_events(_eleventh())
    assert [r.date for r in replay.rows] == [d for d, _ in events]
    assert all(r.date < replay.deal_date for r in replay.rows)
    assert replay.deal_date == D(2021, 3, 7)
    assert not replay.in_sample  # 8 other rounds: priors and hazard fitted without the 11th
    for r in replay.rows:
        for p in ENSEMBLE_PAIRS:
            assert 0.0 <= r.p_within_3m[p] <= r.p_within_6m[p] <= 1.0
        assert 0.0 <= r.hazard_3m <= r.hazard_6m <= 1.0
        assert r.deal_within_6m == (replay.deal_date <= add_months(r.date, 6))
        assert r.days_to_deal == (replay.deal_date - r.date).days
    for w in ("3m", "6m"):
        for who in (*ENSEMBLE_PAIRS, "hazard"):
            assert 0.0 <= replay.brier(w, who) <= 1.0


def test_the_facts_are_those_public_on_each_date(replay) -> None:  # type: ignore[no-untyped-def]
    by = {r.date: r for r in replay.rows}
    assert by[D(2019, 11, 19)].ask == pytest.approx(5631.0)  # the $5bn ask, public from July
    assert by[D(2019, 11, 19)].offer is None  # Seoul named no figure yet
    assert by[D(2020, 3, 31)].offer == pytest.approx(1172.5)  # the 13% offer
    assert by[D(2020, 6, 2)].ask == pytest.approx(1600.2)  # $1.3bn
    assert by[D(2020, 11, 3)].deal_within_6m  # the deal of 7 March 2021 came within 6 months


def test_charts_render(replay, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = replay_chart(replay, tmp_path / "out")
    assert [p.name for p in paths] == ["replay-us-rok-sma-11.png", "replay-us-rok-sma-11.svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    named = replay_chart(replay, tmp_path / "chart.png")
    assert [p.name for p in named] == ["chart.png", "chart.svg"]


def test_service(tmp_path: Path) -> None:
    out = service.replay("us-rok-sma-11", n=20, chart=tmp_path)
    assert len(out.charts) == 2
    assert "Charts:" in out.to_text()
    data = json.loads(json.dumps(out.to_dict()))
    assert data["rows"]
    assert set(data["brier"]["6m"]) == {*ENSEMBLE_PAIRS, "hazard"}
    with pytest.raises(ScenarioError):
        service.replay("us-rok-sma-12", n=20)
    with pytest.raises(SimulationError):
        service.replay("us-rok-sma-11", n=0)
