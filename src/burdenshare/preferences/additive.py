"""Linear-additive multi-issue utility (Raiffa 1982; Faratin, Sierra & Jennings 1998, eq. 1).

``U(o) = sum_j w_j u_j(o_j)`` with weights summing to 1. A party accepts an outcome only if every
issue is on the acceptable side of its reservation (``u_j >= 0``); :meth:`AdditiveUtility.acceptable`
checks that.
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
        return float(sum(w * u for w, u in zip(self.weights, self.issue_utilities(outcome), strict=True)))

    def acceptable(self, outcome: Mapping[str, float | str], tol: float = 1e-9) -> bool:
        """True if no issue is beyond the party's reservation."""
        return all(u >= -tol for u in self.issue_utilities(outcome))

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
