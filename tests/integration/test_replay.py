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
from burdenshare.history.replay import public_events, replay_round
from burdenshare.history.timing import add_months
from burdenshare.report.replay_plots import replay_chart
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


_BARE = """
defaults: {alliance: A-B, demander: A, payer: B, currency: EUR, scale: million}
rounds:
  - id: a-b-bare
    talks: A-B talks
    status_quo: {amount: 100, year: 2018, source: notes}
    expiry: 2018-12-31
    outcome: {agreed: true, agreement_date: 2019-02-01, first_year: 2019,
              first_year_amount: 120, source: press}
  - id: a-b-none
    talks: A-B talks
    status_quo: {amount: 100, year: 2018, source: notes}
    expiry: 2018-12-31
    outcome: {agreed: false, source: press}
  - id: a-b-early
    talks: A-B talks
    status_quo: {amount: 100, year: 2018, source: notes}
    expiry: 2018-12-31
    outcome: {agreed: true, agreement_date: 2018-01-01, first_year: 2019,
              first_year_amount: 120, source: press}
"""


def test_a_round_with_no_dated_facts_replays_on_the_backtests_dates(tmp_path: Path) -> None:
    """A user's round with no positions or meetings gave no replay date and crashed with
    ZeroDivisionError in the Brier score; it replays on the default as-of dates instead."""
    from burdenshare.history.record import default_as_of_dates

    path = tmp_path / "bare.yaml"
    path.write_text(_BARE, encoding="utf-8")
    bare = next(r for r in load_record([path]) if r.id == "a-b-bare")
    out = service.replay("a-b-bare", records=[path], n=20)
    assert [r.date for r in out.result.rows] == [d for d, _ in default_as_of_dates(bare)]
    assert "Brier score" in out.to_text()


@pytest.mark.parametrize(
    ("rid", "words"),
    [
        ("a-b-none", "has no deal"),
        ("a-b-early", "nothing was public before its deal date 2018-01-01"),
        ("a-b-nowhere", "no round of the record with that id"),
    ],
)
def test_a_round_that_cannot_be_replayed_is_a_clear_user_error(
    tmp_path: Path, rid: str, words: str
) -> None:
    path = tmp_path / "bare.yaml"
    path.write_text(_BARE, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        service.replay(rid, records=[path], n=20)
    assert words in str(err.value)
    assert err.value.value == rid
