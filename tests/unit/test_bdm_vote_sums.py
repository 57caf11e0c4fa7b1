"""The O(n^2) forms of Bueno de Mesquita's model against the formulas as written (models.md §1.3).

``ExpectedUtility`` no longer builds the ``n x n x n`` array of votes, the ``n x m x m`` table of
median margins or a Python loop over pairs: :func:`vote_sums` and the compiled
``challenge_kernel`` and ``choose_offers`` replace them. Each is checked here against a small
pure-numpy reference of the formula it replaces (the references are the formulas of
``bdm_formulas`` on the full arrays, and the scalar step-7 loop the model used before), on
random tables, to ``1e-12``; and the model on 400 actors is checked never to allocate anything
of ``n^3`` size.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from burdenshare.errors import ForecastError
from burdenshare.forecasting.base import ActorTable
from burdenshare.forecasting.bdm import MAX_ACTORS, ExpectedUtility
from burdenshare.forecasting.bdm_formulas import (
    FloatArray,
    classify_offer,
    compromise_position,
    condorcet_median,
    expected_utility,
    normalised_distance,
    probability_bdm,
    probability_bdm_sums,
    probability_scholz,
    probability_scholz_sums,
    scholz_compromise_key,
    vote_sums,
    votes,
)
from burdenshare.forecasting.bdm_kernel import challenge_kernel
from burdenshare.forecasting.bdm_offers import KINDS, choose_offers

TOL = 1e-12
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cases(draw: st.DrawFn, max_actors: int = 9) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``(x, w, r)``: positions (half on a coarse grid full of ties), weights, risk exponents."""
    n = draw(st.integers(2, max_actors))
    if draw(st.booleans()):
        x = draw(st.lists(st.integers(0, 4).map(float), min_size=n, max_size=n))
    else:
        x = draw(st.lists(st.integers(0, 10_000).map(lambda v: v / 100.0), min_size=n, max_size=n))
    w = draw(st.lists(st.floats(0.0, 5.0), min_size=n, max_size=n))
    r = draw(
        st.lists(st.sampled_from([0.5, 1.0, 2.0]) | st.floats(0.5, 2.0), min_size=n, max_size=n)
    )
    return np.array(x), np.array(w), np.array(r)


def _delta(x: FloatArray) -> float:
    return float(x.max() - x.min()) or 1.0


@FAST
@given(case=cases())
def test_vote_sums_equal_the_summed_votes(case: tuple[FloatArray, FloatArray, FloatArray]) -> None:
    x, w, r = case
    v = votes(x, w, r, _delta(x))  # the n x n x n reference
    support, contest = vote_sums(x, w, r, _delta(x))
    np.testing.assert_allclose(support, np.maximum(v, 0.0).sum(axis=0), rtol=TOL, atol=TOL)
    np.testing.assert_allclose(contest, np.abs(v).sum(axis=0), rtol=TOL, atol=TOL)
    np.testing.assert_allclose(
        probability_scholz_sums(support, contest), probability_scholz(v), atol=TOL
    )
    np.testing.assert_allclose(probability_bdm_sums(support, contest), probability_bdm(v), atol=TOL)


def test_vote_sums_by_hand() -> None:
    # voters at 0 (w 1) and 10 (w 3), r = 1, delta 10: V[0, 0, 1] = 1, V[1, 0, 1] = -3
    support, contest = vote_sums([0.0, 10.0], [1.0, 3.0], [1.0, 1.0], 10.0)
    assert support.tolist() == [[0.0, 1.0], [3.0, 0.0]]
    assert contest.tolist() == [[0.0, 4.0], [4.0, 0.0]]
    # a voter at the midpoint is indifferent; equal positions get no votes
    support, contest = vote_sums([0.0, 5.0, 10.0, 10.0], [1.0, 7.0, 1.0, 1.0], 1.0, 10.0)
    assert support[0, 2] == pytest.approx(1.0)  # the voter at 0
    assert support[2, 0] == pytest.approx(2.0)  # the two at 10
    assert support[2, 3] == contest[2, 3] == 0.0


def _challenges_reference(
    x: FloatArray,
    s: FloatArray,
    p: FloatArray,
    r: FloatArray,
    delta: float,
    mu: float,
    q: float,
    t: float,
) -> tuple[FloatArray, FloatArray]:
    """The model's step 5 as it was, on whole matrices with the numpy formulas."""
    d = normalised_distance(x, delta)
    e = 0.25 * (np.abs(x - mu)[:, None] + d * delta) / delta
    rr = r[:, None]
    own = expected_utility(d, s[None, :], p, rr, q=q, t=t, e=e)
    their = expected_utility(d, s[:, None], p.T, rr, q=q, t=t, e=e.T)
    return own, their


@FAST
@given(
    case=cases(),
    q=st.sampled_from([1.0, 0.5]) | st.floats(0.0, 1.0),
    t=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_challenge_kernel_equals_expected_utility(
    case: tuple[FloatArray, FloatArray, FloatArray], q: float, t: float, seed: int
) -> None:
    x, _, r = case
    rng = np.random.default_rng(seed)
    s, p = rng.uniform(0, 1, x.size), rng.uniform(0, 1, (x.size, x.size))
    delta, mu = _delta(x), float(np.median(x))
    own, their = challenge_kernel(x, s, p, r, delta, mu, q, t, True)
    ref_own, ref_their = _challenges_reference(x, s, p, r, delta, mu, q, t)
    np.testing.assert_allclose(own, ref_own, rtol=0, atol=TOL)
    np.testing.assert_allclose(their, ref_their, rtol=0, atol=TOL)
    alone, empty = challenge_kernel(x, s, p, r, delta, mu, q, t, False)
    np.testing.assert_array_equal(alone, own)
    assert empty.shape == (0, 0)


def _choose_reference(
    x: FloatArray, own: FloatArray, their: FloatArray, delta: float, params: dict[str, object]
) -> list[tuple[str, int, float] | None]:
    """Step 7 as the model's scalar loop took it, actor by actor, pair by pair."""
    tol = float(params["tolerance"])  # type: ignore[arg-type]
    out: list[tuple[str, int, float] | None] = []
    for i in range(len(x)):
        found: dict[str, list[tuple[float, float, int]]] = {k: [] for k in KINDS}
        for j in range(len(x)):
            if j == i or x[j] == x[i]:
                continue
            e_ij, e_ji = float(own[i, j]), float(their[i, j])
            kind = classify_offer(e_ij, e_ji, capitulation=params["capitulation"], tolerance=tol)  # type: ignore[arg-type]
            if kind is None:
                continue
            new = float(x[j])
            score = abs(new - x[i])
            if kind == "compromise":
                new = compromise_position(float(x[i]), float(x[j]), e_ij, e_ji)
                if params["compromise_key"] == "scholz":
                    score = scholz_compromise_key(float(x[i]), float(x[j]), e_ij, e_ji)
                else:
                    score = abs(new - x[i])
            found[kind].append((float(score), new, j))
        choice = None
        for kind in KINDS:
            options = found[kind]
            if options:
                best = min(sc for sc, _, _ in options)
                tied = [o for o in options if o[0] <= best + tol * delta]
                _, new, j = tied[0] if params["ties"] == "first" else min(tied, key=lambda o: o[1:])
                choice = (kind, j, new)
                break
        out.append(choice)
    return out


@FAST
@given(
    case=cases(),
    seed=st.integers(0, 2**32 - 1),
    capitulation=st.sampled_from(["jmckib", "fixed"]),
    compromise_key=st.sampled_from(["scholz", "nearest"]),
    ties=st.sampled_from(["first", "lowest"]),
    tolerance=st.sampled_from([0.0, 1e-9]),
    coarse=st.booleans(),
)
def test_choose_offers_equals_the_scalar_loop(
    case: tuple[FloatArray, FloatArray, FloatArray],
    seed: int,
    capitulation: str,
    compromise_key: str,
    ties: str,
    tolerance: float,
    coarse: bool,
) -> None:
    x = case[0]
    rng = np.random.default_rng(seed)
    own, their = rng.uniform(-1, 1, (2, x.size, x.size))
    if coarse:  # exact ties between kinds, scores and targets
        own, their = np.round(own * 2) / 2, np.round(their * 2) / 2
    params: dict[str, object] = {
        "capitulation": capitulation,
        "compromise_key": compromise_key,
        "ties": ties,
        "tolerance": tolerance,
    }
    kind, target, moved = choose_offers(x, own, their, delta=_delta(x), **params)  # type: ignore[arg-type]
    ref = _choose_reference(x, own, their, _delta(x), params)
    for i, choice in enumerate(ref):
        if choice is None:
            assert (kind[i], target[i], moved[i]) == (-1, -1, x[i])
        else:
            assert (KINDS[kind[i]], int(target[i]), float(moved[i])) == choice


def _condorcet_reference(x: FloatArray, w: FloatArray, delta: float) -> float:
    """The pairwise margin table ``n x m x m`` the median used to build."""
    pts = np.unique(x)
    dist = np.abs(x[:, None] - pts[None, :]) / delta
    margin = np.einsum("k,kab->ab", w, dist[:, None, :] - dist[:, :, None])
    unbeaten = np.all(margin >= -1e-12 * float(w.sum()), axis=1)
    winners = pts[unbeaten]
    return float(winners[0]) if winners.size == 1 else float((winners[0] + winners[-1]) / 2)


@FAST
@given(case=cases(max_actors=12))
def test_condorcet_median_equals_the_pairwise_table(
    case: tuple[FloatArray, FloatArray, FloatArray],
) -> None:
    x, w, _ = case
    w = w + 0.01  # some weight
    assert condorcet_median(x, w, _delta(x)) == _condorcet_reference(x, w, _delta(x))


@pytest.mark.parametrize("config", ["scholz_faithful", "corrected"])
def test_no_array_of_cubic_size_on_400_actors(config: str) -> None:
    """The votes of 400 actors would be 512 MB as an n^3 array; n^2 matrices are 1.3 MB each.

    ``tracemalloc`` sees numpy's allocations (the old arrays were numpy's); the compiled loops'
    own ``n x n`` results are allocated by numba and not traced, the benchmark measures them
    (``benchmarks/bench_forecast.py``, peak RSS).
    """
    n = 400
    rng = np.random.default_rng(11)
    table = ActorTable.single(
        [f"a{i}" for i in range(n)],
        rng.uniform(0, 100, n),
        rng.uniform(0.1, 1, n),
        rng.uniform(0.1, 10, n),
    )
    model = getattr(ExpectedUtility, config)()
    model.predict(ActorTable.single(["a", "b", "c"], [0, 1, 2], [1, 1, 1], [1, 1, 1]))  # compile
    tracemalloc.start()
    try:
        forecast = model.predict(table)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert np.isfinite(forecast.outcome).all()
    assert peak < 40 * n * n * 8, f"peak {peak / 2**20:.0f} MiB"


def test_too_many_actors_are_refused_before_anything_is_built() -> None:
    n = MAX_ACTORS + 1
    table = ActorTable.single([f"a{i}" for i in range(n)], np.arange(n), np.ones(n), np.ones(n))
    with pytest.raises(ForecastError, match=f"{n:,} actors; at most {MAX_ACTORS:,}"):
        ExpectedUtility.corrected().predict(table)
