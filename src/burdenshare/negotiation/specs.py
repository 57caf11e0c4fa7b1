"""Negotiator spec strings, parsed without importing anything.

Two forms (docs/how-to/negotiator.md):

- ``name[:key=value,...]``: a built-in negotiator or an installed entry-point plug-in (group
  ``burdenshare.negotiators``), by name, e.g. ``time-dependent:e=0.5``;
- ``package.module:Class[:key=value,...]``: a plug-in class by its import path, e.g.
  ``my_agents:FrequencyBidder:patience=3``.

Each value is an int, a float or a bare word (a string such as ``frequency``). Parsing is pure
syntax: it imports no module, so a caller that must not run foreign code (the web layer) can
refuse import paths before anything is loaded.

>>> spec = parse_spec("genius-time-dependent:e=0.2,model=frequency,accept=next")
>>> spec.target, dict(spec.params), spec.is_import_path
('genius-time-dependent', {'e': 0.2, 'model': 'frequency', 'accept': 'next'}, False)
>>> spec = parse_spec("my_agents:FrequencyBidder:patience=3")
>>> spec.module, spec.attribute, dict(spec.params)
('my_agents', 'FrequencyBidder', {'patience': 3})
>>> parse_spec("linear:e", names={"linear"}).target  # a known name: ``e`` is a (bad) parameter
Traceback (most recent call last):
...
burdenshare.errors.SimulationError: bad parameter 'e' in negotiator spec 'linear:e'; ...
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from burdenshare.errors import SimulationError

__all__ = ["NegotiatorSpec", "ParamValue", "parse_spec", "parse_value"]

#: a parameter value in a spec string
ParamValue = int | float | str

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.+-]*")
_FORMS = (
    "write name[:key=value,...] (see `burdenshare negotiators`) or "
    "package.module:Class[:key=value,...]"
)


@dataclass(frozen=True)
class NegotiatorSpec:
    """A parsed spec string: ``target`` is a lower-cased name, or ``module:Class``."""

    text: str
    target: str
    params: Mapping[str, ParamValue] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def is_import_path(self) -> bool:
        """Whether the spec names a class by its import path (``module:Class``)."""
        return ":" in self.target

    @property
    def module(self) -> str:
        """The module of an import path (empty for a name)."""
        return self.target.partition(":")[0] if self.is_import_path else ""

    @property
    def attribute(self) -> str:
        """The class of an import path (empty for a name)."""
        return self.target.partition(":")[2]


def parse_value(text: str) -> ParamValue:
    """An int, else a float, else a bare word; ``ValueError`` for anything else.

    >>> parse_value("2"), parse_value("0.5"), parse_value("1e-3"), parse_value("frequency")
    (2, 0.5, 0.001, 'frequency')
    """
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        pass
    if _WORD.fullmatch(text):
        return text
    raise ValueError(f"not a number nor a bare word: {text!r}")


def _is_module_path(text: str) -> bool:
    return bool(text) and all(part.isidentifier() for part in text.split("."))


def parse_spec(spec: str, names: Collection[str] = ()) -> NegotiatorSpec:
    """Parse a spec string (see the module docstring); imports nothing.

    ``names`` are the registered names (lower case): ``name:word`` with a registered ``name``
    is a name with a malformed parameter, not an import path. Raises :class:`SimulationError`
    naming the spec for an empty name, a malformed import path, or a malformed, duplicated or
    unreadable parameter.
    """
    if not isinstance(spec, str):
        raise SimulationError(f"a negotiator spec is a string, got {spec!r}; {_FORMS}")
    text = spec.strip()
    head, _, rest = text.partition(":")
    head = head.strip()
    second, colon, tail = rest.partition(":")
    second = second.strip()
    if second.isidentifier() and head.lower() not in names and "-" not in head:
        if not _is_module_path(head):
            raise SimulationError(
                f"bad import path {head!r} in negotiator spec {spec!r}: a module path is "
                f"dotted Python names; {_FORMS}"
            )
        target, params_text = f"{head}:{second}", tail
    elif "." in head and not colon and not rest:
        raise SimulationError(
            f"negotiator spec {spec!r} looks like a module without a class; write "
            f"{head}:ClassName[:key=value,...]"
        )
    else:
        target, params_text = head.lower(), rest
    if not target:
        raise SimulationError(f"empty negotiator name in spec {spec!r}; {_FORMS}")
    params: dict[str, ParamValue] = {}
    for item in filter(None, (p.strip() for p in params_text.split(","))):
        key, eq, raw = item.partition("=")
        key = key.strip()
        try:
            if not eq or not key.isidentifier():
                raise ValueError(item)
            value = parse_value(raw)
        except ValueError:
            raise SimulationError(
                f"bad parameter {item!r} in negotiator spec {spec!r}; write key=value, a value "
                f"being an int, a float or a bare word"
            ) from None
        if key in params:
            raise SimulationError(f"parameter {key!r} given twice in negotiator spec {spec!r}")
        params[key] = value
    return NegotiatorSpec(text=text, target=target, params=MappingProxyType(params))
