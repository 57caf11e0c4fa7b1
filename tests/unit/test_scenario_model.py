"""Scenario model checks: issues, utilities, events, actors, provenance, protocol dates."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
import yaml

from burdenshare.errors import ScenarioError
from burdenshare.scenario.io import EXAMPLE, load_scenario, parse_scenario_text
from burdenshare.scenario.model import Issue, Protocol
from burdenshare.scenario.scenario import Scenario

FLAGSHIP = "src/burdenshare/scenario/library/us-rok-sma-2019.yaml"


def base() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(EXAMPLE))


def check(data: dict[str, Any]) -> Scenario:
    return parse_scenario_text(yaml.safe_dump(data), source="t.yaml").scenario


def rejects(data: dict[str, Any], field: str, fragment: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        check(data)
    err = info.value
    assert err.field == field, str(err)
    assert fragment in str(err)
    assert err.line is not None
    return err


def test_flagship_loads_with_money_strings_converted() -> None:
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / FLAGSHIP
    s = load_scenario(path).scenario
    assert s.id == "us-rok-sma-2019"
    assert s.party_names == ("US", "ROK")
    assert s.parties["US"].utility["contribution"].ideal == pytest.approx(5630.0)  # $5bn x 1126
    assert s.actors[0].position == pytest.approx(5630.0)
    assert s.parties["US"].ratification is None
    assert s.parties["ROK"].ratification is not None
    assert s.format_value("contribution", 1038.9) == "₩1,038.9bn ($922.6M)"
    assert s.protocol.round_dates()[0] == dt.date(2019, 11, 19)
    assert len(s.provenance) == 10


def test_example_values() -> None:
    s = check(base())
    assert s.other("US") == "ROK"
    assert s.issue("duration").kind == "integer"
    assert s.format_value("duration", 3.0) == "3 years"
    with pytest.raises(KeyError):
        s.issue("bases")


# -- issues ---------------------------------------------------------------------------------


def test_integer_issue_needs_whole_bounds_and_whole_ideal() -> None:
    d = base()
    d["issues"][1]["range"] = [1, 5.5]
    rejects(d, "issues.1.range", "whole-number bounds")
    d = base()
    d["parties"]["US"]["utility"]["duration"]["ideal"] = 1.5
    rejects(d, "parties.US.utility.duration.ideal", "takes whole numbers")
    issue = Issue(id="years", kind="integer", range=(1, 6))
    assert issue.contains(3)
    assert not issue.contains(2.5)
    assert not issue.contains(7)


def categorical() -> dict[str, Any]:
    d = base()
    d["issues"].append(
        {"id": "cost-basis", "kind": "categorical", "values": ["SMA", "cost-plus-50"]}
    )
    d["parties"]["US"]["utility"]["contribution"]["weight"] = 0.7
    d["parties"]["US"]["utility"]["cost-basis"] = {
        "scores": {"SMA": 0.0, "cost-plus-50": 1.0},
        "ideal": "cost-plus-50",
        "weight": 0.1,
    }
    d["parties"]["ROK"]["utility"]["contribution"]["weight"] = 0.8
    d["parties"]["ROK"]["utility"]["cost-basis"] = {
        "scores": {"SMA": 1.0, "cost-plus-50": 0.0},
        "reservation": "cost-plus-50",
        "weight": 0.1,
    }
    return d


def test_categorical_issue_accepted_with_digit_names() -> None:
    s = check(categorical())
    assert s.issue("cost-basis").values == ("SMA", "cost-plus-50")
    assert s.parties["ROK"].utility["cost-basis"].reservation == "cost-plus-50"


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        (lambda d: d["issues"][2].update(values=["SMA"]), "issues.2.values", "at least two"),
        (lambda d: d["issues"][2].update(range=[0, 1]), "issues.2.range", "not a 'range'"),
        (
            lambda d: d["parties"]["US"]["utility"]["cost-basis"].pop("scores"),
            "parties.US.utility.cost-basis.scores",
            "needs scores",
        ),
        (
            lambda d: d["parties"]["US"]["utility"]["cost-basis"].update(ideal="SMA"),
            "parties.US.utility.cost-basis.ideal",
            "highest score",
        ),
        (
            lambda d: d["parties"]["US"]["utility"]["cost-basis"].update(reservation="other"),
            "parties.US.utility.cost-basis.reservation",
            "not a category",
        ),
        (
            lambda d: d["parties"]["US"]["utility"]["cost-basis"].update(prefers="higher"),
            "parties.US.utility.cost-basis.prefers",
            "does not apply to a categorical issue",
        ),
        (
            lambda d: d["parties"]["ROK"]["ratification"].update(issue="cost-basis"),
            "parties.ROK.ratification.issue",
            "numeric issue",
        ),
    ],
)
def test_categorical_checks(change: Any, field: str, fragment: str) -> None:
    d = categorical()
    change(d)
    rejects(d, field, fragment)


# -- utilities ------------------------------------------------------------------------------


def test_piecewise_points_accepted_and_money_strings_in_points() -> None:
    d = base()
    u = d["parties"]["US"]["utility"]["contribution"]
    u.update(shape="piecewise", points=[["2 bn USD", 0.3], [4000, 0.8]])
    s = check(d)
    assert s.parties["US"].utility["contribution"].points == ((2252.0, 0.3), (4000.0, 0.8))


@pytest.mark.parametrize(
    ("points", "field", "fragment"),
    [
        ([[4000, 0.3], [2000, 0.8]], "parties.US.utility.contribution.points", "rise strictly"),
        ([[900, 0.5]], "parties.US.utility.contribution.points.0", "strictly between"),
        ([[2000, 1.0]], "parties.US.utility.contribution.points.0", "strictly inside (0, 1)"),
        ([[2000, 0.4], [2000, 0.6]], "parties.US.utility.contribution.points", "distinct values"),
    ],
)
def test_bad_piecewise_points(points: list[list[float]], field: str, fragment: str) -> None:
    d = base()
    d["parties"]["US"]["utility"]["contribution"].update(shape="piecewise", points=points)
    rejects(d, field, fragment)


def test_points_need_piecewise_shape_and_vice_versa() -> None:
    d = base()
    d["parties"]["US"]["utility"]["contribution"]["points"] = [[2000, 0.5]]
    rejects(d, "parties.US.utility.contribution.shape", "need 'shape: piecewise'")
    d = base()
    d["parties"]["US"]["utility"]["contribution"]["shape"] = "piecewise"
    rejects(d, "parties.US.utility.contribution.points", "needs points")


def test_reservation_side_follows_prefers_or_the_written_reservation() -> None:
    d = base()
    d["parties"]["ROK"]["utility"]["contribution"]["reservation"] = 1000
    rejects(d, "parties.ROK.utility.contribution.reservation", "wrong side of the ideal")
    d = base()
    del d["parties"]["US"]["utility"]["contribution"]["prefers"]
    d["parties"]["US"]["utility"]["contribution"]["reservation"] = 6000  # now means "lower"
    assert check(d).parties["US"].utility["contribution"].reservation == 6000.0


def test_weights_must_sum_to_one_with_distributions_at_their_mean() -> None:
    d = base()
    d["parties"]["US"]["utility"]["contribution"]["weight"] = {"uniform": [0.7, 0.9]}
    assert check(d)  # mean 0.8 + 0.2 = 1
    d["parties"]["US"]["utility"]["duration"]["weight"] = 0.3
    err = rejects(d, "parties.US.utility", "weights must sum to 1")
    assert "1.1" in str(err)


def test_discount_and_outside_option_bounds() -> None:
    d = base()
    d["parties"]["US"]["discount_per_round"] = 0
    rejects(d, "parties.US.discount_per_round", "(0, 1]")
    d = base()
    d["parties"]["US"]["outside_option"] = {"uniform": [0.5, 1.0]}
    rejects(d, "parties.US.outside_option", "[-1, 1)")
    d = base()
    d["parties"]["US"]["outside_option"] = -1.5
    rejects(d, "parties.US.outside_option", "[-1, 1)")
    d = base()
    d["parties"]["US"]["outside_option"] = -0.3  # a cost such as a furlough: no deal is worse
    assert check(d).parties["US"].outside_option == -0.3


# -- protocol, events, actors, provenance ---------------------------------------------------


def test_round_dates_horizon_and_max_rounds() -> None:
    p = Protocol(first_mover="US", start="2019-11-19", deadline="2019-12-31")  # type: ignore[arg-type]
    assert p.round_dates() == [dt.date(2019, 11, 19), dt.date(2019, 12, 19)]
    p = Protocol(
        first_mover="US",
        start="2019-11-19",
        deadline="2019-12-31",  # type: ignore[arg-type]
        horizon="2020-12-31",
        round_every_days=28,
        max_rounds=5,  # type: ignore[arg-type]
    )
    assert p.end == dt.date(2020, 12, 31)
    assert len(p.round_dates()) == 5
    assert p.round_dates()[-1] == dt.date(2019, 11, 19) + dt.timedelta(days=4 * 28)


def test_round_dates_near_the_end_of_the_calendar_do_not_overflow() -> None:
    p = Protocol(
        first_mover="US",
        start="9999-01-01",
        deadline="9999-12-31",  # type: ignore[arg-type]
        round_every_days=3650,
    )
    assert p.round_dates() == [dt.date(9999, 1, 1)]


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        (lambda p: p.update(deadline="2019-11-01"), "protocol.deadline", "dates out of order"),
        (lambda p: p.update(horizon="2019-12-01"), "protocol.horizon", "dates out of order"),
        (
            lambda p: p.update(start="2000-01-01", deadline="2100-01-01", round_every_days=1),
            "protocol.deadline",
            "more than 10,000 rounds",
        ),
        (lambda p: p.update(max_rounds=0), "protocol.max_rounds", "too small"),
        (lambda p: p.update(first_mover="JPN"), "protocol.first_mover", "one of the parties"),
        (
            lambda p: p.update(breakdown_risk_per_round=1.0),
            "protocol.breakdown_risk_per_round",
            "[0, 1)",
        ),
        (
            lambda p: p.update(
                events=[
                    {"date": "2020-04-01", "kind": "cost"},
                    {"date": "2020-01-01", "kind": "other"},
                ]
            ),
            "protocol.events.1.date",
            "events must be listed by date",
        ),
    ],
)
def test_protocol_checks(change: Any, field: str, fragment: str) -> None:
    d = base()
    change(d["protocol"])
    rejects(d, field, fragment)


def event(**effects: Any) -> dict[str, Any]:
    d = base()
    d["protocol"]["events"] = [
        {"date": "2020-04-01", "kind": "cost", "party": "ROK", "effects": effects}
    ]
    return d


def test_event_effects_accepted_with_money_strings() -> None:
    s = check(
        event(
            reservation={"contribution": "1.1 bn USD"},
            discount_per_round=0.9,
            approval_threshold="1.1 bn USD",
        )
    )
    eff = s.protocol.events[0].effects
    assert eff is not None
    assert eff.reservation == {"contribution": pytest.approx(1238.6)}
    assert eff.approval_threshold == pytest.approx(1238.6)


@pytest.mark.parametrize(
    ("effects", "field", "fragment"),
    [
        ({"reservation": {"bases": 3}}, "reservation.bases", "unknown issue"),
        ({"reservation": {"contribution": 1000}}, "reservation.contribution", "wrong side"),
        ({"reservation": {"contribution": 9000}}, "reservation.contribution", "outside the range"),
        ({"discount_per_round": 1.5}, "discount_per_round", "(0, 1]"),
        ({"outside_option": -1.1}, "outside_option", "[-1, 1)"),
    ],
)
def test_bad_event_effects(effects: dict[str, Any], field: str, fragment: str) -> None:
    rejects(event(**effects), f"protocol.events.0.effects.{field}", fragment)


def test_event_effects_need_a_party_with_ratification_for_thresholds() -> None:
    d = event(approval_threshold=1200)
    d["protocol"]["events"][0]["party"] = "US"
    rejects(d, "protocol.events.0.effects.approval_threshold", "no ratification")
    d = event(discount_per_round=0.9)
    del d["protocol"]["events"][0]["party"]
    rejects(d, "protocol.events.0.party", "must name its party")


@pytest.mark.parametrize(
    ("actor", "field", "fragment"),
    [
        ({"id": "a", "party": "UK", "position": 1000}, "actors.0.party", "unknown party"),
        ({"id": "a", "issue": "bases", "position": 1}, "actors.0.issue", "unknown issue"),
        ({"id": "a", "position": 99999}, "actors.0.position", "outside the range"),
        ({"id": "a", "position": 1000, "salience": 2}, "actors.0.salience", "[0, 1]"),
        ({"id": "a", "position": 1000, "capability": -1}, "actors.0.capability", "[0, inf)"),
        ({"id": "a"}, "actors.0.position", "required key 'position'"),
    ],
)
def test_actor_checks(actor: dict[str, Any], field: str, fragment: str) -> None:
    d = base()
    d["actors"] = [actor]
    rejects(d, field, fragment)


def test_actors_accept_money_strings_and_issue_positions() -> None:
    d = base()
    d["actors"] = [
        {"id": "white-house", "party": "US", "position": "5 bn USD"},
        {"id": "usfk", "issue": "duration", "position": 2},
    ]
    s = check(d)
    assert [a.position for a in s.actors] == [pytest.approx(5630.0), 2.0]


def test_provenance_fields_must_exist() -> None:
    d = base()
    d["provenance"] = [
        {"field": "money.fx.USD", "kind": "source", "note": "2019 average"},
        {"field": "parties.*.discount_per_round", "kind": "assumption", "note": "patience"},
    ]
    assert len(check(d).provenance) == 2
    d["provenance"].append({"field": "parties.US.patience", "kind": "assumption", "note": "x"})
    rejects(d, "provenance.2.field", "does not have")
    d["provenance"][2] = {"field": "money.fx.USD", "kind": "rumour", "note": "x"}
    rejects(d, "provenance.2.kind", "not an allowed value")


@pytest.mark.parametrize("scale", [1e-300, 1e-13, 1.0, 1e12, 1e300])
def test_an_issue_in_tiny_or_huge_units_is_valid_and_scales(scale: float) -> None:
    """A walk-away point "equal to the ideal" is judged relative to the issue's range: it was an
    absolute 1e-12, so an issue 1e-300 wide was refused as having "no room to concede". The
    Nash point of A (reservation 5, ideal 10) against B (ideal 0, reservation 8) on [0, 10] is
    x = 6.5 (maximise (x - 5)(8 - x)), in any unit."""
    from burdenshare.analysis import bargaining_problem, scenario_solutions
    from burdenshare.scenario.io import parse_scenario_text

    def v(x: float) -> str:
        return repr(x * scale)

    text = (
        "id: units\ntitle: one issue in any unit\nas_of: 2020-01-01\n"
        f"issues: [{{id: x, range: [0, {v(10)}]}}]\n"
        "parties:\n"
        f"  A: {{utility: {{x: {{prefers: higher, ideal: {v(10)}, reservation: {v(5)}}}}}}}\n"
        f"  B: {{utility: {{x: {{prefers: lower, ideal: 0, reservation: {v(8)}}}}}}}\n"
        "protocol: {first_mover: A, start: 2020-01-01, round_every_days: 1, "
        "deadline: 2020-01-10}\n"
    )
    sc = parse_scenario_text(text, source="units.yaml").scenario
    got = {s.concept: s.outcome for s in scenario_solutions(bargaining_problem(sc))}
    assert got["nash"]["x"] == pytest.approx(6.5 * scale, rel=1e-9)
