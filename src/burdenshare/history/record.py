"""The record of rounds: every bundled round of every alliance, plus the user's files.

:func:`load_record` reads the bundled files of ``history/data/record/`` (one per alliance; the
format is docs/reference/record.md) and any ``--record FILE`` the user gives; a user round whose
``id`` is already present replaces it. :func:`facts_as_of` cuts a round to what was public on a
date; :func:`record_cases` gives the dates a backtest forecasts from. :func:`load_facts` reads the
FACTS file of ``burdenshare build-case``.

>>> rounds = load_record()
>>> eleventh = next(r for r in rounds if r.id == "us-rok-sma-11")
>>> eleventh.outcome.settlement_year, eleventh.outcome.settlement_amount
(2021, 1183.3)
>>> facts = facts_as_of(eleventh, dt.date(2020, 3, 19))
>>> facts.latest("US").stated, facts.latest("US").amount  # $4bn at 1,126.2 won per dollar
('$4bn vs +10%', 4504.8)
>>> [c.as_of.isoformat() for c in record_cases([eleventh])][:2]
['2019-10-24', '2019-11-19']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from burdenshare.history.facts import Facts, RecordRound, RoundOutcome
from burdenshare.history.record_io import parse_facts_text, parse_record_text, read_text
from burdenshare.history.record_values import fx_on

__all__ = [
    "CUTOFF",
    "CUTOFF_EXCEPTIONS",
    "RecordCase",
    "bundled_record_files",
    "default_as_of_dates",
    "facts_as_of",
    "load_facts",
    "load_record",
    "record_cases",
]

#: the training cut-off: no bundled agreement signed (or agreed) after this day ...
CUTOFF = dt.date(2020, 12, 31)
#: ... except these rounds (the 11th US-ROK SMA, agreed 2021-03-07, signed 2021-04-08)
CUTOFF_EXCEPTIONS: tuple[str, ...] = ("us-rok-sma-11",)

_DATA = "data/record"


def bundled_record_files() -> tuple[str, ...]:
    """The names of the bundled record files (``us-rok-sma.yaml``, ...), sorted."""
    folder = resources.files("burdenshare.history").joinpath(_DATA)
    return tuple(sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml")))


def _bundled() -> list[RecordRound]:
    folder = resources.files("burdenshare.history").joinpath(_DATA)
    out: list[RecordRound] = []
    for name in bundled_record_files():
        text = folder.joinpath(name).read_text(encoding="utf-8")
        out.extend(parse_record_text(text, source=f"{_DATA}/{name}"))
    return out


def _order(r: RecordRound) -> tuple[dt.date, str]:
    return (r.outcome.deal_date or r.facts.expiry, r.id)


def load_record(
    paths: Sequence[str | Path] = (), *, bundled: bool = True
) -> tuple[RecordRound, ...]:
    """The bundled rounds (unless ``bundled=False``) plus the rounds of each file in ``paths``.

    A round whose ``id`` is already present (bundled, or in an earlier file) is replaced by the
    later one. The result is sorted by the outcome's deal date (a round without a deal by the
    expiry of the agreement in force), then by id. A bad file raises
    :class:`~burdenshare.errors.ScenarioError` naming the file, line, field, value and what was
    expected.
    """
    by_id: dict[str, RecordRound] = {}
    for r in _bundled() if bundled else []:
        by_id[r.id] = r
    for path in paths:
        for r in parse_record_text(read_text(path), source=str(path)):
            by_id[r.id] = r
    return tuple(sorted(by_id.values(), key=_order))


def load_facts(path: str | Path) -> Facts:
    """The FACTS file of ``build-case``: a round's facts plus ``as_of``, no outcome.

    Positions dated after ``as_of`` are refused; amounts written in another currency
    (``5 bn USD`` or ``{amount: 5, currency: USD}``) are converted with the file's ``fx`` (or the
    latest ``fx_history`` rate public by the position's date) and keep their words in ``stated``.
    """
    return parse_facts_text(read_text(path), source=str(path))


def facts_as_of(round_: RecordRound, as_of: dt.date) -> Facts:
    """What was public about ``round_`` on ``as_of``.

    Positions dated on or before ``as_of``; meetings ended by then (their ``end``, else their
    date); elections announced by then (all scheduled ones), with ``change_of_government`` kept
    only for those held on or before ``as_of``; ``talks_start`` only if the talks had started;
    ``fx`` the latest rate of each currency public by then. Raises ValueError when ``as_of`` is
    on or after the deal date (the outcome would be public).
    """
    deal = round_.outcome.deal_date
    if deal is not None and as_of >= deal:
        raise ValueError(
            f"{round_.id}: as_of {as_of} is on or after the deal date {deal}; "
            "the outcome was public then"
        )
    f = round_.facts
    fx = fx_on(f.fx, f.fx_history, as_of)
    elections = tuple(
        e if e.date <= as_of else replace(e, change_of_government=None)
        for e in f.elections
        if e.announced is None or e.announced <= as_of
    )
    return replace(
        f,
        as_of=as_of,
        fx=fx,
        talks_start=f.talks_start if f.talks_start and f.talks_start <= as_of else None,
        meetings=tuple(m for m in f.meetings if (m.end or m.date) <= as_of),
        positions=tuple(p for p in f.positions if p.date <= as_of),
        elections=elections,
        fx_history=tuple(r for r in f.fx_history if r.date <= as_of),
    )


@dataclass(frozen=True)
class RecordCase:
    """One round on one as-of date: what was public then, and what happened."""

    round_id: str
    as_of: dt.date
    label: str
    facts: Facts
    outcome: RoundOutcome


def default_as_of_dates(round_: RecordRound) -> tuple[tuple[dt.date, str], ...]:
    """The default as-of dates of a round that gives none (docs/reference/record.md).

    The talks' start (else 180 days before the expiry), 30 days before the expiry and the day
    after it; only dates strictly before the deal date and on or after 1 January of the status
    quo's year are kept (duplicates once, in date order).
    """
    f = round_.facts
    start = (
        (f.talks_start, "talks start")
        if f.talks_start is not None
        else (f.expiry - dt.timedelta(days=180), "180 days before the expiry")
    )
    candidates = [
        start,
        (f.expiry - dt.timedelta(days=30), "30 days before the expiry"),
        (f.expiry + dt.timedelta(days=1), "the day after the expiry"),
    ]
    deal = round_.outcome.deal_date
    floor = dt.date(f.status_quo.year, 1, 1)
    out: dict[dt.date, str] = {}
    for day, label in sorted(candidates):
        if day >= floor and (deal is None or day < deal):
            out.setdefault(day, label)
    return tuple(out.items())


def record_cases(rounds: Iterable[RecordRound]) -> tuple[RecordCase, ...]:
    """Every round's as-of dates (its ``as_of_dates``, else :func:`default_as_of_dates`), each
    with the facts public then and the outcome, in the order of ``rounds``."""
    out = []
    for r in rounds:
        for day, label in r.as_of_dates or default_as_of_dates(r):
            out.append(RecordCase(r.id, day, label, facts_as_of(r, day), r.outcome))
    return tuple(out)
