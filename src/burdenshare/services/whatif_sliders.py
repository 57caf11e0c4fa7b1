"""The sliders the what-if page shows for a scenario: :func:`key_parameters`.

Part of :mod:`burdenshare.services.whatif`.
"""

from __future__ import annotations

import math
from typing import Any

from burdenshare.scenario.distributions import Distribution, central
from burdenshare.scenario.io import LoadedScenario
from burdenshare.scenario.scenario import Scenario
from burdenshare.services.whatif_changes import (
    _belief_dates,
    _dates,
    _direction,
    _display,
    _Field,
    _fields,
    resolve,
)

__all__ = ["key_parameters"]


def _nice_step(span: float, parts: int = 1000) -> float:
    """A round step (1, 2 or 5 times a power of ten) near ``span / parts``.

    >>> _nice_step(5600), _nice_step(1.0)
    (10.0, 0.001)
    """
    raw = span / parts
    if raw <= 0:
        return 1.0
    exp = math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        step = m * 10.0**exp
        if step >= raw:
            return float(f"{step:.12g}")
    return float(f"{10.0 ** (exp + 1):.12g}")  # pragma: no cover


def key_parameters(scenario: Scenario | LoadedScenario | str) -> list[dict[str, Any]]:
    """The sliders to show for a scenario: ``path``, ``label``, ``group``, ``kind``
    (``money``, ``number``, ``probability``, ``discount`` or ``date``), ``min``, ``max``,
    ``step``, ``value``, ``unit``, ``display``, ``distribution`` (its YAML form when the value is
    uncertain) and ``note``. Dates give ``min``, ``max`` and ``value`` as ISO strings and a step
    in days.

    >>> for p in key_parameters("us-rok-sma-2019")[:3]:
    ...     print(p["path"], p["min"], p["max"], p["step"])
    parties.US.utility.contribution.ideal 900.0 6500.0 10.0
    parties.US.utility.contribution.reservation 900.0 5620.0 10.0
    parties.US.discount_per_round 0.5 1.0 0.005
    """
    sc = scenario.scenario if isinstance(scenario, LoadedScenario) else scenario
    if isinstance(sc, str):
        sc = resolve(sc).scenario
    fields = _fields(sc)
    out: list[dict[str, Any]] = []

    def add(
        f: _Field,
        label: str,
        kind: str,
        lo: float,
        hi: float,
        step: float,
        unit: str,
        note: str = "",
    ) -> None:
        value = central(f.value)
        uncertain = isinstance(f.value, Distribution)
        if uncertain:
            note = (note + " " if note else "") + (
                "A distribution: the slider moves its mean and keeps its spread."
            )
        out.append(
            {
                "path": f.path,
                "label": label,
                "group": f.party or "protocol",
                "kind": kind,
                "min": min(lo, value),
                "max": max(hi, value),
                "step": step,
                "value": value,
                "unit": unit,
                "display": _display(sc, f.path, value),
                "distribution": f.value.to_yaml() if isinstance(f.value, Distribution) else None,
                "note": note,
            }
        )

    for pname in sc.parties:
        for issue in sc.issues:
            if issue.kind == "categorical" or issue.range is None:
                continue
            lo, hi = issue.range
            integer = issue.kind == "integer"
            step = 1.0 if integer else _nice_step(hi - lo)
            kind = "money" if issue.is_money else "number"
            unit = sc.money.unit if issue.is_money else issue.unit
            up = _direction(sc, pname, issue.id) > 0
            base = f"parties.{pname}.utility.{issue.id}"
            ideal = fields.get(f"{base}.ideal")
            if ideal is not None:
                what = "ask" if up else "offer"
                add(
                    ideal,
                    f"{pname} {what} (ideal {issue.id})",
                    kind,
                    lo,
                    hi,
                    step,
                    unit,
                    f"What {pname} opens with and would most like.",
                )
            res = fields.get(f"{base}.reservation")
            if res is not None and ideal is not None:
                c = central(ideal.value)
                r_lo, r_hi = (lo, c - step) if up else (c + step, hi)
                add(
                    res,
                    f"{pname} walk-away point (reservation {issue.id})",
                    kind,
                    r_lo,
                    r_hi,
                    step,
                    unit,
                    f"The worst deal {pname} accepts rather than walk away.",
                )
        disc = fields.get(f"parties.{pname}.discount_per_round")
        if disc is not None:
            c = central(disc.value)
            add(
                disc,
                f"{pname} patience (discount per round)",
                "discount",
                min(0.5, math.floor(c * 20) / 20),
                1.0,
                0.005,
                "per round",
                "1 = no cost of delay; lower = more impatient.",
            )
        belief = _belief_dates(sc).get(f"parties.{pname}.deadline_belief")
        if belief is not None:
            current, lo_d, hi_d = belief
            out.append(
                {
                    "path": f"parties.{pname}.deadline_belief",
                    "label": f"{pname} believed deadline",
                    "group": pname,
                    "kind": "date",
                    "min": lo_d.isoformat(),
                    "max": hi_d.isoformat(),
                    "step": 1,
                    "value": current.isoformat(),
                    "unit": "date",
                    "display": current.isoformat(),
                    "distribution": None,
                    "note": f"The date {pname}'s negotiator concedes against: by the last round "
                    "on or before it, it has conceded all it will. Not a rule of the talks.",
                }
            )
    risk = fields["protocol.breakdown_risk_per_round"]
    c = central(risk.value)
    add(
        risk,
        "Breakdown risk per round",
        "probability",
        0.0,
        min(0.95, max(0.3, 2 * c)),
        0.005,
        "probability",
        "The chance that any one round ends the talks for good.",
    )
    for path, (current, lo_d, hi_d) in _dates(sc).items():
        if path == "protocol.deadline":
            label, note = "Deadline", "Agreements after it count as late; talks may go on to "
            note += (
                f"the horizon ({sc.protocol.end.isoformat()})."
                if sc.protocol.horizon
                else ("the deadline itself (the scenario has no horizon).")
            )
        else:
            ev = sc.protocol.events[int(path.split(".")[2])]
            if ev.kind != "election":
                continue
            who = f"{ev.party} " if ev.party else ""
            label = f"{who}election date"
            note = (ev.note + ". " if ev.note else "") + (
                "Its effects apply from this date."
                if ev.effects is not None
                else "The scenario gives this event no effect on the parties yet."
            )
        out.append(
            {
                "path": path,
                "label": label,
                "group": "protocol",
                "kind": "date",
                "min": lo_d.isoformat(),
                "max": hi_d.isoformat(),
                "step": 1,
                "value": current.isoformat(),
                "unit": "date",
                "display": current.isoformat(),
                "distribution": None,
                "note": note,
            }
        )
    return out


# -- the ensemble -----------------------------------------------------------------------------
