"""Build each party's utility from a scenario (central values, dated events, overrides)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from burdenshare.errors import ScenarioError
from burdenshare.preferences.additive import AdditiveUtility
from burdenshare.preferences.issue_utility import CategoricalUtility, NumericUtility
from burdenshare.scenario.distributions import Distribution, central
from burdenshare.scenario.events import event_code, worlds
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
    base = f"parties.{party}"
    reservations: dict[str, float | Distribution | str | None] = {
        iid: u.reservation for iid, u in spec.utility.items()
    }
    discount: float | Distribution = spec.discount_per_round
    outside: float | Distribution = spec.outside_option
    rat = spec.ratification
    threshold: float | Distribution | str | None = rat.approval_threshold if rat else None
    res_paths = {iid: f"{base}.utility.{iid}.reservation" for iid in spec.utility}
    ideals: dict[str, float | Distribution | str | None] = {
        iid: u.ideal for iid, u in spec.utility.items()
    }
    ideal_paths = {iid: f"{base}.utility.{iid}.ideal" for iid in spec.utility}
    disc_path, out_path = f"{base}.discount_per_round", f"{base}.outside_option"
    thr_path = f"{base}.ratification.approval_threshold"
    if on is not None:
        for k, ev in enumerate(scenario.protocol.events):
            if ev.party != party or not ev.has_effects or ev.date > on:
                continue
            world = worlds(ev, k)[event_code(ev, k, ov)]
            eff, epath = world.effects, world.path
            if eff is None:
                continue
            for iid, x in (eff.ideal or {}).items():
                ideals[iid], ideal_paths[iid] = x, f"{epath}.ideal.{iid}"
            for iid, v in (eff.reservation or {}).items():
                reservations[iid], res_paths[iid] = v, f"{epath}.reservation.{iid}"
            if eff.discount_per_round is not None:
                discount, disc_path = eff.discount_per_round, f"{epath}.discount_per_round"
            if eff.outside_option is not None:
                outside, out_path = eff.outside_option, f"{epath}.outside_option"
            if eff.approval_threshold is not None:
                threshold, thr_path = eff.approval_threshold, f"{epath}.approval_threshold"
    parts: list[NumericUtility | CategoricalUtility] = []
    weights: list[float] = []
    for issue in scenario.issues:
        u = spec.utility[issue.id]
        weights.append(_value(u.weight, f"{base}.utility.{issue.id}.weight", ov))
        res = reservations[issue.id]
        if issue.kind == "categorical":
            parts.append(_categorical(issue, u, None if res is None else str(res)))
            continue
        ideal_src = ideals[issue.id]
        assert ideal_src is not None
        assert issue.range is not None
        ideal = _value(ideal_src, ideal_paths[issue.id], ov)
        if res is None:
            lo, hi = issue.range
            higher = u.prefers == "higher" or (u.prefers is None and ideal - lo >= hi - ideal)
            res_v = lo if higher else hi
        else:
            res_v = _value(res, res_paths[issue.id], ov)
        parts.append(
            NumericUtility(
                ideal=ideal,
                reservation=res_v,
                points=u.points,
                integer=issue.kind == "integer",
                low=issue.range[0],
                high=issue.range[1],
            )
        )
    thr = None
    belief = None
    if threshold is not None:
        thr = _value(threshold, thr_path, ov)
        assert rat is not None
        if rat.belief is None:
            belief = thr  # complete information: the negotiator knows its ratifier
        elif rat.belief == "central":
            belief = central(threshold) if not isinstance(threshold, str) else thr
        else:
            belief = _value(rat.belief, f"{base}.ratification.belief", ov)
    return PartyParameters(
        name=party,
        utility=AdditiveUtility(tuple(i.id for i in scenario.issues), tuple(parts), tuple(weights)),
        discount=_value(discount, disc_path, ov),
        outside_option=_value(outside, out_path, ov),
        ratification_threshold=thr,
        ratification_issue=(rat.issue or scenario.issues[0].id) if rat else None,
        ratification_belief=belief,
    )
