"""The linear utility is written once: the engine's compiled functions are the one-session
code's own (``preferences.issue_utility``), compiled by numba, not copies of them; and the
compiled and Python forms agree bit for bit on every kind of value (signed zeros, infinities,
NaN, integer rounding at the range's ends)."""

from __future__ import annotations

import math

import pytest

from burdenshare.engine import tables
from burdenshare.preferences import issue_utility


@pytest.mark.parametrize(
    "name", ["linear_at", "linear_inverse_at", "round_towards_ideal", ("clamp_np", "clamp_at")]
)
def test_the_engine_compiles_the_one_session_functions(name: str | tuple[str, str]) -> None:
    engine_name, own = (name, name) if isinstance(name, str) else name
    assert getattr(tables, engine_name).py_func is getattr(issue_utility, own)


def _same(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


SPECIAL = [0.0, -0.0, 0.5, -0.5, 1.0, 1.5, -3.0, math.inf, -math.inf, math.nan, 1e-300]


@pytest.mark.parametrize("u", SPECIAL)
@pytest.mark.parametrize("integer", [False, True])
@pytest.mark.parametrize(("ideal", "res"), [(5.0, 2.0), (2.0, 5.0), (1.0, 0.0), (0.0, 1.0)])
def test_compiled_and_python_agree_bit_for_bit(
    u: float, integer: bool, ideal: float, res: float
) -> None:
    low, high = min(ideal, res) - 1.0, max(ideal, res) + 1.0
    assert _same(
        tables.linear_inverse_at(u, ideal, res, integer, low, high),
        issue_utility.linear_inverse_at(u, ideal, res, integer, low, high),
    )
    assert _same(tables.linear_at(u, ideal, res), issue_utility.linear_at(u, ideal, res))
    assert _same(tables.clamp_np(u, -0.0, 1.0), issue_utility.clamp_at(u, -0.0, 1.0))
