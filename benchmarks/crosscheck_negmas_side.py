"""The NegMAS side of ``crosscheck.py``: run in ``benchmarks/.venv-negmas``, print one JSON line.

A separate program on purpose: NegMAS is AGPL-3.0, so burdenshare never imports it; this script
only calls NegMAS 0.16's public API (nothing of NegMAS is copied here) and imports nothing from
burdenshare.

For one GENIUS (XML) or GeniusWeb (JSON) domain folder it reports

1. what NegMAS parsed: ``Scenario.load(folder, ignore_discount=True)``, which for XML is
   ``load_genius_domain_from_folder(ignore_discount=True, ignore_reserved=False,
   safe_parsing=False)``. No normalisation happens at load: an XML item's utility is its raw
   ``evaluation`` times the issue weight (GENIUS divides the evaluation by the issue's largest);
   a domain numbering its issues from 2 gets a one-value ``DUMMY_ISSUE`` worth +1 (weight 1);
2. the *GENIUS scale*, on which it is compared with burdenshare: the parsed tables with each XML
   issue divided by its largest evaluation and the weights divided by their sum (GeniusWeb values
   are used as given, as GeniusWeb does); reservation values unchanged. On it: the whole Pareto
   frontier (``pareto_frontier`` with the reservation values set to -inf, since NegMAS otherwise
   drops outcomes below a reservation value first), the rational frontier, ``nash_points`` with
   d = (0, 0) and with NegMAS's own d, ``ks_points``, ``opposition_level`` and one
   ``SAOMechanism`` session, ``BoulwareTBNegotiator`` (first profile, opens) against
   ``ConcederTBNegotiator``;
3. the *native* scale (``--native``): the frontier of the ufuns as loaded, and, for spaces up to
   ``--stats-limit`` outcomes (or with ``--slow``), ``normalize()`` + ``calc_stats()``: the
   pipeline behind the reference values in tests/known_values/data/genius/README.md.

Usage: ``python crosscheck_negmas_side.py FOLDER [--steps 100] [--native] [--slow]``.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import time
import warnings
from pathlib import Path
from typing import Any

#: NegMAS's named aspiration exponents (negmas.negotiators.helpers.POLY_ASPIRATION_EXPONENTS)
ASPIRATION_EXPONENTS = {"boulware": 4.0, "conceder": 0.25}


def timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def pairs(points: Any) -> list[list[float]]:
    return [[float(x) for x in p] for p in points]


def parsed_tables(ufun: Any, issues: Any) -> dict[str, Any]:
    """Issue weights and raw value tables as NegMAS parsed them (dummy issues left out)."""
    out: dict[str, Any] = {"weights": {}, "values": {}}
    for issue, fun, w in zip(issues, ufun.values, ufun.weights, strict=True):
        if issue.name == "DUMMY_ISSUE":
            continue
        out["weights"][issue.name] = float(w)
        out["values"][issue.name] = {str(k): float(v) for k, v in fun.mapping.items()}
    return out


def genius_scale(ufun: Any, outcome_space: Any, xml: bool, reserved: float) -> Any:
    """The same ufun on the GENIUS scale (see the module docstring)."""
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    values = []
    for fun in ufun.values:
        top = max(fun.mapping.values()) if xml else 1.0
        scale = 1.0 / top if top else 0.0
        values.append(TableFun({k: v * scale for k, v in fun.mapping.items()}))
    total = math.fsum(ufun.weights)
    return LinearAdditiveUtilityFunction(
        values=values,
        weights=[w / total for w in ufun.weights],
        outcome_space=outcome_space,
        reserved_value=reserved,
        name=ufun.name,
    )


def logged(cls: Any) -> Any:
    """``cls`` recording, at each call, the relative time and its own utility (nothing else)."""
    from negmas.gb.common import ResponseType

    class Logged(cls):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.proposals: list[list[float]] = []
            self.responses: list[list[float]] = []

        def propose(self, state: Any, dest: str | None = None) -> Any:
            outcome = super().propose(state, dest)
            u = float(self.ufun(outcome)) if outcome is not None else math.nan
            self.proposals.append([float(state.relative_time), int(state.step) + 1, u])
            return outcome

        def respond(self, state: Any, source: str | None = None) -> Any:
            answer = super().respond(state, source)
            u = float(self.ufun(state.current_offer))
            accept = int(answer == ResponseType.ACCEPT_OFFER)
            self.responses.append([float(state.relative_time), int(state.step) + 1, u, accept])
            return answer

    Logged.__name__ = cls.__name__
    return Logged


def session(ufuns: list[Any], outcome_space: Any, steps: int) -> dict[str, Any]:
    """One SAO session, Boulware (first profile, joins first so it opens) vs Conceder."""
    from negmas import SAOMechanism
    from negmas.sao import BoulwareTBNegotiator, ConcederTBNegotiator

    mech = SAOMechanism(outcome_space=outcome_space, n_steps=steps)
    negs = [
        logged(BoulwareTBNegotiator)(name="boulware"),
        logged(ConcederTBNegotiator)(name="conceder"),
    ]
    for neg, ufun in zip(negs, ufuns, strict=True):
        mech.add(neg, ufun=ufun)
    seconds, state = timed(mech.run)
    index = {n.id: k for k, n in enumerate(mech.negotiators)}
    trace = [
        [int(step) + 1, index[who], *(float(u(o)) for u in ufuns)]
        for step, who, o in mech.extended_trace
    ]
    agreement = state.agreement
    ranges = []
    for u in ufuns:  # the band each negotiator concedes over (UtilityInverter: min, max)
        lo, hi = u.minmax()
        ranges.append([max(float(lo), float(u.reserved_value)), float(hi)])
    return {
        "seconds": seconds,
        "agreement": None if agreement is None else [str(v) for v in agreement],
        "utilities": None if agreement is None else [float(u(agreement)) for u in ufuns],
        "step": int(state.step),
        "relative_time": float(state.relative_time),
        "timedout": bool(state.timedout),
        "broken": bool(state.broken),
        "n_offers": len(trace),
        "trace": trace,  # [1-based step, proposer (0 boulware, 1 conceder), u1, u2]
        # per negotiator: [relative time, 1-based step, own utility(, 1 if accepted)]
        "proposals": [n.proposals for n in negs],
        "responses": [n.responses for n in negs],
        "concession_ranges": ranges,
        "exponents": [ASPIRATION_EXPONENTS["boulware"], ASPIRATION_EXPONENTS["conceder"]],
        "eps": 1e-4,  # UtilBasedNegotiator's default tolerance around the aspiration band
    }


def native(folder: Path, slow: bool, stats_limit: int) -> dict[str, Any]:
    """The ufuns as NegMAS loads them: frontier, and normalize() + calc_stats()."""
    from negmas.inout import Scenario
    from negmas.preferences import pareto_frontier

    s = Scenario.load(folder, ignore_discount=True)
    loaded_reserved = [float(u.reserved_value) for u in s.ufuns]
    minmax = [[float(x) for x in u.minmax(s.outcome_space)] for u in s.ufuns]
    for u in s.ufuns:
        u.reserved_value = float("-inf")
    seconds, (front, _) = timed(lambda: pareto_frontier(s.ufuns, issues=s.outcome_space.issues))
    out: dict[str, Any] = {
        "frontier": pairs(front),
        "frontier_s": seconds,
        "minmax": minmax,
        "reserved": loaded_reserved,
    }
    if s.outcome_space.cardinality > stats_limit and not slow:
        out["stats"] = {"skipped": f"over {stats_limit:,} outcomes; run with --slow"}
        return out
    s = Scenario.load(folder, ignore_discount=True)
    s.normalize()
    seconds, st = timed(s.calc_stats)
    out["stats"] = {
        "call": "Scenario.load(folder, ignore_discount=True).normalize().calc_stats()",
        "seconds": seconds,
        "pareto_points": len(st.pareto_utils),
        "opposition": float(st.opposition),
        "nash": pairs(st.nash_utils),
        "kalai_smorodinsky": pairs(st.ks_utils),
        "reserved": [float(u.reserved_value) for u in s.ufuns],
    }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--steps", type=int, default=100, help="SAO steps of the session")
    ap.add_argument("--native", action="store_true", help="also the native (raw) scale")
    ap.add_argument("--no-session", action="store_true")
    ap.add_argument("--slow", action="store_true", help="calc_stats() on every space")
    ap.add_argument("--stats-limit", type=int, default=200_000)
    a = ap.parse_args()
    warnings.filterwarnings("ignore")

    import negmas
    from negmas.inout import Scenario
    from negmas.preferences import ks_points, nash_points, pareto_frontier
    from negmas.preferences.ops import opposition_level

    load_s, s = timed(lambda: Scenario.load(a.folder, ignore_discount=True))
    xml = not any(str(getattr(u, "path", "")).endswith(".json") for u in s.ufuns)
    names = [Path(str(u.name)).stem for u in s.ufuns]
    tables = [parsed_tables(u, s.outcome_space.issues) for u in s.ufuns]
    dummy = [i.name for i in s.outcome_space.issues if i.name == "DUMMY_ISSUE"]
    s.remove_dummy_issues()  # folds the dummy issue's constant into each ufun's bias
    bias = [float(getattr(u, "_bias", 0.0) or 0.0) for u in s.ufuns]
    os_ = s.outcome_space
    reserved = [float(u.reserved_value) for u in s.ufuns]
    full = [genius_scale(u, os_, xml, float("-inf")) for u in s.ufuns]
    with_r = [genius_scale(u, os_, xml, r) for u, r in zip(s.ufuns, reserved, strict=True)]

    front_s, (front, front_idx) = timed(lambda: pareto_frontier(full, issues=os_.issues))
    lows = [float(u.minmax(os_)[0]) for u in full]
    if all(r <= lo for r, lo in zip(reserved, lows, strict=True)):
        # every outcome is rational: NegMAS's filter (utility >= reserved value) keeps them all
        rational_front, rational_idx, rational_same = front, front_idx, True
    else:
        rational_front, rational_idx = pareto_frontier(with_r, issues=os_.issues)
        rational_same = False
    front, rational_front = pairs(front), pairs(rational_front)
    maxima = [float(u.minmax(os_)[1]) for u in full]
    # d = (0, 0): without ufuns nash_points takes every reservation value as 0; the ranges'
    # minimum (0) is then the disagreement point
    nash0 = nash_points(None, front, ranges=[(0.0, m) for m in maxima])
    # NegMAS's own d: ranges from the ufuns, d_i = reserved value, or the minimum if lower
    nash_s, nash_r = timed(lambda: nash_points(with_r, rational_front, outcome_space=os_))
    ks = ks_points(with_r, rational_front, outcome_space=os_)
    n = int(os_.cardinality)
    outcomes = list(os_.enumerate_or_sample(max_cardinality=float("inf")))
    if n <= a.stats_limit or a.slow:
        opp_outcomes, opp_on = outcomes, "all"
    else:  # the minimum distance is attained on the (rational) frontier
        opp_outcomes, opp_on = [outcomes[k] for k in rational_idx], "rational frontier"
        again = [[float(u(o)) for u in full] for o in opp_outcomes]
        if again != rational_front:
            raise SystemExit("frontier indices do not follow enumerate_or_sample's order")
    opp_s, opp = timed(lambda: opposition_level(with_r, max_utils=maxima, outcomes=opp_outcomes))

    out: dict[str, Any] = {
        "negmas": negmas.__version__,
        "python": platform.python_version(),
        "load": "Scenario.load(folder, ignore_discount=True)",
        "load_s": load_s,
        "format": "genius-xml" if xml else "geniusweb-json",
        "profiles": names,
        "issues": [i.name for i in os_.issues],
        "n_outcomes": n,
        "parsed": tables,
        "dummy_issues": dummy,
        "bias": bias,
        "reserved": reserved,
        "genius": {
            "frontier": front,
            "frontier_s": front_s,
            "rational_frontier": rational_front,
            "rational_frontier_is_whole": rational_same,
            "minmax": [[float(x) for x in u.minmax(os_)] for u in full],
            "nash_d0": pairs(p for p, _ in nash0),
            "nash": pairs(p for p, _ in nash_r),
            "nash_s": nash_s,
            "kalai_smorodinsky": pairs(p for p, _ in ks),
            "opposition": float(opp),
            "opposition_on": opp_on,
            "opposition_max_utils": maxima,
            "opposition_s": opp_s,
        },
    }
    if not a.no_session:
        out["session"] = session(with_r, os_, a.steps)
    if a.native:
        out["native"] = native(a.folder, a.slow, a.stats_limit)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
