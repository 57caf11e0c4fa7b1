"""How an uncertain event turns out: its worlds, the draw that picks one, and the assumed one.

An event of a scenario (:class:`~burdenshare.scenario.model.Event`) has *worlds*, numbered by a
code, each with the effects that apply in it (``None``: nothing changes):

- an event with ``branches``: world ``j`` is branch ``j`` (its probability, its effects);
- an event with ``effects`` and a ``probability`` ``p``: world 0 is "does not happen"
  (probability ``1 - p``, no effects) and world 1 "happens" (``p``, the effects);
- any other event: world 1 (``happens``) only, or world 0 when its probability is 0.

An event is *uncertain* when more than one world has a positive probability. Per session, its
code is drawn as one input, a ``choice`` distribution over the codes weighted by the worlds'
probabilities (:func:`selector`), under the field path :func:`selector_path`
(``protocol.events.K.branch``, or ``protocol.events.K.happens`` for a probability); a world's
effects sit under ``protocol.events.K.branches.J.effects`` (or ``protocol.events.K.effects``).
Where one value is needed and no code is given (central values: ``analyze``, ``simulate``, a
negotiator's estimate), the *assumed* world is the most probable one, the first listed on a tie;
for a probability event, "happens" when ``p >= 0.5``.

>>> from burdenshare.scenario.model import Event
>>> ev = Event.model_validate({"date": "2020-04-15", "kind": "election", "party": "ROK",
...     "branches": [{"name": "win", "probability": 0.65},
...                  {"name": "loss", "probability": 0.35,
...                   "effects": {"approval_threshold": 300}}]})
>>> [w.name for w in worlds(ev, 0)], assumed_code(ev), selector_path(0, ev)
(['win', 'loss'], 0, 'protocol.events.0.branch')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from burdenshare.errors import SimulationError
from burdenshare.scenario.distributions import Distribution
from burdenshare.scenario.model import Event, EventEffects

__all__ = [
    "World",
    "assumed_code",
    "assumed_worlds",
    "batch_codes",
    "event_code",
    "is_uncertain_event",
    "selector",
    "selector_path",
    "worlds",
]

#: the world names of an event with a probability (code 0, code 1)
NOT_HAPPENING, HAPPENING = "does not happen", "happens"


@dataclass(frozen=True)
class World:
    """One way an event can turn out."""

    code: int
    name: str
    probability: float
    #: what changes in this world (None: nothing)
    effects: EventEffects | None
    #: the field path of ``effects`` (the prefix of its values' override keys)
    path: str
    note: str = ""


def worlds(event: Event, k: int) -> tuple[World, ...]:
    """The worlds of ``event`` (the ``k``-th of its protocol), by code."""
    base = f"protocol.events.{k}"
    if event.branches is not None:
        return tuple(
            World(j, b.name, b.probability, b.effects, f"{base}.branches.{j}.effects", b.note)
            for j, b in enumerate(event.branches)
        )
    p = event.probability
    return (
        World(0, NOT_HAPPENING, 1.0 - p, None, f"{base}.effects"),
        World(1, HAPPENING, p, event.effects, f"{base}.effects", event.note),
    )


def is_uncertain_event(event: Event) -> bool:
    """True if more than one world of ``event`` can happen and the event changes something."""
    if not event.has_effects:
        return False
    if event.branches is not None:
        return sum(b.probability > 0.0 for b in event.branches) > 1
    return 0.0 < event.probability < 1.0


def selector_path(k: int, event: Event) -> str | None:
    """The field path under which the world of the ``k``-th event is drawn (None: certain)."""
    if not is_uncertain_event(event):
        return None
    return f"protocol.events.{k}.{'branch' if event.branches is not None else 'happens'}"


def selector(event: Event) -> Distribution | None:
    """The distribution of the world's code: ``choice`` over the codes with the worlds'
    probabilities as weights (None when the event is certain)."""
    if not is_uncertain_event(event):
        return None
    probs = [w.probability for w in worlds(event, 0)]
    return Distribution(
        kind="choice",
        params=tuple(float(j) for j in range(len(probs))),
        weights=tuple(probs),
    )


def assumed_code(event: Event) -> int:
    """The world assumed where no code is drawn: the most probable (the first on a tie); for a
    probability event, 1 ("happens") when its probability is at least 0.5."""
    if event.branches is None:
        return 1 if event.probability >= 0.5 else 0
    probs = [b.probability for b in event.branches]
    return probs.index(max(probs))


def _checked(value: float, path: str, count: int) -> int:
    if not (math.isfinite(value) and float(value).is_integer() and 0 <= value < count):
        raise SimulationError(
            f"{path} picks a world of its event by number: an integer from 0 to {count - 1}, "
            f"got {value!r}"
        )
    return int(value)


def event_code(event: Event, k: int, overrides: Mapping[str, float] | None) -> int:
    """The world of the ``k``-th event in one session: the override at its selector path, else
    the assumed one (a certain event is always in its only possible world)."""
    path = selector_path(k, event)
    if path is None:
        return assumed_code(event)
    if overrides is not None and path in overrides:
        return _checked(float(overrides[path]), path, len(worlds(event, k)))
    return assumed_code(event)


def batch_codes(
    event: Event, k: int, draws: Mapping[str, npt.NDArray[np.float64]], n: int
) -> npt.NDArray[np.int64] | int:
    """The world of the ``k``-th event in each of ``n`` sessions: an array of codes when drawn,
    else the one code every session shares (as :func:`event_code`)."""
    path = selector_path(k, event)
    if path is None or path not in draws:
        return assumed_code(event)
    arr = np.asarray(draws[path], dtype=np.float64)
    if arr.shape != (n,):
        raise SimulationError(f"draws for {path} have shape {arr.shape}, expected ({n},)")
    count = len(worlds(event, k))
    bad = ~(np.isfinite(arr) & (arr == np.round(arr)) & (arr >= 0) & (arr < count))
    if np.any(bad):
        _checked(float(arr[bad][0]), path, count)
    return arr.astype(np.int64)


def assumed_worlds(events: tuple[Event, ...]) -> tuple[tuple[int, str, World], ...]:
    """The world assumed for each uncertain event where no code is drawn (one session at
    central values: ``simulate``): the event's index, its selector path and the world.

    >>> ev = Event.model_validate({"date": "2020-04-15", "kind": "election", "party": "ROK",
    ...     "probability": 0.3, "effects": {"discount_per_round": 0.9}})
    >>> [(k, path, w.name, w.probability) for k, path, w in assumed_worlds((ev,))]
    [(0, 'protocol.events.0.happens', 'does not happen', 0.7)]
    """
    out = []
    for k, ev in enumerate(events):
        path = selector_path(k, ev)
        if path is not None:
            out.append((k, path, worlds(ev, k)[assumed_code(ev)]))
    return tuple(out)
