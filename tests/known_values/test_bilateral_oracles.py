"""Closed-form bilateral bargaining values, checked against the shared oracle table.

Every expected number comes from ``shared/reference/bilateral_oracles.json`` (section 4 of
``shared/reference/models.md``), copied unchanged to ``tests/known_values/data/``. Closed-form
values are checked to ``1e-9``; the table's ``*_check`` fields are independent numerical
cross-checks (grid search, bisection, backward induction) and are compared at their own precision.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from burdenshare.solutions import (
    Frontier,
    breakdown_risk_on_frontier,
    breakdown_risk_share,
    deadline_backward_induction,
    deadline_share,
    kalai_smorodinsky_on_frontier,
    nash_on_frontier,
    nash_pie,
    ratified_nash_on_frontier,
    ratified_nash_pie,
    rubinstein_continuous_limit,
    rubinstein_on_frontier,
    rubinstein_shares,
)

ORACLES: dict[str, list[dict[str, Any]]] = json.loads(
    (Path(__file__).parent / "data" / "bilateral_oracles.json").read_text(encoding="utf-8")
)
EXACT = 1e-9

FRONTIERS = {
    "u1+u2=1": Frontier.linear(),
    "u2=1-u1^2": Frontier.from_function(lambda u: 1.0 - u**2, 0.0, 1.0),
}

RUBINSTEIN_DISCRETE = [c for c in ORACLES["rubinstein"] if "d1" in c]
RUBINSTEIN_LIMIT = [c for c in ORACLES["rubinstein"] if "r1" in c]


def _rub_id(case: dict[str, Any]) -> str:
    return f"delta=({case['d1']},{case['d2']})"


def _frontier_id(case: dict[str, Any]) -> str:
    alpha = f",alpha={case['alpha']}" if "alpha" in case else ""
    return f"{case['frontier']},d=({case['d'][0]},{case['d'][1]}){alpha}"


# --------------------------------------------------------------------------- Rubinstein (1982)
@pytest.mark.parametrize("case", RUBINSTEIN_DISCRETE, ids=_rub_id)
def test_rubinstein_closed_form(case: dict[str, Any]) -> None:
    """Rubinstein (1982) SPE shares x1*, x2*.

    Values from shared/reference/bilateral_oracles.json.
    """
    x1, x2 = rubinstein_shares(case["d1"], case["d2"])
    assert x1 == pytest.approx(case["x1_star"], abs=EXACT)
    assert x2 == pytest.approx(case["x2_star"], abs=EXACT)


@pytest.mark.parametrize("case", RUBINSTEIN_DISCRETE, ids=_rub_id)
def test_rubinstein_on_linear_frontier(case: dict[str, Any]) -> None:
    """Rubinstein (1982) on the unit pie, either party moving first.

    Values from shared/reference/bilateral_oracles.json.
    """
    pie = Frontier.linear()
    first = rubinstein_on_frontier(pie, case["d1"], case["d2"])
    second = rubinstein_on_frontier(pie, case["d1"], case["d2"], first_mover=2)
    assert first is not None
    assert second is not None
    assert first.u1 == pytest.approx(case["x1_star"], abs=EXACT)
    assert first.u2 == pytest.approx(case["x2_star"], abs=EXACT)
    assert second.u2 == pytest.approx(case["player2_share_when_2_proposes_first"], abs=EXACT)


@pytest.mark.parametrize("case", RUBINSTEIN_DISCRETE, ids=_rub_id)
def test_rubinstein_finite_horizon_check(case: dict[str, Any]) -> None:
    """Rubinstein (1982) as the T=2001 backward-induction limit (Stahl 1972); cross-check field
    ``finite_T2001_check`` of shared/reference/bilateral_oracles.json, to 1e-9."""
    point = deadline_backward_induction(Frontier.linear(), 2001, case["d1"], case["d2"])
    assert point is not None
    assert point.u1 == pytest.approx(case["finite_T2001_check"], abs=EXACT)


@pytest.mark.parametrize("case", RUBINSTEIN_LIMIT, ids=lambda c: f"r=({c['r1']},{c['r2']})")
def test_rubinstein_continuous_time(case: dict[str, Any]) -> None:
    """Rubinstein (1982) with delta_i = exp(-r_i Delta) and its Delta -> 0 limit r2/(r1+r2);
    values from shared/reference/bilateral_oracles.json."""
    r1, r2, step = case["r1"], case["r2"], case["Delta"]
    x1, _ = rubinstein_shares(math.exp(-r1 * step), math.exp(-r2 * step))
    assert x1 == pytest.approx(case["x1_star"], abs=EXACT)
    limit = rubinstein_continuous_limit(r1, r2)
    assert limit == pytest.approx(case["limit_r2_over_r1_plus_r2"], abs=EXACT)
    # the finite-Delta share is within O(Delta) of the limit
    assert abs(x1 - limit) < 10 * step


# --------------------------------------------------------------------------- deadline (Stahl 1972)
@pytest.mark.parametrize(
    "case", ORACLES["finite_horizon_deadline"], ids=lambda c: f"T={c['T']},delta={c['d']}"
)
def test_deadline_closed_form_and_backward_induction(case: dict[str, Any]) -> None:
    """Finite-horizon alternating offers (Stahl 1972; Rubinstein 1982).

    x1(T) = (1-(-delta)^T)/(1+delta); values from shared/reference/bilateral_oracles.json.
    """
    assert deadline_share(case["T"], case["d"]) == pytest.approx(case["x1_closed_form"], abs=EXACT)
    point = deadline_backward_induction(Frontier.linear(), case["T"], case["d"], case["d"])
    assert point is not None
    assert point.u1 == pytest.approx(case["x1_backward_induction"], abs=EXACT)


# --------------------------------------------------------------------------- BRW (1986)
@pytest.mark.parametrize(
    "case",
    ORACLES["brw_breakdown"],
    ids=lambda c: f"p={c['p']},b=({c['b1']},{c['b2']})",
)
def test_breakdown_risk(case: dict[str, Any]) -> None:
    """Binmore, Rubinstein & Wolinsky (1986) proposer share b1 + (1-b1-b2)/(2-p) and its p -> 0
    Nash limit; values from shared/reference/bilateral_oracles.json."""
    share = breakdown_risk_share(case["p"], case["b1"], case["b2"])
    assert share == pytest.approx(case["x1_proposer"], abs=EXACT)
    b = (case["b1"], case["b2"])
    point = breakdown_risk_on_frontier(Frontier.linear(), case["p"], b)
    assert point is not None
    assert point.u1 == pytest.approx(case["x1_proposer"], abs=EXACT)
    limit = breakdown_risk_on_frontier(Frontier.linear(), 0.0, b)
    assert limit is not None
    assert limit.u1 == pytest.approx(case["limit_p0_nbs"], abs=EXACT)
    assert nash_pie(*b) == pytest.approx(case["limit_p0_nbs"], abs=EXACT)


# --------------------------------------------------------------------------- Nash (1950)
@pytest.mark.parametrize("case", ORACLES["nbs"], ids=_frontier_id)
def test_nash(case: dict[str, Any]) -> None:
    """Nash (1950) / asymmetric Nash (Kalai 1977; Roth 1979); values and grid checks from
    shared/reference/bilateral_oracles.json (grid checks compared to 1e-5, their grid precision)."""
    d = tuple(case["d"])
    point = nash_on_frontier(FRONTIERS[case["frontier"]], d, case["alpha"])
    assert point is not None
    if "x1" in case:
        assert point.u1 == pytest.approx(case["x1"], abs=EXACT)
        assert point.u2 == pytest.approx(1 - case["x1"], abs=EXACT)
        assert nash_pie(d[0], d[1], case["alpha"]) == pytest.approx(case["x1"], abs=EXACT)
        assert point.u1 == pytest.approx(case["grid_check"], abs=1e-5)
    else:
        assert point.u1 == pytest.approx(case["u1"], abs=EXACT)
        assert point.u2 == pytest.approx(case["u2"], abs=EXACT)
        assert point.u1 == pytest.approx(case["grid_check_u1"], abs=1e-5)


# --------------------------------------------------------------------------- KS (1975)
@pytest.mark.parametrize("case", ORACLES["kalai_smorodinsky"], ids=_frontier_id)
def test_kalai_smorodinsky(case: dict[str, Any]) -> None:
    """Kalai & Smorodinsky (1975) point and ideal point; values from
    shared/reference/bilateral_oracles.json."""
    frontier = FRONTIERS[case["frontier"]]
    d = tuple(case["d"])
    ir = frontier.restricted(d)
    assert ir is not None
    assert (ir.u1_max, ir.u2_max) == pytest.approx(tuple(case["ideal"]), abs=EXACT)
    point = kalai_smorodinsky_on_frontier(frontier, d)
    assert point is not None
    assert point.u1 == pytest.approx(case["u1"], abs=EXACT)
    assert point.u2 == pytest.approx(case["u2"], abs=EXACT)
    if "bisection_check" in case:
        assert point.u1 == pytest.approx(case["bisection_check"], abs=1e-9)


# --------------------------------------------------------------------------- Putnam (1988)
@pytest.mark.parametrize(
    "case",
    ORACLES["ratification_constraint"],
    ids=lambda c: f"dA={c['dA']},dB={c['dB']},rB={c['rB_max_ratifiable_x']}",
)
def test_ratification_constraint(case: dict[str, Any]) -> None:
    """Putnam (1988) two-level game, complete-information Nash-IIA oracle (models.md section 4);
    values from shared/reference/bilateral_oracles.json."""
    d_a, d_b, r_b = case["dA"], case["dB"], case["rB_max_ratifiable_x"]
    assert nash_pie(d_a, d_b) == pytest.approx(case["unconstrained_x"], abs=EXACT)
    x = ratified_nash_pie(d_a, d_b, r_b)
    # the frontier version: B's ratifier demands u_B >= 1 - r_B
    point = ratified_nash_on_frontier(Frontier.linear(), (d_a, d_b), min_u2=1 - r_b)
    if not case["agreement"]:
        assert x is None
        assert point is None
        assert case["B_gain_vs_unconstrained"] is None
        return
    assert x == pytest.approx(case["x"], abs=EXACT)
    assert point is not None
    assert point.u1 == pytest.approx(case["x"], abs=EXACT)
    b_gain = case["unconstrained_x"] - x
    assert b_gain == pytest.approx(case["B_gain_vs_unconstrained"], abs=EXACT)
