"""The N-party protocols (issue 14): known values worked by hand, and hostile negotiators.

The rules are numbered in :mod:`burdenshare.negotiation.protocol` (12: stacked alternating
offers, Aydogan et al. 2017; 13: the single negotiating text, Raiffa 1982 ch. 14; 14: which
negotiators play them). Every expected value below is derived in the comment above it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

import numpy as np
import pytest

from burdenshare.errors import ScenarioError, SimulationError
from burdenshare.negotiation import (
    Hardliner,
    Linear,
    NashSeeker,
    Negotiator,
    PastOffer,
    Response,
    run_session,
)
from burdenshare.negotiation.negotiators.base import CAPABILITIES
from burdenshare.negotiation.protocol import negotiation_state, party_view
from burdenshare.negotiation.session import SessionPlan
from burdenshare.negotiation.state import MEDIATOR, NegotiationState
from burdenshare.preferences import Outcome
from burdenshare.scenario import Scenario
from burdenshare.scenario.io import parse_scenario_text

A, R, W = Response.ACCEPT, Response.REJECT, Response.WALK_AWAY


def _scenario(parties: str, protocol: str, issues: str = "[{id: x, range: [0, 1]}]") -> Scenario:
    return parse_scenario_text(
        f"id: multi\ntitle: multilateral test\nas_of: 2020-01-01\nissues: {issues}\n"
        f"parties:\n{parties}\nprotocol:\n  start: 2020-01-01\n  round_every_days: 1\n"
        f"{protocol}"
    ).scenario


#: A wants x high, B wants y high, C wants both low (the example of protocol.py's docstring)
PIE3 = """\
  A:
    utility:
      x: {ideal: 1, reservation: 0, weight: 1}
      y: {ideal: 0, reservation: 1, weight: 0}
  B:
    utility:
      x: {ideal: 0, reservation: 1, weight: 0}
      y: {ideal: 1, reservation: 0, weight: 1}
  C:
    utility:
      x: {ideal: 0, reservation: 1, weight: 0.5}
      y: {ideal: 0, reservation: 1, weight: 0.5}
"""
TWO_ISSUES = "[{id: x, range: [0, 1]}, {id: y, range: [0, 1]}]"

#: A and C want x = 1, B wants x = 0 (hardliners: a deal only on someone's ideal)
TWO_AGAINST_ONE = """\
  A: {utility: {x: {ideal: 1, reservation: 0}}}
  B: {utility: {x: {ideal: 0, reservation: 1}}}
  C: {utility: {x: {ideal: 1, reservation: 0}}}
"""


def _hardliners(scenario: Scenario) -> dict[str, Negotiator]:
    return {p: Hardliner() for p in scenario.party_names}


def _answers(result: object) -> list[tuple[str, dict[str, str]]]:
    return [
        (o.proposer, {p: r.value for p, r in o.responses.items()})
        for o in result.transcript  # type: ignore[attr-defined]
    ]


# -- stacked alternating offers ------------------------------------------------------------------


def test_three_linear_negotiators_split_by_hand() -> None:
    # Five daily rounds, so t = k / 4 and each linear negotiator asks 1 - t (u_min = 0).
    # Round 1 (t = 0): A offers its ideal (x, y) = (1, 0); B gets 0 < 1: B rejects, proposes.
    # Round 2 (t = 1/4): B offers y = 0.75 and x at its own utility 0.75, x = 0.25; C, next in
    #   turn, gets 0.5 * 0.75 + 0.5 * 0.25 = 0.5 < 0.75: C rejects, proposes.
    # Round 3 (t = 1/2): C offers (0.5, 0.5); A gets 0.5 >= 0.5, B gets 0.5 >= 0.5: agreement.
    scenario = _scenario(PIE3, "  first_mover: A\n  deadline: 2020-01-05\n", TWO_ISSUES)
    result = run_session(scenario, {p: Linear() for p in "ABC"}, seed=0)
    assert _answers(result) == [
        ("A", {"B": "reject"}),
        ("B", {"C": "reject"}),
        ("C", {"A": "accept", "B": "accept"}),
    ]
    assert result.transcript[1].outcome == pytest.approx({"x": 0.25, "y": 0.75}, abs=1e-12)
    assert result.outcome == "agreement"
    assert result.round == 3
    assert result.agreement == pytest.approx({"x": 0.5, "y": 0.5}, abs=1e-12)
    assert result.utilities == pytest.approx({"A": 0.5, "B": 0.5, "C": 0.5}, abs=1e-12)
    assert result.cause == "A and B accepted C's offer in round 3 (2020-01-03)."


def test_majority_passes_two_of_three_and_unanimity_does_not() -> None:
    # Hardliners propose their ideal. Under majority (Q = 2) A's x = 1 is rejected by B and
    # accepted by C: 1 + 1 >= 2, it passes in round 1. Under unanimity B's rejection stops the
    # asking (C is never asked) and B proposes x = 0, which A and C reject: no deal.
    majority = _scenario(
        TWO_AGAINST_ONE, "  first_mover: A\n  deadline: 2020-01-04\n  decision_rule: majority\n"
    )
    result = run_session(majority, _hardliners(majority))
    assert _answers(result) == [("A", {"B": "reject", "C": "accept"})]
    assert result.agreement == {"x": 1.0}
    assert result.cause == "A's offer passed 2 of 3 in round 1 (2020-01-01)."
    assert result.utilities == {"A": 1.0, "B": 0.0, "C": 1.0}

    unanimity = _scenario(TWO_AGAINST_ONE, "  first_mover: A\n  deadline: 2020-01-04\n")
    result = run_session(unanimity, _hardliners(unanimity))
    # the first rejecter proposes next: A (B rejects), B (C rejects), C (B rejects), B, ...
    assert _answers(result) == [
        ("A", {"B": "reject"}),
        ("B", {"C": "reject"}),
        ("C", {"A": "accept", "B": "reject"}),
        ("B", {"C": "reject"}),
    ]
    assert result.outcome == "deadline"


def test_a_quota_of_four_of_five() -> None:
    # P1, P2 and P3 want x = 1, P4 and P5 x = 0; hardliners. The simple majority (3) passes
    # P1's ideal in round 1 (P2, P3 accept); a quota of 4 does not, and P4, the first rejecter,
    # proposes x = 0, accepted by P5 only (2 of 5).
    ends = {i: (1, 0) if i <= 3 else (0, 1) for i in range(1, 6)}
    parties = "".join(
        f"  P{i}: {{utility: {{x: {{ideal: {hi}, reservation: {lo}}}}}}}\n"
        for i, (hi, lo) in ends.items()
    )
    base = "  first_mover: P1\n  deadline: 2020-01-02\n  decision_rule: majority\n"
    simple = _scenario(parties, base)
    result = run_session(simple, _hardliners(simple))
    assert result.round == 1
    assert result.cause == "P1's offer passed 3 of 5 in round 1 (2020-01-01)."
    assert _answers(result)[0][1] == {
        "P2": "accept",
        "P3": "accept",
        "P4": "reject",
        "P5": "reject",
    }

    quota = _scenario(parties, base + "  quota: 4\n")
    result = run_session(quota, _hardliners(quota))
    assert [o.proposer for o in result.transcript] == ["P1", "P4"]
    assert _answers(result)[1][1] == {
        "P5": "accept",
        "P1": "reject",
        "P2": "reject",
        "P3": "reject",
    }
    assert result.outcome == "deadline"


def test_after_a_ratifiers_refusal_the_party_after_the_proposer_proposes() -> None:
    # Majority of 3: A's and B's ideal x = 1 passes (B accepts, C rejects), but C's parliament
    # approves only x <= 0.5 and refuses it. The next proposer is the party after A in turn
    # order, B (not C, the first rejecter); B's x = 1 passes and is refused again; then C, whose
    # x = 0 A and B reject (1 of 3): the first rejecter, A, proposes x = 1 again: refused.
    parties = """\
  A: {utility: {x: {ideal: 1, reservation: 0}}}
  B: {utility: {x: {ideal: 1, reservation: 0}}}
  C:
    utility: {x: {ideal: 0, reservation: 1}}
    ratification: {body: Parliament, issue: x, approval_threshold: 0.5}
"""
    scenario = _scenario(
        parties, "  first_mover: A\n  deadline: 2020-01-04\n  decision_rule: majority\n"
    )
    result = run_session(scenario, _hardliners(scenario))
    assert [o.proposer for o in result.transcript] == ["A", "B", "C", "A"]
    refused = {"C": False}
    assert [o.ratification for o in result.transcript] == [refused, refused, {}, refused]
    assert result.outcome == "ratification_failure"
    assert "C's Parliament rejected an accepted offer" in result.cause


def test_next_proposer_from_a_hand_written_history() -> None:
    scenario = _scenario(TWO_AGAINST_ONE, "  first_mover: B\n  deadline: 2020-01-04\n")
    plan = SessionPlan(scenario)
    assert plan.order == ("B", "C", "A")
    past = PastOffer(0, "B", {"x": 0.0}, R, None, (("C", A), ("A", R)))
    assert plan.next_proposer(past) == "A"
    state = negotiation_state(scenario, "C", 1, history=(past,))
    assert state.proposer == "A"
    # without history: the party k turns after the first mover
    assert negotiation_state(scenario, "A", 2).proposer == "A"
    assert negotiation_state(scenario, "A", 1, proposer="B").proposer == "B"
    with pytest.raises(SimulationError, match="unknown proposer 'Z'"):
        negotiation_state(scenario, "A", 1, proposer="Z")


# -- the single negotiating text -------------------------------------------------------------------

#: two hardliners on a continuous and an integer issue with weights 3/4 and 1/4 (binary exact)
TEXT2 = """\
  A:
    utility:
      x: {ideal: 10, reservation: 0, weight: 0.75}
      y: {ideal: 1, reservation: 6, weight: 0.25}
  B:
    utility:
      x: {ideal: 0, reservation: 10, weight: 0.25}
      y: {ideal: 6, reservation: 1, weight: 0.75}
"""
TEXT2_ISSUES = "[{id: x, range: [0, 10]}, {id: y, kind: integer, range: [1, 6]}]"


def test_the_single_text_moves_toward_the_rejecters_by_hand() -> None:
    # T_0 = (5, floor(3.5) = 3). Both reject every text (neither is ever at its ideal), so R =
    # {A, B}. On x: acc = (+1)(0.75) + (-1)(0.25) = 0.5, x += 0.5 * 10 * 0.5 / 2 = 1.25 each round
    # up to 10. On y: acc = (-1)(0.25) + (+1)(0.75) = 0.5, y += 0.5 * 5 * 0.5 / 2 = 0.625, then
    # rounded half to even: 3.625 -> 4, 4.625 -> 5, 5.625 -> 6, 6.625 -> 6 (clipped first).
    scenario = _scenario(
        TEXT2,
        "  first_mover: B\n  deadline: 2020-01-05\n  kind: single_text\n  mediator_step: 0.5\n",
        TEXT2_ISSUES,
    )
    result = run_session(scenario, _hardliners(scenario))
    assert [o.outcome for o in result.transcript] == [
        {"x": 5.0, "y": 3.0},
        {"x": 6.25, "y": 4.0},
        {"x": 7.5, "y": 5.0},
        {"x": 8.75, "y": 6.0},
        {"x": 10.0, "y": 6.0},
    ]
    assert {o.proposer for o in result.transcript} == {MEDIATOR}
    # every party answers, in turn order from the first mover
    assert _answers(result)[0] == (MEDIATOR, {"B": "reject", "A": "reject"})
    assert result.outcome == "deadline"


def test_the_text_moves_toward_one_rejecter_only() -> None:
    # R = {A}: x moves by 0.5 * 10 * 0.75 / 2 = 1.875 toward A's ideal, y by
    # 0.5 * 5 * (-0.25) / 2 = -0.3125 toward A's ideal 1 (3 - 0.3125 = 2.6875 -> 3).
    scenario = _scenario(
        TEXT2,
        "  first_mover: A\n  deadline: 2020-01-05\n  kind: single_text\n  mediator_step: 0.5\n",
        TEXT2_ISSUES,
    )
    plan = SessionPlan(scenario)
    assert plan.first_text() == {"x": 5.0, "y": 3.0}
    assert plan.amend({"x": 5.0, "y": 3.0}, frozenset({"A"}), 0) == {"x": 6.875, "y": 3.0}
    assert plan.amend({"x": 5.0, "y": 3.0}, frozenset(), 0) == {"x": 5.0, "y": 3.0}


def test_a_single_text_that_passes_three_ways_by_hand() -> None:
    # The three-party pie, linear negotiators asking 1 - t (t = k / 4), step 0.05, P = 3.
    # Signs and weights: A (x: +1, 1; y: -1, 0), B (x: -1, 0; y: +1, 1), C (x: -1, 1/2; y: -1, 1/2).
    # Round 1: T_0 = (1/2, 1/2), worth 1/2 to each, each asks 1: all reject. acc_x = 1 - 1/2 and
    #   acc_y = 1 - 1/2, so both issues move by d = 0.05 * 1 * 0.5 / 3 = 1/120.
    # Round 2 (asks 3/4): T_1 = 1/2 + d everywhere: all reject; T_2 = 1/2 + 2d.
    # Round 3 (asks 1/2): A and B get 1/2 + 2d and accept, C gets 1/2 - 2d and rejects: R = {C},
    #   acc = -1/2 on both issues, T_3 = 1/2 + d.
    # Round 4 (asks 1/4): all accept T_3 = (1/2 + 1/120, 1/2 + 1/120).
    scenario = _scenario(
        PIE3, "  first_mover: A\n  deadline: 2020-01-05\n  kind: single_text\n", TWO_ISSUES
    )
    result = run_session(scenario, {p: Linear() for p in "ABC"})
    d = 0.05 * 1.0 * 0.5 / 3
    texts = [o.outcome["x"] for o in result.transcript]
    assert texts == pytest.approx([0.5, 0.5 + d, 0.5 + 2 * d, 0.5 + d], abs=1e-15)
    assert [o.outcome["y"] for o in result.transcript] == texts
    assert _answers(result)[2] == (MEDIATOR, {"A": "accept", "B": "accept", "C": "reject"})
    assert result.outcome == "agreement"
    assert result.round == 4
    assert result.cause == "A, B and C accepted the mediator's text in round 4 (2020-01-04)."
    # under a majority of 2 the text passes in round 3 already, with C against
    majority = _scenario(
        PIE3,
        "  first_mover: A\n  deadline: 2020-01-05\n  kind: single_text\n"
        "  decision_rule: majority\n",
        TWO_ISSUES,
    )
    result = run_session(majority, {p: Linear() for p in "ABC"})
    assert result.round == 3
    assert result.agreement == pytest.approx({"x": 0.5 + 2 * d, "y": 0.5 + 2 * d}, abs=1e-15)
    assert result.cause == "The mediator's text passed 2 of 3 in round 3 (2020-01-03)."


# -- hostile negotiators and inputs ---------------------------------------------------------------


class _Scripted(Negotiator):
    """Plays with any number of parties: proposes ``offer`` and answers ``answer``."""

    name: ClassVar[str] = "scripted"
    traits: ClassVar[Mapping[str, object]] = MappingProxyType(
        {"family": "test", "stochastic": False, "uses_opponent_model": False, "concedes": False}
    )
    supports: ClassVar[frozenset[str]] = CAPABILITIES

    def __init__(self, offer: object = None, answer: object = Response.REJECT) -> None:
        self.offer = offer
        self.answer = answer

    def propose(self, state: NegotiationState) -> Outcome:
        return self.offer  # type: ignore[return-value]

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        return self.answer  # type: ignore[return-value]


def test_a_walk_away_by_the_third_party_ends_the_talks() -> None:
    # Majority: every responder is asked; B rejects, then C walks away: breakdown at once, no
    # draw. The decisive answer is the first non-acceptance (B's rejection); the cause names C.
    scenario = _scenario(
        TWO_AGAINST_ONE, "  first_mover: A\n  deadline: 2020-01-04\n  decision_rule: majority\n"
    )
    cast = {"A": Hardliner(), "B": Hardliner(), "C": _Scripted(answer=W)}
    result = run_session(scenario, cast)
    assert result.outcome == "breakdown"
    assert result.cause == "C walked away in round 1 (2020-01-01)."
    assert _answers(result) == [("A", {"B": "reject", "C": "walk_away"})]
    assert result.utilities == {"A": 0.0, "B": 0.0, "C": 0.0}
    # under unanimity a walk-away by the first responder stops the asking
    unanimity = _scenario(TWO_AGAINST_ONE, "  first_mover: C\n  deadline: 2020-01-04\n")
    cast = {"A": _Scripted(answer=W), "B": Hardliner(), "C": Hardliner()}
    result = run_session(unanimity, cast)
    assert _answers(result) == [("C", {"A": "walk_away"})]
    assert result.cause == "A walked away in round 1 (2020-01-01)."


@pytest.mark.parametrize(
    ("offer", "message"),
    [
        ("x=1", "propose\\(\\) must return a mapping"),
        ({"x": float("nan")}, "expected a number in \\[0, 1\\]"),
        ({"x": 2.0}, "expected a number in \\[0, 1\\]"),
        ({"x": 0.5, "z": 1}, "unknown issue 'z'"),
        ({}, "no value for issue 'x'"),
    ],
)
def test_garbage_offers_from_the_third_party_are_refused(offer: object, message: str) -> None:
    scenario = _scenario(TWO_AGAINST_ONE, "  first_mover: C\n  deadline: 2020-01-04\n")
    cast = {"A": Hardliner(), "B": Hardliner(), "C": _Scripted(offer=offer)}
    with pytest.raises(SimulationError, match=message) as e:
        run_session(scenario, cast)
    assert "proposing for C in round 1" in str(e.value)


@pytest.mark.parametrize("answer", [None, "accept", True, 1])
def test_garbage_answers_from_the_third_party_are_refused(answer: object) -> None:
    # majority: C is asked after B, whatever B says
    scenario = _scenario(
        TWO_AGAINST_ONE, "  first_mover: A\n  deadline: 2020-01-04\n  decision_rule: majority\n"
    )
    cast = {"A": Hardliner(), "B": Hardliner(), "C": _Scripted(answer=answer)}
    with pytest.raises(
        SimulationError, match=r"responding for C in round 1.*must return a Response"
    ):
        run_session(scenario, cast)


def test_bilateral_negotiators_are_refused_with_three_parties_by_name() -> None:
    scenario = _scenario(TWO_AGAINST_ONE, "  first_mover: A\n  deadline: 2020-01-04\n")
    cast: dict[str, Negotiator] = {"A": Hardliner(), "B": NashSeeker(), "C": Hardliner()}
    with pytest.raises(
        SimulationError,
        match=r"NashSeeker\(\) \(for B\) plays two-party alternating offers only; this "
        r"scenario has 3",
    ):
        run_session(scenario, cast)


def test_bilateral_negotiators_are_refused_under_the_single_text() -> None:
    """A negotiator that models its one opponent from its offers would read the mediator's texts
    as the opponent's: refused under the single text even with two parties."""
    two = (
        "  A: {utility: {x: {ideal: 1, reservation: 0}}}\n"
        "  B: {utility: {x: {ideal: 0, reservation: 1}}}\n"
    )
    scenario = _scenario(two, "  kind: single_text\n  first_mover: A\n  deadline: 2020-01-04\n")
    cast: dict[str, Negotiator] = {"A": Hardliner(), "B": NashSeeker()}
    with pytest.raises(
        SimulationError, match="under the single text its offers come from the mediator"
    ):
        run_session(scenario, cast)
    assert run_session(scenario, _hardliners(scenario)).outcome == "deadline"


def test_a_party_may_not_be_called_mediator() -> None:
    with pytest.raises(ScenarioError, match="names the single text's mediator") as e:
        _scenario(
            TWO_AGAINST_ONE.replace("  C:", "  mediator:"),
            "  first_mover: A\n  deadline: 2020-01-04\n",
        )
    assert e.value.field == "parties.mediator"


def test_one_negotiator_object_for_two_parties_is_refused() -> None:
    scenario = _scenario(TWO_AGAINST_ONE, "  first_mover: A\n  deadline: 2020-01-04\n")
    shared = Hardliner()
    with pytest.raises(SimulationError, match="A and C were given the same negotiator object"):
        run_session(scenario, {"A": shared, "B": Hardliner(), "C": shared})


def test_seeds_for_p_parties() -> None:
    scenario = _scenario(TWO_AGAINST_ONE, "  first_mover: A\n  deadline: 2020-01-04\n")
    gens = tuple(np.random.default_rng(i) for i in range(4))
    assert run_session(scenario, _hardliners(scenario), seed=gens).outcome == "deadline"
    with pytest.raises(SimulationError, match="must hold 4 numpy Generators"):
        run_session(scenario, _hardliners(scenario), seed=gens[:3])


def test_the_view_of_a_party_among_three() -> None:
    scenario = _scenario(
        TWO_AGAINST_ONE, "  first_mover: A\n  deadline: 2020-01-04\n  information: complete\n"
    )
    view = party_view(scenario, "B")
    assert view.opponent is None
    assert view.opponent_estimate is None
    assert view.opponent_prior is None
    assert list(view.opponents) == ["A", "C"]
    assert all(p is not None and p.name == n for n, p in view.opponents.items())
    # with two parties the single opponent stays, and is among the opponents too
    two = _scenario(
        "  A: {utility: {x: {ideal: 1, reservation: 0}}}\n"
        "  B: {utility: {x: {ideal: 0, reservation: 1}}}\n",
        "  first_mover: A\n  deadline: 2020-01-04\n",
    )
    view = party_view(two, "A")
    assert view.opponent == "B"
    assert dict(view.opponents) == {"B": view.opponent_estimate}


def test_breakdown_causes_in_words_two_and_three_parties() -> None:
    # With a breakdown risk of 0.99, the clock of seed 0 is 0 (u < 0.99): the first rejection
    # ends the talks. The bilateral words are those of issues 1-13 (no date after the round:
    # the golden answers keep them).
    two = _scenario(
        "  A: {utility: {x: {ideal: 1, reservation: 0}}}\n"
        "  B: {utility: {x: {ideal: 0, reservation: 1}}}\n",
        "  first_mover: A\n  deadline: 2020-01-04\n  breakdown_risk_per_round: 0.99\n",
    )
    assert run_session(two, _hardliners(two)).cause == (
        "The talks broke down after B rejected A's offer in round 1 (breakdown risk 99% per round)."
    )
    three = _scenario(
        TWO_AGAINST_ONE,
        "  first_mover: A\n  deadline: 2020-01-04\n  breakdown_risk_per_round: 0.99\n",
    )
    assert run_session(three, _hardliners(three)).cause == (
        "The talks broke down after B rejected A's offer in round 1 (breakdown risk 99% per round)."
    )
    text = _scenario(
        TWO_AGAINST_ONE,
        "  first_mover: A\n  deadline: 2020-01-04\n  breakdown_risk_per_round: 0.99\n"
        "  kind: single_text\n",
    )
    assert run_session(text, _hardliners(text)).cause == (
        "The talks broke down after the mediator's text failed (0 of 3 accepted, 3 needed) "
        "in round 1 (breakdown risk 99% per round)."
    )
