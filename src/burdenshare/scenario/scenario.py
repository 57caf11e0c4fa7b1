"""The top-level :class:`Scenario` record and its cross-field checks."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from pydantic import Field, model_validator

from burdenshare.errors import ScenarioError
from burdenshare.scenario.distributions import Distribution, central
from burdenshare.scenario.model import (
    Actor,
    Issue,
    IssueUtility,
    Party,
    Protocol,
    Provenance,
    Slug,
    Text,
    _Frozen,
)
from burdenshare.scenario.units import Money, parse_money

__all__ = ["Scenario"]

_WEIGHT_TOLERANCE = 1e-6


class Scenario(_Frozen):
    """A bilateral negotiation, as written in a scenario file (see docs/reference/scenario.md)."""

    id: Slug
    title: Text
    as_of: dt.date
    description: Text = ""
    money: Money = Field(default_factory=Money)
    issues: tuple[Issue, ...] = Field(min_length=1, max_length=20)
    parties: dict[Slug, Party]
    protocol: Protocol
    actors: tuple[Actor, ...] = ()
    provenance: tuple[Provenance, ...] = ()

    # -- parsing helpers -------------------------------------------------------------------
    @model_validator(mode="before")
    @classmethod
    def _money_strings(cls, data: Any) -> Any:
        """Convert money written with its unit (``"5 bn USD"``) into the base unit."""
        if not isinstance(data, dict):
            return data
        try:
            money = Money.model_validate(data.get("money") or {})
        except Exception:
            return data  # the money block itself is reported by normal validation
        issues = data.get("issues")
        money_issues: set[str] = set()
        first_issue = None
        if isinstance(issues, list):
            for i, raw in enumerate(issues):
                if isinstance(raw, dict):
                    first_issue = first_issue or raw.get("id")
                    if raw.get("unit") == "money":
                        money_issues.add(str(raw.get("id")))
                    if "range" in raw:
                        raw = {**raw, "range": _conv(raw["range"], money, f"issues.{i}.range",
                                                     raw.get("unit") == "money")}
                        issues[i] = raw
        parties = data.get("parties")
        if isinstance(parties, dict):
            for pname, party in parties.items():
                if not isinstance(party, dict):
                    continue
                util = party.get("utility")
                if isinstance(util, dict):
                    for iid, spec in util.items():
                        if isinstance(spec, dict):
                            m = iid in money_issues
                            base = f"parties.{pname}.utility.{iid}"
                            util[iid] = {
                                k: _conv(v, money, f"{base}.{k}", m, points=k == "points")
                                if k in ("ideal", "reservation", "points") else v
                                for k, v in spec.items()
                            }
                rat = party.get("ratification")
                if isinstance(rat, dict) and "approval_threshold" in rat:
                    iid = rat.get("issue") or first_issue
                    rat["approval_threshold"] = _conv(
                        rat["approval_threshold"], money,
                        f"parties.{pname}.ratification.approval_threshold", iid in money_issues,
                    )
        proto = data.get("protocol")
        if isinstance(proto, dict) and isinstance(proto.get("events"), list):
            for k, ev in enumerate(proto["events"]):
                eff = ev.get("effects") if isinstance(ev, dict) else None
                if isinstance(eff, dict) and isinstance(eff.get("reservation"), dict):
                    eff["reservation"] = {
                        iid: _conv(v, money, f"protocol.events.{k}.effects.reservation.{iid}",
                                   iid in money_issues)
                        for iid, v in eff["reservation"].items()
                    }
        actors = data.get("actors")
        if isinstance(actors, list):
            for k, actor in enumerate(actors):
                if isinstance(actor, dict) and "position" in actor:
                    iid = actor.get("issue") or first_issue
                    actor["position"] = _conv(actor["position"], money, f"actors.{k}.position",
                                              iid in money_issues)
        return data

    # -- cross-field checks ----------------------------------------------------------------
    @model_validator(mode="after")
    def _cross_check(self) -> Scenario:
        issue_ids = [i.id for i in self.issues]
        if len(set(issue_ids)) != len(issue_ids):
            raise _err("issue ids must be distinct", "issues", issue_ids)
        if len(self.parties) != 2:
            raise _err(
                "a scenario has exactly two parties at the table (put other stakeholders under 'actors')",
                "parties", list(self.parties),
            )
        for pname, party in self.parties.items():
            missing = [i for i in issue_ids if i not in party.utility]
            unknown = [i for i in party.utility if i not in issue_ids]
            if unknown:
                raise _err(f"utility for an unknown issue {unknown[0]!r}",
                           f"parties.{pname}.utility.{unknown[0]}", unknown[0],
                           expected=f"one of {issue_ids}")
            if missing:
                raise _err(f"no utility given for issue {missing[0]!r}",
                           f"parties.{pname}.utility", sorted(party.utility),
                           expected=f"an entry for every issue {issue_ids}")
            total = sum(central(party.utility[i].weight) for i in issue_ids)
            if abs(total - 1.0) > _WEIGHT_TOLERANCE:
                raise _err("issue weights must sum to 1", f"parties.{pname}.utility.*.weight",
                           round(total, 9), expected="a sum of 1 (within 1e-6)")
            for issue in self.issues:
                _check_issue_utility(issue, party.utility[issue.id], f"parties.{pname}.utility.{issue.id}")
            if party.ratification is not None:
                rat = party.ratification
                where = f"parties.{pname}.ratification"
                iid = rat.issue or issue_ids[0]
                if iid not in issue_ids:
                    raise _err("ratification refers to an unknown issue", f"{where}.issue", iid,
                               expected=f"one of {issue_ids}")
                if rat.approval_threshold is not None:
                    _check_value(self.issue(iid), rat.approval_threshold, f"{where}.approval_threshold")
        parties = list(self.parties)
        if self.protocol.first_mover not in parties:
            raise _err("first_mover must be one of the parties", "protocol.first_mover",
                       self.protocol.first_mover, expected=f"one of {parties}")
        for k, ev in enumerate(self.protocol.events):
            if ev.party is not None and ev.party not in parties:
                raise _err("event names an unknown party", f"protocol.events.{k}.party", ev.party,
                           expected=f"one of {parties}")
            if ev.effects is not None:
                if ev.party is None:
                    raise _err("an event with effects must name its party", f"protocol.events.{k}.party",
                               None, expected=f"one of {parties}")
                for iid, v in (ev.effects.reservation or {}).items():
                    if iid not in issue_ids:
                        raise _err("event changes the reservation of an unknown issue",
                                   f"protocol.events.{k}.effects.reservation.{iid}", iid,
                                   expected=f"one of {issue_ids}")
                    _check_value(self.issue(iid), v, f"protocol.events.{k}.effects.reservation.{iid}")
        ids = [a.id for a in self.actors]
        if len(set(ids)) != len(ids):
            raise _err("actor ids must be distinct", "actors", ids)
        for k, actor in enumerate(self.actors):
            if actor.party is not None and actor.party not in parties:
                raise _err("actor belongs to an unknown party", f"actors.{k}.party", actor.party,
                           expected=f"one of {parties}")
            iid = actor.issue or issue_ids[0]
            if iid not in issue_ids:
                raise _err("actor takes a position on an unknown issue", f"actors.{k}.issue", iid,
                           expected=f"one of {issue_ids}")
            _check_value(self.issue(iid), actor.position, f"actors.{k}.position")
        return self

    # -- convenience -----------------------------------------------------------------------
    def issue(self, issue_id: str) -> Issue:
        for issue in self.issues:
            if issue.id == issue_id:
                return issue
        raise KeyError(issue_id)

    @property
    def party_names(self) -> tuple[str, str]:
        a, b = self.parties
        return (a, b)

    def other(self, party: str) -> str:
        a, b = self.party_names
        return b if party == a else a

    def format_value(self, issue_id: str, value: float | str) -> str:
        """An issue value for people: money in every known currency, other units as written."""
        issue = self.issue(issue_id)
        if isinstance(value, str):
            return value
        if issue.is_money:
            return self.money.format(value)
        if issue.kind == "integer":
            return f"{int(round(value))} {issue.unit}".strip()
        return f"{value:,.4g} {issue.unit}".strip()


def _err(message: str, field: str, value: Any, expected: str | None = None) -> ScenarioError:
    return ScenarioError(message, field=field, value=value, expected=expected, has_value=True)


def _conv(value: Any, money: Money, field: str, is_money: bool, points: bool = False) -> Any:
    """Replace money strings in ``value`` (a number, list or one-key distribution mapping)."""
    if isinstance(value, str):
        if not any(ch.isdigit() for ch in value):
            return value  # a category name
        if not is_money:
            raise _err("an amount with a currency is only allowed on a money issue", field, value,
                       expected="a plain number")
        try:
            return parse_money(value, money)
        except ValueError as exc:
            raise _err(str(exc), field, value) from None
    if isinstance(value, list):
        if points:
            return [[_conv(p[0], money, f"{field}.{i}", is_money), *p[1:]]
                    if isinstance(p, list) and p else p for i, p in enumerate(value)]
        return [_conv(v, money, f"{field}.{i}", is_money) for i, v in enumerate(value)]
    if isinstance(value, dict) and len(value) == 1:
        ((k, v),) = value.items()
        if isinstance(v, dict):
            return {k: {kk: _conv(vv, money, f"{field}.{k}.{kk}", is_money) if kk == "values" else vv
                        for kk, vv in v.items()}}
        return {k: _conv(v, money, f"{field}.{k}", is_money)}
    return value


def _check_value(issue: Issue, value: float | Distribution | str, field: str) -> None:
    """A value (or a distribution's central value) must be a legal point of the issue."""
    if issue.kind == "categorical":
        if not isinstance(value, str) or value not in (issue.values or ()):
            raise _err(f"not a category of issue {issue.id!r}", field, value,
                       expected=f"one of {list(issue.values or ())}")
        return
    if isinstance(value, str):
        raise _err(f"issue {issue.id!r} is numeric", field, value, expected="a number or a distribution")
    assert issue.range is not None
    lo, hi = issue.range
    c = central(value)
    if not lo <= c <= hi:
        raise _err(f"outside the range of issue {issue.id!r}", field,
                   value.to_yaml() if isinstance(value, Distribution) else value,
                   expected=f"a value in [{lo:g}, {hi:g}]")


def _check_issue_utility(issue: Issue, u: IssueUtility, field: str) -> None:
    if issue.kind == "categorical":
        cats = list(issue.values or ())
        if u.scores is None:
            raise _err("a categorical issue needs 'scores: {category: utility}'", field, None,
                       expected=f"a score for each of {cats}")
        if sorted(u.scores) != sorted(cats):
            raise _err("scores must give every category once", f"{field}.scores", sorted(u.scores),
                       expected=f"exactly {cats}")
        if u.shape != "linear" or u.points or u.prefers:
            raise _err("shape, points and prefers do not apply to a categorical issue", field, None)
        for key in ("ideal", "reservation"):
            val = getattr(u, key)
            if val is not None:
                _check_value(issue, val, f"{field}.{key}")
        if u.ideal is not None and u.scores[str(u.ideal)] != max(u.scores.values()):
            raise _err("the ideal category must have the highest score", f"{field}.ideal", u.ideal)
        return
    if u.scores is not None:
        raise _err("scores apply only to categorical issues", f"{field}.scores", u.scores)
    if u.ideal is None:
        raise _err("missing the party's ideal value", f"{field}.ideal", None, expected="a number")
    _check_value(issue, u.ideal, f"{field}.ideal")
    if u.reservation is not None:
        _check_value(issue, u.reservation, f"{field}.reservation")
    ideal = central(u.ideal)  # type: ignore[arg-type]
    assert issue.range is not None
    if u.reservation is None:
        lo, hi = issue.range
        res = lo if (u.prefers == "higher" or (u.prefers is None and ideal - lo >= hi - ideal)) else hi
    else:
        res = central(u.reservation)  # type: ignore[arg-type]
    if math.isclose(res, ideal, rel_tol=0, abs_tol=1e-12):
        raise _err("reservation equals the ideal: the party has no room to concede",
                   f"{field}.reservation", res, expected="a walk-away point different from the ideal")
    if u.prefers == "higher" and res > ideal:
        raise _err("reservation on the wrong side of the ideal: a party that prefers higher values "
                   "must walk away below its ideal", f"{field}.reservation", res,
                   expected=f"a value below the ideal {ideal:g}")
    if u.prefers == "lower" and res < ideal:
        raise _err("reservation on the wrong side of the ideal: a party that prefers lower values "
                   "must walk away above its ideal", f"{field}.reservation", res,
                   expected=f"a value above the ideal {ideal:g}")
    if u.points:
        xs = [x for x, _ in u.points]
        us = [v for _, v in u.points]
        lo, hi = min(res, ideal), max(res, ideal)
        if not all(lo < x < hi for x in xs):
            raise _err("piecewise points must lie strictly between reservation and ideal",
                       f"{field}.points", [list(p) for p in u.points], expected=f"values in ({lo:g}, {hi:g})")
        toward_ideal = sorted(range(len(xs)), key=lambda i: abs(xs[i] - res))
        ordered_u = [us[i] for i in toward_ideal]
        if any(b <= a for a, b in zip(ordered_u, ordered_u[1:], strict=False)) or len(set(xs)) != len(xs):
            raise _err("piecewise utilities must rise strictly from the reservation towards the ideal",
                       f"{field}.points", [list(p) for p in u.points])
