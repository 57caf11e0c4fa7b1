"""Known values of the cooperative allocation rules, each with its source or its derivation by
hand (tolerances absolute, in the game's money)."""

from __future__ import annotations

import numpy as np
import pytest

from burdenshare.cooperative import (
    CostGame,
    airport_game,
    airport_shapley,
    core_ranges,
    cost_game,
    facility_game,
    in_core,
    least_core_epsilon,
    nucleolus,
    shapley_value,
)
from burdenshare.errors import SolverError

TOL = 1e-6


def test_car_rental_two_players() -> None:
    """Fragnelli, "Applications of TU games" (lecture notes, 24 April 2002), Alan and Bob rent a
    car: 70 alone on Saturday, 40 alone on Sunday, 90 for the weekend together. Two players:
    each pays its stand-alone cost less half the saving of 20, (60, 30), for the Shapley value
    and the nucleolus alike."""
    g = cost_game(("Alan", "Bob"), {("Alan",): 70, ("Bob",): 40, ("Alan", "Bob"): 90})
    assert np.allclose(shapley_value(g), [60, 30], atol=TOL)
    assert np.allclose(nucleolus(g), [60, 30], atol=TOL)
    assert np.allclose(np.array(core_ranges(g)), [[50, 70], [20, 40]], atol=TOL)


def test_airport_game_shapley_and_nucleolus_by_hand() -> None:
    """Runways costing 1, 3 and 6 (Littlechild & Owen 1973, closed form: each segment shared by
    its users): Shapley 1/3, 1/3 + 2/2, 1/3 + 1 + 3 = (1/3, 4/3, 13/3).
    Nucleolus by hand: excesses (savings c(S) - x(S)) are 1 - a, 3 - b, 6 - c, c - 3, b, a with
    a + b + c = 6; min(1 - a, a) <= 1/2 fixes a = 1/2; then min(b, 2.5 - b) fixes b = 5/4:
    (1/2, 5/4, 17/4). Core: C pays at least 3 (c(AB) = 3)."""
    g = airport_game(("A", "B", "C"), (1.0, 3.0, 6.0))
    assert np.allclose(shapley_value(g), [1 / 3, 4 / 3, 13 / 3], atol=TOL)
    assert np.allclose(airport_shapley((1.0, 3.0, 6.0)), [1 / 3, 4 / 3, 13 / 3], atol=TOL)
    assert np.allclose(nucleolus(g), [0.5, 1.25, 4.25], atol=TOL)
    assert least_core_epsilon(g) == pytest.approx(-0.5, abs=TOL)
    assert np.allclose(np.array(core_ranges(g)), [[0, 1], [0, 3], [3, 6]], atol=TOL)


def test_ferguson_three_player_nucleolus() -> None:
    """Ferguson, "Game Theory", part IV (https://www.math.ucla.edu/~tom/Game_Theory/coal.pdf), as
    used by the CoopGame R package's test "Check 49.1": the profit game v(1) = -1, v(2) = 0,
    v(3) = 1, v(12) = 3, v(13) = 4, v(23) = 2, v(123) = 5 has nucleolus (8/3, 2/3, 5/3).
    By hand: the three pairs' excesses v(S) - x(S) average (3 + 4 + 2 - 2*5) / 3 = -1/3, reached
    by all three only at (8/3, 2/3, 5/3). As a cost game c(S) = 5|S| - v(S) (adding 5 per player
    and negating moves the nucleolus to 5 - x): (7/3, 13/3, 10/3)."""
    v = {(1,): -1, (2,): 0, (3,): 1, (1, 2): 3, (1, 3): 4, (2, 3): 2, (1, 2, 3): 5}
    costs = {tuple(str(p) for p in s): 5 * len(s) - value for s, value in v.items()}
    g = cost_game(("1", "2", "3"), costs)
    assert np.allclose(5 - nucleolus(g), [8 / 3, 2 / 3, 5 / 3], atol=TOL)


def test_empty_core_symmetric_game() -> None:
    """c(i) = c(ij) = 1, c(N) = 2: every pair must pay x_i + x_j <= 1, so at most 3/2 < 2 in all:
    the core is empty, the least-core epsilon is 4/3 - 1 = 1/3 and by symmetry the nucleolus
    (which exists: stand-alone costs sum to 3 >= 2) is (2/3, 2/3, 2/3)."""
    g = CostGame.from_array(("A", "B", "C"), [0, 1, 1, 1, 1, 1, 1, 2])
    assert least_core_epsilon(g) == pytest.approx(1 / 3, abs=TOL)
    assert core_ranges(g) is None
    x = nucleolus(g)
    assert np.allclose(x, [2 / 3] * 3, atol=TOL)
    assert not in_core(g, x)


def test_no_imputation_no_nucleolus() -> None:
    """Stand-alone costs 1 + 1 < 3 = c(N): no allocation charges each at most its stand-alone
    cost, so the nucleolus is not defined (Schmeidler 1969 needs a non-empty imputation set)."""
    g = CostGame.from_array(("A", "B"), [0, 1, 1, 3])
    with pytest.raises(SolverError, match="not defined"):
        nucleolus(g)


def test_facility_game() -> None:
    """Stand-alone 4, 5, 6 and a joint facility of fixed cost 9 (no marginal costs):
    c(S) = min(sum a_i, 9). By hand the Shapley value: player 1 adds 4 to the empty set, 4 to
    {2} (9 - 5), 3 to {3} (9 - 6) and 0 to {2,3}, weighted 1/3, 1/6, 1/6, 1/3: 4/3 + 4/6 + 3/6
    = 2.5; player 2: 5/3 + 1/6*5 + 3/6 + 0 = 3; player 3: 2 + 5/6 + 4/6 = 3.5."""
    g = facility_game(("1", "2", "3"), stand_alone=(4, 5, 6), fixed=9)
    assert g.cost(("1", "2")) == 9
    assert g.cost(("1",)) == 4
    assert np.allclose(shapley_value(g), [2.5, 3.0, 3.5], atol=TOL)
    assert in_core(g, nucleolus(g))
