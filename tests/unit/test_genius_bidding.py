"""The outcome space, the acceptance conditions and the GENIUS-style agents (issue 12, items 2-3).

Known values are worked by hand in each test's docstring; the sources are cited in the modules
(Faratin, Sierra & Jennings 1998 / GENIUS TimeDependentAgent; Baarslag, Hindriks & Jonker 2014).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest

from burdenshare.errors import SimulationError
from burdenshare.negotiation import (
    NegotiationState,
    Negotiator,
    PartyView,
    Response,
    negotiation_state,
    party_view,
    run_session,
)
from burdenshare.negotiation.acceptance import ac_combi, ac_const, ac_next, ac_time
from burdenshare.negotiation.negotiators import (
    Conceder,
    GeniusBoulware,
    GeniusConceder,
    GeniusHardliner,
    GeniusLinear,
    GeniusTimeDependent,
)
from burdenshare.negotiation.negotiators.bidding import genius_target, select_bid
from burdenshare.negotiation.outcome_space import outcome_space
from burdenshare.preferences import Outcome, party_parameters
from burdenshare.preferences.additive import AdditiveUtility
from burdenshare.preferences.issue_utility import NumericUtility
from burdenshare.scenario import Issue
from burdenshare.services.core import load
from burdenshare.testing import contract_scenarios

LAPTOP = Path(__file__).parents[1] / "known_values" / "data" / "genius" / "Laptop"


# -- the outcome space ------------------------------------------------------------------------
def test_continuous_issue_has_both_ends_and_every_known_point() -> None:
    """Range [0, 10], 5 evenly spaced points (0, 2.5, 5, 7.5, 10) plus the reservation 1 and the
    ideal 8.2 of the utility, and the opponent's reservation 9: 8 values."""
    x = Issue(id="x", range=(0.0, 10.0))
    me = AdditiveUtility(("x",), (NumericUtility(ideal=8.2, reservation=1.0),), (1.0,))
    opp = AdditiveUtility(("x",), (NumericUtility(ideal=0.0, reservation=9.0),), (1.0,))
    space = outcome_space((x,), (me, opp), points=5)
    assert space.values == ((0.0, 1.0, 2.5, 5.0, 7.5, 8.2, 9.0, 10.0),)


def test_integer_issue_lists_its_whole_numbers_or_is_sampled() -> None:
    """[1, 6] has 6 whole numbers (at most ``points``): all listed. [0, 1000] with 5 points:
    0, 250, 500, 750, 1000 plus the whole numbers either side of the ideal 333.5."""
    few = Issue(id="n", kind="integer", range=(1.0, 6.0))
    many = Issue(id="m", kind="integer", range=(0.0, 1000.0))
    u = AdditiveUtility(("m",), (NumericUtility(ideal=333.5, reservation=0.0),), (1.0,))
    assert outcome_space((few,)).values == ((1.0, 2.0, 3.0, 4.0, 5.0, 6.0),)
    assert outcome_space((many,), (u,), points=5).values == (
        (0.0, 250.0, 333.0, 334.0, 500.0, 750.0, 1000.0),
    )


def test_space_is_the_product_last_issue_fastest_with_vectorised_utilities() -> None:
    a = Issue(id="a", kind="categorical", values=("p", "q"))
    n = Issue(id="n", kind="integer", range=(1.0, 3.0))
    space = outcome_space((a, n))
    assert space.size == 6
    assert [space.outcome(i) for i in (0, 1, 3)] == [
        {"a": "p", "n": 1.0},
        {"a": "p", "n": 2.0},
        {"a": "q", "n": 1.0},
    ]
    assert space.flat_index({"a": "q", "n": 2.4}) == 4


def test_a_space_too_large_is_a_clear_error() -> None:
    """Seven categorical issues of 10 values: 10^7 outcomes, over the limit of 200,000."""
    issues = tuple(
        Issue(id=f"i{k}", kind="categorical", values=tuple(f"v{j}" for j in range(10)))
        for k in range(7)
    )
    with pytest.raises(SimulationError, match=r"too many outcomes .* 10,000,000"):
        outcome_space(issues)


def test_sampled_issues_are_thinned_to_fit() -> None:
    """Three continuous issues at 101 points would give 1,030,301 outcomes: the points are
    reduced until the product is at most the limit."""
    issues = tuple(Issue(id=f"x{k}", range=(0.0, 1.0)) for k in range(3))
    space = outcome_space(issues)
    assert 0 < space.size <= 200_000
    assert all(v[0] == 0.0 and v[-1] == 1.0 for v in space.values)


# -- acceptance conditions --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("u", "u_next", "alpha", "beta", "expected"),
    [
        (0.8, 0.8, 1.0, 0.0, True),  # equal: accept
        (0.7, 0.8, 1.0, 0.0, False),
        (0.7, 0.8, 1.0, 0.125, True),  # 0.825 >= 0.8
        (0.7, 0.8, 1.125, 0.0, False),  # 0.7875 < 0.8
        (0.75, 0.8, 1.125, 0.0, True),  # 0.84375 >= 0.8
    ],
)
def test_ac_next(u: float, u_next: float, alpha: float, beta: float, expected: bool) -> None:
    assert ac_next(u, u_next, alpha, beta) is expected


def test_ac_const_and_ac_time() -> None:
    assert ac_const(0.9, 0.9)
    assert not ac_const(0.8999, 0.9)
    assert ac_time(0.98, 0.98)
    assert not ac_time(0.97, 0.98)


def test_ac_combi_uses_the_window_as_long_as_the_time_left() -> None:
    """At t = 0.99 the window is [0.98, 0.99]: of offers worth 0.9 (t = 0.5), 0.6 (t = 0.985)
    and 0.55 (t = 0.99), only the last two count, so 0.6 is the bar. At t = 0.97 < T no window
    applies and only AC_next can accept."""
    us, ts = np.array([0.9, 0.6, 0.55]), np.array([0.5, 0.985, 0.99])
    assert not ac_combi(0.55, 0.95, 0.99, 0.98, us, ts)
    assert ac_combi(0.6, 0.95, 0.99, 0.98, us, ts)
    assert not ac_combi(0.9, 0.95, 0.97, 0.98, us, ts)
    assert ac_combi(0.95, 0.95, 0.5, 0.98, us, ts)  # AC_next
    assert ac_combi(0.1, 0.95, 0.99, 0.98, np.array([]), np.array([]))  # empty window: 0


# -- targets and bids -------------------------------------------------------------------------
def test_genius_target_known_values() -> None:
    """e = 0.2, t = 0.5, k = 0, Pmin 0.2, Pmax 1: f = 0.5^5 = 0.03125, target = 0.2 +
    0.8 (0.96875) = 0.975. e = 1, k = 0.1: f = 0.1 + 0.9 (0.5) = 0.55, target = 0.2 + 0.8 (0.45)
    = 0.56. e = 0: f = k, so target = Pmax at every t when k = 0."""
    assert math.isclose(genius_target(0.5, 0.2, 0.0, 0.2, 1.0), 0.975)
    assert math.isclose(genius_target(0.5, 1.0, 0.1, 0.2, 1.0), 0.56)
    assert genius_target(1.0, 0.0, 0.0, 0.2, 1.0) == 1.0
    assert genius_target(1.0, 2.0, 0.0, 0.2, 1.0) == 0.2


def test_select_bid_tie_rule() -> None:
    """Outcomes (own, model): 0 (0.9, 0.5), 1 (0.8, 0.5), 2 (0.9, 0.5), 3 (0.6, 0.7). Target
    0.7: 0, 1, 2 reach it; all rate 0.5; the highest own is 0.9 (outcomes 0 and 2); the lower
    index wins: 0. Target 0.5: outcome 3 (model 0.7) wins."""
    own, opp = np.array([0.9, 0.8, 0.9, 0.6]), np.array([0.5, 0.5, 0.5, 0.7])
    ok = np.ones(4, dtype=bool)
    assert select_bid(own, opp, 0.7, ok) == 0
    assert select_bid(own, opp, 0.5, ok) == 3
    assert select_bid(own, opp, 0.5, np.array([True, True, True, False])) == 0
    assert select_bid(own, opp, 0.5, np.zeros(4, dtype=bool)) == -1


def test_pmin_is_the_reservation_utility() -> None:
    """Ratified pie, A: ideal 0.9, reservation 0.1, outside option 0.2. Own utility over the
    space runs from (0 - 0.1)/0.8 = -0.125 to 1, so Pmin = max(0.2, -0.125) = 0.2 and Pmax = 1.
    At t = 1 a linear agent's target is 0.2; at the first round it is 1."""
    scenario = contract_scenarios()["ratified-pie"]
    agent = GeniusLinear()
    agent.start(party_view(scenario, "A"), np.random.default_rng(0))
    last = negotiation_state(scenario, "A", 8)
    assert last.time == 1.0
    assert math.isclose(agent.target(last), 0.2)
    assert math.isclose(agent.target(negotiation_state(scenario, "A", 0)), 1.0)


def test_family_parameters_are_checked() -> None:
    view = party_view(contract_scenarios()["pie"], "A")
    rng = np.random.default_rng(0)
    for bad in (
        GeniusTimeDependent(e=-1.0),
        GeniusTimeDependent(k=2.0),
        GeniusTimeDependent(model="oracle"),
        GeniusTimeDependent(accept="sometimes"),
        GeniusTimeDependent(T=1.5),
    ):
        with pytest.raises(SimulationError):
            bad.start(view, rng)


@pytest.mark.parametrize(
    ("cls", "e"),
    [(GeniusBoulware, 0.2), (GeniusLinear, 1.0), (GeniusConceder, 2.0), (GeniusHardliner, 0.0)],
)
def test_named_agents_fix_e_as_genius_does(cls: type[GeniusTimeDependent], e: float) -> None:
    agent = cls()
    assert agent.e == e
    assert "e" not in agent.get_params()
    assert agent.get_params()["model"] == "frequency"
    assert agent.get_params()["accept"] == "next"


@pytest.mark.parametrize(
    ("accept", "params", "offer", "expected"),
    [
        # B in round 2 of the pie (t = 0.5, target 1 - 0.5 ** 5 = 0.96875, nothing learned: the
        # bid is the outcome in the window [0.96875, 0.97875] of the 101-point space, x = 0.03,
        # U = 0.97)
        ("const", {"c": 0.7}, {"x": 0.3}, Response.ACCEPT),  # U = 0.7 >= c
        ("const", {"c": 0.7}, {"x": 0.31}, Response.REJECT),
        ("time", {"T": 0.5}, {"x": 0.9}, Response.ACCEPT),  # t = 0.5 >= T, U = 0.1 >= u_min = 0
        ("time", {"T": 0.6}, {"x": 0.1}, Response.REJECT),
        ("next", {"alpha": 1.0, "beta": 0.25}, {"x": 0.25}, Response.ACCEPT),  # 0.75+0.25 >= 0.97
        ("next", {"alpha": 1.0, "beta": 0.0}, {"x": 0.04}, Response.REJECT),  # 0.96 < 0.97
        ("combi", {"T": 0.98}, {"x": 0.03}, Response.ACCEPT),  # AC_next: U = 0.97 >= 0.97
        ("combi", {"T": 0.98}, {"x": 0.04}, Response.REJECT),  # t < T, U = 0.96 < 0.97
    ],
)
def test_acceptance_conditions_in_the_agent(
    accept: str, params: dict[str, float], offer: Outcome, expected: Response
) -> None:
    scenario = contract_scenarios()["pie"]
    agent = GeniusTimeDependent(e=0.2, accept=accept, **params)  # type: ignore[arg-type]
    agent.start(party_view(scenario, "B"), np.random.default_rng(0))
    assert agent.respond(negotiation_state(scenario, "B", 2), offer) is expected


# -- the issue's defect, as a regression ------------------------------------------------------
class _Recorder(Negotiator):
    """Wraps a GENIUS-style agent and records, for each proposal, whether another outcome that its
    bidding rule weighs (at or above its target, inside its window) was at least as good for it
    and for its model of the opponent, and better for one of them (a Pareto-dominated bid
    relative to its own model)."""

    name = "recorder"

    def __init__(self, inner: GeniusTimeDependent) -> None:
        self.inner = inner
        self.dominated: list[tuple[int, Outcome]] = []
        self.proposals = 0

    def start(self, view: PartyView, rng: np.random.Generator) -> None:
        self.inner.start(view, rng)

    def propose(self, state: NegotiationState) -> Outcome:
        bid = self.inner.propose(state)
        agent = self.inner
        own = agent.space_.utilities(state.params.utility)
        opp = agent.model_.utilities(agent.space_)
        i = agent.space_.flat_index(bid)
        target = agent.target(state)
        reach = own >= target - 1e-9
        if math.isfinite(agent.window):  # the outcomes the window rule weighs
            m = max(1.0, math.ceil((own[reach].min() - target - 1e-9) / agent.window))
            reach &= own <= target + m * agent.window + 1e-9
        better = reach & (own >= own[i]) & (opp >= opp[i]) & ((own > own[i]) | (opp > opp[i]))
        if better.any():
            self.dominated.append((state.round, bid))
        self.proposals += 1
        return bid

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        return self.inner.respond(state, offer)


def test_laptop_old_conceder_offers_a_dominated_outcome() -> None:
    """The defect of issue 12 (item 2) as found: on GENIUS's Laptop domain the issue-by-issue
    conceder (seller) rejects the buyer's opening offer, worth 0.815 to it, then offers one worth
    0.667 to itself and less to the buyer too (0.882 < 1.0)."""
    scenario = load(LAPTOP).scenario
    buyer, seller = scenario.party_names
    offers = run_session(
        scenario, {buyer: Conceder(), seller: Conceder()}, seed=1
    ).transcript.offers
    first, second = offers[0], offers[1]
    assert first.response is Response.REJECT
    assert round(first.utilities[seller], 3) == 0.815
    assert round(second.utilities[seller], 3) == 0.667
    assert second.utilities[buyer] < first.utilities[buyer]


@pytest.mark.parametrize("window", [0.01, math.inf])
@pytest.mark.parametrize("model", ["frequency", "bayesian", "belief", "none"])
@pytest.mark.parametrize("cls", [GeniusConceder, GeniusBoulware, GeniusLinear])
def test_laptop_genius_agents_never_offer_a_dominated_outcome(
    cls: type[GeniusTimeDependent], model: str, window: float
) -> None:
    """Both sides GENIUS-style, and against the old conceder: no proposal is dominated, for the
    agent and for its model of the opponent, by another outcome its rule weighs (at or above its
    target; with a finite window, inside the window)."""
    scenario = load(LAPTOP).scenario
    buyer, seller = scenario.party_names
    for opponent in ("genius", "old"):
        a = _Recorder(cls(model=model, window=window))  # type: ignore[call-arg]
        b: Negotiator = (
            _Recorder(cls(model=model, window=window))  # type: ignore[call-arg]
            if opponent == "genius"
            else Conceder()
        )
        run_session(scenario, {buyer: a, seller: b}, seed=1)
        for rec in (a, b):
            if isinstance(rec, _Recorder):
                assert rec.proposals > 0
                assert rec.dominated == [], f"{cls.name} ({model}) vs {opponent}: {rec.dominated}"


def test_laptop_genius_conceder_agrees_on_an_undominated_outcome() -> None:
    """With the scenario's belief (GENIUS imports are private information; the belief model then
    uses the scenario's estimate), two GENIUS conceders agree, and no outcome of the Laptop
    space is better for both than the agreement."""
    scenario = load(LAPTOP).scenario
    buyer, seller = scenario.party_names
    result = run_session(
        scenario,
        {buyer: GeniusConceder(model="belief"), seller: GeniusConceder(model="belief")},
        seed=1,
    )
    assert result.outcome == "agreement"
    last = result.transcript.offers[-1]
    space = outcome_space(scenario.issues)
    ub = space.utilities(party_parameters(scenario, buyer).utility)
    us = space.utilities(party_parameters(scenario, seller).utility)
    b, s = last.utilities[buyer], last.utilities[seller]
    assert not (((ub >= b) & (us >= s) & ((ub > b + 1e-12) | (us > s + 1e-12))).any())


GENIUS = LAPTOP.parent


@pytest.mark.parametrize(
    "domain",
    ["ItexvsCypress", "Laptop", "EnglandZimbabwe", "CameraB", "Travel", "Gratch_integrative"],
)
def test_outcome_table_equals_the_scalar_utility_bit_for_bit(domain: str) -> None:
    """Regression (found by `make crosscheck` on ItexvsCypress): the table summed by a matrix
    product differed from ``params.utility(outcome)`` in the last bit on 58 of 180 outcomes, so
    AC_next, comparing an offer's utility with its own next bid's from the table, refused the
    very bid it was about to make."""
    scenario = load(str(GENIUS / domain)).scenario
    for party in scenario.party_names:
        utility = party_parameters(scenario, party).utility
        space = outcome_space(scenario.issues, (utility,))
        table = space.utilities(utility)
        scalar = [utility(space.outcome(i)) for i in range(min(space.size, 3000))]
        assert table[: len(scalar)].tolist() == scalar


def test_an_agent_offered_its_own_next_bid_accepts_it() -> None:
    """Under AC_next(1, 0), an offer equal to the bid the agent would make now is accepted, in
    every round and for both parties of ItexvsCypress (the crosscheck's failing pair)."""
    scenario = load(str(GENIUS / "ItexvsCypress")).scenario
    for party in scenario.party_names:
        view = party_view(scenario, party)
        for k in range(0, view.n_rounds, 7):
            agent = GeniusTimeDependent(e=4.0, model="none")
            agent.start(view, np.random.default_rng(0))
            state = negotiation_state(scenario, party, k)
            bid, _ = agent._plan(state)
            assert agent.respond(state, bid) is Response.ACCEPT, (party, k, bid)
