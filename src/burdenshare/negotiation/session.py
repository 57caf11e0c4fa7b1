"""The machinery of one session: its dated parameters, what each negotiator sees, and the loop.

:mod:`burdenshare.negotiation.protocol` states the rules and holds the public entry points
(:func:`~burdenshare.negotiation.protocol.run_session` and friends); this module plays them.

- :class:`SessionPlan`: what every session of one scenario shares whatever its overrides (the
  round calendar, who proposes in which round, the parties' parameters at central values, the
  opponent priors), resolved once and reused;
- :class:`Session`: one set of overrides on top of a plan (the session's true parameters, its
  breakdown risk and deadline beliefs), with the :class:`PartyView` and
  :class:`NegotiationState` records the negotiators receive;
- :func:`play`: the alternating-offers loop (rules 4-11), with or without the transcript;
- :class:`SessionRunner`: many sessions of one scenario and one pair of negotiators, as
  :func:`burdenshare.engine.run_batch` plays the negotiators the compiled kernel cannot.

Everything here is deterministic in the scenario and the overrides, and every record it shares
between rounds or sessions is frozen, so reusing one changes no result: a session played by a
:class:`SessionRunner` or with ``transcript=False`` ends exactly as the same session played by
``run_session`` with its transcript (``tests/unit/test_session_lean.py``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import numbers
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from burdenshare.errors import SimulationError
from burdenshare.negotiation.prior import OpponentPrior, opponent_fields
from burdenshare.negotiation.session_words import Words, join_names, offer_record, ratifier_name
from burdenshare.negotiation.state import (
    MEDIATOR,
    NegotiationState,
    PartyView,
    PastOffer,
    Response,
)
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
    "RATIFICATION_TOL",
    "Session",
    "SessionPlan",
    "SessionRunner",
    "belief_days",
    "belief_key",
    "check_negotiators",
    "deadline_belief",
    "issue_utility",
    "play",
    "ratifier_approves",
]

#: override key for the per-round breakdown risk
BREAKDOWN_RISK_KEY = "protocol.breakdown_risk_per_round"
#: a ratifier approves a value whose single-issue utility is at least the threshold's minus this
RATIFICATION_TOL = 1e-12


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
    return part.at(float(value))  # float(part(x)) bit for bit, without numpy's per-call cost


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


def _resolve(
    scenario: Scenario, party: str, on: dt.date, overrides: Mapping[str, float] | None
) -> PartyParameters:
    """``party_parameters`` with the protocol's checks (rule 2), as a :class:`SimulationError`."""
    try:
        p = party_parameters(scenario, party, on=on, overrides=overrides)
    except (TypeError, ValueError, KeyError) as exc:
        raise SimulationError(f"cannot resolve the parameters of {party}: {exc}") from None
    if not (0.0 < p.discount <= 1.0 and math.isfinite(p.outside_option)):
        raise SimulationError(
            f"{party}'s discount must lie in (0, 1] and its outside option be finite, "
            f"got {p.discount!r} and {p.outside_option!r}; check the overrides"
        )
    return p


class SessionPlan:
    """What every session of ``scenario`` shares, whatever its overrides (resolved on demand
    and kept: the calendar, the turn order, parameters at central values, opponent priors).

    The proposer of a round depends on the answers before it (stacked alternating offers:
    the first responder who rejected proposes next), so :func:`play` asks
    :meth:`next_proposer` after every round; ``order`` is the turn order (the parties in
    listing order, rotated so that ``protocol.first_mover`` comes first)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        proto = scenario.protocol
        self.names = scenario.party_names
        self.dates = tuple(proto.round_dates())
        if not self.dates:
            raise SimulationError(f"scenario {scenario.id!r} has no negotiation rounds")
        self.deadline_round = max(k for k, d in enumerate(self.dates) if d <= proto.deadline)
        # the events dated on or before a round fix its parameters: rounds with as many such
        # events share them (an "epoch")
        event_dates = [ev.date for ev in proto.events]
        self.epochs = tuple(bisect.bisect_right(event_dates, d) for d in self.dates)
        first = proto.first_mover
        self.first_mover = first
        f = self.names.index(first)
        self.order = self.names[f:] + self.names[:f]
        n = len(self.order)
        #: the party after each party in turn order
        self.after = {q: self.order[(i + 1) % n] for i, q in enumerate(self.order)}
        #: each proposer's responders, in turn order after it
        self.responders = {
            q: tuple(self.order[(i + j) % n] for j in range(1, n)) for i, q in enumerate(self.order)
        }
        self.bilateral = n == 2
        self.other = {p: scenario.other(p) for p in self.names} if self.bilateral else {}
        self.single_text = proto.kind == "single_text"
        self.unanimity = proto.decision_rule == "unanimity"
        #: whether the asking stops at the first rejection (alternating offers, unanimity)
        self.stop_at_reject = self.unanimity and not self.single_text
        #: how many must accept (the proposer included under alternating offers)
        self.needed = proto.needed(n)
        self.mediator_step = float(proto.mediator_step)
        self.information = proto.information
        self.opponent_prior = proto.opponent_prior
        self.central_risk = central(proto.breakdown_risk_per_round)
        self.issue_ids = [i.id for i in scenario.issues]
        self._issue_set = frozenset(self.issue_ids)
        self._central: dict[tuple[str, int], PartyParameters] = {}
        self._beliefs: dict[str, dt.date] = {}
        self._priors: dict[str, OpponentPrior | None] = {}

    def proposer(self, k: int, history: Sequence[PastOffer] = ()) -> str:
        """Who proposes in round ``k`` after ``history``: the mediator under single_text; else
        the first mover in round 0, :meth:`next_proposer` of the last offer when ``history``
        ends with round ``k - 1``, and otherwise the party ``k`` turns after the first mover
        (every round rejected by the next party in turn; with two parties, the alternation)."""
        if self.single_text:
            return MEDIATOR
        if k > 0 and history and history[-1].round == k - 1:
            return self.next_proposer(history[-1])
        return self.order[k % len(self.order)]

    def next_proposer(self, past: PastOffer) -> str:
        """Who proposes after ``past`` (alternating offers, rule 5 of the N-party rules): the
        first responder who rejected it; after a ratifier's refusal of an offer that passed,
        the party after its proposer in turn order."""
        if past.ratified is None:
            for party, response in past.responses:
                if response is Response.REJECT:
                    return party
        return self.after[past.proposer]

    def first_text(self) -> Outcome:
        """The mediator's first text ``T_0``: every numeric issue at the middle of its range
        (an integer issue at ``floor((lo + hi) / 2)``), every categorical issue at its first
        value."""
        text: Outcome = {}
        for issue in self.scenario.issues:
            if issue.kind == "categorical":
                text[issue.id] = (issue.values or ("",))[0]
                continue
            assert issue.range is not None
            lo, hi = issue.range
            mid = (lo + hi) / 2
            text[issue.id] = float(math.floor(mid)) if issue.kind == "integer" else mid
        return text

    def amend(self, text: Outcome, rejecters: frozenset[str], k: int) -> Outcome:
        """The mediator's text after round ``k``, moved toward the parties in ``rejecters``.

        From public information only: each party's central parameters on ``date_k``. For each
        numeric issue ``j`` (in float64, in this order)::

            acc = sum over rejecters i, in listing order, of s_ij * w_ij
            x = T_j + step * (hi_j - lo_j) * acc / P      (left to right)
            x = min(max(x, lo_j), hi_j), then numpy.rint(x) on an integer issue

        with ``s_ij = +1`` if party ``i``'s central ideal on ``j`` is above its central
        reservation, else ``-1``, and ``w_ij`` its weight (``utility.weights[j]``).
        Categorical issues keep their value.
        """
        n = len(self.names)
        step = self.mediator_step
        out: Outcome = {}
        for j, issue in enumerate(self.scenario.issues):
            if issue.kind == "categorical":
                out[issue.id] = text[issue.id]
                continue
            assert issue.range is not None
            lo, hi = issue.range
            acc = 0.0
            for party in self.names:
                if party in rejecters:
                    utility = self.central_params(party, k).utility
                    part = utility.parts[j]
                    assert not isinstance(part, CategoricalUtility)
                    sign = 1.0 if part.ideal > part.reservation else -1.0
                    acc += sign * utility.weights[j]
            x = float(text[issue.id]) + step * (hi - lo) * acc / n
            x = min(max(x, lo), hi)
            if issue.kind == "integer":
                x = float(np.rint(x))
            out[issue.id] = x
        return out

    def central_params(self, party: str, k: int) -> PartyParameters:
        """``party``'s parameters in round ``k`` at the scenario's central values."""
        key = (party, self.epochs[k])
        p = self._central.get(key)
        if p is None:
            p = self._central[key] = _resolve(self.scenario, party, self.dates[k], None)
        return p

    def belief(self, party: str, overrides: Mapping[str, float]) -> dt.date:
        """``party``'s deadline belief under ``overrides`` (:func:`deadline_belief`)."""
        if belief_key(party) in overrides:
            return deadline_belief(self.scenario, party, overrides)
        if party not in self._beliefs:
            self._beliefs[party] = deadline_belief(self.scenario, party)
        return self._beliefs[party]

    def prior(self, party: str) -> OpponentPrior | None:
        """The scenario's prior over ``party``'s opponent (private + scenario only; rule 2b;
        with two parties only: with more there is no single opponent)."""
        if party not in self._priors:
            prior = None
            informed = self.information == "private" and self.opponent_prior == "scenario"
            if self.bilateral and informed:
                other = self.other[party]
                prior = OpponentPrior(
                    central=self.central_params(other, 0),
                    fields=opponent_fields(self.scenario, other),
                    scenario=self.scenario,
                    on=self.dates[0],
                )
            self._priors[party] = prior
        return self._priors[party]

    def validate_offer(self, raw: object, negotiator: object, party: str, k: int) -> Outcome:
        """The proposer's offer as an outcome, or a :class:`SimulationError` (rule 4)."""

        def where() -> str:  # built only for an error: a repr per offer costs more than a round
            return f"{negotiator!r} (proposing for {party} in round {k + 1})"

        if not isinstance(raw, Mapping):
            raise SimulationError(
                f"{where()} returned {raw!r}; propose() must return a mapping of issue id to value"
            )
        unknown = [key for key in raw if key not in self._issue_set]
        if unknown:
            raise SimulationError(
                f"{where()} offered an unknown issue {unknown[0]!r}; issues: {self.issue_ids}"
            )
        out: Outcome = {}
        for issue in self.scenario.issues:
            if issue.id not in raw:
                raise SimulationError(f"{where()} offered no value for issue {issue.id!r}")
            value = raw[issue.id]
            if issue.kind == "categorical":
                if not isinstance(value, str) or value not in issue.category_set:
                    cats = list(issue.values or ())
                    shown = f"{cats[:20]} (and {len(cats) - 20:,} more)" if len(cats) > 20 else cats
                    raise SimulationError(
                        f"{where()} offered {issue.id}={value!r}; expected one of {shown}"
                    )
                out[issue.id] = value
                continue
            assert issue.range is not None
            lo, hi = issue.range
            ok = type(value) is float or (
                isinstance(value, numbers.Real) and not isinstance(value, bool)
            )
            x = float(value) if ok else math.nan
            integral = issue.kind != "integer" or (math.isfinite(x) and x.is_integer())
            if not (ok and math.isfinite(x) and lo <= x <= hi and integral):
                kind = "a whole number" if issue.kind == "integer" else "a number"
                raise SimulationError(
                    f"{where()} offered {issue.id}={value!r}; expected {kind} in [{lo:g}, {hi:g}]"
                )
            out[issue.id] = x
        return out


class Session:
    """One session's overrides on top of a :class:`SessionPlan`: its true dated parameters,
    breakdown risk and deadline beliefs, and the records its negotiators see."""

    def __init__(self, plan: SessionPlan, overrides: Mapping[str, float] | None) -> None:
        self.plan = plan
        self.scenario = plan.scenario
        self.overrides = dict(overrides or {})
        self.dates = plan.dates
        self.deadline_round = plan.deadline_round
        raw_risk = self.overrides.get(BREAKDOWN_RISK_KEY, plan.central_risk)
        risk = float(raw_risk)
        if not 0.0 <= risk <= 1.0:
            raise SimulationError(
                f"{BREAKDOWN_RISK_KEY} must lie in [0, 1], got {raw_risk!r}; pass a probability"
            )
        self.risk = risk
        self.beliefs = {p: plan.belief(p, self.overrides) for p in plan.names}
        self._truth: dict[tuple[str, int], PartyParameters] = {}

    def params(self, party: str, k: int, *, truth: bool = True) -> PartyParameters:
        """Parameters in round ``k``: with the overrides (truth) or at central values (estimate).
        Without overrides the two are the same record."""
        if not truth or not self.overrides:
            return self.plan.central_params(party, k)
        key = (party, self.plan.epochs[k])
        p = self._truth.get(key)
        if p is None:
            p = self._truth[key] = _resolve(self.scenario, party, self.dates[k], self.overrides)
        return p

    def estimate(self, party: str, k: int) -> PartyParameters | None:
        """What ``party`` sees of its opponent in round ``k`` (rule 2b); None with more than
        two parties (see :meth:`estimate_of`)."""
        plan = self.plan
        if not plan.bilateral or plan.opponent_prior == "uninformed":
            return None  # (complete information is never uninformed: the scenario refuses it)
        if plan.information == "complete":
            return self.params(plan.other[party], k)
        return self.params(plan.other[party], k, truth=False)

    def estimate_of(self, other: str, k: int) -> PartyParameters | None:
        """What a party sees of ``other`` in round ``k`` (rule 2b)."""
        plan = self.plan
        if plan.information == "complete":
            return self.params(other, k)
        if plan.opponent_prior == "uninformed":
            return None
        return self.params(other, k, truth=False)

    def view(self, party: str) -> PartyView:
        plan = self.plan
        return PartyView(
            party=party,
            opponent=plan.other.get(party),
            params=self.params(party, 0),
            opponent_estimate=self.estimate(party, 0),
            issues=self.scenario.issues,
            round_dates=self.dates,
            deadline_round=self.deadline_round,
            first_mover=plan.first_mover,
            breakdown_risk=self.risk,
            start=self.dates[0],
            deadline_belief=self.beliefs[party],
            information=plan.information,
            opponent_prior=plan.prior(party),
            opponents=MappingProxyType(
                {o: self.estimate_of(o, 0) for o in plan.names if o != party}
            ),
        )

    def state(
        self, party: str, k: int, history: tuple[PastOffer, ...], proposer: str
    ) -> NegotiationState:
        return NegotiationState(
            party=party,
            round=k,
            date=self.dates[k],
            n_rounds=len(self.dates),
            deadline_round=self.deadline_round,
            proposer=proposer,
            params=self.params(party, k),
            opponent_estimate=self.estimate(party, k),
            start=self.dates[0],
            deadline_belief=self.beliefs[party],
            information=self.plan.information,
            history=history,
            round_dates=self.dates,
        )


def check_negotiators(scenario: Scenario, negotiators: Mapping[str, Negotiator]) -> None:
    """One negotiator object per party, each its own; with more than two parties, or under the
    single text, each one that declares ``"multilateral"`` in its ``supports``."""
    names = scenario.party_names
    if set(negotiators) != set(names):
        raise SimulationError(
            f"give one negotiator per party {list(names)}, got {sorted(negotiators)}"
        )
    seen: dict[int, str] = {}
    for party in names:
        first = seen.setdefault(id(negotiators[party]), party)
        if first != party:
            raise SimulationError(
                f"{first} and {party} were given the same negotiator object; give each its own "
                "(for example negotiator.clone())"
            )
    mediated = scenario.protocol.kind == "single_text"
    if len(names) > 2 or mediated:
        # a negotiator that models its one opponent from the offers it receives would read the
        # mediator's texts as that opponent's offers: refused under the single text too
        why = (
            f"this scenario has {len(names)} parties"
            if len(names) > 2
            else "under the single text its offers come from the mediator, not an opponent"
        )
        for party in names:
            neg = negotiators[party]
            if "multilateral" not in getattr(type(neg), "supports", frozenset()):
                raise SimulationError(
                    f"{neg!r} (for {party}) plays two-party alternating offers only; {why}. "
                    f"Give {party} a negotiator that declares "
                    "'multilateral' (built in: boulware, linear, conceder, "
                    "time-dependent:e=..., hardliner)"
                )


def _answers(
    session: Session,
    negotiators: Mapping[str, Negotiator],
    asked: Sequence[str],
    k: int,
    past: tuple[PastOffer, ...],
    proposer: str,
    offer: Outcome,
) -> list[tuple[str, Response]]:
    """Every answer to ``offer`` in round ``k``, in the order asked: the talks stop asking at
    a ``WALK_AWAY``, and under alternating offers with unanimity at the first ``REJECT``."""
    stop_at_reject = session.plan.stop_at_reject
    out: list[tuple[str, Response]] = []
    for party in asked:
        response = negotiators[party].respond(session.state(party, k, past, proposer), dict(offer))
        if not isinstance(response, Response):
            raise SimulationError(
                f"{negotiators[party]!r} (responding for {party} in round {k + 1}) "
                f"returned {response!r}; respond() must return a Response"
            )
        out.append((party, response))
        if response is Response.WALK_AWAY or (stop_at_reject and response is Response.REJECT):
            break
    return out


def play(
    session: Session,
    negotiators: Mapping[str, Negotiator],
    party_rngs: Sequence[np.random.Generator],
    clock: int,
    *,
    transcript: bool = True,
) -> SessionResult:
    """Play one session (rules 4-11, and the N-party rules of
    :mod:`burdenshare.negotiation.protocol`) given its breakdown clock (rule 7) and the
    parties' generators (rule 3). ``transcript=False`` leaves the transcript empty and skips
    building its records (display strings, money in every currency, every party's utility of
    every offer); every rule is applied the same and the result is otherwise the same."""
    plan = session.plan
    scenario = plan.scenario
    names = plan.names
    for party, rng in zip(names, party_rngs, strict=True):
        negotiators[party].start(session.view(party), rng)

    history: list[PastOffer] = []
    offers: list[Offer] = []
    failed_ratifier: str | None = None  # who last rejected an offer that passed
    end: tuple[SessionOutcome, str] | None = None
    agreement: Outcome | None = None
    single = plan.single_text
    text = plan.first_text() if single else None
    proposer = MEDIATOR if single else plan.first_mover
    k = 0
    for k, date in enumerate(session.dates):
        past = tuple(history)
        if text is not None:
            offer = text
            asked = plan.order
        else:
            raw = negotiators[proposer].propose(session.state(proposer, k, past, proposer))
            offer = plan.validate_offer(raw, negotiators[proposer], proposer, k)
            asked = plan.responders[proposer]
        answers = _answers(session, negotiators, asked, k, past, proposer, offer)
        n_yes = 0 if single else 1
        for _, r in answers:
            n_yes += r is Response.ACCEPT
        responder, response = answers[-1]
        walked = response is Response.WALK_AWAY
        passed = not walked and n_yes >= plan.needed
        if passed:
            response = Response.ACCEPT
        elif len(answers) > 1:  # the decisive answer: the first that is not an acceptance
            responder, response = next((p, r) for p, r in answers if r is not Response.ACCEPT)
        verdicts: dict[str, bool] = {}
        if passed:
            for p in names:
                prm = session.params(p, k)
                if prm.ratification_threshold is not None:
                    verdicts[p] = ratifier_approves(prm, offer)
        if transcript:
            params = {p: session.params(p, k) for p in names}
            offers.append(
                offer_record(
                    scenario,
                    k,
                    date,
                    proposer,
                    responder,
                    offer,
                    params,
                    response,
                    answers,
                    verdicts,
                )
            )
        ratified = all(verdicts.values()) if passed else None
        past_offer = PastOffer(k, proposer, offer, response, ratified, tuple(answers))
        history.append(past_offer)
        if ratified:
            agreement = dict(offer)
            words = Words(plan, session, k, proposer, answers, n_yes)
            end = ("agreement", words.agreed(responder))
            break
        if walked:  # the last answer asked (under majority, perhaps after a rejection)
            words = Words(plan, session, k, proposer, answers, n_yes)
            end = ("breakdown", f"{answers[-1][0]} walked away {words.when}.")
            break
        refused: list[str] = []
        if ratified is False:
            refused = [p for p, ok in verdicts.items() if not ok]
            failed_ratifier = join_names([ratifier_name(scenario, p) for p in refused])
        if k >= clock:  # this is rejection number k + 1: the clock has run out
            words = Words(plan, session, k, proposer, answers, n_yes)
            rejected = words.rejected(responder, failed_ratifier if refused else None)
            end = (
                "breakdown",
                f"The talks broke down after {rejected} in round {k + 1} "
                f"(breakdown risk {session.risk:.0%} per round).",
            )
            break
        if text is not None:
            rejecters = refused or [p for p, r in answers if r is Response.REJECT]
            text = plan.amend(text, frozenset(rejecters), k)
        else:
            proposer = plan.next_proposer(past_offer)
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


class SessionRunner:
    """Sessions of one scenario between one pair of negotiators, without transcripts: the
    plan is resolved once, and consecutive sessions with equal overrides share one
    :class:`Session` (an ensemble without uncertain parameters resolves each party's dated
    parameters once in all)."""

    def __init__(self, scenario: Scenario, negotiators: Mapping[str, Negotiator]) -> None:
        check_negotiators(scenario, negotiators)
        self.plan = SessionPlan(scenario)
        self.negotiators = dict(negotiators)
        self._last: Session | None = None

    def session(self, overrides: Mapping[str, float]) -> Session:
        """The :class:`Session` of ``overrides`` (the previous one if they are equal)."""
        last = self._last
        if last is None or last.overrides != overrides:
            last = self._last = Session(self.plan, overrides)
        return last

    def run(
        self, session: Session, party_rngs: Sequence[np.random.Generator], clock: int
    ) -> SessionResult:
        """One session, as ``run_session(..., transcript=False)`` plays it given the same
        generators (rule 3) and breakdown clock (rule 7)."""
        return play(session, self.negotiators, party_rngs, clock, transcript=False)
