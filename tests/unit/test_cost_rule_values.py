"""A scenario may take a party's ideal or walk-away point from the stationing-cost model."""

from __future__ import annotations

import pytest

from burdenshare.errors import ScenarioError
from burdenshare.scenario.distributions import central
from burdenshare.scenario.io import EXAMPLE, parse_scenario_text


def scenario(ideal: str, reservation: str = "1350"):  # type: ignore[no-untyped-def]
    text = EXAMPLE.replace(
        "ideal: 5 bn USD, reservation: 1350,", f"ideal: {ideal}, reservation: {reservation},"
    )
    return parse_scenario_text(text, source="t.yaml").scenario


def test_cost_plus_50_on_the_gao_base() -> None:
    """GAO-21-270: $13.4B over 2016-2019 = $3.35B a year; plus 50% = $5.025B; at 1,126 won per
    dollar (the example's rate) that is 5,658.15 bn won."""
    sc = scenario("{cost_rule: cost+50%}")
    ideal = central(sc.parties["US"].utility["contribution"].ideal)  # type: ignore[arg-type]
    assert ideal == pytest.approx(3.35 * 1.5 * 1126, abs=1e-9)


def test_cost_rule_with_an_explicit_cost_and_an_increase_rule() -> None:
    sc = scenario('{cost_rule: "cost+20%", cost: "4 bn USD"}')
    ideal = central(sc.parties["US"].utility["contribution"].ideal)  # type: ignore[arg-type]
    assert ideal == pytest.approx(4 * 1.2 * 1126, abs=1e-9)
    sc = scenario('{cost_rule: "+13%"}', reservation="1100")  # on the 2019 payment, 1,038.9
    ideal = central(sc.parties["US"].utility["contribution"].ideal)  # type: ignore[arg-type]
    assert ideal == pytest.approx(1038.9 * 1.13, abs=1e-9)


@pytest.mark.parametrize(
    ("ideal", "fragment"),
    [
        ("{cost_rule: cost plus plenty}", "rule"),
        ('{cost_rule: "cost+50%", cost: "lots"}', "cost"),
        ('{cost_rule: "cost+50%", tax: 3}', "unknown key 'tax'"),
    ],
)
def test_bad_cost_rules_are_scenario_errors(ideal: str, fragment: str) -> None:
    with pytest.raises(ScenarioError) as err:
        scenario(ideal)
    assert err.value.field == "parties.US.utility.contribution.ideal"
    assert fragment in str(err.value)
