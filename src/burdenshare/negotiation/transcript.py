"""The record of one session: each :class:`Offer`, the :class:`Transcript` and the result.

All three are frozen. ``to_dict()`` gives JSON-ready data (dates as ISO strings, responses as
their string values) for the CLI, the web layer and the run store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from burdenshare.negotiation.state import MEDIATOR, Response
from burdenshare.preferences import Outcome

__all__ = ["Offer", "SessionOutcome", "SessionResult", "Transcript"]

#: how a session ended
SessionOutcome = Literal["agreement", "breakdown", "deadline", "ratification_failure"]


@dataclass(frozen=True)
class Offer:
    """One offer and what became of it.

    ``round`` is 1-based. ``proposer`` made the offer (``"mediator"`` for a single negotiating
    text). ``display`` shows each issue value for people; ``money`` gives, for each money issue,
    the amount in every currency the scenario knows (absolute units). ``utilities`` are every
    party's true utility of the offer on that date. ``responses`` holds every answer given in the
    round, in the order asked; ``response`` is the decisive one (``ACCEPT`` if the offer passed
    the decision rule, else the first ``REJECT`` or ``WALK_AWAY``) and ``responder`` the party
    who gave it (for an offer that passed, the last party asked). With two parties under
    alternating offers there is one answer, the responder's. ``ratification`` maps each party
    with a ratifier to its verdict; it is empty unless the offer passed.
    """

    round: int
    date: dt.date
    proposer: str
    responder: str
    outcome: Outcome
    display: Mapping[str, str]
    money: Mapping[str, Mapping[str, float]]
    utilities: Mapping[str, float]
    response: Response
    ratification: Mapping[str, bool] = field(default_factory=dict)
    responses: Mapping[str, Response] = field(default_factory=dict)

    @property
    def ratified(self) -> bool | None:
        """None unless accepted; then True if no ratifier rejected the offer."""
        if self.response is not Response.ACCEPT:
            return None
        return all(self.ratification.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; ``responses`` only when the session is multilateral (more than two
        parties, or the mediator's text): under the bilateral protocol it would repeat
        ``responder`` and ``response``, and the bilateral answer keeps its keys."""
        out = {
            "round": self.round,
            "date": self.date.isoformat(),
            "proposer": self.proposer,
            "responder": self.responder,
            "outcome": dict(self.outcome),
            "display": dict(self.display),
            "money": {k: dict(v) for k, v in self.money.items()},
            "utilities": dict(self.utilities),
            "response": self.response.value,
            "ratification": dict(self.ratification),
            "ratified": self.ratified,
        }
        if len(self.utilities) > 2 or self.proposer == MEDIATOR:
            out["responses"] = {p: r.value for p, r in self.responses.items()}
        return out


@dataclass(frozen=True)
class Transcript:
    """Every offer of a session, in order."""

    offers: tuple[Offer, ...] = ()

    def __len__(self) -> int:
        return len(self.offers)

    def __iter__(self) -> Iterator[Offer]:
        return iter(self.offers)

    def __getitem__(self, index: int) -> Offer:
        return self.offers[index]

    def to_list(self) -> list[dict[str, Any]]:
        return [o.to_dict() for o in self.offers]


@dataclass(frozen=True)
class SessionResult:
    """How one session ended.

    ``round`` (1-based) and ``date`` are those of the last round played (the agreement's round
    for an agreement). ``utilities`` are each party's undiscounted utility of the agreement, or its
    outside option when there is none; ``discounted_utilities`` multiply an agreement's utility by
    ``delta_i ** k`` (``k = round - 1``, ``delta_i`` the party's discount on that date), and equal
    the outside option when there is no agreement (walking away is not discounted).
    """

    scenario_id: str
    outcome: SessionOutcome
    agreement: Outcome | None
    round: int
    date: dt.date
    cause: str
    after_deadline: bool
    utilities: Mapping[str, float]
    discounted_utilities: Mapping[str, float]
    transcript: Transcript
    negotiators: Mapping[str, str]

    @property
    def agreed(self) -> bool:
        return self.outcome == "agreement"

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario_id,
            "outcome": self.outcome,
            "agreement": None if self.agreement is None else dict(self.agreement),
            "round": self.round,
            "date": self.date.isoformat(),
            "after_deadline": self.after_deadline,
            "cause": self.cause,
            "utilities": dict(self.utilities),
            "discounted_utilities": dict(self.discounted_utilities),
            "negotiators": dict(self.negotiators),
            "transcript": self.transcript.to_list(),
        }
