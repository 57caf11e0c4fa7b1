"""Build a scenario for any alliance from the public facts on a date and the fitted priors.

:func:`build_case` turns a :class:`~burdenshare.history.facts.Facts` (what was public about one
round on its ``as_of`` date: the two parties, currency, status quo, expiry, asks, offers,
meetings, elections, ratifier) into a validated scenario. What was never public (walk-away
points, ratifier thresholds, deadline beliefs, patience, breakdown risk) comes from
:class:`~burdenshare.history.priors_fit.FittedPriors`, fitted on the record of rounds
(:mod:`burdenshare.history.priors_fit`; by default the shipped ``priors-v1``). Nothing names an
alliance, a currency or a party: every name and unit comes from the facts.

The rule (``S`` status quo, ``A`` the demander's latest public ask, ``O`` the payer's latest
public offer, all in the facts' currency and scale; ``mu``, ``d`` and the shares from the
priors):

1. One issue, ``contribution``: the payer's first-year payment, in ``currency`` x ``scale``.
2. Ideals: the demander ``A`` (none public: ``S * exp(first_ask_log_ratio)``, the record's
   typical first ask); the payer ``S``, or ``O`` if it offered less than ``S``.
3. Walk-away points and ratifier thresholds: :func:`~burdenshare.history.priors_fit.walkaways`
   (the demander's below ``S * exp(mu)``, capped by the share of the way to ``A`` at which the
   record's deals landed; the payer's above it, at least its public offer).
4. Deadline beliefs (``parties.NAME.deadline_belief``, both sides): triangular days after the
   as-of date, the expiry plus the record's deal delays
   (:func:`~burdenshare.history.priors_fit.deadline_belief_days`).
5. Patience and risk: the priors' yearly discount per round of ``cadence`` days, their
   breakdown risk rescaled to that cadence; the demander moves first.
6. Time: rounds every ``cadence`` days (the median gap of the meetings public by the as-of date,
   within 7-120 days; else the record's), the first on the as-of date; the deadline is the
   expiry, or once it has passed the central deadline belief; the horizon ``horizon_days`` after
   the later of the expiry and the as-of date. The expiry and every scheduled election after
   the as-of date are dated events (labels, no effects).
7. Actors for the forecasting models: the two governments at their public positions (the
   demander at its ideal, the payer at ``O`` or ``S``), equal salience and capability.

Every number in the text carries ``# source:`` (the fact's source) or ``# assumption:`` (the
prior's name and version) and a provenance entry; the text passes the normal validation.

>>> import datetime as dt
>>> from burdenshare.history.facts import Facts, Position, StatusQuo
>>> facts = Facts(alliance="A-B", talks="demo", as_of=dt.date(2030, 1, 15), demander="Home",
...               payer="Host", currency="EUR", scale="million", fx={},
...               status_quo=StatusQuo(100.0, 2029, None, "demo source"),
...               expiry=dt.date(2030, 6, 30),
...               positions=(Position(dt.date(2030, 1, 10), "Home", "ask", 400.0,
...                                   "four times as much", "demo source"),))
>>> case = build_case(facts)
>>> sorted(case.scenario.parties), case.scenario.money.unit
(['Home', 'Host'], 'EUR')
>>> case.numbers["zone_at_central_values"]
True
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import re
import statistics
from dataclasses import dataclass
from typing import Any

from burdenshare.errors import ScenarioError
from burdenshare.history.facts import Facts, Position
from burdenshare.history.priors_fit import (
    FittedPriors,
    deadline_belief_days,
    load_priors,
    walkaways,
)
from burdenshare.scenario.io import parse_scenario_text
from burdenshare.scenario.scenario import Scenario

__all__ = ["CADENCE_BOUNDS", "ISSUE", "BuiltCase", "build_case"]

#: the one issue of a built case
ISSUE = "contribution"
#: bounds on a public cadence of meetings (days)
CADENCE_BOUNDS = (7, 120)
#: the latest expiry a case can have, in days after as_of (its deadline beliefs, the expiry plus
#: at most 3,650 days of delay, must stay within the scenario's 36,525 days)
MAX_EXPIRY_DAYS = 18_262
#: the issue's range: this factor times the lowest value in the case, to this factor times the
#: highest
RANGE_FACTORS = (0.8, 1.2)


@dataclass(frozen=True)
class BuiltCase:
    """A built scenario: its YAML ``text``, the validated ``scenario`` and every derived number."""

    text: str
    scenario: Scenario
    numbers: dict[str, Any]


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _n(x: float) -> str:
    """A money number as written in the file: 4 decimals at most from 1 up (every digit
    before the point kept: ``"g"`` kept 6 and wrote 98,765,432.1 as 9.87654e+07), 10 significant
    digits below 1 (a status quo of 0.0001 must not round to 0 or collapse a distribution)."""
    if abs(x) < 1:
        return format(x, ".10g")
    return format(round(x, 4), ".15g") if abs(x) < 1e15 else repr(x)


def _r(x: float) -> float:
    """``x`` as written in the file (:func:`_n`)."""
    return float(_n(x))


def _tri(t: tuple[float, float, float]) -> str:
    return f"{{triangular: [{_n(t[0])}, {_n(t[1])}, {_n(t[2])}]}}"


def _slug(text: str) -> str:
    out = "".join(c if c.isalnum() or c in "-_." else "-" for c in text.lower())
    while "--" in out:
        out = out.replace("--", "-")
    out = out.strip("-")[:64]
    return out if out and out[0].isalnum() else "case"


def _one_line(text: str) -> str:
    """One line of printable text (comments and notes may not break the YAML)."""
    printable = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(printable.split())[:300]


_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_CODE = re.compile(r"^[A-Za-z]{3}$")
_RULES = ("majority", "supermajority", "consensus")


def _cadence(facts: Facts, priors: FittedPriors) -> tuple[int, str, bool]:
    """(days, why, public): the median gap of the meetings public by as_of, else the prior."""
    days = sorted({m.date for m in facts.meetings if m.date <= facts.as_of})
    gaps = [(b - a).days for a, b in itertools.pairwise(days) if b > a]
    if len(gaps) >= 1 and len(days) >= 2:
        lo, hi = CADENCE_BOUNDS
        med = statistics.median(gaps)
        return (
            int(min(max(round(med), lo), hi)),
            f"median of {len(gaps)} gaps between the meetings public by {facts.as_of}",
            True,
        )
    lo, hi = CADENCE_BOUNDS
    return (
        int(min(max(round(priors.meeting_gap_days), lo), hi)),
        f"prior meeting_gap_days of {priors.label}: the record's median gap",
        False,
    )


def _check(facts: Facts) -> None:
    for fld, name in (("demander", facts.demander), ("payer", facts.payer)):
        if not (isinstance(name, str) and _NAME.match(name)):
            raise ScenarioError(
                "a party name must be a scenario name",
                field=fld,
                value=name,
                expected="1-64 letters, digits, '_', '.' or '-', starting with a letter or digit",
            )
    for fld, code in [("currency", facts.currency)] + [(f"fx.{k}", k) for k in facts.fx]:
        if not (isinstance(code, str) and _CODE.match(code)):
            raise ScenarioError(
                "not a currency code", field=fld, value=code, expected="three letters, as USD"
            )
    if facts.ratifier is not None and facts.ratifier.rule not in _RULES:
        raise ScenarioError(
            "unknown ratification rule",
            field="ratifier.rule",
            value=facts.ratifier.rule,
            expected=", ".join(_RULES),
        )
    s = facts.status_quo.amount
    if not (isinstance(s, int | float) and math.isfinite(s) and s > 0):
        raise ScenarioError(
            "the status quo must be a positive amount",
            field="status_quo.amount",
            value=s,
            expected="a number > 0",
        )
    ahead = (facts.expiry - facts.as_of).days
    if ahead > MAX_EXPIRY_DAYS:
        raise ScenarioError(
            f"the expiry lies {ahead:,} days after as_of: no deadline belief can reach it",
            field="expiry",
            value=facts.expiry.isoformat(),
            expected=f"a date at most {MAX_EXPIRY_DAYS:,} days (50 years) after as_of "
            f"({facts.as_of.isoformat()})",
        )
    if facts.demander == facts.payer:
        raise ScenarioError(
            "the demander and the payer must be two different parties",
            field="payer",
            value=facts.payer,
            expected=f"a name other than {facts.demander!r}",
        )
    for i, p in enumerate(facts.positions):
        if not (math.isfinite(p.amount) and p.amount > 0):
            raise ScenarioError(
                "a position must be a positive amount",
                field=f"positions.{i}.amount",
                value=p.amount,
                expected="a number > 0",
            )


def _latest(facts: Facts, party: str, kind: str) -> Position | None:
    """``party``'s latest public position of ``kind`` by the as-of date (the first listed of a
    day's figures loses to a later one of the same day)."""
    mine = [p for p in facts.positions if p.party == party and p.kind == kind]
    mine = [p for p in mine if p.date <= facts.as_of]
    return max(mine, key=lambda p: p.date) if mine else None


def _src(p: Position) -> str:
    return _one_line(f"{p.source}: {p.stated!r} ({p.date}, {p.confidence.value})")


def build_case(facts: Facts, priors: FittedPriors | None = None) -> BuiltCase:
    """The scenario the rule (module docstring) builds from ``facts`` with ``priors`` (None:
    the shipped ``priors-v1``). Raises :class:`ScenarioError` on facts it cannot build from."""
    pri = priors if priors is not None else load_priors()
    _check(facts)
    tag = f"{pri.version} fitted on {len(pri.fitted_on)} rounds"
    dem, pay = facts.demander, facts.payer
    s = float(facts.status_quo.amount)
    day = facts.as_of.isoformat()
    ask_pos = _latest(facts, dem, "ask")
    offer_pos = _latest(facts, pay, "offer")
    ask = ask_pos.amount if ask_pos is not None else None
    offer = offer_pos.amount if offer_pos is not None else None
    w = walkaways(pri, s, ask=ask, offer=offer)
    d = pri.half_width
    notes = list(w.notes)
    # -- ideals
    if ask is not None:
        dem_ideal, dem_ideal_src = ask, f"source: {_src(ask_pos)}" if ask_pos else ""
    elif pri.first_ask_log_ratio is not None:
        dem_ideal = s * math.exp(pri.first_ask_log_ratio)
        dem_ideal_src = (
            f"assumption: no ask public by {day}; S x exp(first_ask_log_ratio "
            f"{pri.first_ask_log_ratio:g}) of {tag}"
        )
    else:
        dem_ideal = w.payer_ratifier[2]
        dem_ideal_src = (
            f"assumption: no ask public by {day} and none in the record; the top "
            f"of the payer's threshold ({tag})"
        )
    if dem_ideal <= sum(w.demander) / 3 or dem_ideal < w.demander[2]:
        dem_ideal = w.demander[2] * math.exp(d)
        dem_ideal_src = (
            f"assumption: the public ask lies below the fitted walk-away range; "
            f"one step above its top ({tag})"
        )
        notes.append("the demander's ask lies below its fitted walk-away range")
    pay_ideal = min(s, offer) if offer is not None else s
    pay_ideal_src = (
        f"source: the status quo {_n(s)} ({facts.status_quo.year}), "
        f"{_one_line(facts.status_quo.source)}"
    )
    if offer is not None and offer < s and offer_pos is not None:
        pay_ideal_src = f"source: the payer's offer below the status quo, {_src(offer_pos)}"
    if pay_ideal >= sum(w.payer) / 3:
        pay_ideal = w.demander[0]
        pay_ideal_src = f"assumption: the low end of the demander's walk-away ({tag})"
    pay_pos = offer if offer is not None else s
    # -- time
    cadence, cad_why, cad_public = _cadence(facts, pri)
    to_expiry = (facts.expiry - facts.as_of).days
    belief = deadline_belief_days(pri, to_expiry)
    belief_mean = round(sum(belief) / 3)
    lapsed = facts.expiry <= facts.as_of
    start = facts.as_of
    if lapsed:
        deadline = start + dt.timedelta(days=max(belief_mean, cadence))
        dl_why = (
            f"assumption: the agreement in force expired on {facts.expiry}; the central "
            f"deadline belief ({tag})"
        )
        notes.append(f"the agreement in force expired on {facts.expiry}")
    else:
        deadline = facts.expiry
        dl_why = f"source: the agreement in force expires on {facts.expiry}"
    horizon = max(facts.expiry, start) + dt.timedelta(days=pri.horizon_days)
    horizon = max(horizon, deadline)
    disc = round(pri.annual_discount ** (cadence / 365.0), 4)
    risk = round(1.0 - (1.0 - pri.breakdown_risk_per_round) ** (cadence / pri.meeting_gap_days), 4)
    risk = min(risk, 0.9999)  # rounding must not make a breakdown certain (the scenario's [0, 1))
    # -- range
    lows = [pay_ideal, w.demander[0], w.demander_ratifier[0], s]
    highs = [dem_ideal, w.payer[2], w.payer_ratifier[2], pay_pos]
    rng = (_r(RANGE_FACTORS[0] * min(lows)), _r(RANGE_FACTORS[1] * max(highs)))
    rat = facts.ratifier
    rat_party = rat.party if rat is not None and rat.party in (dem, pay) else None
    if rat is not None and rat_party is None:
        notes.append(f"the ratifier's party {rat.party!r} is neither {dem!r} nor {pay!r}; ignored")
    numbers: dict[str, Any] = {
        "priors": pri.version,
        "status_quo": s,
        "ask": ask,
        "offer": offer,
        "demander": dem,
        "payer": pay,
        "demander_ideal": _r(dem_ideal),
        "payer_ideal": _r(pay_ideal),
        "demander_walkaway": list(w.demander),
        "payer_walkaway": list(w.payer),
        "ratifier": rat_party,
        "ratifier_threshold": list(w.payer_ratifier if rat_party == pay else w.demander_ratifier)
        if rat_party
        else None,
        "ask_cap": list(w.ask_cap) if w.ask_cap else None,
        "offer_floor": w.offer_floor,
        "zone_at_central_values": w.zone_at_central_values,
        "deadline_belief_days": list(belief),
        "cadence_days": cadence,
        "discount_per_round": disc,
        "breakdown_risk_per_round": risk,
        "start": start.isoformat(),
        "deadline": deadline.isoformat(),
        "horizon": horizon.isoformat(),
        "lapsed": lapsed,
        "issue_range": list(rng),
        "notes": notes,
    }
    text = _render(
        facts, pri, tag, numbers, w, dem_ideal_src, pay_ideal_src, cad_why, cad_public, dl_why
    )
    loaded = parse_scenario_text(text, source=f"<built case {facts.talks} {day}>")
    return BuiltCase(text=text, scenario=loaded.scenario, numbers=numbers)


def _party_block(
    name: str,
    *,
    prefers: str,
    ideal: float,
    ideal_src: str,
    walk: tuple[float, float, float],
    walk_src: str,
    disc: float,
    tag: str,
    belief: list[int],
    ratification: list[str],
) -> list[str]:
    return [
        f"  {_q(name)}:",
        "    utility:",
        f"      {ISSUE}:",
        f"        prefers: {prefers}",
        f"        ideal: {_n(ideal)}  # {ideal_src}",
        f"        reservation: {_tri(walk)}  # assumption: {walk_src}",
        "        weight: 1.0  # assumption: a single issue",
        f"    discount_per_round: {disc}  # assumption: yearly discount of {tag} (not identified)",
        f"    deadline_belief: {{triangular: [{belief[0]}, {belief[1]}, {belief[2]}]}}  "
        f"# assumption: days after start; expiry + deal_delay_days of {tag}",
        *ratification,
    ]


def _render(
    facts: Facts,
    pri: FittedPriors,
    tag: str,
    n: dict[str, Any],
    w: Any,
    dem_ideal_src: str,
    pay_ideal_src: str,
    cad_why: str,
    cad_public: bool,
    dl_why: str,
) -> str:
    dem, pay, day = facts.demander, facts.payer, facts.as_of.isoformat()
    s = n["status_quo"]
    mu = pri.settlement_log_mean
    rat = facts.ratifier
    rat_lines: dict[str, list[str]] = {}
    rat_src = (_one_line(rat.source) if rat is not None else "") or "the facts"
    for party in (dem, pay):
        if rat is not None and n["ratifier"] == party:
            thr = w.payer_ratifier if party == pay else w.demander_ratifier
            rat_lines[party] = [
                "    ratification:",
                f"      body: {_q(_one_line(rat.body) or 'ratifier')}  # source: {rat_src}",
                f"      rule: {rat.rule}  # source: {rat_src}",
                f"      issue: {ISSUE}",
                f"      approval_threshold: {_tri(thr)}  # assumption: one step beyond the "
                f"walk-away point ({tag})",
            ]
        else:
            rat_lines[party] = [
                "    ratification: none  # source: no ratifier for this party in the facts"
            ]
    title = f"{facts.alliance} {facts.talks} as of {day} (built from public facts)"
    desc = (
        f"Built by burdenshare build-case from the facts public on {day}; walk-away points, "
        f"ratifier thresholds, deadline beliefs, patience and breakdown risk are the priors "
        f"{tag} (docs/explanation/case-builder.md)."
    )
    fx = ", ".join(f"{k}: {_n(v)}" for k, v in sorted(facts.fx.items()))
    cap_note = (
        f"; each point at most S + {list(pri.ask_share or ())} x (ask - S)" if w.ask_cap else ""
    )
    floor_note = (
        f"; moved up to at least the offer x exp({pri.offer_log_ratio:g})" if w.offer_floor else ""
    )
    lines = [
        "# Built by burdenshare.history.builder.build_case (docs/explanation/case-builder.md).",
        f"# Tags: 'source:' public on {day} (the facts' sources); 'assumption:' a prior of {tag}.",
        *[f"# caveat: {_one_line(c)}" for c in facts.caveats],
        *[f"# note: {_one_line(x)}" for x in n["notes"]],
        f"id: {_slug(f'{facts.alliance}-{facts.talks}-{day}')}",
        f"title: {_q(title[:2000])}",
        f"as_of: {day}  # source: the as-of date of the facts",
        f"description: {_q(desc)}",
        "money:",
        f"  unit: {facts.currency}  # source: the facts' currency",
        f"  scale: {facts.scale}  # source: the facts' scale",
    ]
    if fx:
        lines.append(f"  fx: {{{fx}}}  # source: the facts' exchange rates")
    lines += [
        "issues:",
        f"  - id: {ISSUE}",
        "    kind: continuous",
        "    unit: money",
        f"    range: [{_n(n['issue_range'][0])}, {_n(n['issue_range'][1])}]  # assumption: "
        f"{RANGE_FACTORS[0]} x the lowest to {RANGE_FACTORS[1]} x the highest value of the case",
        f"    description: {_q(f'First-year payment by {pay} ({facts.talks})')}",
        "parties:",
    ]
    lines += _party_block(
        dem,
        prefers="higher",
        ideal=n["demander_ideal"],
        ideal_src=dem_ideal_src,
        walk=w.demander,
        tag=tag,
        disc=n["discount_per_round"],
        belief=n["deadline_belief_days"],
        walk_src=f"S x exp(mu - 2d, mu - d, mu), mu {mu:g}, d {pri.half_width:.6g}{cap_note} "
        f"({tag})",
        ratification=rat_lines[dem],
    )
    lines += _party_block(
        pay,
        prefers="lower",
        ideal=n["payer_ideal"],
        ideal_src=pay_ideal_src,
        walk=w.payer,
        tag=tag,
        disc=n["discount_per_round"],
        belief=n["deadline_belief_days"],
        walk_src=f"S x exp(mu, mu + d, mu + 2d){floor_note} ({tag})",
        ratification=rat_lines[pay],
    )
    events = []
    if facts.expiry >= facts.as_of:
        events.append(
            (
                facts.expiry,
                f"{{date: {facts.expiry}, kind: deadline, note: "
                f"{_q('the agreement in force expires')}}}",
                "source: the facts' expiry",
            )
        )
    lo_date = facts.as_of - dt.timedelta(days=1826)
    hi_date = dt.date.fromisoformat(n["horizon"]) + dt.timedelta(days=1826)
    for e in sorted(facts.elections, key=lambda e: e.date):
        if not (facts.as_of < e.date and lo_date <= e.date <= hi_date):
            continue
        party = f", party: {_q(e.party)}" if e.party in (dem, pay) else ""
        note = _q(_one_line(f"{e.kind} election" + (f": {e.note}" if e.note else "")))
        events.append(
            (
                e.date,
                f"{{date: {e.date}, kind: election{party}, note: {note}}}",
                f"source: {_one_line(e.source) or 'the facts'} ({e.confidence.value})",
            )
        )
    lines += [
        "protocol:",
        "  kind: alternating_offers",
        f"  first_mover: {_q(dem)}  # assumption: the demander tables the demand",
        f"  start: {day}  # source: the as-of date; the first simulated round",
        f"  round_every_days: {n['cadence_days']}  # "
        + ("source: " if cad_public else "assumption: ")
        + cad_why,
        f"  deadline: {n['deadline']}  # {dl_why}",
        f"  horizon: {n['horizon']}  # assumption: {pri.horizon_days} days after the later of "
        "the expiry and the as-of date",
        f"  breakdown_risk_per_round: {n['breakdown_risk_per_round']}  # assumption: "
        f"breakdown_risk_per_round of {tag}, per {n['cadence_days']}-day round",
    ]
    events.sort(key=lambda e: e[0])
    if events:
        lines.append("  events:")
        lines += [f"    - {text}  # {src}" for _, text, src in events]
    lines += [
        "actors:",
        f"  - {{id: {_slug(dem + '-government')}, party: {_q(dem)}, position: "
        f"{_n(n['demander_ideal'])}, salience: 1.0, capability: 1.0}}  # position: the "
        "demander's ideal; assumption: equal salience and capability",
        f"  - {{id: {_slug(pay + '-government')}, party: {_q(pay)}, position: "
        f"{_n(n['offer'] if n['offer'] is not None else s)}, salience: 1.0, capability: 1.0}}  "
        "# source: the payer's offer or the status quo; assumption: equal salience and "
        "capability",
        "provenance:",
    ]
    src_all = "; ".join(_one_line(x) for x in facts.sources) or "the facts file"
    prov: list[tuple[str, str, str]] = [
        ("as_of", "source", f"{facts.alliance} {facts.talks}, facts public on {day}: {src_all}"),
        ("money.unit", "source", f"the facts' currency {facts.currency} ({facts.scale})"),
        (
            f"parties.{dem}.utility.{ISSUE}.ideal",
            dem_ideal_src.split(":", 1)[0],
            dem_ideal_src.split(":", 1)[1].strip(),
        ),
        (
            f"parties.{pay}.utility.{ISSUE}.ideal",
            pay_ideal_src.split(":", 1)[0],
            pay_ideal_src.split(":", 1)[1].strip(),
        ),
        (
            f"parties.{dem}.utility.{ISSUE}.reservation",
            "assumption",
            f"demander walk-away S x exp(mu - 2d, mu - d, mu){cap_note}, {tag}",
        ),
        (
            f"parties.{pay}.utility.{ISSUE}.reservation",
            "assumption",
            f"payer walk-away S x exp(mu, mu + d, mu + 2d){floor_note}, {tag}",
        ),
        (
            "parties.*.discount_per_round",
            "assumption",
            f"annual_discount {pri.annual_discount:g} of {tag} (not identified by the record) per "
            f"{n['cadence_days']}-day round",
        ),
        (
            "parties.*.deadline_belief",
            "assumption",
            f"the expiry {facts.expiry} plus deal_delay_days {list(pri.deal_delay_days)} of {tag}, "
            f"in days after {day}",
        ),
        ("protocol.round_every_days", "source" if cad_public else "assumption", cad_why),
        ("protocol.deadline", dl_why.split(":", 1)[0], dl_why.split(":", 1)[1].strip()),
        ("protocol.horizon", "assumption", f"horizon_days {pri.horizon_days} of {tag}"),
        (
            "protocol.breakdown_risk_per_round",
            "assumption",
            f"breakdown_risk_per_round {pri.breakdown_risk_per_round:g} per "
            f"{pri.meeting_gap_days:g} days of {tag}",
        ),
        ("protocol.first_mover", "assumption", "the demander tables the demand"),
        ("issues.0.range", "assumption", f"range factors {list(RANGE_FACTORS)}"),
        ("actors.*.position", "source", "the two governments' public positions"),
        ("actors.*.salience", "assumption", "equal salience"),
        ("actors.*.capability", "assumption", "equal capability"),
    ]
    for party in (dem, pay):
        if n["ratifier"] == party and rat is not None:
            prov.append(
                (
                    f"parties.{party}.ratification.approval_threshold",
                    "assumption",
                    f"one step d beyond the walk-away point, {tag}",
                )
            )
            prov.append(
                (
                    f"parties.{party}.ratification.body",
                    "source",
                    _one_line(rat.source) or "the facts' ratifier",
                )
            )
        else:
            prov.append((f"parties.{party}.ratification", "source", "no ratifier in the facts"))
    if facts.fx:
        prov.append(("money.fx", "source", "the facts' exchange rates"))
    for i, (_, _, src) in enumerate(sorted(events, key=lambda e: e[0])):
        kind, note = src.split(":", 1)
        prov.append((f"protocol.events.{i}", kind, note.strip() or "the facts"))
    for c in facts.caveats:
        prov.append(("as_of", "assumption", f"caveat: {_one_line(c)}"))
    for fld, kind, note in prov:
        lines.append(f"  - {{field: {_q(fld)}, kind: {kind}, note: {_q(note[:2000] or fld)}}}")
    return "\n".join(lines) + "\n"
