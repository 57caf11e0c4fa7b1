"""The combined settlement forecast: stacking of the backtest's methods, with an 80% interval.

Stacking (Wolpert 1992, "Stacked generalization", Neural Networks 5; Breiman 1996, "Stacked
regressions", Machine Learning 24, with non-negative weights) combines the members' forecasts
with weights fitted on *out-of-sample* predictions: here the record backtest's
leave-one-round-out predictions of each member (``solution:<concept>``, ``forecast:<model>``,
``ensemble:<pair>``, ``baseline:...``).

:func:`fit_combination` finds non-negative weights summing to 1 that minimise the mean squared
*relative* error ``((combined - actual) / actual)**2`` over the cases (relative, so rounds in
different currencies and scales weigh alike). A member missing on a case (a solution that says
"no deal", a model that cannot forecast) is left out of that case and the weights of the members
present are renormalised to sum to 1; a case on which no member with positive weight is present
takes the plain mean of the members present. The weights are found by sequential least squares
(SLSQP, :func:`scipy.optimize.minimize`) from equal weights and from the best member alone; the
better is kept, weights under 1e-4 are dropped and the rest renormalised. Members whose predictions
are identical on every case are one member to the fit (the weight goes to the first named).

The 80% interval is ``point * (1 + q)`` with ``q`` the 10% and 90% quantiles of the relative
errors ``actual / combined - 1`` of the combination's *own* leave-one-group-out predictions (for
each group, usually a round: weights fitted on the other groups, the group's cases predicted).
With a single group the in-sample errors are used (and ``method`` says so).

The JSON of :class:`CombinationParams` (``forecasting/data/combination-v1.json``) is the schema
of docs/explanation/forecast-validity.md; :mod:`burdenshare.forecasting.combined` applies it.

>>> p = fit_combination({"a": [90.0, 180.0], "b": [110.0, 220.0]}, [100.0, 200.0])
>>> p.members
{'a': 0.5, 'b': 0.5}
>>> p.combine({"a": 90.0, "b": None})
(90.0, 90.0, 90.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

from burdenshare.forecasting.combination_params import (
    METHOD,
    QUANTILES,
    CombinationParams,
    dumps,
    load_combination_params,
)

__all__ = [
    "QUANTILES",
    "CombinationParams",
    "dumps",
    "fit_combination",
    "load_combination_params",
]

FloatArray = npt.NDArray[np.float64]

#: weights below this are dropped after the fit
MIN_WEIGHT = 1e-4
VERSION = "combination-v1"


def _matrix(
    predictions: Mapping[str, Sequence[float | None]], n: int
) -> tuple[list[str], FloatArray]:
    names = []
    cols = []
    for name, preds in predictions.items():
        if len(preds) != n:
            raise ValueError(f"member {name!r} has {len(preds)} predictions for {n} cases")
        col = np.array([math.nan if v is None else float(v) for v in preds], dtype=np.float64)
        if np.any(np.isfinite(col)):
            names.append(name)
            cols.append(col)
    return names, np.column_stack(cols) if cols else np.empty((n, 0))


def _combined(w: FloatArray, p: FloatArray) -> FloatArray:
    present = np.isfinite(p)
    pv = np.where(present, p, 0.0)
    wsum = present @ w
    mean_present = pv.sum(axis=1) / np.maximum(present.sum(axis=1), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(wsum > 1e-12, (pv @ w) / np.where(wsum > 1e-12, wsum, 1.0), mean_present)
    result: FloatArray = np.where(present.any(axis=1), out, math.nan)
    return result


def _loss_and_grad(w: FloatArray, p: FloatArray, y: FloatArray) -> tuple[float, FloatArray]:
    """Mean squared relative error of the renormalised combination and its gradient in ``w``:
    ``dc_i/dw_m = 1[m present on i] (p_im - c_i) / W_i`` with ``W_i`` the weight present on i."""
    present = np.isfinite(p)
    pv = np.where(present, p, 0.0)
    wsum = present @ w
    c = _combined(w, p)
    ok = np.isfinite(c)
    if not np.any(ok):
        return 0.0, np.zeros_like(w)
    r = np.where(ok, (np.where(ok, c, 0.0) - y) / y, 0.0)
    n_ok = int(np.sum(ok))
    live = ok & (wsum > 1e-12)
    coef = np.where(live, 2.0 * r / y / np.where(live, wsum, 1.0), 0.0) / n_ok
    grad = (present * (pv - np.where(ok, c, 0.0)[:, None])).T @ coef
    return float(np.sum(r**2) / n_ok), np.asarray(grad, dtype=np.float64)


def _weights(p: FloatArray, y: FloatArray) -> FloatArray:
    k = p.shape[1]
    if k == 1:
        return np.ones(1)
    # members whose predictions are identical (NaN where the other is NaN) are one member to
    # the fit: the weight goes to the first of them (a tie-break; the loss cannot tell them apart)
    first: dict[bytes, int] = {}
    rep = [first.setdefault(np.round(p[:, j], 9).tobytes(), j) for j in range(k)]
    cols = sorted(set(rep))
    q = p[:, cols]
    m = len(cols)

    def loss(w: FloatArray) -> float:
        return _loss_and_grad(w, q, y)[0]

    def grad(w: FloatArray) -> FloatArray:
        return _loss_and_grad(w, q, y)[1]

    if m == 1:
        sub = np.ones(1)
    else:
        single = min(range(m), key=lambda j: (loss(np.eye(m)[j]), j))
        best: tuple[float, FloatArray] | None = None
        for w0 in (np.full(m, 1.0 / m), np.eye(m)[single]):
            res = minimize(
                loss,
                w0,
                jac=grad,
                method="SLSQP",
                bounds=[(0.0, 1.0)] * m,
                constraints=(
                    {
                        "type": "eq",
                        "fun": lambda w: float(np.sum(w) - 1.0),
                        "jac": lambda w: np.ones_like(w),
                    },
                ),
                options={"ftol": 1e-12, "maxiter": 500},
            )
            w = np.clip(np.asarray(res.x, dtype=np.float64), 0.0, None)
            w = w / w.sum() if w.sum() > 0 else np.full(m, 1.0 / m)
            val = loss(w)
            if best is None or val < best[0] - 1e-12:
                best = (val, w)
        assert best is not None
        sub = best[1]
    full = np.zeros(k)
    full[cols] = sub
    kept: FloatArray = np.where(full < MIN_WEIGHT, 0.0, full)
    out: FloatArray = kept / float(kept.sum())
    return out


def fit_combination(
    predictions: Mapping[str, Sequence[float | None]],
    actual: Sequence[float],
    *,
    groups: Sequence[str] | None = None,
    fitted_on: Sequence[str] = (),
    version: str = VERSION,
) -> CombinationParams:
    """Stack ``predictions`` (member name -> one prediction or None per case) against ``actual``.

    ``groups`` (one label per case, e.g. the round) sets the leave-one-group-out folds of the
    interval; without it every case is its own group. ``fitted_on`` names the rounds (module
    docstring for the procedure).
    """
    y = np.asarray(actual, dtype=np.float64)
    n = int(y.size)
    if n == 0 or not np.all(np.isfinite(y)) or np.any(y == 0):
        raise ValueError("fit_combination needs finite, non-zero outcomes")
    names, p = _matrix(predictions, n)
    if not names:
        raise ValueError("fit_combination needs a member with at least one prediction")
    g = np.asarray(list(groups) if groups is not None else [str(i) for i in range(n)], dtype=object)
    if g.size != n:
        raise ValueError(f"{g.size} group labels for {n} cases")
    w = _weights(p, y)
    labels = sorted(set(g.tolist()))
    method = METHOD
    if len(labels) > 1:
        point = np.full(n, math.nan)
        for lab in labels:
            test = g == lab
            train = ~test
            wt = _weights(p[train], y[train])
            point[test] = _combined(wt, p[test])
    else:
        point = _combined(w, p)
        method += " (one group: in-sample errors)"
    ok = np.isfinite(point) & (point != 0)
    rel = y[ok] / point[ok] - 1.0
    if rel.size == 0:
        raise ValueError("the combination predicts none of the cases")
    qs = {k: float(np.quantile(rel, float(k))) for k in QUANTILES}
    return CombinationParams(
        version=version,
        fitted_on=tuple(fitted_on),
        target="settlement",
        members={m: float(v) for m, v in zip(names, w, strict=True) if v > 0},
        relative_error_quantiles=qs,
        relative_error_sd=float(np.std(rel, ddof=1)) if rel.size > 1 else 0.0,
        n=n,
        method=method,
    )
