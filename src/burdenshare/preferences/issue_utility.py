"""Utility on one issue: linear or piecewise-linear between a walk-away point and an ideal.

Convention (docs/reference/scenario.md): ``u(ideal) = 1``, ``u(reservation) = 0``; beyond the
ideal the utility stays 1, beyond the reservation it keeps falling with the last slope (so it is
negative there: unacceptable). This is the additive-utility convention of multi-issue
negotiation (Raiffa 1982, *The Art and Science of Negotiation*, ch. 10; Faratin, Sierra &
Jennings 1998, eq. 1).

A numeric utility knows its issue's range (``low``, ``high``): its :meth:`NumericUtility.inverse`
never leaves it, and :attr:`NumericUtility.floor` is the least utility the range allows (at the
range's end beyond the reservation). A categorical utility's floor is its worst category's score.

The linear utility is written once, for one value: :func:`linear_at` and its inverse
:func:`linear_inverse_at` (with :func:`round_towards_ideal` and :func:`clamp_at`), plain Python
functions of floats that the one-session code calls (:meth:`NumericUtility.at`,
:meth:`NumericUtility.inverse_at`, hence ``negotiation.session.issue_utility``) and that numba
compiles, unchanged, for the engine's kernels (:mod:`burdenshare.engine.tables`); numba compiles
without fast-math, so both round every IEEE step alike. :func:`linear_utility`,
:func:`linear_inverse` and :func:`clamp` are the same formulas over arrays (grids of outcomes for
the solvers), held bit for bit equal to the one-value functions by a property test
(tests/property/test_scalar_utility_paths.py).
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "CategoricalUtility",
    "NumericUtility",
    "clamp",
    "clamp_at",
    "linear_at",
    "linear_inverse",
    "linear_inverse_at",
    "linear_utility",
    "round_towards_ideal",
]

FloatArray = npt.NDArray[np.float64]


def linear_at(x: float, ideal: float, res: float) -> float:
    """``(x - r) / (i - r)`` capped at 1 (NaN kept, as ``numpy.minimum``): the linear utility
    of one value. Plain Python that numba also compiles (:mod:`burdenshare.engine.tables`).

    >>> [linear_at(x, 1000.0, 1200.0) for x in (900.0, 1100.0, 1300.0)]
    [1.0, 0.5, -0.5]
    """
    v = (x - res) / (ideal - res)
    return 1.0 if v > 1.0 else v


def round_towards_ideal(x: float, increasing: bool) -> float:
    """An integer issue's value rounded towards the ideal, so its utility is at least the
    target's: ``ceil(x - 1e-9)`` towards a higher ideal, ``floor(x + 1e-9)`` towards a lower one
    (numpy's, which keep the sign of a zero and infinities).

    >>> [round_towards_ideal(x, up) for x, up in ((2.2, True), (2.2, False), (-0.5, True))]
    [3.0, 2.0, -0.0]
    """
    return float(np.ceil(x - 1e-9)) if increasing else float(np.floor(x + 1e-9))


def clamp_at(x: float, low: float, high: float) -> float:
    """``numpy.minimum(numpy.maximum(x, low), high)`` for one value: NaN is kept, and on a tie
    (0.0 against -0.0) the bound is returned, as numpy returns its second argument.

    >>> clamp_at(-1.0, 0.0, 5.0), clamp_at(9.0, 0.0, 5.0), clamp_at(-0.0, 0.0, 5.0)
    (0.0, 5.0, 0.0)
    """
    if x != x:
        return x
    y = x if x > low else low
    return y if y < high else high


def linear_inverse_at(
    u: float, ideal: float, res: float, integer: bool, low: float, high: float
) -> float:
    """The value of linear utility ``u`` (capped at 1, NaN kept): ``r + u (i - r)``, rounded
    towards the ideal on an integer issue, clamped to ``[low, high]``.

    >>> linear_inverse_at(0.5, 1000.0, 1200.0, False, 900.0, 3000.0)
    1100.0
    >>> [linear_inverse_at(u, 5.0, 2.0, True, 1.0, 5.0) for u in (0.3, -9.0)]
    [3.0, 1.0]
    """
    uu = 1.0 if u > 1.0 else u
    x = res + uu * (ideal - res)
    if integer:
        x = round_towards_ideal(x, ideal > res)
    return clamp_at(x, low, high)


def linear_utility(
    x: npt.ArrayLike, ideal: npt.ArrayLike, reservation: npt.ArrayLike
) -> FloatArray:
    """``(x - r) / (i - r)`` capped at 1: the linear issue utility, for arrays of parties at once.

    The one-session negotiators and the vectorised engine both call this kernel, so the two give
    bit-identical utilities.

    >>> linear_utility([900.0, 1100.0, 1300.0], 1000.0, 1200.0).tolist()
    [1.0, 0.5, -0.5]
    """
    xa = np.asarray(x, dtype=np.float64)
    ia = np.asarray(ideal, dtype=np.float64)
    ra = np.asarray(reservation, dtype=np.float64)
    return np.asarray(np.minimum((xa - ra) / (ia - ra), 1.0), dtype=np.float64)


def linear_inverse(
    u: npt.ArrayLike, ideal: npt.ArrayLike, reservation: npt.ArrayLike, integer: bool = False
) -> FloatArray:
    """The value with linear utility ``u`` (capped at 1): ``r + u (i - r)``.

    On an integer issue the value is rounded towards the ideal (so its utility is at least ``u``).

    >>> linear_inverse([0.0, 0.5, 2.0], 1000.0, 1200.0).tolist()
    [1200.0, 1100.0, 1000.0]
    """
    ua = np.minimum(np.asarray(u, dtype=np.float64), 1.0)
    ia = np.asarray(ideal, dtype=np.float64)
    ra = np.asarray(reservation, dtype=np.float64)
    x = ra + ua * (ia - ra)
    if integer:
        x = np.where(ia > ra, np.ceil(x - 1e-9), np.floor(x + 1e-9))
    return np.asarray(x, dtype=np.float64)


def clamp(x: npt.ArrayLike, low: float, high: float) -> FloatArray:
    """``min(max(x, low), high)``: a value pulled back into an issue's range ``[low, high]``.

    The engine's kernel clamps in the same order, so the two agree bit for bit.

    >>> clamp([-1.0, 2.5, 9.0], 1.0, 5.0).tolist()
    [1.0, 2.5, 5.0]
    """
    return np.asarray(np.minimum(np.maximum(np.asarray(x, dtype=np.float64), low), high))


@dataclass(frozen=True)
class NumericUtility:
    """Piecewise-linear utility through (reservation, 0), optional ``points``, and (ideal, 1).

    >>> u = NumericUtility(ideal=100.0, reservation=0.0)
    >>> float(u(25.0)), float(u(150.0)), float(u(-10.0))
    (0.25, 1.0, -0.1)
    >>> float(u.inverse(0.25))
    25.0

    With the issue's range, the inverse stays inside it and ``floor`` is the range's worst utility:

    >>> v = NumericUtility(ideal=5.0, reservation=2.0, integer=True, low=1.0, high=5.0)
    >>> float(v.inverse(-2.0)), float(v.floor)
    (1.0, -0.3333333333333333)
    """

    ideal: float
    reservation: float
    points: tuple[tuple[float, float], ...] = ()
    integer: bool = False
    #: the issue's range (unbounded by default): :meth:`inverse` returns values inside it
    low: float = -math.inf
    high: float = math.inf

    @property
    def _knots(self) -> tuple[FloatArray, FloatArray]:
        """Knots ordered from the reservation (u=0) to the ideal (u=1)."""
        pts = sorted(self.points, key=lambda p: abs(p[0] - self.reservation))
        xs = np.array([self.reservation, *(p[0] for p in pts), self.ideal], dtype=np.float64)
        us = np.array([0.0, *(p[1] for p in pts), 1.0], dtype=np.float64)
        return xs, us

    @property
    def increasing(self) -> bool:
        """True if the party prefers higher values on this issue."""
        return self.ideal > self.reservation

    @functools.cached_property
    def floor(self) -> float:
        """The least utility inside the range: at its end beyond the reservation (``-inf``
        when the range is unbounded on that side)."""
        far = self.low if self.increasing else self.high
        if not math.isfinite(far):
            return -math.inf
        return float(self(far))

    def at(self, x: float) -> float:
        """``float(self(x))`` for one value, without numpy's per-call cost (a one-session
        negotiation scores hundreds of thousands of single values).

        :func:`linear_at`, the one linear utility, which the engine's kernels compile: the same
        IEEE arithmetic in the same order as :func:`linear_utility`, so the result is bit for
        bit the array path's (the engine contract test relies on it).

        >>> u = NumericUtility(ideal=1000.0, reservation=1200.0)
        >>> [u.at(x) == float(u(x)) for x in (900.0, 1100.0, 1300.0, 1234.5678)]
        [True, True, True, True]
        """
        if self.points:
            return float(self(x))
        return linear_at(x, self.ideal, self.reservation)

    def inverse_at(self, u: float) -> float:
        """``float(self.inverse(u))`` for one utility, in Python floats: :func:`linear_inverse_at`
        (bit for bit the same: the order of :func:`linear_inverse` and :func:`clamp`).

        >>> v = NumericUtility(ideal=5.0, reservation=2.0, integer=True, low=1.0, high=5.0)
        >>> [v.inverse_at(u) == float(v.inverse(u)) for u in (-2.0, 0.0, 0.3, 0.5, 1.0, 3.0)]
        [True, True, True, True, True, True]
        """
        if self.points:
            return float(np.asarray(self.inverse(u)))
        return linear_inverse_at(u, self.ideal, self.reservation, self.integer, self.low, self.high)

    def __call__(self, x: npt.ArrayLike) -> FloatArray:
        if not self.points:
            return linear_utility(x, self.ideal, self.reservation)
        xs, us = self._knots
        xa = np.asarray(x, dtype=np.float64)
        # signed distance from the reservation towards the ideal
        sgn = 1.0 if self.increasing else -1.0
        t = (xa - self.reservation) * sgn
        tk = (xs - self.reservation) * sgn
        inside = np.interp(t, tk, us)
        below_slope = (us[1] - us[0]) / (tk[1] - tk[0])
        out = np.where(t < 0.0, t * below_slope, inside)
        return np.asarray(np.where(t >= tk[-1], 1.0, out), dtype=np.float64)

    def inverse(self, u: npt.ArrayLike) -> FloatArray:
        """The value whose utility is ``u`` (``u`` clipped to at most 1; below 0 extrapolates),
        clamped to the range ``[low, high]``.

        Integer issues round the value towards the ideal, so its utility is at least ``u`` (or
        the range ends first, at utility :attr:`floor` > ``u``).
        """
        if not self.points:
            x = linear_inverse(u, self.ideal, self.reservation, self.integer)
            return clamp(x, self.low, self.high)
        xs, us = self._knots
        ua = np.minimum(np.asarray(u, dtype=np.float64), 1.0)
        sgn = 1.0 if self.increasing else -1.0
        tk = (xs - self.reservation) * sgn
        below_slope = (us[1] - us[0]) / (tk[1] - tk[0])
        t = np.where(ua < 0.0, ua / below_slope, np.interp(ua, us, tk))
        x = self.reservation + sgn * t
        if self.integer:
            x = np.ceil(x - 1e-9) if self.increasing else np.floor(x + 1e-9)
        return clamp(x, self.low, self.high)


@dataclass(frozen=True)
class CategoricalUtility:
    """Utility of categories from a score table; categories below ``reservation`` score < 0.

    >>> u = CategoricalUtility(scores=(("a", 1.0), ("b", 0.5), ("c", 0.0)), reservation="b")
    >>> u("a"), u("b"), u("c") < 0
    (1.0, 0.0, True)
    """

    scores: tuple[tuple[str, float], ...]
    reservation: str | None = None

    @functools.cached_property
    def _lookup(self) -> Mapping[str, float]:
        # built once per instance (the scores are frozen): a call is then a dict look-up, not
        # a pass over every category (12,000 categories cost O(m^2) per issue otherwise)
        raw = dict(self.scores)
        if self.reservation is not None:
            lo = raw[self.reservation]
            hi = max(raw.values())
            span = hi - lo if hi > lo else 1.0
            raw = {k: (v - lo) / span for k, v in raw.items()}
        return raw  # a plain dict, so the instance still pickles (worker processes)

    def _table(self) -> Mapping[str, float]:
        """Scores as given (as GENIUS evaluations are: normalised by the best value only), or,
        with a ``reservation`` category, rescaled so it scores 0 and the best category 1."""
        return self._lookup

    def __call__(self, category: str) -> float:
        return self._table()[category]

    @property
    def floor(self) -> float:
        """The worst category's utility."""
        return self._ranked[0][0]

    def categories(self) -> list[str]:
        return [c for c, _ in self.scores]

    def inverse(self, u: float) -> str:
        """The category whose utility is the smallest one at least ``u``; the best category
        when none reaches ``u`` (GeniusWeb scores may top out below 1).

        >>> CategoricalUtility(scores=(("a", 0.75), ("b", 0.5))).inverse(0.9)
        'a'
        """
        ranked = self._ranked
        target = min(u, 1.0, ranked[-1][0])
        # the least (utility, category) pair with utility >= target - 1e-12, by bisection
        i = bisect.bisect_left(ranked, (target - 1e-12,))
        return ranked[i][1]

    @functools.cached_property
    def _ranked(self) -> list[tuple[float, str]]:
        # (utility, category) pairs in ascending order, built once per instance
        return sorted((v, c) for c, v in self._table().items())
