"""Property: on any one-issue linear scenario the acceptable frontier's ends are exact, whatever
the outside options (issue 11, defect 7), so the solutions that sit at an end or depend on the
ends (deadline, utilitarian, Kalai-Smorodinsky) match their closed forms.

One continuous issue ``x`` in [0, 100]; A prefers higher values (ideal ``a_i``, reservation
``a_r``), B lower ones (ideal ``b_i < a_i``, reservation ``b_r``), linear utilities
``u_A = (x - a_r) / (a_i - a_r)`` and ``u_B = (b_r - x) / (b_r - b_i)`` (capped at 1). The
frontier is ``x`` in ``[b_i, a_i]`` (between the ideals); A accepts ``x >= a_r + d_A (a_i - a_r)``
and B ``x <= b_r - d_B (b_r - b_i)``, so the acceptable part is ``x`` in ``[L, R]``. Then

* deadline, one round, A proposing: A takes ``x = R``;
* utilitarian: ``u_A + u_B`` is linear in ``x`` with slope ``1/(a_i - a_r) - 1/(b_r - b_i)``, so
  ``R`` if that is positive, ``L`` if negative;
* Kalai-Smorodinsky: with the ideal point ``(u_A(R), u_B(L))``, the ``x`` where
  ``(u_A - d_A) / (u_A(R) - d_A) = (u_B - d_B) / (u_B(L) - d_B)`` (linear in ``x``).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from burdenshare.analysis import bargaining_problem, scenario_solutions
from burdenshare.scenario.io import parse_scenario_text

OPTION = st.floats(-1.0, 0.9).map(lambda v: round(v, 6))
VALUE = st.floats(0.0, 100.0).map(lambda v: round(v, 4))


def _text(a_i: float, a_r: float, b_i: float, b_r: float, d_a: float, d_b: float) -> str:
    return f"""
id: random-one-issue
title: random one-issue scenario
as_of: 2020-01-01
issues: [{{id: x, range: [0, 100]}}]
parties:
  A:
    utility: {{x: {{prefers: higher, ideal: {a_i}, reservation: {a_r}}}}}
    outside_option: {d_a}
  B:
    utility: {{x: {{prefers: lower, ideal: {b_i}, reservation: {b_r}}}}}
    outside_option: {d_b}
protocol: {{first_mover: A, start: 2020-01-01, round_every_days: 30, deadline: 2020-01-02}}
"""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(a_i=VALUE, a_r=VALUE, b_i=VALUE, b_r=VALUE, d_a=OPTION, d_b=OPTION)
def test_end_dependent_solutions_match_closed_forms(
    a_i: float, a_r: float, b_i: float, b_r: float, d_a: float, d_b: float
) -> None:
    assume(a_r < a_i - 1 and b_i < a_i - 1 and b_r > b_i + 1)

    def u_a(x: float) -> float:
        return min((x - a_r) / (a_i - a_r), 1.0)

    def u_b(x: float) -> float:
        return min((b_r - x) / (b_r - b_i), 1.0)

    low = max(b_i, a_r + d_a * (a_i - a_r))
    high = min(a_i, b_r - d_b * (b_r - b_i))
    assume(high - low > 1e-3)
    slope = 1 / (a_i - a_r) - 1 / (b_r - b_i)
    assume(abs(slope) > 1e-6)
    scenario = parse_scenario_text(_text(a_i, a_r, b_i, b_r, d_a, d_b)).scenario
    got = {s.concept: s for s in scenario_solutions(bargaining_problem(scenario))}
    ideal_a, ideal_b = u_a(high), u_b(low)
    # KS: (u_A(x) - d_A) / (I_A - d_A) = (u_B(x) - d_B) / (I_B - d_B), both sides linear in x
    # on [low, high] (no cap: the utilities stay at most 1 between the ideals)
    ka, kb = 1 / (a_i - a_r) / (ideal_a - d_a), -1 / (b_r - b_i) / (ideal_b - d_b)
    # intercepts at x = 0 of the uncapped lines
    ca = (-a_r / (a_i - a_r) - d_a) / (ideal_a - d_a)
    cb = (b_r / (b_r - b_i) - d_b) / (ideal_b - d_b)
    expected = {
        "deadline": high,
        "utilitarian": high if slope > 0 else low,
        "kalai_smorodinsky": (cb - ca) / (ka - kb),
    }
    for concept, x in expected.items():
        s = got[concept]
        assert s.outcome is not None, concept
        assert s.utilities is not None, concept
        assert float(s.outcome["x"]) == pytest.approx(x, abs=1e-9), concept
        assert s.utilities["A"] == pytest.approx(u_a(x), abs=1e-9), concept
        assert s.utilities["B"] == pytest.approx(u_b(x), abs=1e-9), concept
        assert s.utilities["A"] >= d_a - 1e-12, concept
        assert s.utilities["B"] >= d_b - 1e-12, concept
