"""Where each of a party's parameters comes from on a date: the one rule of the party model.

Both resolvers of a party's parameters follow it: :func:`burdenshare.preferences.party_parameters`
(one session, Python floats) and :func:`burdenshare.engine.params.batch_party` (N sessions,
arrays). They differ only in how they read a value (a float, or an array of N) and in how an
uncertain event's world is picked (one code, or a code per session); which value and which field
path apply to each parameter is decided here, once.

The rule (docs/reference/scenario.md, "Events" and "Uncertain events"):

1. A parameter starts from the party's own field: ``parties.P.utility.I.ideal``,
   ``...reservation`` (None: the far end of the issue's range), ``parties.P.discount_per_round``,
   ``parties.P.outside_option``, ``parties.P.ratification.approval_threshold``. Weights have no
   event effects.
2. Every event of the party dated on or before the date, in listing order, with effects, replaces
   the parameters its world's effects name, by that world's value and field path
   (``protocol.events.K.effects.ideal.I``, ``protocol.events.K.branches.J.effects.reservation.I``,
   ...). The world is the code drawn at the event's selector path, else its most probable world
   (:mod:`burdenshare.scenario.events`).
3. A parameter's value is the override (or draw) at the field path in force, else the central
   value of what is written there.

With one code per event (one session, or an event nobody drew) each parameter has one source;
with a code per session, a world's effects are a *layer* that applies in the sessions whose code
is that world's (a boolean mask), over what came before.

The checks that follow (:func:`issue_values_error`) are the same in both resolvers: a resolved
ideal or reservation outside its issue's range, or an ideal equal to the reservation, is refused
with one :class:`~burdenshare.errors.SimulationError` naming the party, the issue and the value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt

from burdenshare.errors import SimulationError
from burdenshare.scenario.distributions import Distribution
from burdenshare.scenario.events import worlds
from burdenshare.scenario.model import Event, EventEffects
from burdenshare.scenario.scenario import Scenario

__all__ = [
    "Layers",
    "PartySources",
    "Source",
    "issue_values_error",
    "party_sources",
]

#: which sessions a world's effects apply in: a boolean mask of N sessions
Mask = npt.NDArray[np.bool_]
#: an event's drawn world: one code for every session, or one code per session
Codes = int | npt.NDArray[np.int64]
V = TypeVar("V")


class Source(NamedTuple):
    """A parameter's written value (a number, a distribution, a category, or None for the far
    end of the issue's range) and the field path an override or draw of it is keyed by."""

    value: float | Distribution | str | None
    path: str


@dataclass
class Layers:
    """A parameter's sources in date order: the last one every session shares (``base``), then
    the sources of uncertain events' worlds, each applying in the sessions of its mask."""

    base: Source
    masked: list[tuple[Source, Mask]] = field(default_factory=list)

    def set(self, source: Source, mask: Mask | None) -> None:
        if mask is None:  # every session: what came before no longer matters
            self.base, self.masked = source, []
        else:
            self.masked.append((source, mask))

    def resolve(self, value: Callable[[Source], V], where: Callable[[Mask, V, V], V]) -> V:
        """The parameter's value: ``value`` of the base, then of each layer where its mask is
        set (``where(mask, layer, before)``, e.g. :func:`numpy.where`)."""
        out = value(self.base)
        for source, mask in self.masked:
            out = where(mask, value(source), out)
        return out


@dataclass
class PartySources:
    """Every parameter's sources for one party on one date (issues by id)."""

    ideal: dict[str, Layers]
    reservation: dict[str, Layers]
    weight: dict[str, Source]
    discount: Layers
    outside: Layers
    threshold: Layers


def _event_effects(
    scenario: Scenario, party: str, on: dt.date | None, codes: Callable[[Event, int], Codes]
) -> Iterator[tuple[EventEffects, str, Mask | None]]:
    """The effects on ``party`` of the events dated on or before ``on`` (none if ``on`` is
    None), in listing order: each with its field path and its sessions (None: all)."""
    if on is None:
        return
    for k, ev in enumerate(scenario.protocol.events):
        if ev.party != party or not ev.has_effects or ev.date > on:
            continue
        code = codes(ev, k)
        for world in worlds(ev, k):
            if world.effects is None:
                continue
            if isinstance(code, int):
                if code == world.code:
                    yield world.effects, world.path, None
            else:
                yield world.effects, world.path, code == world.code


def party_sources(
    scenario: Scenario, party: str, on: dt.date | None, codes: Callable[[Event, int], Codes]
) -> PartySources:
    """Which written value and field path apply to each of ``party``'s parameters on ``on``.

    ``codes(event, k)`` is the world of the ``k``-th event: :func:`~burdenshare.scenario.events.
    event_code` for one session, :func:`~burdenshare.scenario.events.batch_codes` for N.

    >>> from burdenshare.scenario.io import load_scenario
    >>> from burdenshare.scenario.library import bundled_path
    >>> sc = load_scenario(bundled_path("us-rok-sma-2019")).scenario
    >>> src = party_sources(sc, "ROK", None, lambda ev, k: 0)
    >>> src.reservation["contribution"].base.path
    'parties.ROK.utility.contribution.reservation'
    """
    spec = scenario.parties[party]
    base = f"parties.{party}"
    rat = spec.ratification
    out = PartySources(
        ideal={
            iid: Layers(Source(u.ideal, f"{base}.utility.{iid}.ideal"))
            for iid, u in spec.utility.items()
        },
        reservation={
            iid: Layers(Source(u.reservation, f"{base}.utility.{iid}.reservation"))
            for iid, u in spec.utility.items()
        },
        weight={
            iid: Source(u.weight, f"{base}.utility.{iid}.weight") for iid, u in spec.utility.items()
        },
        discount=Layers(Source(spec.discount_per_round, f"{base}.discount_per_round")),
        outside=Layers(Source(spec.outside_option, f"{base}.outside_option")),
        threshold=Layers(
            Source(
                rat.approval_threshold if rat else None,
                f"{base}.ratification.approval_threshold",
            )
        ),
    )
    for eff, epath, mask in _event_effects(scenario, party, on, codes):
        for iid, x in (eff.ideal or {}).items():
            out.ideal[iid].set(Source(x, f"{epath}.ideal.{iid}"), mask)
        for iid, v in (eff.reservation or {}).items():
            out.reservation[iid].set(Source(v, f"{epath}.reservation.{iid}"), mask)
        if eff.discount_per_round is not None:
            out.discount.set(Source(eff.discount_per_round, f"{epath}.discount_per_round"), mask)
        if eff.outside_option is not None:
            out.outside.set(Source(eff.outside_option, f"{epath}.outside_option"), mask)
        if eff.approval_threshold is not None:
            out.threshold.set(Source(eff.approval_threshold, f"{epath}.approval_threshold"), mask)
    return out


def issue_values_error(
    party: str,
    issue: str,
    low: float,
    high: float,
    ideal: float | npt.NDArray[np.float64],
    reservation: float | npt.NDArray[np.float64],
) -> SimulationError | None:
    """The error for a resolved ideal or reservation outside the issue's range ``[low, high]``,
    or an ideal equal to the reservation (in any session), else None.

    The scenario's own values are checked when it is loaded; these come from overrides or draws
    (a what-if, an ensemble's sample, a distribution wider than its issue).

    >>> print(issue_values_error("US", "x", 0.0, 10.0, 4.0, 12.0))
    overrides or draws put US's reservation on 'x' outside the issue's range [0, 10] (got 12); \
truncate its distribution to the range
    >>> print(issue_values_error("US", "x", 0.0, 10.0, 4.0, 4.0))
    overrides or draws make US's ideal equal its reservation on 'x' (both 4)
    >>> issue_values_error("US", "x", 0.0, 10.0, 4.0, 6.0) is None
    True
    >>> print(issue_values_error("US", "x", 0.0, 10.0, float("nan"), 6.0))
    overrides or draws put US's ideal on 'x' outside the issue's range [0, 10] (got nan); \
truncate its distribution to the range
    """
    if (  # one session, in range: no numpy
        isinstance(ideal, float)
        and isinstance(reservation, float)
        and low <= ideal <= high
        and low <= reservation <= high
        and ideal != reservation
    ):
        return None
    ia, ra = np.broadcast_arrays(
        np.asarray(ideal, dtype=np.float64), np.asarray(reservation, dtype=np.float64)
    )
    for what, arr in (("ideal", ia), ("reservation", ra)):
        out = ~((arr >= low) & (arr <= high))  # NaN is outside too
        if np.any(out):
            return SimulationError(
                f"overrides or draws put {party}'s {what} on {issue!r} outside the issue's "
                f"range [{low:g}, {high:g}] (got {float(arr[out].flat[0]):g}); truncate its "
                "distribution to the range"
            )
    same = ia == ra
    if np.any(same):
        return SimulationError(
            f"overrides or draws make {party}'s ideal equal its reservation on {issue!r} "
            f"(both {float(ia[same].flat[0]):g})"
        )
    return None
