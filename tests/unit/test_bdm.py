"""Bueno de Mesquita's expected-utility model: formulas by hand, properties, invariances.

Step numbers are those of ``shared/reference/models.md`` §1.3. The hand values use our formulas
(jmckib's current ones); the earlier probability formula that jmckib's first unit tests target
(models.md §1.4) is not used. Only ``U_s(0.5) = 1`` at ``r = 1``, ``1.75`` at ``r = 2`` and
``U_sq = -0.8284271247461903`` at ``r = 0.5`` are taken from there, and they are re-derived below.

Invariances, as found: ``corrected()`` is invariant to relabelling the actors and equivariant
under ``x -> a x + b`` (``a > 0``), on continuous draws and on a coarse grid full of exact ties.
``scholz_faithful()`` is affine-equivariant too (its formulas read distances over the range and
its tolerance keeps rounding from deciding exact ties; with ``tolerance=0``, jmckib's float
comparisons, rounding can decide them), but it is *not* invariant to relabelling: when the
weight splits evenly the scan median keeps whichever position it starts from (actor 0), and
equally good targets go to the first actor. On the EC example no such ties arise and it is
invariant there.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from burdenshare.errors import ForecastError
from burdenshare.forecasting.base import ActorTable
from burdenshare.forecasting.bdm import ExpectedUtility
from burdenshare.forecasting.bdm_formulas import (
    classify_offer,
    compromise_position,
    condorcet_median,
    expected_utility,
    probability_bdm,
    probability_scholz,
    risk_exponents,
    scan_median,
    scholz_compromise_key,
    utility_better,
    utility_failure,
    utility_status_quo,
    utility_success,
    utility_worse,
    votes,
    weighted_mean,
)

SQRT2 = math.sqrt(2.0)
CONFIGS = {
    "scholz_faithful": ExpectedUtility.scholz_faithful,
    "corrected": ExpectedUtility.corrected,
}


def toy() -> ActorTable:
    """Two actors at the ends of the scale: A (x=0, c=1, s=1) and B (x=10, c=3, s=1); w = c s."""
    return ActorTable.single(["A", "B"], [0.0, 10.0], [1.0, 1.0], [1.0, 3.0])


# ------------------------------------------------------------------ step 1: votes
def test_votes_by_hand() -> None:
    # voter k at x=2, weight 1, delta 10; a = 7, b = 0:
    # r=1: |2-0|/10 - |2-7|/10 = 0.2 - 0.5 = -0.3; r=2: 0.04 - 0.25 = -0.21
    x = [2.0, 7.0, 0.0]
    for r, expected in [(1.0, -0.3), (2.0, -0.21)]:
        v = votes(x, [1.0, 0.0, 0.0], [r, 1.0, 1.0], 10.0)
        assert v[0, 1, 2] == pytest.approx(expected, abs=1e-15)
        assert v[0, 2, 1] == pytest.approx(-expected, abs=1e-15)
        assert np.all(v[1:] == 0)  # zero-weight voters
    # toy: V[A, A, B] = 1 (1 - 0) = 1; V[B, A, B] = 3 (0 - 1) = -3
    v = votes([0.0, 10.0], [1.0, 3.0], [1.0, 1.0], 10.0)
    assert (v[0, 0, 1], v[1, 0, 1], v[0, 1, 0], v[1, 1, 0]) == (1.0, -3.0, -1.0, 3.0)


# ------------------------------------------------------------------ step 2: median and mean
def test_medians_and_mean_by_hand() -> None:
    # weights 1, 1, 3 at 4, 7, 10: 10 holds 3/5 of the weight and beats both others.
    for median in (scan_median, condorcet_median):
        assert median([4.0, 7.0, 10.0], [1.0, 1.0, 3.0], 6.0) == 10.0
        assert median([4.0, 7.0, 10.0], [1.0, 1.0, 1.0], 6.0) == 7.0
    assert weighted_mean([4.0, 7.0, 10.0], [1.0, 1.0, 3.0]) == pytest.approx(41.0 / 5.0)


def test_scan_median_depends_on_order_when_the_weight_splits_evenly() -> None:
    # w = c s = 0.5, 0.5, 1, 1 at 3, 1, 1, 4: exactly half the weight (1.5) sits at 1, so 1 and 3
    # tie (as does every point between). The scan keeps whichever it starts from (x_0).
    x, w = [3.0, 1.0, 1.0, 4.0], [0.5, 0.5, 1.0, 1.0]
    assert scan_median(x, w, 3.0) == 3.0
    assert scan_median(x[::-1], w[::-1], 3.0) == 1.0  # 1 beats the start, 4; 3 only ties 1
    # the full pairwise check returns the midpoint of the unbeaten positions, whatever the order
    assert condorcet_median(x, w, 3.0) == condorcet_median(x[::-1], w[::-1], 3.0) == 2.0


# ------------------------------------------------------------------ step 3: probability
def test_probabilities_by_hand() -> None:
    v = votes([0.0, 10.0], [1.0, 3.0], [1.0, 1.0], 10.0)
    # Scholz: sum |V| over all k, a, b = 1 + 1 + 3 + 3 = 8; P(A,B) = max(0,1) + max(0,-3) = 1 -> 1/8
    np.testing.assert_array_equal(probability_scholz(v), [[0.0, 1 / 8], [3 / 8, 0.0]])
    # BDM: P(A,B) = 1 / (1 + 3) = 1/4, P(B,A) = 3/4; nobody separates (A, A): 1/2
    np.testing.assert_array_equal(probability_bdm(v), [[0.5, 0.25], [0.75, 0.5]])


# ------------------------------------------------------------------ step 4: utilities
def test_utilities_by_hand() -> None:
    # U_s(d=0.5) = 2 - 4 (0.25)^r: r=1 -> 1, r=2 -> 2 - 4/16 = 1.75
    assert float(utility_success(0.5, 1.0)) == 1.0
    assert float(utility_success(0.5, 2.0)) == 1.75
    # U_f(0.5) = 2 - 4 (0.75)^r: r=1 -> -1, r=2 -> 2 - 2.25 = -0.25
    assert float(utility_failure(0.5, 1.0)) == -1.0
    assert float(utility_failure(0.5, 2.0)) == -0.25
    # U_sq = 2 - 4 (0.5)^r: r=1 -> 0; r=0.5 -> 2 - 4/sqrt(2) = 2 - 2 sqrt(2)
    assert float(utility_status_quo(1.0)) == 0.0
    assert float(utility_status_quo(0.5)) == pytest.approx(2 - 2 * SQRT2, abs=1e-15)
    assert float(utility_status_quo(0.5)) == pytest.approx(-0.8284271247461903, abs=1e-15)
    # U_b / U_w with e = 0.25: 2 - 4 (0.25)^1 = 1 and 2 - 4 (0.75)^1 = -1
    assert float(utility_better(0.25, 1.0)) == 1.0
    assert float(utility_worse(0.25, 1.0)) == -1.0
    # everything agrees at d = 0: U_s = U_f = U_sq
    for r in (0.5, 1.0, 2.0):
        assert float(utility_success(0.0, r)) == float(utility_failure(0.0, r))
        assert float(utility_success(0.0, r)) == pytest.approx(float(utility_status_quo(r)))


# ------------------------------------------------------------------ step 5: expected utility
def test_expected_utility_by_hand() -> None:
    # d = 1, r = 1: U_s = 2, U_f = -2, U_sq = 0.
    # s_j = 1, P = 1/4: 1/4 * 2 + 3/4 * (-2) = -1
    assert float(expected_utility(1.0, 1.0, 0.25, 1.0)) == -1.0
    # s_j = 1/2: 1/2 * (-1) + 1/2 * 2 = 0.5
    assert float(expected_utility(1.0, 0.5, 0.25, 1.0)) == 0.5
    # Q = 1/2, e = 1/2 (so U_b = 2 - 4 * 0 = 2, U_w = 2 - 4 * 1 = -2):
    # T = 1: -1 - (1/2) * 0 - (1/2) * 2 = -2;  T = 0: -1 - (1/2) * (-2) = 0
    assert float(expected_utility(1.0, 1.0, 0.25, 1.0, q=0.5, t=1.0, e=0.5)) == -2.0
    assert float(expected_utility(1.0, 1.0, 0.25, 1.0, q=0.5, t=0.0, e=0.5)) == 0.0
    # at Q = 1 neither T nor e matters
    assert float(expected_utility(1.0, 1.0, 0.25, 1.0, t=0.0, e=0.5)) == -1.0


# ------------------------------------------------------------------ step 6: risk exponents
def test_risk_exponents_by_hand() -> None:
    # D = (3, 1, -1): spread 4, R = (2D - 2)/4 = (1, 0, -1), r = (1 -+ R/3)/(1 +- R/3)
    np.testing.assert_allclose(risk_exponents([3.0, 1.0, -1.0]), [0.5, 1.0, 2.0])
    np.testing.assert_array_equal(risk_exponents([2.0, 2.0]), [1.0, 1.0])


def test_toy_round_by_hand() -> None:
    """Steps 1-7 on the toy, Scholz's probability.

    Risk (all r = 1, U = 2d(1 - 2 s_target (1 - P)) at d = 1):
    D_A = EU_B(B->A) = 2(1 - 2 * 5/8) = -0.5, D_B = EU_A(A->B) = 2(1 - 2 * 7/8) = -1.5,
    so A is the more threatened: r_A = 0.5, r_B = 2. At d = 1 the r's leave P unchanged.
    A's view (r = 0.5, U_s = 2, U_f = -2, U_sq = 2 - 2 sqrt 2):
    e_AB = 1/8 * 2 - 7/8 * 2 - U_sq = -3.5 + 2 sqrt 2 = -0.6716;
    e_BA = 3/8 * 2 - 5/8 * 2 - U_sq = -2.5 + 2 sqrt 2 = 0.3284.
    e_BA > 0 > e_AB and e_BA < |e_AB|: capitulation, which jmckib's condition never grants.
    """
    rd = ExpectedUtility(rounds=1).run_issue(toy()).rounds[0]
    np.testing.assert_allclose(rd.risk_exponent, [0.5, 2.0])
    np.testing.assert_allclose(rd.probability, [[0.0, 1 / 8], [3 / 8, 0.0]])
    assert rd.eu_own[0, 1] == pytest.approx(-3.5 + 2 * SQRT2, abs=1e-14)
    assert rd.eu_their[0, 1] == pytest.approx(-2.5 + 2 * SQRT2, abs=1e-14)
    # B's view (r = 2, U_sq = 1): e_BA = 3/8 * 2 - 5/8 * 2 - 1 = -1.5, e_AB = -1.5 - 1 = -2.5
    assert rd.eu_own[1, 0] == pytest.approx(-1.5, abs=1e-14)
    assert rd.eu_their[1, 0] == pytest.approx(-2.5, abs=1e-14)
    assert rd.moves == ()


def test_toy_round_bdm_probability_by_hand() -> None:
    """The toy with P(A,B) = 1/4: D_A = 2(1 - 2/4) = 1, D_B = 2(1 - 2 * 3/4) = -1, r = (0.5, 2).

    A's view: e_AB = 1/4 * 2 - 3/4 * 2 - U_sq = 2 sqrt 2 - 3, e_BA = 3/4 * 2 - 1/4 * 2 - U_sq
    = 2 sqrt 2 - 1 > |e_AB|: A compromises to 10 (3 - 2 sqrt 2)/(2 sqrt 2 - 1) = 0.93836...
    """
    rd = ExpectedUtility(probability="bdm", rounds=1).run_issue(toy()).rounds[0]
    np.testing.assert_allclose(rd.risk_exponent, [0.5, 2.0])
    (move,) = rd.moves
    assert (move.actor, move.kind, move.target) == ("A", "compromise", "B")
    assert move.eu_ij == pytest.approx(2 * SQRT2 - 3, abs=1e-14)
    assert move.eu_ji == pytest.approx(2 * SQRT2 - 1, abs=1e-14)
    expected = 10 * (3 - 2 * SQRT2) / (2 * SQRT2 - 1)
    assert move.new_position == pytest.approx(expected, abs=1e-12)


# ------------------------------------------------------------------ step 7: offers
def test_offers_by_hand() -> None:
    assert classify_offer(0.2, 0.5) == "confrontation"
    assert classify_offer(0.5, 0.2) is None  # i expects to win: j moves, not i
    assert classify_offer(-0.1, 0.3) == "compromise"
    assert classify_offer(-0.5, 0.2) == "capitulation"
    assert classify_offer(-0.5, 0.2, capitulation="jmckib") is None
    assert classify_offer(-0.5, -0.2) is None
    assert classify_offer(1e-12, 0.5, tolerance=1e-9) is None  # e_ij is zero within tolerance
    # x_i = 7, x_j = 10, |e_ij / e_ji| = 1/3: 7 + 3/3 = 8; key = (0.1 * 7 + 0.3 * 10)/0.4 = 9.25
    assert compromise_position(7.0, 10.0, -0.1, 0.3) == pytest.approx(8.0)
    assert scholz_compromise_key(7.0, 10.0, -0.1, 0.3) == pytest.approx(9.25)


def test_capitulation_fires_only_when_fixed() -> None:
    """The toy (see test_toy_round_by_hand): A should capitulate to B's position."""
    buggy = ExpectedUtility(rounds=1).run_issue(toy()).rounds[0]
    fixed = ExpectedUtility(rounds=1, capitulation="fixed").run_issue(toy()).rounds[0]
    assert buggy.moves == ()
    (move,) = fixed.moves
    assert (move.actor, move.kind, move.target, move.new_position) == (
        "A",
        "capitulation",
        "B",
        10.0,
    )


def test_capitulation_in_the_corrected_model() -> None:
    """Three actors, found by a grid search: c (x=10) capitulates to b (x=0) under ``corrected()``.

    Same run with jmckib's condition: only a's confrontation happens.
    """
    table = ActorTable.single(["a", "b", "c"], [0.0, 0.0, 10.0], [0.5, 1.0, 1.0], [1.0, 3.0, 3.0])
    params = ExpectedUtility.corrected().get_params() | {"rounds": 1}
    fixed = ExpectedUtility(**params).run_issue(table).rounds[0]
    buggy = ExpectedUtility(**(params | {"capitulation": "jmckib"})).run_issue(table).rounds[0]
    kinds = {m.actor: (m.kind, m.target) for m in fixed.moves}
    assert kinds["c"] == ("capitulation", "b")
    m = next(m for m in fixed.moves if m.actor == "c")
    assert m.eu_ji > 0 > m.eu_ij
    assert m.eu_ji < abs(m.eu_ij)
    assert [m.actor for m in buggy.moves] == ["a"]


# ------------------------------------------------------------------ the forecaster
def test_named_configurations() -> None:
    assert ExpectedUtility.scholz_faithful().get_params() == ExpectedUtility().get_params()
    corrected = ExpectedUtility.corrected()
    assert (corrected.probability, corrected.capitulation, corrected.compromise_key) == (
        "bdm",
        "fixed",
        "nearest",
    )
    assert corrected.convergence is not None
    assert corrected.clone().get_params() == corrected.get_params()
    assert ExpectedUtility.name == "bdm"
    assert "ExpectedUtility(probability='bdm'" in repr(corrected)


@pytest.mark.parametrize(
    "params",
    [
        {"probability": "bayes"},
        {"capitulation": "never"},
        {"compromise_key": "far"},
        {"median": "mode"},
        {"outcome": "mode"},
        {"q": 1.5},
        {"t": -0.1},
        {"rounds": -1},
        {"rounds": 2.5},
        {"convergence": -0.1},
        {"tolerance": -1.0},
        {"ties": "random"},
    ],
    ids=lambda p: next(iter(p)),
)
def test_bad_parameters_raise_forecast_error(params: dict[str, object]) -> None:
    model = ExpectedUtility(**params)  # type: ignore[arg-type]  # __init__ only stores
    with pytest.raises(ForecastError, match="ExpectedUtility"):
        model.predict(toy())


def test_corrected_stops_when_the_median_stops_moving() -> None:
    # the EC example (tests/known_values/data/bdm): the median stays at 7 in round 1
    table = ActorTable.single(
        ["NL", "BE", "LU", "DE", "FR", "IT", "UK", "IE", "DK", "GR"],
        [4, 7, 4, 4, 10, 10, 10, 7, 4, 7],
        [0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7],
        [0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08],
    )
    f = ExpectedUtility.corrected().predict(table)
    assert f.converged is True
    np.testing.assert_allclose(f.path[:, 0], [7.0, 7.0])
    # played on, every actor ends at 7 by round 3 and nobody moves again
    params = ExpectedUtility.corrected().get_params() | {"convergence": None, "rounds": 5}
    run = ExpectedUtility(**params).run_issue(table)
    np.testing.assert_allclose(run.rounds[2].positions, 7.0)
    assert run.rounds[3].moves == ()
    assert run.rounds[4].moves == ()
    f = ExpectedUtility(**params).predict(table)
    assert f.converged is None
    assert f.path.shape == (6, 1)


def test_stopping_rule_on_the_scholz_faithful_run() -> None:
    """The fixture's medians are 7, 8.42, 9.61, 9.96, 9.96, ...: with BDM's rule the faithful
    model stops at round 4, before the oscillation; a rule never met leaves it unconverged."""
    f = ExpectedUtility(convergence=0.01).predict(_ec())
    assert f.converged is True
    assert f.path.shape == (5, 1)
    assert f.outcome[0] == pytest.approx(9.961979590401311, abs=1e-9)
    g = ExpectedUtility(convergence=0.0, rounds=3).predict(_ec())
    assert g.converged is False
    assert g.path.shape == (4, 1)


def test_outcome_mean_and_status_quo_terms() -> None:
    table = toy()
    f = ExpectedUtility(outcome="mean", rounds=0).predict(table)
    assert f.path.shape == (1, 1)
    assert f.outcome[0] == pytest.approx(7.5)  # (1 * 0 + 3 * 10) / 4
    # at q = 1, t plays no part; at q < 1 it does
    a = ExpectedUtility(t=0.0).predict(table).path
    b = ExpectedUtility(t=1.0).predict(table).path
    np.testing.assert_array_equal(a, b)
    run0 = ExpectedUtility(q=0.5, t=0.0, rounds=1).run_issue(table).rounds[0]
    run1 = ExpectedUtility(q=0.5, t=1.0, rounds=1).run_issue(table).rounds[0]
    assert not np.allclose(run0.eu_own, run1.eu_own)


def test_multi_issue_runs_each_issue_alone() -> None:
    table = ActorTable(
        actors=("a", "b", "c"),
        issues=("x", "y"),
        position=np.array([[0.0, 5.0], [4.0, 5.0], [10.0, 0.0]]),
        salience=np.array([[0.9, 0.2], [0.5, 0.8], [0.9, 0.5]]),
        capability=np.array([1.0, 1.0, 1.0]),
    )
    model = ExpectedUtility.corrected()
    f = model.predict(table)
    assert f.issues == ("x", "y")
    assert f.path.shape[1] == 2
    for k in range(2):
        alone = model.predict(table.issue(k))
        n = alone.path.shape[0]
        np.testing.assert_array_equal(f.path[:n, k], alone.path[:, 0])
        np.testing.assert_array_equal(f.path[n:, k], alone.outcome[0])  # padded with the result
        assert f.outcome[k] == alone.outcome[0]
    assert set(f.details["issues"]) == {"x", "y"}
    json.dumps(f.to_dict())


def test_everyone_agrees_already() -> None:
    table = ActorTable.single(["a", "b"], [3.0, 3.0], [1.0, 1.0], [1.0, 1.0])
    for make in CONFIGS.values():
        f = make().predict(table)
        assert f.outcome[0] == 3.0
        assert f.path.shape == (1, 1)
        assert f.converged is True


# ------------------------------------------------------------------ properties
@st.composite
def tables(draw: st.DrawFn, max_actors: int = 6) -> ActorTable:
    """Small tables; half of them on a coarse grid, where exact ties (even weight splits,
    equidistant targets, equal threats) are common."""
    n = draw(st.integers(2, max_actors))
    if draw(st.booleans()):
        pos = draw(st.lists(st.integers(0, 4).map(float), min_size=n, max_size=n))
        sal = draw(st.lists(st.sampled_from([0.25, 0.5, 1.0]), min_size=n, max_size=n))
        cap = draw(st.lists(st.sampled_from([1.0, 2.0]), min_size=n, max_size=n))
    else:
        pos = draw(st.lists(st.floats(0, 100), min_size=n, max_size=n))
        sal = draw(st.lists(st.floats(0.05, 1), min_size=n, max_size=n))
        cap = draw(st.lists(st.floats(0.1, 5), min_size=n, max_size=n))
    assume(max(pos) - min(pos) > 1e-3)
    return ActorTable.single([f"a{i}" for i in range(n)], pos, sal, cap)


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(table=tables(), config=st.sampled_from(sorted(CONFIGS)))
def test_risk_exponents_and_probabilities_stay_in_range(table: ActorTable, config: str) -> None:
    model = CONFIGS[config]()
    for rd in model.run_issue(table).rounds:
        assert np.all(rd.risk_exponent >= 0.5 - 1e-12)
        assert np.all(rd.risk_exponent <= 2 + 1e-12)
        assert np.all(rd.probability >= 0)
        assert np.all(rd.probability <= 1)
        if model.probability == "bdm":
            np.testing.assert_allclose(rd.probability + rd.probability.T, 1.0, atol=1e-12)


@FAST
@given(table=tables(), config=st.sampled_from(sorted(CONFIGS)))
def test_moves_land_where_they_should(table: ActorTable, config: str) -> None:
    run = CONFIGS[config]().run_issue(table)
    before = run.positions
    for rd in run.rounds:
        index = {a: k for k, a in enumerate(run.actors)}
        for m in rd.moves:
            x_i, x_j = m.old_position, float(before[index[m.target]])
            if m.kind == "compromise":
                assert min(x_i, x_j) <= m.new_position <= max(x_i, x_j)
                if abs(m.eu_ij / m.eu_ji) * abs(x_j - x_i) > 1e-9 * run.position_range:
                    assert min(x_i, x_j) < m.new_position < max(x_i, x_j)
            else:
                assert m.new_position == x_j
        before = rd.positions


@given(
    x_i=st.floats(-100, 100),
    gap=st.floats(1e-3, 100),
    sign=st.sampled_from([-1.0, 1.0]),
    e_ji=st.floats(1e-6, 10),
    ratio=st.floats(1e-6, 1 - 1e-6),
)
def test_compromise_is_strictly_between(
    x_i: float, gap: float, sign: float, e_ji: float, ratio: float
) -> None:
    x_j, e_ij = x_i + sign * gap, -ratio * e_ji
    assert classify_offer(e_ij, e_ji) == "compromise"
    assert min(x_i, x_j) < compromise_position(x_i, x_j, e_ij, e_ji) < max(x_i, x_j)


@given(e_ij=st.floats(-5, 5), e_ji=st.floats(-5, 5))
def test_jmckib_differs_only_by_never_capitulating(e_ij: float, e_ji: float) -> None:
    fixed = classify_offer(e_ij, e_ji, capitulation="fixed")
    buggy = classify_offer(e_ij, e_ji, capitulation="jmckib")
    assert buggy == (None if fixed == "capitulation" else fixed)


def _relabelled(table: ActorTable, order: list[int]) -> ActorTable:
    return ActorTable.single(
        [table.actors[i] for i in order],
        table.position[order, 0],
        table.salience[order, 0],
        table.capability[order],
    )


def _rescaled(table: ActorTable, a: float, b: float) -> ActorTable:
    return ActorTable.single(
        table.actors, a * table.position[:, 0] + b, table.salience[:, 0], table.capability
    )


@FAST
@given(table=tables(), data=st.data())
def test_corrected_outcome_ignores_actor_order(table: ActorTable, data: st.DataObject) -> None:
    order = data.draw(st.permutations(range(table.n_actors)))
    model = ExpectedUtility.corrected()
    f, g = model.predict(table), model.predict(_relabelled(table, order))
    assert f.converged == g.converged
    np.testing.assert_allclose(g.path, f.path, rtol=0, atol=1e-9 * 100)


@FAST
@given(
    table=tables(),
    a=st.floats(0.01, 100),
    b=st.floats(-1000, 1000),
    config=st.sampled_from(sorted(CONFIGS)),
)
def test_outcome_is_affine_equivariant(table: ActorTable, a: float, b: float, config: str) -> None:
    """Both configurations: every formula reads distances over the range, and the tolerance keeps
    rounding from deciding ties (see test_exact_float_comparisons_...)."""
    model = CONFIGS[config]()
    f, g = model.predict(table), model.predict(_rescaled(table, a, b))
    assert f.converged == g.converged
    np.testing.assert_allclose((g.path - b) / a, f.path, rtol=0, atol=1e-7)


# ------------------------------------------------------------------ what holds for Scholz's version
def _ec() -> ActorTable:
    return ActorTable.single(
        ["NL", "BE", "LU", "DE", "FR", "IT", "UK", "IE", "DK", "GR"],
        [4, 7, 4, 4, 10, 10, 10, 7, 4, 7],
        [0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7],
        [0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08],
    )


def test_scholz_faithful_is_invariant_on_the_ec_case() -> None:
    """No ties arise on the EC example, so relabelling and rescaling change nothing."""
    model, table = ExpectedUtility.scholz_faithful(), _ec()
    base = model.predict(table).path
    for order in (list(range(9, -1, -1)), [3, 7, 1, 9, 0, 5, 2, 8, 6, 4]):
        np.testing.assert_allclose(model.predict(_relabelled(table, order)).path, base, atol=1e-9)
    for a, b in ((2.0, 1.0), (0.37, -12.5), (13.0, 1900.0)):
        g = model.predict(_rescaled(table, a, b)).path
        np.testing.assert_allclose((g - b) / a, base, atol=1e-9)


def test_scholz_faithful_depends_on_actor_order_under_ties() -> None:
    """Exactly half the weight at 1 (see test_scan_median_depends_on_order...): the scan keeps its
    start, x_0, so putting another actor first changes the whole forecast. ``corrected()`` does not
    care."""
    table = ActorTable.single(["a", "b", "c", "d"], [3, 1, 1, 4], [0.25, 0.5, 0.5, 1], [2, 1, 2, 1])
    order = [1, 3, 0, 2]
    faithful = ExpectedUtility.scholz_faithful()
    assert faithful.predict(table).path[0, 0] == 3.0
    assert faithful.predict(_relabelled(table, order)).path[0, 0] == 1.0
    corrected = ExpectedUtility.corrected()
    np.testing.assert_allclose(
        corrected.predict(_relabelled(table, order)).path, corrected.predict(table).path
    )


def test_exact_float_comparisons_let_rounding_break_ties_after_rescaling() -> None:
    """Actor b (x=1) would lose confrontations with c (x=0) and f (x=2), equally far away; the
    first in actor order (c) wins the tie. With ``tolerance=0`` (jmckib's float comparisons) the
    two distances differ by rounding after x -> a x + b, and f is "nearer". Found by random
    search. The default tolerance keeps the tie, so ``scholz_faithful()`` is unmoved."""
    x = [3.0, 1.0, 0.0, 0.0, 4.0, 2.0]
    s, c = [0.25, 0.25, 0.5, 0.25, 1, 0.25], [2, 1, 2, 2, 2, 2]
    table = ActorTable.single(list("abcdef"), x, s, c)
    a, b = 3.9180126621097533, -96.03317090601263
    literal = ExpectedUtility(tolerance=0.0)
    assert "affine" in literal.contract_exemptions
    plain = literal.run_issue(table).rounds[0]
    scaled = literal.run_issue(_rescaled(table, a, b)).rounds[0]
    assert [m.target for m in plain.moves if m.actor == "b"] == ["c"]
    assert [m.target for m in scaled.moves if m.actor == "b"] == ["f"]
    for model in (ExpectedUtility.scholz_faithful(), ExpectedUtility.corrected()):
        assert "affine" not in model.contract_exemptions
        g = model.predict(_rescaled(table, a, b)).path
        np.testing.assert_allclose((g - b) / a, model.predict(table).path, atol=1e-9)
        moves = model.run_issue(_rescaled(table, a, b)).rounds[0].moves
        assert [m.target for m in moves if m.actor == "b"] == ["c"]
