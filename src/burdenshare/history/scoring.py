"""Proper scoring rules and paired comparisons for the record backtest.

Every score here is *negatively oriented*: smaller is better, 0 is a perfect forecast.

- Brier score of a probability forecast ``p`` of a binary event ``y``: ``(p - y)**2``
  (Brier 1950; Gneiting & Raftery 2007, section 3, "quadratic score"). A coin (``p = 0.5``)
  scores 0.25 whatever happens.
- Log score: ``-ln(p)`` if the event happened, ``-ln(1 - p)`` if not (Good 1952; Gneiting &
  Raftery 2007, eq. 3 with the sign turned). Probabilities are first clipped to
  ``[LOG_CLIP, 1 - LOG_CLIP]`` (``LOG_CLIP = 0.01``): an ensemble of a few hundred sessions
  reports 0 or 1 whenever no session (or every session) agrees, and an unclipped miss would be
  infinite, so one case would decide every comparison. With the clip a confident miss costs
  ``-ln(0.01) = 4.61`` and a coin ``ln 2 = 0.693``.
- CRPS (continuous ranked probability score) of a predictive distribution ``F`` for an outcome
  ``y``: ``E|X - y| - E|X - X'|/2`` with ``X, X'`` independent draws of ``F`` (Gneiting &
  Raftery 2007, eq. 20, the energy form). For an ensemble sample it is computed on the sorted
  sample in ``O(n log n)``: ``E|X - X'| = (2 / n**2) * sum_i (2i - n - 1) x_(i)`` (i = 1..n).
  The CRPS of a point forecast (a distribution with all its mass at ``x``) is ``|x - y|``, so
  CRPS and absolute error are on one scale. A point forecast with an 80% interval is scored as
  the normal distribution with that median whose 10% and 90% quantiles best match the interval
  (:func:`interval_normal`), with the closed form of Gneiting et al. (2005), eq. 5.
- Coverage: the share of outcomes inside the forecast's central 80% interval (ends included).
- Percent error: ``100 * (forecast - actual) / actual``.

:func:`paired_difference` compares two methods on the same cases. Cases of one round (several
as-of dates of one negotiation) share one outcome and are not independent, so its standard
error is clustered by round (the CR1 sandwich estimator of the mean; Cameron & Miller 2015,
"A practitioner's guide to cluster-robust inference", J. Human Resources 50(2), eq. 11 for a
regression on a constant).

>>> round(brier(0.8, True), 4), round(log_score(0.8, True), 4), crps_sample([1.0, 2.0, 3.0], 2.0)
(0.04, 0.2231, 0.2222222222222222)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import norm

__all__ = [
    "LOG_CLIP",
    "Z80",
    "PairedDifference",
    "ReliabilityBin",
    "brier",
    "coverage",
    "crps_normal",
    "crps_point",
    "crps_sample",
    "interval_normal",
    "log_score",
    "paired_difference",
    "pct_error",
    "reliability_bins",
]

FloatArray = npt.NDArray[np.float64]

#: probabilities are clipped to [LOG_CLIP, 1 - LOG_CLIP] before the log score
LOG_CLIP = 0.01
#: the 90% quantile of the standard normal: a central 80% interval is mu +- Z80 sigma
Z80 = float(norm.ppf(0.9))


def _prob(p: float) -> float:
    if not 0.0 <= p <= 1.0 or math.isnan(p):
        raise ValueError(f"a probability must lie in [0, 1], got {p!r}")
    return float(p)


def brier(p: float, happened: bool) -> float:
    """Brier score ``(p - y)**2`` of probability ``p`` for an event that ``happened`` or not.

    >>> brier(0.5, False), brier(1.0, True)
    (0.25, 0.0)
    """
    return (_prob(p) - float(happened)) ** 2


def log_score(p: float, happened: bool, clip: float = LOG_CLIP) -> float:
    """Negative log likelihood of the outcome; ``p`` clipped to ``[clip, 1 - clip]`` (module doc).

    >>> round(log_score(0.5, True), 4), round(log_score(0.0, True), 4)
    (0.6931, 4.6052)
    """
    q = min(max(_prob(p), clip), 1.0 - clip)
    return -math.log(q if happened else 1.0 - q)


def crps_sample(sample: Sequence[float] | FloatArray, y: float) -> float:
    """CRPS of the empirical distribution of ``sample`` at ``y`` (energy form, sorted sample).

    >>> crps_sample([5.0], 3.0)
    2.0
    """
    x = np.sort(np.asarray(sample, dtype=np.float64))
    n = x.size
    if n == 0:
        raise ValueError("crps_sample needs at least one draw")
    if not np.all(np.isfinite(x)) or not math.isfinite(y):
        raise ValueError("crps_sample needs finite draws and outcome")
    i = np.arange(1, n + 1, dtype=np.float64)
    spread = 2.0 / n**2 * float(np.sum((2.0 * i - n - 1.0) * x))
    return float(np.mean(np.abs(x - y))) - 0.5 * spread


def crps_point(x: float, y: float) -> float:
    """CRPS of a point forecast: the absolute error ``|x - y|``."""
    return abs(x - y)


def crps_normal(mu: float, sigma: float, y: float) -> float:
    """Closed-form CRPS of N(mu, sigma**2) at ``y`` (Gneiting et al. 2005, Monthly Weather
    Review 133, eq. 5): ``sigma * (z (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi))`` with
    ``z = (y - mu) / sigma``.
    ``sigma = 0`` is the point forecast.

    >>> round(crps_normal(0.0, 1.0, 0.0), 6)  # (sqrt(2) - 1) / sqrt(pi)
    0.233695
    """
    if sigma < 0 or math.isnan(sigma):
        raise ValueError(f"sigma must be >= 0, got {sigma!r}")
    if sigma == 0:
        return crps_point(mu, y)
    z = (y - mu) / sigma
    return float(
        sigma * (z * (2.0 * norm.cdf(z) - 1.0) + 2.0 * norm.pdf(z) - 1.0 / math.sqrt(math.pi))
    )


def interval_normal(point: float, low: float, high: float) -> tuple[float, float]:
    """A point forecast with a central 80% interval turned into ``(mu, sigma)`` of a normal.

    ``mu`` is the point; ``sigma`` is the half-width of the interval over :data:`Z80` (the
    interval's two halves averaged when it is not symmetric about the point).

    >>> mu, s = interval_normal(100.0, 100.0 - Z80 * 5, 100.0 + Z80 * 5); mu, round(s, 9)
    (100.0, 5.0)
    """
    if not low <= point <= high:
        raise ValueError(f"the interval [{low}, {high}] must contain the point {point}")
    return point, (high - low) / (2.0 * Z80)


def coverage(lows: Sequence[float], highs: Sequence[float], actual: Sequence[float]) -> float:
    """Share of ``actual`` inside ``[low, high]`` (ends included); NaN for no cases.

    >>> coverage([0, 0, 0], [1, 1, 1], [0.5, 1.0, 2.0])
    0.6666666666666666
    """
    if not len(lows) == len(highs) == len(actual):
        raise ValueError("coverage needs equally long lows, highs and outcomes")
    if not actual:
        return math.nan
    return sum(lo <= y <= hi for lo, hi, y in zip(lows, highs, actual, strict=True)) / len(actual)


def pct_error(forecast: float, actual: float) -> float:
    """Percent error ``100 (forecast - actual) / actual``.

    >>> pct_error(1202.9, 1183.3)  # doctest: +ELLIPSIS
    1.656...
    """
    if actual == 0:
        raise ValueError("percent error of an outcome of 0 is undefined")
    return 100.0 * (forecast - actual) / actual


@dataclass(frozen=True)
class ReliabilityBin:
    """One bin of a reliability diagram: forecasts in ``[low, high)`` (the last bin closed)."""

    low: float
    high: float
    count: int
    mean_forecast: float
    observed_frequency: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def reliability_bins(
    probabilities: Sequence[float], happened: Sequence[bool], bins: int = 5
) -> tuple[ReliabilityBin, ...]:
    """Equal-width bins of the forecasts with their mean forecast and the observed frequency
    (Murphy & Winkler 1977). Empty bins are left out.

    >>> [(b.count, b.mean_forecast, b.observed_frequency) for b in
    ...  reliability_bins([0.1, 0.1, 0.9, 0.95], [False, True, True, True], bins=2)]
    [(2, 0.1, 0.5), (2, 0.925, 1.0)]
    """
    if len(probabilities) != len(happened):
        raise ValueError("reliability_bins needs as many outcomes as forecasts")
    if bins < 1:
        raise ValueError("reliability_bins needs at least one bin")
    p = np.asarray([_prob(v) for v in probabilities], dtype=np.float64)
    y = np.asarray(happened, dtype=np.float64)
    idx = np.minimum((p * bins).astype(np.int64), bins - 1)
    out = []
    for b in range(bins):
        sel = idx == b
        if not np.any(sel):
            continue
        out.append(
            ReliabilityBin(
                low=b / bins,
                high=(b + 1) / bins,
                count=int(np.sum(sel)),
                mean_forecast=float(np.mean(p[sel])),
                observed_frequency=float(np.mean(y[sel])),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class PairedDifference:
    """Method A against method B on the same cases: ``mean_difference = mean(score A - score B)``.

    With negatively oriented scores, a negative difference means A is better. ``se`` treats the
    cases as independent; ``cluster_se`` treats the cases of one round as one draw (NaN with a
    single round); ``z = mean_difference / cluster_se``.
    """

    n: int
    n_groups: int
    mean_a: float
    mean_b: float
    mean_difference: float
    se: float
    cluster_se: float

    @property
    def z(self) -> float:
        ok = self.cluster_se > 0 and math.isfinite(self.cluster_se)
        return self.mean_difference / self.cluster_se if ok else math.nan

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "z": self.z}


def paired_difference(
    score_a: Sequence[float], score_b: Sequence[float], groups: Sequence[str]
) -> PairedDifference:
    """Mean of ``score_a - score_b`` over cases where both are finite, with its cluster SE.

    CR1: ``se_c = sqrt(G / (G - 1) * sum_g (sum_{i in g} (d_i - mean))**2) / n`` for ``G`` groups.

    >>> d = paired_difference([0.0, 0.1, 0.2, 0.0], [0.25, 0.25, 0.25, 0.25], ["a", "a", "b", "c"])
    >>> round(d.mean_difference, 4), d.n_groups
    (-0.175, 3)
    """
    if not len(score_a) == len(score_b) == len(groups):
        raise ValueError("paired_difference needs equally long scores and groups")
    a = np.asarray(score_a, dtype=np.float64)
    b = np.asarray(score_b, dtype=np.float64)
    g = np.asarray(list(groups), dtype=object)
    ok = np.isfinite(a) & np.isfinite(b)
    a, b, g = a[ok], b[ok], g[ok]
    d = a - b
    n = int(d.size)
    if n == 0:
        return PairedDifference(0, 0, math.nan, math.nan, math.nan, math.nan, math.nan)
    mean = float(np.mean(d))
    se = float(np.std(d, ddof=1) / math.sqrt(n)) if n > 1 else math.nan
    labels = sorted(set(g.tolist()))
    m = len(labels)
    sums = np.array([float(np.sum(d[g == lab] - mean)) for lab in labels])
    cluster_se = float(math.sqrt(m / (m - 1) * float(np.sum(sums**2))) / n) if m > 1 else math.nan
    return PairedDifference(
        n=n,
        n_groups=m,
        mean_a=float(np.mean(a)),
        mean_b=float(np.mean(b)),
        mean_difference=mean,
        se=se,
        cluster_se=cluster_se,
    )
