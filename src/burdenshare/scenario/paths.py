"""What a scenario path names, and reading a regular file without ever blocking.

A path is looked at with ``stat`` before anything is opened, so a named pipe (FIFO), a device
such as ``/dev/zero`` (directly or through a symlink), a socket, a symlink loop or a dangling
symlink each get one :class:`~burdenshare.errors.ScenarioError` saying what the path is, instead
of "no such file" or a hang. :func:`read_regular_file` opens without blocking and checks the
open file again (``fstat``), so a file swapped for a pipe after the check cannot hang either.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path_kind(folder), path_kind(folder / "nope.yaml")
('folder', 'missing')
>>> (folder / "s.yaml").write_text("id: x\\n", encoding="utf-8")
6
>>> path_kind(folder / "s.yaml"), read_regular_file(folder / "s.yaml", 100)
('file', b'id: x\\n')
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Literal

from burdenshare.errors import ScenarioError

__all__ = ["path_kind", "read_regular_file", "too_large"]

_EXPECTED = "the path of a scenario file (.yaml, .yml, .json or .toml)"


def _what(mode: int) -> str | None:
    """What a file of this mode is, when it is neither a regular file nor a folder."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return "not a regular file"  # pragma: no cover - door, whiteout, ...


def path_kind(path: Path) -> Literal["file", "folder", "missing"]:
    """``file`` (regular, possibly through symlinks), ``folder`` or ``missing``.

    Anything else raises a :class:`ScenarioError` naming what the path is: a named pipe, a
    device, a socket, a symlink loop, a symlink to a missing file, or an unreadable path.
    """
    name = str(path)
    link = _link_note(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if link:
            raise ScenarioError(
                f"is a symlink whose target does not exist{link}", file=name, expected=_EXPECTED
            ) from None
        return "missing"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ScenarioError(
                "is a symlink loop (following its links never reaches a file)",
                file=name,
                expected=_EXPECTED,
            ) from None
        if exc.errno == errno.ENOTDIR:
            return "missing"
        raise ScenarioError(
            f"cannot read the path: {exc.strerror or exc}", file=name, expected=_EXPECTED
        ) from None
    except ValueError as exc:  # a NUL character in the path
        raise ScenarioError(f"not a usable file name: {exc}", file=name) from None
    what = _what(mode)
    if what is not None:
        raise ScenarioError(f"is {what}{link}, not a regular file", file=name, expected=_EXPECTED)
    return "folder" if stat.S_ISDIR(mode) else "file"


def _link_note(path: Path) -> str:
    """`` (a symlink to TARGET)`` when ``path`` is a symlink, else empty."""
    try:
        if not path.is_symlink():
            return ""
        return f" (a symlink to {os.readlink(path)})"
    except (OSError, ValueError):
        return ""


def read_regular_file(path: Path, max_bytes: int, *, head: bool = False) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` (never blocks on a pipe).

    A larger file is an error, unless ``head``: then its first ``max_bytes`` are returned.
    """
    name = str(path)
    if path_kind(path) != "file":
        raise ScenarioError("no such scenario file", file=name, expected=_EXPECTED)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ScenarioError(
            f"cannot read the file: {exc.strerror or exc}", file=name, expected=_EXPECTED
        ) from None
    try:
        info = os.fstat(fd)  # the file actually opened: it may have changed since the check
        if not stat.S_ISREG(info.st_mode):
            what = "a folder" if stat.S_ISDIR(info.st_mode) else _what(info.st_mode)
            raise ScenarioError(f"is {what}, not a regular file", file=name, expected=_EXPECTED)
        if info.st_size > max_bytes and not head:
            raise too_large(info.st_size, name, max_bytes)
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            data = fh.read(max_bytes + (0 if head else 1))
    except OSError as exc:
        raise ScenarioError(
            f"cannot read the file: {exc.strerror or exc}", file=name, expected=_EXPECTED
        ) from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > max_bytes:  # it grew while being read
        raise too_large(len(data), name, max_bytes)
    return data


def too_large(size: int, source: str, max_bytes: int) -> ScenarioError:
    """The error for a file or upload of ``size`` bytes over the limit."""
    return ScenarioError(
        f"file is too large ({size:,} bytes)", file=source, expected=f"at most {max_bytes:,} bytes"
    )
