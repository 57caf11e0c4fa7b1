"""Outcome-space tools: the dynamic-programming frontier against brute force and enumeration."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.errors import SolverError
from burdenshare.solutions import nash_discrete
from burdenshare.solutions.additive_frontier import (
    AdditiveFrontier,
    additive_frontier,
    quantise_tables,
)
from burdenshare.solutions.outcome_space import (
    analyze_additive,
    enumerated_frontier,
    frontier_solutions,
    opposition,
    outcome_count,
    outcome_utilities,
)

GENIUS = Path(__file__).resolve().parents[1] / "known_values" / "data" / "genius"

Tables = list[list[list[float]]]


def brute_force(tables: Tables) -> dict[tuple[int, int], int]:
    """Distinct non-dominated quantised vectors -> number of outcomes, by full enumeration."""
    q1, q2, _ = quantise_tables(tables)
    counter: Counter[tuple[int, int]] = Counter()
    for outcome in itertools.product(*(range(x.size) for x in q1)):
        a = sum(int(q1[j][v]) for j, v in enumerate(outcome))
        b = sum(int(q2[j][v]) for j, v in enumerate(outcome))
        counter[(a, b)] += 1
    vectors = list(counter)
    return {
        v: counter[v]
        for v in vectors
        if not any(w != v and w[0] >= v[0] and w[1] >= v[1] for w in vectors)
    }


def as_dict(front: AdditiveFrontier) -> dict[tuple[int, int], int]:
    a = np.round(front.u1 / front.quantum).astype(np.int64)
    b = np.round(front.u2 / front.quantum).astype(np.int64)
    return {(int(x), int(y)): int(c) for x, y, c in zip(a, b, front.counts, strict=True)}


def check_representatives(tables: Tables, front: AdditiveFrontier) -> None:
    for k, outcome in enumerate(front.outcomes):
        flat = int(np.ravel_multi_index(tuple(outcome), [len(t) for t in tables[0]]))
        u1, u2 = outcome_utilities(tables, flat, flat + 1)
        assert (u1[0], u2[0]) == (front.u1[k], front.u2[k])


@st.composite
def additive_tables(draw: st.DrawFn) -> Tables:
    n_issues = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 4)) for _ in range(n_issues)]
    if draw(st.booleans()):  # integer values: many ties and duplicate vectors
        value = st.integers(-2, 3).map(float)
    else:
        value = st.floats(-1.0, 1.0, allow_nan=False, allow_subnormal=False)
    return [[[draw(value) for _ in range(m)] for m in sizes] for _ in range(2)]


@settings(max_examples=300, deadline=None)
@given(additive_tables())
def test_dp_frontier_matches_brute_force_with_counts(tables: Tables) -> None:
    expected = brute_force(tables)
    dp = additive_frontier(tables)
    assert as_dict(dp) == expected
    assert np.all(np.diff(dp.u1) > 0)
    assert np.all(np.diff(dp.u2) < 0)
    assert dp.n_outcomes == outcome_count(tables)
    check_representatives(tables, dp)
    enum = enumerated_frontier(tables, chunk=3)  # small chunks exercise the merge
    assert as_dict(enum) == expected
    check_representatives(tables, enum)


def test_hand_made_ties() -> None:
    # issue 0 is zero-sum, issue 1 has two identical values and one dominated value
    tables = [[[0.0, 1.0, 2.0], [1.0, 1.0, 0.0]], [[2.0, 1.0, 0.0], [1.0, 1.0, 0.0]]]
    front = additive_frontier(tables)
    assert front.u1.tolist() == [1.0, 2.0, 3.0]
    assert front.u2.tolist() == [3.0, 2.0, 1.0]
    assert front.counts.tolist() == [2, 2, 2]
    assert front.outcomes.tolist() == [[0, 0], [1, 0], [2, 0]]


def test_invalid_tables_are_rejected() -> None:
    with pytest.raises(SolverError, match="same non-zero number"):
        additive_frontier([[[0.0, 1.0]], [[0.0]]])
    with pytest.raises(SolverError, match="same issues"):
        additive_frontier([[[0.0]], [[0.0], [1.0]]])
    with pytest.raises(SolverError, match="NaN"):
        additive_frontier([[[float("nan")]], [[0.0]]])


def medium_tables(seed: int) -> Tables:
    rng = np.random.default_rng(seed)
    sizes = [10, 10, 10, 10, 10, 20]  # 2,000,000 outcomes
    weights = rng.dirichlet(np.ones(len(sizes)), size=2)
    return [
        [list(np.round(w * rng.random(m), 3)) for w, m in zip(weights[p], sizes, strict=True)]
        for p in range(2)
    ]


def test_medium_problem_enumeration_and_dp_agree() -> None:
    tables = medium_tables(7)
    dp = additive_frontier(tables)
    enum = enumerated_frontier(tables, chunk=300_000)
    assert dp.n_outcomes == enum.n_outcomes == 2_000_000
    assert as_dict(dp) == as_dict(enum)
    assert int(dp.counts.sum()) >= len(dp)
    check_representatives(tables, dp)
    # the discrete solutions over the frontier equal those over every outcome
    u1, u2 = outcome_utilities(tables)
    d = (0.3, 0.2)
    for alpha in (0.5, 0.3):
        k = nash_discrete(u1, u2, d, alpha)
        assert k is not None
        nash = frontier_solutions(dp, d, alpha)["nash"]
        assert nash is not None
        assert (nash["u1"], nash["u2"]) == (u1[k], u2[k])
    # opposition over the frontier equals the minimum over all outcomes
    n1 = (u1 - u1.min()) / (u1.max() - u1.min())
    n2 = (u2 - u2.min()) / (u2.max() - u2.min())
    full = float(np.sqrt(((1 - n1) ** 2 + (1 - n2) ** 2).min()))
    assert opposition(tables, dp) == pytest.approx(full, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(
    additive_tables(),
    st.tuples(st.floats(-1.0, 2.0), st.floats(-1.0, 2.0)),
    st.floats(0.05, 0.95),
)
def test_solutions_on_frontier_and_rational(
    tables: Tables, d: tuple[float, float], alpha: float
) -> None:
    report = analyze_additive(tables, d=d, alpha=alpha)
    json.dumps(report)  # JSON-ready
    assert report["reservation"] == [d[0], d[1]]  # kept exactly as given
    entries = report["pareto_frontier"]
    for name, point in report["solutions"].items():
        rational = [e for e in entries if e["u1"] >= d[0] and e["u2"] >= d[1]]
        if point is None:
            assert not rational, name
            continue
        assert point in entries, name
        assert point["u1"] >= d[0], name
        assert point["u2"] >= d[1], name
    assert 0.0 <= report["opposition"]["value"] <= np.sqrt(2) + 1e-12


def test_enumeration_and_dp_reports_agree() -> None:
    tables = [[[0.1, 0.4, 0.7], [0.2, 0.0]], [[0.6, 0.3, 0.0], [0.0, 0.3]]]
    dp: dict[str, Any] = analyze_additive(tables, d=(0.1, 0.1), method="dp")
    enum: dict[str, Any] = analyze_additive(tables, d=(0.1, 0.1), method="enumerate")
    assert (dp["method"], enum["method"]) == ("dp", "enumerate")
    assert [(e["u1"], e["u2"], e["count"]) for e in dp["pareto_frontier"]] == [
        (e["u1"], e["u2"], e["count"]) for e in enum["pareto_frontier"]
    ]
    with pytest.raises(SolverError, match="method"):
        analyze_additive(tables, method="sample")  # type: ignore[arg-type]


def test_opposition_normalisations() -> None:
    # zero-sum over 0..9 (NegMAS's own doctest: 0.7114582486036499 with max_utils=9)
    tables = [[[float(x) for x in range(10)]], [[float(9 - x) for x in range(10)]]]
    front = additive_frontier(tables)
    assert opposition(tables, front, "max") == pytest.approx(0.7114582486036499)
    assert opposition(tables, front, "minmax") == pytest.approx(0.7114582486036499)
    with pytest.raises(SolverError, match="normalisation"):
        opposition(tables, front, "z")  # type: ignore[arg-type]


def test_10issues_profiles_are_not_linear_additive() -> None:
    """The 10issues profiles are hyper-rectangle (constraint) utilities, not additive tables.

    Their ``pareto.xml`` frontier therefore cannot come from :func:`additive_frontier`; this pins
    that fact (and the reference file's shape) so the importer does not feed them to it.
    """
    import xml.etree.ElementTree as ET

    root = ET.parse(GENIUS / "10issues" / "profile-1.xml").getroot()
    assert root.get("type") == "nonlinear"
    rectangles = list(root.iter("hyperRectangle"))
    assert any(len(r.findall("INCLUDES")) > 1 for r in rectangles)  # couples several issues
    lines = (GENIUS / "10issues" / "pareto.xml").read_text().split()
    assert len(lines) >= 10
