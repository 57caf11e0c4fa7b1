"""The leave-one-round-out harness on synthetic rounds, with a stand-in case builder.

The stand-in builds every case as the bundled us-rok-sma-2021 scenario, so this tests the
plumbing (folds, stacking on out-of-sample predictions, baselines, scores, findings), not the
builder (tests/integration/test_record_backtest.py runs the real one on the shipped record).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass
from typing import Any

import pytest

from burdenshare.history.facts import Facts, RecordRound, RoundOutcome
from burdenshare.history.record_backtest import run_loo, truth
from burdenshare.history.record_scores import score_run
from burdenshare.scenario.io import load_scenario
from burdenshare.scenario.library import bundled_path
from burdenshare.testing.rounds import synthetic_round

D = dt.date


@dataclass(frozen=True)
class _Case:
    round_id: str
    as_of: dt.date
    label: str
    facts: Facts
    outcome: RoundOutcome


@dataclass(frozen=True)
class _Built:
    scenario: Any


def _cases(rounds: list[RecordRound]) -> list[_Case]:
    out = []
    for r in rounds:
        for days, label in ((-60, "two months before expiry"), (1, "day after expiry")):
            day = r.facts.expiry + dt.timedelta(days=days)
            if r.outcome.deal_date is None or day < r.outcome.deal_date:
                facts = r.facts.__class__(
                    **{
                        **r.facts.__dict__,
                        "as_of": day,
                        "positions": tuple(p for p in r.facts.positions if p.date <= day),
                    }
                )
                out.append(_Case(r.id, day, label, facts, r.outcome))
    return out


ROUNDS = [
    synthetic_round(
        f"r{i}",
        expiry=D(2000 + 3 * i, 12, 31),
        deal=D(2000 + 3 * i, 12, 31) + dt.timedelta(days=lag),
        status_quo=1000.0 + 50 * i,
        previous=980.0 + 50 * i,
        ask=(D(2000 + 3 * i, 6, 1), 1500.0),
        offer=(D(2000 + 3 * i, 9, 1), 1050.0 + 50 * i),
        settlement=1100.0 + 60 * i,
    )
    for i, lag in enumerate((-30, 45, 200, 10, 400))
]


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    sc = load_scenario(bundled_path("us-rok-sma-2021")).scenario
    calls: list[list[str]] = []

    def fit(rounds: Any) -> str:
        calls.append([r.id for r in rounds])
        return "priors"

    run = run_loo(
        ROUNDS, n=30, seed=1, fit_priors=fit, build_case=lambda f, p: _Built(sc), cases_of=_cases
    )
    return run, score_run(run), calls


def test_each_round_is_held_out_of_its_priors(result) -> None:  # type: ignore[no-untyped-def]
    run, _, calls = result
    ids = [r.id for r in ROUNDS]
    # one fit per held-out round, then one per pair left out (the nested fits of the stacking)
    assert len(calls) == len(ROUNDS) + len(ROUNDS) * (len(ROUNDS) - 1) // 2
    for held, used in zip(ROUNDS, calls[: len(ROUNDS)], strict=True):
        assert held.id not in used
        assert len(used) == len(ROUNDS) - 1
    left_out = {frozenset(ids) - frozenset(used) for used in calls[len(ROUNDS) :]}
    assert left_out == {frozenset(p) for p in itertools.combinations(ids, 2)}
    assert run.rounds == tuple(ids)


def test_every_method_and_baseline_is_scored(result) -> None:  # type: ignore[no-untyped-def]
    run, res, _ = result
    methods = {m.method for m in res.table}
    for m in (
        "baseline:climatology",
        "baseline:coin",
        "baseline:status-quo",
        "baseline:status-quo+last",
        "timing:hazard",
        "combined:stacking",
        "ensemble:linear",
        "solution:nash",
        "forecast:compromise",
    ):
        assert m in methods
    coin = next(m for m in res.table if m.method == "baseline:coin")
    assert coin.scores["brier:6m"] == pytest.approx(0.25)
    sq = next(m for m in res.table if m.method == "baseline:status-quo")
    # hand-worked: the status quo against the settlement, |1000+50i - (1100+60i)| / (1100+60i)
    cases_per_round = [sum(c.truth.round_id == r.id for c in run.cases) for r in ROUNDS]
    errs = [
        100 * (100 + 10 * i) / (1100 + 60 * i) for i in range(5) for _ in range(cases_per_round[i])
    ]
    assert sq.scores["abs_pct_error"] == pytest.approx(sum(errs) / len(errs))


def test_climatology_uses_only_the_other_rounds(result) -> None:  # type: ignore[no-untyped-def]
    run, _, _ = result
    for c in run.cases:
        clim = c.get("baseline:climatology")
        assert clim is not None
        others = [x.truth.happened["6m"] for x in run.cases if x.truth.round_id != c.truth.round_id]
        assert clim.probabilities["6m"] == pytest.approx((sum(others) + 1) / (len(others) + 2))


def test_margins_findings_and_json(result) -> None:  # type: ignore[no-untyped-def]
    _, res, _ = result
    m = next(
        x
        for x in res.margins
        if x.method == "baseline:coin" and x.baseline == "baseline:climatology"
    )
    assert m.diff.n_groups == len(ROUNDS)
    assert res.findings
    assert any("Best on P(deal by the expiry)" in f for f in res.findings)
    assert set(res.targets) == {"brier_expiry_vs_climatology", "pct_error_vs_naive"}
    d = json.loads(json.dumps(res.to_dict()))
    assert {"methods", "margins", "reliability", "timing_choice", "combination", "findings"} <= set(
        d
    )
    assert res.timing.chosen in {
        "timing:hazard",
        "ensemble:boulware",
        "ensemble:linear",
        "ensemble:conceder",
    }
    text = res.to_text()
    assert "combined:stacking" in text
    assert "Targets (out of sample;" in text
    assert "fixed by rule, combined:stacking" in text


def test_truth_targets() -> None:
    r = ROUNDS[1]
    facts = r.facts.__class__(**{**r.facts.__dict__, "as_of": D(2003, 12, 1)})
    t = truth("r1", "x", facts, D(2004, 2, 14), 1160.0)
    assert t.happened == {"expiry": False, "6m": True, "12m": True}
    late = r.facts.__class__(**{**r.facts.__dict__, "as_of": D(2004, 1, 1)})
    assert truth("r1", "x", late, D(2004, 2, 14), 1160.0).happened["expiry"] is None
