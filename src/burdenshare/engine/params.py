"""Vectorised party parameters: :func:`burdenshare.preferences.party_parameters` for N sessions.

The engine needs, for every session, each party's ideal, reservation and weight per issue, its
discount, outside option and ratification threshold, on every *epoch* (the stretch of rounds
between two dated events). This module resolves them from sampled draws (``{field path: array}``)
with the same rules as ``party_parameters``: a drawn value if there is one, else the central
value; a missing reservation is the far end of the issue's range; an event's effects apply from
its date on. :func:`batch_belief_days` resolves each party's deadline belief per session, as
:func:`burdenshare.negotiation.protocol.deadline_belief` does for one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from burdenshare.errors import SimulationError
from burdenshare.negotiation.protocol import belief_key, deadline_belief
from burdenshare.preferences.build import require_issue_utilities
from burdenshare.scenario.distributions import Distribution, central
from burdenshare.scenario.events import batch_codes, worlds
from burdenshare.scenario.model import MAX_BELIEF_DAYS, EventEffects
from burdenshare.scenario.scenario import Scenario

__all__ = ["BatchParty", "batch_belief_days", "batch_party", "vectorisable"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class BatchParty:
    """One party's parameters for N sessions on one date (arrays ``(J, N)`` or ``(N,)``)."""

    #: NaN on a categorical issue
    ideal: FloatArray
    reservation: FloatArray
    weight: FloatArray
    discount: FloatArray
    outside: FloatArray
    #: the ratification threshold (NaN when the party has no ratifier)
    threshold: FloatArray
    #: what the party's negotiator believes the threshold is (NaN without a ratifier)
    belief: FloatArray
    #: index of the ratified issue, or -1
    rat_issue: int


def vectorisable(scenario: Scenario) -> str | None:
    """None if the engine's kernel can run the scenario, else the reason it cannot."""
    for issue in scenario.issues:
        if issue.kind == "categorical":
            return f"issue {issue.id!r} is categorical"
    for name, party in scenario.parties.items():
        for iid, u in party.utility.items():
            if u.points:
                return f"{name}'s utility on {iid!r} is piecewise-linear"
    return None


def _value(
    v: float | Distribution | str | None, path: str, draws: Mapping[str, FloatArray], n: int
) -> FloatArray:
    if path in draws:
        arr = np.asarray(draws[path], dtype=np.float64)
        if arr.shape != (n,):
            raise SimulationError(f"draws for {path} have shape {arr.shape}, expected ({n},)")
        return arr
    if v is None or isinstance(v, str):
        raise SimulationError(f"{path} is not numeric")
    return np.full(n, central(v), dtype=np.float64)


#: where a parameter's value comes from: the scenario's value (a number, a distribution, a
#: category, or None for "the far end of the range") and its field path
_Source = tuple[float | Distribution | str | None, str]


@dataclass
class _Layers:
    """A parameter's sources in date order: the last one every session shares (``base``), then
    the sources of uncertain events' worlds, each applying in the sessions of its ``mask``."""

    base: _Source
    masked: list[tuple[_Source, npt.NDArray[np.bool_]]]

    def set(self, source: _Source, mask: npt.NDArray[np.bool_] | None) -> None:
        if mask is None:  # every session: what came before no longer matters
            self.base, self.masked = source, []
        else:
            self.masked.append((source, mask))

    def resolve(self, value: Callable[[_Source], FloatArray]) -> FloatArray:
        out = value(self.base)
        for source, mask in self.masked:
            out = np.where(mask, value(source), out)
        return out


def _event_layers(
    scenario: Scenario, party: str, draws: Mapping[str, FloatArray], n: int, on: dt.date
) -> Iterator[tuple[EventEffects, str, npt.NDArray[np.bool_] | None]]:
    """The effects on ``party`` of the events dated on or before ``on``, in date order: each
    with its field path and the sessions it applies in (None: all of them)."""
    for k, ev in enumerate(scenario.protocol.events):
        if ev.party != party or not ev.has_effects or ev.date > on:
            continue
        codes = batch_codes(ev, k, draws, n)
        for world in worlds(ev, k):
            if world.effects is None:
                continue
            if isinstance(codes, int):
                if codes == world.code:
                    yield world.effects, world.path, None
            else:
                yield world.effects, world.path, codes == world.code


def _far_end(ideal: FloatArray, lo: float, hi: float, prefers: str | None, n: int) -> FloatArray:
    """A missing reservation: the end of the range away from the ideal (or from ``prefers``)."""
    higher = (ideal - lo >= hi - ideal) if prefers is None else np.full(n, prefers == "higher")
    return np.where(higher, lo, hi).astype(np.float64)


def batch_party(
    scenario: Scenario, party: str, draws: Mapping[str, FloatArray], n: int, on: dt.date
) -> BatchParty:
    """Resolve ``party``'s parameters on date ``on`` for ``n`` sessions.

    An uncertain event applies, in each session, the effects of the world drawn for it (the
    codes at its selector path, :mod:`burdenshare.scenario.events`), else of its most probable
    world, exactly as :func:`~burdenshare.preferences.party_parameters` does for one session.
    """
    require_issue_utilities(scenario, party)
    spec = scenario.parties[party]
    base = f"parties.{party}"
    reservations = {
        iid: _Layers((u.reservation, f"{base}.utility.{iid}.reservation"), [])
        for iid, u in spec.utility.items()
    }
    ideals = {
        iid: _Layers((u.ideal, f"{base}.utility.{iid}.ideal"), [])
        for iid, u in spec.utility.items()
    }
    discount = _Layers((spec.discount_per_round, f"{base}.discount_per_round"), [])
    outside = _Layers((spec.outside_option, f"{base}.outside_option"), [])
    rat = spec.ratification
    threshold = _Layers(
        (rat.approval_threshold if rat else None, f"{base}.ratification.approval_threshold"), []
    )
    for eff, epath, mask in _event_layers(scenario, party, draws, n, on):
        for iid, x in (eff.ideal or {}).items():
            ideals[iid].set((x, f"{epath}.ideal.{iid}"), mask)
        for iid, v in (eff.reservation or {}).items():
            reservations[iid].set((v, f"{epath}.reservation.{iid}"), mask)
        if eff.discount_per_round is not None:
            discount.set((eff.discount_per_round, f"{epath}.discount_per_round"), mask)
        if eff.outside_option is not None:
            outside.set((eff.outside_option, f"{epath}.outside_option"), mask)
        if eff.approval_threshold is not None:
            threshold.set((eff.approval_threshold, f"{epath}.approval_threshold"), mask)

    def value(source: _Source) -> FloatArray:
        return _value(source[0], source[1], draws, n)

    ideals_out, ress, weights = [], [], []
    for issue in scenario.issues:
        u = spec.utility[issue.id]
        weights.append(_value(u.weight, f"{base}.utility.{issue.id}.weight", draws, n))
        if issue.kind == "categorical":  # scored by category (engine.tables), not by numbers
            ideals_out.append(np.full(n, np.nan))
            ress.append(np.full(n, np.nan))
            continue
        assert issue.range is not None
        lo, hi = issue.range
        ideal = ideals[issue.id].resolve(value)

        far = _far_end(ideal, lo, hi, u.prefers, n)

        def reservation(source: _Source, far: FloatArray = far) -> FloatArray:
            return far if source[0] is None else value(source)

        res_v = reservations[issue.id].resolve(reservation)
        for what, arr in (("ideal", ideal), ("reservation", res_v)):
            if np.any((arr < lo) | (arr > hi)):
                raise SimulationError(
                    f"draws put {party}'s {what} on {issue.id!r} outside the issue's range "
                    f"[{lo:g}, {hi:g}] (e.g. {arr[(arr < lo) | (arr > hi)][0]:g}); truncate its "
                    "distribution to the range"
                )
        if np.any(ideal == res_v):
            raise SimulationError(
                f"draws make {party}'s ideal equal its reservation on {issue.id!r}"
            )
        ideals_out.append(ideal)
        ress.append(res_v)
    has_threshold = rat is not None and threshold.base[0] is not None
    thr = threshold.resolve(value) if has_threshold else np.full(n, np.nan)
    belief = thr
    if has_threshold and rat is not None and rat.belief is not None:
        if rat.belief == "central":  # the central value of the threshold in force

            def central_of(source: _Source) -> FloatArray:
                v = source[0]
                if v is None or isinstance(v, str):
                    return value(source)
                return np.full(n, central(v))

            belief = threshold.resolve(central_of)
        else:
            belief = _value(rat.belief, f"{base}.ratification.belief", draws, n)
    rat_issue = scenario.issue_ids.index(rat.issue or scenario.issues[0].id) if rat else -1
    if rat is not None and not has_threshold:
        rat_issue = -1
    return BatchParty(
        ideal=np.stack(ideals_out),
        reservation=np.stack(ress),
        weight=np.stack(weights),
        discount=discount.resolve(value),
        outside=outside.resolve(value),
        threshold=thr,
        belief=belief,
        rat_issue=rat_issue,
    )


def batch_belief_days(
    scenario: Scenario, party: str, draws: Mapping[str, FloatArray], n: int
) -> npt.NDArray[np.int64]:
    """``party``'s deadline belief in each of ``n`` sessions, in whole days after the start.

    A drawn belief (days after ``protocol.start``) is rounded to the nearest day, halves to
    even (``numpy.rint``, as Python's ``round`` in
    :func:`~burdenshare.negotiation.protocol.belief_days`); without a draw every session has
    :func:`~burdenshare.negotiation.protocol.deadline_belief`.
    """
    key = belief_key(party)
    if key not in draws:
        days = (deadline_belief(scenario, party) - scenario.protocol.start).days
        return np.full(n, days, dtype=np.int64)
    arr = np.asarray(draws[key], dtype=np.float64)
    if arr.shape != (n,):
        raise SimulationError(f"draws for {key} have shape {arr.shape}, expected ({n},)")
    bad = ~(np.isfinite(arr) & (arr >= 0.0) & (arr <= MAX_BELIEF_DAYS))
    if np.any(bad):
        raise SimulationError(
            f"{key} counts days after protocol.start and must lie in [0, {MAX_BELIEF_DAYS}], "
            f"got {arr[bad][0]!r}"
        )
    return np.rint(arr).astype(np.int64)
