"""GENIUS XML: safe reading, domain and profile parsing, and export of a scenario.

Reading refuses any document type declaration (``<!DOCTYPE``) or entity declaration
(``<!ENTITY``) before the parser sees the text, so no entity is ever expanded (no "billion
laughs", no external entities), and refuses files over :data:`MAX_XML_BYTES`.

>>> root = parse_xml(b'<utility_space><objective name="root"/></utility_space>', "p.xml")
>>> root.tag
'utility_space'
>>> parse_xml(b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "bad.xml")
Traceback (most recent call last):
  ...
burdenshare.errors.ScenarioError: bad.xml:1: document type and entity declarations are not ...
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

from burdenshare.errors import ScenarioError
from burdenshare.interop.genius import (
    MAX_XML_BYTES,
    NAME_PREFIX,
    GeniusDomain,
    GeniusIssue,
    GeniusProfile,
    _float,
    _line,
    _normalise,
    _reservation_discount,
    _weights,
)
from burdenshare.interop.genius_rules import is_nonlinear, rules_profile, rules_profile_xml
from burdenshare.scenario.distributions import central

if TYPE_CHECKING:
    from burdenshare.scenario.scenario import Scenario

__all__ = ["MAX_XML_BYTES", "load_xml_domain", "parse_xml", "to_genius_xml"]

_FORBIDDEN = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def parse_xml(data: bytes, source: str) -> ET.Element:
    """Parse ``data`` as XML, refusing DTDs, entity declarations and oversized files."""
    if len(data) > MAX_XML_BYTES:
        raise ScenarioError(
            "file is too large",
            file=source,
            value=f"{len(data):,} bytes",
            expected=f"at most {MAX_XML_BYTES:,} bytes",
        )
    bad = _FORBIDDEN.search(data)
    if bad is not None:
        raise ScenarioError(
            "document type and entity declarations are not allowed",
            file=source,
            line=data.count(b"\n", 0, bad.start()) + 1,
            value=bad.group(0).decode("ascii", "replace"),
            expected="plain GENIUS XML without <!DOCTYPE or <!ENTITY>",
        )
    parser = ET.XMLParser()
    try:
        parser.feed(data)
        return parser.close()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise ScenarioError(
            f"malformed XML: {exc}", file=source, line=line, expected="well-formed XML"
        ) from None


def _num(x: float) -> str:
    return repr(float(x))


def _genius_name(description: str, fallback: str) -> str:
    if description.startswith(NAME_PREFIX):
        return description[len(NAME_PREFIX) :].split("\n", 1)[0]
    return fallback


def to_genius_xml(scenario: Scenario, *, rounds: int | None = None) -> dict[str, str]:
    """Export ``scenario`` as a GENIUS domain file and one profile file per party.

    Categorical issues become ``discrete`` issues whose evaluations are the party's scores.
    Integer and continuous issues become ``integer`` and ``real`` issues with a ``linear``
    evaluator (``parameter1`` the slope, ``parameter0`` the intercept), which GENIUS can only
    express when the party's ideal and reservation are the two ends of the range (utility 1 and
    0 there): otherwise, and for piecewise utilities, a :class:`ScenarioError` names the issue.
    Uncertain values are exported at their central values. ``outside_option`` becomes
    ``<reservation>``; ``discount_per_round`` becomes ``<discount_factor>`` as
    ``discount ** rounds`` (GENIUS discounts over the whole deadline), with ``rounds`` the
    protocol's number of rounds unless given; no element when there is no discount.

    Returns ``{filename: xml_text}``: ``<id>_domain.xml`` and ``<id>_<party>.xml``.
    """
    n_rounds = rounds if rounds is not None else len(scenario.protocol.round_dates())
    names = {i.id: _genius_name(i.description, i.id) for i in scenario.issues}
    dom = ['<?xml version="1.0" encoding="UTF-8"?>', "<negotiation_template>"]
    dom.append(f'<utility_space number_of_issues="{len(scenario.issues)}">')
    dom.append(
        f'<objective index="0" etype="objective" type="objective" name={quoteattr(scenario.id)}>'
    )
    for k, issue in enumerate(scenario.issues, start=1):
        name = quoteattr(names[issue.id])
        if issue.kind == "categorical":
            dom.append(
                f'<issue index="{k}" etype="discrete" type="discrete" vtype="discrete" name={name}>'
            )
            for j, v in enumerate(issue.values or (), start=1):
                dom.append(f'<item index="{j}" value={quoteattr(v)} cost="0"/>')
            dom.append("</issue>")
        else:
            assert issue.range is not None
            kind = "integer" if issue.kind == "integer" else "real"
            lo, hi = issue.range
            dom.append(
                f'<issue index="{k}" etype="{kind}" type="{kind}" vtype="{kind}" name={name}>'
            )
            dom.append(f'<range lowerbound="{_num(lo)}" upperbound="{_num(hi)}"/>')
            dom.append("</issue>")
    dom += ["</objective>", "</utility_space>", "</negotiation_template>", ""]
    out = {f"{scenario.id}_domain.xml": "\n".join(dom)}
    for pname in scenario.parties:
        out[f"{scenario.id}_{pname}.xml"] = _profile_xml(scenario, pname, names, n_rounds)
    return out


def _profile_xml(scenario: Scenario, pname: str, names: dict[str, str], rounds: int) -> str:
    party = scenario.parties[pname]
    if party.utility_rules is not None:
        return rules_profile_xml(scenario, pname, names, rounds)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<utility_space>"]
    lines.append(
        f'<objective index="0" etype="objective" type="objective" name={quoteattr(scenario.id)}>'
    )
    weights: list[str] = []
    for k, issue in enumerate(scenario.issues, start=1):
        u = party.utility[issue.id]
        name = quoteattr(names[issue.id])
        field = f"parties.{pname}.utility.{issue.id}"
        if issue.kind == "categorical":
            assert u.scores is not None
            lines.append(
                f'<issue index="{k}" etype="discrete" type="discrete" vtype="discrete" name={name}>'
            )
            for j, v in enumerate(issue.values or (), start=1):
                lines.append(
                    f'<item index="{j}" value={quoteattr(v)} evaluation="{_num(u.scores[v])}"/>'
                )
        else:
            assert issue.range is not None
            lo, hi = issue.range
            ideal = (
                central(u.ideal) if u.ideal is not None and not isinstance(u.ideal, str) else None
            )
            res = u.reservation
            if ideal is None or u.shape != "linear":
                raise ScenarioError(
                    "only linear utilities on numeric issues can be exported to GENIUS",
                    field=field,
                    value=u.shape,
                    expected="shape: linear",
                )
            res_c = central(res) if res is not None and not isinstance(res, str) else None
            if res_c is None:
                res_c = lo if abs(ideal - hi) <= abs(ideal - lo) else hi
            if sorted((ideal, res_c)) != [lo, hi]:
                raise ScenarioError(
                    "GENIUS's linear evaluator needs the ideal and the reservation at the two ends "
                    "of the range",
                    field=field,
                    value=[ideal, res_c],
                    expected=f"ideal and reservation {lo:g} and {hi:g}",
                )
            slope = 1.0 / (ideal - res_c)
            kind = "integer" if issue.kind == "integer" else "real"
            lines.append(
                f'<issue index="{k}" etype="{kind}" type="{kind}" vtype="{kind}" name={name}>'
            )
            lines.append(f'<range lowerbound="{_num(lo)}" upperbound="{_num(hi)}"/>')
            lines.append(
                f'<evaluator ftype="linear" parameter1="{_num(slope)}" '
                f'parameter0="{_num(-res_c * slope)}"/>'
            )
        lines.append("</issue>")
        weights.append(f'<weight index="{k}" value="{_num(central(u.weight))}"/>')
    lines += weights
    lines.append("</objective>")
    lines.append(f'<reservation value="{_num(central(party.outside_option))}"/>')
    per_round = central(party.discount_per_round)
    if per_round < 1.0 and math.isfinite(per_round):
        lines.append(f'<discount_factor value="{_num(per_round**rounds)}"/>')
    lines += ["</utility_space>", ""]
    return "\n".join(lines)


# -- reading GENIUS XML --


def _domain_issues(root: Any, file: str, data: bytes) -> tuple[GeniusIssue, ...]:
    issues: list[GeniusIssue] = []
    for el in root.iter("issue"):
        name = el.get("name")
        kind = (el.get("type") or el.get("etype") or "").lower()
        if not kind and el.find("item") is not None:  # AMPOvsCity: items, no type
            kind = "discrete"
        if not name:
            raise ScenarioError("an issue without a name", file=file, expected='name="..."')
        if kind == "discrete":
            values = tuple(str(it.get("value")) for it in el.findall("item"))
            issues.append(GeniusIssue(name, "discrete", values))
        elif kind in ("integer", "real"):
            rng = el.find("range")
            src = rng if rng is not None else el
            fld = f"issues.{name}"
            lo = _float(src.get("lowerbound"), file, data, fld, "lowerbound")
            hi = _float(src.get("upperbound"), file, data, fld, "upperbound")
            issues.append(
                GeniusIssue(name, "integer" if kind == "integer" else "real", low=lo, high=hi)
            )
        else:
            raise ScenarioError(
                "unknown issue type",
                file=file,
                line=_line(data, f'name="{name}"'),
                field=f"issues.{name}",
                value=kind,
                expected="discrete, integer or real",
            )
    if not issues:
        raise ScenarioError("the domain has no issues", file=file, expected="<issue> elements")
    return tuple(issues)


def _xml_profile(
    path: Path, data: bytes, root: Any, issues: tuple[GeniusIssue, ...]
) -> GeniusProfile:
    file = str(path)
    by_name = {i.name: i for i in issues}
    if is_nonlinear(root):
        return rules_profile(path, data, root, issues)
    index_to_name: dict[str, str] = {}
    raw_ev: dict[str, dict[str, float]] = {}
    linear: dict[str, tuple[float, float]] = {}
    notes_ev: list[str] = []
    for el in root.iter("issue"):
        name = el.get("name") or ""
        line = _line(data, f'name="{name}"')
        if name not in by_name:
            raise ScenarioError(
                "profile names an issue the domain does not have",
                file=file,
                line=line,
                field=f"issues.{name}",
                value=name,
                expected=f"one of {sorted(by_name)}",
            )
        index_to_name[el.get("index") or ""] = name
        issue = by_name[name]
        if issue.kind == "discrete":
            ev: dict[str, float] = {}
            for it in el.findall("item"):  # direct items only (not a similarity function's)
                if str(it.get("value")) in ev:  # GENIUS keeps the last (AMPOvsCity has one)
                    notes_ev.append(
                        f"{path.name}: value {it.get('value')!r} of issue {name!r} "
                        "evaluated twice; the last evaluation is used, as in GENIUS"
                    )
                value = str(it.get("value"))
                if value not in issue.values:
                    raise ScenarioError(
                        "profile names a value the domain does not have",
                        file=file,
                        line=_line(data, f'value="{value}"'),
                        field=f"issues.{name}",
                        value=value,
                        expected=f"one of {list(issue.values)}",
                    )
                ev[value] = _float(
                    it.get("evaluation"), file, data, f"issues.{name}.{value}", "evaluation"
                )
            missing = [v for v in issue.values if v not in ev]
            if missing:
                raise ScenarioError(
                    "profile gives no evaluation for some values",
                    file=file,
                    line=line,
                    field=f"issues.{name}",
                    value=missing,
                    expected="an evaluation for every value",
                )
            raw_ev[name] = ev
        else:
            evl = el.find("evaluator")
            if evl is None or (evl.get("ftype") or "").lower() != "linear":
                raise ScenarioError(
                    "a numeric issue needs a linear evaluator",
                    file=file,
                    line=line,
                    field=f"issues.{name}",
                    value=None if evl is None else evl.get("ftype"),
                    has_value=True,
                    expected='<evaluator ftype="linear" parameter0=".." parameter1=".."/>',
                )
            fld = f"issues.{name}.evaluator"
            linear[name] = (
                _float(evl.get("parameter1"), file, data, fld, "parameter1"),
                _float(evl.get("parameter0"), file, data, fld, "parameter0"),
            )
    for name in by_name:
        if name not in index_to_name.values():
            raise ScenarioError(
                "profile has no entry for an issue of the domain",
                file=file,
                field=f"issues.{name}",
                value=name,
                expected="every domain issue",
            )
    raw_w: dict[str, float] = {}
    for w in root.iter("weight"):
        idx = w.get("index") or ""
        if idx not in index_to_name:
            raise ScenarioError(
                "weight refers to no issue",
                file=file,
                line=_line(data, f'index="{idx}"'),
                field="weights",
                value=idx,
                expected=f"an issue index among {sorted(index_to_name)}",
            )
        raw_w[index_to_name[idx]] = _float(w.get("value"), file, data, "weights", "value")
    raw_w = {n: raw_w.get(n, 0.0) for n in by_name}
    weights, notes = _weights(raw_w, file, _line(data, "<weight"))
    scale: dict[str, float] = {}
    for name, (a, b) in linear.items():
        issue = by_name[name]
        assert issue.low is not None
        assert issue.high is not None
        scale[name] = max(a * issue.low + b, a * issue.high + b)
        if not scale[name] > 0:
            raise ScenarioError(
                "a linear evaluator must be positive somewhere on the range",
                file=file,
                field=f"issues.{name}.evaluator",
                value=(a, b),
                expected="a positive maximum",
            )
    reservation, discount = _reservation_discount(root, file, data)
    return GeniusProfile(
        name=path.stem,
        weights=weights,
        evaluations={n: _normalise(ev, file, f"issues.{n}") for n, ev in raw_ev.items()},
        raw_evaluations=raw_ev,
        raw_weights=raw_w,
        linear=linear,
        linear_scale=scale,
        reservation=reservation,
        discount=discount,
        source=file,
        notes=notes + tuple(dict.fromkeys(notes_ev)),
    )


def load_xml_domain(folder: Path, docs: list[tuple[Path, bytes, Any]]) -> GeniusDomain:
    domains = [d for d in docs if d[2].tag == "negotiation_template"]
    if len(domains) != 1:
        raise ScenarioError(
            "expected exactly one domain file" if domains else "no GENIUS domain file found",
            file=str(folder),
            value=[p.name for p, _, _ in domains],
            has_value=bool(domains),
            expected="one XML file with root <negotiation_template>",
        )
    dpath, ddata, droot = domains[0]
    issues = _domain_issues(droot, str(dpath), ddata)
    profiles = tuple(
        _xml_profile(p, data, root, issues) for p, data, root in docs if root.tag == "utility_space"
    )
    if len(profiles) < 2:
        raise ScenarioError(
            "a domain needs two or more profiles",
            file=str(folder),
            value=len(profiles),
            expected="two or more XML files with root <utility_space>",
        )
    obj = droot.find(".//objective")
    name = (obj.get("name") if obj is not None else None) or folder.name
    if name == "root":
        name = folder.name
    return GeniusDomain(name, issues, profiles, str(folder), str(dpath))
