"""The Rubinstein player: plays its stationary subgame-perfect equilibrium strategy.

Rubinstein (1982), "Perfect equilibrium in a bargaining model", *Econometrica* 50:97-109. With
what it is told of the opponent (``state.opponent_estimate``; with none, the uninformed estimate
of :func:`~burdenshare.negotiation.prior.uninformed_estimate`), the negotiator builds the Pareto
frontier of the shared candidate grid (:mod:`~burdenshare.negotiation.negotiators.candidates`)
restricted to outcomes admissible to both, interpolated linearly between frontier points:
``g(v)``, its best utility when the opponent gets ``v``, and ``h(u)``, the opponent's best when it
gets ``u``. The
stationary proposals ``x`` (its own) and ``y`` (the opponent's) leave each responder indifferent::

    U_opp(x) - d_opp = delta_opp (U_opp(y) - d_opp),     U_me(y) - d_me = delta_me (U_me(x) - d_me)

(``d`` outside options, ``delta`` per-round discounts; both utilities are kept inside the
frontier's range). Algorithm: ``v = U_opp(x)`` solves ``phi(v) = v`` with
``phi(v) = d_opp + delta_opp (h(d_me + delta_me (g(v) - d_me)) - d_opp)``, a non-decreasing map of
the frontier's range into itself; 200 bisection steps find its smallest fixed point. The
proposal is the outcome at ``v`` on the frontier: the convex combination of the two neighbouring
frontier candidates when they differ only on continuous issues, else the neighbour better for
the opponent.

It proposes ``x`` every round and accepts an admissible offer iff
``U(offer) >= d_me + delta_me (U_me(x) - d_me) - TOL`` (its continuation value). On one linear
issue with zero outside options its first offer gives it ``(1 - delta_opp) / (1 - delta_me
delta_opp)`` of the utility range of the zone of agreement. If no candidate is admissible to
both, it behaves like a hardliner.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

import numpy as np

from burdenshare.negotiation.negotiators.base import TOL, Negotiator
from burdenshare.negotiation.negotiators.candidates import (
    CandidateGrid,
    FloatArray,
    admissible_mask,
    candidate_grid,
)
from burdenshare.negotiation.prior import uninformed_estimate
from burdenshare.negotiation.state import NegotiationState, PartyView, Response
from burdenshare.preferences import Outcome, PartyParameters

__all__ = ["RubinsteinPlayer", "stationary_split"]

_BISECTION_STEPS = 200


def stationary_split(
    frontier_opp: FloatArray,
    frontier_me: FloatArray,
    *,
    delta_me: float,
    delta_opp: float,
    d_me: float = 0.0,
    d_opp: float = 0.0,
) -> float:
    """The opponent's utility ``v`` in the proposer's stationary SPE offer.

    ``frontier_opp`` must be strictly increasing and ``frontier_me`` strictly decreasing (a
    Pareto frontier, interpolated linearly).

    >>> pie = np.linspace(0.0, 1.0, 11)
    >>> v = stationary_split(pie, 1.0 - pie, delta_me=0.9, delta_opp=0.8)
    >>> round(1.0 - v, 6)  # (1 - 0.8) / (1 - 0.9 * 0.8)
    0.714286
    """
    v_lo, v_hi = float(frontier_opp[0]), float(frontier_opp[-1])
    u_lo, u_hi = float(frontier_me[-1]), float(frontier_me[0])
    me_up, opp_up = frontier_me[::-1], frontier_opp[::-1]

    def phi(v: float) -> float:
        u_x = float(np.interp(v, frontier_opp, frontier_me))
        u_y = min(max(d_me + delta_me * (u_x - d_me), u_lo), u_hi)
        v_y = float(np.interp(u_y, me_up, opp_up))
        return min(max(d_opp + delta_opp * (v_y - d_opp), v_lo), v_hi)

    lo, hi = v_lo, v_hi
    for _ in range(_BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        if phi(mid) > mid:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 0.0:
            break
    return hi if phi(lo) > lo else lo


class RubinsteinPlayer(Negotiator):
    """Plays its stationary SPE proposal and continuation value; see the module docstring."""

    name: ClassVar[str] = "rubinstein"
    traits: ClassVar[Mapping[str, object]] = MappingProxyType(
        {
            "family": "bargaining-solution",
            "stochastic": False,
            "uses_opponent_model": True,
            "concedes": False,
        }
    )

    def __init__(self) -> None:
        pass

    def start(self, view: PartyView, rng: np.random.Generator) -> None:
        super().start(view, rng)
        self._proposals: dict[tuple[PartyParameters, PartyParameters | None], Outcome | None] = {}

    def proposal(self, state: NegotiationState) -> Outcome | None:
        """Its SPE proposal in ``state`` (None if no candidate suits both)."""
        key = (state.params, state.opponent_estimate)
        if key not in self._proposals:
            opp = state.opponent_estimate
            if opp is None:
                opp = uninformed_estimate(state.params, self.view_.issues, self.opponent_name())
            self._proposals[key] = self._solve(state.params, opp)
        return self._proposals[key]

    def _solve(self, me: PartyParameters, opp: PartyParameters) -> Outcome | None:
        grid = candidate_grid(self.view_.issues, me.utility, opp.utility)
        ok = admissible_mask(grid, me) & admissible_mask(grid, opp)
        if not ok.any():
            return None
        idx = np.flatnonzero(ok)
        um, uo = grid.utilities(me.utility)[idx], grid.utilities(opp.utility)[idx]
        # Pareto frontier: scan from the opponent's best down, keep strict improvements for me
        order = np.lexsort((um, uo))[::-1]
        best_before = np.concatenate(([-np.inf], np.maximum.accumulate(um[order])[:-1]))
        front = order[um[order] > best_before][::-1]  # opponent's utility increasing
        fo, fm = uo[front], um[front]
        v = stationary_split(
            fo,
            fm,
            delta_me=me.discount,
            delta_opp=opp.discount,
            d_me=me.outside_option,
            d_opp=opp.outside_option,
        )
        return _realise(grid, idx[front], fo, v)

    def propose(self, state: NegotiationState) -> Outcome:
        x = self.proposal(state)
        return state.params.utility.ideal_outcome() if x is None else dict(x)

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        if not self.admissible(state.params, offer):
            return Response.REJECT
        me, x = state.params, self.proposal(state)
        if x is None:
            floor = 1.0
        else:
            floor = me.outside_option + me.discount * (me.utility(x) - me.outside_option)
        return Response.ACCEPT if me.utility(offer) >= floor - TOL else Response.REJECT


def _realise(grid: CandidateGrid, cand: np.ndarray, fo: FloatArray, v: float) -> Outcome:
    """The outcome giving the opponent ``v`` on the interpolated frontier."""
    i = int(np.searchsorted(fo, v, side="left"))
    if i >= len(fo):
        return grid.outcome(int(cand[-1]))
    b = grid.outcome(int(cand[i]))
    if i == 0 or fo[i] == v:
        return b
    a = grid.outcome(int(cand[i - 1]))
    continuous = {issue.id for issue in grid.issues if issue.kind == "continuous"}
    if any(a[k] != b[k] for k in a if k not in continuous):
        return b
    lam = (v - float(fo[i - 1])) / (float(fo[i]) - float(fo[i - 1]))
    out: Outcome = {}
    for k in a:
        if k in continuous:
            xa, xb = float(a[k]), float(b[k])
            out[k] = min(max(xa + lam * (xb - xa), min(xa, xb)), max(xa, xb))
        else:
            out[k] = a[k]
    return out
