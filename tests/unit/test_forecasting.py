"""Known values for the compromise, median and Nash forecasters, and their errors.

Hand-computed cases; the Nash oracle is models.md §2.1 (Achen 2006, ch. 4): with quadratic
utilities and a far disagreement point the asymmetric Nash solution tends to the compromise
(weighted mean), with linear utilities to the weighted median.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from burdenshare.errors import ForecastError
from burdenshare.forecasting import ActorTable
from burdenshare.forecasting.compromise import (
    Compromise,
    Mean,
    Median,
    ReferencePoint,
    WeightedMedian,
    weighted_mean,
    weighted_median,
)
from burdenshare.forecasting.nash_multi import NashBargaining, nash_point
from burdenshare.forecasting.registry import FORECASTERS, _lazy, make_forecaster
from burdenshare.history.blend import Blend
from burdenshare.history.metrics import error_summary, paired_comparison

# positions 0, 50, 100; saliences 1, 0.5, 0.25; capabilities 2, 1, 4 -> weights c*s = 2, 0.5, 1
THREE = ActorTable.single(
    ["a", "b", "c"], [0.0, 50.0, 100.0], [1.0, 0.5, 0.25], [2.0, 1.0, 4.0], scale=(0.0, 100.0)
)


def _one(model, table: ActorTable = THREE) -> float:
    return float(model.predict(table).outcome[0])


# -- compromise and baselines ---------------------------------------------------------------------
def test_compromise_is_the_capability_salience_weighted_mean() -> None:
    assert _one(Compromise()) == pytest.approx((0 * 2 + 50 * 0.5 + 100 * 1) / 3.5)  # 35.714...


def test_salience_only_weighted_mean() -> None:
    # weights 1, 0.5, 0.25
    assert _one(Compromise(capability_power=0.0)) == pytest.approx((25 + 25) / 1.75)


def test_capability_only_weighted_mean() -> None:
    assert _one(Compromise(salience_power=0.0)) == pytest.approx((50 + 400) / 7)


def test_mean_and_median_ignore_weights() -> None:
    assert _one(Mean()) == 50.0
    assert _one(Median()) == 50.0
    four = ActorTable.single(["a", "b", "c", "d"], [0.0, 10.0, 30.0, 100.0], [1] * 4, [1] * 4)
    assert _one(Median(), four) == 20.0
    assert _one(Mean(), four) == 35.0


def test_weighted_median_known_values() -> None:
    assert _one(WeightedMedian()) == 0.0  # weight 2 of 3.5 sits at 0
    assert _one(WeightedMedian(capability_power=0.0)) == 0.0  # 1 of 1.75: exactly half -> tie
    # ... a tie at exactly half the weight is split: 1 | 0.5 + 0.5 between 0 and 50
    tie = ActorTable.single(["a", "b", "c"], [0.0, 50.0, 100.0], [1.0, 0.5, 0.5], [1.0] * 3)
    assert _one(WeightedMedian(), tie) == 25.0
    assert weighted_median(np.array([3.0, 1.0, 2.0]), np.array([1.0, 1.0, 5.0])) == 2.0
    # zero-weight actors do not count
    assert weighted_median(np.array([0.0, 9.0, 10.0]), np.array([0.0, 1.0, 1.0])) == 9.5


def test_weighted_mean_rejects_zero_weights() -> None:
    with pytest.raises(ForecastError, match="sum to zero"):
        weighted_mean(np.array([1.0, 2.0]), np.array([0.0, 0.0]))


def test_multi_issue_tables_are_forecast_issue_by_issue() -> None:
    t = ActorTable(
        actors=("a", "b"),
        issues=("x", "y"),
        position=np.array([[0.0, 10.0], [100.0, 20.0]]),
        salience=np.array([[1.0, 0.5], [1.0, 0.5]]),
        capability=np.array([1.0, 3.0]),
    )
    assert Compromise().predict(t).outcome.tolist() == [75.0, 17.5]


def test_reference_point() -> None:
    t = ActorTable.single(["a", "b"], [0.0, 100.0], [1.0, 1.0], [1.0, 3.0], reference=12.5)
    assert _one(ReferencePoint(), t) == 12.5
    with pytest.raises(ForecastError, match="no reference point"):
        ReferencePoint().predict(THREE)
    assert _one(ReferencePoint(fallback=Compromise()), THREE) == _one(Compromise())


def test_bad_parameters_and_tables_raise_forecast_error() -> None:
    with pytest.raises(ForecastError, match=">= 0"):
        Compromise(capability_power=-1.0).predict(THREE)
    with pytest.raises(ForecastError, match="two actors"):
        ActorTable.single(["a"], [0.0], [1.0], [1.0])
    with pytest.raises(ForecastError, match=r"\[0, 1\]"):
        ActorTable.single(["a", "b"], [0.0, 1.0], [1.0, 50.0], [1.0, 1.0])
    with pytest.raises(ForecastError, match="finite position"):
        ActorTable.single(["a", "b"], [0.0, math.nan], [1.0, 1.0], [1.0, 1.0])
    with pytest.raises(ForecastError, match="both capability and salience"):
        ActorTable.single(["a", "b"], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0])
    with pytest.raises(ForecastError, match="utility"):
        NashBargaining(utility="cubic").predict(THREE)  # type: ignore[arg-type]
    with pytest.raises(ForecastError, match="reference"):
        NashBargaining(reference="nearby").predict(THREE)  # type: ignore[arg-type]
    with pytest.raises(ForecastError, match="far_distance"):
        NashBargaining(reference="far", far_distance=0.0).predict(THREE)
    with pytest.raises(ForecastError, match="no reference point"):
        NashBargaining().predict(THREE)


# -- the Nash bargaining oracle --------------------------------------------------------------------
def test_nash_two_actors_closed_form_quadratic() -> None:
    # x = 0, 1, equal powers, q = 2: f' = -2/(2-x) + 1/(2+x) + 1/x = 0 <=> 2x^2 + x - 2 = 0
    got = nash_point(np.array([0.0, 1.0]), np.array([1.0, 1.0]), q=2.0)
    assert got == pytest.approx((math.sqrt(17) - 1) / 4, abs=1e-12)


def test_nash_two_actors_closed_form_linear() -> None:
    # x = 0, 1, powers w1, w2, q = 2: f = w1 log(2 - x) + w2 log(x), x* = 2 w2 / (w1 + w2)
    got = nash_point(np.array([0.0, 1.0]), np.array([3.0, 1.0]), q=2.0, utility="linear")
    assert got == pytest.approx(0.5, abs=1e-12)
    # w2 >= w1: the maximiser would lie beyond b's position, so it stops there
    assert nash_point(np.array([0.0, 1.0]), np.array([1.0, 1.0]), 2.0, "linear") == 1.0


@pytest.mark.parametrize("seed", range(5))
def test_quadratic_nash_with_far_reference_tends_to_the_compromise(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 7
    table = ActorTable.single(
        [f"a{i}" for i in range(n)],
        rng.uniform(0, 100, n),
        rng.uniform(0.1, 1.0, n),
        rng.uniform(0.1, 4.0, n),
        scale=(0.0, 100.0),
    )
    target = _one(Compromise(), table)
    errors = [
        abs(_one(NashBargaining(reference="far", far_distance=d), table) - target)
        for d in (1.0, 10.0, 100.0, 1e3, 1e4)
    ]
    assert all(b < a for a, b in itertools.pairwise(errors)), errors
    # the error shrinks like 1 / distance: under (range of the scale) / distance
    for d, err in zip((1.0, 10.0, 100.0, 1e3, 1e4), errors, strict=True):
        assert err < 100.0 / d, (d, err)
    assert errors[-1] < 0.01
    # the default far point (1e4 scale widths) is within 0.01 points of the compromise
    assert _one(NashBargaining(reference="far"), table) == pytest.approx(target, abs=0.01)


@pytest.mark.parametrize("seed", range(5))
def test_linear_nash_with_far_reference_is_the_weighted_median(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 6
    table = ActorTable.single(
        [f"a{i}" for i in range(n)],
        rng.choice(np.linspace(0, 100, 11), n),
        rng.uniform(0.1, 1.0, n),
        rng.uniform(0.1, 4.0, n),
        scale=(0.0, 100.0),
    )
    got = _one(NashBargaining(utility="linear", reference="far"), table)
    assert got == pytest.approx(_one(WeightedMedian(), table), abs=1e-6)


def test_nash_status_quo_between_the_actors_is_the_solution() -> None:
    t = ActorTable.single(["a", "b", "c"], [0.0, 50.0, 100.0], [1.0] * 3, [1.0] * 3, reference=30)
    assert _one(NashBargaining(), t) == 30.0
    assert _one(NashBargaining(utility="linear"), t) == 30.0


def test_nash_status_quo_outside_differs_from_the_compromise_when_close() -> None:
    t = ActorTable.single(["a", "b"], [0.0, 1.0], [1.0, 1.0], [1.0, 1.0], reference=2.0)
    near = _one(NashBargaining(), t)
    assert near == pytest.approx((math.sqrt(17) - 1) / 4)
    assert abs(near - _one(Compromise(), t)) > 0.2


def test_nash_capability_power_ignores_salience_in_the_limit() -> None:
    t = ActorTable.single(["a", "b"], [0.0, 100.0], [1.0, 0.25], [1.0, 1.0], scale=(0, 100))
    assert _one(NashBargaining(reference="far", power="capability"), t) == pytest.approx(
        50.0, abs=0.01
    )
    assert _one(NashBargaining(reference="far"), t) == pytest.approx(20.0, abs=0.01)


def test_nash_all_actors_agree() -> None:
    t = ActorTable.single(["a", "b"], [40.0, 40.0], [1.0, 1.0], [1.0, 1.0], reference=0.0)
    assert _one(NashBargaining(), t) == 40.0


# -- registry and blend ---------------------------------------------------------------------------
def test_registry_builds_fresh_forecasters() -> None:
    a, b = make_forecaster("compromise"), make_forecaster("compromise")
    assert a is not b
    assert make_forecaster("compromise-salience").get_params() == {
        "capability_power": 0.0,
        "salience_power": 1.0,
    }
    assert {"bdm", "bdm-scholz", "exchange", "blend", "compromise"} <= set(FORECASTERS)


def test_unknown_forecaster_lists_the_names() -> None:
    with pytest.raises(ForecastError, match="compromise, compromise-salience"):
        make_forecaster("oracle")


def test_lazy_entry_for_a_missing_module_says_not_available() -> None:
    factory = _lazy("burdenshare.forecasting.no_such_model", "Model", lambda cls: cls())
    with pytest.raises(ForecastError, match="model not available"):
        factory()


def test_blend_learns_convex_weights_and_must_be_fitted() -> None:
    blend = Blend(models=("compromise", "mean"))
    with pytest.raises(ForecastError, match="not fitted"):
        blend.predict(THREE)
    tables = [THREE, ActorTable.single(["a", "b"], [0.0, 100.0], [1.0, 1.0], [1.0, 3.0])]
    # outcomes equal to the compromise forecasts: all weight on the compromise
    fitted = blend.fit(tables, [Compromise().predict(t).outcome for t in tables])
    assert fitted is blend
    assert blend.weights() == pytest.approx({"compromise": 1.0, "mean": 0.0})
    assert _one(blend) == pytest.approx(_one(Compromise()))
    with pytest.raises(ForecastError, match="at least one"):
        Blend().fit([], [])


# -- metrics --------------------------------------------------------------------------------------
def test_error_summary_known_values() -> None:
    s = error_summary([0.0, 20.0, 50.0, math.nan], [5.0, 40.0, 50.0, 1.0])
    assert (s.n, s.mae, s.median_ae, s.within_10) == (3, 25 / 3, 5.0, 2 / 3)


def test_paired_comparison_cluster_se() -> None:
    c = paired_comparison([1.0, 3.0, 2.0, 2.0], [2.0, 2.0, 2.0, 4.0], ["p", "p", "q", "r"])
    # differences -1, 1, 0, -2: mean -0.5; group sums of residuals 1, 0.5, -1.5
    assert c.mean_difference == -0.5
    assert c.se == pytest.approx(np.std([-1, 1, 0, -2], ddof=1) / 2)
    assert c.cluster_se == pytest.approx(math.sqrt(3 / 2 * (1 + 0.25 + 2.25)) / 4)
    assert (c.a_better, c.b_better, c.n_groups) == (2, 1, 3)
