"""Vectorised party parameters: :func:`burdenshare.preferences.party_parameters` for N sessions.

The engine needs, for every session, each party's ideal, reservation and weight per issue, its
discount, outside option and ratification threshold, on every *epoch* (the stretch of rounds
between two dated events). This module resolves them from sampled draws (``{field path: array}``)
with the rule ``party_parameters`` follows, from the same code: which value and field path apply
to each parameter (after dated events and uncertain events' worlds) is decided once, in
:mod:`burdenshare.preferences.sources`, and so are the range checks; here a value is an array (a
drawn value if there is one, else the central value) and a missing reservation is the far end of
the issue's range in each session. :func:`batch_belief_days` resolves each party's deadline
belief per session, as :func:`burdenshare.negotiation.protocol.deadline_belief` does for one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from burdenshare.errors import SimulationError
from burdenshare.negotiation.protocol import belief_key, deadline_belief
from burdenshare.preferences.build import require_issue_utilities
from burdenshare.preferences.sources import Mask, Source, issue_values_error, party_sources
from burdenshare.scenario.distributions import Distribution, central
from burdenshare.scenario.events import batch_codes
from burdenshare.scenario.model import MAX_BELIEF_DAYS
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
    src = party_sources(scenario, party, on, lambda ev, k: batch_codes(ev, k, draws, n))

    def value(source: Source) -> FloatArray:
        return _value(source.value, source.path, draws, n)

    def where(mask: Mask, layer: FloatArray, before: FloatArray) -> FloatArray:
        return np.where(mask, layer, before)

    ideals_out, ress, weights = [], [], []
    for issue in scenario.issues:
        u = spec.utility[issue.id]
        weights.append(value(src.weight[issue.id]))
        if issue.kind == "categorical":  # scored by category (engine.tables), not by numbers
            ideals_out.append(np.full(n, np.nan))
            ress.append(np.full(n, np.nan))
            continue
        assert issue.range is not None
        lo, hi = issue.range
        ideal = src.ideal[issue.id].resolve(value, where)

        far = _far_end(ideal, lo, hi, u.prefers, n)

        def reservation(source: Source, far: FloatArray = far) -> FloatArray:
            return far if source.value is None else value(source)

        res_v = src.reservation[issue.id].resolve(reservation, where)
        error = issue_values_error(party, issue.id, lo, hi, ideal, res_v)
        if error is not None:
            raise error
        ideals_out.append(ideal)
        ress.append(res_v)
    rat = spec.ratification
    threshold = src.threshold
    has_threshold = rat is not None and threshold.base.value is not None
    thr = threshold.resolve(value, where) if has_threshold else np.full(n, np.nan)
    belief = thr
    if has_threshold and rat is not None and rat.belief is not None:
        if rat.belief == "central":  # the central value of the threshold in force

            def central_of(source: Source) -> FloatArray:
                v = source.value
                if v is None or isinstance(v, str):
                    return value(source)
                return np.full(n, central(v))

            belief = threshold.resolve(central_of, where)
        else:
            belief = _value(rat.belief, f"parties.{party}.ratification.belief", draws, n)
    rat_issue = scenario.issue_ids.index(rat.issue or scenario.issues[0].id) if rat else -1
    if rat is not None and not has_threshold:
        rat_issue = -1
    return BatchParty(
        ideal=np.stack(ideals_out),
        reservation=np.stack(ress),
        weight=np.stack(weights),
        discount=src.discount.resolve(value, where),
        outside=src.outside.resolve(value, where),
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
