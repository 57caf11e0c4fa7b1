"""One overwrite rule for every verb that writes files.

A verb never replaces an existing file unless it is told to (``--overwrite`` on the command line,
``overwrite=True`` in Python). The check runs before any work, so a refused command has computed
and stored nothing. ``runs export`` applies the same rule in the store layer.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as tmp:
...     f = pathlib.Path(tmp, "report.html")
...     _ = f.write_text("old")
...     try:
...         refuse_existing([f], overwrite=False, option="--output")
...     except ScenarioError as err:
...         print(err.field, "|", err.message.split(";")[0].replace(tmp, "TMP"))
...     refuse_existing([f], overwrite=True, option="--output")  # allowed
--output | TMP/report.html already exists
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from burdenshare.errors import ScenarioError

__all__ = ["refuse_existing"]


def refuse_existing(paths: Iterable[Path | str], *, overwrite: bool, option: str) -> None:
    """Raise a :class:`ScenarioError` (exit 2) naming ``option`` if any of ``paths`` exists and
    ``overwrite`` is false; also if a path that must be a file is an existing folder."""
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            raise ScenarioError(
                f"{path} is a folder, not a file",
                field=option,
                value=str(raw),
                expected="a file path",
            )
        if path.exists() and not overwrite:
            raise ScenarioError(
                f"{path} already exists; replace it with --overwrite (overwrite=True in Python)",
                field=option,
            )
