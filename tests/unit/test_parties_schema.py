"""Scenarios with two to MAX_PARTIES parties, and the protocol's decision rule (issue 14)."""

from __future__ import annotations

import pytest

from burdenshare.errors import ScenarioError
from burdenshare.scenario.io import parse_scenario_text
from burdenshare.scenario.model import MAX_PARTIES


def _text(n: int, protocol: str = "") -> str:
    parties = "\n".join(
        f"  P{k}: {{utility: {{x: {{ideal: {k % 2}, reservation: {1 - k % 2}}}}}}}"
        for k in range(n)
    )
    return (
        "id: many\ntitle: many parties\nas_of: 2020-01-01\n"
        "issues: [{id: x, range: [0, 1]}]\n"
        f"parties:\n{parties}\n"
        "protocol: {first_mover: P0, start: 2020-01-01, deadline: 2020-03-01"
        f"{protocol}}}\n"
    )


@pytest.mark.parametrize("n", [2, 3, 5, MAX_PARTIES])
def test_two_to_max_parties_load_in_order(n: int) -> None:
    sc = parse_scenario_text(_text(n)).scenario
    assert sc.party_names == tuple(f"P{k}" for k in range(n))
    assert sc.bilateral is (n == 2)


@pytest.mark.parametrize("n", [1, MAX_PARTIES + 1])
def test_too_few_or_too_many_parties_are_refused(n: int) -> None:
    with pytest.raises(ScenarioError, match=f"from 2 to {MAX_PARTIES} parties") as e:
        parse_scenario_text(_text(n))
    assert e.value.field == "parties"


def test_two_parties_names_what_needs_them() -> None:
    sc = parse_scenario_text(_text(3)).scenario
    with pytest.raises(
        ScenarioError, match="Rubinstein's game needs exactly two parties; this scenario has 3"
    ):
        sc.two_parties("Rubinstein's game")
    with pytest.raises(ScenarioError, match="exactly two"):
        sc.other("P0")
    two = parse_scenario_text(_text(2)).scenario
    assert two.two_parties("x") == ("P0", "P1")
    assert two.other("P1") == "P0"


def test_stacked_alternating_offers_is_the_same_protocol() -> None:
    sc = parse_scenario_text(_text(3, ", kind: stacked_alternating_offers")).scenario
    assert sc.protocol.kind == "alternating_offers"
    st = parse_scenario_text(_text(3, ", kind: single_text, mediator_step: 0.2")).scenario
    assert st.protocol.kind == "single_text"
    assert st.protocol.mediator_step == 0.2


@pytest.mark.parametrize(
    ("n", "extra", "needed"),
    [
        (3, "", 3),
        (3, ", decision_rule: majority", 2),
        (5, ", decision_rule: majority", 3),
        (5, ", decision_rule: majority, quota: 4", 4),
        (4, ", decision_rule: majority", 3),
    ],
)
def test_needed_counts_the_proposer(n: int, extra: str, needed: int) -> None:
    sc = parse_scenario_text(_text(n, extra)).scenario
    assert sc.protocol.needed(n) == needed


@pytest.mark.parametrize(
    ("n", "extra", "field", "message"),
    [
        (5, ", decision_rule: majority, quota: 2", "protocol.quota", "a majority of the 5"),
        (5, ", decision_rule: majority, quota: 6", "protocol.quota", "a majority of the 5"),
        (3, ", quota: 2", "protocol.quota", "only under decision_rule: majority"),
        (3, ", decision_rule: plurality", "protocol.decision_rule", None),
        (3, ", kind: single_text, mediator_step: 0", "protocol.mediator_step", None),
    ],
)
def test_bad_decision_rules_are_located(
    n: int, extra: str, field: str, message: str | None
) -> None:
    with pytest.raises(ScenarioError) as e:
        parse_scenario_text(_text(n, extra))
    assert e.value.field == field
    if message is not None:
        assert message in str(e.value)
