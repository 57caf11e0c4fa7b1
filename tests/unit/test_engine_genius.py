"""The GENIUS-style agents in the engine (:mod:`burdenshare.engine.genius`): tables are built
once per distinct parameter set, a batch whose tables would exceed the kernel's memory budget is
played in parts with the same numbers, and the Bayesian model plays session by session."""

from __future__ import annotations

import numpy as np
import pytest

import burdenshare.engine.batch as batch_module
from burdenshare.engine.genius import (
    GeniusTables,
    genius_parameters,
    genius_session_bytes,
    genius_tables,
)
from burdenshare.engine.params import batch_party
from burdenshare.ensemble import draw, uncertain_parameters
from burdenshare.negotiation import make_negotiator
from burdenshare.scenario.io import load_scenario
from burdenshare.scenario.library import bundled_path
from burdenshare.scenario.scenario import Scenario

PAIR = ["genius-boulware", "genius-time-dependent:e=1,model=belief,accept=combi,T=0.5"]


@pytest.fixture(scope="module")
def flagship():  # type: ignore[no-untyped-def]
    return load_scenario(bundled_path("us-rok-sma-2019")).scenario


def _tables(scenario: Scenario, draws: dict[str, np.ndarray], n: int) -> GeniusTables:
    negs = [make_negotiator(s) for s in PAIR]
    names = scenario.party_names
    date = scenario.protocol.round_dates()[0]
    parties = [[batch_party(scenario, p, draws, n, date)] for p in names]
    keys = batch_module._solution_keys(scenario, parties)
    return genius_tables(scenario, negs, [True, True], keys, draws, [0], n)


def test_tables_are_built_once_per_distinct_parameter_set(flagship) -> None:  # type: ignore[no-untyped-def]
    same = _tables(flagship, {}, 50)
    assert same.off.shape == (2,)  # one entry per party for 50 identical sessions
    assert (same.entry[0] == 0).all()
    assert (same.entry[1] == 1).all()
    draws = draw(uncertain_parameters(flagship), 6, seed=3)
    each = _tables(flagship, draws, 6)
    assert each.off.shape == (12,)  # every session draws its own reservations
    assert sorted(set(each.entry.ravel().tolist())) == list(range(12))


def test_a_batch_over_the_memory_budget_plays_in_parts_with_the_same_numbers(  # type: ignore[no-untyped-def]
    flagship, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = 40
    draws = draw(uncertain_parameters(flagship), n, seed=5)
    whole = batch_module.run_batch(flagship, PAIR, draws, seed=5, n=n)
    per = genius_session_bytes(flagship, [make_negotiator(s) for s in PAIR], 1)
    monkeypatch.setattr(batch_module, "KERNEL_MEMORY", 7 * per)  # parts of 7 sessions or less
    joined: list[int] = []
    real_join = batch_module.join_batches

    def join(parts):  # type: ignore[no-untyped-def]
        joined.append(len(parts))
        return real_join(parts)

    monkeypatch.setattr(batch_module, "join_batches", join)
    parts = batch_module.run_batch(flagship, PAIR, draws, seed=5, n=n)
    assert joined
    assert joined[0] >= 6
    assert whole.vectorised
    assert parts.vectorised
    np.testing.assert_array_equal(parts.outcome, whole.outcome)
    np.testing.assert_array_equal(parts.round, whole.round)
    for key in whole.values:
        np.testing.assert_array_equal(parts.values[key], whole.values[key])
    assert whole.agreed.any()


def test_only_the_builtin_classes_without_the_bayesian_model_are_compiled() -> None:
    assert genius_parameters(make_negotiator("genius-conceder")) is not None
    assert genius_parameters(make_negotiator("genius-time-dependent:model=bayesian")) is None
    assert genius_parameters(make_negotiator("boulware")) is None

    class Mine(type(make_negotiator("genius-linear"))):  # type: ignore[misc]
        pass

    assert genius_parameters(Mine()) is None
