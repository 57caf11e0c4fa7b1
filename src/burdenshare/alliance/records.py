"""The frozen records of the alliance model: an equilibrium of contributions
(:mod:`burdenshare.alliance.equilibrium`) and the rank test of the exploitation hypothesis on
NATO's figures (:mod:`burdenshare.alliance.exploitation`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["CurvePoint", "EditionGap", "Equilibrium", "ExploitationTest", "RankTest", "YearTest"]


@dataclass(frozen=True)
class Equilibrium:
    """The Nash equilibrium contributions of equation (4), allies in the order given."""

    names: tuple[str, ...]
    incomes: tuple[float, ...]
    alphas: tuple[float, ...]
    private_share: float
    contributions: tuple[float, ...]
    total: float
    contributors: tuple[str, ...]

    @property
    def burdens(self) -> tuple[float, ...]:
        """Each ally's spending as a share of its income (the burden)."""
        return tuple(q / y for q, y in zip(self.contributions, self.incomes, strict=True))

    def to_dict(self) -> dict[str, Any]:
        return {
            "private_share": self.private_share,
            "total": self.total,
            "contributors": list(self.contributors),
            "allies": [
                {"ally": n, "income": y, "alpha": a, "contribution": q, "burden": q / y}
                for n, y, a, q in zip(
                    self.names, self.incomes, self.alphas, self.contributions, strict=True
                )
            ],
        }


@dataclass(frozen=True)
class RankTest:
    """Spearman's rank correlation of two samples with its p-value and a bootstrap interval."""

    n: int
    rho: float
    p_value: float
    p_method: str  # "exact" (all n! orderings) or "t" (Student t, n - 2 df)
    alternative: str  # "two-sided" or "greater"
    ci_low: float
    ci_high: float
    confidence: float
    resamples: int  # bootstrap resamples with a defined correlation

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class YearTest:
    """The exploitation test in one year of one edition: size (GDP) against burden."""

    edition: str
    year: int
    estimate: bool  # NATO flags the year's shares as estimates
    allies: tuple[str, ...]
    sizes: tuple[float, ...]  # GDP, US$ m, in the order of ``allies``
    burdens: tuple[float, ...]  # defence spending as % of GDP
    test: RankTest

    def to_dict(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "year": self.year,
            "estimate": self.estimate,
            **self.test.to_dict(),
            "allies": [
                {"ally": a, "gdp_usd_m": s, "share_gdp_pct": b}
                for a, s, b in zip(self.allies, self.sizes, self.burdens, strict=True)
            ],
        }


@dataclass(frozen=True)
class EditionGap:
    """The same year's correlation in two editions (their allies in common)."""

    year: int
    edition_a: str
    edition_b: str
    rho_a: float
    rho_b: float
    n: int

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "difference": self.rho_b - self.rho_a}


@dataclass(frozen=True)
class ExploitationTest:
    """Every year's test, the trend of the correlation over the years, and the editions compared."""

    allies: str  # "members" or "classic"
    size: str  # the GDP column used for size
    years: tuple[YearTest, ...]
    trends: tuple[tuple[str, float, float, float], ...]  # edition, slope per year, tau, p
    editions_compared: tuple[EditionGap, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "allies": self.allies,
            "size": self.size,
            "years": [y.to_dict() for y in self.years],
            "trends": [
                {"edition": e, "slope_per_year": s, "kendall_tau": t, "p_value": p}
                for e, s, t, p in self.trends
            ],
            "editions_compared": [g.to_dict() for g in self.editions_compared],
        }


@dataclass(frozen=True)
class CurvePoint:
    """How unequal the burdens of an equilibrium are, at one private share of defence."""

    private_share: float
    burden_ratio: float  # the smallest burden over the largest (1: equal burdens)
    largest_disproportion: float  # the largest ally's share of spending over its share of income
    free_riders: int  # allies that spend nothing

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
