"""What-if analysis for the dashboard: change a few key parameters, rerun a whole ensemble.

The web page (and anyone else) calls three functions here:

- :func:`key_parameters` lists the sliders worth showing for a scenario (asks and offers,
  reservation beliefs, discount factors, breakdown risk, deadline, election dates), each with its
  range, step and current value;
- :func:`whatif` applies changes to the scenario, runs an ensemble of sessions (100,000 by
  default, in well under a second on the batch engine) and returns a JSON-ready summary: the zone
  of agreement, P(deal) with its standard error, P(deal by each date), the settlement quantiles
  and a histogram in every currency, the causes of failure and the time taken;
- :func:`replay` runs one session of the same (changed) scenario and returns its transcript,
  offer by offer.

Changes are keyed by field path, the names that
:func:`burdenshare.ensemble.sampling.uncertain_parameters` uses
(``parties.US.utility.contribution.ideal``, ``parties.ROK.utility.contribution.reservation``,
``parties.US.discount_per_round``, ``protocol.breakdown_risk_per_round``), plus two kinds of
dates: ``protocol.deadline`` and ``protocol.events.<k>.date`` (an ISO date). Each is checked
against the range the scenario schema allows; a value outside it is a
:class:`~burdenshare.errors.ScenarioError` naming the field (the web layer answers 422).

A changed value that is a *distribution* in the scenario
------------------------------------------------------------
A scenario may give a belief as a distribution (the US walk-away point as
``{triangular: [1090.8, 1350, 2500]}``). A slider shows its central value (the mean), and moving
the slider to ``v`` can mean two things. ``uncertain="shift"`` (the default) moves the whole
distribution by ``v - mean``: the spread of the belief is kept, its mean becomes ``v``, and
leaving the slider where it was reproduces the unchanged ensemble exactly. Draws that the shift
pushes past a hard limit (the issue's range, the party's own ideal, a probability's bounds) are
clipped to that limit and the share clipped is reported, so the realised mean can differ
slightly from ``v`` near a limit. ``uncertain="fix"`` replaces the distribution by the fixed
number ``v``: no uncertainty is left in that parameter. Fixed-number parameters are simply set.

>>> result = whatif("split-the-pie", {"parties.A.discount_per_round": 0.8}, n=1000)
>>> result["p_agreement"]["estimate"], result["changes"][0]["mode"]
(1.0, 'set')
>>> whatif("split-the-pie", {"parties.A.discount_per_round": 1.5}, n=10)
Traceback (most recent call last):
...
burdenshare.errors.ScenarioError: parties.A.discount_per_round: out of range (got 1.5; ...
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ValidationError

from burdenshare.errors import ScenarioError
from burdenshare.scenario.distributions import Distribution, central
from burdenshare.scenario.io import LoadedScenario, parse_scenario_text
from burdenshare.scenario.model import MAX_ROUNDS, Event, Protocol
from burdenshare.scenario.scenario import Scenario

__all__ = [
    "MAX_SESSIONS",
    "SESSION_BY_SESSION_MAX",
    "UncertainMode",
    "apply_changes",
    "describe",
    "key_parameters",
    "replay",
    "resolve",
    "store_run",
    "whatif",
]

#: the most sessions one what-if may ask for
MAX_SESSIONS = 1_000_000
#: the most sessions run when the negotiators or the scenario need the one-session protocol
#: (about 6 ms a session) instead of the compiled kernel
SESSION_BY_SESSION_MAX = 200
#: bins of the settlement histogram
HISTOGRAM_BINS = 40

#: what a change to a parameter given as a distribution does (see the module docstring)
UncertainMode = Literal["shift", "fix"]
Number = float | int

FloatArray = npt.NDArray[np.float64]


# -- the scenario to work on ------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _parse(text: str, fmt: str, source: str) -> LoadedScenario:
    return parse_scenario_text(text, source=source, fmt=fmt)


def resolve(
    scenario: str | LoadedScenario | Scenario, *, fmt: str = "yaml", source: str = "<upload>"
) -> LoadedScenario:
    """A bundled scenario by name, or scenario *text* (never a path: nothing is read from disk
    but the bundled library), or an already loaded scenario.

    >>> resolve("split-the-pie").scenario.id
    'split-the-pie'
    >>> resolve("../etc/passwd")
    Traceback (most recent call last):
    ...
    burdenshare.errors.ScenarioError: <upload>:1: a scenario must be a mapping of keys ...
    """
    if isinstance(scenario, LoadedScenario):
        return scenario
    if isinstance(scenario, Scenario):
        return LoadedScenario(scenario=scenario, text="", sha256="", source=scenario.id)
    from burdenshare.scenario.library import bundled_path, is_bundled

    if is_bundled(scenario):
        text = bundled_path(scenario).read_text(encoding="utf-8")
        return _parse(text, "yaml", scenario)
    return _parse(scenario, fmt, source)


def describe(loaded: LoadedScenario) -> dict[str, Any]:
    """What ``burdenshare validate --json`` says about a scenario (same keys), plus its money
    unit and the sliders :func:`key_parameters` proposes.

    >>> d = describe(resolve("us-rok-sma-2019"))
    >>> d["valid"], d["parties"], d["money"]["fx"]
    (True, ['US', 'ROK'], {'USD': 1126.0})
    """
    from burdenshare.ensemble.sampling import uncertain_parameters

    sc = loaded.scenario
    fields = list(uncertain_parameters(sc))
    return {
        "valid": True,
        "source": loaded.source,
        "id": sc.id,
        "title": sc.title,
        "as_of": sc.as_of.isoformat(),
        "sha256": loaded.sha256,
        "issues": sc.issue_ids,
        "parties": list(sc.parties),
        "rounds": len(sc.protocol.round_dates()),
        "uncertain_parameters": len(fields),
        "uncertain_fields": fields,
        "description": sc.description,
        "money": {
            "unit": sc.money.unit,
            "scale": sc.money.scale,
            "multiplier": sc.money.multiplier,
            "fx": dict(sc.money.fx),
        },
        "parameters": key_parameters(sc),
    }


# -- the numbers a what-if may change ---------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    """A numeric scenario value that a what-if may change, with its legal interval."""

    path: str
    value: float | Distribution
    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False
    #: the issue a value on an issue scale belongs to (for whole-number and side checks)
    issue: str | None = None
    party: str | None = None
    #: ideal, reservation, threshold, belief, discount, outside, risk
    role: str = ""

    def expected(self) -> str:
        left, right = ("(" if self.lo_open else "["), (")" if self.hi_open else "]")
        return f"a number in {left}{self.lo:g}, {self.hi:g}{right}"

    def contains(self, v: float) -> bool:
        above = v > self.lo if self.lo_open else v >= self.lo
        below = v < self.hi if self.hi_open else v <= self.hi
        return above and below

    def clip(self, arr: FloatArray) -> FloatArray:
        lo = np.nextafter(self.lo, math.inf) if self.lo_open else self.lo
        hi = np.nextafter(self.hi, -math.inf) if self.hi_open else self.hi
        return np.clip(arr, lo, hi)


def _numeric(v: object) -> bool:
    return isinstance(v, Distribution) or (isinstance(v, int | float) and not isinstance(v, bool))


def _fields(sc: Scenario) -> dict[str, _Field]:
    """Every numeric value a what-if may change, keyed by field path (weights and actors are
    left out: weights must sum to 1, and actors feed the forecasting models, not the ensemble)."""
    out: dict[str, _Field] = {}

    def issue_value(path: str, v: object, iid: str, party: str, role: str) -> None:
        issue = sc.issue(iid)
        if issue.range is None or not _numeric(v):
            return
        assert isinstance(v, float | int | Distribution)
        lo, hi = issue.range
        out[path] = _Field(path, v, lo, hi, issue=iid, party=party, role=role)

    def party_numbers(base: str, party: str, discount: object, outside: object) -> None:
        if _numeric(discount):
            assert isinstance(discount, float | int | Distribution)
            out[f"{base}.discount_per_round"] = _Field(
                f"{base}.discount_per_round",
                discount,
                0.0,
                1.0,
                lo_open=True,
                party=party,
                role="discount",
            )
        if _numeric(outside):
            assert isinstance(outside, float | int | Distribution)
            out[f"{base}.outside_option"] = _Field(
                f"{base}.outside_option",
                outside,
                -1.0,
                1.0,
                hi_open=True,
                party=party,
                role="outside",
            )

    for pname, party in sc.parties.items():
        base = f"parties.{pname}"
        for issue in sc.issues:
            u = party.utility[issue.id]
            for key in ("ideal", "reservation"):
                issue_value(
                    f"{base}.utility.{issue.id}.{key}", getattr(u, key), issue.id, pname, key
                )
        party_numbers(base, pname, party.discount_per_round, party.outside_option)
        rat = party.ratification
        if rat is not None:
            iid = rat.issue or sc.issues[0].id
            issue_value(
                f"{base}.ratification.approval_threshold",
                rat.approval_threshold,
                iid,
                pname,
                "threshold",
            )
            issue_value(f"{base}.ratification.belief", rat.belief, iid, pname, "belief")
    risk = sc.protocol.breakdown_risk_per_round
    out["protocol.breakdown_risk_per_round"] = _Field(
        "protocol.breakdown_risk_per_round", risk, 0.0, 1.0, hi_open=True, role="risk"
    )
    for k, ev in enumerate(sc.protocol.events):
        eff, party_name = ev.effects, ev.party
        if eff is None or party_name is None:
            continue
        base = f"protocol.events.{k}.effects"
        for iid, v in (eff.reservation or {}).items():
            issue_value(f"{base}.reservation.{iid}", v, iid, party_name, "reservation")
        party_numbers(base, party_name, eff.discount_per_round, eff.outside_option)
        rat = sc.parties[party_name].ratification
        if rat is not None:
            issue_value(
                f"{base}.approval_threshold",
                eff.approval_threshold,
                rat.issue or sc.issues[0].id,
                party_name,
                "threshold",
            )
    return out


def _dates(sc: Scenario) -> dict[str, tuple[dt.date, dt.date, dt.date]]:
    """The dates a what-if may change: ``{path: (current, earliest, latest)}``."""
    p = sc.protocol
    one = dt.timedelta(days=1)
    latest = p.horizon or _latest_deadline(p)
    out = {"protocol.deadline": (p.deadline, p.start + one, latest)}
    for k, ev in enumerate(p.events):
        out[f"protocol.events.{k}.date"] = (ev.date, p.start, p.end)
    return out


def _latest_deadline(p: Protocol) -> dt.date:
    """Without a horizon the deadline ends the talks: allow a year more, within the round cap."""
    cap = p.start + dt.timedelta(days=p.round_every_days * (MAX_ROUNDS - 1))
    return min(p.deadline + dt.timedelta(days=365), cap)


def _direction(sc: Scenario, party: str, iid: str) -> float:
    """+1 if ``party`` prefers higher values on ``iid`` in the scenario as written, else -1."""
    u = sc.parties[party].utility[iid]
    issue = sc.issue(iid)
    assert issue.range is not None
    if u.prefers is not None:
        return 1.0 if u.prefers == "higher" else -1.0
    assert u.ideal is not None
    assert not isinstance(u.ideal, str)
    ideal = central(u.ideal)
    if u.reservation is not None and not isinstance(u.reservation, str):
        return 1.0 if central(u.reservation) < ideal else -1.0
    lo, hi = issue.range
    return 1.0 if ideal - lo >= hi - ideal else -1.0


# -- applying changes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    """One change as applied: what it was, what it became, and how."""

    path: str
    value: float | str
    previous: float | str
    #: ``set`` (a fixed number replaced), ``shifted`` or ``fixed`` (a distribution), ``date``
    mode: str
    distribution: dict[str, Any] | None = None

    def to_dict(self, sc: Scenario, clipped: Mapping[str, float]) -> dict[str, Any]:
        return {
            "path": self.path,
            "value": self.value,
            "previous": self.previous,
            "display": _display(sc, self.path, self.value),
            "previous_display": _display(sc, self.path, self.previous),
            "mode": self.mode,
            "distribution": self.distribution,
            "clipped_share": clipped.get(self.path, 0.0),
        }


def _bad(path: str, message: str, value: Any, expected: str) -> ScenarioError:
    return ScenarioError(message, field=path, value=value, expected=expected, has_value=True)


def _as_number(path: str, raw: object, f: _Field) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        if isinstance(raw, str):
            try:
                raw = float(raw.strip())
            except ValueError:
                raise _bad(path, "not a number", raw, f.expected()) from None
        else:
            raise _bad(path, "not a number", raw, f.expected())
    v = float(raw)
    if not math.isfinite(v) or not f.contains(v):
        raise _bad(path, "out of range", raw, f.expected())
    return v


def _as_date(path: str, raw: object, lo: dt.date, hi: dt.date) -> dt.date:
    expected = f"a date from {lo.isoformat()} to {hi.isoformat()}"
    if isinstance(raw, dt.date):
        d = raw
    elif isinstance(raw, str):
        try:
            d = dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise _bad(path, "not a date", raw, "an ISO date such as 2019-12-31") from None
    else:
        raise _bad(path, "not a date", raw, "an ISO date such as 2019-12-31")
    if not lo <= d <= hi:
        raise _bad(path, "date out of range", d.isoformat(), expected)
    return d


def _shift(d: Distribution, delta: float) -> Distribution:
    """``d`` moved by ``delta`` (same shape and spread; its mean moves by ``delta``)."""
    p = list(d.params)
    if d.kind in ("uniform", "triangular", "choice"):
        p = [x + delta for x in p]
    elif d.kind == "normal":
        p[0] += delta
    elif d.kind == "truncated_normal":
        p[0], p[2], p[3] = p[0] + delta, p[2] + delta, p[3] + delta
    elif d.kind == "beta":
        lo, hi = (p[2], p[3]) if len(p) == 4 else (0.0, 1.0)
        p = [p[0], p[1], lo + delta, hi + delta]
    return Distribution(kind=d.kind, params=tuple(p), weights=d.weights)


def _set(node: Any, parts: Sequence[str], value: Any) -> Any:
    """A copy of ``node`` with the value at ``parts`` replaced (frozen models are copied)."""
    if not parts:
        return value
    head, rest = parts[0], parts[1:]
    if isinstance(node, BaseModel):
        return node.model_copy(update={head: _set(getattr(node, head), rest, value)})
    if isinstance(node, Mapping):
        return {**node, head: _set(node[head], rest, value)}
    if isinstance(node, tuple):
        k = int(head)
        return (*node[:k], _set(node[k], rest, value), *node[k + 1 :])
    raise AssertionError(f"cannot set {head!r} in {type(node).__name__}")  # pragma: no cover


def apply_changes(
    scenario: Scenario, changes: Mapping[str, object], *, uncertain: UncertainMode = "shift"
) -> tuple[Scenario, list[Applied]]:
    """The scenario with ``changes`` applied (see the module docstring), and what was done.

    >>> sc = resolve("us-rok-sma-2019").scenario
    >>> new, done = apply_changes(sc, {"parties.US.utility.contribution.reservation": 2000})
    >>> done[0].mode, round(central(new.parties["US"].utility["contribution"].reservation), 6)
    ('shifted', 2000.0)
    >>> new, done = apply_changes(sc, {"protocol.deadline": "2020-03-31"})
    >>> new.protocol.deadline.isoformat(), done[0].previous
    ('2020-03-31', '2019-12-31')
    """
    if uncertain not in ("shift", "fix"):
        raise _bad("uncertain", "unknown mode", uncertain, "shift or fix")
    fields, dates = _fields(scenario), _dates(scenario)
    numeric: dict[str, float] = {}
    new_dates: dict[str, dt.date] = {}
    for path, raw in changes.items():
        if not isinstance(path, str):
            raise _bad(str(path), "a change is keyed by a field path", path, "a string")
        if path in dates:
            _, lo, hi = dates[path]
            new_dates[path] = _as_date(path, raw, lo, hi)
        elif path in fields:
            numeric[path] = _as_number(path, raw, fields[path])
        else:
            known = sorted(fields) + sorted(dates)
            raise _bad(
                path, "not a parameter a what-if can change", raw, "one of " + ", ".join(known)
            )
    applied: list[Applied] = []
    sc = scenario
    remap: dict[int, int] = {}
    if new_dates:
        sc, remap = _with_dates(sc, new_dates)
        applied += [
            Applied(path, d.isoformat(), dates[path][0].isoformat(), "date")
            for path, d in new_dates.items()
        ]
    for path, v in numeric.items():
        f = fields[path]
        target = _remap_event_path(path, remap)
        current = f.value
        if isinstance(current, Distribution):
            new: float | Distribution = (
                _shift(current, v - central(current)) if uncertain == "shift" else v
            )
            mode = "shifted" if uncertain == "shift" else "fixed"
        else:
            new, mode = v, "set"
        integer = f.issue is not None and sc.issue(f.issue).kind == "integer"
        if integer and f.role == "ideal" and not float(v).is_integer():
            raise _bad(path, f"issue {f.issue!r} takes whole numbers", v, "a whole number")
        sc = _set(sc, target.split("."), new)
        dist = new.to_yaml() if isinstance(new, Distribution) else None
        applied.append(Applied(target, v, central(current), mode, dist))
    _check_sides(scenario, sc, {a.path for a in applied})
    return sc, applied


def _with_dates(sc: Scenario, new_dates: Mapping[str, dt.date]) -> tuple[Scenario, dict[int, int]]:
    """The scenario with a new deadline and/or event dates (events kept in date order)."""
    p = sc.protocol
    events: list[Event] = list(p.events)
    for path, d in new_dates.items():
        if path.startswith("protocol.events."):
            k = int(path.split(".")[2])
            events[k] = events[k].model_copy(update={"date": d})
    order = sorted(range(len(events)), key=lambda k: (events[k].date, k))
    remap = {old: new for new, old in enumerate(order)}
    data = {name: getattr(p, name) for name in p.model_fields_set}
    data["events"] = tuple(events[k] for k in order)
    if "protocol.deadline" in new_dates:
        data["deadline"] = new_dates["protocol.deadline"]
    try:
        protocol = Protocol.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        msg = str(err["msg"]).removeprefix("Value error, ")
        path = next(iter(new_dates))
        raise _bad(
            path, msg, new_dates[path].isoformat(), "a date that keeps the protocol valid"
        ) from None
    return sc.model_copy(update={"protocol": protocol}), remap


def _remap_event_path(path: str, remap: Mapping[int, int]) -> str:
    parts = path.split(".")
    if remap and path.startswith("protocol.events.") and len(parts) > 2:
        parts[2] = str(remap[int(parts[2])])
    return ".".join(parts)


def _check_sides(original: Scenario, sc: Scenario, changed: set[str]) -> None:
    """Every walk-away point still lies on the concession side of its party's ideal."""
    for pname, party in sc.parties.items():
        for issue in sc.issues:
            if issue.kind == "categorical":
                continue
            u = party.utility[issue.id]
            if u.ideal is None or isinstance(u.ideal, str):
                continue
            up = _direction(original, pname, issue.id) > 0
            ideal = central(u.ideal)
            ideal_path = f"parties.{pname}.utility.{issue.id}.ideal"
            points = [(f"parties.{pname}.utility.{issue.id}.reservation", u.reservation)]
            for k, ev in enumerate(sc.protocol.events):
                if ev.party == pname and ev.effects is not None and ev.effects.reservation:
                    v = ev.effects.reservation.get(issue.id)
                    points.append((f"protocol.events.{k}.effects.reservation.{issue.id}", v))
            assert issue.range is not None
            for path, res in points:
                if res is None:
                    if path.endswith(".reservation") and path.startswith("parties."):
                        res = issue.range[0] if up else issue.range[1]
                    else:
                        continue
                if isinstance(res, str):
                    continue
                r = central(res)
                if (up and r < ideal) or (not up and r > ideal):
                    continue
                field = path if path in changed or ideal_path not in changed else ideal_path
                side = "below" if up else "above"
                raise _bad(
                    field,
                    f"{pname}'s walk-away point on {issue.id!r} must lie {side} its ideal "
                    f"(reservation {r:g}, ideal {ideal:g})",
                    central(res) if field == path else ideal,
                    f"a reservation {side} the ideal",
                )


# -- sliders ----------------------------------------------------------------------------------


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


def _display(sc: Scenario, path: str, value: float | str) -> str:
    if isinstance(value, str):
        return value
    fields = _fields(sc)
    f = fields.get(path)
    if f is not None and f.issue is not None:
        return sc.format_value(f.issue, value)
    if path.endswith("discount_per_round"):
        return f"{value:.3f} per round"
    if path.endswith("breakdown_risk_per_round"):
        return f"{value * 100:.1f}% per round"
    return f"{value:g}"


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


def _affected(sc: Scenario, applied: Sequence[Applied]) -> set[str]:
    """The sampled paths whose draws a change may push past a limit (and so get clipped)."""
    out = {a.path for a in applied if a.mode != "date"}
    for a in applied:
        parts = a.path.split(".")
        if a.path.startswith("parties.") and parts[-1] == "ideal":
            pname, iid = parts[1], parts[3]
            out.add(f"parties.{pname}.utility.{iid}.reservation")
            for k, ev in enumerate(sc.protocol.events):
                if ev.party == pname:
                    out.add(f"protocol.events.{k}.effects.reservation.{iid}")
    return out


def _draws(
    sc: Scenario, affected: set[str], n: int, seed: int, start: int = 0, stop: int | None = None
) -> tuple[dict[str, FloatArray], dict[str, float]]:
    """The sampled parameters of sessions ``[start, stop)``, clipped where a change pushed them
    past a hard limit; and the share clipped per path."""
    from burdenshare.ensemble.sampling import draw, uncertain_parameters

    draws = draw(uncertain_parameters(sc), n, seed=seed, start=start, stop=stop)
    fields = _fields(sc)
    clipped: dict[str, float] = {}
    for path in [p for p in draws if p in affected and p in fields]:
        f = fields[path]
        before = draws[path]
        after = f.clip(before)
        if f.role == "reservation" and f.issue is not None and f.party is not None:
            up = _direction(sc, f.party, f.issue) > 0
            ideal_path = f"parties.{f.party}.utility.{f.issue}.ideal"
            ideal = draws.get(ideal_path)
            if ideal is None:
                ideal = np.full(after.shape, central(fields[ideal_path].value))
            eps = 1e-9 * (f.hi - f.lo)
            after = np.minimum(after, ideal - eps) if up else np.maximum(after, ideal + eps)
        changed = after != before
        if after.size:
            clipped[path] = float(np.count_nonzero(changed) / after.size)
        draws[path] = np.asarray(after, dtype=np.float64)
    return draws, clipped


def _pair(negotiators: Sequence[str] | None) -> tuple[str, str]:
    from burdenshare.negotiation import DEFAULT_NEGOTIATORS, make_negotiator

    names = tuple(negotiators) if negotiators else DEFAULT_NEGOTIATORS
    if len(names) == 1:
        names = (names[0], names[0])
    if len(names) != 2 or not all(isinstance(x, str) for x in names):
        raise _bad(
            "negotiators",
            "give one negotiator name or two",
            list(names),
            "one name for both parties, or [first party's, second party's]",
        )
    for k, name in enumerate(names):
        try:
            make_negotiator(name)
        except Exception as exc:
            raise _bad(f"negotiators.{k}", str(exc), name, "a known negotiator") from None
    return (str(names[0]), str(names[1]))


def _check_count(name: str, value: object, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise _bad(name, "out of range", value, f"a whole number from {lo:,} to {hi:,}")
    return value


def _finite(value: Any) -> Any:
    """NaN and infinities become None: they are not JSON."""
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, Mapping):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def whatif(
    scenario: str | LoadedScenario | Scenario,
    changes: Mapping[str, float | str] | None = None,
    *,
    n: int = 100_000,
    seed: int = 0,
    negotiators: Sequence[str] | None = None,
    uncertain: UncertainMode = "shift",
    fmt: str = "yaml",
) -> dict[str, Any]:
    """Apply ``changes`` to a scenario (bundled name, scenario text or object) and run an
    ensemble of ``n`` sessions; a JSON-ready summary (NaN written as ``None``).

    Keys: ``scenario``, ``n_sessions``, ``n_requested``, ``seed``, ``negotiators``,
    ``uncertain``, ``changes``, ``zopa`` (``scenario_zopa`` at the central values, as in
    ``analyze --json``), ``positions`` (ideals and walk-away points per issue, for a number
    line), ``p_agreement``, ``p_agreement_by_deadline``, ``p_agreement_by_date``, ``outcomes``,
    ``failure_causes``, ``settlement`` (per numeric issue: mean, quantiles and a ``histogram``
    with ``edges``, ``counts`` and ``currency_edges``), ``time_to_agreement``,
    ``example_sessions`` (the first session of each outcome, to replay), ``vectorised``,
    ``note``, ``timings`` and ``elapsed_seconds``.

    >>> r = whatif("us-rok-sma-2019", n=2000)
    >>> sorted(r["settlement"]["contribution"]["histogram"])
    ['counts', 'currency_edges', 'edges']
    >>> moved = whatif("us-rok-sma-2019",
    ...                {"parties.US.utility.contribution.reservation": 1150}, n=2000)
    >>> moved["p_agreement"]["estimate"] > r["p_agreement"]["estimate"]
    True
    """
    from burdenshare.analysis import bargaining_problem, scenario_zopa
    from burdenshare.engine import OUTCOMES, run_batch
    from burdenshare.ensemble.accumulate import Accumulator, chunk_stats
    from burdenshare.ensemble.summary import summarise

    t0 = time.perf_counter()
    requested = _check_count("n", n, 1, MAX_SESSIONS)
    seed = _check_count("seed", seed, 0, 2**63 - 1)
    pair = _pair(negotiators)
    loaded = resolve(scenario, fmt=fmt)
    sc, applied = apply_changes(loaded.scenario, changes or {}, uncertain=uncertain)
    affected = _affected(sc, applied)
    timings: dict[str, float] = {}

    n_run = requested if _vectorised(sc, pair, seed) else min(requested, SESSION_BY_SESSION_MAX)
    note = ""
    if n_run < requested:
        note = (
            f"these negotiators (or this scenario) run session by session, so only {n_run:,} "
            f"sessions were run; use a time-dependent negotiator for large ensembles"
        )
    t = time.perf_counter()
    draws, clipped = _draws(sc, affected, n_run, seed)
    timings["draw"] = time.perf_counter() - t
    t = time.perf_counter()
    batch = run_batch(sc, list(pair), draws, seed=seed, n=n_run)
    timings["engine"] = time.perf_counter() - t

    t = time.perf_counter()
    dates = sc.protocol.round_dates()
    agreed = batch.agreed
    quantities: dict[str, FloatArray] = {}
    for iid in sc.issue_ids:
        v = np.where(agreed, np.nan_to_num(batch.values[iid]), 0.0)
        quantities[f"value.{iid}"] = v
        quantities[f"value2.{iid}"] = v * v
    for p in sc.party_names:
        d = np.asarray(batch.discounted[p], dtype=np.float64)
        quantities[f"discounted.{p}"] = d
        quantities[f"discounted2.{p}"] = d * d
    acc = Accumulator(n=n_run, n_rounds=len(dates), quantities=list(quantities))
    acc.add(chunk_stats(0, n_run, batch.outcome, batch.round, quantities, len(dates)))
    settlements = {iid: batch.values[iid][agreed] for iid in sc.issue_ids}
    summary = summarise(sc, acc, settlements, dates)
    for iid, block in summary["settlement"].items():
        block["histogram"] = _histogram(sc, iid, settlements[iid])
    timings["summary"] = time.perf_counter() - t

    t = time.perf_counter()
    zopa = scenario_zopa(bargaining_problem(sc)).to_dict(sc)
    timings["zopa"] = time.perf_counter() - t

    examples: dict[str, int | None] = {}
    for code, name in enumerate(OUTCOMES):
        hits = np.flatnonzero(batch.outcome == code)
        examples[name] = int(hits[0]) if hits.size else None
    out = {
        "scenario": {
            "id": sc.id,
            "title": sc.title,
            "source": loaded.source,
            "sha256": loaded.sha256,
            "money": {"unit": sc.money.unit, "scale": sc.money.scale, "fx": dict(sc.money.fx)},
        },
        "n_sessions": n_run,
        "n_requested": requested,
        "seed": seed,
        "negotiators": list(pair),
        "uncertain": uncertain,
        "changes": [a.to_dict(sc, clipped) for a in applied],
        "zopa": zopa,
        "positions": _positions(sc),
        **summary,
        "example_sessions": examples,
        "vectorised": bool(batch.vectorised),
        "note": note,
        "timings": timings,
        "elapsed_seconds": time.perf_counter() - t0,
    }
    return dict(_finite(out))


def _histogram(sc: Scenario, iid: str, values: FloatArray) -> dict[str, Any]:
    issue = sc.issue(iid)
    vals = values[np.isfinite(values)]
    if vals.size == 0:
        return {"edges": [], "counts": [], "currency_edges": {}}
    lo, hi = float(vals.min()), float(vals.max())
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    counts, edges = np.histogram(vals, bins=HISTOGRAM_BINS, range=(lo, hi))
    currency: dict[str, list[float]] = {}
    if issue.is_money:
        for cur in [sc.money.unit, *sc.money.fx]:
            currency[cur] = [sc.money.as_dict(float(e))[cur] for e in edges]
    return {
        "edges": [float(e) for e in edges],
        "counts": [int(c) for c in counts],
        "currency_edges": currency,
    }


def _positions(sc: Scenario) -> dict[str, Any]:
    """Per numeric issue: its range and each party's ideal and walk-away point (central
    values), for drawing the zone of agreement on a number line."""
    out: dict[str, Any] = {}
    for issue in sc.issues:
        if issue.kind == "categorical" or issue.range is None:
            continue
        parties: dict[str, Any] = {}
        for pname, party in sc.parties.items():
            u = party.utility[issue.id]
            if u.ideal is None or isinstance(u.ideal, str):
                continue
            up = _direction(sc, pname, issue.id) > 0
            res = u.reservation
            r = (
                central(res)
                if res is not None and not isinstance(res, str)
                else issue.range[0 if up else 1]
            )
            i = central(u.ideal)
            parties[pname] = {
                "ideal": i,
                "reservation": r,
                "prefers": "higher" if up else "lower",
                "display": {
                    "ideal": sc.format_value(issue.id, i),
                    "reservation": sc.format_value(issue.id, r),
                },
            }
            rat = party.ratification
            thr = rat.approval_threshold if rat is not None else None
            if (
                rat is not None
                and (rat.issue or sc.issues[0].id) == issue.id
                and thr is not None
                and not isinstance(thr, str)
            ):
                parties[pname]["ratification"] = central(thr)
        out[issue.id] = {
            "range": list(issue.range),
            "unit": sc.money.unit if issue.is_money else issue.unit,
            "money": issue.is_money,
            "parties": parties,
        }
    return out


def _vectorised(sc: Scenario, pair: tuple[str, str], seed: int) -> bool:
    """Whether the compiled kernel runs these negotiators on this scenario (a one-session
    probe; the fallback runs the one-session protocol, about 6 ms a session)."""
    from burdenshare.engine import run_batch

    probe, _ = _draws(sc, set(), 1, seed)
    return bool(run_batch(sc, list(pair), probe, seed=seed, n=1).vectorised)


def store_run(
    scenario: str | LoadedScenario | Scenario,
    *,
    n: int = 100_000,
    seed: int = 0,
    negotiators: Sequence[str] | None = None,
    fmt: str = "yaml",
    store: str | Path | None = None,
) -> dict[str, Any]:
    """Run an ensemble of the scenario as written (bundled name or text) and record it in the
    run store; ``ensemble --json``'s keys (``run``, ``summary``), NaN written as ``None``.

    Ensembles that need the one-session protocol are limited to
    ``10 * SESSION_BY_SESSION_MAX`` sessions (a what-if page should not start a ten-minute job).
    """
    from burdenshare.ensemble import run_ensemble
    from burdenshare.store import RunStore

    requested = _check_count("n", n, 1, MAX_SESSIONS)
    seed = _check_count("seed", seed, 0, 2**63 - 1)
    pair = _pair(negotiators)
    loaded = resolve(scenario, fmt=fmt)
    if isinstance(scenario, Scenario) or not loaded.text:
        raise _bad("scenario", "a stored run needs the scenario's text", scenario, "a name or text")
    limit = 10 * SESSION_BY_SESSION_MAX
    if requested > limit and not _vectorised(loaded.scenario, pair, seed):
        raise _bad(
            "n",
            "these negotiators (or this scenario) run session by session; too many sessions",
            requested,
            f"at most {limit:,} sessions, or a time-dependent negotiator",
        )
    with RunStore.open(store) as st:
        result = run_ensemble(loaded, n=requested, seed=seed, negotiators=pair, store=st)
    return dict(_finite(result.to_dict()))


# -- one session, offer by offer --------------------------------------------------------------


def replay(
    scenario: str | LoadedScenario | Scenario,
    negotiators: Sequence[str] | None = None,
    seed: int = 0,
    *,
    changes: Mapping[str, float | str] | None = None,
    uncertain: UncertainMode = "shift",
    session: int | None = None,
    n: int = 100_000,
    fmt: str = "yaml",
) -> dict[str, Any]:
    """One session of the (changed) scenario, offer by offer: ``simulate --json``'s keys.

    With ``session=None`` the parties hold the central values of every belief (as in
    ``burdenshare simulate``); with ``session=i`` it replays session ``i`` of the ``n``-session
    what-if ensemble with the same seed: the same sampled beliefs and the same breakdown draw,
    so the same outcome.

    >>> r = replay("split-the-pie", ["linear", "linear"])
    >>> r["outcome"], len(r["transcript"]) >= 1
    ('agreement', True)
    """
    from burdenshare.engine.seeding import session_generators
    from burdenshare.negotiation import make_negotiator, run_session

    pair = _pair(negotiators)
    seed = _check_count("seed", seed, 0, 2**63 - 1)
    loaded = resolve(scenario, fmt=fmt)
    sc, applied = apply_changes(loaded.scenario, changes or {}, uncertain=uncertain)
    a, b = sc.party_names
    negs = {a: make_negotiator(pair[0]), b: make_negotiator(pair[1])}
    if session is None:
        result = run_session(sc, negs, seed=seed)
        sampled: dict[str, float] = {}
    else:
        n = _check_count("n", n, 1, MAX_SESSIONS)
        i = _check_count("session", session, 0, n - 1)
        draws, _ = _draws(sc, _affected(sc, applied), n, seed, start=i, stop=i + 1)
        sampled = {path: float(arr[0]) for path, arr in draws.items()}
        result = run_session(sc, negs, seed=session_generators(seed, n, i), overrides=sampled)
    data = result.to_dict()
    data["agreement_display"] = (
        None
        if result.agreement is None
        else {iid: sc.format_value(iid, v) for iid, v in result.agreement.items()}
    )
    data["parties"] = list(sc.party_names)
    data["negotiator_names"] = list(pair)
    data["seed"] = seed
    data["session"] = session
    data["sampled"] = {p: {"value": v, "display": _display(sc, p, v)} for p, v in sampled.items()}
    data["changes"] = [x.to_dict(sc, {}) for x in applied]
    return dict(_finite(data))
