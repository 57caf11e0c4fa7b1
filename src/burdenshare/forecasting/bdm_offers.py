"""Step 7 of Bueno de Mesquita's model for every actor at once: which offer each one takes.

Every actor ``i`` looks at every ``j`` at another position and classifies the pair with
:func:`~burdenshare.forecasting.bdm_formulas.classify_offer` (confrontation, compromise,
capitulation; BDM 1994, 1997; Scholz et al. 2011; ``shared/reference/models.md`` §1.3, step 7).
It takes the best offer of the most preferred kind it has: the one that moves it least (for a
compromise under ``compromise_key="scholz"``, the smallest
:func:`~burdenshare.forecasting.bdm_formulas.scholz_compromise_key`), offers within
``tolerance * delta`` of the best counting as equally good; among those, ``ties="first"`` takes
the first target in actor order (jmckib), ``ties="lowest"`` the lowest new position (then the
first target).

:func:`choose_offers` runs those rules in a compiled loop (numba, no fast-math, cached like
:mod:`burdenshare.engine.kernel`) with the same floating-point operations, in the same order, as
the scalar formulas, so each actor makes the choice the Python loop over pairs made; that loop
took seconds per round at 1,000 actors. O(n^2) time, O(n) memory beyond the inputs.

>>> own = np.array([[0.0, -0.1], [0.5, 0.0]])
>>> their = np.array([[0.0, 0.3], [0.2, 0.0]])
>>> kind, target, new = choose_offers(np.array([7.0, 10.0]), own, their, delta=3.0)
>>> [KINDS[k] if k >= 0 else None for k in kind], target.tolist(), new.tolist()
(['compromise', None], [1, -1], [8.0, 10.0])
"""

from __future__ import annotations

from typing import Literal

import numba
import numpy as np
import numpy.typing as npt

from burdenshare.forecasting.bdm_formulas import OfferKind

__all__ = ["KINDS", "choose_offers"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: the kinds of offer, most preferred first (the codes :func:`choose_offers` returns)
KINDS: tuple[OfferKind, ...] = ("confrontation", "compromise", "capitulation")


@numba.njit(cache=True, inline="always", error_model="numpy")
def _classify(e_ij: float, e_ji: float, fixed: bool, tolerance: float) -> int:
    """:func:`~burdenshare.forecasting.bdm_formulas.classify_offer` as a code (``-1``: none)."""
    if e_ji - e_ij > tolerance and e_ij > tolerance:
        return 0
    if e_ji > tolerance and e_ij < -tolerance:
        if e_ji - abs(e_ij) > tolerance:
            return 1
        if fixed and abs(e_ij) - e_ji > tolerance:
            return 2
    return -1


@numba.njit(cache=True, inline="always", error_model="numpy")
def _offer(
    x_i: float, x_j: float, e_ij: float, e_ji: float, code: int, scholz: bool
) -> tuple[float, float]:
    """``(new position, score)`` of an offer of kind ``code`` (see the module docstring)."""
    if code != 1:
        return x_j, abs(x_j - x_i)
    new = x_i + (x_j - x_i) * abs(e_ij / e_ji)  # compromise_position
    if scholz:  # scholz_compromise_key
        a, b = abs(e_ij), abs(e_ji)
        return new, (a * x_i + b * x_j) / (a + b)
    return new, abs(new - x_i)


@numba.njit(cache=True, error_model="numpy")
def _choose_kernel(
    x: FloatArray,
    own: FloatArray,
    their: FloatArray,
    delta: float,
    fixed: bool,
    scholz: bool,
    lowest: bool,
    tolerance: float,
) -> tuple[IntArray, IntArray, FloatArray]:
    n = x.size
    kind = np.full(n, -1, dtype=np.int64)
    target = np.full(n, -1, dtype=np.int64)
    moved = x.copy()
    for i in range(n):
        for code in range(3):
            best = np.inf
            for j in range(n):
                if x[j] != x[i] and _classify(own[i, j], their[i, j], fixed, tolerance) == code:
                    best = min(best, _offer(x[i], x[j], own[i, j], their[i, j], code, scholz)[1])
            if best == np.inf:
                continue
            limit = best + tolerance * delta
            pick, pick_new = -1, np.inf
            for j in range(n):
                if x[j] == x[i] or _classify(own[i, j], their[i, j], fixed, tolerance) != code:
                    continue
                new, score = _offer(x[i], x[j], own[i, j], their[i, j], code, scholz)
                if score <= limit and (pick < 0 or (lowest and new < pick_new)):
                    pick, pick_new = j, new
                    if not lowest:
                        break
            kind[i], target[i], moved[i] = code, pick, pick_new
            break
    return kind, target, moved


def choose_offers(
    x: FloatArray,
    own: FloatArray,
    their: FloatArray,
    *,
    delta: float,
    capitulation: Literal["jmckib", "fixed"] = "fixed",
    compromise_key: Literal["scholz", "nearest"] = "nearest",
    ties: Literal["first", "lowest"] = "lowest",
    tolerance: float = 0.0,
) -> tuple[IntArray, IntArray, FloatArray]:
    """Each actor's offer: ``(kind, target, new_position)``, kind an index into :data:`KINDS`.

    ``own[i, j] = EU_i(i -> j)`` and ``their[i, j] = EU_i(j -> i)``. An actor with no offer
    gets kind and target ``-1`` and keeps its position.
    """
    return _choose_kernel(
        np.ascontiguousarray(x, dtype=np.float64),
        np.ascontiguousarray(own, dtype=np.float64),
        np.ascontiguousarray(their, dtype=np.float64),
        float(delta),
        capitulation == "fixed",
        compromise_key == "scholz",
        ties == "lowest",
        float(tolerance),
    )
