"""Money with its unit: parsing amounts in either currency and formatting them in both."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from burdenshare.scenario.units import Money, parse_money

SMA = Money(unit="KRW", scale="billion", fx={"USD": 1126.0})


@pytest.mark.parametrize(
    ("text", "base"),
    [
        ("5 bn USD", 5630.0),  # 5e9 dollars * 1126 won/$ = 5,630e9 won
        ("5bn USD", 5630.0),
        ("5 billion usd", 5630.0),
        ("923 million USD", 1039.298),  # 923e6 * 1126 = 1,039.298e9 won
        ("1,038.9 bn KRW", 1038.9),
        ("1.0389 tn KRW", 1038.9),
        ("500000 million KRW", 500.0),
        ("1038900000000 KRW", 1038.9),
    ],
)
def test_parse_money_both_currencies(text: str, base: float) -> None:
    assert parse_money(text, SMA) == pytest.approx(base)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("5 bn EUR", "no exchange rate for EUR"),
        ("5 zillion USD", "unknown scale 'zillion'"),
        ("five bn USD", "could not read"),
        ("5 bn", "could not read"),
        ("9" * 400 + " bn USD", "could not read"),
    ],
)
def test_parse_money_rejects_with_clear_messages(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_money(text, SMA)


def test_huge_amount_is_not_infinite_money() -> None:
    with pytest.raises(ValueError, match="too large"):
        parse_money("9" * 90 + " tn USD", Money(unit="KRW", scale="one", fx={"USD": 1e300}))


def test_to_base_and_convert_are_inverse() -> None:
    assert SMA.to_base(5, "USD", "billion") == pytest.approx(5630.0)
    assert SMA.convert(5630.0, "USD") == pytest.approx(5e9)
    assert SMA.convert(1038.9, "KRW") == pytest.approx(1.0389e12)
    assert SMA.rate("usd") == 1126.0
    assert SMA.multiplier == 1e9


def test_format_shows_won_and_dollars() -> None:
    assert SMA.format(5630.0) == "₩5,630.0bn ($5.000bn)"
    assert SMA.format(1038.9) == "₩1,038.9bn ($922.6M)"
    assert SMA.format(1038.9, others=False) == "₩1,038.9bn"
    assert SMA.as_dict(1126.0) == {"KRW": pytest.approx(1.126e12), "USD": pytest.approx(1e9)}


def test_format_without_symbol_uses_the_code() -> None:
    m = Money(unit="GBP", scale="million", fx={"CHF": 0.9})
    assert m.format(2.5) == "2.500M GBP (2.778M CHF)"


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"unit": "WONS"}, "not a currency code"),
        ({"fx": {"USD": -1.0}}, "must be a positive number"),
        ({"fx": {"USD": float("inf")}}, "must be a positive number"),
        ({"fx": {"DOLLAR": 1.0}}, "currency codes"),
        ({"unit": "KRW", "fx": {"KRW": 1.0}}, "rate for the base currency"),
        ({"scale": "gazillion"}, "Input should be"),
    ],
)
def test_money_rejects_bad_settings(kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        Money.model_validate(kwargs)


def test_currency_codes_are_upper_cased() -> None:
    m = Money(unit="krw", fx={"usd": 1126})
    assert m.unit == "KRW"
    assert m.fx == {"USD": 1126.0}
