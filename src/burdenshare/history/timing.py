"""P(deal by a date): a discrete-time (monthly) logistic hazard fitted on the record of rounds.

The statistical timing layer of issue 13, beside the negotiation model's own timing (the share
of ensemble sessions that agree by a date). Time runs in calendar months from a start date; in
month ``k`` (from ``d_k`` to ``d_{k+1}``) the probability of a deal, given none before, is

    h_k = 1 / (1 + exp(-x_k . beta))

(Allison 1982, "Discrete-time methods for the analysis of event histories", Sociological
Methodology 13; Singer & Willett 2003, ch. 10-11), and P(deal by the end of month ``K``) is
``1 - prod_{k <= K} (1 - h_k)``; a date inside a month takes that month's hazard pro rata.

The covariates :data:`FEATURES` of month ``k`` use only what is public on the as-of date
(:func:`covariates`): the gap between positions (log of the demander's latest ask over the
status quo, log of the payer's latest offer over the status quo; 0 without a figure), years to
the expiry of the agreement in force and years since it (each capped at 2), whether the expiry
falls in the month, whether an election of either party is scheduled in the month (and
announced by the as-of date), and whether a government changed since the talks began (an
election on or before the as-of date that the record marks as a change; later results are
unknown and count as no change).

Fitting (:func:`fit_hazard`): one row per round and month from the talks' start (else expiry
minus 180 days) to the month of the deal (the event) or, for a round without a deal, to its
last public date (censored), at most :data:`MAX_MONTHS` months. The positions of each row are
those public at the start of its month. The coefficients maximise the log likelihood minus
``ridge / 2 * |beta|^2`` (the intercept is not penalised), by Newton's method (iteratively
reweighted least squares). With a handful of rounds an unpenalised fit separates; the ridge is
chosen from :data:`RIDGE_GRID` by leave-one-round-out log likelihood of the held-out rounds'
months (the largest value within 1% of the best, which favours the simpler model).

The shipped parameters (``history/data/timing-v1.json``) are fitted on the bundled record by
``python -m burdenshare.history.timing > src/burdenshare/history/data/timing-v1.json``; a test
refits them and requires the file to match.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from burdenshare.history.facts import Facts, RecordRound

__all__ = [
    "FEATURES",
    "MAX_MONTHS",
    "RIDGE_GRID",
    "TimingParams",
    "add_months",
    "covariates",
    "fit_hazard",
    "hazard_rows",
    "load_timing",
    "p_deal_by",
]

FloatArray = npt.NDArray[np.float64]

#: the covariates of a month, in the order of the coefficients (the intercept first)
FEATURES: tuple[str, ...] = (
    "intercept",
    "log_ask_gap",
    "log_offer_gap",
    "years_to_expiry",
    "years_after_expiry",
    "expiry_in_month",
    "election_in_month",
    "change_of_government",
)
#: ridge penalties tried by leave-one-round-out cross-validation
RIDGE_GRID: tuple[float, ...] = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
#: the ridge used when there are too few rounds to cross-validate
DEFAULT_RIDGE = 3.0
#: the longest a round is followed (months)
MAX_MONTHS = 60
#: days before the expiry that talks are taken to start when the record gives no start
DEFAULT_LEAD_DAYS = 180
_DAYS_PER_YEAR = 365.25
VERSION = "timing-v1"


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


def _talks_start(facts: Facts) -> dt.date:
    return facts.talks_start or facts.expiry - dt.timedelta(days=DEFAULT_LEAD_DAYS)


def covariates(facts: Facts, known: dt.date, month_start: dt.date) -> tuple[float, ...]:
    """The :data:`FEATURES` of the month from ``month_start``, from what is public on ``known``.

    ``known`` is the as-of date (positions and government changes after it are not used).
    """
    month_end = add_months(month_start, 1)
    sq = facts.status_quo.amount

    def latest(kind: str) -> float:
        mine = [p for p in facts.positions if p.kind == kind and p.date <= known]
        if not mine or sq <= 0:
            return 0.0
        amount = max(mine, key=lambda p: p.date).amount
        return math.log(amount / sq) if amount > 0 else 0.0

    to_expiry = (facts.expiry - month_start).days / _DAYS_PER_YEAR
    start = _talks_start(facts)
    changed = any(
        e.change_of_government is True and start <= e.date <= known for e in facts.elections
    )
    return (
        1.0,
        latest("ask"),
        latest("offer"),
        min(max(to_expiry, 0.0), 2.0),
        min(max(-to_expiry, 0.0), 2.0),
        float(month_start <= facts.expiry < month_end),
        float(
            any(
                month_start <= e.date < month_end and (e.announced is None or e.announced <= known)
                for e in facts.elections
            )
        ),
        float(changed),
    )


def hazard_rows(rnd: RecordRound) -> tuple[list[tuple[float, ...]], list[float]]:
    """The person-month rows of one round (module docstring): covariates and 0/1 deal."""
    facts, deal = rnd.facts, rnd.outcome.deal_date if rnd.outcome.agreed else None
    start = _talks_start(facts)
    end = deal if deal is not None else facts.as_of
    xs: list[tuple[float, ...]] = []
    ys: list[float] = []
    for k in range(MAX_MONTHS):
        d0, d1 = add_months(start, k), add_months(start, k + 1)
        if d0 > end:
            break
        xs.append(covariates(facts, d0, d0))
        happened = deal is not None and d0 <= deal < d1
        ys.append(float(happened))
        if happened:
            break
    return xs, ys


def _fit(x: FloatArray, y: FloatArray, ridge: float, iterations: int = 100) -> FloatArray:
    """Penalised logistic regression by Newton's method (the intercept, column 0, unpenalised)."""
    beta = np.zeros(x.shape[1])
    pen = np.full(x.shape[1], ridge)
    pen[0] = 0.0
    mean = float(np.clip(np.mean(y), 1e-3, 1 - 1e-3))
    beta[0] = math.log(mean / (1 - mean))
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        grad = x.T @ (y - p) - pen * beta
        hess = (x.T * (p * (1 - p))) @ x + np.diag(pen) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        beta = beta + step
        if float(np.max(np.abs(step))) < 1e-10:
            break
    return beta


def _loglik(x: FloatArray, y: FloatArray, beta: FloatArray) -> float:
    eta = x @ beta
    return float(np.sum(y * eta - np.logaddexp(0.0, eta)))


@dataclass(frozen=True)
class TimingParams:
    """The fitted hazard: coefficients by :data:`FEATURES`, the ridge and how it was chosen."""

    version: str
    fitted_on: tuple[str, ...]
    features: tuple[str, ...]
    coefficients: tuple[float, ...]
    ridge: float
    ridge_cv: dict[str, float]
    n_months: int
    n_deals: int
    method: str = (
        "monthly logistic hazard, ridge (intercept unpenalised) chosen by leave-one-round-out "
        "log likelihood; Newton/IRLS"
    )

    @property
    def beta(self) -> FloatArray:
        return np.asarray(self.coefficients, dtype=np.float64)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "fitted_on": list(self.fitted_on),
            "features": list(self.features),
            "coefficients": {
                f: round(c, 6) for f, c in zip(self.features, self.coefficients, strict=True)
            },
            "ridge": self.ridge,
            "ridge_cv": {k: round(v, 6) for k, v in self.ridge_cv.items()},
            "n_months": self.n_months,
            "n_deals": self.n_deals,
            "method": self.method,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TimingParams:
        coefs = data["coefficients"]
        features = tuple(data["features"])
        if features != FEATURES:
            raise ValueError(f"timing parameters for features {features}, expected {FEATURES}")
        return cls(
            version=str(data["version"]),
            fitted_on=tuple(data["fitted_on"]),
            features=features,
            coefficients=tuple(float(coefs[f]) for f in features),
            ridge=float(data["ridge"]),
            ridge_cv={str(k): float(v) for k, v in data["ridge_cv"].items()},
            n_months=int(data["n_months"]),
            n_deals=int(data["n_deals"]),
            method=str(data["method"]),
        )


def _design(rounds: Sequence[RecordRound]) -> tuple[FloatArray, FloatArray, FloatArray]:
    xs: list[tuple[float, ...]] = []
    ys: list[float] = []
    groups: list[int] = []
    for i, r in enumerate(rounds):
        x, y = hazard_rows(r)
        xs += x
        ys += y
        groups += [i] * len(y)
    return (
        np.asarray(xs, dtype=np.float64).reshape(-1, len(FEATURES)),
        np.asarray(ys, dtype=np.float64),
        np.asarray(groups, dtype=np.int64),
    )


def fit_hazard(
    rounds: Sequence[RecordRound],
    *,
    grid: Sequence[float] = RIDGE_GRID,
    version: str = VERSION,
) -> TimingParams:
    """Fit the hazard on ``rounds`` (module docstring: rows, penalty, choice of the ridge)."""
    if not rounds:
        raise ValueError("fit_hazard needs at least one round")
    x, y, g = _design(rounds)
    cv: dict[str, float] = {}
    if len(rounds) >= 3 and len(grid) > 1:
        for lam in grid:
            total = 0.0
            for i in range(len(rounds)):
                train, test = g != i, g == i
                total += _loglik(x[test], y[test], _fit(x[train], y[train], lam))
            cv[f"{lam:g}"] = total
        best = max(cv.values())
        ridge = max(lam for lam in grid if cv[f"{lam:g}"] >= best - 0.01 * abs(best))
    else:
        ridge = DEFAULT_RIDGE
    beta = _fit(x, y, ridge)
    return TimingParams(
        version=version,
        fitted_on=tuple(r.id for r in rounds),
        features=FEATURES,
        coefficients=tuple(float(b) for b in beta),
        ridge=ridge,
        ridge_cv=cv,
        n_months=int(y.size),
        n_deals=int(np.sum(y)),
    )


#: the shipped parameters' file name inside the package
SHIPPED = "timing-v1.json"


def load_timing(path: str | Path | None = None) -> TimingParams:
    """Timing parameters from ``path`` (None: the shipped ``timing-v1.json``)."""
    if path is None:
        text = resources.files("burdenshare.history").joinpath("data", SHIPPED).read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return TimingParams.from_dict(json.loads(text))


def p_deal_by(
    facts: Facts, dates: Sequence[dt.date], params: TimingParams | None = None
) -> dict[dt.date, float]:
    """P(a deal by each of ``dates``) from ``facts.as_of``, given no deal by then.

    Dates on or before the as-of date get 0. The months run from the as-of date; positions and
    government changes are those public on it; expiry and scheduled elections move with the month.
    """
    beta = (params or load_timing()).beta
    out: dict[dt.date, float] = {}
    if not dates:
        return out
    horizon = max(dates)
    survival = [1.0]
    hazards: list[float] = []
    k = 0
    while add_months(facts.as_of, k) <= horizon and k < 12 * 50:
        x = np.asarray(covariates(facts, facts.as_of, add_months(facts.as_of, k)))
        h = 1.0 / (1.0 + math.exp(-float(x @ beta)))
        hazards.append(h)
        survival.append(survival[-1] * (1.0 - h))
        k += 1
    for day in dates:
        if day <= facts.as_of:
            out[day] = 0.0
            continue
        k = 0
        while add_months(facts.as_of, k + 1) <= day:
            k += 1
        d0, d1 = add_months(facts.as_of, k), add_months(facts.as_of, k + 1)
        frac = (day - d0).days / (d1 - d0).days
        out[day] = 1.0 - survival[k] * (1.0 - hazards[k] * frac)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m burdenshare.history.timing [RECORD ...]``: fit on the bundled record (plus
    any record files) and print the parameters' JSON."""
    import sys

    from burdenshare.history.record import load_record

    args = list(sys.argv[1:] if argv is None else argv)
    params = fit_hazard(load_record(args))
    sys.stdout.write(json.dumps(params.to_dict(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
