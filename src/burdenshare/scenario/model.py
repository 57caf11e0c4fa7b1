"""The scenario: frozen, validated pydantic v2 records (see docs/reference/scenario.md).

Only :mod:`burdenshare.scenario` parses scenario files; every other module receives a validated
:class:`Scenario`. Numbers that may be uncertain are typed :data:`Uncertain` and read through
:func:`~burdenshare.scenario.distributions.central` until sampling is used.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from burdenshare.scenario.distributions import Distribution, Uncertain, central
from burdenshare.scenario.units import Money, parse_money

__all__ = [
    "Actor",
    "Event",
    "EventEffects",
    "Issue",
    "IssueUtility",
    "Party",
    "Protocol",
    "Provenance",
    "Ratification",
    "Scenario",
]

Slug = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]
Text = Annotated[str, StringConstraints(max_length=2000)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _bounded(value: float | Distribution, lo: float, hi: float, *, lo_open: bool, hi_open: bool) -> bool:
    a, b = (value.support() if isinstance(value, Distribution) else (value, value))
    ok_lo = a > lo if lo_open else a >= lo
    ok_hi = b < hi if hi_open else b <= hi
    return ok_lo and ok_hi


class Issue(_Frozen):
    """One negotiated issue: a continuous or integer range, or a set of categories."""

    id: Slug
    kind: Literal["continuous", "integer", "categorical"] = "continuous"
    unit: Annotated[str, StringConstraints(max_length=40)] = ""
    range: tuple[float, float] | None = None
    values: tuple[Annotated[str, StringConstraints(max_length=100)], ...] | None = None
    description: Text = ""

    @model_validator(mode="after")
    def _check(self) -> Issue:
        if self.kind == "categorical":
            if self.range is not None:
                raise ValueError("a categorical issue lists its 'values', not a 'range'")
            if not self.values or len(self.values) < 2:
                raise ValueError("a categorical issue needs at least two 'values'")
            if len(set(self.values)) != len(self.values):
                raise ValueError(f"categorical values must be distinct, got {list(self.values)}")
        else:
            if self.values is not None:
                raise ValueError(f"a {self.kind} issue takes a 'range', not 'values'")
            if self.range is None:
                raise ValueError(f"a {self.kind} issue needs a 'range: [low, high]'")
            lo, hi = self.range
            if not (math.isfinite(lo) and math.isfinite(hi)):
                raise ValueError(f"range must be finite, got {list(self.range)}")
            if not lo < hi:
                raise ValueError(f"range is empty: low {lo} must be below high {hi}")
            if self.kind == "integer" and not (lo.is_integer() and hi.is_integer()):
                raise ValueError(f"an integer issue needs whole-number bounds, got {list(self.range)}")
        return self

    @property
    def is_money(self) -> bool:
        return self.unit == "money"

    def contains(self, x: float | str) -> bool:
        if self.kind == "categorical":
            return x in (self.values or ())
        assert self.range is not None
        return isinstance(x, int | float) and self.range[0] <= x <= self.range[1]


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
    points: tuple[tuple[float, float], ...] = ()
    scores: dict[str, float] | None = None

    @model_validator(mode="after")
    def _check(self) -> IssueUtility:
        if not _bounded(self.weight, 0.0, 1.0, lo_open=False, hi_open=False):
            raise ValueError(f"weight must lie in [0, 1], got {self.weight}")
        if self.shape == "piecewise" and not self.points:
            raise ValueError("a piecewise utility needs 'points: [[value, utility], ...]'")
        if self.shape == "linear" and self.points:
            raise ValueError("'points' need 'shape: piecewise'")
        for x, u in self.points:
            if not (math.isfinite(x) and 0.0 < u < 1.0):
                raise ValueError(
                    f"piecewise points are [value, utility] with utility strictly between 0 and 1, got [{x}, {u}]"
                )
        if self.scores is not None:
            for cat, u in self.scores.items():
                if not (math.isfinite(u) and 0.0 <= u <= 1.0):
                    raise ValueError(f"score of {cat!r} must lie in [0, 1], got {u}")
        return self


class Ratification(_Frozen):
    """A domestic ratifier that must approve the deal (Putnam's level II).

    ``approval_threshold`` is the worst value on ``issue`` (for the party it belongs to) that the
    ratifier approves; it may be uncertain.
    """

    body: Annotated[str, StringConstraints(max_length=100)]
    rule: Literal["majority", "supermajority", "consensus", "executive"] = "majority"
    issue: Slug | None = None
    approval_threshold: Uncertain | str | None = None
    note: Text = ""


class Party(_Frozen):
    """One side at the table: its utility per issue, impatience, ratifier and outside option."""

    utility: dict[Slug, IssueUtility]
    discount_per_round: Uncertain = 1.0
    outside_option: Uncertain = 0.0
    ratification: Ratification | None = None
    description: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _none_ratification(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("ratification") == "none":
            data = {**data, "ratification": None}
        return data

    @model_validator(mode="after")
    def _check(self) -> Party:
        if not _bounded(self.discount_per_round, 0.0, 1.0, lo_open=True, hi_open=False):
            raise ValueError(f"discount_per_round must lie in (0, 1], got {self.discount_per_round}")
        if not _bounded(self.outside_option, 0.0, 1.0, lo_open=False, hi_open=True):
            raise ValueError(
                f"outside_option is a utility in [0, 1) (0 = walking away is worth the reservation), "
                f"got {self.outside_option}"
            )
        return self


class EventEffects(_Frozen):
    """What a dated event changes for its party from that date on."""

    reservation: dict[Slug, Uncertain | str] | None = None
    discount_per_round: Uncertain | None = None
    outside_option: Uncertain | None = None
    approval_threshold: Uncertain | str | None = None


class Event(_Frozen):
    """A dated event: an election, a cost (such as a furlough), a statement."""

    date: dt.date
    kind: Literal["election", "cost", "deadline", "statement", "ratification", "other"]
    party: Slug | None = None
    note: Text = ""
    effects: EventEffects | None = None


class Protocol(_Frozen):
    """How the talks run: who opens, when rounds happen, deadlines and the risk of breakdown."""

    kind: Literal["alternating_offers"] = "alternating_offers"
    first_mover: Slug
    start: dt.date
    round_every_days: Annotated[int, Field(ge=1, le=3650)] = 30
    deadline: dt.date
    horizon: dt.date | None = None
    max_rounds: Annotated[int, Field(ge=1, le=10_000)] | None = None
    breakdown_risk_per_round: Uncertain = 0.0
    events: tuple[Event, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Protocol:
        if not self.start < self.deadline:
            raise ValueError(
                f"dates out of order: start {self.start} must come before deadline {self.deadline}"
            )
        if self.horizon is not None and self.horizon < self.deadline:
            raise ValueError(
                f"dates out of order: horizon {self.horizon} must not come before deadline {self.deadline}"
            )
        for a, b in zip(self.events, self.events[1:], strict=False):
            if b.date < a.date:
                raise ValueError(f"dates out of order: events must be listed by date ({a.date} then {b.date})")
        if not _bounded(self.breakdown_risk_per_round, 0.0, 1.0, lo_open=False, hi_open=True):
            raise ValueError(
                f"breakdown_risk_per_round must lie in [0, 1), got {self.breakdown_risk_per_round}"
            )
        return self

    @property
    def end(self) -> dt.date:
        """The last date on which a round may take place."""
        return self.horizon or self.deadline

    def round_dates(self) -> list[dt.date]:
        """Calendar dates of every round from ``start`` up to the end (and ``max_rounds``)."""
        out: list[dt.date] = []
        day = self.start
        while day <= self.end and (self.max_rounds is None or len(out) < self.max_rounds):
            out.append(day)
            day = day + dt.timedelta(days=self.round_every_days)
        return out


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
        if not _bounded(self.salience, 0.0, 1.0, lo_open=False, hi_open=False):
            raise ValueError(f"salience must lie in [0, 1], got {self.salience}")
        if not _bounded(self.capability, 0.0, math.inf, lo_open=False, hi_open=True):
            raise ValueError(f"capability must be >= 0, got {self.capability}")
        return self


class Provenance(_Frozen):
    """Where a value came from: a source, an assumption with its reasoning, or hindsight."""

    field: Annotated[str, StringConstraints(max_length=200)]
    kind: Literal["source", "assumption", "hindsight"]
    note: Text
