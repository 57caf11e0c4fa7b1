"""The bundled shared-cost files (``burdenshare allocate NAME``), each number sourced or marked
``assumption:`` in the file's comments."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["bundled_game_names", "bundled_game_path"]


def _root() -> Path:
    return Path(str(resources.files("burdenshare.cooperative"))) / "games"


def bundled_game_names() -> list[str]:
    """Names of the bundled games, sorted.

    >>> bundled_game_names()
    ['airport-example', 'nato-civil-budget-2021']
    """
    return sorted(p.stem for p in _root().glob("*.yaml"))


def bundled_game_path(name: str) -> Path | None:
    """The file of the bundled game ``name`` (None if there is none)."""
    return _root() / f"{name}.yaml" if name in bundled_game_names() else None
