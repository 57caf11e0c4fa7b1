"""Issue 14: the N-party engine plays the multilateral protocols exactly (INTERFACE14's rules).

For 3- and 5-party scenarios, under stacked alternating offers and the single negotiating text,
with unanimity, a simple majority and a stated quota, with dated and uncertain events, drawn
reservations, weights, thresholds, deadline beliefs and breakdown risk, and ratifiers: the
compiled engine's outcome, round, agreed values and utilities equal those of a plain Python
reading of the rules (``_reference_session`` below) that drives the negotiators' own
``propose`` / ``respond`` with the one-session parameter resolver (``party_parameters`` with the
session's overrides) and the per-session generators of :func:`session_generators`.

The same scenarios are played by the one-session protocol,
:func:`burdenshare.negotiation.run_session`, with the engine's per-session generators and draws
(``_check_against_run_session``): the engine, the one-session protocol and the transcription of
the rules agree session by session. Negotiators the N-party path cannot play (tit-for-tat, the
Nash seeker ...) are refused by the one-session protocol with ``P > 2``, and the engine says so
the same way."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pytest

from burdenshare.engine import OUTCOMES, run_batch, session_generators
from burdenshare.engine.multi_inputs import mediator_directions
from burdenshare.ensemble import draw, uncertain_parameters
from burdenshare.errors import SimulationError
from burdenshare.negotiation import (
    BREAKDOWN_RISK_KEY,
    breakdown_clock,
    make_negotiator,
    run_session,
)
from burdenshare.negotiation.negotiators.base import Negotiator
from burdenshare.negotiation.protocol import deadline_belief, ratifier_approves
from burdenshare.negotiation.state import NegotiationState, Response
from burdenshare.preferences import PartyParameters, party_parameters
from burdenshare.preferences.issue_utility import NumericUtility
from burdenshare.scenario import central
from burdenshare.scenario.io import parse_scenario_text
from burdenshare.scenario.scenario import Scenario

SEED = 20141
N = 150

#: three allies on two issues (an integer share and a continuous budget), a ratifier with a
#: drawn threshold and a belief of its own, an event that moves one party's reservation and
#: patience, an uncertain election with branches, drawn deadline beliefs and breakdown risk
THREE = """
id: three-allies
title: three allies share a budget
as_of: 2020-01-01
issues:
  - {id: share, kind: integer, range: [0, 60]}
  - {id: budget, kind: continuous, range: [100, 500]}
parties:
  A:
    utility:
      share: {prefers: lower, ideal: 5, reservation: {uniform: [35, 55]}, weight: 0.6}
      budget: {prefers: higher, ideal: 480, reservation: 150, weight: {uniform: [0.3, 0.5]}}
    discount_per_round: {uniform: [0.9, 0.99]}
    deadline_belief: {uniform: [10, 70]}
  B:
    utility:
      share: {prefers: higher, ideal: 55, reservation: {uniform: [10, 30]}, weight: 0.5}
      budget: {prefers: lower, ideal: 120, reservation: 420, weight: 0.5}
    outside_option: {uniform: [-0.3, 0.1]}
    ratification:
      body: Parliament
      issue: budget
      approval_threshold: {uniform: [330, 450]}
      belief: central
  C:
    utility:
      share: {prefers: higher, ideal: 45, reservation: 5, weight: 0.3}
      budget: {prefers: higher, ideal: 400, reservation: 110, weight: 0.7}
    deadline_belief: 2020-02-10
protocol:
  first_mover: B
  start: 2020-01-01
  round_every_days: 3
  deadline: 2020-03-01
  horizon: 2020-03-20
  breakdown_risk_per_round: {uniform: [0, 0.08]}
  events:
    - date: 2020-01-20
      kind: cost
      party: A
      effects: {reservation: {share: {uniform: [40, 58]}}, discount_per_round: 0.9}
    - date: 2020-02-05
      kind: election
      party: C
      branches:
        - {name: hold, probability: 0.6}
        - name: hawks
          probability: 0.4
          effects: {reservation: {budget: 200}, outside_option: -0.2}
"""

#: five allies on one integer issue and one continuous one, two ratifiers, an event
FIVE = """
id: five-allies
title: five allies and a common fund
as_of: 2020-01-01
issues:
  - {id: fund, kind: continuous, range: [0, 100]}
  - {id: years, kind: integer, range: [1, 9]}
parties:
  P1:
    utility:
      fund: {prefers: higher, ideal: 95, reservation: {uniform: [20, 50]}, weight: 0.8}
      years: {prefers: higher, ideal: 9, reservation: 1, weight: 0.2}
    ratification: {body: Congress, issue: fund, approval_threshold: {uniform: [30, 60]}}
  P2:
    utility:
      fund: {prefers: lower, ideal: 5, reservation: {uniform: [55, 90]}, weight: 0.5}
      years: {prefers: lower, ideal: 1, reservation: 9, weight: 0.5}
    discount_per_round: 0.97
  P3:
    utility:
      fund: {prefers: lower, ideal: 10, reservation: 80, weight: 0.6}
      years: {prefers: higher, ideal: 8, reservation: 2, weight: 0.4}
    deadline_belief: {uniform: [5, 40]}
  P4:
    utility:
      fund: {prefers: higher, ideal: 80, reservation: 15, weight: 0.7}
      years: {prefers: lower, ideal: 2, reservation: 9, weight: 0.3}
    outside_option: {uniform: [-0.2, 0.2]}
  P5:
    utility:
      fund: {prefers: lower, ideal: 30, reservation: 95, weight: 0.5}
      years: {prefers: higher, ideal: 7, reservation: 1, weight: 0.5}
    ratification: {body: Diet, issue: years, approval_threshold: 3}
protocol:
  first_mover: P3
  start: 2020-01-01
  round_every_days: 2
  deadline: 2020-02-20
  breakdown_risk_per_round: {uniform: [0, 0.05]}
  events:
    - date: 2020-01-25
      kind: cost
      party: P2
      effects: {reservation: {fund: {uniform: [70, 100]}}, outside_option: -0.1}
"""

PROTOCOLS = [
    ("alternating_offers", "unanimity", None),
    ("alternating_offers", "majority", None),
    ("single_text", "unanimity", None),
    ("single_text", "majority", None),
]
NEGOTIATORS = {
    3: [["boulware", "linear", "conceder"], ["conceder", "hardliner", "time-dependent:e=2"]],
    5: [
        ["linear", "conceder", "boulware", "time-dependent:e=3", "conceder"],
        ["conceder", "conceder", "linear", "hardliner", "time-dependent:e=0.7"],
    ],
}
TOL = 1e-9


def _scenario(text: str, kind: str, rule: str, quota: int | None, step: float = 0.05) -> Scenario:
    extra = f"  kind: {kind}\n  decision_rule: {rule}\n  mediator_step: {step}\n"
    if quota is not None:
        extra += f"  quota: {quota}\n"
    return parse_scenario_text(text.replace("protocol:\n", "protocol:\n" + extra)).scenario


def _state(
    scenario: Scenario, party: str, k: int, params: PartyParameters, proposer: str, belief: Any
) -> NegotiationState:
    dates = tuple(scenario.protocol.round_dates())
    return NegotiationState(
        party=party,
        round=k,
        date=dates[k],
        n_rounds=len(dates),
        deadline_round=max(r for r, d in enumerate(dates) if d <= scenario.protocol.deadline),
        proposer=proposer,
        params=params,
        opponent_estimate=None,
        start=dates[0],
        deadline_belief=belief,
        information=scenario.protocol.information,
        round_dates=dates,
    )


def _reference_session(
    scenario: Scenario,
    negs: Mapping[str, Negotiator],
    overrides: Mapping[str, float],
    clock: int,
) -> tuple[str, int, dict[str, Any] | None, dict[str, float], dict[str, float]]:
    """(outcome, 1-based round, agreement, utilities, discounted) under INTERFACE14's rules."""
    proto = scenario.protocol
    names = list(scenario.party_names)
    n_p = len(names)
    f = names.index(proto.first_mover)
    order = names[f:] + names[:f]
    q_needed = proto.needed(n_p)
    dates = proto.round_dates()
    beliefs = {p: deadline_belief(scenario, p, overrides) for p in names}

    def params(p: str, k: int) -> PartyParameters:
        return party_parameters(scenario, p, on=dates[k], overrides=overrides)

    def answer(p: str, k: int, offer: dict[str, Any], proposer: str) -> Response:
        state = _state(scenario, p, k, params(p, k), proposer, beliefs[p])
        return negs[p].respond(state, dict(offer))

    def refused(offer: dict[str, Any], k: int) -> list[str]:
        return [p for p in names if not ratifier_approves(params(p, k), offer)]

    text = {
        i.id: float(math.floor((i.range[0] + i.range[1]) / 2))
        if i.kind == "integer"
        else (i.range[0] + i.range[1]) / 2
        for i in scenario.issues
        if i.range is not None
    }
    proposer = order[0]
    ratfail = False
    agreement: dict[str, Any] | None = None
    outcome = "deadline"
    k = 0
    for k in range(len(dates)):
        if proto.kind == "alternating_offers":
            state = _state(scenario, proposer, k, params(proposer, k), proposer, beliefs[proposer])
            offer = dict(negs[proposer].propose(state))
            at = order.index(proposer)
            responders = [order[(at + r) % n_p] for r in range(1, n_p)]
            answers = []
            for q in responders:
                answers.append((q, answer(q, k, offer, proposer)))
                if proto.decision_rule == "unanimity" and answers[-1][1] is not Response.ACCEPT:
                    break
            yes = 1 + sum(a is Response.ACCEPT for _, a in answers)
            against = [q for q, a in answers if a is not Response.ACCEPT]
        else:
            offer = dict(text)
            answers = [(q, answer(q, k, offer, "mediator")) for q in order]
            yes = sum(a is Response.ACCEPT for _, a in answers)
            against = [q for q, a in answers if a is not Response.ACCEPT]
        assert not any(a is Response.WALK_AWAY for _, a in answers)
        if yes >= q_needed:
            refusers = refused(offer, k)
            if not refusers:
                agreement, outcome = offer, "agreement"
                break
            ratfail = True
            against = refusers
            next_proposer = order[(order.index(proposer) + 1) % n_p]
        else:
            next_proposer = against[0] if proto.kind == "alternating_offers" else proposer
        if k >= clock:
            outcome = "breakdown"
            break
        if proto.kind == "alternating_offers":
            proposer = next_proposer
        else:  # the mediator's amendment, on public (central) parameters of date_k
            central_params = {p: party_parameters(scenario, p, on=dates[k]) for p in names}
            for j, issue in enumerate(scenario.issues):
                assert issue.range is not None
                lo, hi = issue.range
                acc = 0.0
                for p in names:
                    if p in against:
                        u = central_params[p].utility
                        part = u.parts[j]
                        assert isinstance(part, NumericUtility)
                        s = 1.0 if part.ideal > part.reservation else -1.0
                        acc += s * u.weights[j]
                x = text[issue.id] + proto.mediator_step * (hi - lo) * acc / n_p
                x = min(max(x, lo), hi)
                if issue.kind == "integer":
                    x = float(np.rint(x))
                text[issue.id] = x
    if outcome == "deadline" and ratfail:
        outcome = "ratification_failure"
    final = {p: params(p, k) for p in names}
    if agreement is not None:
        und = {p: final[p].utility(agreement) for p in names}
        disc = {p: final[p].discount ** k * und[p] for p in names}
    else:
        und = {p: final[p].outside_option for p in names}
        disc = dict(und)
    return outcome, k + 1, agreement, und, disc


def _check(scenario: Scenario, specs: Sequence[str], n: int = N) -> Any:
    draws = draw(uncertain_parameters(scenario), n, seed=SEED, method="lhs")
    batch = run_batch(scenario, specs, draws, seed=SEED, n=n)
    assert batch.vectorised
    names = scenario.party_names
    for i in range(n):
        overrides = {k: float(v[i]) for k, v in draws.items()}
        gens = session_generators(SEED, n, i, parties=len(names))
        risk = overrides.get(
            BREAKDOWN_RISK_KEY, central(scenario.protocol.breakdown_risk_per_round)
        )
        clock = int(breakdown_clock(gens[0].random(), risk))
        negs = {p: make_negotiator(s) for p, s in zip(names, specs, strict=True)}
        outcome, rnd, agreement, und, disc = _reference_session(scenario, negs, overrides, clock)
        assert OUTCOMES[batch.outcome[i]] == outcome, i
        assert batch.round[i] == rnd, i
        for iid in scenario.issue_ids:
            got = batch.values[iid][i]
            if agreement is None:
                assert np.isnan(got), (i, iid)
            else:
                assert got == agreement[iid], (i, iid)
        for p in names:
            assert batch.utilities[p][i] == pytest.approx(und[p], abs=1e-12), (i, p)
            assert batch.discounted[p][i] == pytest.approx(disc[p], abs=1e-12), (i, p)
    _check_against_run_session(scenario, specs, draws, batch, n)
    return batch


def _check_against_run_session(
    scenario: Scenario, specs: Sequence[str], draws: Mapping[str, Any], batch: Any, n: int
) -> None:
    """The engine's sessions are the one-session protocol's (``run_session``), bit for bit."""
    names = scenario.party_names
    for i in range(n):
        single = run_session(
            scenario,
            {p: make_negotiator(s) for p, s in zip(names, specs, strict=True)},
            seed=session_generators(SEED, n, i, parties=len(names)),
            overrides={k: float(v[i]) for k, v in draws.items()},
            transcript=False,
        )
        assert OUTCOMES[batch.outcome[i]] == single.outcome, i
        assert batch.round[i] == single.round, i
        assert bool(batch.after_deadline[i]) == single.after_deadline, i
        for iid in scenario.issue_ids:
            got = batch.values[iid][i]
            want = np.nan if single.agreement is None else float(single.agreement[iid])
            assert (np.isnan(got) and np.isnan(want)) or got == want, (i, iid)
        for p in names:
            assert batch.utilities[p][i] == pytest.approx(single.utilities[p], abs=1e-12)
            assert batch.discounted[p][i] == pytest.approx(
                single.discounted_utilities[p], abs=1e-12
            )


@pytest.mark.parametrize(("kind", "rule", "quota"), PROTOCOLS)
@pytest.mark.parametrize("specs", NEGOTIATORS[3])
def test_three_parties_engine_equals_the_rules(
    kind: str, rule: str, quota: int | None, specs: list[str]
) -> None:
    batch = _check(_scenario(THREE, kind, rule, quota), specs)
    # the scenario exercises the rules: sessions end in more than one way
    assert len(set(batch.outcome.tolist())) >= 2


@pytest.mark.parametrize(
    ("kind", "rule", "quota"), [*PROTOCOLS, ("alternating_offers", "majority", 4)]
)
@pytest.mark.parametrize("specs", NEGOTIATORS[5])
def test_five_parties_engine_equals_the_rules(
    kind: str, rule: str, quota: int | None, specs: list[str]
) -> None:
    _check(_scenario(FIVE, kind, rule, quota), specs)


@pytest.mark.parametrize("step", [0.05, 0.5, 1.0])
def test_single_text_with_a_large_step_hits_the_ranges(step: float) -> None:
    """The mediator's clamp and rounding: a step of 1 moves a text across the whole range."""
    _check(_scenario(THREE, "single_text", "majority", None, step), ["conceder"] * 3, n=60)


def test_mediator_directions_are_public_central_weights_with_signs() -> None:
    """s_ij w_ij from the central parameters: A prefers a low share (s = -1, w = 0.6) and a high
    budget (s = +1, central weight 0.4 of uniform [0.3, 0.5])."""
    sc = _scenario(THREE, "single_text", "unanimity", None)
    sw = mediator_directions(sc, [sc.protocol.start])
    assert sw.shape == (1, 3, 2)
    assert sw[0, 0, 0] == -0.6
    assert sw[0, 0, 1] == pytest.approx(0.4)
    assert sw[0, 1].tolist() == [0.5, -0.5]


def test_negotiators_the_path_cannot_play_go_to_the_one_session_protocol() -> None:
    """Tit-for-tat with three parties: the engine hands the batch to the one-session protocol,
    which refuses a negotiator that does not play multilateral, naming it."""
    sc = _scenario(THREE, "alternating_offers", "unanimity", None)
    with pytest.raises(SimulationError, match=r"tit-for-tat|TitForTat"):
        run_batch(sc, ["linear", "tit-for-tat", "linear"], {}, seed=0, n=3)


def test_forced_sessions_equal_the_engine() -> None:
    """``force_sessions`` plays the same sessions through the one-session protocol: the same
    answers as the N-party path (five parties, the single text, a quota)."""
    sc = _scenario(FIVE, "single_text", "majority", 4)
    draws = draw(uncertain_parameters(sc), 60, seed=SEED)
    specs = NEGOTIATORS[5][0]
    fast = run_batch(sc, specs, draws, seed=SEED, n=60)
    slow = run_batch(sc, specs, draws, seed=SEED, n=60, force_sessions=True)
    assert fast.vectorised
    assert not slow.vectorised
    np.testing.assert_array_equal(fast.outcome, slow.outcome)
    np.testing.assert_array_equal(fast.round, slow.round)
    for iid in sc.issue_ids:
        np.testing.assert_array_equal(fast.values[iid], slow.values[iid])
    for p in sc.party_names:
        np.testing.assert_allclose(fast.utilities[p], slow.utilities[p], rtol=0, atol=1e-12)
