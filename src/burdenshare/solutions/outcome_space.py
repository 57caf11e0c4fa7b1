"""Outcome spaces of linear-additive two-party problems: enumeration, frontier, solutions.

The input is the *utility tables* of :mod:`.additive_frontier`. This module

1. enumerates every outcome's utilities, vectorised and one chunk at a time (outcome ``i`` is the
   mixed-radix number of its value indices, last issue fastest), for spaces of up to tens of
   millions of outcomes;
2. finds the exact frontier of an enumerable space with :func:`~.pareto.pareto_frontier_2d`, one
   chunk at a time (a point dominated inside its chunk is dominated in the space), merging equal
   vectors with counts; for any size, :func:`~.additive_frontier.additive_frontier` (dynamic
   programming) gives the same :class:`~.additive_frontier.AdditiveFrontier`;
3. picks the Nash (asymmetric allowed), Kalai-Smorodinsky, egalitarian and utilitarian points
   among the discrete frontier points with the ``*_discrete`` functions and the reservation
   values ``d`` exactly as given (never renormalised). Each maximiser over all rational outcomes
   is attained on the frontier (its tie-breaks favour larger utility sums), so nothing is lost;
4. computes the *opposition* of the two parties [Baarslag2013]_: the minimum over outcomes of the
   Euclidean distance from the normalised utility pair to ``(1, 1)``. Normalisation here is
   ``"minmax"`` by default, ``(u - min u) / (max u - min u)`` over the whole outcome space (exact
   for additive tables: per-issue minima and maxima add), so both parties span ``[0, 1]``;
   ``"max"`` divides by the maximum utility only. NegMAS 0.16 (``opposition_level``) divides by a
   given maximum (default 1, i.e. raw utilities), skips outcomes worse than the reservation
   value, and samples at most 10,000 outcomes of large spaces, so its figures can differ. The
   minimum is attained on the frontier: normalisation is increasing and every normalised value
   is at most 1, so a dominating outcome is never farther from ``(1, 1)``.

.. [Baarslag2013] T. Baarslag, K. Fujita, E. H. Gerding, K. Hindriks, T. Ito, N. R. Jennings,
   C. Jonker, S. Kraus, R. Lin, V. Robu and C. R. Williams, "Evaluating practical negotiating
   agents: results and analysis of the 2011 international competition", *Artificial
   Intelligence* 198 (2013) 73-103 (section on domain characteristics: opposition).

>>> tables = ([[0.0, 0.5, 1.0], [0.25, 0.25]], [[1.0, 0.5, 0.0], [0.5, 0.5]])
>>> report = analyze_additive(tables, d=(0.0, 0.0))
>>> report["n_outcomes"], report["method"], len(report["pareto_frontier"])
(6, 'dp', 3)
>>> report["solutions"]["nash"]
{'u1': 0.75, 'u2': 1.0, 'outcome': [1, 0], 'count': 2}
>>> round(report["opposition"]["value"], 4)
0.7071
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from burdenshare.errors import SolverError
from burdenshare.solutions import _validate
from burdenshare.solutions.additive_frontier import (
    AdditiveFrontier,
    Tables,
    additive_frontier,
    dequantise,
    merge_and_prune,
    quantise_tables,
)
from burdenshare.solutions.egalitarian import egalitarian_discrete
from burdenshare.solutions.kalai_smorodinsky import kalai_smorodinsky_discrete
from burdenshare.solutions.nash import nash_discrete
from burdenshare.solutions.pareto import pareto_frontier_2d
from burdenshare.solutions.utilitarian import utilitarian_discrete

__all__ = [
    "analyze_additive",
    "enumerated_frontier",
    "frontier_solutions",
    "opposition",
    "opposition_in_range",
    "outcome_count",
    "outcome_utilities",
]

#: outcomes handled per chunk when enumerating (bounds temporary memory to ~100 MB)
DEFAULT_CHUNK = 1 << 21

Normalisation = Literal["minmax", "max"]


def outcome_count(tables: Tables) -> int:
    """Number of outcomes, the product of the issues' numbers of values (an exact int).

    >>> outcome_count(([[0, 1], [0, 1, 2]], [[1, 0], [2, 1, 0]]))
    6
    """
    return math.prod(int(np.asarray(t).size) for t in tables[0])


def outcome_utilities(
    tables: Tables, start: int = 0, stop: int | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Utilities ``(u1, u2)`` of outcomes ``start .. stop - 1`` (quantised as in the frontier).

    Outcome ``i`` takes value ``i // prod(m_{j+1:}) % m_j`` of issue ``j`` (last issue fastest,
    as ``numpy.unravel_index``). The caller bounds memory by asking for a range at a time.

    >>> u1, u2 = outcome_utilities(([[0.0, 1.0], [0.0, 0.5]], [[1.0, 0.0], [0.5, 0.0]]))
    >>> u1.tolist(), u2.tolist()
    ([0.0, 0.5, 1.0, 1.5], [1.5, 1.0, 0.5, 0.0])
    """
    q1, q2, quantum = quantise_tables(tables)
    a, b = _int_utilities(q1, q2, start, outcome_count(tables) if stop is None else stop)
    return dequantise(a, quantum), dequantise(b, quantum)


def enumerated_frontier(tables: Tables, chunk: int = DEFAULT_CHUNK) -> AdditiveFrontier:
    """The exact frontier by enumerating every outcome, ``chunk`` outcomes at a time.

    Same result as :func:`~.additive_frontier.additive_frontier` (the representative of each
    point is its lowest-numbered outcome); use it to check the dynamic programme, or when the
    space is small.
    """
    if chunk < 1:
        raise SolverError(f"chunk must be a positive number of outcomes, got {chunk}")
    q1, q2, quantum = quantise_tables(tables)
    n = outcome_count(tables)
    cand_a: list[NDArray[np.int64]] = []
    cand_b: list[NDArray[np.int64]] = []
    cand_i: list[NDArray[np.int64]] = []
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        a, b = _int_utilities(q1, q2, start, stop)
        # exact: the int64 sums are below 2^52, so their float images keep order and equality
        idx = np.sort(pareto_frontier_2d(a.astype(np.float64), b.astype(np.float64)))
        cand_a.append(a[idx])
        cand_b.append(b[idx])
        cand_i.append(idx.astype(np.int64) + start)
    a = np.concatenate(cand_a)
    b = np.concatenate(cand_b)
    flat = np.concatenate(cand_i)
    ua, ub, counts, first = merge_and_prune(a, b, np.ones(a.size, dtype=np.int64))
    sizes = tuple(int(x.size) for x in q1)
    outcomes = np.stack(np.unravel_index(flat[first], sizes), axis=1).astype(np.intp)
    order = np.argsort(ua, kind="stable")
    return AdditiveFrontier(
        u1=dequantise(ua[order], quantum),
        u2=dequantise(ub[order], quantum),
        outcomes=outcomes[order],
        counts=counts[order],
        n_outcomes=n,
        quantum=quantum,
    )


_SOLVERS: dict[str, Callable[..., int | None]] = {
    "nash": nash_discrete,
    "kalai_smorodinsky": kalai_smorodinsky_discrete,
    "egalitarian": egalitarian_discrete,
    "utilitarian": utilitarian_discrete,
}


def frontier_solutions(
    front: AdditiveFrontier, d: Sequence[float] = (0.0, 0.0), alpha: float = 0.5
) -> dict[str, dict[str, Any] | None]:
    """Nash (weight ``alpha`` on party 1), Kalai-Smorodinsky, egalitarian and utilitarian points.

    Each is a frontier point ``{u1, u2, outcome, count}``, or None when no frontier point is
    individually rational for ``d`` (used exactly as given).
    """
    point = _validate.point("d", d)
    out: dict[str, dict[str, Any] | None] = {}
    for name, solver in _SOLVERS.items():
        if name == "nash":
            k = solver(front.u1, front.u2, point, alpha)
        else:
            k = solver(front.u1, front.u2, point)
        out[name] = None if k is None else _entry(front, k)
    return out


def opposition(
    tables: Tables, front: AdditiveFrontier, normalisation: Normalisation = "minmax"
) -> float:
    """Opposition [Baarslag2013]_: least distance from a normalised outcome to ``(1, 1)``.

    ``front`` must be the frontier of ``tables``; see the module for the normalisations.

    >>> t = ([[0.0, 1.0]], [[1.0, 0.0]])
    >>> round(opposition(t, enumerated_frontier(t)), 4)
    1.0
    """
    q1, q2, quantum = quantise_tables(tables)
    lows = tuple(sum(int(x.min()) for x in qs) * quantum for qs in (q1, q2))
    highs = tuple(sum(int(x.max()) for x in qs) * quantum for qs in (q1, q2))
    return opposition_in_range(front.u1, front.u2, lows, highs, normalisation)


def opposition_in_range(
    u1: NDArray[np.float64],
    u2: NDArray[np.float64],
    lows: Sequence[float],
    highs: Sequence[float],
    normalisation: Normalisation = "minmax",
) -> float:
    """Opposition of the frontier points ``(u1[k], u2[k])`` when the parties' utilities span
    ``[lows[p], highs[p]]`` over the whole outcome space (see the module; :func:`opposition`
    for additive tables).

    >>> round(opposition_in_range(np.array([0.0, 1.0]), np.array([1.0, 0.0]), (0, 0), (1, 1)), 4)
    1.0
    """
    total = np.zeros(np.asarray(u1).size)
    for u, lo, hi in ((u1, lows[0], highs[0]), (u2, lows[1], highs[1])):
        if normalisation == "minmax":
            v = (u - lo) / (hi - lo) if hi > lo else np.ones_like(u)
        elif normalisation == "max":
            if hi <= 0:
                raise SolverError("normalisation 'max' needs a positive maximum utility")
            v = u / hi
        else:
            raise SolverError(f"normalisation must be 'minmax' or 'max', got {normalisation!r}")
        total += (1.0 - v) ** 2
    return float(np.sqrt(total.min()))


def analyze_additive(
    tables: Tables,
    d: Sequence[float] = (0.0, 0.0),
    alpha: float = 0.5,
    method: Literal["dp", "enumerate"] = "dp",
    normalisation: Normalisation = "minmax",
) -> dict[str, Any]:
    """Frontier, solution points and opposition of a linear-additive problem, as JSON-ready data.

    ``method`` is ``"dp"`` (dynamic programming, any size) or ``"enumerate"`` (every outcome,
    for spaces of up to tens of millions); both give the same frontier.
    """
    point = _validate.point("d", d)
    if method == "dp":
        front = additive_frontier(tables)
    elif method == "enumerate":
        front = enumerated_frontier(tables)
    else:
        raise SolverError(f"method must be 'dp' or 'enumerate', got {method!r}")
    return {
        "method": method,
        "n_outcomes": front.n_outcomes,
        "n_issues": len(tables[0]),
        "reservation": [point[0], point[1]],
        "alpha": alpha,
        "quantum": front.quantum,
        "pareto_frontier": [_entry(front, k) for k in range(len(front))],
        "solutions": frontier_solutions(front, point, alpha),
        "opposition": {
            "value": opposition(tables, front, normalisation),
            "normalisation": normalisation,
        },
    }


def _entry(front: AdditiveFrontier, k: int) -> dict[str, Any]:
    return {
        "u1": float(front.u1[k]),
        "u2": float(front.u2[k]),
        "outcome": [int(v) for v in front.outcomes[k]],
        "count": int(front.counts[k]),
    }


def _int_utilities(
    q1: list[NDArray[np.int64]], q2: list[NDArray[np.int64]], start: int, stop: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    rest = np.arange(start, stop, dtype=np.int64)
    a = np.zeros(rest.size, dtype=np.int64)
    b = np.zeros(rest.size, dtype=np.int64)
    for x1, x2 in zip(reversed(q1), reversed(q2), strict=True):
        value = rest % x1.size
        rest //= x1.size
        a += x1[value]
        b += x2[value]
    return a, b
