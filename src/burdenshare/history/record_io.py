"""Reading record and FACTS files (docs/reference/record.md) into the typed records of
:mod:`burdenshare.history.facts`.

The text is read safely by :mod:`burdenshare.history.record_values` (the scenario reader: no
tags, anchors, aliases, merge keys or duplicate keys; limited size and depth), then checked here
field by field. Every problem is one :class:`~burdenshare.errors.ScenarioError` naming the file,
the line, the field path (``rounds.3.positions.2.amount``), the value and what was expected.

>>> parse_record_text("rounds: 3\\n", source="r.yaml")
Traceback (most recent call last):
...
burdenshare.errors.ScenarioError: r.yaml:1: rounds: wrong type (got 3; expected a list of rounds)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from burdenshare.history import record_parts as parts
from burdenshare.history import record_values as v
from burdenshare.history.facts import (
    Facts,
    FxRate,
    Meeting,
    RecordRound,
    RoundOutcome,
)
from burdenshare.history.record_values import MAX_RECORD_BYTES, Ctx, Path_, RoundMoney, read_text

__all__ = [
    "FACTS_KEYS",
    "MAX_RECORD_BYTES",
    "MAX_ROUNDS",
    "ROUND_KEYS",
    "parse_facts_text",
    "parse_record_text",
    "read_text",
]

#: most rounds one record file may hold
MAX_ROUNDS = 1_000
#: the keys shared by a round and a FACTS file
_COMMON = (
    "talks",
    "alliance",
    "demander",
    "payer",
    "currency",
    "scale",
    "fx",
    "fx_history",
    "status_quo",
    "expiry",
    "talks_start",
    "meetings",
    "positions",
    "elections",
    "ratifier",
    "sources",
    "caveats",
)
#: every key of a round of a record file (``defaults`` may hold any but ``id``)
ROUND_KEYS = ("id", *_COMMON, "outcome", "as_of_dates", "notes")
#: every key of a FACTS file
FACTS_KEYS = ("as_of", *_COMMON)
_ROOT_KEYS = ("title", "notes", "defaults", "rounds")
_REQUIRED = ("talks", "alliance", "demander", "payer", "currency", "scale", "status_quo", "expiry")

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_SCALE_NAMES = ("one", "thousand", "million", "billion", "trillion")

T = TypeVar("T")


def parse_record_text(content: str, *, source: str = "<record>") -> tuple[RecordRound, ...]:
    """The rounds of a record file's text (``title``, ``notes``, ``defaults``, ``rounds``)."""
    raw, ctx = v.load_mapping(content, source)
    v.check_keys(ctx, raw, (), _ROOT_KEYS, ("rounds",))
    defaults = raw.get("defaults", {})
    if not isinstance(defaults, dict):
        ctx.wrong(("defaults",), defaults, "a mapping of round keys")
    v.check_keys(ctx, defaults, ("defaults",), tuple(k for k in ROUND_KEYS if k != "id"), ())
    rounds = raw["rounds"]
    if not isinstance(rounds, list):
        ctx.wrong(("rounds",), rounds, "a list of rounds")
    if len(rounds) > MAX_ROUNDS:
        raise ctx.error(
            ("rounds",),
            f"too many rounds ({len(rounds):,})",
            expected=f"at most {MAX_ROUNDS:,} rounds per file",
        )
    if "notes" in raw:
        v.texts(ctx, raw["notes"], ("notes",))
    if "title" in raw:
        v.text(ctx, raw["title"], ("title",))
    out: list[RecordRound] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(rounds):
        path = ("rounds", str(i))
        if not isinstance(item, dict):
            ctx.wrong(path, item, "a mapping (one round)")
        v.check_keys(ctx, item, path, ROUND_KEYS, ("id", "outcome"))
        rid = item["id"]
        if not isinstance(rid, str) or not _ID.match(rid):
            ctx.wrong((*path, "id"), rid, "lower-case letters, digits and '-' (at most 80)")
        if rid in seen:
            raise ctx.error(
                (*path, "id"),
                f"duplicate round id (also rounds.{seen[rid]}.id)",
                value=rid,
                has_value=True,
                expected="each id once per file",
            )
        seen[rid] = i
        out.append(_round(ctx, item, defaults, path))
    return tuple(out)


def parse_facts_text(content: str, *, source: str = "<facts>") -> Facts:
    """A FACTS file's text: a round's facts plus ``as_of``, without an outcome."""
    raw, ctx = v.load_mapping(content, source)
    v.check_keys(ctx, raw, (), FACTS_KEYS, ("as_of", *_REQUIRED))
    fields = {k: (val, (k,)) for k, val in raw.items()}
    as_of = v.date(ctx, raw["as_of"], ("as_of",))
    facts = _facts(ctx, fields, as_of)
    for i, p in enumerate(facts.positions):
        if p.date > as_of:
            ctx.wrong(
                ("positions", str(i), "date"),
                p.date.isoformat(),
                f"a date on or before as_of ({as_of.isoformat()})",
                "a position dated after as_of is not yet public",
            )
    return facts


# -- one round ---------------------------------------------------------------------------------


def _round(ctx: Ctx, item: dict[str, Any], defaults: dict[str, Any], path: Path_) -> RecordRound:
    fields: dict[str, tuple[Any, Path_]] = {
        k: (val, ("defaults", k)) for k, val in defaults.items()
    }
    fields.update({k: (val, (*path, k)) for k, val in item.items()})
    for key in _REQUIRED:
        if key not in fields:
            raise ctx.error(path, f"missing key {key!r}", expected="the round or 'defaults'")
    facts = _facts(ctx, fields, None)
    outcome = _outcome(ctx, *fields["outcome"], facts)
    as_of_dates: tuple[tuple[dt.date, str], ...] = ()
    if "as_of_dates" in fields:
        as_of_dates = _as_of_dates(ctx, *fields["as_of_dates"], outcome)
    notes = v.texts(ctx, *fields["notes"]) if "notes" in fields else ()
    last = max(
        [facts.expiry, *(d for d in (facts.talks_start,) if d)]
        + [p.date for p in facts.positions]
        + [m.end or m.date for m in facts.meetings]
    )
    facts = replace(facts, as_of=last, fx=v.fx_on(facts.fx, facts.fx_history, last))
    return RecordRound(
        id=item["id"],
        facts=facts,
        outcome=outcome,
        as_of_dates=as_of_dates,
        notes=notes,
        origin=ctx.source,
    )


def _facts(ctx: Ctx, fields: Mapping[str, tuple[Any, Path_]], as_of: dt.date | None) -> Facts:
    def get(key: str, reader: Callable[[Ctx, Any, Path_], T], default: T) -> T:
        return reader(ctx, *fields[key]) if key in fields else default

    demander, payer = v.text(ctx, *fields["demander"]), v.text(ctx, *fields["payer"])
    if demander == payer:
        ctx.wrong(fields["payer"][1], payer, "a party other than the demander")
    parties = (demander, payer)
    currency = v.code(ctx, *fields["currency"])
    scale = v.choice(ctx, *fields["scale"], _SCALE_NAMES)
    fx: dict[str, float] = get("fx", v.fx, {})
    if currency in fx:
        ctx.wrong((*fields["fx"][1], currency), fx[currency], "rates for other currencies only")
    history: tuple[FxRate, ...] = get("fx_history", v.fx_history, ())
    for i, r in enumerate(history):
        if r.currency in fx:
            where = (*fields["fx_history"][1], str(i), "currency")
            ctx.wrong(where, r.currency, "a currency not also in fx (one or the other)")
        if r.currency == currency:
            where = (*fields["fx_history"][1], str(i), "currency")
            ctx.wrong(where, r.currency, "a currency other than the round's")
    money = RoundMoney(currency, scale, fx, history)
    status_quo = parts.status_quo(ctx, *fields["status_quo"], money)
    expiry = v.date(ctx, *fields["expiry"])
    if expiry.year < status_quo.year:
        ctx.wrong(
            fields["expiry"][1],
            expiry.isoformat(),
            f"a date in or after the status quo's year ({status_quo.year})",
            "the agreement in force expires before the last year it covers",
        )
    talks_start = get("talks_start", v.date, None)
    meetings: tuple[Meeting, ...] = get("meetings", v.list_of(parts.meeting), ())
    positions = tuple(
        parts.position(ctx, item, (*fields["positions"][1], str(i)), money, parties)
        for i, item in enumerate(v.seq(ctx, *fields["positions"]) if "positions" in fields else [])
    )
    elections = tuple(
        parts.election(ctx, item, (*fields["elections"][1], str(i)), parties)
        for i, item in enumerate(v.seq(ctx, *fields["elections"]) if "elections" in fields else [])
    )
    ratifier = None
    if "ratifier" in fields:
        ratifier = parts.ratifier(ctx, *fields["ratifier"], parties)
    for i, m in enumerate(meetings):
        if talks_start is not None and m.date < talks_start:
            ctx.wrong(
                (*fields["meetings"][1], str(i), "date"),
                m.date.isoformat(),
                f"a date on or after talks_start ({talks_start.isoformat()})",
                "a meeting before the talks start",
            )
    return Facts(
        alliance=v.text(ctx, *fields["alliance"]),
        talks=v.text(ctx, *fields["talks"]),
        as_of=as_of or expiry,
        demander=demander,
        payer=payer,
        currency=currency,
        scale=scale,
        fx=money.rates_at(as_of or expiry),
        status_quo=status_quo,
        expiry=expiry,
        talks_start=talks_start,
        meetings=meetings,
        positions=tuple(sorted(positions, key=lambda p: p.date)),
        elections=tuple(sorted(elections, key=lambda e: e.date)),
        ratifier=ratifier,
        sources=get("sources", v.texts, ()),
        caveats=get("caveats", v.texts, ()),
        fx_history=history,
    )


_OUTCOME_KEYS = (
    "agreed",
    "agreement_date",
    "signature_date",
    "first_year",
    "first_year_amount",
    "settlement_year",
    "settlement_amount",
    "escalation",
    "duration_years",
    "lapse",
    "settlement_note",
    "source",
    "confidence",
)


def _outcome(ctx: Ctx, raw: Any, path: Path_, facts: Facts) -> RoundOutcome:
    m = v.mapping(ctx, raw, path, _OUTCOME_KEYS)
    v.need(ctx, m, path, ("agreed", "source"))
    agreed = m["agreed"]
    if not isinstance(agreed, bool):
        ctx.wrong((*path, "agreed"), agreed, "true or false")
    money = RoundMoney(facts.currency, facts.scale, facts.fx, facts.fx_history)

    def opt(key: str, reader: Callable[[Any, Path_], T]) -> T | None:
        return None if m.get(key) is None else reader(m[key], (*path, key))

    agreement = opt("agreement_date", lambda x, p: v.date(ctx, x, p))
    signature = opt("signature_date", lambda x, p: v.date(ctx, x, p))
    first_year = opt("first_year", lambda x, p: v.year(ctx, x, p))
    first_amount = opt("first_year_amount", lambda x, p: v.amount(ctx, x, p, money, None))
    settle_year = opt("settlement_year", lambda x, p: v.year(ctx, x, p))
    settle_amount = opt("settlement_amount", lambda x, p: v.amount(ctx, x, p, money, None))
    duration = opt("duration_years", lambda x, p: v.integer(ctx, x, p, 1, 100))
    lapse = m.get("lapse", False)
    if not isinstance(lapse, bool):
        ctx.wrong((*path, "lapse"), lapse, "true or false")
    if agreed and agreement is None and signature is None:
        raise ctx.error(path, "an agreed round needs agreement_date or signature_date")
    if not agreed and (agreement or signature or first_amount is not None):
        raise ctx.error(path, "a round with agreed: false has no dates or amounts of a deal")
    if agreement and signature and signature < agreement:
        ctx.wrong(
            (*path, "signature_date"),
            signature.isoformat(),
            f"a date on or after agreement_date ({agreement})",
            "signed before it was agreed",
        )
    deal = agreement or signature
    if deal is not None and facts.talks_start is not None and deal < facts.talks_start:
        ctx.wrong(
            (*path, "agreement_date" if agreement else "signature_date"),
            deal.isoformat(),
            f"a date on or after talks_start ({facts.talks_start})",
            "agreed before the talks started",
        )
    if deal is not None:
        for i, p in enumerate(facts.positions):
            if p.date > deal:
                raise ctx.error(
                    path,
                    f"positions.{i} (dated {p.date}) is after the deal date {deal}",
                    expected="asks and offers made before the deal",
                )
    return RoundOutcome(
        agreed=agreed,
        agreement_date=agreement,
        signature_date=signature,
        first_year=first_year,
        first_year_amount=first_amount,
        settlement_year=settle_year if settle_year is not None else first_year,
        settlement_amount=settle_amount if settle_amount is not None else first_amount,
        escalation=v.text(ctx, m.get("escalation", ""), (*path, "escalation")),
        duration_years=duration,
        lapse=lapse,
        settlement_note=v.text(ctx, m.get("settlement_note", ""), (*path, "settlement_note")),
        source=v.text(ctx, m["source"], (*path, "source")),
        confidence=v.confidence(ctx, m, path),
    )


def _as_of_dates(
    ctx: Ctx, raw: Any, path: Path_, outcome: RoundOutcome
) -> tuple[tuple[dt.date, str], ...]:
    out = []
    for i, item in enumerate(v.seq(ctx, raw, path)):
        p = (*path, str(i))
        m = v.mapping(ctx, item, p, ("date", "label"))
        v.need(ctx, m, p, ("date",))
        day = v.date(ctx, m["date"], (*p, "date"))
        deal = outcome.deal_date
        if deal is not None and day >= deal:
            ctx.wrong(
                (*p, "date"),
                day.isoformat(),
                f"a date before the deal date ({deal})",
                "an as-of date on or after the deal date (the outcome was known)",
            )
        out.append((day, v.text(ctx, m.get("label", ""), (*p, "label"))))
    return tuple(out)
