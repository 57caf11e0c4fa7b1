"""The exchange model on cases small enough to work by hand, its invariants, and the Decide reader.

Notation in the derivations: ``i`` supplies issue ``p`` (moves towards ``j`` there) and demands
``q``; ``j`` supplies ``q``. ``W_d = Σ c s`` on issue ``d``; a move ``Δx`` shifts ``O_d`` by
``Δx·s·c / W_d``; equal gain needs ``shift_q = shift_p·(s_ip + s_jp)/(s_iq + s_jq)``; each cap is
``min(|x_partner − x_mover|·s·c / W, |x_partner − O|)`` (Stokman & Van Oosten 1994; models.md §3).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.errors import ForecastError
from burdenshare.forecasting.base import ActorTable
from burdenshare.forecasting.decide_io import load_actor_table, parse_decide, read_decide
from burdenshare.forecasting.exchange import (
    MAX_CANDIDATES,
    VARIANTS,
    ExchangeModel,
    RoundResult,
    exchange_round,
)
from burdenshare.forecasting.exchange_steps import candidate_count, compromise, opposite_pairs
from burdenshare.testing.forecasters import ForecasterContract

TOL = 1e-9
SAMPLE = Path(__file__).parents[1] / "known_values" / "data" / "exchange" / "sample_data.txt"


def table(
    position: list[list[float]],
    salience: list[list[float]],
    capability: list[float],
    actors: tuple[str, ...] | None = None,
) -> ActorTable:
    n = len(position)
    return ActorTable(
        actors=actors or tuple("ABCDEFGH"[:n]),
        issues=tuple("pqrs"[: len(position[0])]),
        position=np.array(position, dtype=np.float64),
        salience=np.array(salience, dtype=np.float64),
        capability=np.array(capability, dtype=np.float64),
    )


def first_round(t: ActorTable) -> RoundResult:
    cap = np.broadcast_to(t.capability[:, None], t.position.shape).copy()
    return exchange_round(t.position, t.salience, cap)


# ----------------------------------------------------------------- hand-computed cases
def test_full_logroll_two_actors() -> None:
    """A = (0, 0), s = (0.2, 0.8); B = (100, 100), s = (0.8, 0.2); c = 1.

    W = 1 on both issues: O = (0.8·100, 0.2·100) = (80, 20). A cares relatively more about q, so
    A supplies p and B supplies q. Caps: A on p min(100·0.2, 100 − 80) = 20; B on q
    min(100·0.2, 20 − 0) = 20. Ratio (0.2 + 0.8)/(0.8 + 0.2) = 1, so both shifts are 20: A moves
    0 → 100 on p, B 100 → 0 on q, O = (100, 0). Gains 0.8·20 − 0.2·20 = 12 each.
    Round 2 starts from A_p = 0 + ((1 − 0.2)·0.4 + 0.1)·100 = 42, B_q = 58: O = (88.4, 11.6), and
    the same full trade gives (100, 0) again: converged.
    """
    t = table([[0, 0], [100, 100]], [[0.2, 0.8], [0.8, 0.2]], [1, 1])
    forecast = ExchangeModel(rounds=5).predict(t)
    np.testing.assert_allclose(forecast.path, [[80, 20], [100, 0], [100, 0]], atol=TOL)
    assert forecast.converged is True
    [first, second] = forecast.details["exchanges"]
    assert (first["i"], first["j"], first["p"], first["q"]) == ("A", "B", "p", "q")
    assert first["gain_i"] == pytest.approx(12.0, abs=TOL)
    assert first["gain_j"] == pytest.approx(12.0, abs=TOL)
    assert (first["i_from"], first["i_to"], first["j_from"], first["j_to"]) == pytest.approx(
        (0.0, 100.0, 100.0, 0.0), abs=TOL
    )
    np.testing.assert_allclose(forecast.details["start_outcomes"][1], [88.4, 11.6], atol=TOL)
    assert second["i_from"] == pytest.approx(42.0, abs=TOL)
    assert second["j_from"] == pytest.approx(58.0, abs=TOL)


def test_unequal_saliences_partial_move() -> None:
    """A = (0, 0), s = (0.4, 0.8); B = (100, 100), s = (0.6, 0.3); c = 1.

    W_p = 1, W_q = 1.1: O = (60, 30/1.1 = 27.27). A's ratio 0.5 < B's 2: A supplies p.
    Caps: A on p 100·0.4/1 = 40; B on q 100·0.3/1.1 = 300/11. Ratio r = 1/1.1; shift_p =
    min(40, (300/11)·1.1 = 30) = 30, shift_q = 300/11 (B moves fully 100 → 0), A moves 30/0.4 = 75.
    Gains: A 0.8·300/11 − 0.4·30 = 108/11; B 0.6·30 − 0.3·300/11 = 108/11. O after = (90, 0).
    Round 2 starts from A_p = 0.34·75 = 25.5, B_q = 100 − 0.38·100 = 62:
    O = (0.4·25.5 + 60, 0.3·62/1.1) = (70.2, 16.909…).
    """
    t = table([[0, 0], [100, 100]], [[0.4, 0.8], [0.6, 0.3]], [1, 1])
    forecast = ExchangeModel(rounds=2).predict(t)
    np.testing.assert_allclose(forecast.path[:2], [[60.0, 300 / 11], [90.0, 0.0]], atol=TOL)
    first = forecast.details["exchanges"][0]
    assert first["shift_p"] == pytest.approx(30.0, abs=TOL)
    assert first["shift_q"] == pytest.approx(300 / 11, abs=TOL)
    assert first["i_to"] == pytest.approx(75.0, abs=TOL)
    assert first["j_to"] == pytest.approx(0.0, abs=TOL)
    assert first["gain_i"] == pytest.approx(108 / 11, abs=TOL)
    assert first["gain_j"] == pytest.approx(108 / 11, abs=TOL)
    np.testing.assert_allclose(forecast.details["start_outcomes"][1], [70.2, 18.6 / 1.1], atol=TOL)


def test_outcome_cap_binds_four_actors() -> None:
    """A = (0, 0), s = (0.2, 0.8); B = (60, 100), s = (0.8, 0.2); C = (100, 100), s = (0.2, 0.8);
    D = (50, 50), s = (0.5, 0.5) with capability 0; others c = 1.

    W_p = 1.2, O_p = (48 + 20)/1.2 = 56.67; W_q = 1.8, O_q = (20 + 80)/1.8 = 55.56. Opposite pairs:
    A-B, A-C, D-B, D-C (4). A and C have equal ratios (0.25): no exchange; D can move nothing.
    A-B: A supplies p. A's cap on p is min(60·0.2/1.2 = 10, 60 − 56.67 = 3.33): the outcome must
    not pass B's position. B's cap on q: min(100·0.2/1.8 = 11.1, 55.56) = 11.1. Ratio 1, so both
    shifts are 10/3: A moves (10/3)·1.2/0.2 = 20 (0 → 20), B moves (10/3)·1.8/0.2 = 30 (100 → 70).
    O after = (60, 52.22), gains 0.8·10/3 − 0.2·10/3 = 2 each.
    """
    t = table(
        [[0, 0], [60, 100], [100, 100], [50, 50]],
        [[0.2, 0.8], [0.8, 0.2], [0.2, 0.8], [0.5, 0.5]],
        [1, 1, 1, 0],
    )
    result = first_round(t)
    assert result.candidates == 4
    [exchange] = result.exchanges
    assert (exchange.i, exchange.j) == (0, 1)
    assert (exchange.move_i, exchange.move_j) == pytest.approx((20.0, -30.0), abs=TOL)
    assert (exchange.gain_i, exchange.gain_j) == pytest.approx((2.0, 2.0), abs=TOL)
    np.testing.assert_allclose(result.outcome, [60.0, 100 / 1.8 - 10 / 3], atol=TOL)


def test_greedy_order_invalidates_conflicting_exchange() -> None:
    """A = (0, 0), s = (0.2, 0.8); B = (100, 100), s = (0.8, 0.2); D = (100, 100), s = (0.6, 0.4);
    E = (50, 50), s = (0.5, 0.5), capability 0 (pairs with nobody); others c = 1.

    W_p = 1.6, O_p = 87.5; W_q = 1.4, O_q = 42.86. A supplies p in both A-B and A-D; A's cap on p is
    min(100·0.2/1.6, 100 − 87.5) = 12.5.
    A-B: ratio 1, B's cap 100·0.2/1.4 = 14.29 → shifts 12.5, 12.5; gain 0.8·12.5 − 0.2·12.5 = 7.5.
    A-D: ratio 0.8/1.2, D's cap 28.57 → shifts 12.5, 8.33; gain 0.8·8.33 − 0.2·12.5 = 4.17.
    A-B is realised first (A 0 → 100 on p; B moves 12.5·1.4/0.2 = 87.5, 100 → 12.5 on q); A-D
    uses A's position on p again, so it is dropped. O after = (100, 42.86 − 12.5).
    """
    t = table(
        [[0, 0], [100, 100], [100, 100], [50, 50]],
        [[0.2, 0.8], [0.8, 0.2], [0.6, 0.4], [0.5, 0.5]],
        [1, 1, 1, 0],
        actors=("A", "B", "D", "E"),
    )
    result = first_round(t)
    assert result.candidates == 2
    [exchange] = result.exchanges
    assert (exchange.i, exchange.j) == (0, 1)
    assert exchange.gain == pytest.approx(7.5, abs=TOL)
    np.testing.assert_allclose(result.voting_position[:, 0], [100, 100, 100, 50], atol=TOL)
    np.testing.assert_allclose(result.voting_position[:, 1], [0, 12.5, 100, 50], atol=TOL)
    np.testing.assert_allclose(result.outcome, [100.0, 60 / 1.4 - 12.5], atol=TOL)


def test_single_issue_is_the_compromise() -> None:
    """With one issue there is no pair of issues to trade: the outcome is the compromise."""
    t = ActorTable.single(["a", "b", "c"], [0.0, 40.0, 100.0], [0.5, 1.0, 0.2], [1.0, 2.0, 3.0])
    forecast = ExchangeModel().predict(t)
    expected = (0.5 * 0 + 2.0 * 40 + 0.6 * 100) / (0.5 + 2.0 + 0.6)
    assert forecast.outcome[0] == pytest.approx(expected, abs=TOL)
    assert forecast.converged is True
    assert forecast.details["exchanges_per_round"] == [0]
    assert forecast.path.shape == (2, 1)


def test_sample_data_runs_and_is_json_ready() -> None:
    t = load_actor_table(SAMPLE)
    forecast = ExchangeModel(rounds=10).predict(t)
    assert forecast.path.shape[1] == 6
    assert forecast.details["rounds_run"] == forecast.path.shape[0] - 1
    assert forecast.details["exchanges_per_round"][0] == 10
    out = json.loads(json.dumps(forecast.to_dict()))
    assert out["model"] == "exchange"
    assert set(out["details"]["voting_positions"]) == set(t.actors)


# ------------------------------------------------------------------ the estimator contract
def test_estimator_conventions() -> None:
    model = ExchangeModel(rounds=3, blend=(0.3, 0.2), tolerance=1e-3)
    assert model.get_params() == {
        "rounds": 3,
        "blend": (0.3, 0.2),
        "variant": "equal_gain",
        "tolerance": 1e-3,
    }
    assert model.fit() is model
    assert model.clone().get_params() == model.get_params()
    assert ExchangeModel.name == "exchange"
    assert "equal_gain" in VARIANTS


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"rounds": 0}, "rounds"),
        ({"rounds": 2.5}, "rounds"),
        ({"blend": (0.8, 0.5)}, "blend"),
        ({"blend": "x"}, "blend"),
        ({"variant": "random_rate"}, "unknown exchange variant"),
        ({"tolerance": -1.0}, "tolerance"),
    ],
    ids=["zero rounds", "fractional rounds", "blend over 1", "blend not numbers", "variant", "tol"],
)
def test_bad_parameters_are_refused(params: dict[str, object], message: str) -> None:
    model = ExchangeModel(**params)  # type: ignore[arg-type]
    with pytest.raises(ForecastError, match=message):
        model.fit()


class TestExchangeContract(ForecasterContract):
    """The contract every forecaster meets (range, relabelling, affine, JSON, ...)."""

    def make_forecaster(self) -> ExchangeModel:
        return ExchangeModel(rounds=5)


# --------------------------------------------------------------------------- properties
@st.composite
def actor_tables(draw: st.DrawFn, min_issues: int = 2) -> ActorTable:
    n = draw(st.integers(2, 5))
    k = draw(st.integers(min_issues, 3))
    coord = st.integers(0, 100).map(float)
    pos = draw(st.lists(st.lists(coord, min_size=k, max_size=k), min_size=n, max_size=n))
    sal = draw(
        st.lists(
            st.lists(st.integers(1, 20).map(lambda v: v / 20), min_size=k, max_size=k),
            min_size=n,
            max_size=n,
        )
    )
    cap = draw(st.lists(st.integers(1, 10).map(float), min_size=n, max_size=n))
    return table(pos, sal, cap, actors=tuple(f"actor{r}" for r in range(n)))


@settings(max_examples=60, deadline=None)
@given(t=actor_tables())
def test_outcome_stays_inside_the_actors_range(t: ActorTable) -> None:
    forecast = ExchangeModel(rounds=4).predict(t)
    lo, hi = t.position.min(axis=0), t.position.max(axis=0)
    assert np.all(forecast.path >= lo - 1e-9)
    assert np.all(forecast.path <= hi + 1e-9)


@settings(max_examples=60, deadline=None)
@given(t=actor_tables())
def test_exchanges_make_nobody_worse_off_and_gains_are_equal(t: ActorTable) -> None:
    result = first_round(t)
    x, voting = t.position, result.voting_position
    for e in result.exchanges:
        assert e.gain_i > 0
        assert e.gain_j > 0
        assert e.gain_i == pytest.approx(e.gain_j, rel=1e-9, abs=1e-12)
        # each moves towards its partner and never past it
        assert 0 <= e.move_i / (x[e.j, e.p] - x[e.i, e.p]) <= 1 + 1e-12
        assert 0 <= e.move_j / (x[e.i, e.q] - x[e.j, e.q]) <= 1 + 1e-12
    # an actor-issue combination is used in at most one exchange per round
    used = [ai for e in result.exchanges for ai in e.actor_issues()]
    assert len(used) == len(set(used))
    moved = np.argwhere(voting != x)
    assert {(int(a), int(d)) for a, d in moved} <= set(used)


@settings(max_examples=40, deadline=None)
@given(t=actor_tables(), data=st.data())
def test_relabelling_actors_changes_nothing(t: ActorTable, data: st.DataObject) -> None:
    order = data.draw(st.permutations(range(t.n_actors)))
    shuffled = ActorTable(
        actors=tuple(t.actors[r] for r in order),
        issues=t.issues,
        position=t.position[order],
        salience=t.salience[order],
        capability=t.capability[order],
    )
    model = ExchangeModel(rounds=3)
    a, b = model.predict(t), model.predict(shuffled)
    np.testing.assert_array_equal(a.path, b.path)
    assert a.details["exchanges"] == b.details["exchanges"]


@settings(max_examples=30, deadline=None)
@given(t=actor_tables(), factor=st.sampled_from([0.01, 3.0, 1000.0]))
def test_capability_scale_does_not_matter(t: ActorTable, factor: float) -> None:
    scaled = ActorTable(
        actors=t.actors,
        issues=t.issues,
        position=t.position,
        salience=t.salience,
        capability=t.capability * factor,
    )
    a = ExchangeModel(rounds=1).predict(t)
    b = ExchangeModel(rounds=1).predict(scaled)
    np.testing.assert_allclose(a.outcome, b.outcome, atol=1e-7)


@settings(max_examples=30, deadline=None)
@given(t=actor_tables(min_issues=1).map(lambda t: t.issue(0)))
def test_one_issue_outcome_is_the_compromise(t: ActorTable) -> None:
    forecast = ExchangeModel().predict(t)
    cap = np.broadcast_to(t.capability[:, None], t.position.shape)
    np.testing.assert_allclose(forecast.outcome, compromise(t.position, t.salience, cap))
    assert forecast.details["exchanges"] == []


# ------------------------------------------------------------------------ Decide reader
def test_reads_the_sample_data() -> None:
    data = read_decide(SAMPLE)
    assert len(data.actors) == 10
    assert data.issues[1] == "tol-hoogte"
    assert data.scale[1] == (0.5, 7.0)
    assert data.salience_scale == 1.0
    t = data.to_actor_table()
    w = t.actors.index("Wcentr")
    assert t.capability[w] == 0.9
    assert t.salience[w, 0] == 0.95
    assert t.position[w, 4] == 100.0


HEAD = "'#A'\t'a'\t''\n'#A'\t'b'\t''\n'#P'\t'x'\t''\n'#M'\t'x'\t0\n'#M'\t'x'\t100\n"


def test_percent_saliences_are_converted() -> None:
    text = HEAD + "'#D'\t'a'\t'x'\t10\t50\t1\n'#D'\t'b'\t'x'\t90\t100\t2\n"
    data = parse_decide(text)
    assert data.salience_scale == 100.0
    np.testing.assert_allclose(data.salience[:, 0], [0.5, 1.0])


def test_semicolon_separated_lines() -> None:
    text = HEAD.replace("\t", ";") + "'#D';'a';'x';10;0.5;1\n'#D';'b';'x';90;1;2\n"
    assert parse_decide(text).to_actor_table().position[:, 0].tolist() == [10.0, 90.0]


def test_missing_cells_can_be_absent() -> None:
    text = (
        "'#A'\t'a'\n'#A'\t'b'\n'#P'\t'x'\n'#P'\t'y'\n"
        "'#D'\t'a'\t'x'\t10\t0.5\t1\n'#D'\t'b'\t'x'\t90\t1\t2\n'#D'\t'b'\t'y'\t40\t1\t2\n"
        "'#D'\t'a'\t'y'\t60\t0.5\t1\n'#A'\t'c'\n'#D'\t'c'\t'x'\t50\t1\t1\n"
    )
    with pytest.raises(ForecastError, match=r"missing 'c' on 'y'.*missing='absent'"):
        parse_decide(text)
    data = parse_decide(text, missing="absent")
    assert data.salience[2, 1] == 0.0
    assert data.position[2, 1] == 50.0  # middle of the y positions 40..60


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEAD + "'#X'\t'a'\n", r"<string>:6: unknown record '#X'"),
        (HEAD + "'#D'\t'a'\t'x'\t10\t0.5\n", r":6: #D needs 6 cells"),
        (HEAD + "'#D'\t'a'\t'x'\tten\t0.5\t1\n", r":6: position must be a number, got 'ten'"),
        (HEAD + "'#D'\t'z'\t'x'\t10\t0.5\t1\n", r"actor 'z' is not declared with #A"),
        (HEAD + "'#D'\t'a'\t'y'\t10\t0.5\t1\n", r"issue 'y' is not declared with #P"),
        (HEAD + "'#D'\t'a'\t'x'\t10\t0.5\t1\n" * 2, r":7: a second #D line for 'a' on 'x'"),
        (HEAD + "'#D'\t'a'\t'x'\t10\t0.5\t1\n", r"missing 'b' on 'x'"),
        (HEAD + "'#D'\t'a'\t'x'\t10\t-1\t1\n", r"salience and power must be >= 0"),
        (HEAD + "'#D'\t'a'\t'x'\t110\t0.5\t1\n'#D'\t'b'\t'x'\t9\t1\t1\n", r"outside the #M"),
        (HEAD + "'#D'\t'a'\t'x'\t10\t500\t1\n'#D'\t'b'\t'x'\t9\t1\t1\n", r"0-1 or 0-100"),
        ("'#A'\t'a'\n'#A'\t'a'\n", r":2: actor 'a' is declared twice"),
        ("", r"no actors"),
    ],
    ids=[
        "unknown tag",
        "short #D",
        "non-numeric",
        "undeclared actor",
        "undeclared issue",
        "duplicate #D",
        "missing cell",
        "negative salience",
        "outside scale",
        "salience over 100",
        "duplicate actor",
        "empty",
    ],
)
def test_malformed_input_is_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(ForecastError, match=message):
        parse_decide(text)


def test_power_varying_by_issue_cannot_become_an_actor_table() -> None:
    text = (
        "'#A'\t'a'\n'#A'\t'b'\n'#P'\t'x'\n'#P'\t'y'\n"
        "'#D'\t'a'\t'x'\t10\t0.5\t1\n'#D'\t'a'\t'y'\t10\t0.5\t2\n"
        "'#D'\t'b'\t'x'\t90\t1\t2\n'#D'\t'b'\t'y'\t40\t1\t2\n"
    )
    data = parse_decide(text)
    with pytest.raises(ForecastError, match=r"actor 'a' has a different power"):
        data.to_actor_table()


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ForecastError, match="cannot read Decide input"):
        read_decide(tmp_path / "nope.txt")


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 12),
    k=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_candidate_count_is_the_number_of_opposite_pairs(n: int, k: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    position = rng.integers(0, 5, (n, k)).astype(float)  # some actors exactly at the outcome
    outcome = rng.integers(0, 5, k).astype(float)
    listed = sum(
        len(opposite_pairs(position, outcome, p, q)) for p in range(k) for q in range(p + 1, k)
    )
    assert candidate_count(position, outcome) == listed


def test_a_round_too_large_is_refused_before_it_is_built() -> None:
    """200 actors on two issues: about 10,000 candidate exchanges, minutes of greedy rounds."""
    n = 200
    rng = np.random.default_rng(3)
    table = ActorTable(
        actors=tuple(f"a{i}" for i in range(n)),
        issues=("p", "q"),
        position=rng.uniform(0, 100, (n, 2)),
        salience=rng.uniform(0.1, 1, (n, 2)),
        capability=rng.uniform(0.1, 10, n),
    )
    with pytest.raises(ForecastError, match=r"would weigh [\d,]+ candidate exchanges in round 1"):
        ExchangeModel().predict(table)
    # one issue has no issue pairs: any number of actors is served
    assert np.isfinite(ExchangeModel().predict(table.issue(0)).outcome).all()
    assert MAX_CANDIDATES >= 857  # DEU III's largest proposal needs 857
