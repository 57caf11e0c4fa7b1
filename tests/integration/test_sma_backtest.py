"""The SMA backtest and the 2019-2021 replay, end to end with small ensembles."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from burdenshare.errors import SimulationError
from burdenshare.history.casebuilder import build_case
from burdenshare.history.replay import REPLAY_FROM, replay_chart, replay_sma11
from burdenshare.history.sma import load_sma_timeline
from burdenshare.history.sma_backtest import (
    CASE_DATES,
    ENSEMBLE_PAIRS,
    backtest_sma,
    known_by,
)
from burdenshare.services import backtest_sma as service

N = 200


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return backtest_sma(n=N, seed=0)


@pytest.fixture(scope="module")
def replay():  # type: ignore[no-untyped-def]
    return replay_sma11(n=N, seed=0)


def test_backtest_runs_in_seconds() -> None:
    start = time.perf_counter()
    backtest_sma(n=N, seed=1)
    assert time.perf_counter() - start < 20


def test_the_table_has_every_method_and_case(result) -> None:  # type: ignore[no-untyped-def]
    text = result.to_text()
    keys = [f"{case} {day}" for case, dates in CASE_DATES.items() for day, _ in dates]
    assert [c.key for c in result.cases] == keys
    for key in keys:
        assert key in text
    methods = set(result.methods)
    assert {f"ensemble:{p}" for p in ENSEMBLE_PAIRS} <= methods
    assert {"solution:nash", "solution:rubinstein", "forecast:compromise"} <= methods
    assert {"baseline:status-quo", "baseline:status-quo+last", "baseline:coin"} <= methods
    for m in methods:
        assert m in text
    assert len(result.scores) == len(methods) * len(keys)
    assert "Where the tool was wrong" in text


def test_scores_are_in_range(result) -> None:  # type: ignore[no-untyped-def]
    for s in result.summaries:
        if s.brier is not None:
            assert 0.0 <= s.brier <= 1.0
    for s in result.scores:
        if s.p_before_deadline is not None:
            assert 0.0 <= s.p_before_deadline <= 1.0
        if s.settlement is not None and s.pct_error is not None:
            actual = next(c for c in result.cases if c.key == s.case).outcome.settlement
            assert s.pct_error == pytest.approx(100 * (s.settlement - actual) / actual)
    coin = next(s for s in result.summaries if s.method == "baseline:coin")
    assert coin.brier == pytest.approx(0.25)


def test_outcomes_match_the_record(result) -> None:  # type: ignore[no-untyped-def]
    by = {c.key: c.outcome for c in result.cases}
    assert by["9th 2013-07-31"].settlement == 920.0
    assert by["10th 2018-12-13"].deal_date == dt.date(2019, 2, 10)
    assert not by["11th 2019-11-19"].before_deadline
    assert by["11th 2021-02-05"].before_deadline
    assert by["11th 2021-02-05"].days_to_deal == 30


def test_to_dict_is_json(result) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(result.to_dict()))
    assert len(data["cases"]) == len(result.cases)
    assert data["wrong"]
    assert data["missing"]


def _replayed_events() -> int:
    deal = dt.date(2021, 3, 7)
    return sum(
        1
        for ev in load_sma_timeline()
        if (d := known_by(ev)) is not None and REPLAY_FROM <= d < deal
    )


def test_replay_has_one_row_per_dated_event(replay) -> None:  # type: ignore[no-untyped-def]
    assert len(replay.rows) == _replayed_events()
    dates = [r.date for r in replay.rows]
    assert dates == sorted(dates)
    for r in replay.rows:
        _, sc = build_case(r.state)
        lo, hi = sc.issues[0].range or (0.0, 0.0)
        for p in ENSEMBLE_PAIRS:
            assert 0.0 <= r.p_within_3m[p] <= r.p_within_6m[p] <= r.p_agreement[p] <= 1.0
            med = r.median_settlement[p]
            assert med is None or lo <= med <= hi
        assert r.deal_within_6m == (r.days_to_deal <= 184)
    for w in ("3m", "6m"):
        assert 0.0 <= replay.brier(w) <= 1.0


def test_replay_sees_the_events(replay) -> None:  # type: ignore[no-untyped-def]
    by = {r.date: r for r in replay.rows}
    assert by[dt.date(2019, 11, 19)].state.us_ask > 5000  # the $5bn ask
    assert not by[dt.date(2019, 11, 19)].zopa
    assert by[dt.date(2020, 6, 2)].state.us_ask_usd == 1.3
    assert by[dt.date(2020, 3, 31)].state.rok_offer == 1172.5  # the 13% offer


def test_charts_render(replay, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = replay_chart(replay, tmp_path / "out")
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert all(p.stat().st_size > 1000 for p in paths)
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    named = replay_chart(replay, tmp_path / "chart.png")
    assert [p.name for p in named] == ["chart.png", "chart.svg"]


def test_services(tmp_path: Path) -> None:
    out = service.replay(n=50, chart=tmp_path)
    assert len(out.charts) == 2
    assert "Charts:" in out.to_text()
    assert json.loads(json.dumps(out.to_dict()))["rows"]
    assert service.backtest_sma(n=50).n == 50
    with pytest.raises(SimulationError):
        service.replay("us-rok-sma-12", n=50)
    with pytest.raises(SimulationError):
        service.backtest_sma(n=0)
