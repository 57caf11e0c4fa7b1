"""Demand rules such as "cost plus 50%": the demand a rule implies, with its arithmetic.

A rule is written as text and read by :func:`parse_rule`:

============================  ===================  =================================
text                          kind                 demand
============================  ===================  =================================
``cost+50%``, ``cost plus 50``  ``cost_plus``        cost × (1 + 50%)
``cost``                      ``cost_plus``        cost × (1 + 0%)
``50% of cost``               ``share_of_cost``    cost × 50%
``1.5x``, ``x1.5``            ``multiple``         current × 1.5
``+13%``, ``-5%``             ``increase``         current × (1 + 13%)
============================  ===================  =================================

``cost`` is what the stationing country spends (the rule's base), ``current`` the host's present
contribution. The "cost plus 50" logic is one of the sourced explanations of the 2019 US ask
(Bolton's memoir, June 2020); *which* cost it was applied to is not sourced
(see ``costs/data/assumptions.csv``, ``cost_base_is_dod_obligations``).

>>> from burdenshare.costs.model import Quantity
>>> d = implied_demand("cost+50%", cost=Quantity(3.35, "USD bn"))
>>> d.display, d.arithmetic
('5.025 USD bn', '3.35 × (1 + 50 / 100) = 5.025')
>>> round(implied_markup(Quantity(5, "USD bn"), Quantity(3.35, "USD bn")).value, 1)
49.3
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from burdenshare.costs.indicators import Number, _check, _q, _same_unit_factor, _scaled
from burdenshare.costs.model import Computation, _num
from burdenshare.errors import ScenarioError

__all__ = ["DemandRule", "RuleKind", "implied_demand", "implied_markup", "parse_rule"]


class RuleKind(StrEnum):
    """The shape of a demand rule (see the module table)."""

    COST_PLUS = "cost_plus"
    SHARE_OF_COST = "share_of_cost"
    MULTIPLE = "multiple"
    INCREASE = "increase"

    @property
    def base(self) -> str:
        """``cost`` or ``current``: which input the rule applies to."""
        return "cost" if self in (RuleKind.COST_PLUS, RuleKind.SHARE_OF_COST) else "current"


_N = r"(\d+(?:\.\d+)?)"
_PATTERNS: tuple[tuple[RuleKind, re.Pattern[str]], ...] = (
    (RuleKind.COST_PLUS, re.compile(rf"^cost\s*(?:\+|plus)\s*{_N}\s*%?$")),
    (RuleKind.COST_PLUS, re.compile(r"^cost$")),
    (RuleKind.SHARE_OF_COST, re.compile(rf"^{_N}\s*%\s*of\s*(?:the\s+)?cost$")),
    (RuleKind.MULTIPLE, re.compile(rf"^{_N}\s*[x×]$")),
    (RuleKind.MULTIPLE, re.compile(rf"^[x×]\s*{_N}$")),
    (RuleKind.INCREASE, re.compile(r"^([+-]\s*\d+(?:\.\d+)?)\s*%$")),
)
_EXPECTED = "'cost+50%', 'cost plus 50', 'cost', '50% of cost', '1.5x' or '+13%'"


@dataclass(frozen=True)
class DemandRule:
    """A parsed rule: its kind and parameter (a percentage, or a factor for ``multiple``).

    >>> parse_rule("cost plus 50")
    DemandRule(kind=<RuleKind.COST_PLUS: 'cost_plus'>, parameter=50.0, text='cost plus 50')
    """

    kind: RuleKind
    parameter: float
    text: str

    def __post_init__(self) -> None:
        low = -100.0 if self.kind in (RuleKind.COST_PLUS, RuleKind.INCREASE) else 0.0
        if not (math.isfinite(self.parameter) and self.parameter >= low):
            raise ScenarioError(
                "the rule would make the demand negative",
                field="rule",
                value=self.text,
                expected=f"a parameter of at least {low:g} for a {self.kind.value} rule",
            )

    def describe(self) -> str:
        """The rule in words.

        >>> parse_rule("+13%").describe()
        'the current contribution plus 13%'
        """
        p = _num(self.parameter)
        sign = "plus" if self.parameter >= 0 else "minus"
        return {
            RuleKind.COST_PLUS: f"the cost plus {p}%",
            RuleKind.SHARE_OF_COST: f"{p}% of the cost",
            RuleKind.MULTIPLE: f"{p} times the current contribution",
            RuleKind.INCREASE: f"the current contribution {sign} {_num(abs(self.parameter))}%",
        }[self.kind]

    def apply(self, *, cost: Number | None = None, current: Number | None = None) -> Computation:
        """The demand this rule implies from ``cost`` or ``current`` (whichever it needs)."""
        given = cost if self.kind.base == "cost" else current
        if given is None:
            what = (
                "the stationing cost the rule applies to"
                if self.kind.base == "cost"
                else "the host's current contribution"
            )
            raise ScenarioError(
                f"the rule {self.text!r} needs {self.kind.base}",
                field=self.kind.base,
                expected=what,
                has_value=False,
            )
        b = _q(given, self.kind.base)
        _check(b)
        p = _num(self.parameter)
        if self.kind is RuleKind.MULTIPLE:
            value, formula = b.value * self.parameter, f"current × {p}"
            arithmetic = f"{_num(b.value)} × {p}"
        elif self.kind is RuleKind.SHARE_OF_COST:
            value, formula = b.value * self.parameter / 100, f"cost × {p}%"
            arithmetic = f"{_num(b.value)} × {p} / 100"
        else:
            value = b.value * (1 + self.parameter / 100)
            sign = "+" if self.parameter >= 0 else "-"
            q = _num(abs(self.parameter))
            formula = f"{self.kind.base} × (1 {sign} {q}%)"
            arithmetic = f"{_num(b.value)} × (1 {sign} {q} / 100)"
        return Computation(
            f"demand under {self.describe()}",
            value,
            b.unit,
            formula,
            f"{arithmetic} = {_num(value)}",
            (b,),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind.value,
            "parameter": self.parameter,
            "base": self.kind.base,
            "description": self.describe(),
        }


def parse_rule(text: str) -> DemandRule:
    """Read a rule (see the module table); an unreadable rule is a :class:`ScenarioError`.

    >>> parse_rule("1.5x").kind.value, parse_rule("50% of cost").parameter
    ('multiple', 50.0)
    """
    norm = " ".join(text.strip().lower().split()) if len(text) <= 100 else ""
    for kind, pattern in _PATTERNS:
        m = pattern.match(norm)
        if m:
            param = float(m.group(1).replace(" ", "")) if m.groups() else 0.0
            return DemandRule(kind, param, text.strip())
    raise ScenarioError("not a demand rule", field="rule", value=text, expected=_EXPECTED)


def implied_demand(
    rule: str | DemandRule, *, cost: Number | None = None, current: Number | None = None
) -> Computation:
    """The demand ``rule`` implies (see :meth:`DemandRule.apply`)."""
    r = parse_rule(rule) if isinstance(rule, str) else rule
    return r.apply(cost=cost, current=current)


def implied_markup(demand: Number, cost: Number) -> Computation:
    """The "cost plus X%" a demand implies: ``100 × (demand / cost − 1)``.

    >>> implied_markup(150, 100).value
    50.0
    """
    d = _q(demand, "demand")
    c = _q(cost, "cost")
    _check(d)
    _check(c, positive=True)
    value = 100.0 * (d.value * _same_unit_factor(d, c) / c.value - 1.0)
    return Computation(
        "implied cost-plus markup",
        value,
        "%",
        "100 × (demand / cost − 1)",
        f"100 × ({_scaled(d, c)} / {_num(c.value)} − 1) = {_num(value)}",
        (d, c),
    )
