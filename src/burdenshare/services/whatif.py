"""What-if analysis for the dashboard: change a few key parameters, rerun a whole ensemble.

The web page (and anyone else) calls three functions here:

- :func:`key_parameters` lists the sliders worth showing for a scenario (asks and offers,
  reservation beliefs, discount factors, breakdown risk, deadline, election dates), each with its
  range, step and current value;
- :func:`whatif` applies changes to the scenario, runs an ensemble of sessions (100,000 by
  default, in well under a second on the batch engine) and returns a JSON-ready summary: the zone
  of agreement, P(deal) with its standard error, P(deal by each date), the settlement quantiles
  and a histogram in every currency, the causes of failure and the time taken;
- :func:`replay` runs one session of the same (changed) scenario and returns its transcript,
  offer by offer.

Changes are keyed by field path, the names that
:func:`burdenshare.ensemble.sampling.uncertain_parameters` uses
(``parties.US.utility.contribution.ideal``, ``parties.ROK.utility.contribution.reservation``,
``parties.US.discount_per_round``, ``protocol.breakdown_risk_per_round``), plus three kinds of
dates (an ISO date): ``protocol.deadline``, ``protocol.events.<k>.date`` and a party's believed
deadline ``parties.<name>.deadline_belief`` (when the scenario writes it as a date or leaves it
out; a distribution of days is swept by :mod:`burdenshare.services.whatif_deadlines`).
Each is checked against the range the scenario schema allows; a value outside it is a
:class:`~burdenshare.errors.ScenarioError` naming the field (the web layer answers 422).

A changed value that is a *distribution* in the scenario
------------------------------------------------------------
A scenario may give a belief as a distribution (the US walk-away point as
``{triangular: [1090.8, 1350, 2500]}``). A slider shows its central value (the mean), and moving
the slider to ``v`` can mean two things. ``uncertain="shift"`` (the default) moves the whole
distribution by ``v - mean``: the spread of the belief is kept, its mean becomes ``v``, and
leaving the slider where it was reproduces the unchanged ensemble exactly. Draws that the shift
pushes past a hard limit (the issue's range, the party's own ideal, a probability's bounds) are
clipped to that limit and the share clipped is reported, so the realised mean can differ
slightly from ``v`` near a limit. ``uncertain="fix"`` replaces the distribution by the fixed
number ``v``: no uncertainty is left in that parameter. Fixed-number parameters are simply set.

>>> result = whatif("split-the-pie", {"parties.A.discount_per_round": 0.8}, n=1000)
>>> result["p_agreement"]["estimate"], result["changes"][0]["mode"]
(1.0, 'set')
>>> whatif("split-the-pie", {"parties.A.discount_per_round": 1.5}, n=10)
Traceback (most recent call last):
...
burdenshare.errors.ScenarioError: parties.A.discount_per_round: out of range (got 1.5; ...
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from burdenshare.jsonsafe import finite
from burdenshare.scenario.distributions import central
from burdenshare.scenario.io import LoadedScenario
from burdenshare.scenario.scenario import Scenario
from burdenshare.services.whatif_changes import (
    Applied,
    UncertainMode,
    _bad,
    _direction,
    _display,
    _fields,
    apply_changes,
    resolve,
)
from burdenshare.services.whatif_sliders import key_parameters

__all__ = [
    "MAX_SESSIONS",
    "SESSION_BY_SESSION_MAX",
    "UncertainMode",
    "apply_changes",
    "describe",
    "key_parameters",
    "replay",
    "resolve",
    "store_run",
    "whatif",
]

#: the most sessions one what-if may ask for
MAX_SESSIONS = 1_000_000
#: the most sessions run when the negotiators or the scenario need the one-session protocol
#: (about 6 ms a session) instead of the compiled kernel
SESSION_BY_SESSION_MAX = 200
#: bins of the settlement histogram
HISTOGRAM_BINS = 40


FloatArray = npt.NDArray[np.float64]


# -- the scenario to work on ------------------------------------------------------------------


def describe(loaded: LoadedScenario) -> dict[str, Any]:
    """What ``burdenshare validate --json`` says about a scenario (same keys), plus its money
    unit and the sliders :func:`key_parameters` proposes.

    >>> d = describe(resolve("us-rok-sma-2019"))
    >>> d["valid"], d["parties"], d["money"]["fx"]
    (True, ['US', 'ROK'], {'USD': 1126.0})
    """
    from burdenshare.ensemble.sampling import uncertain_parameters

    sc = loaded.scenario
    fields = list(uncertain_parameters(sc))
    return {
        "valid": True,
        "source": loaded.source,
        "id": sc.id,
        "title": sc.title,
        "as_of": sc.as_of.isoformat(),
        "sha256": loaded.sha256,
        "issues": sc.issue_ids,
        "parties": list(sc.parties),
        "rounds": len(sc.protocol.round_dates()),
        "uncertain_parameters": len(fields),
        "uncertain_fields": fields,
        "description": sc.description,
        "money": {
            "unit": sc.money.unit,
            "scale": sc.money.scale,
            "multiplier": sc.money.multiplier,
            "fx": dict(sc.money.fx),
        },
        "parameters": key_parameters(sc),
    }


# -- the numbers a what-if may change ---------------------------------------------------------


def _affected(sc: Scenario, applied: Sequence[Applied]) -> set[str]:
    """The sampled paths whose draws a change may push past a limit (and so get clipped)."""
    out = {a.path for a in applied if a.mode != "date"}
    for a in applied:
        parts = a.path.split(".")
        if a.path.startswith("parties.") and parts[-1] == "ideal":
            pname, iid = parts[1], parts[3]
            out.add(f"parties.{pname}.utility.{iid}.reservation")
            for k, ev in enumerate(sc.protocol.events):
                if ev.party == pname:
                    out.add(f"protocol.events.{k}.effects.reservation.{iid}")
    return out


def _draws(
    sc: Scenario, affected: set[str], n: int, seed: int, start: int = 0, stop: int | None = None
) -> tuple[dict[str, FloatArray], dict[str, float]]:
    """The sampled parameters of sessions ``[start, stop)``, clipped where a change pushed them
    past a hard limit; and the share clipped per path."""
    from burdenshare.ensemble.sampling import draw, uncertain_parameters

    draws = draw(uncertain_parameters(sc), n, seed=seed, start=start, stop=stop)
    fields = _fields(sc)
    clipped: dict[str, float] = {}
    for path in [p for p in draws if p in affected and p in fields]:
        f = fields[path]
        before = draws[path]
        after = f.clip(before)
        if f.role == "reservation" and f.issue is not None and f.party is not None:
            up = _direction(sc, f.party, f.issue) > 0
            ideal_path = f"parties.{f.party}.utility.{f.issue}.ideal"
            ideal = draws.get(ideal_path)
            if ideal is None:
                ideal = np.full(after.shape, central(fields[ideal_path].value))
            eps = 1e-9 * (f.hi - f.lo)
            after = np.minimum(after, ideal - eps) if up else np.maximum(after, ideal + eps)
        changed = after != before
        if after.size:
            clipped[path] = float(np.count_nonzero(changed) / after.size)
        draws[path] = np.asarray(after, dtype=np.float64)
    return draws, clipped


def _names(negotiators: Sequence[str] | None) -> tuple[str, ...]:
    """The negotiator names given (``()`` for none), checked to be strings; :func:`_cast` checks
    their count against the scenario's parties, then each name."""
    names = tuple(negotiators) if negotiators else ()
    if not all(isinstance(x, str) for x in names):
        raise _bad(
            "negotiators",
            "give one negotiator name, or one per party",
            list(names),
            "one name for every party, or one per party in the scenario's listing order",
        )
    return tuple(str(x) for x in names)


def _cast(names: Sequence[str], sc: Scenario) -> tuple[str, ...]:
    """One negotiator name per party of ``sc`` in listing order, from ``names`` (one for every
    party, or one per party; none: the default negotiators, for more than two parties the first
    of them for every party). A count that fits neither is refused before any name is looked at
    (field ``negotiators``), then an unknown name (field ``negotiators.K``).

    >>> from burdenshare.services.whatif_changes import resolve
    >>> _cast(["linear"], resolve("us-japan-rok-trilateral").scenario)
    ('linear', 'linear', 'linear')
    """
    from burdenshare.negotiation import make_negotiator
    from burdenshare.services.core import _per_party

    parties = len(sc.party_names)
    if names and len(names) not in (1, parties):
        if parties == 2:
            raise _bad(
                "negotiators",
                "give one negotiator name or two",
                list(names),
                "one name for both parties, or [first party's, second party's]",
            )
        raise _bad(
            "negotiators",
            f"give one negotiator name or {parties} (one per party)",
            list(names),
            f"one name for all {parties} parties, or one per party in the scenario's listing order",
        )
    for k, name in enumerate(names):
        try:
            make_negotiator(name)
        except Exception as exc:
            raise _bad(f"negotiators.{k}", str(exc), name, "a known negotiator") from None
    return _per_party(names, parties)  # the default cast, or one name for every party


def _sessions_cut(ran: int, requested: int) -> dict[str, Any] | None:
    """Why a what-if ran fewer sessions than requested, or ``None`` when it ran them all.

    Negotiators or scenarios the compiled kernel cannot run go through the one-session protocol
    (about 6 ms a session), so a what-if runs at most :data:`SESSION_BY_SESSION_MAX` of them.

    >>> _sessions_cut(200, 100_000)["reason"]
    '... session by session (about 6 ms each), so 200 of the 100,000 requested sessions ran ...'
    >>> _sessions_cut(5_000, 5_000) is None
    True
    """
    if ran >= requested:
        return None
    return {
        "ran": ran,
        "requested": requested,
        "limit": SESSION_BY_SESSION_MAX,
        "reason": (
            f"these negotiators (or this scenario) run session by session (about 6 ms each), "
            f"so {ran:,} of the {requested:,} requested sessions ran (at most "
            f"{SESSION_BY_SESSION_MAX:,} per what-if); use a time-dependent negotiator for large "
            f"ensembles"
        ),
    }


def _check_count(name: str, value: object, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise _bad(name, "out of range", value, f"a whole number from {lo:,} to {hi:,}")
    return value


def whatif(
    scenario: str | LoadedScenario | Scenario,
    changes: Mapping[str, float | str] | None = None,
    *,
    n: int = 100_000,
    seed: int = 0,
    negotiators: Sequence[str] | None = None,
    uncertain: UncertainMode = "shift",
    fmt: str = "yaml",
) -> dict[str, Any]:
    """Apply ``changes`` to a scenario (bundled name, scenario text or object) and run an
    ensemble of ``n`` sessions; a JSON-ready summary (NaN written as ``None``).

    Keys: ``scenario``, ``n_sessions``, ``n_requested``, ``sessions_cut`` (``None``, or why
    fewer sessions than requested ran: ``ran``, ``requested``, ``limit``, ``reason``; see
    :func:`_sessions_cut`), ``seed``, ``negotiators``,
    ``uncertain``, ``changes``, ``zopa`` (``scenario_zopa`` at the central values, as in
    ``analyze --json``), ``positions`` (ideals and walk-away points per issue, for a number
    line), ``p_agreement``, ``p_agreement_by_deadline``, ``p_agreement_by_date``, ``outcomes``,
    ``failure_causes``, ``settlement`` (per numeric issue: mean, quantiles and a ``histogram``
    with ``edges``, ``counts`` and ``currency_edges``), ``time_to_agreement``,
    ``example_sessions`` (the first session of each outcome, to replay), ``vectorised``,
    ``note``, ``timings`` and ``elapsed_seconds``.

    >>> r = whatif("us-rok-sma-2019", n=2000)
    >>> sorted(r["settlement"]["contribution"]["histogram"])
    ['counts', 'currency_edges', 'edges']
    >>> moved = whatif("us-rok-sma-2019",
    ...                {"parties.US.utility.contribution.reservation": 1150}, n=2000)
    >>> moved["p_agreement"]["estimate"] > r["p_agreement"]["estimate"]
    True
    """
    from burdenshare.analysis import bargaining_problem, scenario_zopa
    from burdenshare.engine import OUTCOMES, run_batch
    from burdenshare.ensemble.accumulate import Accumulator, chunk_stats
    from burdenshare.ensemble.summary import summarise

    t0 = time.perf_counter()
    requested = _check_count("n", n, 1, MAX_SESSIONS)
    seed = _check_count("seed", seed, 0, 2**63 - 1)
    names = _names(negotiators)
    loaded = resolve(scenario, fmt=fmt)
    pair = _cast(names, loaded.scenario)
    sc, applied = apply_changes(loaded.scenario, changes or {}, uncertain=uncertain)
    affected = _affected(sc, applied)
    timings: dict[str, float] = {}

    n_run = requested if _vectorised(sc, pair, seed) else min(requested, SESSION_BY_SESSION_MAX)
    cut = _sessions_cut(n_run, requested)
    note = "" if cut is None else cut["reason"]
    t = time.perf_counter()
    draws, clipped = _draws(sc, affected, n_run, seed)
    timings["draw"] = time.perf_counter() - t
    t = time.perf_counter()
    batch = run_batch(sc, list(pair), draws, seed=seed, n=n_run)
    timings["engine"] = time.perf_counter() - t

    t = time.perf_counter()
    dates = sc.protocol.round_dates()
    agreed = batch.agreed
    quantities: dict[str, FloatArray] = {}
    for iid in sc.issue_ids:
        v = np.where(agreed, np.nan_to_num(batch.values[iid]), 0.0)
        quantities[f"value.{iid}"] = v
        quantities[f"value2.{iid}"] = v * v
    for p in sc.party_names:
        d = np.asarray(batch.discounted[p], dtype=np.float64)
        quantities[f"discounted.{p}"] = d
        quantities[f"discounted2.{p}"] = d * d
    acc = Accumulator(n=n_run, n_rounds=len(dates), quantities=list(quantities))
    acc.add(chunk_stats(0, n_run, batch.outcome, batch.round, quantities, len(dates)))
    settlements = {iid: batch.values[iid][agreed] for iid in sc.issue_ids}
    summary = summarise(sc, acc, settlements, dates)
    for iid, block in summary["settlement"].items():
        block["histogram"] = _histogram(sc, iid, settlements[iid])
    timings["summary"] = time.perf_counter() - t

    t = time.perf_counter()
    zopa = scenario_zopa(bargaining_problem(sc)).to_dict(sc)
    timings["zopa"] = time.perf_counter() - t

    examples: dict[str, int | None] = {}
    for code, name in enumerate(OUTCOMES):
        hits = np.flatnonzero(batch.outcome == code)
        examples[name] = int(hits[0]) if hits.size else None
    out = {
        "scenario": {
            "id": sc.id,
            "title": sc.title,
            "source": loaded.source,
            "sha256": loaded.sha256,
            "money": {"unit": sc.money.unit, "scale": sc.money.scale, "fx": dict(sc.money.fx)},
        },
        "n_sessions": n_run,
        "n_requested": requested,
        "sessions_cut": cut,
        "seed": seed,
        "negotiators": list(pair),
        "uncertain": uncertain,
        "changes": [a.to_dict(sc, clipped) for a in applied],
        "zopa": zopa,
        "positions": _positions(sc),
        **summary,
        "example_sessions": examples,
        "vectorised": bool(batch.vectorised),
        "note": note,
        "timings": timings,
        "elapsed_seconds": time.perf_counter() - t0,
    }
    return dict(finite(out))


def _histogram(sc: Scenario, iid: str, values: FloatArray) -> dict[str, Any]:
    issue = sc.issue(iid)
    vals = values[np.isfinite(values)]
    if vals.size == 0:
        return {"edges": [], "counts": [], "currency_edges": {}}
    lo, hi = float(vals.min()), float(vals.max())
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    counts, edges = np.histogram(vals, bins=HISTOGRAM_BINS, range=(lo, hi))
    currency: dict[str, list[float]] = {}
    if issue.is_money:
        for cur in [sc.money.unit, *sc.money.fx]:
            currency[cur] = [sc.money.as_dict(float(e))[cur] for e in edges]
    return {
        "edges": [float(e) for e in edges],
        "counts": [int(c) for c in counts],
        "currency_edges": currency,
    }


def _positions(sc: Scenario) -> dict[str, Any]:
    """Per numeric issue: its range and each party's ideal and walk-away point (central
    values), for drawing the zone of agreement on a number line."""
    out: dict[str, Any] = {}
    for issue in sc.issues:
        if issue.kind == "categorical" or issue.range is None:
            continue
        parties: dict[str, Any] = {}
        for pname, party in sc.parties.items():
            u = party.utility[issue.id]
            if u.ideal is None or isinstance(u.ideal, str):
                continue
            up = _direction(sc, pname, issue.id) > 0
            res = u.reservation
            r = (
                central(res)
                if res is not None and not isinstance(res, str)
                else issue.range[0 if up else 1]
            )
            i = central(u.ideal)
            parties[pname] = {
                "ideal": i,
                "reservation": r,
                "prefers": "higher" if up else "lower",
                "display": {
                    "ideal": sc.format_value(issue.id, i),
                    "reservation": sc.format_value(issue.id, r),
                },
            }
            rat = party.ratification
            thr = rat.approval_threshold if rat is not None else None
            if (
                rat is not None
                and (rat.issue or sc.issues[0].id) == issue.id
                and thr is not None
                and not isinstance(thr, str)
            ):
                parties[pname]["ratification"] = central(thr)
        out[issue.id] = {
            "range": list(issue.range),
            "unit": sc.money.unit if issue.is_money else issue.unit,
            "money": issue.is_money,
            "parties": parties,
        }
    return out


def _vectorised(sc: Scenario, pair: Sequence[str], seed: int) -> bool:
    """Whether the compiled kernel runs these negotiators on this scenario (a one-session
    probe; the fallback runs the one-session protocol, about 6 ms a session)."""
    from burdenshare.engine import run_batch

    probe, _ = _draws(sc, set(), 1, seed)
    return bool(run_batch(sc, list(pair), probe, seed=seed, n=1).vectorised)


def store_run(
    scenario: str | LoadedScenario | Scenario,
    *,
    n: int = 100_000,
    seed: int = 0,
    negotiators: Sequence[str] | None = None,
    fmt: str = "yaml",
    store: str | Path | None = None,
) -> dict[str, Any]:
    """Run an ensemble of the scenario as written (bundled name or text) and record it in the
    run store; ``ensemble --json``'s keys (``run``, ``summary``), NaN written as ``None``.

    Ensembles that need the one-session protocol are limited to
    ``10 * SESSION_BY_SESSION_MAX`` sessions (a what-if page should not start a ten-minute job).
    """
    from burdenshare.ensemble import run_ensemble
    from burdenshare.store import RunStore

    requested = _check_count("n", n, 1, MAX_SESSIONS)
    seed = _check_count("seed", seed, 0, 2**63 - 1)
    names = _names(negotiators)
    loaded = resolve(scenario, fmt=fmt)
    pair = _cast(names, loaded.scenario)
    if isinstance(scenario, Scenario) or not loaded.text:
        raise _bad("scenario", "a stored run needs the scenario's text", scenario, "a name or text")
    limit = 10 * SESSION_BY_SESSION_MAX
    if requested > limit and not _vectorised(loaded.scenario, pair, seed):
        raise _bad(
            "n",
            "these negotiators (or this scenario) run session by session; too many sessions",
            requested,
            f"at most {limit:,} sessions, or a time-dependent negotiator",
        )
    with RunStore.open(store) as st:
        result = run_ensemble(loaded, n=requested, seed=seed, negotiators=pair, store=st)
    return dict(finite(result.to_dict()))


# -- one session, offer by offer --------------------------------------------------------------


def replay(
    scenario: str | LoadedScenario | Scenario,
    negotiators: Sequence[str] | None = None,
    seed: int = 0,
    *,
    changes: Mapping[str, float | str] | None = None,
    uncertain: UncertainMode = "shift",
    session: int | None = None,
    n: int = 100_000,
    fmt: str = "yaml",
) -> dict[str, Any]:
    """One session of the (changed) scenario, offer by offer: ``simulate --json``'s keys.

    With ``session=None`` the parties hold the central values of every belief (as in
    ``burdenshare simulate``); with ``session=i`` it replays session ``i`` of the ``n``-session
    what-if ensemble with the same seed: the same sampled beliefs and the same breakdown draw,
    so the same outcome.

    >>> r = replay("split-the-pie", ["linear", "linear"])
    >>> r["outcome"], len(r["transcript"]) >= 1
    ('agreement', True)
    """
    from burdenshare.engine.seeding import session_generators
    from burdenshare.negotiation import make_negotiator, run_session

    names = _names(negotiators)
    seed = _check_count("seed", seed, 0, 2**63 - 1)
    loaded = resolve(scenario, fmt=fmt)
    pair = _cast(names, loaded.scenario)
    sc, applied = apply_changes(loaded.scenario, changes or {}, uncertain=uncertain)
    negs = {p: make_negotiator(x) for p, x in zip(sc.party_names, pair, strict=True)}
    if session is None:
        result = run_session(sc, negs, seed=seed)
        sampled: dict[str, float] = {}
    else:
        n = _check_count("n", n, 1, MAX_SESSIONS)
        i = _check_count("session", session, 0, n - 1)
        draws, _ = _draws(sc, _affected(sc, applied), n, seed, start=i, stop=i + 1)
        sampled = {path: float(arr[0]) for path, arr in draws.items()}
        gens = session_generators(seed, n, i, parties=len(negs))
        result = run_session(sc, negs, seed=gens, overrides=sampled)
    data = result.to_dict()
    data["agreement_display"] = (
        None
        if result.agreement is None
        else {iid: sc.format_value(iid, v) for iid, v in result.agreement.items()}
    )
    data["parties"] = list(sc.party_names)
    data["negotiator_names"] = list(pair)
    data["seed"] = seed
    data["session"] = session
    data["sampled"] = {p: {"value": v, "display": _display(sc, p, v)} for p, v in sampled.items()}
    data["changes"] = [x.to_dict(sc, {}) for x in applied]
    return dict(finite(data))
