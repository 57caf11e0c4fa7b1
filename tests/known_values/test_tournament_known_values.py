"""A tournament small enough to compute by hand: hardliner and linear (with self-play) on a unit
pie in five rounds, no discounting, no breakdown risk.

Hand computation (rules of :mod:`burdenshare.negotiation.protocol`; time-dependent targets
``1 - t**(1/e)`` with ``t = k / 4`` in round ``k = 0..4``, Faratin, Sierra & Jennings 1998):

- the pie ``x`` is A's share, ``u_A = x``, ``u_B = 1 - x``, walking away gives ``d = (0, 0)``;
  the frontier is ``u_A + u_B = 1``, so the Nash point (max ``u_A u_B``, Nash 1950), the
  Kalai-Smorodinsky point (ideal point ``(1, 1)``, Kalai & Smorodinsky 1975) and the Kalai
  (egalitarian) point (``u_A - 0 = u_B - 0``, Kalai 1977) are all ``(1/2, 1/2)``;
- hardliner (A) vs linear (B): A asks ``x = 1`` every round it proposes; B's target reaches 0
  at ``t = 1`` and it accepts A's ``x = 1`` in round 5: ``(1, 0)``, welfare 1, time 1, distance
  to the frontier 0 and to each point ``sqrt(1/2)``;
- linear (A) vs hardliner (B): mirror image, A offers its target ``0`` in round 5 and B accepts:
  ``(0, 1)``;
- linear vs linear: A's round-3 offer (``t = 1/2``) gives each ``1/2`` and B accepts: ``(1/2,
  1/2)``, every distance 0, time 1/2 (the protocol module's own doctest);
- hardliner vs hardliner: no agreement, both get ``d = (0, 0)``: welfare 0, distance
  ``sqrt(1/2)`` to the nearest frontier point (1/2, 1/2) and to each of the three points.

Per negotiator over its four distinct sessions (self-play counted once per role; every match is
deterministic, so ``-r 3`` adds only copies and the standard errors are over the four):
hardliner ``{1, 1, 0, 0}``: mean utility 1/2, se ``sd/2 = 0.288675``; linear ``{0, 0, 1/2, 1/2}``:
mean 1/4; linear's agreements at rounds ``{5, 5, 3, 3}``: mean round 4, mean time 3/4.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from burdenshare.store import RunStore
from burdenshare.tournament import Domain, TournamentPlan, run_tournament

PIE = """\
id: pie5
title: a unit pie in five rounds
as_of: 2020-01-01
issues: [{id: x, range: [0, 1]}]
parties:
  A: {utility: {x: {ideal: 1, reservation: 0}}}
  B: {utility: {x: {ideal: 0, reservation: 1}}}
protocol: {first_mover: A, start: 2020-01-01, round_every_days: 1, deadline: 2020-01-05}
"""
H = math.sqrt(0.5)  # the distance from a corner or from (0, 0) to (1/2, 1/2)
TOL = 1e-12  # the grid frontier holds (1/2, 1/2) exactly; the rest is float arithmetic


@pytest.fixture(scope="module", params=[True, False], ids=["offers", "no-offers"])
def summary(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    plan = TournamentPlan(
        domains=(Domain("pie5", PIE),),
        negotiators=("hardliner", "linear"),
        repetitions=3,
        self_play=True,
        offers=request.param,
    )
    path = tmp_path_factory.mktemp("pie") / "runs.duckdb"
    with RunStore.open(path) as st:
        return run_tournament(plan, store=st).summary


def test_the_three_points_split_the_pie(summary: dict[str, Any]) -> None:
    (dom,) = summary["domains"]
    for key in ("nash", "kalai_smorodinsky", "kalai"):
        assert dom[key] == pytest.approx([0.5, 0.5], abs=TOL), key
    assert dom["disagreement"] == [0.0, 0.0]


def test_each_match_gives_the_hand_computed_values(summary: dict[str, Any]) -> None:
    rows = {(r["negotiator_a"], r["negotiator_b"]): r for r in summary["results"]}
    expected = {
        # (utility_a, utility_b, agreement rate, round, time, to Pareto, to each point)
        ("hardliner", "linear"): (1.0, 0.0, 1.0, 5.0, 1.0, 0.0, H),
        ("linear", "hardliner"): (0.0, 1.0, 1.0, 5.0, 1.0, 0.0, H),
        ("linear", "linear"): (0.5, 0.5, 1.0, 3.0, 0.5, 0.0, 0.0),
        ("hardliner", "hardliner"): (0.0, 0.0, 0.0, None, None, H, H),
    }
    for pair, (ua, ub, rate, rnd, t, pareto, point) in expected.items():
        r = rows[pair]
        assert (r["utility_a"], r["utility_b"], r["agreement_rate"]) == pytest.approx(
            (ua, ub, rate), abs=TOL
        ), pair
        assert r["welfare"] == pytest.approx(ua + ub, abs=TOL)
        assert r["mean_round"] == rnd, pair
        assert r["mean_time"] == t, pair
        assert r["distance_pareto"] == pytest.approx(pareto, abs=TOL), pair
        for key in ("distance_nash", "distance_ks", "distance_kalai"):
            assert r[key] == pytest.approx(point, abs=TOL), (pair, key)
        assert r["identical_repetitions"] is True


def test_each_negotiator_gets_the_hand_computed_means_and_intervals(
    summary: dict[str, Any],
) -> None:
    rank = {r["negotiator"]: r for r in summary["ranking"]}
    hard, lin = rank["hardliner"], rank["linear"]
    assert [r["negotiator"] for r in summary["ranking"]] == ["hardliner", "linear"]
    se4 = float(np.std([1, 1, 0, 0], ddof=1)) / 2  # sd of four distinct values / sqrt(4)
    assert (hard["sessions"], hard["distinct_observations"], hard["identical_repetitions"]) == (
        12,
        4,
        8,
    )
    assert hard["mean_utility"] == pytest.approx(0.5, abs=TOL)
    assert hard["se_utility"] == pytest.approx(se4, abs=TOL)
    assert hard["agreement_rate"] == pytest.approx(0.5, abs=TOL)
    assert hard["se_agreement_rate"] == pytest.approx(se4, abs=TOL)
    assert hard["welfare"] == pytest.approx(0.5, abs=TOL)
    assert hard["distance_pareto"] == pytest.approx(H / 2, abs=TOL)
    for key in ("distance_nash", "distance_ks", "distance_kalai"):
        assert hard[key] == pytest.approx(H, abs=TOL)
        assert hard[f"se_{key}"] == pytest.approx(0.0, abs=TOL)
        assert lin[key] == pytest.approx(H / 2, abs=TOL)
    assert (hard["agreement_time"], hard["agreement_round"]) == (1.0, 5.0)
    assert lin["mean_utility"] == pytest.approx(0.25, abs=TOL)
    assert lin["se_utility"] == pytest.approx(se4 / 2, abs=TOL)
    assert (lin["agreement_rate"], lin["welfare"], lin["distance_pareto"]) == (1.0, 1.0, 0.0)
    assert lin["agreement_time"] == pytest.approx(0.75, abs=TOL)
    assert lin["agreement_round"] == pytest.approx(4.0, abs=TOL)
    assert lin["se_agreement_round"] == pytest.approx(np.std([5, 5, 3, 3], ddof=1) / 2, abs=TOL)


def test_the_offer_log_is_the_hand_computed_one(tmp_path: Path) -> None:
    plan = TournamentPlan(
        domains=(Domain("pie5", PIE),), negotiators=("hardliner", "linear"), repetitions=2
    )
    with RunStore.open(tmp_path / "r.duckdb") as st:
        run = run_tournament(plan, store=st)
        log = st.offers(run.run_id)
        agreed = st.samples(run.run_id, ["agreement"])["agreement"].tolist()
    # match 0 is hardliner (A) vs linear (B): sessions 0 and 1, a copy of 0 (not logged);
    # A asks x = 1, B offers its targets 1 - t at t = 1/4 and 3/4, then accepts x = 1
    first = log["session"] == 0
    offers = ['{"x":1.0}', '{"x":0.25}', '{"x":1.0}', '{"x":0.75}', '{"x":1.0}']
    assert log["outcome"][first].tolist() == offers
    assert log["proposer"][first].tolist() == ["a", "b", "a", "b", "a"]
    assert log["response"][first].tolist() == ["reject"] * 4 + ["accept"]
    assert log["ratified"][first].tolist() == [None] * 4 + [True]
    assert log["utility_b"][first].tolist() == [0.0, 0.75, 0.0, 0.25, 0.0]
    assert 1 not in log["session"].tolist()  # the copy of session 0
    assert agreed == ['{"x":1.0}', '{"x":1.0}', '{"x":0.0}', '{"x":0.0}']
