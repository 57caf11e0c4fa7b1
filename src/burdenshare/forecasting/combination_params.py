"""The combination's parameters: the members' weights and the relative-error quantiles of the
combined settlement forecast, as shipped in ``forecasting/data/combination-v1.json`` (the schema
of docs/explanation/forecast-validity.md).

:mod:`burdenshare.forecasting.combined` applies them; :mod:`burdenshare.history.stacking` fits
them on the record (the fit needs the record, the record's layer sits above this one).

>>> p = CombinationParams("v", ("r",), "settlement", {"a": 0.25, "b": 0.75},
...                       {"0.1": -0.1, "0.5": 0.0, "0.9": 0.2}, 0.1, 2)
>>> p.combine({"a": 100.0, "b": 200.0})
(175.0, 157.5, 210.0)
>>> p.combine({"a": 100.0, "b": None})
(100.0, 90.0, 120.0)
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = [
    "METHOD",
    "QUANTILES",
    "SHIPPED",
    "CombinationParams",
    "dumps",
    "load_combination_params",
]

#: the quantiles of the relative error kept: the 80% interval's ends and the median
QUANTILES: tuple[str, ...] = ("0.1", "0.5", "0.9")
METHOD = (
    "stacking on out-of-sample predictions: non-negative weights summing to 1 minimising the "
    "mean squared relative error (SLSQP); members missing on a case renormalised over those "
    "present; 80% interval from the 10%/90% quantiles of the combination's own "
    "leave-one-group-out relative errors"
)


@dataclass(frozen=True)
class CombinationParams:
    """Weights of the members and the relative-error quantiles of the combination."""

    version: str
    fitted_on: tuple[str, ...]
    target: str
    members: dict[str, float]
    relative_error_quantiles: dict[str, float]
    relative_error_sd: float
    n: int
    method: str = METHOD

    def combine(self, predictions: Mapping[str, float | None]) -> tuple[float, float, float] | None:
        """``(point, low, high)`` from the members present (weights renormalised), else None."""
        present = {
            m: w
            for m, w in self.members.items()
            if w > 0 and (v := predictions.get(m)) is not None and math.isfinite(v)
        }
        total = sum(present.values())
        if total <= 0:
            return None
        point = sum(w * float(predictions[m] or 0.0) for m, w in present.items()) / total
        q = self.relative_error_quantiles
        return point, point * (1.0 + q["0.1"]), point * (1.0 + q["0.9"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "fitted_on": list(self.fitted_on),
            "target": self.target,
            "members": {m: round(w, 6) for m, w in self.members.items()},
            "relative_error_quantiles": {
                k: round(v, 6) for k, v in self.relative_error_quantiles.items()
            },
            "relative_error_sd": round(self.relative_error_sd, 6),
            "n": self.n,
            "method": self.method,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CombinationParams:
        q = {str(k): float(v) for k, v in data["relative_error_quantiles"].items()}
        if set(q) != set(QUANTILES):
            raise ValueError(
                f"relative_error_quantiles must have keys {QUANTILES}, got {sorted(q)}"
            )
        members = {str(m): float(w) for m, w in data["members"].items()}
        if any(w < 0 for w in members.values()) or not math.isclose(
            sum(members.values()), 1.0, abs_tol=1e-4
        ):
            raise ValueError("member weights must be non-negative and sum to 1")
        return cls(
            version=str(data["version"]),
            fitted_on=tuple(str(r) for r in data["fitted_on"]),
            target=str(data["target"]),
            members=members,
            relative_error_quantiles=q,
            relative_error_sd=float(data["relative_error_sd"]),
            n=int(data["n"]),
            method=str(data["method"]),
        )


#: the shipped parameters inside the package
SHIPPED = ("forecasting", "data", "combination-v1.json")


def load_combination_params(path: str | Path | None = None) -> CombinationParams:
    """The combination from ``path`` (None: the shipped combination-v1.json of forecasting/data)."""
    if path is None:
        pkg, folder, name = SHIPPED
        text = resources.files(f"burdenshare.{pkg}").joinpath(folder, name).read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return CombinationParams.from_dict(json.loads(text))


def dumps(params: CombinationParams) -> str:
    """The JSON text written to the shipped file (sorted as :meth:`CombinationParams.to_dict`)."""
    return json.dumps(params.to_dict(), indent=2) + "\n"
