"""The combined forecast's weights for a held-out round never rest on a fit that saw that round.

A stand-in builder: the "priors" are the set of rounds the fit saw, the "scenario" is those
priors, and every member's forecast carries in its note the rounds behind it. A spy on the
stacking records, for each fold, the cases its weights were fitted on.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from burdenshare.history import record_backtest
from burdenshare.history.facts import RecordRound
from burdenshare.history.record_backtest import NESTED_NOTE, CaseForecasts, run_loo
from burdenshare.history.record_methods import MethodForecast
from burdenshare.history.stacking import CombinationParams
from burdenshare.testing.rounds import synthetic_round

D = dt.date

ROUNDS = [
    synthetic_round(
        f"r{i}",
        expiry=D(2000 + 3 * i, 12, 31),
        deal=D(2000 + 3 * i, 12, 31) + dt.timedelta(days=lag),
        status_quo=1000.0 + 50 * i,
        ask=(D(2000 + 3 * i, 6, 1), 1500.0),
        offer=(D(2000 + 3 * i, 9, 1), 1050.0 + 50 * i),
        settlement=1100.0 + 60 * i,
    )
    for i, lag in enumerate((-30, 45, 200, 10, 400))
]
IDS = [r.id for r in ROUNDS]


@dataclass(frozen=True)
class _Built:
    scenario: frozenset[str]


def _fit(rounds: Sequence[RecordRound]) -> frozenset[str]:
    return frozenset(r.id for r in rounds)


def _methods(
    seen: frozenset[str], by: dict[str, dt.date], *, n: int, seed: int, ensembles: bool = True
) -> tuple[bool, tuple[MethodForecast, ...]]:
    """Members whose forecasts name the rounds their priors saw (and vary with them)."""
    tag = ",".join(sorted(seen))
    level = 1000.0 + 40.0 * len(seen) + sum(int(r[1:]) for r in seen)
    out = [
        MethodForecast("solution:a", "solution", level, note=tag),
        MethodForecast("forecast:b", "forecast", level * 1.1, note=tag),
    ]
    if ensembles:
        out.append(
            MethodForecast(
                "ensemble:c",
                "ensemble",
                level * 0.95,
                level * 0.9,
                level,
                probabilities=dict.fromkeys(by, 0.5),
                note=tag,
            )
        )
    return True, tuple(out)


def _run(monkeypatch: pytest.MonkeyPatch, **kw: Any) -> tuple[Any, list[Any]]:
    folds: list[tuple[list[CaseForecasts], list[str]]] = []
    real = record_backtest._stack

    def spy(cases: Any, members: Any, fitted_on: Any) -> CombinationParams:
        folds.append((list(cases), list(fitted_on)))
        return real(cases, members, fitted_on)

    monkeypatch.setattr(record_backtest, "_stack", spy)
    run = run_loo(
        ROUNDS,
        n=10,
        fit_priors=_fit,
        build_case=lambda facts, priors: _Built(priors),
        methods=_methods,
        **kw,
    )
    return run, folds


def _seen(f: MethodForecast) -> set[str]:
    return set(f.note.split(","))


def test_no_prediction_behind_a_held_out_rounds_weights_saw_that_round(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run, folds = _run(monkeypatch)
    # one fold per held-out round, then the final fit on every round (the shipped parameters)
    assert len(folds) == len(ROUNDS) + 1
    for held, (cases, fitted_on) in zip(IDS, folds, strict=False):
        assert fitted_on == [r for r in IDS if r != held]
        assert {c.truth.round_id for c in cases} == set(fitted_on)
        for c in cases:
            members = [f for f in c.forecasts if f.kind in ("solution", "forecast", "ensemble")]
            assert {f.method for f in members} == {"solution:a", "forecast:b", "ensemble:c"}
            for f in members:
                # priors fitted on every round but the held-out one and the case's own
                assert _seen(f) == set(IDS) - {held, c.truth.round_id}, (held, c.truth.key)
    # the held-out round's own forecasts are single-level: priors fitted on the other rounds
    for c in run.cases:
        assert _seen(c.get("solution:a")) == set(IDS) - {c.truth.round_id}
        assert c.get("combined:stacking").note == NESTED_NOTE[True]
    # the final fit (the shipped combination) stacks the single-level predictions
    final_cases, final_on = folds[-1]
    assert final_on == IDS
    for c in final_cases:
        assert _seen(c.get("solution:a")) == set(IDS) - {c.truth.round_id}


def test_single_level_ensembles_are_kept_when_asked_and_said_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run, folds = _run(monkeypatch, nested_ensembles=False)
    for held, (cases, _) in zip(IDS, folds[:-1], strict=True):
        for c in cases:
            assert _seen(c.get("solution:a")) == set(IDS) - {held, c.truth.round_id}
            assert _seen(c.get("forecast:b")) == set(IDS) - {held, c.truth.round_id}
            # the ensembles' single-level predictions: their priors saw the held-out round
            assert _seen(c.get("ensemble:c")) == set(IDS) - {c.truth.round_id}
    assert all(c.get("combined:stacking").note == NESTED_NOTE[False] for c in run.cases)


def test_the_priors_of_each_excluded_set_are_fitted_once() -> None:
    calls: list[frozenset[str]] = []

    def fit(rounds: Sequence[RecordRound]) -> frozenset[str]:
        calls.append(frozenset(IDS) - {r.id for r in rounds})
        return _fit(rounds)

    run_loo(ROUNDS, n=10, fit_priors=fit, build_case=lambda f, p: _Built(p), methods=_methods)
    expected = {frozenset([r]) for r in IDS} | {
        frozenset(p) for p in itertools.combinations(IDS, 2)
    }
    assert sorted(calls, key=sorted) == sorted(expected, key=sorted)
