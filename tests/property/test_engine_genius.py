"""The kernel's GENIUS-style bid selection (:mod:`burdenshare.engine.genius`) is the Python
agent's :func:`~burdenshare.negotiation.negotiators.bidding.select_bid`, on any utilities, mask,
target and window (ties included: utilities are drawn from a few levels)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.engine.genius import _Entry, _pack, accepts, ceil_float, needs_bid, select
from burdenshare.negotiation.negotiators.bidding import select_bid

LEVELS = st.sampled_from([-0.5, 0.0, 0.1, 0.2, 0.25, 0.5, 0.7, 0.71, 0.8, 1.0])


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    size=st.integers(1, 30),
    goal=st.floats(-0.6, 1.2),
    window=st.sampled_from([0.01, 0.05, 0.3, math.inf]),
    hint=st.integers(-2, 40),
)
def test_select_is_select_bid(
    data: st.DataObject, size: int, goal: float, window: float, hint: int
) -> None:
    """Any hint (where the last search ended) gives the same bid."""
    own = np.array(data.draw(st.lists(LEVELS, min_size=size, max_size=size)))
    opp = np.array(data.draw(st.lists(LEVELS, min_size=size, max_size=size)))
    ok = np.array(data.draw(st.lists(st.booleans(), min_size=size, max_size=size)))
    entry = _Entry(
        [[float(v) for v in range(size)]], [own], [ok], [(0.0, 1.0)], [[0.0]], [0.0], opp
    )
    t = _pack(1, [entry], np.zeros((2, 1), dtype=np.int64), 1)
    scratch = np.zeros((2, 1)), np.zeros((2, 1, size)), np.ones((2, 1))
    got = select(
        0, 0, 0, goal, window, 1, t.off, t.sidx, t.sown, t.nok, t.best, t.opp0, t.vidx,
        *scratch, np.array([hint, 0]),
    )  # fmt: skip
    assert got == select_bid(own, opp, goal, ok, window)


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    size=st.integers(1, 20),
    goal=st.floats(-0.6, 1.2),
    u=st.floats(-1.0, 1.0),
    rule=st.sampled_from([0, 3]),
    alpha=st.sampled_from([1.0, 0.9, 1.1]),
    beta=st.sampled_from([0.0, -0.05, 0.05]),
    t=st.floats(0.0, 1.0),
)
def test_skipping_the_bid_search_never_changes_an_answer(
    data: st.DataObject,
    size: int,
    goal: float,
    u: float,
    rule: int,
    alpha: float,
    beta: float,
    t: float,
) -> None:
    """When ``needs_bid`` says the bid is not needed, the answer with the real ``u_next`` (the
    bid select_bid makes, or the fallback's utility) is the answer with ``u_next = inf``."""
    own = np.array(data.draw(st.lists(LEVELS, min_size=size, max_size=size)))
    ok = np.array(data.draw(st.lists(st.booleans(), min_size=size, max_size=size)))
    entry = _Entry(
        [[float(v) for v in range(size)]], [own], [ok], [(0.0, 1.0)], [[0.0]], [0.0], own
    )
    tb = _pack(1, [entry], np.zeros((2, 1), dtype=np.int64), 1)
    if needs_bid(rule, u, alpha, beta, goal, 0, 0, tb.off, tb.sown, tb.nok):
        return
    i = select_bid(own, own, goal, ok, 0.01)
    u_next = 2.0 if i < 0 else float(own[i])  # a fallback (i < 0) never skips: any value
    rec = np.array([u]), np.array([t])
    real = accepts(rule, u, u_next, t, alpha, beta, 0.9, 0.5, *rec, 1)
    assert real == accepts(rule, u, math.inf, t, alpha, beta, 0.9, 0.5, *rec, 1)


@given(v=st.floats(allow_nan=False, allow_infinity=False))
def test_ceil_float_is_pythons_ceil(v: float) -> None:
    """The window's multiple ``m`` rounds up as Python's ``float(math.ceil(v))`` for every
    finite float (numba's ``math.ceil`` alone would overflow an int64 past 2**63)."""
    assert ceil_float(v) == float(math.ceil(v))
