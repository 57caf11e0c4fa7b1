"""Invariants of the cooperative allocation rules on random cost games (hypothesis):
efficiency, symmetry, dummy and additivity of the Shapley value (Shapley 1953's axioms), the
nucleolus in the core whenever the core is non-empty (Schmeidler 1969) and in the least core,
and proportional shares summing to the total."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.cooperative import (
    CostGame,
    airport_game,
    airport_shapley,
    in_core,
    least_core_epsilon,
    nucleolus,
    proportional,
    shapley_value,
)
from burdenshare.cooperative._lp import coalition_sums

PLAYERS = "ABCDE"


@st.composite
def games(draw: st.DrawFn, min_n: int = 2, max_n: int = 5) -> CostGame:
    n = draw(st.integers(min_n, max_n))
    costs = draw(st.lists(st.integers(0, 100), min_size=(1 << n) - 1, max_size=(1 << n) - 1))
    return CostGame.from_array(tuple(PLAYERS[:n]), [0.0, *map(float, costs)])


@st.composite
def subadditive_games(draw: st.DrawFn) -> CostGame:
    """Stand-alone costs of at least c(N) / n each, so imputations exist."""
    g = draw(games())
    arr = g.costs.copy()
    for i in range(g.n):
        arr[1 << i] = max(arr[1 << i], arr[-1])
    return CostGame.from_array(g.players, arr)


@given(games())
def test_shapley_is_efficient(g: CostGame) -> None:
    assert np.isclose(shapley_value(g).sum(), g.total)


@given(games(), st.data())
def test_shapley_symmetry(g: CostGame, data: st.DataObject) -> None:
    """Make players 0 and 1 symmetric (c(S + 0) = c(S + 1) for S without both): equal values."""
    arr = g.costs.copy()
    for mask in range(1 << g.n):
        if mask & 0b11 == 0b10:
            arr[mask] = arr[mask ^ 0b11]
    phi = shapley_value(CostGame.from_array(g.players, arr))
    assert np.isclose(phi[0], phi[1])


@given(games(max_n=4), st.integers(0, 50))
def test_shapley_dummy(g: CostGame, d: int) -> None:
    """A player adding exactly its own cost d to every coalition is charged d."""
    n = g.n
    arr = np.concatenate([g.costs, g.costs + d])
    phi = shapley_value(CostGame.from_array((*g.players, "Z"), arr))
    assert np.isclose(phi[n], d)
    assert np.allclose(phi[:n], shapley_value(g))


@given(games(), st.data())
def test_shapley_additivity(g: CostGame, data: st.DataObject) -> None:
    extra = data.draw(
        st.lists(st.integers(0, 100), min_size=len(g.costs) - 1, max_size=len(g.costs) - 1)
    )
    h = CostGame.from_array(g.players, [0.0, *map(float, extra)])
    both = CostGame.from_array(g.players, g.costs + h.costs)
    assert np.allclose(shapley_value(both), shapley_value(g) + shapley_value(h))


@given(st.lists(st.integers(0, 1000), min_size=2, max_size=6))
def test_airport_closed_form_equals_the_sum_over_coalitions(costs: list[int]) -> None:
    g = airport_game(tuple(f"p{i}" for i in range(len(costs))), costs)
    assert np.allclose(shapley_value(g), airport_shapley(costs))


@settings(max_examples=60, deadline=None)
@given(subadditive_games())
def test_nucleolus_is_an_imputation_in_the_least_core(g: CostGame) -> None:
    x = nucleolus(g)
    tol = 1e-6 * max(1.0, float(g.costs.max()))
    assert np.isclose(x.sum(), g.total, atol=tol)
    assert np.all(x <= np.array(g.stand_alone) + tol)
    eps = least_core_epsilon(g)
    excess = coalition_sums(x)[1:-1] - g.costs[1:-1]
    assert excess.max() >= eps - tol  # epsilon* is the least possible largest excess
    if eps <= tol:  # a non-empty core: the nucleolus is in the least core, hence in the core
        assert excess.max() <= eps + tol
        assert in_core(g, x)


@given(st.floats(0, 1e9), st.lists(st.floats(0, 1e6), min_size=1, max_size=40))
def test_proportional_sums_to_the_total(total: float, weights: list[float]) -> None:
    if sum(weights) <= 0:
        return
    shares = proportional(total, weights)
    assert np.isclose(shares.sum(), total, rtol=1e-9, atol=1e-6)
    assert np.all(shares >= 0)
