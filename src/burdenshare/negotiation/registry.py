"""The registry of negotiators: the built-ins, installed plug-ins, and :func:`make_negotiator`.

A spec string (:mod:`burdenshare.negotiation.specs`) names a built-in (:data:`NEGOTIATORS`, or a
family of :data:`_FAMILIES` with parameters), an installed entry-point plug-in by its name, or a
plug-in class by its import path (:mod:`burdenshare.negotiation.plugins`). Built-in names win
over an entry point of the same name. :func:`negotiator_catalogue` lists what can be named.

>>> make_negotiator("boulware")
Boulware()
>>> make_negotiator("time-dependent:e=0.5")
TimeDependent(e=0.5)
>>> make_negotiator("tit-for-tat:delta=2")
RelativeTitForTat(delta=2)
>>> make_negotiator("burdenshare.negotiation.negotiators.hardliner:Hardliner")
Hardliner()
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from burdenshare.errors import SimulationError
from burdenshare.negotiation.negotiators import (
    Boulware,
    Conceder,
    GeniusBoulware,
    GeniusConceder,
    GeniusHardliner,
    GeniusLinear,
    GeniusTimeDependent,
    Hardliner,
    Linear,
    NashSeeker,
    Negotiator,
    RelativeTitForTat,
    RubinsteinPlayer,
    TimeDependent,
)
from burdenshare.negotiation.plugins import (
    PluginEntry,
    entry_points,
    import_class,
    load_entry_point,
)
from burdenshare.negotiation.specs import NegotiatorSpec, parse_spec

__all__ = [
    "DEFAULT_NEGOTIATORS",
    "NEGOTIATORS",
    "CatalogueEntry",
    "is_import_path",
    "make_negotiator",
    "named_negotiators",
    "negotiator_catalogue",
    "negotiator_class",
]

#: every built-in negotiator by name; the contract test covers each entry
NEGOTIATORS: dict[str, type[Negotiator]] = {
    "boulware": Boulware,
    "linear": Linear,
    "conceder": Conceder,
    "hardliner": Hardliner,
    "tit-for-tat": RelativeTitForTat,
    "nash": NashSeeker,
    "rubinstein": RubinsteinPlayer,
    "genius-boulware": GeniusBoulware,
    "genius-linear": GeniusLinear,
    "genius-conceder": GeniusConceder,
    "genius-hardliner": GeniusHardliner,
}

#: family names accepted by :func:`make_negotiator` besides the registry's
_FAMILIES: dict[str, type[Negotiator]] = {
    "time-dependent": TimeDependent,
    "genius-time-dependent": GeniusTimeDependent,
}

#: the negotiators used when none are given: (first party, second party)
DEFAULT_NEGOTIATORS: tuple[str, str] = ("boulware", "boulware")


Source = Literal["built-in", "entry point", "import path"]


def _builtin(name: str) -> type[Negotiator] | None:
    return NEGOTIATORS.get(name) or _FAMILIES.get(name)


def _plugins() -> dict[str, PluginEntry]:
    """Installed entry points not shadowed by a built-in name."""
    return {k: e for k, e in entry_points().items() if _builtin(k) is None}


def named_negotiators() -> tuple[str, ...]:
    """Every name a spec may start with: the built-ins, their families, then installed
    entry-point plug-ins (read, not imported)."""
    return (*NEGOTIATORS, *_FAMILIES, *sorted(_plugins()))


def _known() -> str:
    return ", ".join(named_negotiators())


def is_import_path(spec: str) -> bool:
    """Whether ``spec`` names a plug-in class by its import path (``module:Class``); pure
    syntax, nothing is imported. A spec that does not parse is not an import path (making it
    then says what is wrong with it).

    >>> is_import_path("my_agents:FrequencyBidder:e=0.5"), is_import_path("time-dependent:e=2")
    (True, False)
    """
    try:
        return parse_spec(spec, names=named_negotiators()).is_import_path
    except SimulationError:
        return False


def negotiator_class(spec: str | NegotiatorSpec) -> tuple[type[Negotiator], Source]:
    """The class a spec names and where it comes from; imports a plug-in's module if needed.

    >>> negotiator_class("time-dependent:e=2")
    (<class 'burdenshare.negotiation.negotiators.time_dependent.TimeDependent'>, 'built-in')
    """
    parsed = spec if isinstance(spec, NegotiatorSpec) else _parse(spec)
    if parsed.is_import_path:
        return import_class(parsed.module, parsed.attribute, parsed.text), "import path"
    builtin = _builtin(parsed.target)
    if builtin is not None:
        return builtin, "built-in"
    plugin = _plugins().get(parsed.target)
    if plugin is None:
        raise SimulationError(
            f"unknown negotiator {parsed.target!r}; known negotiators: {_known()} (see "
            f"`burdenshare negotiators`), or a plug-in class as package.module:Class"
        )
    return load_entry_point(plugin), "entry point"


def _parse(spec: str) -> NegotiatorSpec:
    names = named_negotiators()
    try:
        return parse_spec(spec, names=names)
    except SimulationError as exc:
        raise SimulationError(f"{exc} (known negotiators: {', '.join(names)})") from None


def make_negotiator(spec: str) -> Negotiator:
    """A negotiator from a spec such as ``"linear"``, ``"time-dependent:e=0.5"``, an entry-point
    plug-in's name or ``"package.module:Class:key=value"``.

    Raises :class:`SimulationError` (naming the spec and listing the known names) for an
    unknown name, a plug-in that cannot be imported or is not a negotiator, a malformed or
    unknown parameter, or an invalid parameter value.
    """
    parsed = _parse(spec)
    cls, source = negotiator_class(parsed)
    kwargs = dict(parsed.params)
    label = repr(parsed.target) + ("" if source == "built-in" else f" ({source})")
    try:
        inspect.signature(cls).bind(**kwargs)
    except TypeError:
        allowed = ", ".join(cls.param_names()) or "none"
        raise SimulationError(
            f"negotiator {label} takes parameters: {allowed}; got {sorted(kwargs)} in "
            f"{spec!r} (known negotiators: {_known()})"
        ) from None
    try:
        negotiator = cls(**kwargs)
        negotiator.validate_params()
    except SimulationError as exc:
        raise SimulationError(f"{exc} in {spec!r} (known negotiators: {_known()})") from None
    except Exception as exc:
        if source == "built-in":
            raise
        raise SimulationError(
            f"negotiator {label} refused its parameters in {spec!r}: {type(exc).__name__}: {exc}"
        ) from None
    return negotiator


@dataclass(frozen=True)
class CatalogueEntry:
    """What ``burdenshare negotiators`` lists for one name.

    ``parameters`` maps each ``__init__`` keyword to its default (``None`` when it has none);
    ``error`` says why an installed plug-in cannot be used (its other fields are then empty).
    """

    name: str
    source: Source
    target: str
    distribution: str | None
    parameters: Mapping[str, Any]
    traits: Mapping[str, object]
    supports: tuple[str, ...]
    summary: str
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "target": self.target,
            "distribution": self.distribution,
            "parameters": dict(self.parameters),
            "traits": dict(self.traits),
            "supports": list(self.supports),
            "summary": self.summary,
            "error": self.error,
        }


def _entry(
    name: str, cls: type[Negotiator], source: Source, distribution: str | None
) -> CatalogueEntry:
    sig = inspect.signature(cls)
    params = {
        p.name: (None if p.default is p.empty else p.default)
        for p in sig.parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }
    doc = inspect.getdoc(cls) or ""
    return CatalogueEntry(
        name=name,
        source=source,
        target=f"{cls.__module__}:{cls.__qualname__}",
        distribution=distribution,
        parameters=MappingProxyType(params),
        traits=MappingProxyType(dict(cls.traits)),
        supports=tuple(sorted(cls.supports)),
        summary=doc.strip().split("\n", 1)[0] if doc else "",
    )


def negotiator_catalogue() -> tuple[CatalogueEntry, ...]:
    """The built-ins (and their families), then every installed entry-point plug-in (imported
    now). A plug-in that cannot be loaded, or whose name a built-in takes, is listed with its
    ``error``; it does not stop the listing.

    >>> [e.name for e in negotiator_catalogue() if e.source == "built-in"][:3]
    ['boulware', 'linear', 'conceder']
    >>> next(e for e in negotiator_catalogue() if e.name == "time-dependent").parameters
    mappingproxy({'e': 1.0})
    """
    out = [
        _entry(name, cls, "built-in", None) for name, cls in {**NEGOTIATORS, **_FAMILIES}.items()
    ]
    for key, plugin in sorted(entry_points().items()):
        if _builtin(key) is not None:
            error: str | None = (
                f"the {plugin.describe()} is hidden by the built-in negotiator {key!r}"
            )
        else:
            try:
                out.append(
                    _entry(key, load_entry_point(plugin), "entry point", plugin.distribution)
                )
                continue
            except SimulationError as exc:
                error = str(exc)
        out.append(
            CatalogueEntry(
                name=key,
                source="entry point",
                target=plugin.value,
                distribution=plugin.distribution,
                parameters=MappingProxyType({}),
                traits=MappingProxyType({}),
                supports=(),
                summary="",
                error=error,
            )
        )
    return tuple(out)
