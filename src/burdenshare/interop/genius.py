"""Read GENIUS / GeniusWeb negotiation domains and turn them into burdenshare scenarios.

A GENIUS folder holds one domain file (root ``negotiation_template``) and two or more profile
files (root ``utility_space``); a GeniusWeb folder holds one JSON domain (``issuesValues``) and
JSON profiles (``LinearAdditiveUtilitySpace``). :func:`load_genius` reads either into a frozen
:class:`GeniusDomain`; :func:`utility_tables` gives the additive utility tables;
:func:`to_scenario` writes a burdenshare scenario.

Decisions (see docs/how-to/import-genius.md):

- GENIUS XML evaluations are raw points; the value's utility is the evaluation divided by the
  issue's largest evaluation (``GeniusProfile.evaluations``; raw points in ``raw_evaluations``).
  GeniusWeb value utilities are used as given (already in [0, 1]), not rescaled.
- Weights must sum to 1. Within 1e-3 of 1 (some shipped ANAC files are off by up to 1.6e-4),
  they are divided by their sum and a note is recorded (``GeniusProfile.notes``, and the
  scenario's provenance); further off is a :class:`ScenarioError`. ``raw_weights`` keeps them.
- Non-linear profiles (hyper-rectangle utilities, e.g. ANAC 2014 ``10issues``) are read into
  ``GeniusProfile.rules`` (:mod:`burdenshare.interop.genius_rules`) and become a party's
  ``utility_rules`` in the scenario; only ``PlainUfun`` with ``aggregation="sum"``, weight 1 and
  ``INCLUDES`` bounds on integer issues is accepted, anything else is a clear error.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml

from burdenshare.errors import ScenarioError
from burdenshare.interop.text_checks import check_json_text, check_xml_text
from burdenshare.scenario.io import parse_scenario_text
from burdenshare.scenario.scenario import Scenario

__all__ = [
    "MAX_XML_BYTES",
    "NAME_PREFIX",
    "GeniusDomain",
    "GeniusIssue",
    "GeniusProfile",
    "GeniusRule",
    "chosen_profiles",
    "load_genius",
    "to_scenario",
    "utility_tables",
]

#: largest GENIUS file read (the biggest shipped domain, Pie, is 86 kB)
MAX_XML_BYTES = 2_000_000
#: issue and party descriptions written by ``to_scenario`` start with this, then the GENIUS name
NAME_PREFIX = "GENIUS name: "
#: weights summing to 1 within this are divided by their sum (with a note); further off: error
WEIGHT_TOLERANCE = 1e-3
#: numeric issues are expanded to at most this many integer values in :func:`utility_tables`
MAX_INTEGER_VALUES = 100_000


@dataclass(frozen=True)
class GeniusIssue:
    """One issue: ``discrete`` (``values``), ``integer`` or ``real`` (``low`` .. ``high``)."""

    name: str
    kind: Literal["discrete", "integer", "real"]
    values: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None

    def points(self) -> tuple[str, ...]:
        """The issue's values as text: the categories, or every integer from low to high."""
        if self.kind == "discrete":
            return self.values
        if self.kind == "integer" and self.low is not None and self.high is not None:
            n = int(self.high) - int(self.low) + 1
            if n > MAX_INTEGER_VALUES:
                raise ScenarioError(
                    "integer issue has too many values to tabulate",
                    field=self.name,
                    value=n,
                    expected=f"at most {MAX_INTEGER_VALUES:,}",
                )
            return tuple(str(k) for k in range(int(self.low), int(self.high) + 1))
        raise ScenarioError(
            "a real issue has no finite list of values", field=self.name, expected="discretise it"
        )


@dataclass(frozen=True)
class GeniusRule:
    """One hyper-rectangle of a non-linear profile: ``utility`` raw points for every outcome
    whose value of each issue in ``ranges`` lies in ``[low, high]`` (issue values, inclusive)."""

    utility: float
    ranges: dict[str, tuple[float, float]]


@dataclass(frozen=True)
class GeniusProfile:
    """One party's linear additive utility.

    ``evaluations[issue][value]`` is the value's utility in [0, 1] (GENIUS: raw points divided by
    the issue's largest; GeniusWeb: as given); ``raw_evaluations`` the numbers in the file.
    ``linear[issue] = (slope, intercept)`` is a numeric issue's raw evaluator
    ``slope * x + intercept``, whose utility is that divided by its largest value on the range.
    ``reservation`` is the reservation value (GeniusWeb: the utility of the reservation bid),
    ``discount`` the discount factor over the whole deadline, ``None`` when absent.
    A non-linear profile has ``rules`` (and ``max_utility``, GENIUS's ``maxutility``, the
    divisor of the rules' sum) and no weights or evaluations.
    """

    name: str
    weights: dict[str, float]
    evaluations: dict[str, dict[str, float]]
    raw_evaluations: dict[str, dict[str, float]]
    raw_weights: dict[str, float]
    linear: dict[str, tuple[float, float]] = field(default_factory=dict)
    linear_scale: dict[str, float] = field(default_factory=dict)
    reservation: float | None = None
    discount: float | None = None
    source: str = ""
    notes: tuple[str, ...] = ()
    format: Literal["genius", "geniusweb"] = "genius"
    rules: tuple[GeniusRule, ...] = ()
    max_utility: float | None = None

    @property
    def nonlinear(self) -> bool:
        return bool(self.rules)

    def scores(self, issue: str) -> dict[str, float]:
        """Each value's utility in [0, 1]: normalised (GENIUS) or as given (GeniusWeb)."""
        if self.format == "geniusweb":
            return self.raw_evaluations[issue]
        return self.evaluations[issue]

    def numeric_utility(self, issue: str, x: float) -> float:
        """Utility in [0, 1] of ``x`` on a numeric issue (the normalised linear evaluator)."""
        slope, intercept = self.linear[issue]
        return (slope * x + intercept) / self.linear_scale[issue]


@dataclass(frozen=True)
class GeniusDomain:
    """A domain: its issues in file order and two or more profiles."""

    name: str
    issues: tuple[GeniusIssue, ...]
    profiles: tuple[GeniusProfile, ...]
    source: str = ""
    domain_file: str = ""


def utility_tables(domain: GeniusDomain) -> list[list[np.ndarray]]:
    """Per profile, per issue: the weighted utility ``w_i * eval_i(value)`` of each value.

    Values are in the issue's order (discrete issues as listed; integer issues expanded to
    every integer from low to high). An outcome's utility is the sum over issues of its
    values' entries. Real issues have no table (:class:`ScenarioError`).

    >>> issues = (GeniusIssue("a", "discrete", ("x", "y")),
    ...           GeniusIssue("n", "integer", low=0, high=2))
    >>> p = GeniusProfile("P", {"a": 0.5, "n": 0.5}, {"a": {"x": 1.0, "y": 0.25}}, {}, {},
    ...                   linear={"n": (1.0, 0.0)}, linear_scale={"n": 2.0})
    >>> [t.tolist() for t in utility_tables(GeniusDomain("d", issues, (p, p)))[0]]
    [[0.5, 0.125], [0.0, 0.25, 0.5]]
    """
    out: list[list[np.ndarray]] = []
    for prof in domain.profiles:
        if prof.nonlinear:
            raise ScenarioError(
                "a non-linear (hyper-rectangle) profile has no additive utility tables",
                file=prof.source,
                expected="a linear additive profile (use the scenario's utility_rules instead)",
            )
        row: list[np.ndarray] = []
        for issue in domain.issues:
            w = prof.weights[issue.name]
            if issue.kind == "discrete":
                ev = prof.scores(issue.name)
                row.append(np.array([w * ev[v] for v in issue.values], dtype=float))
            else:
                xs = [float(v) for v in issue.points()]
                row.append(np.array([w * prof.numeric_utility(issue.name, x) for x in xs]))
        out.append(row)
    return out


# -- loading -----------------------------------------------------------------------------------


def load_genius(directory: str | Path) -> GeniusDomain:
    """Read the GENIUS (XML) or GeniusWeb (JSON) domain in ``directory``."""
    from burdenshare.interop.genius_xml import load_xml_domain, parse_xml
    from burdenshare.interop.geniusweb import load_json_domain

    folder = Path(directory)
    if not folder.is_dir():
        raise ScenarioError("not a folder", file=str(folder), expected="a GENIUS domain folder")
    xml_docs: list[tuple[Path, bytes, Any]] = []
    json_docs: list[tuple[Path, Any]] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in (".xml", ".json"):
            continue
        if path.stat().st_size > MAX_XML_BYTES:
            raise ScenarioError(
                "file is too large",
                file=str(path),
                value=f"{path.stat().st_size:,} bytes",
                expected=f"at most {MAX_XML_BYTES:,} bytes",
            )
        data = path.read_bytes()
        if path.suffix.lower() == ".json":
            try:
                doc = json.loads(data)
            except json.JSONDecodeError as exc:
                raise ScenarioError(
                    f"malformed JSON: {exc.msg}",
                    file=str(path),
                    line=exc.lineno,
                    expected="valid JSON",
                ) from None
            except (ValueError, RecursionError) as exc:  # huge integers, deep nesting
                reason = "a number has too many digits" if "digits" in str(exc) else "too deep"
                raise ScenarioError(
                    f"malformed JSON: {reason}",
                    file=str(path),
                    expected="valid JSON with numbers of at most 4,300 digits",
                ) from None
            check_json_text(doc, str(path), data)
            json_docs.append((path, doc))
        elif data.lstrip().startswith(b"<"):  # pareto.xml and other non-XML text are skipped
            root = parse_xml(data, str(path))
            check_xml_text(root, str(path), data)
            xml_docs.append((path, data, root))
    if xml_docs:
        return load_xml_domain(folder, xml_docs)
    if json_docs:
        return load_json_domain(folder, json_docs)
    raise ScenarioError(
        "no GENIUS domain file found", file=str(folder), expected="a negotiation_template XML"
    )


def _line(data: bytes, needle: str) -> int | None:
    pos = data.find(needle.encode("utf-8"))
    return None if pos < 0 else data.count(b"\n", 0, pos) + 1


def _float(text: str | None, file: str, data: bytes, fld: str, attr: str) -> float:
    try:
        value = float(text) if text is not None else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ScenarioError(
            f"{attr} must be a finite number",
            file=file,
            line=_line(data, f'{attr}="{text}"') if text is not None else None,
            field=fld,
            value=text,
            has_value=True,
            expected="a finite number",
        )
    return value


def _reservation_discount(root: Any, file: str, data: bytes) -> tuple[float | None, float | None]:
    """A profile's ``<reservation>`` and ``<discount_factor>`` values (None if absent)."""
    out: list[float | None] = []
    for tag in ("reservation", "discount_factor"):
        el = root.find(tag)
        out.append(None if el is None else _float(el.get("value"), file, data, tag, "value"))
    return out[0], out[1]


def _weights(
    raw: dict[str, float], file: str, line: int | None
) -> tuple[dict[str, float], tuple[str, ...]]:
    total = math.fsum(raw.values())
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        raise ScenarioError(
            f"issue weights must sum to 1 (they sum to {total:.9g})",
            file=file,
            line=line,
            field="weights",
            value=raw,
            expected=f"weights summing to 1 (within {WEIGHT_TOLERANCE:g})",
        )
    if abs(total - 1.0) <= 1e-12:
        return dict(raw), ()
    note = f"{Path(file).name}: weights summed to {total!r}; divided by their sum"
    return {k: v / total for k, v in raw.items()}, (note,)


def _normalise(raw: dict[str, float], file: str, fld: str) -> dict[str, float]:
    top = max(raw.values(), default=0.0)
    if min(raw.values(), default=0.0) < 0:
        raise ScenarioError(
            "evaluations must be non-negative",
            file=file,
            field=fld,
            value=raw,
            expected="evaluations >= 0",
        )
    if top == 0:  # an issue the party does not care about (Gratch: weight 0, all evaluations 0)
        return dict.fromkeys(raw, 0.0)
    return {k: v / top for k, v in raw.items()}


def _mapping(value: Any, file: str, fld: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(
            "expected a mapping", file=file, field=fld, value=value, expected="{...}"
        )
    return value


# -- conversion to a burdenshare scenario ------------------------------------------------------

_SLUG_BAD = re.compile(r"[^A-Za-z0-9_.\-]+")
#: a real issue's normalised evaluator may miss 0 at its worst end by this much (e.g. 1.3e-8)
REAL_TOLERANCE = 1e-6


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _pair_flow(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    """Two numbers (a range) on one line, ``[0, 9]``; other lists as blocks."""
    flow = len(data) == 2 and all(isinstance(x, (int, float)) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _pair_flow)


def _slug(name: str, taken: set[str]) -> str:
    base = _SLUG_BAD.sub("_", name).strip("_.-")[:60] or "x"
    if not base[0].isalnum():
        base = "x" + base
    slug, k = base, 2
    while slug in taken:
        slug, k = f"{base[:57]}_{k}", k + 1
    taken.add(slug)
    return slug


def chosen_profiles(
    domain: GeniusDomain,
    *,
    profiles: Sequence[int] | None = None,
    pair: tuple[int, int] | None = None,
) -> tuple[int, ...]:
    """The profiles :func:`to_scenario` makes parties of: ``profiles`` (or ``pair``) checked,
    or every profile of the domain in file order.

    >>> from types import SimpleNamespace
    >>> d = SimpleNamespace(profiles=("x", "y", "z"))
    >>> chosen_profiles(d), chosen_profiles(d, profiles=[2, 0]), chosen_profiles(d, pair=(1, 2))
    ((0, 1, 2), (2, 0), (1, 2))
    """
    if profiles is not None and pair is not None:
        raise ScenarioError(
            "give profiles or pair, not both", field="profiles", value=[list(profiles), pair]
        )
    field_name = "pair" if pair is not None else "profiles"
    picked = tuple(pair) if pair is not None else profiles
    n = len(domain.profiles)
    if picked is None:
        return tuple(range(n))
    out = tuple(int(k) for k in picked)
    if (
        len(out) < 2
        or len(set(out)) != len(out)
        or not all(0 <= k < n for k in out)
        or (pair is not None and len(out) != 2)
    ):
        raise ScenarioError(
            f"{field_name} must name {'two' if pair is not None else 'two or more'} different "
            "profiles",
            field=field_name,
            value=list(out),
            expected=f"different indices below {n}",
        )
    return out


def to_scenario(
    domain: GeniusDomain,
    *,
    first_mover: int = 0,
    rounds: int = 100,
    profiles: Sequence[int] | None = None,
    pair: tuple[int, int] | None = None,
    start: dt.date = dt.date(2000, 1, 1),
) -> tuple[str, Scenario]:
    """A burdenshare scenario (YAML text, and the validated :class:`Scenario`) with one party
    per profile.

    ``profiles`` picks the profiles (indices into ``domain.profiles``, two or more, each once; they
    become the scenario's parties in that order); by default every profile of the domain, in file
    order, so a three-profile ANAC 2015 domain becomes a three-party scenario and a two-profile
    domain the same bilateral scenario as ever. ``pair`` is the older spelling for two of them (give
    one or the other). ``first_mover`` is the position, among the chosen profiles, of the one that
    opens. Discrete issues become categorical with the profile's value utilities as ``scores``;
    integer/real issues become integer/continuous with a linear utility (ideal at the end the
    evaluator prefers, reservation at the other end, where the normalised evaluator must be 0 within
    :data:`REAL_TOLERANCE`). ``reservation`` becomes ``outside_option`` unchanged (absent: 0, as in
    GENIUS); GENIUS discounts over the whole deadline (``d ** t``, t in [0, 1]), so ``discount``
    becomes ``discount_per_round = d ** (1 / rounds)`` (absent, or <= 0 or 1: none). The protocol
    has ``rounds`` daily rounds from ``start``, with private information and no prior over the
    opponent (``information: private``, ``opponent_prior: uninformed``): as in GENIUS, a negotiator
    sees its own profile, the issues and the offers, and ``opponent_estimate`` is ``None``.
    """
    if not 1 <= rounds <= 10_000:
        raise ScenarioError("rounds must be 1 to 10,000", field="rounds", value=rounds)
    chosen = chosen_profiles(domain, profiles=profiles, pair=pair)
    if not 0 <= first_mover < len(chosen):
        raise ScenarioError(
            "first_mover is the position of a chosen profile",
            field="first_mover",
            value=first_mover,
            expected=f"0 to {len(chosen) - 1}",
        )
    ids: set[str] = set()
    issue_id = {i.name: _slug(i.name, ids) for i in domain.issues}
    pnames: set[str] = set()
    profs = [domain.profiles[k] for k in chosen]
    party_id = [_slug(p.name, pnames) for p in profs]
    issues: list[dict[str, Any]] = []
    for i in domain.issues:
        entry: dict[str, Any] = {"id": issue_id[i.name]}
        if i.kind == "discrete":
            entry.update(kind="categorical", values=list(i.values))
        else:
            entry.update(
                kind="integer" if i.kind == "integer" else "continuous", range=[i.low, i.high]
            )
        entry["description"] = NAME_PREFIX + i.name
        issues.append(entry)
    parties: dict[str, Any] = {}
    provenance: list[dict[str, str]] = [
        {
            "field": "issues",
            "kind": "source",
            "note": f"GENIUS domain {Path(domain.domain_file).name} ({domain.name})",
        }
    ]
    for pid, prof in zip(party_id, profs, strict=True):
        utility: dict[str, Any] = {}
        for i in domain.issues if not prof.nonlinear else ():
            u: dict[str, Any] = {"weight": prof.weights[i.name]}
            if i.kind == "discrete":
                u["scores"] = {v: prof.scores(i.name)[v] for v in i.values}
                if len(set(u["scores"].values())) == 1 and u["weight"] == 0:
                    # burdenshare needs a best and a worst category; with weight 0 the scores
                    # change no utility, so the first category is scored 1 and the rest 0
                    u["scores"] = {v: float(k == 0) for k, v in enumerate(i.values)}
                    provenance.append(
                        {
                            "field": f"parties.{pid}.utility.{issue_id[i.name]}",
                            "kind": "assumption",
                            "note": "all values evaluated alike at weight 0: scores "
                            "set to 1, 0, ... (no effect on utility)",
                        }
                    )
            else:
                u.update(_numeric_utility(prof, i))
            utility[issue_id[i.name]] = u
        party: dict[str, Any] = {"utility": utility}
        if prof.nonlinear:
            party = {
                "utility_rules": {
                    "scale": prof.max_utility,
                    "rules": [
                        {
                            "utility": r.utility,
                            "ranges": {
                                issue_id[n]: [int(lo), int(hi)] for n, (lo, hi) in r.ranges.items()
                            },
                        }
                        for r in prof.rules
                    ],
                }
            }
        d = prof.discount
        if d is not None and 0.0 < d < 1.0:
            party["discount_per_round"] = d ** (1.0 / rounds)
            provenance.append(
                {
                    "field": f"parties.{pid}.discount_per_round",
                    "kind": "source",
                    "note": f"GENIUS discount factor {d!r} over {rounds} rounds: "
                    f"{d!r} ** (1/{rounds})",
                }
            )
        elif d is not None and d > 1.0:
            raise ScenarioError(
                "discount factor above 1",
                file=prof.source,
                field="discount_factor",
                value=d,
                expected="a value in (0, 1]",
            )
        res = prof.reservation if prof.reservation is not None else 0.0
        if not -1.0 <= res < 1.0:
            raise ScenarioError(
                "reservation value outside burdenshare's outside_option range",
                file=prof.source,
                field="reservation",
                value=res,
                expected="a value in [-1, 1)",
            )
        party["outside_option"] = res
        party["description"] = NAME_PREFIX + prof.name
        parties[pid] = party
        provenance.append(
            {
                "field": f"parties.{pid}.utility" + ("_rules" if prof.nonlinear else ""),
                "kind": "source",
                "note": f"GENIUS profile {Path(prof.source).name}",
            }
        )
        provenance.append(
            {
                "field": f"parties.{pid}.outside_option",
                "kind": "source",
                "note": f"reservation value in {Path(prof.source).name}"
                + ("" if prof.reservation is not None else " (absent: 0)"),
            }
        )
        provenance += [
            {"field": f"parties.{pid}.utility", "kind": "assumption", "note": n} for n in prof.notes
        ]
    data: dict[str, Any] = {
        "id": _slug(domain.name, set()),
        "title": f"GENIUS domain {domain.name}"[:200],
        "as_of": start,
        "description": f"Imported from {domain.source}"[:2000],
        "issues": issues,
        "parties": parties,
        "protocol": {
            "first_mover": party_id[first_mover],
            "start": start,
            "round_every_days": 1,
            "deadline": start + dt.timedelta(days=rounds),
            "max_rounds": rounds,
            "information": "private",
            "opponent_prior": "uninformed",
        },
        "provenance": [
            *provenance,
            {
                "field": "protocol.opponent_prior",
                "kind": "assumption",
                "note": "as in GENIUS and ANAC, each agent knows only its own profile: it sees "
                "the issues and the offers, not the opponent's utility (information: private, "
                "opponent_prior: uninformed)",
            },
        ],
    }
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    loaded = parse_scenario_text(text, source=f"{domain.name}.yaml")
    return text, loaded.scenario


def _numeric_utility(prof: GeniusProfile, issue: GeniusIssue) -> dict[str, Any]:
    assert issue.low is not None
    assert issue.high is not None
    at_lo = prof.numeric_utility(issue.name, issue.low)
    at_hi = prof.numeric_utility(issue.name, issue.high)
    ideal, res, worst = (
        (issue.high, issue.low, at_lo) if at_hi >= at_lo else (issue.low, issue.high, at_hi)
    )
    if abs(worst) > REAL_TOLERANCE:
        raise ScenarioError(
            "a burdenshare linear utility is 0 at its reservation, but this evaluator is not 0 at "
            "either end of the range",
            file=prof.source,
            field=f"issues.{issue.name}.evaluator",
            value=worst,
            expected=f"a normalised evaluation within {REAL_TOLERANCE:g} of 0 at one end",
        )
    return {"ideal": ideal, "reservation": res}
