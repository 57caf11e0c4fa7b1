"""Two-level games by simulation: the propositions of shared/reference/models.md section 4.

Putnam (1988, IO 42:427-460) and the complete-information oracle derived from Nash's IIA: a
tighter ratification constraint helps the constrained side while a deal exists. Iida (1993, JCR
37:403-426): when the negotiator does not know its ratifier's threshold exactly, ratification can
fail, and it fails more often as the win-set shrinks.
"""

from __future__ import annotations

import itertools
from types import MappingProxyType

import numpy as np
import pytest

from burdenshare.engine import run_batch
from burdenshare.ensemble import draw, uncertain_parameters
from burdenshare.negotiation import Negotiator, Response, make_negotiator, run_session
from burdenshare.scenario.io import parse_scenario_text
from burdenshare.solutions import uncertain_ratifier_offer

PIE = """
id: two-level-pie
title: A's share of a unit pie; B's ratifier caps it
as_of: 2020-01-01
issues: [{id: x, kind: continuous, range: [0, 1]}]
parties:
  A: {utility: {x: {prefers: higher, ideal: 1, reservation: 0.2}}, discount_per_round: 0.95}
  B:
    utility: {x: {prefers: lower, ideal: 0, reservation: 1}}
    discount_per_round: 0.95
    ratification: {body: Assembly, issue: x, approval_threshold: THRESHOLD BELIEF}
protocol: {first_mover: A, start: 2020-01-01, round_every_days: 7, deadline: 2020-12-31,
           breakdown_risk_per_round: 0}
"""


def pie(threshold: str, belief: str = ""):  # type: ignore[no-untyped-def]
    text = PIE.replace("THRESHOLD", threshold).replace(
        " BELIEF", f", belief: {belief}" if belief else ""
    )
    text = text.replace(
        "approval_threshold: " + threshold + ", belief",
        "approval_threshold: " + threshold + ", belief",
    )
    return parse_scenario_text(text).scenario


# Time-dependent pairs are heuristics, not equilibria: conceder (A) vs boulware (B) is not
# monotone near the deadline (B's payoff dips when the cap reaches 0.25), so it is not listed.
PAIRS = [
    ("linear", "linear"),
    ("boulware", "conceder"),
    ("rubinstein", "rubinstein"),
    ("nash", "nash"),
]


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_a_tighter_constraint_helps_the_constrained_side_while_a_deal_exists(
    a: str, b: str
) -> None:
    """Complete information: as B's ratifier caps A's share lower (but above A's walk-away
    point 0.2), B's payoff never falls, every session ends in agreement, and no agreement is
    ever rejected by the ratifier."""
    payoffs = []
    for cap in (0.9, 0.7, 0.55, 0.45, 0.35, 0.25):
        result = run_session(
            pie(str(cap)), {"A": make_negotiator(a), "B": make_negotiator(b)}, seed=0
        )
        assert result.outcome == "agreement", (cap, result.cause)
        assert result.agreement is not None
        assert result.agreement["x"] <= cap + 1e-9  # inside the win-set
        payoffs.append(result.utilities["B"])
    assert all(later >= earlier - 1e-9 for earlier, later in itertools.pairwise(payoffs))
    assert payoffs[-1] > payoffs[0]  # and it strictly helps somewhere


def test_with_no_win_set_left_there_is_no_deal() -> None:
    """Below A's walk-away point (0.2) the win-set is empty: the talks cannot succeed."""
    result = run_session(
        pie("0.15"), {"A": make_negotiator("linear"), "B": make_negotiator("linear")}, seed=0
    )
    assert result.outcome != "agreement"


class Offers(Negotiator):
    """Proposes a fixed share and accepts anything (B's negotiator defers to its ratifier)."""

    name = "offers"
    traits = MappingProxyType(
        {"family": "test", "stochastic": False, "uses_opponent_model": False, "concedes": False}
    )

    def __init__(self, x: float = 0.5) -> None:
        self.x = x

    def propose(self, state):  # type: ignore[no-untyped-def]
        return {"x": self.x}

    def respond(self, state, offer):  # type: ignore[no-untyped-def]
        return Response.ACCEPT


ULTIMATUM = PIE.replace("deadline: 2020-12-31", "deadline: 2020-01-02")  # one round


@pytest.mark.parametrize("mid", [0.6, 0.5, 0.42])
def test_an_unknown_ratifier_makes_ratification_fail_as_the_closed_form_says(mid: float) -> None:
    """Iida (1993); models.md section 4, P2: A offers x* = argmax (x - d_A) P(r_B >= x) against a
    threshold r_B uniform on [mid - 0.2, mid + 0.2]; by simulation the deal fails ratification
    with probability P(r_B < x*) = (x* - a) / (b - a), x* = (d_A + b) / 2."""
    a, b, d_a = mid - 0.2, mid + 0.2, 0.2
    point = uncertain_ratifier_offer(d_a, lambda x: min(1.0, max(0.0, (b - x) / (b - a))))
    assert point is not None
    x_star = (d_a + b) / 2
    assert point.offer == pytest.approx(x_star, abs=1e-6)
    assert point.p_failure == pytest.approx((x_star - a) / (b - a), abs=1e-6)
    scenario = parse_scenario_text(
        ULTIMATUM.replace("THRESHOLD", f"{{uniform: [{a:.3f}, {b:.3f}]}}").replace(" BELIEF", "")
    ).scenario
    n = 4000
    draws = draw(uncertain_parameters(scenario), n, seed=11)
    res = run_batch(scenario, [Offers(x=point.offer), Offers()], draws, seed=11, n=n)
    simulated = float(np.mean(res.outcome == 3))  # ratification failure
    se = np.sqrt(point.p_failure * (1 - point.p_failure) / n)
    assert abs(simulated - point.p_failure) < 4 * se


def test_failure_grows_as_the_win_set_shrinks_and_vanishes_under_complete_information() -> None:
    fails = []
    for mid in (0.7, 0.6, 0.5, 0.42):
        a, b = mid - 0.2, mid + 0.2
        point = uncertain_ratifier_offer(
            0.2, lambda x, a=a, b=b: min(1.0, max(0.0, (b - x) / (b - a)))
        )
        assert point is not None
        fails.append(point.p_failure)
    assert all(y > x for x, y in itertools.pairwise(fails))
    # complete information: A offers exactly the threshold it knows; nothing ever fails
    scenario = parse_scenario_text(
        ULTIMATUM.replace("THRESHOLD", "{uniform: [0.3, 0.7]}").replace(" BELIEF", "")
    ).scenario
    draws = draw(uncertain_parameters(scenario), 500, seed=2)
    thresholds = draws["parties.B.ratification.approval_threshold"]
    for i in range(0, 500, 25):
        r = run_session(
            scenario,
            {"A": Offers(x=float(thresholds[i])), "B": Offers()},
            seed=i,
            overrides={"parties.B.ratification.approval_threshold": float(thresholds[i])},
        )
        assert r.outcome == "agreement"
