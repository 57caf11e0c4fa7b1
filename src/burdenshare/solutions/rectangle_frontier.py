"""Exact Pareto frontier of a two-party problem with hyper-rectangle (non-linear) utilities.

GENIUS's non-linear utility spaces ([GENIUS]_; the ANAC 2014 domains such as ``10issues``
[ANAC2014]_, after the constraint model of [Ito2007]_) give each party a list of
*hyper-rectangles*: a rule ``(utility, bounds)`` is satisfied by an outcome iff, for every bound
``(issue, lo, hi)``, the outcome's value of that issue lies in ``lo..hi`` (GENIUS
``InclusiveHyperRectangle``). A party's utility of an outcome is the sum of the utilities of its
satisfied rules divided by the profile's ``maxutility`` (its *scale*). Rules may overlap and may
have negative utility; an issue that no rule mentions still multiplies the numbers of outcomes.
Here issues and values are 0-based indices: ``sizes[j]`` values for issue ``j``, value index =
GENIUS value - the issue's lower bound.

The sums are not additive over issues, so :func:`~.additive_frontier.additive_frontier` does not
apply, and the space is far too large to enumerate (``10^10`` outcomes for ``10issues``). The
frontier is found by dynamic programming over issues with a *rule state*, the multi-objective
dynamic programme of [Klamroth2000]_ extended with branch-and-bound [Bazgan2009]_:

1. **Quantise** every rule utility (before dividing by the scale) to an integer multiple of
   ``q = 2^-e`` with :func:`~.additive_frontier.quantise_tables` (one "issue" per rule), so every
   sum is an exact ``int64`` and ties are decided exactly; integer utilities (the GENIUS files)
   stay exact. Reported utilities are ``(n * q) / scale``.
2. **Simplify**: drop bounds covering a whole issue; rules without bounds left add a constant;
   rules of either party with the same bound set are merged into one rule with a utility pair
   ``(w1, w2)`` (rules with ``(0, 0)`` are dropped); single-issue rules become per-value
   additive tables.
3. **Classes**: values of issue ``j`` that lie in exactly the same rules' ranges and have the same
   additive entries are interchangeable; they form a *class* whose *size* multiplies counts and
   whose first value is its representative. (``10issues`` has ``25,401,600`` class combinations.)
4. **Rule state**: process the issues in a fixed order (chosen to keep few rules *open*: touched
   by processed and unprocessed issues). A partial outcome of the first ``k`` issues is summarised
   by its *state*: the partial vector ``(a, b)`` of rules already finished plus additive entries,
   and the *alive mask* of the open rules (all their processed bounds satisfied). The utility of
   every completion is ``(a, b)`` plus a term that depends only on the mask and the completion.
5. **Layers**: extend every kept state by every class of the next issue (mask ``&=`` the class's
   membership, add the additive entries and the utilities of the rules finishing at this issue
   that are still alive); merge states with equal ``(mask, a, b)``, adding counts; within each
   mask keep only the non-dominated distinct vectors (as
   :func:`~.additive_frontier.merge_and_prune` does over all states).
6. **Bounds**: a state's completions all lie in the box ``[lo, hi]`` where ``hi`` (``lo``) adds
   every alive unfinished rule's positive (negative) utility and each remaining issue's largest
   (smallest) additive entry. Some completion reaches at least ``lo``; the non-dominated ``lo``
   corners of all states (kept across layers) are *incumbents*. A state whose ``hi`` is
   componentwise ``<=`` and ``!=`` an incumbent is dropped.
7. After the last issue every rule is finished and the states are full vectors with their counts:
   :func:`~.additive_frontier.merge_and_prune` gives the frontier; back-pointers
   ``(parent, class)`` rebuild one representative outcome per point.

**Exactness and counts.** States with equal mask and vector have identical sets of completion
vectors, so merging them and adding counts loses nothing. If ``P'`` and ``P`` have the same mask
and ``P' >= P``, ``P' != P``, every completion ``x`` gives ``P' + g(x) >= P + g(x)``, ``!=``,
so every outcome through ``P`` is strictly dominated (the argument of
:mod:`.additive_frontier`, per mask). In step 6, every completion of the state is ``<= hi`` and
the incumbent ``l`` is ``<=`` some outcome ``z``; from ``hi <= l``, ``hi != l`` every completion
``y`` has ``y <= hi <= l <= z`` and ``y != z``, so ``y`` is strictly dominated. Hence only
outcomes that are strictly dominated are ever dropped, every outcome whose vector is non-dominated
survives to the end with its exact multiplicity (class sizes multiply, merged counts add), and the
final counts are the numbers of outcomes of the whole space mapping to each non-dominated vector.
Domination and equality are decided on exact integers. Each party's exact minimum and maximum over
the space: the maxima are the frontier's extreme points; each minimum is the maximum of the same
programme run on that party's negated rules alone (one objective, so one state per mask).

Cost: the number of states, bounded by the class combinations of the processed issues and by
``2^(open rules)`` masks times the non-dominated vectors per mask; memory is bounded by expanding
at most ``2^20`` candidate states at a time. On ``10issues`` this is far below the ``25`` million
class combinations (see ``benchmarks/bench_outcome_space.py``).

.. [ANAC2014] K. Fujita et al., "The Fifth Automated Negotiating Agents Competition (ANAC 2014)",
   in *Recent Advances in Agent-based Complex Automated Negotiation*, Studies in Computational
   Intelligence 638, Springer (2016): the non-linear domains ``10issues``, ``30issues`` and
   ``50issues`` (each profile lists hyper-rectangles and a ``maxutility``).
.. [Ito2007] T. Ito, H. Hattori and M. Klein, "Multi-issue negotiation protocol for agents:
   exploring nonlinear utility spaces", *Proc. IJCAI 2007*: utilities as sums of constraints
   (hyper-rectangles) over the issues.
.. [GENIUS] GENIUS ``genius.core.utility.NonlinearUtilitySpace`` and
   ``InclusiveHyperRectangle`` (utility counted iff ``min <= value <= max`` for every bound);
   R. Lin, S. Kraus, T. Baarslag, D. Tykhonov, K. Hindriks and C. M. Jonker, "Genius: an
   integrated environment for supporting the design of generic automated negotiators",
   *Computational Intelligence* 30 (2014) 48-70.
.. [Klamroth2000] K. Klamroth and M. M. Wiecek, "Dynamic programming approaches to the
   multiple criteria knapsack problem", *Naval Research Logistics* 47 (2000) 57-76.
.. [Bazgan2009] C. Bazgan, H. Hugot and D. Vanderpooten, "Solving efficiently the 0-1
   multi-objective knapsack problem", *Computers & Operations Research* 36 (2009) 260-279.

>>> r1 = (HyperRectangle(2.0, ((0, 1, 1), (1, 1, 1))), HyperRectangle(1.0, ((0, 0, 0),)))
>>> r2 = (HyperRectangle(3.0, ((1, 0, 0),)), HyperRectangle(-1.0, ((0, 1, 1),)))
>>> res = rectangle_frontier((2, 2, 3), (r1, r2), scales=(2.0, 4.0))
>>> f = res.frontier
>>> f.u1.tolist(), f.u2.tolist(), f.counts.tolist()
([0.5, 1.0], [0.75, -0.25], [3, 3])
>>> f.outcomes.tolist(), f.n_outcomes
([[0, 0, 0], [1, 1, 0]], 12)
>>> res.u_min, res.u_max
((0.0, -0.25), (1.0, 0.75))
>>> rectangle_utilities((2, 2, 3), r1, f.outcomes, scale=2.0).tolist()
[0.5, 1.0]
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burdenshare.errors import SolverError
from burdenshare.solutions._rectangle_programme import Programme
from burdenshare.solutions.additive_frontier import (
    AdditiveFrontier,
    dequantise,
    merge_and_prune,
    quantise_tables,
)

__all__ = [
    "HyperRectangle",
    "RectangleFrontier",
    "rectangle_frontier",
    "rectangle_utilities",
]

#: a bound ``(issue, lo, hi)``: value indices ``lo..hi`` (inclusive) of a 0-based issue
Bound = tuple[int, int, int]


@dataclass(frozen=True)
class HyperRectangle:
    """One rule: ``utility`` counts for every outcome inside all ``bounds``.

    Attributes:
        utility: the rule's (unscaled) utility, finite, possibly negative.
        bounds: ``(issue, lo, hi)`` triples, 0-based issue index and inclusive 0-based value
            indices ``0 <= lo <= hi``; at most one bound per issue. No bounds: always satisfied.
            Bounds above an issue's number of values are caught by :func:`rectangle_frontier`.

    >>> HyperRectangle(3, [(1, 0, 2)])
    HyperRectangle(utility=3.0, bounds=((1, 0, 2),))
    """

    utility: float
    bounds: tuple[Bound, ...]

    def __post_init__(self) -> None:
        try:
            utility = float(self.utility)
        except (TypeError, ValueError) as err:
            raise SolverError(f"rule utility must be a number, got {self.utility!r}") from err
        if not math.isfinite(utility):
            raise SolverError(f"rule utility must be finite, got {utility}")
        bounds: list[Bound] = []
        seen: set[int] = set()
        for bound in self.bounds:
            try:
                issue, lo, hi = (operator.index(x) for x in bound)
            except (TypeError, ValueError) as err:
                raise SolverError(
                    f"a bound must be three integers (issue, lo, hi), got {bound!r}"
                ) from err
            if issue < 0:
                raise SolverError(f"bound {bound!r}: issue index must be >= 0, got {issue}")
            if not 0 <= lo <= hi:
                raise SolverError(
                    f"bound {bound!r} on issue {issue}: need 0 <= lo <= hi, got lo={lo}, hi={hi}"
                )
            if issue in seen:
                raise SolverError(f"rule has two bounds on issue {issue}")
            seen.add(issue)
            bounds.append((issue, lo, hi))
        object.__setattr__(self, "utility", utility)
        object.__setattr__(self, "bounds", tuple(bounds))


@dataclass(frozen=True)
class RectangleFrontier:
    """The exact frontier of a hyper-rectangle problem, with each party's utility range.

    Attributes:
        frontier: the distinct non-dominated vectors (scaled utilities), a representative outcome
            (value indices) and the number of outcomes of the whole space for each; ``quantum`` is
            the quantum of the unscaled rule utilities (see the module).
        u_min, u_max: each party's exact least and greatest scaled utility over the whole space
            (for min-max normalisation, e.g. the opposition level).
        classes_per_issue: number of value classes of each issue (see the module).
        n_class_combinations: product of ``classes_per_issue``, the size of the reduced space
            that plain enumeration would visit.
        n_states: number of (state, class) extensions the dynamic programme evaluated for the
            frontier (its work, much below ``n_class_combinations`` when pruning bites).
    """

    frontier: AdditiveFrontier
    u_min: tuple[float, float]
    u_max: tuple[float, float]
    classes_per_issue: tuple[int, ...]
    n_class_combinations: int
    n_states: int


# --------------------------------------------------------------------------------------------
# public functions


def rectangle_frontier(
    sizes: Sequence[int],
    rules: Sequence[Sequence[HyperRectangle]],
    scales: Sequence[float] = (1.0, 1.0),
) -> RectangleFrontier:
    """The exact Pareto frontier of two parties' hyper-rectangle utilities.

    Args:
        sizes: ``sizes[j]``, the number of values of issue ``j`` (at least one issue).
        rules: ``(rules_party1, rules_party2)``, each a sequence of :class:`HyperRectangle`.
        scales: each party's divisor (GENIUS ``maxutility``), finite and positive.

    Returns:
        The :class:`RectangleFrontier` (see the module for the algorithm).
    """
    dims = _check_sizes(sizes)
    if len(rules) != 2:
        raise SolverError(f"rules must hold one list of rules per party (2), got {len(rules)}")
    parties = (_check_rules(dims, rules[0], 1), _check_rules(dims, rules[1], 2))
    s1, s2 = _check_scales(scales)
    n_outcomes = math.prod(dims)
    if n_outcomes >= 2**63:
        raise SolverError(f"outcome counts must fit in int64, the space has {n_outcomes}")
    w1, w2, quantum = _quantise(parties[0], parties[1])
    own1 = [(r, int(w), 0) for r, w in zip(parties[0], w1, strict=True)]
    own2 = [(r, 0, int(w)) for r, w in zip(parties[1], w2, strict=True)]

    front = Programme(dims, own1 + own2).run()
    a, b, counts, first = merge_and_prune(front.a, front.b, front.counts)
    order = np.argsort(a, kind="stable")
    a, b, counts, first = a[order], b[order], counts[order], first[order]
    outcomes = front.outcomes(first)
    # the least utility of party p is minus the greatest of its negated rules alone
    low1 = Programme(dims, [(r, -g, 0) for r, g, _ in own1]).run()
    low2 = Programme(dims, [(r, 0, -g) for r, _, g in own2]).run()
    lo1 = -int(low1.a.max())
    lo2 = -int(low2.b.max())
    hi1, hi2 = int(a.max()), int(b.max())

    def scaled(x: ArrayLike, scale: float) -> NDArray[np.float64]:
        return dequantise(np.asarray(x, dtype=np.int64), quantum) / scale

    frontier = AdditiveFrontier(
        u1=scaled(a, s1),
        u2=scaled(b, s2),
        outcomes=outcomes,
        counts=counts,
        n_outcomes=n_outcomes,
        quantum=quantum,
    )
    return RectangleFrontier(
        frontier=frontier,
        u_min=(float(scaled([lo1], s1)[0]), float(scaled([lo2], s2)[0])),
        u_max=(float(scaled([hi1], s1)[0]), float(scaled([hi2], s2)[0])),
        classes_per_issue=front.classes_per_issue,
        n_class_combinations=math.prod(front.classes_per_issue),
        n_states=front.n_states,
    )


def rectangle_utilities(
    sizes: Sequence[int],
    rules: Sequence[HyperRectangle],
    outcomes: ArrayLike,
    scale: float = 1.0,
    *,
    quantum: float | None = None,
) -> NDArray[np.float64]:
    """One party's utility of each given outcome (rows of value indices).

    Each rule utility is quantised to a multiple of ``quantum`` (by default the quantum
    :func:`rectangle_frontier` would pick for these rules alone; pass ``frontier.quantum`` to
    reproduce a frontier's values bit for bit), summed exactly and divided by ``scale``.

    >>> rules = [HyperRectangle(5.0, ((0, 1, 2),)), HyperRectangle(-1.0, ((0, 2, 2), (1, 0, 0)))]
    >>> rectangle_utilities((3, 2), rules, [[0, 0], [1, 0], [2, 0], [2, 1]], scale=5.0).tolist()
    [0.0, 1.0, 0.8, 1.0]
    """
    dims = _check_sizes(sizes)
    checked = _check_rules(dims, rules, 1)
    (scale1, _) = _check_scales((scale, 1.0))
    x = np.asarray(outcomes)
    if x.ndim == 1 and x.size == len(dims):
        x = x[None, :]
    if x.ndim != 2 or x.shape[1] != len(dims) or not np.issubdtype(x.dtype, np.integer):
        raise SolverError(
            f"outcomes must be an integer array of shape (n, {len(dims)}), got {x.dtype} {x.shape}"
        )
    if x.size and (x.min() < 0 or np.any(x >= np.asarray(dims)[None, :])):
        raise SolverError("outcomes hold a value index outside its issue's range")
    if quantum is None:
        w, _, q = _quantise(checked, ())
    else:
        if not (math.isfinite(quantum) and quantum > 0):
            raise SolverError(f"quantum must be finite and positive, got {quantum}")
        q = float(quantum)
        w = np.array([round(r.utility / q) for r in checked], dtype=np.int64)
    total = np.zeros(x.shape[0], dtype=np.int64)
    for rule, wr in zip(checked, w, strict=True):
        inside = np.ones(x.shape[0], dtype=np.bool_)
        for issue, lo, hi in rule.bounds:
            inside &= (x[:, issue] >= lo) & (x[:, issue] <= hi)
        total += np.where(inside, wr, 0)
    return dequantise(total, q) / scale1


# --------------------------------------------------------------------------------------------
# validation and quantisation


def _check_sizes(sizes: Sequence[int]) -> tuple[int, ...]:
    try:
        dims = tuple(operator.index(m) for m in sizes)
    except TypeError as err:
        raise SolverError(f"sizes must be integers, got {sizes!r}") from err
    if not dims:
        raise SolverError("sizes must describe at least one issue")
    for j, m in enumerate(dims):
        if m < 1:
            raise SolverError(f"issue {j} must have at least one value, got {m}")
    return dims


def _check_rules(
    dims: tuple[int, ...], rules: Sequence[HyperRectangle], party: int
) -> tuple[HyperRectangle, ...]:
    checked = tuple(rules)
    for k, rule in enumerate(checked):
        if not isinstance(rule, HyperRectangle):
            raise SolverError(f"party {party} rule {k} must be a HyperRectangle, got {rule!r}")
        for issue, _, hi in rule.bounds:
            if issue >= len(dims):
                raise SolverError(
                    f"party {party} rule {k}: issue index {issue} out of range "
                    f"(there are {len(dims)} issues)"
                )
            if hi >= dims[issue]:
                raise SolverError(
                    f"party {party} rule {k}: bound hi={hi} on issue {issue} must be below "
                    f"its number of values {dims[issue]}"
                )
    return checked


def _check_scales(scales: Sequence[float]) -> tuple[float, float]:
    if len(scales) != 2:
        raise SolverError(f"scales must hold one divisor per party (2), got {len(scales)}")
    s1, s2 = float(scales[0]), float(scales[1])
    for p, s in ((1, s1), (2, s2)):
        if not (math.isfinite(s) and s > 0):
            raise SolverError(f"scale of party {p} must be finite and positive, got {s}")
    return s1, s2


def _quantise(
    rules1: Sequence[HyperRectangle], rules2: Sequence[HyperRectangle]
) -> tuple[NDArray[np.int64], NDArray[np.int64], float]:
    """Rule utilities as int64 multiples of one quantum, by ``quantise_tables``.

    Each rule is one single-value "issue" of a table, so the quantum depends on the sum of the
    absolute rule utilities of each party, exactly as for additive tables; a zero pads the
    shorter party.
    """
    n = max(len(rules1), len(rules2), 1)
    t1 = [[r.utility] for r in rules1] + [[0.0]] * (n - len(rules1))
    t2 = [[r.utility] for r in rules2] + [[0.0]] * (n - len(rules2))
    q1, q2, quantum = quantise_tables((t1, t2))
    w1 = np.array([int(x[0]) for x in q1[: len(rules1)]], dtype=np.int64)
    w2 = np.array([int(x[0]) for x in q2[: len(rules2)]], dtype=np.int64)
    return w1, w2, quantum
