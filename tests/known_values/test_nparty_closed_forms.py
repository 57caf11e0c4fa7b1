"""Closed forms of the N-party bargaining solutions (:mod:`burdenshare.solutions.nparty`).

The N-party split-the-pie: ``N`` parties divide one unit, ``u_i = x_i``, ``d = 0``. On the
simplex grid of step ``1 / n`` (``n`` a multiple of every expected share's denominator):

* Nash, Kalai-Smorodinsky and egalitarian: equal shares ``1 / N`` (Nash 1950 and Roth 1979,
  ch. I, for the N-person Nash solution; Kalai & Smorodinsky 1975; Kalai 1977);
* weighted Nash with weights ``w``: shares ``w_i / sum(w)`` (the first-order conditions
  ``w_i / x_i = lambda``; Kalai 1977a, Roth 1979);
* with a disagreement point ``d`` (sum below 1), Nash gives ``d_i + (1 - sum d) / N``.

Tolerance: exact grid points, compared to 1e-12.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from burdenshare.solutions import nash_pie
from burdenshare.solutions.nparty import (
    egalitarian_point,
    extreme_points,
    kalai_smorodinsky_level,
    kalai_smorodinsky_point,
    nash_point,
    pareto_set,
    utilitarian_point,
    zone_mask,
)


def simplex(parties: int, n: int) -> np.ndarray:
    """Every split of the unit among ``parties`` in steps of ``1 / n``: shape (P, G)."""
    rows = [
        (*c, n - sum(c)) for c in itertools.product(range(n + 1), repeat=parties - 1) if sum(c) <= n
    ]
    return np.asarray(rows, dtype=np.float64).T / n


@pytest.mark.parametrize("parties", [2, 3, 4, 5])
@pytest.mark.parametrize("solve", [nash_point, kalai_smorodinsky_point, egalitarian_point])
def test_split_the_pie_gives_equal_shares(parties: int, solve) -> None:  # type: ignore[no-untyped-def]
    U = simplex(parties, 60 if parties < 5 else 20)
    i = solve(U, np.zeros(parties))
    assert i is not None
    assert np.allclose(U[:, i], 1.0 / parties, atol=1e-12)


@pytest.mark.parametrize(("weights", "n"), [((1, 2, 3), 60), ((2, 1, 1), 40), ((1, 1, 2, 4), 24)])
def test_weighted_nash_gives_shares_in_proportion_to_the_weights(
    weights: tuple[int, ...], n: int
) -> None:
    U = simplex(len(weights), n)
    i = nash_point(U, np.zeros(len(weights)), weights=weights)
    assert i is not None
    assert np.allclose(U[:, i], np.asarray(weights) / sum(weights), atol=1e-12)


def test_nash_with_a_disagreement_point_splits_the_surplus_equally() -> None:
    d = np.array([0.1, 0.2, 0.1])  # surplus 0.6, shares d + 0.2
    U = simplex(3, 60)
    i = nash_point(U, d)
    assert i is not None
    assert np.allclose(U[:, i], d + 0.2, atol=1e-12)


def test_two_party_weighted_nash_matches_the_bilateral_closed_form() -> None:
    U = simplex(2, 100)
    i = nash_point(U, (0.2, 0.1), weights=(7, 3))
    assert i is not None
    assert U[0, i] == pytest.approx(nash_pie(0.2, 0.1, alpha=0.7), abs=1e-12)  # 0.69


def test_the_pie_is_all_pareto_optimal_with_the_corners_as_extreme_points() -> None:
    U = simplex(3, 6)
    front = pareto_set(U)
    assert front.tolist() == list(range(U.shape[1]))  # a linear frontier: every split
    corners = extreme_points(U, front)
    assert np.allclose(U[:, corners], np.eye(3))
    assert kalai_smorodinsky_level(U, np.zeros(3)) == pytest.approx(1 / 3)


def test_utilitarian_on_the_pie_breaks_its_ties_towards_equal_gains() -> None:
    U = simplex(3, 6)  # every split sums to 1: the tie-break picks the most equal
    i = utilitarian_point(U, np.zeros(3))
    assert i is not None
    assert np.allclose(U[:, i], 1 / 3)


def test_zones_under_unanimity_and_majority() -> None:
    U = simplex(3, 10)
    d = np.full(3, 0.3)
    all_three = zone_mask(U, d)
    two = zone_mask(U, d, needed=2)
    assert np.all(U[:, all_three] >= 0.3)
    assert np.all((U[:, two] >= 0.3).sum(axis=0) >= 2)
    assert all_three.sum() == 3  # (0.4, 0.3, 0.3) and its permutations
    assert np.all(two >= all_three)
    assert two.sum() > all_three.sum()
