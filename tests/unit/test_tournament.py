"""Tournaments: the plan (every ordered pair, both roles), the stored sessions, the ranking,
resuming, and the reference distances."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.engine import OUTCOMES
from burdenshare.ensemble.run import run_ensemble
from burdenshare.errors import SimulationError, StoreError
from burdenshare.services.tournament import load_domain
from burdenshare.store import RunStore
from burdenshare.tournament import (
    MATCH_COLUMNS,
    Domain,
    DomainReference,
    TournamentPlan,
    domain_reference,
    match_tasks,
    ranking,
    run_tournament,
)
from burdenshare.tournament.reference import reference_distances

GENIUS = Path(__file__).parents[1] / "known_values" / "data" / "genius"
NEGS = ("boulware", "conceder", "hardliner")


@pytest.fixture(scope="module")
def laptop() -> Domain:
    return load_domain(GENIUS / "Laptop")


@pytest.fixture(scope="module")
def itex() -> Domain:
    return load_domain(GENIUS / "ItexvsCypress")


def _plan(*domains: Domain, **kw: Any) -> TournamentPlan:
    return TournamentPlan(domains=domains, negotiators=kw.pop("negotiators", NEGS), **kw)


# ------------------------------------------------------------------ the plan


def test_every_ordered_pair_meets_in_both_roles(laptop: Domain, itex: Domain) -> None:
    plan = _plan(laptop, itex, repetitions=4)
    pairs = plan.pairs
    assert len(pairs) == len(set(pairs)) == 3 * 2
    assert all((b, a) in pairs for a, b in pairs)  # role swapping
    assert all(a != b for a, b in pairs)
    tasks = match_tasks(plan)
    assert [t.index for t in tasks] == list(range(12))
    assert {(t.domain, t.negotiators) for t in tasks} == {
        (d, p) for d in ("Laptop", "ItexvsCypress") for p in pairs
    }
    # common random numbers: one seed per domain, shared by every pair on it
    seeds = {t.domain: set() for t in tasks}
    for t in tasks:
        seeds[t.domain].add(t.seed)
    assert all(len(s) == 1 for s in seeds.values())
    assert seeds["Laptop"] != seeds["ItexvsCypress"]
    with_self = _plan(laptop, self_play=True)
    assert len(with_self.pairs) == 9
    assert ("hardliner", "hardliner") in with_self.pairs


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"negotiators": ("boulware",)}, "two negotiators"),
        ({"negotiators": ("boulware", "boulware")}, "distinct"),
        ({"negotiators": ("boulware", "no-such")}, "no-such"),
        ({"repetitions": 0}, "repetitions"),
        (
            {
                "repetitions": 10_000_000,
                "negotiators": tuple(f"time-dependent:e={k}" for k in range(1, 20)),
            },
            "limit",
        ),
    ],
)
def test_bad_plans_are_refused_with_the_reason(
    laptop: Domain, kw: dict[str, Any], match: str
) -> None:
    with pytest.raises(SimulationError, match=match):
        _plan(laptop, **kw).check()


def test_duplicate_or_missing_domains_are_refused(laptop: Domain) -> None:
    with pytest.raises(SimulationError, match="unique"):
        _plan(laptop, laptop).check()
    with pytest.raises(SimulationError, match="at least one domain"):
        _plan().check()


def test_a_refused_plan_stores_nothing(laptop: Domain, tmp_path: Path) -> None:
    with RunStore.open(tmp_path / "runs.duckdb") as store:
        with pytest.raises(SimulationError):
            run_tournament(_plan(laptop, negotiators=("boulware", "nope")), store=store)
        assert store.list_runs() == []


# ------------------------------------------------------------------ running and ranking


@pytest.fixture(scope="module")
def finished(laptop: Domain, itex: Domain, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("tournament") / "runs.duckdb"
    with RunStore.open(path) as store:
        result = run_tournament(_plan(laptop, itex, repetitions=3, seed=5), store=store)
        cols = store.samples(result.run_id)
    return result, cols, path


def test_every_session_is_stored_with_the_pair_and_domain(finished: Any) -> None:
    result, cols, _ = finished
    assert result.record.status == "finished"
    assert result.record.columns == MATCH_COLUMNS
    assert cols["session"].tolist() == list(range(2 * 6 * 3))
    assert result.summary["sessions"] == 36
    # match k holds sessions 3k .. 3k + 2, repetitions 0, 1, 2
    assert cols["repetition"].tolist() == [0, 1, 2] * 12
    first = [(cols["domain"][i], cols["negotiator_a"][i], cols["negotiator_b"][i]) for i in (0, 3)]
    assert first == [("Laptop", "boulware", "conceder"), ("Laptop", "boulware", "hardliner")]


def test_ranking_is_the_mean_over_both_roles(finished: Any) -> None:
    result, cols, _ = finished
    rows = {r["negotiator"]: r for r in result.summary["ranking"]}
    assert [r["rank"] for r in result.summary["ranking"]] == [1, 2, 3]
    means = [r["mean_utility"] for r in result.summary["ranking"]]
    assert means == sorted(means, reverse=True)
    agreed = cols["outcome"] == OUTCOMES.index("agreement")
    for name, row in rows.items():
        in_a, in_b = cols["negotiator_a"] == name, cols["negotiator_b"] == name
        mine = np.concatenate([cols["discounted_a"][in_a], cols["discounted_b"][in_b]])
        assert row["sessions"] == mine.size == 2 * 2 * 2 * 3  # 2 opponents x 2 roles x 2 domains
        assert row["mean_utility"] == pytest.approx(mine.mean(), abs=1e-12)
        # central values, no breakdown risk, deterministic negotiators: the 3 repetitions of a
        # match are one session, so the interval counts one observation per match and role
        first = np.concatenate([cols["repetition"][in_a] == 0, cols["repetition"][in_b] == 0])
        distinct = mine[first]
        assert row["distinct_observations"] == distinct.size == 2 * 2 * 2
        assert row["identical_repetitions"] == mine.size - distinct.size
        assert row["se_utility"] == pytest.approx(distinct.std(ddof=1) / math.sqrt(distinct.size))
        both = in_a | in_b
        assert row["agreement_rate"] == pytest.approx(agreed[both].mean())
        assert row["distance_pareto"] == pytest.approx(cols["distance_pareto"][both].mean())


def test_the_results_table_has_one_row_per_match(finished: Any) -> None:
    result, cols, _ = finished
    rows = result.summary["results"]
    assert len(rows) == 12
    for k, row in enumerate(rows):
        sl = slice(3 * k, 3 * k + 3)
        assert (row["domain"], row["negotiator_a"], row["negotiator_b"]) == (
            cols["domain"][3 * k],
            cols["negotiator_a"][3 * k],
            cols["negotiator_b"][3 * k],
        )
        assert row["utility_a"] == pytest.approx(cols["discounted_a"][sl].mean())


def test_a_hardliner_gets_its_ideal_when_it_agrees(finished: Any) -> None:
    """The hardliner accepts only U >= 1 - 1e-9 (negotiators/hardliner.py), so every agreement
    it is part of gives it (undiscounted) utility 1."""
    _, cols, _ = finished
    agreed = cols["outcome"] == OUTCOMES.index("agreement")
    for side in ("a", "b"):
        mine = agreed & (cols[f"negotiator_{side}"] == "hardliner")
        assert mine.any()
        np.testing.assert_allclose(cols[f"utility_{side}"][mine], 1.0, atol=1e-9)


def test_distances_are_measured_from_the_stored_utilities(finished: Any, laptop: Domain) -> None:
    _, cols, _ = finished
    ref = domain_reference(laptop.text, laptop.fmt)
    on = cols["domain"] == "Laptop"
    pareto, nash = reference_distances(ref, cols["utility_a"][on], cols["utility_b"][on])
    np.testing.assert_array_equal(pareto, cols["distance_pareto"][on])
    np.testing.assert_array_equal(nash, cols["distance_nash"][on])
    assert (cols["distance_pareto"] >= 0).all()
    # Laptop's exact frontier has 4 distinct points, as NegMAS finds (genius/README.md)
    assert ref.frontier_u1.size == 4
    assert ref.method.startswith("exact")


def test_same_seed_same_tournament(
    finished: Any, laptop: Domain, itex: Domain, tmp_path: Path
) -> None:
    result, cols, _ = finished
    with RunStore.open(tmp_path / "again.duckdb") as store:
        again = run_tournament(_plan(laptop, itex, repetitions=3, seed=5), store=store)
        cols2 = store.samples(again.run_id)
    assert again.summary == result.summary
    for name, col in cols.items():
        assert np.array_equal(col, cols2[name], equal_nan=col.dtype.kind == "f"), name


def test_an_interrupted_tournament_resumes_to_the_same_result(
    finished: Any, laptop: Domain, itex: Domain, tmp_path: Path
) -> None:
    result, cols, _ = finished
    calls = []

    def stop_after_five(done: int, total: int) -> None:
        calls.append(done)
        if done >= 5 * 3:
            raise KeyboardInterrupt

    with RunStore.open(tmp_path / "resume.duckdb") as store:
        with pytest.raises(KeyboardInterrupt):
            run_tournament(
                _plan(laptop, itex, repetitions=3, seed=5), store=store, progress=stop_after_five
            )
        (rec,) = store.list_runs()
        assert rec.status == "interrupted"
        assert rec.n_sessions_done == 15
        with pytest.raises(StoreError, match="tournament --resume"):
            run_ensemble(None, store=store, resume=rec.id)
        resumed = run_tournament(None, store=store, resume=rec.id)
        cols2 = store.samples(resumed.run_id)
        with pytest.raises(StoreError, match="already finished"):
            run_tournament(None, store=store, resume=rec.id)
    assert resumed.summary == result.summary
    for name, col in cols.items():
        assert np.array_equal(col, cols2[name], equal_nan=col.dtype.kind == "f"), name


def test_resuming_an_ensemble_as_a_tournament_is_refused(tmp_path: Path) -> None:
    from burdenshare.services import load

    with RunStore.open(tmp_path / "runs.duckdb") as store:
        ens = run_ensemble(load("us-rok-sma-2019"), n=100, store=store)
        with pytest.raises(StoreError, match="not a tournament"):
            run_tournament(None, store=store, resume=ens.run_id)


# ------------------------------------------------------------------ reference points


@settings(max_examples=50, deadline=None)
@given(
    front=st.lists(
        st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=20, unique=True
    ),
    pts=st.lists(st.tuples(st.floats(-1, 2), st.floats(-1, 2)), min_size=1, max_size=30),
)
def test_distance_to_pareto_is_the_nearest_frontier_point(
    front: list[tuple[float, float]], pts: list[tuple[float, float]]
) -> None:
    f = np.array(front)
    ref = DomainReference(f[:, 0], f[:, 1], tuple(front[0]), (0.0, 0.0), "test")
    u = np.array(pts)
    pareto, nash = reference_distances(ref, u[:, 0], u[:, 1])
    for k, (x, y) in enumerate(pts):
        expected = min(math.hypot(x - a, y - b) for a, b in front)
        assert pareto[k] == pytest.approx(expected, abs=1e-12)
        assert nash[k] == pytest.approx(math.hypot(x - front[0][0], y - front[0][1]), abs=1e-12)
        assert pareto[k] <= nash[k] + 1e-12  # Nash is a frontier point


def test_ranking_sorts_by_utility_then_agreement_then_name() -> None:
    cols = {
        "negotiator_a": np.array(["x", "y", "z"]),
        "negotiator_b": np.array(["y", "z", "x"]),
        "outcome": np.array([0, 0, 1]),
        "discounted_a": np.full(3, 0.5),
        "discounted_b": np.full(3, 0.5),
        "distance_pareto": np.zeros(3),
        "distance_nash": np.zeros(3),
    }
    rows = ranking(cols, ["z", "y", "x"])
    # every mean is 0.5; y agreed twice, x and z once each; x before z by name
    assert [r["negotiator"] for r in rows] == ["y", "x", "z"]


@pytest.mark.parametrize("pair", [("boulware", "conceder"), ("tit-for-tat", "hardliner")])
def test_a_deterministic_match_runs_once_and_equals_every_repetition(
    laptop: Domain, pair: tuple[str, str]
) -> None:
    """GENIUS domains have no breakdown risk and fixed profiles; deterministic negotiators then
    play the same session every repetition, so one is run and repeated: bit-identical."""
    from burdenshare.tournament.match import MatchTask, repeats_identically, run_match
    from burdenshare.tournament.match import match_scenario as parsed

    task = MatchTask(0, laptop.name, laptop.text, laptop.fmt, pair, 7, seed=3)
    assert repeats_identically(parsed(laptop.text, laptop.fmt), task)
    quick, slow = run_match(task), run_match(task, shortcut=False)
    for name, col in slow.columns.items():
        assert np.array_equal(quick.columns[name], col, equal_nan=col.dtype.kind == "f"), name


def test_matches_with_chance_are_run_in_full() -> None:
    from burdenshare.services import load
    from burdenshare.tournament.match import MatchTask, repeats_identically
    from burdenshare.tournament.match import match_scenario as parsed

    sma = load("us-rok-sma-2019")  # uncertain beliefs and a breakdown risk per round
    sc = parsed(sma.text, sma.fmt)
    task = MatchTask(0, "sma", sma.text, sma.fmt, ("boulware", "conceder"), 5, seed=1)
    assert not repeats_identically(sc, task)  # the breakdown clock differs by repetition


def test_domains_with_the_same_name_are_told_apart_and_repeats_refused(tmp_path: Path) -> None:
    """Folders name their domains (the two Gratch domains, whose XML both say "GratchDomain",
    keep their folder names); two different domains in folders of the same name become
    ``name`` and ``name-2``; the same domain twice is refused."""
    import shutil

    from burdenshare.errors import ScenarioError
    from burdenshare.services.tournament import _distinct

    both = _distinct([GENIUS / "Gratch_distributive", GENIUS / "Gratch_integrative"])
    assert [d.name for d in both] == ["Gratch_distributive", "Gratch_integrative"]
    for parent in ("a", "b"):
        shutil.copytree(GENIUS / "Laptop", tmp_path / parent / "Laptop")
    seller = tmp_path / "b" / "Laptop" / "laptop_seller_utility.xml"
    seller.write_text(seller.read_text().replace('evaluation="3"', 'evaluation="2"', 1))
    twins = _distinct([tmp_path / "a" / "Laptop", tmp_path / "b" / "Laptop"])
    assert [d.name for d in twins] == ["Laptop", "Laptop-2"]
    with pytest.raises(ScenarioError, match="given twice"):
        _distinct([GENIUS / "Laptop", "split-the-pie", GENIUS / "Laptop"])


def test_a_match_that_cannot_be_played_names_it_and_stores_nothing(tmp_path: Path) -> None:
    """The Nash-seeker searches a candidate grid of at most 200,000 outcomes; AMPOvsCity has
    1,944,000, so that match cannot be played: the error names the match, and the run the call
    created is removed (bad input changes nothing stored)."""
    ampo = load_domain(GENIUS / "AMPOvsCity")
    with RunStore.open(tmp_path / "runs.duckdb") as store:
        with pytest.raises(SimulationError, match=r"boulware \(first party\) vs nash"):
            run_tournament(
                _plan(ampo, negotiators=("boulware", "nash"), repetitions=2), store=store
            )
        assert store.list_runs() == []


def test_a_folder_domain_is_named_by_its_folder() -> None:
    """Issue 12, item 7: AMPOvsCity appeared as "Conflict" (the name inside its XML) and the two
    Gratch domains both as "GratchDomain"; a folder now names its domain."""
    assert load_domain(GENIUS / "AMPOvsCity").name == "AMPOvsCity"
    names = {load_domain(GENIUS / d).name for d in ("Gratch_distributive", "Gratch_integrative")}
    assert names == {"Gratch_distributive", "Gratch_integrative"}
    assert load_domain("split-the-pie").name == "split-the-pie"  # a scenario keeps its id


def test_repetitions_of_a_deterministic_match_do_not_shrink_its_interval(tmp_path: Path) -> None:
    """Issue 12, item 6: Boulware's standard error fell from 0.033 at ``-r 1`` to 0.0069 at
    ``-r 20`` with identical means, because copies of one deterministic session counted as
    independent. Now the interval is over distinct observations: the same at any ``-r``; the
    results table flags such matches."""
    laptop = load_domain(GENIUS / "Laptop")
    summaries = []
    for r in (1, 2, 20):
        with RunStore.open(tmp_path / f"runs-{r}.duckdb") as store:
            result = run_tournament(_plan(laptop, repetitions=r), store=store)
        summaries.append(result.summary)
    rankings = [{row["negotiator"]: row for row in s["ranking"]} for s in summaries]
    for name in NEGS:
        rows = [rk[name] for rk in rankings]
        assert rows[0]["mean_utility"] == pytest.approx(rows[2]["mean_utility"], rel=1e-12)
        assert rows[1]["se_utility"] == pytest.approx(rows[2]["se_utility"], rel=1e-12)
        assert rows[2]["distinct_observations"] == rows[0]["sessions"]
        assert rows[2]["identical_repetitions"] == rows[2]["sessions"] - rows[0]["sessions"]
    assert all(row["identical_repetitions"] for row in summaries[2]["results"])
