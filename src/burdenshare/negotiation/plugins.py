"""Negotiator plug-ins: classes named by import path, and installed entry points.

A plug-in is a :class:`~burdenshare.negotiation.negotiators.base.Negotiator` subclass in any
importable module. It is used either by its import path (``-N my_agents:FrequencyBidder``) or,
once its distribution declares an entry point in the group :data:`ENTRY_POINT_GROUP`, by the
entry point's name like a built-in (docs/how-to/negotiator.md).

Entry points are read lazily, the first time a name is looked up (never when the package is
imported), and a plug-in is imported only when it is used or listed. A plug-in that cannot be
loaded is a :class:`~burdenshare.errors.SimulationError` naming it; it never stops the built-ins.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from types import MappingProxyType

from burdenshare.errors import SimulationError
from burdenshare.negotiation.negotiators.base import Negotiator

__all__ = [
    "ENTRY_POINT_GROUP",
    "PluginEntry",
    "check_negotiator_class",
    "entry_points",
    "import_class",
    "load_entry_point",
]

#: the entry-point group installed negotiators declare
ENTRY_POINT_GROUP = "burdenshare.negotiators"


@dataclass(frozen=True)
class PluginEntry:
    """One installed entry point: its (lower-cased) name, ``module:Class`` and distribution."""

    name: str
    value: str
    distribution: str | None
    entry_point: metadata.EntryPoint

    def describe(self) -> str:
        dist = f" from {self.distribution}" if self.distribution else ""
        return f"plug-in {self.name!r} (entry point {self.value!r}{dist})"


@functools.cache
def entry_points() -> Mapping[str, PluginEntry]:
    """The installed entry points of :data:`ENTRY_POINT_GROUP` by lower-cased name (read once
    per process; nothing is imported). Where two share a name the first found is kept."""
    found: dict[str, PluginEntry] = {}
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else None
        found.setdefault(ep.name.strip().lower(), PluginEntry(ep.name, ep.value, dist, ep))
    return MappingProxyType(found)


def check_negotiator_class(obj: object, what: str) -> type[Negotiator]:
    """``obj`` if it is a concrete :class:`Negotiator` subclass, else a :class:`SimulationError`
    saying what ``what`` (the spec or the plug-in) names instead."""
    if not (isinstance(obj, type) and issubclass(obj, Negotiator)):
        kind = type(obj).__name__ if not isinstance(obj, type) else f"class {obj.__name__}"
        raise SimulationError(
            f"{what} is not a Negotiator subclass (found a {kind}); subclass "
            f"burdenshare.negotiation.Negotiator (docs/how-to/negotiator.md)"
        )
    if inspect.isabstract(obj):
        missing = ", ".join(sorted(getattr(obj, "__abstractmethods__", ())))
        raise SimulationError(f"{what} is abstract: implement {missing}")
    return obj


def import_class(module: str, attribute: str, spec: str) -> type[Negotiator]:
    """The class ``attribute`` of ``module`` (imported now), checked to be a negotiator."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (module == exc.name or module.startswith(exc.name + ".")):
            raise SimulationError(
                f"negotiator spec {spec!r}: no module named {module!r} (install it, or put its "
                f"folder on PYTHONPATH)"
            ) from None
        raise SimulationError(
            f"negotiator spec {spec!r}: importing {module!r} failed: {exc}"
        ) from None
    except Exception as exc:
        raise SimulationError(
            f"negotiator spec {spec!r}: importing {module!r} failed: {type(exc).__name__}: {exc}"
        ) from None
    if not hasattr(mod, attribute):
        found = sorted(
            name
            for name, obj in vars(mod).items()
            if isinstance(obj, type)
            and issubclass(obj, Negotiator)
            and not inspect.isabstract(obj)
            and obj.__module__ == mod.__name__
        )
        hint = f"; negotiators defined there: {', '.join(found)}" if found else ""
        raise SimulationError(
            f"negotiator spec {spec!r}: module {module!r} has no class {attribute!r}{hint}"
        )
    return check_negotiator_class(getattr(mod, attribute), f"{module}:{attribute} in {spec!r}")


def load_entry_point(entry: PluginEntry) -> type[Negotiator]:
    """The class an entry point names (imported now), checked to be a negotiator."""
    try:
        obj = entry.entry_point.load()
    except Exception as exc:
        raise SimulationError(
            f"the negotiator {entry.describe()} cannot be loaded: {type(exc).__name__}: {exc}"
        ) from None
    return check_negotiator_class(obj, f"the negotiator {entry.describe()}")
