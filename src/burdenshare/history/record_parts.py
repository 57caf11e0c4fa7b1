"""The leaf records of a round or FACTS file: the status quo, meetings, positions, elections
and the ratifier (:mod:`burdenshare.history.record_io` reads the structure around them).

Each reader takes the raw value, its field path and the file's :class:`~burdenshare.history.
record_values.Ctx`, and raises a located :class:`~burdenshare.errors.ScenarioError` on any
problem.
"""

from __future__ import annotations

from typing import Any

from burdenshare.history import record_values as v
from burdenshare.history.facts import Election, Meeting, Position, Ratifier, StatusQuo
from burdenshare.history.record_values import Ctx, Path_, RoundMoney
from burdenshare.scenario.units import SCALES

__all__ = ["election", "meeting", "position", "ratifier", "status_quo"]

_RULES = ("majority", "supermajority", "consensus")


def status_quo(ctx: Ctx, raw: Any, path: Path_, money: RoundMoney) -> StatusQuo:
    m = v.mapping(ctx, raw, path, ("amount", "year", "previous_amount", "source", "confidence"))
    v.need(ctx, m, path, ("amount", "year", "source"))
    prev = m.get("previous_amount")
    amount = v.amount(ctx, m["amount"], (*path, "amount"), money, None)
    if amount <= 0:
        # every forecast is relative to it (ratios, logs): 0 cannot be a status quo
        ctx.wrong((*path, "amount"), m["amount"], "a number > 0", "the status quo must be positive")
    return StatusQuo(
        amount=amount,
        year=v.year(ctx, m["year"], (*path, "year")),
        previous_amount=None
        if prev is None
        else v.amount(ctx, prev, (*path, "previous_amount"), money, None),
        source=v.text(ctx, m["source"], (*path, "source")),
        confidence=v.confidence(ctx, m, path),
    )


def meeting(ctx: Ctx, raw: Any, path: Path_) -> Meeting:
    m = v.mapping(ctx, raw, path, ("date", "end", "note", "source", "confidence"))
    v.need(ctx, m, path, ("date",))
    day = v.date(ctx, m["date"], (*path, "date"))
    end = v.date(ctx, m["end"], (*path, "end")) if m.get("end") is not None else None
    if end is not None and end < day:
        ctx.wrong((*path, "end"), end.isoformat(), f"a date on or after {day}", "ends before it")
    return Meeting(
        date=day,
        end=end,
        note=v.text(ctx, m.get("note", ""), (*path, "note")),
        source=v.text(ctx, m.get("source", ""), (*path, "source")),
        confidence=v.confidence(ctx, m, path),
    )


_POSITION_KEYS = (
    "date",
    "party",
    "kind",
    "amount",
    "currency",
    "scale",
    "stated",
    "source",
    "confidence",
    "note",
)


def position(
    ctx: Ctx, raw: Any, path: Path_, money: RoundMoney, parties: tuple[str, str]
) -> Position:
    m = v.mapping(ctx, raw, path, _POSITION_KEYS)
    v.need(ctx, m, path, ("date", "party", "kind", "amount", "source"))
    day = v.date(ctx, m["date"], (*path, "date"))
    party = v.text(ctx, m["party"], (*path, "party"))
    if party not in parties:
        ctx.wrong((*path, "party"), party, f"one of the round's parties {list(parties)}")
    raw_amount = m["amount"]
    if "currency" in m:
        if isinstance(raw_amount, bool) or not isinstance(raw_amount, int | float):
            ctx.wrong((*path, "amount"), raw_amount, "a number (the currency is given apart)")
        cur = v.code(ctx, m["currency"], (*path, "currency"))
        scale = v.choice(ctx, m.get("scale", money.scale), (*path, "scale"), tuple(SCALES))
        raw_amount = f"{raw_amount} {scale} {cur}"
    elif "scale" in m:
        ctx.wrong((*path, "scale"), m["scale"], "a scale only together with 'currency'")
    amount = v.amount(ctx, raw_amount, (*path, "amount"), money, day)
    # without `stated`, the figure as written (a bare number in the round's own unit)
    written = (
        raw_amount if isinstance(raw_amount, str) else f"{amount:g} {money.scale} {money.currency}"
    )
    stated = m.get("stated", written)
    return Position(
        date=day,
        party=party,
        kind=v.choice(ctx, m["kind"], (*path, "kind"), ("ask", "offer")),  # type: ignore[arg-type]
        amount=amount,
        stated=v.text(ctx, stated, (*path, "stated")),
        source=v.text(ctx, m["source"], (*path, "source")),
        confidence=v.confidence(ctx, m, path),
        note=v.text(ctx, m.get("note", ""), (*path, "note")),
    )


_ELECTION_KEYS = (
    "date",
    "party",
    "kind",
    "note",
    "change_of_government",
    "announced",
    "source",
    "confidence",
)


def election(ctx: Ctx, raw: Any, path: Path_, parties: tuple[str, str]) -> Election:
    m = v.mapping(ctx, raw, path, _ELECTION_KEYS)
    v.need(ctx, m, path, ("date", "party", "kind"))
    day = v.date(ctx, m["date"], (*path, "date"))
    party = v.text(ctx, m["party"], (*path, "party"))
    if party not in parties:
        ctx.wrong((*path, "party"), party, f"one of the round's parties {list(parties)}")
    change = m.get("change_of_government")
    if change is not None and not isinstance(change, bool):
        ctx.wrong((*path, "change_of_government"), change, "true, false or null")
    announced = None
    if m.get("announced") is not None:
        announced = v.date(ctx, m["announced"], (*path, "announced"))
        if announced > day:
            ctx.wrong((*path, "announced"), announced.isoformat(), f"a date on or before {day}")
    return Election(
        date=day,
        party=party,
        kind=v.text(ctx, m["kind"], (*path, "kind")),
        note=v.text(ctx, m.get("note", ""), (*path, "note")),
        change_of_government=change,
        source=v.text(ctx, m.get("source", ""), (*path, "source")),
        confidence=v.confidence(ctx, m, path),
        announced=announced,
    )


def ratifier(ctx: Ctx, raw: Any, path: Path_, parties: tuple[str, str]) -> Ratifier:
    m = v.mapping(ctx, raw, path, ("party", "body", "rule", "source"))
    v.need(ctx, m, path, ("party", "body"))
    party = v.text(ctx, m["party"], (*path, "party"))
    if party not in parties:
        ctx.wrong((*path, "party"), party, f"one of the round's parties {list(parties)}")
    rule = v.choice(ctx, m.get("rule", "majority"), (*path, "rule"), _RULES)
    return Ratifier(
        party=party,
        body=v.text(ctx, m["body"], (*path, "body")),
        rule=rule,  # type: ignore[arg-type]
        source=v.text(ctx, m.get("source", ""), (*path, "source")),
    )
