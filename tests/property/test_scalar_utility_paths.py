"""The one-value paths of :class:`NumericUtility` (``at``, ``inverse_at``) give bit for bit the
numbers of the array paths (``__call__``, ``inverse``), signed zeros included: the one-session
protocol uses the former, the engine's kernel mirrors the latter, and the engine contract test
requires identical outcomes."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.preferences.issue_utility import NumericUtility

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
small = st.sampled_from([0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 1e-9, -1e-9, 2.0])


def _same(a: float, b: float) -> bool:
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


@settings(max_examples=400, derandomize=True, database=None)
@given(
    ideal=finite | small,
    reservation=finite | small,
    x=finite | small,
    u=st.floats(min_value=-50, max_value=3, allow_nan=False) | small,
    integer=st.booleans(),
    low=st.sampled_from([-math.inf, -1.0, 0.0, -0.0, 3.0]),
    width=st.sampled_from([math.inf, 1.0, 10.0, 1e6]),
)
def test_one_value_paths_equal_the_array_paths(
    ideal: float,
    reservation: float,
    x: float,
    u: float,
    integer: bool,
    low: float,
    width: float,
) -> None:
    if ideal == reservation:
        return
    if integer:
        ideal, reservation = float(round(ideal)), float(round(reservation))
        if ideal == reservation:
            return
    high = math.inf if math.isinf(low) else low + width
    part = NumericUtility(ideal=ideal, reservation=reservation, integer=integer, low=low, high=high)
    assert _same(part.at(x), float(part(x)))
    assert _same(part.inverse_at(u), float(part.inverse(u)))
