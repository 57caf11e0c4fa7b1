"""Invariants of the bargaining solutions in ``burdenshare.solutions``, checked with hypothesis.

Axioms from Nash (1950), Kalai & Smorodinsky (1975) and Kalai (1977); strategic limits from
Rubinstein (1982) and Binmore, Rubinstein & Wolinsky (1986).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from burdenshare.solutions import (
    Frontier,
    UtilityPoint,
    breakdown_risk_on_frontier,
    deadline_backward_induction,
    egalitarian_discrete,
    egalitarian_on_frontier,
    kalai_smorodinsky_discrete,
    kalai_smorodinsky_on_frontier,
    nash_discrete,
    nash_on_frontier,
    pareto_frontier_2d,
    pareto_mask,
    ratified_nash_on_frontier,
    rubinstein_on_frontier,
    rubinstein_shares,
    utilitarian_discrete,
    utilitarian_on_frontier,
)

FAST = settings(max_examples=40, deadline=None)
TOL = 1e-9

Solver = Callable[[Frontier, tuple[float, float]], UtilityPoint | None]
AXIOMATIC: dict[str, Solver] = {
    "nash": nash_on_frontier,
    "kalai_smorodinsky": kalai_smorodinsky_on_frontier,
    "egalitarian": egalitarian_on_frontier,
    "utilitarian": utilitarian_on_frontier,
}
SCALE_INVARIANT: dict[str, Solver] = {
    "nash": nash_on_frontier,
    "kalai_smorodinsky": kalai_smorodinsky_on_frontier,
}


# --------------------------------------------------------------------------- strategies
@dataclass(frozen=True)
class Problem:
    """A frontier plus a rational disagreement point, and how to rebuild it after rescaling."""

    frontier: Frontier
    d: tuple[float, float]
    kind: str
    params: tuple[float, ...]


def _power_function(a: float, b: float, k: float) -> Callable[[float], float]:
    """``u2 = b (1 - (u1/a)^k)^(1/k)``: concave for k >= 1 (the quarter circle at k = 2)."""

    def f(u: float) -> float:
        return float(b * max(0.0, 1.0 - (max(u, 0.0) / a) ** k) ** (1.0 / k))

    return f


def _build(kind: str, params: tuple[float, ...]) -> Frontier:
    if kind == "linear":
        return Frontier.linear(params[0], params[1])
    if kind == "power":
        a, b, k = params
        return Frontier.from_function(_power_function(a, b, k), 0.0, a)
    half = len(params) // 2
    return Frontier.from_points(params[:half], params[half:])


positive = st.floats(0.2, 5.0)


@st.composite
def frontiers(draw: st.DrawFn, symmetric: bool = False) -> tuple[Frontier, str, tuple[float, ...]]:
    kind = draw(st.sampled_from(["linear", "power", "points"]))
    if kind == "linear":
        a = draw(positive)
        params: tuple[float, ...] = (a, a if symmetric else draw(positive))
    elif kind == "power":
        a = draw(positive)
        b = a if symmetric else draw(positive)
        params = (a, b, draw(st.floats(1.0, 4.0)))
    else:
        # points on a concave curve, so that the feasible set is convex (as Nash assumes)
        k = draw(st.floats(1.0, 4.0))
        xs = draw(st.lists(st.floats(0.0, 1.0), min_size=2, max_size=8))
        ys = [(1.0 - x**k) ** (1.0 / k) for x in xs]
        if symmetric:
            xs, ys = xs + ys, ys + xs
        params = (*xs, *ys)
    return _build(kind, params), kind, params


@st.composite
def problems(draw: st.DrawFn, symmetric: bool = False) -> Problem:
    frontier, kind, params = draw(frontiers(symmetric=symmetric))
    if symmetric:
        top = min(frontier.u1_max, frontier.u2_max)
        c = draw(st.floats(0.0, 0.45)) * top
        c = min(c, max(0.0, frontier.u1_min))  # keep d below the frontier
        d = (c, c) if frontier.restricted((c, c)) is not None else (0.0, 0.0)
        return Problem(frontier, d, kind, params)
    d1 = frontier.u1_min + draw(st.floats(0.0, 0.9)) * (frontier.u1_max - frontier.u1_min)
    d1 = draw(st.sampled_from([d1, min(d1, 0.0)]))
    d2 = draw(st.floats(0.0, 0.9)) * frontier.u2_at(max(d1, frontier.u1_min))
    return Problem(frontier, (d1, d2), kind, params)


def _on_frontier(frontier: Frontier, p: UtilityPoint) -> bool:
    scale = 1.0 + abs(frontier.u2_max)
    return abs(frontier.u2_at(p.u1) - p.u2) <= TOL * scale


def _rational(p: UtilityPoint, d: tuple[float, float]) -> bool:
    return p.u1 >= d[0] - TOL * (1 + abs(d[0])) and p.u2 >= d[1] - TOL * (1 + abs(d[1]))


# --------------------------------------------------------------------------- Nash et al.
@FAST
@given(problem=problems(), name=st.sampled_from(sorted(AXIOMATIC)))
def test_solution_is_on_frontier_and_rational(problem: Problem, name: str) -> None:
    """Pareto optimality and individual rationality (Nash 1950; Kalai-Smorodinsky 1975)."""
    point = AXIOMATIC[name](problem.frontier, problem.d)
    assert point is not None
    assert _on_frontier(problem.frontier, point)
    assert _rational(point, problem.d)


@FAST
@given(problem=problems(), alpha=st.floats(0.05, 0.95))
def test_nash_maximises_the_nash_product(problem: Problem, alpha: float) -> None:
    """No rational frontier point on a fine grid has a larger Nash product (Nash 1950)."""
    d1, d2 = problem.d
    point = nash_on_frontier(problem.frontier, problem.d, alpha)
    assert point is not None
    ir = problem.frontier.restricted(problem.d)
    assert ir is not None

    def product(u1: float, u2: float) -> float:
        return float(max(u1 - d1, 0.0) ** alpha * max(u2 - d2, 0.0) ** (1 - alpha))

    best = product(point.u1, point.u2)
    for x in np.linspace(ir.u1_min, ir.u1_max, 401):
        assert product(float(x), ir.u2_at(float(x))) <= best * (1 + 1e-9) + 1e-15


@FAST
@given(problem=problems(symmetric=True), name=st.sampled_from(sorted(AXIOMATIC)))
def test_symmetric_problem_gives_equal_utilities(problem: Problem, name: str) -> None:
    """Symmetry axiom (Nash 1950): a symmetric frontier and d give u1 = u2."""
    point = AXIOMATIC[name](problem.frontier, problem.d)
    assert point is not None
    assert point.u1 == pytest.approx(point.u2, abs=1e-9)


def _transform(problem: Problem, a1: float, b1: float, a2: float, b2: float) -> Frontier:
    f = problem.frontier
    if f.vertices is not None:
        x, y = f.vertex_arrays()
        return Frontier.from_points(a1 * x + b1, a2 * y + b2)
    g = f.function
    assert g is not None
    return Frontier.from_function(
        lambda v: a2 * g((v - b1) / a1) + b2, a1 * f.u1_min + b1, a1 * f.u1_max + b1
    )


@FAST
@given(
    problem=problems(),
    name=st.sampled_from(sorted(SCALE_INVARIANT)),
    a1=st.floats(0.1, 10.0),
    a2=st.floats(0.1, 10.0),
    b1=st.floats(-5.0, 5.0),
    b2=st.floats(-5.0, 5.0),
)
def test_invariance_to_affine_rescaling(
    problem: Problem, name: str, a1: float, a2: float, b1: float, b2: float
) -> None:
    """Scale invariance (Nash 1950; Kalai & Smorodinsky 1975): u_i -> a_i u_i + b_i commutes."""
    solve = SCALE_INVARIANT[name]
    before = solve(problem.frontier, problem.d)
    d = (a1 * problem.d[0] + b1, a2 * problem.d[1] + b2)
    after = solve(_transform(problem, a1, b1, a2, b2), d)
    assert before is not None
    assert after is not None
    assert after.u1 == pytest.approx(a1 * before.u1 + b1, abs=1e-8 * (1 + abs(a1)))
    assert after.u2 == pytest.approx(a2 * before.u2 + b2, abs=1e-8 * (1 + abs(a2)))


@FAST
@given(problem=problems(), scale=st.floats(0.1, 10.0), b1=st.floats(-5, 5), b2=st.floats(-5, 5))
def test_egalitarian_invariant_to_common_scale_and_shifts(
    problem: Problem, scale: float, b1: float, b2: float
) -> None:
    """Kalai (1977): the egalitarian point commutes with a *common* rescaling plus translations
    (it is not invariant to rescaling one party alone, so that is not tested)."""
    before = egalitarian_on_frontier(problem.frontier, problem.d)
    d = (scale * problem.d[0] + b1, scale * problem.d[1] + b2)
    after = egalitarian_on_frontier(_transform(problem, scale, b1, scale, b2), d)
    assert before is not None
    assert after is not None
    assert after.u1 == pytest.approx(scale * before.u1 + b1, abs=1e-8 * (1 + scale))
    assert after.u2 == pytest.approx(scale * before.u2 + b2, abs=1e-8 * (1 + scale))


def test_egalitarian_is_not_scale_invariant() -> None:
    """Kalai (1977): doubling party 1's utility moves the egalitarian split (unlike Nash's)."""
    base = egalitarian_on_frontier(Frontier.linear(), (0.0, 0.0))
    doubled = egalitarian_on_frontier(Frontier.linear(2.0, 1.0), (0.0, 0.0))
    assert base is not None
    assert doubled is not None
    assert doubled.u1 / 2 != pytest.approx(base.u1)


# --------------------------------------------------------------------------- strategic models
delta = st.floats(0.05, 0.98)


@FAST
@given(d1=delta, d1_up=delta, d2=delta, d2_up=delta)
def test_rubinstein_monotone_in_patience(d1: float, d1_up: float, d2: float, d2_up: float) -> None:
    """Rubinstein (1982): x1* rises with delta1 and falls with delta2."""
    lo1, hi1 = sorted((d1, d1_up))
    lo2, hi2 = sorted((d2, d2_up))
    assert rubinstein_shares(lo1, d2)[0] <= rubinstein_shares(hi1, d2)[0] + 1e-15
    assert rubinstein_shares(d1, lo2)[0] >= rubinstein_shares(d1, hi2)[0] - 1e-15


@FAST
@given(problem=problems(), d1=delta, d2=delta, mover=st.sampled_from([1, 2]))
def test_rubinstein_on_frontier_is_a_stationary_equilibrium(
    problem: Problem, d1: float, d2: float, mover: int
) -> None:
    """Rubinstein (1982): both proposals lie on the frontier, and each responder gets at least its
    discounted continuation value (with equality whenever the constraint can bind)."""
    x = rubinstein_on_frontier(problem.frontier, d1, d2, problem.d, first_mover=1)
    y = rubinstein_on_frontier(problem.frontier, d1, d2, problem.d, first_mover=2)
    assert x is not None
    assert y is not None
    assert _on_frontier(problem.frontier, x)
    assert _on_frontier(problem.frontier, y)
    assert _rational(x, problem.d)
    assert _rational(y, problem.d)
    assert x.u2 - problem.d[1] >= d2 * (y.u2 - problem.d[1]) - 1e-9
    assert y.u1 - problem.d[0] >= d1 * (x.u1 - problem.d[0]) - 1e-9
    # the proposer does at least as well as when responding
    assert x.u1 >= y.u1 - 1e-9
    assert mover in (1, 2)


@FAST
@given(d1=delta, d1_up=delta, d2=delta, d2_up=delta, kind=st.sampled_from(["power", "points"]))
def test_rubinstein_on_frontier_monotone(
    d1: float, d1_up: float, d2: float, d2_up: float, kind: str
) -> None:
    """Rubinstein (1982) on a concave frontier: party 1's utility rises with delta1, falls with
    delta2."""
    if kind == "power":
        frontier = Frontier.from_function(_power_function(1.0, 1.0, 2.0), 0.0, 1.0)
    else:
        xs = np.linspace(0, 1, 9)
        frontier = Frontier.from_points(xs, np.sqrt(1 - xs**2))
    lo1, hi1 = sorted((d1, d1_up))
    lo2, hi2 = sorted((d2, d2_up))

    def u1(a: float, b: float) -> float:
        p = rubinstein_on_frontier(frontier, a, b)
        assert p is not None
        return p.u1

    assert u1(lo1, d2) <= u1(hi1, d2) + 1e-9
    assert u1(d1, lo2) >= u1(d1, hi2) - 1e-9


@FAST
@given(problem=problems())
def test_breakdown_risk_tends_to_nash(problem: Problem) -> None:
    """Binmore, Rubinstein & Wolinsky (1986): as p -> 0 the proposer's SPE offer tends to the
    Nash solution with the breakdown point as disagreement point."""
    nash = nash_on_frontier(problem.frontier, problem.d)
    near = breakdown_risk_on_frontier(problem.frontier, 1e-8, problem.d)
    assert nash is not None
    assert near is not None
    scale = problem.frontier.u1_max - problem.frontier.u1_min + 1.0
    assert near.u1 == pytest.approx(nash.u1, abs=1e-5 * scale)


@settings(max_examples=15, deadline=None)
@given(problem=problems().filter(lambda p: p.kind != "power"), d1=delta, d2=delta)
def test_deadline_converges_to_rubinstein(problem: Problem, d1: float, d2: float) -> None:
    """Stahl (1972) / Rubinstein (1982): with T = 2001 rounds the backward-induction offer is
    within 1e-6 of the infinite-horizon SPE."""
    finite = deadline_backward_induction(problem.frontier, 2001, d1, d2, problem.d)
    infinite = rubinstein_on_frontier(problem.frontier, d1, d2, problem.d)
    assert finite is not None
    assert infinite is not None
    assert finite.u1 == pytest.approx(infinite.u1, abs=1e-6)
    assert finite.u2 == pytest.approx(infinite.u2, abs=1e-6)


# --------------------------------------------------------------------------- no ZOPA
@FAST
@given(frontier_data=frontiers(), t=st.floats(0.0, 1.0), eps1=positive, eps2=positive)
def test_no_zopa_means_no_agreement(
    frontier_data: tuple[Frontier, str, tuple[float, ...]], t: float, eps1: float, eps2: float
) -> None:
    """A disagreement point strictly above the frontier leaves nothing to agree on: every solution
    returns None rather than a number."""
    frontier = frontier_data[0]
    x = frontier.u1_min + t * (frontier.u1_max - frontier.u1_min)
    d = (x + 0.01 * eps1, frontier.u2_at(x) + 0.01 * eps2)
    for solve in AXIOMATIC.values():
        assert solve(frontier, d) is None
    assert rubinstein_on_frontier(frontier, 0.9, 0.9, d) is None
    assert deadline_backward_induction(frontier, 5, 0.9, 0.9, d) is None
    assert breakdown_risk_on_frontier(frontier, 0.1, d) is None
    assert breakdown_risk_on_frontier(frontier, 0.0, d) is None
    assert ratified_nash_on_frontier(frontier, d, min_u2=d[1]) is None
    grid = np.linspace(frontier.u1_min, frontier.u1_max, 50)
    u2 = np.array([frontier.u2_at(float(g)) for g in grid])
    for discrete in (nash_discrete, kalai_smorodinsky_discrete, egalitarian_discrete):
        assert discrete(grid, u2, d) is None
    assert utilitarian_discrete(grid, u2, d) is None


# --------------------------------------------------------------------------- Pareto filtering
def _brute_force_mask(U: NDArray[np.float64]) -> NDArray[np.bool_]:
    n = U.shape[0]
    keep = np.ones(n, dtype=np.bool_)
    for i in range(n):
        for j in range(n):
            if np.all(U[j] >= U[i]) and np.any(U[j] > U[i]):
                keep[i] = False
                break
    return keep


@settings(max_examples=60, deadline=None)
@given(
    k=st.integers(1, 4),
    rows=st.lists(st.lists(st.integers(0, 4), min_size=4, max_size=4), min_size=0, max_size=25),
)
def test_pareto_mask_matches_brute_force(k: int, rows: list[list[int]]) -> None:
    """Kept points are dominated by none; every dropped point is dominated by a kept one."""
    U = np.array([r[:k] for r in rows], dtype=np.float64).reshape(len(rows), k)
    mask = pareto_mask(U)
    assert mask.tolist() == _brute_force_mask(U).tolist()
    for i in np.flatnonzero(~mask):
        dominators = np.all(U[mask] >= U[i], axis=1) & np.any(U[mask] > U[i], axis=1)
        assert dominators.any()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-1, 1), st.floats(-1, 1)), min_size=1, max_size=30))
def test_pareto_frontier_2d_sorted_and_decreasing(points: list[tuple[float, float]]) -> None:
    """The 2-D frontier comes back sorted by u1, with u2 weakly decreasing along it."""
    u1 = np.array([p[0] for p in points])
    u2 = np.array([p[1] for p in points])
    idx = pareto_frontier_2d(u1, u2)
    assert set(idx.tolist()) == set(np.flatnonzero(_brute_force_mask(np.column_stack([u1, u2]))))
    assert np.all(np.diff(u1[idx]) >= 0)
    assert np.all(np.diff(u2[idx]) <= 0)
