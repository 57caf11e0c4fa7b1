"""Known values of the public-goods model of alliances, each derived in the test from its source.

- Identical allies: Olson & Zeckhauser (1966) with the Cobb-Douglas utility of Bergstrom, Blume &
  Varian (1986): q = a y / (1 + (n - 1)(1 - a)) (equation (5) of
  burdenshare.alliance.equilibrium with s = 0), and a y / (1 + (n - 1)(1 - a)(1 - s)) with a
  private share s.
- Two allies, one free rider: the rich ally alone provides a y (BBV 1986: an ally whose
  threshold y_i a_i / (1 - a_i) is below the others' provision contributes nothing).
- Spearman's rho and its p-value against scipy.stats.spearmanr (the t approximation) and against
  the exact null distribution for n = 5 (enumerated by hand: 8 of the 120 orderings of 5 ranks
  have rho >= 0.8, the one-sided 0.0667 of published tables).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import spearmanr

from burdenshare.alliance import identical_allies_contribution, nash_contributions
from burdenshare.alliance.joint_product import all_contribute_burdens, exploitation_curve
from burdenshare.alliance.rank import rank_test, spearman
from burdenshare.errors import ScenarioError

TOL = 1e-12


@pytest.mark.parametrize(
    ("n", "a", "s"), [(1, 0.3, 0.0), (2, 0.2, 0.0), (5, 0.1, 0.0), (7, 0.4, 0.3), (3, 0.25, 1.0)]
)
def test_identical_allies(n: int, a: float, s: float) -> None:
    y = 100.0
    eq = nash_contributions([f"ally{i}" for i in range(n)], [y] * n, [a] * n, s)
    expected = a * y / (1.0 + (n - 1) * (1.0 - a) * (1.0 - s))
    assert all(math.isclose(q, expected, rel_tol=TOL) for q in eq.contributions)
    assert math.isclose(identical_allies_contribution(n, y, a, s), expected, rel_tol=TOL)
    assert math.isclose(eq.total, n * expected, rel_tol=TOL)


def test_two_allies_by_hand() -> None:
    """a = 1/2, y = (200, 150): r = 1; Q = (200 + 150) / (1 + 2) = 116.67 (BBV equation for
    the Cobb-Douglas case), q_i = y_i - Q."""
    eq = nash_contributions(["A", "B"], [200.0, 150.0], [0.5, 0.5])
    assert eq.total == pytest.approx(350.0 / 3.0, rel=TOL)
    assert eq.contributions == pytest.approx((200.0 - 350.0 / 3.0, 150.0 - 350.0 / 3.0), rel=TOL)
    assert eq.burdens == pytest.approx(all_contribute_burdens([200.0, 150.0], 0.5, 0.0), rel=TOL)


def test_the_small_ally_free_rides() -> None:
    """a = 1/2, y = (300, 100): the rich ally alone gives Q = 150 >= 100, so the small one
    gives nothing (its threshold a y / (1 - a) = 100 is below Q)."""
    eq = nash_contributions(["A", "B"], [300.0, 100.0], [0.5, 0.5])
    assert eq.contributions == (150.0, 0.0)
    assert eq.contributors == ("A",)


def test_a_wholly_private_good_has_no_exploitation() -> None:
    pts = exploitation_curve(["A", "B", "C"], [500.0, 50.0, 5.0], 0.1, [0.0, 1.0])
    assert pts[0].free_riders == 2
    assert pts[0].burden_ratio == 0.0
    assert pts[1].free_riders == 0
    assert pts[1].burden_ratio == pytest.approx(1.0, rel=TOL)
    assert pts[1].largest_disproportion == pytest.approx(1.0, rel=TOL)


def test_all_contribute_burdens_refuses_a_free_rider() -> None:
    with pytest.raises(ScenarioError, match="not every ally contributes"):
        all_contribute_burdens([300.0, 100.0], 0.5, 0.0)


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("private_share", {"private_share": 1.5}),
        ("B.income", {"incomes": [1.0, -1.0]}),
        ("A.alpha", {"alphas": [1.0, 0.5]}),
        ("allies", {"names": ["A", "A"]}),
    ],
)
def test_bad_inputs_name_their_field(field: str, kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"names": ["A", "B"], "incomes": [1.0, 2.0], "alphas": [0.5, 0.5]}
    args.update(kwargs)
    with pytest.raises(ScenarioError) as err:
        nash_contributions(**args)  # type: ignore[arg-type]
    assert err.value.field == field


def test_spearman_matches_scipy_with_ties() -> None:
    x = [1.0, 2.0, 2.0, 4.0, 5.0, 6.0, 6.0, 8.0, 9.0, 10.0, 11.0, 12.0]
    y = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0, 8.0]
    ref = spearmanr(x, y)
    assert spearman(x, y) == pytest.approx(ref.statistic, abs=TOL)
    t = rank_test(x, y, np.random.default_rng(1), resamples=100)
    assert t.p_method == "t"
    assert t.p_value == pytest.approx(ref.pvalue, rel=1e-9)


def test_exact_p_value_n5() -> None:
    """Ranks (1..5) vs (2, 1, 4, 3, 5): rho = 0.8; P(rho >= 0.8) = 8/120 under H0."""
    t = rank_test(
        [1, 2, 3, 4, 5],
        [2, 1, 4, 3, 5],
        np.random.default_rng(0),
        resamples=10,
        alternative="greater",
    )
    assert t.rho == pytest.approx(0.8, abs=TOL)
    assert t.p_value == pytest.approx(8 / 120, abs=TOL)
