"""Cross-check burdenshare against NegMAS 0.16 on the GENIUS domains in tests/known_values.

For every domain folder both tools can enumerate, this compares, on the same utility scale,

a. the Pareto frontier: burdenshare's exact frontier (``additive_frontier``, dynamic programming
   over issues) against NegMAS's ``pareto_frontier``, point by point within ``TOL``;
b. the Nash point with d = (0, 0) and with each tool's own disagreement point, and the
   Kalai-Smorodinsky point;
c. the opposition level (``opposition(..., "max")`` against ``opposition_level``), and the
   reference values of tests/known_values/data/genius/README.md, rerun through NegMAS's own
   ``normalize()`` + ``calc_stats()``;
d. one alternating-offers session, NegMAS's ``BoulwareTBNegotiator`` vs
   ``ConcederTBNegotiator`` (``SAOMechanism``, ``--steps`` steps) against burdenshare's
   ``TimeDependent(1/4)`` vs ``TimeDependent(4)`` (the same aspiration curves) over as many rounds;
e. burdenshare's GENIUS-style agents (``genius-time-dependent`` and its named members, no opponent
   model, AC_next, GENIUS's bidding window) against NegMAS's time-based negotiators with the
   same exponents, every ordered pair of six exponents, ``--steps`` rounds: the same agreement
   on the same offer, or the
   difference reproduced by NegMAS with the smallest set of its conventions replaced by
   burdenshare's (``crosscheck_tb.py``, ``crosscheck_negmas_tb.py``).

The scale is GENIUS's: an XML item is worth its evaluation divided by the issue's largest,
times the issue weight (weights divided by their sum); GeniusWeb values as given; reservation
values as given. burdenshare uses it (``utility_tables``); NegMAS 0.16 does not (it keeps raw
points), so ``crosscheck_negmas_side.py`` rescales NegMAS's own parsed tables to it and also
reports NegMAS's native scale. NegMAS runs in its own virtualenv as a child process.

Every difference found must be one of :data:`EXPLAINED`, and its evidence must hold; otherwise
the script prints it and exits with status 1. Timings are measured and reported, never asserted.
The page it writes is docs/explanation/negmas-crosscheck.md.

Sources: GENIUS's utility of a profile [Lin2014]_; NegMAS [Mohammad2021]_ (0.16.0, read in
``benchmarks/.venv-negmas``: ``negmas/inout.py``, ``negmas/preferences/base_ufun.py``,
``negmas/preferences/ops.py``, ``negmas/gb/negotiators/timebased.py``,
``negmas/gb/components/inverter.py``); time-dependent tactics [Faratin1998]_; opposition
[Baarslag2013]_ (see ``burdenshare.solutions.outcome_space``).

.. [Lin2014] R. Lin, S. Kraus, T. Baarslag, D. Tykhonov, K. Hindriks and C. M. Jonker, "Genius:
   an integrated environment for supporting the design of generic automated negotiators",
   *Computational Intelligence* 30 (2014) 48-70.
.. [Mohammad2021] Y. Mohammad, A. Greenwald and S. Nakadai, "NegMAS: a platform for situated
   negotiations", in *Recent Advances in Agent-based Negotiation* (ACAN 2019), Springer (2021)
   57-75.
.. [Faratin1998] P. Faratin, C. Sierra and N. R. Jennings, "Negotiation decision functions for
   autonomous agents", *Robotics and Autonomous Systems* 24 (1998) 159-182.
.. [Baarslag2013] T. Baarslag et al., "Evaluating practical negotiating agents: results and
   analysis of the 2011 international competition", *Artificial Intelligence* 198 (2013) 73-103.

Usage: ``.venv/bin/python benchmarks/crosscheck.py [--json PATH] [--report PATH] [--domains ...]
[--slow]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import NEGMAS_PYTHON, machine, run_child
from crosscheck_report import render, table
from crosscheck_tb import SWITCH_TEXT, crosscheck_tb

from burdenshare.interop import load_genius, to_scenario, utility_tables
from burdenshare.interop.genius import NAME_PREFIX, GeniusDomain
from burdenshare.negotiation import TimeDependent, run_session
from burdenshare.negotiation.negotiators.time_dependent import time_dependent_target
from burdenshare.solutions.additive_frontier import AdditiveFrontier, additive_frontier
from burdenshare.solutions.outcome_space import frontier_solutions, opposition

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "known_values" / "data" / "genius"
#: two utility pairs are the same point if no coordinate differs by more than this
TOL = 1e-9
#: burdenshare's exponents e = 1 / p for NegMAS's PolyAspiration p = 4 (boulware), 0.25 (conceder)
BS_EXPONENTS = (0.25, 4.0)
#: domains neither tool can enumerate exactly
SKIPPED = {
    "10issues": "non-linear (hyper-rectangle) profiles over 10^10 outcomes: burdenshare refuses "
    "them and NegMAS cannot enumerate the space",
    "fuzzyagent": "one real (continuous) issue: no finite outcome space (burdenshare's tables need "
    "discrete or integer issues; NegMAS would discretise it)",
}
#: tests/known_values/data/genius/README.md: outcomes, Pareto points, opposition, Nash point
README = {
    "ItexvsCypress": (180, 17, 0.375, (0.772, 0.703)),
    "EnglandZimbabwe": (576, 23, 0.256, (0.901, 0.760)),
    "Travel": (188160, 21, 0.254, (0.841, 0.802)),
    "Laptop": (27, 4, 0.205, (0.81, 0.925)),
    "FiftyFiftyA": (11, 9, 0.707, (0.5, 0.5)),
    "Ultimatum": (9, 5, 0.556, (0.604, 0.610)),
    "Party": (3072, 13, 0.236, (0.829, 0.837)),
    "AMPOvsCity": (1944000, 193, None, None),
}

#: every difference the check accepts, and why; each finding names one and carries its evidence
EXPLAINED = {
    "raw-points": "NegMAS 0.16 reads a GENIUS XML evaluation as raw points: an item's utility is "
    "weight x evaluation (`UtilityFunction.from_genius`), where GENIUS divides the evaluation by "
    "the issue's largest (and so does burdenshare). Where the issues of a profile have different "
    "largest evaluations, NegMAS's native utility is a different function, with its own frontier. "
    "Evidence: burdenshare's dynamic programme on the same raw tables gives NegMAS's native "
    "frontier point for point.",
    "dummy-issue": "A domain that numbers its issues from 2 (AMPOvsCity) gets a one-value "
    "`DUMMY_ISSUE` from NegMAS's lenient reader, with weight 1 and identity value 1: every native "
    "utility is 1 higher. Evidence: `remove_dummy_issues()` folds a bias of 1 into each ufun; "
    "with it subtracted the native frontiers match.",
    "rational-frontier": "NegMAS's `pareto_frontier` first drops every outcome below either "
    "reservation value; burdenshare's frontier is over all outcomes. The frontier of the rational "
    "outcomes is the rational part of the whole frontier (a point dominating a rational one is "
    "rational). Evidence: NegMAS's default frontier equals burdenshare's filtered by u >= r.",
    "nash-d": "NegMAS's `nash_points` and `ks_points` use d_i = max(reserved value, least "
    "utility over the outcome space); burdenshare uses d exactly as given. With a reservation "
    "value below the least utility they solve different problems. Evidence: burdenshare with "
    "NegMAS's d gives NegMAS's point.",
    "ks-rule": "Different discrete Kalai-Smorodinsky rules: burdenshare maximises the smaller of "
    "the ratios (u_i - d_i) / (I_i - d_i), I the ideal point of the rational outcomes; NegMAS's "
    "`ks_points` minimises the gap between the two ratios, with I_i the largest utility over "
    "the whole space. On a discrete frontier they can pick neighbouring points. Evidence: each "
    "point is the better one under its own rule.",
    "opposition-rational": "NegMAS's `opposition_level` skips outcomes worse than a reservation "
    "value; burdenshare's opposition is over all outcomes. Evidence: burdenshare's formula over "
    "the rational frontier points gives NegMAS's value.",
    "frontier-tie": "A frontier point present on one side only, but weakly dominated within "
    f"{TOL:g} by a point of the other side: a tie that floating-point sums (NegMAS) and exact "
    "quantised sums (burdenshare, multiples of 2^-40) decide differently.",
    "readme-rounding": "The README's figure differs from NegMAS's recomputed one by at most one "
    "unit in its last digit, as double rounding (0.20446 -> 0.2045 -> 0.205) gives.",
    "tb-conventions": "burdenshare's GENIUS-style agents and NegMAS's time-based negotiators "
    "differ in conventions, each replaceable in NegMAS through its own extension points "
    "(`benchmarks/crosscheck_negmas_tb.py`): "
    + "; ".join(f"**{k}**: {v}" for k, v in SWITCH_TEXT.items())
    + ". Evidence: NegMAS rerun with the listed set of conventions replaced by burdenshare's "
    "plays burdenshare's session offer for offer (same proposer and outcome of every offer, same "
    "accepted offer), and no smaller set does.",
    "tb-float-tie": "Two outcomes worth the same to the proposer up to floating-point rounding "
    "(their sums of weight x evaluation differ in the last bit or two, within 1e-12): "
    "burdenshare's vectorised tables and NegMAS's ufun round the sums differently, so the two "
    "tools order the pair differently and the bid rule (the lowest at or above the target, or "
    "the highest in the window) picks a different one of them; the sessions part there. "
    "Evidence: NegMAS with every switch replaced plays burdenshare's offers up to that offer, "
    "where the same proposer bids a different outcome worth the same to it within 1e-12 (the "
    "utilities shown are each tool's scalar evaluation of its own bid).",
    "tb-space-limit": "burdenshare's outcome-space agents refuse an outcome space above "
    "`MAX_OUTCOMES` (200,000; `negotiation/outcome_space.py`) with a SimulationError that "
    "names the size; NegMAS's inverter switches to its approximate BIDS search above 10^6 "
    "outcomes and plays. Evidence: the error names the size, which exceeds the limit.",
    "session-rules": "Two different time-based heuristics (see [why the sessions differ]"
    "(#why-the-sessions-differ)): the agreement, its utilities and its round are expected to "
    "differ; each session's evidence is in [the sessions](#the-sessions).",
}


@dataclasses.dataclass(frozen=True)
class Finding:
    """One comparison: ``agree``, ``explained`` (with a key of EXPLAINED) or ``UNEXPLAINED``."""

    domain: str
    item: str
    status: str
    key: str = ""
    detail: str = ""


def median_time(fn: Callable[[], Any], repeats: int = 5) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def points(front: AdditiveFrontier) -> np.ndarray:
    return np.stack([front.u1, front.u2], axis=1)


def near(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each row of ``a``, the largest coordinate gap to its nearest row of ``b``."""
    if len(b) == 0:
        return np.full(len(a), np.inf)
    return np.abs(a[:, None, :] - b[None, :, :]).max(axis=2).min(axis=1)


def compare_frontiers(domain: str, item: str, bs: np.ndarray, nm: np.ndarray) -> dict[str, Any]:
    """Points of both sides, matched within TOL; each unmatched point with its reason."""
    gap_bs, gap_nm = near(bs, nm), near(nm, bs)
    unmatched = []
    for side, own, other, gaps in (("burdenshare", bs, nm, gap_bs), ("NegMAS", nm, bs, gap_nm)):
        for p, gap in zip(own, gaps, strict=True):
            if gap <= TOL:
                continue
            tie = bool(len(other)) and bool(np.any(np.all(other >= p - TOL, axis=1)))
            reason = "frontier-tie" if tie else "unexplained"
            unmatched.append({"side": side, "point": p.tolist(), "gap": gap, "reason": reason})
    if any(u["reason"] == "unexplained" for u in unmatched):
        status = "UNEXPLAINED"
    elif unmatched or len(bs) != len(nm):  # a tie, or near-duplicates (all points matched)
        status = "explained"
    else:
        status = "agree"
    finding = Finding(
        domain,
        item,
        status,
        "frontier-tie" if status == "explained" else "",
        f"burdenshare {len(bs)}, NegMAS {len(nm)}, matched {int((gap_bs <= TOL).sum())}; "
        + "; ".join(f"{u['side']} only: {u['point']} ({u['reason']})" for u in unmatched),
    )
    return {
        "burdenshare": len(bs),
        "negmas": len(nm),
        "matched": int((gap_bs <= TOL).sum()),
        "unmatched": unmatched,
        "finding": finding,
    }


def same_point(p: Sequence[float] | None, candidates: Sequence[Sequence[float]]) -> bool:
    if p is None:
        return not candidates
    return any(max(abs(p[0] - q[0]), abs(p[1] - q[1])) <= TOL for q in candidates)


def pair(solution: dict[str, Any] | None) -> list[float] | None:
    return None if solution is None else [solution["u1"], solution["u2"]]


def raw_tables(domain: GeniusDomain, bias: Sequence[float]) -> list[list[np.ndarray]]:
    """NegMAS's native tables: raw weight x raw evaluation, plus its dummy-issue bias."""
    out = []
    for prof, b in zip(domain.profiles, bias, strict=True):
        row = [
            np.array([prof.raw_weights[i.name] * prof.raw_evaluations[i.name][v] for v in i.values])
            for i in domain.issues
        ]
        row[0] = row[0] + b
        out.append(row)
    return out


def check_parsed(name: str, domain: GeniusDomain, nm: dict[str, Any]) -> Finding:
    """NegMAS's parsed raw tables and weights equal burdenshare's ``raw_*`` (same file reading)."""
    diffs = []
    for prof, parsed in zip(domain.profiles, nm["parsed"], strict=True):
        for issue in domain.issues:
            w = parsed["weights"].get(issue.name)
            if w is None or abs(w - prof.raw_weights[issue.name]) > 1e-12:
                diffs.append(f"{prof.name}/{issue.name} weight {w}")
            for value, raw in prof.raw_evaluations[issue.name].items():
                got = parsed["values"].get(issue.name, {}).get(value)
                if got is None or abs(got - raw) > 1e-12:
                    diffs.append(f"{prof.name}/{issue.name}/{value}: {got} vs {raw}")
    dup = []  # items a profile evaluates twice: what each tool kept
    for prof, parsed in zip(domain.profiles, nm["parsed"], strict=True):
        for note in prof.notes:
            hit = re.search(r"value '(.*)' of issue '(.*)' evaluated twice", note)
            if hit:
                value, issue = hit.groups()
                dup.append(
                    f"{prof.name}: '{value}' of '{issue}' evaluated twice, NegMAS kept "
                    f"{parsed['values'][issue][value]:g}, burdenshare "
                    f"{prof.raw_evaluations[issue][value]:g}"
                )
    detail = "identical weights and value tables" + (f"; {'; '.join(dup)}" if dup else "")
    if diffs:
        return Finding(name, "parsed tables", "UNEXPLAINED", "", "; ".join(diffs[:10]))
    return Finding(name, "parsed tables", "agree", "", detail)


def ks_rule_values(
    p: Sequence[float], d: Sequence[float], ideal: Sequence[float], top: Sequence[float]
) -> tuple[float, float]:
    """(smallest ratio to burdenshare's ideal, gap between the ratios to NegMAS's maxima)."""
    bs = min((p[i] - d[i]) / (ideal[i] - d[i]) for i in range(2))
    nm = [(p[i] - d[i]) / (top[i] - d[i]) for i in range(2)]
    return bs, max(nm) - min(nm)


def solutions(name: str, front: AdditiveFrontier, r: list[float], g: dict[str, Any]) -> Any:
    """Nash (d = 0, d = r, NegMAS's d) and Kalai-Smorodinsky on both sides, with findings."""
    lo = [float(m[0]) for m in g["minmax"]]
    top = [float(m[1]) for m in g["minmax"]]
    d_nm = [max(r[i], lo[i]) for i in range(2)]
    at0 = frontier_solutions(front, (0.0, 0.0))
    at_r = frontier_solutions(front, r)
    at_nm = frontier_solutions(front, d_nm)
    out: dict[str, Any] = {
        "reservation": r,
        "least_utility": lo,
        "negmas_d": d_nm,
        "nash_d0": {"burdenshare": pair(at0["nash"]), "negmas": g["nash_d0"]},
        "nash": {
            "burdenshare_d_r": pair(at_r["nash"]),
            "burdenshare_d_negmas": pair(at_nm["nash"]),
            "negmas": g["nash"],
        },
        "kalai_smorodinsky": {
            "burdenshare_d_r": pair(at_r["kalai_smorodinsky"]),
            "burdenshare_d_negmas": pair(at_nm["kalai_smorodinsky"]),
            "negmas": g["kalai_smorodinsky"],
        },
    }
    findings = []
    p0 = pair(at0["nash"])
    ties = f" (NegMAS lists {len(g['nash_d0'])} tied points)" if len(g["nash_d0"]) > 1 else ""
    ok = same_point(p0, g["nash_d0"])
    findings.append(
        Finding(name, "Nash d=(0,0)", "agree" if ok else "UNEXPLAINED", "", f"{p0}{ties}")
    )
    p_r, p_nm = pair(at_r["nash"]), pair(at_nm["nash"])
    if same_point(p_r, g["nash"]):
        findings.append(Finding(name, "Nash d=r", "agree", "", f"{p_r}, d = {r}"))
    elif same_point(p_nm, g["nash"]):
        detail = f"d = r = {r}: {p_r}; NegMAS's d = {d_nm}: {g['nash']} = burdenshare's {p_nm}"
        findings.append(Finding(name, "Nash d=r", "explained", "nash-d", detail))
    else:
        findings.append(Finding(name, "Nash d=r", "UNEXPLAINED", "", f"{p_nm} vs {g['nash']}"))
    k_nm = pair(at_nm["kalai_smorodinsky"])
    if same_point(k_nm, g["kalai_smorodinsky"]):
        k_r = pair(at_r["kalai_smorodinsky"])
        if same_point(k_r, g["kalai_smorodinsky"]):
            findings.append(Finding(name, "Kalai-Smorodinsky", "agree", "", f"{k_nm}, d = {d_nm}"))
        else:
            detail = f"d = r = {r}: {k_r}; NegMAS's d = {d_nm}: {k_nm} = NegMAS's point"
            findings.append(Finding(name, "Kalai-Smorodinsky", "explained", "nash-d", detail))
    else:
        rational = points(front)[np.all(points(front) >= np.array(d_nm), axis=1)]
        ideal = rational.max(axis=0).tolist()
        q = g["kalai_smorodinsky"][0] if g["kalai_smorodinsky"] else None
        if k_nm is None or q is None:
            findings.append(Finding(name, "Kalai-Smorodinsky", "UNEXPLAINED", "", f"{k_nm} {q}"))
        else:
            bs_b, bs_n = ks_rule_values(k_nm, d_nm, ideal, top)
            nm_b, nm_n = ks_rule_values(q, d_nm, ideal, top)
            ok = bs_b >= nm_b - TOL and nm_n <= bs_n + TOL
            detail = (
                f"burdenshare {k_nm} (smallest ratio {bs_b:.6f}, ratio gap {bs_n:.6f}); "
                f"NegMAS {q} (smallest ratio {nm_b:.6f}, ratio gap {nm_n:.6f}); d = {d_nm}"
            )
            status, key = ("explained", "ks-rule") if ok else ("UNEXPLAINED", "")
            findings.append(Finding(name, "Kalai-Smorodinsky", status, key, detail))
    return out, findings


def opposition_check(
    name: str, tables: Any, front: AdditiveFrontier, r: list[float], g: dict[str, Any]
) -> tuple[dict[str, Any], Finding]:
    by_max = opposition(tables, front, "max")
    top = np.array(g["opposition_max_utils"])
    pts = points(front)
    rational = pts[np.all(pts >= np.array(r), axis=1)]
    rat = float(np.sqrt(((1.0 - rational / top) ** 2).sum(axis=1).min())) if len(rational) else None
    out = {
        "burdenshare_max": by_max,
        "burdenshare_minmax": opposition(tables, front, "minmax"),
        "burdenshare_max_rational": rat,
        "negmas": g["opposition"],
        "negmas_over": g["opposition_on"],
    }
    if abs(by_max - g["opposition"]) <= TOL:
        return out, Finding(name, "opposition", "agree", "", f"{by_max:.6f}")
    detail = f"all outcomes {by_max:.6f}; rational only {rat}; NegMAS {g['opposition']:.6f}"
    if rat is not None and abs(rat - g["opposition"]) <= TOL:
        return out, Finding(name, "opposition", "explained", "opposition-rational", detail)
    return out, Finding(name, "opposition", "UNEXPLAINED", "", detail)


def utility_of(domain: GeniusDomain, tables: Any, values: Sequence[str]) -> list[float]:
    idx = [issue.values.index(v) for issue, v in zip(domain.issues, values, strict=True)]
    return [math.fsum(float(t[j][k]) for j, k in enumerate(idx)) for t in tables]


def bs_session(domain: GeniusDomain, tables: Any, steps: int) -> dict[str, Any]:
    """burdenshare's session: TimeDependent(1/4) (first profile, opens) vs TimeDependent(4)."""
    plain = dataclasses.replace(
        domain, profiles=tuple(dataclasses.replace(p, discount=None) for p in domain.profiles)
    )  # NegMAS runs with ignore_discount=True, so no discounting here either
    _, scenario = to_scenario(plain, rounds=steps, first_mover=0)
    ids = [
        next(pid for pid, p in scenario.parties.items() if p.description == NAME_PREFIX + q.name)
        for q in domain.profiles[:2]
    ]
    negs = {pid: TimeDependent(e) for pid, e in zip(ids, BS_EXPONENTS, strict=True)}
    start = time.perf_counter()
    try:
        res = run_session(scenario, negs, seed=0)
    except Exception as exc:  # reported as an unexplained difference, with the message
        return {"error": f"{type(exc).__name__}: {exc}"}
    seconds = time.perf_counter() - start
    issue_ids = [
        next(i.id for i in scenario.issues if i.description == NAME_PREFIX + g.name)
        for g in domain.issues
    ]
    agreement = None if res.agreement is None else [str(res.agreement[i]) for i in issue_ids]
    offers = res.transcript.offers
    return {
        "seconds": seconds,
        "agreement": agreement,
        "utilities": None if agreement is None else [res.utilities[i] for i in ids],
        "recomputed": None if agreement is None else utility_of(domain, tables, agreement),
        "round": res.round,
        "outcome": res.outcome,
        "n_offers": len(offers),
        # [round, proposer (0 or 1), u1, u2, 1 if accepted]
        "trace": [
            [
                o.round,
                ids.index(o.proposer),
                *(o.utilities[i] for i in ids),
                int(o.response.name == "ACCEPT"),
            ]
            for o in offers
        ],
        "concession_ranges": [[p.reservation or 0.0, 1.0] for p in domain.profiles[:2]],
    }


def acceptance(
    bs: dict[str, Any], nm: dict[str, Any], steps: int, r: list[float]
) -> dict[str, Any]:
    """The last answer of each session, and the threshold the answerer's documented rule gives.

    NegMAS (``UtilBasedNegotiator.respond`` with ``PolyAspiration``): accept iff
    ``u >= lo + (hi - lo) * (1 - t ** p) - eps``, ``[lo, hi]`` = [max(min u, reserved value),
    max u], ``t`` the mechanism's relative time. burdenshare (``TimeDependent``): accept iff
    ``u >= r + (1 - r) * (1 - t ** (1 / e)) - 1e-9`` with ``t = (round - 1) / (rounds - 1)``,
    or in the last round. ``consistent`` says whether the answer follows that rule.
    """
    out: dict[str, Any] = {}
    answers = sorted((x[1], k, x) for k in range(2) for x in nm["responses"][k])
    if answers:
        _, k, (t, step, u, accepted) = answers[-1]
        lo, hi = nm["concession_ranges"][k]
        threshold = lo + (hi - lo) * (1.0 - t ** nm["exponents"][k]) - nm["eps"]
        out["negmas"] = {
            "answerer": k,
            "accepted": bool(accepted),
            "t": t,
            "step": step,
            "utility": u,
            "threshold": threshold,
            "consistent": (u >= threshold - 1e-12) == bool(accepted),
        }
    if "error" not in bs and bs["trace"]:
        rnd, proposer, *us, accepted = bs["trace"][-1]
        k = 1 - proposer
        t = (rnd - 1) / (steps - 1)
        threshold = time_dependent_target(t, BS_EXPONENTS[k], r[k]) - 1e-9
        last = rnd == steps
        out["burdenshare"] = {
            "answerer": k,
            "accepted": bool(accepted),
            "t": t,
            "round": rnd,
            "utility": us[k],
            "threshold": threshold,
            "last_round": last,
            "consistent": bool(accepted) == (us[k] >= threshold or (last and us[k] >= r[k] - 1e-9)),
        }
    return out


def session_check(
    name: str,
    domain: GeniusDomain,
    tables: Any,
    bs: dict[str, Any],
    nm: dict[str, Any],
    acc: dict[str, Any],
) -> Finding:
    problems = [f"burdenshare raised {bs['error']}"] if "error" in bs else []
    if nm["agreement"] is not None:
        again = utility_of(domain, tables, nm["agreement"])
        if max(abs(a - b) for a, b in zip(again, nm["utilities"], strict=True)) > TOL:
            problems.append(f"NegMAS's agreement is worth {again} here, {nm['utilities']} there")
    for side in ("negmas", "burdenshare"):
        if side in acc and not acc[side]["consistent"]:
            problems.append(f"{side}'s last answer does not follow its rule: {acc[side]}")
    recomputed, reported = bs.get("recomputed"), bs.get("utilities")
    if recomputed is not None and not same_point(recomputed, [reported]):
        problems.append(f"scenario utilities {reported} vs tables {recomputed}")
    if problems:
        return Finding(name, "session", "UNEXPLAINED", "", "; ".join(problems))

    def describe(s: dict[str, Any], when: str) -> str:
        if s["agreement"] is None:
            return f"no agreement ({when}, {s['n_offers']} offers)"
        u = ", ".join(f"{x:.4f}" for x in s["utilities"])
        return f"agreement ({u}) in {when} after {s['n_offers']} offers"

    both = [nm["agreement"] is not None, bs["agreement"] is not None]
    same = (
        both[0] == both[1]
        and (not both[0] or same_point(nm["utilities"], [bs["utilities"]]))
        and nm["step"] == bs["round"]
    )
    detail = (
        f"NegMAS: {describe(nm, 'step ' + str(nm['step']))}; "
        f"burdenshare: {describe(bs, 'round ' + str(bs['round']))}"
    )
    if same:
        return Finding(name, "session", "agree", "", detail)
    return Finding(name, "session", "explained", "session-rules", detail)


def native_check(
    name: str, domain: GeniusDomain, nm: dict[str, Any], genius_points: int
) -> tuple[dict[str, Any], list[Finding]]:
    """NegMAS's native frontier against burdenshare's DP on the same raw tables; README values."""
    native = nm["native"]
    bias = nm["bias"]
    raw = raw_tables(domain, bias)
    front = additive_frontier(raw)
    cmp = compare_frontiers(name, "native frontier", points(front), np.array(native["frontier"]))
    findings = [cmp.pop("finding")]
    if cmp["negmas"] != genius_points:
        key = "raw-points"
        tops = "; ".join(
            f"{p.name}: {sorted({max(v.values()) for v in p.raw_evaluations.values()})}"
            for p in domain.profiles
        )
        detail = (
            f"NegMAS native {cmp['negmas']} points, burdenshare on NegMAS's raw tables "
            f"{cmp['burdenshare']}, both on the GENIUS scale {genius_points} (largest "
            f"evaluation of each issue, by profile: {tops})"
        )
        ok = findings[0].status != "UNEXPLAINED"
        findings.append(
            Finding(
                name,
                "native vs GENIUS scale",
                "explained" if ok else "UNEXPLAINED",
                key if ok else "",
                detail,
            )
        )
    if any(bias):
        detail = f"bias {bias} folded by remove_dummy_issues(); dummy issues {nm['dummy_issues']}"
        findings.append(Finding(name, "dummy issue", "explained", "dummy-issue", detail))
    out: dict[str, Any] = {"frontier": cmp, "bias": bias, "stats": native["stats"]}
    stats = native["stats"]
    if "pareto_points" in stats:
        # normalize(): common scale 1 / (MX - MN) over both ufuns, each shifted so its max is 1
        lo = [sum(float(t.min()) for t in p) for p in raw]
        hi = [sum(float(t.max()) for t in p) for p in raw]
        span = max(hi) - min(lo)
        loaded = native["reserved"]
        predicted = [1.0 - (hi[i] - loaded[i]) / span for i in range(2)]
        out["reserved_after_normalize"] = {
            "loaded": loaded,
            "negmas": stats["reserved"],
            "predicted": predicted,
        }
        if max(abs(a - b) for a, b in zip(predicted, stats["reserved"], strict=True)) > 1e-9:
            findings.append(
                Finding(
                    name,
                    "normalize() reservations",
                    "UNEXPLAINED",
                    "",
                    f"{stats['reserved']} vs predicted {predicted}",
                )
            )
    if name in README:
        out["readme"], more = readme_check(name, nm, stats, native)
        findings += more
    return out, findings


def readme_check(
    name: str, nm: dict[str, Any], stats: dict[str, Any], native: dict[str, Any]
) -> tuple[dict[str, Any], list[Finding]]:
    n, pareto, opp, nash = README[name]
    got_pareto = stats.get("pareto_points", len(native["frontier"]))
    got = {
        "outcomes": nm["n_outcomes"],
        "pareto_points": got_pareto,
        "opposition": stats.get("opposition"),
        "nash": stats.get("nash", [None])[0] if stats.get("nash") else None,
    }
    ref = {"outcomes": n, "pareto_points": pareto, "opposition": opp, "nash": nash}
    findings = []
    for key in ref:
        want, have = ref[key], got[key]
        if want is None or have is None:
            continue
        if key == "nash":
            digits = [len(str(x).split(".")[1]) for x in want]
            gaps = [abs(h - w) * 10**k for h, w, k in zip(have, want, digits, strict=True)]
            fine, near_ok = max(gaps) <= 0.5 + 1e-9, max(gaps) <= 1.0 + 1e-9
        elif key == "opposition":
            fine = abs(have - want) <= 0.0005 + 1e-12
            near_ok = abs(have - want) <= 0.001 + 1e-12
        else:
            fine = near_ok = have == want
        item = f"README {key}"
        if fine:
            findings.append(Finding(name, item, "agree", "", f"{have} (README {want})"))
        elif near_ok:
            findings.append(
                Finding(name, item, "explained", "readme-rounding", f"{have} (README {want})")
            )
        else:
            findings.append(Finding(name, item, "UNEXPLAINED", "", f"{have} (README {want})"))
    return {"readme": ref, "negmas_now": got}, findings


def tb_findings(name: str, tb: dict[str, Any]) -> list[Finding]:
    """One finding summing up the pairs (each pair's is in the JSON), and one per pair explained
    by something other than the main explanation (so that its evidence is listed under its key)."""
    cells = [(p["labels"], p) for p in tb["pairs"]]
    n = {s: sum(c["status"] == s for _, c in cells) for s in ("agree", "explained", "UNEXPLAINED")}
    keys: dict[str, int] = {}
    for _, c in cells:
        if c["status"] == "explained":
            keys[c["key"]] = keys.get(c["key"], 0) + 1
    main = max(keys, key=lambda k: keys[k]) if keys else ""
    detail = (
        f"{len(cells)} pairs: {n['agree']} agree, {n['explained']} explained"
        f" ({', '.join(f'{k} {v}' for k, v in sorted(keys.items())) or '-'}),"
        f" {n['UNEXPLAINED']} unexplained"
    )
    item = "GENIUS agents"
    if n["UNEXPLAINED"]:
        out = [Finding(name, item, "UNEXPLAINED", "", detail)]
    elif n["explained"]:
        out = [Finding(name, item, "explained", main, detail)]
    else:
        out = [Finding(name, item, "agree", "", detail)]
    for (a, b), c in cells:
        if c["status"] == "explained" and c["key"] != main:
            out.append(Finding(name, f"{item}: {a} v {b}", "explained", c["key"], c["detail"]))
        elif c["status"] == "UNEXPLAINED":
            out.append(Finding(name, f"{item}: {a} v {b}", "UNEXPLAINED", "", c["detail"]))
    return out


def crosscheck(name: str, steps: int, slow: bool, tb: bool = True) -> dict[str, Any]:
    """Run NegMAS's side in its virtualenv, burdenshare's here, and compare."""
    folder = DATA / name
    args = [str(folder), "--steps", str(steps), "--native"]
    if slow:
        args.append("--slow")
    nm = run_child(NEGMAS_PYTHON, "crosscheck_negmas_side.py", args, fresh_numba_cache=False)
    domain = load_genius(folder)
    if [p.name for p in domain.profiles] != nm["profiles"]:
        raise SystemExit(
            f"{name}: profiles {[p.name for p in domain.profiles]} vs {nm['profiles']}"
        )
    tables = utility_tables(domain)
    r = [p.reservation or 0.0 for p in domain.profiles[:2]]
    g = nm["genius"]
    findings = [check_parsed(name, domain, nm)]

    bs_front_s, front = median_time(lambda: additive_frontier(tables))
    bs_nash_s, _ = median_time(lambda: frontier_solutions(front, r))
    cmp = compare_frontiers(name, "frontier", points(front), np.array(g["frontier"]))
    findings.append(cmp.pop("finding"))
    pts = points(front)
    rational_bs = pts[np.all(pts >= np.array(r), axis=1)]
    rcmp = compare_frontiers(
        name, "rational frontier", rational_bs, np.array(g["rational_frontier"])
    )
    rfind = rcmp.pop("finding")
    if rfind.status == "agree" and len(rational_bs) != len(pts):
        rfind = dataclasses.replace(
            rfind,
            status="explained",
            key="rational-frontier",
            detail=f"NegMAS's default frontier {rcmp['negmas']} points = burdenshare's "
            f"{len(pts)} filtered by u >= r = {r}",
        )
    findings.append(rfind)
    sol, more = solutions(name, front, r, g)
    findings += more
    opp, f_opp = opposition_check(name, tables, front, r, g)
    findings.append(f_opp)
    out: dict[str, Any] = {
        "domain": name,
        "negmas_version": nm["negmas"],
        "format": nm["format"],
        "outcomes": front.n_outcomes,
        "negmas_outcomes": nm["n_outcomes"],
        "profiles": nm["profiles"],
        "frontier": cmp,
        "rational_frontier": rcmp,
        "solutions": sol,
        "opposition": opp,
        "timings": {
            "burdenshare_frontier_s": bs_front_s,
            "burdenshare_nash_s": bs_nash_s,
            "negmas_frontier_s": g["frontier_s"],
            "negmas_nash_s": g["nash_s"],
            "negmas_opposition_s": g["opposition_s"],
            "negmas_calc_stats_s": nm["native"]["stats"].get("seconds"),
        },
    }
    if "session" in nm:
        bs = bs_session(domain, tables, steps)
        acc = acceptance(bs, nm["session"], steps, r)
        out["session"] = {"negmas": nm["session"], "burdenshare": bs, "acceptance": acc}
        findings.append(session_check(name, domain, tables, bs, nm["session"], acc))
    out["native"], more = native_check(name, domain, nm, len(front))
    findings += more
    if tb:
        out["tb"] = crosscheck_tb(name, folder, domain, steps)
        findings += tb_findings(name, out["tb"])
    out["findings"] = [dataclasses.asdict(f) for f in findings]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, help="write every figure to this file")
    ap.add_argument("--report", type=Path, help="write the markdown report to this file")
    ap.add_argument("--domains", nargs="*", help="domain folders (default: all enumerable)")
    ap.add_argument("--steps", type=int, default=100, help="session length (steps = rounds)")
    ap.add_argument("--slow", action="store_true", help="NegMAS's calc_stats() on AMPOvsCity")
    ap.add_argument("--no-tb", action="store_true", help="skip part e (the GENIUS-style agents)")
    a = ap.parse_args()
    if not NEGMAS_PYTHON.exists():
        raise SystemExit("no benchmarks/.venv-negmas: run `make -C benchmarks negmas-venv` first")
    names = a.domains or sorted(p.name for p in DATA.iterdir() if p.is_dir())
    start = time.perf_counter()
    results, skipped = [], {}
    for name in names:
        if name in SKIPPED:
            skipped[name] = SKIPPED[name]
            continue
        t0 = time.perf_counter()
        results.append(crosscheck(name, a.steps, a.slow, tb=not a.no_tb))
        print(f"{name}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    negmas = results[0]["negmas_version"] if results else None
    doc = {
        "machine": machine(),
        "negmas": negmas,
        "command": " ".join(["benchmarks/crosscheck.py", *sys.argv[1:]]).replace(f"{ROOT}/", ""),
        "slow": a.slow,
        "tolerance": TOL,
        "steps": a.steps,
        "seconds": time.perf_counter() - start,
        "skipped": skipped,
        "explained": EXPLAINED,
        "domains": results,
    }
    print(table(doc))
    if a.json:
        a.json.write_text(json.dumps(doc, indent=1, default=float) + "\n")
    if a.report:
        a.report.write_text(render(doc))
    bad = [f for r in results for f in r["findings"] if f["status"] == "UNEXPLAINED"]
    for f in bad:
        print(f"UNEXPLAINED difference: {f['domain']} {f['item']}: {f['detail']}", file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
