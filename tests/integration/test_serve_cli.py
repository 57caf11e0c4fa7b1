"""``burdenshare serve`` run as a user runs it (subprocesses): a port out of range, an address in
use or a host that does not resolve is exit code 2 naming what is wrong, before anything claims
to have started; a non-loopback address is served with a warning (issue 11, defects 5 and 8)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CLI = Path(sys.executable).parent / "burdenshare"
#: how long a server may take to start (imports and all) on a busy machine
START_SECONDS = 60.0


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "COLUMNS": "250",  # no wrapping inside the messages checked below
        "BURDENSHARE_STORE": str(tmp_path / "runs.duckdb"),
    }


def _serve(tmp_path: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), "serve", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env(tmp_path),
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port something else is listening on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


@pytest.mark.parametrize("port", ["99999", "-1", "0", "65536"])
def test_a_port_out_of_range_is_exit_2(tmp_path: Path, port: str) -> None:
    r = _serve(tmp_path, "--port", port)
    assert r.returncode == 2, r.stderr
    assert "--port" in r.stderr
    assert "Traceback" not in r.stderr
    assert "dashboard on" not in r.stdout


def test_a_port_in_use_is_exit_2_naming_the_address_before_starting(
    tmp_path: Path, busy_port: int
) -> None:
    r = _serve(tmp_path, "--port", str(busy_port))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert f"cannot listen on 127.0.0.1:{busy_port}" in r.stderr
    assert "in use" in r.stderr
    assert "startup complete" not in r.stdout + r.stderr
    assert "dashboard on" not in r.stdout


def test_a_host_that_does_not_resolve_is_exit_2(tmp_path: Path) -> None:
    r = _serve(tmp_path, "--host", "no-such-host.invalid", "--port", str(_free_port()))
    assert r.returncode == 2, r.stderr
    assert "cannot listen on no-such-host.invalid:" in r.stderr


def _start_and_stop(tmp_path: Path, host: str) -> tuple[str, str]:
    """Start the server on ``host``, wait until it answers, stop it with Ctrl-C; its output."""
    port = _free_port()
    proc = subprocess.Popen(
        [str(CLI), "serve", "--host", host, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(tmp_path),
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/scenarios", timeout=5):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    return out, err


def test_a_non_loopback_address_is_served_with_a_warning(tmp_path: Path) -> None:
    out, err = _start_and_stop(tmp_path, "0.0.0.0")
    words = " ".join(err.split())
    assert "warning: the dashboard listens on 0.0.0.0:" in words
    assert "reachable from other machines" in words
    assert "dashboard on http://0.0.0.0:" in out


def test_the_loopback_default_has_no_warning(tmp_path: Path) -> None:
    out, err = _start_and_stop(tmp_path, "127.0.0.1")
    assert "warning" not in err
    assert "dashboard on http://127.0.0.1:" in out
