"""A contract every negotiator should meet, as a mixin for your own test classes.

Subclass :class:`NegotiatorContract`, return a fresh negotiator from ``make_negotiator`` and,
ideally, a small table of :class:`ResponseCase` (situation, offer, expected response) from
``response_cases``; pytest then runs every ``test_*`` method below on it::

    from burdenshare.testing import NegotiatorContract, ResponseCase

    class TestMyNegotiator(NegotiatorContract):
        def make_negotiator(self):
            return MyNegotiator(patience=3)

        def response_cases(self):
            return [ResponseCase("B's ideal in round 1", party="B", round=0,
                                 offer={"x": 0.0}, expected=Response.ACCEPT)]

The checks: metadata (``name``, ``traits``, ``supports``), parameters stored by ``__init__``
only (``repr``, ``clone``), reproducibility (same seed, same transcript; one instance reused
gives the same results, so ``start`` resets all state), never proposing nor accepting an outcome
worth less than :func:`~burdenshare.negotiation.negotiators.base.reservation_utility`
(``u_min``) over several scenarios (set ``respects_reservation = False`` for a negotiator that
does not promise this), and the response table. The scenarios are :data:`CONTRACT_SCENARIOS`
plus the bundled flagship.

Each scenario is tagged with the capabilities it needs (:func:`scenario_capabilities`: numeric
or categorical issues, continuous ranges, a ratification stage, a negative outside option, more
than two parties). A check plays the negotiator only on the scenarios its class's ``supports``
covers, and response cases set in other scenarios are left out; a check with nothing left to
play raises :class:`unittest.SkipTest` with the reason (pytest and unittest both report it as
skipped).

A negotiator that declares ``"multilateral"`` is also played, in every role, in the 3- and
5-party scenarios of :data:`MULTILATERAL_SCENARIOS` under each protocol (stacked alternating
offers and the single negotiating text) and each decision rule (unanimity and majority):
:func:`multilateral_contract_scenarios`. One that does not must be refused by the protocol with
more than two parties (:meth:`NegotiatorContract.test_multilateral_declaration`).
Nothing here needs pytest; each check is a plain method raising ``AssertionError``.
"""

from __future__ import annotations

import functools
import pickle
import unittest
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import ClassVar

import numpy as np

from burdenshare.errors import SimulationError
from burdenshare.negotiation.negotiators.base import (
    CAPABILITIES,
    REQUIRED_TRAITS,
    TOL,
    Negotiator,
    reservation_utility,
)
from burdenshare.negotiation.negotiators.time_dependent import Conceder
from burdenshare.negotiation.protocol import (
    BREAKDOWN_RISK_KEY,
    negotiation_state,
    party_view,
    run_session,
)
from burdenshare.negotiation.state import NegotiationState, PartyView, PastOffer, Response
from burdenshare.preferences import Outcome
from burdenshare.scenario import Scenario
from burdenshare.scenario.distributions import Distribution
from burdenshare.scenario.io import parse_scenario_text

__all__ = [
    "CAPABILITIES",
    "CONTRACT_SCENARIOS",
    "MULTILATERAL_PROTOCOLS",
    "MULTILATERAL_SCENARIOS",
    "NegotiatorContract",
    "RandomOfferer",
    "ResponseCase",
    "contract_scenarios",
    "multilateral_contract_scenarios",
    "scenario_capabilities",
]

#: small scenarios the contract runs on (YAML), by key; see also :func:`contract_scenarios`
CONTRACT_SCENARIOS: Mapping[str, str] = MappingProxyType(
    {
        # A unit pie over five daily rounds: A wants x high, B wants x low.
        "pie": """
id: contract-pie
title: split a unit pie (A prefers more x, B less)
as_of: 2020-01-01
issues: [{id: x, range: [0, 1]}]
parties:
  A: {utility: {x: {ideal: 1, reservation: 0}}, discount_per_round: 0.9}
  B: {utility: {x: {ideal: 0, reservation: 1}}, discount_per_round: 0.8}
protocol: {first_mover: A, start: 2020-01-01, round_every_days: 1, deadline: 2020-01-05}
""",
        # The pie with an outside option for A and a ratifier for B (approves x <= 0.6).
        "ratified-pie": """
id: contract-ratified-pie
title: a pie with an outside option and a ratifier
as_of: 2020-01-01
issues: [{id: x, range: [0, 1]}]
parties:
  A: {utility: {x: {ideal: 0.9, reservation: 0.1}}, outside_option: 0.2}
  B:
    utility: {x: {ideal: 0, reservation: 1}}
    ratification: {body: Parliament, issue: x, approval_threshold: 0.6}
protocol: {first_mover: B, start: 2020-01-01, round_every_days: 7, deadline: 2020-02-26}
""",
        # Two issues, an integer and a categorical one, with a ratifier on the integer issue.
        "two-issue": """
id: contract-two-issue
title: duration and cost-sharing basis
as_of: 2020-01-01
issues:
  - {id: years, kind: integer, range: [1, 6]}
  - {id: basis, kind: categorical, values: [cost-sharing, in-kind, lump-sum]}
parties:
  A:
    utility:
      years: {ideal: 5, reservation: 2, weight: 0.6}
      basis: {scores: {lump-sum: 1.0, in-kind: 0.5, cost-sharing: 0.0}, reservation: in-kind,
              weight: 0.4}
    outside_option: 0.1
  B:
    utility:
      years: {ideal: 1, reservation: 5, weight: 0.5}
      basis: {scores: {cost-sharing: 1.0, in-kind: 0.6, lump-sum: 0.0}, weight: 0.5}
    discount_per_round: 0.95
    ratification: {body: Assembly, issue: years, approval_threshold: 4}
protocol: {first_mover: A, start: 2020-01-01, round_every_days: 10, deadline: 2020-04-01}
""",
        # Discrete issues only (integer and categorical); walking away costs B (outside option
        # below 0), so B's minimum is below its walk-away deal.
        "discrete-furlough": """
id: contract-discrete-furlough
title: discrete issues, and a costly breakdown for B
as_of: 2020-01-01
issues:
  - {id: years, kind: integer, range: [1, 5]}
  - {id: basis, kind: categorical, values: [cost-sharing, in-kind, lump-sum]}
parties:
  A:
    utility:
      years: {ideal: 5, reservation: 3, weight: 0.5}
      basis: {scores: {lump-sum: 1.0, in-kind: 0.4, cost-sharing: 0.0}, weight: 0.5}
  B:
    utility:
      years: {ideal: 1, reservation: 3, weight: 0.7}
      basis: {scores: {cost-sharing: 1.0, in-kind: 0.7, lump-sum: 0.0}, weight: 0.3}
    outside_option: -0.3
protocol: {first_mover: B, start: 2020-01-01, round_every_days: 7, deadline: 2020-02-12}
""",
    }
)


#: scenarios with three and five parties (YAML, the protocol block last so that variants can
#: append to it); see :func:`multilateral_contract_scenarios`
MULTILATERAL_SCENARIOS: Mapping[str, str] = MappingProxyType(
    {
        # A wants x high, B wants y high, C wants both low (the smoke test of protocol.py).
        "three-party": """
id: contract-three-party
title: three parties over two shares
as_of: 2020-01-01
issues: [{id: x, range: [0, 1]}, {id: y, range: [0, 1]}]
parties:
  A: {utility: {x: {ideal: 1, reservation: 0, weight: 0.7}, y: {ideal: 0, reservation: 1,
      weight: 0.3}}, discount_per_round: 0.9}
  B: {utility: {x: {ideal: 0, reservation: 1, weight: 0.3}, y: {ideal: 1, reservation: 0,
      weight: 0.7}}}
  C: {utility: {x: {ideal: 0, reservation: 1, weight: 0.5}, y: {ideal: 0, reservation: 1,
      weight: 0.5}}, outside_option: 0.1}
protocol:
  first_mover: B
  start: 2020-01-01
  round_every_days: 1
  deadline: 2020-01-06
""",
        # Five allies over a cost share (money-like, continuous) and a duration (integer), a
        # ratifier for P3 and a costly breakdown for P5.
        "five-party": """
id: contract-five-party
title: five allies over a share and a duration
as_of: 2020-01-01
issues:
  - {id: share, range: [0, 100]}
  - {id: years, kind: integer, range: [1, 6]}
parties:
  P1: {utility: {share: {ideal: 100, reservation: 20, weight: 0.8},
       years: {ideal: 6, reservation: 1, weight: 0.2}}}
  P2: {utility: {share: {ideal: 0, reservation: 70, weight: 0.6},
       years: {ideal: 2, reservation: 6, weight: 0.4}}}
  P3:
    utility: {share: {ideal: 10, reservation: 80, weight: 0.5},
              years: {ideal: 5, reservation: 1, weight: 0.5}}
    ratification: {body: Parliament, issue: share, approval_threshold: 75}
  P4: {utility: {share: {ideal: 90, reservation: 10, weight: 0.9},
       years: {ideal: 1, reservation: 6, weight: 0.1}}}
  P5: {utility: {share: {ideal: 30, reservation: 60, weight: 0.5},
       years: {ideal: 3, reservation: 6, weight: 0.5}}, outside_option: -0.2}
protocol:
  first_mover: P3
  start: 2020-01-01
  round_every_days: 7
  deadline: 2020-02-26
""",
    }
)

#: the protocols every multilateral scenario is played under (appended to its protocol block)
MULTILATERAL_PROTOCOLS: Mapping[str, str] = MappingProxyType(
    {
        "saop-unanimity": "",
        "saop-majority": "  decision_rule: majority\n",
        "single-text-unanimity": "  kind: single_text\n",
        "single-text-majority": (
            "  kind: single_text\n  decision_rule: majority\n  mediator_step: 0.1\n"
        ),
    }
)


@functools.cache
def multilateral_contract_scenarios() -> Mapping[str, Scenario]:
    """Each of :data:`MULTILATERAL_SCENARIOS` under each of :data:`MULTILATERAL_PROTOCOLS`,
    keyed ``"<scenario>/<protocol>"``.

    >>> keys = list(multilateral_contract_scenarios())
    >>> len(keys), keys[0], keys[-1]
    (8, 'three-party/saop-unanimity', 'five-party/single-text-majority')
    """
    return MappingProxyType(
        {
            f"{key}/{name}": parse_scenario_text(text + extra, source=key).scenario
            for key, text in MULTILATERAL_SCENARIOS.items()
            for name, extra in MULTILATERAL_PROTOCOLS.items()
        }
    )


def _every_scenario() -> dict[str, Scenario]:
    return {**contract_scenarios(), **multilateral_contract_scenarios()}


@functools.cache
def contract_scenarios() -> Mapping[str, Scenario]:
    """:data:`CONTRACT_SCENARIOS` parsed, plus ``"flagship"`` (us-rok-sma-2019): the
    bilateral scenarios (see :func:`multilateral_contract_scenarios` for the others)."""
    out = {
        key: parse_scenario_text(text, source=key).scenario
        for key, text in CONTRACT_SCENARIOS.items()
    }
    lib = resources.files("burdenshare.scenario") / "library" / "us-rok-sma-2019.yaml"
    out["flagship"] = parse_scenario_text(lib.read_text("utf-8"), source=lib.name).scenario
    return MappingProxyType(out)


def _below_zero(value: float | Distribution | None) -> bool:
    if value is None:
        return False
    if isinstance(value, Distribution):
        return value.support()[0] < 0
    return value < 0


def scenario_capabilities(scenario: Scenario) -> frozenset[str]:
    """The capabilities (:data:`CAPABILITIES`) a negotiator needs to play ``scenario``.

    ``numeric`` / ``categorical``: an issue of that kind (integer ranges are numeric);
    ``continuous``: an issue of kind continuous; ``ratification``: a party with a ratifier;
    ``negative-outside-option``: an outside option (a party's, or one an event sets) that is,
    or may be drawn, below 0; ``multilateral``: more than two parties.

    >>> sorted(scenario_capabilities(contract_scenarios()["two-issue"]))
    ['categorical', 'numeric', 'ratification']
    """
    needs: set[str] = set()
    for issue in scenario.issues:
        needs.add("categorical" if issue.kind == "categorical" else "numeric")
        if issue.kind == "continuous":
            needs.add("continuous")
    parties = scenario.parties.values()
    if any(p.ratification is not None for p in parties):
        needs.add("ratification")
    effects = [e.effects for e in scenario.protocol.events] + [
        b.effects for e in scenario.protocol.events for b in e.branches or ()
    ]
    options = [p.outside_option for p in parties] + [
        eff.outside_option for eff in effects if eff is not None
    ]
    if any(_below_zero(v) for v in options):
        needs.add("negative-outside-option")
    if len(scenario.parties) > 2:
        needs.add("multilateral")
    return frozenset(needs)


def _cast(
    scenario: Scenario, party: str, negotiator: Negotiator, opponent: Negotiator
) -> dict[str, Negotiator]:
    """``negotiator`` for ``party`` and a clone of ``opponent`` for every other party."""
    return {p: negotiator if p == party else opponent.clone() for p in scenario.party_names}


def _skip(reason: str) -> None:
    raise unittest.SkipTest(reason)


@dataclass(frozen=True)
class ResponseCase:
    """A situation, an offer, and the response a negotiator should give.

    ``party`` responds in round ``round`` (0-based; another party must be that round's
    proposer) of scenario ``scenario`` (a key of :func:`contract_scenarios` or
    :func:`multilateral_contract_scenarios`), after ``history``.
    """

    situation: str
    party: str
    round: int
    offer: Outcome
    expected: Response
    scenario: str = "pie"
    history: tuple[PastOffer, ...] = ()
    overrides: Mapping[str, float] = field(default_factory=dict)


class RandomOfferer(Negotiator):
    """A test opponent: offers a uniformly random outcome and rejects everything (with any
    number of parties)."""

    name: ClassVar[str] = "random-offerer"
    traits: ClassVar[Mapping[str, object]] = MappingProxyType(
        {"family": "random", "stochastic": True, "uses_opponent_model": False, "concedes": False}
    )
    supports: ClassVar[frozenset[str]] = CAPABILITIES

    def __init__(self) -> None:
        """No parameters."""

    def propose(self, state: NegotiationState) -> Outcome:
        out: Outcome = {}
        for issue in self.view_.issues:
            if issue.kind == "categorical":
                values = issue.values or ()
                out[issue.id] = values[int(self.rng_.integers(len(values)))]
            else:
                assert issue.range is not None
                lo, hi = issue.range
                if issue.kind == "integer":
                    out[issue.id] = float(self.rng_.integers(int(lo), int(hi) + 1))
                else:
                    out[issue.id] = float(self.rng_.uniform(lo, hi))
        return out

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        return Response.REJECT


class _Spy(Negotiator):
    """Wraps a negotiator and records what it proposed and how it responded."""

    name: ClassVar[str] = "spy"

    def __init__(self, inner: Negotiator) -> None:
        self.inner = inner
        self.proposals: list[tuple[NegotiationState, Outcome]] = []
        self.responses: list[tuple[NegotiationState, Outcome, Response]] = []

    def start(self, view: PartyView, rng: np.random.Generator) -> None:
        self.inner.start(view, rng)

    def propose(self, state: NegotiationState) -> Outcome:
        offer = self.inner.propose(state)
        self.proposals.append((state, dict(offer)))
        return offer

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        response = self.inner.respond(state, offer)
        self.responses.append((state, dict(offer), response))
        return response

    def __repr__(self) -> str:
        return repr(self.inner)


def _spy(inner: Negotiator) -> _Spy:
    """A :class:`_Spy` around ``inner`` that declares what ``inner`` supports (the protocol
    reads ``supports`` from the class)."""
    cls: type[_Spy] = type("_Spy", (_Spy,), {"supports": type(inner).supports})
    return cls(inner)


class NegotiatorContract:
    """Mixin of contract checks for one negotiator; see the module docstring."""

    #: False for a negotiator that may offer or accept below its ``u_min``
    respects_reservation: ClassVar[bool] = True
    #: seeds used for each scenario and role
    seeds: ClassVar[tuple[int, ...]] = (0, 1)

    def make_negotiator(self) -> Negotiator:
        """A fresh negotiator under test (override)."""
        raise NotImplementedError("return the negotiator under test from make_negotiator()")

    def response_cases(self) -> Sequence[ResponseCase]:
        """(situation, offer, expected response) table (override)."""
        return ()

    # -- helpers ------------------------------------------------------------------------------
    def _supports(self) -> frozenset[str]:
        return frozenset(type(self.make_negotiator()).supports)

    def playable_scenarios(self) -> dict[str, Scenario]:
        """The contract scenarios the negotiator declares it can play (``supports``); raises
        :class:`unittest.SkipTest` naming what is missing when there are none."""
        supports = self._supports()
        out: dict[str, Scenario] = {}
        missing: dict[str, list[str]] = {}
        for key, scenario in _every_scenario().items():
            lacking = sorted(scenario_capabilities(scenario) - supports)
            if lacking:
                missing[key] = lacking
            else:
                out[key] = scenario
        if not out:
            why = "; ".join(f"{k} needs {', '.join(v)}" for k, v in missing.items())
            _skip(f"no contract scenario within supports={sorted(supports)}: {why}")
        return out

    def _sessions(self) -> list[_Spy]:
        """Play the negotiator in every role of every playable scenario against two kinds of
        opponent (every other party played by a clone of it)."""
        spies = []
        for scenario in self.playable_scenarios().values():
            for party in scenario.party_names:
                for opponent in (RandomOfferer(), Conceder()):
                    for seed in self.seeds:
                        spy = _spy(self.make_negotiator())
                        run_session(
                            scenario,
                            _cast(scenario, party, spy, opponent),
                            seed=seed,
                            overrides={BREAKDOWN_RISK_KEY: 0.0},
                        )
                        spies.append(spy)
        return spies

    # -- the contract -------------------------------------------------------------------------
    def test_metadata(self) -> None:
        cls = type(self.make_negotiator())
        assert isinstance(cls.supports, frozenset), f"{cls.__name__}.supports must be a frozenset"
        unknown = sorted(cls.supports - CAPABILITIES)
        assert not unknown, f"{cls.__name__}.supports: unknown capabilities {unknown}"
        assert isinstance(cls.name, str), f"{cls.__name__}.name must be a string"
        assert cls.name, f"{cls.__name__}.name must not be empty"
        for key, kind in REQUIRED_TRAITS.items():
            assert key in cls.traits, f"{cls.__name__}.traits lacks {key!r}"
            value = cls.traits[key]
            assert isinstance(value, kind), (
                f"{cls.__name__}.traits[{key!r}] must be a {kind.__name__}, got {value!r}"
            )

    def test_init_stores_parameters_only(self) -> None:
        negotiator = self.make_negotiator()
        names = set(negotiator.param_names())
        assert set(vars(negotiator)) <= names, (
            f"{negotiator!r}: __init__ must only store its parameters {sorted(names)}, "
            f"found attributes {sorted(vars(negotiator))}"
        )
        clone = negotiator.clone()
        assert type(clone) is type(negotiator)
        assert clone.get_params() == negotiator.get_params()
        assert repr(clone) == repr(negotiator)
        assert repr(pickle.loads(pickle.dumps(negotiator))) == repr(negotiator)

    def test_same_seed_same_transcript(self) -> None:
        for scenario in self.playable_scenarios().values():
            a = scenario.party_names[0]
            runs = [
                run_session(
                    scenario, _cast(scenario, a, self.make_negotiator(), RandomOfferer()), seed=7
                )
                for _ in range(2)
            ]
            assert runs[0] == runs[1], f"{runs[0].negotiators[a]}: same seed, different results"

    def test_start_resets_state(self) -> None:
        for scenario in self.playable_scenarios().values():
            b = scenario.party_names[1]
            negotiator = self.make_negotiator()
            runs = [
                run_session(scenario, _cast(scenario, b, negotiator, Conceder()), seed=3).to_dict()
                for _ in range(2)
            ]
            assert runs[0] == runs[1], f"{negotiator!r}: a second session differs from the first"

    def test_multilateral_declaration(self) -> None:
        """A negotiator that declares ``"multilateral"`` plays every multilateral scenario and
        protocol to the end; one that does not is refused with more than two parties, by
        name."""
        scenario = multilateral_contract_scenarios()["three-party/saop-unanimity"]
        negotiator = self.make_negotiator()
        cast = _cast(scenario, "A", negotiator, Conceder())
        if "multilateral" not in type(negotiator).supports:
            refusal = ""
            try:
                run_session(scenario, cast)
            except SimulationError as exc:
                refusal = str(exc)
            assert refusal, f"{negotiator!r} does not declare 'multilateral' yet played 3 parties"
            assert repr(negotiator) in refusal, f"the refusal does not name it: {refusal}"
            return
        for key, sc in multilateral_contract_scenarios().items():
            if scenario_capabilities(sc) <= self._supports():
                for party in sc.party_names:
                    result = run_session(sc, _cast(sc, party, self.make_negotiator(), Conceder()))
                    assert set(result.utilities) == set(sc.party_names), key

    def test_never_proposes_below_reservation(self) -> None:
        if not self.respects_reservation:
            _skip("respects_reservation = False: the negotiator does not promise this")
        for spy in self._sessions():
            for state, offer in spy.proposals:
                u, u_min = state.params.utility(offer), reservation_utility(state.params)
                assert u >= u_min - TOL, (
                    f"{spy!r} proposed {offer} in round {state.round + 1} for {state.party}: "
                    f"utility {u:.6g} below its minimum {u_min:.6g}"
                )

    def test_never_accepts_below_reservation(self) -> None:
        if not self.respects_reservation:
            _skip("respects_reservation = False: the negotiator does not promise this")
        for spy in self._sessions():
            for state, offer, response in spy.responses:
                if response is not Response.ACCEPT:
                    continue
                u, u_min = state.params.utility(offer), reservation_utility(state.params)
                assert u >= u_min - TOL, (
                    f"{spy!r} accepted {offer} in round {state.round + 1} for {state.party}: "
                    f"utility {u:.6g} below its minimum {u_min:.6g}"
                )

    def test_response_table(self) -> None:
        cases = list(self.response_cases())
        if not cases:
            _skip("no response table: override response_cases() to check responses")
        supports = self._supports()
        scenarios = _every_scenario()
        playable = [c for c in cases if scenario_capabilities(scenarios[c.scenario]) <= supports]
        if not playable:
            _skip(f"every response case is set in a scenario outside supports={sorted(supports)}")
        for case in playable:
            scenario = scenarios[case.scenario]
            state = negotiation_state(
                scenario, case.party, case.round, history=case.history, overrides=case.overrides
            )
            assert state.proposer != case.party, (
                f"bad case {case.situation!r}: {case.party} proposes in round {case.round}"
            )
            negotiator = self.make_negotiator()
            negotiator.start(
                party_view(scenario, case.party, overrides=case.overrides),
                np.random.default_rng(0),
            )
            got = negotiator.respond(state, dict(case.offer))
            assert got is case.expected, (
                f"{negotiator!r} in {case.situation!r} answered {case.offer} with {got.name}, "
                f"expected {case.expected.name}"
            )
