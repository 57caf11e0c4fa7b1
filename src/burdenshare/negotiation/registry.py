"""The registry of built-in negotiators and the ``name[:key=value,...]`` spec parser.

>>> make_negotiator("boulware")
Boulware()
>>> make_negotiator("time-dependent:e=0.5")
TimeDependent(e=0.5)
>>> make_negotiator("tit-for-tat:delta=2")
RelativeTitForTat(delta=2)
"""

from __future__ import annotations

import inspect

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

__all__ = ["DEFAULT_NEGOTIATORS", "NEGOTIATORS", "make_negotiator"]

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


def _known() -> str:
    return ", ".join([*NEGOTIATORS, *_FAMILIES])


def _parse_value(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def make_negotiator(spec: str) -> Negotiator:
    """A negotiator from a spec such as ``"linear"`` or ``"time-dependent:e=0.5"``.

    Raises :class:`SimulationError` (listing the known names) for an unknown name, a malformed
    or unknown parameter, or an invalid parameter value.
    """
    name, _, params = spec.strip().partition(":")
    name = name.strip().lower()
    cls = NEGOTIATORS.get(name) or _FAMILIES.get(name)
    if cls is None:
        raise SimulationError(f"unknown negotiator {name!r}; known negotiators: {_known()}")
    kwargs: dict[str, int | float] = {}
    for item in filter(None, (p.strip() for p in params.split(","))):
        key, eq, raw = item.partition("=")
        key = key.strip()
        try:
            if not eq or not key:
                raise ValueError
            value = _parse_value(raw.strip())
        except ValueError:
            raise SimulationError(
                f"bad parameter {item!r} in negotiator spec {spec!r}; write name:key=number,... "
                f"(known negotiators: {_known()})"
            ) from None
        kwargs[key] = value
    try:
        inspect.signature(cls).bind(**kwargs)
    except TypeError:
        allowed = ", ".join(cls.param_names()) or "none"
        raise SimulationError(
            f"negotiator {name!r} takes parameters: {allowed}; got {sorted(kwargs)} in {spec!r} "
            f"(known negotiators: {_known()})"
        ) from None
    negotiator = cls(**kwargs)
    try:
        negotiator.validate_params()
    except SimulationError as exc:
        raise SimulationError(f"{exc} in {spec!r} (known negotiators: {_known()})") from None
    return negotiator
