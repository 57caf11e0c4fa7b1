"""The batch engine plays exactly the one-session protocol (ARCHITECTURE.md: speed never changes an
answer). For every built-in negotiator pair, every scenario below and sampled parameters, the
engine's outcome, round and agreed values equal those of ``run_session`` given the same
per-session generators and parameters, bit for bit."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from burdenshare.engine import OUTCOMES, run_batch, session_generators
from burdenshare.ensemble import draw, uncertain_parameters
from burdenshare.negotiation import NEGOTIATORS, make_negotiator, run_session
from burdenshare.scenario.io import load_scenario, parse_scenario_text
from burdenshare.scenario.library import bundled_path

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

SCENARIOS = {
    "flagship": lambda: load_scenario(bundled_path("us-rok-sma-2019")).scenario,
    "2021": lambda: load_scenario(bundled_path("us-rok-sma-2021")).scenario,
    "two-level": lambda: parse_scenario_text(TWO_LEVEL).scenario,
}
PAIRS = list(itertools.product(sorted(NEGOTIATORS), repeat=2))
N, SEED = 12, 7


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def case(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    scenario = SCENARIOS[request.param]()
    draws = draw(uncertain_parameters(scenario), N, seed=SEED, method="lhs")
    return scenario, draws


def test_every_builtin_negotiator_is_in_the_pair_list() -> None:
    assert len(PAIRS) == len(NEGOTIATORS) ** 2 >= 49


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"{a}-vs-{b}" for a, b in PAIRS])
def test_engine_matches_the_one_session_protocol(case, a: str, b: str) -> None:  # type: ignore[no-untyped-def]
    scenario, draws = case
    batch = run_batch(scenario, [a, b], draws, seed=SEED, n=N)
    names = scenario.party_names
    for i in range(N):
        single = run_session(
            scenario,
            {names[0]: make_negotiator(a), names[1]: make_negotiator(b)},
            seed=session_generators(SEED, N, i),
            overrides={k: float(v[i]) for k, v in draws.items()},
        )
        assert batch.round[i] == single.round, i
        assert OUTCOMES[batch.outcome[i]] == single.outcome, i
        for iid in scenario.issue_ids:
            got = batch.values[iid][i]
            want = np.nan if single.agreement is None else float(single.agreement[iid])
            assert (np.isnan(got) and np.isnan(want)) or got == want, (i, iid)
        for p in names:
            assert batch.utilities[p][i] == pytest.approx(single.utilities[p], abs=1e-12)
            assert batch.discounted[p][i] == pytest.approx(
                single.discounted_utilities[p], abs=1e-12
            )


def test_the_kernel_is_used_for_time_dependent_pairs(case) -> None:  # type: ignore[no-untyped-def]
    scenario, draws = case
    assert run_batch(scenario, ["boulware", "conceder"], draws, seed=SEED, n=N).vectorised
    assert not run_batch(scenario, ["nash", "conceder"], draws, seed=SEED, n=N).vectorised


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
