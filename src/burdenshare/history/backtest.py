"""Backtest the registered forecasters on DEU III, with cross-validation over proposals.

Every model is scored the same way: the issues with an outcome are split into ``folds`` groups
*by proposal* (issues of one proposal are related, so they never straddle training and test),
with the split fixed by ``seed``; each model is fitted on the other folds and forecasts the
held-out one. A model whose ``fit`` sets no fitted attribute (scikit-learn's trailing underscore,
e.g. ``weights_``) learned nothing, so it forecasts every issue once, which gives the same
numbers. A model that cannot forecast an issue (it raises
:class:`~burdenshare.errors.ForecastError`, e.g. the reference point where ``rp`` is missing) is
scored on the issues it could forecast; ``n`` says how many.

The cross-validation block compares an *attempt* (by default
:class:`~burdenshare.forecasting.blend.Blend`) with the *baseline* (the compromise model, GDP
capability) case by case on the same held-out forecasts: mean difference of absolute errors and
its standard error, over issues and clustered by proposal. The attempt "wins" only if it is
better by more than 1.96 clustered standard errors. The same comparison is made for the *best*
model, whichever it is: the lowest out-of-fold MAE among the models that forecast every issue
(a model scored on fewer issues has its MAE on another set, not comparable), ties to the first
in registry order; :class:`BestModel`.

Multi-issue models (``MULTI_ISSUE_MODELS``: the exchange model) forecast one table per proposal
holding the actors with a position on all its issues
(:func:`~burdenshare.history.deu3.proposal_table`). Models in ``SLOW_MODELS`` run only with
``include_slow=True``.

>>> result = backtest_deu3(models=["compromise", "mean"], attempt=None)
>>> [(s.name, s.summary.n, round(s.summary.mae, 2)) for s in result.scores]
[('compromise', 353, 23.22), ('mean', 353, 23.71)]
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from burdenshare.errors import ForecastError
from burdenshare.forecasting.base import Forecaster
from burdenshare.forecasting.registry import FORECASTERS
from burdenshare.history.deu3 import Deu3Issue, load_deu3, proposal_table
from burdenshare.history.metrics import (
    ErrorSummary,
    PairedComparison,
    error_summary,
    paired_comparison,
)

__all__ = [
    "MULTI_ISSUE_MODELS",
    "SLOW_MODELS",
    "BacktestResult",
    "BestModel",
    "CrossValidation",
    "ModelScore",
    "backtest_deu3",
    "proposal_folds",
]

FloatArray = npt.NDArray[np.float64]

#: models that forecast several issues at once: run on one table per proposal
MULTI_ISSUE_MODELS: frozenset[str] = frozenset({"exchange"})
#: models left out of the default backtest (too slow for "runs in seconds"); see include_slow
SLOW_MODELS: frozenset[str] = frozenset()
#: |z| beyond which the attempt's advantage counts as a win
Z_WIN = 1.96


@dataclass(frozen=True)
class ModelScore:
    """One model's out-of-fold accuracy on DEU III."""

    name: str
    summary: ErrorSummary
    n_failed: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            **self.summary.to_dict(),
            "n_failed": self.n_failed,
            "seconds": self.seconds,
        }


@dataclass(frozen=True)
class CrossValidation:
    """The attempt against the baseline on the same held-out forecasts."""

    attempt: str
    baseline: str
    folds: int
    seed: int
    comparison: PairedComparison
    attempt_weights: Mapping[str, float] = field(default_factory=dict)

    @property
    def wins(self) -> bool:
        return bool(self.comparison.mean_difference < 0 and self.comparison.z < -Z_WIN)

    @property
    def verdict(self) -> str:
        c = self.comparison
        if self.wins:
            return f"{self.attempt} beats {self.baseline} (z = {c.z:.2f})"
        direction = "lower" if c.mean_difference < 0 else "higher"
        return (
            f"{self.attempt} does not beat {self.baseline}: its MAE is {direction} by "
            f"{abs(c.mean_difference):.2f}, z = {c.z:.2f} (needs z < -{Z_WIN})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "attempt": self.attempt,
            "baseline": self.baseline,
            "folds": self.folds,
            "seed": self.seed,
            "grouped_by": "proposal",
            **self.comparison.to_dict(),
            "wins": self.wins,
            "verdict": self.verdict,
            "attempt_weights": dict(self.attempt_weights),
        }


@dataclass(frozen=True)
class BestModel:
    """The model with the lowest out-of-fold MAE (among those that forecast every issue) and
    its comparison with the baseline; ``cv`` is None when the best is the baseline itself."""

    name: str
    mae: float
    baseline: str
    cv: CrossValidation | None
    n_candidates: int = 1

    @property
    def verdict(self) -> str:
        if self.cv is None:
            return f"the best cross-validated model is the baseline, {self.baseline}, itself"
        return f"best cross-validated model: {self.cv.verdict}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.name,
            "mae": self.mae,
            "baseline": self.baseline,
            "n_candidates": self.n_candidates,
            "comparison": self.cv.to_dict() if self.cv is not None else None,
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class BacktestResult:
    """Per-model scores, skipped models with reasons, and the cross-validation comparison."""

    n_issues: int
    n_proposals: int
    folds: int
    seed: int
    scores: tuple[ModelScore, ...]
    skipped: Mapping[str, str]
    cv: CrossValidation | None
    best: BestModel | None = None
    dataset: str = "DEU III (Arregui & Perarnaud 2021, doi 10.34810/data53)"

    def score(self, name: str) -> ModelScore:
        for s in self.scores:
            if s.name == name:
                return s
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "n_issues": self.n_issues,
            "n_proposals": self.n_proposals,
            "folds": self.folds,
            "seed": self.seed,
            "scores": [s.to_dict() for s in self.scores],
            "skipped": dict(self.skipped),
            "cv": self.cv.to_dict() if self.cv else None,
            "best": self.best.to_dict() if self.best else None,
        }

    def to_text(self) -> str:
        lines = [
            f"{self.dataset}: {self.n_issues} issues with an outcome, {self.n_proposals} proposals",
            f"out-of-fold forecasts, {self.folds} folds by proposal (seed {self.seed})",
            "",
            f"{'model':<20} {'n':>4} {'MAE':>7} {'median AE':>10} {'within 10':>10} {'secs':>6}",
        ]
        for s in self.scores:
            m = s.summary
            lines.append(
                f"{s.name:<20} {m.n:>4} {m.mae:>7.2f} {m.median_ae:>10.2f} "
                f"{m.within_10:>10.1%} {s.seconds:>6.2f}"
            )
        for name, reason in self.skipped.items():
            lines.append(f"{name:<20} skipped: {reason}")
        if self.cv is not None:
            c = self.cv.comparison
            lines += [
                "",
                f"cross-validation: {self.cv.attempt} vs {self.cv.baseline} on {c.n} issues "
                f"({c.n_groups} proposals)",
                f"  MAE {c.mae_a:.2f} vs {c.mae_b:.2f}; difference {c.mean_difference:+.2f} "
                f"(SE {c.se:.2f} over issues, {c.cluster_se:.2f} clustered by proposal); "
                f"better on {c.a_better}, worse on {c.b_better} issues",
            ]
            if self.cv.attempt_weights:
                weights = ", ".join(f"{k} {v:.2f}" for k, v in self.cv.attempt_weights.items())
                lines.append(f"  mean fitted weights over folds: {weights}")
            lines.append(f"  {self.cv.verdict}")
        if self.best is not None:
            lines += ["", f"best cross-validated model (lowest MAE): {self.best.name}"]
            if self.best.cv is not None:
                c = self.best.cv.comparison
                lines.append(
                    f"  against {self.best.baseline}: MAE {c.mae_a:.2f} vs {c.mae_b:.2f}; paired "
                    f"difference {c.mean_difference:+.2f}, SE {c.cluster_se:.2f} clustered by "
                    f"proposal, z = {c.z:.2f}"
                )
            lines.append(f"  {self.best.verdict}")
            lines.append(
                f"  (picked as the lowest of {self.best.n_candidates} models on these same folds, "
                "so its margin is optimistic: a winner's curse)"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


def proposal_folds(proposals: Sequence[str], folds: int, seed: int) -> npt.NDArray[np.int64]:
    """Fold index per case: proposals shuffled by ``seed`` and dealt round-robin to folds.

    >>> proposal_folds(["a", "a", "b", "c"], folds=2, seed=0).tolist()
    [1, 1, 0, 0]
    """
    if folds < 2:
        raise ForecastError(f"cross-validation needs at least 2 folds, got {folds}")
    labels = sorted(set(proposals))
    if folds > len(labels):
        raise ForecastError(f"{folds} folds but only {len(labels)} proposals")
    order = np.random.default_rng(seed).permutation(len(labels))
    fold_of = {labels[i]: rank % folds for rank, i in enumerate(order)}
    return np.array([fold_of[p] for p in proposals], dtype=np.int64)


def _learned_something(fitted: Forecaster) -> bool:
    """Whether ``fit`` set any fitted attribute (scikit-learn's trailing-underscore convention)."""
    return any(k.endswith("_") and not k.startswith("_") for k in vars(fitted))


def _predict_issues(name: str, model: Forecaster, issues: Sequence[Deu3Issue]) -> FloatArray:
    """Forecast each of ``issues`` (NaN where the model raises ForecastError)."""
    out = np.full(len(issues), np.nan)
    if name in MULTI_ISSUE_MODELS or getattr(model, "multi_issue", False):
        by_proposal: dict[str, list[int]] = {}
        for k, issue in enumerate(issues):
            by_proposal.setdefault(issue.proposal, []).append(k)
        for ks in by_proposal.values():
            try:
                out[ks] = model.predict(proposal_table([issues[k] for k in ks])).outcome
            except ForecastError:
                out[ks] = _predict_issues("", model, [issues[k] for k in ks])
        return out
    for k, issue in enumerate(issues):
        with contextlib.suppress(ForecastError):
            out[k] = float(model.predict(issue.table).outcome[0])
    return out


def _out_of_fold(
    name: str, model: Forecaster, issues: Sequence[Deu3Issue], fold: npt.NDArray[np.int64]
) -> tuple[FloatArray, list[Forecaster]]:
    """Held-out forecasts of every issue, and the model fitted on each fold's training part."""
    pred = np.full(len(issues), np.nan)
    fits: list[Forecaster] = []
    for f in np.unique(fold):
        train = [i for i, g in zip(issues, fold, strict=True) if g != f]
        test_idx = [int(k) for k in np.flatnonzero(fold == f)]
        fitted = model.clone().fit([i.table for i in train], [np.array([i.outcome]) for i in train])
        if not fits and not _learned_something(fitted):
            # nothing learned from the data: one forecast per issue is the out-of-fold forecast
            return _predict_issues(name, fitted, issues), [fitted]
        pred[test_idx] = _predict_issues(name, fitted, [issues[k] for k in test_idx])
        fits.append(fitted)
    return pred, fits


def _mean_weights(fits: Sequence[Forecaster]) -> dict[str, float]:
    """Mean over folds of fitted weights, for a model that reports them (``weights()``)."""
    rows = [f.weights() for f in fits if callable(getattr(f, "weights", None))]  # type: ignore[attr-defined]
    return {k: float(np.mean([r[k] for r in rows])) for k in rows[0]} if rows else {}


def backtest_deu3(
    models: Sequence[str] | Mapping[str, Forecaster] | None = None,
    folds: int = 10,
    seed: int = 0,
    *,
    attempt: str | None = "blend",
    baseline: str = "compromise",
    include_slow: bool = False,
) -> BacktestResult:
    """Score ``models`` (default: every registered one) on the DEU III issues with an outcome.

    ``models`` may be registry names or a mapping name -> forecaster. Registered models whose
    module is not available are listed in ``skipped`` with the reason; so are ``SLOW_MODELS``
    unless ``include_slow``. ``attempt`` (None to skip the comparison) and ``baseline`` are
    always scored.
    """
    issues = load_deu3()
    fold = proposal_folds([i.proposal for i in issues], folds, seed)
    outcome = np.array([i.outcome for i in issues])
    skipped: dict[str, str] = {}
    chosen: dict[str, Forecaster] = {}
    if isinstance(models, Mapping):
        chosen.update(models)
        names: list[str] = []
    else:
        names = list(FORECASTERS) if models is None else list(models)
    for extra in (baseline, attempt):
        if extra is not None and extra not in chosen and extra not in names:
            names.append(extra)
    for name in names:
        if name in SLOW_MODELS and not include_slow and name not in (baseline, attempt):
            skipped[name] = "slow; run with include_slow=True"
            continue
        if name not in FORECASTERS:
            raise ForecastError(
                f"unknown forecaster {name!r}; choose from {', '.join(FORECASTERS)}"
            )
        try:
            chosen[name] = FORECASTERS[name]()
        except ForecastError as exc:
            skipped[name] = str(exc)

    scores, errors, fits = [], {}, {}
    for name, model in chosen.items():
        start = time.perf_counter()
        pred, fits[name] = _out_of_fold(name, model, issues, fold)
        seconds = time.perf_counter() - start
        errors[name] = np.abs(pred - outcome)
        scores.append(
            ModelScore(
                name=name,
                summary=error_summary(pred, outcome),
                n_failed=int(np.sum(~np.isfinite(pred))),
                seconds=seconds,
            )
        )

    cv = None
    if attempt is not None and attempt in chosen and baseline in chosen:
        cv = CrossValidation(
            attempt=attempt,
            baseline=baseline,
            folds=folds,
            seed=seed,
            comparison=paired_comparison(
                errors[attempt], errors[baseline], [i.proposal for i in issues]
            ),
            attempt_weights=_mean_weights(fits[attempt]),
        )
    best = _best(scores, len(issues), errors, [i.proposal for i in issues], baseline, folds, seed)
    return BacktestResult(
        n_issues=len(issues),
        n_proposals=len({i.proposal for i in issues}),
        folds=folds,
        seed=seed,
        scores=tuple(scores),
        skipped=skipped,
        cv=cv,
        best=best,
    )


def _best(
    scores: Sequence[ModelScore],
    n_issues: int,
    errors: Mapping[str, FloatArray],
    proposals: Sequence[str],
    baseline: str,
    folds: int,
    seed: int,
) -> BestModel | None:
    """The lowest out-of-fold MAE among models that forecast every issue, against the
    baseline (module docstring)."""
    full = [s for s in scores if s.summary.n == n_issues and np.isfinite(s.summary.mae)]
    if not full or baseline not in errors:
        return None
    top = min(full, key=lambda s: s.summary.mae)  # min keeps the first of equals
    cv = None
    if top.name != baseline:
        cv = CrossValidation(
            attempt=top.name,
            baseline=baseline,
            folds=folds,
            seed=seed,
            comparison=paired_comparison(errors[top.name], errors[baseline], proposals),
        )
    return BestModel(
        name=top.name, mae=top.summary.mae, baseline=baseline, cv=cv, n_candidates=len(full)
    )
