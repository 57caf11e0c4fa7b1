"""The typed records of the record of rounds and of a case's public facts.

A *round* is one negotiation of a cost-sharing agreement (the 11th US-ROK SMA talks, the 2016
US-Japan SMA talks), from the expiry of the agreement in force to the outcome. Its
:class:`Facts` are what was public about it on a date; its :class:`RoundOutcome` is what happened.
:class:`RecordRound` holds both. The files they are read from are described in
docs/reference/record.md; :mod:`burdenshare.history.record` reads them.

Money is in the round's ``currency`` and ``scale`` (``KRW`` and ``billion`` for the SMAs since
2005); a figure stated in another currency keeps its words in ``stated`` and is converted with
the round's ``fx``.

Every fact carries its ``source`` (a public page or a file of the project's reference data) and
its ``confidence`` (:class:`~burdenshare.history.sma.Confidence`: ``sourced``, ``inferred`` or
``recalled``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from burdenshare.history.sma import Confidence

__all__ = [
    "Election",
    "Facts",
    "FxRate",
    "Meeting",
    "Position",
    "Ratifier",
    "RecordRound",
    "RoundOutcome",
    "StatusQuo",
]


@dataclass(frozen=True)
class StatusQuo:
    """The payment under the agreement in force: ``amount`` in ``year`` (the last year it covers).

    ``previous_amount`` is the year before's payment (for the naive "status quo + last
    increase" forecast), ``None`` when the record lacks it.
    """

    amount: float
    year: int
    previous_amount: float | None
    source: str
    confidence: Confidence = Confidence.SOURCED


@dataclass(frozen=True)
class Meeting:
    """A dated round of talks (``end`` for a meeting of several days)."""

    date: dt.date
    end: dt.date | None = None
    note: str = ""
    source: str = ""
    confidence: Confidence = Confidence.SOURCED


@dataclass(frozen=True)
class Position:
    """A public ask or offer: who, from when, how much (the round's currency and scale).

    ``date`` is the first day the figure was public. ``kind`` is ``ask`` for the party that asks
    for more (the demander), ``offer`` for the payer. ``stated`` keeps the published words
    ("about $5 billion a year").
    """

    date: dt.date
    party: str
    kind: Literal["ask", "offer"]
    amount: float
    stated: str
    source: str
    confidence: Confidence = Confidence.SOURCED
    note: str = ""


@dataclass(frozen=True)
class FxRate:
    """An exchange rate public from ``date``: ``rate`` units of the round's currency per unit
    of ``currency`` (``{"USD": 1126.2}`` is 1,126.2 won per dollar)."""

    date: dt.date
    currency: str
    rate: float
    source: str
    confidence: Confidence = Confidence.SOURCED


@dataclass(frozen=True)
class Election:
    """A scheduled election of one party (known in advance; its result is not a fact before it).

    ``change_of_government`` is what happened (``None`` in :class:`Facts` dated before the
    election, and when the record does not say). ``announced`` is the first day the election's
    date was public (a snap election, a dissolution); ``None`` means scheduled well in advance.
    """

    date: dt.date
    party: str
    kind: str
    note: str = ""
    change_of_government: bool | None = None
    source: str = ""
    confidence: Confidence = Confidence.SOURCED
    announced: dt.date | None = None


@dataclass(frozen=True)
class Ratifier:
    """The body whose consent the payer's (or demander's) side needs, and its rule."""

    party: str
    body: str
    rule: Literal["majority", "supermajority", "consensus"] = "majority"
    source: str = ""


@dataclass(frozen=True)
class Facts:
    """What was public about one round on ``as_of``: the input of the case builder.

    ``demander`` asks for more money (the host of the troops, in the SMAs the US); ``payer``
    pays it. ``fx`` gives units of ``currency`` per unit of another currency (``{"USD": 1126.0}``).
    ``expiry`` is the last day of the agreement in force (it may lie before ``as_of``: lapsed).
    ``positions``, ``meetings`` and ``elections`` hold only what was public (or scheduled) by
    ``as_of``. ``fx_history`` holds the dated rates behind ``fx`` (``fx`` is the latest of each
    currency public by ``as_of``).
    """

    alliance: str
    talks: str
    as_of: dt.date
    demander: str
    payer: str
    currency: str
    scale: str
    fx: dict[str, float]
    status_quo: StatusQuo
    expiry: dt.date
    talks_start: dt.date | None = None
    meetings: tuple[Meeting, ...] = ()
    positions: tuple[Position, ...] = ()
    elections: tuple[Election, ...] = ()
    ratifier: Ratifier | None = None
    sources: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    fx_history: tuple[FxRate, ...] = ()

    def latest(self, party: str) -> Position | None:
        """``party``'s latest public position by ``as_of`` (None if it named no figure)."""
        mine = [p for p in self.positions if p.party == party and p.date <= self.as_of]
        return max(mine, key=lambda p: p.date) if mine else None


@dataclass(frozen=True)
class RoundOutcome:
    """What happened in a round.

    ``agreement_date`` is the first day the deal was public (agreement in principle or
    initialling); ``signature_date`` the signing. ``first_year`` and ``first_year_amount`` are
    the agreement's first year; ``settlement_year`` and ``settlement_amount`` the year whose
    payment the asks and offers were about, the figure a forecast is scored on (the same year
    unless ``settlement_note`` says why not: the 11th SMA froze 2020 and settled 2021).
    ``lapse`` is true when the agreement in force expired before a successor was agreed.
    """

    agreed: bool
    agreement_date: dt.date | None
    signature_date: dt.date | None
    first_year: int | None
    first_year_amount: float | None
    settlement_year: int | None
    settlement_amount: float | None
    escalation: str = ""
    duration_years: int | None = None
    lapse: bool = False
    settlement_note: str = ""
    source: str = ""
    confidence: Confidence = Confidence.SOURCED

    @property
    def deal_date(self) -> dt.date | None:
        """The date a deal is scored at: the agreement date, else the signature date."""
        return self.agreement_date or self.signature_date


@dataclass(frozen=True)
class RecordRound:
    """One round of the record: every fact with its public date, and the outcome.

    ``facts`` holds everything the record knows about the talks (its ``as_of`` is the last
    public date in it); :func:`burdenshare.history.record.facts_as_of` cuts it to a date.
    ``as_of_dates`` are the dates the backtest forecasts from, each with a label. ``origin``
    names the file the round was read from.
    """

    id: str
    facts: Facts
    outcome: RoundOutcome
    as_of_dates: tuple[tuple[dt.date, str], ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    origin: str = ""
