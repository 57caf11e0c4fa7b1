"""Synthetic rounds of the record for tests of the backtest, the hazard and the stacking.

Made-up numbers on made-up alliances: never a fact about a real round.
"""

from __future__ import annotations

import datetime as dt

from burdenshare.history.facts import (
    Election,
    Facts,
    Position,
    RecordRound,
    RoundOutcome,
    StatusQuo,
)

__all__ = ["synthetic_round"]


def synthetic_round(
    rid: str,
    *,
    expiry: dt.date,
    deal: dt.date | None,
    status_quo: float = 100.0,
    previous: float | None = 95.0,
    ask: tuple[dt.date, float] | None = None,
    offer: tuple[dt.date, float] | None = None,
    settlement: float | None = None,
    elections: tuple[tuple[dt.date, bool | None], ...] = (),
    talks_start: dt.date | None = None,
) -> RecordRound:
    """A round of the made-up alliance ``A-B`` (demander ``A``, payer ``B``, currency ``XXX``)."""
    positions = []
    if ask is not None:
        positions.append(Position(ask[0], "A", "ask", ask[1], f"{ask[1]}", "synthetic"))
    if offer is not None:
        positions.append(Position(offer[0], "B", "offer", offer[1], f"{offer[1]}", "synthetic"))
    last = max([expiry, *(p.date for p in positions), *([deal] if deal else [])])
    facts = Facts(
        alliance="A-B",
        talks=rid,
        as_of=last,
        demander="A",
        payer="B",
        currency="XXX",
        scale="million",
        fx={},
        status_quo=StatusQuo(status_quo, expiry.year, previous, "synthetic"),
        expiry=expiry,
        talks_start=talks_start,
        positions=tuple(positions),
        elections=tuple(Election(d, "B", "general", change_of_government=c) for d, c in elections),
    )
    outcome = RoundOutcome(
        agreed=deal is not None,
        agreement_date=deal,
        signature_date=deal,
        first_year=expiry.year + 1 if deal else None,
        first_year_amount=settlement,
        settlement_year=expiry.year + 1 if deal else None,
        settlement_amount=settlement,
        lapse=deal is None or deal > expiry,
    )
    return RecordRound(id=rid, facts=facts, outcome=outcome)
