"""Issue 14: invariants of the N-party engine on random scenarios with 2 to 6 parties.

Whatever the parties' linear utilities, outside options, ratifiers and events, the protocol
(stacked alternating offers or the single negotiating text) and the decision rule:

* every agreement lies inside each issue's range (whole numbers on an integer issue), every
  utility is finite, every round is one of the scenario's;
* under unanimity every party's utility of an agreement is at least its minimum ``u_min`` (its
  outside option, or its believed ratification threshold's utility) less the tolerance; under a
  majority, at least ``Q`` parties' are;
* with two parties and a majority (which then needs both), the N-party path gives exactly the
  bilateral kernel's answers (unanimous alternating offers): the N-party rules with ``P = 2``
  ARE the bilateral rules;
* a batch played in parts equals the batch played at once (each session's randomness is its
  own).

Hypothesis runs derandomised with a bounded number of examples.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from burdenshare.engine import OUTCOMES, run_batch
from burdenshare.engine.batch import join_batches
from burdenshare.ensemble import draw, uncertain_parameters
from burdenshare.errors import SimulationError
from burdenshare.negotiation.negotiators.base import reservation_utility
from burdenshare.preferences import party_parameters
from burdenshare.scenario import Scenario
from burdenshare.scenario.io import EXAMPLE, parse_scenario_text

SETTINGS = settings(
    derandomize=True,
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
FRACTIONS = st.sampled_from([0.0, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 1.0])
OUTSIDE = st.sampled_from([-0.6, -0.2, 0.0, 0.1, 0.3, 0.6])
NEGOTIATORS = st.sampled_from(["boulware", "linear", "conceder", "hardliner", "time-dependent:e=2"])
TOL = 1e-9
N = 40


def _at(lo: float, hi: float, integer: bool, f: float) -> float:
    x = lo + f * (hi - lo)
    return float(round(x)) if integer else x


@st.composite
def scenarios(draw_: st.DrawFn, *, parties: int | None = None) -> Scenario:
    """A random valid scenario with linear utilities, 2 to 6 parties, either protocol."""
    n_p = parties or draw_(st.integers(2, 6))
    issues: list[dict[str, Any]] = []
    for k in range(draw_(st.integers(1, 3))):
        integer = draw_(st.booleans())
        lo = draw_(st.integers(-20, 20))
        width = draw_(st.integers(2, 12)) if integer else draw_(st.integers(1, 500))
        kind = "integer" if integer else "continuous"
        issues.append({"id": f"i{k}", "kind": kind, "range": [lo, lo + width]})
    names = [f"P{p}" for p in range(n_p)]
    spec: dict[str, Any] = {}
    for name in names:
        raw = draw_(st.lists(st.integers(1, 4), min_size=len(issues), max_size=len(issues)))
        utility = {}
        for issue, r in zip(issues, raw, strict=True):
            lo, hi = issue["range"]
            integer = issue["kind"] == "integer"
            ideal = _at(lo, hi, integer, draw_(FRACTIONS))
            res = _at(lo, hi, integer, draw_(FRACTIONS))
            if ideal == res:
                res = float(lo) if ideal != lo else float(hi)
            utility[issue["id"]] = {"ideal": ideal, "reservation": res, "weight": r / sum(raw)}
        party: dict[str, Any] = {"utility": utility, "outside_option": draw_(OUTSIDE)}
        if draw_(st.booleans()):
            issue = draw_(st.sampled_from(issues))
            lo, hi = issue["range"]
            party["ratification"] = {
                "body": "Parliament",
                "issue": issue["id"],
                "approval_threshold": _at(lo, hi, issue["kind"] == "integer", draw_(FRACTIONS)),
            }
        spec[name] = party
    kind = draw_(st.sampled_from(["alternating_offers", "single_text"]))
    rule = draw_(st.sampled_from(["unanimity", "majority"]))
    protocol: dict[str, Any] = {
        "first_mover": draw_(st.sampled_from(names)),
        "start": "2020-01-01",
        "round_every_days": 1,
        "deadline": f"2020-01-{draw_(st.integers(2, 20)):02d}",
        "breakdown_risk_per_round": draw_(st.sampled_from([0.0, 0.05, 0.2])),
        "kind": kind,
        "decision_rule": rule,
        "mediator_step": draw_(st.sampled_from([0.05, 0.2, 1.0])),
    }
    if rule == "majority" and draw_(st.booleans()):
        protocol["quota"] = draw_(st.integers(n_p // 2 + 1, n_p))
    if draw_(st.booleans()):
        protocol["events"] = [
            {
                "date": "2020-01-03",
                "kind": "cost",
                "party": draw_(st.sampled_from(names)),
                "effects": {"outside_option": draw_(OUTSIDE)},
            }
        ]
    text = json.dumps(
        {
            "id": "random-alliance",
            "title": "random",
            "as_of": "2020-01-01",
            "issues": issues,
            "parties": spec,
            "protocol": protocol,
        }
    )
    return parse_scenario_text(text, fmt="json").scenario


@SETTINGS
@given(data=st.data())
def test_agreements_lie_in_range_and_clear_the_decision_rule(data: st.DataObject) -> None:
    scenario = data.draw(scenarios())
    names = scenario.party_names
    specs = [data.draw(NEGOTIATORS) for _ in names]
    batch = run_batch(scenario, specs, {}, seed=3, n=N)
    assert batch.vectorised
    dates = scenario.protocol.round_dates()
    assert ((batch.round >= 1) & (batch.round <= len(dates))).all()
    needed = scenario.protocol.needed(len(names))
    for i in range(N):
        for p in names:
            assert np.isfinite(batch.utilities[p][i])
        if OUTCOMES[batch.outcome[i]] != "agreement":
            assert all(np.isnan(batch.values[iid][i]) for iid in scenario.issue_ids)
            continue
        for issue in scenario.issues:
            x = batch.values[issue.id][i]
            assert issue.range is not None
            assert issue.range[0] <= x <= issue.range[1]
            if issue.kind == "integer":
                assert x == round(x)
        on = dates[batch.round[i] - 1]
        content = [
            batch.utilities[p][i] >= reservation_utility(party_parameters(scenario, p, on=on)) - TOL
            for p in names
        ]
        if scenario.protocol.decision_rule == "unanimity":
            assert all(content), (i, content)
        else:
            assert sum(content) >= needed, (i, content)


@SETTINGS
@given(data=st.data())
def test_two_parties_under_a_majority_play_exactly_the_bilateral_kernel(
    data: st.DataObject,
) -> None:
    scenario = data.draw(scenarios(parties=2))
    proto = scenario.protocol.model_copy(
        update={"kind": "alternating_offers", "decision_rule": "unanimity", "quota": None}
    )
    bilateral = scenario.model_copy(update={"protocol": proto})
    multi = scenario.model_copy(
        update={"protocol": proto.model_copy(update={"decision_rule": "majority"})}
    )
    specs = [data.draw(NEGOTIATORS) for _ in range(2)]
    a = run_batch(bilateral, specs, {}, seed=5, n=N)
    b = run_batch(multi, specs, {}, seed=5, n=N)
    _assert_same(a, b)


def test_two_parties_with_drawn_parameters_and_events_match_the_bilateral_kernel() -> None:
    """The reference EXAMPLE (a ratifier, an event, drawn parameters, breakdown risk) with
    ``decision_rule: majority`` goes through the N-party path and ends every session as the
    bilateral kernel does."""
    scenario = parse_scenario_text(EXAMPLE).scenario
    multi = scenario.model_copy(
        update={"protocol": scenario.protocol.model_copy(update={"decision_rule": "majority"})}
    )
    n = 2000
    draws = draw(uncertain_parameters(scenario), n, seed=11)
    for specs in (["boulware", "conceder"], ["linear", "hardliner"], ["conceder", "linear"]):
        a = run_batch(scenario, specs, draws, seed=11, n=n)
        b = run_batch(multi, specs, draws, seed=11, n=n)
        assert len(set(a.outcome.tolist())) >= 2
        _assert_same(a, b)


def _assert_same(a: Any, b: Any) -> None:
    assert a.vectorised
    assert b.vectorised
    np.testing.assert_array_equal(a.outcome, b.outcome)
    np.testing.assert_array_equal(a.round, b.round)
    np.testing.assert_array_equal(a.after_deadline, b.after_deadline)
    for k in a.values:
        np.testing.assert_array_equal(a.values[k], b.values[k])
    for k in a.utilities:
        np.testing.assert_array_equal(a.utilities[k], b.utilities[k])
        np.testing.assert_allclose(a.discounted[k], b.discounted[k], rtol=0, atol=1e-12)


@settings(derandomize=True, max_examples=10, deadline=None)
@given(data=st.data())
def test_a_batch_in_parts_equals_the_batch_at_once(data: st.DataObject) -> None:
    scenario = data.draw(scenarios(parties=data.draw(st.integers(3, 5))))
    specs = ["linear"] * len(scenario.party_names)
    whole = run_batch(scenario, specs, {}, seed=9, n=N, block_size=16)
    parts = join_batches(
        [
            run_batch(scenario, specs, {}, seed=9, n=N, start=a, stop=b, block_size=16)
            for a, b in ((0, 7), (7, 30), (30, N))
        ]
    )
    _assert_same(whole, parts)


def test_run_batch_wants_one_negotiator_per_party() -> None:
    scenario = parse_scenario_text(EXAMPLE).scenario
    with pytest.raises(SimulationError, match="one negotiator per party"):
        run_batch(scenario, ["linear"] * 3, {}, seed=0, n=4)


def test_a_batch_over_the_memory_budget_plays_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The N-party path splits a batch whose arrays exceed ``KERNEL_MEMORY`` (scaled to its
    parties) into consecutive parts: the same answers as one batch."""
    import burdenshare.engine.batch as batch_module

    scenario = parse_scenario_text(EXAMPLE).scenario
    multi = scenario.model_copy(
        update={"protocol": scenario.protocol.model_copy(update={"kind": "single_text"})}
    )
    draws = draw(uncertain_parameters(multi), 300, seed=2)
    whole = run_batch(multi, ["linear", "conceder"], draws, seed=2, n=300)
    monkeypatch.setattr(batch_module, "KERNEL_MEMORY", 20_000)
    parts = run_batch(multi, ["linear", "conceder"], draws, seed=2, n=300)
    assert batch_module.sessions_within(20_000, 2, len(multi.issues)) < 300
    _assert_same(whole, parts)
