"""The Pareto frontier of a two-party bargaining problem, in utility space.

A :class:`Frontier` is a continuous, weakly decreasing curve ``u2 = f(u1)`` on ``[u1_min, u1_max]``.
The feasible set it bounds is *comprehensive* (free disposal): any utility pair weakly below a
frontier point is feasible. Two representations are supported:

* **piecewise linear** through Pareto points (:meth:`Frontier.from_points`,
  :meth:`Frontier.linear`), which the solution concepts handle exactly, vertex by vertex;
* **a callable** (:meth:`Frontier.from_function`), handled numerically (bisection and Brent's method
  to about 1e-13).

Every solution in :mod:`burdenshare.solutions` first calls :meth:`Frontier.restricted` to keep the
individually rational part ``{u1 >= d1, u2 >= d2}``; ``None`` there means "no agreement".

>>> from burdenshare.solutions import Frontier
>>> pie = Frontier.linear()
>>> pie.u2_at(0.25), pie.u1_at(0.25)
(0.75, 0.75)
>>> ir = pie.restricted((0.2, 0.1))
>>> ir.u1_min, ir.u1_max
(0.2, 0.9)
>>> print(pie.restricted((0.6, 0.5)))
None
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burdenshare.errors import SolverError
from burdenshare.solutions import _validate
from burdenshare.solutions.pareto import pareto_frontier_2d

__all__ = ["Frontier", "UtilityPoint"]

#: number of grid points used to check that a callable frontier is decreasing
_CHECK_POINTS = 65


@dataclass(frozen=True)
class UtilityPoint:
    """A pair of utilities ``(u1, u2)``: what a solution concept returns.

    >>> UtilityPoint(0.5, 0.5).as_tuple()
    (0.5, 0.5)
    """

    u1: float
    u2: float

    def as_tuple(self) -> tuple[float, float]:
        """The point as a plain ``(u1, u2)`` tuple."""
        return (self.u1, self.u2)


@dataclass(frozen=True)
class Frontier:
    """A Pareto frontier ``u2 = f(u1)`` on ``[u1_min, u1_max]``, decreasing in ``u1``.

    Build one with :meth:`from_points`, :meth:`linear` or :meth:`from_function` rather than
    directly. Exactly one of ``vertices`` (piecewise-linear: points sorted by ``u1`` ascending with
    ``u2`` strictly descending) or ``function`` is set.
    """

    u1_min: float
    u1_max: float
    vertices: tuple[tuple[float, float], ...] | None = None
    function: Callable[[float], float] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if (self.vertices is None) == (self.function is None):
            raise SolverError("a Frontier needs exactly one of vertices or function")
        if not self.u1_min <= self.u1_max:
            raise SolverError(
                f"u1_min must not exceed u1_max, got u1_min={self.u1_min!r}, u1_max={self.u1_max!r}"
            )
        if self.vertices is not None:
            if len(self.vertices) == 0:
                raise SolverError("frontier points must not be empty, got no points")
            u1 = np.array([v[0] for v in self.vertices], dtype=np.float64)
            u2 = np.array([v[1] for v in self.vertices], dtype=np.float64)
            if not (np.all(np.isfinite(u1)) and np.all(np.isfinite(u2))):
                raise SolverError(f"frontier points must be finite, got {self.vertices!r}")
            if np.any(np.diff(u1) <= 0) or np.any(np.diff(u2) >= 0):
                raise SolverError(
                    "frontier vertices must be sorted by u1 ascending with u2 strictly "
                    f"descending, got {self.vertices!r}"
                )
            if u1[0] != self.u1_min or u1[-1] != self.u1_max:
                raise SolverError(
                    f"u1_min/u1_max must equal the first/last vertex, got {self.u1_min!r}, "
                    f"{self.u1_max!r} for vertices {self.vertices!r}"
                )

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_points(cls, u1: ArrayLike, u2: ArrayLike) -> Frontier:
        """Piecewise-linear frontier through the Pareto-optimal points among ``(u1[i], u2[i])``.

        Points may come in any order; dominated points and duplicates are dropped.

        >>> Frontier.from_points([1, 0, 0.4, 0.2], [0, 1, 0.5, 0.3]).vertices
        ((0.0, 1.0), (0.4, 0.5), (1.0, 0.0))
        """
        a = np.asarray(u1, dtype=np.float64).ravel()
        b = np.asarray(u2, dtype=np.float64).ravel()
        if a.shape != b.shape:
            raise SolverError(
                f"u1 and u2 must have the same length, got {a.size} and {b.size} points"
            )
        if a.size == 0:
            raise SolverError("frontier points must not be empty, got no points")
        idx = pareto_frontier_2d(a, b)
        pts = sorted({(float(a[i]), float(b[i])) for i in idx})
        return cls(u1_min=pts[0][0], u1_max=pts[-1][0], vertices=tuple(pts))

    @classmethod
    def linear(cls, u1_max: float = 1.0, u2_max: float = 1.0) -> Frontier:
        """The segment from ``(0, u2_max)`` to ``(u1_max, 0)``: a pie split with linear utilities.

        >>> Frontier.linear(2.0, 1.0).u2_at(1.0)
        0.5
        """
        a = _validate.positive("u1_max", u1_max)
        b = _validate.positive("u2_max", u2_max)
        return cls(u1_min=0.0, u1_max=a, vertices=((0.0, b), (a, 0.0)))

    @classmethod
    def from_function(cls, f: Callable[[float], float], u1_min: float, u1_max: float) -> Frontier:
        """Frontier ``u2 = f(u1)`` for a continuous, weakly decreasing callable on the interval.

        >>> circle = Frontier.from_function(lambda u: 1 - u**2, 0.0, 1.0)
        >>> round(circle.u1_at(0.75), 12)
        0.5
        """
        lo = _validate.finite("u1_min", u1_min)
        hi = _validate.finite("u1_max", u1_max)
        if lo > hi:
            raise SolverError(f"u1_min must not exceed u1_max, got u1_min={lo!r}, u1_max={hi!r}")
        grid = np.linspace(lo, hi, _CHECK_POINTS)
        values = np.array([float(f(float(x))) for x in grid])
        if not np.all(np.isfinite(values)):
            raise SolverError(f"frontier function must be finite on [{lo!r}, {hi!r}]")
        scale = 1.0 + float(np.max(np.abs(values)))
        if np.any(np.diff(values) > 1e-12 * scale):
            raise SolverError(
                f"frontier function must be decreasing on [{lo!r}, {hi!r}], "
                f"got values {values.tolist()!r}"
            )
        return cls(u1_min=lo, u1_max=hi, function=f)

    # ------------------------------------------------------------------ evaluation
    @property
    def is_piecewise_linear(self) -> bool:
        """True when the frontier is a polyline through :attr:`vertices`."""
        return self.vertices is not None

    @property
    def u2_max(self) -> float:
        """The largest ``u2`` on the frontier (at ``u1_min``)."""
        return self.u2_at(self.u1_min)

    @property
    def u2_min(self) -> float:
        """The smallest ``u2`` on the frontier (at ``u1_max``)."""
        return self.u2_at(self.u1_max)

    def vertex_arrays(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """The polyline vertices as two arrays ``(u1, u2)`` (piecewise-linear frontiers only)."""
        if self.vertices is None:
            raise SolverError("vertex_arrays needs a piecewise-linear frontier, got a function")
        arr = np.asarray(self.vertices, dtype=np.float64)
        return arr[:, 0].copy(), arr[:, 1].copy()

    def u2_at(self, u1: float) -> float:
        """``f(u1)``, for ``u1`` in ``[u1_min, u1_max]``."""
        x = self._clip_u1(u1)
        if self.vertices is not None:
            a, b = self.vertex_arrays()
            return float(np.interp(x, a, b))
        assert self.function is not None
        return float(self.function(x))

    def u1_at(self, u2: float) -> float:
        """The inverse: the largest ``u1`` with ``f(u1) >= u2``, for ``u2_min <= u2 <= u2_max``."""
        level = _validate.finite("u2", u2)
        top, bottom = self.u2_max, self.u2_min
        tol = 1e-12 * (1.0 + abs(top) + abs(bottom))
        if not bottom - tol <= level <= top + tol:
            raise SolverError(f"u2 must be in [{bottom!r}, {top!r}] on this frontier, got {u2!r}")
        out = self.max_u1_given(min(max(level, bottom), top))
        assert out is not None
        return out

    def max_u1_given(self, u2_level: float) -> float | None:
        """The largest frontier ``u1`` whose ``u2`` is at least ``u2_level`` (None if none)."""
        level = _validate.finite("u2_level", u2_level)
        if level <= self.u2_min:
            return self.u1_max
        if level > self.u2_max:
            return None
        if self.vertices is not None:
            a, b = self.vertex_arrays()
            return float(np.interp(level, b[::-1], a[::-1]))
        assert self.function is not None
        return _bisect_last_at_least(self.function, self.u1_min, self.u1_max, level)

    def max_u2_given(self, u1_level: float) -> float | None:
        """The largest frontier ``u2`` whose ``u1`` is at least ``u1_level`` (None if none)."""
        level = _validate.finite("u1_level", u1_level)
        if level > self.u1_max:
            return None
        return self.u2_at(max(level, self.u1_min))

    def point_at(self, u1: float) -> UtilityPoint:
        """The frontier point with first coordinate ``u1``."""
        return UtilityPoint(float(u1), self.u2_at(u1))

    # ------------------------------------------------------------------ restriction
    def restricted(self, d: Sequence[float]) -> Frontier | None:
        """The individually rational part ``{u1 >= d1, u2 >= d2}`` of the frontier (None if empty).

        For a piecewise-linear frontier the result is again piecewise linear, with new end
        vertices exactly on ``u1 = d1`` / ``u2 = d2`` where those constraints bind.
        """
        d1, d2 = _validate.point("d", d)
        if d1 > self.u1_max or d2 > self.u2_max:
            return None
        hi = self.max_u1_given(d2)
        if hi is None:
            return None
        lo = max(d1, self.u1_min)
        if lo > hi:
            return None
        if self.vertices is None:
            return Frontier(u1_min=lo, u1_max=hi, function=self.function)
        left = (lo, self.u2_at(lo))
        right = (hi, d2 if d2 > self.u2_min else self.u2_at(hi))
        if lo == hi:
            return Frontier(u1_min=lo, u1_max=lo, vertices=((lo, max(left[1], right[1])),))
        inner = [v for v in self.vertices if lo < v[0] < hi and right[1] < v[1] < left[1]]
        pts = [left, *inner, right]
        if pts[0][1] <= pts[-1][1]:  # rounding collapsed a vanishing sliver
            pts = [(lo, max(left[1], right[1]))]
            return Frontier(u1_min=lo, u1_max=lo, vertices=tuple(pts))
        return Frontier(u1_min=lo, u1_max=hi, vertices=tuple(pts))

    # ------------------------------------------------------------------ helpers
    def _clip_u1(self, u1: float) -> float:
        x = _validate.finite("u1", u1)
        tol = 1e-12 * (1.0 + abs(self.u1_min) + abs(self.u1_max))
        if not self.u1_min - tol <= x <= self.u1_max + tol:
            raise SolverError(
                f"u1 must be in [{self.u1_min!r}, {self.u1_max!r}] on this frontier, got {u1!r}"
            )
        return min(max(x, self.u1_min), self.u1_max)


def _bisect_last_at_least(f: Callable[[float], float], lo: float, hi: float, level: float) -> float:
    """Largest ``x`` in ``[lo, hi]`` with ``f(x) >= level`` (``f`` decreasing, ``f(lo) >= level``).

    Plain bisection down to adjacent floats, so the returned point satisfies ``f(x) >= level``
    exactly (no root-finder tolerance can make it infeasible).
    """
    if float(f(hi)) >= level:
        return hi
    a, b = lo, hi
    while True:
        mid = 0.5 * (a + b)
        if mid <= a or mid >= b:
            return a
        if float(f(mid)) >= level:
            a = mid
        else:
            b = mid
