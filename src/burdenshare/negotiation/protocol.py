"""Alternating offers with deadlines, breakdown risk, ratification and dated events: one session.

The rules below are the specification: the vectorised engine implements the same rules and a
contract test requires identical outcomes on identical seeds. Tolerances are part of the rules.

1. **Rounds.** Rounds take place on ``scenario.protocol.round_dates()`` (from ``start`` every
   ``round_every_days`` up to the horizon, or the deadline if there is none, and at most
   ``max_rounds``). In round ``k`` (0-based) the proposer is ``protocol.first_mover`` when ``k`` is
   even and the other party when ``k`` is odd.
2. **Parameters.** A party's parameters in round ``k`` are
   ``party_parameters(scenario, party, on=date_k, overrides=overrides)``: events dated on or before
   ``date_k`` apply. Negotiators receive a :class:`~burdenshare.negotiation.state.PartyView` once
   (``negotiator.start(view, rng)``) and a
   :class:`~burdenshare.negotiation.state.NegotiationState` at every call.
2b. **Information.** What a negotiator sees of its opponent (``opponent_estimate``, dated like its
   own parameters) follows ``protocol.information`` and ``protocol.opponent_prior``:
   ``complete``: the opponent's true parameters in this session, overrides applied;
   ``private`` + ``scenario`` (the default): the opponent's parameters at the scenario's central
   values, whatever the overrides (the session's drawn truth is never shown), and in the
   ``PartyView`` an :class:`~burdenshare.negotiation.prior.OpponentPrior` over the opponent's
   uncertain fields that the negotiator may sample with its own generator;
   ``private`` + ``uninformed``: ``None`` (the negotiator knows the issues and the offers only).
   Each negotiator always sees its *own* true parameters, overrides included.
2a. **Time.** A negotiator's clock is its own: ``state.time`` is
   :func:`~burdenshare.negotiation.state.believed_time`,
   ``t_k = min(1, (date_k - start).days / (c - start).days)`` (1 if ``c <= start``), with ``c``
   the party's *last chance*: the date of the last round on or before ``b``
   (:func:`~burdenshare.negotiation.state.last_chance`), ``b`` the party's deadline belief in
   this session (:func:`deadline_belief`:
   ``parties.NAME.deadline_belief`` as a date, or as days after ``protocol.start`` rounded to
   the nearest whole day, halves to even; by default ``protocol.deadline``). The protocol's
   rounds, deadline and horizon do not depend on it; ``state.round_time`` is ``k / (K - 1)``.
3. **Randomness.** The seed becomes a ``SeedSequence``; its children with spawn keys ``(..., 0)``,
   ``(..., 1)`` and ``(..., 2)`` seed the protocol's generator and the generators of the first and
   second party as listed in the scenario. (A ``Generator`` seed is split with
   ``Generator.spawn(3)`` in the same order; a tuple of three generators is used as given, which
   is how an ensemble hands session ``i`` its slice of a block's stream.) A negotiator's draws
   never shift the protocol's.
4. **Proposal.** The proposer's ``propose(state)`` returns an outcome: a value for every issue
   and no other key; numbers finite and inside the issue's range (whole numbers on an integer
   issue), categories among the issue's values. Anything else raises
   :class:`~burdenshare.errors.SimulationError` naming the negotiator and the value.
5. **Response.** The responder's ``respond(state, offer)`` returns a
   :class:`~burdenshare.negotiation.state.Response`.
6. **Ratification.** After ``ACCEPT``, every party with a ratifier checks the offer's value on its
   ``ratification_issue``: it approves iff the party's single-issue utility of that value is at
   least its single-issue utility of the approval threshold, less ``1e-12``. If every ratifier
   approves, the session ends in agreement. If one rejects, the offer is recorded as rejected by
   the ratifier and the talks go on to the next round, like a rejection (rule 7).
7. **Breakdown risk.** Every rejection (by the responder or a ratifier) ends the talks with
   probability ``p = breakdown_risk_per_round`` (its central value, or the override under
   ``"protocol.breakdown_risk_per_round"``), independently, in the last round too (Binmore,
   Rubinstein & Wolinsky 1986). The protocol draws these coin flips all at once: at the start of
   the session it draws exactly one uniform ``u`` and sets the *breakdown clock*
   ``c = floor(log(1 - u) / log(1 - p))`` (:func:`breakdown_clock`; ``c`` is geometric with
   ``P(c >= m) = (1 - p) ** m``); the talks break down at rejection number ``c + 1``. One draw per
   session keeps the vectorised engine exactly in step at a fraction of the cost.
8. **Walking away.** ``WALK_AWAY`` ends the talks at once: outcome ``"breakdown"``, cause
   ``"<party> walked away ..."``. No draw is made.
9. **Running out of rounds.** With no agreement after the last round, the outcome is
   ``"ratification_failure"`` if a ratifier rejected an accepted offer during the session, else
   ``"deadline"``.
10. **Late agreements.** An agreement in a round after ``protocol.deadline`` (and so before the
    horizon) is still an agreement, flagged ``after_deadline=True``.
11. **Payoffs.** With an agreement in round ``k``, party ``i`` gets ``U_i`` (its utility on that
    date) and, discounted, ``delta_i ** k * U_i`` (``delta_i`` its discount on that date).
    Without one, each party gets its outside option (on the last round's date), undiscounted.

>>> from burdenshare.negotiation import Hardliner, Linear
>>> from burdenshare.scenario.io import parse_scenario_text
>>> scenario = parse_scenario_text('''
... id: pie
... title: split a unit pie
... as_of: 2020-01-01
... issues: [{id: x, range: [0, 1]}]
... parties:
...   A: {utility: {x: {ideal: 1, reservation: 0}}}
...   B: {utility: {x: {ideal: 0, reservation: 1}}}
... protocol: {first_mover: A, start: 2020-01-01, round_every_days: 1, deadline: 2020-01-05}
... ''').scenario
>>> result = run_session(scenario, {"A": Linear(), "B": Linear()}, seed=1)
>>> result.outcome, result.round, result.agreement
('agreement', 3, {'x': 0.5})
>>> run_session(scenario, {"A": Hardliner(), "B": Hardliner()}).cause
'No agreement by the last round (round 5, 2020-01-05): the talks ran out of time.'
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import numbers
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from burdenshare.errors import SimulationError
from burdenshare.negotiation.prior import OpponentPrior, opponent_fields
from burdenshare.negotiation.state import NegotiationState, PartyView, PastOffer, Response
from burdenshare.negotiation.transcript import Offer, SessionOutcome, SessionResult, Transcript
from burdenshare.preferences import Outcome, PartyParameters, party_parameters
from burdenshare.preferences.additive import AdditiveUtility
from burdenshare.preferences.issue_utility import CategoricalUtility
from burdenshare.scenario import Scenario, central
from burdenshare.scenario.model import MAX_BELIEF_DAYS

if TYPE_CHECKING:
    from burdenshare.negotiation.negotiators.base import Negotiator

__all__ = [
    "BREAKDOWN_RISK_KEY",
    "NEVER",
    "RATIFICATION_TOL",
    "Seed",
    "belief_days",
    "belief_key",
    "breakdown_clock",
    "deadline_belief",
    "issue_utility",
    "negotiation_state",
    "party_view",
    "ratifier_approves",
    "run_session",
]

#: override key for the per-round breakdown risk
BREAKDOWN_RISK_KEY = "protocol.breakdown_risk_per_round"
#: a ratifier approves a value whose single-issue utility is at least the threshold's minus this
RATIFICATION_TOL = 1e-12

#: what ``run_session`` accepts as a seed
Seed = (
    int
    | np.random.SeedSequence
    | np.random.Generator
    | tuple[np.random.Generator, np.random.Generator, np.random.Generator]
    | None
)

#: the breakdown clock of a session with no risk (it never runs out)
NEVER = 2**62


def breakdown_clock(u: npt.ArrayLike, p: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """How many rejections the talks survive: ``floor(log(1 - u) / log(1 - p))`` (rule 7).

    ``u`` is uniform on [0, 1); with ``p = 0`` the clock never runs out (:data:`NEVER`), with
    ``p = 1`` the first rejection ends the talks. Works on arrays (the engine) and scalars.

    >>> breakdown_clock([0.0, 0.5, 0.95], 0.5).tolist()
    [0, 1, 4]
    """
    ua = np.asarray(u, dtype=np.float64)
    pa = np.broadcast_to(np.asarray(p, dtype=np.float64), ua.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.log1p(-ua) / np.log1p(-pa)
    clock = np.where(pa <= 0.0, np.inf, np.where(pa >= 1.0, 0.0, np.floor(ratio)))
    return np.asarray(np.minimum(clock, float(NEVER)).astype(np.int64), dtype=np.int64)


def belief_key(party: str) -> str:
    """The override key (field path) of ``party``'s deadline belief, in days after the start."""
    return f"parties.{party}.deadline_belief"


def belief_days(value: float, party: str) -> int:
    """A deadline belief given in days after ``protocol.start`` (an override or a draw), as whole
    days: rounded to the nearest day, halves to even (as ``numpy.rint`` does in the engine).

    >>> belief_days(44.5, "US"), belief_days(45.5, "US"), belief_days(0.2, "US")
    (44, 46, 0)
    """
    x = float(value)
    if not (math.isfinite(x) and 0.0 <= x <= MAX_BELIEF_DAYS):
        raise SimulationError(
            f"{belief_key(party)} counts days after protocol.start and must lie in "
            f"[0, {MAX_BELIEF_DAYS}], got {value!r}"
        )
    return round(x)


def deadline_belief(
    scenario: Scenario, party: str, overrides: Mapping[str, float] | None = None
) -> dt.date:
    """The deadline ``party``'s negotiator concedes against in a session (rule 2a).

    The override under :func:`belief_key` if there is one (days after the start), else the
    scenario's ``deadline_belief``: a date as written, a distribution's central value in days
    (rounded as :func:`belief_days`), or, when the party has none, ``protocol.deadline``.
    """
    proto = scenario.protocol
    key = belief_key(party)
    if overrides is not None and key in overrides:
        return proto.start + dt.timedelta(days=belief_days(overrides[key], party))
    written = scenario.parties[party].deadline_belief
    if written is None:
        return proto.deadline
    if isinstance(written, dt.date):
        return written
    return proto.start + dt.timedelta(days=belief_days(central(written), party))


def issue_utility(utility: AdditiveUtility, issue_id: str, value: float | str) -> float:
    """A party's utility on one issue alone (1 at its ideal, 0 at its reservation)."""
    part = utility.parts[utility.issues.index(issue_id)]
    if isinstance(part, CategoricalUtility):
        return part(str(value))
    return float(part(float(value)))


def ratifier_approves(
    params: PartyParameters, outcome: Mapping[str, float | str], *, as_believed: bool = False
) -> bool:
    """True if the party has no ratifier or its ratifier approves ``outcome`` (rule 6).

    With ``as_believed=True`` the check uses what the party's negotiator *believes* the threshold
    is (``ratification_belief``), as a negotiator does when it decides; the protocol's
    ratification stage uses the true threshold.
    """
    thr = params.ratification_belief if as_believed else params.ratification_threshold
    if thr is None or params.ratification_issue is None:
        return True
    iid = params.ratification_issue
    at_offer = issue_utility(params.utility, iid, outcome[iid])
    at_threshold = issue_utility(params.utility, iid, thr)
    return at_offer >= at_threshold - RATIFICATION_TOL


class _Session:
    """Dates, risk and dated parameters of one scenario under one set of overrides."""

    def __init__(self, scenario: Scenario, overrides: Mapping[str, float] | None) -> None:
        self.scenario = scenario
        self.overrides = dict(overrides or {})
        proto = scenario.protocol
        self.dates = tuple(proto.round_dates())
        if not self.dates:
            raise SimulationError(f"scenario {scenario.id!r} has no negotiation rounds")
        self.deadline_round = max(k for k, d in enumerate(self.dates) if d <= proto.deadline)
        raw_risk = self.overrides.get(BREAKDOWN_RISK_KEY, central(proto.breakdown_risk_per_round))
        risk = float(raw_risk)
        if not 0.0 <= risk <= 1.0:
            raise SimulationError(
                f"{BREAKDOWN_RISK_KEY} must lie in [0, 1], got {raw_risk!r}; pass a probability"
            )
        self.risk = risk
        self._event_dates = [ev.date for ev in proto.events]
        self._cache: dict[tuple[str, int, bool], PartyParameters] = {}
        self.beliefs = {p: deadline_belief(scenario, p, self.overrides) for p in scenario.parties}

    def first_mover(self) -> str:
        return self.scenario.protocol.first_mover

    def proposer(self, k: int) -> str:
        first = self.first_mover()
        return first if k % 2 == 0 else self.scenario.other(first)

    def params(self, party: str, k: int, *, truth: bool = True) -> PartyParameters:
        """Parameters in round ``k``: with the overrides (truth) or at central values (estimate)."""
        date = self.dates[k]
        key = (party, bisect.bisect_right(self._event_dates, date), truth)
        if key not in self._cache:
            try:
                p = party_parameters(
                    self.scenario, party, on=date, overrides=self.overrides if truth else None
                )
            except (TypeError, ValueError, KeyError) as exc:
                raise SimulationError(f"cannot resolve the parameters of {party}: {exc}") from None
            if not (0.0 < p.discount <= 1.0 and math.isfinite(p.outside_option)):
                raise SimulationError(
                    f"{party}'s discount must lie in (0, 1] and its outside option be finite, "
                    f"got {p.discount!r} and {p.outside_option!r}; check the overrides"
                )
            self._cache[key] = p
        return self._cache[key]

    def estimate(self, party: str, k: int) -> PartyParameters | None:
        """What ``party`` sees of its opponent in round ``k`` (rule 2b)."""
        proto = self.scenario.protocol
        other = self.scenario.other(party)
        if proto.information == "complete":
            return self.params(other, k)
        if proto.opponent_prior == "uninformed":
            return None
        return self.params(other, k, truth=False)

    def prior(self, party: str) -> OpponentPrior | None:
        """The scenario's prior over ``party``'s opponent (private + scenario only; rule 2b)."""
        proto = self.scenario.protocol
        if proto.information != "private" or proto.opponent_prior != "scenario":
            return None
        other = self.scenario.other(party)
        return OpponentPrior(
            central=self.params(other, 0, truth=False),
            fields=opponent_fields(self.scenario, other),
            scenario=self.scenario,
            on=self.dates[0],
        )

    def view(self, party: str) -> PartyView:
        other = self.scenario.other(party)
        return PartyView(
            party=party,
            opponent=other,
            params=self.params(party, 0),
            opponent_estimate=self.estimate(party, 0),
            issues=self.scenario.issues,
            round_dates=self.dates,
            deadline_round=self.deadline_round,
            first_mover=self.first_mover(),
            breakdown_risk=self.risk,
            start=self.dates[0],
            deadline_belief=self.beliefs[party],
            information=self.scenario.protocol.information,
            opponent_prior=self.prior(party),
        )

    def state(self, party: str, k: int, history: tuple[PastOffer, ...]) -> NegotiationState:
        return NegotiationState(
            party=party,
            round=k,
            date=self.dates[k],
            n_rounds=len(self.dates),
            deadline_round=self.deadline_round,
            proposer=self.proposer(k),
            params=self.params(party, k),
            opponent_estimate=self.estimate(party, k),
            start=self.dates[0],
            deadline_belief=self.beliefs[party],
            information=self.scenario.protocol.information,
            history=history,
            round_dates=self.dates,
        )


def party_view(
    scenario: Scenario, party: str, *, overrides: Mapping[str, float] | None = None
) -> PartyView:
    """The :class:`PartyView` that :func:`run_session` gives ``party``'s negotiator."""
    _check_party(scenario, party)
    return _Session(scenario, overrides).view(party)


def negotiation_state(
    scenario: Scenario,
    party: str,
    round: int,
    *,
    history: Sequence[PastOffer] = (),
    overrides: Mapping[str, float] | None = None,
) -> NegotiationState:
    """The :class:`NegotiationState` that ``party`` sees in round ``round`` (0-based).

    Useful to put a negotiator in a given situation in tests.
    """
    _check_party(scenario, party)
    session = _Session(scenario, overrides)
    if not 0 <= round < len(session.dates):
        raise SimulationError(
            f"round {round} does not exist; the scenario has rounds 0 to {len(session.dates) - 1}"
        )
    return session.state(party, round, tuple(history))


def _check_party(scenario: Scenario, party: str) -> None:
    if party not in scenario.parties:
        raise SimulationError(f"unknown party {party!r}; the parties are {list(scenario.parties)}")


def _generators(seed: Seed) -> tuple[np.random.Generator, ...]:
    """Protocol, first-party and second-party generators (rule 3)."""
    if isinstance(seed, tuple):
        if len(seed) != 3 or not all(isinstance(g, np.random.Generator) for g in seed):
            raise SimulationError(
                "a tuple seed must hold three numpy Generators "
                "(protocol, first party, second party)"
            )
        return seed
    if isinstance(seed, np.random.Generator):
        return tuple(seed.spawn(3))
    ok = seed is None or isinstance(seed, numbers.Integral | np.random.SeedSequence)
    if isinstance(seed, bool) or not ok or (isinstance(seed, numbers.Integral) and seed < 0):
        raise SimulationError(
            f"seed must be a non-negative int, a numpy SeedSequence or Generator, or None; "
            f"got {seed!r}"
        )
    if isinstance(seed, np.random.SeedSequence):
        ss = seed
    else:
        ss = np.random.SeedSequence(None if seed is None else int(seed))
    return tuple(
        np.random.default_rng(
            np.random.SeedSequence(ss.entropy, spawn_key=(*ss.spawn_key, i), pool_size=ss.pool_size)
        )
        for i in range(3)
    )


def _validate_offer(scenario: Scenario, raw: object, who: str, party: str, k: int) -> Outcome:
    where = f"{who} (proposing for {party} in round {k + 1})"
    if not isinstance(raw, Mapping):
        raise SimulationError(
            f"{where} returned {raw!r}; propose() must return a mapping of issue id to value"
        )
    ids = [i.id for i in scenario.issues]
    unknown = [key for key in raw if key not in ids]
    if unknown:
        raise SimulationError(f"{where} offered an unknown issue {unknown[0]!r}; issues: {ids}")
    out: Outcome = {}
    for issue in scenario.issues:
        if issue.id not in raw:
            raise SimulationError(f"{where} offered no value for issue {issue.id!r}")
        value = raw[issue.id]
        if issue.kind == "categorical":
            if not isinstance(value, str) or value not in issue.category_set:
                cats = list(issue.values or ())
                shown = f"{cats[:20]} (and {len(cats) - 20:,} more)" if len(cats) > 20 else cats
                raise SimulationError(
                    f"{where} offered {issue.id}={value!r}; expected one of {shown}"
                )
            out[issue.id] = value
            continue
        assert issue.range is not None
        lo, hi = issue.range
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
        x = float(value) if ok else math.nan
        integral = issue.kind != "integer" or (math.isfinite(x) and x.is_integer())
        if not (ok and math.isfinite(x) and lo <= x <= hi and integral):
            kind = "a whole number" if issue.kind == "integer" else "a number"
            raise SimulationError(
                f"{where} offered {issue.id}={value!r}; expected {kind} in [{lo:g}, {hi:g}]"
            )
        out[issue.id] = x
    return out


def run_session(
    scenario: Scenario,
    negotiators: Mapping[str, Negotiator],
    *,
    seed: Seed = 0,
    overrides: Mapping[str, float] | None = None,
) -> SessionResult:
    """Run one alternating-offers session under the rules in this module's docstring.

    ``negotiators`` maps each party name to its negotiator; ``overrides`` replaces central values
    by field path (e.g. ``"parties.US.utility.contribution.reservation"`` or
    ``"protocol.breakdown_risk_per_round"``). The same seed gives the same result.
    """
    names = scenario.party_names
    if set(negotiators) != set(names):
        raise SimulationError(
            f"give one negotiator per party {list(names)}, got {sorted(negotiators)}"
        )
    if negotiators[names[0]] is negotiators[names[1]]:
        raise SimulationError(
            "both parties were given the same negotiator object; give each its own "
            "(for example negotiator.clone())"
        )
    session = _Session(scenario, overrides)
    protocol_rng, *party_rngs = _generators(seed)
    clock = int(breakdown_clock(protocol_rng.random(), session.risk))
    for party, rng in zip(names, party_rngs, strict=True):
        negotiators[party].start(session.view(party), rng)

    history: list[PastOffer] = []
    offers: list[Offer] = []
    failed_ratifier: str | None = None  # who last rejected an accepted offer
    end: tuple[SessionOutcome, str] | None = None
    agreement: Outcome | None = None
    k = 0
    for k, date in enumerate(session.dates):
        proposer = session.proposer(k)
        responder = scenario.other(proposer)
        past = tuple(history)
        raw = negotiators[proposer].propose(session.state(proposer, k, past))
        offer = _validate_offer(scenario, raw, repr(negotiators[proposer]), proposer, k)
        response = negotiators[responder].respond(session.state(responder, k, past), dict(offer))
        if not isinstance(response, Response):
            raise SimulationError(
                f"{negotiators[responder]!r} (responding for {responder} in round {k + 1}) "
                f"returned {response!r}; respond() must return a Response"
            )
        params = {p: session.params(p, k) for p in names}
        verdicts: dict[str, bool] = {}
        if response is Response.ACCEPT:
            verdicts = {
                p: ratifier_approves(params[p], offer)
                for p in names
                if params[p].ratification_threshold is not None
            }
        offers.append(
            _record(scenario, k, date, proposer, responder, offer, params, response, verdicts)
        )
        ratified = all(verdicts.values()) if response is Response.ACCEPT else None
        history.append(PastOffer(k, proposer, offer, response, ratified))
        if ratified:
            agreement = dict(offer)
            late = " after the deadline" if k > session.deadline_round else ""
            end = (
                "agreement",
                f"{responder} accepted {proposer}'s offer in round {k + 1} "
                f"({date.isoformat()}){late}.",
            )
            break
        if response is Response.WALK_AWAY:
            end = ("breakdown", f"{responder} walked away in round {k + 1} ({date.isoformat()}).")
            break
        if ratified is False:
            rejecters = [p for p, ok in verdicts.items() if not ok]
            failed_ratifier = " and ".join(_ratifier_name(scenario, p) for p in rejecters)
            rejected = f"{failed_ratifier} rejected the offer {responder} accepted"
        else:
            rejected = f"{responder} rejected {proposer}'s offer"
        if k >= clock:  # this is rejection number k + 1: the clock has run out
            end = (
                "breakdown",
                f"The talks broke down after {rejected} in round {k + 1} "
                f"(breakdown risk {session.risk:.0%} per round).",
            )
            break
    if end is None:
        last = session.dates[k].isoformat()
        if failed_ratifier is not None:
            end = (
                "ratification_failure",
                f"No agreement by the last round (round {k + 1}, {last}): "
                f"{failed_ratifier} rejected an accepted offer.",
            )
        else:
            end = (
                "deadline",
                f"No agreement by the last round (round {k + 1}, {last}): "
                "the talks ran out of time.",
            )
    assert end is not None
    kind, cause = end
    final = {p: session.params(p, k) for p in names}
    if agreement is not None:
        undiscounted = {p: final[p].utility(agreement) for p in names}
        discounted = {p: final[p].discount ** k * undiscounted[p] for p in names}
    else:
        undiscounted = {p: final[p].outside_option for p in names}
        discounted = dict(undiscounted)
    return SessionResult(
        scenario_id=scenario.id,
        outcome=kind,
        agreement=agreement,
        round=k + 1,
        date=session.dates[k],
        cause=cause,
        after_deadline=agreement is not None and k > session.deadline_round,
        utilities=undiscounted,
        discounted_utilities=discounted,
        transcript=Transcript(tuple(offers)),
        negotiators={p: repr(negotiators[p]) for p in names},
    )


def _ratifier_name(scenario: Scenario, party: str) -> str:
    rat = scenario.parties[party].ratification
    return f"{party}'s {rat.body}" if rat is not None else f"{party}'s ratifier"


def _record(
    scenario: Scenario,
    k: int,
    date: dt.date,
    proposer: str,
    responder: str,
    offer: Outcome,
    params: Mapping[str, PartyParameters],
    response: Response,
    verdicts: Mapping[str, bool],
) -> Offer:
    return Offer(
        round=k + 1,
        date=date,
        proposer=proposer,
        responder=responder,
        outcome=dict(offer),
        display={iid: scenario.format_value(iid, v) for iid, v in offer.items()},
        money={
            i.id: scenario.money.as_dict(float(offer[i.id])) for i in scenario.issues if i.is_money
        },
        utilities={p: params[p].utility(offer) for p in scenario.party_names},
        response=response,
        ratification=dict(verdicts),
    )
