"""The SMA record shipped in ``history/data/sma/``: loaders, the contribution series, the chart.

Known values are from ``shared/data/README.md`` (sma/ section): the Ministry of National Defense
series (2018 Defense White Paper, Chart 5-1) for 2005–2018 and the 10th/11th SMA terms for
2019–2022.
"""

from __future__ import annotations

import csv
import json
from importlib import resources
from pathlib import Path

import pytest

from burdenshare.history.sma import (
    Confidence,
    contribution_series,
    load_sma_agreements,
    load_sma_timeline,
    parse_confidence,
    parse_figure,
    yearly_changes,
)
from burdenshare.services.history import sma_chart, sma_figure, sma_record

#: the MND series as given in shared/data/README.md (KRW bn)
MND = {
    2005: 680.4, 2006: 680.4, 2007: 725.5, 2008: 741.5, 2009: 760.0, 2010: 790.4, 2011: 812.5,
    2012: 836.1, 2013: 869.5, 2014: 920.0, 2015: 932.0, 2016: 944.1, 2017: 950.7, 2018: 960.2,
    2019: 1038.9, 2020: 1038.9, 2021: 1183.3, 2022: 1247.1,
}  # fmt: skip
#: the MND USD series before 2005 as listed in rok_sma_rounds.csv (USD m)
MND_USD = {
    1991: 150, 1992: 180, 1993: 220, 1994: 260, 1995: 300, 1996: 330, 1997: 360, 1998: 390,
    1999: 330, 2000: 390, 2001: 440, 2002: 470, 2003: 550, 2004: 620,
}  # fmt: skip


def _raw_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("burdenshare.history").joinpath(f"data/sma/{name}").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


# -- loaders -----------------------------------------------------------------------------------


def test_every_agreement_row_loads() -> None:
    agreements = load_sma_agreements()
    assert len(agreements) == len(_raw_rows("rok_sma_rounds.csv")) == 11
    assert [a.number for a in agreements] == list(range(1, 12))
    for a in agreements:
        assert a.source
        assert a.confidence in Confidence
        json.dumps(a.to_dict())


def test_every_timeline_row_loads() -> None:
    events = load_sma_timeline()
    assert len(events) == len(_raw_rows("timeline_2019_2021.csv")) == 51
    assert all(e.start is not None for e in events)
    assert all(e.end is None or (e.start is not None and e.end >= e.start) for e in events)
    for e in events:
        json.dumps(e.to_dict())


def test_eleventh_sma_figures() -> None:
    eleventh = load_sma_agreements()[10]
    assert eleventh.sma == "11th"
    assert eleventh.first_year_krw_bn.value is None  # two numbers in one field: not one value
    assert "1038.9" in eleventh.first_year_krw_bn.raw
    assert eleventh.amounts_krw_bn == {2020: 1038.9, 2021: 1183.3, 2022: 1247.1}
    assert eleventh.lapsed
    assert eleventh.n_rounds is None
    assert "9th by inference" in eleventh.n_rounds_text
    assert (eleventh.first_year, eleventh.last_year) == (2020, 2025)


def test_tenth_sma() -> None:
    tenth = load_sma_agreements()[9]
    assert tenth.first_year_krw_bn.value == 1038.9
    assert tenth.pct_change == 8.2
    assert tenth.first_year_usd_m.value is None
    assert (tenth.first_year_usd_m.low, tenth.first_year_usd_m.high) == (920.0, 925.0)
    assert tenth.first_year_usd_m.approx


def test_amounts_in_the_rounds_file_match_the_mnd_series() -> None:
    """The two files agree on every year both give."""
    for a in load_sma_agreements():
        for year, value in a.amounts_krw_bn.items():
            assert MND[year] == value, (a.sma, year)
        for year, value in a.amounts_usd_m.items():
            assert MND_USD[year] == value, (a.sma, year)


def test_confidence_tags() -> None:
    by = {a.sma: a for a in load_sma_agreements()}
    # amounts sourced, round-to-year mapping recalled
    assert by["1st"].amount_confidence is Confidence.SOURCED
    assert by["1st"].confidence is Confidence.RECALLED
    assert set(by["1st"].tagged_fields) >= {"years_covered", "duration_years", "signed"}
    # the 8th SMA's escalation rule is recalled
    assert by["8th"].tagged_fields["escalation_rule_later_years"] is Confidence.RECALLED
    # the 11th's plenary date is recalled; its amounts are sourced
    assert by["11th"].amount_confidence is Confidence.SOURCED
    assert set(by["11th"].tagged_fields) == {"ratified_or_in_force"}
    for sma in ("6th", "7th", "9th", "10th"):
        assert by[sma].confidence is Confidence.SOURCED, sma
    events = load_sma_timeline()
    recalled = [e.date for e in events if e.confidence is Confidence.RECALLED]
    assert recalled == ["2020-11-03", "2021-01-20", "2021-09-01"]
    inferred = {e.date for e in events if e.confidence is Confidence.INFERRED}
    assert {"2020-03-30", "2019-11-26/2019-11-28", "2021-03-05/2021-03-07"} == inferred


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("sourced", Confidence.SOURCED),
        ("sourced (exact date not given)", Confidence.SOURCED),
        ("sourced (derived)", Confidence.INFERRED),
        ("amounts sourced; escalation rule recalled", Confidence.RECALLED),
        ("recalled", Confidence.RECALLED),
    ],
)
def test_parse_confidence(text: str, level: Confidence) -> None:
    assert parse_confidence(text) is level


def test_untagged_text_is_an_error() -> None:
    with pytest.raises(ValueError, match="no confidence level"):
        parse_confidence("probably")


@pytest.mark.parametrize(
    ("text", "value", "low", "high"),
    [
        ("1038.9", 1038.9, 1038.9, 1038.9),
        ("1,038.9", 1038.9, 1038.9, 1038.9),
        ("855.7-866", None, 855.7, 866.0),
        ("676 (VOA) / 708 (Xinhua conversion)", None, None, None),
        ("2021: ~1,009-1,040", None, None, None),
        ("", None, None, None),
    ],
)
def test_figures_are_parsed_honestly(
    text: str, value: float | None, low: float | None, high: float | None
) -> None:
    fig = parse_figure(text)
    assert (fig.value, fig.low, fig.high, fig.raw) == (value, low, high, text)


# -- the series --------------------------------------------------------------------------------


def test_contributions_csv_is_the_mnd_series() -> None:
    rows = _raw_rows("contributions.csv")
    assert {int(r["year"]): float(r["krw_bn"]) for r in rows} == MND
    assert all(r["source"] and r["confidence"] == "sourced" for r in rows)


def test_contribution_series() -> None:
    series = contribution_series()
    assert [c.year for c in series] == list(range(1991, 2023))
    assert {c.year: c.krw_bn for c in series if c.krw_bn is not None} == MND
    assert {c.year: c.usd_m for c in series if c.usd_m is not None} == MND_USD
    assert all((c.krw_bn is None) != (c.usd_m is None) for c in series)  # one currency a year
    inferred = [c.year for c in series if c.confidence is Confidence.INFERRED]
    assert inferred == [1991, 1994, 1996, 1999, 2002]  # first years of the 1st-5th SMA


def test_yearly_changes() -> None:
    ch = {c.year: c for c in yearly_changes()}
    assert set(ch) == set(range(1992, 2023))
    assert ch[2019].pct == pytest.approx(100 * (1038.9 / 960.2 - 1))  # +8.2%
    assert round(ch[2019].pct or 0, 1) == 8.2
    assert ch[2020].pct == 0.0
    assert round(ch[2021].pct or 0, 1) == 13.9
    assert round(ch[2022].pct or 0, 1) == 5.4
    assert ch[2005].pct is None
    assert "exchange rate" in ch[2005].note
    assert ch[1999].pct == pytest.approx(100 * (330 / 390 - 1))
    assert ch[1999].confidence is Confidence.INFERRED


# -- the service and the chart -----------------------------------------------------------------


def test_sma_record_is_json_ready() -> None:
    record = sma_record()
    assert {"table", "agreements", "series", "changes", "timeline", "notes", "sources"} <= set(
        record
    )
    text = json.dumps(record, ensure_ascii=False)
    assert json.loads(text) == record
    assert record["table"][9]["first_year_amount"] == "₩1,038.9bn"
    assert record["table"][0]["first_year_amount"] == "$150.0M"
    assert record["table"][10]["lapse"] == "yes"


def test_chart_renders(tmp_path: Path) -> None:
    fig = sma_figure()
    assert len(fig.axes) == 3  # won, the dollar twin, the yearly change
    paths = sma_chart(tmp_path / "charts")
    assert [p.name for p in paths] == ["sma-contributions.png", "sma-contributions.svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in paths[1].read_text(encoding="utf-8")


def test_chart_to_a_named_file(tmp_path: Path) -> None:
    paths = sma_chart(tmp_path / "record.svg")
    assert sorted(p.name for p in paths) == ["record.png", "record.svg"]
    assert all(p.stat().st_size > 1000 for p in paths)
