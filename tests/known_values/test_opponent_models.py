"""Known values of the opponent models (negotiation/opponent), each worked by hand.

Sources: GENIUS's HardHeadedFrequencyModel (van Krimpen, Looije & Hajizadeh 2013; Baarslag et
al. 2014, "Decoupling negotiating agents ...") and BayesianOpponentModelScalable (Hindriks &
Tykhonov 2008). Tolerance 1e-12 where the arithmetic is exact fractions, 1e-4 where the hand
computation is rounded to four places.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from burdenshare.negotiation import negotiation_state, party_view
from burdenshare.negotiation.opponent import (
    OPPONENT_MODELS,
    BayesianModel,
    BeliefModel,
    FrequencyModel,
    NoModel,
)
from burdenshare.negotiation.opponent.bayesian import bayesian_estimate, bayesian_utilities
from burdenshare.negotiation.opponent.frequency import frequency_estimate, frequency_utilities
from burdenshare.negotiation.outcome_space import outcome_space
from burdenshare.scenario import Issue
from burdenshare.testing import contract_scenarios

#: two categorical issues with three values each: 9 outcomes, (i, j) at index 3 i + j
ISSUES = (
    Issue(id="a", kind="categorical", values=("a0", "a1", "a2")),
    Issue(id="b", kind="categorical", values=("b0", "b1", "b2")),
)


def _space():  # type: ignore[no-untyped-def]
    return outcome_space(ISSUES)


def test_frequency_model_worked_example() -> None:
    """Offers (a0, b0), (a0, b1), (a0, b1); n = 2, l = 0.2, so g = l / n = 0.1.

    1st offer: no update (GENIUS counts from the second offer on). Weights 1/2, counts 1.
    2nd offer: issue a unchanged (u = 1): S = 1 + 0.1 = 1.1, w_max = 1 - 2(0.1)/1.1 = 0.8182;
        w_a = (0.5 + 0.1)/1.1 = 6/11, w_b = 0.5/1.1 = 5/11; counts a0 -> 2, b1 -> 2.
    3rd offer: both unchanged (u = 2): S = 1.2, w_max = 1 - 0.2/1.2 = 0.8333;
        w_a = (6/11 + 0.1)/1.2 = 71/132, w_b = (5/11 + 0.1)/1.2 = 61/132; counts a0 -> 3, b1 -> 3.
    Utilities: (a0, b1) = w_a 3/3 + w_b 3/3 = 1; (a1, b0) = (w_a + w_b)/3 = 1/3;
        (a0, b0) = w_a + w_b/3 = 71/132 + 61/396 = 274/396.
    """
    space = _space()
    model = FrequencyModel()
    model.start(party_view(contract_scenarios()["pie"], "A"))
    state = negotiation_state(contract_scenarios()["pie"], "A", 1)
    for offer in ({"a": "a0", "b": "b0"}, {"a": "a0", "b": "b1"}, {"a": "a0", "b": "b1"}):
        model.update(offer, state)
    u = model.utilities(space)
    assert math.isclose(u[1], 1.0, abs_tol=1e-12)  # (a0, b1)
    assert math.isclose(u[3], 1 / 3, abs_tol=1e-12)  # (a1, b0)
    assert math.isclose(u[0], 274 / 396, abs_tol=1e-12)  # (a0, b0)
    w, c = frequency_estimate(np.array([[0, 0], [0, 1], [0, 1]]), space.n_values)
    np.testing.assert_allclose(w, [71 / 132, 61 / 132], atol=1e-12)
    assert c.tolist() == [[3.0, 1.0, 1.0], [1.0, 3.0, 1.0]]
    np.testing.assert_allclose(frequency_utilities(space.index, w, c), u, atol=0)


def test_frequency_weight_is_capped_at_its_maximum() -> None:
    """One issue (n = 1, g = 0.2): w_max = 1 - 0.2/1.2 = 0.8333 < w = 1, so the unchanged issue
    is not raised: w = 1/1.2 (GENIUS's cap, kept as it is)."""
    w, _ = frequency_estimate(np.array([[0], [0]]), np.array([2]))
    assert math.isclose(w[0], 1 / 1.2, abs_tol=1e-12)


def test_bayesian_model_worked_example() -> None:
    """Two issues with two values; one offer (x1 = 1, x2 = 0). Hypotheses per issue: uphill
    (0, 1) and downhill (1, 0), prior 1/2 each; weight levels j/10 with prior (10 - j)^3 / 3025,
    so E[w] = sum_j (j/10)(10 - j)^3 / 3025 = 4917/30250 = 0.162545 on each issue.

    First offer: weights are not updated, evaluations are, with expected utility 1 and
    sigma = 0.25. The offer's expected evaluation is 1/2 on each issue, so for issue 1:
    uphill gives U = 0.162545 (1/2) + 0.162545 (1) = 0.243818 -> x = 1 - U = 0.756182;
    downhill gives U = 0.081273 -> x = 0.918727. Posterior ratio
    exp((0.918727^2 - 0.756182^2) / (2 * 0.0625)) = 8.8292, so P(uphill) = 8.8292/9.8292 = 0.8983.
    Issue 2 mirrors it: P(downhill) = 0.8983. Estimated utility (equal weights, normalised):
    (x1 = 1, x2 = 0) = 0.8983, (0, 1) = 0.1017, (0, 0) = 1/2.
    """
    pw, pe, tables = bayesian_estimate(np.array([[1, 0]]), np.array([2, 2]))
    levels = np.arange(11) / 10
    assert math.isclose(float(pw[0] @ levels), 4917 / 30250, abs_tol=1e-12)
    assert pe[0].tolist() == pytest.approx([0.8983, 0.1017], abs=1e-4)
    assert pe[1].tolist() == pytest.approx([0.1017, 0.8983], abs=1e-4)
    index = np.array([[1, 0], [0, 1], [0, 0]])
    u = bayesian_utilities(index, pw, pe, tables)
    assert u.tolist() == pytest.approx([0.8983, 0.1017, 0.5], abs=1e-4)


def test_bayesian_model_ignores_a_repeated_offer() -> None:
    once = bayesian_estimate(np.array([[1, 0]]), np.array([2, 2]))
    twice = bayesian_estimate(np.array([[1, 0], [1, 0]]), np.array([2, 2]))
    for a, b in zip(once, twice, strict=True):
        np.testing.assert_array_equal(a, b)


def test_bayesian_model_class_matches_the_functions() -> None:
    space = _space()
    model = BayesianModel()
    model.start(party_view(contract_scenarios()["pie"], "A"))
    state = negotiation_state(contract_scenarios()["pie"], "A", 1)
    model.update({"a": "a2", "b": "b0"}, state)
    model.update({"a": "a1", "b": "b0"}, state)
    pw, pe, tables = bayesian_estimate(np.array([[2, 0], [1, 0]]), space.n_values)
    np.testing.assert_array_equal(
        model.utilities(space), bayesian_utilities(space.index, pw, pe, tables)
    )
    assert model.utilities(space).min() >= 0.0
    assert model.utilities(space).max() <= 1.0


def test_belief_model_is_the_scenario_estimate_rescaled() -> None:
    """In the pie A believes U_B = 1 - x (central values): on x = 0, 0.01, ..., 1 that already
    spans [0, 1], so the model gives 1 - x exactly."""
    scenario = contract_scenarios()["pie"]
    view = party_view(scenario, "A")
    space = outcome_space(scenario.issues, (view.params.utility,))
    model = BeliefModel()
    model.start(view)
    x = np.asarray(space.column(0), dtype=np.float64)
    np.testing.assert_allclose(model.utilities(space), 1.0 - x, atol=1e-12)


def test_no_model_is_uniform() -> None:
    model = NoModel()
    model.start(party_view(contract_scenarios()["pie"], "A"))
    assert model.utilities(_space()).tolist() == [1.0] * 9


def test_every_model_is_registered_with_its_name() -> None:
    assert sorted(OPPONENT_MODELS) == ["bayesian", "belief", "frequency", "none"]
    for name, cls in OPPONENT_MODELS.items():
        assert cls.name == name
        assert repr(cls().clone()) == repr(cls())
