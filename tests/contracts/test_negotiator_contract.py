"""Every registered negotiator meets the negotiator contract (burdenshare.testing.contracts).

Each registry entry needs a response table below: a registered negotiator without one fails
``test_every_registered_negotiator_is_in_the_contract``. The "pie" scenario has five rounds
(t = 0, 0.25, 0.5, 0.75, 1); A wants x high (U_A = x), B wants x low (U_B = 1 - x); discounts
0.9 (A) and 0.8 (B); A proposes in even rounds, so B responds in rounds 0, 2, 4.
"""

from __future__ import annotations

import pytest

from burdenshare.negotiation import NEGOTIATORS, Negotiator, PastOffer, Response, make_negotiator
from burdenshare.testing import NegotiatorContract, ResponseCase

A, R = Response.ACCEPT, Response.REJECT

# B's concession levels in the pie: it asks for U_B = target(t); an offer x gives it 1 - x.
RESPONSE_TABLES: dict[str, list[ResponseCase]] = {
    "boulware": [  # target(0.5) = 1 - 0.5**5 = 0.96875
        ResponseCase("t=0.5, U=0.98", "B", 2, {"x": 0.02}, A),
        ResponseCase("t=0.5, U=0.90", "B", 2, {"x": 0.10}, R),
        ResponseCase("last round, U=0.1 >= u_min=0", "B", 4, {"x": 0.9}, A),
        ResponseCase("A at t=0.25: target 0.99902, U_A=0.9995", "A", 1, {"x": 0.9995}, A),
        ResponseCase("A at t=0.25: target 0.99902, U_A=0.999", "A", 1, {"x": 0.999}, R),
    ],
    "linear": [  # target(t) = 1 - t
        ResponseCase("t=0, its ideal", "B", 0, {"x": 0.0}, A),
        ResponseCase("t=0, U=0.99", "B", 0, {"x": 0.01}, R),
        ResponseCase("t=0.5, U=0.5", "B", 2, {"x": 0.5}, A),
        ResponseCase("t=0.5, U=0.49", "B", 2, {"x": 0.51}, R),
        ResponseCase("t=0.25 for A, U=0.75", "A", 1, {"x": 0.75}, A),
        ResponseCase("t=0.75 for A, U=0.2", "A", 3, {"x": 0.2}, R),
    ],
    "conceder": [  # target(0.5) = 1 - 0.5**0.2 = 0.129449...
        ResponseCase("t=0.5, U=0.15", "B", 2, {"x": 0.85}, A),
        ResponseCase("t=0.5, U=0.10", "B", 2, {"x": 0.90}, R),
        ResponseCase("t=0, U=0.99", "B", 0, {"x": 0.01}, R),
    ],
    "hardliner": [
        ResponseCase("its ideal", "B", 0, {"x": 0.0}, A),
        ResponseCase("one millionth short of its ideal", "B", 0, {"x": 1e-6}, R),
        ResponseCase("last round, an even split", "B", 4, {"x": 0.5}, R),
    ],
    "tit-for-tat": [
        ResponseCase("before its opening offer: only its ideal", "B", 0, {"x": 0.0}, A),
        ResponseCase("before its opening offer, U=0.9", "B", 0, {"x": 0.1}, R),
        ResponseCase(
            "A moved from x=1 to x=0.5 (half of B's gap): B would concede to 0.5",
            "B",
            2,
            {"x": 0.5},
            A,
            history=(PastOffer(0, "A", {"x": 1.0}, R), PastOffer(1, "B", {"x": 0.0}, R)),
        ),
        ResponseCase(
            "A moved from x=1 to x=0.6 (40%): B would ask 0.6, offer gives 0.4",
            "B",
            2,
            {"x": 0.6},
            R,
            history=(PastOffer(0, "A", {"x": 1.0}, R), PastOffer(1, "B", {"x": 0.0}, R)),
        ),
    ],
    "nash": [  # the Nash point of the pie is x = 0.5
        ResponseCase("the Nash point", "B", 0, {"x": 0.5}, A),
        ResponseCase("worse than the Nash point", "B", 0, {"x": 0.6}, R),
        ResponseCase("last round, U=0.1 >= u_min", "B", 4, {"x": 0.9}, A),
        # ratified pie: B's ratifier caps x at 0.6, so the estimated Nash point is the grid
        # point just below it, x = 0.5985 (the unconstrained one is x = 0.63)
        ResponseCase(
            "ratified pie: the constrained Nash point",
            "A",
            0,
            {"x": 0.5985},
            A,
            scenario="ratified-pie",
        ),
        ResponseCase("ratified pie: below it", "A", 0, {"x": 0.55}, R, scenario="ratified-pie"),
    ],
    # The GENIUS-style agents (negotiators/bidding.py) on the pie's outcome space x = 0, 0.01,
    # ..., 1 (101 points): own utility 1 - x for B, target Pmin + (Pmax - Pmin)(1 - t^(1/e)) with
    # Pmin = 0, Pmax = 1; AC_next(1, 0) accepts iff U(offer) >= U(the bid it would make now).
    # The bid lies in the window [target, target + 0.01] (GENIUS's OMStrategy). With one offer
    # received the frequency model knows nothing (GENIUS counts from the second offer on): the
    # outcomes of the window tie and the bid is the best own one among them. After A's x = 1 and
    # an offer x = y, the model rates y highest (count 2 against 1), so the bid is y whenever
    # y lies in the window.
    "genius-boulware": [  # target(0.5) = 1 - 0.5**5 = 0.96875: window [0.96875, 0.97875]
        ResponseCase("t=0.5, its ideal", "B", 2, {"x": 0.0}, A),
        ResponseCase("t=0.5, U=0.99 >= its bid x=0.03 (U=0.97)", "B", 2, {"x": 0.01}, A),
        ResponseCase("t=0.5, U=0.96 < its bid x=0.03 (U=0.97)", "B", 2, {"x": 0.04}, R),
        ResponseCase(
            "t=0.5, U=0.98 >= its bid x=0.03 (x=0.02 is above the window): accept",
            "B",
            2,
            {"x": 0.02},
            A,
            history=(PastOffer(0, "A", {"x": 1.0}, R), PastOffer(1, "B", {"x": 0.0}, R)),
        ),
        ResponseCase(
            "t=0.5, U=0.95 < target: the bid is x=0.03, reject",
            "B",
            2,
            {"x": 0.05},
            R,
            history=(PastOffer(0, "A", {"x": 1.0}, R), PastOffer(1, "B", {"x": 0.0}, R)),
        ),
    ],
    "genius-linear": [  # target(t) = 1 - t
        ResponseCase(
            "t=0.5, U=0.5 = target: bid x=0.5, accept",
            "B",
            2,
            {"x": 0.5},
            A,
            history=(PastOffer(0, "A", {"x": 1.0}, R), PastOffer(1, "B", {"x": 0.0}, R)),
        ),
        ResponseCase(
            "t=0.5, U=0.4 < target: reject",
            "B",
            2,
            {"x": 0.6},
            R,
            history=(PastOffer(0, "A", {"x": 1.0}, R), PastOffer(1, "B", {"x": 0.0}, R)),
        ),
    ],
    "genius-conceder": [  # target(0.5) = 1 - 0.5**0.5 = 0.292893...
        ResponseCase(
            "t=0.5, U=0.3 >= target: accept",
            "B",
            2,
            {"x": 0.7},
            A,
            history=(PastOffer(0, "A", {"x": 1.0}, R), PastOffer(1, "B", {"x": 0.0}, R)),
        ),
        ResponseCase(
            "t=0.5, U=0.25 < target: reject",
            "B",
            2,
            {"x": 0.75},
            R,
            history=(PastOffer(0, "A", {"x": 1.0}, R), PastOffer(1, "B", {"x": 0.0}, R)),
        ),
    ],
    "genius-hardliner": [  # target = Pmax = 1 at every t
        ResponseCase("its ideal", "B", 0, {"x": 0.0}, A),
        ResponseCase("one hundredth short of its ideal", "B", 0, {"x": 0.01}, R),
        ResponseCase("last round, an even split", "B", 4, {"x": 0.5}, R),
    ],
    "rubinstein": [  # B's continuation: 0.8 * (1 - 0.9) / (1 - 0.72) = 0.285714...
        ResponseCase("A's SPE offer (U_B = 0.285715)", "B", 0, {"x": 0.714285}, A),
        ResponseCase("slightly worse than A's SPE offer", "B", 0, {"x": 0.7143}, R),
        ResponseCase("A in round 2: continuation 0.9 * 0.714 = 0.643", "A", 1, {"x": 0.65}, A),
        ResponseCase("A in round 2, U_A = 0.6", "A", 1, {"x": 0.6}, R),
    ],
}


def test_every_registered_negotiator_is_in_the_contract() -> None:
    assert set(RESPONSE_TABLES) == set(NEGOTIATORS)


class TestRegisteredNegotiators(NegotiatorContract):
    """The contract, once per registry entry."""

    spec: str

    @pytest.fixture(autouse=True, params=sorted(NEGOTIATORS))
    def _registered(self, request: pytest.FixtureRequest) -> None:
        self.spec = request.param

    def make_negotiator(self) -> Negotiator:
        return make_negotiator(self.spec)

    def response_cases(self) -> list[ResponseCase]:
        assert self.spec in RESPONSE_TABLES, f"add a response table for {self.spec!r}"
        return RESPONSE_TABLES[self.spec]

    def test_registry_name_matches_class(self) -> None:
        assert NEGOTIATORS[self.spec].name == self.spec
