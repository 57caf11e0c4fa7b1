"""The general case builder: any alliance, every number tagged, a zone despite theatrical asks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import re
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from burdenshare.analysis import bargaining_problem, scenario_zopa
from burdenshare.engine import run_batch
from burdenshare.ensemble import draw, uncertain_parameters
from burdenshare.errors import ScenarioError
from burdenshare.history.builder import ISSUE, build_case
from burdenshare.history.facts import Election, Facts, Meeting, Position, Ratifier, StatusQuo
from burdenshare.history.priors_fit import deadline_belief_days, fit_priors, load_priors

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "record_rounds.py"


def _fixture() -> ModuleType:
    spec = importlib.util.spec_from_file_location("record_rounds_fixture_b", FIXTURE)
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


FIX = _fixture()
AS_OF = dt.date(2019, 11, 19)


def _flagship_facts() -> Facts:
    """The 11th SMA round cut to what was public on 2019-11-19 (the flagship's date)."""
    f = FIX.rok_rounds()[-1].facts
    return dataclasses.replace(
        f,
        as_of=AS_OF,
        positions=tuple(p for p in f.positions if p.date <= AS_OF),
        meetings=tuple(m for m in f.meetings if m.date <= AS_OF),
        elections=tuple(dataclasses.replace(e, change_of_government=None) for e in f.elections),
    )


def _p_agreement(facts: Facts, pair: str = "linear", n: int = 400) -> float:
    sc = build_case(facts).scenario
    res = run_batch(sc, (pair, pair), draw(uncertain_parameters(sc), n, seed=1), seed=1, n=n)
    return float(np.mean(res.agreed))


def test_the_us_japan_round_with_an_8bn_ask_has_a_zone_and_deals() -> None:
    """Issue 13's test case: a public US ask of $8 billion a year against Japan's 197.4 bn yen
    (Japan Times 2019-12-04). The old rule (walk-away anchored a quarter of the way to the ask)
    found no zone and P(agreement) = 0; the fitted priors must give both."""
    facts = FIX.japan_facts()
    case = build_case(facts)
    assert case.numbers["ask"] == pytest.approx(877.6)
    assert case.numbers["zone_at_central_values"] is True
    zopa = scenario_zopa(bargaining_problem(case.scenario))
    assert zopa.exists
    # the old rule's US walk-away: S + 0.25 (A - S), far above any payer threshold here
    old_mode = 197.4 + 0.25 * (877.6 - 197.4)
    assert case.numbers["demander_walkaway"][2] < old_mode / 1.5
    for pair in ("boulware", "linear", "conceder"):
        assert _p_agreement(facts, pair) > 0.2, pair


def test_no_alliance_currency_or_party_is_hard_coded() -> None:
    """Renaming every name in the facts renames it everywhere in the scenario."""
    f = FIX.japan_facts()
    renamed = dataclasses.replace(
        f,
        alliance="North-South",
        demander="Norland",
        payer="Sudland",
        currency="CHF",
        scale="million",
        fx={"EUR": 1.1},
        status_quo=dataclasses.replace(f.status_quo, source="demo"),
        positions=tuple(
            dataclasses.replace(p, party="Norland", source="demo", stated="x") for p in f.positions
        ),
        elections=tuple(
            dataclasses.replace(e, party="Norland", source="demo") for e in f.elections
        ),
        sources=("demo",),
        ratifier=Ratifier("Sudland", "Federal Council", "consensus", "demo"),
    )
    case = build_case(renamed)
    sc = case.scenario
    assert set(sc.parties) == {"Norland", "Sudland"}
    assert sc.money.unit == "CHF"
    assert sc.money.scale == "million"
    assert sc.parties["Sudland"].ratification is not None
    assert sc.parties["Sudland"].ratification.body == "Federal Council"
    for word in ("US", "ROK", "Japan", "KRW", "JPY", "National Assembly", "Diet", "SMA "):
        body = "\n".join(line.split("#")[0] for line in case.text.splitlines())
        assert not re.search(rf"\b{re.escape(word)}\b", body.replace("SMA from", "")), word


def test_every_number_is_tagged_and_provenance_names_the_priors() -> None:
    case = build_case(_flagship_facts())
    p = load_priors()
    skip = (
        "id:",
        "title:",
        "description:",
        "kind:",
        "prefers:",
        "issue:",
        "unit:",
        "- id:",
        "provenance:",
        "- {field:",
    )
    for line in case.text.splitlines():
        code = line.split("#")[0]
        if line.startswith("#") or not re.search(r"\d", code) or code.strip().startswith(skip):
            continue
        assert re.search(r"# (source|assumption|position)", line), line
    prov = {e.field: e for e in case.scenario.provenance}
    res = prov["parties.US.utility.contribution.reservation"]
    assert res.kind == "assumption"
    assert p.version in res.note
    assert prov["parties.US.utility.contribution.ideal"].kind == "source"
    assert "$5bn Korea" in prov["parties.US.utility.contribution.ideal"].note
    assert prov["parties.*.deadline_belief"].kind == "assumption"


def test_deadline_beliefs_elections_and_ratifier_come_from_the_facts_and_priors() -> None:
    facts = _flagship_facts()
    case = build_case(facts)
    sc = case.scenario
    lo, mid, hi = deadline_belief_days(load_priors(), (facts.expiry - AS_OF).days)
    for party in ("US", "ROK"):
        belief = sc.parties[party].deadline_belief
        assert belief is not None
        assert not isinstance(belief, dt.date)
        assert belief.kind == "triangular"
        assert tuple(belief.params) == (lo, mid, hi)
    elections = [e for e in sc.protocol.events if e.kind == "election"]
    assert [(e.date, e.party) for e in elections] == [
        (dt.date(2020, 4, 15), "ROK"),
        (dt.date(2020, 11, 3), "US"),
    ]
    assert sc.parties["ROK"].ratification is not None
    assert sc.parties["US"].ratification is None
    assert sc.protocol.deadline == dt.date(2019, 12, 31)
    assert sc.protocol.round_every_days == 28  # rounds 1-3: 24 Sep, 23 Oct, 18 Nov


def test_a_lapsed_agreement_moves_the_deadline_to_the_belief() -> None:
    f = _flagship_facts()
    later = dataclasses.replace(f, as_of=dt.date(2020, 6, 3), elections=())
    case = build_case(later)
    assert case.numbers["lapsed"] is True
    assert case.scenario.protocol.deadline > later.as_of
    assert case.scenario.protocol.horizon >= case.scenario.protocol.deadline


def test_no_ask_uses_the_records_typical_first_ask() -> None:
    f = dataclasses.replace(_flagship_facts(), positions=())
    p = load_priors()
    case = build_case(f)
    assert p.first_ask_log_ratio is not None
    assert case.numbers["demander_ideal"] == pytest.approx(
        1038.9 * np.exp(p.first_ask_log_ratio), rel=1e-6
    )
    assert case.numbers["zone_at_central_values"]


def test_an_offer_becomes_the_payers_actor_position_and_floor() -> None:
    f = _flagship_facts()
    offer = Position(AS_OF, "ROK", "offer", 1100.0, "+6%", "demo")
    case = build_case(dataclasses.replace(f, positions=(*f.positions, offer)))
    assert case.numbers["offer"] == 1100.0
    assert case.numbers["payer_walkaway"][0] >= 1100.0
    pos = {a.party: a.position for a in case.scenario.actors}
    assert pos["ROK"] == 1100.0


def test_other_priors_change_the_case() -> None:
    rounds = FIX.rok_rounds()
    p3 = fit_priors(rounds[:3])  # the 7th-9th SMA: another mean settlement
    a = build_case(_flagship_facts())
    b = build_case(_flagship_facts(), p3)
    assert a.numbers["demander_walkaway"] != b.numbers["demander_walkaway"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status_quo": StatusQuo(0.0, 2019, None, "x")}, "status_quo.amount"),
        ({"payer": "US"}, "payer"),
        ({"payer": "Japan\n  evil: 1"}, "payer"),
        ({"demander": "United States"}, "demander"),
        ({"currency": "JPYEN"}, "currency"),
        ({"fx": {"US$": 1.0}}, "fx.US$"),
        ({"ratifier": Ratifier("ROK", "X", "veto")}, "ratifier.rule"),  # type: ignore[arg-type]
    ],
)
def test_impossible_facts_are_user_errors(change: dict[str, object], field: str) -> None:
    with pytest.raises(ScenarioError) as err:
        build_case(dataclasses.replace(_flagship_facts(), **change))  # type: ignore[arg-type]
    assert err.value.field == field


def test_meetings_and_elections_outside_the_window_are_left_out() -> None:
    f = _flagship_facts()
    old = Election(dt.date(2010, 1, 1), "ROK", "past")
    meetings = (Meeting(dt.date(2019, 11, 1)), Meeting(dt.date(2019, 11, 15)))
    case = build_case(dataclasses.replace(f, elections=(old,), meetings=meetings))
    assert [e.kind for e in case.scenario.protocol.events] == ["deadline"]
    assert case.scenario.protocol.round_every_days == 14


def test_control_characters_in_sources_cannot_break_the_file() -> None:
    f = _flagship_facts()
    nasty = "line one\nparties: {}\r\u2028\u202e# x"
    case = build_case(
        dataclasses.replace(
            f,
            status_quo=dataclasses.replace(f.status_quo, source=nasty),
            caveats=(nasty,),
            ratifier=Ratifier("ROK", "National\nAssembly", "majority", nasty),
        )
    )
    assert case.scenario.parties["ROK"].ratification is not None
    assert case.scenario.parties["ROK"].ratification.body == "National Assembly"
    assert "\u202e" not in case.text


@pytest.mark.parametrize("name", ["True", "1.5", "null", "2019-01-01", "1e3", "Off", "U.S."])
def test_party_names_that_read_as_yaml_values_or_hold_dots_build_a_valid_case(name: str) -> None:
    """A party called ``True``, ``1.5`` or ``U.S.`` is a legal scenario name: the written file
    must read back with that name (it was written unquoted, read as a bool or a number, and the
    provenance of a dotted name was refused)."""
    f = _flagship_facts()
    renamed = dataclasses.replace(
        f,
        demander=name,
        positions=tuple(
            dataclasses.replace(p, party=name if p.party == f.demander else p.party)
            for p in f.positions
        ),
        elections=tuple(
            dataclasses.replace(e, party=name if e.party == f.demander else e.party)
            for e in f.elections
        ),
    )
    sc = build_case(renamed).scenario
    assert set(sc.parties) == {name, f.payer}
    assert sc.protocol.first_mover == name
    assert {a.party for a in sc.actors} == {name, f.payer}


@pytest.mark.parametrize("status_quo", [0.0001, 98_765_432.1, 1_038_912_345_678.0])
def test_the_built_file_keeps_every_amount_of_the_facts(status_quo: float) -> None:
    """Money was written with 6 significant digits or 4 decimals: a status quo of 98,765,432.1
    became 98,765,400 in the case and one of 0.0001 collapsed the walk-away distributions (an
    invalid built case). The payer's ideal is the status quo to the last digit."""
    f = _flagship_facts()
    ratio = status_quo / f.status_quo.amount
    scaled = dataclasses.replace(
        f,
        status_quo=dataclasses.replace(f.status_quo, amount=status_quo, previous_amount=None),
        positions=tuple(dataclasses.replace(p, amount=p.amount * ratio) for p in f.positions),
    )
    case = build_case(scaled)
    assert case.scenario.parties[f.payer].utility[ISSUE].ideal == status_quo
    assert case.numbers["payer_ideal"] == status_quo
    assert case.numbers["zone_at_central_values"] is True


def test_hostile_priors_within_their_bounds_still_build_a_valid_case() -> None:
    """A meeting gap of 3,650 days and a breakdown risk of 0.999999 gave a cadence of 3,650 days,
    a discount that rounded to 0 and a breakdown risk that rounded to 1: an invalid case."""
    pri = dataclasses.replace(load_priors(), meeting_gap_days=3650.0)
    pri = dataclasses.replace(pri, breakdown_risk_per_round=0.999999, annual_discount=1e-6)
    facts = dataclasses.replace(_flagship_facts(), meetings=())  # the cadence is the prior's
    sc = build_case(facts, pri).scenario
    assert 7 <= sc.protocol.round_every_days <= 120
    assert 0.0 <= sc.protocol.breakdown_risk_per_round < 1.0


def test_an_expiry_a_century_away_is_a_user_error_on_the_facts() -> None:
    with pytest.raises(ScenarioError) as err:
        build_case(dataclasses.replace(_flagship_facts(), expiry=dt.date(2199, 12, 31)))
    assert err.value.field == "expiry"
