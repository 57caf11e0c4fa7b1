"""Replay the 11th SMA talks (2019–2021) event by event, from what was public on each date.

For every dated event of ``timeline_2019_2021.csv`` from the start of the 11th SMA talks (July
2019) up to the agreement in principle (7 March 2021, not included), :func:`replay_sma11`
rebuilds the public state on the day the event became public
(:func:`burdenshare.history.sma_backtest.build_public_state`), builds the case with the fixed
rule (:func:`burdenshare.history.casebuilder.build_case`) and runs ensembles of the three
negotiator pairs with the event date as the first round. It reports P(deal within 3 months) and
P(deal within 6 months) of the event date (the share of sessions that agree on a round dated on
or before the event date plus 3 or 6 calendar months; the rule's horizon, at least 365 days after
the event, always covers both), the median predicted settlement, and what actually happened
next. :func:`replay_chart` draws it.

>>> result = replay_sma11(n=200)
>>> row = next(r for r in result.rows if r.date.isoformat() == "2019-11-19")
>>> row.p_within_3m["linear"], row.median_settlement["linear"] is None, row.deal_within_6m
(0.0, True, False)
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from burdenshare.analysis import bargaining_problem, scenario_zopa
from burdenshare.history.casebuilder import DEFAULT_PRIORS, CasePriors, PublicState, build_case
from burdenshare.history.sma import load_sma_agreements, load_sma_timeline
from burdenshare.history.sma_backtest import (
    ENSEMBLE_PAIRS,
    build_public_state,
    ensemble_forecast,
    known_by,
)
from burdenshare.report.plots import style_context

__all__ = ["REPLAY_FROM", "ReplayResult", "ReplayRow", "add_months", "replay_chart", "replay_sma11"]

#: the first day of the 11th SMA talks in the timeline (the July 2019 Bolton visit)
REPLAY_FROM = dt.date(2019, 7, 1)
#: the pair whose numbers the chart draws as lines (the other pairs give the shaded band)
MAIN_PAIR = "linear"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months (the day clipped to the month's length).

    >>> add_months(dt.date(2019, 11, 30), 3), add_months(dt.date(2020, 8, 31), 6)
    (datetime.date(2020, 2, 29), datetime.date(2021, 2, 28))
    """
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass(frozen=True)
class ReplayRow:
    """One dated event: the state used, the model's forecasts, and what happened next."""

    date: dt.date
    date_text: str
    event_type: str
    event: str
    state: PublicState
    zopa: bool
    p_within_3m: dict[str, float]
    p_within_6m: dict[str, float]
    p_agreement: dict[str, float]
    median_settlement: dict[str, float | None]
    deal_within_3m: bool
    deal_within_6m: bool
    days_to_deal: int
    next_event: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "date_text": self.date_text,
            "event_type": self.event_type,
            "event": self.event,
            "state": self.state.to_dict(),
            "zopa_at_central_values": self.zopa,
            "p_within_3m": dict(self.p_within_3m),
            "p_within_6m": dict(self.p_within_6m),
            "p_agreement_by_horizon": dict(self.p_agreement),
            "median_settlement": dict(self.median_settlement),
            "actual": {
                "deal_within_3m": self.deal_within_3m,
                "deal_within_6m": self.deal_within_6m,
                "days_to_deal": self.days_to_deal,
                "next_event": self.next_event,
            },
        }


@dataclass(frozen=True)
class ReplayResult:
    """The replay of the 11th SMA talks: one row per dated event, and the real outcome."""

    n: int
    seed: int
    rows: tuple[ReplayRow, ...]
    deal_date: dt.date
    settlement: float
    status_quo: float

    def brier(self, window: str, pair: str = MAIN_PAIR) -> float:
        """Brier score of P(deal within ``window``) (``"3m"`` or ``"6m"``) over the events."""
        total = 0.0
        for r in self.rows:
            p = (r.p_within_3m if window == "3m" else r.p_within_6m)[pair]
            y = r.deal_within_3m if window == "3m" else r.deal_within_6m
            total += (p - float(y)) ** 2
        return total / len(self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "seed": self.seed,
            "brier": {w: {p: self.brier(w, p) for p in ENSEMBLE_PAIRS} for w in ("3m", "6m")},
            "pairs": list(ENSEMBLE_PAIRS),
            "deal_date": self.deal_date.isoformat(),
            "settlement": self.settlement,
            "status_quo": self.status_quo,
            "rows": [r.to_dict() for r in self.rows],
        }

    def to_text(self) -> str:
        """A fixed-width table, one line per event (linear pair; band = min..max of pairs)."""

        def band(d: dict[str, float]) -> str:
            return f"{d[MAIN_PAIR]:.2f} ({min(d.values()):.2f}-{max(d.values()):.2f})"

        out = [
            f"Replay of the 11th SMA talks: {len(self.rows)} dated events, ensembles of "
            f"n={self.n} per pair (seed {self.seed}); P = linear pair (min-max over "
            f"{', '.join(ENSEMBLE_PAIRS)}). Actual: deal on {self.deal_date} at "
            f"{self.settlement:.1f} bn won (status quo {self.status_quo:.1f}).",
            "",
            f"{'date':<10} {'US ask':>7} {'ROK':>7} {'ZOPA':>4} {'P(<=3m)':>16} "
            f"{'P(<=6m)':>16} {'P(hor)':>6} {'median':>7} {'deal<=6m':>8}  event",
        ]
        for r in self.rows:
            med = r.median_settlement[MAIN_PAIR]
            rok = f"{r.state.rok_offer:.0f}" if r.state.rok_offer is not None else "-"
            out.append(
                f"{r.date.isoformat():<10} {r.state.us_ask:>7.0f} {rok:>7} "
                f"{'yes' if r.zopa else 'no':>4} {band(r.p_within_3m):>16} "
                f"{band(r.p_within_6m):>16} {r.p_agreement[MAIN_PAIR]:>6.2f} "
                f"{'-' if med is None else f'{med:.0f}':>7} "
                f"{'yes' if r.deal_within_6m else 'no':>8}  {r.event[:60]}"
            )
        n3 = sum(r.deal_within_3m for r in self.rows)
        n6 = sum(r.deal_within_6m for r in self.rows)
        out += [
            "",
            "Brier score over the events (linear / boulware / conceder; a coin scores 0.25): "
            + "; ".join(
                f"{w}: "
                + " / ".join(f"{self.brier(w, p):.3f}" for p in (MAIN_PAIR, "boulware", "conceder"))
                for w in ("3m", "6m")
            )
            + f". A deal followed within 3 months of {n3} and within 6 months of {n6} of the "
            f"{len(self.rows)} events.",
        ]
        return "\n".join(out)


def _events() -> list[tuple[dt.date, Any]]:
    out = []
    for ev in load_sma_timeline():
        day = known_by(ev)
        if day is not None:
            out.append((day, ev))
    return out


def replay_sma11(n: int = 4000, seed: int = 0, priors: CasePriors = DEFAULT_PRIORS) -> ReplayResult:
    """Every dated event from :data:`REPLAY_FROM` to the deal (module docstring)."""
    eleventh = next(a for a in load_sma_agreements() if a.sma == "11th")
    deal = dt.date.fromisoformat(eleventh.agreement_in_principle[:10])
    settlement = eleventh.amounts_krw_bn[2021]
    events = _events()
    chosen = sorted(
        ((d, ev) for d, ev in events if REPLAY_FROM <= d < deal), key=lambda item: item[0]
    )
    cache: dict[dt.date, tuple[PublicState, bool, dict[str, Any]]] = {}
    rows = []
    for day, ev in chosen:
        if day not in cache:
            state = build_public_state("11th", day, ev.event)
            _, sc = build_case(state, priors)
            zopa = scenario_zopa(bargaining_problem(sc)).exists
            within = {"3m": add_months(day, 3), "6m": add_months(day, 6)}
            fc = {
                p: ensemble_forecast(sc, p, n=n, seed=seed, within=within) for p in ENSEMBLE_PAIRS
            }
            cache[day] = (state, zopa, fc)
        state, zopa, fc = cache[day]
        later = [e for d, e in events if d > day]
        nxt = later[0] if later else None
        rows.append(
            ReplayRow(
                date=day,
                date_text=ev.date,
                event_type=ev.event_type,
                event=ev.event,
                state=state,
                zopa=zopa,
                p_within_3m={p: f.p_within["3m"] for p, f in fc.items()},
                p_within_6m={p: f.p_within["6m"] for p, f in fc.items()},
                p_agreement={p: f.p_agreement for p, f in fc.items()},
                median_settlement={p: f.median_settlement for p, f in fc.items()},
                deal_within_3m=deal <= add_months(day, 3),
                deal_within_6m=deal <= add_months(day, 6),
                days_to_deal=(deal - day).days,
                next_event=f"{nxt.date}: {nxt.event}" if nxt is not None else "",
            )
        )
    series = {c.sma: c for c in load_sma_agreements()}
    sq = series["10th"].first_year_krw_bn.value or rows[0].state.status_quo
    return ReplayResult(
        n=n, seed=seed, rows=tuple(rows), deal_date=deal, settlement=settlement, status_quo=sq
    )


#: the events the chart marks: (date, label)
MARKS: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2019, 11, 19), "round 3 breaks down"),
    (dt.date(2019, 12, 31), "10th SMA expires"),
    (dt.date(2020, 4, 1), "furlough begins"),
    (dt.date(2020, 4, 12), "13% offer rejected"),
    (dt.date(2021, 3, 7), "deal (terms 10 Mar)"),
)


def _marks(ax: Axes, labels: bool) -> None:
    for day, label in MARKS:
        ax.axvline(day, color="#555555", linestyle=":", linewidth=0.9)  # type: ignore[arg-type]
        if labels:
            ax.annotate(
                label,
                xy=(day, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(2, -2),
                textcoords="offset points",
                rotation=90,
                va="top",
                fontsize=7,
                color="#333333",
            )


def _figure(result: ReplayResult) -> Figure:
    with style_context():
        fig = Figure(figsize=(9.0, 7.0), layout="constrained")
        top, bottom = fig.subplots(2, 1, sharex=True)
        rows = result.rows
        days = [r.date for r in rows]
        for key, color, label in (("3m", "#0072B2", "3 months"), ("6m", "#D55E00", "6 months")):
            vals = [(r.p_within_3m if key == "3m" else r.p_within_6m) for r in rows]
            main = [v[MAIN_PAIR] for v in vals]
            lo = [min(v.values()) for v in vals]
            hi = [max(v.values()) for v in vals]
            top.fill_between(days, lo, hi, step="post", color=color, alpha=0.15, linewidth=0)
            top.step(days, main, where="post", color=color, label=f"P(deal within {label})")
        top.step(
            days,
            [r.p_agreement[MAIN_PAIR] for r in rows],
            where="post",
            color="#555555",
            linestyle="--",
            label="P(deal by the horizon, a year or more)",
        )
        top.set_ylim(-0.02, 1.02)
        top.set_ylabel("probability")
        top.set_title("Model's P(deal) after each public event (linear pair; band: all pairs)")
        top.legend(loc="center left", fontsize=8)
        _marks(top, labels=True)
        ask = [r.state.us_ask for r in rows]
        offer = [r.state.rok_offer if r.state.rok_offer is not None else float("nan") for r in rows]
        med = [r.median_settlement[MAIN_PAIR] for r in rows]
        bottom.step(days, ask, where="post", color="#CC79A7", label="latest US ask")
        bottom.step(days, offer, where="post", color="#009E73", label="latest ROK offer")
        bottom.plot(
            days,
            [float("nan") if m is None else m for m in med],
            "o",
            color="#0072B2",
            markersize=3.5,
            label="median predicted settlement",
        )
        bottom.axhline(result.status_quo, color="#999999", linewidth=0.8, label="status quo")
        bottom.plot(
            [result.deal_date],
            [result.settlement],
            "*",
            color="#D55E00",
            markersize=12,
            label=f"actual 2021 amount ({result.settlement:,.1f})",
        )
        bottom.set_yscale("log")
        bottom.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        bottom.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
        bottom.set_ylabel("KRW bn (log scale)")
        bottom.set_title("Positions and predicted settlement (none drawn where no session agrees)")
        bottom.legend(loc="upper right", fontsize=8)
        _marks(bottom, labels=False)
        fig.autofmt_xdate()
    return fig


#: the file stem of the replay chart written into a folder
REPLAY_CHART_NAME = "replay-us-rok-sma-11"


def replay_chart(result: ReplayResult, path_or_dir: str | Path) -> list[Path]:
    """Write the replay chart as PNG and SVG; returns the two paths.

    ``path_or_dir`` is a directory (files ``replay-us-rok-sma-11.png``/``.svg`` in it, created
    if needed) or a file path whose suffix is replaced by ``.png`` and ``.svg``.
    """
    from burdenshare.report.export import write_figure

    return write_figure(_figure(result), path_or_dir, REPLAY_CHART_NAME, dpi=120)
