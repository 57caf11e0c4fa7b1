"""The record of the US–South Korea Special Measures Agreements (SMA), as shipped data.

Three files in ``history/data/sma/`` (provenance in the README there and in each row):

- ``rok_sma_rounds.csv``: the 1st to 11th SMA (1991–2025), read by :func:`load_sma_agreements`
  into one :class:`SmaAgreement` each;
- ``timeline_2019_2021.csv``: dated events of the 11th SMA talks, read by :func:`load_sma_timeline`
  into :class:`SmaEvent` records;
- ``contributions.csv``: the yearly ROK contribution in KRW bn, 2005–2022 (Ministry of National
  Defense, 2018 Defense White Paper, Chart 5-1, then the 10th and 11th SMA terms).

The files were written by people reading sources, so a field is often not a clean number
(``"~920-925"``, ``"1038.9 (2020, frozen); 1183.3 (2021)"``). Reading rules: the raw text is always
kept; a number is parsed out only when the text is one number (``value``) or one range (``low``,
``high``), otherwise it stays ``None``. A value is never filled in from memory.

Every row carries a ``confidence`` tag: ``sourced``, ``inferred`` or ``recalled`` (unverified:
treat it as an assumption). Fields whose own text says ``recalled`` or ``inferred`` are listed in
``tagged_fields``; :attr:`SmaAgreement.confidence` is the weakest level in the row.

:func:`contribution_series` joins the won series (2005–2022) with the dollar series the MND gives
for 1991–2004 (as listed in ``rok_sma_rounds.csv``); :func:`yearly_changes` computes the change
on the previous year, within one currency only (no exchange rate is sourced, so none is used).

>>> agreements = load_sma_agreements()
>>> [a.sma for a in agreements][-2:]
['10th', '11th']
>>> eleventh = agreements[-1]
>>> eleventh.amounts_krw_bn
{2020: 1038.9, 2021: 1183.3, 2022: 1247.1}
>>> series = {c.year: c for c in contribution_series()}
>>> series[2019].krw_bn, series[1991].usd_m, series[1991].confidence.value
(1038.9, 150.0, 'inferred')
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import itertools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from typing import Any

__all__ = [
    "Confidence",
    "ContributionYear",
    "Figure",
    "SmaAgreement",
    "SmaEvent",
    "YearlyChange",
    "contribution_series",
    "load_sma_agreements",
    "load_sma_timeline",
    "parse_confidence",
    "parse_figure",
    "yearly_changes",
]

_DATA = "data/sma"


class Confidence(StrEnum):
    """How far a value can be trusted, from best to worst.

    ``sourced``: stated by a cited source. ``inferred``: derived from sourced facts by a stated
    reasoning (a date from a weekday, a round number from the order of rounds). ``recalled``: from
    memory, not verified: an assumption.

    >>> Confidence.weakest([Confidence.SOURCED, Confidence.RECALLED])
    <Confidence.RECALLED: 'recalled'>
    """

    SOURCED = "sourced"
    INFERRED = "inferred"
    RECALLED = "recalled"

    @property
    def rank(self) -> int:
        """0 for sourced, 1 for inferred, 2 for recalled (higher is less certain)."""
        return list(Confidence).index(self)

    @classmethod
    def weakest(cls, levels: Iterable[Confidence]) -> Confidence:
        """The least certain of ``levels`` (``sourced`` if there are none)."""
        return max(levels, key=lambda c: c.rank, default=cls.SOURCED)


def parse_confidence(text: str) -> Confidence:
    """The weakest confidence a free-text tag names.

    ``recalled`` anywhere makes it recalled; ``inferred`` or ``derived``, inferred; otherwise a tag
    that says ``sourced`` is sourced. Any other text is an error (the data must be tagged).

    >>> parse_confidence("amounts sourced; round/year mapping recalled").value
    'recalled'
    >>> parse_confidence("sourced (date inferred from 'Monday')").value
    'inferred'
    >>> parse_confidence("sourced (exact date not given)").value
    'sourced'
    """
    low = text.lower()
    if "recalled" in low:
        return Confidence.RECALLED
    if "inferred" in low or "derived" in low:
        return Confidence.INFERRED
    if "sourced" in low:
        return Confidence.SOURCED
    raise ValueError(f"no confidence level in {text!r}: expected sourced, inferred or recalled")


_NUM = r"\d[\d,]*(?:\.\d+)?"
_ONE = re.compile(rf"^(?P<approx>~)?\s*(?P<v>{_NUM})$")
_RANGE = re.compile(rf"^(?P<approx>~)?\s*(?P<lo>{_NUM})\s*-\s*~?\s*(?P<hi>{_NUM})$")


def _float(text: str) -> float:
    return float(text.replace(",", ""))


@dataclass(frozen=True)
class Figure:
    """A number as the data states it: the raw text, and what could be read from it honestly.

    ``value`` is set only when the text is one number, ``low``/``high`` only when it is one range;
    ``approx`` when it is marked ``~``.

    >>> parse_figure("~920-925")
    Figure(raw='~920-925', value=None, low=920.0, high=925.0, approx=True)
    >>> parse_figure("676 (VOA) / 708 (Xinhua conversion)").value is None
    True
    """

    raw: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    approx: bool = False

    @property
    def is_clean(self) -> bool:
        """True when the text is exactly one number."""
        return self.value is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "raw": self.raw,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "approx": self.approx,
        }


def parse_figure(text: str) -> Figure:
    """Read ``text`` as one number or one range, keeping the raw text (see :class:`Figure`)."""
    raw = text.strip()
    if m := _ONE.match(raw):
        v = _float(m["v"])
        return Figure(raw, value=v, low=v, high=v, approx=bool(m["approx"]))
    if m := _RANGE.match(raw):
        lo, hi = _float(m["lo"]), _float(m["hi"])
        if lo <= hi:
            return Figure(raw, low=lo, high=hi, approx=bool(m["approx"]))
    return Figure(raw)


def _leading_pct(text: str) -> float | None:
    """``+8.2% (...)`` → 8.2; text that does not start with a percentage → None."""
    m = re.match(r"^\s*([+-]?\d+(?:\.\d+)?)%", text)
    return float(m.group(1)) if m else None


def _int_or_none(text: str) -> int | None:
    t = text.strip()
    return int(t) if t.isdigit() else None


def _year_values(text: str) -> dict[int, float]:
    """Clean ``YEAR AMOUNT`` pairs (``2010 790.4; 2011 812.5``, ``1992 $180M``).

    An amount marked ``~`` or stated in another scale (``~1.4 trillion won``) is left out: it is
    not a clean figure in the row's unit (the raw text keeps it).
    """
    out: dict[int, float] = {}
    for part in text.split(";"):
        m = re.match(rf"^\s*((?:19|20)\d\d)\s+\$?({_NUM})(?:M|bn won)?(?:\s|$|\()", part + " ")
        if m and "trillion" not in part:
            out[int(m.group(1))] = _float(m.group(2))
    return out


def _tagged(row: Mapping[str, str], skip: tuple[str, ...]) -> dict[str, Confidence]:
    """Fields whose own text says recalled or inferred."""
    out = {}
    for name, text in row.items():
        if name in skip:
            continue
        low = text.lower()
        if "recalled" in low:
            out[name] = Confidence.RECALLED
        elif "inferred" in low:
            out[name] = Confidence.INFERRED
    return out


@dataclass(frozen=True)
class SmaAgreement:
    """One Special Measures Agreement as recorded in ``rok_sma_rounds.csv``.

    Amounts are first-year amounts: ``first_year_krw_bn`` (billions of won, from the 6th SMA,
    2005, when payment switched to won; the 1st gives 107 bn won for 1991 too) and
    ``first_year_usd_m`` (millions of dollars: the MND's USD series before 2005, press conversions
    after). ``later_years`` holds the clean ``year → amount`` pairs of ``later_year_amounts`` in
    the agreement's :attr:`unit`. Date and text fields are kept as written.
    """

    sma: str
    number: int
    years_covered: str
    first_year: int | None
    last_year: int | None
    duration_years: int | None
    negotiation_start: str
    agreement_in_principle: str
    initialed: str
    signed: str
    ratified_or_in_force: str
    first_year_krw_bn: Figure
    first_year_usd_m: Figure
    pct_change_text: str
    pct_change: float | None
    escalation_rule: str
    later_year_amounts: str
    later_years: Mapping[int, float]
    categories: str
    us_opening_ask: str
    rok_opening_offer: str
    n_rounds: int | None
    n_rounds_text: str
    months_to_signature: Figure
    lapse: str
    negotiators: str
    source: str
    confidence_text: str
    amount_confidence: Confidence
    tagged_fields: Mapping[str, Confidence]
    notes: str

    @property
    def unit(self) -> str:
        """The unit of :attr:`later_years`: ``KRW bn`` from the 6th SMA, ``USD m`` before."""
        return "KRW bn" if self.number >= 6 else "USD m"

    @property
    def confidence(self) -> Confidence:
        """The least certain part of the row (its tag and every tagged field)."""
        return Confidence.weakest([self.amount_confidence, *self.tagged_fields.values()])

    @property
    def lapsed(self) -> bool:
        """True when the previous agreement expired before this one was in place."""
        return self.lapse.strip().upper().startswith("YES")

    @property
    def amounts_krw_bn(self) -> dict[int, float]:
        """Every clean yearly amount in KRW bn the row states (empty before the 6th SMA).

        The 11th SMA's first-year field names two years (``1038.9 (2020, frozen); 1183.3
        (2021)``); both are read.
        """
        if self.number < 6:
            return {}
        out: dict[int, float] = {}
        fig = self.first_year_krw_bn
        if fig.value is not None and self.first_year is not None:
            out[self.first_year] = fig.value
        for m in re.finditer(rf"({_NUM})\s*\(((?:19|20)\d\d)\b", fig.raw):
            out[int(m.group(2))] = _float(m.group(1))
        out.update(self.later_years)
        return dict(sorted(out.items()))

    @property
    def amounts_usd_m(self) -> dict[int, float]:
        """The MND's yearly USD amounts (before the 6th SMA only; later USD figures are press
        conversions and stay in :attr:`first_year_usd_m`)."""
        if self.number >= 6:
            return {}
        out: dict[int, float] = {}
        if self.first_year_usd_m.value is not None and self.first_year is not None:
            out[self.first_year] = self.first_year_usd_m.value
        out.update(self.later_years)
        return dict(sorted(out.items()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "sma": self.sma,
            "number": self.number,
            "years_covered": self.years_covered,
            "first_year": self.first_year,
            "last_year": self.last_year,
            "duration_years": self.duration_years,
            "negotiation_start": self.negotiation_start,
            "agreement_in_principle": self.agreement_in_principle,
            "initialed": self.initialed,
            "signed": self.signed,
            "ratified_or_in_force": self.ratified_or_in_force,
            "first_year_krw_bn": self.first_year_krw_bn.to_dict(),
            "first_year_usd_m": self.first_year_usd_m.to_dict(),
            "pct_change": self.pct_change,
            "pct_change_text": self.pct_change_text,
            "escalation_rule": self.escalation_rule,
            "later_year_amounts": self.later_year_amounts,
            "unit": self.unit,
            "amounts_krw_bn": {str(y): v for y, v in self.amounts_krw_bn.items()},
            "amounts_usd_m": {str(y): v for y, v in self.amounts_usd_m.items()},
            "categories": self.categories,
            "us_opening_ask": self.us_opening_ask,
            "rok_opening_offer": self.rok_opening_offer,
            "n_rounds": self.n_rounds,
            "n_rounds_text": self.n_rounds_text,
            "months_to_signature": self.months_to_signature.to_dict(),
            "lapse": self.lapse,
            "lapsed": self.lapsed,
            "negotiators": self.negotiators,
            "source": self.source,
            "confidence": self.confidence.value,
            "amount_confidence": self.amount_confidence.value,
            "confidence_text": self.confidence_text,
            "tagged_fields": {k: v.value for k, v in self.tagged_fields.items()},
            "notes": self.notes,
        }


def _read_csv(name: str) -> list[dict[str, str]]:
    raw = resources.files("burdenshare.history").joinpath(f"{_DATA}/{name}").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(raw)))


def _amount_confidence(tag: str) -> Confidence:
    """The confidence of a row's amounts: ``amounts sourced; ...`` or a tag starting ``sourced``
    make them sourced; otherwise the tag's weakest level."""
    low = tag.lower().strip()
    if low.startswith("amounts sourced") or low.startswith("sourced"):
        return Confidence.SOURCED
    return parse_confidence(tag)


@functools.lru_cache(maxsize=1)
def load_sma_agreements() -> tuple[SmaAgreement, ...]:
    """Every row of ``rok_sma_rounds.csv`` as an :class:`SmaAgreement`, 1st to 11th.

    >>> a = load_sma_agreements()[9]
    >>> a.sma, a.first_year_krw_bn.value, a.pct_change, a.n_rounds, a.confidence.value
    ('10th', 1038.9, 8.2, 10, 'sourced')
    >>> load_sma_agreements()[7].tagged_fields["escalation_rule_later_years"].value
    'recalled'
    """
    out = []
    for row in _read_csv("rok_sma_rounds.csv"):
        years = re.findall(r"(?:19|20)\d\d", row["years_covered"])
        tag = row["confidence"]
        out.append(
            SmaAgreement(
                sma=row["sma"],
                number=int(re.sub(r"\D", "", row["sma"])),
                years_covered=row["years_covered"],
                first_year=int(years[0]) if years else None,
                last_year=int(years[-1]) if years else None,
                duration_years=_int_or_none(row["duration_years"]),
                negotiation_start=row["negotiation_start"],
                agreement_in_principle=row["agreement_in_principle"],
                initialed=row["initialed"],
                signed=row["signed"],
                ratified_or_in_force=row["ratified_or_in_force"],
                first_year_krw_bn=parse_figure(row["first_year_amount_krw_bn"]),
                first_year_usd_m=parse_figure(row["first_year_amount_usd_m"]),
                pct_change_text=row["pct_change_vs_prev_year"],
                pct_change=_leading_pct(row["pct_change_vs_prev_year"]),
                escalation_rule=row["escalation_rule_later_years"],
                later_year_amounts=row["later_year_amounts"],
                later_years=_year_values(row["later_year_amounts"]),
                categories=row["categories"],
                us_opening_ask=row["us_opening_ask"],
                rok_opening_offer=row["rok_opening_offer"],
                n_rounds=_int_or_none(row["n_rounds"]),
                n_rounds_text=row["n_rounds"],
                months_to_signature=parse_figure(row["months_first_round_to_signature"]),
                lapse=row["lapse"],
                negotiators=row["negotiators"],
                source=row["source"],
                confidence_text=tag,
                amount_confidence=_amount_confidence(tag),
                tagged_fields=_tagged(row, ("source", "confidence", "notes")),
                notes=row["notes"],
            )
        )
    return tuple(out)


_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")
_END = re.compile(r"/(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class SmaEvent:
    """One dated event of ``timeline_2019_2021.csv``.

    ``date`` is the text as written (``2019-11-18/2019-11-19``, ``2020-03 (late)``); ``start`` is
    its first day, month or year read as a date (the 1st of the month for a month), ``end`` the
    last day of a stated span; both ``None`` when the text gives no date.
    """

    date: str
    date_precision: str
    start: dt.date | None
    end: dt.date | None
    event_type: str
    round_no: str
    venue: str
    event: str
    figures: str
    source: str
    confidence_text: str
    confidence: Confidence
    tagged_fields: Mapping[str, Confidence] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "date_precision": self.date_precision,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "event_type": self.event_type,
            "round_no": self.round_no,
            "venue": self.venue,
            "event": self.event,
            "figures": self.figures,
            "source": self.source,
            "confidence": self.confidence.value,
            "confidence_text": self.confidence_text,
            "tagged_fields": {k: v.value for k, v in self.tagged_fields.items()},
        }


def _parse_date(text: str) -> tuple[dt.date | None, dt.date | None]:
    m = _DATE.match(text.strip())
    if not m:
        return None, None
    start = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    end_m = _END.search(text)
    end = dt.date.fromisoformat(end_m.group(1)) if end_m else None
    return start, end


@functools.lru_cache(maxsize=1)
def load_sma_timeline() -> tuple[SmaEvent, ...]:
    """Every row of ``timeline_2019_2021.csv`` as an :class:`SmaEvent`, in file order.

    >>> events = load_sma_timeline()
    >>> breakdown = next(e for e in events if e.round_no == "3")
    >>> breakdown.start, breakdown.end, breakdown.venue
    (datetime.date(2019, 11, 18), datetime.date(2019, 11, 19), 'Seoul (KIDA, Dongdaemun)')
    """
    out = []
    for row in _read_csv("timeline_2019_2021.csv"):
        start, end = _parse_date(row["date"])
        tagged = _tagged(row, ("source", "confidence"))
        out.append(
            SmaEvent(
                date=row["date"],
                date_precision=row["date_precision"],
                start=start,
                end=end,
                event_type=row["event_type"],
                round_no=row["round_no_11th_sma"],
                venue=row["venue"],
                event=row["event"],
                figures=row["figures"],
                source=row["source"],
                confidence_text=row["confidence"],
                confidence=Confidence.weakest(
                    [parse_confidence(row["confidence"]), *tagged.values()]
                ),
                tagged_fields=tagged,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class ContributionYear:
    """The ROK contribution in one year: ``krw_bn`` from 2005, ``usd_m`` (MND's USD series) before.

    ``confidence`` is that of the value *in that year*: the MND's pre-2005 USD amounts are sourced,
    but for the first year of the 1st–5th SMA the year itself comes from the recalled
    ``years_covered`` and the continuity of the yearly series, so those points are ``inferred``.
    """

    year: int
    krw_bn: float | None
    usd_m: float | None
    source: str
    confidence: Confidence

    @property
    def currency(self) -> str:
        return "KRW" if self.krw_bn is not None else "USD"

    @property
    def value(self) -> float:
        """The amount in its own unit (KRW bn or USD m)."""
        v = self.krw_bn if self.krw_bn is not None else self.usd_m
        assert v is not None
        return v

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "krw_bn": self.krw_bn,
            "usd_m": self.usd_m,
            "currency": self.currency,
            "source": self.source,
            "confidence": self.confidence.value,
        }


@functools.lru_cache(maxsize=1)
def contribution_series() -> tuple[ContributionYear, ...]:
    """The yearly ROK contribution, 1991–2022, one currency per year.

    1991–2004: the MND's USD series as listed in ``rok_sma_rounds.csv`` (USD m). 2005–2022:
    ``contributions.csv`` (KRW bn). No year is converted: no yearly exchange rate is sourced.

    >>> s = contribution_series()
    >>> s[0].year, s[-1].year, len(s)
    (1991, 2022, 32)
    >>> [(c.year, c.krw_bn) for c in s if c.year >= 2019]
    [(2019, 1038.9), (2020, 1038.9), (2021, 1183.3), (2022, 1247.1)]
    """
    out: dict[int, ContributionYear] = {}
    for a in load_sma_agreements():
        if a.number >= 6:
            continue
        for year, usd in a.amounts_usd_m.items():
            inferred = year == a.first_year and "years_covered" in a.tagged_fields
            out[year] = ContributionYear(
                year=year,
                krw_bn=None,
                usd_m=usd,
                source=f"{a.sma} SMA row of rok_sma_rounds.csv: {a.source}",
                confidence=Confidence.INFERRED if inferred else a.amount_confidence,
            )
    for row in _read_csv("contributions.csv"):
        year = int(row["year"])
        out[year] = ContributionYear(
            year=year,
            krw_bn=float(row["krw_bn"]),
            usd_m=None,
            source=row["source"],
            confidence=parse_confidence(row["confidence"]),
        )
    return tuple(out[y] for y in sorted(out))


@dataclass(frozen=True)
class YearlyChange:
    """The change of the contribution on the previous year, in one currency.

    ``pct`` is ``100 * (value / previous - 1)``; ``None`` when the two years are in different
    currencies (2005, when payment switched to won) or a year is missing. ``confidence`` is the
    weaker of the two years'.
    """

    year: int
    currency: str
    previous: float | None
    value: float
    pct: float | None
    confidence: Confidence
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "currency": self.currency,
            "previous": self.previous,
            "value": self.value,
            "pct": self.pct,
            "confidence": self.confidence.value,
            "note": self.note,
        }


def yearly_changes(
    series: tuple[ContributionYear, ...] | None = None,
) -> tuple[YearlyChange, ...]:
    """The change on the previous year for every year after the first of ``series``.

    >>> ch = {c.year: c for c in yearly_changes()}
    >>> round(ch[2019].pct, 1), round(ch[2021].pct, 1), ch[2005].pct
    (8.2, 13.9, None)
    """
    s = contribution_series() if series is None else series
    out = []
    for prev, cur in itertools.pairwise(s):
        conf = Confidence.weakest([prev.confidence, cur.confidence])
        if cur.year != prev.year + 1:
            out.append(YearlyChange(cur.year, cur.currency, None, cur.value, None, conf, "gap"))
        elif prev.currency != cur.currency:
            note = (
                f"{prev.year} is in {prev.currency}, {cur.year} in {cur.currency}: not comparable "
                "without a sourced exchange rate"
            )
            out.append(YearlyChange(cur.year, cur.currency, None, cur.value, None, conf, note))
        else:
            pct = 100.0 * (cur.value / prev.value - 1.0)
            out.append(
                YearlyChange(
                    cur.year,
                    cur.currency,
                    prev.value,
                    cur.value,
                    pct if math.isfinite(pct) else None,
                    conf,
                )
            )
    return tuple(out)
