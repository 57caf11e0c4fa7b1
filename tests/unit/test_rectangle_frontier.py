"""Hyper-rectangle (non-linear) frontier: the ANAC 2014 10issues domain and brute force."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.errors import SolverError
from burdenshare.solutions import _rectangle_programme as programme
from burdenshare.solutions.rectangle_frontier import (
    HyperRectangle,
    RectangleFrontier,
    rectangle_frontier,
    rectangle_utilities,
)

TEN = Path(__file__).resolve().parents[1] / "known_values" / "data" / "genius" / "10issues"

Rules = tuple[HyperRectangle, ...]


def _read_profile(path: Path) -> tuple[tuple[int, ...], Rules, float]:
    """``(sizes, rules, maxutility)`` of a GENIUS hyper-rectangle profile (test fixture only).

    ``<INCLUDES index=k min=.. max=..>`` refers to the objective's ``<issue index=k>`` (1-based);
    min/max are integer issue values, so value index = value - the issue's lowerbound.
    """
    root = ET.parse(path).getroot()
    issues = list(root.find("objective").iter("issue"))  # type: ignore[union-attr]
    position = {issue.get("index"): j for j, issue in enumerate(issues)}
    lower = [int(issue.get("lowerbound", "0")) for issue in issues]
    sizes = tuple(
        int(issue.get("upperbound", "0")) - low + 1
        for issue, low in zip(issues, lower, strict=True)
    )
    rules = []
    for rect in root.iter("hyperRectangle"):
        bounds = []
        for inc in rect.findall("INCLUDES"):
            j = position[inc.get("index")]
            bounds.append(
                (j, int(inc.get("min", "")) - lower[j], int(inc.get("max", "")) - lower[j])
            )
        rules.append(HyperRectangle(float(rect.get("utility", "")), tuple(bounds)))
    utility = root.find(".//utility")
    assert utility is not None
    return sizes, tuple(rules), float(utility.get("maxutility", ""))


def _ten_issues() -> tuple[tuple[int, ...], Rules, Rules, tuple[float, float]]:
    sizes1, rules1, max1 = _read_profile(TEN / "profile-1.xml")
    sizes2, rules2, max2 = _read_profile(TEN / "profile-2.xml")
    assert sizes1 == sizes2 == (10,) * 10
    return sizes1, rules1, rules2, (max1, max2)


def test_ten_issues_matches_published_pareto() -> None:
    """The exact frontier of ANAC 2014 ``10issues`` equals the published ``pareto.xml``.

    Source: ``10issues/pareto.xml`` shipped with the ANAC 2014 domain (copied from NegMAS's test
    data, commit 5e5c71fd, see ``tests/known_values/data/genius/SOURCES.txt``): 10 utility pairs
    already divided by ``maxutility`` (662 and 885) and printed as 32-bit floats. The counts and
    minima below come from a one-off exhaustive enumeration of the 25,401,600 value-class
    combinations (10^10 outcomes), done independently while writing the module.
    """
    sizes, rules1, rules2, scales = _ten_issues()
    lines = (TEN / "pareto.xml").read_text().split("\n")
    published = sorted(tuple(float(x) for x in line.split(",")) for line in lines if line.strip())
    assert len(published) == 10

    res = rectangle_frontier(sizes, (rules1, rules2), scales)
    front = res.frontier
    assert len(front) == 10
    for (p1, p2), u1, u2 in zip(published, front.u1, front.u2, strict=True):
        assert abs(u1 - p1) < 1e-6
        assert abs(u2 - p2) < 1e-6
    assert front.n_outcomes == 10**10
    assert 0 < int(front.counts.sum()) <= 10**10
    assert front.counts.tolist() == [34560, 25920, 10368, 38880, 10368, 7776, 240, 360, 240, 360]
    # the raw sums are integers, so the scaled utilities are exact quotients
    assert (front.u1 * 662).round().tolist() == [449, 450, 502, 520, 546, 547, 608, 609, 661, 662]
    assert res.u_max == (1.0, 1.0)
    assert res.u_min == (9 / 662, 121 / 885)
    assert res.classes_per_issue == (6, 7, 5, 5, 4, 7, 4, 4, 9, 6)
    assert res.n_class_combinations == 25_401_600
    # each representative outcome has exactly the utilities of its point
    for rules, scale, u in ((rules1, scales[0], front.u1), (rules2, scales[1], front.u2)):
        assert rectangle_utilities(sizes, rules, front.outcomes, scale).tolist() == u.tolist()


# --------------------------------------------------------------------------------------------
# brute force on small random instances


def _plain_utility(rules: Rules, outcome: tuple[int, ...]) -> float:
    return sum(r.utility for r in rules if all(lo <= outcome[i] <= hi for i, lo, hi in r.bounds))


def _brute_force(
    sizes: tuple[int, ...], rules: tuple[Rules, Rules], scales: tuple[float, float], quantum: float
) -> dict[str, Any]:
    outcomes = np.array(list(itertools.product(*(range(m) for m in sizes))), dtype=np.intp)
    u = [rectangle_utilities(sizes, rules[p], outcomes, scales[p], quantum=quantum) for p in (0, 1)]
    for k in range(0, len(outcomes), max(1, len(outcomes) // 7)):  # the evaluator itself
        for p in (0, 1):
            plain = _plain_utility(rules[p], tuple(outcomes[k])) / scales[p]
            assert math.isclose(u[p][k], plain, rel_tol=1e-9, abs_tol=1e-9)
    counter = Counter(zip(u[0].tolist(), u[1].tolist(), strict=True))
    vectors = list(counter)
    front = {
        v: counter[v]
        for v in vectors
        if not any(w != v and w[0] >= v[0] and w[1] >= v[1] for w in vectors)
    }
    return {
        "front": front,
        "min": (float(u[0].min()), float(u[1].min())),
        "max": (float(u[0].max()), float(u[1].max())),
        "n": len(outcomes),
    }


def _check_against_brute_force(
    sizes: tuple[int, ...], rules: tuple[Rules, Rules], scales: tuple[float, float]
) -> RectangleFrontier:
    res = rectangle_frontier(sizes, rules, scales)
    front = res.frontier
    expected = _brute_force(sizes, rules, scales, front.quantum)
    got = {
        (float(a), float(b)): int(c)
        for a, b, c in zip(front.u1, front.u2, front.counts, strict=True)
    }
    assert got == expected["front"]
    assert np.all(np.diff(front.u1) > 0)
    assert np.all(np.diff(front.u2) < 0)
    assert res.u_min == expected["min"]
    assert res.u_max == expected["max"]
    assert front.n_outcomes == expected["n"]
    assert front.counts.dtype == np.int64
    assert front.outcomes.shape == (len(front), len(sizes))
    for p, u in ((0, front.u1), (1, front.u2)):
        again = rectangle_utilities(
            sizes, rules[p], front.outcomes, scales[p], quantum=front.quantum
        )
        assert again.tolist() == u.tolist()
    assert res.n_class_combinations == math.prod(res.classes_per_issue)
    assert res.n_class_combinations <= front.n_outcomes
    return res


@st.composite
def instances(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[Rules, Rules], tuple[float, float]]:
    n_issues = draw(st.integers(2, 4))
    sizes = tuple(draw(st.integers(2, 5)) for _ in range(n_issues))
    if draw(st.booleans()):  # small integers: many ties and equal vectors
        value = st.integers(-3, 6).map(float)
    else:
        value = st.floats(-2.0, 3.0, allow_nan=False, allow_subnormal=False)
    parties = []
    for _ in range(2):
        rules = []
        for _ in range(draw(st.integers(0, 6))):
            issues = draw(st.lists(st.integers(0, n_issues - 1), max_size=n_issues, unique=True))
            bounds = []
            for j in issues:
                lo = draw(st.integers(0, sizes[j] - 1))
                hi = draw(st.integers(lo, sizes[j] - 1))
                bounds.append((j, lo, hi))
            rules.append(HyperRectangle(draw(value), tuple(bounds)))
        parties.append(tuple(rules))
    scales = (draw(st.sampled_from([1.0, 0.5, 3.0, 662.0])), draw(st.sampled_from([1.0, 7.0])))
    return sizes, (parties[0], parties[1]), scales


@settings(max_examples=300, deadline=None)
@given(instances())
def test_frontier_matches_brute_force(
    case: tuple[tuple[int, ...], tuple[Rules, Rules], tuple[float, float]],
) -> None:
    sizes, rules, scales = case
    res = _check_against_brute_force(sizes, rules, scales)
    with mock.patch.object(programme, "_CHUNK", 3):  # tiny chunks exercise the merge across chunks
        small = rectangle_frontier(sizes, rules, scales)
    assert small.frontier.u1.tolist() == res.frontier.u1.tolist()
    assert small.frontier.u2.tolist() == res.frontier.u2.tolist()
    assert small.frontier.counts.tolist() == res.frontier.counts.tolist()
    assert (small.u_min, small.u_max) == (res.u_min, res.u_max)


def test_untouched_issue_multiplies_counts_and_overlaps_add() -> None:
    r1 = (
        HyperRectangle(2.0, ((0, 0, 1),)),
        HyperRectangle(1.0, ((0, 1, 2), (1, 0, 0))),
        HyperRectangle(-4.0, ((1, 1, 1),)),
    )
    r2 = (HyperRectangle(1.0, ((0, 2, 2),)), HyperRectangle(5.0, ((1, 1, 1),)))
    res = _check_against_brute_force((3, 2, 4), (r1, r2), (1.0, 1.0))
    assert res.frontier.u1.tolist() == [-4.0, -2.0, 1.0, 3.0]
    assert res.frontier.u2.tolist() == [6.0, 5.0, 1.0, 0.0]
    # issue 2 (4 values) is in no rule; (-2, 5) is reached by two values of issue 0
    assert res.frontier.counts.tolist() == [4, 8, 4, 4]
    assert res.frontier.outcomes.tolist() == [[2, 1, 0], [0, 1, 0], [2, 0, 0], [1, 0, 0]]
    assert res.classes_per_issue == (3, 2, 1)
    assert res.u_min == (-4.0, 0.0)
    assert res.u_max == (3.0, 6.0)


def test_no_rules_gives_one_point() -> None:
    res = rectangle_frontier((2, 3), ((), ()))
    assert res.frontier.u1.tolist() == [0.0]
    assert res.frontier.u2.tolist() == [0.0]
    assert res.frontier.counts.tolist() == [6]
    assert res.frontier.outcomes.tolist() == [[0, 0]]
    assert (res.u_min, res.u_max) == ((0.0, 0.0), (0.0, 0.0))


# --------------------------------------------------------------------------------------------
# validation


@pytest.mark.parametrize(
    ("utility", "bounds", "match"),
    [
        (float("nan"), ((0, 0, 1),), "finite"),
        (float("inf"), ((0, 0, 1),), "finite"),
        ("much", ((0, 0, 1),), "number"),
        (1.0, ((-1, 0, 1),), "issue index must be >= 0"),
        (1.0, ((0, 2, 1),), "lo <= hi"),
        (1.0, ((0, -1, 1),), "lo <= hi"),
        (1.0, ((0, 0, 1), (0, 1, 1)), "two bounds on issue 0"),
        (1.0, ((0, 0),), "three integers"),
        (1.0, ((0, 0.5, 1),), "three integers"),
    ],
)
def test_invalid_rule_is_rejected(utility: Any, bounds: Any, match: str) -> None:
    with pytest.raises(SolverError, match=match):
        HyperRectangle(utility, bounds)


def test_invalid_problem_is_rejected() -> None:
    ok = (HyperRectangle(1.0, ((0, 0, 1),)),)
    with pytest.raises(SolverError, match=r"issue index 2 out of range"):
        rectangle_frontier((2, 2), ((HyperRectangle(1.0, ((2, 0, 0),)),), ok))
    with pytest.raises(SolverError, match=r"party 2 rule 0: bound hi=2 on issue 1"):
        rectangle_frontier((2, 2), (ok, (HyperRectangle(1.0, ((1, 0, 2),)),)))
    with pytest.raises(SolverError, match="one list of rules per party"):
        rectangle_frontier((2, 2), (ok,))
    with pytest.raises(SolverError, match="must be a HyperRectangle"):
        rectangle_frontier((2, 2), (ok, ((1.0, ((0, 0, 1),)),)))  # type: ignore[arg-type]
    with pytest.raises(SolverError, match="scale of party 2"):
        rectangle_frontier((2, 2), (ok, ok), (1.0, 0.0))
    with pytest.raises(SolverError, match="scale of party 1"):
        rectangle_frontier((2, 2), (ok, ok), (float("nan"), 1.0))
    with pytest.raises(SolverError, match="one divisor per party"):
        rectangle_frontier((2, 2), (ok, ok), (1.0,))
    with pytest.raises(SolverError, match="at least one issue"):
        rectangle_frontier((), ((), ()))
    with pytest.raises(SolverError, match="issue 1 must have at least one value"):
        rectangle_frontier((2, 0), ((), ()))
    with pytest.raises(SolverError, match="fit in int64"):
        rectangle_frontier((10,) * 19, ((), ()))
    with pytest.raises(SolverError, match="outside its issue's range"):
        rectangle_utilities((2, 2), ok, [[0, 2]])
    with pytest.raises(SolverError, match="shape"):
        rectangle_utilities((2, 2), ok, [[0, 1, 0]])
    with pytest.raises(SolverError, match="quantum"):
        rectangle_utilities((2, 2), ok, [[0, 1]], quantum=0.0)
