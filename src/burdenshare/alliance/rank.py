"""Spearman's rank correlation with its p-value and a bootstrap confidence interval.

- ``rho``: Pearson's correlation of the average ranks (ties share their mean rank; Spearman
  1904; the definition scipy.stats.spearmanr uses).
- p-value, ``"exact"`` for ``n <= EXACT_MAX``: the share of the ``n!`` orderings of the second
  sample's ranks whose correlation is at least as extreme as the observed one (a permutation
  test, exact also with ties, conditional on them). Otherwise ``"t"``: Student's t with
  ``n - 2`` degrees of freedom on ``t = rho sqrt((n - 2) / (1 - rho^2))`` (the approximation
  scipy.stats.spearmanr reports; Kendall & Gibbons 1990, "Rank correlation methods").
- interval: the percentile bootstrap over pairs (Efron & Tibshirani 1993, "An introduction to the
  bootstrap", ch. 13): ``resamples`` draws of ``n`` pairs with replacement from a passed-in
  :class:`numpy.random.Generator`; draws whose ranks are constant (no correlation defined) are
  dropped and counted out of ``RankTest.resamples``.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence

import numpy as np
from scipy.stats import rankdata
from scipy.stats import t as student_t

from burdenshare.alliance.records import RankTest
from burdenshare.errors import ScenarioError

__all__ = ["ALTERNATIVES", "EXACT_MAX", "MAX_RESAMPLES", "rank_test", "spearman"]

#: the largest sample whose p-value is computed exactly (9! = 362,880 orderings)
EXACT_MAX = 9
ALTERNATIVES = ("two-sided", "greater", "less")
#: the most bootstrap resamples a test draws (100,000 x 32 allies is about 26 MB of indices)
MAX_RESAMPLES = 100_000
#: a permuted correlation within this of the observed one counts as equal (rounding)
_TIE_TOL = 1e-12


def _corr_rows(rx: np.ndarray, ry: np.ndarray) -> np.ndarray:
    """Pearson's correlation of each row of ``rx`` with the same row of ``ry`` (NaN if constant)."""
    dx = rx - rx.mean(axis=-1, keepdims=True)
    dy = ry - ry.mean(axis=-1, keepdims=True)
    num = (dx * dy).sum(axis=-1)
    den = np.sqrt((dx * dx).sum(axis=-1) * (dy * dy).sum(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(den > 0.0, num / np.where(den > 0.0, den, 1.0), np.nan)
    return np.asarray(out)


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rho with average ranks for ties (NaN when either sample is constant).

    >>> spearman([1, 2, 3, 4], [10, 30, 20, 40])
    0.8
    """
    rx = rankdata(np.asarray(x, dtype=np.float64))
    ry = rankdata(np.asarray(y, dtype=np.float64))
    return float(_corr_rows(rx, ry))


@functools.cache
def _orderings(n: int) -> np.ndarray:
    """Every ordering of ``range(n)``, one per row (read-only; 9! x 9 bytes at most)."""
    out = np.array(list(itertools.permutations(range(n))), dtype=np.int8)
    out.flags.writeable = False
    return out


def _p_exact(rx: np.ndarray, ry: np.ndarray, rho: float, alternative: str) -> float:
    dx = rx - rx.mean()
    dy = ry - ry.mean()
    # rho of every ordering: the ranks' spreads are the same in every row
    rhos = (dy[_orderings(len(ry))] @ dx) / math.sqrt(float(dx @ dx) * float(dy @ dy))
    if alternative == "greater":
        hits = rhos >= rho - _TIE_TOL
    elif alternative == "less":
        hits = rhos <= rho + _TIE_TOL
    else:
        hits = np.abs(rhos) >= abs(rho) - _TIE_TOL
    return float(hits.mean())


def _p_t(rho: float, n: int, alternative: str) -> float:
    df = n - 2
    if abs(rho) >= 1.0:
        tail = 0.0
        t = math.copysign(math.inf, rho)
    else:
        t = rho * math.sqrt(df / (1.0 - rho * rho))
        tail = float(student_t.sf(abs(t), df))
    if alternative == "greater":
        return float(student_t.sf(t, df))
    if alternative == "less":
        return float(student_t.cdf(t, df))
    return min(1.0, 2.0 * tail)


def rank_test(
    x: Sequence[float],
    y: Sequence[float],
    rng: np.random.Generator,
    *,
    resamples: int = 2000,
    confidence: float = 0.95,
    alternative: str = "two-sided",
) -> RankTest:
    """Spearman's rho of ``x`` and ``y``, its p-value and its bootstrap interval.

    >>> t = rank_test([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], np.random.default_rng(0), resamples=200)
    >>> t.rho, t.p_method, round(t.p_value, 4)    # 0.8; 16 of 120 orderings as extreme
    (0.8, 'exact', 0.1333)
    """
    n = len(x)
    if n != len(y) or n < 3:
        raise ScenarioError(
            "a rank correlation needs at least three pairs",
            field="allies",
            value=n,
            expected="three or more allies with both figures",
        )
    if alternative not in ALTERNATIVES:
        raise ScenarioError(
            "unknown alternative hypothesis",
            field="--alternative",
            value=alternative,
            expected=", ".join(ALTERNATIVES),
        )
    if not 1 <= resamples <= MAX_RESAMPLES:
        raise ScenarioError(
            "bootstrap resamples out of range",
            field="--resamples",
            value=resamples,
            expected=f"an integer from 1 to {MAX_RESAMPLES:,}",
        )
    if not 0.0 < confidence < 1.0:
        raise ScenarioError(
            "the interval's level must lie strictly between 0 and 1",
            field="--confidence",
            value=confidence,
            expected="a number in (0, 1), e.g. 0.95",
        )
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    rx, ry = rankdata(xa), rankdata(ya)
    rho = float(_corr_rows(rx, ry))
    if math.isnan(rho):
        raise ScenarioError(
            "a rank correlation needs figures that vary",
            field="allies",
            expected="at least two distinct sizes and two distinct burdens",
        )
    if n <= EXACT_MAX:
        p, method = _p_exact(rx, ry, rho, alternative), "exact"
    else:
        p, method = _p_t(rho, n, alternative), "t"
    idx = rng.integers(0, n, size=(resamples, n))
    boot = _corr_rows(rankdata(xa[idx], axis=1), rankdata(ya[idx], axis=1))
    boot = boot[~np.isnan(boot)]
    tail = (1.0 - confidence) / 2.0
    lo, hi = (
        (float(np.quantile(boot, tail)), float(np.quantile(boot, 1.0 - tail)))
        if boot.size
        else (math.nan, math.nan)
    )
    return RankTest(
        n=n,
        rho=rho,
        p_value=p,
        p_method=method,
        alternative=alternative,
        ci_low=lo,
        ci_high=hi,
        confidence=confidence,
        resamples=int(boot.size),
    )
