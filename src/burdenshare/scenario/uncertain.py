"""The uncertain values of a scenario: every value given as a distribution, by field path.

:func:`uncertain_parameters` is what an ensemble draws (:mod:`burdenshare.ensemble.sampling`),
what the analysis warns about (:mod:`burdenshare.analysis.branches`) and what a what-if may set;
it reads the validated scenario only, so it lives with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from burdenshare.scenario.distributions import Distribution
from burdenshare.scenario.events import selector, selector_path
from burdenshare.scenario.model import Event
from burdenshare.scenario.scenario import Scenario

__all__ = ["uncertain_parameters"]


def uncertain_parameters(scenario: Scenario) -> dict[str, Distribution]:
    """Every value of ``scenario`` given as a distribution, keyed by its dotted field path.

    The keys are the override keys of :func:`burdenshare.preferences.build.party_parameters`
    (``"parties.US.utility.contribution.reservation"``,
    ``"protocol.events.2.effects.reservation.contribution"``, ``"actors.1.salience"``). The
    order is file order, fixed by the scenario schema: ``parties`` (each party in the order the
    file lists them; per issue ``ideal``, ``reservation``, ``weight``; then
    ``discount_per_round``, ``outside_option``, ``ratification.approval_threshold``,
    ``deadline_belief`` in days after ``protocol.start``), then
    ``protocol`` (``breakdown_risk_per_round``, then per event: the code of its world if it is
    uncertain, ``protocol.events.K.branch`` or ``protocol.events.K.happens``, a ``choice``
    over the codes weighted by the worlds' probabilities (:mod:`burdenshare.scenario.events`);
    then the ``effects`` (``reservation.<issue>``, ``ideal.<issue>``, ``discount_per_round``,
    ``outside_option``, ``approval_threshold``) of the event, or of each branch as
    ``protocol.events.K.branches.J.effects...``, leaving out worlds of probability 0), then
    ``actors`` (``position``, ``salience``, ``capability``).

    >>> from burdenshare.scenario.io import EXAMPLE, parse_scenario_text
    >>> list(uncertain_parameters(parse_scenario_text(EXAMPLE).scenario))
    ['parties.ROK.utility.contribution.reservation']
    """
    out: dict[str, Distribution] = {}
    _collect(scenario, "", out)
    return out


def _collect(value: Any, path: str, out: dict[str, Distribution]) -> None:
    def sub(key: object) -> str:
        return f"{path}.{key}" if path else str(key)

    if isinstance(value, Distribution):
        out[path] = value
    elif isinstance(value, Event):
        _collect_event(value, path, out)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _collect(getattr(value, name), sub(name), out)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _collect(item, sub(key), out)
    elif isinstance(value, tuple | list):
        for k, item in enumerate(value):
            _collect(item, sub(k), out)


def _collect_event(event: Event, path: str, out: dict[str, Distribution]) -> None:
    """An event's inputs: the code of its world first (if uncertain), then the distributions of
    the effects of the worlds that can happen (an event or a branch of probability 0 has none:
    it never applies)."""
    k = int(path.rsplit(".", 1)[1])
    choice = selector(event)
    key = selector_path(k, event)
    if choice is not None and key is not None:
        out[key] = choice
    if event.branches is not None:
        for j, branch in enumerate(event.branches):
            if branch.probability > 0.0:
                _collect(branch.effects, f"{path}.branches.{j}.effects", out)
    elif event.probability > 0.0:
        _collect(event.effects, f"{path}.effects", out)
