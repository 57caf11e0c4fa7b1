"""Reading GeniusWeb JSON domains (``issuesValues``) and profiles (``LinearAdditiveUtilitySpace``).

Value utilities are used as given (GeniusWeb's utility is ``sum w_i * u_i(v)``, no rescaling); the
reservation value is the utility of the profile's ``reservationBid``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from burdenshare.errors import ScenarioError
from burdenshare.interop.genius import (
    GeniusDomain,
    GeniusIssue,
    GeniusProfile,
    _mapping,
    _normalise,
    _weights,
)

__all__ = ["load_json_domain"]


def load_json_domain(folder: Path, docs: list[tuple[Path, Any]]) -> GeniusDomain:
    domains = [(p, d) for p, d in docs if isinstance(d, dict) and "issuesValues" in d]
    if len(domains) != 1:
        raise ScenarioError(
            "expected exactly one GeniusWeb domain file",
            file=str(folder),
            value=[p.name for p, _ in domains],
            expected="one JSON file with 'issuesValues'",
        )
    dpath, droot = domains[0]
    issues: list[GeniusIssue] = []
    for name, spec in _mapping(droot["issuesValues"], str(dpath), "issuesValues").items():
        values = _mapping(spec, str(dpath), f"issuesValues.{name}").get("values")
        if not isinstance(values, list) or not values:
            raise ScenarioError(
                "an issue needs a list of values",
                file=str(dpath),
                field=f"issuesValues.{name}.values",
                value=values,
                expected="a non-empty list of strings",
            )
        issues.append(GeniusIssue(str(name), "discrete", tuple(str(v) for v in values)))
    profiles: list[GeniusProfile] = []
    for path, doc in docs:
        if isinstance(doc, dict) and "LinearAdditiveUtilitySpace" in doc:
            profiles.append(_json_profile(path, doc["LinearAdditiveUtilitySpace"], tuple(issues)))
    if len(profiles) < 2:
        raise ScenarioError(
            "a domain needs two or more profiles",
            file=str(folder),
            value=len(profiles),
            expected="two or more JSON files with 'LinearAdditiveUtilitySpace'",
        )
    return GeniusDomain(
        str(droot.get("name") or folder.name),
        tuple(issues),
        tuple(profiles),
        str(folder),
        str(dpath),
    )


def _json_profile(path: Path, space: Any, issues: tuple[GeniusIssue, ...]) -> GeniusProfile:
    file = str(path)
    by_name = {i.name: i for i in issues}
    space = _mapping(space, file, "LinearAdditiveUtilitySpace")
    utils = _mapping(space.get("issueUtilities"), file, "issueUtilities")
    raw_ev: dict[str, dict[str, float]] = {}
    for name, spec in utils.items():
        fld = f"issueUtilities.{name}"
        if name not in by_name:
            raise ScenarioError(
                "profile names an issue the domain does not have",
                file=file,
                field=fld,
                value=name,
                expected=f"one of {sorted(by_name)}",
            )
        vu = _mapping(
            _mapping(_mapping(spec, file, fld).get("discreteutils"), file, fld).get(
                "valueUtilities"
            ),
            file,
            fld,
        )
        if sorted(vu) != sorted(by_name[name].values):
            raise ScenarioError(
                "profile values differ from the domain's",
                file=file,
                field=fld,
                value=sorted(vu),
                expected=f"exactly {list(by_name[name].values)}",
            )
        raw_ev[name] = {str(k): float(v) for k, v in vu.items()}
    if sorted(raw_ev) != sorted(by_name):
        raise ScenarioError(
            "profile must give every issue once",
            file=file,
            field="issueUtilities",
            value=sorted(raw_ev),
            expected=f"exactly {sorted(by_name)}",
        )
    raw_w = {
        str(k): float(v)
        for k, v in _mapping(space.get("issueWeights"), file, "issueWeights").items()
    }
    if sorted(raw_w) != sorted(by_name):
        raise ScenarioError(
            "weights must name every issue once",
            file=file,
            field="issueWeights",
            value=sorted(raw_w),
            expected=f"exactly {sorted(by_name)}",
        )
    weights, notes = _weights(raw_w, file, None)
    for name, ev in raw_ev.items():
        if any(not 0.0 <= u <= 1.0 for u in ev.values()):
            raise ScenarioError(
                "value utilities must lie in [0, 1]",
                file=file,
                field=f"issueUtilities.{name}",
                value=ev,
                expected="utilities in [0, 1]",
            )
    reservation = None
    bid = space.get("reservationBid")
    if isinstance(bid, dict):
        chosen = _mapping(bid.get("issuevalues"), file, "reservationBid.issuevalues")
        for k, v in chosen.items():
            if k not in raw_ev or v not in raw_ev[k]:
                raise ScenarioError(
                    "reservation bid names an unknown issue or value",
                    file=file,
                    field=f"reservationBid.issuevalues.{k}",
                    value=v,
                    expected="a value of a domain issue",
                )
        reservation = math.fsum(weights[k] * raw_ev[k][v] for k, v in chosen.items())
        notes += (f"{path.name}: reservation value = utility of the reservation bid {chosen}",)
    return GeniusProfile(
        name=str(space.get("name") or path.stem),
        weights=weights,
        evaluations={n: _normalise(ev, file, f"issueUtilities.{n}") for n, ev in raw_ev.items()},
        raw_evaluations=raw_ev,
        raw_weights=raw_w,
        reservation=reservation,
        source=file,
        notes=notes,
        format="geniusweb",
    )
