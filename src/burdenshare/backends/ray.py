"""The Ray backend: ensemble chunks as Ray tasks, on a local Ray instance or an existing cluster.

Each chunk is a pure function of its task, so a chunk run on a Ray worker gives the same numbers
as one run in this process. Ray is imported only when a :class:`RayBackend` is made: importing
this module (or :mod:`burdenshare.backends`) never imports Ray, and without Ray installed the
error says how to get it (``pip install 'burdenshare[ray]'``).

A local instance (``address=None``) listens on the loopback interface only (127.0.0.1), with no
dashboard and no usage statistics, and is shut down by :meth:`RayBackend.close`. With an address
(``"127.0.0.1:6379"``, ``"ray://host:10001"``, ``"auto"``) the backend joins that cluster and
leaves it running. If this process is already connected to Ray (someone called ``ray.init``), the
backend uses that connection and leaves it open.

At most ``2 x`` the cluster's CPUs chunks are in flight, so memory stays bounded; results are
handed back as they finish (``ray.wait``).
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import logging
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar, cast

from burdenshare.errors import SimulationError

__all__ = ["RayBackend"]

T = TypeVar("T")
R = TypeVar("R")

#: how a local instance is reached, and the only interface it listens on
LOOPBACK = "127.0.0.1"
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_NOT_INSTALLED = "Ray is not installed: pip install 'burdenshare[ray]'"


def _import_ray() -> Any:
    """The ``ray`` module, or a :class:`SimulationError` saying how to install it."""
    try:
        return importlib.import_module("ray")
    except ImportError as exc:
        raise SimulationError(_NOT_INSTALLED) from exc


def _split_address(address: str) -> tuple[str, int] | None:
    """``(host, port)`` of ``host:port``, ``[v6]:port`` or ``ray://host:port``; None otherwise.

    >>> _split_address("127.0.0.1:6379"), _split_address("ray://[::1]:10001")
    (('127.0.0.1', 6379), ('::1', 10001))
    >>> _split_address("auto") is None
    True
    """
    rest = address.removeprefix("ray://")
    host, sep, port = rest.rpartition(":")
    if not sep or not host or not port.isdigit():
        return None
    return host.removeprefix("[").removesuffix("]"), int(port)


def _is_loopback(host: str) -> bool:
    return host in _LOOPBACK_HOSTS or host.startswith("127.")


def _probe(address: str, timeout: float) -> None:
    """Fail fast if nothing listens at ``address`` (Ray itself would wait for minutes)."""
    parsed = _split_address(address)
    if parsed is None:
        return
    try:
        with socket.create_connection(parsed, timeout=timeout):
            pass
    except OSError as exc:
        raise SimulationError(
            f"cannot reach the Ray cluster at {address}: {exc or type(exc).__name__}"
        ) from exc


@contextlib.contextmanager
def _quiet_init(ray: Any, *, loopback: bool) -> Iterator[None]:
    """The settings in force while ``ray.init`` runs: no usage statistics; maybe loopback.

    Ray replaces a loopback node address with the machine's outward-facing one unless its
    "no cluster" switch is off; turning it off while ``init`` runs keeps a local instance (and a
    driver joining a loopback cluster) on 127.0.0.1. The processes Ray starts inherit the
    environment as it is during ``init``.
    """
    saved_env = os.environ.get("RAY_USAGE_STATS_ENABLED")
    if saved_env is None:
        os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    constants: Any = None
    saved_flag: Any = None
    if loopback:
        with contextlib.suppress(ImportError):
            constants = importlib.import_module("ray._private.ray_constants")
        if constants is not None and hasattr(constants, "ENABLE_RAY_CLUSTER"):
            saved_flag = constants.ENABLE_RAY_CLUSTER
            constants.ENABLE_RAY_CLUSTER = False
        else:
            constants = None
    try:
        yield
    finally:
        if constants is not None:
            constants.ENABLE_RAY_CLUSTER = saved_flag
        if saved_env is None:
            os.environ.pop("RAY_USAGE_STATS_ENABLED", None)


class RayBackend:
    """Chunks as Ray tasks: a local instance (``address=None``) or an existing cluster.

    ``num_cpus`` sizes a local instance (default: every core); it cannot be given with an
    address, and is moot when this process is already connected to Ray. ``connect_timeout``
    bounds the check that something listens at ``address`` before Ray is asked to join it (Ray
    itself would retry for minutes). ``parallelism`` is the cluster's CPU count.
    """

    def __init__(
        self,
        address: str | None = None,
        num_cpus: int | None = None,
        *,
        connect_timeout: float = 10.0,
    ) -> None:
        if num_cpus is not None and num_cpus < 1:
            raise SimulationError(f"num_cpus must be at least 1, got {num_cpus}")
        if num_cpus is not None and address is not None:
            raise SimulationError(
                "num_cpus sizes a local Ray instance; a cluster at an address has its own CPUs"
            )
        self.name = "ray"
        self.address = address
        self._owner = False
        self._closed = False
        if address is not None:
            _probe(address, connect_timeout)
        ray = _import_ray()
        if ray.is_initialized():
            self._check_same_cluster(ray, address)
        elif address is None:
            self._start_local(ray, num_cpus)
        else:
            self._connect(ray, address)
        try:
            cpus = int(ray.cluster_resources().get("CPU", 0))
        except Exception as exc:
            self.close()
            raise SimulationError(f"cannot read the Ray cluster's resources: {exc}") from exc
        #: the cluster's CPUs (at least 1); twice as many chunks are kept in flight
        self.parallelism = max(1, cpus)

    def _start_local(self, ray: Any, num_cpus: int | None) -> None:
        try:
            with _quiet_init(ray, loopback=True):
                context = ray.init(
                    address="local",
                    num_cpus=num_cpus,
                    include_dashboard=False,
                    _node_ip_address=LOOPBACK,
                    logging_level=logging.ERROR,
                    log_to_driver=False,
                )
        except Exception as exc:
            with contextlib.suppress(Exception):  # leave no half-started instance behind
                ray.shutdown()
            raise SimulationError(f"cannot start a local Ray instance: {exc}") from exc
        self._owner = True
        node_ip = str(context.address_info.get("node_ip_address", ""))
        if not _is_loopback(node_ip):
            self.close()
            raise SimulationError(
                f"the local Ray instance came up on {node_ip or 'an unknown address'}, not on "
                f"loopback ({LOOPBACK}); refusing to use it"
            )

    def _connect(self, ray: Any, address: str) -> None:
        parsed = _split_address(address)
        loopback = parsed is not None and _is_loopback(parsed[0])
        try:
            with _quiet_init(ray, loopback=loopback):
                ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
        except Exception as exc:  # ConnectionError, or ValueError for ray:// without ray[client]
            raise SimulationError(f"cannot reach the Ray cluster at {address}: {exc}") from exc

    @staticmethod
    def _check_same_cluster(ray: Any, address: str | None) -> None:
        """This process already talks to Ray: fine unless it is another cluster than asked."""
        if address is None or address == "auto" or address.startswith("ray://"):
            return
        try:
            current = str(ray.get_runtime_context().gcs_address)
        except Exception:  # a Ray Client connection, or an older Ray: nothing to compare
            return
        wanted, have = _split_address(address), _split_address(current)
        if wanted is None or have is None:
            return
        same_host = wanted[0] == have[0] or (_is_loopback(wanted[0]) and _is_loopback(have[0]))
        if not (same_host and wanted[1] == have[1]):
            raise SimulationError(
                f"this process is already connected to the Ray cluster at {current}; "
                f"it cannot also join the one at {address}"
            )

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """Run ``fn`` on every task as a Ray task, yielding results as they finish."""
        if self._closed:
            raise SimulationError("this Ray backend is closed")
        ray = _import_ray()
        try:
            if inspect.isfunction(fn):  # a Ray task named after the function
                remote = ray.remote(fn)
                extra: tuple[Any, ...] = ()
            else:  # builtins, partials, callable objects: shipped once, applied by a helper
                remote = ray.remote(_apply)
                extra = (ray.put(fn),)
        except Exception as exc:
            raise SimulationError(f"cannot make {fn!r} a Ray task: {exc}") from exc
        window = 2 * self.parallelism
        pending: list[Any] = []
        it = iter(tasks)
        exhausted = False
        try:
            while True:
                while not exhausted and len(pending) < window:
                    task = next(it, _END)
                    if task is _END:
                        exhausted = True
                        break
                    try:
                        pending.append(remote.remote(*extra, task))
                    except Exception as exc:
                        raise SimulationError(f"cannot submit a Ray task: {exc}") from exc
                if not pending:
                    return
                try:
                    done, pending = ray.wait(pending, num_returns=1)
                except ray.exceptions.RayError as exc:
                    raise SimulationError(f"lost touch with the Ray cluster: {exc}") from exc
                for ref in done:
                    yield cast(R, self._result(ray, ref))
        finally:
            for ref in pending:
                with contextlib.suppress(Exception):
                    ray.cancel(ref)

    @staticmethod
    def _result(ray: Any, ref: Any) -> Any:
        try:
            return ray.get(ref)
        except ray.exceptions.RayError as exc:
            cause = getattr(exc, "cause", None) or exc
            what = f"{type(cause).__name__}: {cause}" if isinstance(cause, Exception) else exc
            raise SimulationError(f"a Ray task failed: {what}") from exc

    def close(self) -> None:
        """Shut down the local instance this backend started (idempotent); never a cluster."""
        if self._closed:
            return
        self._closed = True
        if self._owner:
            self._owner = False
            ray = _import_ray()
            if ray.is_initialized():
                ray.shutdown()

    def __repr__(self) -> str:
        where = self.address or "local"
        state = "closed" if self._closed else f"parallelism={getattr(self, 'parallelism', '?')}"
        return f"RayBackend({where!r}, {state})"


_END: Any = object()


def _apply(fn: Callable[[T], R], task: T) -> R:
    """Run on a Ray worker: ``fn(task)`` for callables ``ray.remote`` does not take directly."""
    return fn(task)
