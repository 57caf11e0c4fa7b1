"""The indicators analysts use for burden sharing: pure functions, each returning its working.

Every function takes numbers or :class:`~burdenshare.costs.model.Quantity` records (a value with
its unit and source) and returns a :class:`~burdenshare.costs.model.Computation`: the value, the
formula, the arithmetic with the numbers put in, and the inputs. Money inputs of one indicator must
be in the same currency (scales such as ``USD m`` and ``USD bn`` are reconciled); nothing converts
between currencies, because no exchange rate is sourced.

Known values (GAO-21-270, 2016–2019: DoD obligated $13.4B for US forces in Korea; Korea gave
$5.8B in direct support; about 28,500 US troops):

>>> round(host_share(5.8, 13.4).value, 4)
0.4328
>>> round(host_share_of_combined(5.8, 13.4).value, 4)
0.3021
>>> per_service_member(Quantity(5.8, "USD bn"), 28_500, years=4).display
'50,877.2 USD per service member a year'

Impossible inputs raise :class:`~burdenshare.errors.ScenarioError` saying what to do:

>>> host_share(14, 13.4)
Traceback (most recent call last):
...
burdenshare.errors.ScenarioError: host_support: host support is larger than the stationing cost \
it is a share of (got 14.0; expected at most 13.4; if the cost excludes what the host pays, \
use host_share_of_combined)
"""

from __future__ import annotations

import dataclasses
import math

from burdenshare.costs.model import Computation, Quantity, _num, split_unit
from burdenshare.errors import ScenarioError

__all__ = [
    "annual_average",
    "change",
    "host_share",
    "host_share_of_combined",
    "multiple",
    "per_service_member",
    "share_of_budget",
    "share_of_gdp",
]

Number = float | int | Quantity


def _q(x: Number, name: str, unit: str = "") -> Quantity:
    """``x`` as a Quantity named ``name`` (a Quantity keeps its unit and source)."""
    if isinstance(x, Quantity):
        return dataclasses.replace(x, name=name)
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise ScenarioError("must be a number", field=name, value=x, expected="a number")
    return Quantity(float(x), unit, name)


def _check(q: Quantity, *, positive: bool = False) -> None:
    ok = math.isfinite(q.value) and (q.value > 0 if positive else q.value >= 0)
    if not ok:
        raise ScenarioError(
            "must be a finite number " + ("greater than 0" if positive else "of 0 or more"),
            field=q.name,
            value=q.value,
            expected="a number > 0" if positive else "a number >= 0",
        )


def _same_unit_factor(a: Quantity, b: Quantity) -> float:
    """The factor that puts ``a`` in ``b``'s scale; an error if their currencies differ."""
    ua, ma = split_unit(a.unit)
    ub, mb = split_unit(b.unit)
    if a.unit and b.unit and ua != ub:
        raise ScenarioError(
            f"{a.name} is in {a.unit} but {b.name} is in {b.unit}",
            field=a.name,
            value=a.text(),
            expected=f"an amount in {ub} (convert it first with an exchange rate you can source)",
        )
    return ma / mb if (a.unit and b.unit) else 1.0


def _part_of(
    part: Quantity, whole: Quantity, name: str, hint: str = ""
) -> tuple[float, float, float]:
    """``(part in whole's scale, whole, part / whole)``, checking ``0 <= part <= whole > 0``."""
    _check(part)
    _check(whole, positive=True)
    p = part.value * _same_unit_factor(part, whole)
    if p > whole.value * (1 + 1e-12):
        raise ScenarioError(
            f"{name} is larger than the {whole.name.replace('_', ' ')} it is a share of",
            field=part.name,
            value=part.value,
            expected=f"at most {_num(whole.value)}" + (f"; {hint}" if hint else ""),
        )
    return p, whole.value, min(1.0, p / whole.value)


def _scaled(q: Quantity, other: Quantity) -> str:
    """``q``'s value as written in the arithmetic (converted to ``other``'s scale if needed)."""
    f = _same_unit_factor(q, other)
    return _num(q.value) if f == 1.0 else f"({_num(q.value)} × {_num(f)})"


def host_share(host_support: Number, stationing_cost: Number) -> Computation:
    """The share of the stationing country's cost that the host pays: ``support / cost``.

    Reads the host's support as a *part* of the cost (so it cannot exceed it). If the cost
    excludes what the host pays, use :func:`host_share_of_combined`.

    >>> host_share(Quantity(5800, "USD m"), Quantity(13.4, "USD bn")).arithmetic
    '(5,800 × 0.001) / 13.4 = 0.432836'
    """
    h = _q(host_support, "host_support")
    c = _q(stationing_cost, "stationing_cost")
    _, _, share = _part_of(
        h,
        c,
        "host support",
        "if the cost excludes what the host pays, use host_share_of_combined",
    )
    return Computation(
        "host share of US stationing cost",
        share,
        "fraction",
        "host_support / stationing_cost",
        f"{_scaled(h, c)} / {_num(c.value)} = {_num(share)}",
        (h, c),
    )


def host_share_of_combined(host_support: Number, own_cost: Number) -> Computation:
    """The host's share of the combined spending when its support comes on top of the
    stationing country's own cost: ``support / (support + own cost)``.

    >>> host_share_of_combined(1, 3).value
    0.25
    """
    h = _q(host_support, "host_support")
    c = _q(own_cost, "own_cost")
    _check(h)
    _check(c)
    hv = h.value * _same_unit_factor(h, c)
    if hv + c.value <= 0:
        raise ScenarioError(
            "host support and own cost are both 0: there is nothing to share",
            field="own_cost",
            value=c.value,
            expected="a positive cost or support",
        )
    share = hv / (hv + c.value)
    hs = _scaled(h, c)
    return Computation(
        "host share of combined stationing spending",
        share,
        "fraction",
        "host_support / (host_support + own_cost)",
        f"{hs} / ({hs} + {_num(c.value)}) = {_num(share)}",
        (h, c),
    )


def per_service_member(amount: Number, troops: Number, *, years: Number = 1) -> Computation:
    """Money per service member and year: ``amount × scale / years / troops``.

    The result is in whole currency units (``USD``, ``KRW``): an ``amount`` of ``5.8`` in
    ``USD bn`` is 5.8 × 10⁹ dollars.

    >>> c = per_service_member(Quantity(1038.9, "KRW bn"), 28_500)
    >>> c.display, c.arithmetic
    ('36,452,632 KRW per service member a year', '1,038.9 × 1e9 / 1 / 28,500 = 36,452,632')
    """
    a = _q(amount, "amount")
    t = _q(troops, "troops", "service members")
    y = _q(years, "years", "years")
    if not isinstance(years, Quantity) and y.value == 1:
        y = dataclasses.replace(y, source="one year: the amount is yearly")
    _check(a)
    _check(t, positive=True)
    _check(y, positive=True)
    currency, mult = split_unit(a.unit)
    value = a.value * mult / y.value / t.value
    scale = f" × 1e{round(math.log10(mult))}" if mult != 1.0 else ""
    return Computation(
        "contribution per service member",
        value,
        f"{currency} per service member a year".strip(),
        "amount / years / troops",
        f"{_num(a.value)}{scale} / {_num(y.value)} / {_num(t.value)} = {_num(value)}",
        (a, t, y),
    )


def share_of_budget(contribution: Number, defence_budget: Number) -> Computation:
    """The contribution as a share of the host's defence budget: ``contribution / budget``.

    The SMA contribution is paid out of the defence budget, so it cannot exceed it. The budget
    is not in the shipped data: supply it with its source.

    >>> share_of_budget(Quantity(1, "KRW tn"), Quantity(50, "KRW tn")).display
    '2.0%'
    """
    c = _q(contribution, "contribution")
    b = _q(defence_budget, "defence_budget")
    _, _, share = _part_of(c, b, "the contribution")
    return Computation(
        "share of the host's defence budget",
        share,
        "fraction",
        "contribution / defence_budget",
        f"{_scaled(c, b)} / {_num(b.value)} = {_num(share)}",
        (c, b),
    )


def share_of_gdp(contribution: Number, gdp: Number) -> Computation:
    """The contribution as a share of the host's GDP: ``contribution / gdp`` (GDP is an input).

    >>> round(share_of_gdp(Quantity(1000, "KRW bn"), Quantity(2000, "KRW tn")).value, 6)
    0.0005
    """
    c = _q(contribution, "contribution")
    g = _q(gdp, "gdp")
    _, _, share = _part_of(c, g, "the contribution")
    return Computation(
        "share of the host's GDP",
        share,
        "fraction",
        "contribution / gdp",
        f"{_scaled(c, g)} / {_num(g.value)} = {_num(share)}",
        (c, g),
    )


def annual_average(total: Number, years: Number) -> Computation:
    """A multi-year total as a yearly average: ``total / years``.

    >>> annual_average(Quantity(13.4, "USD bn"), 4).display
    '3.35 USD bn'
    """
    t = _q(total, "total")
    y = _q(years, "years", "years")
    _check(t)
    _check(y, positive=True)
    value = t.value / y.value
    return Computation(
        "yearly average",
        value,
        t.unit,
        "total / years",
        f"{_num(t.value)} / {_num(y.value)} = {_num(value)}",
        (t, y),
    )


def change(previous: Number, current: Number) -> Computation:
    """The change on the previous amount in percent: ``100 × (current / previous − 1)``.

    >>> round(change(1038.9, 1183.3).value, 1)
    13.9
    """
    p = _q(previous, "previous")
    c = _q(current, "current")
    _check(p, positive=True)
    _check(c)
    cv = c.value * _same_unit_factor(c, p)
    value = 100.0 * (cv / p.value - 1.0)
    return Computation(
        "change on the previous amount",
        value,
        "%",
        "100 × (current / previous − 1)",
        f"100 × ({_scaled(c, p)} / {_num(p.value)} − 1) = {_num(value)}",
        (p, c),
    )


def multiple(amount: Number, base: Number) -> Computation:
    """How many times ``base`` an ``amount`` is: ``amount / base``.

    >>> round(multiple(Quantity(5, "USD bn"), Quantity(870, "USD m")).value, 2)
    5.75
    """
    a = _q(amount, "amount")
    b = _q(base, "base")
    _check(a)
    _check(b, positive=True)
    value = a.value * _same_unit_factor(a, b) / b.value
    return Computation(
        "multiple of the base",
        value,
        "×",
        "amount / base",
        f"{_scaled(a, b)} / {_num(b.value)} = {_num(value)}",
        (a, b),
    )
