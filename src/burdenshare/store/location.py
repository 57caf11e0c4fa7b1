"""Where the run store lives by default.

Pure: computing the path reads only the environment and creates nothing. The directory is made
when a store is first opened for writing (:class:`burdenshare.store.RunStore`).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["STORE_ENV_VAR", "default_store_path"]

#: environment variable naming the store file; overrides every other rule
STORE_ENV_VAR = "BURDENSHARE_STORE"


def default_store_path() -> Path:
    """The run store file to use when none is given.

    In order: ``$BURDENSHARE_STORE``; else ``$XDG_DATA_HOME/burdenshare/runs.duckdb`` (when that
    variable is an absolute path, as the XDG Base Directory spec asks); else
    ``~/.local/share/burdenshare/runs.duckdb``. Empty variables count as unset.

    >>> import os
    >>> saved = os.environ.pop("BURDENSHARE_STORE", None)
    >>> os.environ["BURDENSHARE_STORE"] = "/data/alliance/runs.duckdb"
    >>> default_store_path().as_posix()
    '/data/alliance/runs.duckdb'
    >>> del os.environ["BURDENSHARE_STORE"]
    >>> if saved is not None:
    ...     os.environ["BURDENSHARE_STORE"] = saved
    """
    explicit = os.environ.get(STORE_ENV_VAR, "")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "burdenshare" / "runs.duckdb"
