"""Stationing costs: the cost categories, host-nation support, and numbers that show their working.

Two records carry every number of :mod:`burdenshare.costs`:

- :class:`Quantity`: an input, a value with its unit and where it came from;
- :class:`Computation`: a result, with its formula, the inputs put into it (as text and JSON) and
  any assumption it rests on.

The cost categories are those of the SMA (labour, construction, logistics; combined defense
improvement projects were folded into construction from the 8th SMA) and the new categories the
US sought in 2019 (rotational deployments, strategic assets, exercises; the SMA record also lists
readiness). Host-nation support is *direct* (cash and in-kind payments, such as the SMA
contribution) or *indirect* (costs the host forgoes, such as rent-free land or waived taxes);
GAO-21-270 reports Korea's direct support.

Sourced figures live in ``costs/data/figures.csv``, assumptions in ``costs/data/assumptions.csv``
(see the README there).

>>> figure("gao_us_obligations")
Quantity(value=13.4, unit='USD bn', name='gao_us_obligations', source='GAO-21-270 ...')
>>> parse_quantity("3.35 bn USD")
Quantity(value=3.35, unit='USD bn', name='', source='user input')
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from typing import Any

from burdenshare.errors import ScenarioError
from burdenshare.scales import SCALES

__all__ = [
    "CATEGORY_INFO",
    "Assumption",
    "Computation",
    "CostCategory",
    "Quantity",
    "StationingCost",
    "SupportKind",
    "SupportRecord",
    "assumption",
    "assumptions",
    "figure",
    "figures",
    "parse_quantity",
    "split_unit",
]


class CostCategory(StrEnum):
    """What money for stationing US forces pays for."""

    LABOR = "labor"
    CONSTRUCTION = "construction"
    LOGISTICS = "logistics"
    ROTATIONAL_DEPLOYMENTS = "rotational_deployments"
    STRATEGIC_ASSETS = "strategic_assets"
    EXERCISES = "exercises"
    READINESS = "readiness"

    @property
    def in_sma(self) -> bool:
        """Covered by the SMA as agreed (labour, construction, logistics)."""
        return CATEGORY_INFO[self]["in_sma"] == "yes"

    @property
    def sought_2019(self) -> bool:
        """One of the new categories the US sought in the 11th SMA talks."""
        return CATEGORY_INFO[self]["sought_2019"] == "yes"


_ROUNDS = "rok_sma_rounds.csv"
#: what each category covers and where that is stated
CATEGORY_INFO: Mapping[CostCategory, Mapping[str, str]] = {
    CostCategory.LABOR: {
        "description": "wages of Korean workers employed by US Forces Korea",
        "in_sma": "yes",
        "sought_2019": "no",
        "source": f"{_ROUNDS} (categories of the 1st to 11th SMA)",
    },
    CostCategory.CONSTRUCTION: {
        "description": "ROK-funded construction for US forces (CDIP folded in from the 8th SMA)",
        "in_sma": "yes",
        "sought_2019": "no",
        "source": f"{_ROUNDS} (categories; 8th SMA text)",
    },
    CostCategory.LOGISTICS: {
        "description": "logistics cost sharing (supplies and services)",
        "in_sma": "yes",
        "sought_2019": "no",
        "source": f"{_ROUNDS} (categories)",
    },
    CostCategory.ROTATIONAL_DEPLOYMENTS: {
        "description": "units rotated into Korea",
        "in_sma": "no",
        "sought_2019": "yes",
        "source": "shared/data/README.md; Yonhap 2019-12-18 (DeHart's breakdown of the $5bn)",
    },
    CostCategory.STRATEGIC_ASSETS: {
        "description": "deployments of strategic assets to the peninsula",
        "in_sma": "no",
        "sought_2019": "yes",
        "source": f"shared/data/README.md; {_ROUNDS} (11th SMA categories)",
    },
    CostCategory.EXERCISES: {
        "description": "combined exercises (and, per round 6, out-of-area operations)",
        "in_sma": "no",
        "sought_2019": "yes",
        "source": f"shared/data/README.md; {_ROUNDS}; KBS 2020-01 (round 6)",
    },
    CostCategory.READINESS: {
        "description": "readiness (listed with the new categories in the SMA record)",
        "in_sma": "no",
        "sought_2019": "yes",
        "source": f"{_ROUNDS} (11th SMA categories)",
    },
}


class SupportKind(StrEnum):
    """Direct support is paid (cash, in kind); indirect support is forgone (rent, taxes, fees)."""

    DIRECT = "direct"
    INDIRECT = "indirect"


# -- quantities and computations ------------------------------------------------------------

_QTY = re.compile(
    r"^\s*(?P<num>[-+]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*(?P<scale>[A-Za-z]+)?"
    r"(?:\s+(?P<cur>[A-Za-z]{3}))?\s*$"
)
_SCALE_NAME = {1.0: "", 1e3: "k", 1e6: "m", 1e9: "bn", 1e12: "tn"}


def split_unit(unit: str) -> tuple[str, float]:
    """``"USD bn"`` → ``("USD", 1e9)``; a unit without a scale word has multiplier 1.

    >>> split_unit("KRW bn"), split_unit("service members")
    (('KRW', 1000000000.0), ('service members', 1.0))
    """
    parts = unit.split()
    if len(parts) == 2 and parts[1].lower() in SCALES and re.fullmatch(r"[A-Z]{3}", parts[0]):
        return parts[0], SCALES[parts[1].lower()]
    return unit, 1.0


@dataclass(frozen=True)
class Quantity:
    """An input value with its unit (``"USD bn"``, ``"KRW bn"``, ``"service members"``, ``"%"``),
    a short name, and its source (``"user input"`` unless it comes from the shipped data)."""

    value: float
    unit: str = ""
    name: str = ""
    source: str = "user input"

    def __repr__(self) -> str:
        src = self.source if len(self.source) <= 12 else self.source[:10] + " ..."
        return (
            f"Quantity(value={self.value!r}, unit={self.unit!r}, name={self.name!r}, "
            f"source={src!r})"
        )

    def text(self) -> str:
        """``5.8 USD bn``."""
        return f"{_num(self.value)} {self.unit}".strip()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "unit": self.unit, "source": self.source}


def parse_quantity(text: str, *, name: str = "", unit: str = "") -> Quantity:
    """Read ``"3.35 bn USD"``, ``"1,038.9 bn KRW"`` or a plain number (in ``unit``).

    >>> parse_quantity("28500", unit="service members").unit
    'service members'
    """
    m = _QTY.match(text) if len(text) <= 100 else None
    scale = (m.group("scale") or "") if m else ""
    if not m or (scale and scale.lower() not in SCALES) or (scale and not m.group("cur")):
        raise ScenarioError(
            "could not read an amount",
            field=name or None,
            value=text,
            expected="a number, or an amount with scale and currency such as '3.35 bn USD'",
        )
    value = float(m.group("num").replace(",", ""))
    if m.group("cur"):
        mult = SCALES[scale.lower()] if scale else 1.0
        unit = f"{m.group('cur').upper()} {_SCALE_NAME.get(mult, scale)}".strip()
    return Quantity(value, unit, name)


def _num(x: float) -> str:
    """A number for arithmetic text: up to 6 significant digits, thousands separators."""
    if x == 0:
        return "0"
    if abs(x) >= 1e15 or abs(x) < 1:
        return f"{x:.6g}"
    digits = max(0, 6 - len(str(int(abs(x)))))
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{x:,.0f}"


@dataclass(frozen=True)
class Computation:
    """A computed number with its working.

    ``formula`` names the inputs (``host_support / stationing_cost``), ``arithmetic`` puts their
    values in (``5.8 / 13.4 = 0.432836``); ``inputs`` are the :class:`Quantity` records used and
    ``assumptions`` the ids of the rows of ``assumptions.csv`` the result rests on.
    """

    name: str
    value: float
    unit: str
    formula: str
    arithmetic: str
    inputs: tuple[Quantity, ...]
    assumptions: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def display(self) -> str:
        """The value for people: fractions as percentages, money with its unit."""
        if self.unit == "fraction":
            pct = 100 * self.value
            return f"{pct:.1f}%" if pct >= 1 or pct == 0 else f"{pct:.3g}%"
        if self.unit == "%":
            return f"{self.value:+.1f}%"
        if self.unit == "×":
            return f"{self.value:.2f}×"
        return f"{_num(self.value)} {self.unit}".strip()

    def explain(self) -> str:
        """The working as text: the result, the formula, the numbers, each input's source.

        >>> from burdenshare.costs.indicators import host_share
        >>> print(host_share(5.8, 13.4).explain())
        host share of US stationing cost = 43.3%
          formula:    host_support / stationing_cost
          arithmetic: 5.8 / 13.4 = 0.432836
          host_support = 5.8 (user input)
          stationing_cost = 13.4 (user input)
        """
        lines = [
            f"{self.name} = {self.display}",
            f"  formula:    {self.formula}",
            f"  arithmetic: {self.arithmetic}",
        ]
        lines += [f"  {q.name} = {q.text()} ({q.source})" for q in self.inputs]
        for a in self.assumptions:
            lines.append(f"  assumption {a}: {assumption(a).statement}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "display": self.display,
            "formula": self.formula,
            "arithmetic": self.arithmetic,
            "inputs": [q.to_dict() for q in self.inputs],
            "assumptions": list(self.assumptions),
            "notes": list(self.notes),
        }


# -- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportRecord:
    """Host-nation support in one period: kind, category (``None`` when not split), amount.

    >>> direct = figure("gao_rok_direct_support")
    >>> SupportRecord("ROK", "2016-2019", SupportKind.DIRECT, None, direct).amount.text()
    '5.8 USD bn'
    """

    host: str
    period: str
    kind: SupportKind
    category: CostCategory | None
    amount: Quantity

    def to_dict(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "period": self.period,
            "kind": self.kind.value,
            "category": self.category.value if self.category else None,
            "amount": self.amount.to_dict(),
        }


@dataclass(frozen=True)
class StationingCost:
    """What the stationing country spends on its forces in a host country over ``period``.

    ``by_category`` is empty unless a split is supplied: none is sourced (assumption
    ``no_category_split``). A supplied split must add up to ``total`` (within 0.1%).
    """

    country: str
    host: str
    period: str
    total: Quantity
    by_category: Mapping[CostCategory, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.total.value) and self.total.value >= 0):
            raise ScenarioError(
                "the stationing cost must be a non-negative number",
                field="total",
                value=self.total.value,
                expected="a number >= 0",
            )
        if self.by_category:
            parts = sum(self.by_category.values())
            if any(v < 0 for v in self.by_category.values()) or not math.isclose(
                parts, self.total.value, rel_tol=1e-3
            ):
                raise ScenarioError(
                    "the category split must be non-negative and add up to the total",
                    field="by_category",
                    value=parts,
                    expected=f"parts summing to {self.total.value}",
                )

    @classmethod
    def gao_korea(cls) -> StationingCost:
        """DoD's obligations for US forces in Korea, 2016–2019 (GAO-21-270): $13.4B."""
        return cls("US", "ROK", "2016-2019", figure("gao_us_obligations"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "host": self.host,
            "period": self.period,
            "total": self.total.to_dict(),
            "by_category": {k.value: v for k, v in self.by_category.items()},
        }


# -- the shipped data -----------------------------------------------------------------------


@dataclass(frozen=True)
class Assumption:
    """One row of ``assumptions.csv``: a choice the calculators make, not a sourced fact."""

    id: str
    statement: str
    value: float | None
    unit: str
    reasoning: str
    used_by: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "statement": self.statement,
            "value": self.value,
            "unit": self.unit,
            "reasoning": self.reasoning,
            "used_by": self.used_by,
        }


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("burdenshare.costs").joinpath(f"data/{name}").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@functools.lru_cache(maxsize=1)
def figures() -> Mapping[str, Quantity]:
    """Every sourced figure of ``figures.csv``, by id."""
    return {
        r["id"]: Quantity(float(r["value"]), r["unit"], r["id"], r["source"])
        for r in _rows("figures.csv")
    }


def figure(name: str) -> Quantity:
    """One sourced figure by id (a :class:`KeyError` lists the ids)."""
    table = figures()
    if name not in table:
        raise KeyError(f"no figure {name!r}; known: {', '.join(table)}")
    return table[name]


@functools.lru_cache(maxsize=1)
def assumptions() -> Mapping[str, Assumption]:
    """Every row of ``assumptions.csv``, by id."""
    return {
        r["id"]: Assumption(
            r["id"],
            r["statement"],
            float(r["value"]) if r["value"].strip() else None,
            r["unit"],
            r["reasoning"],
            r["used_by"],
        )
        for r in _rows("assumptions.csv")
    }


def assumption(name: str) -> Assumption:
    """One assumption by id."""
    table = assumptions()
    if name not in table:
        raise KeyError(f"no assumption {name!r}; known: {', '.join(table)}")
    return table[name]
