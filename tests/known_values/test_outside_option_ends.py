"""The frontier's ends are exact for any outside option (issue 11, defect 7).

Regression: the analysis grid held the walk-away points but not the points where a party's
utility equals its outside option, so with a non-zero ``outside_option`` the acceptable
frontier's ends snapped to the 401-point grid and the Kalai-Smorodinsky, utilitarian and deadline
solutions were off by up to 5.2e-3.

The scenario: one continuous issue ``x`` in [0, 100]; A prefers higher values (ideal 100,
reservation 0), so ``u_A = x / 100``; B prefers lower ones (ideal 0, reservation 50), so
``u_B = 1 - x / 50`` (negative beyond 50: unacceptable to B unless its outside option is
negative). Every grid point is Pareto optimal, so the frontier is the segment
``u_B = 1 - 2 u_A``, ``u_A`` in [0, 1]. With outside options ``d = (d_A, d_B)`` the acceptable
part is ``u_A`` in ``[d_A, (1 - d_B) / 2]``, i.e. ``x`` in ``[100 d_A, 50 (1 - d_B)]``; with the
values below neither end is on the grid's 0.25 spacing. Closed forms on that segment:

* utilitarian (Harsanyi 1955): ``u_A + u_B = 1 - u_A`` falls along the frontier, so the left end,
  ``u_A = max(d_A, 0)``;
* Kalai-Smorodinsky (1975): the ideal point is ``I = ((1 - d_B) / 2, 1 - 2 l)`` with
  ``l = max(d_A, 0)`` the left end (the grid, and so the frontier, starts at B's ideal, x = 0);
  the segment ``d + t (I - d)`` meets ``u_B = 1 - 2 u_A`` at
  ``t = (1 - 2 d_A - d_B) / ((I_B - d_B) + 2 (I_A - d_A))``; for ``d_A >= 0`` that is ``t = 1/2``
  and ``u_A = (d_A + (1 - d_B) / 2) / 2``;
* egalitarian (Kalai 1977): equal gains, ``u_A - d_A = 1 - 2 u_A - d_B``, so
  ``u_A = (1 + d_A - d_B) / 3``;
* Nash (1950): maximise ``(u_A - d_A)(1 - 2 u_A - d_B)``; the derivative
  ``1 - 2 u_A - d_B - 2 (u_A - d_A)`` vanishes at ``u_A = (1 - d_B + 2 d_A) / 4``;
* deadline (Stahl 1972), A proposing first: with one round A takes the right end,
  ``u_A = (1 - d_B) / 2``; with two rounds B proposes last and offers A only ``d_A`` (so
  ``v_B = 1 - 2 d_A``), and in round 1 A offers B its discounted continuation
  ``w = d_B + delta_B (1 - 2 d_A - d_B)``: ``u_A = (1 - w) / 2``.

Each outcome is ``x = 100 u_A``. Tolerance 1e-12 (floating-point rounding only).
"""

from __future__ import annotations

import pytest

from burdenshare.analysis import bargaining_problem, scenario_solutions
from burdenshare.scenario.io import parse_scenario_text

TOL = 1e-12


def _scenario(d_a: float, d_b: float, deadline: str) -> str:
    return f"""
id: outside-options
title: one issue, outside options
as_of: 2020-01-01
issues:
  - {{id: x, range: [0, 100]}}
parties:
  A:
    utility: {{x: {{prefers: higher, ideal: 100, reservation: 0}}}}
    outside_option: {d_a}
    discount_per_round: 0.9
  B:
    utility: {{x: {{prefers: lower, ideal: 0, reservation: 50}}}}
    outside_option: {d_b}
    discount_per_round: 0.8
protocol: {{first_mover: A, start: 2020-01-01, round_every_days: 30, deadline: {deadline},
           breakdown_risk_per_round: 0}}
"""


def _solved(d_a: float, d_b: float, deadline: str = "2020-01-02") -> dict[str, tuple[float, ...]]:
    problem = bargaining_problem(parse_scenario_text(_scenario(d_a, d_b, deadline)).scenario)
    out = {}
    for s in scenario_solutions(problem):
        assert s.outcome is not None, s.concept
        assert s.utilities is not None, s.concept
        out[s.concept] = (float(s.outcome["x"]), s.utilities["A"], s.utilities["B"])
    return out


# (d_A, d_B): positive and negative outside options, ends off the 0.25 grid
CASES = [(0.1234, -0.2345), (0.0371, 0.1113), (-0.3, 0.2718), (-0.45, -0.6)]


def _expect(concept: str, d_a: float, d_b: float) -> float:
    """Party A's utility at each concept (closed forms in the module docstring)."""
    left, right = max(d_a, 0.0), (1 - d_b) / 2
    t = (1 - 2 * d_a - d_b) / ((1 - 2 * left - d_b) + 2 * (right - d_a))
    return {
        "utilitarian": left,
        "kalai_smorodinsky": d_a + t * (right - d_a),
        "egalitarian": (1 + d_a - d_b) / 3,
        "nash": (1 - d_b + 2 * d_a) / 4,
        "deadline": (1 - d_b) / 2,
    }[concept]


@pytest.mark.parametrize(("d_a", "d_b"), CASES)
@pytest.mark.parametrize(
    "concept", ["utilitarian", "kalai_smorodinsky", "egalitarian", "nash", "deadline"]
)
def test_solution_matches_its_closed_form(concept: str, d_a: float, d_b: float) -> None:
    x, u_a, u_b = _solved(d_a, d_b)[concept]
    want = _expect(concept, d_a, d_b)
    assert u_a == pytest.approx(want, abs=TOL)
    assert u_b == pytest.approx(1 - 2 * want, abs=TOL)
    assert x == pytest.approx(100 * want, abs=100 * TOL)


@pytest.mark.parametrize(("d_a", "d_b"), CASES)
def test_two_round_deadline_matches_backward_induction(d_a: float, d_b: float) -> None:
    # two rounds (2020-01-01 and 2020-01-31); B proposes last and offers A max(d_A, 0)
    # (its frontier starts at x = 0 when d_A < 0)
    left = max(d_a, 0.0)
    w = d_b + 0.8 * (1 - 2 * left - d_b)
    x, u_a, _ = _solved(d_a, d_b, deadline="2020-01-31")["deadline"]
    assert u_a == pytest.approx((1 - w) / 2, abs=TOL)
    assert x == pytest.approx(50 * (1 - w), abs=100 * TOL)
