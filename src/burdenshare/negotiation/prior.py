"""What a negotiator may believe about its opponent under private information (issue 12).

Under ``protocol.information: private`` with ``opponent_prior: scenario`` (the default), the
scenario's distributions are the *common prior*: every number written exactly in the scenario is
common knowledge, and anything a party cannot know is written as a distribution. A negotiator
then gets an :class:`OpponentPrior`: the opponent's parameters at the central values of those
distributions (:attr:`OpponentPrior.central`, which is also ``PartyView.opponent_estimate``) and a
way to draw a plausible opponent from them (:meth:`OpponentPrior.sample`). It never sees the
session's drawn truth.

:func:`uninformed_estimate` is the documented fallback of the built-in negotiators that need an
opponent (``nash``, ``rubinstein``) when they are told nothing (``opponent_prior: uninformed``).

>>> from burdenshare.scenario.io import EXAMPLE, parse_scenario_text
>>> prior = opponent_prior(parse_scenario_text(EXAMPLE).scenario, "ROK")
>>> [path for path, _ in prior.fields]
['parties.ROK.utility.contribution.reservation']
>>> prior.sample(np.random.default_rng(0)).name
'ROK'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from burdenshare.preferences import PartyParameters, party_parameters
from burdenshare.preferences.additive import AdditiveUtility
from burdenshare.preferences.issue_utility import CategoricalUtility, NumericUtility
from burdenshare.scenario import Distribution, Issue, Scenario
from burdenshare.scenario.events import selector, selector_path, worlds

__all__ = ["OpponentPrior", "opponent_fields", "opponent_prior", "uninformed_estimate"]


def opponent_fields(scenario: Scenario, party: str) -> tuple[tuple[str, Distribution], ...]:
    """``party``'s uncertain numbers that shape its parameters, with their field paths, in file
    order: its own fields (per issue ``ideal``, ``reservation``, ``weight``; ``discount_per_round``,
    ``outside_option``, ``ratification.approval_threshold``, ``ratification.belief``), then the
    code of each of its uncertain events' world and the effects of the worlds that can happen
    (:mod:`burdenshare.scenario.events`). Its ``deadline_belief`` is not among them: it is not
    part of :class:`~burdenshare.preferences.PartyParameters`."""
    spec = scenario.parties[party]
    base = f"parties.{party}"
    out: list[tuple[str, Distribution]] = []

    def add(path: str, value: object) -> None:
        if isinstance(value, Distribution):
            out.append((path, value))

    for iid, u in spec.utility.items():
        for key in ("ideal", "reservation", "weight"):
            add(f"{base}.utility.{iid}.{key}", getattr(u, key))
    add(f"{base}.discount_per_round", spec.discount_per_round)
    add(f"{base}.outside_option", spec.outside_option)
    if spec.ratification is not None:
        add(f"{base}.ratification.approval_threshold", spec.ratification.approval_threshold)
        add(f"{base}.ratification.belief", spec.ratification.belief)
    for k, ev in enumerate(scenario.protocol.events):
        if ev.party != party or not ev.has_effects:
            continue
        path = selector_path(k, ev)
        add(path or "", selector(ev))
        for world in worlds(ev, k):
            eff, epath = world.effects, world.path
            if eff is None or world.probability <= 0.0:
                continue
            for iid, v in (eff.reservation or {}).items():
                add(f"{epath}.reservation.{iid}", v)
            for iid, v in (eff.ideal or {}).items():
                add(f"{epath}.ideal.{iid}", v)
            add(f"{epath}.discount_per_round", eff.discount_per_round)
            add(f"{epath}.outside_option", eff.outside_option)
            add(f"{epath}.approval_threshold", eff.approval_threshold)
    return tuple(out)


@dataclass(frozen=True)
class OpponentPrior:
    """The scenario's beliefs about one opponent on one date (see the module docstring).

    ``central`` is the opponent's parameters at central values; ``fields`` its uncertain numbers
    (:func:`opponent_fields`). :meth:`sample` draws one uniform per field, in that order, from the
    generator it is given, and maps each through its distribution's inverse CDF, so the same
    generator state gives the same opponent.
    """

    central: PartyParameters
    fields: tuple[tuple[str, Distribution], ...]
    scenario: Scenario = field(repr=False, compare=False)
    on: dt.date

    def sample(self, rng: np.random.Generator) -> PartyParameters:
        """An opponent drawn from the prior (the central one if nothing is uncertain)."""
        if not self.fields:
            return self.central
        u = rng.random(len(self.fields))
        overrides = {
            path: float(dist.ppf(q)) for (path, dist), q in zip(self.fields, u, strict=True)
        }
        return party_parameters(self.scenario, self.central.name, on=self.on, overrides=overrides)


def opponent_prior(scenario: Scenario, opponent: str, on: dt.date | None = None) -> OpponentPrior:
    """The prior over ``opponent`` given by ``scenario`` on date ``on`` (default: the start)."""
    day = scenario.protocol.start if on is None else on
    return OpponentPrior(
        central=party_parameters(scenario, opponent, on=day),
        fields=opponent_fields(scenario, opponent),
        scenario=scenario,
        on=day,
    )


def uninformed_estimate(
    own: PartyParameters, issues: Sequence[Issue], opponent: str
) -> PartyParameters:
    """What a negotiator told nothing about its opponent assumes: interests opposed on every
    issue, equally weighted (Laplace's principle of insufficient reason).

    On a numeric issue the opponent's ideal is the end of the range farther from the party's own
    ideal and its reservation is the party's own ideal (linear in between); on a categorical
    issue it scores each category ``1 - u_own`` with the party's own best category as its
    reservation. Its discount is the party's own, its outside option 0, and it has no ratifier.
    Any deal short of the party's ideal is then acceptable to it, and a Nash seeker aims at the
    middle of the ranges.

    >>> from burdenshare.scenario.io import EXAMPLE, parse_scenario_text
    >>> sc = parse_scenario_text(EXAMPLE).scenario
    >>> us = party_parameters(sc, "US")
    >>> guess = uninformed_estimate(us, sc.issues, "ROK")
    >>> [(p.ideal, p.reservation) for p in guess.utility.parts], guess.utility.weights
    ([(900.0, 5630.0), (5.0, 1.0)], (0.5, 0.5))
    """
    parts: list[NumericUtility | CategoricalUtility] = []
    for issue, mine in zip(issues, own.utility.parts, strict=True):
        if isinstance(mine, CategoricalUtility):
            values = [c for c, _ in mine.scores]
            best = max(values, key=mine)
            parts.append(
                CategoricalUtility(
                    scores=tuple((c, 1.0 - mine(c)) for c in values), reservation=best
                )
            )
            continue
        assert issue.range is not None
        lo, hi = issue.range
        far = lo if mine.ideal - lo >= hi - mine.ideal else hi
        parts.append(
            NumericUtility(
                ideal=far,
                reservation=mine.ideal,
                integer=issue.kind == "integer",
                low=lo,
                high=hi,
            )
        )
    n = len(parts)
    return PartyParameters(
        name=opponent,
        utility=AdditiveUtility(own.utility.issues, tuple(parts), tuple([1.0 / n] * n)),
        discount=own.discount,
        outside_option=0.0,
        ratification_threshold=None,
        ratification_issue=None,
        ratification_belief=None,
    )
