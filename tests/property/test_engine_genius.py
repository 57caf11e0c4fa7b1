"""The kernel's GENIUS-style bid selection (:mod:`burdenshare.engine.genius`) is the Python
agent's :func:`~burdenshare.negotiation.negotiators.bidding.select_bid`, on any utilities, mask,
target and window (ties included: utilities are drawn from a few levels)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.engine.genius import _Entry, _pack, select
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
