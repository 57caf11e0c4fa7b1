"""Backtest every method on the 9th, 10th and 11th SMA talks, from what was public on each date.

:func:`public_states` rebuilds, for several dates of each talk, what was public then (status quo,
latest US ask, latest ROK offer, expiry, cadence of rounds, exchange rate) from the shipped data
(:mod:`burdenshare.history.sma`) and the dated figures of :data:`FIGURES`, and pairs it with what
happened (:class:`Outcome`). :func:`backtest_sma` builds each case with the fixed rule of
:mod:`burdenshare.history.casebuilder` and scores:

- the bargaining solutions at central values (predicted settlement; "no deal" without a ZOPA);
- ensembles of sessions for three negotiator pairs (Boulware, linear, conceder): P(deal before
  the deadline) as a Brier score, the median settlement, the median days to a deal;
- the multi-actor forecasters on the two governments' public positions;
- naive baselines: the status quo; the status quo plus the last yearly increase; a coin
  (P = 0.5) for the deadline.

Settlements are first-year amounts in KRW bn: the 9th SMA's 2014 (920.0), the 10th's 2019
(1,038.9) and the 11th's 2021 amount (1,183.3), the first year at issue in the asks and offers;
the 11th froze 2020 at the 2019 level, which the error on 2021 does not score.

Reading the data: a figure is used from the first date the data shows it public (the end of a
date span, the last day of a month given only by month). A figure the data does not date is used
only when that side has no dated figure in that talk, and is flagged as a caveat. Nothing missing
is filled from memory; :data:`MISSING` lists what the data lacks.

>>> cases = public_states()
>>> [(c.state.case, c.state.as_of.isoformat()) for c in cases][:4]
[('9th', '2013-07-31'), ('9th', '2013-11-30'), ('9th', '2013-12-31'), ('10th', '2018-12-13')]
>>> c = cases[3]
>>> c.state.status_quo, c.state.us_ask, c.outcome.settlement, c.outcome.before_deadline
(960.2, 1350.0, 1038.9, False)
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from burdenshare.analysis import bargaining_problem, scenario_solutions, scenario_zopa
from burdenshare.engine import run_batch
from burdenshare.ensemble import draw, uncertain_parameters
from burdenshare.errors import ForecastError
from burdenshare.forecasting import FORECASTERS, actor_table, make_forecaster
from burdenshare.history.casebuilder import (
    DEFAULT_PRIORS,
    CasePriors,
    PublicState,
    build_case,
    case_numbers,
)
from burdenshare.history.sma import (
    SmaAgreement,
    SmaEvent,
    contribution_series,
    load_sma_agreements,
    load_sma_timeline,
)
from burdenshare.scenario.scenario import Scenario

__all__ = [
    "CASE_DATES",
    "ENSEMBLE_PAIRS",
    "FIGURES",
    "MISSING",
    "BacktestCase",
    "CaseScore",
    "EnsembleForecast",
    "MethodSummary",
    "Outcome",
    "PublicFigure",
    "SmaBacktestResult",
    "backtest_sma",
    "build_public_state",
    "ensemble_forecast",
    "known_by",
    "public_states",
]

#: the negotiator pairs of the ensembles (both sides play the same tactic)
ENSEMBLE_PAIRS: tuple[str, ...] = ("boulware", "linear", "conceder")

#: the as-of dates of each talk and what happened on them (9th: no dated events in the data)
CASE_DATES: dict[str, tuple[tuple[str, str], ...]] = {
    "9th": (
        ("2013-07-31", "talks begin (month only in the data)"),
        ("2013-11-30", "one month before the 8th SMA expires"),
        ("2013-12-31", "the 8th SMA expires"),
    ),
    "10th": (
        ("2018-12-13", "10th round fails; US wants 1.35 tn won"),
        ("2018-12-31", "the 9th SMA expires"),
        ("2019-01-22", "US demand of 1.5x (1.4 tn won) reported"),
    ),
    "11th": (
        ("2019-10-24", "round 2 (Honolulu); US pressing up to $5bn"),
        ("2019-11-19", "round 3 breaks down"),
        ("2019-12-31", "the 10th SMA expires"),
        ("2020-03-19", "round 7; US ~$4bn, ROK ~+10%"),
        ("2020-06-02", "US asks $1.3bn; Seoul's 13% stands"),
        ("2021-02-05", "8th meeting, the first with the new US administration"),
    ),
}

#: which SMA each talk negotiated, and the agreement it replaced
_TALKS = {"9th": ("9th", "8th"), "10th": ("10th", "9th"), "11th": ("11th", "10th")}
#: the first year at issue in the asks and offers (the settlement scored)
_SETTLEMENT_YEAR = {"9th": 2014, "10th": 2019, "11th": 2021}

#: what the backtest needs and the data does not have
MISSING: tuple[str, ...] = (
    "9th SMA: no dated events; the US ask (>= 1 tn won) is undated (its sources date from "
    "2014-01-13, after the deal) and Seoul's 'initial pledge to reduce the amount' has no figure.",
    "9th SMA: no round dates, so the cadence is the default prior (30 days).",
    "10th SMA: the US '$1bn minimum', the 'doubling' and Seoul's '~1 tn won ceiling' are undated "
    "(their sources date from the deal, 2019-02-10/11); the ceiling is used as Seoul's only "
    "figure, the two US figures are not used.",
    "10th SMA: the round dates are not in the data (only '10 rounds since March' on 2018-12-13).",
    "Exchange rates: only the won/dollar pairs the data gives (9th and 10th SMA amounts, "
    "Hankyoreh 2020-04-22, the 11th SMA amounts); the market rate on each date is not in the data.",
    "11th SMA: the National Assembly's plenary ratification date is recalled (~2021-09-01), not "
    "sourced; the US election (2020-11-03) and inauguration (2021-01-20) rows are [common "
    "knowledge], tagged recalled.",
)


@dataclass(frozen=True)
class PublicFigure:
    """A position the data dates: who, from when, how much, and the words of the data."""

    case: str
    side: Literal["US", "ROK"]
    known_by: dt.date
    krw_bn: float | None
    usd_bn: float | None
    quote: str
    source: str
    dated: bool = True


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


#: every US ask and ROK offer used, with the CSV words it comes from (a test checks the words)
FIGURES: tuple[PublicFigure, ...] = (
    PublicFigure(
        "9th",
        "US",
        _d("2013-07-01"),
        1000.0,
        None,
        ">= 1 trillion won",
        "rok_sma_rounds.csv 9th us_opening_ask (Korea Herald 2014-01-13)",
        dated=False,
    ),
    PublicFigure(
        "10th",
        "ROK",
        _d("2018-03-01"),
        1000.0,
        None,
        "~1 trillion won ceiling",
        "rok_sma_rounds.csv 10th rok_opening_offer",
        dated=False,
    ),
    PublicFigure(
        "10th",
        "US",
        _d("2018-12-13"),
        1350.0,
        None,
        "US wants 1.35 tn won",
        "timeline_2019_2021.csv 2018-12-11/2018-12-13",
    ),
    PublicFigure(
        "10th",
        "US",
        _d("2019-01-22"),
        1400.0,
        None,
        "1.4 tn won vs 960bn",
        "timeline_2019_2021.csv 2019-01-22",
    ),
    PublicFigure(
        "11th",
        "US",
        _d("2019-07-31"),
        None,
        5.0,
        "$8bn Japan; $5bn Korea",
        "timeline_2019_2021.csv 2019-07 (Bolton visit)",
    ),
    PublicFigure(
        "11th",
        "US",
        _d("2020-03-19"),
        None,
        4.0,
        "$4bn vs +10%",
        "timeline_2019_2021.csv 2020-03-17/2020-03-19 (round 7)",
    ),
    PublicFigure(
        "11th",
        "ROK",
        _d("2020-03-19"),
        round(1038.9 * 1.10, 1),
        None,
        "$4bn vs +10%",
        "timeline_2019_2021.csv 2020-03-17/2020-03-19 (round 7): +10% on 1,038.9",
    ),
    PublicFigure(
        "11th",
        "ROK",
        _d("2020-03-31"),
        1172.5,
        None,
        "~1.17-1.175 tn won",
        "timeline_2019_2021.csv 2020-03 (late): tentative 13% deal (midpoint of the range)",
    ),
    PublicFigure(
        "11th",
        "US",
        _d("2020-06-02"),
        None,
        1.3,
        "US asking $1.3bn (~+50%), ROK 13%",
        "timeline_2019_2021.csv 2020-06-02",
    ),
)


@dataclass(frozen=True)
class Outcome:
    """What happened: the settlement (KRW bn), the deal's date, and timing against the state."""

    settlement: float
    deal_date: dt.date
    deadline: dt.date
    before_deadline: bool
    days_to_deal: int
    days_late: int
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "settlement": self.settlement,
            "deal_date": self.deal_date.isoformat(),
            "deadline": self.deadline.isoformat(),
            "before_deadline": self.before_deadline,
            "days_to_deal": self.days_to_deal,
            "days_late": self.days_late,
            "source": self.source,
        }


@dataclass(frozen=True)
class BacktestCase:
    """One talk on one date: the public state and what happened next."""

    state: PublicState
    outcome: Outcome

    @property
    def key(self) -> str:
        return f"{self.state.case} {self.state.as_of.isoformat()}"

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state.to_dict(), "outcome": self.outcome.to_dict()}


# -- reading the data --------------------------------------------------------------------------


def known_by(event: SmaEvent) -> dt.date | None:
    """The first date the data shows ``event`` public.

    The end of a span; a month-only date (``2019-07``, ``2020-03 (late)``) counts from the last
    day of that month; ``(week of Apr 6)`` from the Sunday of that week.
    """
    if event.end is not None:
        return event.end
    if event.start is None:
        return None
    if event.date_precision == "day" or re.match(r"^\d{4}-\d{2}-\d{2}$", event.date.strip()):
        return event.start
    week = re.search(r"week of [A-Za-z]+ (\d{1,2})", event.date)
    if week:
        return event.start.replace(day=int(week.group(1))) + dt.timedelta(days=6)
    last = calendar.monthrange(event.start.year, event.start.month)[1]
    return event.start.replace(day=last)


def _date_in(text: str) -> dt.date | None:
    m = re.search(r"(\d{4}-\d{2}-\d{2})", text)
    return dt.date.fromisoformat(m.group(1)) if m else None


def _agreements() -> dict[str, SmaAgreement]:
    return {a.sma: a for a in load_sma_agreements()}


def _deal_date(a: SmaAgreement) -> dt.date:
    for text in (a.agreement_in_principle, a.initialed, a.signed):
        day = _date_in(text)
        if day is not None:
            return day
    raise ValueError(f"no deal date for the {a.sma} SMA in the data")


def _fx_pairs() -> list[tuple[dt.date, float, str]]:
    """Won per dollar from the pairs of won and dollar figures in the data, by public date."""
    ag = _agreements()
    out = []
    for sma in ("9th", "10th"):
        a = ag[sma]
        usd = a.first_year_usd_m
        won = a.first_year_krw_bn.value
        if usd.low is not None and usd.high is not None and won is not None:
            rate = won / ((usd.low + usd.high) / 2000.0)
            out.append((_deal_date(a), round(rate, 1), f"rok_sma_rounds.csv {sma} SMA amounts"))
    for ev in load_sma_timeline():
        m = re.search(r"([\d.]+) tn won \(\$([\d.]+)M\)", ev.figures)
        day = known_by(ev)
        if m and day is not None:
            rate = float(m.group(1)) * 1000.0 / (float(m.group(2)) / 1000.0)
            out.append((day, round(rate, 1), f"timeline_2019_2021.csv {ev.date}: {m.group(0)}"))
    return sorted(out)


def _fx(as_of: dt.date) -> tuple[float | None, str]:
    pairs = [p for p in _fx_pairs() if p[0] <= as_of]
    return (pairs[-1][1], pairs[-1][2]) if pairs else (None, "")


def _cadence(case: str, as_of: dt.date) -> tuple[int | None, str]:
    """The median spacing of the rounds public by ``as_of`` (None if the data has too few)."""
    if case == "11th":
        days = sorted(
            d
            for ev in load_sma_timeline()
            if ev.event_type == "round" and (d := known_by(ev)) is not None and d <= as_of
        )
        if len(days) < 2:
            return None, "fewer than two rounds public"
        gaps = [(b - a).days for a, b in itertools.pairwise(days)]
        return round(statistics.median(gaps)), f"median of {len(gaps)} gaps between rounds"
    if case == "10th":
        fail = next(e for e in load_sma_timeline() if "10 rounds since March" in e.event)
        day = known_by(fail)
        if day is not None and day <= as_of:
            span = (day - dt.date(2018, 3, 1)).days
            return round(span / 9), "10 rounds between March and 2018-12-13"
    return None, "no round dates in the data"


def _latest(case: str, side: str, as_of: dt.date) -> PublicFigure | None:
    figs = [f for f in FIGURES if f.case == case and f.side == side]
    dated = [f for f in figs if f.dated and f.known_by <= as_of]
    if dated:
        return dated[-1]
    undated = [f for f in figs if not f.dated]
    return undated[-1] if undated else None


def build_public_state(case: str, as_of: dt.date, label: str = "") -> PublicState:
    """What was public about ``case`` (``9th``, ``10th``, ``11th``) on ``as_of``."""
    this, prev = _TALKS[case]
    ag = _agreements()
    series = {c.year: c.krw_bn for c in contribution_series()}
    first = ag[this].first_year
    assert first is not None
    sq, before = series[first - 1], series.get(first - 2)
    assert sq is not None
    last = ag[prev].last_year
    assert last is not None
    expiry = dt.date(last, 12, 31)
    fx, fx_src = _fx(as_of)
    caveats: list[str] = []
    sources = [
        f"status quo: contributions.csv {first - 1} ({sq:.1f} bn won)",
        f"expiry: rok_sma_rounds.csv {prev} SMA years covered ({ag[prev].years_covered})",
        "ratification: shared/data/README.md (National Assembly consent, majority)",
    ]
    us = _latest(case, "US", as_of)
    if us is None:
        raise ValueError(f"no US ask public by {as_of} in the {case} talks")
    if us.usd_bn is not None:
        if fx is None:
            raise ValueError(f"a dollar ask but no exchange rate by {as_of}")
        ask = round(us.usd_bn * fx, 1)
    else:
        assert us.krw_bn is not None
        ask = us.krw_bn
    sources.append(f"US ask: {us.source}: '{us.quote}'")
    if not us.dated:
        caveats.append(f"US ask '{us.quote}' is undated in the data ({us.source}); assumed public")
    rok = _latest(case, "ROK", as_of)
    offer = rok.krw_bn if rok is not None else None
    if rok is not None:
        sources.append(f"ROK offer: {rok.source}: '{rok.quote}'")
        if not rok.dated:
            caveats.append(
                f"ROK figure '{rok.quote}' is undated in the data ({rok.source}); assumed public"
            )
    else:
        caveats.append("no ROK figure public in the data by this date")
    cadence, cad_src = _cadence(case, as_of)
    sources.append(f"cadence: {cad_src}")
    if cadence is None:
        caveats.append(f"round cadence: {cad_src}; the default prior is used")
    if fx is not None:
        sources.append(f"fx: {fx_src}")
    return PublicState(
        case=case,
        as_of=as_of,
        status_quo=sq,
        us_ask=ask,
        rok_offer=offer,
        deadline=expiry,
        ratification="majority",
        round_cadence_days=cadence,
        fx_usd=fx,
        us_ask_usd=us.usd_bn,
        previous_payment=before,
        label=label,
        sources=tuple(sources),
        caveats=tuple(caveats),
    )


def _outcome(state: PublicState, priors: CasePriors) -> Outcome:
    this, _ = _TALKS[state.case]
    a = _agreements()[this]
    settlement = a.amounts_krw_bn[_SETTLEMENT_YEAR[state.case]]
    deal = _deal_date(a)
    deadline = case_numbers(state, priors).deadline
    return Outcome(
        settlement=settlement,
        deal_date=deal,
        deadline=deadline,
        before_deadline=deal <= deadline,
        days_to_deal=(deal - state.as_of).days,
        days_late=(deal - deadline).days,
        source=f"rok_sma_rounds.csv {this} SMA ({_SETTLEMENT_YEAR[state.case]} amount; deal date)",
    )


def public_states(priors: CasePriors = DEFAULT_PRIORS) -> tuple[BacktestCase, ...]:
    """Every as-of state of :data:`CASE_DATES` with what happened next."""
    out = []
    for case, dates in CASE_DATES.items():
        for day, label in dates:
            state = build_public_state(case, _d(day), label)
            out.append(BacktestCase(state, _outcome(state, priors)))
    return tuple(out)


# -- ensembles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnsembleForecast:
    """An ensemble of ``n`` sessions of one negotiator pair on one built case."""

    pair: str
    n: int
    p_agreement: float
    p_before_deadline: float
    p_within: dict[str, float]
    median_settlement: float | None
    median_days_to_deal: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "pair": self.pair,
            "n": self.n,
            "p_agreement": self.p_agreement,
            "p_before_deadline": self.p_before_deadline,
            "p_within": dict(self.p_within),
            "median_settlement": self.median_settlement,
            "median_days_to_deal": self.median_days_to_deal,
        }


def ensemble_forecast(
    scenario: Scenario,
    pair: str,
    *,
    n: int,
    seed: int,
    within: dict[str, dt.date] | None = None,
) -> EnsembleForecast:
    """Run ``n`` sessions of ``pair`` against itself (no run store) and summarise them.

    ``within`` maps labels to dates: the share of sessions that agree on a round dated on or
    before each.
    """
    draws = draw(uncertain_parameters(scenario), n, seed=seed)
    res = run_batch(scenario, (pair, pair), draws, seed=seed, n=n)
    dates = np.array(scenario.protocol.round_dates(), dtype="datetime64[D]")
    agreed = res.agreed
    when = dates[np.clip(res.round - 1, 0, len(dates) - 1)]
    start = np.datetime64(scenario.protocol.start, "D")
    deadline = np.datetime64(scenario.protocol.deadline, "D")
    p_within = {
        k: float(np.mean(agreed & (when <= np.datetime64(d, "D"))))
        for k, d in (within or {}).items()
    }
    values = res.values[scenario.issues[0].id][agreed]
    days = (when[agreed] - start).astype(np.int64)
    return EnsembleForecast(
        pair=pair,
        n=n,
        p_agreement=float(np.mean(agreed)),
        p_before_deadline=float(np.mean(agreed & (when <= deadline))),
        p_within=p_within,
        median_settlement=float(np.median(values)) if values.size else None,
        median_days_to_deal=float(np.median(days)) if days.size else None,
    )


# -- scoring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseScore:
    """One method on one case: its predictions and their errors (None where not predicted)."""

    method: str
    kind: str
    case: str
    settlement: float | None
    pct_error: float | None
    p_before_deadline: float | None = None
    brier: float | None = None
    days_to_deal: float | None = None
    delay_error_days: float | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class MethodSummary:
    """A method over every case: how many it scored, its errors, its Brier score."""

    method: str
    kind: str
    n_cases: int
    n_settlements: int
    n_no_deal: int
    mean_abs_pct_error: float | None
    mean_pct_error: float | None
    brier: float | None
    delay_mae_days: float | None
    skipped: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _pct(pred: float | None, actual: float) -> float | None:
    return None if pred is None else 100.0 * (pred - actual) / actual


def _mean(xs: Sequence[float | None]) -> float | None:
    vals = [x for x in xs if x is not None]
    return float(np.mean(vals)) if vals else None


def _summarise(method: str, kind: str, scores: Sequence[CaseScore], skipped: str) -> MethodSummary:
    errs = [s.pct_error for s in scores if s.pct_error is not None]
    return MethodSummary(
        method=method,
        kind=kind,
        n_cases=len(scores),
        n_settlements=len(errs),
        n_no_deal=sum(1 for s in scores if s.settlement is None and not s.note.startswith("skip")),
        mean_abs_pct_error=_mean([abs(e) for e in errs]),
        mean_pct_error=_mean(errs),
        brier=_mean([s.brier for s in scores]),
        delay_mae_days=_mean(
            [abs(s.delay_error_days) for s in scores if s.delay_error_days is not None]
        ),
        skipped=skipped,
    )


def _fmt(x: float | None, spec: str, none: str = "-") -> str:
    return none if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


@dataclass(frozen=True)
class SmaBacktestResult:
    """Scores of every method on every case, and where the tool was wrong."""

    n: int
    seed: int
    priors: CasePriors
    cases: tuple[BacktestCase, ...]
    scores: tuple[CaseScore, ...]
    summaries: tuple[MethodSummary, ...]
    zopa: dict[str, bool]
    wrong: tuple[str, ...]
    missing: tuple[str, ...] = MISSING
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(s.method for s in self.summaries)

    def score(self, method: str, case: str) -> CaseScore:
        return next(s for s in self.scores if s.method == method and s.case == case)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "seed": self.seed,
            "priors": self.priors.to_dict(),
            "cases": [
                {**c.to_dict(), "key": c.key, "zopa_at_central_values": self.zopa[c.key]}
                for c in self.cases
            ],
            "methods": [s.to_dict() for s in self.summaries],
            "scores": [s.to_dict() for s in self.scores],
            "wrong": list(self.wrong),
            "missing": list(self.missing),
            "skipped": dict(self.skipped),
        }

    def to_text(self) -> str:
        """The summary table by method, the table by case, and where the tool was wrong."""
        out = [
            f"SMA backtest: {len(self.cases)} as-of states of the 9th, 10th and 11th SMA talks "
            f"(ensembles of n={self.n}, seed={self.seed}); settlements in KRW bn",
            "",
            f"{'method':<28} {'kind':<9} {'scored':>6} {'no deal':>7} {'mean|%err|':>10} "
            f"{'bias %':>7} {'Brier':>6} {'delay MAE d':>11}",
        ]
        for s in self.summaries:
            if s.skipped:
                out.append(f"{s.method:<28} {s.kind:<9} skipped: {s.skipped[:60]}")
                continue
            out.append(
                f"{s.method:<28} {s.kind:<9} {s.n_settlements:>3}/{s.n_cases:<2} "
                f"{s.n_no_deal:>7} {_fmt(s.mean_abs_pct_error, '10.1f'):>10} "
                f"{_fmt(s.mean_pct_error, '+7.1f'):>7} {_fmt(s.brier, '6.3f'):>6} "
                f"{_fmt(s.delay_mae_days, '11.0f'):>11}"
            )
        out += [
            "",
            f"{'case':<16} {'actual':>7} {'deal':>10} {'<ddl':>4} {'days':>5} {'ZOPA':>4} "
            f"{'SQ+last':>7} {'Nash':>7} {'ens.lin':>7} {'P<ddl':>5} {'ens.d':>5} "
            f"{'compr.':>7}",
        ]
        for c in self.cases:
            k = c.key
            sq = self.score("baseline:status-quo+last", k)
            nash = self.score("solution:nash", k)
            lin = self.score("ensemble:linear", k)
            comp = self.score("forecast:compromise", k)
            out.append(
                f"{k:<16} {c.outcome.settlement:>7.1f} {c.outcome.deal_date.isoformat():>10} "
                f"{'yes' if c.outcome.before_deadline else 'no':>4} "
                f"{c.outcome.days_to_deal:>5} {'yes' if self.zopa[k] else 'no':>4} "
                f"{_fmt(sq.settlement, '7.1f'):>7} {_fmt(nash.settlement, '7.1f', 'no deal'):>7} "
                f"{_fmt(lin.settlement, '7.1f', 'no deal'):>7} "
                f"{_fmt(lin.p_before_deadline, '5.2f'):>5} "
                f"{_fmt(lin.days_to_deal, '5.0f'):>5} {_fmt(comp.settlement, '7.1f'):>7}"
            )
        out += ["", "Where the tool was wrong, and why:"]
        out += [f"- {w}" for w in self.wrong]
        out += ["", "Missing from the data:"]
        out += [f"- {m}" for m in self.missing]
        return "\n".join(out)


_SOLUTION_KIND = "solution"


def _solutions(sc: Scenario) -> tuple[bool, dict[str, float | None]]:
    problem = bargaining_problem(sc)
    zopa = scenario_zopa(problem)
    out: dict[str, float | None] = {}
    for s in scenario_solutions(problem):
        v = s.outcome.get("contribution") if s.outcome is not None else None
        out[s.concept] = float(v) if v is not None and not isinstance(v, str) else None
    return zopa.exists, out


def _forecasts(sc: Scenario) -> tuple[dict[str, float], dict[str, str]]:
    table = actor_table(sc)
    out: dict[str, float] = {}
    skipped: dict[str, str] = {}
    for name in FORECASTERS:
        try:
            fc = make_forecaster(name).fit().predict(table)
        except ForecastError as exc:
            skipped[name] = str(exc)
            continue
        out[name] = float(fc.outcome[0])
    return out, skipped


def backtest_sma(
    n: int = 4000, seed: int = 0, priors: CasePriors = DEFAULT_PRIORS
) -> SmaBacktestResult:
    """Build every case of :func:`public_states` and score every method (module docstring)."""
    cases = public_states(priors)
    rows: dict[tuple[str, str], list[CaseScore]] = {}
    zopa: dict[str, bool] = {}
    skipped: dict[str, str] = {}
    no_deal: list[str] = []

    def add(method: str, kind: str, score: CaseScore) -> None:
        rows.setdefault((method, kind), []).append(score)

    for c in cases:
        k, o, st = c.key, c.outcome, c.state
        _, sc = build_case(st, priors)
        exists, sols = _solutions(sc)
        zopa[k] = exists
        if not exists:
            no_deal.append(k)
        for concept, v in sols.items():
            note = "" if v is not None else "no agreement at central values"
            add(
                f"solution:{concept}",
                _SOLUTION_KIND,
                CaseScore(
                    f"solution:{concept}", _SOLUTION_KIND, k, v, _pct(v, o.settlement), note=note
                ),
            )
        for pair in ENSEMBLE_PAIRS:
            ef = ensemble_forecast(sc, pair, n=n, seed=seed)
            y = 1.0 if o.before_deadline else 0.0
            delay_err = (
                ef.median_days_to_deal - o.days_to_deal
                if ef.median_days_to_deal is not None
                else None
            )
            add(
                f"ensemble:{pair}",
                "ensemble",
                CaseScore(
                    f"ensemble:{pair}",
                    "ensemble",
                    k,
                    ef.median_settlement,
                    _pct(ef.median_settlement, o.settlement),
                    p_before_deadline=ef.p_before_deadline,
                    brier=(ef.p_before_deadline - y) ** 2,
                    days_to_deal=ef.median_days_to_deal,
                    delay_error_days=delay_err,
                    note=f"P(agreement by the horizon) {ef.p_agreement:.3f}",
                ),
            )
        fcs, skip = _forecasts(sc)
        for name in FORECASTERS:
            if name in fcs:
                v = fcs[name]
                add(
                    f"forecast:{name}",
                    "forecast",
                    CaseScore(f"forecast:{name}", "forecast", k, v, _pct(v, o.settlement)),
                )
            else:
                skipped[f"forecast:{name}"] = skip[name]
                add(
                    f"forecast:{name}",
                    "forecast",
                    CaseScore(f"forecast:{name}", "forecast", k, None, None, note="skipped"),
                )
        sq = st.status_quo
        last = round(sq * sq / st.previous_payment, 1) if st.previous_payment else None
        add(
            "baseline:status-quo",
            "baseline",
            CaseScore("baseline:status-quo", "baseline", k, sq, _pct(sq, o.settlement)),
        )
        add(
            "baseline:status-quo+last",
            "baseline",
            CaseScore(
                "baseline:status-quo+last",
                "baseline",
                k,
                last,
                _pct(last, o.settlement),
                note="status quo times the last yearly change",
            ),
        )
        y = 1.0 if o.before_deadline else 0.0
        add(
            "baseline:coin",
            "baseline",
            CaseScore(
                "baseline:coin",
                "baseline",
                k,
                None,
                None,
                p_before_deadline=0.5,
                brier=(0.5 - y) ** 2,
                note="P(deal before the deadline) = 0.5",
            ),
        )
    scores = tuple(s for group in rows.values() for s in group)
    summaries = tuple(
        _summarise(m, kind, group, skipped.get(m, "")) for (m, kind), group in rows.items()
    )
    wrong = _wrong(cases, scores, zopa, priors)
    return SmaBacktestResult(
        n=n,
        seed=seed,
        priors=priors,
        cases=cases,
        scores=scores,
        summaries=summaries,
        zopa=zopa,
        wrong=wrong,
        skipped=skipped,
    )


def _wrong(
    cases: Sequence[BacktestCase],
    scores: Sequence[CaseScore],
    zopa: dict[str, bool],
    priors: CasePriors,
) -> tuple[str, ...]:
    """Plain-language findings, from the scores, on fixed templates (never hand-edited)."""
    by = {(s.method, s.case): s for s in scores}
    out: list[str] = []
    for c in cases:
        k, o, st = c.key, c.outcome, c.state
        n = case_numbers(st, priors)
        us_mean, rok_mean = sum(n.us_walkaway) / 3, sum(n.rok_walkaway) / 3
        if not zopa[k]:
            why = []
            share = (o.settlement - st.status_quo) / (st.us_ask - st.status_quo)
            if o.settlement < us_mean:
                why.append(
                    f"Washington settled {share:.0%} of the way from the status quo to its "
                    f"latest ask ({st.us_ask:.0f}), below the mean of the prior's US walk-away "
                    f"({us_mean:.1f})"
                    + (
                        " and below its low end (an opening ask is a weaker guide than assumed)"
                        if o.settlement < n.us_walkaway[0]
                        else ""
                    )
                )
            if o.settlement > rok_mean:
                why.append(
                    f"Seoul paid more than the mean of the prior's ROK walk-away ({rok_mean:.1f})"
                )
            out.append(
                f"{k}: no zone of agreement at the central beliefs, so every solution says "
                f"'no deal', yet a deal came {o.days_to_deal} days later ({o.deal_date}) at "
                f"{o.settlement:.1f}. " + "; ".join(why) + "."
            )
        ps = {p: by[(f"ensemble:{p}", k)].p_before_deadline or 0.0 for p in ENSEMBLE_PAIRS}
        off = [p for p, v in ps.items() if (v >= 0.5) != o.before_deadline]
        if off:
            shown = ", ".join(f"{p} {ps[p]:.2f}" for p in off)
            out.append(
                f"{k}: P(deal by {o.deadline}) from the ensembles: {shown}; the deal came on "
                f"{o.deal_date}, "
                + (
                    f"{-o.days_late} days before that deadline: each negotiator concedes "
                    f"against the deadline it believes in (the rule's {o.deadline}; no belief "
                    "is fitted yet) and agrees at its last chance before it."
                    if o.before_deadline
                    else f"{o.days_late} days after it: what held it up is not in the rule."
                )
            )
        nash = by[("solution:nash", k)]
        if nash.pct_error is not None and abs(nash.pct_error) > 10:
            out.append(
                f"{k}: the Nash solution ({nash.settlement:.1f}) is {nash.pct_error:+.1f}% off "
                f"the settlement ({o.settlement:.1f})."
            )
    delays = [s for s in scores if s.method.startswith("ensemble:") and s.delay_error_days]
    if delays:
        mean_err = float(np.mean([s.delay_error_days or 0.0 for s in delays]))
        out.append(
            f"Timing: the ensembles' median days to a deal are off by {mean_err:+.0f} days on "
            "average. Time-dependent negotiators concede against the deadline each party "
            "believes in (here the rule's deadline: no deadline belief is fitted yet), so the "
            "predicted date follows that belief, not the politics that set the real date."
        )
    return tuple(out)
