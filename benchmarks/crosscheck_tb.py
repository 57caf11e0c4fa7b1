"""Part e of ``crosscheck.py``: burdenshare's GENIUS-style agents against NegMAS's time-based ones.

For every shipped GENIUS domain and every ordered pair of the exponents in :data:`AGENTS`, one
burdenshare session (``run_session`` on the imported scenario, ``rounds`` daily rounds, the first
profile opens, no discounting) against one NegMAS 0.16 session (``crosscheck_negmas_tb.py`` in
its virtualenv: ``SAOMechanism(n_steps=rounds, one_offer_per_step=True)``, the first profile's
negotiator added first). Both sides use the same aspiration curve: burdenshare's
``f(t) = t^(1/e)`` (``k = 0``) is NegMAS's ``PolyAspiration`` with ``p = 1 / e``.

The two sides agree when they reach the same agreement (outcome) on the same offer (burdenshare
round = index of the accepted offer, one offer a round on both sides), or both none. Otherwise the
difference must be reproduced: NegMAS is rerun with every subset of the conventions of
:data:`SWITCHES` replaced by burdenshare's (``crosscheck_negmas_tb.py`` documents how, through
NegMAS's own extension points), and the difference is *explained* by the smallest subsets whose
run equals burdenshare's session offer for offer (same proposer and outcome of every offer, same
accepted offer). That is the check: no subset that reproduces it, no explanation.

burdenshare's agents run as registered, with ``model=none`` (no opponent model, as NegMAS's
time-based negotiators have none) and ``accept=next`` (GENIUS's AC_next).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from common import NEGMAS_PYTHON, run_child

from burdenshare.errors import SimulationError
from burdenshare.interop import to_scenario
from burdenshare.interop.genius import NAME_PREFIX, GeniusDomain
from burdenshare.negotiation import run_session
from burdenshare.negotiation.negotiators.base import TOL
from burdenshare.negotiation.negotiators.bidding import GeniusTimeDependent
from burdenshare.negotiation.outcome_space import MAX_OUTCOMES
from burdenshare.negotiation.state import NegotiationState, PartyView, Response
from burdenshare.preferences import Outcome

#: (label, GENIUS exponent e, NegMAS exponent p = 1 / e, the NegMAS class that plays it)
AGENTS: tuple[tuple[str, float, float, str], ...] = (
    ("hardliner", 0.0, math.inf, "TimeBasedConcedingNegotiator(hardheaded)"),
    ("boulware", 0.2, 5.0, "TimeBasedConcedingNegotiator(5)"),
    ("e=1/4", 0.25, 4.0, "BoulwareTBNegotiator"),
    ("linear", 1.0, 1.0, "LinearTBNegotiator"),
    ("conceder", 2.0, 0.5, "TimeBasedConcedingNegotiator(0.5)"),
    ("e=4", 4.0, 0.25, "ConcederTBNegotiator"),
)
#: burdenshare's registry names for the exponents that have one
REGISTRY = {
    0.0: "genius-hardliner",
    0.2: "genius-boulware",
    1.0: "genius-linear",
    2.0: "genius-conceder",
}
#: NegMAS's conventions the rerun can replace by burdenshare's (crosscheck_negmas_tb.py)
SWITCHES = ("time", "accept", "band", "order", "window")
#: the acceptance tolerance and tie band burdenshare uses (AC_next exact; bids at target - TOL)
ACCEPT_TOL = 0.0
TIE_EPS = TOL
#: two utilities of one party this close are a tie that floating-point rounding decides
FLOAT_TIE = 1e-12

SWITCH_TEXT = {
    "time": "NegMAS's clock (offer at step s made at t = (s + 1)/(n_steps + 1), answered one "
    "step later at the next t; the last offer unanswered) against burdenshare's (offer and "
    "answer of round k at the `state.time` of that round, measured on burdenshare's side; the "
    "last round's offer answered)",
    "accept": "NegMAS accepts u >= its aspiration - 1e-4 (UtilBasedNegotiator.respond), "
    "burdenshare AC_next: u >= the own utility of the bid it would make now",
    "band": "NegMAS bids and accepts down to its aspiration - 1e-4 (and worst_in may go up to "
    "1e-6 lower), burdenshare bids down to its target - 1e-9",
    "order": "among outcomes of equal own utility, NegMAS's inverter takes the first in a numpy "
    "argsort (not stable), burdenshare the lowest outcome index",
    "window": "NegMAS bids the lowest own utility at or above its aspiration (worst_in), "
    "burdenshare the bid its opponent model rates best in GENIUS's window [target, target + "
    "0.01 m] (OMStrategy.getBid, m the smallest whole number that holds one): with model=none "
    "the highest own utility in the window",
}


class Probe(GeniusTimeDependent):
    """Records the relative time burdenshare hands it in each round (``state.time``); bids as
    the hardliner and never accepts, so a session of two probes plays every round."""

    def start(self, view: PartyView, rng: np.random.Generator) -> None:
        super().start(view, rng)
        self.times_: dict[int, float] = {}

    def propose(self, state: NegotiationState) -> Outcome:
        self.times_[state.round] = state.time
        return super().propose(state)

    def respond(self, state: NegotiationState, offer: Mapping[str, float | str]) -> Response:
        self.times_[state.round] = state.time
        return Response.REJECT


def bs_times(made: tuple[Any, list[str], list[str]]) -> list[list[float]]:
    """Each party's ``state.time`` in every round, measured by a session of two probes."""
    scenario, ids, _ = made
    probes = {pid: Probe(e=0.0, model="none") for pid in ids}
    run_session(scenario, probes, seed=0)
    n = len(scenario.protocol.round_dates())
    times = [[probes[pid].times_[k] for k in range(n)] for pid in ids]
    return times


def make_agent(e: float) -> GeniusTimeDependent:
    return GeniusTimeDependent(e=e, model="none", accept="next")


def spec(e: float) -> str:
    """How the agent is named on burdenshare's command line."""
    name = REGISTRY.get(e, f"genius-time-dependent:e={e:g},")
    return (name + ":" if e in REGISTRY else name) + "model=none,accept=next"


def bs_scenario(domain: GeniusDomain, rounds: int) -> tuple[Any, list[str], list[str]]:
    """The imported scenario (no discounting: NegMAS runs with ``ignore_discount=True``), the
    party ids of the first two profiles and the issue ids in the domain's order."""
    plain = dataclasses.replace(
        domain, profiles=tuple(dataclasses.replace(p, discount=None) for p in domain.profiles)
    )
    _, scenario = to_scenario(plain, rounds=rounds, first_mover=0)
    ids = [
        next(pid for pid, p in scenario.parties.items() if p.description == NAME_PREFIX + q.name)
        for q in domain.profiles[:2]
    ]
    issue_ids = [
        next(i.id for i in scenario.issues if i.description == NAME_PREFIX + g.name)
        for g in domain.issues
    ]
    return scenario, ids, issue_ids


def bs_session(made: tuple[Any, list[str], list[str]], exps: tuple[float, float]) -> dict[str, Any]:
    """One burdenshare session, the first exponent on the first profile (it opens)."""
    scenario, ids, issue_ids = made
    negs = {pid: make_agent(e) for pid, e in zip(ids, exps, strict=True)}
    start = time.perf_counter()
    try:
        res = run_session(scenario, negs, seed=0)
    except SimulationError as exc:
        return {"error": str(exc), "seconds": time.perf_counter() - start}
    seconds = time.perf_counter() - start
    offers = [
        [
            o.round,
            ids.index(o.proposer),
            [str(o.outcome[i]) for i in issue_ids],
            *(o.utilities[i] for i in ids),
            int(o.response.name == "ACCEPT"),
        ]
        for o in res.transcript.offers
    ]
    agreed = res.agreement is not None
    return {
        "seconds": seconds,
        "agreement": [str(res.agreement[i]) for i in issue_ids] if agreed else None,
        "utilities": [res.utilities[i] for i in ids] if agreed else None,
        "accepted_offer": res.round if agreed else None,
        "n_offers": len(offers),
        "offers": offers,  # [round, proposer, outcome, u0, u1, accepted]
        "outcome": res.outcome,
    }


def same_session(bs: dict[str, Any], nm: dict[str, Any]) -> bool:
    """Offer for offer: the same proposer and outcome, and the same accepted offer."""
    if bs["accepted_offer"] != nm["accepted_offer"] or bs["n_offers"] != nm["n_offers"]:
        return False
    return all(
        b[1] == n[1] and b[2] == n[2] for b, n in zip(bs["offers"], nm["offers"], strict=True)
    )


def same_result(bs: dict[str, Any], nm: dict[str, Any]) -> bool:
    """The same agreement (outcome) on the same offer, or no agreement on both sides."""
    return bs["agreement"] == nm["agreement"] and bs["accepted_offer"] == nm["accepted_offer"]


def first_divergence(bs: dict[str, Any], nm: dict[str, Any]) -> str:
    for k, (b, n) in enumerate(zip(bs["offers"], nm["offers"], strict=False)):
        if b[1:3] != n[1:3]:
            return (
                f"offer {k + 1}: burdenshare {b[2]} ({b[3]:.4f}, {b[4]:.4f}), "
                f"NegMAS {n[2]} ({n[3]:.4f}, {n[4]:.4f})"
            )
    n = min(bs["n_offers"], nm["n_offers"])
    return (
        f"the same {n} offers, answered differently: accepted offer burdenshare "
        f"{bs['accepted_offer']}, NegMAS {nm['accepted_offer']}"
    )


def describe(s: dict[str, Any]) -> str:
    if "error" in s:
        return f"error: {s['error']}"
    if s["agreement"] is None:
        return f"none ({s['n_offers']} offers)"
    u = ", ".join(f"{x:.3f}" for x in s["utilities"])
    return f"({u}) on offer {s['accepted_offer']}"


def minimal_sets(bs: dict[str, Any], runs: dict[frozenset[str], dict[str, Any]]) -> list[list[str]]:
    """The smallest switch sets whose NegMAS run equals ``bs`` offer for offer."""
    hits = [s for s, nm in runs.items() if same_session(bs, nm)]
    minimal = [s for s in hits if not any(h < s for h in hits)]
    return sorted(sorted(s) for s in minimal)


def negmas_runs(
    folder: Path, rounds: int, subsets: bool, times: list[list[float]] | None
) -> dict[str, Any]:
    args = [
        str(folder),
        "--rounds",
        str(rounds),
        "--exponents",
        ",".join("inf" if math.isinf(p) else repr(p) for _, _, p, _ in AGENTS),
        "--accept-tol",
        repr(ACCEPT_TOL),
        "--tie-eps",
        repr(TIE_EPS),
    ]
    if subsets:
        args.append("--all-subsets")
    for t in times or ():
        args += ["--times", ",".join(repr(x) for x in t)]
    return run_child(NEGMAS_PYTHON, "crosscheck_negmas_tb.py", args, fresh_numba_cache=False)


def compare_pair(
    bs: dict[str, Any], runs: dict[frozenset[str], dict[str, Any]], n_outcomes: int
) -> tuple[str, str, str]:
    """(status, key, detail) for one pair and one burdenshare variant."""
    stock = runs[frozenset()]
    if "error" in bs:
        if "too many outcomes" in bs["error"] and n_outcomes > MAX_OUTCOMES:
            return "explained", "tb-space-limit", f"{n_outcomes:,} outcomes: {bs['error']}"
        return "UNEXPLAINED", "", f"burdenshare raised: {bs['error']}"
    head = f"burdenshare {describe(bs)}; NegMAS {describe(stock)}"
    if same_result(bs, stock):
        return "agree", "", head + ("" if same_session(bs, stock) else " (offers differ)")
    sets = minimal_sets(bs, runs)
    if sets:
        shown = " or ".join("{" + ", ".join(s) + "}" for s in sets)
        return "explained", "tb-conventions", f"{head}; reproduced by NegMAS with {shown}"
    aligned = runs.get(frozenset(SWITCHES))
    tie = None if aligned is None else float_tie(bs, aligned)
    if tie is not None:
        return "explained", "tb-float-tie", f"{head}; {tie}"
    found = f"{head}; no switch set reproduces it; {first_divergence(bs, stock)}"
    if aligned is not None:  # where the run nearest to burdenshare's conventions parts from it
        found += f"; with every switch: {first_divergence(bs, aligned)}"
    return "UNEXPLAINED", "", found


def float_tie(bs: dict[str, Any], nm: dict[str, Any]) -> str | None:
    """The evidence of ``tb-float-tie``, or None: NegMAS with every switch plays burdenshare's
    offers up to one where the same proposer bids a different outcome worth the same to it
    within :data:`FLOAT_TIE` (each side's utility of its own bid)."""
    for k, (b, n) in enumerate(zip(bs["offers"], nm["offers"], strict=False)):
        if b[1:3] == n[1:3]:
            continue
        who = b[1]
        gap = abs(b[3 + who] - n[3 + who])
        if who != n[1] or gap > FLOAT_TIE:
            return None
        return (
            f"NegMAS with every switch plays the same {k} offers, then at offer {k + 1} both "
            f"proposers (party {who}) bid outcomes worth the same to it within {gap:.1e}: "
            f"burdenshare {b[2]} ({b[3 + who]!r}), NegMAS {n[2]} ({n[3 + who]!r})"
        )
    return None


def crosscheck_tb(name: str, folder: Path, domain: GeniusDomain, rounds: int) -> dict[str, Any]:
    """Every ordered pair of :data:`AGENTS` on one domain."""
    pairs: list[dict[str, Any]] = []
    bs_s = 0.0
    made = bs_scenario(domain, rounds)
    for i, j in itertools.product(range(len(AGENTS)), repeat=2):
        bs = bs_session(made, (AGENTS[i][1], AGENTS[j][1]))
        bs_s += bs["seconds"]
        pairs.append({"pair": [i, j], "labels": [AGENTS[i][0], AGENTS[j][0]], "burdenshare": bs})
    played = any("error" not in p["burdenshare"] for p in pairs)
    times = bs_times(made) if played else None
    t0 = time.perf_counter()
    nm = negmas_runs(folder, rounds, subsets=played, times=times)
    nm_s = time.perf_counter() - t0
    if nm["profiles"] != [p.name for p in domain.profiles]:
        raise SystemExit(f"{name}: profiles {nm['profiles']}")
    runs: dict[tuple[int, int], dict[frozenset[str], dict[str, Any]]] = {}
    for s in nm["sessions"]:
        runs.setdefault((s["pair"][0], s["pair"][1]), {})[frozenset(s["align"])] = s
    for row in pairs:
        by_set = runs[row["pair"][0], row["pair"][1]]
        status, key, detail = compare_pair(row["burdenshare"], by_set, nm["n_outcomes"])
        row.update(status=status, key=key, detail=detail)
        # the per-offer traces of explained pairs are left out of the JSON (megabytes)
        keep = status == "UNEXPLAINED"
        stock = by_set[frozenset()]
        row["negmas"] = {k: v for k, v in stock.items() if k != "log" and (keep or k != "offers")}
        if not keep:
            row["burdenshare"].pop("offers", None)
    return {
        "domain": name,
        "rounds": rounds,
        "n_outcomes": nm["n_outcomes"],
        "negmas_seconds": nm_s,
        "negmas_session_seconds": sum(s["seconds"] for s in nm["sessions"]),
        "negmas_sessions": len(nm["sessions"]),
        "burdenshare_seconds": bs_s,
        "burdenshare_sessions": len(pairs),
        "burdenshare_times": times,
        "pairs": pairs,
    }


def counts(results: Sequence[dict[str, Any]]) -> dict[str, int]:
    out = {"agree": 0, "explained": 0, "UNEXPLAINED": 0}
    for r in results:
        for p in r.get("tb", {}).get("pairs", []):
            out[p["status"]] += 1
    return out
