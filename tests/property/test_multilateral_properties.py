"""Properties of the N-party protocols (issue 14) on random scenarios.

* Unanimity: an agreement was accepted by every party asked, and every party's negotiator
  (a fresh one, asked again in that round) accepts it; under majority with quota Q, at least Q
  parties accepted it (the proposer included under alternating offers).
* Every offer lies in range, every utility is finite, the transcript has one offer per round.
* With two parties under alternating offers, the protocol is the bilateral protocol of
  issues 1-13: a reference loop written from the old rules (the proposer alternates, one
  responder) gives the same session for every built-in negotiator, scenario and seed; and
  ``majority`` (quota 2) gives the same sessions as ``unanimity``.

Hypothesis runs derandomised (the same examples every time) with a bounded number of examples.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from burdenshare.negotiation import NEGOTIATORS, Negotiator, make_negotiator, run_session
from burdenshare.negotiation.protocol import (
    breakdown_clock,
    negotiation_state,
    party_view,
    ratifier_approves,
)
from burdenshare.negotiation.session import Session, SessionPlan
from burdenshare.negotiation.state import MEDIATOR, PastOffer, Response
from burdenshare.negotiation.transcript import SessionResult
from burdenshare.scenario import Scenario
from burdenshare.scenario.io import parse_scenario_text

SETTINGS = settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
FRACTIONS = st.sampled_from([0.0, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 1.0])
OUTSIDE = st.sampled_from([-0.5, -0.1, 0.0, 0.0, 0.2, 0.5])
MULTILATERAL = ["boulware", "conceder", "hardliner", "linear", "time-dependent:e=0.5"]


def _at(issue: dict[str, Any], f: float) -> float:
    lo, hi = issue["range"]
    x = lo + f * (hi - lo)
    return float(round(x)) if issue["kind"] == "integer" else x


@st.composite
def scenarios(
    draw_: st.DrawFn, *, parties: st.SearchStrategy[int], multilateral: bool = True
) -> Scenario:
    """A random valid scenario with P parties; numeric and categorical issues, ratifiers,
    outside options, a dated event; under ``multilateral`` any protocol kind and rule."""
    n = draw_(parties)
    names = [f"P{i}" for i in range(n)]
    iss: list[dict[str, Any]] = []
    for k in range(draw_(st.integers(1, 3))):
        kind = draw_(st.sampled_from(["continuous", "integer", "categorical"]))
        if kind == "categorical":
            iss.append({"id": f"i{k}", "kind": kind, "values": ["c0", "c1", "c2"]})
            continue
        lo = draw_(st.integers(-20, 20))
        width = draw_(st.integers(2, 10)) if kind == "integer" else draw_(st.integers(1, 100))
        iss.append({"id": f"i{k}", "kind": kind, "range": [lo, lo + width]})
    spec: dict[str, Any] = {}
    for name in names:
        raw = draw_(st.lists(st.integers(1, 4), min_size=len(iss), max_size=len(iss)))
        ws = [round(r / sum(raw), 6) for r in raw[:-1]]
        ws.append(round(1.0 - sum(ws), 6))
        utility: dict[str, Any] = {}
        for issue, w in zip(iss, ws, strict=True):
            if issue["kind"] == "categorical":
                scores = [1.0, 0.5, 0.0]
                order = draw_(st.permutations(issue["values"]))
                utility[issue["id"]] = {
                    "scores": dict(zip(order, scores, strict=True)),
                    "weight": w,
                }
                continue
            ideal, res = _at(issue, draw_(FRACTIONS)), _at(issue, draw_(FRACTIONS))
            if ideal == res:
                lo, hi = issue["range"]
                res = float(lo) if ideal != lo else float(hi)
            utility[issue["id"]] = {"ideal": ideal, "reservation": res, "weight": w}
        party: dict[str, Any] = {
            "utility": utility,
            "discount_per_round": draw_(st.sampled_from([0.9, 1.0])),
            "outside_option": draw_(OUTSIDE),
        }
        numeric = [i for i in iss if i["kind"] != "categorical"]
        if numeric and draw_(st.integers(0, 3)) == 0:
            target = draw_(st.sampled_from(numeric))
            party["ratification"] = {
                "body": "Parliament",
                "issue": target["id"],
                "approval_threshold": _at(target, draw_(FRACTIONS)),
            }
        spec[name] = party
    protocol: dict[str, Any] = {
        "first_mover": draw_(st.sampled_from(names)),
        "start": "2020-01-01",
        "round_every_days": 1,
        "deadline": f"2020-01-{draw_(st.integers(2, 9)):02d}",
        "breakdown_risk_per_round": draw_(st.sampled_from([0.0, 0.0, 0.2])),
    }
    if draw_(st.booleans()):
        protocol["events"] = [
            {
                "date": "2020-01-03",
                "kind": "cost",
                "party": draw_(st.sampled_from(names)),
                "effects": {"outside_option": draw_(OUTSIDE)},
            }
        ]
    if multilateral:
        protocol["kind"] = draw_(st.sampled_from(["alternating_offers", "single_text"]))
        if draw_(st.booleans()):
            protocol["decision_rule"] = "majority"
            protocol["quota"] = draw_(st.integers(n // 2 + 1, n))
            protocol["mediator_step"] = draw_(st.sampled_from([0.05, 0.2, 1.0]))
    text = json.dumps(
        {
            "id": "random",
            "title": "a random scenario",
            "as_of": "2020-01-01",
            "issues": iss,
            "parties": spec,
            "protocol": protocol,
        }
    )
    return parse_scenario_text(text, fmt="json").scenario


def _accepts(result: SessionResult) -> int:
    last = result.transcript[-1]
    own = 0 if last.proposer == MEDIATOR else 1
    return own + sum(r is Response.ACCEPT for r in last.responses.values())


@SETTINGS
@given(
    scenario=scenarios(parties=st.integers(2, 5)),
    specs=st.lists(st.sampled_from(MULTILATERAL), min_size=5, max_size=5),
    seed=st.integers(0, 2**16),
)
def test_agreements_meet_the_decision_rule(scenario: Scenario, specs: list[str], seed: int) -> None:
    names = scenario.party_names
    cast = {p: make_negotiator(s) for p, s in zip(names, specs, strict=False)}
    result = run_session(scenario, cast, seed=seed)
    assert len(result.transcript) == result.round
    for offer in result.transcript:
        assert all(issue.contains(offer.outcome[issue.id]) for issue in scenario.issues)
        assert all(math.isfinite(u) for u in offer.utilities.values())
    assert all(math.isfinite(u) for u in result.discounted_utilities.values())
    if not result.agreed:
        return
    last = result.transcript[-1]
    assert result.agreement == last.outcome
    proto = scenario.protocol
    needed = proto.needed(len(names))
    assert _accepts(result) >= needed
    if proto.decision_rule == "unanimity":
        asked = [p for p in names if p != last.proposer]
        assert sorted(last.responses) == sorted(asked)
        # every party's negotiator, asked again in that round, accepts the agreement
        for party in asked:
            fresh = make_negotiator(specs[names.index(party)])
            fresh.start(party_view(scenario, party), np.random.default_rng(0))
            state = negotiation_state(scenario, party, result.round - 1, proposer=last.proposer)
            assert fresh.respond(state, dict(last.outcome)) is Response.ACCEPT, party


def _bilateral_reference(
    scenario: Scenario, negotiators: dict[str, Negotiator], seed: int
) -> tuple[Any, ...]:
    """The bilateral protocol as written before issue 14 (rules 1-11): the proposer alternates
    from the first mover, the other party responds; seeds by rule 3 with three children."""
    ss = np.random.SeedSequence(seed)
    protocol_rng, *rngs = (
        np.random.default_rng(np.random.SeedSequence(ss.entropy, spawn_key=(i,))) for i in range(3)
    )
    plan = SessionPlan(scenario)
    session = Session(plan, None)
    names = scenario.party_names
    for party, rng in zip(names, rngs, strict=True):
        negotiators[party].start(session.view(party), rng)
    clock = int(breakdown_clock(protocol_rng.random(), session.risk))
    first = scenario.protocol.first_mover
    history: list[PastOffer] = []
    rows = []
    kind, agreement, failed = "", None, False
    k = 0
    for k in range(len(session.dates)):
        proposer = first if k % 2 == 0 else scenario.other(first)
        responder = scenario.other(proposer)
        past = tuple(history)
        raw = negotiators[proposer].propose(session.state(proposer, k, past, proposer))
        offer = plan.validate_offer(raw, negotiators[proposer], proposer, k)
        response = negotiators[responder].respond(
            session.state(responder, k, past, proposer), dict(offer)
        )
        verdicts = {}
        if response is Response.ACCEPT:
            for p in names:
                prm = session.params(p, k)
                if prm.ratification_threshold is not None:
                    verdicts[p] = ratifier_approves(prm, offer)
        ratified = all(verdicts.values()) if response is Response.ACCEPT else None
        rows.append((proposer, responder, dict(offer), response, verdicts))
        history.append(PastOffer(k, proposer, offer, response, ratified))
        if ratified:
            kind, agreement = "agreement", dict(offer)
            break
        if response is Response.WALK_AWAY:
            kind = "breakdown"
            break
        failed = failed or ratified is False
        if k >= clock:
            kind = "breakdown"
            break
    if not kind:
        kind = "ratification_failure" if failed else "deadline"
    final = {p: session.params(p, k) for p in names}
    if agreement is not None:
        utilities = {p: final[p].utility(agreement) for p in names}
        discounted = {p: final[p].discount ** k * utilities[p] for p in names}
    else:
        utilities = {p: final[p].outside_option for p in names}
        discounted = dict(utilities)
    return kind, agreement, k + 1, utilities, discounted, rows


def _summary(result: SessionResult) -> tuple[Any, ...]:
    rows = [
        (o.proposer, o.responder, dict(o.outcome), o.response, dict(o.ratification))
        for o in result.transcript
    ]
    return (
        result.outcome,
        result.agreement,
        result.round,
        dict(result.utilities),
        dict(result.discounted_utilities),
        rows,
    )


@settings(SETTINGS, max_examples=100)
@given(
    scenario=scenarios(parties=st.just(2), multilateral=False),
    a=st.sampled_from(sorted(NEGOTIATORS)),
    b=st.sampled_from(sorted(NEGOTIATORS)),
    seed=st.integers(0, 2**16),
)
def test_two_parties_play_the_bilateral_protocol(
    scenario: Scenario, a: str, b: str, seed: int
) -> None:
    names = scenario.party_names
    expected = _bilateral_reference(
        scenario, {names[0]: make_negotiator(a), names[1]: make_negotiator(b)}, seed
    )
    result = run_session(
        scenario, {names[0]: make_negotiator(a), names[1]: make_negotiator(b)}, seed=seed
    )
    assert _summary(result) == expected
    for offer in result.transcript:  # one answer, the responder's
        assert dict(offer.responses) == {offer.responder: offer.response}
    majority = scenario.model_copy(
        update={"protocol": scenario.protocol.model_copy(update={"decision_rule": "majority"})}
    )
    again = run_session(
        majority, {names[0]: make_negotiator(a), names[1]: make_negotiator(b)}, seed=seed
    )
    assert again == result
