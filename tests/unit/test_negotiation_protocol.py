"""The alternating-offers protocol (burdenshare.negotiation.protocol), rule by rule."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar

import numpy as np
import pytest

from burdenshare.cli.app import main
from burdenshare.errors import SimulationError
from burdenshare.negotiation import (
    BREAKDOWN_RISK_KEY,
    NEGOTIATORS,
    Hardliner,
    Linear,
    NegotiationState,
    Negotiator,
    Response,
    negotiation_state,
    party_view,
    run_session,
)
from burdenshare.preferences import Outcome
from burdenshare.scenario import Scenario
from burdenshare.scenario.io import EXAMPLE, load_scenario, parse_scenario_text
from burdenshare.testing import RandomOfferer, contract_scenarios

NO_RISK = {BREAKDOWN_RISK_KEY: 0.0}


def pie(
    *,
    first: str = "A",
    deadline: str = "2020-01-05",
    extra_protocol: str = "",
    b_extra: str = "",
    risk: float = 0.0,
    every: int = 1,
) -> Scenario:
    """A unit pie: U_A = x, U_B = 1 - x; daily rounds from 1 Jan 2020."""
    text = f"""
id: pie
title: split a unit pie
as_of: 2020-01-01
money: {{unit: USD, scale: billion, fx: {{KRW: 1000}}}}
issues: [{{id: x, unit: money, range: [0, 1]}}]
parties:
  A: {{utility: {{x: {{ideal: 1, reservation: 0}}}}, discount_per_round: 0.9}}
  B: {{utility: {{x: {{ideal: 0, reservation: 1}}}}, discount_per_round: 0.8{b_extra}}}
protocol:
  first_mover: {first}
  start: 2020-01-01
  round_every_days: {every}
  deadline: {deadline}
  breakdown_risk_per_round: {risk}
{extra_protocol}
"""
    return parse_scenario_text(text).scenario


class Script(Negotiator):
    """Proposes ``offers[i]`` at its i-th proposal and answers ``responses[j]`` to its j-th offer
    received (the last entry repeats); values are for the single issue ``x`` unless a mapping."""

    name: ClassVar[str] = "script"
    traits: ClassVar[Mapping[str, object]] = MappingProxyType(
        {"family": "script", "stochastic": False, "uses_opponent_model": False, "concedes": False}
    )

    def __init__(
        self,
        offers: Sequence[object] = (0.5,),
        responses: Sequence[Response] = (Response.REJECT,),
    ) -> None:
        self.offers = offers
        self.responses = responses

    def propose(self, state: NegotiationState) -> Outcome:
        i = sum(p.proposer == state.party for p in state.history)
        value = self.offers[min(i, len(self.offers) - 1)]
        if isinstance(value, int | float) and not isinstance(value, bool):
            return {"x": value}
        return value  # type: ignore[return-value]

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        j = sum(p.proposer != state.party for p in state.history)
        return self.responses[min(j, len(self.responses) - 1)]


ACCEPT, REJECT, WALK = Response.ACCEPT, Response.REJECT, Response.WALK_AWAY


def test_proposers_alternate_from_the_first_mover() -> None:
    for first, order in (("A", "ABABA"), ("B", "BABAB")):
        result = run_session(pie(first=first), {"A": Hardliner(), "B": Hardliner()})
        assert "".join(o.proposer for o in result.transcript) == order
        assert all(o.responder != o.proposer for o in result.transcript)
        assert [o.round for o in result.transcript] == [1, 2, 3, 4, 5]


def test_rounds_take_place_on_the_protocol_dates() -> None:
    scenario = pie(
        every=10, deadline="2020-01-20", extra_protocol="  horizon: 2020-03-01\n  max_rounds: 4"
    )
    expected = [
        dt.date(2020, 1, 1),
        dt.date(2020, 1, 11),
        dt.date(2020, 1, 21),
        dt.date(2020, 1, 31),
    ]
    result = run_session(scenario, {"A": Hardliner(), "B": Hardliner()})
    assert [o.date for o in result.transcript] == expected
    assert result.date == expected[-1]
    assert result.round == 4
    view = party_view(scenario, "A")
    assert view.round_dates == tuple(expected)
    assert view.n_rounds == 4
    assert view.deadline_round == 1  # 11 Jan is the last round on or before 20 Jan
    assert view.first_mover == "A"
    assert view.opponent == "B"


def test_ratifier_rejection_continues_and_ends_as_ratification_failure() -> None:
    scenario = pie(b_extra=", ratification: {body: Parliament, issue: x, approval_threshold: 0.6}")
    # A always asks x = 0.8 (beyond what B's parliament approves) and B always accepts
    result = run_session(scenario, {"A": Script([0.8], [REJECT]), "B": Script([0.1], [ACCEPT])})
    assert result.outcome == "ratification_failure"
    assert result.agreement is None
    assert result.round == 5
    first = result.transcript[0]
    assert first.response is ACCEPT
    assert first.ratification == {"B": False}
    assert not first.ratified
    assert len(result.transcript) == 5  # the talks went on after each ratifier rejection
    assert "B's Parliament rejected an accepted offer" in result.cause


def test_ratifier_approval_at_the_threshold_gives_an_agreement() -> None:
    scenario = pie(b_extra=", ratification: {body: Parliament, issue: x, approval_threshold: 0.6}")
    result = run_session(scenario, {"A": Script([0.8, 0.6]), "B": Script([0.0], [ACCEPT])})
    assert [o.ratified for o in result.transcript] == [False, None, True]
    assert result.outcome == "agreement"
    assert result.agreement == {"x": 0.6}
    assert result.round == 3


def test_zero_breakdown_risk_never_breaks_down() -> None:
    scenario = pie(risk=0.0)
    for seed in range(25):
        result = run_session(scenario, {"A": Hardliner(), "B": Hardliner()}, seed=seed)
        assert result.outcome == "deadline"


@pytest.mark.parametrize("risk", [0.999999, 1.0])
def test_certain_breakdown_risk_ends_after_the_first_rejection(risk: float) -> None:
    result = run_session(
        pie(), {"A": Hardliner(), "B": Hardliner()}, overrides={BREAKDOWN_RISK_KEY: risk}
    )
    assert result.outcome == "breakdown"
    assert result.round == 1
    assert len(result.transcript) == 1
    assert "broke down" in result.cause


def test_one_protocol_draw_sets_the_breakdown_clock_independent_of_negotiator_draws() -> None:
    seed, risk = 11, 0.35
    # rule 3: the protocol's generator is child 0 of the seed's SeedSequence; rule 7: one draw
    u = np.random.default_rng(np.random.SeedSequence(seed).spawn(3)[0]).random()
    clock = int(np.floor(np.log(1 - u) / np.log(1 - risk)))
    expected_round = clock + 1 if clock + 1 <= 5 else None
    for a in (Hardliner(), RandomOfferer()):  # RandomOfferer draws from its own generator
        result = run_session(
            pie(), {"A": a, "B": RandomOfferer()}, seed=seed, overrides={BREAKDOWN_RISK_KEY: risk}
        )
        assert result.outcome == ("breakdown" if expected_round else "deadline")
        assert result.round == (expected_round or 5)


def test_walk_away_ends_the_talks() -> None:
    result = run_session(pie(), {"A": Hardliner(), "B": Script([0.0], [REJECT, WALK])})
    assert result.outcome == "breakdown"
    assert result.round == 3
    assert result.cause.startswith("B walked away")
    assert result.transcript[-1].response is WALK
    assert result.utilities == {"A": 0.0, "B": 0.0}


def test_deadline_outcome_pays_outside_options() -> None:
    scenario = contract_scenarios()["ratified-pie"]  # A has an outside option of 0.2
    result = run_session(scenario, {"A": Hardliner(), "B": Hardliner()}, overrides=NO_RISK)
    assert result.outcome == "deadline"
    assert result.agreement is None
    assert result.utilities == {"A": 0.2, "B": 0.0}
    assert result.discounted_utilities == result.utilities


def test_agreement_utilities_are_discounted_by_round_index() -> None:
    result = run_session(pie(), {"A": Script([0.7]), "B": Script([0.0], [REJECT, ACCEPT])})
    assert result.outcome == "agreement"
    assert result.round == 3
    assert result.utilities == pytest.approx({"A": 0.7, "B": 0.3})
    assert result.discounted_utilities == pytest.approx({"A": 0.81 * 0.7, "B": 0.64 * 0.3})


@pytest.mark.parametrize(
    ("offer", "fragment"),
    [
        ({"years": 3.0}, "no value for issue 'basis'"),
        ({"years": 3.0, "basis": "in-kind", "extra": 1}, "unknown issue 'extra'"),
        ({"years": 2.5, "basis": "in-kind"}, "years=2.5"),
        ({"years": 9.0, "basis": "in-kind"}, "expected a whole number in [1, 6]"),
        ({"years": float("nan"), "basis": "in-kind"}, "years=nan"),
        ({"years": True, "basis": "in-kind"}, "years=True"),
        ({"years": "3", "basis": "in-kind"}, "years='3'"),
        ({"years": 3.0, "basis": "grant"}, "basis='grant'"),
        ([3.0, "in-kind"], "must return a mapping"),
    ],
)
def test_invalid_offers_raise_simulation_error(offer: object, fragment: str) -> None:
    scenario = contract_scenarios()["two-issue"]
    with pytest.raises(SimulationError) as err:
        run_session(scenario, {"A": Script([offer]), "B": Hardliner()})
    assert fragment in str(err.value)
    assert "Script(offers=" in str(err.value)  # names the negotiator


def test_out_of_range_continuous_offer_and_bad_response_raise() -> None:
    with pytest.raises(SimulationError, match=r"x=1\.5; expected a number in \[0, 1\]"):
        run_session(pie(), {"A": Script([1.5]), "B": Hardliner()})
    with pytest.raises(SimulationError, match="must return a Response"):
        run_session(pie(), {"A": Hardliner(), "B": Script([0.0], ["accept"])})  # type: ignore[list-item]


def test_bad_settings_raise_simulation_error() -> None:
    with pytest.raises(SimulationError, match="one negotiator per party"):
        run_session(pie(), {"A": Hardliner(), "C": Hardliner()})
    same = Hardliner()
    with pytest.raises(SimulationError, match="same negotiator object"):
        run_session(pie(), {"A": same, "B": same})
    with pytest.raises(SimulationError, match=BREAKDOWN_RISK_KEY):
        run_session(
            pie(), {"A": Hardliner(), "B": Hardliner()}, overrides={BREAKDOWN_RISK_KEY: 1.5}
        )
    with pytest.raises(SimulationError, match="seed"):
        run_session(pie(), {"A": Hardliner(), "B": Hardliner()}, seed="x")  # type: ignore[arg-type]
    with pytest.raises(SimulationError, match="discount"):
        run_session(
            pie(),
            {"A": Hardliner(), "B": Hardliner()},
            overrides={"parties.A.discount_per_round": 1.5},
        )


def test_events_change_parameters_from_their_date_on() -> None:
    events = """
  events:
    - date: 2020-01-03
      kind: cost
      party: B
      effects: {reservation: {x: 0.5}, outside_option: 0.1}
"""
    scenario = pie(extra_protocol=events)
    before = negotiation_state(scenario, "B", 1).params
    on = negotiation_state(scenario, "B", 2).params
    assert before.utility({"x": 0.5}) == pytest.approx(0.5)
    assert on.utility({"x": 0.5}) == pytest.approx(0.0)
    assert on.outside_option == 0.1
    # the opponent's estimate follows public events too
    assert negotiation_state(scenario, "A", 2).opponent_estimate.outside_option == 0.1
    result = run_session(scenario, {"A": Script([0.25]), "B": Hardliner()})
    assert [round(o.utilities["B"], 9) for o in result.transcript[::2]] == [0.75, 0.5, 0.5]
    assert result.utilities["B"] == 0.1  # no agreement: the outside option on the last date


def test_agreement_after_the_deadline_is_flagged() -> None:
    scenario = pie(deadline="2020-01-03", extra_protocol="  horizon: 2020-01-05")
    late = run_session(scenario, {"A": Script([0.6]), "B": Script([0.0], [REJECT, REJECT, ACCEPT])})
    assert late.outcome == "agreement"
    assert late.round == 5
    assert late.after_deadline
    assert "after the deadline" in late.cause
    early = run_session(scenario, {"A": Script([0.6]), "B": Script([0.0], [ACCEPT])})
    assert early.round == 1
    assert not early.after_deadline


def test_overrides_are_the_truth_and_the_estimate_stays_central() -> None:
    key = "parties.B.utility.x.reservation"
    state = negotiation_state(pie(), "A", 0, overrides={key: 0.5})
    assert state.opponent_estimate.utility({"x": 0.5}) == pytest.approx(0.5)
    assert negotiation_state(pie(), "B", 0, overrides={key: 0.5}).params.utility(
        {"x": 0.5}
    ) == pytest.approx(0.0)


def test_seeds_of_every_kind_reproduce() -> None:
    scenario = pie()
    pair = {"A": RandomOfferer(), "B": RandomOfferer()}
    assert run_session(scenario, pair, seed=5) == run_session(scenario, pair, seed=5)
    ss = np.random.SeedSequence(5)
    assert run_session(scenario, pair, seed=ss) == run_session(scenario, pair, seed=ss)
    assert run_session(scenario, pair, seed=ss) == run_session(scenario, pair, seed=5)
    from_gen = [run_session(scenario, pair, seed=np.random.default_rng(9)) for _ in range(2)]
    assert from_gen[0] == from_gen[1]
    assert run_session(scenario, pair, seed=None).outcome == "deadline"
    assert run_session(scenario, pair, seed=np.int64(5)) == run_session(scenario, pair, seed=5)


def test_to_dict_is_json_ready() -> None:
    flagship = contract_scenarios()["flagship"]
    result = run_session(flagship, {"US": Linear(), "ROK": Linear()}, seed=2)
    data = json.loads(json.dumps(result.to_dict()))
    assert {"outcome", "agreement", "transcript", "cause", "round", "date"} <= set(data)
    offer = data["transcript"][0]
    assert offer["date"] == "2019-11-19"
    assert offer["proposer"] == "US"
    assert set(offer["money"]["contribution"]) == {"KRW", "USD"}
    assert "₩" in offer["display"]["contribution"]
    assert offer["response"] in {"accept", "reject", "walk_away"}
    agreed = run_session(pie(), {"A": Linear(), "B": Linear()}).to_dict()
    assert agreed["outcome"] == "agreement"
    assert agreed["agreement"] == {"x": 0.5}
    json.dumps(agreed)


@pytest.mark.parametrize("p", [0.05, 0.3, 0.8])
def test_breakdown_clock_is_geometric(p: float) -> None:
    """Rule 7: P(clock >= m) = (1 - p) ** m, so the talks end at each rejection with prob. p."""
    from burdenshare.negotiation import breakdown_clock

    u = np.random.default_rng(2024).random(400_000)
    clock = breakdown_clock(u, p)
    for m in range(4):
        share = float(np.mean(clock >= m))
        se = np.sqrt((1 - p) ** m * (1 - (1 - p) ** m) / u.size)
        assert abs(share - (1 - p) ** m) <= 5 * se + 1e-12


# -- issue 11: a negative outside option made `simulate` exit 2 blaming the negotiator ----------
def test_simulate_with_a_negative_outside_option_exits_0_with_values_in_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report's file: the EXAMPLE with ``outside_option: -0.5`` on ROK. Before the fix,
    `burdenshare simulate` exited 2: "Boulware() ... offered duration=-0.0; expected a whole
    number in [1, 5]"."""
    path = tmp_path / "mini.yaml"
    path.write_text(
        EXAMPLE.replace(
            "    discount_per_round: 0.97\n",
            "    discount_per_round: 0.97\n    outside_option: -0.5\n",
        ),
        encoding="utf-8",
    )
    scenario = load_scenario(path).scenario
    for name in sorted(NEGOTIATORS):
        try:
            main(["simulate", str(path), "--json", "--negotiator", name])
            code = 0
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        out = capsys.readouterr()
        assert code == 0, (name, out.err)
        session = json.loads(out.out)
        offers = [o["outcome"] for o in session["transcript"]]
        if session["agreement"] is not None:
            offers.append(session["agreement"])
        assert offers
        for outcome in offers:
            assert all(issue.contains(outcome[issue.id]) for issue in scenario.issues), outcome
