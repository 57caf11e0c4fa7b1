"""Linear-additive multi-issue utility (Raiffa 1982; Faratin, Sierra & Jennings 1998, eq. 1).

``U(o) = sum_j w_j u_j(o_j)`` with weights summing to 1. Each issue's utility is 0 at the party's
reservation on that issue and 1 at its ideal, so ``U = 0`` when every issue sits at its walk-away
point. A party accepts an outcome if ``U`` is at least what walking away is worth (its outside
option, 0 by default): a loss on one issue may be made good on another (logrolling), as in the
additive model of Raiffa (1982, ch. 10) and the GENIUS profiles (reservation as a utility).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from burdenshare.preferences.issue_utility import CategoricalUtility, NumericUtility

__all__ = ["AdditiveUtility", "Outcome"]

#: an agreement: one value per issue id (a number, or a category name)
Outcome = dict[str, float | str]


@dataclass(frozen=True)
class AdditiveUtility:
    """A party's utility over whole outcomes.

    >>> u = AdditiveUtility(("x",), (NumericUtility(ideal=1.0, reservation=0.0),), (1.0,))
    >>> u({"x": 0.25}), u.target_outcome(0.75)
    (0.25, {'x': 0.75})
    """

    issues: tuple[str, ...]
    parts: tuple[NumericUtility | CategoricalUtility, ...]
    weights: tuple[float, ...]

    def issue_utilities(self, outcome: Mapping[str, float | str]) -> list[float]:
        out = []
        for iid, part in zip(self.issues, self.parts, strict=True):
            value = outcome[iid]
            if isinstance(part, CategoricalUtility):
                out.append(part(str(value)))
            else:
                out.append(float(part(float(value))))
        return out

    def __call__(self, outcome: Mapping[str, float | str]) -> float:
        return float(
            sum(w * u for w, u in zip(self.weights, self.issue_utilities(outcome), strict=True))
        )

    def acceptable(
        self, outcome: Mapping[str, float | str], floor: float = 0.0, tol: float = 1e-9
    ) -> bool:
        """True if the outcome is worth at least ``floor`` (the outside option) to the party."""
        return self(outcome) >= floor - tol

    def ideal_outcome(self) -> Outcome:
        return self.target_outcome(1.0)

    def reservation_outcome(self) -> Outcome:
        return self.target_outcome(0.0)

    def target_outcome(self, u: float) -> Outcome:
        """The outcome that concedes uniformly: every issue at utility ``u`` (so ``U = u``).

        Integer and categorical issues round towards the ideal, so ``U`` is then at least ``u``.
        """
        out: Outcome = {}
        for iid, part in zip(self.issues, self.parts, strict=True):
            if isinstance(part, CategoricalUtility):
                out[iid] = part.inverse(u)
            else:
                out[iid] = float(np.asarray(part.inverse(u)))
        return out
