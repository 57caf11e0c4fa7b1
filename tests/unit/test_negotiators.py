"""Built-in negotiators: known values computed by hand, the candidate grid and the registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

import numpy as np
import pytest

import burdenshare.negotiation as negotiation
from burdenshare.errors import SimulationError
from burdenshare.negotiation import (
    DEFAULT_NEGOTIATORS,
    NEGOTIATORS,
    Boulware,
    Hardliner,
    Linear,
    NashSeeker,
    NegotiationState,
    Negotiator,
    RelativeTitForTat,
    Response,
    RubinsteinPlayer,
    TimeDependent,
    make_negotiator,
    negotiation_state,
    party_view,
    reservation_utility,
    run_session,
)
from burdenshare.negotiation.negotiators.candidates import MAX_CANDIDATES, candidate_grid
from burdenshare.negotiation.negotiators.rubinstein import stationary_split
from burdenshare.negotiation.negotiators.time_dependent import time_dependent_target
from burdenshare.negotiation.negotiators.tit_for_tat import relative_concession
from burdenshare.preferences import Outcome
from burdenshare.preferences.additive import AdditiveUtility
from burdenshare.preferences.issue_utility import NumericUtility
from burdenshare.scenario import Issue, Scenario
from burdenshare.scenario.io import EXAMPLE, parse_scenario_text
from burdenshare.testing import NegotiatorContract, contract_scenarios


def pie(
    *,
    res_a: float = 0.0,
    res_b: float = 1.0,
    d_a: float = 0.9,
    d_b: float = 0.8,
    out_a: float = 0.0,
    first: str = "A",
    deadline: str = "2020-01-05",
    max_rounds: int | None = None,
) -> Scenario:
    """A unit pie x in [0, 1]: A's ideal 1, B's ideal 0; daily rounds from 1 Jan 2020."""
    rounds = f", max_rounds: {max_rounds}" if max_rounds else ""
    return parse_scenario_text(f"""
id: pie
title: split a unit pie
as_of: 2020-01-01
issues: [{{id: x, range: [0, 1]}}]
parties:
  A: {{utility: {{x: {{ideal: 1, reservation: {res_a}}}}}, discount_per_round: {d_a},
      outside_option: {out_a}}}
  B: {{utility: {{x: {{ideal: 0, reservation: {res_b}}}}}, discount_per_round: {d_b}}}
protocol:
  {{first_mover: {first}, start: 2020-01-01, round_every_days: 1, deadline: {deadline}{rounds}}}
""").scenario


def started(negotiator: Negotiator, scenario: Scenario, party: str) -> Negotiator:
    negotiator.start(party_view(scenario, party), np.random.default_rng(0))
    return negotiator


# -- time-dependent (Faratin, Sierra & Jennings 1998) ------------------------------------------
# target(t) = u_min + (1 - u_min)(1 - t ** (1/e)); by hand: 0.5**5 = 0.03125, 0.5**0.2 = 0.870550563
@pytest.mark.parametrize(
    ("e", "t", "expected"),
    [
        (0.2, 0.0, 1.0),
        (0.2, 0.5, 0.96875),
        (0.2, 1.0, 0.0),
        (1.0, 0.0, 1.0),
        (1.0, 0.5, 0.5),
        (1.0, 1.0, 0.0),
        (5.0, 0.0, 1.0),
        (5.0, 0.5, 0.129449436703876),
        (5.0, 1.0, 0.0),
    ],
)
def test_time_dependent_targets_by_hand(e: float, t: float, expected: float) -> None:
    assert time_dependent_target(t, e, 0.0) == pytest.approx(expected, abs=1e-12)
    assert time_dependent_target(t, e, 0.2) == pytest.approx(0.2 + 0.8 * expected, abs=1e-12)


def test_time_dependent_uses_t_equal_round_over_rounds_minus_one() -> None:
    # five daily rounds ending on the deadline, which both parties believe in (the default):
    # the believed time and the schedule's k / (K - 1) agree, t = 0, 0.25, 0.5, 0.75, 1
    scenario = pie()
    boulware = started(Boulware(), scenario, "A")
    for k, t in enumerate([0.0, 0.25, 0.5, 0.75, 1.0]):
        state = negotiation_state(scenario, "A", k)
        assert state.time == t
        assert state.round_time == t
        assert boulware.propose(state)["x"] == pytest.approx(1 - t**5)  # type: ignore[operator]
    one = pie(max_rounds=1)
    assert negotiation_state(one, "A", 0).round_time == 1.0  # K = 1 gives k / (K - 1) = 1
    # issue 12: a party concedes against its last chance before the deadline it believes in
    # (5 Jan). The calendar is public: with the rounds cut to one by max_rounds, that one round
    # is its last chance, so t = 1 and it asks only its walk-away point
    assert negotiation_state(one, "A", 0).time == 1.0
    assert started(Linear(), one, "A").propose(negotiation_state(one, "A", 0)) == {"x": 0.0}


def test_a_belief_between_two_rounds_makes_the_earlier_round_the_last_chance() -> None:
    # rounds every 10 days from 1 Jan 2020; A believes the talks end on 25 Jan: its last chance
    # is the round of 21 Jan (t = 1 there, t = 0.5 on 11 Jan); B believes the protocol's deadline
    # (31 Jan, a round date): t = 10/30 on 11 Jan
    scenario = parse_scenario_text("""
id: pie
title: split a unit pie
as_of: 2020-01-01
issues: [{id: x, range: [0, 1]}]
parties:
  A: {utility: {x: {ideal: 1, reservation: 0}}, deadline_belief: 2020-01-25}
  B: {utility: {x: {ideal: 0, reservation: 1}}}
protocol: {first_mover: A, start: 2020-01-01, round_every_days: 10, deadline: 2020-01-31}
""").scenario
    assert [negotiation_state(scenario, "A", k).time for k in range(4)] == [0.0, 0.5, 1.0, 1.0]
    assert negotiation_state(scenario, "B", 1).time == 10 / 30
    state = negotiation_state(scenario, "A", 2)
    assert state.deadline_belief == dt.date(2020, 1, 25)  # the belief itself is what it sees
    assert started(Linear(), scenario, "A").propose(state) == {"x": 0.0}


def test_time_dependent_respects_the_ratification_threshold() -> None:
    scenario = contract_scenarios()["ratified-pie"]  # B's parliament approves x <= 0.6
    view = party_view(scenario, "B")
    assert reservation_utility(view.params) == pytest.approx(0.4)
    linear = started(Linear(), scenario, "B")
    last = negotiation_state(scenario, "B", view.n_rounds - 1)
    assert linear.propose(last)["x"] == pytest.approx(0.6)


@pytest.mark.parametrize(
    ("deadline", "round_", "x"), [("2020-01-05", 3, 0.5), ("2020-01-04", 3, 1 / 3)]
)
def test_two_linear_negotiators_meet_where_expected(deadline: str, round_: int, x: float) -> None:
    # five rounds: at t = 1/2 A asks 1/2 and B, asking 1/2 itself, accepts. Four rounds: at
    # t = 2/3 A asks 1/3, which gives B 2/3 >= its own target 1/3.
    result = run_session(pie(deadline=deadline), {"A": Linear(), "B": Linear()})
    assert result.outcome == "agreement"
    assert result.round == round_
    assert result.agreement is not None
    assert result.agreement["x"] == pytest.approx(x)


def test_boulware_and_conceder_orders() -> None:
    result = run_session(pie(), {"A": make_negotiator("conceder"), "B": make_negotiator("linear")})
    assert result.agreement == {"x": pytest.approx(0.25)}  # B's own offer in round 2 at t=1/4


# -- outside options away from 0 (issue 11): proposals stay inside every issue's range ----------
def example_with(rok: str, *, ratifier: bool = True) -> Scenario:
    """The reference EXAMPLE with extra lines for ROK (after its discount), with or without its
    National Assembly."""
    text = EXAMPLE.replace("    discount_per_round: 0.97\n", f"    discount_per_round: 0.97\n{rok}")
    if not ratifier:
        assembly = "ratification: {body: National Assembly, approval_threshold: 1190}"
        assert assembly in text
        text = text.replace(assembly, "ratification: none")
    return parse_scenario_text(text).scenario


#: the EXAMPLE's rounds fall on 19 Nov and 17 Dec, its deadline on 31 Dec: by default (issue 12)
#: a party is at t = 28/42 in the last round. The cases below need its last-round target (t = 1),
#: so ROK believes the deadline is the last round's date.
BELIEVES_LAST_ROUND = "    deadline_belief: 2019-12-17\n"


def test_a_single_issue_target_below_the_range_stops_at_the_range_end() -> None:
    # A: ideal 1, reservation 0.2 on x in [0, 1], so u(0) = -0.25; walking away is worth -0.5.
    # Linear's last-round target is -0.5, below anything in range: it offers the range's end.
    scenario = pie(res_a=0.2, out_a=-0.5)
    linear = started(Linear(), scenario, "A")
    last = negotiation_state(scenario, "A", 4)
    assert linear.target(last) == -0.5
    assert linear.propose(last) == {"x": 0.0}  # was -0.2 (outside [0, 1]) before issue 11
    # before the range binds, the uniform concession goes past the walk-away point as before:
    # t = 3/4, target = -0.5 + 1.5 * 0.25 = -0.125, x = 0.2 - 0.125 * 0.8 = 0.1
    assert linear.propose(negotiation_state(scenario, "A", 3))["x"] == pytest.approx(0.1)


def test_a_positive_outside_option_is_the_last_rounds_target() -> None:
    scenario = pie(out_a=0.4)
    linear = started(Linear(), scenario, "A")
    assert linear.propose(negotiation_state(scenario, "A", 4)) == {"x": pytest.approx(0.4)}


def test_water_filling_spreads_what_a_floored_issue_cannot_concede() -> None:
    # ROK without a ratifier, walking away worth -0.5. Its last-round target is -0.5. Duration
    # (weight 0.1, prefers higher, reservation 1 = the range's low end) cannot go below utility 0,
    # so contribution (weight 0.9) concedes to v = -0.5 / 0.9. By hand: reservation = mean of the
    # triangular (1090.8 + 1124.1 + 1246.7) / 3 = 1153.8667, x = r + v (1038.9 - r) = 1217.737.
    scenario = example_with("    outside_option: -0.5\n" + BELIEVES_LAST_ROUND, ratifier=False)
    boulware = started(Boulware(), scenario, "ROK")
    last = negotiation_state(scenario, "ROK", 1)
    offer = boulware.propose(last)
    r = (1090.8 + 1124.1 + 1246.7) / 3
    assert offer == {"contribution": pytest.approx(r + 0.5 / 0.9 * (r - 1038.9)), "duration": 1.0}
    assert last.params.utility(offer) == pytest.approx(-0.5, abs=1e-12)  # the target, met exactly


def test_the_believed_ratification_threshold_is_a_floor_too() -> None:
    # Issue 11's report: with ROK's outside option -0.5, Boulware offered duration -0 (outside
    # [1, 5]). Now ROK's floor on contribution is its Assembly's threshold 1190 (utility -0.314 >
    # -0.5, so u_min = -0.314); duration stays at 1 (utility 0): the target cannot be met, so
    # ROK offers the floors, which its own ratifier approves.
    scenario = example_with("    outside_option: -0.5\n" + BELIEVES_LAST_ROUND)
    boulware = started(Boulware(), scenario, "ROK")
    last = negotiation_state(scenario, "ROK", 1)
    offer = boulware.propose(last)
    assert offer == {"contribution": pytest.approx(1190.0, abs=1e-9), "duration": 1.0}
    assert boulware.admissible(last.params, offer)


@pytest.mark.parametrize("outside", ["-0.5", "-1", "0.5", "0.9"])
@pytest.mark.parametrize("name", sorted(NEGOTIATORS))
def test_every_builtin_offers_valid_outcomes_whatever_the_outside_option(
    name: str, outside: str
) -> None:
    scenario = example_with(f"    outside_option: {outside}\n")
    result = run_session(
        scenario, {"US": make_negotiator(name), "ROK": make_negotiator(name)}, seed=1
    )
    outcomes = [offer.outcome for offer in result.transcript.offers]
    if result.agreement is not None:
        outcomes.append(result.agreement)
    assert outcomes
    for outcome in outcomes:
        for issue in scenario.issues:
            assert issue.contains(outcome[issue.id]), (issue.id, outcome)


# -- hardliner --------------------------------------------------------------------------------
def test_hardliner_asks_its_ideal_and_accepts_only_it() -> None:
    scenario = contract_scenarios()["two-issue"]
    hard = started(Hardliner(), scenario, "A")
    state = negotiation_state(scenario, "A", 0)
    assert hard.propose(state) == {"years": 5.0, "basis": "lump-sum"}
    b_state = negotiation_state(scenario, "B", 0)
    hard_b = started(Hardliner(), scenario, "B")
    assert hard_b.respond(b_state, {"years": 1.0, "basis": "cost-sharing"}) is Response.ACCEPT
    assert hard_b.respond(b_state, {"years": 2.0, "basis": "cost-sharing"}) is Response.REJECT


# -- relative tit-for-tat (Faratin et al. 1998, section 4.3.1) ---------------------------------
def test_relative_concession_known_values() -> None:
    assert relative_concession([0.2]) == 0.0  # too few opponent offers
    assert relative_concession([0.2, 0.6]) == pytest.approx(0.5)
    assert relative_concession([0.6, 0.2]) == 0.0  # a retraction is not reciprocated
    assert relative_concession([0.0, 0.3, 0.5], delta=2) == pytest.approx(0.5)
    assert relative_concession([1.0, 1.0]) == 0.0


def test_tit_for_tat_reciprocates_in_proportion() -> None:
    class Opponent(Negotiator):
        name: ClassVar[str] = "opponent"
        traits: ClassVar[Mapping[str, object]] = MappingProxyType(
            {"family": "t", "stochastic": False, "uses_opponent_model": False, "concedes": True}
        )

        def __init__(self) -> None:
            pass

        def propose(self, state: NegotiationState) -> Outcome:
            return {"x": [0.0, 0.4][state.round // 2]}  # U_A: 0, then 0.4

        def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
            return Response.REJECT

    result = run_session(pie(), {"A": RelativeTitForTat(), "B": Opponent()})
    # opening at 1; B's first offer alone shows no concession; then B conceded 40% of A's gap,
    # so A concedes 40% of its surplus: 1 - 0.4 * (1 - 0) = 0.6 (and rejects 0.4 < 0.6)
    assert [o.outcome["x"] for o in result.transcript if o.proposer == "A"] == [1.0, 1.0, 0.6]
    assert result.transcript[3].response is Response.REJECT


# -- Nash seeker (Nash 1950) ------------------------------------------------------------------
def test_nash_seeker_proposes_the_nash_point() -> None:
    assert started(NashSeeker(), pie(), "A").propose(negotiation_state(pie(), "A", 0)) == {"x": 0.5}
    # reservations 0.2 (A) and 0.6 (B): U_A = (x-0.2)/0.8, U_B = (0.6-x)/0.6, product max at 0.4
    narrow = pie(res_a=0.2, res_b=0.6)
    assert started(NashSeeker(), narrow, "B").propose(negotiation_state(narrow, "B", 1))[
        "x"
    ] == pytest.approx(0.4)
    result = run_session(pie(), {"A": NashSeeker(), "B": NashSeeker()})
    assert result.round == 1
    assert result.agreement == {"x": 0.5}


def test_nash_seeker_without_a_zone_of_agreement_is_a_hardliner() -> None:
    scenario = pie(res_a=0.7, res_b=0.3)  # A needs x >= 0.7, B x <= 0.3
    nash = started(NashSeeker(), scenario, "A")
    last = negotiation_state(scenario, "A", 3)
    assert nash.propose(last) == {"x": 1.0}
    assert nash.respond(last, {"x": 0.9}) is Response.REJECT


# -- Rubinstein (1982) ------------------------------------------------------------------------
@pytest.mark.parametrize(("d_a", "d_b"), [(0.9, 0.8), (0.95, 0.95), (0.5, 0.99)])
@pytest.mark.parametrize(("res_a", "res_b"), [(0.0, 1.0), (0.25, 0.75)])
def test_rubinstein_first_offer_matches_the_closed_form(
    d_a: float, d_b: float, res_a: float, res_b: float
) -> None:
    scenario = pie(res_a=res_a, res_b=res_b, d_a=d_a, d_b=d_b)
    state = negotiation_state(scenario, "A", 0)
    offer = started(RubinsteinPlayer(), scenario, "A").propose(state)
    u_a = state.params.utility(offer)
    zone = state.params.utility({"x": res_b})  # A's utility range over the zone of agreement
    assert u_a == pytest.approx(zone * (1 - d_b) / (1 - d_a * d_b), abs=1e-6)


def test_rubinstein_players_agree_at_once_on_the_spe_split() -> None:
    result = run_session(pie(), {"A": RubinsteinPlayer(), "B": RubinsteinPlayer()})
    assert result.round == 1
    assert result.outcome == "agreement"
    assert result.utilities["A"] == pytest.approx(0.2 / 0.28, abs=1e-9)
    second = run_session(pie(first="B"), {"A": RubinsteinPlayer(), "B": RubinsteinPlayer()})
    assert second.utilities["B"] == pytest.approx(0.1 / 0.28, abs=1e-9)


def test_stationary_split_on_a_kinked_frontier() -> None:
    # frontier (v, u): (0, 1), (0.5, 0.8), (1, 0); symmetric discounts 0.5
    v = stationary_split(
        np.array([0.0, 0.5, 1.0]), np.array([1.0, 0.8, 0.0]), delta_me=0.5, delta_opp=0.5
    )
    u_x = float(np.interp(v, [0.0, 0.5, 1.0], [1.0, 0.8, 0.0]))
    v_y = float(np.interp(0.5 * u_x, [0.0, 0.8, 1.0], [1.0, 0.5, 0.0]))
    assert v == pytest.approx(0.5 * v_y, abs=1e-12)


# -- candidate grid ---------------------------------------------------------------------------
def _util(*parts: NumericUtility) -> AdditiveUtility:
    return AdditiveUtility(
        tuple(f"i{k}" for k in range(len(parts))), parts, tuple(1 / len(parts) for _ in parts)
    )


def test_candidate_grid_spans_the_ideals() -> None:
    issues = (Issue(id="i0", range=(0.0, 10.0)), Issue(id="i1", kind="integer", range=(0, 9)))
    a = _util(NumericUtility(8.0, 0.0), NumericUtility(7.0, 0.0, integer=True))
    b = _util(NumericUtility(2.0, 10.0), NumericUtility(2.0, 9.0, integer=True))
    grid = candidate_grid(issues, a, b)
    assert grid.values[0] == tuple(np.linspace(2.0, 8.0, 401))
    assert grid.values[1] == (2.0, 3.0, 4.0, 5.0, 6.0, 7.0)
    assert grid.size == 401 * 6
    assert grid.outcome(grid.size - 1) == {"i0": 8.0, "i1": 7.0}
    assert candidate_grid(issues, a, b) is grid  # cached and deterministic


def test_candidate_grid_caps_its_size() -> None:
    issues = tuple(Issue(id=f"i{k}", range=(0.0, 1.0)) for k in range(3))
    a = _util(*(NumericUtility(1.0, 0.0) for _ in range(3)))
    b = _util(*(NumericUtility(0.0, 1.0) for _ in range(3)))
    grid = candidate_grid(issues, a, b)
    assert len(grid.values[0]) == 58
    assert grid.size == 58**3 <= MAX_CANDIDATES
    wide = tuple(Issue(id=f"i{k}", kind="integer", range=(0, 100)) for k in range(3))
    ua = _util(*(NumericUtility(100.0, 0.0, integer=True) for _ in range(3)))
    ub = _util(*(NumericUtility(0.0, 100.0, integer=True) for _ in range(3)))
    with pytest.raises(SimulationError, match="too many candidate outcomes"):
        candidate_grid(wide, ua, ub)


def test_categorical_candidates_and_grid_utilities() -> None:
    scenario = contract_scenarios()["two-issue"]
    view = party_view(scenario, "A")
    grid = candidate_grid(scenario.issues, view.params.utility, view.opponent_estimate.utility)
    assert grid.values == ((1.0, 2.0, 3.0, 4.0, 5.0), ("cost-sharing", "in-kind", "lump-sum"))
    utilities = grid.utilities(view.params.utility)
    for i in range(grid.size):
        assert utilities[i] == pytest.approx(view.params.utility(grid.outcome(i)))


# -- base rules, registry, public surface -----------------------------------------------------
def test_reservation_utility_takes_the_strictest_floor() -> None:
    two = contract_scenarios()["two-issue"]
    assert reservation_utility(party_view(two, "A").params) == pytest.approx(0.1)  # outside option
    assert reservation_utility(party_view(two, "B").params) == pytest.approx(0.25)  # ratifier: 4y
    assert reservation_utility(party_view(pie(), "A").params) == 0.0


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("boulware", "Boulware()"),
        (" Linear ", "Linear()"),
        ("time-dependent:e=0.5", "TimeDependent(e=0.5)"),
        ("tit-for-tat:delta=2", "RelativeTitForTat(delta=2)"),
        ("rubinstein", "RubinsteinPlayer()"),
    ],
)
def test_make_negotiator(spec: str, expected: str) -> None:
    assert repr(make_negotiator(spec)) == expected


@pytest.mark.parametrize(
    "spec",
    [
        "gandalf",
        "linear:e=2",
        "time-dependent:e=-1",
        "time-dependent:e=abc",
        "time-dependent:e",
        "tit-for-tat:delta=0.5",
        "time-dependent:f=1",
    ],
)
def test_make_negotiator_rejects_bad_specs(spec: str) -> None:
    with pytest.raises(SimulationError, match="known negotiators: boulware, linear"):
        make_negotiator(spec)


def test_registry_and_defaults() -> None:
    assert list(NEGOTIATORS) == [
        "boulware",
        "linear",
        "conceder",
        "hardliner",
        "tit-for-tat",
        "nash",
        "rubinstein",
        "genius-boulware",
        "genius-linear",
        "genius-conceder",
        "genius-hardliner",
    ]
    assert all(name in NEGOTIATORS for name in DEFAULT_NEGOTIATORS)
    assert isinstance(make_negotiator("time-dependent"), TimeDependent)


def test_public_surface_is_pinned() -> None:
    assert sorted(negotiation.__all__) == sorted(set(negotiation.__all__))
    for name in negotiation.__all__:
        assert hasattr(negotiation, name), name


def test_contract_catches_a_negotiator_that_accepts_anything() -> None:
    class Pushover(Linear):
        name: ClassVar[str] = "pushover"

        def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
            return Response.ACCEPT

    class Check(NegotiatorContract):
        def make_negotiator(self) -> Negotiator:
            return Pushover()

    Check().test_never_proposes_below_reservation()
    with pytest.raises(AssertionError, match="accepted"):
        Check().test_never_accepts_below_reservation()
