"""Scenarios with a non-linear party (``utility_rules``): validation, and an exact analysis that
agrees with the additive dynamic programme and with brute force."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.analysis.rules import rules_analysis
from burdenshare.errors import ScenarioError
from burdenshare.preferences import party_parameters
from burdenshare.scenario.io import parse_scenario_text
from burdenshare.solutions import pareto_frontier_2d


def _doc(rules_b: list[dict[str, Any]], **party_b: Any) -> dict[str, Any]:
    return {
        "id": "rules-test",
        "title": "Rules",
        "as_of": "2020-01-01",
        "issues": [
            {"id": "x", "kind": "integer", "range": [0, 3]},
            {"id": "y", "kind": "integer", "range": [1, 4]},
            {"id": "c", "kind": "categorical", "values": ["p", "q"]},
        ],
        "parties": {
            "A": {
                "utility": {
                    "x": {"ideal": 3, "reservation": 0, "weight": 0.5},
                    "y": {"ideal": 4, "reservation": 1, "weight": 0.3},
                    "c": {"scores": {"p": 1.0, "q": 0.0}, "weight": 0.2},
                }
            },
            "B": {"utility_rules": {"scale": 10, "rules": rules_b}, **party_b},
        },
        "protocol": {"first_mover": "A", "start": "2020-01-01", "deadline": "2020-03-01"},
    }


def _load(doc: dict[str, Any]) -> Any:
    return parse_scenario_text(yaml.safe_dump(doc), source="rules.yaml").scenario


RULES = [
    {"utility": 6, "ranges": {"x": [0, 1]}},
    {"utility": 4, "ranges": {"x": [0, 2], "y": [1, 2]}},
    {"utility": -2, "ranges": {"y": [4, 4]}},
]


def _brute(sc: Any) -> tuple[np.ndarray, np.ndarray]:
    """Every outcome's utilities, by direct evaluation of the scenario's definitions."""
    a = party_parameters(sc, "A").utility
    rules = sc.parties["B"].utility_rules
    u1, u2 = [], []
    for x, y, c in itertools.product(range(4), range(1, 5), ["p", "q"]):
        u1.append(a({"x": float(x), "y": float(y), "c": c}))
        total = 0.0
        for r in rules.rules:
            vals = {"x": x, "y": y}
            if all(lo <= vals[i] <= hi for i, (lo, hi) in r.ranges.items()):
                total += r.utility
        u2.append(total / rules.scale)
    return np.array(u1), np.array(u2)


def test_a_mixed_scenario_matches_brute_force() -> None:
    sc = _load(_doc(RULES))
    out = rules_analysis(sc)
    u1, u2 = _brute(sc)
    idx = pareto_frontier_2d(u1, u2)
    expected = sorted({(round(u1[i], 12), round(u2[i], 12)) for i in idx})
    got = [(round(p["u1"], 12), round(p["u2"], 12)) for p in out["pareto_frontier"]["points"]]
    assert got == expected
    for p in out["pareto_frontier"]["points"]:
        same = np.isclose(u1, p["u1"], atol=1e-9) & np.isclose(u2, p["u2"], atol=1e-9)
        assert p["count"] == int(same.sum())
    assert out["pareto_frontier"]["n_outcomes"] == 32
    assert out["parties"]["B"]["utility_range"] == [pytest.approx(-0.2), pytest.approx(1.0)]
    assert out["parties"]["A"]["utility"] == "additive"


@settings(max_examples=40, deadline=None)
@given(
    rules=st.lists(
        st.fixed_dictionaries(
            {
                "utility": st.integers(-5, 9),
                "ranges": st.dictionaries(
                    st.sampled_from(["x", "y"]),
                    st.tuples(st.integers(0, 3), st.integers(0, 3)).map(sorted),
                    min_size=1,
                ),
            }
        ),
        min_size=1,
        max_size=5,
    )
)
def test_random_rules_match_brute_force(rules: list[dict[str, Any]]) -> None:
    for r in rules:  # issue y runs 1..4
        if "y" in r["ranges"]:
            r["ranges"]["y"] = [v + 1 for v in r["ranges"]["y"]]
        r["ranges"] = {k: list(v) for k, v in r["ranges"].items()}
    sc = _load(_doc(rules))
    out = rules_analysis(sc)
    u1, u2 = _brute(sc)
    idx = pareto_frontier_2d(u1, u2)
    expected = sorted({(round(u1[i], 9), round(u2[i], 9)) for i in idx})
    got = sorted((round(p["u1"], 9), round(p["u2"], 9)) for p in out["pareto_frontier"]["points"])
    assert got == expected
    assert sum(p["count"] for p in out["pareto_frontier"]["points"]) == sum(
        int((np.isclose(u1, a, atol=1e-9) & np.isclose(u2, b, atol=1e-9)).sum()) for a, b in got
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"utility": {"x": {"ideal": 0, "reservation": 3}}}, "either a utility per issue"),
        ({"ratification": {"body": "Senate", "approval_threshold": 2}}, "cannot have a ratifier"),
    ],
)
def test_a_rules_party_cannot_also_have(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        _load(_doc(RULES, **change))


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"utility": 1, "ranges": {"z": [0, 1]}}, "unknown issue"),
        ({"utility": 1, "ranges": {"c": [0, 1]}}, "integer issues only"),
        ({"utility": 1, "ranges": {"x": [0, 7]}}, "outside the issue's range"),
        ({"utility": 1, "ranges": {"x": [0.5, 2]}}, "whole numbers"),
        ({"utility": 1, "ranges": {"x": [2, 1]}}, "low <= high"),
        ({"utility": 1, "ranges": {}}, "ranges"),
        ({"utility": float("nan"), "ranges": {"x": [0, 1]}}, "finite"),
    ],
)
def test_bad_rules_are_refused_with_their_field(rule: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as err:
        _load(_doc([rule]))
    assert "parties.B.utility_rules" in str(err.value)


def test_a_bad_scale_is_refused() -> None:
    doc = _doc(RULES)
    doc["parties"]["B"]["utility_rules"]["scale"] = 0
    with pytest.raises(ScenarioError, match="scale"):
        _load(doc)


def test_simulation_parameters_refuse_a_rules_party() -> None:
    sc = _load(_doc(RULES))
    with pytest.raises(ScenarioError, match="non-linear"):
        party_parameters(sc, "B")


def test_an_ensemble_of_a_rules_scenario_is_refused_and_stores_nothing(tmp_path: Any) -> None:
    from burdenshare.ensemble.run import run_ensemble
    from burdenshare.store import RunStore

    loaded = parse_scenario_text(yaml.safe_dump(_doc(RULES)), source="rules.yaml")
    with RunStore.open(tmp_path / "runs.duckdb") as store:
        with pytest.raises(ScenarioError, match="non-linear"):
            run_ensemble(loaded, n=100, store=store)
        assert store.list_runs() == []
