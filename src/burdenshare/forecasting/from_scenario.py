"""Read a scenario's ``actors`` into an :class:`~burdenshare.forecasting.base.ActorTable`."""

from __future__ import annotations

import numpy as np

from burdenshare.errors import ForecastError
from burdenshare.forecasting.base import ActorTable
from burdenshare.scenario.distributions import central
from burdenshare.scenario.scenario import Scenario

__all__ = ["actor_table"]


def actor_table(scenario: Scenario, issue: str | None = None) -> ActorTable:
    """The actors who take a position on ``issue`` (default: the first issue), central values.

    The reference point (status quo) is the ideal of the party that wants the least change when
    the parties pull in opposite directions: on the SMA cases, what Seoul already pays.
    """
    iid = issue or scenario.issues[0].id
    if iid not in scenario.issue_ids:
        raise ForecastError(
            f"unknown issue {iid!r}; the scenario's issues are {scenario.issue_ids}"
        )
    spec = scenario.issue(iid)
    if spec.kind == "categorical":
        raise ForecastError(f"issue {iid!r} is categorical; the forecasting models need numbers")
    rows = [a for a in scenario.actors if (a.issue or scenario.issues[0].id) == iid]
    if len(rows) < 2:
        raise ForecastError(
            f"scenario {scenario.id!r} lists {len(rows)} actor(s) on {iid!r}; "
            "forecasting needs at least two under 'actors'"
        )
    positions = []
    for a in rows:
        if isinstance(a.position, str):
            raise ForecastError(f"actor {a.id!r} has a category as its position on {iid!r}")
        positions.append(central(a.position))
    assert spec.range is not None
    return ActorTable.single(
        [a.id for a in rows],
        positions,
        [central(a.salience) for a in rows],
        [central(a.capability) for a in rows],
        issue=iid,
        reference=_status_quo(scenario, iid),
        scale=spec.range,
    )


def _status_quo(scenario: Scenario, iid: str) -> float | None:
    ideals = []
    for party in scenario.parties.values():
        u = party.utility[iid]
        if u.ideal is None or isinstance(u.ideal, str) or u.prefers is None:
            return None
        ideals.append((u.prefers, central(u.ideal)))
    lows = [v for p, v in ideals if p == "lower"]
    highs = [v for p, v in ideals if p == "higher"]
    if lows and highs:
        return float(np.min(lows))  # the side resisting an increase asks for the status quo
    return None
