"""A user's negotiator plug-in runs on worker processes and on Ray with the same numbers as in
process, bit for bit (issue 12, item 5).

The plug-in is tests/plugins/bs_demo_plugin.py, a stochastic negotiator (its offers draw from the
session's generator, so a wrong seed would show). Workers are spawned, so they find it only
through ``PYTHONPATH`` (set here before any worker starts), by import path and by the name of an
entry point that a demo distribution in a temporary folder declares.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from burdenshare.backends import Backend, LocalBackend, RayBackend
from burdenshare.ensemble.run import run_ensemble
from burdenshare.negotiation.plugins import entry_points
from burdenshare.services import load
from burdenshare.store import RunStore

try:
    import ray
except ImportError:  # pragma: no cover - CI installs Ray
    ray = None

needs_ray = pytest.mark.skipif(
    ray is None, reason="Ray cannot be imported (pip install 'burdenshare[ray]')"
)

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
N = 120
SEED = 5
#: the first party's plug-in by import path, the second's by entry-point name
PAIR = ("bs_demo_plugin:NoisyLinear:noise=0.1", "noisy-linear:noise=0.2")


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The plug-in's folder and a demo distribution on sys.path and PYTHONPATH (for workers)."""
    site = tmp_path_factory.mktemp("site")
    info = site / "bs_demo_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: bs-demo-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[burdenshare.negotiators]\nnoisy-linear = bs_demo_plugin:NoisyLinear\n"
    )
    mp = pytest.MonkeyPatch()
    old = os.environ.get("PYTHONPATH", "")
    mp.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(PLUGINS), str(site), old) if p))
    mp.syspath_prepend(str(site))
    mp.syspath_prepend(str(PLUGINS))
    entry_points.cache_clear()
    yield
    mp.undo()
    entry_points.cache_clear()


def _run(backend: Backend, negotiators: tuple[str, str], path: Path) -> dict[str, Any]:
    with RunStore(path) as store:
        result = run_ensemble(
            load("us-rok-sma-2019"),
            n=N,
            seed=SEED,
            negotiators=negotiators,
            chunk_size=35,
            backend=backend,
            store=store,
        )
        columns = store.samples(result.run_id)
        record = store.get_run(result.run_id)
    assert record.status == "finished"
    return {"backend": record.backend, "summary": result.summary, "columns": columns}


def _same(run: dict[str, Any], ref: dict[str, Any]) -> None:
    assert list(run["columns"]) == list(ref["columns"])
    for name, expected in ref["columns"].items():
        got = run["columns"][name]
        assert got.dtype == expected.dtype, name
        assert np.array_equal(got, expected, equal_nan=expected.dtype.kind in "fc"), name


@pytest.fixture(scope="module")
def reference(plugin_env: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    run = _run(LocalBackend(), PAIR, tmp_path_factory.mktemp("ref") / "runs.duckdb")
    assert run["backend"] == "local"
    outcomes = run["columns"]["outcome"]
    assert len(np.unique(outcomes)) > 1 or len(np.unique(run["columns"]["round"])) > 1
    return run


def test_worker_processes_give_the_same_numbers(reference: dict[str, Any], tmp_path: Path) -> None:
    run = _run(LocalBackend(workers=2), PAIR, tmp_path / "runs.duckdb")  # closed by the run
    assert run["backend"] == "process"
    _same(run, reference)


def test_a_different_seed_gives_different_numbers(
    reference: dict[str, Any], tmp_path: Path
) -> None:
    with RunStore(tmp_path / "runs.duckdb") as store:
        other = run_ensemble(
            load("us-rok-sma-2019"), n=N, seed=SEED + 1, negotiators=PAIR, store=store
        )
        columns = store.samples(other.run_id)
    assert not all(
        np.array_equal(columns[k], reference["columns"][k], equal_nan=True)
        for k in reference["columns"]
        if k != "session"
    )


@pytest.mark.slow  # starting a Ray instance takes about 15 s on two cores
@needs_ray
def test_ray_gives_the_same_numbers(reference: dict[str, Any], tmp_path: Path) -> None:
    if ray.is_initialized():  # pragma: no cover - another module's cluster lacks our PYTHONPATH
        pytest.skip("a Ray instance started without the plug-in's PYTHONPATH is running")
    backend = RayBackend(num_cpus=2)  # a local instance: its workers inherit PYTHONPATH
    run = _run(backend, PAIR, tmp_path / "runs.duckdb")  # the run closes the backend
    assert run["backend"] == "ray"
    _same(run, reference)
