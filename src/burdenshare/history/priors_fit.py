"""The case builder's priors, fitted on the record of rounds (``priors-v1``).

Nothing here is tuned by hand: :func:`fit_priors` turns a set of rounds
(:class:`~burdenshare.history.facts.RecordRound`) into a :class:`FittedPriors` by the fixed
procedure below, the shipped ``data/priors/priors-v1.json`` is that fit on the bundled record (a
test refits and compares), and :func:`~burdenshare.history.priors_report.fit_report` prints what
was fitted on which rounds. docs/explanation/case-builder.md explains the reasoning.

Observations, per round ``i`` of the record (``S`` the status quo payment, ``X`` the settlement,
both in the round's currency and scale; ``A`` the demander's latest ask and ``O`` the payer's
latest offer public *before* the deal date; ``A1`` its first ask):

- ``r_i = ln(X / S)``, the settlement relative to the status quo (agreed rounds);
- ``s_i = (X - S) / (A - S)``, the share of the way from the status quo to the latest ask at
  which the deal landed (rounds with an ask above ``S``): how far asks move;
- ``a_i = ln(A1 / S)``, the first ask relative to the status quo;
- ``o_i = ln(X / O)``, the settlement relative to the payer's latest offer;
- ``d_i`` = deal date - expiry of the agreement in force, in days (lapsed rounds: positive);
- the gaps between dated meetings, and the length of the talks (deal date - talks start, or
  expiry - 180 days when the start is unknown);
- whether the round ended without a deal within ``HORIZON_DAYS`` (365) of the expiry.

Fitted parameters:

1. **Settlement** (lognormal): ``mu`` and ``sigma`` are the mean and standard deviation of the
   ``r_i`` (``sigma`` at least ``SIGMA_FLOOR``). A new round's ``ln(X / S)`` has the 80%
   prediction interval ``mu +/- d`` with ``d = k * sigma`` and
   ``k = t(0.9; n - 1) * sqrt(1 + 1/n)`` (Student's t: the sampling error of ``mu`` and ``sigma``
   on ``n`` rounds widens the interval).
2. **Share of the way to the ask**: the widened empirical quantiles (below) of the ``s_i``,
   clipped to [0, 1]; fewer than two: not identified (no ask cap).
3. **First ask**: the mean of the ``a_i`` (the ask implied when none is public); none: not
   identified (the builder then takes the top of the payer's threshold).
4. **Offer**: the median of the ``o_i`` when there are at least two; else 0 (a public offer is
   a floor for the payer's walk-away point), marked not identified.
5. **Deal delay**: the widened empirical quantiles of the ``d_i`` (agreed rounds).
6. **Cadence**: the median gap between dated meetings (fewer than two gaps: 30 days, not
   identified); **talks length**: the median length of the agreed rounds' talks.
7. **Breakdown risk**: ``p = (m + 1/2) / (n + 1)`` for ``m`` of ``n`` rounds without a deal within
   the horizon (the posterior mean under Jeffreys' prior, never 0 on a record with no
   failures), spread over the ``R = max(1, talks length / cadence)`` rounds of a typical
   negotiation: per round ``1 - (1 - p) ** (1 / R)``.
8. **Patience**: the record cannot identify it (in the bargaining models delay does not reveal
   a discount rate without knowing what each side learned); the documented default
   ``DEFAULT_ANNUAL_DISCOUNT`` (0.75 a year) is used and reported as not identified.

**Widened empirical quantiles** of ``x_1..x_n``: ``q10``, ``q50``, ``q90`` by linear
interpolation (numpy's default), widened around the median by ``w = 1 + 1/sqrt(n)``:
``(q50 - w (q50 - q10), q50, q50 + w (q90 - q50))``. On ten rounds the sample's 10% and 90%
points understate where a new round may fall; the widening shrinks as the record grows.

How the builder uses them (:func:`walkaways`, :func:`deadline_belief_days`): with
``d = k * sigma``, the demander's walk-away point is triangular over
``S * exp(mu - 2d, mu - d, mu)``, each point capped at ``S + s_j (A - S)`` (the share quantiles:
a modest ask bounds what the demander insists on, a theatrical one does not raise it); the
payer's is triangular over ``S * exp(mu, mu + d, mu + 2d)``, moved up as a whole so that its low
end is at least ``O * exp(o)``. Their supports meet at ``S * exp(mu)``, the median settlement of
the record, and their central values are about the 80% prediction interval, so the zone of
agreement at central values covers most of the record's settlements. A ratifier's threshold
lies one step ``d`` beyond its side's walk-away (triangular from the walk-away's low end, mode
at its far end, high one more step): the record has no signed agreement that failed
ratification. The deadline belief is the expiry plus the fitted delays, in days after the
as-of date.

>>> import math
>>> p = FittedPriors.from_dict(load_priors().to_dict())
>>> p == load_priors(), p.version
(True, 'priors-v1')
>>> w = walkaways(p, 100.0, ask=None, offer=None)
>>> w.demander[2] == w.payer[0] == float(f"{100 * math.exp(p.settlement_log_mean):.10g}")
True
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from burdenshare.errors import ScenarioError
from burdenshare.history.facts import RecordRound

__all__ = [
    "DEFAULT_ANNUAL_DISCOUNT",
    "DEFAULT_GAP_DAYS",
    "HORIZON_DAYS",
    "PRIORS_PATH",
    "SIGMA_FLOOR",
    "VERSION",
    "FittedPriors",
    "Observation",
    "Walkaways",
    "deadline_belief_days",
    "fit_priors",
    "load_priors",
    "observations",
    "save_priors",
    "walkaways",
    "widened_quantiles",
]

VERSION = "priors-v1"
#: the shipped priors, fitted on the bundled record
PRIORS_PATH = Path(__file__).parent / "data" / "priors" / f"{VERSION}.json"
#: talks are simulated to this many days after the later of the expiry and the as-of date; a
#: round counts as "no deal within the horizon" when no deal came this long after the expiry
HORIZON_DAYS = 365
#: yearly discount factor when the record cannot identify patience (it never can, yet)
DEFAULT_ANNUAL_DISCOUNT = 0.75
#: days between rounds when the record has fewer than two gaps between dated meetings
DEFAULT_GAP_DAYS = 30.0
#: smallest standard deviation of ln(settlement / status quo) (1%): identical settlements on a
#: small record must not make the walk-away points collapse to one value
SIGMA_FLOOR = 0.01
#: days from talks start to expiry assumed when a round's talks start is unknown
DEFAULT_LEAD_DAYS = 180
MIN_ROUNDS = 3

Triple = tuple[float, float, float]


def _r6(x: float) -> float:
    return round(float(x), 6)


def _sig(x: float) -> float:
    """An amount to 10 significant digits (money of any scale keeps its precision)."""
    return float(f"{float(x):.10g}")


def widened_quantiles(xs: Sequence[float]) -> Triple:
    """``(low, median, high)``: the 10%, 50% and 90% points widened by ``1 + 1/sqrt(n)``.

    >>> widened_quantiles([0.0, 1.0, 2.0, 3.0, 4.0])
    (-0.315542, 2.0, 4.315542)
    """
    a = np.asarray(sorted(float(x) for x in xs))
    if a.size == 0:
        raise ValueError("no values to take quantiles of")
    q10, q50, q90 = (float(v) for v in np.quantile(a, [0.1, 0.5, 0.9]))
    w = 1.0 + 1.0 / math.sqrt(a.size)
    return (_r6(q50 - w * (q50 - q10)), _r6(q50), _r6(q50 + w * (q90 - q50)))


@dataclass(frozen=True)
class Observation:
    """What one round of the record says (``None`` where it says nothing)."""

    round_id: str
    agreed: bool
    status_quo: float
    settlement: float | None
    log_ratio: float | None
    latest_ask: float | None
    share: float | None
    first_ask_log_ratio: float | None
    latest_offer: float | None
    offer_log_ratio: float | None
    delay_days: int | None
    talks_days: int | None
    gaps: tuple[int, ...]
    no_deal_within_horizon: bool


def observations(rounds: Sequence[RecordRound]) -> tuple[Observation, ...]:
    """The observations of each round (module docstring), in the order given."""
    out = []
    for rnd in rounds:
        f, o = rnd.facts, rnd.outcome
        s = float(f.status_quo.amount)
        deal = o.deal_date if o.agreed else None
        x = float(o.settlement_amount) if o.agreed and o.settlement_amount is not None else None
        before = [p for p in f.positions if deal is None or p.date < deal]
        asks = sorted(
            (p for p in before if p.kind == "ask" and p.party == f.demander), key=lambda p: p.date
        )
        offers = sorted(
            (p for p in before if p.kind == "offer" and p.party == f.payer), key=lambda p: p.date
        )
        ask = asks[-1].amount if asks else None
        offer = offers[-1].amount if offers else None
        log_ratio = math.log(x / s) if x is not None and x > 0 and s > 0 else None
        share = (x - s) / (ask - s) if x is not None and ask is not None and ask > s else None
        first = math.log(asks[0].amount / s) if asks and asks[0].amount > 0 and s > 0 else None
        off = math.log(x / offer) if x is not None and offer is not None and offer > 0 else None
        delay = (deal - f.expiry).days if deal is not None else None
        start = f.talks_start or (f.expiry - dt.timedelta(days=DEFAULT_LEAD_DAYS))
        talks = (deal - start).days if deal is not None else None
        days = sorted({m.date for m in f.meetings})
        gaps = tuple((b - a).days for a, b in itertools.pairwise(days))
        no_deal = deal is None or (deal - f.expiry).days > HORIZON_DAYS
        out.append(
            Observation(
                rnd.id,
                o.agreed and deal is not None,
                s,
                x,
                log_ratio,
                ask,
                share,
                first,
                offer,
                off,
                delay,
                talks,
                gaps,
                no_deal,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class FittedPriors:
    """Every parameter of the case builder's priors, and the rounds it was fitted on.

    Money-free: ratios and shares apply to any currency. ``not_identified`` names the
    parameters the record could not identify, taken from a documented default.
    """

    version: str
    fitted_on: tuple[str, ...]
    n_settlements: int
    settlement_log_mean: float
    settlement_log_sd: float
    settlement_interval_factor: float
    n_ask_share: int
    ask_share: Triple | None
    n_first_ask: int
    first_ask_log_ratio: float | None
    n_offer: int
    offer_log_ratio: float
    n_delay: int
    deal_delay_days: Triple
    n_gaps: int
    meeting_gap_days: float
    talks_days: float
    n_rounds: int
    n_no_deal: int
    p_no_deal: float
    breakdown_risk_per_round: float
    annual_discount: float
    horizon_days: int
    not_identified: tuple[str, ...] = field(default_factory=tuple)

    @property
    def half_width(self) -> float:
        """``d = k * sigma``: half the 80% prediction interval of ln(settlement / status quo)."""
        return self.settlement_interval_factor * self.settlement_log_sd

    @property
    def label(self) -> str:
        """How a built scenario names these priors: version and the rounds behind them."""
        return f"{self.version} (fitted on {len(self.fitted_on)} rounds)"

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["fitted_on"] = list(self.fitted_on)
        out["not_identified"] = list(self.not_identified)
        for key in ("ask_share", "deal_delay_days"):
            if out[key] is not None:
                out[key] = list(out[key])
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, file: str | None = None) -> FittedPriors:
        """Read and check the JSON form; a bad field raises :class:`ScenarioError` naming it."""
        return _from_dict(data, file)


_INT_FIELDS = (
    "n_settlements",
    "n_ask_share",
    "n_first_ask",
    "n_offer",
    "n_delay",
    "n_gaps",
    "n_rounds",
    "n_no_deal",
    "horizon_days",
)
_FLOAT_FIELDS = (
    "settlement_log_mean",
    "settlement_log_sd",
    "settlement_interval_factor",
    "offer_log_ratio",
    "meeting_gap_days",
    "talks_days",
    "p_no_deal",
    "breakdown_risk_per_round",
    "annual_discount",
)
#: bounds of a priors file's numbers: wide beyond any fit on a plausible record, narrow enough
#: that every case built from them is finite and valid (a log ratio of 5 is 148 times the status
#: quo; exp(mu + 3 k sigma) stays far from overflow; beliefs and horizons stay within a century)
_BOUNDS: dict[str, tuple[float, float]] = {
    "settlement_log_mean": (-5.0, 5.0),
    "settlement_log_sd": (SIGMA_FLOOR, 5.0),
    "settlement_interval_factor": (0.5, 10.0),
    "offer_log_ratio": (-5.0, 5.0),
    "meeting_gap_days": (1.0, 3650.0),
    "talks_days": (0.0, 36525.0),
    "p_no_deal": (0.0, 1.0),
    "breakdown_risk_per_round": (0.0, 0.999999),
    "annual_discount": (1e-6, 1.0),
}


def _bad(file: str | None, key: str, value: Any, message: str, expected: str) -> ScenarioError:
    return ScenarioError(
        message, file=file, field=f"priors.{key}", value=value, expected=expected, has_value=True
    )


def _num(file: str | None, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(file, key, value, "not a finite number", "a finite number")
    return float(value)


#: at most this many days of deal delay (either side of the expiry) and of horizon
MAX_PRIOR_DAYS = 3650


def _triple(file: str | None, key: str, value: Any, bound: float = math.inf) -> Triple:
    if not isinstance(value, list | tuple) or len(value) != 3:
        raise _bad(file, key, value, "not a list of three numbers", "[low, median, high]")
    a, b, c = (_num(file, key, v) for v in value)
    if not a <= b <= c:
        raise _bad(file, key, value, "out of order", "low <= median <= high")
    if max(abs(a), abs(c)) > bound:
        raise _bad(file, key, value, "out of range", f"numbers in [{-bound:g}, {bound:g}]")
    return (a, b, c)


def _from_dict(data: Mapping[str, Any], file: str | None) -> FittedPriors:
    if not isinstance(data, Mapping):
        raise _bad(file, "*", data, "the priors are not a JSON object", "a JSON object")
    names = set(FittedPriors.__dataclass_fields__)
    for key in data:
        if key not in names:
            raise _bad(
                file,
                str(key),
                data[key],
                f"unknown key {key!r}",
                "one of " + ", ".join(sorted(names)),
            )
    for key in names:
        if key not in data:
            raise ScenarioError(f"missing key {key!r}", file=file, field=f"priors.{key}")
    version = data["version"]
    if not isinstance(version, str) or not version.startswith("priors-"):
        raise _bad(file, "version", version, "not a priors version", "such as 'priors-v1'")
    kw: dict[str, Any] = {"version": version}
    for key in ("fitted_on", "not_identified"):
        seq = data[key]
        if not isinstance(seq, list) or not all(isinstance(x, str) and x for x in seq):
            raise _bad(file, key, seq, "not a list of names", "a list of non-empty strings")
        kw[key] = tuple(seq)
    if len(kw["fitted_on"]) < MIN_ROUNDS:
        raise _bad(
            file,
            "fitted_on",
            data["fitted_on"],
            "too few rounds",
            f"at least {MIN_ROUNDS} round ids",
        )
    for key in _INT_FIELDS:
        v = data[key]
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise _bad(file, key, v, "not a count", "a whole number >= 0")
        kw[key] = v
    for key in _FLOAT_FIELDS:
        v = _num(file, key, data[key])
        lo, hi = _BOUNDS.get(key, (-math.inf, math.inf))
        if not lo <= v <= hi:
            raise _bad(file, key, v, "out of range", f"a number in [{lo:g}, {hi:g}]")
        kw[key] = v
    kw["deal_delay_days"] = _triple(
        file, "deal_delay_days", data["deal_delay_days"], MAX_PRIOR_DAYS
    )
    share = data["ask_share"]
    kw["ask_share"] = None if share is None else _triple(file, "ask_share", share)
    if kw["ask_share"] is not None and not (kw["ask_share"][0] >= 0 and kw["ask_share"][2] <= 1):
        raise _bad(file, "ask_share", share, "a share outside [0, 1]", "shares in [0, 1]")
    first = data["first_ask_log_ratio"]
    kw["first_ask_log_ratio"] = None if first is None else _num(file, "first_ask_log_ratio", first)
    if kw["first_ask_log_ratio"] is not None and abs(kw["first_ask_log_ratio"]) > 5.0:
        raise _bad(file, "first_ask_log_ratio", first, "out of range", "a number in [-5, 5]")
    if not 1 <= kw["horizon_days"] <= MAX_PRIOR_DAYS:
        raise _bad(
            file,
            "horizon_days",
            kw["horizon_days"],
            "out of range",
            f"from 1 to {MAX_PRIOR_DAYS:,} days",
        )
    return FittedPriors(**kw)


def fit_priors(rounds: Sequence[RecordRound]) -> FittedPriors:
    """Fit the priors on ``rounds`` by the procedure of the module docstring (deterministic:
    the same rounds in any order give the same priors)."""
    rounds = sorted(rounds, key=lambda r: r.id)
    if len(rounds) < MIN_ROUNDS:
        raise ValueError(
            f"fitting the priors needs at least {MIN_ROUNDS} rounds, got {len(rounds)}"
        )
    obs = observations(rounds)
    missing: list[str] = []
    ratios = [o.log_ratio for o in obs if o.log_ratio is not None]
    if len(ratios) < 2:
        raise ValueError("fitting the priors needs at least two agreed rounds with a settlement")
    n = len(ratios)
    mu = statistics.fmean(ratios)
    sigma = max(statistics.stdev(ratios), SIGMA_FLOOR)
    k = float(stats.t.ppf(0.9, n - 1)) * math.sqrt(1.0 + 1.0 / n)
    shares = [o.share for o in obs if o.share is not None]
    if len(shares) >= 2:
        lo, mid, hi = widened_quantiles(shares)
        share: Triple | None = (
            _r6(min(max(lo, 0.0), 1.0)),
            _r6(min(max(mid, 0.0), 1.0)),
            _r6(min(max(hi, 0.0), 1.0)),
        )
    else:
        share = None
        missing.append("ask_share")
    firsts = [o.first_ask_log_ratio for o in obs if o.first_ask_log_ratio is not None]
    if not firsts:
        missing.append("first_ask_log_ratio")
    offers = [o.offer_log_ratio for o in obs if o.offer_log_ratio is not None]
    if len(offers) < 2:
        missing.append("offer_log_ratio")
    delays = [float(o.delay_days) for o in obs if o.delay_days is not None]
    gaps = [g for o in obs for g in o.gaps if g > 0]
    if len(gaps) < 2:
        missing.append("meeting_gap_days")
    gap = float(statistics.median(gaps)) if len(gaps) >= 2 else DEFAULT_GAP_DAYS
    talks = float(statistics.median([o.talks_days for o in obs if o.talks_days is not None]))
    n_no = sum(o.no_deal_within_horizon for o in obs)
    p = (n_no + 0.5) / (len(obs) + 1.0)
    per_talks = max(1.0, talks / gap)
    missing.append("annual_discount")
    return FittedPriors(
        version=VERSION,
        fitted_on=tuple(r.id for r in rounds),
        n_settlements=n,
        settlement_log_mean=_r6(mu),
        settlement_log_sd=_r6(sigma),
        settlement_interval_factor=_r6(k),
        n_ask_share=len(shares),
        ask_share=share,
        n_first_ask=len(firsts),
        first_ask_log_ratio=_r6(statistics.fmean(firsts)) if firsts else None,
        n_offer=len(offers),
        offer_log_ratio=_r6(statistics.median(offers)) if len(offers) >= 2 else 0.0,
        n_delay=len(delays),
        deal_delay_days=widened_quantiles(delays),
        n_gaps=len(gaps),
        meeting_gap_days=_r6(gap),
        talks_days=_r6(talks),
        n_rounds=len(obs),
        n_no_deal=n_no,
        p_no_deal=_r6(p),
        breakdown_risk_per_round=_r6(1.0 - (1.0 - p) ** (1.0 / per_talks)),
        annual_discount=DEFAULT_ANNUAL_DISCOUNT,
        horizon_days=HORIZON_DAYS,
        not_identified=tuple(missing),
    )


def load_priors(path: str | Path | None = None) -> FittedPriors:
    """Read priors from a JSON file (``None``: the shipped ``priors-v1.json``)."""
    p = PRIORS_PATH if path is None else Path(path).expanduser()
    name = str(path) if path is not None else f"<shipped {VERSION}>"
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ScenarioError(
            f"cannot read the priors: {exc.strerror or exc}", file=name, field="--priors"
        ) from None
    if len(raw) > 1_000_000:
        raise ScenarioError("the priors file is over 1 MB", file=name, field="--priors")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScenarioError(f"not JSON: {exc}", file=name, field="--priors") from None
    except RecursionError:
        raise ScenarioError(
            "not JSON the priors can hold: nested too deeply", file=name, field="--priors"
        ) from None
    return FittedPriors.from_dict(data, file=name)


def save_priors(priors: FittedPriors, path: str | Path) -> Path:
    """Write ``priors`` as JSON (sorted keys, one line per key); returns the path."""
    out = Path(path)
    out.write_text(json.dumps(priors.to_dict(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return out


# -- applying the priors ------------------------------------------------------------------------


@dataclass(frozen=True)
class Walkaways:
    """The walk-away points (triangular low, mode, high) a case gets from the priors."""

    demander: Triple
    payer: Triple
    demander_ratifier: Triple
    payer_ratifier: Triple
    ask_cap: Triple | None
    offer_floor: float | None
    notes: tuple[str, ...] = ()

    @property
    def zone_at_central_values(self) -> bool:
        """Whether the demander's mean walk-away lies below the payer's."""
        return sum(self.demander) / 3 < sum(self.payer) / 3


def _increasing(t: Sequence[float]) -> bool:
    return t[0] <= t[1] <= t[2] and t[0] < t[2]


def walkaways(
    priors: FittedPriors, status_quo: float, *, ask: float | None, offer: float | None
) -> Walkaways:
    """The walk-away points and ratifier thresholds for status quo ``status_quo``, latest ask
    ``ask`` and latest offer ``offer`` (module docstring)."""
    s, mu, d = float(status_quo), priors.settlement_log_mean, priors.half_width
    notes: list[str] = []
    dem = [s * math.exp(mu + j * d) for j in (-2, -1, 0)]
    cap: Triple | None = None
    if ask is not None and ask > s and priors.ask_share is not None:
        c = tuple(s + f * (ask - s) for f in priors.ask_share)
        capped = [min(a, b) for a, b in zip(dem, c, strict=True)]
        cap = (_sig(c[0]), _sig(c[1]), _sig(c[2]))
        if _increasing(capped):
            if capped != dem:
                notes.append("the ask caps the demander's walk-away point")
            dem = capped
        else:
            notes.append("the ask cap would collapse the walk-away range; not applied")
    pay = [s * math.exp(mu + j * d) for j in (0, 1, 2)]
    floor = None
    if offer is not None and offer > 0:
        floor = offer * math.exp(priors.offer_log_ratio)
        if floor > pay[0]:
            pay = [v * floor / pay[0] for v in pay]
            notes.append("the payer's public offer raises its walk-away point")
    step = math.exp(d)
    return Walkaways(
        demander=(_sig(dem[0]), _sig(dem[1]), _sig(dem[2])),
        payer=(_sig(pay[0]), _sig(pay[1]), _sig(pay[2])),
        demander_ratifier=(_sig(dem[0] / step), _sig(dem[0]), _sig(dem[2])),
        payer_ratifier=(_sig(pay[0]), _sig(pay[2]), _sig(pay[2] * step)),
        ask_cap=cap,
        offer_floor=_sig(floor) if floor is not None else None,
        notes=tuple(notes),
    )


def deadline_belief_days(priors: FittedPriors, days_to_expiry: int) -> tuple[int, int, int]:
    """The deadline belief as (low, mode, high) days after the as-of date: the expiry plus the
    fitted deal delays, ``days_to_expiry`` being (expiry - as-of date) in days.

    The belief never lies before the as-of date; when the talks have already run past every
    delay in the record, it keeps the record's spread of delays from the as-of date on.

    >>> p = load_priors()
    >>> lo, mid, hi = deadline_belief_days(p, 100)
    >>> (lo, mid, hi) == tuple(max(0, round(100 + x)) for x in p.deal_delay_days)
    True
    >>> deadline_belief_days(p, -10_000)[0]
    0
    """
    lo, mid, hi = (days_to_expiry + x for x in priors.deal_delay_days)
    if hi <= 0:
        base = priors.deal_delay_days[0]
        lo, mid, hi = (x - base for x in priors.deal_delay_days)
    a = max(0, round(lo))
    b = max(a, round(mid))
    c = max(b, round(hi), a + 1)
    return (a, b, c)


if __name__ == "__main__":  # pragma: no cover
    from burdenshare.history.priors_report import main

    raise SystemExit(main())
