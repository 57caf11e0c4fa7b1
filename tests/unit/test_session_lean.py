"""A session without its transcript ends exactly as with it (issue 12, item 6).

``run_session(..., transcript=False)`` and the batch's session-by-session path
(:func:`burdenshare.engine.run_batch` for negotiators the compiled kernel cannot play: user
plug-ins, GENIUS agents with a Bayesian model, ...) skip the per-offer records and reuse what
sessions share (the calendar, central parameters, a session without draws). None of that may
change an answer: over every contract scenario plus us-rok-sma-2021, with and without drawn
parameters, for built-in, GENIUS-style, stochastic and plug-in negotiators, the result fields
are equal, and a plug-in sees equal views, states and random draws, call for call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pytest

from burdenshare.engine import OUTCOMES, run_batch, session_generators
from burdenshare.ensemble import draw, uncertain_parameters
from burdenshare.errors import SimulationError
from burdenshare.negotiation import (
    NegotiationState,
    Negotiator,
    PartyView,
    Response,
    make_negotiator,
    run_session,
)
from burdenshare.negotiation.transcript import SessionResult
from burdenshare.preferences import Outcome
from burdenshare.scenario.io import load_scenario
from burdenshare.scenario.library import bundled_path
from burdenshare.scenario.scenario import Scenario
from burdenshare.testing import RandomOfferer, contract_scenarios


class Recorder(Negotiator):
    """A plug-in that concedes linearly in utility with a little noise from its own generator,
    and logs every view, state, offer and draw it gets."""

    name: ClassVar[str] = "recorder"

    def __init__(self, e: float = 1.0) -> None:
        self.e = e
        self.log: list[Any] = []

    def start(self, view: PartyView, rng: np.random.Generator) -> None:
        super().start(view, rng)
        self.log.append(("start", view))

    def _target(self, state: NegotiationState) -> float:
        noise = float(self.rng_.random())
        self.log.append(("draw", noise))
        return max(self.u_min(state.params), 1.0 - state.time ** (1.0 / self.e) - 0.02 * noise)

    def propose(self, state: NegotiationState) -> Outcome:
        self.log.append(("propose", state))
        return state.params.utility.target_outcome(self._target(state))

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        self.log.append(("respond", state, dict(offer)))
        ok = self.admissible(state.params, offer) and (
            state.params.utility(offer) >= self._target(state)
        )
        return Response.ACCEPT if ok else Response.REJECT


def _scenarios() -> dict[str, Scenario]:
    out = dict(contract_scenarios())
    out["us-rok-sma-2021"] = load_scenario(bundled_path("us-rok-sma-2021")).scenario
    return out


SCENARIOS = _scenarios()
PAIRS = [
    ("recorder", "boulware"),
    ("conceder", "recorder"),
    ("tit-for-tat", "conceder"),
    ("nash", "rubinstein"),
    ("genius-time-dependent:e=0.2,model=bayesian", "genius-conceder"),
    ("random", "linear"),
]
N = 12


def _make(spec: str) -> Negotiator:
    if spec == "recorder":
        return Recorder(e=0.5)
    if spec == "random":
        return RandomOfferer()
    return make_negotiator(spec)


def _fields(r: SessionResult) -> tuple[Any, ...]:
    return (
        r.scenario_id,
        r.outcome,
        r.agreement,
        r.round,
        r.date,
        r.cause,
        r.after_deadline,
        dict(r.utilities),
        dict(r.discounted_utilities),
        dict(r.negotiators),
    )


def _logs(negs: Mapping[str, Negotiator]) -> list[Any]:
    return [list(n.log) for n in negs.values() if isinstance(n, Recorder)]


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: " vs ".join(p))
@pytest.mark.parametrize("key", list(SCENARIOS))
def test_lean_session_ends_as_the_full_one(key: str, pair: tuple[str, str]) -> None:
    scenario = SCENARIOS[key]
    draws = draw(uncertain_parameters(scenario), N, seed=11)
    for i in range(N):
        overrides = {k: float(v[i]) for k, v in draws.items()} if i % 3 else None
        runs = []
        for transcript in (True, False):
            negs = dict(zip(scenario.party_names, map(_make, pair), strict=True))
            seed = session_generators(4, N, i)
            result = run_session(
                scenario, negs, seed=seed, overrides=overrides, transcript=transcript
            )
            runs.append((result, _logs(negs)))
        (full, full_log), (lean, lean_log) = runs
        assert _fields(lean) == _fields(full)
        assert len(full.transcript) == full.round
        assert len(lean.transcript) == 0
        assert lean_log == full_log  # views, states, offers and draws, call for call


@pytest.mark.parametrize("pair", [PAIRS[0], PAIRS[4], PAIRS[5]], ids=lambda p: " vs ".join(p))
@pytest.mark.parametrize("key", ["flagship", "us-rok-sma-2021", "two-issue"])
@pytest.mark.parametrize("drawn", [False, True])
def test_batch_by_session_equals_run_session(key: str, pair: tuple[str, str], drawn: bool) -> None:
    """Session ``start + m`` of the batch is ``run_session`` with its generators and draws, the
    plug-in seeing the same records; without draws every session shares one resolved set of
    parameters, with draws each its own."""
    scenario = SCENARIOS[key]
    n, start = N + 3, 3  # sessions [start, n) of an n-session ensemble
    draws = draw(uncertain_parameters(scenario), n, seed=11) if drawn else {}
    part = {k: v[start:] for k, v in draws.items()}
    batch_negs = [_make(s) for s in pair]
    got = run_batch(scenario, batch_negs, part, seed=8, n=n, start=start)
    assert not got.vectorised
    logs: list[list[Any]] = [[] for _ in pair]
    for m in range(n - start):
        negs = dict(zip(scenario.party_names, map(_make, pair), strict=True))
        want = run_session(
            scenario,
            negs,
            seed=session_generators(8, n, start + m),
            overrides={k: float(v[m]) for k, v in part.items()},
        )
        assert OUTCOMES[int(got.outcome[m])] == want.outcome
        assert int(got.round[m]) == want.round
        assert bool(got.after_deadline[m]) == want.after_deadline
        for p in scenario.party_names:
            assert got.utilities[p][m] == want.utilities[p]
            assert got.discounted[p][m] == want.discounted_utilities[p]
        for iid in scenario.issue_ids:
            v = None if want.agreement is None else want.agreement[iid]
            expected = np.nan if v is None or isinstance(v, str) else v
            np.testing.assert_array_equal(got.values[iid][m], expected)
        for j, neg in enumerate(negs.values()):
            if isinstance(neg, Recorder):
                logs[j].extend(neg.log)
    assert [n.log if isinstance(n, Recorder) else [] for n in batch_negs] == logs


def test_batch_by_session_refuses_a_bad_drawn_risk() -> None:
    """A drawn breakdown risk outside [0, 1] is refused by the session, as ``run_session``
    refuses it, although the batch turns every session's draw into a clock beforehand."""
    scenario = SCENARIOS["pie"]
    bad = {"protocol.breakdown_risk_per_round": np.array([0.1, 1.5, 0.2])}
    with pytest.raises(SimulationError, match=r"must lie in \[0, 1\], got 1\.5"):
        run_batch(scenario, [Recorder(), "boulware"], bad, seed=1, n=3)
