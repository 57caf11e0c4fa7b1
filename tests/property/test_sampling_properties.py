"""Invariants of ``burdenshare.ensemble.sampling``, checked with hypothesis.

The central one: the draws of session ``i`` depend only on (seed, n, method, correlations,
block_size, i), so any chunking of ``[0, n)`` reproduces one full draw bit for bit. Latin
hypercube strata follow McKay, Beckman & Conover (1979); rank correlation follows Iman &
Conover (1982).
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.ensemble import SamplePlan, draw, sample_block
from burdenshare.scenario import Distribution

FAST = settings(max_examples=30, deadline=None)

PARAMS = {
    "tri": Distribution(kind="triangular", params=(1090.8, 1350.0, 2500.0)),
    "norm": Distribution(kind="normal", params=(0.97, 0.01)),
    "choice": Distribution(kind="choice", params=(0.0, 0.05, 0.1), weights=(1.0, 2.0, 1.0)),
    "unif": Distribution(kind="uniform", params=(0.0, 1.0)),
}
CORRELATIONS = {("tri", "norm"): 0.6, ("norm", "unif"): -0.3}


@st.composite
def ensembles(draw_: st.DrawFn) -> tuple[int, int, list[int]]:
    """An ensemble size, a block size (at most ~50 blocks) and sorted chunk boundaries."""
    n = draw_(st.integers(min_value=1, max_value=5000))
    block_size = draw_(st.integers(min_value=max(1, n // 50), max_value=6000))
    inner = draw_(st.lists(st.integers(min_value=0, max_value=n), max_size=8))
    return n, block_size, sorted({0, n, *inner})


@FAST
@given(
    spec=ensembles(),
    seed=st.integers(min_value=0, max_value=2**64),
    method=st.sampled_from(["mc", "lhs"]),
    correlated=st.booleans(),
)
def test_any_chunking_equals_one_full_draw(
    spec: tuple[int, int, list[int]], seed: int, method: str, correlated: bool
) -> None:
    n, block_size, cuts = spec
    kw = {
        "seed": seed,
        "method": method,
        "block_size": block_size,
        "correlations": CORRELATIONS if correlated else None,
    }
    full = draw(PARAMS, n, **kw)  # type: ignore[arg-type]
    parts = [
        draw(PARAMS, n, start=a, stop=b, **kw)  # type: ignore[arg-type]
        for a, b in itertools.pairwise(cuts)
    ]
    for name in PARAMS:
        assert full[name].shape == (n,)
        assert full[name].dtype == np.float64
        assert np.array_equal(full[name], np.concatenate([p[name] for p in parts]))


@FAST
@given(
    n1=st.integers(min_value=1, max_value=3000),
    n2=st.integers(min_value=1, max_value=3000),
    block_size=st.integers(min_value=64, max_value=512),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_full_blocks_do_not_depend_on_n(n1: int, n2: int, block_size: int, seed: int) -> None:
    """Once n >= block_size, a full block's draws are the same whatever the ensemble size."""
    a = SamplePlan.create(PARAMS, max(n1, block_size), seed=seed, block_size=block_size)
    b = SamplePlan.create(PARAMS, max(n2, block_size), seed=seed, block_size=block_size)
    full = min(a.n, b.n) // block_size
    for blk in range(full):
        x, y = a.sample_block(blk), b.sample_block(blk)
        assert all(np.array_equal(x[k], y[k]) for k in PARAMS)


@FAST
@given(
    size=st.integers(min_value=1, max_value=3000),
    block=st.integers(min_value=0, max_value=10**6),
    seed=st.integers(min_value=0, max_value=2**32),
    correlated=st.booleans(),
)
def test_lhs_block_holds_one_probability_per_stratum(
    size: int, block: int, seed: int, correlated: bool
) -> None:
    """Each stratum [k/B, (k+1)/B) holds exactly one probability per parameter, correlated
    or not (a uniform(0, 1) parameter's value is its probability)."""
    params = {"u": PARAMS["unif"], "v": PARAMS["unif"], "w": PARAMS["unif"]}
    corr = {("u", "v"): 0.8, ("v", "w"): 0.5} if correlated else None
    got = sample_block(params, seed=seed, block=block, size=size, method="lhs", correlations=corr)
    for q in got.values():
        assert np.all((q > 0.0) & (q < 1.0))
        assert np.array_equal(np.sort(np.floor(q * size).astype(np.int64)), np.arange(size))


@FAST
@given(
    n=st.integers(min_value=1, max_value=2000),
    seed=st.integers(min_value=0, max_value=2**32),
    method=st.sampled_from(["mc", "lhs"]),
)
def test_values_lie_in_the_support_and_correlation_keeps_marginals(
    n: int, seed: int, method: str
) -> None:
    plain = draw(PARAMS, n, seed=seed, method=method)  # type: ignore[arg-type]
    corr = draw(PARAMS, n, seed=seed, method=method, correlations=CORRELATIONS)  # type: ignore[arg-type]
    for name, dist in PARAMS.items():
        lo, hi = dist.support()
        assert np.all(np.isfinite(plain[name]))
        assert np.all((plain[name] >= lo) & (plain[name] <= hi))
        assert np.array_equal(np.sort(plain[name]), np.sort(corr[name]))
    assert set(np.unique(plain["choice"]).tolist()) <= {0.0, 0.05, 0.1}
