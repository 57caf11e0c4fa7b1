"""GENIUS non-linear profiles: hyper-rectangle utilities, read and written.

The ANAC 2014 domains (Fujita, Ito, Baarslag et al., "The Fifth Automated Negotiating Agents
Competition (ANAC 2014)", in *Recent Advances in Agent-based Complex Automated Negotiation*,
Springer 2016) give each party a *non-linear* utility: a list of hyper-rectangles, each worth a
number of raw points to every outcome that lies inside it, summed and divided by the profile's
``maxutility``. In GENIUS's XML (``NonlinearUtilitySpace``)::

    <utility_space type="nonlinear">
      <objective ...> <issue index="1" name="c1-i10" type="integer" lowerbound="0" upperbound="9"/>
      ... </objective>
      <utility maxutility="662">
        <ufun type="PlainUfun" weight="1" aggregation="sum">
          <hyperRectangle utility="97">
            <INCLUDES index="2" min="7" max="9"/> ...
          </hyperRectangle> ...

``index`` refers to the profile's own ``<issue index=..>`` list; ``min`` and ``max`` are issue
values, inclusive. Only this form is read: one ``PlainUfun`` of weight 1 with ``aggregation="sum"``
whose rectangles have ``INCLUDES`` bounds on integer issues; anything else (``EXCLUDES``, other
ufun types or aggregations, nested ufuns) is a :class:`ScenarioError` naming the element.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

from burdenshare.errors import ScenarioError
from burdenshare.interop.genius import (
    GeniusIssue,
    GeniusProfile,
    GeniusRule,
    _float,
    _line,
    _reservation_discount,
)
from burdenshare.scenario.distributions import central

if TYPE_CHECKING:
    from burdenshare.scenario.scenario import Scenario

__all__ = ["is_nonlinear", "rules_profile", "rules_profile_xml"]

#: most hyper-rectangles read from one profile
MAX_RULES = 10_000


def is_nonlinear(root: Any) -> bool:
    """Whether a ``utility_space`` element is a non-linear (hyper-rectangle) profile."""
    return (root.get("type") or "").lower() == "nonlinear" or root.find(
        ".//hyperRectangle"
    ) is not None


def _refuse(what: str, file: str, data: bytes, needle: str, value: Any, expected: str) -> None:
    raise ScenarioError(
        what, file=file, line=_line(data, needle), value=value, has_value=True, expected=expected
    )


def rules_profile(
    path: Path, data: bytes, root: Any, issues: tuple[GeniusIssue, ...]
) -> GeniusProfile:
    """Read a non-linear GENIUS profile into a :class:`GeniusProfile` with ``rules``."""
    file = str(path)
    by_name = {i.name: i for i in issues}
    index_to_name: dict[str, str] = {}
    for el in root.iter("issue"):
        name = el.get("name") or ""
        if name not in by_name:
            _refuse(
                "profile names an issue the domain does not have",
                file,
                data,
                f'name="{name}"',
                name,
                f"one of {sorted(by_name)}",
            )
        index_to_name[el.get("index") or ""] = name
    util = root.find(".//utility")
    if util is None:
        _refuse(
            "a non-linear profile needs a <utility> element",
            file,
            data,
            "<utility",
            None,
            '<utility maxutility="..."> with one <ufun>',
        )
    assert util is not None
    max_utility = _float(util.get("maxutility"), file, data, "utility", "maxutility")
    if not max_utility > 0:
        _refuse("maxutility must be positive", file, data, "maxutility", max_utility, "> 0")
    ufuns = util.findall("ufun")
    if len(ufuns) != 1 or util.find("ufun/ufun") is not None:
        _refuse(
            "exactly one (not nested) <ufun> is supported",
            file,
            data,
            "<ufun",
            len(ufuns),
            'one <ufun type="PlainUfun" aggregation="sum">',
        )
    uf = ufuns[0]
    if (uf.get("type") or "") != "PlainUfun" or (uf.get("aggregation") or "sum") != "sum":
        _refuse(
            'only a PlainUfun with aggregation="sum" is supported',
            file,
            data,
            "<ufun",
            f"{uf.get('type')}/{uf.get('aggregation')}",
            'type="PlainUfun" aggregation="sum"',
        )
    weight = _float(uf.get("weight", "1"), file, data, "ufun", "weight")
    if weight != 1.0:
        _refuse("a ufun weight other than 1 is not supported", file, data, "weight=", weight, "1")
    rules: list[GeniusRule] = []
    for k, rect in enumerate(uf.iter("hyperRectangle")):
        if len(rules) >= MAX_RULES:
            _refuse(
                "too many hyper-rectangles",
                file,
                data,
                "<hyperRectangle",
                k,
                f"at most {MAX_RULES:,}",
            )
        if rect.find("EXCLUDES") is not None:
            _refuse(
                "EXCLUDES bounds are not supported",
                file,
                data,
                "<EXCLUDES",
                k,
                "INCLUDES bounds only",
            )
        fld = f"rules.{k}"
        utility = _float(rect.get("utility"), file, data, fld, "utility")
        ranges: dict[str, tuple[float, float]] = {}
        for inc in rect.findall("INCLUDES"):
            idx = inc.get("index") or ""
            if idx not in index_to_name:
                _refuse(
                    "INCLUDES refers to no issue of the profile",
                    file,
                    data,
                    f'index="{idx}"',
                    idx,
                    f"an issue index among {sorted(index_to_name)}",
                )
            name = index_to_name[idx]
            issue = by_name[name]
            if issue.kind != "integer":
                _refuse(
                    "hyper-rectangles are supported on integer issues only",
                    file,
                    data,
                    f'name="{name}"',
                    issue.kind,
                    "an integer issue",
                )
            lo = _float(inc.get("min"), file, data, f"{fld}.{name}", "min")
            hi = _float(inc.get("max"), file, data, f"{fld}.{name}", "max")
            assert issue.low is not None
            assert issue.high is not None
            if (
                name in ranges
                or not (issue.low <= lo <= hi <= issue.high)
                or not (lo.is_integer() and hi.is_integer())
            ):
                _refuse(
                    "a bound must be whole numbers low <= high inside the issue's range, "
                    "one per issue",
                    file,
                    data,
                    f'index="{idx}" min="{inc.get("min")}"',
                    [lo, hi],
                    f"inside [{issue.low:g}, {issue.high:g}]",
                )
            ranges[name] = (lo, hi)
        if not ranges:
            _refuse(
                "a hyper-rectangle needs at least one INCLUDES bound",
                file,
                data,
                "<hyperRectangle",
                k,
                "<INCLUDES index=.. min=.. max=../>",
            )
        rules.append(GeniusRule(utility, ranges))
    if not rules:
        _refuse(
            "a non-linear profile needs hyper-rectangles",
            file,
            data,
            "<ufun",
            0,
            "<hyperRectangle utility=..> elements",
        )
    reservation, discount = _reservation_discount(root, file, data)
    return GeniusProfile(
        name=path.stem,
        weights={},
        evaluations={},
        raw_evaluations={},
        raw_weights={},
        reservation=reservation,
        discount=discount,
        source=file,
        rules=tuple(rules),
        max_utility=max_utility,
    )


def _num(x: float) -> str:
    return repr(float(x))


def rules_profile_xml(scenario: Scenario, pname: str, names: dict[str, str], rounds: int) -> str:
    """A party's ``utility_rules`` as a GENIUS non-linear profile (the format read above)."""
    party = scenario.parties[pname]
    spec = party.utility_rules
    assert spec is not None
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<utility_space type="nonlinear">']
    lines.append(
        f'<objective index="0" etype="objective" type="objective" name={quoteattr(scenario.id)}>'
    )
    index = {}
    for k, issue in enumerate(scenario.issues, start=1):
        index[issue.id] = k
        if issue.kind != "integer" or issue.range is None:
            raise ScenarioError(
                "a non-linear profile can only be exported over integer issues",
                field=f"issues.{issue.id}",
                value=issue.kind,
                expected="kind: integer",
            )
        lo, hi = issue.range
        lines.append(
            f'<issue index="{k}" etype="integer" type="integer" vtype="integer" '
            f'name={quoteattr(names[issue.id])} lowerbound="{int(lo)}" upperbound="{int(hi)}"/>'
        )
    lines.append("</objective>")
    lines.append(f'<utility maxutility="{_num(spec.scale)}">')
    lines.append('<ufun type="PlainUfun" weight="1" aggregation="sum">')
    for rule in spec.rules:
        lines.append(f'<hyperRectangle utility="{_num(rule.utility)}">')
        for iid, (lo, hi) in rule.ranges.items():
            lines.append(f'<INCLUDES index="{index[iid]}" min="{int(lo)}" max="{int(hi)}"/>')
        lines.append("</hyperRectangle>")
    lines += ["</ufun>", "</utility>"]
    lines.append(f'<reservation value="{_num(central(party.outside_option))}"/>')
    per_round = central(party.discount_per_round)
    if per_round < 1.0 and math.isfinite(per_round):
        lines.append(f'<discount_factor value="{_num(per_round**rounds)}"/>')
    lines += ["</utility_space>", ""]
    return "\n".join(lines)
