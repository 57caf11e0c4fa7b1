"""Accuracy of point forecasts against real outcomes, and paired comparisons of two models.

>>> s = error_summary([10.0, 50.0, 90.0], [0.0, 55.0, 90.0])
>>> s.n, s.mae, s.median_ae, round(s.within_10, 3)
(3, 5.0, 5.0, 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from burdenshare.errors import ForecastError

__all__ = ["ErrorSummary", "PairedComparison", "error_summary", "paired_comparison"]

FloatArray = npt.NDArray[np.float64]

#: "close enough" band, in points of the 0-100 scale
WITHIN = 10.0


@dataclass(frozen=True)
class ErrorSummary:
    """n forecasts; mean and median absolute error; share within ``within`` points."""

    n: int
    mae: float
    median_ae: float
    within_10: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def error_summary(
    predicted: Sequence[float] | FloatArray,
    observed: Sequence[float] | FloatArray,
    *,
    within: float = WITHIN,
) -> ErrorSummary:
    """Summarise the absolute errors of ``predicted`` against ``observed`` (equal lengths).

    NaN predictions (the model could not forecast that case) are left out of every figure.
    """
    p = np.asarray(predicted, dtype=np.float64)
    o = np.asarray(observed, dtype=np.float64)
    if p.shape != o.shape:
        raise ForecastError(f"{p.shape[0]} predictions for {o.shape[0]} outcomes")
    ok = np.isfinite(p) & np.isfinite(o)
    err = np.abs(p[ok] - o[ok])
    if err.size == 0:
        return ErrorSummary(n=0, mae=math.nan, median_ae=math.nan, within_10=math.nan)
    return ErrorSummary(
        n=int(err.size),
        mae=float(np.mean(err)),
        median_ae=float(np.median(err)),
        within_10=float(np.mean(err <= within)),
    )


@dataclass(frozen=True)
class PairedComparison:
    """Model A against model B on the same cases: ``difference = |error A| − |error B|``.

    ``mean_difference`` < 0 means A is more accurate. ``se`` is the standard error of the mean
    over cases; ``cluster_se`` treats cases of one group (a proposal) as one draw, which is the
    honest figure when cases within a group are correlated. ``z = mean_difference / cluster_se``.
    """

    n: int
    n_groups: int
    mae_a: float
    mae_b: float
    mean_difference: float
    se: float
    cluster_se: float
    a_better: int
    b_better: int

    @property
    def z(self) -> float:
        return self.mean_difference / self.cluster_se if self.cluster_se > 0 else math.nan

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "z": self.z}


def paired_comparison(
    error_a: Sequence[float] | FloatArray,
    error_b: Sequence[float] | FloatArray,
    groups: Sequence[str] | None = None,
) -> PairedComparison:
    """Compare absolute errors case by case (cases where either is NaN are dropped).

    >>> c = paired_comparison([1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 5.0, 5.0], ["p", "p", "q", "r"])
    >>> c.mean_difference, c.a_better, c.b_better, c.n_groups
    (-1.0, 3, 0, 3)
    """
    a = np.abs(np.asarray(error_a, dtype=np.float64))
    b = np.abs(np.asarray(error_b, dtype=np.float64))
    g = np.asarray(groups if groups is not None else [str(k) for k in range(a.size)])
    if not a.shape == b.shape == g.shape:
        raise ForecastError("paired_comparison needs equally long error and group sequences")
    ok = np.isfinite(a) & np.isfinite(b)
    d, g = a[ok] - b[ok], g[ok]
    n = int(d.size)
    if n < 2:
        raise ForecastError(f"paired_comparison needs at least two common cases, got {n}")
    mean = float(np.mean(d))
    se = float(np.std(d, ddof=1) / math.sqrt(n))
    # cluster-robust (CR1-style) standard error of the mean: sum residuals within each group
    labels = np.unique(g)
    sums = np.array([float(np.sum(d[g == lab] - mean)) for lab in labels])
    m = len(labels)
    cluster_se = float(math.sqrt(m / (m - 1) * np.sum(sums**2)) / n) if m > 1 else math.nan
    return PairedComparison(
        n=n,
        n_groups=m,
        mae_a=float(np.mean(a[ok])),
        mae_b=float(np.mean(b[ok])),
        mean_difference=mean,
        se=se,
        cluster_se=cluster_se,
        a_better=int(np.sum(d < 0)),
        b_better=int(np.sum(d > 0)),
    )
