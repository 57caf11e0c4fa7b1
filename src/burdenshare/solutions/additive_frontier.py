"""Exact Pareto frontier of a linear-additive two-party problem, without enumerating outcomes.

A problem is given as *utility tables*: ``tables[p][j][v]`` is party ``p``'s weighted utility
for value ``v`` of issue ``j``; an outcome picks one value per issue and party ``p`` gets the sum.
The space has ``prod_j m_j`` outcomes (``10^10`` for ten issues of ten values), but the frontier
is found by dynamic programming over issues, the classic approach to multi-objective knapsack-like
sums [Klamroth2000]_, [Bazgan2009]_:

1. quantise every table entry to an integer multiple of ``q = 2^-e`` (below), so that every sum
   of entries is an exact ``int64`` and ties are decided exactly;
2. start from the single empty partial outcome ``(0, 0)`` with count 1;
3. for issue ``k``: form the Minkowski sum of the kept partial vectors with the issue's value
   pairs, merge equal vectors (adding their counts, keeping the first representative), and keep
   only the non-dominated distinct vectors (sort by ``u1`` descending then ``u2`` descending; a
   vector survives iff its ``u2`` is strictly above every earlier ``u2``), with a back-pointer
   ``(parent, value)`` per kept vector;
4. after the last issue, walk the back-pointers to rebuild one representative outcome per point.

**Exactness and counts.** Call a partial vector ``P`` of the first ``k`` issues *pruned* if some
other achievable partial vector ``P' != P`` has ``P' >= P`` componentwise. For any completion
``x`` (a choice of the remaining issues), ``P' + x >= P + x`` with ``P' + x != P + x``, so
``P + x`` is strictly dominated by an outcome and is not on the frontier. Hence every outcome
whose full vector is non-dominated has *every* prefix vector non-dominated among distinct prefix
vectors; equal prefix vectors never dominate each other, so they are merged, not pruned, and
their counts add. By induction, the count kept for each distinct vector after issue ``k`` is the
number of prefixes (of the first ``k`` issues) mapping to it, restricted to vectors that can
still reach the frontier, and the final counts are the numbers of full outcomes mapping to each
distinct non-dominated vector. Pruning against the kept candidates only is enough: a dropped
candidate is dominated by a kept one, and domination is transitive. All of this needs domination
and equality decided exactly, which the integer quantisation provides (with floating sums,
``a + x`` and ``b + x`` can tie although ``a > b``, and the argument fails).

**Quantisation.** ``e = min(40, E)`` where ``E`` is the largest integer with
``S * 2^E < 2^52`` and ``S`` is the largest ``sum_j max_v |tables[p][j][v]|`` over parties. Each
entry becomes ``round(t * 2^e)``; sums are exact integers below ``2^52`` and convert exactly
back to floats ``n * 2^-e``. For utilities of order 1, ``q = 2^-40 ~ 9.1e-13``: two outcomes
*tie* iff their sums of quantised entries are equal, and each reported utility differs from the
floating sum of the raw entries by at most ``(number of issues) * q / 2``.

Cost: ``O(sum_k K_k m_k log(K_k m_k))`` for ``K_k`` kept vectors after issue ``k``; ``K_k`` is
small in practice (hundreds) but is bounded only by the number of distinct partial vectors. So
both are bounded before they are built: at most :data:`MAX_POINTS` kept vectors and
:data:`MAX_CANDIDATES` candidates in all (else :class:`FrontierSizeError`, exit
code 2), the candidates formed :data:`CHUNK` at a time. Counts are ``int64`` while the outcomes
of the issues so far number fewer than ``2^63``, then exact Python ints (twenty issues of 1,001
values have about ``10^60`` outcomes).

.. [Klamroth2000] K. Klamroth and M. M. Wiecek, "Dynamic programming approaches to the
   multiple criteria knapsack problem", *Naval Research Logistics* 47 (2000) 57-76.
.. [Bazgan2009] C. Bazgan, H. Hugot and D. Vanderpooten, "Solving efficiently the 0-1
   multi-objective knapsack problem", *Computers & Operations Research* 36 (2009) 260-279.

>>> tables = ([[0.0, 0.5, 1.0], [0.25, 0.25]], [[1.0, 0.5, 0.0], [0.5, 0.5]])
>>> f = additive_frontier(tables)
>>> f.u1.tolist(), f.u2.tolist(), f.counts.tolist()
([0.25, 0.75, 1.25], [1.5, 1.0, 0.5], [2, 2, 2])
>>> f.outcomes.tolist()
[[0, 0], [1, 0], [2, 0]]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burdenshare.errors import SolverError

__all__ = [
    "AdditiveFrontier",
    "FrontierSizeError",
    "Tables",
    "additive_frontier",
    "dequantise",
    "merge_and_prune",
    "quantise_tables",
]

#: utility tables: ``tables[p][j]`` lists party ``p``'s utility for each value of issue ``j``
Tables = Sequence[Sequence[ArrayLike]]

#: finest quantum exponent: entries are multiples of ``2^-40`` unless sums would not fit
_MAX_EXPONENT = 40
#: candidates formed at once in one step (bounds the step's temporary memory to ~200 MB)
CHUNK = 1 << 21
#: the most distinct partial vectors kept after any issue
MAX_POINTS = 1_000_000
#: the most candidates all steps together may combine (kept vectors times the issue's values,
#: summed over issues): a few seconds of work
MAX_CANDIDATES = 20_000_000


@dataclass(frozen=True)
class AdditiveFrontier:
    """The distinct non-dominated utility vectors of a finite two-party problem.

    Attributes:
        u1, u2: utilities of each frontier point (quantised, see the module), sorted by ``u1``
            ascending (so ``u2`` descending); one entry per distinct non-dominated vector.
        outcomes: ``(n_points, n_issues)`` value indices of one representative outcome per point.
        counts: number of outcomes of the whole space mapping to each point (``int64``; exact
            Python ints, ``dtype=object``, when the space has ``2^63`` outcomes or more).
        n_outcomes: size of the outcome space, ``prod_j m_j`` (an exact Python int).
        quantum: the quantum ``q = 2^-e`` every table entry was rounded to.
    """

    u1: NDArray[np.float64]
    u2: NDArray[np.float64]
    outcomes: NDArray[np.intp]
    counts: NDArray[Any]
    n_outcomes: int
    quantum: float

    def __len__(self) -> int:
        return int(self.u1.size)


def quantise_tables(
    tables: Tables,
) -> tuple[list[NDArray[np.int64]], list[NDArray[np.int64]], float]:
    """Validate utility tables and quantise them: ``(tables1, tables2, quantum)``.

    Every entry becomes ``round(t / quantum)`` as ``int64`` (see the module for the quantum).

    >>> a, b, q = quantise_tables(([[0.5, 1.0]], [[1.0, 0.25]]))
    >>> q == 2.0**-40, (a[0] * q).tolist(), (b[0] * q).tolist()
    (True, [0.5, 1.0], [1.0, 0.25])
    """
    if len(tables) != 2:
        raise SolverError(
            f"tables must hold one list of issue tables per party (2), got {len(tables)}"
        )
    t1 = [np.asarray(t, dtype=np.float64).ravel() for t in tables[0]]
    t2 = [np.asarray(t, dtype=np.float64).ravel() for t in tables[1]]
    if len(t1) != len(t2):
        raise SolverError(f"both parties need the same issues, got {len(t1)} and {len(t2)} tables")
    if not t1:
        raise SolverError("tables must describe at least one issue")
    for j, (a, b) in enumerate(zip(t1, t2, strict=True)):
        if a.size == 0 or a.size != b.size:
            raise SolverError(
                f"issue {j} needs the same non-zero number of values for both parties, "
                f"got {a.size} and {b.size}"
            )
        if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
            raise SolverError(f"issue {j} has a NaN or infinite utility")
    span = max(sum(float(np.abs(a).max()) for a in t1), sum(float(np.abs(b).max()) for b in t2))
    exponent = _MAX_EXPONENT
    if span > 0:
        exponent = min(_MAX_EXPONENT, 51 - math.frexp(span)[1])
    scale = math.ldexp(1.0, exponent)
    q1 = [np.round(a * scale).astype(np.int64) for a in t1]
    q2 = [np.round(b * scale).astype(np.int64) for b in t2]
    return q1, q2, math.ldexp(1.0, -exponent)


class FrontierSizeError(SolverError):
    """The dynamic programme would exceed its size budget (a user's input too large to serve:
    exit code 2, as for any too-large input)."""

    exit_code = 2

    def __init__(self, message: str, issue: int) -> None:
        self.issue = issue
        super().__init__(message)


def additive_frontier(
    tables: Tables,
    *,
    max_points: int = MAX_POINTS,
    max_candidates: int = MAX_CANDIDATES,
) -> AdditiveFrontier:
    """The exact Pareto frontier of a linear-additive problem, by dynamic programming over issues.

    Args:
        tables: ``tables[p][j][v]``, party ``p``'s utility for value ``v`` of issue ``j``.
        max_points: the most distinct non-dominated partial vectors kept after any issue.
        max_candidates: the most candidates (kept vectors times the issue's values, summed
            over the issues) the programme may form. Both are checked before anything of that
            size is built (candidates are formed :data:`CHUNK` at a time); over either,
            :class:`FrontierSizeError` names the issue (its ``issue`` index).

    Returns:
        The :class:`AdditiveFrontier`: distinct non-dominated vectors, a representative outcome
        and the number of outcomes for each.
    """
    q1, q2, quantum = quantise_tables(tables)
    n_outcomes = math.prod(int(x.size) for x in q1)
    a = np.zeros(1, dtype=np.int64)
    b = np.zeros(1, dtype=np.int64)
    counts: NDArray[Any] = np.ones(1, dtype=np.int64)
    prefix = 1  # outcomes of the issues so far: counts switch to exact Python ints past int64
    pointers: list[tuple[NDArray[np.intp], NDArray[np.intp]]] = []
    work = 0
    for j, (x1, x2) in enumerate(zip(q1, q2, strict=True)):
        m = x1.size
        work += a.size * m
        if work > max_candidates:
            raise FrontierSizeError(
                f"the exact frontier would combine {a.size:,} partial vectors with {m:,} values "
                f"at issue {j} ({work:,} candidates in all; at most {max_candidates:,})",
                j,
            )
        prefix *= m
        if prefix >= 2**63 and counts.dtype != object:
            counts = counts.astype(object)
        a, b, counts, keep = _extend(a, b, counts, x1, x2)
        if a.size > max_points:
            raise FrontierSizeError(
                f"the exact frontier has {a.size:,} points after issue {j} "
                f"(at most {max_points:,})",
                j,
            )
        pointers.append((keep // m, keep % m))
    n_issues = len(q1)
    outcomes = np.empty((a.size, n_issues), dtype=np.intp)
    node = np.arange(a.size)
    for j in range(n_issues - 1, -1, -1):
        parent, value = pointers[j]
        outcomes[:, j] = value[node]
        node = parent[node]
    order = np.argsort(a, kind="stable")
    return AdditiveFrontier(
        u1=dequantise(a[order], quantum),
        u2=dequantise(b[order], quantum),
        outcomes=outcomes[order],
        counts=counts[order],
        n_outcomes=n_outcomes,
        quantum=quantum,
    )


def _extend(
    a: NDArray[np.int64],
    b: NDArray[np.int64],
    counts: NDArray[Any],
    x1: NDArray[np.int64],
    x2: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[Any], NDArray[np.intp]]:
    """One step of the programme: every kept vector plus every value of the next issue, merged
    and pruned, :data:`CHUNK` candidates at a time (a candidate dominated by a kept one is
    dominated, so pruning a running frontier against each chunk is exact; running vectors come
    first, so ties keep the lowest candidate index, as one pass over all candidates would).
    Returns the kept vectors and, for each, its lowest candidate index ``parent * m + value``."""
    m = x1.size
    rows = max(1, CHUNK // m)
    ra, rb, rc = a[:0], b[:0], counts[:0]
    ri = np.zeros(0, dtype=np.intp)
    for start in range(0, a.size, rows):
        stop = min(a.size, start + rows)
        ca = np.concatenate([ra, (a[start:stop, None] + x1[None, :]).ravel()])
        cb = np.concatenate([rb, (b[start:stop, None] + x2[None, :]).ravel()])
        cc = np.concatenate([rc, np.repeat(counts[start:stop], m)])
        ci = np.concatenate([ri, np.arange(start * m, stop * m, dtype=np.intp)])
        ra, rb, rc, keep = merge_and_prune(ca, cb, cc)
        ri = ci[keep]
    return ra, rb, rc, ri


def dequantise(x: NDArray[np.int64], quantum: float) -> NDArray[np.float64]:
    """Float utilities ``x * quantum`` of quantised sums (exact below ``2^52``)."""
    return np.asarray(x * quantum, dtype=np.float64)


def merge_and_prune(
    a: NDArray[np.int64], b: NDArray[np.int64], counts: NDArray[Any]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[Any], NDArray[np.intp]]:
    """Distinct non-dominated vectors among ``(a[i], b[i])`` with summed counts.

    Returns ``(a, b, counts, first)``, ordered by ``a`` descending; ``first[k]`` is the lowest
    input index mapping to output vector ``k`` (its representative). Exact on integers.

    >>> a, b, c, first = merge_and_prune(
    ...     np.array([1, 2, 2, 0, 2]), np.array([1, 0, 0, 3, 1]), np.array([1, 1, 1, 1, 5]))
    >>> a.tolist(), b.tolist(), c.tolist(), first.tolist()
    ([2, 0], [1, 3], [5, 1], [4, 3])
    """
    n = a.size
    order = np.lexsort((-b, -a))  # a desc, b desc, index asc (lexsort is stable)
    sa, sb = a[order], b[order]
    start = np.empty(n, dtype=np.bool_)
    start[0] = True
    start[1:] = (sa[1:] != sa[:-1]) | (sb[1:] != sb[:-1])
    starts = np.flatnonzero(start)
    group_counts = np.add.reduceat(counts[order], starts)
    ua, ub = sa[starts], sb[starts]
    # distinct vectors sorted by a desc then b desc: non-dominated iff b beats every earlier b
    earlier = np.empty(ub.size, dtype=np.int64)
    earlier[0] = np.iinfo(np.int64).min
    earlier[1:] = np.maximum.accumulate(ub)[:-1]
    keep = ub > earlier
    return ua[keep], ub[keep], group_counts[keep], order[starts[keep]]
