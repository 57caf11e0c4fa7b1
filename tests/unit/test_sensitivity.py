"""Unit tests of ``burdenshare.ensemble.sensitivity``: tornado and Sobol' indices.

Tornado diagrams: Howard (1988), Management Science 34:679–695. Sobol' indices: Sobol' (2001),
Math. Comput. Simul. 55:271–280, with the estimators of Saltelli et al. (2010), Comput. Phys.
Commun. 181:259–270, as implemented in SALib (Herman & Usher 2017, JOSS 2:97).

The synthetic scenario has one lever: the seller's reservation is uniform on [20, 80] while the
buyer's is nearly fixed at 50 (a normal with sd 0.1), so whether the sides agree depends almost
only on the seller's belief (agreement needs it below about 50).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from burdenshare.ensemble.sensitivity import (
    MIN_AGREEMENTS,
    SobolResult,
    TornadoResult,
    _median,
    sobol,
    tornado,
)
from burdenshare.errors import SimulationError
from burdenshare.scenario import Scenario
from burdenshare.scenario.io import parse_scenario_text

LEVER = "parties.S.utility.price.reservation"
NARROW = "parties.B.utility.price.reservation"

ONE_LEVER = """\
id: one-lever
title: Only the seller's reservation matters
as_of: 2020-01-01
issues:
  - {id: price, unit: money, range: [0, 100]}
parties:
  S:
    utility:
      price: {prefers: higher, ideal: 100, reservation: SELLER}
  B:
    utility:
      price: {prefers: lower, ideal: 0, reservation: BUYER}
protocol:
  first_mover: S
  start: 2020-01-01
  round_every_days: 30
  deadline: 2020-12-31
  breakdown_risk_per_round: 0.05
"""


def scenario(seller: str = "{uniform: [20, 80]}", buyer: str = "{normal: [50, 0.1]}") -> Scenario:
    text = ONE_LEVER.replace("SELLER", seller).replace("BUYER", buyer)
    return parse_scenario_text(text).scenario


@pytest.fixture(scope="module")
def lever() -> Scenario:
    return scenario()


@pytest.fixture(scope="module")
def torn(lever: Scenario) -> TornadoResult:
    return tornado(lever, n=2_000, seed=3)


@pytest.fixture(scope="module")
def sob(lever: Scenario) -> SobolResult:
    return sobol(lever, n_base=256, seed=3, sessions_per_point=32)


# -- tornado ---------------------------------------------------------------------------------


def test_tornado_ranks_the_lever_first(torn: TornadoResult) -> None:
    assert [r.parameter for r in torn.rows] == [LEVER, NARROW]
    top, other = torn.rows
    assert top.swing > 0.5  # agrees at the 10th percentile (26), never at the 90th (74)
    assert top.p_high == 0.0
    assert other.swing < 0.05
    assert 0.1 < torn.p_baseline < 0.6  # about half the beliefs agree; some talks break down


def test_tornado_reports_quantiles_and_errors(torn: TornadoResult) -> None:
    top = torn.rows[0]
    assert top.low_value == pytest.approx(26.0)
    assert top.high_value == pytest.approx(74.0)
    assert top.p_low_se == pytest.approx(math.sqrt(top.p_low * (1 - top.p_low) / torn.n))
    assert torn.p_baseline_se > 0
    assert math.isfinite(torn.median_baseline)
    assert torn.median_baseline_se > 0
    assert math.isfinite(top.median_low)
    assert math.isnan(top.median_high)
    assert math.isnan(top.median_high_se)


def test_tornado_common_random_numbers(lever: Scenario) -> None:
    # holding a belief at a value it (almost) has anyway changes (almost) nothing
    res = tornado(lever, n=500, seed=1, low_q=0.49, high_q=0.51)
    narrow = next(r for r in res.rows if r.parameter == NARROW)
    assert abs(narrow.p_low - res.p_baseline) <= 0.01
    assert abs(narrow.p_high - res.p_baseline) <= 0.01


def test_tornado_is_reproducible(lever: Scenario, torn: TornadoResult) -> None:
    again = tornado(lever, n=2_000, seed=3)
    assert again == torn
    assert tornado(lever, n=2_000, seed=4).p_baseline != torn.p_baseline


def test_tornado_to_dict_and_describe(torn: TornadoResult) -> None:
    data = json.loads(json.dumps(torn.to_dict(), allow_nan=False))
    assert data["method"] == "tornado"
    assert data["issue"] == "price"
    assert [row["parameter"] for row in data["rows"]] == [LEVER, NARROW]
    assert data["rows"][0]["median_high"] is None
    text = torn.describe()
    head = f"The belief that matters most for P(agreement) is {LEVER}:"
    assert text.splitlines()[0].startswith(head)
    assert "10th percentile" in text
    assert "90th percentile" in text


# -- Sobol' ----------------------------------------------------------------------------------


def test_sobol_ranks_the_lever_first(sob: SobolResult) -> None:
    assert sob.parameters == (LEVER, NARROW)
    for ind in (sob.agreement, sob.settlement):
        assert ind.computed, ind.note
        assert ind.most_influential == LEVER
        assert ind.ST[0] > ind.ST[1]
        values = ind.S1 + ind.ST + ind.S1_conf + ind.ST_conf
        assert all(math.isfinite(v) for v in values)
        assert all(-0.2 <= v <= 1.2 for v in ind.S1 + ind.ST)
    assert sob.agreement.ST[0] > 0.7
    assert sob.agreement.ST[1] < 0.15  # ~ the binomial noise of 32 sessions a point
    assert sob.agreement.n_used == sob.n_base
    assert 0.0 <= sob.agreement.noise_share < 0.5
    # the settlement needs agreement at every cross-sampled point: about a quarter of the bases
    assert MIN_AGREEMENTS <= sob.settlement.n_used < sob.n_base
    assert sob.n_points == sob.n_base * (len(sob.parameters) + 2)


def test_sobol_is_reproducible(lever: Scenario, sob: SobolResult) -> None:
    again = sobol(lever, n_base=256, seed=3, sessions_per_point=32)
    assert again.to_dict() == sob.to_dict()
    assert again == sob
    other = sobol(lever, n_base=256, seed=4, sessions_per_point=32)
    assert other.agreement.ST != sob.agreement.ST


def test_sobol_leaves_global_random_state_alone(lever: Scenario) -> None:
    np.random.seed(123)
    expected = np.random.random()
    np.random.seed(123)
    sobol(lever, n_base=16, seed=0, sessions_per_point=2)
    assert np.random.random() == expected


def test_sobol_second_order(lever: Scenario) -> None:
    res = sobol(lever, n_base=64, seed=0, sessions_per_point=4, calc_second_order=True)
    assert res.n_points == 64 * (2 * 2 + 2)
    assert res.agreement.S2 is not None
    assert len(res.agreement.S2) == 2
    assert "S2" in res.to_dict()["outputs"]["agreement"]


def test_sobol_to_dict_and_describe(sob: SobolResult) -> None:
    data = json.loads(json.dumps(sob.to_dict(), allow_nan=False))
    rows = data["outputs"]["agreement"]["indices"]
    assert rows[0] == {
        "parameter": LEVER,
        "S1": sob.agreement.S1[0],
        "S1_conf": sob.agreement.S1_conf[0],
        "ST": sob.agreement.ST[0],
        "ST_conf": sob.agreement.ST_conf[0],
    }
    first = sob.describe().splitlines()[0]
    assert first.startswith(f"The belief that matters most for P(agreement) is {LEVER} (")


def test_sobol_without_any_agreement_does_not_crash() -> None:
    never = scenario(seller="{uniform: [80, 90]}")
    res = sobol(never, n_base=32, seed=0, sessions_per_point=2)
    for ind in (res.agreement, res.settlement):
        assert not ind.computed
        assert all(math.isnan(v) for v in ind.S1 + ind.ST)
        assert ind.note
    assert "does not vary" in res.agreement.note
    assert "base samples" in res.settlement.note
    assert "could not be computed" in res.describe()
    json.dumps(res.to_dict(), allow_nan=False)
    torn = tornado(never, n=200)
    assert torn.p_baseline == 0.0
    assert math.isnan(torn.median_baseline)
    assert torn.describe().startswith("No belief moves P(agreement)")


# -- helpers and errors ----------------------------------------------------------------------


def test_median_interval_by_order_statistics() -> None:
    # m = 400: 1-based ranks floor(200 - 19.6) = 180 and ceil(200 + 19.6) = 220, values 179, 219
    med, se = _median(np.arange(400.0))
    assert med == pytest.approx(199.5)
    assert se == pytest.approx((219 - 179) / (2 * 1.959963984540054))
    assert all(math.isnan(v) for v in _median(np.arange(MIN_AGREEMENTS - 1.0)))


def test_no_uncertain_parameter_is_an_error() -> None:
    fixed = scenario(seller="30", buyer="50")
    with pytest.raises(SimulationError, match="nothing to analyse"):
        tornado(fixed, n=10)
    with pytest.raises(SimulationError, match="nothing to analyse"):
        sobol(fixed, n_base=8)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": 0}, "n must be an integer >= 1, got 0"),
        ({"n": 2.5}, "got 2.5"),
        ({"low_q": 0.0}, "low_q must be a probability strictly between 0 and 1, got 0.0"),
        ({"high_q": 1.0}, "high_q .* got 1.0"),
        ({"low_q": 0.6, "high_q": 0.4}, "low_q must be below high_q, got low_q=0.6, high_q=0.4"),
        ({"low_q": 0.5, "high_q": 0.5}, "low_q=0.5, high_q=0.5"),
        ({"seed": -1}, "seed must be a non-negative integer, got -1"),
        ({"issue": "nope"}, "unknown issue 'nope'"),
    ],
)
def test_tornado_bad_arguments(lever: Scenario, kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(SimulationError, match=match):
        tornado(lever, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_base": 1}, "n_base must be an integer >= 2, got 1"),
        ({"sessions_per_point": 0}, "sessions_per_point must be an integer >= 1, got 0"),
        ({"calc_second_order": "yes"}, "calc_second_order must be True or False"),
        ({"issue": "nope"}, "unknown issue 'nope'"),
    ],
)
def test_sobol_bad_arguments(lever: Scenario, kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(SimulationError, match=match):
        sobol(lever, **kwargs)  # type: ignore[arg-type]


def test_negotiators_must_be_a_pair(lever: Scenario) -> None:
    with pytest.raises(SimulationError, match="two negotiators"):
        tornado(lever, ("boulware",), n=10)
