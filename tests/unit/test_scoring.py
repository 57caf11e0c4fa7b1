"""Known values and properties of the proper scores (burdenshare.history.scoring)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from burdenshare.history.scoring import (
    LOG_CLIP,
    Z80,
    brier,
    coverage,
    crps_normal,
    crps_point,
    crps_sample,
    interval_normal,
    log_score,
    paired_difference,
    pct_error,
    reliability_bins,
)

probs = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
values = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)


def test_brier_and_log_known_values() -> None:
    # hand-worked: (0.7 - 1)^2 = 0.09; (0.7 - 0)^2 = 0.49; -ln 0.7 = 0.356675
    assert brier(0.7, True) == pytest.approx(0.09)
    assert brier(0.7, False) == pytest.approx(0.49)
    assert log_score(0.7, True) == pytest.approx(0.3566749, abs=1e-6)
    assert log_score(0.7, False) == pytest.approx(-math.log(0.3))
    # the clip: a certain miss costs -ln(LOG_CLIP), not infinity
    assert log_score(1.0, False) == pytest.approx(-math.log(LOG_CLIP))
    with pytest.raises(ValueError, match="probability"):
        brier(1.2, True)


def test_crps_sample_hand_worked() -> None:
    # sample {1, 2, 3}, y = 2: E|X-y| = 2/3; E|X-X'| = (0+1+2+1+0+1+2+1+0)/9 = 8/9
    assert crps_sample([3.0, 1.0, 2.0], 2.0) == pytest.approx(2 / 3 - 4 / 9)
    # the O(n log n) form equals the O(n^2) energy form on a random sample
    rng = np.random.default_rng(1)
    x = rng.normal(size=57)
    energy = np.mean(np.abs(x - 0.3)) - 0.5 * np.mean(np.abs(x[:, None] - x[None, :]))
    assert crps_sample(x, 0.3) == pytest.approx(float(energy), rel=1e-12)


@given(values, values)
def test_crps_of_a_point_is_the_absolute_error(x: float, y: float) -> None:
    assert crps_sample([x], y) == pytest.approx(abs(x - y), abs=1e-9)
    assert crps_point(x, y) == abs(x - y)
    assert crps_normal(x, 0.0, y) == abs(x - y)


@pytest.mark.parametrize(
    ("mu", "sigma", "y"), [(0.0, 1.0, 0.0), (10.0, 3.0, 14.0), (-2.0, 0.5, -2.7)]
)
def test_crps_normal_closed_form_matches_a_large_sample(mu: float, sigma: float, y: float) -> None:
    # Gneiting et al. (2005) eq. 5 against the sample estimator on 200,000 draws: the sample
    # estimate's standard error is below 0.3% of sigma here, so 1% of sigma is a safe tolerance
    draws = np.random.default_rng(7).normal(mu, sigma, 200_000)
    assert crps_normal(mu, sigma, y) == pytest.approx(crps_sample(draws, y), abs=0.01 * sigma)
    # at y = mu: sigma (sqrt 2 - 1) / sqrt(pi)
    assert crps_normal(mu, sigma, mu) == pytest.approx(
        sigma * (math.sqrt(2) - 1) / math.sqrt(math.pi)
    )


def test_interval_normal_recovers_sigma() -> None:
    mu, sigma = interval_normal(50.0, 50.0 - 2 * Z80, 50.0 + 2 * Z80)
    assert (mu, sigma) == (50.0, pytest.approx(2.0))
    with pytest.raises(ValueError, match="contain the point"):
        interval_normal(10.0, 11.0, 12.0)


def test_coverage_pct_error_reliability() -> None:
    assert coverage([0.0, 5.0], [1.0, 6.0], [1.0, 7.0]) == 0.5
    assert math.isnan(coverage([], [], []))
    assert pct_error(110.0, 100.0) == pytest.approx(10.0)
    bins = reliability_bins([0.05, 0.15, 0.55, 1.0, 0.99], [False, False, True, True, False], 10)
    assert [(b.low, b.count) for b in bins] == [(0.0, 1), (0.1, 1), (0.5, 1), (0.9, 2)]
    assert bins[-1].mean_forecast == pytest.approx(0.995)
    assert bins[-1].observed_frequency == 0.5


def test_paired_difference_clusters_by_round() -> None:
    # d = [-0.25, -0.15, -0.05, -0.25], mean -0.175; groups a={0,1}, b={2}, c={3}
    # residual sums: a -0.05, b 0.125, c -0.075; their squares sum to 0.02375;
    # CR1 = sqrt(3/2 * 0.02375) / 4
    d = paired_difference([0.0, 0.1, 0.2, 0.0], [0.25] * 4, ["a", "a", "b", "c"])
    assert d.mean_difference == pytest.approx(-0.175)
    assert d.cluster_se == pytest.approx(math.sqrt(1.5 * 0.02375) / 4)
    assert d.z == pytest.approx(-0.175 / d.cluster_se)
    one = paired_difference([0.0, 0.1], [0.2, 0.2], ["a", "a"])
    assert one.n_groups == 1
    assert math.isnan(one.cluster_se)
    assert math.isnan(one.z)
    skip = paired_difference([0.0, math.nan, 0.1], [0.2, 0.2, 0.2], ["a", "b", "c"])
    assert skip.n == 2


@given(probs, probs)
def test_brier_and_log_are_proper(q: float, p: float) -> None:
    # expected score under the true probability q is minimised by forecasting p = q
    def expected(score, f: float) -> float:  # type: ignore[no-untyped-def]
        return q * score(f, True) + (1 - q) * score(f, False)

    assert expected(brier, q) <= expected(brier, p) + 1e-12
    qc = min(
        max(q, LOG_CLIP), 1 - LOG_CLIP
    )  # propriety of the clipped log score holds inside the clip
    pc = min(max(p, LOG_CLIP), 1 - LOG_CLIP)
    assert expected(log_score, qc) <= expected(log_score, pc) + 1e-12


@given(probs, st.booleans(), st.lists(values, min_size=1, max_size=30), values)
def test_scores_are_non_negative(p: float, y: bool, sample: list[float], obs: float) -> None:
    assert brier(p, y) >= 0
    assert log_score(p, y) >= 0
    assert crps_sample(sample, obs) >= -1e-9 * (1 + max(abs(v) for v in [*sample, obs]))
