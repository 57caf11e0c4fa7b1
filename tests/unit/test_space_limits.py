"""Sizes are checked before anything of that size is built (issue 11, defects 2, 4 and 5).

Regressions: an integer issue of range [1, 10^12] made ``candidate_grid`` build every whole number
(7.7 GB in 60 s); twenty integer issues of [0, 1000] made the exact frontier stop with "outcome
counts must fit in int64" (exit 1); a categorical issue of 12,000 categories rebuilt its score
table on every call (57 s for ``analyze``).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.analysis import bargaining_problem, scenario_solutions
from burdenshare.errors import SimulationError
from burdenshare.preferences.additive import AdditiveUtility
from burdenshare.preferences.issue_utility import CategoricalUtility, NumericUtility
from burdenshare.preferences.space import MAX_CANDIDATES, candidate_grid
from burdenshare.scenario import Issue
from burdenshare.scenario.io import parse_scenario_text
from burdenshare.solutions import additive_frontier as af
from burdenshare.solutions.outcome_space import enumerated_frontier

HUGE = 10**12


def _one(ideal: float, reservation: float) -> AdditiveUtility:
    part = NumericUtility(ideal=ideal, reservation=reservation, integer=True)
    return AdditiveUtility(("won",), (part,), (1.0,))


def test_a_huge_integer_range_is_sampled_in_whole_numbers() -> None:
    issue = Issue(id="won", kind="integer", range=(1, HUGE))
    a, b = _one(HUGE, 1), _one(1, HUGE)
    grid = candidate_grid((issue,), a, b, extra=((123_456_789.4,),))
    values = np.asarray(grid.values[0])
    assert grid.size <= 401 + 2
    assert values[0] == 1
    assert values[-1] == HUGE
    assert np.all(values == np.round(values))
    assert np.all(np.diff(values) > 0)
    assert {123_456_789.0, 123_456_790.0} <= set(values.tolist())  # both sides of an extra value


def test_enumerating_a_huge_integer_range_is_refused_before_building_it() -> None:
    issue = Issue(id="won", kind="integer", range=(1, HUGE))
    with pytest.raises(SimulationError, match=r"won have 1,000,000,000,000 combinations"):
        candidate_grid((issue,), _one(HUGE, 1), _one(1, HUGE), exact_integers=True)


def test_analysis_of_a_huge_integer_range_is_exact_at_the_ends() -> None:
    text = f"""
id: won
title: money in won as whole numbers
as_of: 2020-01-01
issues: [{{id: won, kind: integer, range: [1, {HUGE}]}}]
parties:
  A: {{utility: {{won: {{prefers: higher, ideal: {HUGE}, reservation: 1}}}}, outside_option: 0.3}}
  B: {{utility: {{won: {{prefers: lower, ideal: 1, reservation: {HUGE}}}}}}}
protocol: {{first_mover: A, start: 2020-01-01, round_every_days: 30, deadline: 2020-01-02}}
"""
    problem = bargaining_problem(parse_scenario_text(text).scenario)
    got = {s.concept: s.outcome for s in scenario_solutions(problem)}
    assert got["deadline"] == {"won": float(HUGE)}  # A takes all in the only round
    # the acceptable frontier starts at the least whole number where A's utility reaches its
    # outside option (less the acceptance tolerance 1e-12, BargainingProblem.acceptable):
    # (x - 1) / (10^12 - 1) >= 0.3 - 1e-12, x = ceil(1 + (0.3 - 1e-12) (10^12 - 1)) = 3 10^11
    built = problem.frontier()
    assert built is not None
    first = problem.grid.outcome(built[1][0])
    assert first == {"won": float(math.ceil(1 + (0.3 - 1e-12) * (HUGE - 1)))} == {"won": 3e11}
    nash = got["nash"]
    assert nash is not None
    assert float(nash["won"]).is_integer()


def test_exact_frontier_counts_past_int64_are_exact() -> None:
    # seven issues of 1,001 values (1001^7, about 1.0e21, outcomes: more than 2^63); only the
    # last tells the two points apart, so each has 1001^6 outcomes
    same = [np.zeros(1001) for _ in range(6)]
    tables = ([*same, np.array([0.0, 1.0] + [0.0] * 999)], [*same, np.array([1.0] + [0.0] * 1000)])
    front = af.additive_frontier(tables)
    assert front.n_outcomes == 1001**7 > 2**63
    assert front.counts.tolist() == [1001**6, 1001**6]
    assert all(isinstance(c, int) for c in front.counts.tolist())


def test_frontier_budgets_give_a_user_error() -> None:
    tables = ([[0.0, 0.5, 1.0]] * 6, [[1.0, 0.4, 0.0]] * 6)
    with pytest.raises(af.FrontierSizeError, match=r"at most 5\)") as info:
        af.additive_frontier(tables, max_points=5)
    assert info.value.exit_code == 2
    with pytest.raises(af.FrontierSizeError, match="candidates in all"):
        af.additive_frontier(tables, max_candidates=20)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    st.lists(st.integers(1, 9), min_size=1, max_size=4),
    st.integers(0, 2**32 - 1),
    st.integers(1, 40),
)
def test_chunked_programme_equals_enumeration(sizes: list[int], seed: int, chunk: int) -> None:
    """Chunking the programme changes nothing (representatives included), and its frontier is
    the enumerated one: the same vectors and counts, each representative an outcome with that
    vector. (Which of several tied outcomes represents a vector is the programme's own order,
    not enumeration order: an unchunked run differs from enumeration there too, rarely.)"""
    rng = np.random.default_rng(seed)
    tables = (
        [np.round(rng.random(m), 2) for m in sizes],
        [np.round(rng.random(m), 2) for m in sizes],
    )
    whole = enumerated_frontier(tables)
    unchunked = af.additive_frontier(tables)
    old = af.CHUNK
    af.CHUNK = chunk
    try:
        chunked = af.additive_frontier(tables)
    finally:
        af.CHUNK = old
    assert chunked.outcomes.tolist() == unchunked.outcomes.tolist()
    assert chunked.u1.tolist() == whole.u1.tolist()
    assert chunked.u2.tolist() == whole.u2.tolist()
    assert chunked.counts.tolist() == whole.counts.tolist()
    for k, outcome in enumerate(chunked.outcomes.tolist()):
        got = [sum(float(t[j][v]) for j, v in enumerate(outcome)) for t in tables]
        assert got == pytest.approx([chunked.u1[k], chunked.u2[k]], abs=1e-9)


@given(
    st.lists(st.floats(0.0, 1.0), min_size=2, max_size=12),
    st.one_of(st.none(), st.integers(0, 11)),
    st.floats(-2.0, 2.0),
)
def test_categorical_inverse_by_bisection_equals_the_linear_scan(
    scores: list[float], reservation: int | None, u: float
) -> None:
    cats = tuple((f"c{k}", v) for k, v in enumerate(scores))
    res = None if reservation is None or reservation >= len(scores) else f"c{reservation}"
    util = CategoricalUtility(scores=cats, reservation=res)
    table = {c: util(c) for c, _ in cats}
    target = min(u, 1.0, max(table.values()))
    scan = min((v, c) for c, v in table.items() if v >= target - 1e-12)[1]
    assert util.inverse(u) == scan


def test_many_categories_are_scored_once() -> None:
    cats = tuple((f"c{k}", k / 11_999) for k in range(12_000))
    util = CategoricalUtility(scores=cats, reservation="c10")
    issue = Issue(id="pick", kind="categorical", values=tuple(c for c, _ in cats))
    a = AdditiveUtility(("pick",), (util,), (1.0,))
    b = AdditiveUtility(("pick",), (CategoricalUtility(scores=cats[::-1]),), (1.0,))
    grid = candidate_grid((issue,), a, b)
    u = grid.utilities(a)  # 12,000 look-ups: O(m), not O(m^2)
    assert grid.size == 12_000 <= MAX_CANDIDATES
    assert u[10] == 0.0
    assert u[-1] == 1.0


def _many_issues(n: int) -> str:
    """``n`` issues, continuous, integer [0, 1000] and categorical in turn, equal weights,
    opposite preferences: a symmetric problem whose frontier is u1 + u2 = 1."""
    issues, ua, ub = [], [], []
    for i in range(n):
        kind = ("continuous", "integer", "categorical")[i % 3]
        if kind == "categorical":
            issues.append(f"  - {{id: i{i}, kind: categorical, values: [lo, mid, hi]}}")
            ua.append(f"      i{i}: {{scores: {{lo: 0, mid: 0.5, hi: 1}}, weight: {1 / n}}}")
            ub.append(f"      i{i}: {{scores: {{lo: 1, mid: 0.5, hi: 0}}, weight: {1 / n}}}")
        else:
            top = 1000 if kind == "integer" else 100
            issues.append(f"  - {{id: i{i}, kind: {kind}, range: [0, {top}]}}")
            ua.append(
                f"      i{i}: {{prefers: higher, ideal: {top}, reservation: 0, weight: {1 / n}}}"
            )
            ub.append(
                f"      i{i}: {{prefers: lower, ideal: 0, reservation: {top}, weight: {1 / n}}}"
            )
    return (
        "id: many\ntitle: many issues\nas_of: 2020-01-01\nissues:\n"
        + "\n".join(issues)
        + "\nparties:\n  A:\n    utility:\n"
        + "\n".join(ua)
        + "\n  B:\n    utility:\n"
        + "\n".join(ub)
        + "\nprotocol: {first_mover: A, start: 2020-01-01, round_every_days: 30, "
        "deadline: 2020-06-30}\n"
    )


def test_twenty_mixed_issues_are_served_by_the_frontier_of_the_sampled_values() -> None:
    """20 issues, 7 of them categorical: their product at two values per sampled issue is about
    3.6 * 10^7 outcomes, over the sampled grid's 2^20, so analyze refused this valid file
    ("too many candidate outcomes", exit 2). The grid now holds the frontier of the sampled
    values, by dynamic programming, and the symmetric problem's solutions are exact: Nash, KS,
    egalitarian at (1/2, 1/2) (the frontier is u1 + u2 = 1)."""
    from burdenshare.analysis.frontier_points import opposition_entry, pareto_frontier_entries

    sc = parse_scenario_text(_many_issues(20), source="many.yaml").scenario
    problem = bargaining_problem(sc)
    product = math.prod(len(v) for v in problem.grid.values)
    assert problem.grid.size < product  # the frontier only, never the product
    front = pareto_frontier_entries(problem)
    assert front["method"] == "frontier of the sampled values (dynamic programming over issues)"
    sums = [p["u1"] + p["u2"] for p in front["points"]]
    assert max(abs(s - 1.0) for s in sums) < 1e-12
    solved = {s.concept: s.utilities for s in scenario_solutions(problem)}
    for name in ("nash", "kalai_smorodinsky", "egalitarian"):
        assert solved[name] == pytest.approx({"A": 0.5, "B": 0.5}, abs=1e-12), name
    # opposition is normalised by the extremes over the whole product (0 and 1 for each party)
    assert opposition_entry(problem)["value"] == pytest.approx(1 / math.sqrt(2), abs=1e-12)
