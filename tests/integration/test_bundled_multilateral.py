"""The bundled N-party scenarios: NATO's Wales (2014) and Hague (2025) summits, and the
hypothetical US-Japan-ROK table. Their NATO numbers equal the rows they cite (a verbatim copy in
tests/fixtures/nato, since the project's reference data is outside the repository); the
trilateral's numbers equal the bundled US-ROK scenario's, converted to percentages.

Tags on every numeric line and the provenance paths are checked for every bundled scenario in
test_library.py."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from burdenshare.scenario import Scenario
from burdenshare.scenario.distributions import Distribution
from burdenshare.scenario.io import load_scenario
from burdenshare.scenario.library import bundled_path

FIXTURE = Path(__file__).parent.parent / "fixtures" / "nato"


def _load(name: str) -> Scenario:
    return load_scenario(bundled_path(name)).scenario


def _shares() -> dict[tuple[str, int, str], float]:
    """(ISO3, year, edition) -> share of GDP (%), as published."""
    with (FIXTURE / "defence_share_gdp.csv").open(encoding="utf-8") as f:
        return {
            (r["iso3"], int(r["year"]), r["edition"]): float(r["share_gdp_pct"])
            for r in csv.DictReader(f)
        }


def _levels_2014() -> dict[str, dict[str, str]]:
    with (FIXTURE / "defence_usd_gdp.csv").open(encoding="utf-8") as f:
        rows = [
            r for r in csv.DictReader(f) if r["source_id"] == "NATO-2026" and r["year"] == "2014"
        ]
    return {r["iso3"]: r for r in rows}


SHARES = _shares()
LEVELS = _levels_2014()
WITH_FIGURES_2014 = sorted({iso for (iso, year, ed) in SHARES if (year, ed) == (2014, "2025-08")})
WITH_FIGURES_2025 = sorted({iso for (iso, year, ed) in SHARES if (year, ed) == (2024, "2024-06")})


def _fixed(value: object) -> float:
    assert isinstance(value, float), value
    return value


def test_the_fixture_holds_the_allies_of_each_summit() -> None:
    """27 allies of 2014 and 31 of 2025 have NATO figures; Iceland, the 28th / 32nd, has none."""
    assert len(WITH_FIGURES_2014) == 27
    assert len(WITH_FIGURES_2025) == 31
    assert set(WITH_FIGURES_2014) < set(WITH_FIGURES_2025)
    assert set(WITH_FIGURES_2025) - set(WITH_FIGURES_2014) == {"FIN", "MKD", "MNE", "SWE"}


@pytest.mark.parametrize(
    ("name", "parties"),
    [("nato-wales-2014", 28), ("nato-hague-2025", 32), ("us-japan-rok-trilateral", 3)],
)
def test_each_loads_with_every_party_at_one_table(name: str, parties: int) -> None:
    sc = _load(name)
    assert sc.id == name
    assert len(sc.party_names) == parties
    assert not sc.bilateral
    assert sc.protocol.decision_rule == "unanimity"
    assert sc.protocol.needed(parties) == parties


def test_wales_seats_the_28_allies_of_2014_and_decides_by_consensus() -> None:
    sc = _load("nato-wales-2014")
    assert set(sc.party_names) == {*WITH_FIGURES_2014, "ISL"}
    assert sc.protocol.kind == "single_text"


@pytest.mark.parametrize("iso", WITH_FIGURES_2014)
def test_wales_ideals_are_the_2014_figures_they_cite(iso: str) -> None:
    """Target: the 2025-08 edition's 2014 share, to NATO's two decimals; equipment: the 2026-07
    edition's Table 8a; the capability of the ally's actor: its 2014 GDP in US$ trillion."""
    sc = _load("nato-wales-2014")
    u = sc.parties[iso].utility
    share = round(SHARES[(iso, 2014, "2025-08")], 2)
    assert _fixed(u["target_share"].ideal) == share
    assert u["target_share"].prefers == ("higher" if share >= 2.0 else "lower")
    assert _fixed(u["target_share"].reservation) == 2.0
    equipment = round(float(LEVELS[iso]["equipment_share_pct"]), 2)
    assert _fixed(u["equipment_share"].ideal) == equipment
    assert u["equipment_share"].prefers == ("higher" if equipment >= 20.0 else "lower")
    (actor,) = [a for a in sc.actors if a.party == iso]
    assert _fixed(actor.position) == share
    assert _fixed(actor.capability) == pytest.approx(
        float(LEVELS[iso]["gdp_usd_current_m"]) / 1e6, abs=5e-7
    )


@pytest.mark.parametrize("iso", WITH_FIGURES_2014)
def test_wales_years_follow_the_stated_rule(iso: str) -> None:
    """Below 2%: at least the years the gap takes at 0.1 point of GDP a year, within 5 to 20."""
    u = _load("nato-wales-2014").parties[iso].utility
    share = _fixed(u["target_share"].ideal)
    if share >= 2.0:
        assert (u["years"].prefers, u["years"].ideal, u["years"].reservation) == ("lower", 5, 20)
    else:
        gap_years = -int(-round((2.0 - share) / 0.1, 9) // 1)  # ceiling
        assert u["years"].reservation == min(max(gap_years, 5), 20)


def test_wales_hindsight_is_the_declaration_and_who_spent_2_percent_in_2024() -> None:
    sc = _load("nato-wales-2014")
    h = sc.hindsight
    assert h is not None
    assert (h.outcome, h.date.isoformat()) == ("agreement", "2014-09-05")
    assert h.values == {"target_share": 2.0, "years": 10.0, "equipment_share": 20.0}
    assert set(h.by_party) == set(sc.party_names)
    assert h.by_party["ISL"].values == {}
    reached = []
    for iso in WITH_FIGURES_2014:
        got = h.by_party[iso]
        latest = round(SHARES[(iso, 2024, "2025-08")], 2)
        assert got.values == {
            "share_gdp_2024": latest,
            "share_gdp_2024_core": SHARES[(iso, 2024, "2026-07")],
        }
        assert got.note.startswith("reached 2%" if latest >= 2.0 else "below 2%")
        if latest >= 2.0:
            reached.append(iso)
    assert len(reached) == 16
    assert f"{len(reached)} of the 27 allies" in h.note


def test_hague_seats_the_32_allies_on_the_june_2024_figures() -> None:
    """The latest figures public on as_of: the June 2024 edition (the 2025-08 one came out in
    August 2025)."""
    sc = _load("nato-hague-2025")
    assert set(sc.party_names) == {*WITH_FIGURES_2025, "ISL"}
    for iso in WITH_FIGURES_2025:
        u = sc.parties[iso].utility["core_share"]
        share = SHARES[(iso, 2024, "2024-06")]
        assert _fixed(u.ideal) == share
        if share >= 3.0:
            assert (u.prefers, u.reservation) == ("higher", 2.0)
        else:
            low = round(max(share, 2.0) + 0.1, 2)
            assert u.prefers == "lower"
            assert isinstance(u.reservation, Distribution)
            assert u.reservation.kind == "uniform"
            assert u.reservation.params == pytest.approx((low, low + 1.0))


def test_hague_is_a_forecast_with_the_declaration_as_its_only_hindsight() -> None:
    sc = _load("nato-hague-2025")
    h = sc.hindsight
    assert h is not None
    assert h.date > sc.as_of
    assert h.values == {"core_share": 3.5, "related_share": 1.5, "target_year": 2035.0}
    assert h.by_party == {}


def _pct_over(base: float, value: float) -> float:
    return round((value / base - 1.0) * 100.0, 1)


def test_trilateral_is_marked_hypothetical_and_has_no_hindsight() -> None:
    sc = _load("us-japan-rok-trilateral")
    assert sc.title.startswith("Hypothetical")
    assert "hypothetical" in sc.description.lower()
    assert sc.hindsight is None
    assert sc.party_names == ("US", "Japan", "ROK")


def test_trilateral_rok_numbers_are_the_bundled_us_rok_scenario_in_percent() -> None:
    """Seoul's 2019 payment is the base; the US ask, the walk-away points and the Assembly's
    threshold are us-rok-sma-2019's, as percentages over it (to 0.1)."""
    flagship = _load("us-rok-sma-2019")
    tri = _load("us-japan-rok-trilateral")
    base = _fixed(flagship.parties["ROK"].utility["contribution"].ideal)
    assert base == 1038.9
    us = flagship.parties["US"].utility["contribution"]
    rok = flagship.parties["ROK"].utility["contribution"]
    ask = _fixed(tri.parties["US"].utility["rok_increase"].ideal)
    assert ask == _pct_over(base, _fixed(us.ideal))
    pairs = [
        (tri.parties["US"].utility["rok_increase"].reservation, us.reservation),
        (tri.parties["ROK"].utility["rok_increase"].reservation, rok.reservation),
    ]
    tri_rat, flag_rat = tri.parties["ROK"].ratification, flagship.parties["ROK"].ratification
    assert tri_rat is not None
    assert flag_rat is not None
    pairs.append((tri_rat.approval_threshold, flag_rat.approval_threshold))
    for got, source in pairs:
        assert isinstance(got, Distribution)
        assert isinstance(source, Distribution)
        assert got.kind == source.kind == "triangular"
        assert got.params == tuple(_pct_over(base, v) for v in source.params)
