"""The bundled scenarios, each sourced (see docs/explanation/bundled-scenarios.md)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["FLAGSHIP", "bundled_names", "bundled_path", "is_bundled"]

#: the scenario `burdenshare run` uses when none is named
FLAGSHIP = "us-rok-sma-2019"


def _root() -> Path:
    return Path(str(resources.files(__name__)))


def bundled_names() -> list[str]:
    """Names of the bundled scenarios, sorted."""
    return sorted(p.stem for p in _root().glob("*.yaml"))


def is_bundled(name: str) -> bool:
    return name in bundled_names()


def bundled_path(name: str) -> Path:
    """The file of a bundled scenario (``name`` must be one of :func:`bundled_names`)."""
    if not is_bundled(name):
        raise KeyError(name)
    return _root() / f"{name}.yaml"
