"""The analysis in each world of an uncertain event, instead of a mixed central value.

An election won or lost is two worlds, not their average. For each uncertain event of a
scenario (:func:`burdenshare.scenario.events.is_uncertain_event`), :func:`branch_analyses`
builds the bargaining problem in each of its worlds (a branch; or "happens" and "does not
happen") on the date its effects apply (the event's date, or ``protocol.start`` if later), with
every other uncertain event in its most probable world, and reports the zone of agreement and
every solution concept there. The result for a world equals the analysis, on that date, of the
scenario rewritten with that world's effects applied unconditionally (a test checks it).

:func:`choice_notes` warns where a ``choice`` distribution's central value (its mean, used by
``analyze`` and ``simulate``) is none of its values: a world that never exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from burdenshare.analysis.problem import bargaining_problem
from burdenshare.analysis.records import SolutionResult, ZopaResult
from burdenshare.analysis.solve import scenario_solutions
from burdenshare.analysis.zopa import scenario_zopa
from burdenshare.scenario.distributions import Distribution
from burdenshare.scenario.events import (
    World,
    assumed_code,
    is_uncertain_event,
    selector_path,
    worlds,
)
from burdenshare.scenario.model import Event
from burdenshare.scenario.scenario import Scenario

__all__ = ["EventWorlds", "WorldAnalysis", "branch_analyses", "choice_notes"]

#: the tolerance within which a choice's mean counts as one of its values (relative to its span)
_CHOICE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class WorldAnalysis:
    """The zone of agreement and the solutions in one world of an event."""

    world: World
    assumed: bool
    zopa: ZopaResult
    solutions: tuple[SolutionResult, ...]

    def to_dict(self, scenario: Scenario) -> dict[str, Any]:
        return {
            "code": self.world.code,
            "name": self.world.name,
            "probability": self.world.probability,
            "note": self.world.note,
            "assumed": self.assumed,
            "zopa": self.zopa.to_dict(scenario),
            "solutions": {s.concept: s.to_dict(scenario) for s in self.solutions},
        }


@dataclass(frozen=True)
class EventWorlds:
    """One uncertain event and the analysis in each of its worlds."""

    index: int
    event: Event
    field: str
    on: dt.date
    worlds: tuple[WorldAnalysis, ...]

    def to_dict(self, scenario: Scenario) -> dict[str, Any]:
        return {
            "event": self.index,
            "date": self.event.date.isoformat(),
            "kind": self.event.kind,
            "party": self.event.party,
            "note": self.event.note,
            "field": self.field,
            "analysed_on": self.on.isoformat(),
            "worlds": [w.to_dict(scenario) for w in self.worlds],
        }


def branch_analyses(scenario: Scenario) -> tuple[EventWorlds, ...]:
    """The analysis in every world of every uncertain event of ``scenario`` (file order)."""
    out = []
    for k, ev in enumerate(scenario.protocol.events):
        path = selector_path(k, ev)
        if path is None or not is_uncertain_event(ev):
            continue
        on = max(scenario.protocol.start, ev.date)
        assumed = assumed_code(ev)
        done = []
        for world in worlds(ev, k):
            problem = bargaining_problem(scenario, on=on, overrides={path: float(world.code)})
            done.append(
                WorldAnalysis(
                    world=world,
                    assumed=world.code == assumed,
                    zopa=scenario_zopa(problem),
                    solutions=tuple(scenario_solutions(problem)),
                )
            )
        out.append(EventWorlds(index=k, event=ev, field=path, on=on, worlds=tuple(done)))
    return tuple(out)


def choice_notes(scenario: Scenario) -> tuple[str, ...]:
    """A warning for each ``choice`` distribution whose central value is none of its values
    (the branch codes of uncertain events are left out: they are never averaged)."""
    from burdenshare.scenario.uncertain import uncertain_parameters

    selectors = {selector_path(k, ev) for k, ev in enumerate(scenario.protocol.events)} - {None}
    notes = []
    for path, dist in uncertain_parameters(scenario).items():
        if path in selectors or not _mixes(dist):
            continue
        values = ", ".join(f"{v:g}" for v in dist.params)
        notes.append(
            f"{path} is a choice between {values}; its central value {dist.central():g}, used "
            "at central values (analyze, simulate), is none of them: a world that never "
            "happens. Model an election or another either-or as an event with branches "
            "(docs/reference/scenario.md#uncertain-events)."
        )
    return tuple(notes)


def _mixes(dist: Distribution) -> bool:
    if dist.kind != "choice":
        return False
    c = dist.central()
    span = max(dist.params) - min(dist.params)
    return not any(abs(c - v) <= _CHOICE_TOLERANCE * max(span, 1.0) for v in dist.params)
