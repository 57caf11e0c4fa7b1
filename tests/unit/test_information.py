"""Issue 12 items 1 and 4: what a negotiator sees of its opponent, and whose clock it keeps.

Item 1 (information): under ``protocol.information: private`` a negotiator never receives the
session's drawn truth of the other side, only the scenario's belief (central values, or nothing
under ``opponent_prior: uninformed``, as GENIUS imports write); under ``complete`` it receives the
truth. Item 4 (deadlines as beliefs): ``NegotiationState.time`` runs against the party's own
``deadline_belief``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.errors import ScenarioError, SimulationError
from burdenshare.interop.genius import load_genius, to_scenario
from burdenshare.negotiation import (
    NegotiationState,
    Negotiator,
    PartyView,
    Response,
    make_negotiator,
    negotiation_state,
    party_view,
    run_session,
)
from burdenshare.negotiation.prior import opponent_fields, uninformed_estimate
from burdenshare.negotiation.protocol import belief_days, deadline_belief
from burdenshare.negotiation.state import believed_time
from burdenshare.preferences import Outcome, party_parameters
from burdenshare.scenario import Scenario
from burdenshare.scenario.io import parse_scenario_text

GENIUS = Path(__file__).parents[1] / "known_values" / "data" / "genius"
RES_B = "parties.B.utility.x.reservation"


def pie(protocol: str = "", a: str = "", b: str = "") -> Scenario:
    """A unit pie x in [0, 1]: A's ideal 1, B's ideal 0 and B's reservation uncertain."""
    return parse_scenario_text(f"""
id: pie
title: split a unit pie
as_of: 2020-01-01
issues: [{{id: x, range: [0, 1]}}]
parties:
  A: {{utility: {{x: {{ideal: 1, reservation: 0}}}}{a}}}
  B:
    utility: {{x: {{ideal: 0, reservation: {{uniform: [0.6, 1.0]}}}}}}
    discount_per_round: {{uniform: [0.8, 1.0]}}{b}
protocol: {{first_mover: A, start: 2020-01-01, round_every_days: 1, deadline: 2020-01-05{protocol}}}
""").scenario


class Spy(Negotiator):
    """Records every view and state it is given; offers its ideal and rejects."""

    name: ClassVar[str] = "spy"

    def __init__(self) -> None:
        self.views: list[PartyView] = []
        self.states: list[NegotiationState] = []

    def start(self, view: PartyView, rng: np.random.Generator) -> None:
        super().start(view, rng)
        self.views.append(view)

    def propose(self, state: NegotiationState) -> Outcome:
        self.states.append(state)
        return state.params.utility.ideal_outcome()

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        self.states.append(state)
        return Response.REJECT


def _spied(scenario: Scenario, overrides: Mapping[str, float]) -> Spy:
    spy = Spy()
    run_session(scenario, {"A": spy, "B": make_negotiator("hardliner")}, overrides=overrides)
    return spy


# -- item 1: information ---------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(res=st.floats(0.6, 1.0), disc=st.floats(0.8, 1.0))
def test_private_information_never_shows_the_drawn_truth(res: float, disc: float) -> None:
    """Whatever the session's draw of B's reservation and discount, A sees B's central values."""
    scenario = pie()
    central = party_parameters(scenario, "B")
    spy = _spied(scenario, {RES_B: res, "parties.B.discount_per_round": disc})
    seen = [spy.views[0].opponent_estimate, *(s.opponent_estimate for s in spy.states)]
    assert all(est == central for est in seen)
    assert spy.views[0].information == "private"
    assert central.discount == pytest.approx(0.9)


@settings(max_examples=40, deadline=None)
@given(res=st.floats(0.6, 1.0), disc=st.floats(0.8, 1.0))
def test_complete_information_shows_the_drawn_truth(res: float, disc: float) -> None:
    scenario = pie(protocol=", information: complete")
    overrides = {RES_B: res, "parties.B.discount_per_round": disc}
    truth = party_parameters(scenario, "B", overrides=overrides)
    spy = _spied(scenario, overrides)
    seen = [spy.views[0].opponent_estimate, *(s.opponent_estimate for s in spy.states)]
    assert all(est == truth for est in seen)
    assert spy.views[0].opponent_prior is None
    assert spy.states[0].information == "complete"


def test_the_own_parameters_are_always_the_truth() -> None:
    for info in ("", ", information: complete"):
        state = negotiation_state(pie(protocol=info), "B", 0, overrides={RES_B: 0.7})
        assert state.params.utility({"x": 0.7}) == pytest.approx(0.0)


def test_the_prior_samples_the_scenarios_distributions_not_the_truth() -> None:
    scenario = pie()
    view = party_view(scenario, "A", overrides={RES_B: 0.99})
    prior = view.opponent_prior
    assert prior is not None
    assert [path for path, _ in prior.fields] == [RES_B, "parties.B.discount_per_round"]
    assert prior.central == view.opponent_estimate
    draws = [prior.sample(np.random.default_rng(s)) for s in range(200)]
    reservations = np.array([d.utility.parts[0].reservation for d in draws])  # type: ignore[union-attr]
    assert ((reservations >= 0.6) & (reservations <= 1.0)).all()
    assert reservations.mean() == pytest.approx(0.8, abs=0.03)  # the prior's mean, not 0.99
    # one uniform per field, in order, through the inverse CDF: known values for a seed
    u = np.random.default_rng(7).random(2)
    again = prior.sample(np.random.default_rng(7))
    assert again.utility.parts[0].reservation == pytest.approx(0.6 + 0.4 * u[0])  # type: ignore[union-attr]
    assert again.discount == pytest.approx(0.8 + 0.2 * u[1])


def test_a_party_with_no_uncertainty_has_a_prior_that_is_its_central_value() -> None:
    scenario = pie()
    prior = party_view(scenario, "B").opponent_prior
    assert prior is not None
    assert prior.fields == ()
    assert prior.sample(np.random.default_rng(0)) is prior.central
    assert opponent_fields(scenario, "A") == ()


def test_uninformed_negotiators_see_no_opponent() -> None:
    scenario = pie(protocol=", opponent_prior: uninformed")
    spy = _spied(scenario, {RES_B: 0.7})
    assert spy.views[0].opponent_estimate is None
    assert spy.views[0].opponent_prior is None
    assert all(s.opponent_estimate is None for s in spy.states)


def test_a_genius_import_is_private_and_uninformed() -> None:
    text, scenario = to_scenario(load_genius(GENIUS / "Laptop"))
    assert "information: private" in text
    assert "opponent_prior: uninformed" in text
    a, b = scenario.party_names
    view = party_view(scenario, a)
    assert view.information == "private"
    assert view.opponent_estimate is None
    assert view.opponent_prior is None
    assert negotiation_state(scenario, b, 3).opponent_estimate is None


@pytest.mark.parametrize("name", ["nash", "rubinstein"])
def test_opponent_model_negotiators_fall_back_to_the_uninformed_estimate(name: str) -> None:
    """With no opponent estimate, Nash and Rubinstein play against the mirror-image opponent of
    :func:`uninformed_estimate`; on the pie (A's ideal 1) the Nash seeker asks for the middle."""
    scenario = pie(protocol=", opponent_prior: uninformed")
    result = run_session(scenario, {"A": make_negotiator(name), "B": make_negotiator(name)})
    assert result.outcome in {"agreement", "deadline", "breakdown"}
    nash = make_negotiator("nash")
    nash.start(party_view(scenario, "A"), np.random.default_rng(0))
    assert nash.propose(negotiation_state(scenario, "A", 0))["x"] == pytest.approx(0.5, abs=0.01)


def test_the_uninformed_estimate_mirrors_the_partys_own_interests() -> None:
    _, scenario = to_scenario(load_genius(GENIUS / "Laptop"))
    a, b = scenario.party_names
    own = party_parameters(scenario, a)
    guess = uninformed_estimate(own, scenario.issues, b)
    assert guess.name == b
    assert guess.utility.weights == pytest.approx([1 / len(scenario.issues)] * len(scenario.issues))
    best = own.utility.ideal_outcome()
    assert guess.utility(best) == pytest.approx(0.0)  # the party's ideal is its opponent's worst
    assert guess.outside_option == 0.0
    assert guess.ratification_threshold is None


@pytest.mark.parametrize(
    ("protocol", "message"),
    [
        (", information: full", "protocol.information: not an allowed value"),
        (", opponent_prior: central", "protocol.opponent_prior: not an allowed value"),
        (
            ", information: complete, opponent_prior: uninformed",
            "protocol.opponent_prior: opponent_prior applies only under information: private",
        ),
    ],
)
def test_information_settings_are_validated(protocol: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as err:
        pie(protocol=protocol)
    assert err.value.exit_code == 2
    assert ":11:" in str(err.value)  # the protocol's line


# -- item 4: deadlines as beliefs ------------------------------------------------------------


def test_believed_time_known_values() -> None:
    d = dt.date
    start = d(2021, 2, 5)
    # a belief of 2021-12-31 (329 days): the 2021 talks' last round (2021-12-02, day 300)
    assert believed_time(d(2021, 12, 2), start, d(2021, 12, 31)) == 300 / 329
    # a belief of 2021-12-30, 328 days on: halfway, day 164, is 2021-07-19
    assert believed_time(d(2021, 7, 19), start, d(2021, 12, 30)) == 0.5
    assert believed_time(d(2021, 2, 5), start, d(2021, 2, 5)) == 1.0  # no time at all
    assert believed_time(d(2021, 3, 1), start, d(2021, 2, 15)) == 1.0  # past the belief


def test_a_belief_halfway_gives_t_one_half_at_the_mid_date() -> None:
    scenario = pie(a=", deadline_belief: 2020-01-03")  # two days of four
    assert [negotiation_state(scenario, "A", k).time for k in range(5)] == [
        0.0,
        0.5,
        1.0,
        1.0,
        1.0,
    ]
    assert [negotiation_state(scenario, "B", k).time for k in range(5)] == [
        0.0,
        0.25,
        0.5,
        0.75,
        1.0,
    ]
    assert [negotiation_state(scenario, "A", k).round_time for k in range(5)] == [
        0.0,
        0.25,
        0.5,
        0.75,
        1.0,
    ]


def test_a_linear_negotiator_concedes_against_its_own_deadline() -> None:
    """A (linear) believes the talks end on day 2: it asks x = 1 - t, so 0.5 on day 1."""
    scenario = pie(a=", deadline_belief: 2020-01-03")
    linear = make_negotiator("linear")
    linear.start(party_view(scenario, "A"), np.random.default_rng(0))
    assert linear.propose(negotiation_state(scenario, "A", 1))["x"] == pytest.approx(0.5)
    assert linear.propose(negotiation_state(scenario, "A", 2))["x"] == pytest.approx(0.0)


def test_a_drawn_belief_is_rounded_to_whole_days_and_checked() -> None:
    scenario = pie(a=", deadline_belief: {uniform: [1, 9]}")
    assert deadline_belief(scenario, "A") == dt.date(2020, 1, 6)  # the mean, 5 days
    key = "parties.A.deadline_belief"
    assert deadline_belief(scenario, "A", {key: 2.5}) == dt.date(2020, 1, 3)  # halves to even
    assert negotiation_state(scenario, "A", 1, overrides={key: 2.5}).time == 0.5
    assert belief_days(3.5, "A") == 4
    with pytest.raises(SimulationError, match=r"parties\.A\.deadline_belief .* got -1\.0"):
        negotiation_state(scenario, "A", 1, overrides={key: -1.0})
    assert deadline_belief(pie(), "A") == dt.date(2020, 1, 5)  # default: protocol.deadline


@pytest.mark.parametrize(
    ("belief", "message"),
    [
        ("2019-12-31", "a deadline belief before the talks start"),
        ("2400-01-01", "a deadline belief more than 36,525 days after the start"),
        ("3", "not a plain number"),
        ("{normal: [3, 1]}", "for every value the distribution can take"),
        ("{uniform: [-1, 3]}", "for every value the distribution can take"),
        ("soon", "not an ISO date"),
    ],
)
def test_deadline_beliefs_are_validated(belief: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as err:
        pie(a=f", deadline_belief: {belief}")
    assert "parties.A.deadline_belief" in str(err.value)
    assert ":7:" in str(err.value)  # A's line


def test_a_belief_after_the_last_round_makes_the_last_round_the_last_chance() -> None:
    # the calendar is public: a party that believes the talks end after the last round knows
    # the last round is its last chance (t = 1 there), whatever date it believes in
    scenario = pie(a=", deadline_belief: 2020-01-09")
    assert negotiation_state(scenario, "A", 4).deadline_belief == dt.date(2020, 1, 9)
    assert [negotiation_state(scenario, "A", k).time for k in (2, 4)] == [0.5, 1.0]


@settings(max_examples=60, deadline=None)
@given(every=st.integers(1, 60), rounds=st.integers(2, 40), k=st.integers(0, 39))
def test_a_belief_on_the_last_rounds_date_is_the_old_clock(every: int, rounds: int, k: int) -> None:
    """With the deadline believed on the last round's date, the believed time equals the
    schedule's k / (K - 1) bit for bit (the quotient of k * every and (K - 1) * every), so the
    clock before issue 12 is the special case of a belief on the last round."""
    k = min(k, rounds - 1)
    start = dt.date(2020, 1, 1)
    dates = [start + dt.timedelta(days=every * j) for j in range(rounds)]
    assert believed_time(dates[k], start, dates[-1]) == k / (rounds - 1)
