"""The engine's compiled decisions (:mod:`burdenshare.engine.strategies`) are the Python
negotiators', bit for bit: tit-for-tat's level, kept incrementally by the kernel, equals
:meth:`RelativeTitForTat.next_level` (which replays the whole history) in every round, with and
without the offer being answered, on random offers; and the per-distinct-parameters solves of
the Nash seeker and the Rubinstein player are their own proposals."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.engine.strategies import (
    NASH,
    TIT_FOR_TAT,
    kernel_strategy,
    relative_concession,
    solve_sessions,
    tft_catch_up,
    tft_level,
)
from burdenshare.negotiation import (
    Boulware,
    NashSeeker,
    RelativeTitForTat,
    Response,
    RubinsteinPlayer,
    negotiation_state,
    party_view,
)
from burdenshare.negotiation.negotiators.tit_for_tat import (
    relative_concession as py_relative_concession,
)
from burdenshare.negotiation.state import PastOffer
from burdenshare.scenario.io import parse_scenario_text

GAME = """
id: tft-game
title: one issue
as_of: 2020-01-01
issues: [{id: x, range: [0, 100]}]
parties:
  A: {utility: {x: {ideal: 100, reservation: 20}}, outside_option: OUT}
  B: {utility: {x: {ideal: 0, reservation: 80}}}
protocol: {first_mover: A, start: 2020-01-01, round_every_days: 1, deadline: 2020-01-30}
"""


def _same(a: float, b: float) -> bool:
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(
    values=st.lists(st.floats(-3, 1.5, allow_nan=False), min_size=0, max_size=8),
    delta=st.integers(1, 3),
)
def test_relative_concession_is_pythons(values: list[float], delta: int) -> None:
    got = relative_concession(np.array([*values, 0.0]), len(values), delta)
    assert _same(got, py_relative_concession(values, delta))


@settings(max_examples=60, derandomize=True, database=None, deadline=None)
@given(
    offers=st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=14),
    delta=st.integers(1, 3),
    outside=st.sampled_from([0.0, 0.3, -0.5]),
    party=st.sampled_from(["A", "B"]),
)
def test_tit_for_tat_level_is_the_replayed_one_in_every_round(
    offers: list[float], delta: int, outside: float, party: str
) -> None:
    scenario = parse_scenario_text(GAME.replace("OUT", repr(outside))).scenario
    neg = RelativeTitForTat(delta=delta)
    p = scenario.party_names.index(party)
    first = scenario.party_names.index(scenario.protocol.first_mover)
    r_max = len(offers)
    hist_u = np.zeros((2, r_max + 1))
    level, opened = np.ones(2), np.zeros(2, dtype=np.bool_)
    done, n_seen, seen = np.zeros(2, np.int64), np.zeros(2, np.int64), np.zeros((2, r_max + 1))
    history: list[PastOffer] = []
    for k, x in enumerate(offers):
        state = negotiation_state(scenario, party, k, history=history)
        u = state.params.utility
        u_min = neg.u_min(state.params)
        tft_catch_up(p, k, first, hist_u, level, opened, done, n_seen, seen, u_min, delta)
        proposer = scenario.party_names[first if k % 2 == 0 else 1 - first]
        offer: dict[str, float | str] = {"x": x}
        if proposer == party:
            want = neg.next_level(state)
            got = tft_level(p, level, opened, n_seen, seen, u_min, delta, 0.0, False)
        else:
            want = neg.next_level(state, offer)
            got = tft_level(p, level, opened, n_seen, seen, u_min, delta, u(offer), True)
        assert _same(got, want), k
        hist_u[p, k] = u(offer)
        history.append(PastOffer(k, proposer, offer, Response.REJECT, None))


def test_kernel_strategies_are_only_the_built_in_classes() -> None:
    class Tweaked(RelativeTitForTat):
        def next_level(self, state, offer=None):  # type: ignore[no-untyped-def]
            return 1.0

    assert kernel_strategy(RelativeTitForTat(delta=2)) == (TIT_FOR_TAT, 2.0)
    assert kernel_strategy(NashSeeker()) == (NASH, 0.0)
    assert kernel_strategy(Boulware()) is not None
    assert kernel_strategy(Tweaked()) is None


def test_solves_are_shared_by_sessions_with_the_same_numbers_and_equal_the_negotiators() -> None:
    scenario = parse_scenario_text(GAME.replace("OUT", "0.1")).scenario
    path = "parties.A.utility.x.reservation"
    res = np.array([20.0, 30.0, 20.0, 30.0, 25.0])
    for neg in (NashSeeker(), RubinsteinPlayer()):
        values, solved, row = solve_sessions(
            scenario, neg, "A", {path: res}, [0], [res.reshape(-1, 1)]
        )
        assert values.shape == (3, 1)
        assert solved.all()
        assert row[0].tolist() == [0, 2, 0, 2, 1]
        for i, r in enumerate(res.tolist()):
            fresh = neg.clone()
            fresh.start(party_view(scenario, "A", overrides={path: r}), np.random.default_rng(1))
            state = negotiation_state(scenario, "A", 0, overrides={path: r})
            want = fresh.propose(state)
            assert values[row[0, i], 0] == want["x"]
