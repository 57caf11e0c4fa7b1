"""The case builder on arbitrary facts: a valid scenario with a zone of agreement, or one
ScenarioError, never anything else."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.analysis import bargaining_problem, scenario_zopa
from burdenshare.history.builder import build_case
from burdenshare.history.facts import Election, Facts, Meeting, Position, Ratifier, StatusQuo

AS_OF = dt.date(2030, 6, 1)


@st.composite
def facts(draw: st.DrawFn) -> Facts:
    s = draw(st.floats(1e-3, 1e7))
    ask = draw(st.none() | st.floats(0.5, 500.0).map(lambda r: s * r))
    offer = draw(st.none() | st.floats(0.5, 2.0).map(lambda r: s * r))
    expiry = AS_OF + dt.timedelta(days=draw(st.integers(-2000, 2000)))
    gaps = draw(st.lists(st.integers(1, 400), max_size=6))
    days = [AS_OF - dt.timedelta(days=sum(gaps[i:])) for i in range(len(gaps) + 1)]
    positions = []
    if ask is not None:
        positions.append(Position(AS_OF, "Home", "ask", ask, "ask", "src"))
    if offer is not None:
        positions.append(Position(AS_OF, "Host", "offer", offer, "offer", "src"))
    election = AS_OF + dt.timedelta(days=draw(st.integers(-3000, 3000)))
    side = draw(st.sampled_from(["Home", "Host", "Other"]))
    return Facts(
        alliance="A-B",
        talks="t",
        as_of=AS_OF,
        demander="Home",
        payer="Host",
        currency=draw(st.sampled_from(["EUR", "JPY", "KRW"])),
        scale=draw(st.sampled_from(["one", "million", "billion"])),
        fx=draw(st.sampled_from([{}, {"USD": 1.5}])),
        status_quo=StatusQuo(s, 2029, None, "src"),
        expiry=expiry,
        meetings=tuple(Meeting(d) for d in days) if gaps else (),
        positions=tuple(positions),
        elections=(Election(election, side, "general"),),
        ratifier=draw(st.none() | st.just(Ratifier(side, "Parliament", "majority", "src"))),
    )


@settings(max_examples=60, deadline=None)
@given(facts())
def test_any_facts_build_a_valid_case_with_a_zone(f: Facts) -> None:
    case = build_case(f)
    assert case.numbers["zone_at_central_values"]
    assert scenario_zopa(bargaining_problem(case.scenario)).exists
    assert case.scenario.protocol.start == f.as_of
