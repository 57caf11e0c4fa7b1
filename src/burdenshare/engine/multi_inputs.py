"""The N-party engine's inputs: every party's parameters per epoch and session, as arrays.

:func:`multi_inputs` resolves what :mod:`burdenshare.engine.multi_kernel` reads, for ``P >= 2``
parties in listing order, with the same rules as the bilateral kernel's inputs
(:func:`burdenshare.engine.batch.run_batch`): each party's parameters on the first date of each
*epoch* (the rounds between two dated events with effects) by
:func:`~burdenshare.engine.params.batch_party`, its minimum acceptable utility ``u_min`` (the
outside option, or the utility of the ratification threshold it believes if that is higher,
:func:`~burdenshare.negotiation.negotiators.base.reservation_utility`), its floors for the
water-filling of a proposal (:func:`~burdenshare.engine.kernel.prepare_floors`); and, for the
single negotiating text, the mediator's public directions (the rules in
:mod:`burdenshare.engine.multi_text`). The N-party path plays linear utilities only
(:func:`multi_unplayable` says why not otherwise; such batches play session by session).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from burdenshare.engine.kernel import prepare_floors, utilities_of
from burdenshare.engine.params import BatchParty, batch_party
from burdenshare.engine.strategies import HARDLINER, TIME_DEPENDENT
from burdenshare.engine.tables import LINEAR
from burdenshare.preferences import party_parameters
from burdenshare.preferences.issue_utility import NumericUtility
from burdenshare.scenario.scenario import Scenario

__all__ = ["MultiInputs", "mediator_directions", "multi_inputs", "multi_unplayable", "round_epochs"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class MultiInputs:
    """The arrays of :func:`burdenshare.engine.multi_kernel.run_multi_kernel` (``P`` parties in
    listing order, ``E`` epochs, ``J`` issues, ``N`` sessions, ``R`` rounds)."""

    ideal: FloatArray  #: (P, E, J, N)
    res: FloatArray  #: (P, E, J, N)
    w: FloatArray  #: (P, E, J, N)
    floor: FloatArray  #: (P, E, J, N): each issue's least utility (the water-filling's floors)
    fmax: FloatArray  #: (P, E, N): the highest of a party's floors
    umin: FloatArray  #: (P, E, N): u_min
    thr_u: FloatArray  #: (P, E, N): the ratifier's threshold as a utility (NaN: no ratifier)
    thr_b: FloatArray  #: (P, E, N): the threshold the party's negotiator believes
    outside: FloatArray  #: (P, E, N)
    disc: FloatArray  #: (P, E, N)
    rat_issue: IntArray  #: (P,): the ratified issue, or -1
    epoch: IntArray  #: (R,): each round's epoch
    integer: BoolArray  #: (J,)
    lo: FloatArray  #: (J,)
    hi: FloatArray  #: (J,)
    order: IntArray  #: (P,): the parties in turn order (the first mover first)
    needed: int  #: how many must accept (``Protocol.needed``)
    unanimity: bool
    single_text: bool
    step: float  #: the mediator's step (``Protocol.mediator_step``)
    text0: FloatArray  #: (J,): the mediator's first text
    sw: FloatArray  #: (E, P, J): the mediator's direction per party and issue (``s_ij w_ij``)


def multi_unplayable(scenario: Scenario, strategies: Sequence[int]) -> str | None:
    """None if the N-party path plays these strategies on this scenario, else why not: it
    plays the time-dependent family and the hardliner on linear utilities (numeric issues
    with ranges, no piecewise points)."""
    for code in strategies:
        if code not in (TIME_DEPENDENT, HARDLINER):
            return "the N-party engine plays the time-dependent family and the hardliner only"
    for issue in scenario.issues:
        if issue.kind == "categorical":
            return f"issue {issue.id!r} is categorical"
        if issue.range is None:
            return f"issue {issue.id!r} has no range"
    for name, party in scenario.parties.items():
        for iid, u in party.utility.items():
            if u.points:
                return f"{name}'s utility on {iid!r} is piecewise-linear"
    return None


def round_epochs(scenario: Scenario) -> tuple[IntArray, list[dt.date]]:
    """Each round's epoch (the events with effects dated on or before it, counted among the
    dates that occur, numbered from 0) and each epoch's first round date."""
    dates = scenario.protocol.round_dates()
    event_dates = sorted({ev.date for ev in scenario.protocol.events if ev.has_effects})
    epoch_of = [sum(d >= e for e in event_dates) for d in dates]
    remap = {e: k for k, e in enumerate(sorted(set(epoch_of)))}
    epoch = np.array([remap[e] for e in epoch_of], dtype=np.int64)
    firsts: dict[int, dt.date] = {}
    for k, e in enumerate(epoch.tolist()):
        firsts.setdefault(e, dates[k])
    return epoch, [firsts[e] for e in range(len(remap))]


def _utility(bp: BatchParty, j: int, xs: FloatArray) -> FloatArray:
    """The party's utility of ``xs[i]`` on linear issue ``j`` in session ``i``."""
    empty = np.empty(0)
    return utilities_of(LINEAR, np.asarray(xs, dtype=np.float64), bp.ideal[j], bp.reservation[j],
                        empty, empty, 0, empty)  # fmt: skip


def mediator_directions(scenario: Scenario, dates: Sequence[dt.date]) -> FloatArray:
    """``s_ij w_ij`` per epoch, party and issue ``(E, P, J)``: each party's central parameters on
    the epoch's first date (``party_parameters`` without overrides: public information only),
    ``s_ij = +1`` if its ideal on issue ``j`` lies above its reservation, else ``-1``, ``w_ij``
    its weight."""
    names = scenario.party_names
    out = np.zeros((len(dates), len(names), len(scenario.issues)))
    for e, d in enumerate(dates):
        for i, name in enumerate(names):
            u = party_parameters(scenario, name, on=d).utility
            for j, (part, weight) in enumerate(zip(u.parts, u.weights, strict=True)):
                if isinstance(part, NumericUtility):
                    s = 1.0 if part.ideal > part.reservation else -1.0
                    out[e, i, j] = s * weight
    return out


def multi_inputs(scenario: Scenario, draws: Mapping[str, FloatArray], m: int) -> MultiInputs:
    """The N-party path's inputs for ``m`` sessions with ``draws`` (linear utilities only: see
    :func:`multi_unplayable`)."""
    names = scenario.party_names
    proto = scenario.protocol
    epoch, firsts = round_epochs(scenario)
    parties = [[batch_party(scenario, p, draws, m, d) for d in firsts] for p in names]
    n_p, n_e = len(names), len(firsts)
    thr_u = np.full((n_p, n_e, m), np.nan)
    thr_b = np.full((n_p, n_e, m), np.nan)
    umin = np.empty((n_p, n_e, m))
    for p, ps in enumerate(parties):
        for e, bp in enumerate(ps):
            u = bp.outside.copy()
            j = bp.rat_issue
            if j >= 0:
                thr_u[p, e] = _utility(bp, j, bp.threshold)
                thr_b[p, e] = _utility(bp, j, bp.belief)
                u = np.where(thr_b[p, e] > u, thr_b[p, e], u)  # Python's max(u, thr)
            umin[p, e] = u

    def stack(field: str) -> FloatArray:
        return np.stack([np.stack([getattr(bp, field) for bp in ps]) for ps in parties])

    ideal, res = stack("ideal"), stack("reservation")
    rat_issue = np.array([ps[0].rat_issue for ps in parties], dtype=np.int64)
    integer = np.array([i.kind == "integer" for i in scenario.issues], dtype=np.bool_)
    lo = np.array([i.range[0] for i in scenario.issues if i.range], dtype=np.float64)
    hi = np.array([i.range[1] for i in scenario.issues if i.range], dtype=np.float64)
    n_j = len(scenario.issues)
    kind = np.full((n_p, n_j), LINEAR, dtype=np.int64)
    none = np.zeros((n_p, n_j, 1))
    floor, fmax = prepare_floors(kind, ideal, res, lo, hi, none, none,
                                 np.zeros((n_p, n_j), dtype=np.int64),
                                 np.zeros((n_p, n_e, n_j, 1)), rat_issue, thr_b)  # fmt: skip
    f = names.index(proto.first_mover)
    text0 = np.array(
        [
            float(math.floor((a + b) / 2)) if i.kind == "integer" else (a + b) / 2
            for i, a, b in zip(scenario.issues, lo.tolist(), hi.tolist(), strict=True)
        ]
    )
    return MultiInputs(
        ideal=ideal,
        res=res,
        w=stack("weight"),
        floor=floor,
        fmax=fmax,
        umin=umin,
        thr_u=thr_u,
        thr_b=thr_b,
        outside=stack("outside"),
        disc=stack("discount"),
        rat_issue=rat_issue,
        epoch=epoch,
        integer=integer,
        lo=lo,
        hi=hi,
        order=np.array([(f + r) % n_p for r in range(n_p)], dtype=np.int64),
        needed=proto.needed(n_p),
        unanimity=proto.decision_rule == "unanimity",
        single_text=proto.kind == "single_text",
        step=float(proto.mediator_step),
        text0=text0,
        sw=mediator_directions(scenario, firsts) if proto.kind == "single_text" else
        np.zeros((n_e, n_p, n_j)),
    )  # fmt: skip
