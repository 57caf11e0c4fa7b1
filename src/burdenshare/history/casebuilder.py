"""Build an SMA scenario mechanically from what was public on a date.

The rule turns a :class:`PublicState` (the status-quo payment, the latest US ask, the latest ROK
offer, the expiry of the agreement in force, the ratification rule, the cadence of rounds, an
exchange rate) into a scenario file, and fills what was never public (walk-away points, patience,
the risk that talks end) from one fixed set of priors, :data:`DEFAULT_PRIORS`. Nothing is fitted
per case: the same priors build every case, and a test checks it.

The rule (``S`` status quo, ``A`` latest US ask, ``O`` latest ROK offer or none, all KRW bn):

1. One issue, ``contribution``: the first-year payment at issue, in billions of won.
2. US ideal ``A``; ROK ideal ``S``, or ``O`` if Seoul ever offered less than the status quo.
3. US walk-away: triangular over ``S + f·(A − S)`` with ``f`` = (0.10, 0.25, 0.50)
   (:attr:`CasePriors.us_walkaway_gap`).
4. ROK walk-away: triangular ``R0 + S·(0, 0.03, 0.10)`` with ``R0 = max(O, S·1.05)``
   (:attr:`CasePriors.rok_floor_increase`, :attr:`CasePriors.rok_walkaway_spread`).
5. National Assembly (majority) approval threshold: triangular ``R0 + S·(0, 0.06, 0.20)``; the US
   side has no ratification (an executive agreement).
6. Both sides discount delay by 0.75 a year, per round ``0.75 ** (cadence / 365)``; a 2% chance
   per round that talks end for good; the US moves first.
7. Rounds every ``cadence`` days (the public cadence, clipped to 14–90; 30 if unknown), the first
   on the as-of date. The deadline is the expiry of the agreement in force; once it has lapsed,
   the first 31 December at least one round away (the budget year at issue). Talks are simulated
   to 365 days after the later of the deadline and the as-of date.
8. Two actors for the forecasting models, the two governments at their public positions (US at
   ``A``; ROK at ``O``, or ``S`` without an offer), with equal salience and capability.

>>> import datetime as dt
>>> state = PublicState(case="demo", as_of=dt.date(2019, 11, 19), status_quo=1000.0,
...                     us_ask=2000.0, rok_offer=None, deadline=dt.date(2019, 12, 31),
...                     round_cadence_days=28, fx_usd=1126.0)
>>> n = case_numbers(state)
>>> n.us_walkaway, n.rok_walkaway, n.assembly_threshold
((1100.0, 1250.0, 1500.0), (1050.0, 1080.0, 1150.0), (1050.0, 1110.0, 1250.0))
>>> text, scenario = build_case(state)
>>> scenario.protocol.deadline, scenario.protocol.horizon, scenario.protocol.round_every_days
(datetime.date(2019, 12, 31), datetime.date(2020, 12, 30), 28)
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from burdenshare.errors import ScenarioError
from burdenshare.scenario.io import parse_scenario_text
from burdenshare.scenario.scenario import Scenario

__all__ = [
    "DEFAULT_PRIORS",
    "CaseNumbers",
    "CasePriors",
    "PublicState",
    "build_case",
    "case_numbers",
]

Triple = tuple[float, float, float]


@dataclass(frozen=True)
class PublicState:
    """What was public about one set of SMA talks on ``as_of`` (money in KRW bn).

    ``us_ask`` is the latest US ask, already converted to won (``us_ask_usd`` keeps the dollar
    figure when the ask was stated in dollars); ``rok_offer`` is Seoul's latest public figure,
    ``None`` when it named none. ``deadline`` is the expiry of the agreement in force (it may lie
    before ``as_of``: the agreement has lapsed). ``ratification`` is the rule of the National
    Assembly's consent (``majority``; the US side needs none). ``round_cadence_days`` is the
    public spacing of rounds, ``None`` when the data gives no round dates. ``fx_usd`` is won per
    dollar (``None``: no rate in the data by ``as_of``). ``sources`` name the data behind every
    number; ``caveats`` say what was missing, undated or recalled.
    """

    case: str
    as_of: dt.date
    status_quo: float
    us_ask: float
    rok_offer: float | None
    deadline: dt.date
    ratification: Literal["majority", "supermajority", "consensus", "executive"] = "majority"
    round_cadence_days: int | None = None
    fx_usd: float | None = None
    us_ask_usd: float | None = None
    previous_payment: float | None = None
    label: str = ""
    sources: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["as_of"] = self.as_of.isoformat()
        out["deadline"] = self.deadline.isoformat()
        out["sources"] = list(self.sources)
        out["caveats"] = list(self.caveats)
        return out


@dataclass(frozen=True)
class CasePriors:
    """The fixed priors for what was never public. One set builds every case; never tuned.

    These numbers were written down before any backtest score was computed and were not changed
    after. The historical outcomes were known to their author (they are in the data), so the
    backtest is a check of a documented rule, not a blind out-of-sample test.
    """

    #: US walk-away as fractions ``f`` of the way from the status quo to the US ask,
    #: triangular (low, mode, high). Opening asks in the SMA talks are anchors far above what
    #: Washington settles for (the 10th SMA: asks of 1.35–1.4 tn won against a 960 bn status
    #: quo); a walk-away a tenth of the way up is a token increase, a quarter the most likely,
    #: half the most Washington would insist on.
    us_walkaway_gap: Triple = (0.10, 0.25, 0.50)
    #: Seoul's walk-away is never below its latest public offer, nor below the status quo plus
    #: this increase: every SMA since the 7th raised the payment, and +5% is about the
    #: payment's yearly growth in the series before 2019 (MND 2018 Defense White Paper).
    rok_floor_increase: float = 0.05
    #: Seoul's walk-away above that floor ``R0``, as fractions of the status quo, triangular:
    #: most likely a little (+3%) above, at most +10% (public opposition to any increase).
    rok_walkaway_spread: Triple = (0.0, 0.03, 0.10)
    #: The National Assembly's approval threshold above ``R0``, as fractions of the status quo,
    #: triangular: it approved every SMA the government signed, so its threshold is at least
    #: the government's floor, and usually looser (mode +6%, up to +20%).
    assembly_spread: Triple = (0.0, 0.06, 0.20)
    #: Yearly discount factor of each side (utility of a deal a year later); both sides lose by a
    #: lapse (workers' pay, alliance standing) and nothing public says who loses more.
    us_annual_discount: float = 0.75
    rok_annual_discount: float = 0.75
    #: Chance per round that the talks end for good (no deal within the horizon).
    breakdown_risk_per_round: float = 0.02
    #: Days between rounds when the data gives no round dates; bounds on a public cadence.
    default_cadence_days: int = 30
    cadence_bounds: tuple[int, int] = (14, 90)
    #: Talks are simulated to this many days after the later of the deadline and the as-of date
    #: (SMA talks have always gone on after a lapse; the bundled scenarios use a year).
    horizon_days: int = 365
    #: The contribution issue's range: this factor times Seoul's ideal, to this factor times the
    #: largest of the US ask and the Assembly's highest threshold.
    range_factors: tuple[float, float] = (0.8, 1.2)
    #: Who makes the first offer: the US tabled the demand in every SMA talk in the data.
    first_mover: Literal["US", "ROK"] = "US"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: the priors every case is built with (see :class:`CasePriors` for the reasoning)
DEFAULT_PRIORS = CasePriors()


@dataclass(frozen=True)
class CaseNumbers:
    """Every number the rule derives from a state and the priors (money in KRW bn)."""

    us_ideal: float
    rok_ideal: float
    rok_floor: float
    us_walkaway: Triple
    rok_walkaway: Triple
    assembly_threshold: Triple
    cadence_days: int
    discount_per_round: dict[str, float]
    deadline: dt.date
    horizon: dt.date
    lapsed: bool
    issue_range: tuple[float, float]
    rok_position: float
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["deadline"] = self.deadline.isoformat()
        out["horizon"] = self.horizon.isoformat()
        return out


def _r(x: float) -> float:
    return round(x, 1)


def _lapsed_deadline(as_of: dt.date, cadence: int) -> dt.date:
    """The first 31 December at least one round after ``as_of`` (the budget year at issue)."""
    year = as_of.year
    while dt.date(year, 12, 31) < as_of + dt.timedelta(days=cadence):
        year += 1
    return dt.date(year, 12, 31)


def case_numbers(state: PublicState, priors: CasePriors = DEFAULT_PRIORS) -> CaseNumbers:
    """Apply the rule (module docstring) to ``state``: every derived number, nothing parsed."""
    s, a = float(state.status_quo), float(state.us_ask)
    if not (math.isfinite(s) and s > 0 and math.isfinite(a)):
        raise ScenarioError(
            "the status quo and the US ask must be positive numbers",
            field="PublicState",
            value=(s, a),
            expected="finite KRW bn amounts",
        )
    if a <= s * (1 + priors.rok_floor_increase):
        raise ScenarioError(
            "the rule assumes the US asks for more than the status quo plus Seoul's floor",
            field="PublicState.us_ask",
            value=a,
            expected=f"more than {s * (1 + priors.rok_floor_increase):.1f}",
        )
    offer = state.rok_offer
    rok_ideal = min(s, offer) if offer is not None else s
    floor = max(offer if offer is not None else -math.inf, s * (1 + priors.rok_floor_increase))
    gap = a - s
    us_w = tuple(_r(s + f * gap) for f in priors.us_walkaway_gap)
    rok_w = tuple(_r(floor + f * s) for f in priors.rok_walkaway_spread)
    thr = tuple(_r(floor + f * s) for f in priors.assembly_spread)
    lo_c, hi_c = priors.cadence_bounds
    cadence = state.round_cadence_days or priors.default_cadence_days
    cadence = int(min(max(cadence, lo_c), hi_c))
    lapsed = state.deadline <= state.as_of
    deadline = _lapsed_deadline(state.as_of, cadence) if lapsed else state.deadline
    horizon = max(deadline, state.as_of) + dt.timedelta(days=priors.horizon_days)
    disc = {
        "US": round(priors.us_annual_discount ** (cadence / 365), 4),
        "ROK": round(priors.rok_annual_discount ** (cadence / 365), 4),
    }
    lo_f, hi_f = priors.range_factors
    rng = (_r(lo_f * rok_ideal), _r(hi_f * max(a, thr[2], rok_w[2])))
    notes = []
    if lapsed:
        notes.append(
            f"the agreement in force expired on {state.deadline.isoformat()}; the deadline is "
            f"the end of the budget year at issue, {deadline.isoformat()}"
        )
    return CaseNumbers(
        us_ideal=_r(a),
        rok_ideal=_r(rok_ideal),
        rok_floor=_r(floor),
        us_walkaway=(us_w[0], us_w[1], us_w[2]),
        rok_walkaway=(rok_w[0], rok_w[1], rok_w[2]),
        assembly_threshold=(thr[0], thr[1], thr[2]),
        cadence_days=cadence,
        discount_per_round=disc,
        deadline=deadline,
        horizon=horizon,
        lapsed=lapsed,
        issue_range=rng,
        rok_position=_r(offer if offer is not None else s),
        notes=tuple(notes),
    )


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _tri(t: Triple) -> str:
    return f"{{triangular: [{t[0]}, {t[1]}, {t[2]}]}}"


def _slug(text: str) -> str:
    out = "".join(c if c.isalnum() or c in "-_." else "-" for c in text.lower())
    return out.strip("-") or "case"


def build_case(state: PublicState, priors: CasePriors = DEFAULT_PRIORS) -> tuple[str, Scenario]:
    """The scenario (YAML text and validated :class:`Scenario`) the rule builds for ``state``.

    Every number in the text carries a ``source:`` or ``assumption:`` comment and a provenance
    entry; the text passes the normal scenario validation (:func:`parse_scenario_text`), which
    raises :class:`~burdenshare.errors.ScenarioError` otherwise.
    """
    n = case_numbers(state, priors)
    src = "; ".join(state.sources) or "the SMA data shipped with burdenshare"
    day = state.as_of.isoformat()
    ask_note = f"latest US ask public by {day}"
    if state.us_ask_usd is not None and state.fx_usd:
        ask_note += f" (${state.us_ask_usd:g}bn at {state.fx_usd:g} won/$)"
    offer_note = (
        f"Seoul's latest public figure by {day}: {state.rok_offer:.1f}"
        if state.rok_offer is not None
        else f"no ROK figure public by {day}"
    )
    title = f"US–ROK {state.case} SMA talks as of {day} (case-builder rule)"
    desc = (
        f"Built mechanically from what was public on {day}"
        + (f" ({state.label})" if state.label else "")
        + ". Reservation values, discounting and breakdown risk are the fixed priors of "
        "burdenshare.history.casebuilder.DEFAULT_PRIORS."
    )
    lines = [
        "# Built by burdenshare.history.casebuilder.build_case (docs/explanation/case-builder.md).",
        "# Tags: 'source:' public on as_of; 'assumption:' a fixed prior of the rule.",
        *[f"# caveat: {c}" for c in state.caveats],
        f"id: {_slug(f'sma-{state.case}-{day}')}",
        f"title: {_q(title)}",
        f"as_of: {day}  # source: the as-of date of the public state",
        f"description: {_q(desc)}",
        "money:",
        "  unit: KRW",
        "  scale: billion",
    ]
    if state.fx_usd:
        lines.append(f"  fx: {{USD: {state.fx_usd:g}}}  # source: won/dollar pair in the data")
    lines += [
        "issues:",
        "  - id: contribution",
        "    kind: continuous",
        "    unit: money",
        f"    range: [{n.issue_range[0]}, {n.issue_range[1]}]  # assumption: rule range_factors",
        "    description: First-year ROK payment under the SMA",
        "parties:",
        "  US:",
        "    description: US executive branch",
        "    utility:",
        "      contribution:",
        "        prefers: higher",
        f"        ideal: {n.us_ideal}  # source: {ask_note}",
        f"        reservation: {_tri(n.us_walkaway)}  # assumption: S + (0.10, 0.25, 0.50)(A - S)",
        "        weight: 1.0  # assumption: a single issue",
        f"    discount_per_round: {n.discount_per_round['US']}  # assumption: yearly discount",
        "    ratification: none  # source: the SMA is a US executive agreement (no vote)",
        "  ROK:",
        "    description: ROK government",
        "    utility:",
        "      contribution:",
        "        prefers: lower",
        f"        ideal: {n.rok_ideal}  # source: status quo payment (or a lower ROK offer)",
        f"        reservation: {_tri(n.rok_walkaway)}  # assumption: R0 + S (0, 0.03, 0.10)",
        "        weight: 1.0  # assumption: a single issue",
        f"    discount_per_round: {n.discount_per_round['ROK']}  # assumption: yearly discount",
        "    ratification:",
        "      body: National Assembly  # source: consent of the National Assembly",
        f"      rule: {state.ratification}  # source: the ratification rule",
        "      issue: contribution",
        f"      approval_threshold: {_tri(n.assembly_threshold)}  # assumption: R0 + S (0,.06,.2)",
        "protocol:",
        "  kind: alternating_offers",
        f"  first_mover: {priors.first_mover}  # assumption: the US tables the demand",
        f"  start: {day}  # source: the as-of date; the first simulated round",
        f"  round_every_days: {n.cadence_days}  # source or assumption: the public cadence",
        f"  deadline: {n.deadline.isoformat()}  # source: expiry (or budget year if lapsed)",
        f"  horizon: {n.horizon.isoformat()}  # assumption: {priors.horizon_days} days after",
        f"  breakdown_risk_per_round: {priors.breakdown_risk_per_round}  # assumption",
        "  events:",
        f"    - {{date: {n.deadline.isoformat()}, kind: deadline, note: {_q('deadline')}}}",
        "actors:",
        f"  - {{id: us-government, party: US, position: {n.us_ideal}, salience: 1.0, "
        "capability: 1.0}  # source: the US ask; assumption: equal salience and capability",
        f"  - {{id: rok-government, party: ROK, position: {n.rok_position}, salience: 1.0, "
        "capability: 1.0}  # source: Seoul's offer or the status quo; assumption: equal weights",
        "provenance:",
    ]
    prov: list[tuple[str, str, str]] = [
        ("as_of", "source", f"public state of the {state.case} SMA talks: {src}"),
        ("parties.US.utility.contribution.ideal", "source", ask_note),
        (
            "parties.ROK.utility.contribution.ideal",
            "source",
            f"status quo payment {state.status_quo:.1f} bn won; {offer_note}",
        ),
        (
            "parties.US.utility.contribution.reservation",
            "assumption",
            "prior us_walkaway_gap: triangular S + (0.10, 0.25, 0.50) x (A - S)",
        ),
        (
            "parties.ROK.utility.contribution.reservation",
            "assumption",
            "prior: triangular R0 + S x (0, 0.03, 0.10), R0 = max(offer, 1.05 S)",
        ),
        (
            "parties.ROK.ratification.approval_threshold",
            "assumption",
            "prior: triangular R0 + S x (0, 0.06, 0.20)",
        ),
        ("parties.ROK.ratification.rule", "source", f"National Assembly {state.ratification}"),
        ("parties.US.ratification", "source", "executive agreement, no congressional vote"),
        (
            "parties.*.discount_per_round",
            "assumption",
            f"yearly discount {priors.us_annual_discount} (US), "
            f"{priors.rok_annual_discount} (ROK) per {n.cadence_days}-day round",
        ),
        (
            "protocol.round_every_days",
            "source" if state.round_cadence_days else "assumption",
            "median spacing of the rounds public by as_of"
            if state.round_cadence_days
            else f"no round dates in the data: default {priors.default_cadence_days} days",
        ),
        (
            "protocol.deadline",
            "source",
            f"agreement in force expires {state.deadline.isoformat()}"
            + ("; lapsed, so the end of the budget year at issue" if n.lapsed else ""),
        ),
        ("protocol.horizon", "assumption", f"{priors.horizon_days} days after the deadline"),
        ("protocol.breakdown_risk_per_round", "assumption", "fixed prior"),
        ("protocol.first_mover", "assumption", "the US tabled the demand in every SMA talk"),
        ("issues.0.range", "assumption", "rule range_factors (0.8, 1.2)"),
        ("actors.*.position", "source", "the two governments' public positions"),
        ("actors.*.salience", "assumption", "equal salience"),
        ("actors.*.capability", "assumption", "equal capability"),
    ]
    if state.fx_usd:
        prov.append(("money.fx.USD", "source", "won/dollar pair in the data by as_of"))
    for c in state.caveats:
        prov.append(("as_of", "assumption", f"caveat: {c}"[:2000]))
    for fld, kind, note in prov:
        lines.append(f"  - {{field: {fld}, kind: {kind}, note: {_q(note[:2000])}}}")
    text = "\n".join(lines) + "\n"
    loaded = parse_scenario_text(text, source=f"<case {state.case} {day}>")
    return text, loaded.scenario
