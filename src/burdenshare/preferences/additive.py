"""Linear-additive multi-issue utility (Raiffa 1982; Faratin, Sierra & Jennings 1998, eq. 1).

``U(o) = sum_j w_j u_j(o_j)`` with weights summing to 1. Each issue's utility is 0 at the party's
reservation on that issue and 1 at its ideal, so ``U = 0`` when every issue sits at its walk-away
point. A party accepts an outcome if ``U`` is at least what walking away is worth (its outside
option, 0 by default): a loss on one issue may be made good on another (logrolling), as in the
additive model of Raiffa (1982, ch. 10) and the GENIUS profiles (reservation as a utility).

:meth:`AdditiveUtility.target_outcome` turns a utility target into an outcome by *uniform
concession with water-filling* (:func:`concession_level`): every issue at the same utility level,
except that no issue goes below its floor (the worst utility its range allows, or a per-issue
minimum such as a ratifier's threshold); what a floored issue cannot concede is spread evenly over
the others, so the target is met exactly whenever the ranges allow it. With a target at or above
0 (walk-away points are inside the ranges) no floor binds and every issue sits at the target.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from burdenshare.preferences.issue_utility import CategoricalUtility, NumericUtility

__all__ = ["AdditiveUtility", "Outcome", "concession_level"]

#: an agreement: one value per issue id (a number, or a category name)
Outcome = dict[str, float | str]


def concession_level(u: float, weights: Sequence[float], floors: Sequence[float]) -> float:
    """The common utility level ``v`` with ``sum_j w_j max(v, f_j) = u`` (water-filling).

    ``f_j`` is issue ``j``'s floor (``-inf`` for none). If no floor exceeds ``u``, ``v = u``
    exactly. Otherwise the issues whose floor lies above the level are held at their floors and
    the level of the others is ``(u - sum_held w_j f_j) / sum_free w_j``, repeated until no further
    issue is held (at most one pass per issue; the held set only grows). If every issue is held
    (``u`` is below the worst outcome the floors allow), ``v`` is the lowest floor, so every issue
    sits at its floor. Plain floating-point steps in a fixed order: the engine's kernel repeats
    them and must agree bit for bit.

    >>> concession_level(0.5, [0.5, 0.5], [-1.0, -1.0])
    0.5
    >>> concession_level(-0.5, [0.9, 0.1], [-2.0, 0.0])  # issue 2 stops at 0; issue 1 gives more
    -0.5555555555555556
    >>> concession_level(-5.0, [0.5, 0.5], [-1.0, 0.0])  # unreachable: both at their floors
    -1.0
    """
    n = len(weights)
    held = [False] * n
    v = u
    for _ in range(n):
        grew = False
        for j in range(n):
            if not held[j] and floors[j] > v:
                held[j] = True
                grew = True
        if not grew:
            break
        free = 0.0
        fixed = 0.0
        for j in range(n):
            if held[j]:
                fixed = fixed + weights[j] * floors[j]
            else:
                free = free + weights[j]
        if free > 0.0:
            v = (u - fixed) / free
        else:
            v = math.inf
            for j in range(n):
                v = min(v, floors[j])
            break
    return v


@dataclass(frozen=True)
class AdditiveUtility:
    """A party's utility over whole outcomes.

    >>> u = AdditiveUtility(("x",), (NumericUtility(ideal=1.0, reservation=0.0),), (1.0,))
    >>> u({"x": 0.25}), u.target_outcome(0.75)
    (0.25, {'x': 0.75})

    A target below 0 goes past the walk-away point, but never out of the issue's range:

    >>> v = AdditiveUtility(
    ...     ("x", "n"),
    ...     (NumericUtility(ideal=1.0, reservation=0.5, low=0.0, high=1.0),
    ...      NumericUtility(ideal=5.0, reservation=1.0, integer=True, low=1.0, high=5.0)),
    ...     (0.5, 0.5),
    ... )
    >>> v.target_outcome(-0.5)  # n cannot go below 1 (utility 0): x concedes for both
    {'x': 0.0, 'n': 1.0}
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
                out.append(part.at(float(value)))
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

    def floors(self, at_least: Mapping[str, float] | None = None) -> list[float]:
        """Each issue's floor: the least utility its range allows, raised to ``at_least[issue]``
        where given (e.g. the utility of a ratifier's threshold)."""
        extra = at_least or {}
        out = []
        for iid, part in zip(self.issues, self.parts, strict=True):
            f = part.floor
            if iid in extra:
                f = max(f, extra[iid])
            out.append(f)
        return out

    def target_outcome(self, u: float, at_least: Mapping[str, float] | None = None) -> Outcome:
        """The outcome that concedes uniformly towards ``U = u``, inside every issue's range.

        Every issue sits at utility ``max(v, f_j)``, with ``f_j`` its floor (:meth:`floors`) and
        ``v`` the :func:`concession_level`: every issue at ``u`` when no floor binds (always the
        case for ``0 <= u <= 1``), else the concession a floored issue cannot make is spread over
        the others. Integer and categorical issues round towards the ideal, so ``U`` is then at
        least ``u`` (more when ``u`` is below what the floors allow). Values stay in range.
        """
        floors = self.floors(at_least)
        v = concession_level(u, self.weights, floors)
        out: Outcome = {}
        for iid, part, f in zip(self.issues, self.parts, floors, strict=True):
            level = max(v, f)
            if isinstance(part, CategoricalUtility):
                out[iid] = part.inverse(level)
            else:
                out[iid] = part.inverse_at(level)
        return out
