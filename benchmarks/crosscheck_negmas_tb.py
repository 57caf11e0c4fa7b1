"""NegMAS's time-based negotiators for ``crosscheck.py``: run in ``benchmarks/.venv-negmas``.

A separate program (NegMAS is AGPL-3.0: burdenshare never imports it, and nothing of NegMAS is
copied here); it imports nothing from burdenshare. It reads one GENIUS domain folder as
``crosscheck_negmas_side.py`` does (``Scenario.load(folder, ignore_discount=True)``, then the
GENIUS scale: each XML issue divided by its largest evaluation, the weights by their sum, the
reservation values kept) and plays, for every ordered pair of the requested aspiration exponents,
one ``SAOMechanism`` session with ``one_offer_per_step=True`` (one offer a step, as one offer a
round in burdenshare), the first profile's negotiator added first (it opens).

The negotiators are NegMAS 0.16's own: ``BoulwareTBNegotiator`` (p = 4),
``LinearTBNegotiator`` (p = 1), ``ConcederTBNegotiator`` (p = 0.25), and for any other exponent
their common base, ``TimeBasedConcedingNegotiator(offering_curve=p, stochastic=False)``
(``p = inf``: ``"hardheaded"``), which is what the three named classes configure.

Each session may also be run with some of NegMAS's conventions replaced by burdenshare's, one
switch at a time, through NegMAS's own extension points (a subclass overriding the relative time
it is handed, ``utility_range_to_propose`` / ``utility_range_to_accept``, ``respond``, and the
``ufun_inverter`` factory): that is the evidence ``crosscheck.py`` checks when the plain sessions
differ. The switches (``--align``, comma-separated, any subset):

``time``
    NegMAS hands its negotiators the relative time ``(step + 1) / (n_steps + 1)`` at both the
    response and the counter-offer of a step. Aligned: the offer made at step ``s`` (0-based, the
    offer of burdenshare round ``s``) is made at burdenshare's time of that round (``--times``,
    measured on burdenshare's side; by default ``s / (K - 1)``), and the answer to it, given at
    step ``s + 1``, at the same ``t`` (burdenshare answers in the round of the offer); the
    mechanism runs ``K + 1`` steps so that the last round's offer is answered, and the offer made
    at step ``K`` (past burdenshare's last round) is never answered. burdenshare's clock reaches
    ``t = 1`` in the last round, where NegMAS's ``1 - t ** inf`` (hardheaded) would drop to 0;
    the aligned hardheaded negotiator keeps aspiration 1 there, as GENIUS's ``f(t) = k`` for
    ``e = 0`` (its own clock never reaches 1, so this changes nothing else).
``accept``
    NegMAS accepts an offer within its aspiration band widened by ``eps``
    (``UtilBasedNegotiator.respond``). Aligned: AC_next (Baarslag et al. 2014, as in GENIUS),
    accept iff the offer is worth at least the bid the negotiator would make at the moment of
    answering, less ``--accept-tol``.
``band``
    NegMAS widens the aspiration band by ``eps = 1e-4`` (``UtilBasedNegotiator``'s default,
    ``UtilityInverter.scale_utilities``), for its bids and its answers, and its presorting
    inverter's ``worst_in`` may return an outcome up to 1e-6 below the band's lower end when it is
    nearer to it (``_nearest_around``). Aligned: ``eps = --tie-eps`` and ``worst_in`` the first
    sorted rational outcome at or above the lower end.
``order``
    The presorting inverter sorts the rational outcomes with ``numpy.argsort`` (quicksort, not
    stable), so among outcomes of equal utility ``worst_in`` returns whichever comes first there.
    Aligned: sorted stably by (utility, position in NegMAS's enumeration order, which is
    burdenshare's: the cartesian product with the last issue varying fastest), searched as with
    ``band``.
``window``
    NegMAS bids the lowest outcome at or above the band's lower end. Aligned: GENIUS's BOA
    opponent-model strategy as burdenshare's agents apply it (``OMStrategy.getBid``): among the
    rational outcomes in ``[target, target + m * --window]`` (``m`` the smallest whole number
    >= 1 that holds one, both ends widened by ``--tie-eps``), the one best for the opponent model,
    which here rates every outcome alike: the highest own utility, the first of its ties in the
    sorted order (the lowest enumeration index with ``order``).

Usage: ``python crosscheck_negmas_tb.py FOLDER --rounds K --exponents 4,1,0.25 [--align time,...]
[--all-subsets]``. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import math
import time
import warnings
from pathlib import Path
from typing import Any

#: NegMAS 0.16's named classes by aspiration exponent (POLY_ASPIRATION_EXPONENTS)
NAMED = {4.0: "BoulwareTBNegotiator", 1.0: "LinearTBNegotiator", 0.25: "ConcederTBNegotiator"}
SWITCHES = ("time", "accept", "band", "order", "window")
#: UtilBasedNegotiator's default tolerance around the aspiration band
NEGMAS_EPS = 1e-4


def genius_ufuns(folder: Path) -> tuple[Any, list[Any], list[str]]:
    """The outcome space, the two ufuns on the GENIUS scale (reservations kept), profile names."""
    from negmas.inout import Scenario
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    s = Scenario.load(folder, ignore_discount=True)
    xml = not any(str(getattr(u, "path", "")).endswith(".json") for u in s.ufuns)
    names = [Path(str(u.name)).stem for u in s.ufuns]
    s.remove_dummy_issues()
    out = []
    for u in s.ufuns:
        values = []
        for fun in u.values:
            top = max(fun.mapping.values()) if xml else 1.0
            scale = 1.0 / top if top else 0.0
            values.append(TableFun({k: v * scale for k, v in fun.mapping.items()}))
        total = math.fsum(u.weights)
        out.append(
            LinearAdditiveUtilityFunction(
                values=values,
                weights=[w / total for w in u.weights],
                outcome_space=s.outcome_space,
                reserved_value=float(u.reserved_value),
                name=u.name,
            )
        )
    return s.outcome_space, out, names


def exact_inverter(
    ufun: Any, order: dict[Any, int] | None, window: float | None, eps: float, tol: float
) -> Any:
    """NegMAS's presorting inverter with ``worst_in`` searched exactly at the band's lower end
    (``band``), its ties in enumeration order when ``order`` is given (``order``), and with a
    ``window`` the bid of the ``window`` switch (the band's lower end is ``target - eps``)."""
    import numpy as np
    from negmas.preferences.inv_ufun import PresortingInverseUtilityFunction

    eps_ = eps  # ``worst_in`` has an argument of that name

    class Exact(PresortingInverseUtilityFunction):  # type: ignore[misc]
        def init(self) -> None:
            super().init()
            if order is None:
                return
            n = self._last_rational + 1
            keys = sorted(range(n), key=lambda i: (float(self.utils[i]), order[self.outcomes[i]]))
            self.outcomes = [self.outcomes[i] for i in keys] + self.outcomes[n:]
            self.utils = np.concatenate([self.utils[keys], self.utils[n:]])

        def worst_in(self, rng: Any, normalized: bool, cycle: bool = True, eps: float = 0.0) -> Any:
            n = self._last_rational + 1
            utils = self.utils[:n]
            i = int(np.searchsorted(utils, float(rng[0]), side="left"))
            if i >= n:
                return None
            if window is None:
                return self.outcomes[i]
            target = float(rng[0]) + eps_
            m = max(1.0, float(math.ceil((float(utils[i]) - target - tol) / window)))
            j = int(np.searchsorted(utils, target + m * window + tol, side="right"))
            best = utils[j - 1]  # the highest own utility in the window; the first of its ties
            return self.outcomes[int(np.searchsorted(utils, best, side="left"))]

    return Exact(ufun, rational_only=True)


def negotiator_class(p: float, party: int, align: set[str], opts: dict[str, Any]) -> Any:
    """NegMAS's negotiator for exponent ``p``, with the requested conventions replaced."""
    import attrs
    from negmas.gb.common import ResponseType
    from negmas.sao import (
        BoulwareTBNegotiator,
        ConcederTBNegotiator,
        LinearTBNegotiator,
        TimeBasedConcedingNegotiator,
    )

    named = {
        "BoulwareTBNegotiator": BoulwareTBNegotiator,
        "LinearTBNegotiator": LinearTBNegotiator,
        "ConcederTBNegotiator": ConcederTBNegotiator,
    }
    base = named[NAMED[p]] if p in NAMED else TimeBasedConcedingNegotiator
    rounds = opts["rounds"]

    class Played(base):  # type: ignore[misc,valid-type]
        """Records what it does; replaces the conventions in ``align`` (nothing else)."""

        def __init__(self, *args: Any, **kw: Any):
            if base is TimeBasedConcedingNegotiator:
                kw["offering_curve"] = "hardheaded" if math.isinf(p) else p
                kw["stochastic"] = False
            super().__init__(*args, **kw)
            self.log: list[dict[str, Any]] = []

        # -- time ----------------------------------------------------------------------
        def _round_time(self, state: Any, responding: bool) -> Any:
            if "time" not in align:
                return state
            k = state.step - 1 if responding else state.step
            times = opts["times"]
            if times is not None:  # burdenshare's clock as measured on its side, round by round
                t = times[party][k] if k < rounds else 1.0
            else:
                t = 1.0 if rounds <= 1 else min(1.0, max(0.0, k / (rounds - 1)))
            return attrs.evolve(state, relative_time=t)

        def _aspiration(self, lo: float) -> float:
            if "time" in align and math.isinf(p):
                # burdenshare's (and GENIUS's) f(t) = k for e = 0 at every t; NegMAS's
                # 1 - t ** inf drops to 0 at t = 1, which its own clock never reaches
                lo = 1.0
            return lo

        def utility_range_to_propose(self, state: Any) -> tuple[float, float]:
            lo, hi = super().utility_range_to_propose(state)
            return self._aspiration(lo), hi

        def utility_range_to_accept(self, state: Any) -> tuple[float, float]:
            lo, hi = super().utility_range_to_accept(state)
            return self._aspiration(lo), hi

        # -- the calls -----------------------------------------------------------------
        def propose(self, state: Any, dest: str | None = None) -> Any:
            seen = self._round_time(state, responding=False)
            outcome = super().propose(seen, dest)
            u = float(self.ufun(outcome)) if outcome is not None else math.nan
            self.log.append(
                {"call": "propose", "step": int(state.step), "t": float(seen.relative_time), "u": u}
            )
            return outcome

        def respond(self, state: Any, source: str | None = None) -> Any:
            seen = self._round_time(state, responding=True)
            u = float(self.ufun(state.current_offer))
            if "accept" in align:
                nxt = super().propose(seen)  # the bid it would make now (GENIUS's AC_next)
                threshold = float(self.ufun(nxt)) - opts["accept_tol"]
                answer = ResponseType.ACCEPT_OFFER if u >= threshold else ResponseType.REJECT_OFFER
            else:
                answer = super().respond(seen, source)
                lo, _ = self._inverter.scale_utilities(self.utility_range_to_accept(seen))
                threshold = float(lo)
            self.log.append(
                {
                    "call": "respond",
                    "step": int(state.step),
                    "t": float(seen.relative_time),
                    "u": u,
                    "threshold": threshold,
                    "accepted": bool(answer == ResponseType.ACCEPT_OFFER),
                }
            )
            return answer

    Played.__name__ = base.__name__
    return Played


def play(
    os_: Any,
    ufuns: list[Any],
    exps: tuple[float, float],
    align: set[str],
    opts: dict[str, Any],
    inverters: Any,
) -> dict[str, Any]:
    """One session, the first exponent on the first profile (it opens)."""
    from negmas import SAOMechanism

    rounds = opts["rounds"]
    steps = rounds + 1 if "time" in align else rounds
    mech = SAOMechanism(outcome_space=os_, n_steps=steps, one_offer_per_step=True)
    negs = []
    for k, (p, u) in enumerate(zip(exps, ufuns, strict=True)):
        kw: dict[str, Any] = {"name": f"p{k}"}
        # one inverter per profile and convention, shared by the sessions: NegMAS's presorting
        # inverter answers queries without changing (``_cycle_around`` rolls a copy)
        kind = tuple(sw for sw in ("band", "order", "window") if sw in align)
        inverter = inverters(kind, k)
        kw["ufun_inverter"] = lambda _u, inverter=inverter: inverter
        if "band" in align:
            kw["eps"] = opts["tie_eps"]
        neg = negotiator_class(p, k, align, opts)(**kw)
        mech.add(neg, ufun=u)
        negs.append(neg)
    start = time.perf_counter()
    state = mech.run()
    seconds = time.perf_counter() - start
    index = {n.id: k for k, n in enumerate(mech.negotiators)}
    offers = [
        [int(step) + 1, index[who], [str(v) for v in o], *(float(u(o)) for u in ufuns)]
        for step, who, o in mech.extended_trace
    ]
    agreement = state.agreement
    accepted = None
    if agreement is not None:
        accepted = len(offers)
        if "time" in align and accepted > rounds:
            raise SystemExit("an offer past the last round was accepted")
    elif "time" in align:
        offers = offers[:rounds]  # the offer of step K + 1 is past burdenshare's last round
    return {
        "exponents": list(exps),
        "classes": [NAMED.get(p, "TimeBasedConcedingNegotiator") for p in exps],
        "align": sorted(align),
        "seconds": seconds,
        "agreement": None if agreement is None else [str(v) for v in agreement],
        "utilities": None if agreement is None else [float(u(agreement)) for u in ufuns],
        "accepted_offer": accepted,  # 1-based index of the accepted offer (= burdenshare round)
        "n_offers": len(offers),
        "offers": offers,  # [step (1-based), proposer, outcome, u0, u1]
        "log": [n.log for n in negs],
        "ranges": [[float(n._inverter.ufun_min), float(n._inverter.ufun_max)] for n in negs],
        "broken": bool(state.broken),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--exponents", required=True, help="comma-separated p (inf: hardheaded)")
    ap.add_argument("--pairs", help="i-j,... indices into --exponents (default: all ordered)")
    ap.add_argument("--align", action="append", default=[], help="a comma-separated switch set")
    ap.add_argument("--all-subsets", action="store_true", help="every subset of the switches")
    ap.add_argument("--accept-tol", type=float, default=0.0)
    ap.add_argument(
        "--times",
        action="append",
        help="burdenshare's relative time in each round, comma-separated, once per party "
        "(switch time; default (k - 1)/(K - 1) in round k)",
    )
    ap.add_argument("--tie-eps", type=float, default=1e-9)
    ap.add_argument("--window", type=float, default=0.01, help="switch window's width")
    a = ap.parse_args()
    warnings.filterwarnings("ignore")
    import negmas

    exps = [float(x) for x in a.exponents.split(",")]
    if a.pairs:
        pairs = [tuple(int(i) for i in p.split("-")) for p in a.pairs.split(",")]
    else:
        pairs = [(i, j) for i in range(len(exps)) for j in range(len(exps))]
    aligns = [set(filter(None, s.split(","))) for s in (a.align or [""])]
    if a.all_subsets:
        aligns = [
            {sw for b, sw in enumerate(SWITCHES) if mask >> b & 1}
            for mask in range(2 ** len(SWITCHES))
        ]
    for s in aligns:
        if s - set(SWITCHES):
            raise SystemExit(f"unknown switches {sorted(s - set(SWITCHES))}; known {SWITCHES}")
    opts = {
        "rounds": a.rounds,
        "accept_tol": a.accept_tol,
        "tie_eps": a.tie_eps,
        "times": None if not a.times else [[float(x) for x in t.split(",")] for t in a.times],
    }
    load_s0 = time.perf_counter()
    os_, ufuns, names = genius_ufuns(a.folder)
    load_s = time.perf_counter() - load_s0
    from negmas.preferences import DefaultInverseUtilityFunction

    cache: dict[tuple[tuple[str, ...], int], Any] = {}
    order: dict[Any, int] = {}

    def inverters(kind: tuple[str, ...], k: int) -> Any:
        """One inverter per profile and switch set, built once and shared by the sessions."""
        if (kind, k) not in cache:
            if not kind:  # what ``make_inverter`` builds when no ``ufun_inverter`` is given
                cache[kind, k] = DefaultInverseUtilityFunction(ufuns[k], rational_only=True)
            else:
                if "order" in kind and not order:
                    order.update((o, i) for i, o in enumerate(os_.enumerate_or_sample()))
                cache[kind, k] = exact_inverter(
                    ufuns[k],
                    order if "order" in kind else None,
                    a.window if "window" in kind else None,
                    a.tie_eps if "band" in kind else NEGMAS_EPS,
                    a.tie_eps,
                )
                cache[kind, k].init()
        return cache[kind, k]

    sessions = []
    for s in aligns:
        for i, j in pairs:
            rec = play(os_, ufuns, (exps[i], exps[j]), s, opts, inverters)
            rec["pair"] = [i, j]
            sessions.append(rec)
    print(
        json.dumps(
            {
                "negmas": negmas.__version__,
                "profiles": names,
                "n_outcomes": int(os_.cardinality),
                "reserved": [float(u.reserved_value) for u in ufuns],
                "load_s": load_s,
                "sessions": sessions,
            }
        )
    )


if __name__ == "__main__":
    main()
