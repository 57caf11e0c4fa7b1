"""Unit tests of ``burdenshare.ensemble.sampling``: paths, seeding, LHS, correlation, errors.

Latin hypercube: McKay, Beckman & Conover (1979), Technometrics 21:239–245.
Rank correlation: Iman & Conover (1982), Commun. Statist. B 11:311–334.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from importlib import resources

import numpy as np
import pytest
from scipy import stats

import burdenshare.ensemble as ensemble
from burdenshare.ensemble import (
    DEFAULT_BLOCK_SIZE,
    NEGOTIATION_STREAM,
    SAMPLING_STREAM,
    SamplePlan,
    block_rng,
    block_seed,
    draw,
    sample_block,
    session_overrides,
    uncertain_parameters,
)
from burdenshare.errors import ScenarioError, SimulationError
from burdenshare.preferences.build import party_parameters
from burdenshare.preferences.issue_utility import NumericUtility
from burdenshare.scenario import Distribution, Scenario
from burdenshare.scenario.io import EXAMPLE, load_scenario, parse_scenario_text

U01 = Distribution(kind="uniform", params=(0.0, 1.0))
TRI = Distribution(kind="triangular", params=(1300.0, 1500.0, 4700.0))
NORM = Distribution(kind="normal", params=(0.0, 1.0))
CHOICE = Distribution(kind="choice", params=(1.0, 2.0, 5.0), weights=(0.2, 0.3, 0.5))

RICH = """\
id: rich
title: Every uncertain field
as_of: 2019-11-19
money: {unit: KRW, scale: billion, fx: {USD: 1126}}
issues:
  - {id: contribution, unit: money, range: [900, 6500]}
parties:
  US:
    utility:
      contribution:
        prefers: higher
        ideal: {uniform: [5000, 6000]}
        reservation: {triangular: [1090.8, 1350, 2500]}
    discount_per_round: {uniform: [0.95, 0.99]}
    outside_option: {uniform: [0.0, 0.1]}
    ratification: none
  ROK:
    utility:
      contribution:
        prefers: lower
        ideal: 1038.9
        reservation: {triangular: [1090.8, 1124.1, 1246.7]}
    discount_per_round: 0.97
    ratification: {body: National Assembly, approval_threshold: {normal: [1190, 20]}}
protocol:
  first_mover: US
  start: 2019-11-19
  round_every_days: 28
  deadline: 2019-12-31
  horizon: 2020-12-31
  breakdown_risk_per_round: {beta: [2, 30, 0, 0.2]}
  events:
    - {date: 2019-12-31, kind: deadline}
    - date: 2020-04-01
      kind: cost
      party: ROK
      effects:
        reservation: {contribution: {uniform: [1150, 1300]}}
        discount_per_round: {uniform: [0.9, 0.95]}
        outside_option: {choice: [0.0, 0.05]}
        approval_threshold: {triangular: [1150, 1200, 1350]}
actors:
  - {id: wh, party: US, position: {uniform: [5000, 6000]}, salience: {beta: [2, 2]},
     capability: {uniform: [0.1, 0.9]}}
  - {id: nga, party: ROK, position: 1124.1, salience: 0.6, capability: 0.1}
"""


def flagship() -> Scenario:
    path = resources.files("burdenshare.scenario.library") / "us-rok-sma-2019.yaml"
    with resources.as_file(path) as p:
        return load_scenario(p).scenario


def rich() -> Scenario:
    return parse_scenario_text(RICH, source="rich.yaml").scenario


def test_namespace_pinned() -> None:
    """The ensemble package's public names are exactly these (a new one is a decision)."""
    assert sorted(ensemble.__all__) == sorted(
        [
            "Accumulator",
            "ChunkResult",
            "ChunkTask",
            "DEFAULT_BLOCK_SIZE",
            "DEFAULT_CHUNK",
            "EnsembleResult",
            "Method",
            "NEGOTIATION_STREAM",
            "SAMPLING_STREAM",
            "SamplePlan",
            "SobolIndices",
            "SobolResult",
            "TornadoResult",
            "TornadoRow",
            "UNIT",
            "block_rng",
            "block_seed",
            "chunk_stats",
            "draw",
            "run_chunk",
            "run_ensemble",
            "sample_block",
            "sample_columns",
            "session_overrides",
            "sobol",
            "tornado",
            "uncertain_parameters",
        ]
    )
    for name in ensemble.__all__:
        assert hasattr(ensemble, name)


# -- uncertain_parameters --------------------------------------------------------------------


def test_flagship_uncertain_parameters() -> None:
    params = uncertain_parameters(flagship())
    assert list(params) == [
        "parties.US.utility.contribution.reservation",
        "parties.ROK.utility.contribution.reservation",
        "parties.ROK.ratification.approval_threshold",
    ]
    assert params["parties.US.utility.contribution.reservation"].params == (1090.8, 1350, 2500)
    assert all(d.kind == "triangular" for d in params.values())


def test_every_uncertain_field_in_file_order() -> None:
    params = uncertain_parameters(rich())
    assert list(params) == [
        "parties.US.utility.contribution.ideal",
        "parties.US.utility.contribution.reservation",
        "parties.US.discount_per_round",
        "parties.US.outside_option",
        "parties.ROK.utility.contribution.reservation",
        "parties.ROK.ratification.approval_threshold",
        "protocol.breakdown_risk_per_round",
        "protocol.events.1.effects.reservation.contribution",
        "protocol.events.1.effects.discount_per_round",
        "protocol.events.1.effects.outside_option",
        "protocol.events.1.effects.approval_threshold",
        "actors.0.position",
        "actors.0.salience",
        "actors.0.capability",
    ]
    assert params["actors.0.salience"].kind == "beta"


def test_no_uncertainty_gives_empty_mapping() -> None:
    s = parse_scenario_text(EXAMPLE.replace("{triangular: [1090.8, 1124.1, 1246.7]}", "1124.1"))
    assert uncertain_parameters(s.scenario) == {}
    assert draw({}, 10, seed=0) == {}


def test_session_overrides_feed_party_parameters() -> None:
    s = rich()
    draws = draw(uncertain_parameters(s), 50, seed=11, method="lhs")
    ov = session_overrides(draws, 7)
    assert all(isinstance(v, float) for v in ov.values())
    us = party_parameters(s, "US", overrides=ov)
    part = us.utility.parts[0]
    assert isinstance(part, NumericUtility)
    assert part.reservation == draws["parties.US.utility.contribution.reservation"][7]
    assert part.ideal == draws["parties.US.utility.contribution.ideal"][7]
    assert us.discount == draws["parties.US.discount_per_round"][7]
    # after the furlough event the ROK values come from the event's effects
    rok = party_parameters(s, "ROK", on=dt.date(2020, 5, 1), overrides=ov)
    part = rok.utility.parts[0]
    assert isinstance(part, NumericUtility)
    assert part.reservation == ov["protocol.events.1.effects.reservation.contribution"]
    assert rok.ratification_threshold == ov["protocol.events.1.effects.approval_threshold"]
    assert rok.outside_option in (0.0, 0.05)


def test_session_overrides_index_errors() -> None:
    draws = draw({"x": U01}, 3, seed=0)
    assert session_overrides(draws, 2) == {"x": float(draws["x"][2])}
    with pytest.raises(IndexError, match="session 3"):
        session_overrides(draws, 3)
    with pytest.raises(IndexError):
        session_overrides(draws, -1)


# -- seeding ---------------------------------------------------------------------------------


def test_block_seed_convention() -> None:
    assert block_seed(0, SAMPLING_STREAM, 5).spawn_key == (0, 5)
    assert block_seed(0, NEGOTIATION_STREAM, 5).spawn_key == (1, 5)
    root = np.random.SeedSequence(123, spawn_key=(4, 2))
    child = block_seed(root, 1, 9)
    assert child.entropy == 123
    assert child.spawn_key == (4, 2, 1, 9)
    a = block_rng(42, 0, 3).random(4)
    b = np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(entropy=42, spawn_key=(0, 3)))
    ).random(4)
    assert np.array_equal(a, b)
    assert np.array_equal(block_rng(np.random.SeedSequence(42), 0, 3).random(4), a)
    assert not np.array_equal(block_rng(42, 1, 3).random(4), a)


def test_mc_known_values_follow_the_convention() -> None:
    """A uniform(0, 1) parameter's MC draws are the block generator's uniforms, bit for bit."""
    n, bsz = 10, 4
    got = draw({"x": U01, "y": U01}, n, seed=0, block_size=bsz)
    xs, ys = [], []
    for b in range(3):
        size = min(bsz, n - b * bsz)
        rng = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(entropy=0, spawn_key=(0, b)))
        )
        xs.append(rng.random(size))  # parameters in mapping order, one column after another
        ys.append(rng.random(size))
    assert np.array_equal(got["x"], np.concatenate(xs))
    assert np.array_equal(got["y"], np.concatenate(ys))


def test_lhs_known_values_follow_the_convention() -> None:
    got = sample_block({"x": U01}, seed=3, block=2, size=5, method="lhs")["x"]
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=3, spawn_key=(0, 2))))
    perm = rng.permutation(5)
    expected = (perm + rng.random(5)) / 5
    assert np.array_equal(got, expected)


def test_seed_zero_reproducible_and_seeds_differ() -> None:
    params = {"t": TRI, "n": NORM, "c": CHOICE}
    for method in ("mc", "lhs"):
        a = draw(params, 1000, seed=0, method=method)
        b = draw(params, 1000, seed=np.random.SeedSequence(0), method=method)
        c = draw(params, 1000, seed=1, method=method)
        for k in params:
            assert np.array_equal(a[k], b[k])
            assert not np.array_equal(a[k], c[k])


def test_no_global_state_used() -> None:
    np.random.seed(1)
    a = draw({"t": TRI}, 100, seed=5)["t"]
    np.random.seed(2)
    np.random.random(10)
    assert np.array_equal(a, draw({"t": TRI}, 100, seed=5)["t"])


def test_chunking_gives_identical_draws() -> None:
    params = {"t": TRI, "n": NORM, "c": CHOICE}
    corr = {("t", "n"): 0.6}
    full = draw(params, 1000, seed=9, method="lhs", block_size=128, correlations=corr)
    cuts = [0, 1, 127, 128, 129, 500, 999, 1000]
    parts = [
        draw(params, 1000, seed=9, method="lhs", block_size=128, correlations=corr, start=a, stop=b)
        for a, b in itertools.pairwise(cuts)
    ]
    for k in params:
        assert np.array_equal(full[k], np.concatenate([p[k] for p in parts]))


# -- Latin hypercube -------------------------------------------------------------------------


def test_lhs_block_of_four_has_one_value_per_quarter() -> None:
    x = draw({"x": U01}, 4, seed=0, method="lhs")["x"]
    assert sorted(np.floor(x * 4).astype(int).tolist()) == [0, 1, 2, 3]


def test_lhs_every_block_is_stratified_per_parameter() -> None:
    n, bsz = 2500, 1000  # blocks of 1000, 1000 and 500
    params = {"x": U01, "y": Distribution(kind="uniform", params=(-2.0, 3.0))}
    got = draw(params, n, seed=4, method="lhs", block_size=bsz)
    for lo, hi in [(0, 1000), (1000, 2000), (2000, 2500)]:
        size = hi - lo
        for k, (a, b) in {"x": (0.0, 1.0), "y": (-2.0, 3.0)}.items():
            q = (got[k][lo:hi] - a) / (b - a)
            strata = np.floor(q * size).astype(int)
            assert np.array_equal(np.sort(strata), np.arange(size))


def test_lhs_mean_is_close_to_exact() -> None:
    x = draw({"t": TRI}, 1000, seed=0, method="lhs")["t"]
    # stratification makes the error far below the MC standard error (about 22)
    assert abs(x.mean() - TRI.central()) < 2.0


# -- marginals -------------------------------------------------------------------------------


def test_mc_triangular_mean_within_four_standard_errors() -> None:
    n = 200_000
    x = draw({"t": TRI}, n, seed=0)["t"]
    lo, mode, hi = TRI.params
    sd = math.sqrt((lo**2 + mode**2 + hi**2 - lo * mode - lo * hi - mode * hi) / 18)
    assert abs(x.mean() - TRI.central()) < 4 * sd / math.sqrt(n)
    assert lo <= x.min()
    assert x.max() <= hi


def test_choice_gives_category_values_with_their_weights() -> None:
    n = 100_000
    x = draw({"c": CHOICE}, n, seed=2)["c"]
    assert set(np.unique(x).tolist()) == {1.0, 2.0, 5.0}
    for value, w in zip(CHOICE.params, CHOICE.weights or (), strict=True):
        freq = float(np.mean(x == value))
        assert abs(freq - w) < 4 * math.sqrt(w * (1 - w) / n)


def test_normal_is_unbounded_but_finite() -> None:
    x = draw({"n": NORM}, 50_000, seed=3, method="lhs")["n"]
    assert np.all(np.isfinite(x))
    assert abs(x.mean()) < 0.01
    assert abs(x.std() - 1.0) < 0.01


# -- rank correlation ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["mc", "lhs"])
def test_rank_correlation_close_to_target_with_marginals_unchanged(method: str) -> None:
    params = {"t": TRI, "n": NORM, "u": U01}
    corr = {("t", "n"): 0.7, ("u", "n"): -0.4}
    kw = {"seed": 8, "method": method, "block_size": 20_000}
    with_c = draw(params, 20_000, correlations=corr, **kw)  # type: ignore[arg-type]
    without = draw(params, 20_000, **kw)  # type: ignore[arg-type]
    assert abs(stats.spearmanr(with_c["t"], with_c["n"])[0] - 0.7) < 0.05
    assert abs(stats.spearmanr(with_c["u"], with_c["n"])[0] + 0.4) < 0.05
    assert abs(stats.spearmanr(with_c["t"], with_c["u"])[0]) < 0.05
    assert abs(stats.spearmanr(without["t"], without["n"])[0]) < 0.05
    for k in params:
        assert np.array_equal(np.sort(with_c[k]), np.sort(without[k]))


def test_correlation_touches_only_named_parameters() -> None:
    params = {"a": U01, "b": U01, "c": U01}
    with_c = draw(params, 500, seed=1, correlations={("a", "b"): 0.5})
    without = draw(params, 500, seed=1)
    assert np.array_equal(with_c["c"], without["c"])
    # Iman-Conover with a lower-triangular factor keeps the first column's order; b is reordered
    assert not np.array_equal(with_c["b"], without["b"])


def test_zero_correlation_changes_nothing_and_order_of_pair_is_irrelevant() -> None:
    params = {"a": U01, "b": TRI}
    base = draw(params, 300, seed=1)
    zero = draw(params, 300, seed=1, correlations={("a", "b"): 0.0})
    ab = draw(params, 300, seed=1, correlations={("a", "b"): 0.3})
    ba = draw(params, 300, seed=1, correlations={("b", "a"): 0.3})
    for k in params:
        assert np.array_equal(base[k], zero[k])
        assert np.array_equal(ab[k], ba[k])


def test_tiny_blocks_with_correlation_still_work() -> None:
    params = {"a": U01, "b": NORM, "c": CHOICE}
    corr = {("a", "b"): 0.6, ("b", "c"): 0.5}
    for bsz in (1, 2, 3):
        x = draw(params, 7, seed=0, method="lhs", block_size=bsz, correlations=corr)
        assert all(np.all(np.isfinite(v)) and v.shape == (7,) for v in x.values())


# -- the plan --------------------------------------------------------------------------------


def test_plan_blocks_and_equality() -> None:
    plan = SamplePlan.create({"x": U01}, 10, seed=1, block_size=4)
    assert (plan.block_length, plan.n_blocks) == (4, 3)
    assert [plan.block_bounds(b) for b in range(3)] == [(0, 4), (4, 8), (8, 10)]
    assert list(plan.blocks(4, 8)) == [1]
    assert list(plan.blocks(5, 5)) == []
    assert plan == SamplePlan.create({"x": U01}, 10, seed=np.random.SeedSequence(1), block_size=4)
    assert hash(plan) == hash(SamplePlan.create({"x": U01}, 10, seed=1, block_size=4))
    assert plan != SamplePlan.create({"x": U01}, 10, seed=2, block_size=4)
    with pytest.raises(AttributeError):
        plan.n = 11  # type: ignore[misc]
    assert np.array_equal(plan.sample_block(2)["x"], plan.draw(8, 10)["x"])
    big = SamplePlan.create({"x": U01}, 10, seed=1)
    assert (big.block_size, big.block_length, big.n_blocks) == (DEFAULT_BLOCK_SIZE, 10, 1)


def test_empty_ensemble() -> None:
    got = draw({"x": U01}, 0, seed=0)
    assert got["x"].shape == (0,)
    assert draw({"x": U01}, 5, seed=0, start=3, stop=3)["x"].shape == (0,)


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("corr", "field", "value"),
    [
        ({("a", "zz"): 0.5}, "correlations[a, zz]", "zz"),
        ({("a", "b"): 1.0}, "correlations[a, b]", 1.0),
        ({("a", "b"): -1.5}, "correlations[a, b]", -1.5),
        ({("a", "b"): float("nan")}, "correlations[a, b]", None),
        ({("a", "a"): 0.5}, "correlations[a, a]", 0.5),
        ({("a", "b"): 0.5, ("b", "a"): 0.4}, "correlations[a, b]", [0.5, 0.4]),
    ],
)
def test_bad_correlations(corr: dict[tuple[str, str], float], field: str, value: object) -> None:
    with pytest.raises(ScenarioError) as info:
        draw({"a": U01, "b": U01, "c": U01}, 10, seed=0, correlations=corr)
    assert info.value.field == field
    if value is not None:
        assert info.value.value == value
    assert field in str(info.value)


def test_non_positive_definite_correlations() -> None:
    corr = {("a", "b"): 0.9, ("b", "c"): 0.9, ("a", "c"): -0.9}
    with pytest.raises(ScenarioError, match="positive-definite") as info:
        sample_block({"a": U01, "b": U01, "c": U01}, seed=0, block=0, size=10, correlations=corr)
    assert info.value.field == "correlations"
    assert info.value.value == {"a, b": 0.9, "a, c": -0.9, "b, c": 0.9}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": -1}, "n must be"),
        ({"method": "sobol"}, "unknown sampling method 'sobol'"),
        ({"block_size": 0}, "block_size must be"),
        ({"seed": -3}, "seed must be"),
        ({"seed": 1.5}, "seed must be"),
        ({"start": 5, "stop": 4}, r"sessions \[5, 4\)"),
        ({"stop": 11}, r"sessions \[0, 11\)"),
    ],
)
def test_bad_settings(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {"n": 10, "seed": 0, **kwargs}
    n = args.pop("n")
    with pytest.raises(SimulationError, match=match):
        draw({"x": U01}, n, **args)  # type: ignore[arg-type]


def test_bad_parameter_mapping() -> None:
    with pytest.raises(ScenarioError, match="Distribution"):
        draw({"x": 0.5}, 3, seed=0)  # type: ignore[dict-item]
    with pytest.raises(SimulationError, match="block must be"):
        sample_block({"x": U01}, seed=0, block=-1, size=3)
    plan = SamplePlan.create({"x": U01}, 10, seed=0, block_size=4)
    with pytest.raises(SimulationError, match="block 3 is out of range"):
        plan.block_bounds(3)
