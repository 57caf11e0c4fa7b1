"""The top-level :class:`Scenario` record and its cross-field checks."""

from __future__ import annotations

import copy
import datetime as dt
import math
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from burdenshare.errors import ScenarioError
from burdenshare.scenario.distributions import Distribution, central
from burdenshare.scenario.model import (
    MAX_BELIEF_DAYS,
    MAX_PARTIES,
    Actor,
    EventEffects,
    Hindsight,
    Issue,
    Party,
    Protocol,
    Provenance,
    Slug,
    Text,
    _Frozen,
)
from burdenshare.scenario.units import Money, parse_money
from burdenshare.scenario.utility_checks import (
    check_issue_utility,
    check_side,
    check_value,
    direction,
    err,
    shown,
)

__all__ = ["EVENT_WINDOW_DAYS", "MEDIATOR", "Scenario"]

#: how far (in days, about five years) event dates may lie before the as-of date or the start,
#: or after the protocol's end; see :meth:`Scenario.event_window`
EVENT_WINDOW_DAYS = 1826

_WEIGHT_TOLERANCE = 1e-6

#: who proposes under the single text (``protocol.kind: single_text``); no party may be called so
MEDIATOR = "mediator"

#: how a value on an issue is read: money (strings with a unit allowed), a plain number,
#: a category name, or unknown (the issue id is not declared; reported later)
_ValueKind = Literal["money", "number", "category"] | None


class Scenario(_Frozen):
    """A negotiation between two or more parties, as written in a scenario file (see
    docs/reference/scenario.md).

    Build one with :func:`burdenshare.scenario.io.load_scenario` (files) or
    :func:`burdenshare.scenario.io.parse_scenario_text`; both turn every problem into one
    :class:`~burdenshare.errors.ScenarioError`.
    """

    id: Slug
    title: Text
    as_of: dt.date
    description: Text = ""
    money: Money = Field(default_factory=Money)
    issues: tuple[Issue, ...] = Field(min_length=1, max_length=20)
    parties: dict[Slug, Party]
    protocol: Protocol
    actors: tuple[Actor, ...] = Field(default=(), max_length=1000)
    provenance: tuple[Provenance, ...] = Field(default=(), max_length=1000)
    hindsight: Hindsight | None = None

    # -- parsing helpers -------------------------------------------------------------------
    @model_validator(mode="before")
    @classmethod
    def _money_strings(cls, data: Any) -> Any:
        """Convert money written with its unit (``"5 bn USD"``) into the base unit.

        Works on a copy: the caller's mapping is never changed.
        """
        if not isinstance(data, dict):
            return data
        try:
            money = Money.model_validate(data.get("money") or {})
        except ValidationError:
            return data  # the money block itself is reported by normal validation
        data = copy.deepcopy(data)
        kinds: dict[str, _ValueKind] = {}
        first_issue: Any = None
        issues = data.get("issues")
        if isinstance(issues, list):
            for i, raw in enumerate(issues):
                if not isinstance(raw, dict):
                    continue
                iid = raw.get("id")
                if first_issue is None:
                    first_issue = iid
                kind = _value_kind(raw)
                if isinstance(iid, str):
                    kinds.setdefault(iid, kind)
                if "range" in raw:
                    raw["range"] = _conv(raw["range"], money, f"issues.{i}.range", kind)

        def kind_of(iid: Any) -> _ValueKind:
            return kinds.get(iid) if isinstance(iid, str) else None

        parties = data.get("parties")
        rat_issue_of: dict[Any, Any] = {}
        if isinstance(parties, dict):
            for pname, party in parties.items():
                if not isinstance(party, dict):
                    continue
                base = f"parties.{pname}"
                util = party.get("utility")
                if isinstance(util, dict):
                    for iid, spec in util.items():
                        if not isinstance(spec, dict):
                            continue
                        for key in ("ideal", "reservation", "points"):
                            if key in spec:
                                spec[key] = _conv(
                                    spec[key],
                                    money,
                                    f"{base}.utility.{iid}.{key}",
                                    kind_of(iid),
                                    points=key == "points",
                                )
                rat = party.get("ratification")
                rat_issue = first_issue
                if isinstance(rat, dict):
                    rat_issue = rat.get("issue") or first_issue
                    for key in ("approval_threshold", "belief"):
                        if key in rat and rat[key] != "central":
                            rat[key] = _conv(
                                rat[key], money, f"{base}.ratification.{key}", kind_of(rat_issue)
                            )
                rat_issue_of[pname] = rat_issue
        proto = data.get("protocol")
        if isinstance(proto, dict) and isinstance(proto.get("events"), list):
            for k, ev in enumerate(proto["events"]):
                if not isinstance(ev, dict):
                    continue
                blocks = [(ev.get("effects"), f"protocol.events.{k}.effects")]
                if isinstance(ev.get("branches"), list):
                    blocks += [
                        (b.get("effects"), f"protocol.events.{k}.branches.{j}.effects")
                        for j, b in enumerate(ev["branches"])
                        if isinstance(b, dict)
                    ]
                owner = ev.get("party")
                for eff, where in blocks:
                    if not isinstance(eff, dict):
                        continue
                    for key in ("reservation", "ideal"):
                        if isinstance(eff.get(key), dict):
                            eff[key] = {
                                iid: _conv(v, money, f"{where}.{key}.{iid}", kind_of(iid))
                                for iid, v in eff[key].items()
                            }
                    if "approval_threshold" in eff:
                        rat_issue = rat_issue_of.get(owner) if isinstance(owner, str) else None
                        eff["approval_threshold"] = _conv(
                            eff["approval_threshold"],
                            money,
                            f"{where}.approval_threshold",
                            kind_of(rat_issue),
                        )
        actors = data.get("actors")
        if isinstance(actors, list):
            for k, actor in enumerate(actors):
                if isinstance(actor, dict) and "position" in actor:
                    iid = actor.get("issue") or first_issue
                    actor["position"] = _conv(
                        actor["position"], money, f"actors.{k}.position", kind_of(iid)
                    )
        hindsight = data.get("hindsight")
        if isinstance(hindsight, dict) and isinstance(hindsight.get("values"), dict):
            hindsight["values"] = {
                iid: _conv(v, money, f"hindsight.values.{iid}", kind_of(iid))
                for iid, v in hindsight["values"].items()
            }
        return data

    # -- cross-field checks ----------------------------------------------------------------
    @model_validator(mode="after")
    def _cross_check(self) -> Scenario:
        issue_ids = [i.id for i in self.issues]
        for k, iid in enumerate(issue_ids):
            if iid in issue_ids[:k]:
                raise err("issue ids must be distinct", f"issues.{k}.id", iid, "a new issue id")
        if not 2 <= len(self.parties) <= MAX_PARTIES:
            raise err(
                f"a scenario has from 2 to {MAX_PARTIES} parties at the table "
                "(put other stakeholders under 'actors')",
                "parties",
                list(self.parties)[:8],
                expected=f"2 to {MAX_PARTIES} parties",
            )
        if MEDIATOR in self.parties:
            raise err(
                f"{MEDIATOR!r} names the single text's mediator in transcripts; it cannot name a "
                "party",
                f"parties.{MEDIATOR}",
                MEDIATOR,
                expected="another party name",
            )
        for pname, party in self.parties.items():
            self._check_party(pname, party, issue_ids)
        self._check_protocol(issue_ids)
        self._check_decision_rule()
        self._check_actors(issue_ids)
        self._check_provenance()
        self._check_hindsight()
        return self

    def _check_party(self, pname: str, party: Party, issue_ids: list[str]) -> None:
        base = f"parties.{pname}"
        self._check_deadline_belief(party.deadline_belief, f"{base}.deadline_belief")
        if party.utility_rules is not None:
            self._check_rules(pname, party)
            return
        for iid in party.utility:
            if iid not in issue_ids:
                raise err(
                    f"utility for an unknown issue {iid!r}",
                    f"{base}.utility.{iid}",
                    iid,
                    expected=f"one of {issue_ids}",
                )
        for iid in issue_ids:
            if iid not in party.utility:
                raise err(
                    f"no utility given for issue {iid!r}",
                    f"{base}.utility",
                    sorted(party.utility),
                    expected=f"an entry for every issue {issue_ids}",
                )
        weights = {i: central(party.utility[i].weight) for i in issue_ids}
        total = math.fsum(weights.values())
        if abs(total - 1.0) > _WEIGHT_TOLERANCE:
            raise err(
                f"issue weights must sum to 1 (they sum to {total:.6g})",
                f"{base}.utility",
                {i: round(w, 9) for i, w in weights.items()},
                expected="weights summing to 1 (within 1e-6)",
            )
        for issue in self.issues:
            check_issue_utility(issue, party.utility[issue.id], f"{base}.utility.{issue.id}")
        rat = party.ratification
        if rat is None:
            return
        where = f"{base}.ratification"
        iid = rat.issue or issue_ids[0]
        if iid not in issue_ids:
            raise err(
                "ratification refers to an unknown issue",
                f"{where}.issue",
                iid,
                expected=f"one of {issue_ids}",
            )
        if self.issue(iid).kind == "categorical":
            raise err(
                "ratification needs a numeric issue",
                f"{where}.issue",
                iid,
                expected=f"a continuous or integer issue among {issue_ids}",
            )
        if rat.approval_threshold is not None:
            check_value(self.issue(iid), rat.approval_threshold, f"{where}.approval_threshold")
        if rat.belief is not None:
            if rat.approval_threshold is None:
                raise err(
                    "a belief about the ratifier needs its approval_threshold",
                    f"{where}.belief",
                    rat.belief,
                    expected="an approval_threshold as well",
                )
            if rat.belief != "central":
                check_value(self.issue(iid), rat.belief, f"{where}.belief")

    def _check_deadline_belief(self, belief: dt.date | Distribution | None, field: str) -> None:
        """A deadline belief lies from ``protocol.start`` to :data:`MAX_BELIEF_DAYS` after it.

        A belief *after* the horizon is allowed: a party may think the talks have longer than
        the simulation runs (it then never reaches ``t = 1``); see docs/reference/scenario.md.
        """
        if belief is None:
            return
        start = self.protocol.start
        if isinstance(belief, Distribution):
            lo, hi = belief.support()
            if not (lo >= 0.0 and hi <= MAX_BELIEF_DAYS):
                raise err(
                    "a deadline belief counts days after protocol.start, from 0 to "
                    f"{MAX_BELIEF_DAYS:,}, for every value the distribution can take",
                    field,
                    belief.to_yaml(),
                    expected=f"a distribution of days in [0, {MAX_BELIEF_DAYS:,}] (truncate a "
                    "normal: {truncated_normal: [mean, sd, 0, high]})",
                )
            return
        days = (belief - start).days
        if not 0 <= days <= MAX_BELIEF_DAYS:
            raise err(
                "a deadline belief before the talks start"
                if days < 0
                else f"a deadline belief more than {MAX_BELIEF_DAYS:,} days after the start",
                field,
                belief.isoformat(),
                expected=f"a date from protocol.start {start.isoformat()} to "
                f"{(start + dt.timedelta(days=MAX_BELIEF_DAYS)).isoformat()}",
            )

    def _check_rules(self, pname: str, party: Party) -> None:
        """A non-linear party: rules over integer issues only, no per-issue utility, no ratifier."""
        base = f"parties.{pname}"
        assert party.utility_rules is not None
        if party.utility:
            raise err(
                "give either a utility per issue or utility_rules, not both",
                f"{base}.utility",
                sorted(party.utility),
                expected="no 'utility' beside 'utility_rules'",
            )
        if party.ratification is not None:
            raise err(
                "a party with utility_rules cannot have a ratifier",
                f"{base}.ratification",
                party.ratification.body,
                expected="no ratification (ratifiers need a utility per issue)",
            )
        for k, rule in enumerate(party.utility_rules.rules):
            for iid, (lo, hi) in rule.ranges.items():
                field = f"{base}.utility_rules.rules.{k}.ranges.{iid}"
                kinds = {i.id: i for i in self.issues}
                if iid not in kinds:
                    raise err(
                        "a rule names an unknown issue",
                        field,
                        iid,
                        expected=f"one of {list(kinds)}",
                    )
                issue = kinds[iid]
                if issue.kind != "integer":
                    raise err(
                        "rules constrain integer issues only",
                        field,
                        issue.kind,
                        expected="an issue of kind integer",
                    )
                assert issue.range is not None
                if not (lo.is_integer() and hi.is_integer()):
                    raise err(
                        "a rule's range on an integer issue needs whole numbers",
                        field,
                        [lo, hi],
                        expected="[low, high] as whole numbers",
                    )
                if lo < issue.range[0] or hi > issue.range[1]:
                    raise err(
                        "a rule's range goes outside the issue's range",
                        field,
                        [lo, hi],
                        expected=f"inside [{issue.range[0]:g}, {issue.range[1]:g}]",
                    )

    def _check_protocol(self, issue_ids: list[str]) -> None:
        parties = list(self.parties)
        if self.protocol.first_mover not in parties:
            raise err(
                "first_mover must be one of the parties",
                "protocol.first_mover",
                self.protocol.first_mover,
                expected=f"one of {parties}",
            )
        first, last = self.event_window()
        for k, ev in enumerate(self.protocol.events):
            where = f"protocol.events.{k}"
            if not first <= ev.date <= last:
                raise err(
                    f"event date outside the talks' calendar (more than {EVENT_WINDOW_DAYS:,} "
                    "days, about five years, before the as-of date or start, or after the end)",
                    f"{where}.date",
                    ev.date.isoformat(),
                    expected=f"a date from {first.isoformat()} to {last.isoformat()}",
                )
            if ev.party is not None and ev.party not in parties:
                raise err(
                    "event names an unknown party",
                    f"{where}.party",
                    ev.party,
                    expected=f"one of {parties}",
                )
            blocks = [(ev.effects, f"{where}.effects")]
            if ev.branches is not None:
                blocks = [
                    (b.effects, f"{where}.branches.{j}.effects") for j, b in enumerate(ev.branches)
                ]
            if not any(eff is not None for eff, _ in blocks):
                continue
            if ev.party is None:
                raise ScenarioError(
                    "an event with effects must name its party",
                    field=f"{where}.party",
                    expected=f"one of {parties}",
                )
            uncertain = ev.branches is not None or ev.probability < 1.0
            for eff, field in blocks:
                if eff is not None:
                    self._check_effects(ev.party, eff, field, issue_ids, uncertain=uncertain)

    def _check_decision_rule(self) -> None:
        """A majority's quota is a majority of the parties (more than half, at most all)."""
        p = len(self.parties)
        quota = self.protocol.quota
        if quota is not None and not p // 2 + 1 <= quota <= p:
            raise err(
                f"a quota must be a majority of the {p} parties",
                "protocol.quota",
                quota,
                expected=f"a whole number from {p // 2 + 1} to {p}",
            )

    def _check_effects(
        self, pname: str, eff: EventEffects, where: str, issue_ids: list[str], *, uncertain: bool
    ) -> None:
        """One block of event effects on party ``pname`` (``where``: its field path); effects
        that apply in some sessions only (``uncertain``) may change a ratifier's threshold but
        not give one to a ratifier that has none."""
        party = self.parties[pname]
        for key, values in (("reservation", eff.reservation), ("ideal", eff.ideal)):
            for iid in values or {}:
                if iid not in issue_ids:
                    raise err(
                        f"event changes the {key} of an unknown issue",
                        f"{where}.{key}.{iid}",
                        iid,
                        expected=f"one of {issue_ids}",
                    )
                if party.utility_rules is not None:
                    raise err(
                        f"a party with utility_rules has no {key} per issue",
                        f"{where}.{key}.{iid}",
                        iid,
                        expected=f"no {key} effects for this party",
                    )
        for iid, v in (eff.ideal or {}).items():
            field = f"{where}.ideal.{iid}"
            issue = self.issue(iid)
            if issue.kind == "categorical":
                raise err(
                    "an event changes the ideal of a numeric issue only (a categorical issue's "
                    "utility is its scores)",
                    field,
                    shown(v),
                    expected="a continuous or integer issue",
                )
            check_value(issue, v, field)
            base = party.utility[iid]
            moved = base.model_copy(update={"ideal": v})
            up = direction(issue, base) > 0
            res = (eff.reservation or {}).get(iid, base.reservation)
            if isinstance(res, str):
                continue
            if res is not None:
                walk = central(res)
                if (up and central(v) <= walk) or (not up and central(v) >= walk):
                    side = "above" if up else "below"
                    raise err(
                        f"the new ideal must lie {side} the party's walk-away point ({walk:g}): "
                        f"it prefers {'higher' if up else 'lower'} values",
                        field,
                        shown(v),
                        expected=f"an ideal {side} {walk:g}",
                    )
            elif direction(issue, moved) != direction(issue, base):
                raise err(
                    "the new ideal turns the party's preference round (without a reservation, "
                    "the end of the range nearer the ideal is the good end)",
                    field,
                    shown(v),
                    expected="an ideal nearer the same end of the range, or 'prefers'",
                )
        for iid, r in (eff.reservation or {}).items():
            field = f"{where}.reservation.{iid}"
            issue = self.issue(iid)
            check_value(issue, r, field)
            if issue.kind != "categorical":
                u = party.utility[iid]
                if eff.ideal and iid in eff.ideal:
                    u = u.model_copy(update={"ideal": eff.ideal[iid]})
                check_side(issue, u, r, field)
        if eff.approval_threshold is not None:
            field = f"{where}.approval_threshold"
            if party.ratification is None:
                raise err(
                    f"party {pname} has no ratification to change",
                    field,
                    shown(eff.approval_threshold),
                    expected="a ratification block on the party first",
                )
            if uncertain and party.ratification.approval_threshold is None:
                raise err(
                    "an uncertain event can change a ratifier's approval_threshold, not give one "
                    "to a ratifier that has none",
                    field,
                    shown(eff.approval_threshold),
                    expected=f"an approval_threshold in parties.{pname}.ratification first",
                )
            iid = party.ratification.issue or issue_ids[0]
            check_value(self.issue(iid), eff.approval_threshold, field)

    def _check_actors(self, issue_ids: list[str]) -> None:
        parties = list(self.parties)
        seen: set[str] = set()
        for k, actor in enumerate(self.actors):
            if actor.id in seen:
                raise err("actor ids must be distinct", f"actors.{k}.id", actor.id, "a new id")
            seen.add(actor.id)
            if actor.party is not None and actor.party not in parties:
                raise err(
                    "actor belongs to an unknown party",
                    f"actors.{k}.party",
                    actor.party,
                    expected=f"one of {parties}",
                )
            iid = actor.issue or issue_ids[0]
            if iid not in issue_ids:
                raise err(
                    "actor takes a position on an unknown issue",
                    f"actors.{k}.issue",
                    iid,
                    expected=f"one of {issue_ids}",
                )
            check_value(self.issue(iid), actor.position, f"actors.{k}.position")

    def _check_provenance(self) -> None:
        if not self.provenance:
            return
        tree = self.model_dump(exclude={"provenance"})
        for k, prov in enumerate(self.provenance):
            if not _resolves(tree, prov.field.split(".")):
                raise err(
                    "provenance names a field the scenario does not have",
                    f"provenance.{k}.field",
                    prov.field,
                    expected="the dotted path of a value in this file, e.g. money.fx.USD",
                )

    def _check_hindsight(self) -> None:
        h = self.hindsight
        if h is None:
            return
        if h.date < self.as_of:
            raise err(
                "hindsight must come after as_of",
                "hindsight.date",
                h.date.isoformat(),
                expected=f"a date after {self.as_of.isoformat()}",
            )
        for iid, v in h.values.items():
            if iid not in self.issue_ids:
                raise err(
                    "hindsight names an unknown issue",
                    f"hindsight.values.{iid}",
                    iid,
                    expected=f"one of {self.issue_ids}",
                )
            check_value(self.issue(iid), v, f"hindsight.values.{iid}")
        if h.outcome == "no_agreement" and h.values:
            raise err("no agreement has no agreed values", "hindsight.values", dict(h.values))
        for name in h.by_party:
            if name not in self.parties:
                raise err(
                    "hindsight names an unknown party",
                    f"hindsight.by_party.{name}",
                    name,
                    expected=f"one of {list(self.parties)}",
                )

    # -- convenience -----------------------------------------------------------------------
    def event_window(self) -> tuple[dt.date, dt.date]:
        """The dates an event may carry: from :data:`EVENT_WINDOW_DAYS` before the earlier of
        ``as_of`` and ``protocol.start`` to as many days after the protocol's end (``horizon``,
        or ``deadline``). A date outside (1900, 9999) is almost surely a typo."""
        span = dt.timedelta(days=EVENT_WINDOW_DAYS)
        earliest = min(self.as_of, self.protocol.start)
        first = earliest - span if earliest > dt.date.min + span else dt.date.min
        end = self.protocol.end
        last = end + span if end < dt.date.max - span else dt.date.max
        return first, last

    def issue(self, issue_id: str) -> Issue:
        """The issue called ``issue_id`` (KeyError if there is none)."""
        for issue in self.issues:
            if issue.id == issue_id:
                return issue
        raise KeyError(issue_id)

    @property
    def issue_ids(self) -> list[str]:
        return [i.id for i in self.issues]

    @property
    def party_names(self) -> tuple[str, ...]:
        """The parties at the table, in the order the scenario lists them."""
        return tuple(self.parties)

    @property
    def bilateral(self) -> bool:
        """True with two parties at the table."""
        return len(self.parties) == 2

    def two_parties(self, what: str) -> tuple[str, str]:
        """The two parties, or a :class:`ScenarioError` saying that ``what`` needs exactly two.

        For the few things that are bilateral by nature (Rubinstein's game, a zone drawn in
        two dimensions); everything else takes any number of parties.
        """
        names = self.party_names
        if len(names) != 2:
            raise err(
                f"{what} needs exactly two parties; this scenario has {len(names)}",
                "parties",
                list(names)[:8],
                expected="two parties",
            )
        return (names[0], names[1])

    def other(self, party: str) -> str:
        """The other party of a bilateral scenario (ScenarioError with more than two)."""
        a, b = self.two_parties("'the other party'")
        return b if party == a else a

    def format_value(self, issue_id: str, value: float | str) -> str:
        """An issue value for people: money in every known currency, other units as written."""
        issue = self.issue(issue_id)
        if isinstance(value, str):
            return value
        if issue.is_money:
            return self.money.format(value)
        if issue.kind == "integer":
            n = round(value)
            unit = issue.unit[:-1] if n == 1 and issue.unit.endswith("s") else issue.unit
            return f"{n} {unit}".strip()
        return f"{value:,.4g} {issue.unit}".strip()


def _value_kind(raw_issue: dict[str, Any]) -> _ValueKind:
    if raw_issue.get("kind") == "categorical":
        return "category"
    return "money" if raw_issue.get("unit") == "money" else "number"


def _from_cost_rule(value: dict[str, Any], money: Money, field: str, kind: _ValueKind) -> float:
    """A money value from a demand rule of the stationing-cost model (:mod:`burdenshare.costs`).

    ``{cost_rule: "cost+50%"}`` applies the rule to DoD's average yearly obligations for forces
    in Korea, 2016-2019 ($13.4B / 4 = $3.35B, GAO-21-270); ``cost`` (an amount with its unit, such
    as ``"3.35 bn USD"``) replaces that base and ``current`` the current payment for rules such
    as ``+13%`` (default: the 2019 SMA contribution). The arithmetic is the one
    ``burdenshare costs --rule`` prints.
    """
    from burdenshare.costs.demand_rules import implied_demand
    from burdenshare.costs.indicators import annual_average
    from burdenshare.costs.model import Quantity, figure, parse_quantity, split_unit

    if kind != "money":
        raise err(
            "a cost rule gives money; this issue is not a money issue",
            field,
            value,
            expected="an issue with unit: money",
        )
    extra = set(value) - {"cost_rule", "cost", "current"}
    if extra:
        raise err(
            f"unknown key {sorted(extra)[0]!r} in a cost rule",
            field,
            value,
            expected="cost_rule, and optionally cost and current",
        )
    try:
        if "cost" in value:
            cost = parse_quantity(str(value["cost"]), name="cost")
        else:
            avg = annual_average(figure("gao_us_obligations"), figure("gao_years"))
            cost = Quantity(avg.value, avg.unit, "cost", f"GAO-21-270: {avg.arithmetic}")
        current = (
            parse_quantity(str(value["current"]), name="current")
            if "current" in value
            else figure("rok_sma_2019")
        )
        demand = implied_demand(str(value["cost_rule"]), cost=cost, current=current)
        currency, multiplier = split_unit(demand.unit)
        return money.to_base(demand.value * multiplier, currency, "one")
    except ScenarioError as exc:
        raise err(exc.message, field, value, expected=exc.expected) from None
    except ValueError as exc:
        raise err(str(exc), field, value, expected="an amount such as '3.35 bn USD'") from None


def _conv(value: Any, money: Money, field: str, kind: _ValueKind, points: bool = False) -> Any:
    """Replace money strings in ``value`` (a number, list or one-key distribution mapping), and
    a demand taken from the stationing-cost model (``{cost_rule: "cost+50%"}``)."""
    if kind is None or kind == "category":
        return value  # category names, or an undeclared issue that validation reports later
    if isinstance(value, dict) and "cost_rule" in value:
        return _from_cost_rule(value, money, field, kind)
    if isinstance(value, str):
        if not any(ch.isdigit() for ch in value):
            return value  # not an amount; reported as a wrong type later
        if kind != "money":
            raise err(
                "an amount with a currency is only allowed on a money issue (unit: money)",
                field,
                value,
                expected="a plain number",
            )
        try:
            return parse_money(value, money)
        except ValueError as exc:
            raise err(
                str(exc), field, value, expected="an amount such as '5 bn USD' or '1,038.9 bn KRW'"
            ) from None
    if isinstance(value, list):
        if points:
            return [
                [_conv(p[0], money, f"{field}.{i}.0", kind), *p[1:]]
                if isinstance(p, list) and p
                else p
                for i, p in enumerate(value)
            ]
        return [_conv(v, money, f"{field}.{i}", kind) for i, v in enumerate(value)]
    if isinstance(value, dict) and len(value) == 1 and not points:
        ((k, v),) = value.items()
        if isinstance(v, dict):
            return {
                k: {
                    kk: _conv(vv, money, f"{field}.{k}.{kk}", kind) if kk == "values" else vv
                    for kk, vv in v.items()
                }
            }
        return {k: _conv(v, money, f"{field}.{k}", kind)}
    return value


def _resolves(tree: Any, parts: list[str]) -> bool:
    """True if the dotted path ``parts`` (``*`` = any key or index) names a value in ``tree``.

    A key may itself hold dots (a party named ``U.S.``): several parts joined name it.
    """
    if not parts:
        return True
    head, rest = parts[0], parts[1:]
    if isinstance(tree, dict):
        if head == "*":
            return any(_resolves(v, rest) for v in tree.values())
        return any(
            ".".join(parts[:j]) in tree and _resolves(tree[".".join(parts[:j])], parts[j:])
            for j in range(1, len(parts) + 1)
        )
    if isinstance(tree, list | tuple):
        if head == "*":
            return any(_resolves(v, rest) for v in tree)
        return head.isdigit() and int(head) < len(tree) and _resolves(tree[int(head)], rest)
    return False
