"""The record of rounds: the bundled data's known values (with their sources), the as-of cut,
the default as-of rule, user files, and the training cut-off."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from burdenshare.history.facts import (
    Election,
    Facts,
    FxRate,
    Meeting,
    Position,
    RecordRound,
    RoundOutcome,
    StatusQuo,
)
from burdenshare.history.record import (
    CUTOFF,
    CUTOFF_EXCEPTIONS,
    bundled_record_files,
    default_as_of_dates,
    facts_as_of,
    load_record,
    record_cases,
)
from burdenshare.history.sma import Confidence, contribution_series

D = dt.date.fromisoformat
ROUNDS = {r.id: r for r in load_record()}


# -- known values --------------------------------------------------------------------------------

#: the dated positions of the 9th-11th SMA talks, as the SMA backtest used them
#: (history/sma_backtest.FIGURES): round, known-by date, party, KRW bn, source row.
#: US dollar asks converted at the won/dollar pair public on that date: 1,126.2 (10th SMA
#: amounts, 2019-02-10) and 1,230.9 (Hankyoreh 941826, 2020-04-22), rounded to 0.1.
POSITIONS = [
    ("us-rok-sma-9", "2013-07-01", "US", 1000.0, "rok_sma_rounds.csv 9th us_opening_ask"),
    ("us-rok-sma-10", "2018-03-01", "ROK", 1000.0, "rok_sma_rounds.csv 10th rok_opening_offer"),
    ("us-rok-sma-10", "2018-12-13", "US", 1350.0, "timeline_2019_2021.csv 2018-12-11/2018-12-13"),
    ("us-rok-sma-10", "2019-01-22", "US", 1400.0, "timeline_2019_2021.csv 2019-01-22"),
    ("us-rok-sma-11", "2019-07-31", "US", 5631.0, "timeline_2019_2021.csv 2019-07"),
    ("us-rok-sma-11", "2020-03-19", "US", 4504.8, "timeline_2019_2021.csv 2020-03-17/2020-03-19"),
    ("us-rok-sma-11", "2020-03-19", "ROK", 1142.8, "timeline_2019_2021.csv 2020-03-17/2020-03-19"),
    ("us-rok-sma-11", "2020-03-31", "ROK", 1172.5, "timeline_2019_2021.csv 2020-03 (late)"),
    ("us-rok-sma-11", "2020-06-02", "US", 1600.2, "timeline_2019_2021.csv 2020-06-02"),
]


def test_the_9th_to_11th_sma_carry_the_backtests_dated_positions() -> None:
    got = [
        (r, p.date.isoformat(), p.party, p.amount, p.source)
        for r in ("us-rok-sma-9", "us-rok-sma-10", "us-rok-sma-11")
        for p in ROUNDS[r].facts.positions
    ]
    assert len(got) == len(POSITIONS)
    for (r, day, party, amount, src), (gr, gday, gparty, gamount, gsrc) in zip(
        POSITIONS, got, strict=True
    ):
        assert (gr, gday, gparty, gamount) == (r, day, party, amount)
        assert gsrc.startswith(src)


#: the scored settlements (contributions.csv: MND 2018 Defense White Paper Chart 5-1; MOFA
#: 10th SMA release; Dong-A 2021-03-11 for the 11th), status quo and deal dates
#: (rok_sma_rounds.csv)
SCORED = [
    ("us-rok-sma-9", 2013, 869.5, 836.1, "2013-12-31", "2014-01-12", 2014, 920.0, 2014, 920.0),
    ("us-rok-sma-10", 2018, 960.2, 950.7, "2018-12-31", "2019-02-10", 2019, 1038.9, 2019, 1038.9),
    ("us-rok-sma-11", 2019, 1038.9, 960.2, "2019-12-31", "2021-03-07", 2020, 1038.9, 2021, 1183.3),
]


@pytest.mark.parametrize("row", SCORED, ids=[r[0] for r in SCORED])
def test_scored_years_status_quo_and_dates(row: tuple[object, ...]) -> None:
    rid, sq_year, sq, prev, expiry, deal, first_year, first, settle_year, settle = row
    r = ROUNDS[str(rid)]
    assert (r.facts.status_quo.year, r.facts.status_quo.amount) == (sq_year, sq)
    assert r.facts.status_quo.previous_amount == prev
    assert r.facts.expiry == D(str(expiry))
    assert r.outcome.deal_date == D(str(deal))
    assert (r.outcome.first_year, r.outcome.first_year_amount) == (first_year, first)
    assert (r.outcome.settlement_year, r.outcome.settlement_amount) == (settle_year, settle)


#: won payments before 2005, when the MND series is in dollars: Dong-A Ilbo and Yonhap
#: (Hankyoreh) 2005-04-26: 2004 7,469억 원 (660.1 bn won + $72.3M at 1,200 won), 2003 6,686억 원
PRESS_KRW = {2003: 668.6, 2004: 746.9}


def test_the_sma_amounts_agree_with_the_contribution_series() -> None:
    """Every won amount of a US-ROK round is the MND/MOFA series' figure for its year (the
    Korean press's won figure for the years the series gives in dollars only)."""
    series = {c.year: c.krw_bn for c in contribution_series()}
    for year, krw in PRESS_KRW.items():
        assert series[year] is None  # the series has no won figure: the press figure stands
        series[year] = krw
    for r in ROUNDS.values():
        if r.facts.alliance != "US-ROK" or r.facts.currency != "KRW":
            continue
        sq = r.facts.status_quo
        assert series[sq.year] == sq.amount, r.id
        if sq.previous_amount is not None:
            assert series[sq.year - 1] == sq.previous_amount, r.id
        o = r.outcome
        if o.first_year is not None and o.first_year_amount is not None:
            assert series[o.first_year] == o.first_year_amount, r.id
        if o.settlement_year is not None and o.settlement_amount is not None:
            assert series[o.settlement_year] == o.settlement_amount, r.id


def test_the_6th_sma() -> None:
    """Hankook Ilbo 2004-11-08 (1st meeting 2004-11-01/02: US +$77M on $623M, ROK freeze or
    cut); Seoul Shinmun 2005-03-16 (tentative deal 2005-03-15); Dong-A 2005-04-26 (2004: 746.9,
    2005-2006: 680.4, -8.9%); rok_sma_rounds.csv (signed 2005-06-09)."""
    r = ROUNDS["us-rok-sma-6"]
    assert (r.facts.status_quo.year, r.facts.status_quo.amount) == (2004, 746.9)
    assert r.outcome.first_year_amount is not None
    assert r.outcome.first_year_amount / r.facts.status_quo.amount - 1 == pytest.approx(
        -0.089, abs=0.0005
    )
    assert (r.facts.expiry, r.facts.talks_start) == (D("2004-12-31"), D("2004-11-01"))
    assert (r.outcome.agreement_date, r.outcome.signature_date) == (
        D("2005-03-15"),
        D("2005-06-09"),
    )
    assert r.outcome.lapse
    f = facts_as_of(r, D("2004-11-08"))
    us, rok = f.latest("US"), f.latest("ROK")
    assert us is not None
    assert rok is not None
    assert us.amount == pytest.approx(746.9 + 77 * 1.2, abs=0.05)
    assert rok.amount == 746.9
    assert facts_as_of(r, D("2004-11-07")).latest("US") is None
    assert [e.date for e in r.facts.elections] == [D("2004-11-02")]


#: the as-of dates of the SMA backtest (history/sma_backtest.CASE_DATES)
CASE_DATES = {
    "us-rok-sma-9": ["2013-07-31", "2013-11-30", "2013-12-31"],
    "us-rok-sma-10": ["2018-12-13", "2018-12-31", "2019-01-22"],
    "us-rok-sma-11": [
        "2019-10-24", "2019-11-19", "2019-12-31", "2020-03-19", "2020-06-02", "2021-02-05",
    ],
}  # fmt: skip


def test_the_backtest_as_of_dates_and_what_was_public_then() -> None:
    cases = [c for c in record_cases(ROUNDS.values()) if c.round_id in CASE_DATES]
    for rid, days in CASE_DATES.items():
        assert [c.as_of.isoformat() for c in cases if c.round_id == rid] == days
    by = {(c.round_id, c.as_of.isoformat()): c.facts for c in cases}
    # the latest US ask, ROK offer and won/dollar rate on each date (sma_backtest.public_states)
    expected = {
        ("us-rok-sma-10", "2018-12-13"): (1350.0, 1000.0, 1068.7),
        ("us-rok-sma-10", "2019-01-22"): (1400.0, 1000.0, 1068.7),
        ("us-rok-sma-11", "2019-11-19"): (5631.0, None, 1126.2),
        ("us-rok-sma-11", "2020-03-19"): (4504.8, 1142.8, 1126.2),
        ("us-rok-sma-11", "2020-06-02"): (1600.2, 1172.5, 1230.9),
    }
    for key, (ask, offer, fx) in expected.items():
        f = by[key]
        us, rok = f.latest("US"), f.latest("ROK")
        assert us is not None
        assert us.amount == ask
        assert (rok.amount if rok else None) == offer
        assert f.fx.get("USD") == fx


def test_the_ratifier_and_elections_of_the_11th_sma() -> None:
    r = ROUNDS["us-rok-sma-11"]
    assert r.facts.ratifier is not None
    assert (r.facts.ratifier.party, r.facts.ratifier.body, r.facts.ratifier.rule) == (
        "ROK",
        "National Assembly",
        "majority",
    )
    rok = next(e for e in r.facts.elections if e.date == D("2020-04-15"))
    assert rok.party == "ROK"
    assert rok.change_of_government is False
    before = facts_as_of(r, D("2020-03-19"))
    assert (
        next(e for e in before.elections if e.date == D("2020-04-15")).change_of_government is None
    )


#: the US-Japan rounds (JPY bn, Japan's host-nation-support budget by fiscal year): status quo
#: year and amount, agreement (else signature) date, first year and amount; sources in
#: us-japan-sma.yaml: Japan Times 2006-03-30; AFP 2007-10-21, japan-press 2007-12-13 and MOD
#: 2007-12-20 (FY2007 2,173 and FY2008 2,083 oku yen, expenditure basis); MOFA HNS
#: page and Japan Times 2010-12-15; Nikkei 2015-10-12, DoD News 2015-12-16 and AERA dot.
JAPAN = [
    ("us-japan-sma-2006", 2005, 237.8, "2006-01-23", 2006, 232.6),
    ("us-japan-sma-2008", 2007, 217.3, "2007-12-12", 2008, 208.3),
    ("us-japan-sma-2011", 2010, 188.1, "2010-12-14", 2011, 188.1),
    ("us-japan-sma-2016", 2015, 189.9, "2015-12-16", 2016, 192.0),
]


@pytest.mark.parametrize("row", JAPAN, ids=[r[0] for r in JAPAN])
def test_the_us_japan_rounds(row: tuple[object, ...]) -> None:
    rid, sq_year, sq, deal, first_year, first = row
    r = ROUNDS[str(rid)]
    assert (r.facts.currency, r.facts.scale, r.facts.payer) == ("JPY", "billion", "Japan")
    assert (r.facts.status_quo.year, r.facts.status_quo.amount) == (sq_year, sq)
    assert r.outcome.deal_date == D(str(deal))
    assert (r.outcome.first_year, r.outcome.first_year_amount) == (first_year, first)
    assert r.facts.expiry == dt.date(int(str(sq_year)) + 1, 3, 31)  # Japan's fiscal year
    assert r.facts.ratifier is not None
    assert r.facts.ratifier.body == "National Diet"


def test_the_2016_us_japan_asks_and_offers() -> None:
    """Nikkei 2015-10-12: the US insists on +30% on 189.9; Mainichi 2015-12-12: Japan proposes
    the current level."""
    r = ROUNDS["us-japan-sma-2016"]
    f = facts_as_of(r, D("2015-11-01"))
    us = f.latest("US")
    assert us is not None
    assert us.amount == pytest.approx(189.9 * 1.3, abs=0.05)
    assert f.latest("Japan") is None
    japan = facts_as_of(r, D("2015-12-15")).latest("Japan")
    assert japan is not None
    assert japan.amount == 189.9


def test_every_fact_has_a_source_and_a_confidence() -> None:
    for r in ROUNDS.values():
        f = r.facts
        items: list[StatusQuo | Position | FxRate] = [f.status_quo, *f.positions, *f.fx_history]
        for item in items:
            assert item.source.strip(), (r.id, item)
            assert isinstance(item.confidence, Confidence)
        assert r.outcome.source.strip(), r.id
        for e in f.elections:
            assert e.source.strip(), (r.id, e)


# -- the training cut-off ------------------------------------------------------------------------


def test_no_bundled_agreement_after_the_cutoff_but_the_11th_sma() -> None:
    assert dt.date(2020, 12, 31) == CUTOFF
    late = [
        r.id
        for r in ROUNDS.values()
        if any(
            d is not None and d > CUTOFF
            for d in (r.outcome.agreement_date, r.outcome.signature_date)
        )
    ]
    assert late == list(CUTOFF_EXCEPTIONS) == ["us-rok-sma-11"]


def test_no_later_round_is_in_the_bundled_files() -> None:
    """The forward test stays out: no 12th US-ROK SMA, no US-Japan SMA after January 2016."""
    folder = resources.files("burdenshare.history").joinpath("data/record")
    for name in [*bundled_record_files(), "README.md"]:
        text = folder.joinpath(name).read_text(encoding="utf-8").lower()
        assert "12th sma" not in text, name
        assert "12th special measures" not in text, name
    japan = [r for r in ROUNDS.values() if r.facts.alliance == "US-Japan"]
    for r in japan:
        assert r.outcome.signature_date is None or r.outcome.signature_date <= D("2016-01-31"), r.id


# -- facts_as_of and the default rule ------------------------------------------------------------


def test_facts_as_of_refuses_the_deal_date() -> None:
    r = ROUNDS["us-rok-sma-10"]
    with pytest.raises(ValueError, match="on or after the deal date"):
        facts_as_of(r, D("2019-02-10"))
    assert facts_as_of(r, D("2019-02-09")).as_of == D("2019-02-09")


def test_the_default_as_of_rule() -> None:
    r = ROUNDS["us-rok-sma-10"]
    bare = replace(r, as_of_dates=())
    assert default_as_of_dates(bare) == (
        (D("2018-03-01"), "talks start"),
        (D("2018-12-01"), "30 days before the expiry"),
        (D("2019-01-01"), "the day after the expiry"),
    )
    no_start = replace(bare, facts=replace(bare.facts, talks_start=None))
    assert default_as_of_dates(no_start)[0] == (D("2018-07-04"), "180 days before the expiry")
    early = replace(bare, outcome=replace(r.outcome, agreement_date=D("2018-12-01")))
    assert [d for d, _ in default_as_of_dates(early)] == [D("2018-03-01")]


def test_a_user_file_replaces_a_bundled_round_and_adds_one(tmp_path: Path) -> None:
    folder = resources.files("burdenshare.history").joinpath("data/record")
    text = folder.joinpath("us-rok-sma.yaml").read_text(encoding="utf-8")
    changed = text.replace("first_year_amount: 920.0", "first_year_amount: 921.0").replace(
        "id: us-rok-sma-10\n", "id: my-round\n"
    )
    path = tmp_path / "mine.yaml"
    path.write_text(changed, encoding="utf-8")
    rounds = load_record([path])
    ids = [r.id for r in rounds]
    assert ids.count("us-rok-sma-9") == 1
    assert "my-round" in ids
    assert "us-rok-sma-10" in ids
    ninth = next(r for r in rounds if r.id == "us-rok-sma-9")
    assert ninth.outcome.first_year_amount == 921.0
    assert ninth.origin == str(path)
    deals = [r.outcome.deal_date or r.facts.expiry for r in rounds]
    assert deals == sorted(deals)
    assert [r.id for r in load_record([path], bundled=False)] == [
        "us-rok-sma-6",
        "us-rok-sma-7",
        "us-rok-sma-8",
        "us-rok-sma-9",
        "my-round",
        "us-rok-sma-11",
    ]


# -- properties ----------------------------------------------------------------------------------

_DAYS = st.integers(min_value=0, max_value=2000)
_BASE = D("2015-01-01")


@st.composite
def rounds(draw: st.DrawFn) -> RecordRound:
    """A round with random dates: positions, meetings and elections anywhere in six years."""

    def day() -> dt.date:
        return _BASE + dt.timedelta(days=draw(_DAYS))

    deal = day() if draw(st.booleans()) else None
    positions = tuple(
        Position(day(), draw(st.sampled_from(["A", "B"])), "ask", 1.0, "", "s")
        for _ in range(draw(st.integers(0, 6)))
    )
    meetings = []
    for _ in range(draw(st.integers(0, 4))):
        start = day()
        meetings.append(Meeting(start, start + dt.timedelta(days=draw(st.integers(0, 3)))))
    elections = tuple(
        Election(day(), "A", "general", change_of_government=draw(st.booleans()))
        for _ in range(draw(st.integers(0, 4)))
    )
    if deal is not None:
        positions = tuple(p for p in positions if p.date <= deal)
    facts = Facts(
        alliance="A-B",
        talks="t",
        as_of=_BASE,
        demander="A",
        payer="B",
        currency="KRW",
        scale="billion",
        fx={},
        status_quo=StatusQuo(1.0, 2015, None, "s"),
        expiry=day(),
        talks_start=day() if draw(st.booleans()) else None,
        meetings=tuple(meetings),
        positions=positions,
        elections=elections,
    )
    outcome = RoundOutcome(deal is not None, deal, None, None, None, None, None)
    return RecordRound("r", facts, outcome)


@settings(max_examples=200, deadline=None)
@given(r=rounds(), offset=_DAYS)
def test_facts_as_of_never_shows_the_future(r: RecordRound, offset: int) -> None:
    as_of = _BASE + dt.timedelta(days=offset)
    deal = r.outcome.deal_date
    if deal is not None and as_of >= deal:
        with pytest.raises(ValueError, match="on or after the deal date"):
            facts_as_of(r, as_of)
        return
    f = facts_as_of(r, as_of)
    assert f.as_of == as_of
    assert all(p.date <= as_of for p in f.positions)
    assert all((m.end or m.date) <= as_of for m in f.meetings)
    assert all(e.change_of_government is None for e in f.elections if e.date > as_of)
    assert len(f.elections) == len(r.facts.elections)  # scheduled elections keep their dates
    assert f.talks_start is None or f.talks_start <= as_of
    if f.latest("A") is not None:
        assert f.latest("A") in r.facts.positions


@settings(max_examples=200, deadline=None)
@given(r=rounds())
def test_record_cases_are_strictly_before_the_deal(r: RecordRound) -> None:
    for case in record_cases([r]):
        assert r.outcome.deal_date is None or case.as_of < r.outcome.deal_date
        assert case.as_of >= dt.date(r.facts.status_quo.year, 1, 1)
        assert case.facts.as_of == case.as_of


def test_record_cases_on_the_bundled_record_never_reach_the_deal() -> None:
    for case in record_cases(load_record()):
        assert case.outcome.deal_date is None or case.as_of < case.outcome.deal_date
        assert all(p.date <= case.as_of for p in case.facts.positions)
