"""Hand-computed values and error cases for ``burdenshare.solutions``.

Each expected value is worked out in the test's docstring or comment from the formula in the cited
source (Nash 1950; Kalai & Smorodinsky 1975; Kalai 1977; Rubinstein 1982; Binmore, Rubinstein &
Wolinsky 1986; Putnam 1988; Raiffa 1982).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from burdenshare.errors import SolverError
from burdenshare.solutions import (
    Frontier,
    UtilityPoint,
    breakdown_risk_share,
    deadline_backward_induction,
    deadline_share,
    egalitarian_on_frontier,
    feasible_mask,
    kalai_smorodinsky_on_frontier,
    nash_on_frontier,
    nash_pie,
    pareto_frontier_2d,
    pareto_mask,
    ratified_nash_pie,
    rubinstein_continuous_limit,
    rubinstein_on_frontier,
    rubinstein_shares,
    utilitarian_discrete,
    utilitarian_on_frontier,
    zopa_interval,
)
from burdenshare.solutions import __all__ as public_names


def test_public_namespace_is_pinned() -> None:
    """The explicit ``__all__`` (STYLE.md convention 9) lists exactly the public API."""
    import types

    import burdenshare.solutions as mod

    exported = {
        name
        for name, value in vars(mod).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    assert exported == set(public_names)
    assert len(public_names) == len(set(public_names))


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: rubinstein_shares(1.0, 0.5), "delta1 must be in (0, 1), got 1.0"),
        (lambda: rubinstein_shares(0.5, -0.1), "delta2 must be in (0, 1), got -0.1"),
        (lambda: nash_pie(0.1, 0.1, alpha=1.5), "alpha must be in (0, 1), got 1.5"),
        (lambda: breakdown_risk_share(1.2), "p must be a probability in [0, 1], got 1.2"),
        (lambda: deadline_share(0, 0.9), "T must be a whole number of rounds >= 1, got 0"),
        (lambda: deadline_share(3, 1.5), "delta must be in (0, 1], got 1.5"),
        (lambda: rubinstein_continuous_limit(0.0, 0.1), "r1 must be > 0, got 0.0"),
        (lambda: zopa_interval(float("nan"), 0.1), "low_party_reservation must be a finite"),
        (
            lambda: rubinstein_on_frontier(Frontier.linear(), 0.9, 0.9, first_mover=3),
            "first_mover must be 1 or 2, got 3",
        ),
        (
            lambda: Frontier(0.0, 1.0, vertices=((1.0, 0.0), (0.0, 1.0))),
            "frontier vertices must be sorted by u1 ascending",
        ),
        (
            lambda: Frontier.from_function(lambda u: u, 0.0, 1.0),
            "frontier function must be decreasing",
        ),
        (lambda: Frontier.linear().u2_at(1.5), "u1 must be in [0.0, 1.0]"),
        (lambda: pareto_mask(np.array([[np.nan, 1.0]])), "finite"),
    ],
    ids=[
        "delta1=1",
        "delta2<0",
        "alpha>1",
        "p>1",
        "T=0",
        "deadline-delta>1",
        "r1=0",
        "nan-reservation",
        "first_mover=3",
        "unsorted-vertices",
        "increasing-function",
        "u1-outside-domain",
        "nan-utilities",
    ],
)
def test_impossible_parameters_raise_solver_error(call: Callable[[], Any], fragment: str) -> None:
    """Impossible parameters raise SolverError naming the parameter and the value."""
    with pytest.raises(SolverError) as info:
        call()
    assert fragment in str(info.value)


def test_zopa_interval() -> None:
    """Raiffa (1982): the ZOPA is [R_high, R_low], empty when the reservations cross."""
    assert zopa_interval(0.6, 0.4) == (0.4, 0.6)
    assert zopa_interval(0.5, 0.5) == (0.5, 0.5)
    assert zopa_interval(0.3, 0.4) is None
    assert feasible_mask([0.2, 0.3], [0.5, 0.1], (0.2, 0.2)).tolist() == [True, False]


def test_pareto_keeps_duplicates_and_drops_weakly_dominated() -> None:
    """Duplicates of a non-dominated point are all kept; (1, 0) is dominated by (1, 1)."""
    U = np.array([[1.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 2.0], [0.0, 1.5]])
    assert pareto_mask(U).tolist() == [True, False, True, True, False]
    assert pareto_frontier_2d(U[:, 0], U[:, 1]).tolist() == [3, 0, 2]
    assert pareto_mask(np.zeros((0, 3))).tolist() == []
    big = np.random.default_rng(0).random((3000, 3))
    assert pareto_mask(big).sum() > 0


def test_frontier_inverse_and_restriction() -> None:
    """u1_at inverts u2_at; restriction puts end vertices exactly on u = d."""
    circle = Frontier.from_function(lambda u: math.sqrt(1 - u * u), 0.0, 1.0)
    assert circle.u1_at(math.sqrt(0.5)) == pytest.approx(math.sqrt(0.5), abs=1e-13)
    poly = Frontier.from_points([0, 0.5, 1], [1, 0.6, 0])
    assert poly.u1_at(0.8) == pytest.approx(0.25, abs=1e-15)
    ir = poly.restricted((0.25, 0.3))
    assert ir is not None
    assert ir.vertices == ((0.25, 0.8), (0.5, 0.6), (0.75, 0.3))
    single = poly.restricted((0.5, 0.6))
    assert single is not None
    assert single.vertices == ((0.5, 0.6),)
    assert nash_on_frontier(poly, (0.5, 0.6)) == UtilityPoint(0.5, 0.6)


def test_nash_asymmetric_pie_matches_frontier() -> None:
    """Nash (1950) / Roth (1979): on u1 + u2 = 1, x1 = d1 + alpha (1 - d1 - d2)."""
    for alpha in (0.1, 0.3, 0.5, 0.9):
        point = nash_on_frontier(Frontier.linear(), (0.1, 0.2), alpha)
        assert point is not None
        assert point.u1 == pytest.approx(0.1 + alpha * 0.7, abs=1e-12)


def test_kalai_smorodinsky_differs_from_nash_on_a_kinked_frontier() -> None:
    """KS (1975) on the polyline (0,1)-(0.8,0.8)-(1,0): ideal (1,1) so KS is on the diagonal,
    u1 = u2 = 0.8; Nash maximises u1 u2 at the kink too, but a lower ideal for 2 moves KS."""
    poly = Frontier.from_points([0, 0.8, 1], [0.5, 0.4, 0])
    # ideal (1, 0.5); segment t (1, 0.5) meets 0.5 - 0.125 u1 at t = 0.5/0.625 = 0.8
    ks = kalai_smorodinsky_on_frontier(poly, (0, 0))
    assert ks is not None
    assert (ks.u1, ks.u2) == pytest.approx((0.8, 0.4), abs=1e-12)


def test_egalitarian_uses_frontier_end_when_diagonal_misses() -> None:
    """Kalai (1977): if the frontier ends before u1 - d1 = u2 - d2, take its nearest end point."""
    short = Frontier.from_points([0.0, 0.3], [1.0, 0.9])
    assert egalitarian_on_frontier(short, (0, 0)) == UtilityPoint(0.3, 0.9)


def test_utilitarian_ties_break_towards_equal_gains() -> None:
    """Every point of u1 + u2 = 1 maximises the sum; the tie-break picks equal gains."""
    point = utilitarian_on_frontier(Frontier.linear(), (0.2, 0.0))
    assert point is not None
    assert (point.u1, point.u2) == pytest.approx((0.6, 0.4), abs=1e-12)
    line = Frontier.from_function(lambda u: 1 - u, 0.0, 1.0)
    point = utilitarian_on_frontier(line, (0.0, 0.0))
    assert point is not None
    assert (point.u1, point.u2) == pytest.approx((0.5, 0.5), abs=1e-9)
    assert utilitarian_discrete([1.0, 0.5, 0.0], [0.0, 0.5, 1.0], (0, 0)) == 1


def test_rubinstein_on_quarter_circle_stationarity() -> None:
    """Rubinstein (1982) on u2 = 1 - u1^2: the two stationary offers satisfy both indifference
    conditions exactly."""
    curve = Frontier.from_function(lambda u: 1 - u * u, 0.0, 1.0)
    x = rubinstein_on_frontier(curve, 0.8, 0.7)
    y = rubinstein_on_frontier(curve, 0.8, 0.7, first_mover=2)
    assert x is not None
    assert y is not None
    assert x.u2 == pytest.approx(0.7 * y.u2, abs=1e-12)
    assert y.u1 == pytest.approx(0.8 * x.u1, abs=1e-12)


def test_deadline_with_second_mover_and_unit_delta() -> None:
    """Stahl (1972): with delta = 1 the last proposer takes all, so parity decides everything."""
    assert deadline_share(4, 1.0) == 0.0
    assert deadline_share(5, 1.0) == 1.0
    point = deadline_backward_induction(Frontier.linear(), 1, 0.9, 0.9, first_mover=2)
    assert point == UtilityPoint(0.0, 1.0)
    two = deadline_backward_induction(Frontier.linear(), 2, 0.9, 0.8, first_mover=2)
    assert two is not None
    assert (two.u1, two.u2) == pytest.approx((0.9, 0.1), abs=1e-15)


def test_brw_and_ratification_boundaries() -> None:
    """BRW (1986) with b1 + b2 > 1 and Putnam (1988) with r_B between d_A and the NBS."""
    assert breakdown_risk_share(0.3, 0.6, 0.5) is None
    assert ratified_nash_pie(0.2, 0.1, 0.25) == pytest.approx(0.25)
    assert ratified_nash_pie(0.2, 0.1, 0.2) == pytest.approx(0.2)
    assert ratified_nash_pie(0.2, 0.1, 0.19) is None
