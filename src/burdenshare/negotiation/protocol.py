"""One session among P >= 2 parties: stacked alternating offers or a mediator's single text,
with deadlines, breakdown risk, ratification and dated events.

The rules below are the specification: the vectorised engine implements the same rules and a
contract test requires identical outcomes on identical seeds. Tolerances are part of the rules.
Rules 1-11 are written for two parties under alternating offers (the bilateral protocol); rules
12-14 say how they extend to P parties and to the single negotiating text. With two parties,
``alternating_offers`` and either decision rule, rules 12-13 ARE rules 1-11.

Notation: ``names`` are the parties in listing order; the *turn order* is ``names`` rotated so
that ``protocol.first_mover`` comes first, and the turn after party ``q`` is the next party in
it (after the last, the first). ``Q = protocol.needed(P)`` parties must accept, the proposer
included under alternating offers: ``P`` under ``unanimity``; under ``majority``, ``quota`` or
by default ``floor(P / 2) + 1``.

1. **Rounds.** Rounds take place on ``scenario.protocol.round_dates()`` (from ``start`` every
   ``round_every_days`` up to the horizon, or the deadline if there is none, and at most
   ``max_rounds``). In round ``k`` (0-based) the proposer is ``protocol.first_mover`` when ``k`` is
   even and the other party when ``k`` is odd (with P parties, rule 12.5).
2. **Parameters.** A party's parameters in round ``k`` are
   ``party_parameters(scenario, party, on=date_k, overrides=overrides)``: events dated on or before
   ``date_k`` apply. Negotiators receive a :class:`~burdenshare.negotiation.state.PartyView` once
   (``negotiator.start(view, rng)``) and a
   :class:`~burdenshare.negotiation.state.NegotiationState` at every call.
2b. **Information.** What a negotiator sees of its opponent (``opponent_estimate``, dated like its
   own parameters) follows ``protocol.information`` and ``protocol.opponent_prior`` (with P > 2
   parties there is no single opponent: ``opponent_estimate`` is ``None`` and
   ``PartyView.opponents`` maps every other party to its estimate by the same rule):
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
   ``(..., 1)``, ..., ``(..., P)`` seed the protocol's generator and the generators of the P
   parties in listing order (with two parties: the first and second party as listed). (A
   ``Generator`` seed is split with ``Generator.spawn(P + 1)`` in the same order; a tuple of
   ``P + 1`` generators is used as given, which is how an ensemble hands session ``i`` its slice
   of a block's stream.) A negotiator's draws never shift the protocol's; the protocol draws
   exactly one uniform per session (rule 7) and the mediator none.
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

12. **Stacked alternating offers with P parties** (``kind: alternating_offers``; Aydogan, Festen,
    Hindriks & Jonker 2017, "Alternating offers protocols for multilateral negotiation", in
    *Modern Approaches to Agent-based Complex Automated Negotiation*, Springer, 153-167; the
    protocol of ANAC 2015-2017). Round ``k`` has a proposer ``q_k``, ``q_0 = first_mover``.

    1. ``q_k``'s ``propose(state)`` gives the offer (rule 4).
    2. The responders are the other ``P - 1`` parties in turn order after ``q_k``; each in turn
       answers with ``respond(state, offer)`` (``state.history`` holds the completed rounds
       only, ``state.proposer`` is ``q_k``). Under ``unanimity`` the talks stop asking at the
       first ``REJECT`` or ``WALK_AWAY`` and the offer passes if all ``P - 1`` accept; under
       ``majority`` every responder is asked (the talks stop early only at a ``WALK_AWAY``) and
       the offer passes if ``1 + (number of ACCEPT) >= Q``. A ``WALK_AWAY`` by anyone ends
       the talks at once (rule 8).
    3. An offer that passes goes to every party's ratifier (rule 6: every party with one,
       whatever its vote); if all approve, the session ends in agreement in round ``k``.
    4. A round without agreement is ONE rejection for the breakdown clock (rule 7).
    5. The next proposer is the first responder who rejected (in turn order); after a
       ratifier's refusal of an offer that passed, the party after ``q_k`` in turn order.
       (With two parties: always the other party, rule 1.)
    6. Rules 9-11 (deadline and horizon, late agreements, payoffs) apply unchanged, per party.

13. **The single negotiating text** (``kind: single_text``; Raiffa 1982, *The Art and Science
    of Negotiation*, Harvard University Press, ch. 14 "The single negotiating text"). No party
    proposes: a mediator keeps a text ``T`` (an outcome), recorded with proposer
    ``"mediator"``.

    1. ``T_0``: each continuous issue at ``(lo + hi) / 2``, each integer issue at
       ``floor((lo + hi) / 2)``, each categorical issue at its first value.
    2. In round ``k`` every party, in turn order from the first mover, answers ``T_k`` with
       ``respond(state, T_k)`` (the talks stop early only at a ``WALK_AWAY``, which ends them:
       rule 8). ``T_k`` passes if the number of ``ACCEPT`` is at least ``Q`` (``P`` under
       unanimity); a text that passes goes to every ratifier (rule 6); if all approve, the
       session ends in agreement in round ``k``.
    3. A round without agreement is one rejection for the breakdown clock (rule 7).
    4. Then the mediator amends the text toward ``R``: the parties that rejected it (after a
       ratifier's refusal, the parties whose ratifier refused). It knows only public
       information: each party's *central* parameters on ``date_k``
       (``party_parameters(scenario, i, on=date_k)``, no overrides, never the session's draws).
       With ``s_ij = +1`` if party ``i``'s central ideal on issue ``j`` is above its central
       reservation, else ``-1``, and ``w_ij`` its central weight on ``j``, for each numeric issue
       ``j``, in float64 and in exactly this order::

           acc = 0.0
           for i in names:                       # listing order
               if i in R: acc += s_ij * w_ij
           x = T_kj + step * (hi_j - lo_j) * acc / P      # step = protocol.mediator_step
           x = min(max(x, lo_j), hi_j)
           if issue j is integer: x = float(numpy.rint(x))

       Categorical issues keep their value. (Raiffa's mediator revises the text to meet the
       objections raised; this rule moves it a fixed share of the range toward each objector's
       side, weighted by how much the objector cares about the issue.)
    5. Deadline, horizon, late agreements and payoffs: rules 9-11, unchanged.

14. **Negotiators with P > 2.** A negotiator plays a session of more than two parties only if
    its class declares ``"multilateral"`` in ``supports``; otherwise :func:`run_session` raises
    a :class:`~burdenshare.errors.SimulationError` naming it. The built-in time-dependent family
    and the hardliner declare it (they read only their own parameters).

Causes in words: with two parties under alternating offers as before (``"B accepted A's offer
in round 3 ..."``, ``"B rejected A's offer"``); otherwise ``"B and C accepted A's offer"``,
``"A's offer passed 3 of 5"`` (some rejected it), ``"A, B and C accepted the mediator's text"``,
and for a rejected round ``"B rejected A's offer"`` (unanimity) or ``"the mediator's text
failed (2 of 3 accepted, 3 needed)"``.

:func:`run_session` plays these rules with the machinery of
:mod:`burdenshare.negotiation.session`; ``run_session(..., transcript=False)`` (what an ensemble
uses for negotiators the compiled engine cannot play) applies every rule the same and leaves only
the transcript out.

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

Three parties under stacked alternating offers: A wants ``x`` high, B wants ``y`` high, C
wants both low. Each linear negotiator asks for ``1 - t`` with ``t = k / 4``; B rejects A's
opening, C rejects B's offer (worth 1/2 to C, which asks 3/4), and C's offer in round 3
(``t = 1/2``) gives A and B their targets of 1/2:

>>> pie3 = parse_scenario_text('''
... id: pie3
... title: split a unit pie three ways
... as_of: 2020-01-01
... issues: [{id: x, range: [0, 1]}, {id: y, range: [0, 1]}]
... parties:
...   A:
...     utility:
...       x: {ideal: 1, reservation: 0, weight: 1}
...       y: {ideal: 0, reservation: 1, weight: 0}
...   B:
...     utility:
...       x: {ideal: 0, reservation: 1, weight: 0}
...       y: {ideal: 1, reservation: 0, weight: 1}
...   C:
...     utility:
...       x: {ideal: 0, reservation: 1, weight: 0.5}
...       y: {ideal: 0, reservation: 1, weight: 0.5}
... protocol: {first_mover: A, start: 2020-01-01, round_every_days: 1, deadline: 2020-01-05}
... ''').scenario
>>> three = run_session(pie3, {p: Linear() for p in ("A", "B", "C")}, seed=1)
>>> [(o.proposer, {p: r.value for p, r in o.responses.items()}) for o in three.transcript]
[('A', {'B': 'reject'}), ('B', {'C': 'reject'}), ('C', {'A': 'accept', 'B': 'accept'})]
>>> three.agreement, three.cause
({'x': 0.5, 'y': 0.5}, "A and B accepted C's offer in round 3 (2020-01-03).")
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from burdenshare.errors import SimulationError
from burdenshare.negotiation.session import (
    BREAKDOWN_RISK_KEY,
    RATIFICATION_TOL,
    Session,
    SessionPlan,
    belief_days,
    belief_key,
    check_negotiators,
    deadline_belief,
    issue_utility,
    play,
    ratifier_approves,
)
from burdenshare.negotiation.state import MEDIATOR, NegotiationState, PartyView, PastOffer
from burdenshare.negotiation.transcript import SessionResult
from burdenshare.scenario import Scenario

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

#: what ``run_session`` accepts as a seed
Seed = int | np.random.SeedSequence | np.random.Generator | tuple[np.random.Generator, ...] | None

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


def party_view(
    scenario: Scenario, party: str, *, overrides: Mapping[str, float] | None = None
) -> PartyView:
    """The :class:`PartyView` that :func:`run_session` gives ``party``'s negotiator."""
    _check_party(scenario, party)
    return Session(SessionPlan(scenario), overrides).view(party)


def negotiation_state(
    scenario: Scenario,
    party: str,
    round: int,
    *,
    history: Sequence[PastOffer] = (),
    overrides: Mapping[str, float] | None = None,
    proposer: str | None = None,
) -> NegotiationState:
    """The :class:`NegotiationState` that ``party`` sees in round ``round`` (0-based).

    Useful to put a negotiator in a given situation in tests. The round's proposer is
    ``proposer`` if given, else the one the rules name after ``history``
    (:meth:`~burdenshare.negotiation.session.SessionPlan.proposer`: with two parties under
    alternating offers, the first mover in even rounds and the other party in odd ones).
    """
    _check_party(scenario, party)
    plan = SessionPlan(scenario)
    session = Session(plan, overrides)
    if not 0 <= round < len(session.dates):
        raise SimulationError(
            f"round {round} does not exist; the scenario has rounds 0 to {len(session.dates) - 1}"
        )
    if proposer is None:
        proposer = plan.proposer(round, history)
    elif proposer not in scenario.parties and proposer != MEDIATOR:
        raise SimulationError(
            f"unknown proposer {proposer!r}; the parties are {list(scenario.parties)}"
        )
    return session.state(party, round, tuple(history), proposer)


def _check_party(scenario: Scenario, party: str) -> None:
    if party not in scenario.parties:
        raise SimulationError(f"unknown party {party!r}; the parties are {list(scenario.parties)}")


def _generators(seed: Seed, parties: int = 2) -> tuple[np.random.Generator, ...]:
    """The protocol's generator and one per party in listing order (rule 3)."""
    n = parties + 1
    if isinstance(seed, tuple):
        if len(seed) != n or not all(isinstance(g, np.random.Generator) for g in seed):
            raise SimulationError(
                f"a tuple seed must hold {n} numpy Generators "
                f"(the protocol's, then one per party in listing order)"
            )
        return seed
    if isinstance(seed, np.random.Generator):
        return tuple(seed.spawn(n))
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
        for i in range(n)
    )


def run_session(
    scenario: Scenario,
    negotiators: Mapping[str, Negotiator],
    *,
    seed: Seed = 0,
    overrides: Mapping[str, float] | None = None,
    transcript: bool = True,
) -> SessionResult:
    """Run one alternating-offers session under the rules in this module's docstring.

    ``negotiators`` maps each party name to its negotiator; ``overrides`` replaces central values
    by field path (e.g. ``"parties.US.utility.contribution.reservation"`` or
    ``"protocol.breakdown_risk_per_round"``). The same seed gives the same result.
    ``transcript=False`` leaves ``result.transcript`` empty and skips building the per-offer
    records (display strings, money amounts, both utilities of each offer): every rule applies
    the same, every other field of the result is the same, and an ensemble runs faster.
    """
    check_negotiators(scenario, negotiators)
    session = Session(SessionPlan(scenario), overrides)
    protocol_rng, *party_rngs = _generators(seed, len(scenario.parties))
    clock = int(breakdown_clock(protocol_rng.random(), session.risk))
    return play(session, negotiators, party_rngs, clock, transcript=transcript)
