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

import datetime as dt
import enum
from dataclasses import dataclass

from burdenshare.negotiation.prior import OpponentPrior
from burdenshare.preferences import Outcome, PartyParameters
from burdenshare.scenario import Issue

__all__ = [
    "NegotiationState",
    "OpponentPrior",
    "PartyView",
    "PastOffer",
    "Response",
    "believed_time",
]


def believed_time(date: dt.date, start: dt.date, deadline_belief: dt.date) -> float:
    """A party's relative time on ``date``: ``min(1, days since start / days to its deadline)``.

    ``t = (date - start).days / (deadline_belief - start).days``, capped at 1 (a party past the
    deadline it believes in has nothing left to wait for), and 1 when the believed deadline is
    on or before the start. The compiled engine computes the same quotient of whole days.

    >>> d = dt.date
    >>> believed_time(d(2021, 1, 16), d(2021, 1, 1), d(2021, 1, 31))  # halfway
    0.5
    >>> believed_time(d(2021, 3, 1), d(2021, 1, 1), d(2021, 1, 31))  # past the belief
    1.0
    >>> believed_time(d(2021, 1, 1), d(2021, 1, 1), d(2021, 1, 1))  # no time at all
    1.0
    """
    span = (deadline_belief - start).days
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
    """An offer already made in this session, as both parties saw it.

    ``round`` is the 0-based round index; ``ratified`` is None unless the offer was accepted
    (then True if every ratifier approved it, False if one rejected it).
    """

    round: int
    proposer: str
    outcome: Outcome
    response: Response
    ratified: bool | None = None


@dataclass(frozen=True)
class PartyView:
    """A negotiator's view of one session, given once to :meth:`Negotiator.start`.

    ``params`` are the party's own parameters on the first round's date. ``opponent_estimate`` is
    what it believes of the opponent on that date, by ``information`` (see the module
    docstring): the truth under ``complete``, central values under ``private`` with the
    scenario's prior, ``None`` when uninformed. ``opponent_prior`` is the scenario's prior over
    the opponent (``private`` with ``opponent_prior: scenario`` only, else ``None``).
    ``deadline_round`` is the index of the last round on or before ``protocol.deadline``; rounds
    after it run until the horizon. ``start`` is the first round's date and ``deadline_belief``
    the deadline this party concedes against in this session (see :func:`believed_time`).
    """

    party: str
    opponent: str
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

    @property
    def time(self) -> float:
        """The party's relative time in [0, 1]: :func:`believed_time` of this round's date
        (0 on the first round, 1 from the deadline it believes in on). Time-dependent
        negotiators concede against this."""
        return believed_time(self.date, self.start, self.deadline_belief)

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
