"""The exploitation test on NATO's shipped figures: editions never mixed, the right allies each
year, and each year's rho equal to scipy's on the rows read straight from the CSV files."""

from __future__ import annotations

import csv
from importlib import resources

import numpy as np
import pytest
from scipy.stats import spearmanr

from burdenshare.alliance import nato
from burdenshare.alliance.exploitation import exploitation_test
from burdenshare.errors import ScenarioError


def _csv(name: str) -> list[dict[str, str]]:
    path = resources.files("burdenshare.alliance").joinpath(f"data/{name}")
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_no_sipri_rows_are_shipped() -> None:
    assert all("SIPRI" not in r["source"] for r in _csv("nato_levels_2026.csv"))
    assert {r["edition"] for r in _csv("nato_share_gdp.csv")} == set(nato.EDITIONS)


@pytest.mark.parametrize("edition", nato.EDITIONS)
def test_one_edition_no_aggregates(edition: str) -> None:
    rows = nato.shares(edition)
    assert {r.edition for r in rows} == {edition}
    assert not {r.ally for r in rows} & {"NATO Total", "NATO Europe and Canada", "Iceland"}
    assert all(r.member for r in rows)


def test_members_by_year() -> None:
    """28 members in 2014 less Iceland; 32 in 2026 less Iceland (README accession years)."""
    out = exploitation_test(np.random.default_rng(0), resamples=20)
    n = {t.year: t.test.n for t in out.years}
    assert n[2014] == 27
    assert n[2017] == 28
    assert n[2020] == 29
    assert n[2023] == 30
    assert n[2026] == 31
    assert [t.estimate for t in out.years if t.year >= 2024] == [False, True, True]


@pytest.mark.parametrize(("edition", "allies"), [("2026-07", "members"), ("2025-08", "classic")])
def test_rho_equals_scipy_on_the_raw_rows(edition: str, allies: str) -> None:
    gdp = {
        (r["country"], r["year"]): float(r["gdp_usd_current_m"])
        for r in _csv("nato_levels_2026.csv")
    }
    out = exploitation_test(
        np.random.default_rng(0), editions=[edition], allies=allies, resamples=20
    )
    for t in out.years:
        rows = [
            r
            for r in _csv("nato_share_gdp.csv")
            if r["edition"] == edition
            and r["year"] == str(t.year)
            and r["member"] == "true"
            and (allies == "members" or r["country"] in nato.CLASSIC_ALLIES)
        ]
        ref = spearmanr(
            [gdp[(r["country"], r["year"])] for r in rows],
            [float(r["share_gdp_pct"]) for r in rows],
        )
        assert t.test.n == len(rows)
        assert t.test.rho == pytest.approx(ref.statistic, abs=1e-12)
        assert t.test.p_value == pytest.approx(ref.pvalue, rel=1e-9)


def test_seeded_and_reproducible() -> None:
    one = exploitation_test(np.random.default_rng(5), editions=["2025-08", "2026-07"], resamples=50)
    two = exploitation_test(np.random.default_rng(5), editions=["2026-07", "2025-08"], resamples=50)
    assert one == two
    alone = exploitation_test(np.random.default_rng(5), editions=["2026-07"], resamples=50)
    assert alone.years == tuple(t for t in one.years if t.edition == "2026-07")
    years = {(g.year, g.edition_a, g.edition_b) for g in one.editions_compared}
    assert (2014, "2025-08", "2026-07") in years
    assert len(years) == 12


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"editions": ["2023-01"]}, "--edition"),
        ({"allies": "all"}, "--allies"),
        ({"size": "population"}, "--size"),
        ({"alternative": "up"}, "--alternative"),
    ],
)
def test_bad_options_are_scenario_errors(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ScenarioError) as err:
        exploitation_test(np.random.default_rng(0), resamples=5, **kwargs)  # type: ignore[arg-type]
    assert err.value.field == field
