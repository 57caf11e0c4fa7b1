"""Money with its unit: currency, scale and exchange rates.

A scenario states money in one *base* currency and scale (for the SMA cases: billions of won) and
gives exchange rates to other currencies. A user may write a money value either as a plain number
in the base unit or as a string naming its own unit, such as ``"5 bn USD"`` or ``"1,038.9 bn KRW"``;
every output shows the base unit and, beside it, every other currency the scenario knows.
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from burdenshare.scales import SCALES

__all__ = ["SCALES", "FieldError", "Money", "parse_money"]


class FieldError(ValueError):
    """A validation problem located *below* the record whose validator found it.

    Raised from pydantic validators (it is a ``ValueError``, so pydantic wraps it as usual);
    :mod:`burdenshare.scenario.io` reads ``field`` (a dotted path relative to the record),
    ``value`` and ``expected`` back out, so the user sees ``issues.0.range`` and ``[6500, 900]``
    rather than the whole issue.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: Any = None,
        expected: str | None = None,
        has_value: bool = True,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.value = value
        self.expected = expected
        self.has_value = has_value


_SCALE_ABBREV = {1.0: "", 1e3: "k", 1e6: "M", 1e9: "bn", 1e12: "tn"}
_SYMBOLS = {"USD": "$", "KRW": "₩", "EUR": "€", "JPY": "¥"}

ScaleName = Literal["one", "thousand", "million", "billion", "trillion"]

_MONEY_RE = re.compile(
    r"^\s*(?P<num>[-+]?\d[\d,]*(?:\.\d+)?|[-+]?\.\d+)\s*"
    r"(?P<scale>[A-Za-z]+)?\s+(?P<cur>[A-Za-z]{3})\s*$"
)


class Money(BaseModel):
    """The base money unit of a scenario and exchange rates to other currencies.

    ``fx`` maps a currency code to how many base-currency units one unit of it buys, the usual
    "won per dollar" quote. Scales apply equally to every currency.

    >>> m = Money(unit="KRW", scale="billion", fx={"USD": 1165.0})
    >>> m.to_base(5, "USD", "billion")
    5825.0
    >>> m.format(1038.9)
    '₩1,038.9bn ($891.8M)'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: str = Field(default="USD", description="base currency code (ISO 4217, e.g. KRW)")
    scale: ScaleName = "one"
    fx: dict[str, float] = Field(default_factory=dict)
    year: int | None = None

    @field_validator("unit")
    @classmethod
    def _code(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{3}", v):
            raise FieldError(
                "not a currency code", value=v, expected="a three-letter code such as USD or KRW"
            )
        return v.upper()

    @field_validator("fx")
    @classmethod
    def _rates(cls, v: dict[str, float]) -> dict[str, float]:
        out = {}
        for code, rate in v.items():
            if not re.fullmatch(r"[A-Za-z]{3}", code):
                raise FieldError(
                    "fx keys must be currency codes",
                    field=code,
                    value=code,
                    expected="a three-letter code such as USD",
                )
            if not (math.isfinite(rate) and rate > 0):
                raise FieldError(
                    f"the exchange rate for {code} must be a positive number",
                    field=code,
                    value=rate,
                    expected=f"base-currency units per {code.upper()}, e.g. 1126 won per dollar",
                )
            out[code.upper()] = float(rate)
        return out

    @model_validator(mode="after")
    def _no_self_rate(self) -> Money:
        if self.unit in self.fx:
            raise FieldError(
                f"fx gives a rate for the base currency {self.unit}",
                field=f"fx.{self.unit}",
                value=self.fx[self.unit],
                expected="rates for other currencies only (the base currency's rate is 1)",
            )
        return self

    @property
    def multiplier(self) -> float:
        return SCALES[self.scale]

    def rate(self, currency: str) -> float:
        """Base-currency units per one unit of ``currency``."""
        currency = currency.upper()
        if currency == self.unit:
            return 1.0
        if currency not in self.fx:
            known = ", ".join([self.unit, *self.fx]) or self.unit
            raise ValueError(f"no exchange rate for {currency}; the scenario knows {known}")
        return self.fx[currency]

    def to_base(self, amount: float, currency: str, scale: str = "one") -> float:
        """Convert ``amount`` (in ``currency`` and ``scale``) into the scenario's base unit."""
        mult = SCALES[scale.lower()]
        return amount * mult * self.rate(currency) / self.multiplier

    def convert(self, value: float, currency: str) -> float:
        """A base-unit value expressed in ``currency`` (absolute units, not scaled)."""
        return value * self.multiplier / self.rate(currency)

    def format(self, value: float, *, others: bool = True) -> str:
        """Human-readable amount in the base unit, with every other known currency beside it."""
        main = _fmt(value * self.multiplier, self.unit)
        if not others or not self.fx:
            return main
        alt = ", ".join(_fmt(self.convert(value, c), c) for c in self.fx)
        return f"{main} ({alt})"

    def as_dict(self, value: float) -> dict[str, float]:
        """``{currency: absolute amount}`` for the base and every other known currency."""
        out = {self.unit: value * self.multiplier}
        out.update({c: self.convert(value, c) for c in self.fx})
        return out


def _fmt(absolute: float, currency: str) -> str:
    mag = abs(absolute)
    mult = 1.0
    for m in (1e12, 1e9, 1e6, 1e3):
        if mag >= m:
            mult = m
            break
    if currency == "KRW" and mult > 1e9 and mag < 1e13:
        mult = 1e9  # won amounts are conventionally quoted in billions
    sym = _SYMBOLS.get(currency)
    scaled = absolute / mult
    digits = 1 if abs(scaled) >= 100 else 2 if abs(scaled) >= 10 else 3
    num = f"{scaled:,.{digits}f}{_SCALE_ABBREV[mult]}"
    return f"{sym}{num}" if sym else f"{num} {currency}"


def parse_money(text: str, money: Money) -> float:
    """Parse a money string such as ``"4.7 bn USD"`` into the scenario's base unit.

    >>> parse_money("4.7 bn USD", Money(unit="KRW", scale="billion", fx={"USD": 1165.0}))
    5475.5
    """
    m = _MONEY_RE.match(text) if len(text) <= 100 else None
    if not m:
        raise ValueError(
            f"could not read {text!r} as money; write a number in the scenario's unit "
            "or an amount with its unit, such as '5 bn USD' or '1,038.9 bn KRW'"
        )
    scale = (m.group("scale") or "one").lower()
    if scale not in SCALES:
        raise ValueError(
            f"unknown scale {m.group('scale')!r} in {text!r}; use one of {', '.join(SCALES)}"
        )
    amount = float(m.group("num").replace(",", ""))
    value = money.to_base(amount, m.group("cur"), scale)
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is too large to be an amount of money")
    return value
