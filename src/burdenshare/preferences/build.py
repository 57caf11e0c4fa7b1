"""Build each party's utility from a scenario (central values, dated events, overrides)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from burdenshare.errors import ScenarioError
from burdenshare.preferences.additive import AdditiveUtility
from burdenshare.preferences.issue_utility import CategoricalUtility, NumericUtility
from burdenshare.preferences.sources import (
    PartySources,
    Source,
    issue_values_error,
    party_sources,
)
from burdenshare.scenario.distributions import Distribution, central
from burdenshare.scenario.events import event_code
from burdenshare.scenario.model import Issue, IssueUtility
from burdenshare.scenario.scenario import Scenario

__all__ = ["PartyParameters", "party_parameters", "require_issue_utilities"]


@dataclass(frozen=True)
class PartyParameters:
    """Everything numeric about one party on one date, with uncertain values resolved."""

    name: str
    utility: AdditiveUtility
    discount: float
    outside_option: float
    #: the worst value on ``ratification_issue`` the ratifier approves (None: no ratifier)
    ratification_threshold: float | None
    ratification_issue: str | None
    #: what the party's negotiator believes that threshold is (equal to it under complete
    #: information; see :class:`burdenshare.scenario.Ratification`)
    ratification_belief: float | None = None


def _value(v: float | Distribution | str, path: str, overrides: Mapping[str, float]) -> float:
    if path in overrides:
        return float(overrides[path])
    if isinstance(v, str):
        raise TypeError(f"{path} is a category, not a number")
    return central(v)


#: categorical utilities already built, by ``(id(issue), id(spec), reservation)``; each entry
#: holds the issue and spec themselves, so their ids stay theirs while it lives
_CATEGORICAL: dict[tuple[int, int, str | None], tuple[Issue, IssueUtility, CategoricalUtility]] = {}
_CATEGORICAL_SIZE = 256


def _categorical(issue: Issue, spec: IssueUtility, reservation: str | None) -> CategoricalUtility:
    """The party's utility on a categorical issue, built once per scenario: an ensemble resolves
    each party's parameters every session, and a score table of 12,000 categories costs
    milliseconds to build (the scenario's records are frozen, so the result never changes)."""
    key = (id(issue), id(spec), reservation)
    hit = _CATEGORICAL.get(key)
    if hit is not None and hit[0] is issue and hit[1] is spec:
        return hit[2]
    assert spec.scores is not None
    built = CategoricalUtility(
        scores=tuple((c, spec.scores[c]) for c in issue.values or ()), reservation=reservation
    )
    if len(_CATEGORICAL) >= _CATEGORICAL_SIZE:
        _CATEGORICAL.clear()
    _CATEGORICAL[key] = (issue, spec, built)
    return built


#: each party's sources (read only), by ``(id(scenario), party, the worlds of the events in
#: force)``; each entry holds the scenario itself, so its id stays its own while it lives
_SOURCES: dict[tuple[int, str, tuple[tuple[int, int], ...]], tuple[Scenario, PartySources]] = {}
_SOURCES_SIZE = 1024


def _sources(
    scenario: Scenario, party: str, on: dt.date | None, ov: Mapping[str, float]
) -> PartySources:
    """:func:`party_sources` for one session, built once per set of events in force: the
    one-session protocol resolves each party's parameters every round."""
    applied = (
        ()
        if on is None
        else tuple(
            (k, event_code(ev, k, ov))
            for k, ev in enumerate(scenario.protocol.events)
            if ev.party == party and ev.has_effects and ev.date <= on
        )
    )
    key = (id(scenario), party, applied)
    hit = _SOURCES.get(key)
    if hit is not None and hit[0] is scenario:
        return hit[1]
    codes = dict(applied)
    built = party_sources(scenario, party, on, lambda ev, k: codes[k])
    if len(_SOURCES) >= _SOURCES_SIZE:
        _SOURCES.clear()
    _SOURCES[key] = (scenario, built)
    return built


def require_issue_utilities(scenario: Scenario, party: str) -> None:
    """Raise a clear :class:`ScenarioError` if ``party`` has a non-linear utility (rules)."""
    if scenario.parties[party].utility_rules is not None:
        raise ScenarioError(
            "this party's utility is non-linear (utility_rules): `burdenshare analyze` computes "
            "its exact Pareto frontier and bargaining points, but simulations, ensembles, "
            "tournaments and forecasts need a utility per issue",
            field=f"parties.{party}.utility_rules",
            expected="a utility per issue for this command",
        )


def party_parameters(
    scenario: Scenario,
    party: str,
    *,
    on: dt.date | None = None,
    overrides: Mapping[str, float] | None = None,
) -> PartyParameters:
    """Resolve a party's parameters: central values, or ``overrides`` keyed by field path
    (e.g. ``"parties.US.utility.contribution.reservation"``), with the effects of every event
    dated on or before ``on`` applied in date order. An uncertain event applies the effects of
    its world picked by the override at its selector path (``protocol.events.K.branch`` or
    ``protocol.events.K.happens``), else of its most probable world
    (:mod:`burdenshare.scenario.events`).
    """
    ov = dict(overrides or {})
    require_issue_utilities(scenario, party)
    spec = scenario.parties[party]
    src = _sources(scenario, party, on, ov)

    def value(source: Source) -> float:
        assert source.value is not None
        return _value(source.value, source.path, ov)

    parts: list[NumericUtility | CategoricalUtility] = []
    weights: list[float] = []
    for issue in scenario.issues:
        u = spec.utility[issue.id]
        weights.append(value(src.weight[issue.id]))
        res = src.reservation[issue.id].base
        if issue.kind == "categorical":
            parts.append(_categorical(issue, u, None if res.value is None else str(res.value)))
            continue
        assert issue.range is not None
        lo, hi = issue.range
        ideal = value(src.ideal[issue.id].base)
        if res.value is None:
            higher = u.prefers == "higher" or (u.prefers is None and ideal - lo >= hi - ideal)
            res_v = lo if higher else hi
        else:
            res_v = value(res)
        error = issue_values_error(party, issue.id, lo, hi, ideal, res_v)
        if error is not None:
            raise error
        parts.append(
            NumericUtility(
                ideal=ideal,
                reservation=res_v,
                points=u.points,
                integer=issue.kind == "integer",
                low=lo,
                high=hi,
            )
        )
    rat = spec.ratification
    threshold = src.threshold.base
    thr = None
    belief = None
    if threshold.value is not None:
        thr = value(threshold)
        assert rat is not None
        if rat.belief is None:
            belief = thr  # complete information: the negotiator knows its ratifier
        elif rat.belief == "central":
            belief = central(threshold.value) if not isinstance(threshold.value, str) else thr
        else:
            belief = _value(rat.belief, f"parties.{party}.ratification.belief", ov)
    return PartyParameters(
        name=party,
        utility=AdditiveUtility(tuple(i.id for i in scenario.issues), tuple(parts), tuple(weights)),
        discount=value(src.discount.base),
        outside_option=value(src.outside.base),
        ratification_threshold=thr,
        ratification_issue=(rat.issue or scenario.issues[0].id) if rat else None,
        ratification_belief=belief,
    )
