"""A session's words and records: how a round ended, in words, and the transcript's record of
each offer (built only when a session ends, or when a transcript is kept)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from burdenshare.negotiation.state import Response
from burdenshare.negotiation.transcript import Offer
from burdenshare.preferences import Outcome, PartyParameters
from burdenshare.scenario import Scenario

if TYPE_CHECKING:
    from burdenshare.negotiation.session import Session, SessionPlan

__all__ = ["Words", "join_names", "offer_record", "ratifier_name"]


class Words:
    """How a round ended, in words (built only when the session ends in it)."""

    def __init__(
        self,
        plan: SessionPlan,
        session: Session,
        k: int,
        proposer: str,
        answers: Sequence[tuple[str, Response]],
        n_yes: int,
    ) -> None:
        self.plan, self.proposer, self.answers, self.n_yes = plan, proposer, answers, n_yes
        date = session.dates[k]
        self.when = f"in round {k + 1} ({date.isoformat()})"
        self.late = " after the deadline" if k > session.deadline_round else ""
        # the bilateral protocol's words (P = 2, alternating offers), as before issue 14
        self.bilateral = plan.bilateral and not plan.single_text
        self.whose = "the mediator's text" if plan.single_text else f"{proposer}'s offer"

    def agreed(self, responder: str) -> str:
        n = len(self.plan.names)
        accepted = [p for p, r in self.answers if r is Response.ACCEPT]
        if self.bilateral:
            said = f"{responder} accepted {self.proposer}'s offer"
        elif len(accepted) == len(self.answers):
            said = f"{join_names(accepted)} accepted {self.whose}"
        else:
            said = f"{self.whose[0].upper()}{self.whose[1:]} passed {self.n_yes} of {n}"
        return f"{said} {self.when}{self.late}."

    def rejected(self, responder: str, ratifier: str | None) -> str:
        n = len(self.plan.names)
        if ratifier is not None:
            if self.bilateral:
                return f"{ratifier} rejected the offer {responder} accepted"
            return f"{ratifier} rejected {self.whose}, which had passed {self.n_yes} of {n}"
        if self.bilateral or (self.plan.unanimity and not self.plan.single_text):
            return f"{responder} rejected {self.proposer}'s offer"
        return f"{self.whose} failed ({self.n_yes} of {n} accepted, {self.plan.needed} needed)"


def join_names(parties: Sequence[str]) -> str:
    """``"A"``, ``"A and B"``, ``"A, B and C"``."""
    return parties[0] if len(parties) == 1 else ", ".join(parties[:-1]) + " and " + parties[-1]


def ratifier_name(scenario: Scenario, party: str) -> str:
    rat = scenario.parties[party].ratification
    return f"{party}'s {rat.body}" if rat is not None else f"{party}'s ratifier"


def offer_record(
    scenario: Scenario,
    k: int,
    date: dt.date,
    proposer: str,
    responder: str,
    offer: Outcome,
    params: Mapping[str, PartyParameters],
    response: Response,
    answers: Sequence[tuple[str, Response]],
    verdicts: Mapping[str, bool],
) -> Offer:
    return Offer(
        round=k + 1,
        date=date,
        proposer=proposer,
        responder=responder,
        outcome=dict(offer),
        display={iid: scenario.format_value(iid, v) for iid, v in offer.items()},
        money={
            i.id: scenario.money.as_dict(float(offer[i.id])) for i in scenario.issues if i.is_money
        },
        utilities={p: params[p].utility(offer) for p in scenario.party_names},
        response=response,
        ratification=dict(verdicts),
        responses=dict(answers),
    )
