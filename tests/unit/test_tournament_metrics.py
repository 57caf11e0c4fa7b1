"""Tournament metrics by ANAC conventions: welfare, the Kalai-Smorodinsky and Kalai distances,
the time of agreement, standard errors over distinct observations, and the offer log (stored with
each match, the same sessions as the batch engine's, exported and read back unchanged)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.engine import session_generators
from burdenshare.negotiation import make_negotiator, run_session
from burdenshare.services.tournament import load_domain
from burdenshare.store import RunStore, export_run
from burdenshare.tournament import MATCH_COLUMNS, Domain, TournamentPlan, run_tournament
from burdenshare.tournament.match import (
    OFFER_COLUMNS,
    MatchTask,
    match_scenario,
    outcome_json,
    relative_time,
    run_match,
)
from burdenshare.tournament.ranking import mean_and_se
from burdenshare.tournament.reference import DomainReference, all_distances, reference_points

GENIUS = Path(__file__).parents[1] / "known_values" / "data" / "genius"


# ------------------------------------------------------------------ reference points


def test_kalai_equalises_gains_where_nash_and_ks_keep_proportions() -> None:
    """Halve the second party's utility on a unit pie: Nash and Kalai-Smorodinsky are invariant
    to rescaling a party's utility, so they still split the pie, (1/2, 1/4); the Kalai
    (egalitarian) point equalises the gains, u1 = (1 - u1) / 2, so (1/3, 1/3) (Kalai 1977,
    Econometrica 45:1623-1630). The grid k/12 holds all three points exactly."""
    x = np.arange(13) / 12
    nash, ks, kalai = reference_points(x, (1 - x) / 2, (0.0, 0.0))
    assert nash == ks == (0.5, 0.25)
    assert kalai == pytest.approx((1 / 3, 1 / 3), abs=1e-15)
    ref = DomainReference(x, (1 - x) / 2, nash, (0.0, 0.0), "exact", ks, kalai)
    d = all_distances(ref, np.array([1 / 3]), np.array([1 / 3]))
    assert d["distance_kalai"][0] == pytest.approx(0.0, abs=1e-15)
    assert d["distance_nash"][0] == pytest.approx(math.hypot(1 / 6, 1 / 12), abs=1e-15)
    assert d["distance_pareto"][0] == pytest.approx(0.0, abs=1e-15)


def test_points_outside_the_rational_set_are_none_and_their_distances_nan() -> None:
    x = np.arange(5) / 4
    assert reference_points(x, 1 - x, (0.8, 0.8)) == (None, None, None)
    ref = DomainReference(x, 1 - x, None, (0.8, 0.8), "exact")
    d = all_distances(ref, np.array([0.8]), np.array([0.8]))
    assert math.isnan(d["distance_ks"][0])
    assert math.isnan(d["distance_kalai"][0])


def test_relative_time_runs_from_zero_to_one() -> None:
    assert relative_time([1, 2, 11], 11).tolist() == [0.0, 0.1, 1.0]
    assert relative_time([1], 1).tolist() == [1.0]


# ------------------------------------------------------------------ distinct observations


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(-10, 10), min_size=2, max_size=12),
    copies=st.lists(st.integers(0, 5), min_size=2, max_size=12),
)
def test_copies_move_the_mean_but_never_the_standard_error(
    values: list[float], copies: list[int]
) -> None:
    """Repeating an observation as flagged copies weights the mean by session, as ANAC does,
    but the standard error stays that of the distinct observations."""
    reps = (copies * len(values))[: len(values)]
    x = np.repeat(values, [1 + r for r in reps])
    flag = np.concatenate([[False] + [True] * r for r in reps])
    mean, se = mean_and_se(x, flag)
    _, se_distinct = mean_and_se(np.array(values), np.zeros(len(values), dtype=bool))
    assert mean == pytest.approx(float(np.mean(x)), abs=1e-9)
    assert se == pytest.approx(se_distinct, rel=1e-9, abs=1e-12)


# ------------------------------------------------------------------ the offer path


@pytest.mark.parametrize(
    ("domain", "pair", "sample"),
    [
        ("us-rok-sma-2019", ("boulware", "conceder"), False),  # kernel, breakdown clock
        ("us-rok-sma-2019", ("hardliner", "linear"), True),  # kernel, sampled beliefs
        ("us-rok-sma-2021", ("tit-for-tat", "boulware"), False),  # by session, integer issue
        ("split-the-pie", ("linear", "conceder"), False),  # deterministic: one session
    ],
)
def test_logging_offers_plays_the_same_sessions_as_the_batch_engine(
    domain: str, pair: tuple[str, str], sample: bool
) -> None:
    """With an offer log the sessions are played by the one-session protocol: every stored
    column must equal the batch engine's, bit for bit."""
    d = load_domain(domain)
    fast = run_match(MatchTask(0, d.name, d.text, d.fmt, pair, 6, seed=11, sample=sample))
    logged = run_match(
        MatchTask(0, d.name, d.text, d.fmt, pair, 6, seed=11, sample=sample, offers=True)
    )
    assert fast.offers is None
    assert logged.offers is not None
    assert list(logged.columns) == list(MATCH_COLUMNS)
    for name, col in fast.columns.items():
        same = np.array_equal(col, logged.columns[name], equal_nan=col.dtype.kind == "f")
        assert same, name


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A small tournament with chance (SMA 2019 has a breakdown risk) and a categorical domain,
    stored and exported as Parquet and CSV, sessions and offers."""
    tmp = tmp_path_factory.mktemp("export")
    plan = TournamentPlan(
        domains=(load_domain("us-rok-sma-2019"), load_domain(GENIUS / "Laptop")),
        negotiators=("boulware", "tit-for-tat"),
        repetitions=3,
        seed=4,
    )
    out: dict[str, Any] = {"plan": plan}
    with RunStore.open(tmp / "runs.duckdb") as st:
        run = run_tournament(plan, store=st)
        out["run"] = run
        for what in ("sessions", "offers"):
            for fmt in ("parquet", "csv"):
                out[what, fmt] = export_run(
                    st,
                    run.run_id,
                    tmp / f"{what}.{fmt}",
                    fmt,  # type: ignore[arg-type]
                    what=what,  # type: ignore[arg-type]
                )
    return out


def _replayed(plan: TournamentPlan) -> dict[int, Any]:
    """Every logged session, replayed on its own with the tournament's seeds."""
    from burdenshare.tournament import match_tasks

    out = {}
    for task in match_tasks(plan):
        sc = match_scenario(task.scenario_text, task.scenario_format)
        for k in range(task.repetitions):
            negs = dict(zip(sc.party_names, map(make_negotiator, task.negotiators), strict=True))
            res = run_session(sc, negs, seed=session_generators(task.seed, task.repetitions, k))
            out[task.index * task.repetitions + k] = (sc, res)
    return out


def _read(path: Path) -> dict[str, list[Any]]:
    if path.suffix == ".parquet":
        return dict(pq.read_table(path).to_pydict())
    with duckdb.connect() as con:
        rel = con.execute("SELECT * FROM read_csv(?, header = true)", [str(path)])
        names = [c[0] for c in rel.description]
        rows = rel.fetchall()
    return {n: [r[i] for r in rows] for i, n in enumerate(names)}


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_exported_offers_are_the_sessions_transcripts(stored: dict[str, Any], fmt: str) -> None:
    table = _read(stored["offers", fmt])
    assert list(table) == ["session", "offer", *OFFER_COLUMNS]
    replay = _replayed(stored["plan"])
    logged = sorted(set(table["session"]))
    # SMA 2019 (breakdown risk) logs every repetition; Laptop's deterministic matches log one
    assert logged == [0, 1, 2, 3, 4, 5, 6, 9]
    for s in logged:
        sc, res = replay[s]
        rows = [i for i, v in enumerate(table["session"]) if v == s]
        a, b = sc.party_names
        assert [table["offer"][i] for i in rows] == list(range(len(res.transcript)))
        for i, o in zip(rows, res.transcript, strict=True):
            assert table["round"][i] == o.round
            assert table["proposer"][i] == ("a" if o.proposer == a else "b")
            assert table["response"][i] == o.response.value
            assert table["ratified"][i] == o.ratified
            assert (table["utility_a"][i], table["utility_b"][i]) == (
                o.utilities[a],
                o.utilities[b],
            )
            assert json.loads(table["outcome"][i]) == pytest.approx(
                json.loads(outcome_json(sc, o.outcome) or "null")
            )


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_exported_sessions_carry_the_agreed_outcome_and_new_columns(
    stored: dict[str, Any], fmt: str
) -> None:
    table = _read(stored["sessions", fmt])
    assert list(table) == ["session", *MATCH_COLUMNS]
    replay = _replayed(stored["plan"])
    for s, (sc, res) in replay.items():
        text = table["agreement"][s]
        if res.agreement is None:
            assert text is None or (fmt == "csv" and text == "")
        else:
            assert json.loads(text) == json.loads(outcome_json(sc, res.agreement) or "")
            assert table["round"][s] == res.round
        a, b = sc.party_names
        welfare = res.discounted_utilities[a] + res.discounted_utilities[b]
        assert table["welfare"][s] == pytest.approx(welfare, rel=1e-15)


def test_the_run_record_says_whether_offers_are_kept(stored: dict[str, Any]) -> None:
    params = stored["run"].record.parameters
    assert params["offers"] is True
    sidecar = json.loads(Path(str(stored["offers", "parquet"]) + ".run.json").read_text())
    assert sidecar["id"] == stored["run"].run_id


def test_a_tournament_without_offers_keeps_no_log(tmp_path: Path) -> None:
    plan = TournamentPlan(
        domains=(Domain("pie", load_domain("split-the-pie").text),),
        negotiators=("boulware", "linear"),
        repetitions=2,
        offers=False,
    )
    with RunStore.open(tmp_path / "r.duckdb") as st:
        run = run_tournament(plan, store=st)
        assert st.offer_columns(run.run_id) is None
        agreements = st.samples(run.run_id, ["agreement"])["agreement"]
    assert all(json.loads(t)["share"] >= 0 for t in agreements)
