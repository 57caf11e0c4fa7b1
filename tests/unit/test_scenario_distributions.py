"""Uncertain values: central value = mean (hand-computed), ppf monotone, bad parameters rejected."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from burdenshare.scenario.distributions import (
    DISTRIBUTION_KINDS,
    Distribution,
    Uncertain,
    central,
    is_uncertain,
)

UNCERTAIN: TypeAdapter[float | Distribution] = TypeAdapter(Uncertain)


def parse(value: object) -> float | Distribution:
    return UNCERTAIN.validate_python(value)


@pytest.mark.parametrize(
    ("written", "mean"),
    [
        ({"uniform": [2, 6]}, 4.0),  # (2 + 6) / 2
        ({"triangular": [1090.8, 1350, 2500]}, 1646.9333333),  # (a + c + b) / 3: US reservation
        ({"triangular": [1090.8, 1124.1, 1246.7]}, 1153.8666667),  # ROK reservation
        ({"normal": [1200, 80]}, 1200.0),
        ({"truncated_normal": [0, 1, 0, 10]}, math.sqrt(2 / math.pi)),  # half-normal mean
        ({"beta": [2, 3]}, 0.4),  # a / (a + b)
        ({"beta": [2, 2, 10, 20]}, 15.0),  # 10 + 10 * 2 / 4
        ({"choice": [1, 2, 6]}, 3.0),
        ({"choice": {"values": [0, 10], "weights": [3, 1]}}, 2.5),  # weights normalised
    ],
)
def test_central_value_is_the_mean(written: dict[str, object], mean: float) -> None:
    d = parse(written)
    assert isinstance(d, Distribution)
    assert d.central() == pytest.approx(mean)
    assert central(d) == pytest.approx(mean)
    if d.kind != "choice" or "weights" not in str(written):
        assert d.to_yaml() == written


def test_plain_numbers_are_their_own_central_value() -> None:
    assert parse(3) == 3.0
    assert central(0.25) == 0.25
    assert not is_uncertain(0.25)
    assert is_uncertain(parse({"uniform": [0, 1]}))


@pytest.mark.parametrize(
    "written",
    [
        {"uniform": [2, 6]},
        {"triangular": [0, 1, 4]},
        {"normal": [0, 2]},
        {"truncated_normal": [0, 1, -1, 2]},
        {"beta": [0.5, 0.5]},
        {"choice": {"values": [5, 1, 3], "weights": [1, 2, 3]}},
    ],
)
def test_ppf_is_monotone_and_within_support(written: dict[str, object]) -> None:
    d = parse(written)
    assert isinstance(d, Distribution)
    q = np.linspace(0.001, 0.999, 101)
    x = d.ppf(q)
    lo, hi = d.support()
    assert np.all(np.diff(x) >= 0)
    assert np.all((x >= lo) & (x <= hi))


def test_known_quantiles() -> None:
    assert parse({"uniform": [0, 10]}).ppf([0.25]).tolist() == pytest.approx([2.5])  # type: ignore[union-attr]
    tri = parse({"triangular": [0, 0, 1]})
    assert isinstance(tri, Distribution)
    # F(x) = 1 - (1 - x)^2, so the median is 1 - sqrt(0.5)
    assert float(tri.ppf(0.5)) == pytest.approx(1 - math.sqrt(0.5))
    choice = parse({"choice": [1, 2]})
    assert isinstance(choice, Distribution)
    assert choice.ppf([0.1, 0.6]).tolist() == [1.0, 2.0]


@given(st.floats(-1e6, 1e6), st.floats(1e-3, 1e6), st.floats(0, 1), st.floats(0, 1))
def test_triangular_ppf_monotone_property(lo: float, width: float, m: float, q: float) -> None:
    d = Distribution(kind="triangular", params=(lo, lo + m * width, lo + width))
    a, b = sorted((q, 1 - q))
    assert d.ppf(a) <= d.ppf(b)
    assert lo <= d.central() <= lo + width


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ({"lognormal": [1, 2]}, "unknown distribution 'lognormal'"),
        ({"uniform": [6, 2]}, "uniform range is empty"),
        ({"uniform": [1, 2, 3]}, "uniform takes [low, high], got 3 numbers"),
        ({"triangular": [5, 1, 9]}, "low <= mode <= high"),
        ({"normal": [0, 0]}, "positive sd"),
        ({"truncated_normal": [0, 1, 3, 2]}, "truncated_normal range is empty"),
        ({"beta": [0, 1]}, "positive shape parameters"),
        ({"beta": [1, 1, 5, 5]}, "beta range is empty"),
        ({"choice": []}, "at least one value"),
        ({"choice": {"values": [1, 2], "weights": [1]}}, "2 values but 1 weights"),
        ({"choice": {"values": [1, 2], "weights": [0, 0]}}, "positive sum"),
        ({"uniform": ["a", "b"]}, "takes a list of numbers"),
        ({"uniform": [float("nan"), 1]}, "finite"),
        ({"uniform": [0, 1], "normal": [0, 1]}, "exactly one key"),
        ({"triangular": [-1.7e308, 0, 1.7e308]}, "no usable mean"),
        ("fast", "not a number or a distribution"),
        (True, "not a number or a distribution"),
        (float("inf"), "not a finite number"),
        (10**400, "not a finite number"),
    ],
)
def test_bad_parameters_are_rejected_clearly(written: object, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse(written)
    assert fragment in str(info.value)


def test_every_kind_is_documented_with_its_parameters() -> None:
    assert set(DISTRIBUTION_KINDS) == {
        "uniform",
        "triangular",
        "normal",
        "truncated_normal",
        "beta",
        "choice",
    }


@pytest.mark.parametrize(
    ("kind", "params", "mean"),
    [
        ("uniform", (2.0, 4.0), 3.0),  # (a + b) / 2
        ("triangular", (1090.8, 1124.1, 1246.7), (1090.8 + 1124.1 + 1246.7) / 3),  # (a + c + b) / 3
        ("normal", (5.0, 2.0), 5.0),
        ("beta", (2.0, 6.0), 0.25),  # a / (a + b)
    ],
)
def test_central_is_the_mean_and_is_computed_once(
    kind: str, params: tuple[float, ...], mean: float
) -> None:
    """Issue 12: a session-by-session ensemble asked for each central value thousands of times,
    building a frozen scipy distribution each time (69% of its time). It is now memoised per
    distinct distribution, with the same value."""
    from burdenshare.scenario import distributions

    d = Distribution(kind=kind, params=params)
    first = d.central()
    assert first == pytest.approx(mean, rel=1e-14)
    hits = distributions._mean.cache_info().hits
    again = Distribution(kind=kind, params=params).central()  # an equal distribution
    assert again == first
    assert distributions._mean.cache_info().hits == hits + 1
