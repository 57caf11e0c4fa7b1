"""Leave-one-round-out backtest of every method on the record of rounds.

For each round of the record (:func:`burdenshare.history.record.load_record`) held out in turn:

1. the case builder's priors are fitted on the *other* rounds
   (:func:`burdenshare.history.priors_fit.fit_priors`), and so are the timing hazard
   (:func:`burdenshare.history.timing.fit_hazard`) and the climatology;
2. each as-of case of the held-out round (:func:`burdenshare.history.record.record_cases`: the
   facts public on that date) is built (:func:`burdenshare.history.builder.build_case`) and every
   method forecasts it (:func:`burdenshare.history.record_methods.case_methods`: the solutions at
   central values, the ensembles of negotiator pairs, the forecasting models), beside the hazard
   model (``timing:hazard``) and the baselines: ``baseline:climatology`` (the other rounds' base
   rates of a deal by expiry and of a deal within 6 and 12 months of an as-of date),
   ``baseline:coin`` (0.5), ``baseline:status-quo`` and ``baseline:status-quo+last`` (the status
   quo times its last yearly change);
3. the combined forecast ``combined:stacking`` is *stacking on nested leave-one-round-out
   predictions*: for the held-out round ``r``, the weights and the interval
   (:func:`burdenshare.history.stacking.fit_combination`) are fitted on the other rounds' cases,
   each case of another round ``j`` forecast by every member (solutions, forecasting models,
   ensembles) on a case built with priors fitted without *both* ``r`` and ``j``, so that nothing
   behind the held-out round's combined forecast saw that round. The priors of each excluded pair
   are fitted once. ``nested_ensembles=False`` keeps the ensembles' single-level predictions
   (priors fitted without ``j`` only, so with ``r`` among them) for a run about three times
   faster; the combined forecast's ``note`` says which (:data:`NESTED_NOTE`).

:mod:`burdenshare.history.record_scores` scores the forecasts against the outcomes. The
combination (on every round's single-level predictions) and the hazard fitted on *every* round
are the shipped parameters (``forecasting/data/combination-v1.json``,
``history/data/timing-v1.json``); the command
``python -m burdenshare.history.record_backtest --write-params`` rewrites both.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from burdenshare.history.facts import Facts, RecordRound
from burdenshare.history.record import record_cases
from burdenshare.history.record_methods import TARGETS, MethodForecast, case_methods
from burdenshare.history.stacking import CombinationParams, fit_combination
from burdenshare.history.timing import TimingParams, add_months, fit_hazard, p_deal_by

__all__ = [
    "DEFAULT_N",
    "MIN_ROUNDS",
    "NESTED_NOTE",
    "CaseForecasts",
    "CaseTruth",
    "LooRun",
    "combination_members",
    "run_loo",
    "truth",
]

#: sessions per ensemble (per case and negotiator pair) unless told otherwise: small, so that
#: the whole backtest takes about a minute on two cores
DEFAULT_N = 2000
#: the builder's priors are fitted on at least 3 rounds, so the record needs 4 to leave one out
MIN_ROUNDS = 4
#: what the combined forecast's weights of a held-out round were fitted on (its ``note``), by
#: whether the ensembles' predictions are nested too
NESTED_NOTE = {
    True: (
        "stacking on nested leave-one-round-out predictions: for the held-out round, every "
        "member's predictions of the other rounds made with priors fitted without both rounds"
    ),
    False: (
        "stacking on nested leave-one-round-out predictions: for the held-out round, the "
        "solutions' and forecasting models' predictions of the other rounds made with priors "
        "fitted without both rounds; the ensembles' single-level (priors fitted with the "
        "held-out round)"
    ),
}


@dataclass(frozen=True)
class CaseTruth:
    """What happened after one as-of date, per target (``None``: the target does not apply)."""

    round_id: str
    as_of: dt.date
    label: str
    alliance: str
    currency: str
    scale: str
    status_quo: float
    expiry: dt.date
    deal_date: dt.date | None
    settlement: float | None
    happened: dict[str, bool | None]

    @property
    def key(self) -> str:
        return f"{self.round_id}@{self.as_of.isoformat()}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round_id,
            "as_of": self.as_of.isoformat(),
            "label": self.label,
            "alliance": self.alliance,
            "currency": self.currency,
            "scale": self.scale,
            "status_quo": self.status_quo,
            "expiry": self.expiry.isoformat(),
            "deal_date": None if self.deal_date is None else self.deal_date.isoformat(),
            "settlement": self.settlement,
            "happened": dict(self.happened),
        }


def target_dates(facts: Facts) -> dict[str, dt.date]:
    """The date of each target from the as-of date (expiry only while it lies ahead)."""
    out = {"6m": add_months(facts.as_of, 6), "12m": add_months(facts.as_of, 12)}
    if facts.as_of < facts.expiry:
        out["expiry"] = facts.expiry
    return out


def truth(
    round_id: str, label: str, facts: Facts, deal: dt.date | None, settlement: float | None
) -> CaseTruth:
    """The outcome of each target of a case: a deal on or before the target's date.

    A deal by the expiry is scored only on cases dated before the expiry (after it, it is known
    not to have happened)."""
    dates = target_dates(facts)
    happened: dict[str, bool | None] = {
        t: (deal is not None and deal <= dates[t]) if t in dates else None for t in TARGETS
    }
    return CaseTruth(
        round_id=round_id,
        as_of=facts.as_of,
        label=label,
        alliance=facts.alliance,
        currency=facts.currency,
        scale=facts.scale,
        status_quo=facts.status_quo.amount,
        expiry=facts.expiry,
        deal_date=deal,
        settlement=settlement,
        happened=happened,
    )


@dataclass(frozen=True)
class CaseForecasts:
    """One case: what happened, the zone verdict at central values and every method's forecast."""

    truth: CaseTruth
    zopa: bool
    forecasts: tuple[MethodForecast, ...]

    def get(self, method: str) -> MethodForecast | None:
        return next((f for f in self.forecasts if f.method == method), None)


@dataclass(frozen=True)
class LooRun:
    """Every case's forecasts, the parameters fitted on every round and the run's settings."""

    n: int
    seed: int
    rounds: tuple[str, ...]
    cases: tuple[CaseForecasts, ...]
    combination: CombinationParams
    timing: TimingParams
    notes: tuple[str, ...] = field(default_factory=tuple)


def _baselines(facts: Facts, train_rates: dict[str, float]) -> list[MethodForecast]:
    sq = facts.status_quo
    prev = sq.previous_amount
    last = sq.amount * sq.amount / prev if prev else None
    return [
        MethodForecast(
            "baseline:climatology",
            "baseline",
            probabilities={t: v for t, v in train_rates.items() if t in target_dates(facts)},
            note="base rates of the other rounds",
        ),
        MethodForecast(
            "baseline:coin",
            "baseline",
            probabilities=dict.fromkeys(target_dates(facts), 0.5),
        ),
        MethodForecast("baseline:status-quo", "baseline", sq.amount),
        MethodForecast(
            "baseline:status-quo+last",
            "baseline",
            last,
            note="status quo times its last yearly change" if last else "no previous year",
        ),
    ]


def _rates(cases: Sequence[CaseTruth]) -> dict[str, float]:
    out = {}
    for t in TARGETS:
        ys = [c.happened[t] for c in cases if c.happened[t] is not None]
        # Laplace's rule of succession keeps a base rate off 0 and 1 with few rounds
        out[t] = (sum(bool(y) for y in ys) + 1) / (len(ys) + 2)
    return out


def combination_members(cases: Sequence[CaseForecasts]) -> list[str]:
    """The methods stacked: every solution, forecasting model and ensemble (not the baselines)."""
    names: list[str] = []
    for c in cases:
        for f in c.forecasts:
            if f.kind in ("solution", "forecast", "ensemble") and f.method not in names:
                names.append(f.method)
    return names


def _stack(
    cases: Sequence[CaseForecasts], members: Sequence[str], fitted_on: Sequence[str]
) -> CombinationParams:
    scored = [c for c in cases if c.truth.settlement is not None]
    preds = {m: [(f.settlement if (f := c.get(m)) else None) for c in scored] for m in members}
    return fit_combination(
        preds,
        [float(c.truth.settlement or math.nan) for c in scored],
        groups=[c.truth.round_id for c in scored],
        fitted_on=fitted_on,
    )


BuildFn = Callable[[Facts, Any], Any]
FitFn = Callable[[Sequence[RecordRound]], Any]
CasesFn = Callable[[Sequence[RecordRound]], Sequence[Any]]
MethodsFn = Callable[..., tuple[bool, tuple[MethodForecast, ...]]]


def run_loo(
    rounds: Sequence[RecordRound],
    *,
    n: int = DEFAULT_N,
    seed: int = 0,
    fit_priors: FitFn | None = None,
    build_case: BuildFn | None = None,
    cases_of: CasesFn | None = None,
    methods: MethodsFn = case_methods,
    nested_ensembles: bool = True,
    progress: Callable[[str], None] | None = None,
) -> LooRun:
    """Every method on every case, each round held out in turn (module docstring).

    ``fit_priors``/``build_case`` default to the case builder's, ``cases_of`` to
    :func:`burdenshare.history.record.record_cases` and ``methods`` to
    :func:`burdenshare.history.record_methods.case_methods` (tests pass simpler ones).
    ``nested_ensembles=False`` keeps the ensembles' single-level predictions for the stacking
    weights (module docstring).
    """
    cases_fn: CasesFn = cases_of if cases_of is not None else record_cases

    if fit_priors is None or build_case is None:
        from burdenshare.history.builder import build_case as _build
        from burdenshare.history.priors_fit import fit_priors as _fit

        fit_priors = fit_priors or _fit
        build_case = build_case or _build
    rounds = list(rounds)
    if len(rounds) < MIN_ROUNDS:
        raise ValueError(f"the backtest needs at least {MIN_ROUNDS} rounds, got {len(rounds)}")
    fit: FitFn = fit_priors
    build: BuildFn = build_case
    fits: dict[frozenset[str], Any] = {}

    def priors_without(*ids: str) -> Any:
        """The priors fitted on every round but ``ids``, once per set (a fit is deterministic)."""
        key = frozenset(ids)
        if key not in fits:
            fits[key] = fit([r for r in rounds if r.id not in key])
        return fits[key]

    all_cases = tuple(cases_fn(rounds))
    truths = {
        (c.round_id, c.as_of): truth(
            c.round_id,
            c.label,
            c.facts,
            c.outcome.deal_date if c.outcome.agreed else None,
            c.outcome.settlement_amount if c.outcome.agreed else None,
        )
        for c in all_cases
    }
    out: list[CaseForecasts] = []
    for held in rounds:
        train = [r for r in rounds if r.id != held.id]
        priors = priors_without(held.id)
        hazard = fit_hazard(train)
        rates = _rates([t for (rid, _), t in truths.items() if rid != held.id])
        for case in (c for c in all_cases if c.round_id == held.id):
            if progress is not None:
                progress(f"{case.round_id} {case.as_of}")
            tr = truths[(case.round_id, case.as_of)]
            built = build(case.facts, priors)
            dates = target_dates(case.facts)
            zopa, fcs = methods(built.scenario, dates, n=n, seed=seed)
            p = p_deal_by(case.facts, list(dates.values()), hazard)
            timing = MethodForecast(
                "timing:hazard", "timing", probabilities={t: p[d] for t, d in dates.items()}
            )
            out.append(CaseForecasts(tr, zopa, (*fcs, timing, *_baselines(case.facts, rates))))
    members = combination_members(out)
    single = {(c.truth.round_id, c.truth.as_of): c for c in out}
    note = NESTED_NOTE[nested_ensembles]
    final: list[CaseForecasts] = []
    for held in rounds:
        # the other rounds' cases, forecast with priors fitted without the held-out round too
        nested: list[CaseForecasts] = []
        for case in (c for c in all_cases if c.round_id != held.id):
            if progress is not None:
                progress(f"{case.round_id} {case.as_of} without {held.id}")
            one = single[(case.round_id, case.as_of)]
            built = build(case.facts, priors_without(held.id, case.round_id))
            _, fcs = methods(
                built.scenario,
                target_dates(case.facts),
                n=n,
                seed=seed,
                ensembles=nested_ensembles,
            )
            kept = (
                () if nested_ensembles else tuple(f for f in one.forecasts if f.kind == "ensemble")
            )
            nested.append(CaseForecasts(one.truth, one.zopa, (*fcs, *kept)))
        params = _stack(nested, members, [r.id for r in rounds if r.id != held.id])
        for c in (c for c in out if c.truth.round_id == held.id):
            got = params.combine({m: f.settlement for m in members if (f := c.get(m))})
            point, low, high = got if got is not None else (None, None, None)
            comb = MethodForecast("combined:stacking", "combined", point, low, high, note=note)
            final.append(CaseForecasts(c.truth, c.zopa, (*c.forecasts, comb)))
    order = {r.id: i for i, r in enumerate(rounds)}
    final.sort(key=lambda c: (order[c.truth.round_id], c.truth.as_of))
    return LooRun(
        n=n,
        seed=seed,
        rounds=tuple(r.id for r in rounds),
        cases=tuple(final),
        combination=_stack(out, members, [r.id for r in rounds]),
        timing=fit_hazard(rounds),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m burdenshare.history.record_backtest [--write-params] [-n N] [RECORD ...]``:
    run the backtest on the bundled record (plus record files) and print the combination and
    hazard fitted on every round, or write them into the package with ``--write-params``."""
    import argparse
    import json
    import sys
    from importlib import resources

    from burdenshare.history.record import load_record
    from burdenshare.history.stacking import dumps

    ap = argparse.ArgumentParser(prog="python -m burdenshare.history.record_backtest")
    ap.add_argument("records", nargs="*")
    ap.add_argument("-n", type=int, default=DEFAULT_N)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--write-params", action="store_true")
    args = ap.parse_args(argv)
    run = run_loo(load_record(args.records), n=args.n, seed=args.seed)
    comb, timing = dumps(run.combination), json.dumps(run.timing.to_dict(), indent=2) + "\n"
    if args.write_params:
        root = resources.files("burdenshare")
        for rel, text in (
            ("forecasting/data/combination-v1.json", comb),
            ("history/data/timing-v1.json", timing),
        ):
            path = root.joinpath(rel)
            with open(str(path), "w", encoding="utf-8") as fh:
                fh.write(text)
            sys.stdout.write(f"wrote {path}\n")
    else:
        sys.stdout.write(comb + timing)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
