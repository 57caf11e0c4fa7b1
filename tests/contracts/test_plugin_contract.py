"""The worked agent of docs/how-to/negotiator.md passes the public contract mixin, and the page
shows the agent's file as it is (examples/my_agents.py), so the two cannot drift apart.

The agent plays discrete issues only: the mixin plays it on the contract scenarios without a
continuous issue ("two-issue", "discrete-furlough") and skips nothing else but those scenarios.
"""

from __future__ import annotations

import unittest
from pathlib import Path
from types import ModuleType

import pytest

from burdenshare.negotiation import Negotiator, Response, make_negotiator
from burdenshare.testing import (
    NegotiatorContract,
    ResponseCase,
    contract_scenarios,
    scenario_capabilities,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
AGENT_FILE = EXAMPLES / "my_agents.py"
HOW_TO = ROOT / "docs" / "how-to" / "negotiator.md"


@pytest.fixture(autouse=True)
def _examples_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLES))


def _agents() -> ModuleType:
    import my_agents  # type: ignore[import-not-found]

    return my_agents  # type: ignore[no-any-return]


A, R = Response.ACCEPT, Response.REJECT


class TestFrequencyBidder(NegotiatorContract):
    """The how-to's agent, made from its spec string as a user would on the command line."""

    def make_negotiator(self) -> Negotiator:
        return make_negotiator("my_agents:FrequencyBidder:e=0.5")

    def response_cases(self) -> list[ResponseCase]:
        # discrete-furlough: B moves first, so B responds in odd rounds (7 rounds, t = k / 6).
        # U_B(years, basis) = 0.7 * (3 - years) / 2 + 0.3 * score; u_min = -0.3 (outside option)
        return [
            ResponseCase(
                "its ideal (1 year, cost-sharing)",
                "B",
                1,
                {"years": 1.0, "basis": "cost-sharing"},
                A,
                scenario="discrete-furlough",
            ),
            # target(1/6) = -0.3 + 1.3 * (1 - (1/6) ** 2) = 0.9639; U_B = 0.35 + 0.3 = 0.65
            ResponseCase(
                "early, U = 0.65 below its target 0.964",
                "B",
                1,
                {"years": 2.0, "basis": "cost-sharing"},
                R,
                scenario="discrete-furlough",
            ),
            # target(5/6) = -0.3 + 1.3 * (1 - (5/6) ** 2) = 0.0972; U_B = 0.35 + 0.21 = 0.56
            ResponseCase(
                "late, U = 0.56 above its target 0.097",
                "B",
                5,
                {"years": 2.0, "basis": "in-kind"},
                A,
                scenario="discrete-furlough",
            ),
            # the last round (6) is B's to propose and A's to answer: A accepts any admissible
            # offer. U_A(years, basis) = 0.5 * (years - 3) / 2 + 0.5 * score; u_min = 0
            ResponseCase(
                "last round, U_A = 0.2 >= u_min = 0",
                "A",
                6,
                {"years": 3.0, "basis": "in-kind"},
                A,
                scenario="discrete-furlough",
            ),
            ResponseCase(
                "last round, B's ideal: U_A = -0.5 < 0",
                "A",
                6,
                {"years": 1.0, "basis": "cost-sharing"},
                R,
                scenario="discrete-furlough",
            ),
            ResponseCase("a continuous scenario: left out", "B", 0, {"x": 0.0}, A),
        ]


def test_the_agent_declares_discrete_play_and_the_mixin_keeps_to_it() -> None:
    cls = _agents().FrequencyBidder
    assert "continuous" not in cls.supports
    played = TestFrequencyBidder().playable_scenarios()
    assert sorted(played) == ["discrete-furlough", "two-issue"]
    assert all("continuous" not in scenario_capabilities(s) for s in played.values())
    assert "continuous" in scenario_capabilities(contract_scenarios()["pie"])


def test_a_check_with_nothing_to_play_is_skipped_with_its_reason() -> None:
    class OnlyCategorical(NegotiatorContract):
        def make_negotiator(self) -> Negotiator:
            agent = _agents().FrequencyBidder

            class Narrow(agent):  # type: ignore[misc, valid-type]
                supports = frozenset({"categorical"})

            return Narrow()  # type: ignore[no-any-return]

    with pytest.raises(unittest.SkipTest, match="pie needs continuous, numeric"):
        OnlyCategorical().test_never_accepts_below_reservation()
    with pytest.raises(unittest.SkipTest, match="no response table"):
        OnlyCategorical().test_response_table()


def test_the_how_to_shows_the_agent_file_verbatim() -> None:
    code = AGENT_FILE.read_text(encoding="utf-8")
    page = HOW_TO.read_text(encoding="utf-8")
    assert f"```python\n{code}```" in page, (
        "docs/how-to/negotiator.md must show examples/my_agents.py verbatim in a python block"
    )


def test_the_agent_finds_a_deal_on_a_discrete_scenario() -> None:
    from burdenshare.negotiation import run_session

    scenario = contract_scenarios()["two-issue"]
    result = run_session(
        scenario,
        {"A": make_negotiator("my_agents:FrequencyBidder"), "B": make_negotiator("boulware")},
        seed=0,
    )
    assert result.outcome == "agreement"
    assert result.agreement is not None
    assert set(result.agreement) == {"years", "basis"}
