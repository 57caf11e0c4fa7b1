"""What a negotiator may see: its :class:`PartyView` of the session and each round's state.

A negotiator sees its own parameters (as they stand on the round's date, after any dated events
and the session's overrides), the public protocol (round dates, deadline, first mover, breakdown
risk), the offers and responses so far, and what it *believes* of the other side,
:attr:`PartyView.opponent_estimate`. That belief follows ``protocol.information`` and
``protocol.opponent_prior`` (docs/reference/scenario.md, "Information"):

- ``complete``: the opponent's true parameters in this session (overrides applied, dated);
- ``private`` with ``opponent_prior: scenario`` (the default): the opponent's parameters at the
  scenario's central values, never the session's overrides, plus an
  :class:`~burdenshare.negotiation.prior.OpponentPrior` to sample from;
- ``private`` with ``opponent_prior: uninformed`` (GENIUS imports): ``None``; the negotiator
  knows only the issues and must learn from the offers.

Time is the party's own: :attr:`NegotiationState.time` runs from 0 on the first round's date to 1
on the date the party *believes* is the deadline (``parties.NAME.deadline_belief``, by default
``protocol.deadline``), not on the protocol's last round (:func:`believed_time`). The schedule's
position ``k / (K - 1)`` stays available as :attr:`NegotiationState.round_time`.

>>> Response.ACCEPT.value, Response("walk_away")
('accept', <Response.WALK_AWAY: 'walk_away'>)
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from burdenshare.negotiation.prior import OpponentPrior
from burdenshare.preferences import Outcome, PartyParameters
from burdenshare.scenario import Issue
from burdenshare.scenario.scenario import MEDIATOR  # the single text's proposer, named once

__all__ = [
    "MEDIATOR",
    "NegotiationState",
    "OpponentPrior",
    "PartyView",
    "PastOffer",
    "Response",
    "believed_time",
    "last_chance",
]


def last_chance(round_dates: Sequence[dt.date], deadline_belief: dt.date) -> dt.date:
    """The date of the last round held on or before ``deadline_belief``: in the party's belief,
    its last chance to agree (the first round's date when no round is that early).

    The round calendar is public, so a negotiator that believes the talks end on a date between
    two rounds knows the earlier round is its last: it plans to have conceded fully by then
    (GENIUS's convention, ``t = 1`` in the last round the agent expects).

    >>> d = dt.date
    >>> rounds = (d(2021, 1, 1), d(2021, 1, 31), d(2021, 3, 2))
    >>> last_chance(rounds, d(2021, 2, 20)), last_chance(rounds, d(2020, 12, 1))
    (datetime.date(2021, 1, 31), datetime.date(2021, 1, 1))
    """
    k = bisect.bisect_right(round_dates, deadline_belief) - 1
    return round_dates[max(k, 0)]


def believed_time(
    date: dt.date,
    start: dt.date,
    deadline_belief: dt.date,
    round_dates: Sequence[dt.date] = (),
) -> float:
    """A party's relative time on ``date``: ``min(1, days since start / days to its last
    chance)``.

    ``t = (date - start).days / (b - start).days`` with ``b`` the party's last chance before the
    deadline it believes in (:func:`last_chance` of ``round_dates``; the belief itself when no
    rounds are given), capped at 1 (a party past the deadline it believes in has nothing left to
    wait for), and 1 when ``b`` is on or before the start. The compiled engine computes the
    same quotient of whole days.

    >>> d = dt.date
    >>> believed_time(d(2021, 1, 16), d(2021, 1, 1), d(2021, 1, 31))  # halfway
    0.5
    >>> believed_time(d(2021, 3, 1), d(2021, 1, 1), d(2021, 1, 31))  # past the belief
    1.0
    >>> believed_time(d(2021, 1, 1), d(2021, 1, 1), d(2021, 1, 1))  # no time at all
    1.0
    >>> rounds = (d(2021, 1, 1), d(2021, 1, 16), d(2021, 1, 31))
    >>> believed_time(d(2021, 1, 16), d(2021, 1, 1), d(2021, 2, 20), rounds)  # last chance 1-31
    0.5
    """
    end = last_chance(round_dates, deadline_belief) if round_dates else deadline_belief
    span = (end - start).days
    if span <= 0:
        return 1.0
    return min(1.0, (date - start).days / span)


class Response(enum.Enum):
    """A responder's answer to an offer."""

    ACCEPT = "accept"
    REJECT = "reject"
    WALK_AWAY = "walk_away"


@dataclass(frozen=True)
class PastOffer:
    """An offer already made in this session, as every party saw it.

    ``round`` is the 0-based round index; ``proposer`` the party that made it (``"mediator"``
    for a single negotiating text). ``response`` is the decisive answer: ``ACCEPT`` if the offer
    passed the decision rule, else the first ``REJECT`` or ``WALK_AWAY`` given; ``responses``
    holds every answer given in the round, in the order they were asked (one with two parties
    under alternating offers). ``ratified`` is None unless the offer passed (then True if every
    ratifier approved it, False if one rejected it).
    """

    round: int
    proposer: str
    outcome: Outcome
    response: Response
    ratified: bool | None = None
    responses: tuple[tuple[str, Response], ...] = ()


@dataclass(frozen=True)
class PartyView:
    """A negotiator's view of one session, given once to :meth:`Negotiator.start`.

    ``params`` are the party's own parameters on the first round's date. ``opponent_estimate`` is
    what it believes of the opponent on that date, by ``information`` (see the module
    docstring): the truth under ``complete``, central values under ``private`` with the
    scenario's prior, ``None`` when uninformed. ``opponent_prior`` is the scenario's prior over
    the opponent (``private`` with ``opponent_prior: scenario`` only, else ``None``).
    ``opponents`` maps every other party, in listing order, to the same kind of estimate.
    With more than two parties there is no single opponent: ``opponent`` is ``None``, and
    ``opponent_estimate`` and ``opponent_prior`` are ``None`` (read ``opponents``).
    ``deadline_round`` is the index of the last round on or before ``protocol.deadline``; rounds
    after it run until the horizon. ``start`` is the first round's date and ``deadline_belief``
    the deadline this party concedes against in this session (see :func:`believed_time`).
    """

    party: str
    opponent: str | None
    params: PartyParameters
    opponent_estimate: PartyParameters | None
    issues: tuple[Issue, ...]
    round_dates: tuple[dt.date, ...]
    deadline_round: int
    first_mover: str
    breakdown_risk: float
    start: dt.date
    deadline_belief: dt.date
    information: str
    opponent_prior: OpponentPrior | None = None
    opponents: Mapping[str, PartyParameters | None] = field(
        default_factory=lambda: MappingProxyType({})
    )

    @property
    def n_rounds(self) -> int:
        """The total number of rounds in the session."""
        return len(self.round_dates)


@dataclass(frozen=True)
class NegotiationState:
    """What one party knows when asked to propose or respond in round ``round`` (0-based).

    ``params`` are the party's own parameters on this round's date (dated events applied, and the
    session's overrides); ``opponent_estimate`` is what it believes of the opponent on the same
    date, by ``information`` (see :class:`PartyView`). ``history`` holds every earlier offer,
    oldest first; the offer being answered is passed to ``respond`` separately. ``start`` is the
    first round's date and ``deadline_belief`` the deadline this party believes in (the same for
    the whole session).
    """

    party: str
    round: int
    date: dt.date
    n_rounds: int
    deadline_round: int
    proposer: str
    params: PartyParameters
    opponent_estimate: PartyParameters | None
    start: dt.date
    deadline_belief: dt.date
    information: str
    history: tuple[PastOffer, ...] = ()
    #: the session's round dates (the public calendar); with them ``time`` runs to the party's
    #: last chance (:func:`last_chance`), without them to the believed date itself
    round_dates: tuple[dt.date, ...] = ()

    @property
    def time(self) -> float:
        """The party's relative time in [0, 1]: :func:`believed_time` of this round's date
        (0 on the first round, 1 from its last chance before the deadline it believes in).
        Time-dependent negotiators concede against this."""
        return believed_time(self.date, self.start, self.deadline_belief, self.round_dates)

    @property
    def round_time(self) -> float:
        """The schedule's position ``round / (n_rounds - 1)`` in [0, 1]; 1 in the last round (or
        with one round). Before issue 12 this was :attr:`time`."""
        return 1.0 if self.n_rounds <= 1 else self.round / (self.n_rounds - 1)

    @property
    def is_last_round(self) -> bool:
        return self.round >= self.n_rounds - 1

    @property
    def after_deadline(self) -> bool:
        return self.round > self.deadline_round
