"""The case-builder rule: documented numbers on a hand-made state, validation, fixed priors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from importlib import resources

import pytest

from burdenshare.errors import ScenarioError
from burdenshare.history.casebuilder import (
    DEFAULT_PRIORS,
    PublicState,
    build_case,
    case_numbers,
)
from burdenshare.history.sma_backtest import FIGURES, public_states
from burdenshare.scenario.distributions import Distribution

STATE = PublicState(
    case="demo",
    as_of=dt.date(2019, 11, 19),
    status_quo=1000.0,
    us_ask=2000.0,
    rok_offer=None,
    deadline=dt.date(2019, 12, 31),
    round_cadence_days=28,
    fx_usd=1126.0,
)


def test_the_rule_gives_the_documented_numbers() -> None:
    n = case_numbers(STATE)
    assert n.us_ideal == 2000.0
    assert n.rok_ideal == 1000.0
    assert n.rok_floor == 1050.0  # status quo + 5%
    assert n.us_walkaway == (1100.0, 1250.0, 1500.0)  # S + (0.10, 0.25, 0.50)(A - S)
    assert n.rok_walkaway == (1050.0, 1080.0, 1150.0)  # R0 + S (0, 0.03, 0.10)
    assert n.assembly_threshold == (1050.0, 1110.0, 1250.0)  # R0 + S (0, 0.06, 0.20)
    assert n.cadence_days == 28
    assert n.discount_per_round == {"US": round(0.75 ** (28 / 365), 4)} | {
        "ROK": round(0.75 ** (28 / 365), 4)
    }
    assert (n.deadline, n.lapsed) == (dt.date(2019, 12, 31), False)
    assert n.horizon == dt.date(2019, 12, 31) + dt.timedelta(days=365)
    assert n.issue_range == (800.0, 2400.0)
    assert n.rok_position == 1000.0


def test_the_scenario_carries_the_numbers() -> None:
    _, sc = build_case(STATE)
    us = sc.parties["US"].utility["contribution"]
    rok = sc.parties["ROK"].utility["contribution"]
    assert us.ideal == 2000.0
    assert rok.ideal == 1000.0
    assert isinstance(us.reservation, Distribution)
    assert us.reservation.params == (1100.0, 1250.0, 1500.0)
    assert sc.protocol.first_mover == "US"
    assert sc.protocol.start == STATE.as_of
    assert sc.parties["US"].ratification is None
    assert [a.id for a in sc.actors] == ["us-government", "rok-government"]


def test_an_roks_offer_above_the_floor_sets_the_floor() -> None:
    n = case_numbers(dataclasses.replace(STATE, rok_offer=1130.0))
    assert n.rok_floor == 1130.0
    assert n.rok_walkaway == (1130.0, 1160.0, 1230.0)
    assert n.rok_ideal == 1000.0
    assert n.rok_position == 1130.0


def test_an_offer_below_the_status_quo_is_seouls_ideal() -> None:
    n = case_numbers(dataclasses.replace(STATE, rok_offer=950.0))
    assert n.rok_ideal == 950.0
    assert n.rok_floor == 1050.0


def test_a_lapsed_agreement_moves_the_deadline_to_the_budget_year() -> None:
    n = case_numbers(dataclasses.replace(STATE, as_of=dt.date(2020, 3, 19)))
    assert n.lapsed
    assert n.deadline == dt.date(2020, 12, 31)
    late = case_numbers(dataclasses.replace(STATE, as_of=dt.date(2020, 12, 20)))
    assert late.deadline == dt.date(2021, 12, 31)  # less than one round left in 2020
    assert late.horizon == dt.date(2021, 12, 31) + dt.timedelta(days=365)


@pytest.mark.parametrize(("cadence", "expected"), [(None, 30), (5, 14), (200, 90), (45, 45)])
def test_cadence_default_and_bounds(cadence: int | None, expected: int) -> None:
    assert case_numbers(dataclasses.replace(STATE, round_cadence_days=cadence)).cadence_days == (
        expected
    )


def test_an_ask_at_the_status_quo_is_refused() -> None:
    with pytest.raises(ScenarioError, match="US asks for more"):
        build_case(dataclasses.replace(STATE, us_ask=1040.0))


CASES = public_states()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_every_built_case_validates_and_has_provenance(case) -> None:  # type: ignore[no-untyped-def]
    text, sc = build_case(case.state)
    assert sc.as_of == case.state.as_of
    kinds = {p.field: p.kind for p in sc.provenance}
    for fld in (
        "parties.US.utility.contribution.reservation",
        "parties.ROK.utility.contribution.reservation",
        "parties.ROK.ratification.approval_threshold",
        "parties.*.discount_per_round",
        "protocol.breakdown_risk_per_round",
        "protocol.horizon",
    ):
        assert kinds[fld] == "assumption", fld
    for fld in ("parties.US.utility.contribution.ideal", "protocol.deadline"):
        assert kinds[fld] == "source", fld
    assert all(f"# caveat: {c}" in text for c in case.state.caveats)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_priors_are_the_same_for_every_case(case) -> None:  # type: ignore[no-untyped-def]
    st = case.state
    n = case_numbers(st)
    gap = st.us_ask - st.status_quo
    fractions = tuple((w - st.status_quo) / gap for w in n.us_walkaway)
    assert fractions == pytest.approx(DEFAULT_PRIORS.us_walkaway_gap, abs=0.05 / gap * 2)
    spread = tuple((w - n.rok_floor) / st.status_quo for w in n.rok_walkaway)
    assert spread == pytest.approx(DEFAULT_PRIORS.rok_walkaway_spread, abs=1e-3)
    assert n.rok_floor >= st.status_quo * (1 + DEFAULT_PRIORS.rok_floor_increase) - 0.05
    yearly = n.discount_per_round["US"] ** (365 / n.cadence_days)
    assert math.isclose(yearly, DEFAULT_PRIORS.us_annual_discount, rel_tol=1e-3)
    _, sc = build_case(st)
    assert sc.protocol.breakdown_risk_per_round == DEFAULT_PRIORS.breakdown_risk_per_round


def _data(name: str) -> str:
    root = resources.files("burdenshare.history").joinpath("data/sma")
    return root.joinpath(name).read_text("utf-8")


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f"{f.case}-{f.side}-{f.known_by}")
def test_every_figure_quotes_the_data(figure) -> None:  # type: ignore[no-untyped-def]
    file = figure.source.split()[0]
    assert figure.quote in _data(file), f"{figure.quote!r} not in {file}"
