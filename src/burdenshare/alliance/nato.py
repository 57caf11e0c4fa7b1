"""NATO's published defence figures, as shipped in ``alliance/data/`` (see its README for
provenance, terms and caveats).

- :func:`shares`: defence expenditure as % of GDP per ally and year, for one NATO edition
  (``2024-06``, ``2025-08`` or ``2026-07``); the key is (ally, year, edition) and the editions are
  never mixed.
- :func:`levels`: the 2026 edition's levels (defence and GDP, current and constant-2021 US$ m).
- :data:`CLASSIC_ALLIES`: the fourteen allies of Olson & Zeckhauser's (1966) Table 1 (NATO in
  1964 without Iceland, which has no armed forces).

The two aggregates ("NATO Europe and Canada", "NATO Total") are left out; so are the years before
an ally joined (``member`` false) unless asked for.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources

from burdenshare.errors import ScenarioError

__all__ = [
    "CLASSIC_ALLIES",
    "EDITIONS",
    "SIZE_COLUMNS",
    "AllyLevels",
    "AllyShare",
    "levels",
    "shares",
]

#: NATO editions in the shipped shares file, oldest first
EDITIONS = ("2024-06", "2025-08", "2026-07")
#: the GDP columns of the 2026 edition that can measure an ally's size
SIZE_COLUMNS = ("gdp_usd_current_m", "gdp_usd_const2021_m")
#: NATO's members in 1964 bar Iceland: the allies of Olson & Zeckhauser (1966), Table 1
CLASSIC_ALLIES = frozenset(
    {
        "Belgium",
        "Canada",
        "Denmark",
        "France",
        "Germany",
        "Greece",
        "Italy",
        "Luxembourg",
        "Netherlands",
        "Norway",
        "Portugal",
        "Türkiye",
        "United Kingdom",
        "United States",
    }
)
_AGGREGATES = frozenset({"NATO Total", "NATO Europe and Canada"})


@dataclass(frozen=True)
class AllyShare:
    """One ally's defence spending as % of GDP in one year of one edition."""

    ally: str
    year: int
    share_gdp_pct: float
    estimate: bool
    member: bool
    edition: str


@dataclass(frozen=True)
class AllyLevels:
    """One ally's levels in one year (NATO 2026 edition; US$ m)."""

    ally: str
    year: int
    gdp_usd_current_m: float
    gdp_usd_const2021_m: float
    defence_usd_current_m: float
    estimate: bool
    member: bool


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("burdenshare.alliance").joinpath(f"data/{name}").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _flag(value: str) -> bool:
    return value == "true"


@functools.cache
def _all_shares() -> tuple[AllyShare, ...]:
    return tuple(
        AllyShare(
            ally=r["country"],
            year=int(r["year"]),
            share_gdp_pct=float(r["share_gdp_pct"]),
            estimate=_flag(r["estimate"]),
            member=_flag(r["member"]),
            edition=r["edition"],
        )
        for r in _read("nato_share_gdp.csv")
        if r["country"] not in _AGGREGATES
    )


def shares(edition: str, *, members_only: bool = True) -> tuple[AllyShare, ...]:
    """One edition's shares of GDP, allies only.

    >>> us = [s for s in shares("2026-07") if s.ally == "United States" and s.year == 2026]
    >>> us[0].share_gdp_pct, us[0].estimate
    (3.17, True)
    """
    if edition not in EDITIONS:
        raise ScenarioError(
            "unknown NATO edition", field="--edition", value=edition, expected=", ".join(EDITIONS)
        )
    return tuple(
        s for s in _all_shares() if s.edition == edition and (s.member or not members_only)
    )


@functools.cache
def levels() -> dict[tuple[str, int], AllyLevels]:
    """The 2026 edition's levels keyed by (ally, year).

    >>> levels()[("Sweden", 2026)].defence_usd_current_m
    24186.0
    """
    out = {}
    for r in _read("nato_levels_2026.csv"):
        if r["country"] in _AGGREGATES:
            continue
        rec = AllyLevels(
            ally=r["country"],
            year=int(r["year"]),
            gdp_usd_current_m=float(r["gdp_usd_current_m"]),
            gdp_usd_const2021_m=float(r["gdp_usd_const2021_m"]),
            defence_usd_current_m=float(r["defence_usd_current_m"]),
            estimate=_flag(r["estimate"]),
            member=_flag(r["member"]),
        )
        out[(rec.ally, rec.year)] = rec
    return out
