"""Same seed, same numbers: on every backend and with any chunk size, bit for bit.

The flagship ensemble runs in this process, in two worker processes and on a local Ray instance
(started once for the module, on loopback only), each with its own chunk size and its own store
file; the summaries must be equal and every stored per-session column bit-identical. The Ray
tests skip only when Ray cannot be imported.
"""

from __future__ import annotations

import math
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from burdenshare.backends import BACKEND_NAMES, Backend, LocalBackend, RayBackend, make_backend
from burdenshare.ensemble.run import run_ensemble
from burdenshare.ensemble.sampling import Method
from burdenshare.errors import SimulationError
from burdenshare.scenario.io import LoadedScenario
from burdenshare.services import load
from burdenshare.store import RunStore

try:
    import ray
except ImportError:  # pragma: no cover - CI installs Ray
    ray = None

needs_ray = pytest.mark.skipif(
    ray is None, reason="Ray cannot be imported (pip install 'burdenshare[ray]')"
)

N = 30_000
SEED = 11
METHODS: tuple[Method, ...] = ("mc", "lhs")
#: summary keys that measure time rather than results (none today; timings are stored apart)
TIMING_KEYS = frozenset({"wall_seconds", "compute_seconds", "sessions_per_second"})


@dataclass(frozen=True)
class Run:
    backend: str
    chunks: int
    summary: dict[str, Any]
    columns: dict[str, npt.NDArray[Any]]


def _run(
    loaded: LoadedScenario, backend: Backend, chunk_size: int, method: Method, path: Path
) -> Run:
    with RunStore(path) as store:
        result = run_ensemble(
            loaded,
            n=N,
            seed=SEED,
            method=method,
            chunk_size=chunk_size,
            backend=backend,
            store=store,
        )
        record = store.get_run(result.run_id)
        columns = store.samples(result.run_id)
    assert record.status == "finished"
    assert record.n_sessions_done == N
    assert record.parameters["chunk_size"] == chunk_size
    return Run(record.backend, record.chunks_done, result.summary, columns)


def _canonical(value: Any) -> Any:
    """The summary with NaN spelled out, so ``==`` treats NaN as equal to itself."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items() if k not in TIMING_KEYS}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return value


def _assert_identical(run: Run, ref: Run) -> None:
    assert run.chunks != ref.chunks  # the chunk sizes really differ
    assert _canonical(run.summary) == _canonical(ref.summary)
    assert list(run.columns) == list(ref.columns)
    for name, expected in ref.columns.items():
        got = run.columns[name]
        assert got.dtype == expected.dtype, name
        assert got.shape == expected.shape == (N,), name
        assert np.array_equal(got, expected, equal_nan=expected.dtype.kind in "fc"), name
    np.testing.assert_array_equal(ref.columns["session"], np.arange(N))


@pytest.fixture(scope="module")
def loaded() -> LoadedScenario:
    return load("us-rok-sma-2019")


@pytest.fixture(scope="module")
def reference(
    loaded: LoadedScenario, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[Method], Run]:
    """The in-process run (chunks of 4096) for a sampling method, made once per method."""
    cache: dict[str, Run] = {}

    def get(method: Method) -> Run:
        if method not in cache:
            path = tmp_path_factory.mktemp(f"in-process-{method}") / "runs.duckdb"
            cache[method] = _run(loaded, LocalBackend(), 4096, method, path)
            assert cache[method].backend == "local"
            assert cache[method].chunks == math.ceil(N / 4096)
        return cache[method]

    return get


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[str]:
    """A local Ray instance for the whole module (2 CPUs, loopback); yields its address."""
    if ray is None:  # pragma: no cover
        pytest.skip("Ray cannot be imported (pip install 'burdenshare[ray]')")
    owner = RayBackend(num_cpus=2)
    try:
        yield str(ray.get_runtime_context().gcs_address)
    finally:
        owner.close()
    assert not ray.is_initialized()


# ------------------------------------------------------------------ determinism


@pytest.mark.parametrize("method", METHODS)
def test_worker_processes_match_in_process_bit_for_bit(
    method: Method, loaded: LoadedScenario, reference: Callable[[Method], Run], tmp_path: Path
) -> None:
    run = _run(loaded, LocalBackend(workers=2), 7000, method, tmp_path / "runs.duckdb")
    assert run.backend == "process"
    _assert_identical(run, reference(method))


@needs_ray
@pytest.mark.parametrize("method", METHODS)
def test_ray_matches_in_process_bit_for_bit(
    method: Method,
    loaded: LoadedScenario,
    reference: Callable[[Method], Run],
    ray_cluster: str,
    tmp_path: Path,
) -> None:
    run = _run(loaded, RayBackend(), 12345, method, tmp_path / "runs.duckdb")
    assert run.backend == "ray"
    _assert_identical(run, reference(method))
    assert ray.is_initialized()  # the module's instance outlives the run's backend


# ------------------------------------------------------------------ the Ray backend


@needs_ray
def test_local_ray_instance_listens_on_loopback_only(ray_cluster: str) -> None:
    assert ray_cluster.startswith("127.0.0.1:")
    nodes = [node for node in ray.nodes() if node["Alive"]]
    assert nodes
    assert {node["NodeManagerAddress"] for node in nodes} == {"127.0.0.1"}


@needs_ray
def test_ray_backend_reports_cluster_cpus_and_keeps_a_shared_instance(ray_cluster: str) -> None:
    for backend in (RayBackend(), RayBackend(address=ray_cluster)):
        assert backend.name == "ray"
        assert backend.parallelism == 2
        assert sorted(backend.map_unordered(abs, range(-7, 0))) == list(range(1, 8))
        backend.close()
        backend.close()  # idempotent
        assert ray.is_initialized()  # not started by this backend, so not shut down by it
        with pytest.raises(SimulationError, match="closed"):
            next(backend.map_unordered(abs, [-1]))


@needs_ray
def test_ray_backend_refuses_a_second_cluster_in_the_same_process(ray_cluster: str) -> None:
    with socket.socket() as s:  # a listening port that is not this process's cluster
        s.bind(("127.0.0.1", 0))
        s.listen()
        other = f"127.0.0.1:{s.getsockname()[1]}"
        with pytest.raises(SimulationError, match="already connected"):
            RayBackend(address=other)


@needs_ray
def test_a_failing_ray_task_is_a_simulation_error(ray_cluster: str) -> None:
    backend = RayBackend()
    with pytest.raises(SimulationError, match=r"a Ray task failed: ValueError: math domain"):
        list(backend.map_unordered(math.sqrt, [4.0, -1.0]))
    assert sorted(backend.map_unordered(math.sqrt, [4.0, 9.0])) == [2.0, 3.0]


@needs_ray
def test_another_process_joins_the_cluster_by_address(ray_cluster: str) -> None:
    code = textwrap.dedent(
        f"""
        import ray
        from burdenshare.backends import RayBackend
        backend = RayBackend(address={ray_cluster!r})
        print(backend.parallelism, sorted(backend.map_unordered(abs, [-3, -1, 2])))
        backend.close()
        print(ray.is_initialized())
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split("\n")[:2] == ["2 [1, 2, 3]", "True"]
    assert ray.is_initialized()  # a joining driver never shuts the cluster down


def test_an_unreachable_address_fails_fast() -> None:
    with socket.socket() as s:  # a free loopback port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    for address in (f"127.0.0.1:{port}", f"ray://127.0.0.1:{port}"):
        t0 = time.perf_counter()
        with pytest.raises(SimulationError, match=f"cannot reach the Ray cluster at {address}"):
            RayBackend(address=address, connect_timeout=2.0)
        assert time.perf_counter() - t0 < 5.0


def test_without_ray_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as if not installed
    with pytest.raises(SimulationError, match=r"Ray is not installed: pip install 'burdenshare"):
        RayBackend()
    with pytest.raises(SimulationError, match="Ray is not installed"):
        make_backend("ray")


def test_importing_the_backends_does_not_import_ray() -> None:
    code = (
        "import sys, burdenshare.backends, burdenshare.backends.ray, burdenshare.ensemble;"
        "print('ray' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "False"


def test_ray_backend_arguments_are_checked() -> None:
    with pytest.raises(SimulationError, match="num_cpus must be at least 1"):
        RayBackend(num_cpus=0)
    with pytest.raises(SimulationError, match="num_cpus sizes a local Ray instance"):
        RayBackend(address="127.0.0.1:6379", num_cpus=2)


# ------------------------------------------------------------------ make_backend


def test_make_backend_local() -> None:
    assert BACKEND_NAMES == ("local", "ray")
    inline = make_backend("local")
    assert isinstance(inline, LocalBackend)
    assert (inline.name, inline.parallelism) == ("local", 1)
    pool = make_backend("local", workers=3)
    assert isinstance(pool, LocalBackend)
    assert (pool.name, pool.parallelism) == ("process", 3)
    pool.close()
    with pytest.raises(SimulationError, match="workers must be 0"):
        make_backend("local", workers=-1)
    with pytest.raises(SimulationError, match="ray backend only"):
        make_backend("local", address="127.0.0.1:6379")


@pytest.mark.parametrize("name", ["spark", "", "Local", "process"])
def test_make_backend_unknown_name_lists_the_names(name: str) -> None:
    with pytest.raises(SimulationError, match=r"unknown backend .*: expected one of local, ray$"):
        make_backend(name)


def test_make_backend_ray_argument_errors() -> None:
    with pytest.raises(SimulationError, match="workers must be 0"):
        make_backend("ray", workers=-2)
    with pytest.raises(SimulationError, match="workers sizes a local Ray instance"):
        make_backend("ray", workers=2, address="127.0.0.1:6379")


@needs_ray
def test_make_backend_ray(ray_cluster: str) -> None:
    for backend in (make_backend("ray"), make_backend("ray", address=ray_cluster)):
        assert isinstance(backend, RayBackend)
        assert (backend.name, backend.parallelism) == ("ray", 2)
        backend.close()
    assert ray.is_initialized()


# ------------------------------------------------------------------ tournaments


def _tournament(backend: Backend, path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    from burdenshare.services.tournament import load_domain
    from burdenshare.tournament import TournamentPlan, run_tournament

    genius = Path(__file__).parents[1] / "known_values" / "data" / "genius"
    plan = TournamentPlan(
        domains=(load_domain(genius / "Laptop"), load_domain("us-rok-sma-2019")),
        negotiators=("boulware", "conceder", "tit-for-tat"),
        repetitions=20,
        seed=3,
        sample=True,
    )
    with RunStore.open(path) as store:
        result = run_tournament(plan, store=store, backend=backend)
        assert result.record.backend == backend.name
        return result.summary, store.samples(result.run_id)


@pytest.fixture(scope="module")
def tournament_reference(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _tournament(LocalBackend(), tmp_path_factory.mktemp("t-in") / "runs.duckdb")


def _same_tournament(got: Any, expected: Any) -> None:
    assert got[0] == expected[0]
    for name, col in expected[1].items():
        assert np.array_equal(got[1][name], col, equal_nan=col.dtype.kind == "f"), name


def test_a_tournament_on_worker_processes_matches_in_process(
    tournament_reference: Any, tmp_path: Path
) -> None:
    got = _tournament(LocalBackend(workers=2), tmp_path / "runs.duckdb")
    _same_tournament(got, tournament_reference)


@needs_ray
def test_a_tournament_on_ray_matches_in_process(
    tournament_reference: Any, ray_cluster: str, tmp_path: Path
) -> None:
    got = _tournament(RayBackend(), tmp_path / "runs.duckdb")
    _same_tournament(got, tournament_reference)
