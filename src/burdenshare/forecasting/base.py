"""The forecaster interface (scikit-learn conventions) and the records it reads and returns.

A :class:`Forecaster` follows scikit-learn's estimator rules: ``__init__`` only stores its
parameters, ``fit`` returns ``self`` (most models here have nothing to learn, but calibrated blends
do), and ``predict`` returns a :class:`Forecast`. Randomness, if a model ever needs it, comes in
as a ``random_state`` parameter resolved in ``fit``.

The data are an :class:`ActorTable`: actors with a position on each of one or more issues, a
salience per issue (0-1) and a capability (>= 0), plus optional reference points (the status quo)
and the issues' scale. Single-issue models treat each issue on its own; the exchange model uses
several at once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt

from burdenshare.errors import ForecastError
from burdenshare.params import Parametrised

__all__ = ["ActorTable", "Forecast", "Forecaster"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ActorTable:
    """Actors' positions, saliences and capabilities on ``k`` issues.

    ``position`` and ``salience`` have shape ``(n_actors, k)``; ``capability`` ``(n_actors,)``.
    ``reference`` (length ``k``, NaN where unknown) is the status quo; ``scale`` the (low, high)
    of each issue's position scale, used for normalised distances.

    >>> t = ActorTable.single(["a", "b"], [0.0, 10.0], [1.0, 0.5], [1.0, 2.0])
    >>> t.n_actors, t.n_issues
    (2, 1)
    """

    actors: tuple[str, ...]
    issues: tuple[str, ...]
    position: FloatArray
    salience: FloatArray
    capability: FloatArray
    reference: FloatArray = field(default_factory=lambda: np.empty(0))
    scale: tuple[tuple[float, float], ...] = ()

    def __post_init__(self) -> None:
        n, k = len(self.actors), len(self.issues)
        pos = np.asarray(self.position, dtype=np.float64).reshape(n, k)
        sal = np.asarray(self.salience, dtype=np.float64).reshape(n, k)
        cap = np.asarray(self.capability, dtype=np.float64).reshape(n)
        ref = np.asarray(self.reference, dtype=np.float64)
        if ref.size == 0:
            ref = np.full(k, np.nan)
        if n < 2 or k < 1:
            raise ForecastError(f"a forecast needs at least two actors and one issue, got {n}, {k}")
        if len(set(self.actors)) != n:
            raise ForecastError(f"actor ids must be distinct, got {list(self.actors)}")
        if not np.all(np.isfinite(pos)):
            raise ForecastError("every actor needs a finite position on every issue")
        if np.any(~np.isfinite(sal)) or np.any(sal < 0) or np.any(sal > 1):
            raise ForecastError("saliences must lie in [0, 1]")
        if np.any(~np.isfinite(cap)) or np.any(cap < 0):
            raise ForecastError("capabilities must be finite and >= 0")
        if not np.any((cap[:, None] > 0) & (sal > 0), axis=0).all():  # no product: it may underflow
            raise ForecastError("on some issue no actor has both capability and salience")
        scale = self.scale or tuple(
            (float(pos[:, j].min()), float(pos[:, j].max())) for j in range(k)
        )
        object.__setattr__(self, "position", pos)
        object.__setattr__(self, "salience", sal)
        object.__setattr__(self, "capability", cap)
        object.__setattr__(self, "reference", ref.reshape(k))
        object.__setattr__(self, "scale", scale)

    @classmethod
    def single(
        cls,
        actors: Sequence[str],
        position: Sequence[float],
        salience: Sequence[float],
        capability: Sequence[float],
        *,
        issue: str = "issue",
        reference: float | None = None,
        scale: tuple[float, float] | None = None,
    ) -> ActorTable:
        """A one-issue table."""
        return cls(
            actors=tuple(actors),
            issues=(issue,),
            position=np.asarray(position, dtype=np.float64).reshape(-1, 1),
            salience=np.asarray(salience, dtype=np.float64).reshape(-1, 1),
            capability=np.asarray(capability, dtype=np.float64),
            reference=np.array([np.nan if reference is None else reference]),
            scale=(scale,) if scale else (),
        )

    @property
    def n_actors(self) -> int:
        return len(self.actors)

    @property
    def n_issues(self) -> int:
        return len(self.issues)

    def issue(self, j: int) -> ActorTable:
        """The table restricted to issue ``j``."""
        return ActorTable(
            actors=self.actors,
            issues=(self.issues[j],),
            position=self.position[:, [j]],
            salience=self.salience[:, [j]],
            capability=self.capability,
            reference=self.reference[[j]],
            scale=(self.scale[j],),
        )


@dataclass(frozen=True)
class Forecast:
    """A model's predicted outcome on each issue, and its round-by-round path where it has one.

    ``path`` has shape ``(rounds + 1, k)`` (row 0 is the starting prediction) or ``(0, k)`` for
    one-shot models. ``details`` holds model-specific, JSON-ready extras.
    """

    model: str
    issues: tuple[str, ...]
    outcome: FloatArray
    path: FloatArray = field(default_factory=lambda: np.empty((0, 0)))
    converged: bool | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "outcome": {i: float(v) for i, v in zip(self.issues, self.outcome, strict=True)},
            "path": [
                [float(v) for v in row]
                for row in np.asarray(self.path).reshape(-1, len(self.issues))
            ]
            if np.asarray(self.path).size
            else [],
            "rounds": max(0, int(np.asarray(self.path).reshape(-1, len(self.issues)).shape[0]) - 1)
            if np.asarray(self.path).size
            else 0,
            "converged": self.converged,
            "details": dict(self.details),
        }


class Forecaster(Parametrised, ABC):
    """A multi-actor forecasting model (scikit-learn style; see the module docstring)."""

    #: short name used by the CLI and in tables
    name: ClassVar[str] = "forecaster"
    #: one line citing the model's source
    source: ClassVar[str] = ""

    def fit(self, tables: Sequence[ActorTable] = (), outcomes: Sequence[FloatArray] = ()) -> Self:
        """Learn from past cases; the default has nothing to learn. Returns ``self``."""
        return self

    @abstractmethod
    def predict(self, table: ActorTable) -> Forecast:
        """The forecast for ``table``."""
