"""A calibrated blend: a convex combination of base forecasters, weighted to fit past outcomes.

``fit`` learns non-negative weights that sum to one by least absolute deviations (the criterion the
DEU literature scores models on), solved exactly as a linear programme with
:func:`scipy.optimize.linprog` (HiGHS)::

    minimise Σ_cases |y − Σ_k w_k p_k| / width    subject to  w >= 0,  Σ_k w_k = 1,

where ``p_k`` is base model ``k``'s forecast of a case, ``y`` the outcome and ``width`` the issue's
scale width (so issues on different scales count alike). A convex combination of forecasts moves
with any affine change of the scale, so the blend keeps the base models' invariances; the forecast
is clipped to the actors' positions. Where a base model cannot forecast an issue (e.g. the
reference point is unknown) the first base model's forecast stands in for it.

Including "reference-point" among the base models makes the blend a learned shrinkage towards the
status quo. Fit it on training issues only and score it on held-out ones (see
:func:`burdenshare.history.backtest.backtest_deu3`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Self

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog

from burdenshare.errors import ForecastError
from burdenshare.forecasting.base import ActorTable, Forecast, Forecaster

__all__ = ["DEFAULT_BASE_MODELS", "Blend"]

FloatArray = npt.NDArray[np.float64]

#: the naive and compromise baselines of models.md §2.2, fixed before looking at any backtest
DEFAULT_BASE_MODELS: tuple[str, ...] = (
    "compromise",
    "compromise-salience",
    "mean",
    "median",
    "weighted-median",
    "reference-point",
)


class Blend(Forecaster):
    """A convex combination of registered forecasters, with weights fitted by LAD (see module).

    >>> from burdenshare.forecasting import ActorTable
    >>> tables = [ActorTable.single(["a", "b"], [0.0, 100.0], [1.0, 1.0], [1.0, 3.0]),
    ...           ActorTable.single(["a", "b"], [0.0, 100.0], [1.0, 0.5], [1.0, 1.0])]
    >>> b = Blend(models=("compromise", "mean")).fit(tables, [np.array([50.0]), np.array([50.0])])
    >>> {k: round(v, 6) for k, v in b.weights().items()}
    {'compromise': 0.0, 'mean': 1.0}
    >>> float(b.predict(tables[0]).outcome[0])
    50.0
    """

    name: ClassVar[str] = "blend"
    source: ClassVar[str] = "stacked forecasts (Wolpert 1992); LAD weights on the simplex"

    def __init__(self, models: tuple[str, ...] = DEFAULT_BASE_MODELS, clip: bool = True) -> None:
        self.models = models
        self.clip = clip

    # -- helpers ---------------------------------------------------------------------------------
    def _base(self) -> list[Forecaster]:
        from burdenshare.forecasting.registry import make_forecaster

        if not self.models:
            raise ForecastError("Blend needs at least one base model")
        if "blend" in self.models:
            raise ForecastError("a Blend cannot contain itself")
        return [make_forecaster(name) for name in self.models]

    @staticmethod
    def _matrix(base: Sequence[Forecaster], table: ActorTable) -> FloatArray:
        """Base forecasts, shape ``(n_issues, n_models)``; gaps filled from the first model."""
        cols = []
        for model in base:
            try:
                cols.append(np.asarray(model.predict(table).outcome, dtype=np.float64))
            except ForecastError:
                cols.append(np.full(table.n_issues, np.nan))
        p = np.column_stack(cols)
        if np.any(~np.isfinite(p[:, 0])):
            raise ForecastError(f"the blend's first model {base[0]!r} cannot forecast this table")
        return np.where(np.isfinite(p), p, p[:, [0]])

    # -- estimator API ---------------------------------------------------------------------------
    def fit(self, tables: Sequence[ActorTable] = (), outcomes: Sequence[FloatArray] = ()) -> Self:
        """Fit the weights on ``tables`` and their observed ``outcomes`` (one per issue)."""
        if len(tables) != len(outcomes):
            raise ForecastError(f"{len(tables)} tables but {len(outcomes)} outcome vectors")
        base = self._base()
        rows, ys, widths = [], [], []
        for table, y in zip(tables, outcomes, strict=True):
            y = np.asarray(y, dtype=np.float64).reshape(-1)
            if y.size != table.n_issues:
                raise ForecastError(f"{y.size} outcomes for a table of {table.n_issues} issues")
            keep = np.isfinite(y)
            rows.append(self._matrix(base, table)[keep])
            ys.append(y[keep])
            widths.append(np.array([max(h - lo, 1e-12) for lo, h in table.scale])[keep])
        if not rows or sum(len(y) for y in ys) == 0:
            raise ForecastError("Blend.fit needs at least one table with an observed outcome")
        p, y, width = np.vstack(rows), np.concatenate(ys), np.concatenate(widths)
        p, y = p / width[:, None], y / width
        n, k = p.shape
        # variables: w (k), e+ (n), e- (n); p w + e+ - e- = y; sum w = 1
        cost = np.concatenate([np.zeros(k), np.ones(2 * n)])
        eye = np.eye(n)
        a_eq = np.vstack(
            [np.hstack([p, eye, -eye]), np.concatenate([np.ones(k), np.zeros(2 * n)])[None, :]]
        )
        b_eq = np.concatenate([y, [1.0]])
        res = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if res.status != 0:  # pragma: no cover - the programme is always feasible and bounded
            raise ForecastError(f"Blend.fit: the weight programme failed ({res.message})")
        w = np.clip(np.asarray(res.x[:k], dtype=np.float64), 0.0, None)
        self.base_ = base
        self.weights_ = w / w.sum()
        self.n_train_ = n
        return self

    def weights(self) -> dict[str, float]:
        """The fitted weight of each base model, by registry name."""
        self._check_fitted()
        return {m: float(w) for m, w in zip(self.models, self.weights_, strict=True)}

    def _check_fitted(self) -> None:
        if not hasattr(self, "weights_"):
            raise ForecastError("this Blend is not fitted; call fit(tables, outcomes) first")

    def predict(self, table: ActorTable) -> Forecast:
        self._check_fitted()
        outcome = self._matrix(self.base_, table) @ self.weights_
        if self.clip:
            outcome = np.clip(outcome, table.position.min(axis=0), table.position.max(axis=0))
        return Forecast(
            model=self.name,
            issues=table.issues,
            outcome=outcome,
            details={"weights": self.weights(), "n_train": self.n_train_},
        )
