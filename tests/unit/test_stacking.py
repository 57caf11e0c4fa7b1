"""The stacked combination (burdenshare.history.stacking): known fits, missing members, JSON."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.history.stacking import CombinationParams, fit_combination


def test_a_perfect_member_takes_all_the_weight() -> None:
    y = [100.0, 200.0, 150.0, 120.0]
    preds = {
        "good": y,
        "high": [v * 1.3 for v in y],
        "noisy": [90.0, 260.0, 100.0, 150.0],
    }
    p = fit_combination(preds, y, groups=["r1", "r1", "r2", "r3"], fitted_on=["r1", "r2", "r3"])
    assert p.members == {"good": pytest.approx(1.0)}
    assert p.relative_error_quantiles == pytest.approx(
        {"0.1": 0.0, "0.5": 0.0, "0.9": 0.0}, abs=1e-6
    )
    assert p.fitted_on == ("r1", "r2", "r3")
    assert p.n == 4


def test_two_biased_members_cancel() -> None:
    # 0.8 y and 1.2 y: the equal mix is exact, so w = (1/2, 1/2)
    y = [100.0, 50.0, 80.0]
    p = fit_combination({"lo": [0.8 * v for v in y], "hi": [1.2 * v for v in y]}, y)
    assert p.members["lo"] == pytest.approx(0.5, abs=1e-4)
    assert p.members["hi"] == pytest.approx(0.5, abs=1e-4)


def test_missing_members_are_renormalised() -> None:
    y = [100.0, 100.0, 100.0, 100.0]
    preds: dict[str, list[float | None]] = {
        "a": [100.0, 100.0, None, 100.0],
        "b": [130.0, None, 100.0, 70.0],
        "never": [None, None, None, None],
    }
    p = fit_combination(preds, y)
    assert "never" not in p.members
    assert p.members["a"] == pytest.approx(1.0, abs=1e-4)
    # b's weight is 0, so it is not a member; with a missing nothing is left to combine
    assert "b" not in p.members
    assert p.combine({"a": None, "b": 120.0}) is None
    assert (p.combine({"a": 90.0, "b": 120.0}) or (math.nan,))[0] == pytest.approx(90.0)


def test_renormalised_over_the_members_present() -> None:
    p = CombinationParams(
        version="t",
        fitted_on=(),
        target="settlement",
        members={"a": 0.25, "b": 0.75},
        relative_error_quantiles={"0.1": -0.1, "0.5": 0.0, "0.9": 0.2},
        relative_error_sd=0.1,
        n=3,
    )
    assert p.combine({"a": 100.0, "b": 200.0}) == pytest.approx((175.0, 157.5, 210.0))
    assert p.combine({"a": 100.0}) == pytest.approx((100.0, 90.0, 120.0))


def test_interval_from_leave_one_group_out_errors() -> None:
    # one member: its weight is 1 in every fold, so the relative errors are y / pred - 1
    y = [110.0, 90.0, 100.0, 120.0, 80.0]
    p = fit_combination({"m": [100.0] * 5}, y, groups=list("abcde"))
    rel = np.array(y) / 100.0 - 1
    assert p.relative_error_quantiles["0.1"] == pytest.approx(float(np.quantile(rel, 0.1)))
    assert p.relative_error_quantiles["0.9"] == pytest.approx(float(np.quantile(rel, 0.9)))
    assert p.relative_error_sd == pytest.approx(float(np.std(rel, ddof=1)))
    _point, low, high = p.combine({"m": 200.0}) or (math.nan,) * 3
    assert (low, high) == (
        pytest.approx(200 * (1 + np.quantile(rel, 0.1))),
        pytest.approx(200 * (1 + np.quantile(rel, 0.9))),
    )


def test_json_schema_round_trip() -> None:
    p = fit_combination(
        {"solution:nash": [100.0, 210.0], "forecast:mean": [90.0, 190.0]}, [95.0, 200.0]
    )
    d = p.to_dict()
    assert set(d) == {
        "version",
        "fitted_on",
        "target",
        "members",
        "relative_error_quantiles",
        "relative_error_sd",
        "n",
        "method",
    }
    assert d["version"] == "combination-v1"
    assert d["target"] == "settlement"
    assert set(d["relative_error_quantiles"]) == {"0.1", "0.5", "0.9"}
    assert CombinationParams.from_dict(d).members == pytest.approx(p.members, abs=1e-6)
    with pytest.raises(ValueError, match="sum to 1"):
        CombinationParams.from_dict({**d, "members": {"a": 0.3}})


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(50, 200), st.floats(50, 200), st.floats(50, 200)),
        min_size=3,
        max_size=8,
    )
)
def test_weights_form_a_simplex_and_beat_every_single_member(
    rows: list[tuple[float, float, float]],
) -> None:
    y = [r[0] for r in rows]
    preds = {"a": [r[1] for r in rows], "b": [r[2] for r in rows]}
    p = fit_combination(preds, y)
    assert all(w >= 0 for w in p.members.values())
    assert sum(p.members.values()) == pytest.approx(1.0)

    def loss(ws: dict[str, float]) -> float:
        tot = sum(ws.values())
        comb = [sum(ws[m] * preds[m][i] for m in ws) / tot for i in range(len(y))]
        return float(np.mean([((c - v) / v) ** 2 for c, v in zip(comb, y, strict=True)]))

    fitted = loss(p.members)
    assert fitted <= loss({"a": 1.0}) + 1e-6
    assert fitted <= loss({"b": 1.0}) + 1e-6


def test_the_analytic_gradient_matches_finite_differences() -> None:
    from burdenshare.history.stacking import _loss_and_grad

    rng = np.random.default_rng(0)
    p = rng.normal(100, 10, (12, 5))
    p[rng.random((12, 5)) < 0.3] = np.nan
    y = rng.normal(100, 5, 12)
    w = rng.random(5)
    w /= w.sum()
    _, g = _loss_and_grad(w, p, y)
    e = 1e-6
    num = [
        (
            _loss_and_grad(w + e * np.eye(5)[j], p, y)[0]
            - _loss_and_grad(w - e * np.eye(5)[j], p, y)[0]
        )
        / (2 * e)
        for j in range(5)
    ]
    assert np.allclose(num, g, atol=1e-9)


def test_identical_members_are_one_and_the_first_takes_the_weight() -> None:
    y = [100.0, 200.0, 150.0]
    p = fit_combination({"x": y, "copy": list(y), "off": [v * 1.5 for v in y]}, y)
    assert p.members == {"x": pytest.approx(1.0)}
