"""The batch engine plays exactly the one-session protocol (ARCHITECTURE.md: speed never changes an
answer). For every built-in negotiator pair, every scenario below and sampled parameters, the
engine's outcome, round and agreed values equal those of ``run_session`` given the same
per-session generators and parameters, bit for bit.

Outside options away from 0 (issue 11): the two-level scenario again with outside options drawn
from [-1, 0.5] (and an event that redraws one), and the reference EXAMPLE with ROK's at -0.5, for
every pair the compiled kernel plays (the other pairs run session by session anyway). Their
proposals go past the walk-away points, where the issues' ranges and the ratifiers' thresholds
stop the concession; an ensemble on the EXAMPLE stores only in-range values.

Issue 12: every built-in negotiator (tit-for-tat, Nash, Rubinstein too) runs in the compiled
kernel, on categorical and piecewise-linear utilities too (the ``mixed`` scenario: a piecewise
money issue with a ratifier, a categorical issue whose reservation category an event moves, a
piecewise integer issue), so every pair of built-ins must be ``vectorised`` and match."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import burdenshare.engine.batch as batch_module
import burdenshare.ensemble.chunk as chunk_module
from burdenshare.engine import OUTCOMES, run_batch, session_generators
from burdenshare.engine.guard import check_batch
from burdenshare.ensemble import ChunkTask, draw, run_chunk, uncertain_parameters
from burdenshare.errors import BurdenshareError
from burdenshare.negotiation import (
    NEGOTIATORS,
    RelativeTitForTat,
    make_negotiator,
    run_session,
)
from burdenshare.scenario.io import EXAMPLE, load_scenario, parse_scenario_text
from burdenshare.scenario.library import bundled_path
from burdenshare.scenario.scenario import Scenario
from burdenshare.services.core import ensemble
from burdenshare.store import RunStore

TWO_LEVEL = """
id: two-level
title: two ratifiers, an event, an integer issue
as_of: 2020-01-01
money: {unit: KRW, scale: billion, fx: {USD: 1200}}
issues:
  - {id: money, kind: continuous, unit: money, range: [900, 2000]}
  - {id: years, kind: integer, range: [1, 6]}
parties:
  US:
    utility:
      money: {prefers: higher, ideal: 1800, reservation: {uniform: [1000, 1300]}, weight: 0.8}
      years: {prefers: higher, ideal: 6, reservation: 1, weight: 0.2}
    discount_per_round: {uniform: [0.9, 0.99]}
    outside_option: {uniform: [0, 0.1]}
    ratification: {body: Senate, issue: years, approval_threshold: 2}
  ROK:
    utility:
      money:
        {prefers: lower, ideal: 1000, reservation: {triangular: [1100, 1250, 1500]}, weight: 0.7}
      years: {prefers: lower, ideal: 1, reservation: 6, weight: 0.3}
    ratification: {body: Assembly, issue: money, approval_threshold: {uniform: [1150, 1450]}}
protocol:
  first_mover: ROK
  start: 2020-01-01
  round_every_days: 20
  deadline: 2020-06-01
  horizon: 2020-09-01
  breakdown_risk_per_round: {uniform: [0, 0.2]}
  events:
    - date: 2020-03-01
      kind: cost
      party: ROK
      effects: {reservation: {money: {uniform: [1200, 1600]}}, discount_per_round: 0.9}
"""

#: the two-level scenario with outside options on both sides of 0, one redrawn by the event
TWO_LEVEL_OUTSIDE = (
    TWO_LEVEL.replace("outside_option: {uniform: [0, 0.1]}", "outside_option: {uniform: [-1, 0.5]}")
    .replace(
        "    ratification: {body: Assembly,",
        "    outside_option: {uniform: [-0.9, 0.3]}\n    ratification: {body: Assembly,",
    )
    .replace("discount_per_round: 0.9}", "discount_per_round: 0.9, outside_option: -0.6}")
)
#: the report's file: the reference EXAMPLE with ROK's outside option at -0.5. Both parties
#: believe the deadline is the last round's date (17 Dec; the protocol's is 31 Dec), so they
#: reach t = 1 in the last round as every party did before issue 12 made time a belief: the
#: last-round concession past the walk-away point is what the report was about.
EXAMPLE_OUTSIDE = EXAMPLE.replace(
    "    discount_per_round: 0.97\n",
    "    discount_per_round: 0.97\n    outside_option: -0.5\n    deadline_belief: 2019-12-17\n",
).replace(
    "    discount_per_round: 0.98\n",
    "    discount_per_round: 0.98\n    deadline_belief: 2019-12-17\n",
)

#: issue 12: each party concedes against its own deadline belief: the US's drawn (days after
#: the start, before and after the deadline and the horizon, rounded to whole days), ROK's a date
#: between two rounds
TWO_LEVEL_BELIEFS = TWO_LEVEL.replace(
    "    discount_per_round: {uniform: [0.9, 0.99]}\n",
    "    discount_per_round: {uniform: [0.9, 0.99]}\n    deadline_belief: {uniform: [0, 400]}\n",
).replace(
    "    ratification: {body: Assembly,",
    "    deadline_belief: 2020-04-15\n    ratification: {body: Assembly,",
)

#: categorical and piecewise-linear utilities, drawn reservations, ratification and an event
MIXED = """
id: mixed
title: categorical, piecewise and integer issues
as_of: 2020-01-01
issues:
  - {id: money, kind: continuous, range: [0, 100]}
  - {id: venue, kind: categorical, values: [geneva, seoul, dc, tokyo]}
  - {id: years, kind: integer, range: [1, 6]}
parties:
  A:
    utility:
      money:
        prefers: higher
        ideal: 90
        reservation: {uniform: [20, 40]}
        shape: piecewise
        points: [[60, 0.7], [50, 0.5]]
        weight: 0.5
      venue:
        scores: {geneva: 0.2, seoul: 0.5, dc: 1.0, tokyo: 0.5}
        reservation: geneva
        weight: 0.2
      years: {prefers: higher, ideal: 6, reservation: 1, weight: 0.3}
    discount_per_round: {uniform: [0.9, 0.99]}
    outside_option: {uniform: [-0.3, 0.2]}
    ratification: {body: Senate, issue: money, approval_threshold: {uniform: [35, 50]}}
  B:
    utility:
      money:
        prefers: lower
        ideal: 10
        reservation: {uniform: [60, 80]}
        shape: piecewise
        points: [[30, 0.6]]
        weight: 0.4
      venue: {scores: {geneva: 1.0, seoul: 0.8, dc: 0.0, tokyo: 0.3}, weight: 0.3}
      years:
        {prefers: lower, ideal: 1, reservation: 6, shape: piecewise, points: [[3, 0.5]],
         weight: 0.3}
    outside_option: {uniform: [-0.2, 0.1]}
protocol:
  first_mover: B
  start: 2020-01-01
  round_every_days: 10
  deadline: 2020-05-01
  horizon: 2020-07-01
  breakdown_risk_per_round: {uniform: [0, 0.1]}
  events:
    - date: 2020-03-01
      kind: cost
      party: A
      effects:
        reservation: {money: {uniform: [30, 45]}, venue: seoul}
        discount_per_round: 0.9
"""

#: issue 12: the information modes. Under complete information nash and rubinstein see each
#: session's drawn truth of the opponent; uninformed (as GENIUS imports), they see nothing and use
#: the uninformed estimate. They run in the kernel too: their proposals are solved per distinct
#: parameters (with the opponent's drawn truth in the key under complete information).
TWO_LEVEL_COMPLETE = TWO_LEVEL.replace(
    "  breakdown_risk_per_round:", "  information: complete\n  breakdown_risk_per_round:"
)
TWO_LEVEL_UNINFORMED = TWO_LEVEL.replace(
    "  breakdown_risk_per_round:", "  opponent_prior: uninformed\n  breakdown_risk_per_round:"
)

SCENARIOS = {
    "mixed": lambda: parse_scenario_text(MIXED).scenario,
    "flagship": lambda: load_scenario(bundled_path("us-rok-sma-2019")).scenario,
    "2021": lambda: load_scenario(bundled_path("us-rok-sma-2021")).scenario,
    "two-level": lambda: parse_scenario_text(TWO_LEVEL).scenario,
    "two-level-beliefs": lambda: parse_scenario_text(TWO_LEVEL_BELIEFS).scenario,
    "two-level-complete": lambda: parse_scenario_text(TWO_LEVEL_COMPLETE).scenario,
    "two-level-uninformed": lambda: parse_scenario_text(TWO_LEVEL_UNINFORMED).scenario,
}
OUTSIDE_SCENARIOS = {
    "two-level-outside": lambda: parse_scenario_text(TWO_LEVEL_OUTSIDE).scenario,
    "example-outside": lambda: parse_scenario_text(EXAMPLE_OUTSIDE).scenario,
}
PAIRS = list(itertools.product(sorted(NEGOTIATORS), repeat=2))
#: the built-in negotiators the compiled kernel plays (issue 12, item 6)
ENGINE_NEGOTIATORS = (
    "boulware",
    "conceder",
    "genius-boulware",
    "genius-conceder",
    "genius-hardliner",
    "genius-linear",
    "genius-time-dependent",
    "hardliner",
    "linear",
    "nash",
    "rubinstein",
    "tit-for-tat",
)
KERNEL_PAIRS = list(itertools.product(["boulware", "conceder", "hardliner", "linear"], repeat=2))
N, SEED = 12, 7


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def case(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    scenario = SCENARIOS[request.param]()
    draws = draw(uncertain_parameters(scenario), N, seed=SEED, method="lhs")
    return scenario, draws


@pytest.fixture(scope="module", params=sorted(OUTSIDE_SCENARIOS))
def outside_case(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    scenario = OUTSIDE_SCENARIOS[request.param]()
    draws = draw(uncertain_parameters(scenario), N, seed=SEED, method="lhs")
    return scenario, draws


def test_every_builtin_negotiator_is_in_the_pair_list() -> None:
    assert len(PAIRS) == len(NEGOTIATORS) ** 2 >= 49


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"{a}-vs-{b}" for a, b in PAIRS])
def test_engine_matches_the_one_session_protocol(case, a: str, b: str) -> None:  # type: ignore[no-untyped-def]
    batch = _assert_engine_matches_sessions(*case, a, b)
    if a in ENGINE_NEGOTIATORS and b in ENGINE_NEGOTIATORS:
        assert batch.vectorised, (a, b)


#: GENIUS-style agents with every opponent model and acceptance condition (issue 12, item 6)
GENIUS_VARIANTS = (
    "genius-time-dependent:e=0.5,model=none,accept=const,c=0.6",
    "genius-time-dependent:e=1,model=belief,accept=time,T=0.5",
    "genius-time-dependent:e=0.3,k=0.1,model=frequency,accept=combi,T=0.6",
    "genius-time-dependent:e=2,model=belief,accept=combi,T=0.9,window=inf",
    "genius-time-dependent:e=0,model=frequency,alpha=1.02,beta=-0.05",
    "genius-time-dependent:e=0.2,model=bayesian",
)
GENIUS_PAIRS = [
    pair
    for spec in GENIUS_VARIANTS
    for other in ("genius-conceder", "linear", "tit-for-tat")
    for pair in ((spec, other), (other, spec))
]


@pytest.mark.parametrize(("a", "b"), GENIUS_PAIRS, ids=[f"{a}-vs-{b}" for a, b in GENIUS_PAIRS])
def test_genius_variants_match_the_one_session_protocol(case, a: str, b: str) -> None:  # type: ignore[no-untyped-def]
    """Every opponent model and acceptance condition, the window off, k > 0, e = 0: the kernel
    plays them as the protocol does; only the Bayesian model plays session by session."""
    batch = _assert_engine_matches_sessions(*case, a, b)
    assert batch.vectorised == ("bayesian" not in a + b), (a, b)


@pytest.mark.parametrize(("a", "b"), KERNEL_PAIRS, ids=[f"{a}-vs-{b}" for a, b in KERNEL_PAIRS])
def test_engine_matches_the_protocol_with_outside_options_away_from_0(  # type: ignore[no-untyped-def]
    outside_case, a: str, b: str
) -> None:
    scenario, draws = outside_case
    assert run_batch(scenario, [a, b], draws, seed=SEED, n=N).vectorised
    _assert_engine_matches_sessions(scenario, draws, a, b)


def test_the_outside_option_cases_reach_past_the_walk_away_points(outside_case) -> None:  # type: ignore[no-untyped-def]
    """The cases test what they mean to: some outside options are below 0, some above, and
    some agreements are worth less than 0 (past the walk-away point) to a party."""
    scenario, draws = outside_case
    batch = run_batch(scenario, ["linear", "boulware"], draws, seed=SEED, n=N)
    agreed = batch.agreed
    below = [batch.utilities[p][agreed] < 0.0 for p in scenario.party_names]
    assert agreed.any()
    assert any(b.any() for b in below)
    outside = [v for k, v in draws.items() if k.endswith("outside_option")]
    if scenario.id == "two-level":
        assert any((v < 0).any() for v in outside)
        assert any((v > 0).any() for v in outside)


def test_an_ensemble_with_a_negative_outside_option_stores_only_valid_values(
    tmp_path: Path,
) -> None:
    """Issue 11: on the EXAMPLE with ROK's outside option at -0.5, `ensemble` stored durations
    of -1 and 0 on a [1, 5] issue. Every stored agreement now lies in range (whole years)."""
    path = tmp_path / "mini.yaml"
    path.write_text(EXAMPLE_OUTSIDE, encoding="utf-8")
    result = ensemble(path, n=4000, seed=SEED, store=tmp_path / "runs.duckdb")
    with RunStore.open(tmp_path / "runs.duckdb") as store:
        cols = store.samples(result.run_id, ["outcome", "value.duration", "value.contribution"])
    agreed = cols["outcome"] == OUTCOMES.index("agreement")
    assert agreed.sum() > 1000
    years = cols["value.duration"][agreed]
    assert set(np.unique(years).tolist()) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    money = cols["value.contribution"][agreed]
    assert ((money >= 900) & (money <= 6500)).all()
    assert np.isnan(cols["value.duration"][~agreed]).all()


def _assert_engine_matches_sessions(
    scenario: Scenario, draws: dict[str, np.ndarray], a: str, b: str, n: int = N
) -> Any:
    batch = run_batch(scenario, [a, b], draws, seed=SEED, n=n)
    names = scenario.party_names
    for i in range(n):
        single = run_session(
            scenario,
            {names[0]: make_negotiator(a), names[1]: make_negotiator(b)},
            seed=session_generators(SEED, n, i),
            overrides={k: float(v[i]) for k, v in draws.items()},
        )
        assert batch.round[i] == single.round, i
        assert OUTCOMES[batch.outcome[i]] == single.outcome, i
        for iid in scenario.issue_ids:
            got = batch.values[iid][i]
            value = None if single.agreement is None else single.agreement[iid]
            # a category is stored as NaN (both paths); the utilities below tell categories apart
            want = np.nan if value is None or isinstance(value, str) else float(value)
            assert (np.isnan(got) and np.isnan(want)) or got == want, (i, iid)
        for p in names:
            assert batch.utilities[p][i] == pytest.approx(single.utilities[p], abs=1e-12)
            assert batch.discounted[p][i] == pytest.approx(
                single.discounted_utilities[p], abs=1e-12
            )
    return batch


#: issue 13: uncertain events. An election with three branches whose effects are tied (a new
#: ideal and reservation, a threshold, patience; some drawn), after a cost that happens with
#: probability 0.4 and redraws an outside option.
TWO_LEVEL_BRANCHES = TWO_LEVEL.replace(
    "      effects: {reservation: {money: {uniform: [1200, 1600]}}, discount_per_round: 0.9}\n",
    """      probability: 0.4
      effects: {reservation: {money: {uniform: [1200, 1600]}}, outside_option: -0.4}
    - date: 2020-04-01
      kind: election
      party: ROK
      branches:
        - {name: hold, probability: 0.5}
        - name: hawks
          probability: 0.3
          effects:
            ideal: {money: 950}
            reservation: {money: {uniform: [1100, 1200]}}
            approval_threshold: 1180
            discount_per_round: 0.8
        - name: doves
          probability: 0.2
          effects: {reservation: {money: 1700}, approval_threshold: {uniform: [1500, 1700]}}
""",
)
#: the same, every pair of the kernel plus the opponent-modelling built-ins
EVENT_PAIRS = [
    *KERNEL_PAIRS,
    ("nash", "rubinstein"),
    ("tit-for-tat", "genius-boulware"),
    ("genius-time-dependent:e=0.2,model=bayesian", "linear"),
]


@pytest.mark.parametrize(("a", "b"), EVENT_PAIRS, ids=[f"{a}-vs-{b}" for a, b in EVENT_PAIRS])
@pytest.mark.parametrize("method", ["mc", "lhs"])
def test_engine_matches_the_protocol_with_uncertain_events(a: str, b: str, method: str) -> None:
    """Issue 13: the engine applies the drawn branch's tied effects per session exactly as the
    one-session protocol does; both branches' codes and both outcomes of the cost occur."""
    scenario = parse_scenario_text(TWO_LEVEL_BRANCHES).scenario
    n = 40
    draws = draw(uncertain_parameters(scenario), n, seed=SEED, method=method)  # type: ignore[arg-type]
    assert set(draws["protocol.events.1.branch"]) == {0.0, 1.0, 2.0}
    assert set(draws["protocol.events.0.happens"]) == {0.0, 1.0}
    _assert_engine_matches_sessions(scenario, draws, a, b, n=n)


def test_drawn_deadline_beliefs_reach_the_kernel_and_matter() -> None:
    """The beliefs case tests what it means to: the US's beliefs are drawn per session (some
    before the last round, some after the horizon), and a belief moves the outcome: the same
    sessions with every belief at the protocol's deadline end differently."""
    scenario = parse_scenario_text(TWO_LEVEL_BELIEFS).scenario
    params = uncertain_parameters(scenario)
    assert "parties.US.deadline_belief" in params
    n = 400
    draws = draw(params, n, seed=SEED)
    days = draws["parties.US.deadline_belief"]
    assert (days < 100).any()
    assert (days > 244).any()  # after the horizon (day 244; the last round is on day 240)
    batch = run_batch(scenario, ["boulware", "conceder"], draws, seed=SEED, n=n)
    assert batch.vectorised
    at_deadline = {**draws, "parties.US.deadline_belief": np.full(n, 152.0)}  # 2020-06-01
    other = run_batch(scenario, ["boulware", "conceder"], at_deadline, seed=SEED, n=n)
    assert not np.array_equal(batch.round, other.round)


def test_the_information_modes_change_what_nash_plays() -> None:
    """The information cases test what they mean to: on the same draws, a Nash seeker that sees
    each session's truth (complete) plays differently from one that sees the central values
    (private), and from one that sees nothing (uninformed)."""
    texts = {"private": TWO_LEVEL, "complete": TWO_LEVEL_COMPLETE, "none": TWO_LEVEL_UNINFORMED}
    values = {}
    for mode, text in texts.items():
        scenario = parse_scenario_text(text).scenario
        draws = draw(uncertain_parameters(scenario), N, seed=SEED, method="lhs")
        batch = run_batch(scenario, ["nash", "linear"], draws, seed=SEED, n=N)
        values[mode] = batch.values["money"]
    assert not np.array_equal(values["private"], values["complete"], equal_nan=True)
    assert not np.array_equal(values["private"], values["none"], equal_nan=True)


def test_the_kernel_is_used_for_every_built_in_but_not_a_subclass(case) -> None:  # type: ignore[no-untyped-def]
    """A subclass may change any decision: it plays session by session (and still matches)."""
    scenario, draws = case
    assert run_batch(scenario, ["boulware", "conceder"], draws, seed=SEED, n=N).vectorised
    assert run_batch(scenario, ["nash", "tit-for-tat"], draws, seed=SEED, n=N).vectorised

    class Stubborn(RelativeTitForTat):
        def next_level(self, state, offer=None):  # type: ignore[no-untyped-def]
            return 1.0

    assert not run_batch(scenario, [Stubborn(), "nash"], draws, seed=SEED, n=N).vectorised


@pytest.mark.parametrize(
    ("a", "b"),
    [("tit-for-tat", "conceder"), ("nash", "linear"), ("linear", "rubinstein")],
)
def test_the_kernel_matches_on_many_mixed_sessions(a: str, b: str) -> None:
    """Categorical and piecewise issues over 300 sessions: deals are struck in many rounds, on
    several categories, and the kernel still plays every one as the protocol does."""
    scenario = parse_scenario_text(MIXED).scenario
    draws = draw(uncertain_parameters(scenario), 300, seed=SEED)
    batch = _assert_engine_matches_sessions(scenario, draws, a, b, n=300)
    assert batch.vectorised
    assert len(np.unique(batch.round[batch.agreed])) >= 3


def test_piecewise_knots_out_of_order_in_a_session_play_session_by_session() -> None:
    """A drawn reservation beyond a piecewise point breaks the knots' order (the scenario's rule
    holds at central values only); the kernel's interpolation assumes it, so such a batch plays
    session by session, with the protocol's numbers."""
    text = MIXED.replace("reservation: {uniform: [20, 40]}", "reservation: {uniform: [20, 58]}")
    scenario = parse_scenario_text(text).scenario
    draws = draw(uncertain_parameters(scenario), N, seed=SEED)
    assert (draws["parties.A.utility.money.reservation"] > 50).any()
    batch = _assert_engine_matches_sessions(scenario, draws, "linear", "tit-for-tat")
    assert not batch.vectorised


def test_chunking_does_not_change_any_session() -> None:
    scenario = parse_scenario_text(TWO_LEVEL).scenario
    n = 5000
    params = uncertain_parameters(scenario)
    whole = run_batch(scenario, ["linear", "boulware"], draw(params, n, seed=3), seed=3, n=n)
    cuts = [0, 17, 1024, 1025, 3000, n]
    for lo, hi in itertools.pairwise(cuts):
        part = run_batch(
            scenario,
            ["linear", "boulware"],
            draw(params, n, seed=3, start=lo, stop=hi),
            seed=3,
            n=n,
            start=lo,
            stop=hi,
        )
        assert np.array_equal(part.outcome, whole.outcome[lo:hi])
        assert np.array_equal(part.round, whole.round[lo:hi])
        assert np.array_equal(part.values["money"], whole.values["money"][lo:hi], equal_nan=True)


# -- defence in depth: the engine never hands on an agreement outside an issue's range ----------
def test_run_batch_refuses_a_kernel_agreement_outside_the_range(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Were the kernel ever to agree outside a range again, run_batch raises an internal error
    (exit code 1) naming the session, issue and value instead of returning it to be stored."""
    scenario = parse_scenario_text(EXAMPLE_OUTSIDE).scenario
    real = batch_module.run_kernel

    def shifted(*args: Any) -> Any:
        code, rnd, x, u = real(*args)
        return code, rnd, x - 1.0, u  # every agreed duration one year lower: 1 becomes 0

    monkeypatch.setattr(batch_module, "run_kernel", shifted)
    draws = draw(uncertain_parameters(scenario), N, seed=SEED)
    with pytest.raises(
        BurdenshareError, match=r"internal error: session \d+ agreed duration=0"
    ) as err:
        run_batch(scenario, ["boulware", "boulware"], draws, seed=SEED, n=N)
    assert err.value.exit_code == 1


@pytest.mark.parametrize(
    ("duration", "agreed", "message"),
    [
        (2.5, True, "expected a whole number in"),
        (np.nan, True, "expected a whole number in"),
        (3.0, False, "expected no value"),
    ],
)
def test_check_batch_names_what_is_wrong(duration: float, agreed: bool, message: str) -> None:
    scenario = parse_scenario_text(EXAMPLE_OUTSIDE).scenario
    values = {"contribution": np.array([1000.0, 1000.0]), "duration": np.array([1.0, duration])}
    if not agreed:
        values["contribution"][1] = np.nan
    utilities = {p: np.zeros(2) for p in scenario.party_names}
    with pytest.raises(BurdenshareError, match=message):
        check_batch(scenario, 10, np.array([True, agreed]), values, utilities)
    values["duration"][1] = 1.0 if agreed else np.nan
    check_batch(scenario, 10, np.array([True, agreed]), values, utilities)  # valid: no error
    utilities["US"][0] = np.inf
    with pytest.raises(BurdenshareError, match="session 10 gave US the utility inf"):
        check_batch(scenario, 10, np.array([True, agreed]), values, utilities)


def test_a_chunk_refuses_to_hand_an_invalid_agreement_to_the_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = chunk_module.run_batch

    def corrupted(*args: Any, **kwargs: Any) -> Any:
        batch = real(*args, **kwargs)
        bad = {
            k: np.where(batch.agreed, -1.0, v) if k == "duration" else v
            for k, v in batch.values.items()
        }
        return dataclasses.replace(batch, values=bad)

    monkeypatch.setattr(chunk_module, "run_batch", corrupted)
    task = ChunkTask(
        EXAMPLE_OUTSIDE,
        "yaml",
        ("boulware", "boulware"),
        n=50,
        index=0,
        start=0,
        stop=50,
        seed=SEED,
    )
    with pytest.raises(
        BurdenshareError, match=r"agreed duration=-1\.0; expected a whole number in \[1, 5\]"
    ):
        run_chunk(task)


def test_a_batch_over_the_memory_budget_is_played_in_parts_with_the_same_numbers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The kernel's parameter arrays grow with epochs x issues x sessions (1,000 events and
    100,000 sessions took 1.5 GiB). Over ``KERNEL_MEMORY`` a batch is played in consecutive
    parts; each session's numbers are its own, so the parts join to the one-batch result."""
    from burdenshare.scenario.io import load_scenario
    from burdenshare.scenario.library import bundled_path

    sc = load_scenario(bundled_path("us-rok-sma-2019")).scenario
    n = 3000
    draws = draw(uncertain_parameters(sc), n, seed=4)
    whole = batch_module.run_batch(sc, ["boulware", "conceder"], draws, seed=4, n=n)
    per_session = batch_module.sessions_within(10**9, 1, 1)
    monkeypatch.setattr(batch_module, "KERNEL_MEMORY", 10**9 * 700 // per_session)
    assert batch_module.sessions_within(batch_module.KERNEL_MEMORY, 1, len(sc.issues)) < n
    parts = batch_module.run_batch(sc, ["boulware", "conceder"], draws, seed=4, n=n)
    np.testing.assert_array_equal(parts.outcome, whole.outcome)
    np.testing.assert_array_equal(parts.round, whole.round)
    for key in whole.values:
        np.testing.assert_array_equal(parts.values[key], whole.values[key])
    for key in whole.discounted:
        np.testing.assert_array_equal(parts.discounted[key], whole.discounted[key])
