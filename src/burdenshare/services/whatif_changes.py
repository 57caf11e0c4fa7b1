"""Apply what-if changes to a scenario: which fields may change, in what range, and how.

Part of :mod:`burdenshare.services.whatif` (see its docstring for what a change to a belief
given as a distribution means: ``shift`` or ``fix``).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ValidationError

from burdenshare.errors import ScenarioError
from burdenshare.scenario.distributions import Distribution, central
from burdenshare.scenario.io import LoadedScenario, parse_scenario_text
from burdenshare.scenario.model import MAX_ROUNDS, Event, Protocol
from burdenshare.scenario.scenario import Scenario

__all__ = ["Applied", "UncertainMode", "apply_changes", "parse_date"]

#: what a change to a parameter given as a distribution does (see the whatif module docstring)
UncertainMode = Literal["shift", "fix"]
Number = float | int
FloatArray = npt.NDArray[np.float64]


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


def _belief_dates(sc: Scenario) -> dict[str, tuple[dt.date, dt.date, dt.date]]:
    """The believed deadlines a what-if may change, ``{path: (current, earliest, latest)}``:
    each party's ``deadline_belief`` written as a date or left out (then the protocol's
    deadline). A belief given as a distribution of days is left to the deadline sweep.

    The range runs from the day after ``protocol.start`` to a round after the last one (a
    belief beyond the last round concedes no faster than one on it)."""
    p = sc.protocol
    one = dt.timedelta(days=1)
    latest = p.round_dates()[-1] + dt.timedelta(days=p.round_every_days)
    out: dict[str, tuple[dt.date, dt.date, dt.date]] = {}
    for pname, party in sc.parties.items():
        belief = party.deadline_belief
        if isinstance(belief, Distribution):
            continue
        current = p.deadline if belief is None else belief
        out[f"parties.{pname}.deadline_belief"] = (current, p.start + one, max(latest, current))
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


def parse_date(path: str, raw: object) -> dt.date:
    """``raw`` as a date (a date, or an ISO date string); a ScenarioError naming ``path`` if not."""
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise _bad(path, "not a date", raw, "an ISO date such as 2019-12-31") from None
    raise _bad(path, "not a date", raw, "an ISO date such as 2019-12-31")


def _as_date(path: str, raw: object, lo: dt.date, hi: dt.date) -> dt.date:
    expected = f"a date from {lo.isoformat()} to {hi.isoformat()}"
    d = parse_date(path, raw)
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
    fields, dates, beliefs = _fields(scenario), _dates(scenario), _belief_dates(scenario)
    numeric: dict[str, float] = {}
    new_dates: dict[str, dt.date] = {}
    new_beliefs: dict[str, dt.date] = {}
    for path, raw in changes.items():
        if not isinstance(path, str):
            raise _bad(str(path), "a change is keyed by a field path", path, "a string")
        if path in dates:
            _, lo, hi = dates[path]
            new_dates[path] = _as_date(path, raw, lo, hi)
        elif path in beliefs:
            _, lo, hi = beliefs[path]
            new_beliefs[path] = _as_date(path, raw, lo, hi)
        elif path in fields:
            numeric[path] = _as_number(path, raw, fields[path])
        else:
            known = sorted(fields) + sorted(dates) + sorted(beliefs)
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
    for path, d in new_beliefs.items():
        sc = _set(sc, path.split("."), d)
        applied.append(Applied(path, d.isoformat(), beliefs[path][0].isoformat(), "date"))
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
