"""The report service: gather what one HTML report shows, then hand it to :mod:`burdenshare.report`.

:func:`report_data` collects JSON-ready data for one stored run (or for a scenario, after running
and storing an ensemble of it); :func:`build_report` writes the self-contained HTML file and,
optionally, every chart as PNG and SVG. For a stored run nothing expensive is recomputed: the
ensemble's summary and samples are read from the run store, sample sessions are *replayed* from
the stored beliefs and the run's seed, and only the cheap parts (analysis, forecasts, a small
sensitivity analysis) are computed again.
"""

from __future__ import annotations

import contextlib
import copy
import math
import re
import shlex
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from burdenshare import __version__
from burdenshare.errors import ForecastError, ScenarioError, SimulationError, StoreError
from burdenshare.jsonsafe import finite
from burdenshare.scenario.distributions import Distribution, central
from burdenshare.scenario.library import bundled_names, bundled_path
from burdenshare.scenario.scenario import Scenario
from burdenshare.services.combined import run_combined
from burdenshare.services.core import (
    Analysis,
    analyze,
    ensemble,
    forecast,
    sensitivity,
    show_run,
)

__all__ = ["REPORT_FORMAT", "build_report", "is_run_id", "report_data", "write_report"]

#: the version of the data layout :func:`report_data` returns (bumped on incompatible changes)
REPORT_FORMAT = 1

_RUN_ID = re.compile(r"[0-9a-f]{12}")
#: most outcomes drawn in the utility-space chart (a larger grid is thinned evenly)
_MAX_POINTS = 3000
#: sessions scanned for sample sessions to replay
_SCAN_SESSIONS = 200_000


def is_run_id(spec: str | Path) -> bool:
    """True if ``spec`` names a stored run (12 hex digits) rather than a scenario.

    A bundled scenario name or an existing file wins over a run id of the same spelling.

    >>> is_run_id("0123456789ab"), is_run_id("us-rok-sma-2019")
    (True, False)
    """
    text = str(spec)
    if not _RUN_ID.fullmatch(text) or text in bundled_names():
        return False
    return not Path(text).exists()


def build_report(
    spec_or_run_id: str | Path,
    *,
    out: Path,
    store: str | Path | None = None,
    n: int = 100_000,
    seed: int = 0,
    negotiators: Sequence[str] | None = None,
    charts_dir: Path | None = None,
    sensitivity_n: int = 5000,
    sensitivity_n_base: int = 64,
    progress: Callable[[int, int], None] | None = None,
    overwrite: bool = False,
) -> Path:
    """Write the HTML report of a stored run, or of a scenario (running its ensemble first).

    With a scenario, an ensemble of ``n`` sessions (``seed``, ``negotiators``) is run and stored
    in ``store`` as ``burdenshare ensemble`` would; with a run id, ``n``, ``seed`` and
    ``negotiators`` are those of the run and the arguments are ignored. ``charts_dir``, if
    given, also receives every chart as ``<chart>.png`` and ``<chart>.svg``. Existing files are
    refused before anything runs unless ``overwrite``. Returns ``out``.
    """
    check_report_outputs(out, charts_dir, overwrite=overwrite)
    data = report_data(
        spec_or_run_id,
        store=store,
        n=n,
        seed=seed,
        negotiators=negotiators,
        sensitivity_n=sensitivity_n,
        sensitivity_n_base=sensitivity_n_base,
        progress=progress,
    )
    return Path(write_report(data, out=out, charts_dir=charts_dir, overwrite=overwrite)["path"])


def check_report_outputs(out: Path, charts_dir: Path | None, *, overwrite: bool) -> None:
    """Refuse (exit 2) to replace the report or any chart file unless ``overwrite``; see
    :mod:`burdenshare.services.outputs`."""
    from burdenshare.report.export import chart_paths
    from burdenshare.services.outputs import refuse_existing

    refuse_existing([out], overwrite=overwrite, option="--output")
    if charts_dir is not None:
        refuse_existing(chart_paths(Path(charts_dir)), overwrite=overwrite, option="--charts")


def write_report(
    data: dict[str, Any],
    *,
    out: Path,
    charts_dir: Path | None = None,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Write the report of ``data`` (from :func:`report_data`) to ``out``, and every chart as PNG
    and SVG into ``charts_dir`` if given; existing files are refused unless ``overwrite``.
    Returns ``{"path", "run_id", "charts"}`` (the chart files written, ``[]`` without
    ``charts_dir``), JSON-ready."""
    from burdenshare.report import export_charts, render_charts, write_html

    check_report_outputs(out, charts_dir, overwrite=overwrite)
    figures = render_charts(data)
    try:
        path = write_html(data, Path(out), figures=figures)
    except OSError as exc:
        raise ScenarioError(
            f"cannot write the report: {exc.strerror or exc}",
            field="--output",
            value=str(out),
            has_value=True,
            expected="a file path in a writable directory",
        ) from exc
    charts: list[str] = []
    if charts_dir is not None:
        try:
            written = export_charts(data, Path(charts_dir), figures=figures)
        except OSError as exc:
            raise ScenarioError(
                f"cannot write the charts: {exc.strerror or exc}",
                field="--charts",
                value=str(charts_dir),
                has_value=True,
                expected="a writable directory",
            ) from exc
        charts = [str(p) for p in written]
    return {"path": str(path), "run_id": data["reproduce"]["run_id"], "charts": charts}


def report_data(
    spec_or_run_id: str | Path,
    *,
    store: str | Path | None = None,
    n: int = 100_000,
    seed: int = 0,
    negotiators: Sequence[str] | None = None,
    sensitivity_n: int = 5000,
    sensitivity_n_base: int = 64,
    sample_sessions: int = 3,
    deadline_n: int = 10_000,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Everything the report shows, JSON-ready (NaN written as None); see docs/how-to/report.md.

    Keys: ``format``, ``scenario``, ``issues``, ``parties``, ``provenance``, ``events``,
    ``analysis``, ``positions``, ``utility_space``, ``sessions``, ``ensemble``,
    ``sensitivity``, ``deadline_beliefs`` (``deadline_n`` sessions per believed deadline; 0
    skips it), ``combined`` (the combined forecast, :mod:`burdenshare.services.combined`),
    ``forecasts``, ``hindsight`` (every forecast scored), ``reproduce``.
    """
    given: str | None = None
    if is_run_id(spec_or_run_id):
        record = show_run(str(spec_or_run_id), store)
    else:
        given = str(spec_or_run_id)
        result = ensemble(
            given, n=n, seed=seed, negotiators=negotiators, store=store, progress=progress
        )
        record = show_run(result.run_id, store)
    if record.parameters.get("kind") == "tournament":
        raise StoreError(
            f"run {record.id} is a tournament; reports are written for ensembles. "
            f"See it with `burdenshare runs show {record.id}` or export it with "
            f"`burdenshare runs export {record.id} -o FILE`"
        )
    if record.status != "finished" or record.summary is None:
        raise StoreError(
            f"run {record.id} is {record.status}, not finished: resume it with "
            f"`burdenshare ensemble --resume {record.id}` before writing its report"
        )
    pair = tuple(str(x) for x in record.parameters["negotiators"])  # one per party
    with _scenario_spec(record, given) as (spec, shown):
        analysis = analyze(spec)
        sc = analysis.loaded.scenario
        forecasts, forecast_note = _forecasts(spec, sc)
        sens, sens_note = _sensitivity(
            spec, sc, pair, sensitivity_n, sensitivity_n_base, record.seed
        )
        sweep, sweep_note = _deadline_beliefs(sc, pair, deadline_n, record.seed)
    adict = analysis.to_dict()
    header = {**adict["scenario"], "source": shown or f"run {record.id}"}
    header["sha256"] = record.scenario_sha256
    header["description"] = sc.description
    run = record.header()
    summary = copy.deepcopy(record.summary)
    combined = run_combined(analysis, forecasts, summary, pair)
    data: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "scenario": header,
        "issues": [_issue(sc, i.id) for i in sc.issues],
        "parties": adict["parties"],
        "provenance": [p.model_dump() for p in sc.provenance],
        "events": [
            {
                "date": ev.date.isoformat(),
                "kind": ev.kind,
                "party": ev.party,
                "note": ev.note,
            }
            for ev in sc.protocol.events
        ],
        "analysis": {
            "zopa": adict["zopa"],
            "solutions": list(adict["solutions"].values()),
            "branches": adict.get("branches", []),
        },
        "positions": _positions(analysis, adict),
        "utility_space": _utility_space(analysis, adict),
        "sessions": _sessions(record, sc, pair, store, sample_sessions),
        "ensemble": {
            "run": run,
            "summary": summary,
            "deadline": sc.protocol.deadline.isoformat(),
            "settlement_histograms": _histograms(record, sc, store),
        },
        "sensitivity": sens,
        "sensitivity_note": sens_note,
        "deadline_beliefs": sweep,
        "deadline_beliefs_note": sweep_note,
        "combined": combined,
        "forecasts": forecasts,
        "forecasts_note": forecast_note,
        "hindsight": analysis.hindsight(summary, forecasts=forecasts, combined=combined),
        "reproduce": _reproduce(record, shown, pair),
    }
    clean = finite(data)
    assert isinstance(clean, dict)
    return clean


# -- where the scenario comes from -----------------------------------------------------------


@contextlib.contextmanager
def _scenario_spec(record: Any, given: str | None) -> Iterator[tuple[str, str | None]]:
    """A spec the core services can load for the run's scenario, and the name to show for it.

    The scenario as given, a bundled scenario whose text is the run's, or else the stored text
    written to a temporary file for the duration of the report.
    """
    if given is not None:
        yield given, given
        return
    bundled = _bundled_match(record.scenario_id, record.scenario_sha256)
    if bundled is not None:
        yield bundled, bundled
        return
    fmt = str(record.parameters.get("scenario_format", "yaml"))
    with tempfile.TemporaryDirectory(prefix="burdenshare-report-") as tmp:
        path = Path(tmp) / f"{record.scenario_id}.{fmt}"
        path.write_text(record.scenario_text or "", encoding="utf-8")
        yield str(path), None


def _bundled_match(scenario_id: str, sha256: str) -> str | None:
    """The bundled scenario with this id, if the run was made from exactly its text."""
    import hashlib

    if scenario_id not in bundled_names():
        return None
    text = bundled_path(scenario_id).read_text(encoding="utf-8")
    return scenario_id if hashlib.sha256(text.encode("utf-8")).hexdigest() == sha256 else None


# -- scenario tables ---------------------------------------------------------------------------


def _issue(sc: Scenario, iid: str) -> dict[str, Any]:
    issue = sc.issue(iid)
    return {
        "id": issue.id,
        "kind": issue.kind,
        "unit": "money" if issue.is_money else issue.unit,
        "is_money": issue.is_money,
        "range": list(issue.range) if issue.range is not None else None,
        "range_display": (
            [sc.format_value(iid, issue.range[0]), sc.format_value(iid, issue.range[1])]
            if issue.range is not None
            else None
        ),
        "values": list(issue.values) if issue.values is not None else None,
        "description": issue.description,
    }


def _belief(value: Any, sc: Scenario, iid: str | None) -> dict[str, Any] | None:
    """A distribution for the chart: kind, quantiles and a density curve (None if fixed)."""
    if not isinstance(value, Distribution):
        return None
    q = value.ppf([0.05, 0.5, 0.95])
    out: dict[str, Any] = {
        "kind": value.kind,
        "params": list(value.params),
        "mean": value.central(),
        "q05": float(q[0]),
        "q50": float(q[1]),
        "q95": float(q[2]),
        "density": None,
        "points": None,
    }
    if iid is not None:
        out["display"] = {
            "q05": sc.format_value(iid, float(q[0])),
            "q95": sc.format_value(iid, float(q[2])),
        }
    if value.kind == "choice":
        w = np.asarray(value.weights or [1.0] * len(value.params), dtype=np.float64)
        out["points"] = {"x": list(value.params), "p": (w / w.sum()).tolist()}
        return out
    # density from the inverse CDF: dq/dx between neighbouring quantiles
    qs = np.linspace(0.001, 0.999, 161)
    xs = value.ppf(qs)
    dx = np.diff(xs)
    ok = dx > 0
    mid = (xs[1:] + xs[:-1]) / 2
    dens = np.where(ok, np.diff(qs) / np.where(ok, dx, 1.0), 0.0)
    out["density"] = {"x": mid[ok].tolist(), "y": dens[ok].tolist()}
    return out


def _positions(analysis: Analysis, adict: dict[str, Any]) -> list[dict[str, Any]]:
    """Per numeric issue: each party's ideal, walk-away belief and ratifier, the zone, actors."""
    sc = analysis.loaded.scenario
    zopa = adict["zopa"]["issues"]
    nash = next((s for s in analysis.solutions if s.concept == "nash"), None)
    out = []
    for k, issue in enumerate(sc.issues):
        if issue.kind == "categorical":
            continue
        iid = issue.id
        parties: dict[str, Any] = {}
        for name, party in sc.parties.items():
            summ = adict["parties"][name]["issues"][iid]
            spec = party.utility[iid]
            entry: dict[str, Any] = {
                "ideal": summ["ideal"],
                "ideal_display": summ["display"]["ideal"],
                "ideal_belief": _belief(spec.ideal, sc, iid),
                "reservation": summ["reservation"],
                "reservation_display": summ["display"]["reservation"],
                "reservation_belief": _belief(spec.reservation, sc, iid),
                "ratification": None,
            }
            rat = party.ratification
            rat_summary = adict["parties"][name].get("ratification")
            if rat is not None and rat_summary is not None and rat_summary["issue"] == iid:
                entry["ratification"] = {
                    "body": rat.body,
                    "threshold": rat_summary["threshold"],
                    "display": rat_summary["display"],
                    "belief": _belief(rat.approval_threshold, sc, iid),
                }
            parties[name] = entry
        actors = []
        for actor in sc.actors:
            if (actor.issue or sc.issue_ids[0]) != iid or isinstance(actor.position, str):
                continue
            pos = central(actor.position)
            actors.append(
                {
                    "id": actor.id,
                    "party": actor.party,
                    "position": pos,
                    "display": sc.format_value(iid, pos),
                }
            )
        hindsight = None
        if sc.hindsight is not None and iid in sc.hindsight.values:
            hv = sc.hindsight.values[iid]
            if not isinstance(hv, str):
                hindsight = {"value": float(hv), "display": sc.format_value(iid, float(hv))}
        nash_value = None
        if nash is not None and nash.outcome is not None:
            nv = nash.outcome[iid]
            if not isinstance(nv, str):
                nash_value = {"value": float(nv), "display": sc.format_value(iid, float(nv))}
        assert issue.range is not None
        out.append(
            {
                "issue": iid,
                "index": k,
                "kind": issue.kind,
                "is_money": issue.is_money,
                "unit": issue.unit,
                "range": list(issue.range),
                "parties": parties,
                "zone": zopa[iid]["overlap"],
                "acceptable": zopa[iid]["acceptable"],
                "actors": actors,
                "hindsight": hindsight,
                "nash": nash_value,
            }
        )
    return out


def _utility_space(analysis: Analysis, adict: dict[str, Any]) -> dict[str, Any]:
    """Both parties' utilities of every outcome of the grid, the frontier and the solutions;
    with more than two parties :func:`_utility_profiles`."""
    from burdenshare.solutions import pareto_frontier_2d

    problem = analysis.problem
    if len(problem.names) > 2:
        return _utility_profiles(analysis, adict)
    sc = analysis.loaded.scenario
    u1, u2 = np.asarray(problem.u1), np.asarray(problem.u2)
    acceptable = np.asarray(problem.acceptable)
    found = problem.frontier()
    if found is not None:
        reps = found[1]
        scope = "acceptable"
        f1, f2 = u1[reps], u2[reps]
    else:
        idx = np.asarray(pareto_frontier_2d(u1, u2), dtype=np.int64)
        order = idx[np.argsort(u1[idx], kind="stable")]
        scope = "all"
        f1, f2 = u1[order], u2[order]
    keep = np.arange(u1.size)
    if u1.size > _MAX_POINTS:
        keep = np.unique(np.linspace(0, u1.size - 1, _MAX_POINTS).round().astype(np.int64))
    solutions = [
        {
            "concept": s.concept,
            "label": s.label,
            "u1": s.utilities[problem.names[0]],
            "u2": s.utilities[problem.names[1]],
        }
        for s in analysis.solutions
        if s.agreement and s.utilities is not None
    ]
    hindsight = None
    h = sc.hindsight
    if h is not None and h.outcome == "agreement" and set(sc.issue_ids) <= set(h.values):
        h1, h2 = problem.utilities_at(dict(h.values))[:2]
        hindsight = {"u1": h1, "u2": h2, "date": h.date.isoformat()}
    return {
        "parties": list(problem.names),
        "points": {"u1": _floats(u1[keep]), "u2": _floats(u2[keep])},
        "acceptable": [bool(a) for a in acceptable[keep]],
        "n_outcomes": int(u1.size),
        "n_acceptable": int(acceptable.sum()),
        "frontier": {"u1": _floats(f1), "u2": _floats(f2)},
        "frontier_scope": scope,
        "disagreement": list(problem.disagreement),
        "solutions": solutions,
        "hindsight": hindsight,
    }


def _utility_profiles(analysis: Analysis, adict: dict[str, Any]) -> dict[str, Any]:
    """With more than two parties: each party's utility at each solution, its range over the
    Pareto set of the deals acceptable to all, and its outside option (``multilateral`` True;
    the chart draws a row per party instead of a plane)."""
    problem = analysis.problem
    sc = analysis.loaded.scenario
    names = list(problem.names)
    points = adict.get("pareto_frontier", {}).get("points", [])
    pareto = {
        name: (
            [min(p["utilities"][name] for p in points), max(p["utilities"][name] for p in points)]
            if points
            else None
        )
        for name in names
    }
    solutions = [
        {"concept": s.concept, "label": s.label, "utilities": {n: s.utilities[n] for n in names}}
        for s in analysis.solutions
        if s.agreement and s.utilities is not None
    ]
    hindsight = None
    h = sc.hindsight
    if h is not None and h.outcome == "agreement" and set(sc.issue_ids) <= set(h.values):
        at = problem.utilities_at(dict(h.values))
        hindsight = {"utilities": dict(zip(names, at, strict=True)), "date": h.date.isoformat()}
    return {
        "parties": names,
        "multilateral": True,
        "n_outcomes": int(problem.grid.size),
        "n_acceptable": int(np.asarray(problem.acceptable).sum()),
        "n_pareto": len(points),
        "pareto_range": pareto,
        "disagreement": list(problem.disagreement),
        "solutions": solutions,
        "hindsight": hindsight,
    }


# -- from the run store ------------------------------------------------------------------------


def _agreement_code() -> int:
    from burdenshare.engine import OUTCOMES

    return OUTCOMES.index("agreement")


def _histograms(record: Any, sc: Scenario, store: str | Path | None) -> dict[str, Any]:
    """Counts of the agreed value of every numeric issue, over the sessions that agreed."""
    from burdenshare.store import RunStore

    numeric = [i for i in sc.issues if i.kind != "categorical"]
    cols = [f"value.{i.id}" for i in numeric]
    with RunStore.open(store, read_only=True) as st:
        got = st.samples(record.id, cols, where_equal=("outcome", _agreement_code()))
    out: dict[str, Any] = {}
    for issue in numeric:
        values = np.asarray(got[f"value.{issue.id}"], dtype=np.float64)
        values = values[np.isfinite(values)]
        out[issue.id] = _histogram(values, integer=issue.kind == "integer")
    return out


def _histogram(values: npt.NDArray[np.float64], *, integer: bool) -> dict[str, Any]:
    """Bin edges and counts (integer issues: one bin per whole number)."""
    k = int(values.size)
    if k == 0:
        return {"n": 0, "edges": [], "counts": [], "integer": integer}
    lo, hi = float(values.min()), float(values.max())
    if integer:
        edges = np.arange(math.floor(lo) - 0.5, math.ceil(hi) + 1.0, 1.0)
    elif hi - lo <= 1e-9 * max(1.0, abs(lo)):
        edges = np.array([lo - 0.5, hi + 0.5]) if lo == 0 else np.array([lo * 0.999, hi * 1.001])
        if lo < 0:
            edges = edges[::-1]
    else:
        bins = int(min(60, max(10, round(math.sqrt(k)))))
        edges = np.linspace(lo, hi, bins + 1)
    counts, edges = np.histogram(values, bins=edges)
    return {"n": k, "edges": _floats(edges), "counts": [int(c) for c in counts], "integer": integer}


def _sessions(
    record: Any,
    sc: Scenario,
    pair: tuple[str, ...],
    store: str | Path | None,
    how_many: int,
) -> list[dict[str, Any]]:
    """Replay a few of the run's sessions (the first of each way a session ends).

    Each is played again by the one-session protocol from the beliefs stored for it and the
    run's seed, which the engine contract guarantees gives the stored outcome.
    """
    from burdenshare.engine import OUTCOMES, session_generators
    from burdenshare.negotiation import make_negotiator, run_session
    from burdenshare.store import RunStore

    if how_many <= 0 or record.n_sessions_done == 0:
        return []
    from burdenshare.ensemble import uncertain_parameters

    beliefs = [c for c in uncertain_parameters(sc) if c in record.columns]
    limit = min(record.n_sessions_done, _SCAN_SESSIONS)
    with RunStore.open(store, read_only=True) as st:
        got = st.samples(record.id, ["session", "outcome", "round"], below_session=limit)
        sessions = np.asarray(got["session"], dtype=np.int64)
        outcomes = np.asarray(got["outcome"], dtype=np.int64)
        picked: list[int] = []
        for code in range(len(OUTCOMES)):
            hits = np.flatnonzero(outcomes == code)
            if hits.size:
                picked.append(int(hits[0]))
        picked = sorted(picked)[:how_many]
        stop = int(sessions[picked[-1]]) + 1 if picked else 0
        drawn = st.samples(record.id, beliefs, below_session=stop) if beliefs else {}
    n_planned = int(record.parameters.get("n", record.n_sessions_planned))
    block = int(record.parameters.get("block_size", 65_536))
    out = []
    for row in picked:
        i = int(sessions[row])
        overrides = {name: float(drawn[name][i]) for name in beliefs}
        result = run_session(
            sc,
            {p: make_negotiator(x) for p, x in zip(sc.party_names, pair, strict=True)},
            seed=session_generators(record.seed, n_planned, i, block, parties=len(pair)),
            overrides=overrides,
        )
        stored = OUTCOMES[int(outcomes[row])]
        out.append(
            {
                "session": i,
                "outcome": result.outcome,
                "stored_outcome": stored,
                "matches_run": result.outcome == stored,
                "round": result.round,
                "date": result.date.isoformat(),
                "cause": result.cause,
                "agreement": (
                    None
                    if result.agreement is None
                    else {k: sc.format_value(k, v) for k, v in dict(result.agreement).items()}
                ),
                "beliefs": {name: _belief_display(sc, name, v) for name, v in overrides.items()},
                "offers": [
                    {
                        "round": o.round,
                        "date": o.date.isoformat(),
                        "proposer": o.proposer,
                        "response": o.response.value,
                        "values": dict(o.outcome),
                        "display": dict(o.display),
                    }
                    for o in result.transcript
                ],
            }
        )
    return out


def _belief_display(sc: Scenario, path: str, value: float) -> str:
    """A sampled belief for people: in its issue's unit when the path names one."""
    parts = path.split(".")
    iid: str | None = None
    if len(parts) >= 4 and parts[0] == "parties" and parts[2] == "utility":
        if parts[-1] in ("ideal", "reservation"):
            iid = parts[3]
    elif len(parts) >= 4 and parts[0] == "parties" and parts[2] == "ratification":
        rat = sc.parties[parts[1]].ratification
        if parts[-1] in ("approval_threshold", "belief"):
            iid = (rat.issue if rat is not None else None) or sc.issue_ids[0]
    elif len(parts) >= 3 and parts[0] == "actors" and parts[-1] == "position":
        actor = sc.actors[int(parts[1])] if parts[1].isdigit() else None
        iid = (actor.issue if actor is not None else None) or sc.issue_ids[0]
    if iid is not None and iid in sc.issue_ids and sc.issue(iid).kind != "categorical":
        return sc.format_value(iid, value)
    return f"{value:.4g}"


# -- recomputed parts ------------------------------------------------------------------------


def _forecasts(spec: str, sc: Scenario) -> tuple[dict[str, Any] | None, str]:
    if len(sc.actors) < 2:
        return None, (
            "The scenario lists fewer than two actors, so the multi-actor forecasting models "
            "have nothing to work on."
        )
    try:
        return forecast(spec), ""
    except ForecastError as exc:
        return None, str(exc)


def _deadline_beliefs(
    sc: Scenario, pair: tuple[str, ...], n: int, seed: int
) -> tuple[dict[str, Any] | None, str]:
    """The deadline sweep (:mod:`burdenshare.ensemble.deadline_sweep`), or why there is none."""
    from burdenshare.ensemble.deadline_sweep import deadline_sweep

    if n <= 0:
        return None, "The deadline sweep was not run (0 sessions asked for)."
    try:
        return deadline_sweep(sc, pair, n=n, seed=seed).to_dict(), ""
    except SimulationError as exc:
        return None, str(exc)


def _sensitivity(
    spec: str,
    sc: Scenario,
    pair: tuple[str, ...],
    n: int,
    n_base: int,
    seed: int,
) -> tuple[dict[str, Any] | None, str]:
    try:
        sens = sensitivity(spec, negotiators=list(pair), n=n, n_base=n_base, seed=seed)
    except SimulationError as exc:
        return None, str(exc)
    for row in sens["tornado"]["rows"]:
        row["low_display"] = _belief_display(sc, row["parameter"], row["low_value"])
        row["high_display"] = _belief_display(sc, row["parameter"], row["high_value"])
    sens.pop("describe", None)
    return sens, ""


# -- reproduction ------------------------------------------------------------------------------


def _reproduce(record: Any, shown: str | None, pair: tuple[str, ...]) -> dict[str, Any]:
    p = record.parameters
    scenario = shown if shown is not None else "SCENARIO_FILE"
    method = str(p.get("method", "mc"))
    correlations = [list(c) for c in p.get("correlations", [])]
    precision = p.get("precision")
    plain = method == "mc" and not correlations and precision is None
    words = ["burdenshare", "run" if plain else "ensemble", scenario]
    words += ["-n", str(p.get("n", record.n_sessions_planned)), "--seed", str(record.seed)]
    if len(pair) == 2:
        words += ["-N", pair[0], "-N", pair[1]]
    else:  # one -N for every party when they all play the same, else one per party
        for name in pair[:1] if len(set(pair)) == 1 else pair:
            words += ["-N", name]
    if method != "mc":
        words += ["--method", method]
    for a, b, rho in correlations:
        words += ["--correlate", f"{a},{b},{rho}"]
    if precision is not None:
        words += ["--precision", str(precision)]
    command = " ".join(w if w == scenario and shown is None else shlex.quote(w) for w in words)
    note = ""
    if shown is None:
        note = (
            "The run was made from a scenario file that is not bundled; "
            f"`burdenshare runs export {record.id} -o FILE` writes its text beside the samples "
            "(in FILE.run.json, key scenario_text)."
        )
    return {
        "run_id": record.id,
        "seed": record.seed,
        "version": record.version,
        "report_version": __version__,
        "scenario_id": record.scenario_id,
        "scenario_sha256": record.scenario_sha256,
        "scenario": shown,
        "negotiators": list(pair),
        "n": int(p.get("n", record.n_sessions_planned)),
        "method": method,
        "created_at": record.created_at,
        "command": command,
        "report_command": f"burdenshare report {record.id} -o report.html",
        "note": note,
    }


# -- helpers ---------------------------------------------------------------------------------


def _floats(values: npt.ArrayLike) -> list[float]:
    return [float(v) for v in np.asarray(values, dtype=np.float64)]
