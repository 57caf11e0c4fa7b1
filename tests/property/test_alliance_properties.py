"""Invariants of the public-goods model of alliances (Olson & Zeckhauser 1966; Bergstrom, Blume
& Varian 1986; Sandler 1977)."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.alliance import best_response, nash_contributions
from burdenshare.alliance.joint_product import exploitation_curve
from burdenshare.alliance.rank import rank_test

incomes = st.lists(st.floats(0.5, 1000.0), min_size=1, max_size=8)
alpha = st.floats(0.02, 0.9)
share = st.floats(0.0, 1.0)


def _names(n: int) -> list[str]:
    return [f"ally{i}" for i in range(n)]


@given(y=incomes, a=st.lists(alpha, min_size=8, max_size=8), s=share)
def test_every_ally_plays_a_best_response(y: list[float], a: list[float], s: float) -> None:
    eq = nash_contributions(_names(len(y)), y, a[: len(y)], s)
    for i, q in enumerate(eq.contributions):
        others = eq.total - q
        assert abs(best_response(y[i], a[i], others, s) - q) <= 1e-9 * max(1.0, y[i])


@given(y=incomes, a=alpha, s=share, scale=st.floats(1.01, 10.0))
def test_provision_rises_with_income(y: list[float], a: float, s: float, scale: float) -> None:
    base = nash_contributions(_names(len(y)), y, [a] * len(y), s)
    richer = nash_contributions(_names(len(y)), [v * scale for v in y], [a] * len(y), s)
    assert richer.total > base.total
    more = nash_contributions(_names(len(y)), [y[0] + 1.0, *y[1:]], [a] * len(y), s)
    assert more.total >= base.total * (1 - 1e-12)


@given(y=st.lists(st.floats(1.0, 100.0), min_size=2, max_size=6), a=alpha, frac=st.floats(0.0, 1.0))
def test_neutrality_under_transfers_among_contributors(
    y: list[float], a: float, frac: float
) -> None:
    """Warr (1983), BBV (1986): a transfer between contributors that keeps both contributing
    leaves the public good unchanged."""
    names = _names(len(y))
    eq = nash_contributions(names, y, [a] * len(y))
    if len(eq.contributors) < 2:
        return
    i, j = (names.index(c) for c in eq.contributors[:2])
    # the donor keeps contributing if it still spends a positive amount: give up to 90% of q_i
    t = 0.9 * frac * eq.contributions[i]
    moved = list(y)
    moved[i] -= t
    moved[j] += t
    after = nash_contributions(names, moved, [a] * len(y))
    assert set(after.contributors) == set(eq.contributors)
    assert abs(after.total - eq.total) <= 1e-9 * eq.total


@given(y=incomes, a=alpha, s=share)
def test_larger_allies_bear_no_smaller_burden(y: list[float], a: float, s: float) -> None:
    """The exploitation hypothesis inside the model: with a common weight, the burden q/y
    never falls with income."""
    eq = nash_contributions(_names(len(y)), y, [a] * len(y), s)
    order = np.argsort(y, kind="stable")
    burdens = np.array(eq.burdens)[order]
    assert np.all(np.diff(burdens) >= -1e-12)


@settings(max_examples=60)
@given(y=st.lists(st.floats(0.5, 1000.0), min_size=2, max_size=7), a=alpha)
def test_exploitation_weakens_as_the_private_share_rises(y: list[float], a: float) -> None:
    pts = exploitation_curve(_names(len(y)), y, a, list(np.linspace(0.0, 1.0, 11)))
    ratios = [p.burden_ratio for p in pts]
    excess = [p.largest_disproportion for p in pts]
    frees = [p.free_riders for p in pts]
    assert all(b >= r - 1e-12 for r, b in itertools.pairwise(ratios))
    assert all(b <= r + 1e-12 for r, b in itertools.pairwise(excess))
    assert all(b <= r for r, b in itertools.pairwise(frees))
    assert abs(ratios[-1] - 1.0) < 1e-12


@settings(max_examples=30, deadline=None)
@given(
    data=st.lists(st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)), min_size=3, max_size=12),
    seed=st.integers(0, 2**32 - 1),
)
def test_rank_test_is_bounded_and_reproducible(data: list[tuple[float, float]], seed: int) -> None:
    x, y = [d[0] for d in data], [d[1] for d in data]
    if len(set(x)) < 2 or len(set(y)) < 2:
        return
    one = rank_test(x, y, np.random.default_rng(seed), resamples=50)
    two = rank_test(x, y, np.random.default_rng(seed), resamples=50)
    assert one == two
    assert -1.0 <= one.rho <= 1.0
    assert 0.0 <= one.p_value <= 1.0
    if one.resamples:
        assert -1.0 <= one.ci_low <= one.ci_high <= 1.0
