"""Issue 13, item 7: uncertain events (a probability, or branches whose effects are tied).

Known values: a two-branch event's sessions fall in each branch in proportion to its probability
(binomial tolerance, n = 20,000); a branch's effects all apply in the same sessions; analyze's
per-branch results equal the analysis of the scenario rewritten with that branch's effects
applied unconditionally. Properties: probability 1 is a plain event and probability 0 no event,
draw for draw; Latin hypercube draws put within 2 of n p sessions in each branch. Hostile
inputs give one clear ScenarioError naming the field.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from burdenshare.analysis import bargaining_problem, scenario_solutions, scenario_zopa
from burdenshare.analysis.branches import branch_analyses, choice_notes
from burdenshare.engine.params import batch_party
from burdenshare.ensemble import draw, uncertain_parameters
from burdenshare.ensemble.sensitivity import tornado
from burdenshare.errors import ScenarioError, SimulationError
from burdenshare.preferences import party_parameters
from burdenshare.scenario.io import EXAMPLE, parse_scenario_text
from burdenshare.scenario.library import bundled_names, bundled_path
from burdenshare.scenario.scenario import Scenario
from burdenshare.services import analyze

#: one money issue, a ratifier, and an election whose loss tightens Seoul's walk-away point and
#: its Assembly's threshold together (the example of docs/explanation/two-level-games.md)
ELECTION = """\
id: election-demo
title: An election won or lost
as_of: 2020-01-01
money: {unit: KRW, scale: billion}
issues:
  - {id: contribution, unit: money, range: [900, 1600]}
parties:
  US:
    utility:
      contribution: {prefers: higher, ideal: 1500, reservation: 1100}
  ROK:
    utility:
      contribution: {prefers: lower, ideal: 1000, reservation: 1300}
    ratification: {body: National Assembly, approval_threshold: 1250}
protocol:
  first_mover: US
  start: 2020-01-01
  round_every_days: 30
  deadline: 2020-12-31
  events:
    - date: 2020-04-15
      kind: election
      party: ROK
      branches:
        - {name: ruling-party-wins, probability: 0.65}
        - name: opposition-wins
          probability: 0.35
          effects: {approval_threshold: 1150, reservation: {contribution: 1200}}
"""
ELECTION_DAY = dt.date(2020, 4, 15)
BRANCH = "protocol.events.0.branch"


def load(text: str) -> Scenario:
    return parse_scenario_text(text, source="t.yaml").scenario


def data(text: str = ELECTION) -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(text))


def dump(d: dict[str, Any]) -> str:
    return yaml.safe_dump(d, sort_keys=False)


def event(d: dict[str, Any], k: int = 0) -> dict[str, Any]:
    ev: dict[str, Any] = d["protocol"]["events"][k]
    return ev


# -- sampling: the branch is one input, drawn per session ---------------------------------------


def test_branch_shares_follow_their_probabilities_within_binomial_tolerance() -> None:
    """n = 20,000 Monte Carlo sessions: the share in the 0.35 branch is within 4 binomial
    standard errors (4 * sqrt(0.35 * 0.65 / 20,000) = 0.0135) of 0.35."""
    sc = load(ELECTION)
    params = uncertain_parameters(sc)
    assert list(params) == [BRANCH]
    n = 20_000
    codes = draw(params, n, seed=11)[BRANCH]
    assert set(np.unique(codes)) == {0.0, 1.0}
    share = float(np.mean(codes == 1.0))
    assert abs(share - 0.35) <= 4 * math.sqrt(0.35 * 0.65 / n)


def test_every_effect_of_a_branch_applies_in_the_same_sessions() -> None:
    """Tied effects: no session has the opposition's walk-away point with the ruling party's
    threshold, or the other way round; before polling day nothing changes."""
    sc = load(ELECTION)
    n = 20_000
    draws = draw(uncertain_parameters(sc), n, seed=3)
    rok = batch_party(sc, "ROK", draws, n, ELECTION_DAY)
    lost = draws[BRANCH] == 1.0
    assert np.array_equal(rok.reservation[0] == 1200.0, lost)
    assert np.array_equal(rok.threshold == 1150.0, lost)
    assert np.all(rok.reservation[0][~lost] == 1300.0)
    assert np.all(rok.threshold[~lost] == 1250.0)
    before = batch_party(sc, "ROK", draws, n, ELECTION_DAY - dt.timedelta(days=1))
    assert np.all(before.reservation[0] == 1300.0)
    assert np.all(before.threshold == 1250.0)


def test_the_batch_and_the_one_session_parameters_agree_branch_by_branch() -> None:
    """batch_party and party_parameters (its one-session twin) resolve the same numbers for
    every session, with drawn effects inside branches, an ideal effect and a probability."""
    d = data(ELECTION)
    event(d)["branches"][1]["effects"] = {
        "ideal": {"contribution": 950},
        "reservation": {"contribution": {"uniform": [1150, 1250]}},
        "approval_threshold": {"uniform": [1100, 1200]},
        "discount_per_round": 0.9,
    }
    d["protocol"]["events"].insert(
        0,
        {
            "date": "2020-03-01",
            "kind": "cost",
            "party": "ROK",
            "probability": 0.5,
            "effects": {"outside_option": -0.3, "reservation": {"contribution": 1350}},
        },
    )
    sc = load(dump(d))
    params = uncertain_parameters(sc)
    assert list(params) == [
        "protocol.events.0.happens",
        "protocol.events.1.branch",
        "protocol.events.1.branches.1.effects.reservation.contribution",
        "protocol.events.1.branches.1.effects.approval_threshold",
    ]
    n = 64
    draws = draw(params, n, seed=5, method="lhs")
    for on in (dt.date(2020, 1, 1), dt.date(2020, 3, 1), ELECTION_DAY):
        batch = batch_party(sc, "ROK", draws, n, on)
        for i in range(n):
            one = party_parameters(
                sc, "ROK", on=on, overrides={k: float(v[i]) for k, v in draws.items()}
            )
            part = one.utility.parts[0]
            assert batch.ideal[0][i] == part.ideal  # type: ignore[union-attr]
            assert batch.reservation[0][i] == part.reservation  # type: ignore[union-attr]
            assert batch.threshold[i] == one.ratification_threshold
            assert batch.discount[i] == one.discount
            assert batch.outside[i] == one.outside_option


def test_central_values_assume_the_most_probable_branch() -> None:
    sc = load(ELECTION)
    rok = party_parameters(sc, "ROK", on=ELECTION_DAY)
    assert rok.ratification_threshold == 1250.0  # ruling-party-wins, probability 0.65
    lost = party_parameters(sc, "ROK", on=ELECTION_DAY, overrides={BRANCH: 1.0})
    assert lost.ratification_threshold == 1150.0
    with pytest.raises(SimulationError, match="integer from 0 to 1"):
        party_parameters(sc, "ROK", on=ELECTION_DAY, overrides={BRANCH: 0.35})


def test_a_probability_event_is_happens_or_not() -> None:
    d = data(ELECTION)
    event(d).pop("branches")
    event(d).update(probability=0.3, effects={"approval_threshold": 1150})
    sc = load(dump(d))
    assert list(uncertain_parameters(sc)) == ["protocol.events.0.happens"]
    assert party_parameters(sc, "ROK", on=ELECTION_DAY).ratification_threshold == 1250.0
    got = party_parameters(sc, "ROK", on=ELECTION_DAY, overrides={"protocol.events.0.happens": 1.0})
    assert got.ratification_threshold == 1150.0


def test_sensitivity_holds_the_branch_as_one_input() -> None:
    """The tornado moves the branch between its two codes (never a mixed 0.35)."""
    res = tornado(load(ELECTION), ("linear", "linear"), n=200, seed=0)
    (row,) = res.rows
    assert row.parameter == BRANCH
    assert (row.low_value, row.high_value) == (0.0, 1.0)


# -- properties ---------------------------------------------------------------------------------


#: EXAMPLE with its ROK reservation drawn and an actor after the events, so that a change in the
#: draws' order would show
PLAIN = EXAMPLE + (
    "  events:\n"
    "    - {date: 2019-12-01, kind: cost, party: ROK, effects: {outside_option: -0.4,"
    " reservation: {contribution: {uniform: [1150, 1250]}}}}\n"
    "actors:\n"
    "  - {id: a, position: {uniform: [1000, 1200]}}\n"
)


def _with_probability(p: float) -> Scenario:
    d = data(PLAIN)
    event(d)["probability"] = p
    return load(dump(d))


def _all_params(sc: Scenario, n: int, seed: int) -> dict[str, Any]:
    draws = draw(uncertain_parameters(sc), n, seed=seed)
    on = dt.date(2019, 12, 17)
    return {
        "draws": {k: v.tolist() for k, v in draws.items()},
        "parties": [batch_party(sc, p, draws, n, on) for p in sc.party_names],
    }


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list):
        return all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if hasattr(a, "__dataclass_fields__"):
        return all(
            np.array_equal(getattr(a, f), getattr(b, f), equal_nan=True)
            for f in a.__dataclass_fields__
        )
    return bool(a == b)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_probability_one_is_a_plain_event(seed: int) -> None:
    assert _same(_all_params(_with_probability(1.0), 16, seed), _all_params(load(PLAIN), 16, seed))


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_probability_zero_is_no_event(seed: int) -> None:
    d = data(PLAIN)
    d["protocol"]["events"] = []
    none = load(dump(d))
    assert _same(_all_params(_with_probability(0.0), 16, seed), _all_params(none, 16, seed))


@settings(max_examples=25, deadline=None)
@given(
    weights=st.lists(st.integers(0, 20), min_size=2, max_size=6).filter(
        lambda w: sum(w) > 0 and sum(x > 0 for x in w) >= 2
    ),
    n=st.integers(50, 3000),
    seed=st.integers(0, 2**32 - 1),
)
def test_latin_hypercube_branch_counts_are_within_two_of_n_p(
    weights: list[int], n: int, seed: int
) -> None:
    """One stratum per session: each branch gets n p sessions, give or take one at each end
    of its stretch of the unit interval; a branch of probability 0 gets none."""
    total = sum(weights)
    probs = [w / total for w in weights]
    probs[-1] = 1.0 - math.fsum(probs[:-1])
    d = data(ELECTION)
    event(d)["branches"] = [
        {"name": f"b{j}", "probability": p, "effects": {"discount_per_round": 0.9}}
        for j, p in enumerate(probs)
    ]
    codes = draw(uncertain_parameters(load(dump(d))), n, seed=seed, method="lhs")[BRANCH]
    for j, p in enumerate(probs):
        count = int(np.sum(codes == j))
        assert abs(count - n * p) <= 2, (j, count, n * p)
        if p == 0:
            assert count == 0


# -- analyze, per branch ------------------------------------------------------------------------


def _rewritten(sc_text: str, branch: int) -> Scenario:
    """The scenario with the event's branch ``branch`` applied unconditionally."""
    d = data(sc_text)
    ev = event(d)
    chosen = ev.pop("branches")[branch]
    if "effects" in chosen:
        ev["effects"] = chosen["effects"]
    return load(dump(d))


def test_analyze_per_branch_equals_the_rewritten_scenarios() -> None:
    sc = load(ELECTION)
    (found,) = branch_analyses(sc)
    assert found.field == BRANCH
    assert found.on == ELECTION_DAY
    assert [w.world.name for w in found.worlds] == ["ruling-party-wins", "opposition-wins"]
    assert [w.assumed for w in found.worlds] == [True, False]
    for j, world in enumerate(found.worlds):
        other = _rewritten(ELECTION, j)
        problem = bargaining_problem(other, on=ELECTION_DAY)
        assert world.zopa.to_dict(other) == scenario_zopa(problem).to_dict(other)
        want = [s.to_dict(other) for s in scenario_solutions(problem)]
        assert [s.to_dict(other) for s in world.solutions] == want
    nash = [next(s for s in w.solutions if s.concept == "nash") for w in found.worlds]
    # closed form: Nash on one linear issue is the middle of the zone [1100, 1300] or [1100, 1200]
    assert [s.outcome["contribution"] for s in nash if s.outcome] == pytest.approx([1200, 1150])


def test_analyze_json_has_branches_and_the_text_a_table(tmp_path: Path) -> None:
    path = tmp_path / "election.yaml"
    path.write_text(ELECTION, encoding="utf-8")
    out = analyze(str(path)).to_dict()
    (entry,) = out["branches"]
    assert entry["field"] == BRANCH
    assert entry["analysed_on"] == "2020-04-15"
    assert [w["name"] for w in entry["worlds"]] == ["ruling-party-wins", "opposition-wins"]
    assert [w["probability"] for w in entry["worlds"]] == [0.65, 0.35]
    assert "notes" not in out
    from burdenshare.cli.app import app

    text = CliRunner().invoke(app, ["analyze", str(path)], env={"COLUMNS": "200"})
    assert text.exit_code == 0, text.output
    assert "opposition-wins" in text.output
    assert "ruling-party-wins (most probable)" in text.output


def test_simulate_says_which_branch_it_assumed(tmp_path: Path) -> None:
    from burdenshare.cli.app import app

    path = tmp_path / "election.yaml"
    path.write_text(ELECTION, encoding="utf-8")
    res = CliRunner().invoke(app, ["simulate", str(path), "--json"])
    assert res.exit_code == 0, res.output
    assumed = json.loads(res.output)["assumed_branches"]
    assert assumed == [
        {
            "event": 0,
            "field": BRANCH,
            "code": 0,
            "name": "ruling-party-wins",
            "probability": 0.65,
        }
    ]
    text = CliRunner().invoke(app, ["simulate", str(path)], env={"COLUMNS": "200"})
    assert "'ruling-party-wins', its most probable world" in " ".join(text.output.split())


def test_a_choice_whose_mean_is_none_of_its_values_is_flagged() -> None:
    mixed = EXAMPLE.replace(
        "approval_threshold: 1190}",
        "approval_threshold: {choice: {values: [1100, 1300], weights: [0.65, 0.35]}}}",
    )
    (note,) = choice_notes(load(mixed))
    assert note.startswith("parties.ROK.ratification.approval_threshold is a choice between")
    assert "1170" in note
    assert "branches" in note
    exact = EXAMPLE.replace("approval_threshold: 1190}", "approval_threshold: {choice: [1190]}}")
    assert choice_notes(load(exact)) == ()
    assert choice_notes(load(ELECTION)) == ()  # a branch code is never averaged


@pytest.mark.parametrize("name", bundled_names())
def test_bundled_scenarios_keep_their_outputs_shape(name: str) -> None:
    """Scenarios without the new fields: no new keys, no new inputs, and the draws unchanged
    when every event says explicitly that it happens (probability 1)."""
    text = bundled_path(name).read_text(encoding="utf-8")
    sc = load(text)
    assert not any(p.endswith((".branch", ".happens")) for p in uncertain_parameters(sc))
    assert branch_analyses(sc) == ()
    assert choice_notes(sc) == ()
    d = yaml.safe_load(text)
    for ev in d["protocol"].get("events", []):
        if "effects" in ev:
            ev["probability"] = 1
    explicit = load(dump(d))
    a = draw(uncertain_parameters(sc), 32, seed=1)
    b = draw(uncertain_parameters(explicit), 32, seed=1)
    assert a.keys() == b.keys()
    assert all(np.array_equal(a[k], b[k]) for k in a)


# -- hostile inputs -----------------------------------------------------------------------------


def _refused(d: dict[str, Any], field: str, *fragments: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load(dump(d))
    err = info.value
    assert err.field == field, str(err)
    for fragment in fragments:
        assert fragment in str(err), str(err)
    return err


def test_branch_probabilities_must_sum_to_one() -> None:
    d = data()
    event(d)["branches"][1]["probability"] = 0.3
    _refused(d, "protocol.events.0.branches", "must sum to 1", "they sum to 0.95")


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), float("inf")])
def test_a_branch_probability_must_be_a_probability(bad: float) -> None:
    d = data()
    event(d)["branches"][0]["probability"] = bad
    _refused(d, "protocol.events.0.branches.0.probability", "must lie in [0, 1]")


@pytest.mark.parametrize("bad", [-0.5, 2.0, float("nan")])
def test_an_event_probability_must_be_a_probability(bad: float) -> None:
    d = data()
    ev = event(d)
    ev["effects"] = ev.pop("branches")[1]["effects"]
    ev["probability"] = bad
    _refused(d, "protocol.events.0.probability", "must lie in [0, 1]")


def test_a_thousand_branches_are_refused_before_parsing_them() -> None:
    d = data()
    event(d)["branches"] = [{"name": f"b{j}", "probability": 0.001} for j in range(1000)]
    _refused(d, "protocol.events.0.branches", "from 2 to 20 branches, not 1,000")


def test_one_branch_is_refused() -> None:
    d = data()
    event(d)["branches"] = [{"name": "only", "probability": 1.0}]
    _refused(d, "protocol.events.0.branches", "from 2 to 20 branches, not 1")


def test_effects_on_an_unknown_issue_are_refused() -> None:
    d = data()
    event(d)["branches"][1]["effects"]["reservation"] = {"bases": 3}
    _refused(
        d,
        "protocol.events.0.branches.1.effects.reservation.bases",
        "unknown issue",
        "contribution",
    )
    d = data()
    event(d)["branches"][1]["effects"] = {"ideal": {"bases": 3}}
    _refused(d, "protocol.events.0.branches.1.effects.ideal.bases", "unknown issue")


def test_effects_and_branches_exclude_each_other() -> None:
    d = data()
    event(d)["effects"] = {"discount_per_round": 0.9}
    _refused(d, "protocol.events.0.effects", "either effects or branches")
    d = data()
    event(d)["probability"] = 0.5
    _refused(d, "protocol.events.0.probability", "takes no probability")


def test_a_probability_without_effects_is_refused() -> None:
    d = data()
    event(d).pop("branches")
    event(d)["probability"] = 0.5
    _refused(d, "protocol.events.0.probability", "has none")


def test_branch_names_are_distinct() -> None:
    d = data()
    event(d)["branches"][1]["name"] = "ruling-party-wins"
    _refused(d, "protocol.events.0.branches.1.name", "distinct")


def test_a_new_ideal_may_not_turn_the_preference_round() -> None:
    d = data()
    event(d)["branches"][1]["effects"] = {"ideal": {"contribution": 1400}}
    _refused(
        d,
        "protocol.events.0.branches.1.effects.ideal.contribution",
        "must lie below the party's walk-away point (1300)",
    )
    d = data()
    event(d)["branches"][1]["effects"] = {
        "ideal": {"contribution": 1250},
        "reservation": {"contribution": 1200},
    }
    _refused(  # below the old walk-away point, above the branch's own
        d,
        "protocol.events.0.branches.1.effects.ideal.contribution",
        "walk-away point (1200)",
    )
    d = data()
    d["parties"]["ROK"]["utility"]["contribution"].pop("reservation")
    d["parties"]["ROK"]["utility"]["contribution"].pop("prefers")
    event(d)["branches"][1]["effects"] = {"ideal": {"contribution": 1400}}
    _refused(d, "protocol.events.0.branches.1.effects.ideal.contribution", "preference round")
    d = data()
    event(d)["branches"][1]["effects"] = {"ideal": {"contribution": "950 bn KRW"}}
    sc = load(dump(d))  # a money string converts, as everywhere
    got = party_parameters(sc, "ROK", on=ELECTION_DAY, overrides={BRANCH: 1.0})
    assert got.utility.parts[0].ideal == 950.0  # type: ignore[union-attr]


def test_an_uncertain_event_cannot_create_a_threshold() -> None:
    d = data()
    d["parties"]["ROK"]["ratification"] = {"body": "National Assembly"}
    _refused(
        d,
        "protocol.events.0.branches.1.effects.approval_threshold",
        "not give one to a ratifier that has none",
    )


def test_branch_effects_need_a_party() -> None:
    d = data()
    event(d).pop("party")
    _refused(d, "protocol.events.0.party", "must name its party")
