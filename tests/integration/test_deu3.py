"""DEU III: the computed baselines of models.md §2.2 reproduced, and the backtest's shape.

Reference values ([COMPUTED] in shared/reference/models.md §2.2, on the 353 issues with an
outcome; reference point on the 253 with one): compromise (salience × GDP) 23.22, salience-only
weighted mean 23.68, unweighted mean 23.71, median 28.59, weighted median 27.58, reference point
51.1. Tolerance 0.01 (the figures are given to two decimals; the reference point to one).
"""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from burdenshare.errors import ForecastError
from burdenshare.forecasting.registry import FORECASTERS, make_forecaster
from burdenshare.history import BacktestResult, backtest_deu3, load_deu3, proposal_table
from burdenshare.history.backtest import proposal_folds
from burdenshare.history.metrics import error_summary

BASELINES = {
    "compromise": (353, 23.22),
    "compromise-salience": (353, 23.68),
    "mean": (353, 23.71),
    "median": (353, 28.59),
    "weighted-median": (353, 27.58),
    "reference-point": (253, 51.11),
}


def test_dataset_shape() -> None:
    issues = load_deu3()
    assert len(issues) == 353
    assert len({i.proposal for i in issues}) == 137
    assert len(load_deu3(with_outcome=False)) == 364
    assert sum(np.isfinite(i.reference) for i in issues) == 253
    first = issues[0].table
    assert first.scale == ((0.0, 100.0),)
    assert first.capability[first.actors.index("de")] == 4.1
    assert all(i.table.salience.max() <= 1.0 for i in issues)


@pytest.mark.parametrize(("name", "expected"), BASELINES.items())
def test_baseline_reproduced(name: str, expected: tuple[int, float]) -> None:
    model = make_forecaster(name)
    predicted, observed = [], []
    for issue in load_deu3():
        try:
            predicted.append(float(model.predict(issue.table).outcome[0]))
        except ForecastError:
            continue
        observed.append(issue.outcome)
    s = error_summary(predicted, observed)
    assert (s.n, round(s.mae, 2)) == expected
    assert s.mae == pytest.approx(expected[1], abs=0.01)


def test_proposal_tables_keep_common_actors() -> None:
    issues = load_deu3()
    by_proposal: dict[str, list] = {}
    for i in issues:
        by_proposal.setdefault(i.proposal, []).append(i)
    for group in by_proposal.values():
        t = proposal_table(group)
        assert t.n_issues == len(group)
        assert t.n_actors >= 2


def test_folds_never_split_a_proposal() -> None:
    issues = load_deu3()
    fold = proposal_folds([i.proposal for i in issues], folds=10, seed=0)
    seen: dict[str, int] = {}
    for issue, f in zip(issues, fold, strict=True):
        assert seen.setdefault(issue.proposal, int(f)) == f
    assert sorted(set(fold.tolist())) == list(range(10))


@pytest.fixture(scope="module")
def result() -> tuple[BacktestResult, float]:
    start = time.perf_counter()
    res = backtest_deu3()
    return res, time.perf_counter() - start


def test_backtest_covers_every_registered_model(result: tuple[BacktestResult, float]) -> None:
    res, _ = result
    scored = {s.name for s in res.scores}
    assert scored | set(res.skipped) == set(FORECASTERS)
    for name, reason in res.skipped.items():
        assert reason, name
    for name, (n, mae) in BASELINES.items():
        s = res.score(name).summary
        assert s.n == n
        assert s.mae == pytest.approx(mae, abs=0.01)


def test_backtest_cv_block(result: tuple[BacktestResult, float]) -> None:
    res, _ = result
    assert res.cv is not None
    cv = res.cv
    assert (cv.attempt, cv.baseline, cv.folds, cv.seed) == ("blend", "compromise", 10, 0)
    c = cv.comparison
    assert c.n == 353
    assert c.n_groups == 137
    assert c.mae_b == pytest.approx(23.22, abs=0.01)
    assert c.mae_a == pytest.approx(res.score("blend").summary.mae)
    assert c.se > 0
    assert c.cluster_se > 0
    assert sum(cv.attempt_weights.values()) == pytest.approx(1.0)
    assert cv.wins == (c.mean_difference < 0 and c.z < -1.96)


def test_backtest_is_json_and_text(result: tuple[BacktestResult, float]) -> None:
    res, _ = result
    d = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert d["n_issues"] == 353
    assert {s["name"] for s in d["scores"]} >= set(BASELINES)
    text = res.to_text()
    for s in res.scores:
        assert s.name in text
    assert "cross-validation: blend vs compromise" in text


def test_backtest_runs_in_seconds(result: tuple[BacktestResult, float]) -> None:
    _, seconds = result
    assert seconds < 30.0


def test_backtest_is_reproducible() -> None:
    a = backtest_deu3(models=["compromise", "blend"], folds=5, seed=3)
    b = backtest_deu3(models=["compromise", "blend"], folds=5, seed=3)
    assert a.cv is not None
    assert b.cv is not None
    assert a.cv.comparison == b.cv.comparison


def test_the_best_cross_validated_model_is_compared_with_the_compromise_model() -> None:
    """Known values (seed 0, 10 folds, every model): the blend has the lowest out-of-fold MAE
    (22.91 against the compromise model's 23.22, by 0.32 with a proposal-clustered SE of 0.36),
    which is not significant (z = -0.88)."""
    best = backtest_deu3().best
    assert best is not None
    assert best.name == "blend"
    assert best.n_candidates == 11  # reference-point and nash forecast 253 of 353 issues
    assert best.cv is not None
    c = best.cv.comparison
    assert round(c.mae_a, 2) == 22.91
    assert round(c.mae_b, 2) == 23.22
    assert round(c.cluster_se, 2) == 0.36
    assert round(c.z, 2) == -0.88
    assert not best.cv.wins
    assert "blend does not beat compromise" in best.verdict
    d = backtest_deu3(models=["compromise", "mean", "median"], attempt=None).to_dict()["best"]
    assert d["model"] == "compromise"  # the baseline itself: nothing to compare
    assert d["comparison"] is None
    assert d["verdict"] == "the best cross-validated model is the baseline, compromise, itself"
    other = backtest_deu3(models=["mean"], attempt=None, baseline="median").best
    assert other is not None
    assert other.name == "mean"  # 23.71 against the median's 28.59
    assert other.cv is not None
    assert other.cv.baseline == "median"
    assert round(other.cv.comparison.mean_difference, 2) == round(23.71 - 28.59, 2)
