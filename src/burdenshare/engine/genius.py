"""The GENIUS-style agents (:mod:`burdenshare.negotiation.negotiators.bidding`) in the kernel.

A GENIUS-style agent's decisions depend on three things:

1. its *tables*: the outcome space it searches, its own utility of every outcome and which
   outcomes it may propose, its target's bounds ``Pmin`` and ``Pmax``, its fallback bid (its
   ideal outcome) and, for the ``belief`` and ``none`` opponent models, the model's fixed
   estimate. These depend only on the party's own parameters (and the opponent estimate it is
   given), so :func:`genius_tables` builds them once per *distinct* parameter set and epoch, with
   the agent's own Python code (a fresh clone started on the view ``run_session`` gives it), and
   the kernel looks them up per session;
2. the time (its deadline belief), read from the same per-belief rows as the time-dependent
   family's (``t ** (1 / e)``) plus the time itself (:func:`believed_times`) for the acceptance
   conditions;
3. the offers it has received: the frequency model's weights and counts
   (:func:`burdenshare.negotiation.opponent.frequency.frequency_estimate`, kept incrementally:
   :func:`freq_reset`, :func:`freq_observe`) and, for ``AC_combi``, the own utilities and times of
   the offers received (:func:`accepts`).

:func:`select` is :func:`~burdenshare.negotiation.negotiators.bidding.select_bid` over the ``ok``
outcomes sorted by own utility (built once with the tables): the outcomes at or above the
target are a suffix, the window a slice of it found by bisection, and the opponent model is
evaluated on that slice only, with the frequency model's arithmetic in its order
(:func:`~burdenshare.negotiation.opponent.frequency.frequency_utilities`). The choice (the
highest model utility, then the highest own utility, then the lowest index) does not depend on
the order the slice is read in, so it is the Python agent's exactly.

The ``bayesian`` opponent model is not compiled: its estimate is a sequence of BLAS products
(``pe[k] @ tables[k]``, ``pw @ levels``) whose summation order numba's own products do not
promise to repeat, so an agent with ``model=bayesian`` plays session by session
(:func:`genius_parameters` returns None).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numba
import numpy as np
import numpy.typing as npt

from burdenshare.negotiation import Negotiator, negotiation_state, party_view
from burdenshare.negotiation.negotiators.base import reservation_utility
from burdenshare.negotiation.negotiators.bidding import (
    GeniusBoulware,
    GeniusConceder,
    GeniusHardliner,
    GeniusLinear,
    GeniusTimeDependent,
    target_bounds,
)
from burdenshare.negotiation.state import believed_time
from burdenshare.scenario.scenario import Scenario

__all__ = [
    "ACCEPT_CODES",
    "GENIUS",
    "MODEL_CODES",
    "GeniusInputs",
    "GeniusTables",
    "accepts",
    "believed_times",
    "ceil_float",
    "freq_observe",
    "freq_reset",
    "genius_parameters",
    "genius_placeholder",
    "genius_session_bytes",
    "genius_tables",
    "needs_bid",
    "select",
    "target",
]

#: the kernel's strategy code for a GENIUS-style agent (after engine.strategies' codes)
GENIUS = 5
#: the opponent models the kernel plays (``bayesian`` plays session by session)
MODEL_CODES = {"none": 0, "belief": 1, "frequency": 2}
#: the acceptance conditions by code
ACCEPT_CODES = {"next": 0, "const": 1, "time": 2, "combi": 3}
#: :data:`burdenshare.negotiation.negotiators.base.TOL`
TOL = 1e-9
#: the frequency model's defaults (the agents build it with them)
LEARN_COEF, VALUE_ADDITION = 0.2, 1.0

#: the agents' classes (a subclass may change any decision: it plays session by session)
_CLASSES = (GeniusTimeDependent, GeniusBoulware, GeniusLinear, GeniusConceder, GeniusHardliner)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_jit = numba.njit(cache=True, inline="always", error_model="numpy")


def genius_parameters(neg: Negotiator) -> FloatArray | None:
    """``[e, k, model, accept, alpha, beta, c, T, window]`` of a GENIUS-style agent the kernel
    plays (codes :data:`MODEL_CODES`, :data:`ACCEPT_CODES`), or None."""
    if type(neg) not in _CLASSES:
        return None
    assert isinstance(neg, GeniusTimeDependent)
    neg.validate_params()
    if neg.model not in MODEL_CODES:
        return None
    return np.array(
        [
            float(neg.e),
            float(neg.k),
            float(MODEL_CODES[str(neg.model)]),
            float(ACCEPT_CODES[str(neg.accept)]),
            float(neg.alpha),
            float(neg.beta),
            float(neg.c),
            float(neg.T),
            float(neg.window),
        ]
    )


@dataclass(frozen=True)
class GeniusTables:
    """Every GENIUS-style party's tables (see the module docstring), ``C`` entries in all.

    ``entry[p, i]`` is party ``p``'s entry in session ``i``. Outcome arrays are flat over the
    entries (entry ``c`` holds positions ``off[c] .. off[c] + size[c] - 1``), per epoch where
    they depend on the party's dated parameters.
    """

    entry: IntArray  #: (P, N)
    off: IntArray  #: (C,)
    vals: FloatArray  #: (C, J, V): each issue's values (a category's index)
    nv: IntArray  #: (C, J): number of values
    stride: IntArray  #: (C, J): outcome g has value (g // stride) % nv on each issue
    vidx: IntArray  #: (G, J): that value's index, per outcome (off[c] + g)
    own: FloatArray  #: (E, G): own utility of every outcome
    sidx: IntArray  #: (E, G): the ok outcomes by own utility, ascending (first nok[c, e])
    sown: FloatArray  #: (E, G): their own utilities
    nok: IntArray  #: (C, E)
    best: IntArray  #: (C, E): the ok outcome of highest own utility (lowest index), or -1
    pmin: FloatArray  #: (C, E)
    pmax: FloatArray  #: (C, E)
    fbx: FloatArray  #: (C, E, J): the fallback bid (the ideal outcome)
    fbu: FloatArray  #: (C, E): its own utility
    opp0: FloatArray  #: (G,): the ``belief`` / ``none`` model's estimate
    cat: BoolArray  #: (J,): categorical issues

    def arrays(self) -> tuple[npt.NDArray[np.generic], ...]:
        """The arrays in the kernel's order (its ``gt`` argument)."""
        c = np.ascontiguousarray
        return (
            c(self.entry), c(self.off), c(self.vals), c(self.nv), c(self.vidx), c(self.own),
            c(self.sidx), c(self.sown), c(self.nok), c(self.best), c(self.pmin), c(self.pmax),
            c(self.fbx), c(self.fbu), c(self.opp0), c(self.cat),
        )  # fmt: skip


def _distinct(rows: FloatArray) -> tuple[IntArray, IntArray]:
    """``(one session per distinct row, each session's distinct row)``, bit for bit."""
    n = rows.shape[0]
    bits = np.ascontiguousarray(rows).view(np.int64).reshape(n, -1)
    if n == 0 or (bits == bits[0]).all():
        return np.zeros(min(n, 1), dtype=np.int64), np.zeros(n, dtype=np.int64)
    _, first, inverse = np.unique(bits, axis=0, return_index=True, return_inverse=True)
    return first.astype(np.int64), inverse.reshape(-1).astype(np.int64)


@dataclass
class _Entry:
    values: list[list[float]]
    own: list[FloatArray]
    ok: list[BoolArray]
    bounds: list[tuple[float, float]]
    fb_x: list[list[float]]
    fb_u: list[float]
    opp0: FloatArray


def _entry(
    scenario: Scenario,
    neg: GeniusTimeDependent,
    party: str,
    epoch_rounds: Sequence[int],
    overrides: Mapping[str, float],
) -> _Entry:
    """One parameter set's tables, by the agent's own code (``neg``, a clone it may start) on
    the states ``run_session`` gives."""
    fresh = neg  # a fresh clone (start resets every piece of session state)
    fresh.start(party_view(scenario, party, overrides=overrides), np.random.default_rng(0))
    space = fresh.space_
    values = [
        [float(j) for j in range(len(vals))]
        if issue.kind == "categorical"
        else [float(v) for v in vals]
        for issue, vals in zip(scenario.issues, space.values, strict=True)
    ]
    own, ok, bounds, fb_x, fb_u = [], [], [], [], []
    for k in epoch_rounds:
        state = negotiation_state(scenario, party, k, overrides=overrides)
        u, mask = fresh._own_table(state.params)
        own.append(u)
        ok.append(mask)
        bounds.append(target_bounds(u, reservation_utility(state.params)))
        best = state.params.utility.ideal_outcome()
        fb_x.append(
            [
                float((issue.values or ()).index(str(best[issue.id])))
                if issue.kind == "categorical"
                else float(best[issue.id])
                for issue in scenario.issues
            ]
        )
        fb_u.append(state.params.utility(best))
    opp0 = np.ones(space.size) if fresh.model == "frequency" else fresh.model_.utilities(space)
    return _Entry(values, own, ok, bounds, fb_x, fb_u, np.asarray(opp0, dtype=np.float64))


def genius_session_bytes(scenario: Scenario, negotiators: Sequence[Negotiator], epochs: int) -> int:
    """Bytes of the GENIUS-style parties' tables for one session whose parameters are its own
    (per outcome: own utility, sorted utility and position per epoch, the value indices and the
    model's estimate), the outcome space's size taken at central values."""
    total = 0
    for party, neg in zip(scenario.party_names, negotiators, strict=True):
        if genius_parameters(neg) is None:
            continue
        fresh = neg.clone()
        assert isinstance(fresh, GeniusTimeDependent)
        fresh.start(party_view(scenario, party), np.random.default_rng(0))
        total += fresh.space_.size * 8 * (3 * epochs + len(scenario.issues) + 1)
    return max(total, 1)


def genius_tables(
    scenario: Scenario,
    negotiators: Sequence[Negotiator],
    genius: Sequence[bool],
    keys: Sequence[Sequence[Sequence[FloatArray]]],
    draws: Mapping[str, FloatArray],
    epoch_rounds: Sequence[int],
    n: int,
) -> GeniusTables:
    """The :class:`GeniusTables` of the parties with ``genius[p]``, one entry per distinct
    ``keys[p]`` (every epoch's numbers the party's tables depend on, as for the Nash and
    Rubinstein solves); a placeholder entry for the other parties."""
    n_j, n_e = len(scenario.issues), len(epoch_rounds)
    entries: list[_Entry] = []
    entry = np.zeros((2, n), dtype=np.int64)
    for p, neg in enumerate(negotiators):
        if not genius[p]:
            continue
        assert isinstance(neg, GeniusTimeDependent)
        cols = [
            np.atleast_2d(a).T if a.ndim == 2 else a[:, None]
            for e in range(n_e)
            for a in keys[p][e]
        ]
        first, inverse = _distinct(np.column_stack(cols) if cols else np.zeros((n, 0)))
        base = len(entries)
        for i in first.tolist():
            overrides = {path: float(arr[i]) for path, arr in draws.items()}
            entries.append(_entry(scenario, neg, scenario.party_names[p], epoch_rounds, overrides))
        entry[p] = base + inverse
    if not entries:
        return genius_placeholder(n_j, n_e, n)[2]
    cat = np.array([i.kind == "categorical" for i in scenario.issues], dtype=np.bool_)
    return _pack(n_j, entries, entry, n_e, cat)


def _pack(
    n_j: int, entries: list[_Entry], entry: IntArray, n_e: int, cat: BoolArray | None = None
) -> GeniusTables:
    n_c = len(entries)
    nv = np.array([[len(v) for v in en.values] for en in entries], dtype=np.int64)
    size = np.prod(nv, axis=1)
    off = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64)
    total = int(size.sum())
    v_max = int(nv.max())
    vals = np.zeros((n_c, n_j, v_max))
    stride = np.ones((n_c, n_j), dtype=np.int64)
    vidx = np.zeros((total, n_j), dtype=np.int64)
    own = np.zeros((n_e, total))
    sidx = np.zeros((n_e, total), dtype=np.int64)
    sown = np.zeros((n_e, total))
    nok = np.zeros((n_c, n_e), dtype=np.int64)
    best = np.full((n_c, n_e), -1, dtype=np.int64)
    pmin = np.zeros((n_c, n_e))
    pmax = np.zeros((n_c, n_e))
    fbx = np.zeros((n_c, n_e, n_j))
    fbu = np.zeros((n_c, n_e))
    opp0 = np.zeros(total)
    for c, en in enumerate(entries):
        for j, v in enumerate(en.values):
            vals[c, j, : len(v)] = v
        for j in range(n_j - 2, -1, -1):
            stride[c, j] = stride[c, j + 1] * nv[c, j + 1]
        a, b = int(off[c]), int(off[c] + size[c])
        vidx[a:b] = (np.arange(size[c])[:, None] // stride[c]) % nv[c]
        opp0[a:b] = en.opp0
        for e in range(n_e):
            u, ok = en.own[e], en.ok[e]
            own[e, a:b] = u
            listed = np.flatnonzero(ok & (u == u))  # a NaN utility never reaches a target
            order = listed[np.argsort(u[listed], kind="stable")]
            nok[c, e] = order.shape[0]
            sidx[e, a : a + order.shape[0]] = order
            sown[e, a : a + order.shape[0]] = u[order]
            if ok.any():  # select_bid's rule when nothing reaches the target
                best[c, e] = int(np.argmax(np.where(ok, u, -np.inf)))
            pmin[c, e], pmax[c, e] = en.bounds[e]
            fbx[c, e] = en.fb_x[e]
            fbu[c, e] = en.fb_u[e]
    cat = np.zeros(n_j, dtype=np.bool_) if cat is None else cat
    return GeniusTables(
        entry,
        off,
        vals,
        nv,
        stride,
        vidx,
        own,
        sidx,
        sown,
        nok,
        best,
        pmin,
        pmax,
        fbx,
        fbu,
        opp0,
        cat,
    )


#: what the kernel needs for GENIUS-style parties: parameters (P, 9), believed times, tables
GeniusInputs = tuple[FloatArray, FloatArray, GeniusTables]


def genius_placeholder(n_issues: int, n_epochs: int, n: int = 0) -> GeniusInputs:
    """Inputs for a batch without GENIUS-style parties (the kernel never reads them)."""
    empty = _Entry(
        [[0.0] for _ in range(n_issues)], [np.zeros(1)] * n_epochs,
        [np.zeros(1, dtype=np.bool_)] * n_epochs, [(0.0, 0.0)] * n_epochs,
        [[0.0] * n_issues] * n_epochs, [0.0] * n_epochs, np.ones(1),
    )  # fmt: skip
    tables = _pack(n_issues, [empty], np.zeros((2, n), dtype=np.int64), n_epochs)
    return np.zeros((2, 9)), np.zeros((2, 1, 1)), tables


def believed_times(scenario: Scenario, belief_days: Sequence[npt.NDArray[np.int64]]) -> FloatArray:
    """``t_k`` (:func:`~burdenshare.negotiation.state.believed_time`, the agents'
    ``state.time``) per party, distinct deadline belief and round, ``(P, B, R)``, in the rows of
    the engine's ``t ** (1 / e)`` table (the distinct beliefs in increasing order)."""
    dates = scenario.protocol.round_dates()
    start = dates[0]
    rows = []
    for days in belief_days:
        rows.append(
            [
                [believed_time(d, start, start + dt.timedelta(days=int(b)), dates) for d in dates]
                for b in np.unique(days).tolist()
            ]
        )
    out = np.zeros((len(rows), max(len(r) for r in rows), len(dates)))
    for p, r in enumerate(rows):
        out[p, : len(r)] = r
    return out


# -- compiled decisions ---------------------------------------------------------------------------
@_jit
def ceil_float(v: float) -> float:
    """Python's ``float(math.ceil(v))`` for a finite ``v`` (numba's ``math.ceil`` gives an int64,
    which would overflow; every float of magnitude ``2**52`` or more is whole already)."""
    return float(math.ceil(v)) if abs(v) < 4.5e15 else v


@_jit
def target(tpow: float, e: float, k: float, p_min: float, p_max: float) -> float:
    """:func:`~burdenshare.negotiation.negotiators.bidding.genius_target` with
    ``tpow = min(max(t, 0), 1) ** (1 / e)`` precomputed."""
    f = k if e == 0 else k + (1.0 - k) * tpow
    return p_min + (p_max - p_min) * (1.0 - f)


@_jit
def _opp(
    p: int,
    c: int,
    g: int,
    model: int,
    base: int,
    opp0: FloatArray,
    vidx: IntArray,
    fw: FloatArray,
    fc: FloatArray,
    fm: FloatArray,
) -> float:
    """The opponent model's utility of outcome ``g`` of entry ``c`` (party ``p``'s model)."""
    if model != 2:
        return float(opp0[base + g])
    out = 0.0
    for j in range(vidx.shape[1]):
        out = out + fw[p, j] * fc[p, j, vidx[base + g, j]] / fm[p, j]
    return out


@_jit
def _first_at_least(arr: FloatArray, e: int, base: int, n: int, thr: float, h: int) -> int:
    """The first ``q`` in ``[0, n)`` with ``arr[e, base + q] >= thr`` (``n`` if none), ``arr``
    ascending there: a galloping search from the hint ``h`` (the last answer: a target moves
    little from one round to the next), then bisection."""
    h = min(max(h, 0), n - 1)
    if arr[e, base + h] >= thr:  # the answer is in [lo, h]
        hi = h
        step = 1
        lo = h - 1
        while lo >= 0 and arr[e, base + lo] >= thr:
            hi = lo
            step *= 2
            lo = hi - step
        lo = lo + 1 if lo >= 0 else 0
    else:  # the answer is in [h + 1, hi]
        lo = h + 1
        step = 1
        hi = h + step
        while hi < n and arr[e, base + hi] < thr:
            lo = hi + 1
            step *= 2
            hi = h + step
        hi = min(hi, n)
    while lo < hi:
        mid = (lo + hi) // 2
        if arr[e, base + mid] >= thr:
            hi = mid
        else:
            lo = mid + 1
    return lo


@_jit
def select(
    p: int,
    c: int,
    e: int,
    goal: float,
    window: float,
    model: int,
    off: IntArray,
    sidx: IntArray,
    sown: FloatArray,
    nok: IntArray,
    best: IntArray,
    opp0: FloatArray,
    vidx: IntArray,
    fw: FloatArray,
    fc: FloatArray,
    fm: FloatArray,
    hint: IntArray,
) -> int:
    """:func:`~burdenshare.negotiation.negotiators.bidding.select_bid` (see the module);
    ``hint[p]`` is where the last search for party ``p`` ended."""
    n_ok = nok[c, e]
    if n_ok == 0:
        return -1
    base = off[c]
    a = _first_at_least(sown, e, base, n_ok, goal - TOL, hint[p])  # the first at the target
    hint[p] = a
    if a == n_ok:
        return int(best[c, e])
    top = np.inf
    if math.isfinite(window):
        lowest = sown[e, base + a]
        m = ceil_float((lowest - goal - TOL) / window)
        m = m if m > 1.0 else 1.0  # max(1.0, m)
        top = goal + m * window + TOL
    pick = -1
    pick_opp = 0.0
    pick_own = 0.0
    for q in range(a, n_ok):  # the window: up to the first outcome worth more than its top
        u = sown[e, base + q]
        if u > top:
            break
        g = sidx[e, base + q]
        o = _opp(p, c, g, model, base, opp0, vidx, fw, fc, fm)
        if (
            pick < 0
            or o > pick_opp
            or (o == pick_opp and (u > pick_own or (u == pick_own and g < pick)))
        ):
            pick, pick_opp, pick_own = g, o, u
    return int(pick)


@_jit
def freq_reset(p: int, c: int, nv: IntArray, fw: FloatArray, fc: FloatArray, fm: FloatArray,
               fn: IntArray) -> None:  # fmt: skip
    """Step 1 of the frequency model: weights ``1/n``, every value's count 1."""
    n = nv.shape[1]
    for j in range(n):
        fw[p, j] = 1.0 / n
        for v in range(fc.shape[2]):
            fc[p, j, v] = 1.0 if v < nv[c, j] else 0.0
        fm[p, j] = 1.0
    fn[p] = 0


@_jit
def _locate(xj: float, c: int, j: int, cat: BoolArray, vals: FloatArray, nv: IntArray) -> int:
    """:meth:`~burdenshare.negotiation.outcome_space.OutcomeSpace.locate` on one issue: the
    category, or the nearest value (the lower one on a tie)."""
    if cat[j]:
        return int(xj)
    m = nv[c, j]
    a, b = 0, m
    while a < b:  # np.searchsorted(axis, x), side "left"
        mid = (a + b) // 2
        if vals[c, j, mid] < xj:
            a = mid + 1
        else:
            b = mid
    if a >= m:
        return int(m - 1)
    if a > 0 and (xj - vals[c, j, a - 1]) <= (vals[c, j, a] - xj):
        return int(a - 1)
    return int(a)


@_jit
def freq_observe(
    p: int,
    c: int,
    x: FloatArray,
    cat: BoolArray,
    vals: FloatArray,
    nv: IntArray,
    fw: FloatArray,
    fc: FloatArray,
    fm: FloatArray,
    fn: IntArray,
    prev: IntArray,
) -> None:
    """Steps 2-3 of the frequency model for one more offer ``x`` received by party ``p``
    (:func:`~burdenshare.negotiation.opponent.frequency.frequency_estimate`, one row at a time:
    the same operations in the same order; ``prev[p]`` holds the previous row, ``fn[p]`` the
    number of offers seen)."""
    n = nv.shape[1]
    same = 0
    for j in range(n):  # the offer's row; prev[p, j] becomes -1 - old where unchanged
        if fn[p] >= 1 and vals[c, j, prev[p, j]] == x[j]:  # the same value (values are distinct)
            v = prev[p, j]
        else:
            v = _locate(x[j], c, j, cat, vals, nv)
        if fn[p] >= 1 and v == prev[p, j]:
            same += 1
            prev[p, j] = -1 - v
        else:
            prev[p, j] = v
    if fn[p] >= 1:
        golden = LEARN_COEF / n
        total = 1.0 + golden * float(same)
        w_max = 1.0 - n * golden / total
        for j in range(n):
            v = prev[p, j]
            if v < 0:
                v = -1 - v
                prev[p, j] = v
                if fw[p, j] < w_max:
                    fw[p, j] = (fw[p, j] + golden) / total
                else:
                    fw[p, j] = fw[p, j] / total
            else:
                fw[p, j] = fw[p, j] / total
            fc[p, j, v] += VALUE_ADDITION
            if fc[p, j, v] > fm[p, j]:
                fm[p, j] = fc[p, j, v]
    fn[p] += 1


@_jit
def accepts(
    rule: int,
    u: float,
    u_next: float,
    t: float,
    alpha: float,
    beta: float,
    c: float,
    big_t: float,
    rec_u: FloatArray,
    rec_t: FloatArray,
    n_rec: int,
) -> bool:
    """The acceptance condition (:mod:`burdenshare.negotiation.acceptance`) of an admissible
    offer worth ``u``; ``rec_u[:n_rec]`` and ``rec_t[:n_rec]`` the offers received so far (this
    one included) for ``AC_combi``."""
    if rule == 0:
        return alpha * u + beta >= u_next
    if rule == 1:
        return u >= c
    if rule == 2:
        return t >= big_t
    if 1.0 * u + 0.0 >= u_next:  # ac_next(u, u_next) with its defaults
        return True
    if not t >= big_t:
        return False
    low = t - (1.0 - t)
    top = 0.0
    found = False
    for r in range(n_rec):
        if rec_t[r] >= low and rec_t[r] <= t and (not found or rec_u[r] > top):
            top = rec_u[r]
            found = True
    return u >= top


@_jit
def needs_bid(
    rule: int, u: float, alpha: float, beta: float, goal: float, c: int, e: int, off: IntArray,
    sown: FloatArray, nok: IntArray,
) -> bool:  # fmt: skip
    """Whether the acceptance condition ``rule`` needs the bid the agent would make now
    (``u_next``) to judge an offer worth ``u`` against the target ``goal``.

    ``const`` and ``time`` never do. When some ok outcome reaches the target the bid is one of
    them, so ``u_next >= goal - TOL``: an offer with ``alpha u + beta < goal - TOL`` fails
    ``AC_next`` (and ``AC_combi``'s first part, with ``alpha = 1, beta = 0``) whichever bid that
    is, and the search can be skipped (it changes nothing else; ``u_next = inf`` then)."""
    if rule == 1 or rule == 2:
        return False
    if rule == 3:
        alpha, beta = 1.0, 0.0
    thr = goal - TOL
    n_ok = nok[c, e]
    return not (n_ok > 0 and sown[e, off[c] + n_ok - 1] >= thr and not alpha * u + beta >= thr)
