"""The scenario: frozen, validated pydantic v2 records (see docs/reference/scenario.md).

Only :mod:`burdenshare.scenario` parses scenario files; every other module receives a validated
:class:`~burdenshare.scenario.scenario.Scenario`. Numbers that may be uncertain are typed
:data:`Uncertain` and read through :func:`~burdenshare.scenario.distributions.central` until
sampling is used.

Validators raise :class:`~burdenshare.scenario.units.FieldError` naming the exact key at fault
(``range``, ``points.1``, ``deadline``), so an error points at the offending line of the file.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from burdenshare.scenario.distributions import Distribution, Uncertain, parse_uncertain
from burdenshare.scenario.units import FieldError

__all__ = [
    "MAX_BELIEF_DAYS",
    "MAX_ROUNDS",
    "Actor",
    "Event",
    "EventBranch",
    "EventEffects",
    "Hindsight",
    "Issue",
    "IssueUtility",
    "Party",
    "PartyHindsight",
    "Protocol",
    "Provenance",
    "Ratification",
    "UtilityRule",
    "UtilityRules",
]

#: most rounds a protocol may schedule (``max_rounds`` or the dates from start to the end)
MAX_ROUNDS = 10_000
#: the latest deadline belief, in days after ``protocol.start`` (about a century: later is a typo)
MAX_BELIEF_DAYS = 36_525
#: the most parties at the table (NATO has 32 allies; room to spare, and every solver and the
#: compiled engine stay polynomial in it)
MAX_PARTIES = 64
#: protocol kinds: ``alternating_offers`` is the stacked alternating offers protocol (Aydogan et
#: al. 2017) with any number of parties (with two, Rubinstein's alternating offers);
#: ``stacked_alternating_offers`` is accepted as its other name; ``single_text`` is the mediated
#: single negotiating text (Raiffa 1982)
PROTOCOL_KINDS = ("alternating_offers", "single_text")

Slug = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]
Text = Annotated[str, StringConstraints(max_length=2000)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _bounded(
    value: float | Distribution, lo: float, hi: float, *, lo_open: bool, hi_open: bool
) -> bool:
    a, b = value.support() if isinstance(value, Distribution) else (value, value)
    ok_lo = a > lo if lo_open else a >= lo
    ok_hi = b < hi if hi_open else b <= hi
    return ok_lo and ok_hi


def _shown(value: Any) -> Any:
    """A value as the user wrote it (a distribution as its one-key mapping)."""
    return value.to_yaml() if isinstance(value, Distribution) else value


def _check_bounds(
    value: float | Distribution | None,
    field: str,
    lo: float,
    hi: float,
    *,
    lo_open: bool,
    hi_open: bool,
    meaning: str,
) -> None:
    if value is None or _bounded(value, lo, hi, lo_open=lo_open, hi_open=hi_open):
        return
    interval = f"{'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}"
    if isinstance(value, Distribution):
        expected = f"a {meaning} in {interval}, for every value the distribution can take"
    else:
        expected = f"a {meaning} in {interval}"
    raise FieldError(
        f"{field} must lie in {interval}", field=field, value=_shown(value), expected=expected
    )


class Issue(_Frozen):
    """One negotiated issue: a continuous or integer range, or a set of categories.

    >>> Issue(id="duration", kind="integer", unit="years", range=(1, 6)).contains(3)
    True
    """

    id: Slug
    kind: Literal["continuous", "integer", "categorical"] = "continuous"
    unit: Annotated[str, StringConstraints(max_length=40)] = ""
    range: tuple[float, float] | None = None
    values: tuple[Annotated[str, StringConstraints(min_length=1, max_length=100)], ...] | None = (
        None
    )
    description: Text = ""

    @model_validator(mode="after")
    def _check(self) -> Issue:
        if self.kind == "categorical":
            if self.range is not None:
                raise FieldError(
                    "a categorical issue lists its 'values', not a 'range'",
                    field="range",
                    value=list(self.range),
                    expected="values: [category, category, ...]",
                )
            if not self.values or len(self.values) < 2:
                raise FieldError(
                    "a categorical issue needs at least two 'values'",
                    field="values",
                    value=None if self.values is None else list(self.values),
                    expected="a list of two or more category names",
                )
            if len(set(self.values)) != len(self.values):
                raise FieldError(
                    "categorical values must be distinct",
                    field="values",
                    value=list(self.values),
                    expected="each category once",
                )
            return self
        if self.values is not None:
            raise FieldError(
                f"a {self.kind} issue takes a 'range', not 'values'",
                field="values",
                value=list(self.values),
                expected="range: [low, high] (or kind: categorical)",
            )
        if self.range is None:
            raise FieldError(
                f"a {self.kind} issue needs a range",
                field="range",
                has_value=False,
                expected="range: [low, high]",
            )
        lo, hi = self.range
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise FieldError(
                "the range must be finite",
                field="range",
                value=list(self.range),
                expected="[low, high] with finite numbers",
            )
        if not lo < hi:
            raise FieldError(
                "the range is empty",
                field="range",
                value=list(self.range),
                expected=f"[low, high] with low below high (low {lo:g}, high {hi:g})",
            )
        if self.kind == "integer" and not (lo.is_integer() and hi.is_integer()):
            raise FieldError(
                "an integer issue needs whole-number bounds",
                field="range",
                value=list(self.range),
                expected="[low, high] with whole numbers",
            )
        return self

    @property
    def is_money(self) -> bool:
        return self.unit == "money"

    @functools.cached_property
    def category_set(self) -> frozenset[str]:
        """The categories as a set, built once (a membership test per offer must not scan
        12,000 categories)."""
        return frozenset(self.values or ())

    def contains(self, x: float | str) -> bool:
        """True if ``x`` is a legal point of this issue."""
        if self.kind == "categorical":
            return x in self.category_set
        assert self.range is not None
        if isinstance(x, bool) or not isinstance(x, int | float):
            return False
        if self.kind == "integer" and not float(x).is_integer():
            return False
        return self.range[0] <= x <= self.range[1]


class IssueUtility(_Frozen):
    """A party's utility on one issue: 1 at ``ideal``, 0 at ``reservation`` (its walk-away point).

    Between them the utility is linear, or piecewise-linear through ``points`` ([value, utility]
    pairs, utilities strictly between 0 and 1). Beyond the ideal it stays 1; beyond the reservation
    it keeps falling below 0 (unacceptable). For a categorical issue, ``scores`` gives each
    category's utility instead and ``reservation`` names the worst acceptable category.
    """

    ideal: Uncertain | str | None = None
    reservation: Uncertain | str | None = None
    weight: Uncertain = 1.0
    prefers: Literal["higher", "lower"] | None = None
    shape: Literal["linear", "piecewise"] = "linear"
    points: tuple[tuple[float, float], ...] = Field(default=(), max_length=100)
    scores: dict[str, float] | None = None

    @model_validator(mode="after")
    def _check(self) -> IssueUtility:
        _check_bounds(
            self.weight, "weight", 0.0, 1.0, lo_open=False, hi_open=False, meaning="weight"
        )
        if self.shape == "piecewise" and not self.points:
            raise FieldError(
                "a piecewise utility needs points",
                field="points",
                has_value=False,
                expected="points: [[value, utility], ...]",
            )
        if self.shape == "linear" and self.points:
            raise FieldError(
                "points need 'shape: piecewise'",
                field="shape",
                value=self.shape,
                expected="shape: piecewise",
            )
        for k, (x, u) in enumerate(self.points):
            if not (math.isfinite(x) and 0.0 < u < 1.0):
                raise FieldError(
                    "a piecewise point is [value, utility] with the utility strictly inside (0, 1)",
                    field=f"points.{k}",
                    value=[x, u],
                    expected="[finite value, utility strictly between 0 and 1]",
                )
        for cat, u in (self.scores or {}).items():
            if not (math.isfinite(u) and 0.0 <= u <= 1.0):
                raise FieldError(
                    f"the score of {cat!r} must lie in [0, 1]",
                    field=f"scores.{cat}",
                    value=u,
                    expected="a utility in [0, 1]",
                )
        return self


class UtilityRule(_Frozen):
    """One hyper-rectangle of a non-linear utility: ``utility`` (in raw points, any sign) is
    earned by every outcome whose value of each issue in ``ranges`` lies in ``[low, high]``
    (inclusive). Issues not listed are unconstrained. The ANAC 2014 non-linear domains
    (Fujita et al. 2016) are sums of such rules."""

    utility: float
    ranges: dict[Slug, tuple[float, float]] = Field(min_length=1, max_length=64)

    @model_validator(mode="after")
    def _check(self) -> UtilityRule:
        if not math.isfinite(self.utility):
            raise FieldError(
                "a rule's utility must be a finite number",
                field="utility",
                value=self.utility,
                expected="a finite number",
            )
        for iid, (lo, hi) in self.ranges.items():
            if not (math.isfinite(lo) and math.isfinite(hi) and lo <= hi):
                raise FieldError(
                    "a rule's range is [low, high] with low <= high",
                    field=f"ranges.{iid}",
                    value=[lo, hi],
                    expected="[low, high], finite, low <= high",
                )
        return self


class UtilityRules(_Frozen):
    """A non-linear utility: the sum of the utilities of the rules an outcome satisfies, divided
    by ``scale`` (GENIUS's ``maxutility``), so the best outcome is usually worth 1."""

    scale: float = 1.0
    rules: tuple[UtilityRule, ...] = Field(min_length=1, max_length=10_000)

    @model_validator(mode="after")
    def _check(self) -> UtilityRules:
        if not (math.isfinite(self.scale) and self.scale > 0):
            raise FieldError(
                "scale must be a positive number",
                field="scale",
                value=self.scale,
                expected="a number > 0 (the utility of the best outcome in raw points)",
            )
        return self


class Ratification(_Frozen):
    """A domestic ratifier that must approve the deal (Putnam's level II).

    ``approval_threshold`` is the worst value on ``issue`` (for the party it belongs to) that the
    ratifier approves; it may be uncertain. ``issue`` defaults to the scenario's first issue and
    must be numeric. ``belief`` is what the party's own negotiator thinks that threshold is: left
    out, the negotiator knows it exactly (complete information); ``central``, it knows only the
    central value of the threshold's distribution; a number (or a distribution), its own estimate.
    With incomplete information an accepted deal can fail ratification (Iida 1993).
    """

    body: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    rule: Literal["majority", "supermajority", "consensus", "executive"] = "majority"
    issue: Slug | None = None
    approval_threshold: Uncertain | str | None = None
    belief: Uncertain | str | None = None
    note: Text = ""


def _check_party_numbers(
    discount: float | Distribution | None, outside: float | Distribution | None
) -> None:
    _check_bounds(
        discount,
        "discount_per_round",
        0.0,
        1.0,
        lo_open=True,
        hi_open=False,
        meaning="per-round discount factor",
    )
    _check_bounds(
        outside,
        "outside_option",
        -1.0,
        1.0,
        lo_open=False,
        hi_open=True,
        meaning="utility of walking away (0 = worth the reservation deal; below 0 = no deal "
        "is worse than that, as when a cost such as a furlough hits)",
    )


#: what a deadline belief may be, for error messages
BELIEF_EXPECTED = (
    "an ISO date on or after protocol.start (such as 2021-03-07), or a distribution of days "
    "after protocol.start (such as {triangular: [30, 90, 180]})"
)


def _parse_deadline_belief(value: Any) -> Any:
    """The YAML forms of a deadline belief: an ISO date, or a distribution of days after
    ``protocol.start``. A plain number is refused: it would be read as a date by pydantic."""
    if isinstance(value, dt.date | Distribution):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise FieldError("not an ISO date", value=value, expected=BELIEF_EXPECTED) from None
    if isinstance(value, dict):
        return parse_uncertain(value)
    raise FieldError(
        "a deadline belief is a date or a distribution of days after protocol.start, "
        "not a plain number",
        value=value,
        expected=BELIEF_EXPECTED,
    )


#: a party's deadline belief: a date, or a distribution of days after ``protocol.start``
DeadlineBelief = Annotated[dt.date | Distribution, BeforeValidator(_parse_deadline_belief)]


class Party(_Frozen):
    """One side at the table: its utility per issue, impatience, ratifier and outside option.

    Instead of a utility per issue a party may have ``utility_rules``, a non-linear utility
    (:class:`UtilityRules`); only the analysis of discrete outcome spaces handles those.
    """

    utility: dict[Slug, IssueUtility] = Field(default_factory=dict)
    utility_rules: UtilityRules | None = None
    discount_per_round: Uncertain = 1.0
    outside_option: Uncertain = 0.0
    ratification: Ratification | None = None
    #: the deadline this party's negotiator concedes against (None: ``protocol.deadline``);
    #: checked against ``protocol.start`` by :class:`~burdenshare.scenario.Scenario`
    deadline_belief: DeadlineBelief | None = None
    #: the party's weight in the weighted Nash solution (Kalai 1977; Roth 1979): only ratios
    #: between parties matter, and equal powers give the symmetric Nash solution
    bargaining_power: Annotated[float, Field(gt=0.0, allow_inf_nan=False)] = 1.0
    description: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _none_ratification(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("ratification") == "none":
            data = {**data, "ratification": None}
        return data

    @model_validator(mode="after")
    def _check(self) -> Party:
        _check_party_numbers(self.discount_per_round, self.outside_option)
        return self


class EventEffects(_Frozen):
    """What a dated event changes for its party from that date on (in the sessions where it
    happens, or where its branch is drawn)."""

    reservation: dict[Slug, Uncertain | str] | None = None
    #: a changed ideal (such as a new public ask) on numeric issues
    ideal: dict[Slug, Uncertain] | None = None
    discount_per_round: Uncertain | None = None
    outside_option: Uncertain | None = None
    approval_threshold: Uncertain | str | None = None

    @model_validator(mode="after")
    def _check(self) -> EventEffects:
        _check_party_numbers(self.discount_per_round, self.outside_option)
        return self


#: fewest and most branches an uncertain event may have
MIN_BRANCHES, MAX_BRANCHES = 2, 20
#: how far the branch probabilities of an event may sum away from 1
BRANCH_SUM_TOLERANCE = 1e-9


def _check_probability(value: float, field: str) -> None:
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise FieldError(
            "a probability must lie in [0, 1]",
            field=field,
            value=value,
            expected="a number from 0 to 1",
        )


class EventBranch(_Frozen):
    """One way an uncertain event can turn out (an election won, or lost): its probability and
    the effects that then apply together (tied), in the same session."""

    name: Slug
    probability: float
    #: None: nothing changes in this branch (such as the incumbent winning)
    effects: EventEffects | None = None
    note: Text = ""

    @model_validator(mode="after")
    def _check(self) -> EventBranch:
        _check_probability(self.probability, "probability")
        return self


class Event(_Frozen):
    """A dated event: an election, a cost (such as a furlough), a statement.

    An event's ``effects`` apply from its date on with ``probability`` (default 1: it happens);
    or the event has ``branches``, one of which is drawn per session with its probability, and
    all of that branch's effects apply together. See docs/reference/scenario.md#uncertain-events.
    """

    date: dt.date
    kind: Literal["election", "cost", "deadline", "statement", "ratification", "other"]
    party: Slug | None = None
    note: Text = ""
    effects: EventEffects | None = None
    probability: float = 1.0
    branches: tuple[EventBranch, ...] | None = None

    @model_validator(mode="before")
    @classmethod
    def _count_branches(cls, data: Any) -> Any:
        """Refuse too many branches before parsing each of them."""
        if isinstance(data, dict):
            branches = data.get("branches")
            if isinstance(branches, list | tuple) and not (
                MIN_BRANCHES <= len(branches) <= MAX_BRANCHES
            ):
                raise FieldError(
                    f"an event has from {MIN_BRANCHES} to {MAX_BRANCHES} branches, "
                    f"not {len(branches):,}",
                    field="branches",
                    value=f"{len(branches):,} branches",
                    expected=f"{MIN_BRANCHES} to {MAX_BRANCHES} branches",
                )
        return data

    @model_validator(mode="after")
    def _check(self) -> Event:
        _check_probability(self.probability, "probability")
        if self.branches is None:
            if self.probability != 1.0 and self.effects is None:
                raise FieldError(
                    "a probability applies to an event's effects; this event has none",
                    field="probability",
                    value=self.probability,
                    expected="effects: {...} beside the probability (or no probability)",
                )
            return self
        if self.effects is not None:
            raise FieldError(
                "give an event either effects or branches, not both",
                field="effects",
                has_value=False,
                expected="the effects inside each branch",
            )
        if "probability" in self.model_fields_set:
            raise FieldError(
                "an event with branches takes no probability: each branch has its own",
                field="probability",
                value=self.probability,
                expected="a probability on each branch, summing to 1",
            )
        names = [b.name for b in self.branches]
        for j, name in enumerate(names):
            if name in names[:j]:
                raise FieldError(
                    "branch names must be distinct",
                    field=f"branches.{j}.name",
                    value=name,
                    expected="a new branch name",
                )
        total = math.fsum(b.probability for b in self.branches)
        if abs(total - 1.0) > BRANCH_SUM_TOLERANCE:
            raise FieldError(
                f"the branch probabilities must sum to 1 (they sum to {total:.12g})",
                field="branches",
                value=[b.probability for b in self.branches],
                expected="probabilities summing to 1 (within 1e-9)",
            )
        return self

    @property
    def has_effects(self) -> bool:
        """True if the event can change a party's parameters in some session."""
        if self.branches is not None:
            return any(b.effects is not None for b in self.branches)
        return self.effects is not None and self.probability > 0.0


class Protocol(_Frozen):
    """How the talks run: who opens, when rounds happen, deadlines and the risk of breakdown.

    >>> p = Protocol(first_mover="US", start="2019-11-19", deadline="2019-12-31",
    ...              round_every_days=28)
    >>> [d.isoformat() for d in p.round_dates()]
    ['2019-11-19', '2019-12-17']
    """

    #: ``alternating_offers`` (the stacked alternating offers protocol; with two parties,
    #: Rubinstein's) or ``single_text`` (a mediator's single negotiating text);
    #: ``stacked_alternating_offers`` is read as ``alternating_offers``
    kind: Literal["alternating_offers", "single_text"] = "alternating_offers"
    #: who must accept an offer: every party (``unanimity``) or ``quota`` of them (``majority``)
    decision_rule: Literal["unanimity", "majority"] = "unanimity"
    #: under ``majority``, how many parties must accept, the proposer included (by default a
    #: simple majority, ``floor(P / 2) + 1``); see :meth:`needed`
    quota: Annotated[int, Field(ge=1, le=MAX_PARTIES)] | None = None
    #: under ``single_text``, how far the mediator moves the text after a rejection, as a share
    #: of each issue's range
    mediator_step: Annotated[float, Field(gt=0.0, le=1.0)] = 0.05
    first_mover: Slug
    start: dt.date
    round_every_days: Annotated[int, Field(ge=1, le=3650)] = 30
    deadline: dt.date
    horizon: dt.date | None = None
    max_rounds: Annotated[int, Field(ge=1, le=MAX_ROUNDS)] | None = None
    breakdown_risk_per_round: Uncertain = 0.0
    events: tuple[Event, ...] = Field(default=(), max_length=1000)
    #: ``private``: a negotiator sees the scenario's beliefs about its opponent, never the
    #: session's truth; ``complete``: it sees the opponent's true parameters
    information: Literal["private", "complete"] = "private"
    #: under ``private``, what those beliefs are: the scenario's distributions (``scenario``)
    #: or nothing but the issues (``uninformed``, as in GENIUS)
    opponent_prior: Literal["scenario", "uninformed"] = "scenario"

    @model_validator(mode="before")
    @classmethod
    def _kind_names(cls, data: Any) -> Any:
        """Read ``kind: stacked_alternating_offers`` as ``alternating_offers`` (one protocol)."""
        if isinstance(data, dict) and data.get("kind") == "stacked_alternating_offers":
            return {**data, "kind": "alternating_offers"}
        return data

    @model_validator(mode="after")
    def _check(self) -> Protocol:
        if self.quota is not None and self.decision_rule != "majority":
            raise FieldError(
                "a quota applies only under decision_rule: majority",
                field="quota",
                value=self.quota,
                expected="decision_rule: majority, or no quota",
            )
        if not self.start < self.deadline:
            raise FieldError(
                "dates out of order: the deadline must come after the start",
                field="deadline",
                value=self.deadline.isoformat(),
                expected=f"a date after start {self.start.isoformat()}",
            )
        if self.horizon is not None and self.horizon < self.deadline:
            raise FieldError(
                "dates out of order: the horizon must not come before the deadline",
                field="horizon",
                value=self.horizon.isoformat(),
                expected=f"a date on or after deadline {self.deadline.isoformat()}",
            )
        for k in range(1, len(self.events)):
            before, ev = self.events[k - 1], self.events[k]
            if ev.date < before.date:
                raise FieldError(
                    "dates out of order: events must be listed by date",
                    field=f"events.{k}.date",
                    value=ev.date.isoformat(),
                    expected=f"a date on or after {before.date.isoformat()} (the event before)",
                )
        if self.max_rounds is None and self._date_rounds() > MAX_ROUNDS:
            raise FieldError(
                f"more than {MAX_ROUNDS:,} rounds between start and "
                f"{'horizon' if self.horizon else 'deadline'}",
                field="horizon" if self.horizon else "deadline",
                value=self.end.isoformat(),
                expected="a nearer date, a longer round_every_days, or max_rounds",
            )
        if self.information == "complete" and self.opponent_prior != "scenario":
            raise FieldError(
                "opponent_prior applies only under information: private (with complete "
                "information each negotiator sees its opponent's true parameters)",
                field="opponent_prior",
                value=self.opponent_prior,
                expected="information: private, or no opponent_prior",
            )
        _check_bounds(
            self.breakdown_risk_per_round,
            "breakdown_risk_per_round",
            0.0,
            1.0,
            lo_open=False,
            hi_open=True,
            meaning="probability per round",
        )
        return self

    def needed(self, parties: int) -> int:
        """How many of ``parties`` must accept an offer (the proposer included) for it to pass.

        >>> p = Protocol(first_mover="A", start="2020-01-01", deadline="2020-02-01",
        ...              decision_rule="majority")
        >>> p.needed(2), p.needed(3), p.needed(5), p.model_copy(update={"quota": 4}).needed(5)
        (2, 2, 3, 4)
        """
        if self.decision_rule == "unanimity":
            return parties
        return self.quota if self.quota is not None else parties // 2 + 1

    @property
    def end(self) -> dt.date:
        """The last date on which a round may take place."""
        return self.horizon or self.deadline

    def _date_rounds(self) -> int:
        return (self.end - self.start).days // self.round_every_days + 1

    def round_dates(self) -> list[dt.date]:
        """Calendar dates of every round from ``start`` up to the end (and ``max_rounds``)."""
        n = self._date_rounds()
        if self.max_rounds is not None:
            n = min(n, self.max_rounds)
        step = dt.timedelta(days=self.round_every_days)
        return [self.start + k * step for k in range(n)]


class Actor(_Frozen):
    """A stakeholder for multi-actor models: position, salience (0-1) and capability (>= 0)."""

    id: Slug
    party: Slug | None = None
    issue: Slug | None = None
    position: Uncertain | str
    salience: Uncertain = 1.0
    capability: Uncertain = 1.0
    description: Text = ""

    @model_validator(mode="after")
    def _check(self) -> Actor:
        _check_bounds(
            self.salience, "salience", 0.0, 1.0, lo_open=False, hi_open=False, meaning="salience"
        )
        _check_bounds(
            self.capability,
            "capability",
            0.0,
            math.inf,
            lo_open=False,
            hi_open=True,
            meaning="capability",
        )
        return self


class PartyHindsight(_Frozen):
    """What one party did after ``as_of``, for comparison only (no model reads it).

    A multilateral pledge is kept or missed ally by ally: ``values`` holds the measured facts by
    name (``share_gdp_2024: 2.33``, the share of GDP an ally spent on defence in 2024). They are
    facts about the party, not values of the scenario's issues, so any name will do.
    """

    values: dict[Slug, float | str] = Field(default_factory=dict)
    note: Text = ""
    source: Text = ""


class Hindsight(_Frozen):
    """What actually happened after ``as_of``, for comparison only.

    No model reads this block: the solvers, negotiators and ensembles see only what was known on
    ``as_of``. Reports put their findings beside it, so a reader sees where the tool was right and
    where it was wrong. ``by_party`` records what each party did afterwards (a pledge kept or
    missed), keyed by party name.
    """

    outcome: Literal["agreement", "no_agreement"]
    #: the date of the agreement, or the end of the period in which none came
    date: dt.date
    #: the agreed value of each issue (issue units; money strings allowed), when there was one
    values: dict[Slug, float | str] = Field(default_factory=dict)
    note: Text = ""
    source: Text = ""
    #: what each party did after ``as_of`` (a pledge kept or missed), by party name
    by_party: dict[Slug, PartyHindsight] = Field(default_factory=dict)


class Provenance(_Frozen):
    """Where a value came from: a source, an assumption with its reasoning, or hindsight.

    ``field`` is the dotted path of the value (``parties.US.utility.contribution.ideal``); ``*``
    stands for any key or index (``parties.*.discount_per_round``).
    """

    field: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    kind: Literal["source", "assumption", "hindsight"]
    note: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
