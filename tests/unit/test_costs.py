"""The stationing-cost model: known values with their arithmetic, and properties.

Known values (GAO-21-270 via ``shared/data/README.md``, sma/ section): in 2016–2019 DoD obligated
$13.4B for US forces in Korea and Korea gave $5.8B in direct support; about 28,500 US troops.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from burdenshare.costs import (
    CATEGORY_INFO,
    CostCategory,
    Quantity,
    StationingCost,
    annual_average,
    assumptions,
    change,
    figure,
    figures,
    host_share,
    host_share_of_combined,
    implied_demand,
    implied_markup,
    multiple,
    parse_quantity,
    parse_rule,
    per_service_member,
    share_of_budget,
    share_of_gdp,
)
from burdenshare.costs.demand_rules import DemandRule, RuleKind
from burdenshare.errors import ScenarioError
from burdenshare.services.history import cost_indicators, demand_rule

GAO_COST = Quantity(13.4, "USD bn", source="GAO-21-270")
GAO_SUPPORT = Quantity(5.8, "USD bn", source="GAO-21-270")

# -- the shipped data --------------------------------------------------------------------------


def test_sourced_figures() -> None:
    assert figure("gao_us_obligations").value == 13.4
    assert figure("gao_rok_direct_support").value == 5.8
    assert figure("us_troops_korea").value == 28_500
    assert figure("rok_sma_2019").value == 1038.9
    for q in figures().values():
        assert q.source
        assert "user input" not in q.source
        assert math.isfinite(q.value)


def test_assumptions_are_reasoned() -> None:
    table = assumptions()
    assert {"even_years", "support_within_cost", "cost_base_is_dod_obligations"} <= set(table)
    for a in table.values():
        assert a.statement
        assert a.reasoning
        assert a.used_by


def test_categories() -> None:
    sma = {c for c in CostCategory if c.in_sma}
    new = {c for c in CostCategory if c.sought_2019}
    assert sma == {CostCategory.LABOR, CostCategory.CONSTRUCTION, CostCategory.LOGISTICS}
    assert {
        CostCategory.ROTATIONAL_DEPLOYMENTS,
        CostCategory.STRATEGIC_ASSETS,
        CostCategory.EXERCISES,
    } <= new
    assert not sma & new
    assert all(CATEGORY_INFO[c]["source"] for c in CostCategory)


# -- known values ------------------------------------------------------------------------------


def test_gao_host_share() -> None:
    """$5.8B of $13.4B = 43.3%."""
    c = host_share(GAO_SUPPORT, GAO_COST)
    assert c.value == pytest.approx(5.8 / 13.4)
    assert c.display == "43.3%"
    assert c.formula == "host_support / stationing_cost"
    assert c.arithmetic == "5.8 / 13.4 = 0.432836"
    assert [q.name for q in c.inputs] == ["host_support", "stationing_cost"]
    assert c.inputs[0].source == "GAO-21-270"


def test_gao_host_share_of_combined() -> None:
    """If the $5.8B came on top of the $13.4B: 5.8 / 19.2 = 30.2%."""
    c = host_share_of_combined(GAO_SUPPORT, GAO_COST)
    assert c.value == pytest.approx(5.8 / 19.2)
    assert c.arithmetic == "5.8 / (5.8 + 13.4) = 0.302083"


def test_per_service_member() -> None:
    """$5.8B over 4 years for 28,500 troops: 5.8e9 / 4 / 28,500 = $50,877 a year."""
    c = per_service_member(GAO_SUPPORT, 28_500, years=4)
    assert c.value == pytest.approx(5.8e9 / 4 / 28_500)
    assert c.unit == "USD per service member a year"
    assert c.arithmetic == "5.8 × 1e9 / 4 / 28,500 = 50,877.2"
    us = per_service_member(GAO_COST, 28_500, years=4)
    assert us.value == pytest.approx(13.4e9 / 4 / 28_500)  # $117,544
    won = per_service_member(Quantity(1038.9, "KRW bn"), 28_500)
    assert won.value == pytest.approx(1038.9e9 / 28_500)  # 36.45m won


def test_cost_plus_50() -> None:
    """Cost plus 50% of a stated cost of $3.35bn a year is $5.025bn."""
    d = implied_demand("cost+50%", cost=Quantity(3.35, "USD bn"))
    assert d.value == pytest.approx(5.025)
    assert d.unit == "USD bn"
    assert d.formula == "cost × (1 + 50%)"
    assert d.arithmetic == "3.35 × (1 + 50 / 100) = 5.025"


def test_other_known_values() -> None:
    assert annual_average(GAO_COST, 4).value == pytest.approx(3.35)
    assert change(960.2, 1038.9).value == pytest.approx(8.196, abs=1e-3)  # 10th SMA: +8.2%
    assert change(1038.9, 1183.3).value == pytest.approx(13.9, abs=0.01)  # 2021: +13.9%
    assert multiple(Quantity(5, "USD bn"), Quantity(870, "USD m")).value == pytest.approx(
        5.747, 1e-3
    )
    assert implied_markup(Quantity(5, "USD bn"), Quantity(3.35, "USD bn")).value == pytest.approx(
        100 * (5 / 3.35 - 1)
    )
    assert share_of_budget(Quantity(1, "KRW tn"), Quantity(50, "KRW tn")).value == 0.02
    assert share_of_gdp(Quantity(500, "KRW bn"), Quantity(1, "KRW tn")).value == 0.5


@pytest.mark.parametrize(
    ("text", "kind", "parameter"),
    [
        ("cost+50%", RuleKind.COST_PLUS, 50.0),
        ("cost + 50 %", RuleKind.COST_PLUS, 50.0),
        ("Cost plus 50", RuleKind.COST_PLUS, 50.0),
        ("cost", RuleKind.COST_PLUS, 0.0),
        ("50% of cost", RuleKind.SHARE_OF_COST, 50.0),
        ("1.5x", RuleKind.MULTIPLE, 1.5),
        ("x1.5", RuleKind.MULTIPLE, 1.5),
        ("+13%", RuleKind.INCREASE, 13.0),
        ("-5%", RuleKind.INCREASE, -5.0),
    ],
)
def test_parse_rule(text: str, kind: RuleKind, parameter: float) -> None:
    rule = parse_rule(text)
    assert (rule.kind, rule.parameter) == (kind, parameter)


def test_rules_on_the_current_contribution() -> None:
    assert implied_demand("1.5x", current=1038.9).value == pytest.approx(1558.35)
    assert implied_demand("+13%", current=1038.9).value == pytest.approx(1173.957)  # ~1.17 tn
    assert implied_demand("50% of cost", cost=10).value == 5.0


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: host_share(14, 13.4),  # support larger than the cost it is part of
        lambda: host_share(-1, 13.4),
        lambda: host_share(1, 0),
        lambda: host_share(math.nan, 1),
        lambda: host_share(Quantity(1, "KRW bn"), Quantity(1, "USD bn")),  # no exchange rate
        lambda: per_service_member(1, 0),
        lambda: per_service_member(1, 10, years=0),
        lambda: share_of_budget(60, 50),
        lambda: share_of_gdp(3, 2),
        lambda: host_share_of_combined(0, 0),
        lambda: parse_rule("give us more"),
        lambda: parse_rule("-150%"),
        lambda: implied_demand("cost+50%"),  # no cost given
        lambda: implied_demand("1.5x", cost=3),  # needs the current contribution
        lambda: parse_quantity("five billion"),
        lambda: StationingCost("US", "ROK", "2019", Quantity(-1, "USD bn")),
        lambda: StationingCost(
            "US", "ROK", "2019", GAO_COST, {CostCategory.LABOR: 1.0, CostCategory.EXERCISES: 2.0}
        ),
    ],
)
def test_impossible_inputs_are_errors(call: object) -> None:
    with pytest.raises(ScenarioError):
        call()  # type: ignore[operator]


def test_error_messages_say_what_to_do() -> None:
    with pytest.raises(ScenarioError, match="host_share_of_combined"):
        host_share(14, 13.4)
    with pytest.raises(ScenarioError, match="exchange rate"):
        host_share(Quantity(1, "KRW bn"), Quantity(1, "USD bn"))


# -- properties --------------------------------------------------------------------------------

pos = st.floats(min_value=1e-6, max_value=1e12, allow_nan=False, allow_infinity=False)
frac = st.floats(min_value=0.0, max_value=1.0)
scale = st.floats(min_value=1e-3, max_value=1e3)


@given(whole=pos, f=frac)
def test_shares_are_in_the_unit_interval(whole: float, f: float) -> None:
    part = min(whole * f, whole)
    for fn in (host_share, share_of_budget, share_of_gdp, host_share_of_combined):
        assert 0.0 <= fn(part, whole).value <= 1.0


@given(a=pos, b=pos)
def test_combined_share_is_below_the_plain_share(a: float, b: float) -> None:
    if a <= b:
        assert host_share_of_combined(a, b).value <= host_share(a, b).value + 1e-12


@given(whole=pos, f=frac, k=scale)
def test_shares_are_scale_invariant(whole: float, f: float, k: float) -> None:
    part = min(whole * f, whole)
    assert host_share(part * k, whole * k).value == pytest.approx(
        host_share(part, whole).value, rel=1e-9, abs=1e-12
    )
    assert host_share_of_combined(part * k, whole * k).value == pytest.approx(
        host_share_of_combined(part, whole).value, rel=1e-9, abs=1e-12
    )


@given(amount=pos, troops=st.integers(1, 10**6), k=scale)
def test_per_service_member_scales_with_both(amount: float, troops: int, k: float) -> None:
    base = per_service_member(amount, troops).value
    assert per_service_member(amount * k, troops * k).value == pytest.approx(base, rel=1e-9)
    assert per_service_member(amount * k, troops).value == pytest.approx(base * k, rel=1e-9)


@given(v=pos)
def test_units_of_one_currency_are_reconciled(v: float) -> None:
    """The same amounts written in USD m and USD bn give the same share."""
    assert host_share(Quantity(v, "USD m"), Quantity(v, "USD m")).value == pytest.approx(1.0)
    assert host_share(Quantity(v * 1000, "USD m"), Quantity(2 * v, "USD bn")).value == (
        pytest.approx(0.5)
    )


@given(cost=pos, markup=st.floats(min_value=-100, max_value=1000))
def test_markup_inverts_cost_plus(cost: float, markup: float) -> None:
    demand = DemandRule(RuleKind.COST_PLUS, markup, "generated").apply(cost=cost).value
    assert implied_markup(demand, cost).value == pytest.approx(markup, abs=1e-6)


# -- the service -------------------------------------------------------------------------------


def test_cost_indicators_defaults() -> None:
    out = cost_indicators()
    by = {i["id"]: i for i in out["indicators"]}
    assert by["host_share"]["value"] == pytest.approx(5.8 / 13.4)
    assert by["host_share"]["assumptions"] == ["support_within_cost"]
    assert by["stationing_cost_per_year"]["value"] == pytest.approx(3.35)
    assert by["host_support_per_service_member"]["value"] == pytest.approx(5.8e9 / 4 / 28_500)
    assert {"share_of_budget", "share_of_gdp"}.isdisjoint(by)
    ids = {a["id"] for a in out["assumptions"]}
    assert {"even_years", "constant_troops", "support_within_cost", "no_exchange_rate"} <= ids
    json.dumps(out)
    assert "5.8 / 13.4 = 0.432836" in out["text"]


def test_cost_indicators_with_inputs() -> None:
    out = cost_indicators(
        host_support="1 bn USD", stationing_cost="4 bn USD", troops=20_000,
        defence_budget="50 tn KRW", gdp="2000 tn KRW",
    )  # fmt: skip
    by = {i["id"]: i for i in out["indicators"]}
    assert by["host_share"]["value"] == 0.25
    assert by["host_share"]["assumptions"] == []
    assert by["share_of_budget"]["value"] == pytest.approx(1.0389 / 50)
    assert by["share_of_gdp"]["value"] == pytest.approx(1.0389 / 2000)
    assert out["missing"] == []


def test_demand_rule_service() -> None:
    out = demand_rule("cost+50%")
    assert out["demand"]["value"] == pytest.approx(5.025)
    assert out["demand"]["assumptions"] == ["even_years", "cost_base_is_dod_obligations"]
    markups = {a["ask"]["name"]: a["implied_markup"]["value"] for a in out["asks"]}
    assert markups["us_ask_2019"] == pytest.approx(100 * (5 / 3.35 - 1))
    assert demand_rule("cost+50%", cost="2 bn USD")["demand"]["value"] == pytest.approx(3.0)
    assert demand_rule("1.5x")["demand"]["unit"] == "KRW bn"
    json.dumps(out)
