"""The engine's compiled issue utilities (:mod:`burdenshare.engine.tables`) give bit for bit the
numbers of the one-session paths of :mod:`burdenshare.preferences.issue_utility` (signed zeros
included) on random linear, piecewise-linear and categorical utilities: the kernel uses the
former, ``run_session`` the latter, and the engine contract test requires identical outcomes."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from burdenshare.engine.tables import (
    categorical_inverse,
    categorical_table,
    interp,
    linear_at,
    linear_inverse_at,
    numeric_points,
    piecewise_at,
    piecewise_inverse_at,
    piecewise_knots,
)
from burdenshare.preferences.issue_utility import CategoricalUtility, NumericUtility

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
small = st.sampled_from([0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 1e-9, -1e-9, 2.0])
utility = st.floats(min_value=-50, max_value=3, allow_nan=False) | small
SETTINGS = settings(max_examples=300, derandomize=True, database=None, deadline=None)


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or (
        a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    )


@SETTINGS
@given(
    ideal=finite | small,
    reservation=finite | small,
    x=finite | small,
    u=utility,
    integer=st.booleans(),
    low=st.sampled_from([-math.inf, -1.0, 0.0, -0.0, 3.0]),
    width=st.sampled_from([math.inf, 1.0, 10.0, 1e6]),
)
def test_linear_tables_equal_the_one_value_paths(
    ideal: float, reservation: float, x: float, u: float, integer: bool, low: float, width: float
) -> None:
    if integer:
        ideal, reservation = float(round(ideal)), float(round(reservation))
    assume(ideal != reservation)
    high = math.inf if math.isinf(low) else low + width
    part = NumericUtility(ideal=ideal, reservation=reservation, integer=integer, low=low, high=high)
    assert _same(linear_at(x, ideal, reservation), part.at(x))
    got = linear_inverse_at(u, ideal, reservation, integer, low, high)
    assert _same(got, part.inverse_at(u))


@st.composite
def piecewise(draw: st.DrawFn) -> NumericUtility:
    """A valid piecewise utility: points strictly between the reservation and the ideal, in any
    order, utilities rising strictly towards the ideal (the scenario's rules)."""
    res = draw(st.floats(min_value=-1e4, max_value=1e4, allow_nan=False))
    span = draw(st.floats(min_value=1e-3, max_value=1e4)) * draw(st.sampled_from([1.0, -1.0]))
    ideal = res + span
    assume(ideal != res)
    k = draw(st.integers(min_value=1, max_value=6))
    fr = sorted(set(draw(st.lists(st.floats(0.01, 0.99), min_size=k, max_size=k))))
    us = sorted(set(draw(st.lists(st.floats(0.001, 0.999), min_size=len(fr), max_size=len(fr)))))
    assume(len(us) == len(fr))
    xs = [res + f * (ideal - res) for f in fr]
    assume(len(set(xs)) == len(xs) and all(min(res, ideal) < v < max(res, ideal) for v in xs))
    pts = list(zip(xs, us, strict=True))
    order = draw(st.permutations(range(len(pts))))
    integer = draw(st.booleans())
    lo, hi = min(res, ideal), max(res, ideal)
    lo -= draw(st.sampled_from([0.0, 1.0, 100.0, math.inf]))
    hi += draw(st.sampled_from([0.0, 1.0, 100.0, math.inf]))
    return NumericUtility(
        ideal=ideal,
        reservation=res,
        points=tuple(pts[i] for i in order),
        integer=integer,
        low=lo,
        high=hi,
    )


def _knots(part: NumericUtility) -> tuple[np.ndarray, np.ndarray, int]:
    px, pu = numeric_points(part)
    tk, us = np.empty(len(px) + 2), np.empty(len(px) + 2)
    n = piecewise_knots(part.ideal, part.reservation, px, pu, len(px), tk, us)
    return tk, us, n


@SETTINGS
@given(part=piecewise(), x=finite | small, fraction=st.floats(-0.5, 1.5), u=utility)
def test_piecewise_tables_equal_the_one_value_paths(
    part: NumericUtility, x: float, fraction: float, u: float
) -> None:
    tk, us, n = _knots(part)
    xs, uk = part._knots
    sgn = 1.0 if part.increasing else -1.0
    assert all(_same(a, b) for a, b in zip(tk, (xs - part.reservation) * sgn, strict=True))
    assert np.array_equal(us, uk)
    inside = part.reservation + fraction * (part.ideal - part.reservation)
    for value in (x, inside, *xs):
        got = piecewise_at(value, part.ideal, part.reservation, tk, us, n)
        assert _same(got, part.at(value)), value
    for level in (u, fraction, *uk):
        got = piecewise_inverse_at(
            level, part.ideal, part.reservation, tk, us, n, part.integer, part.low, part.high
        )
        assert _same(got, part.inverse_at(level)), level


@SETTINGS
@given(
    xp=st.lists(finite, min_size=2, max_size=8, unique=True).map(sorted),
    fp=st.lists(finite, min_size=8, max_size=8),
    x=finite | small,
    pick=st.integers(0, 7),
)
def test_interp_is_numpys(xp: list[float], fp: list[float], x: float, pick: int) -> None:
    n = len(xp)
    xa, fa = np.array(xp), np.array(fp[:n])
    for value in (x, xp[pick % n], 0.5 * (xp[0] + xp[-1])):
        assert _same(interp(value, xa, fa, n), float(np.interp(value, xa, fa)))


@SETTINGS
@given(
    scores=st.lists(st.floats(-2, 2, allow_nan=False) | small, min_size=1, max_size=12),
    reserve=st.integers(0, 11) | st.none(),
    u=utility,
    names=st.permutations([f"c{k}" for k in range(12)]),
)
def test_categorical_tables_equal_the_python_utility(
    scores: list[float], reserve: int | None, u: float, names: list[str]
) -> None:
    cats = tuple(names[: len(scores)])
    res = None if reserve is None else cats[reserve % len(cats)]
    part = CategoricalUtility(scores=tuple(zip(cats, scores, strict=True)), reservation=res)
    by_index, rank_u, rank_i = categorical_table(part, cats)
    assert [part(c) for c in cats] == by_index.tolist()
    for level in (u, *by_index.tolist()):
        got = categorical_inverse(level, rank_u, rank_i, len(cats))
        assert cats[got] == part.inverse(level), level
