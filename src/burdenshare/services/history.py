"""The SMA record and the stationing-cost calculators, for the CLI and the web app.

- :func:`sma_record`: the agreements, the yearly contribution series and its yearly change, the
  2019–2021 timeline, as JSON-ready data (``burdenshare history sma --json``);
- :func:`sma_figure` / :func:`sma_chart`: the contribution series as a chart (PNG and SVG);
- :func:`cost_indicators`: host share, per-service-member figures, shares of budget and GDP, each
  with its arithmetic (``burdenshare costs --json``);
- :func:`demand_rule`: the demand a rule such as ``cost+50%`` implies
  (``burdenshare costs --rule``).

Nothing here prints. Money inputs may be numbers, :class:`~burdenshare.costs.Quantity` records
or strings such as ``"3.35 bn USD"``.

>>> record = sma_record()
>>> len(record["agreements"]), record["series"][-1]
(11, {'year': 2022, 'krw_bn': 1247.1, 'usd_m': None, 'currency': 'KRW', ...})
>>> demand_rule("cost+50%")["demand"]["display"]
'5.025 USD bn'
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from burdenshare.costs import (
    CATEGORY_INFO,
    Computation,
    Quantity,
    annual_average,
    assumption,
    figure,
    host_share,
    host_share_of_combined,
    implied_markup,
    parse_quantity,
    parse_rule,
    per_service_member,
    share_of_budget,
    share_of_gdp,
)
from burdenshare.history.sma import (
    SmaAgreement,
    contribution_series,
    load_sma_agreements,
    load_sma_timeline,
    yearly_changes,
)
from burdenshare.scenario.units import Money

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "SMA_CHART_NAME",
    "cost_indicators",
    "demand_rule",
    "sma_chart",
    "sma_figure",
    "sma_record",
]

#: file stem of the chart :func:`sma_chart` writes into a directory
SMA_CHART_NAME = "sma-contributions"

_NOTES = (
    "Amounts before 2005 are the Ministry of National Defense's USD series (payment was partly "
    "in won; these are MND's dollar equivalents); from 2005 the contribution is paid and given "
    "in won.",
    "No yearly won/dollar exchange rate is sourced, so no amount is converted: the dollar and "
    "won series are shown separately and the 2005 change is not computed.",
    "Confidence: 'sourced' is stated by a cited source; 'inferred' is derived from sourced facts "
    "(the first-year amounts of the 1st-5th SMA are sourced, but their year comes from a "
    "recalled round-to-year mapping); 'recalled' is unverified and is an assumption.",
)


# -- the SMA record -------------------------------------------------------------------------


def _amount_text(a: SmaAgreement) -> str:
    if a.number >= 6:
        fig, money = a.first_year_krw_bn, Money(unit="KRW", scale="billion")
        unit = "KRW bn"
    else:
        fig, money = a.first_year_usd_m, Money(unit="USD", scale="million")
        unit = "USD m"
    if fig.value is not None:
        return money.format(fig.value, others=False)
    return f"{fig.raw} ({unit})" if fig.raw else ""


def _table_row(a: SmaAgreement) -> dict[str, Any]:
    flags = ", ".join(f"{k} {v.value}" for k, v in a.tagged_fields.items())
    return {
        "sma": a.sma,
        "years": a.years_covered,
        "first_year_amount": _amount_text(a),
        "change": f"{a.pct_change:+.1f}%" if a.pct_change is not None else a.pct_change_text,
        "escalation": a.escalation_rule,
        "rounds": a.n_rounds_text,
        "lapse": "yes" if a.lapsed else "no",
        "confidence": a.confidence.value,
        "flags": flags,
    }


def sma_record() -> dict[str, Any]:
    """The SMA record as JSON-ready data.

    Keys: ``table`` (one short row per agreement, for printing), ``agreements`` (every field of
    every agreement), ``series`` (the yearly contribution: ``krw_bn`` from 2005, ``usd_m``
    before), ``changes`` (the change on the previous year, in one currency), ``timeline`` (the
    dated events of 2018–2021), ``notes`` and ``sources``.
    """
    agreements = load_sma_agreements()
    return {
        "table": [_table_row(a) for a in agreements],
        "agreements": [a.to_dict() for a in agreements],
        "series": [c.to_dict() for c in contribution_series()],
        "changes": [c.to_dict() for c in yearly_changes()],
        "timeline": [e.to_dict() for e in load_sma_timeline()],
        "notes": list(_NOTES),
        "sources": {
            "agreements": "burdenshare/history/data/sma/rok_sma_rounds.csv",
            "series": "burdenshare/history/data/sma/contributions.csv (2005-2022); "
            "rok_sma_rounds.csv (1991-2004, MND USD series)",
            "timeline": "burdenshare/history/data/sma/timeline_2019_2021.csv",
        },
    }


def sma_figure() -> Figure:
    """The ROK contribution 1991–2022 and its change on the previous year, drawn by
    :func:`burdenshare.report.history_plots.sma_figure` from the shipped SMA tables."""
    from burdenshare.report.history_plots import sma_figure as draw

    series = contribution_series()
    return draw(series, yearly_changes(series), load_sma_agreements())


def sma_chart(path_or_dir: str | Path, *, overwrite: bool = False) -> list[Path]:
    """Write :func:`sma_figure` as PNG and SVG; returns the two paths.

    A path ending in ``.png`` or ``.svg`` names the files (both formats are written beside each
    other); any other path is a directory (created if needed) that receives
    ``sma-contributions.png`` and ``sma-contributions.svg``. Existing files are refused unless
    ``overwrite``.
    """
    from burdenshare.report.export import figure_paths, write_figure
    from burdenshare.services.outputs import refuse_existing

    paths = figure_paths(path_or_dir, SMA_CHART_NAME)
    refuse_existing(paths, overwrite=overwrite, option="--chart")
    return write_figure(sma_figure(), path_or_dir, SMA_CHART_NAME)


# -- costs ----------------------------------------------------------------------------------

Amount = str | float | int | Quantity


def _amount(x: Amount | None, name: str, default: Quantity) -> Quantity:
    out = _maybe_amount(x, name)
    return default if out is None else out


def _maybe_amount(x: Amount | None, name: str) -> Quantity | None:
    if x is None:
        return None
    if isinstance(x, str):
        return parse_quantity(x, name=name)
    if isinstance(x, Quantity):
        return x
    return Quantity(float(x), "", name)


def _with(c: Computation, *ids: str) -> Computation:
    return dataclasses.replace(c, assumptions=tuple(dict.fromkeys([*c.assumptions, *ids])))


def _entry(key: str, c: Computation) -> dict[str, Any]:
    return {"id": key, **c.to_dict()}


def _used_assumptions(comps: list[Computation]) -> list[dict[str, Any]]:
    ids = dict.fromkeys(a for c in comps for a in c.assumptions)
    return [assumption(a).to_dict() for a in ids]


#: the name of each indicator :func:`cost_indicators` returns
_NAMES = {
    "stationing_cost_per_year": "US stationing cost per year",
    "host_support_per_year": "host support per year",
    "host_share": "host share of US stationing cost",
    "host_share_of_combined": "host share of combined stationing spending",
    "stationing_cost_per_service_member": "US stationing cost per service member",
    "host_support_per_service_member": "host support per service member",
    "contribution_per_service_member": "SMA contribution per service member",
    "share_of_budget": "share of the host's defence budget",
    "share_of_gdp": "share of the host's GDP",
}


def cost_indicators(
    *,
    host_support: Amount | None = None,
    stationing_cost: Amount | None = None,
    years: float | None = None,
    troops: float | None = None,
    contribution: Amount | None = None,
    defence_budget: Amount | None = None,
    gdp: Amount | None = None,
) -> dict[str, Any]:
    """The burden-sharing indicators, each with its formula, arithmetic and inputs.

    Defaults are the sourced figures (``costs/data/figures.csv``): GAO-21-270's $5.8B of Korean
    direct support and $13.4B of DoD obligations over the 4 years 2016–2019, about 28,500 US
    troops, and the 2019 SMA contribution of 1,038.9 bn won. ``years`` defaults to 4 with the
    GAO totals and to 1 when either total is supplied. The defence budget and GDP are not in the
    data: the shares of them are computed only when they are given (else listed in ``missing``).

    >>> out = cost_indicators()
    >>> {i["id"]: i["display"] for i in out["indicators"]}["host_share"]
    '43.3%'
    >>> [m["needs"] for m in out["missing"]]
    ['defence_budget', 'gdp']
    """
    gao = host_support is None and stationing_cost is None
    h = _amount(host_support, "host_support", figure("gao_rok_direct_support"))
    c = _amount(stationing_cost, "stationing_cost", figure("gao_us_obligations"))
    y = float(years) if years is not None else (figure("gao_years").value if gao else 1.0)
    y_q = Quantity(y, "years", "years", figure("gao_years").source if gao else "user input")
    t = figure("us_troops_korea") if troops is None else Quantity(float(troops), "service members")
    k = _amount(contribution, "contribution", figure("rok_sma_2019"))
    even = ("even_years",) if y != 1 else ()
    troop_ids = ("constant_troops",) if troops is None and y != 1 else ()
    out: list[tuple[str, Computation]] = [
        ("stationing_cost_per_year", _with(annual_average(c, y_q), *even)),
        ("host_support_per_year", _with(annual_average(h, y_q), *even)),
        (
            "host_share",
            _with(host_share(h, c), *(("support_within_cost",) if gao else ())),
        ),
        ("host_share_of_combined", host_share_of_combined(h, c)),
        (
            "stationing_cost_per_service_member",
            _with(per_service_member(c, t, years=y_q), *even, *troop_ids),
        ),
        (
            "host_support_per_service_member",
            _with(per_service_member(h, t, years=y_q), *even, *troop_ids),
        ),
        ("contribution_per_service_member", per_service_member(k, t)),
    ]
    missing = []
    b = _maybe_amount(defence_budget, "defence_budget")
    g = _maybe_amount(gdp, "gdp")
    if b is not None:
        out.append(("share_of_budget", share_of_budget(k, b)))
    else:
        missing.append({"indicator": "share_of_budget", "needs": "defence_budget"})
    if g is not None:
        out.append(("share_of_gdp", share_of_gdp(k, g)))
    else:
        missing.append({"indicator": "share_of_gdp", "needs": "gdp"})
    for m in missing:
        m["why"] = (
            f"the ROK {m['needs'].replace('_', ' ')} is not in the shipped data "
            "(assumption no_budget_or_gdp): supply it, in the contribution's currency"
        )
    out = [(key, dataclasses.replace(comp, name=_NAMES[key])) for key, comp in out]
    comps = [comp for _, comp in out]
    return {
        "indicators": [_entry(key, comp) for key, comp in out],
        "missing": missing,
        "assumptions": [*_used_assumptions(comps), assumption("no_exchange_rate").to_dict()],
        "categories": [{"id": cat.value, **dict(info)} for cat, info in CATEGORY_INFO.items()],
        "text": "\n\n".join(comp.explain() for comp in comps),
    }


_ASKS = ("us_ask_2019", "us_ask_2019_cnn", "us_ask_2020_03", "us_ask_2020_06")


def demand_rule(
    rule: str, *, cost: Amount | None = None, current: Amount | None = None
) -> dict[str, Any]:
    """The demand ``rule`` implies (``cost+50%``, ``1.5x``, ``+13%`` ...), with its arithmetic.

    ``cost`` defaults to DoD's average yearly obligations for forces in Korea, 2016–2019
    ($13.4B / 4 = $3.35B, GAO-21-270); ``current`` to the 2019 SMA contribution (1,038.9 bn won).
    When the cost is in dollars, ``asks`` gives the "cost plus X%" each sourced US ask implies.

    >>> out = demand_rule("cost+50%")
    >>> out["demand"]["arithmetic"], [a["implied_markup"]["display"] for a in out["asks"]][:2]
    ('3.35 × (1 + 50 / 100) = 5.025', ['+49.3%', '+40.3%'])
    """
    r = parse_rule(rule)
    avg = annual_average(figure("gao_us_obligations"), figure("gao_years"))
    base_cost = Quantity(
        avg.value,
        avg.unit,
        "cost",
        f"GAO-21-270: {avg.arithmetic} (DoD obligations 2016-2019 / 4 years)",
    )
    c = _amount(cost, "cost", base_cost)
    k = _amount(current, "current", figure("rok_sma_2019"))
    demand = r.apply(cost=c, current=k)
    if r.kind.base == "cost" and cost is None:
        demand = _with(demand, "even_years", "cost_base_is_dod_obligations")
    asks = []
    if r.kind.base == "cost" and c.unit.startswith("USD") and c.value > 0:
        for ask_id in _ASKS:
            ask = figure(ask_id)
            asks.append({"ask": ask.to_dict(), "implied_markup": implied_markup(ask, c).to_dict()})
    return {
        "rule": r.to_dict(),
        "demand": demand.to_dict(),
        "asks": asks,
        "assumptions": _used_assumptions([demand]),
        "text": demand.explain(),
    }
