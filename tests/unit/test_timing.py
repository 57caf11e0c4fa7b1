"""The monthly hazard of burdenshare.history.timing: known values, the fit and its invariants."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.history.timing import (
    FEATURES,
    TimingParams,
    _design,
    _fit,
    add_months,
    covariates,
    fit_hazard,
    p_deal_by,
)
from burdenshare.testing.rounds import synthetic_round

D = dt.date


def _params(**coefs: float) -> TimingParams:
    return TimingParams(
        version="test",
        fitted_on=(),
        features=FEATURES,
        coefficients=tuple(coefs.get(f, 0.0) for f in FEATURES),
        ridge=1.0,
        ridge_cv={},
        n_months=0,
        n_deals=0,
    )


def _rounds() -> list:  # type: ignore[type-arg]
    out = []
    for i in range(8):
        expiry = D(2000 + 3 * i, 12, 31)
        lag = [-20, 10, 40, 120, 200, 5, 400, 60][i]
        out.append(
            synthetic_round(
                f"r{i}",
                expiry=expiry,
                deal=expiry + dt.timedelta(days=lag),
                ask=(expiry - dt.timedelta(days=150), 100.0 * (1.2 + 0.1 * (i % 3))),
                offer=(expiry - dt.timedelta(days=100), 100.0 * (1.02 + 0.01 * i)),
                settlement=105.0,
                elections=((expiry + dt.timedelta(days=90), i % 2 == 0),),
            )
        )
    return out


def test_constant_hazard_known_values() -> None:
    # only an intercept: h = 0.2 a month, so P(by 2 months) = 1 - 0.8^2 = 0.36, and half way
    # through the third month 1 - 0.64 * (1 - 0.2 * frac) with frac = 15/31 (March)
    r = synthetic_round("x", expiry=D(2030, 1, 1), deal=None)
    facts = r.facts.__class__(**{**r.facts.__dict__, "as_of": D(2020, 1, 1)})
    params = _params(intercept=math.log(0.2 / 0.8))
    p = p_deal_by(facts, [D(2020, 1, 1), D(2020, 3, 1), D(2020, 3, 16)], params)
    assert p[D(2020, 1, 1)] == 0.0
    assert p[D(2020, 3, 1)] == pytest.approx(0.36)
    assert p[D(2020, 3, 16)] == pytest.approx(1 - 0.64 * (1 - 0.2 * 15 / 31))


def test_covariates_use_only_what_is_public() -> None:
    r = synthetic_round(
        "x",
        expiry=D(2020, 12, 31),
        deal=D(2021, 6, 1),
        ask=(D(2020, 6, 1), 150.0),
        offer=(D(2020, 9, 1), 110.0),
        elections=((D(2021, 1, 10), True),),
        talks_start=D(2020, 3, 1),
    )
    before = dict(zip(FEATURES, covariates(r.facts, D(2020, 7, 1), D(2020, 12, 15)), strict=True))
    assert before["log_ask_gap"] == pytest.approx(math.log(1.5))
    assert before["log_offer_gap"] == 0.0  # the offer was public only from September
    assert before["expiry_in_month"] == 1.0
    assert before["election_in_month"] == 1.0  # scheduled elections are known in advance
    assert before["change_of_government"] == 0.0
    after = dict(zip(FEATURES, covariates(r.facts, D(2021, 2, 1), D(2021, 2, 1)), strict=True))
    assert after["change_of_government"] == 1.0
    assert after["years_after_expiry"] == pytest.approx(32 / 365.25)
    assert after["years_to_expiry"] == 0.0


def test_fit_is_the_penalised_maximum() -> None:
    x, y, _ = _design(_rounds())
    beta = _fit(x, y, 3.0)
    p = 1 / (1 + np.exp(-(x @ beta)))
    pen = np.full(len(FEATURES), 3.0)
    pen[0] = 0.0
    assert np.max(np.abs(x.T @ (y - p) - pen * beta)) < 1e-8  # the score equations hold
    assert y.sum() == 8  # one deal a round


def test_fit_hazard_chooses_the_ridge_by_cross_validation_and_round_trips() -> None:
    params = fit_hazard(_rounds())
    assert params.ridge in {float(k) for k in params.ridge_cv}
    best = max(params.ridge_cv.values())
    assert params.ridge_cv[f"{params.ridge:g}"] >= best - 0.01 * abs(best)
    again = TimingParams.from_dict(params.to_dict())
    assert again.coefficients == pytest.approx(params.coefficients, abs=1e-6)
    assert fit_hazard(_rounds()) == params  # deterministic


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-3, 3), min_size=len(FEATURES), max_size=len(FEATURES)),
    st.lists(st.integers(0, 900), min_size=1, max_size=6),
)
def test_p_deal_by_is_a_monotone_probability(coefs: list[float], offsets: list[int]) -> None:
    r = _rounds()[3]
    facts = r.facts.__class__(**{**r.facts.__dict__, "as_of": D(2009, 10, 1)})
    params = _params(**dict(zip(FEATURES, coefs, strict=True)))
    days = sorted(D(2009, 10, 1) + dt.timedelta(days=o) for o in offsets)
    p = p_deal_by(facts, days, params)
    vals = [p[d] for d in days]
    assert all(0.0 <= v <= 1.0 for v in vals)
    assert all(a <= b + 1e-12 for a, b in itertools.pairwise(vals))


def test_add_months_clips_the_day() -> None:
    assert add_months(D(2020, 1, 31), 1) == D(2020, 2, 29)
    assert add_months(D(2020, 11, 15), 3) == D(2021, 2, 15)
