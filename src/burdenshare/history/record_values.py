"""The plain values of record and FACTS files: dates, amounts, texts, codes, each checked with
its field path and line (:mod:`burdenshare.history.record_io` reads the structure).

The text is read by the scenario reader (:func:`burdenshare.scenario.readers.load_yaml`): safe
loading event by event, so tags, anchors, aliases ("billion laughs"), merge keys, duplicate keys
and deep nesting are refused, and every field keeps its line.

>>> ctx = Ctx("r.yaml", {("expiry",): 4})
>>> date(ctx, "2019-12-31", ("expiry",))
datetime.date(2019, 12, 31)
>>> date(ctx, "2019-13-01", ("expiry",))
Traceback (most recent call last):
...
burdenshare.errors.ScenarioError: r.yaml:4: expiry: not a date (got '2019-13-01'; expected ...)
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from burdenshare.errors import ScenarioError
from burdenshare.history.facts import FxRate
from burdenshare.history.sma import Confidence
from burdenshare.scenario.paths import path_kind, read_regular_file
from burdenshare.scenario.readers import Lines, load_yaml
from burdenshare.scenario.units import SCALES, Money, parse_money

__all__ = [
    "MAX_RECORD_BYTES",
    "MAX_TEXT",
    "MAX_UNITS",
    "Ctx",
    "RoundMoney",
    "fx_on",
    "read_text",
]

#: largest record or FACTS file accepted, in bytes
MAX_RECORD_BYTES = 2_000_000
#: longest text field, in characters
MAX_TEXT = 4_000
#: largest amount, in units of the currency (amount x scale): a thousand times the world's
#: output in the currency with the most units per dollar; beyond it the arithmetic of a built
#: case overflows (1e308 billion is infinite in units)
MAX_UNITS = 1e21

_CODE = re.compile(r"^[A-Z]{3}$")
_MIN_DATE, _MAX_DATE = dt.date(1900, 1, 1), dt.date(2200, 12, 31)

T = TypeVar("T")
#: a field path, e.g. ("rounds", "3", "positions", "2", "amount")
Path_ = tuple[str, ...]


class Ctx:
    """The file being read: its name and the line of each field."""

    def __init__(self, source: str, lines: Lines) -> None:
        self.source = source
        self.lines = lines

    def line(self, path: Path_) -> int | None:
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return None

    def error(
        self,
        path: Path_,
        message: str,
        *,
        value: Any = None,
        has_value: bool = False,
        expected: str | None = None,
    ) -> ScenarioError:
        return ScenarioError(
            message,
            file=self.source,
            line=self.line(path),
            field=".".join(path) or None,
            value=value,
            has_value=has_value,
            expected=expected,
        )

    def wrong(
        self, path: Path_, value: Any, expected: str, message: str = "wrong type"
    ) -> NoReturn:
        raise self.error(path, message, value=value, has_value=True, expected=expected)


# -- reading the text ------------------------------------------------------------------------


def read_text(path: str | Path) -> str:
    """The UTF-8 text of ``path``, at most :data:`MAX_RECORD_BYTES` (else a ScenarioError)."""
    name, p = str(path), Path(path)
    kind = path_kind(p)
    if kind != "file":
        what = "is a directory, not a record file" if kind == "folder" else "no such file"
        raise ScenarioError(what, file=name, expected="the path of a .yaml file")
    data = read_regular_file(p, MAX_RECORD_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            file=name,
            line=data[: exc.start].count(b"\n") + 1,
            expected="a UTF-8 encoded text file",
        ) from None


def load_mapping(content: str, source: str) -> tuple[dict[str, Any], Ctx]:
    if len(content.encode("utf-8", "surrogatepass")) > MAX_RECORD_BYTES:
        raise ScenarioError(
            f"file is too large ({len(content):,} characters)",
            file=source,
            expected=f"at most {MAX_RECORD_BYTES:,} bytes",
        )
    if "\x00" in content:
        raise ScenarioError("file contains NUL bytes", file=source, expected="a UTF-8 text file")
    raw, lines = load_yaml(content.removeprefix("\ufeff"), source)
    ctx = Ctx(source, lines)
    if not isinstance(raw, dict):
        raise ctx.error(
            (),
            "the file must be a mapping of keys",
            value=type(raw).__name__,
            has_value=True,
            expected="a mapping at the top level (see docs/reference/record.md)",
        )
    return raw, ctx


def fx_on(
    fx: dict[str, float], history: tuple[FxRate, ...], day: dt.date | None
) -> dict[str, float]:
    """The rates public on ``day`` (every dated rate if None): ``fx`` for the currencies with no
    dated rate, else the latest dated rate on or before ``day`` (none before: left out)."""
    dated = {r.currency for r in history}
    out = {c: r for c, r in fx.items() if c not in dated}
    for r in sorted(history, key=lambda r: r.date):
        if day is None or r.date <= day:
            out[r.currency] = r.rate
    return out


class RoundMoney:
    """The round's currency, scale and exchange rates (static and dated)."""

    def __init__(
        self, currency: str, scale: str, fx: dict[str, float], history: tuple[FxRate, ...]
    ) -> None:
        self.currency, self.scale, self.fx, self.history = currency, scale, fx, history

    def rates_at(self, day: dt.date | None) -> dict[str, float]:
        return fx_on(self.fx, self.history, day)

    def money(self, day: dt.date | None) -> Money:
        return Money.model_construct(unit=self.currency, scale=self.scale, fx=self.rates_at(day))  # type: ignore[arg-type]


def amount(ctx: Ctx, value: Any, path: Path_, money: RoundMoney, day: dt.date | None) -> float:
    """A non-negative finite amount: a number in the round's unit or ``"5 bn USD"``."""
    expected = "a number >= 0 in the round's currency and scale, or text such as '5 bn USD'"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        ctx.wrong(path, value, expected)
    if isinstance(value, str):
        try:
            out = parse_money(value, money.money(day))
        except ValueError as exc:
            ctx.wrong(path, value, expected, str(exc))
    else:
        out = float(value)
    if not math.isfinite(out) or out < 0:
        ctx.wrong(path, value, expected, "not a finite amount >= 0")
    if out * SCALES[money.scale] > MAX_UNITS:
        ctx.wrong(
            path,
            value,
            f"at most {MAX_UNITS:g} {money.currency} in units (amount x {money.scale})",
            "amount too large",
        )
    return round(out, 6)


# -- plain values ------------------------------------------------------------------------------


def check_keys(
    ctx: Ctx, m: dict[str, Any], path: Path_, allowed: tuple[str, ...], required: tuple[str, ...]
) -> None:
    for key in m:
        if key not in allowed:
            raise ctx.error(
                (*path, str(key)),
                f"unknown key {key!r}",
                expected="one of " + ", ".join(allowed),
            )
    for key in required:
        if key not in m:
            raise ctx.error(path, f"missing key {key!r}", expected=f"the keys {list(required)}")


def mapping(ctx: Ctx, raw: Any, path: Path_, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        ctx.wrong(path, raw, "a mapping with keys " + ", ".join(allowed))
    check_keys(ctx, raw, path, allowed, ())
    return raw


def need(ctx: Ctx, m: dict[str, Any], path: Path_, keys: tuple[str, ...]) -> None:
    for key in keys:
        if m.get(key) is None:
            raise ctx.error(path, f"missing key {key!r}", expected=f"the keys {list(keys)}")


def seq(ctx: Ctx, raw: Any, path: Path_) -> list[Any]:
    if not isinstance(raw, list):
        ctx.wrong(path, raw, "a list")
    return raw


def list_of(reader: Callable[[Ctx, Any, Path_], T]) -> Callable[[Ctx, Any, Path_], tuple[T, ...]]:
    def read(ctx: Ctx, raw: Any, path: Path_) -> tuple[T, ...]:
        return tuple(reader(ctx, v, (*path, str(i))) for i, v in enumerate(seq(ctx, raw, path)))

    return read


def text(ctx: Ctx, raw: Any, path: Path_) -> str:
    if not isinstance(raw, str):
        ctx.wrong(path, raw, "text")
    if len(raw) > MAX_TEXT:
        ctx.wrong(path, raw, f"at most {MAX_TEXT:,} characters", "text too long")
    return raw


def texts(ctx: Ctx, raw: Any, path: Path_) -> tuple[str, ...]:
    return tuple(text(ctx, v, (*path, str(i))) for i, v in enumerate(seq(ctx, raw, path)))


def code(ctx: Ctx, raw: Any, path: Path_) -> str:
    if not isinstance(raw, str) or not _CODE.match(raw):
        ctx.wrong(path, raw, "a three-letter upper-case currency code such as KRW or JPY")
    return raw


def choice(ctx: Ctx, raw: Any, path: Path_, options: tuple[str, ...]) -> str:
    if not isinstance(raw, str) or raw not in options:
        ctx.wrong(path, raw, "one of " + ", ".join(options))
    return raw


def integer(ctx: Ctx, raw: Any, path: Path_, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        ctx.wrong(path, raw, f"a whole number from {low} to {high}")
    return raw


def year(ctx: Ctx, raw: Any, path: Path_) -> int:
    return integer(ctx, raw, path, _MIN_DATE.year, _MAX_DATE.year)


def date(ctx: Ctx, raw: Any, path: Path_) -> dt.date:
    expected = f"a date written YYYY-MM-DD between {_MIN_DATE.year} and {_MAX_DATE.year}"
    if isinstance(raw, str):
        try:
            raw = dt.date.fromisoformat(raw.strip()) if len(raw) <= 10 else raw
        except ValueError:
            ctx.wrong(path, raw, expected, "not a date")
    if isinstance(raw, dt.datetime) or not isinstance(raw, dt.date):
        ctx.wrong(path, raw, expected, "not a date")
    if not _MIN_DATE <= raw <= _MAX_DATE:
        ctx.wrong(path, raw.isoformat(), expected, "date out of range")
    return raw


def confidence(ctx: Ctx, m: dict[str, Any], path: Path_) -> Confidence:
    raw = m.get("confidence", "sourced")
    return Confidence(choice(ctx, raw, (*path, "confidence"), tuple(c.value for c in Confidence)))


def rate(ctx: Ctx, raw: Any, path: Path_) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        ctx.wrong(path, raw, "a positive number (round-currency units per unit)")
    if raw <= 0:
        ctx.wrong(
            path,
            raw,
            "a positive number (round-currency units per unit)",
            "an exchange rate must be positive",
        )
    return float(raw)


def fx(ctx: Ctx, raw: Any, path: Path_) -> dict[str, float]:
    if not isinstance(raw, dict):
        ctx.wrong(path, raw, "a mapping of currency codes to rates, e.g. {USD: 1126.2}")
    return {code(ctx, k, (*path, k)): rate(ctx, v, (*path, k)) for k, v in raw.items()}


def fx_rate(ctx: Ctx, raw: Any, path: Path_) -> FxRate:
    m = mapping(ctx, raw, path, ("date", "currency", "rate", "source", "confidence"))
    need(ctx, m, path, ("date", "currency", "rate", "source"))
    return FxRate(
        date=date(ctx, m["date"], (*path, "date")),
        currency=code(ctx, m["currency"], (*path, "currency")),
        rate=rate(ctx, m["rate"], (*path, "rate")),
        source=text(ctx, m["source"], (*path, "source")),
        confidence=confidence(ctx, m, path),
    )


fx_history = list_of(fx_rate)


fx_history = list_of(fx_rate)
