"""Core services: scenario loading, analysis, simulation, ensembles, forecasts, runs.

The CLI and (later) the web app call these functions only; they return frozen records or
JSON-ready dicts and never print.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from burdenshare import __version__
from burdenshare.analysis import (
    BargainingProblem,
    SolutionResult,
    ZopaResult,
    bargaining_problem,
    compare_with_hindsight,
    scenario_solutions,
    scenario_zopa,
)
from burdenshare.analysis.branches import EventWorlds, branch_analyses, choice_notes
from burdenshare.analysis.frontier_points import opposition_entry, pareto_frontier_entries
from burdenshare.analysis.multilateral import (
    MultilateralZone,
    multilateral_opposition,
    multilateral_zone,
    omitted_concepts,
    pareto_entries,
)
from burdenshare.analysis.rules import RulesAnalysis, has_rules, rules_analysis
from burdenshare.errors import BurdenshareError, ForecastError, ScenarioError
from burdenshare.negotiation import DEFAULT_NEGOTIATORS, SessionResult, make_negotiator, run_session
from burdenshare.scenario.io import LoadedScenario, load_scenario, parse_scenario_text
from burdenshare.scenario.library import bundled_names, bundled_path, is_bundled
from burdenshare.scenario.paths import path_kind, read_regular_file
from burdenshare.scenario.scenario import Scenario

if TYPE_CHECKING:
    from burdenshare.ensemble import EnsembleResult
    from burdenshare.store import RunRecord

__all__ = [
    "Analysis",
    "analyze",
    "analyze_any",
    "assumed_branches",
    "backtest_deu3",
    "ensemble",
    "export_run",
    "forecast",
    "list_runs",
    "list_scenarios",
    "load",
    "run_scenario",
    "sensitivity",
    "show_run",
    "simulate",
    "validate",
]


def load(spec: str | Path) -> LoadedScenario:
    """A bundled scenario by name, a scenario file by path, or a GENIUS / GeniusWeb domain
    folder (imported with every profile as a party, as ``burdenshare import-genius`` would).

    Anything else is a :class:`ScenarioError` (exit code 2) saying what the path is: a folder
    that holds no GENIUS domain, a named pipe, a device, a socket, a symlink loop, a missing
    file (:func:`burdenshare.scenario.paths.path_kind`). Nothing but a regular file is opened.
    """
    text = str(spec)
    if is_bundled(text):
        loaded = load_scenario(bundled_path(text))
        return dataclasses.replace(loaded, source=text)
    path = Path(text)
    kind = path_kind(path)
    if kind == "folder":
        if not _holds_genius_domain(path):
            raise ScenarioError(
                "is a folder, not a scenario file, and holds no GENIUS or GeniusWeb domain",
                file=text,
                expected="a scenario file (.yaml, .yml, .json or .toml), a bundled scenario "
                "name, or a folder with one GENIUS domain XML (root <negotiation_template>) "
                "and its profiles",
            )
        from burdenshare.interop import load_genius, to_scenario

        yaml_text, _ = to_scenario(load_genius(path))
        return parse_scenario_text(yaml_text, source=text)
    if kind == "missing" and path.suffix == "" and "/" not in text:
        raise ScenarioError(
            "no bundled scenario or file by that name",
            file=text,
            expected=f"a path or one of {', '.join(bundled_names())}",
        )
    return load_scenario(path)


#: what marks a GENIUS domain file (XML root) or a GeniusWeb one (JSON key), near its start
_GENIUS_MARKERS = {
    ".xml": (b"<negotiation_template", b"<utility_space"),
    ".json": (b'"issuesValues"', b'"LinearAdditiveUtilitySpace"'),
}


def _holds_genius_domain(folder: Path) -> bool:
    """Whether ``folder`` holds a file that looks like part of a GENIUS or GeniusWeb domain
    (read only from regular files, and only their first 64 KiB)."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return False
    for entry in entries:
        markers = _GENIUS_MARKERS.get(entry.suffix.lower())
        if markers is None or not entry.is_file():
            continue
        try:
            head = read_regular_file(entry, 1 << 16, head=True)
        except ScenarioError:
            continue
        if any(m in head for m in markers):
            return True
    return False


def list_scenarios() -> list[dict[str, Any]]:
    """Every bundled scenario: name, title, as-of date."""
    out = []
    for name in bundled_names():
        sc = load(name).scenario
        out.append({"name": name, "title": sc.title, "as_of": sc.as_of.isoformat()})
    return out


def list_negotiators() -> list[dict[str, Any]]:
    """Every negotiator a spec may name: the built-ins, then installed entry-point plug-ins
    (:func:`burdenshare.negotiation.registry.negotiator_catalogue`), JSON-ready."""
    from burdenshare.negotiation.registry import negotiator_catalogue

    return [entry.to_dict() for entry in negotiator_catalogue()]


def validate(spec: str | Path) -> dict[str, Any]:
    """Validate a scenario; return a short description (raises ScenarioError if malformed)."""
    loaded = load(spec)
    sc = loaded.scenario
    return {
        "valid": True,
        "source": loaded.source,
        "id": sc.id,
        "title": sc.title,
        "as_of": sc.as_of.isoformat(),
        "sha256": loaded.sha256,
        "issues": [i.id for i in sc.issues],
        "parties": list(sc.parties),
        "rounds": len(sc.protocol.round_dates()),
        "uncertain_parameters": len(_uncertain_fields(sc)),
        "uncertain_fields": _uncertain_fields(sc),
    }


@dataclass(frozen=True)
class Analysis:
    """ZOPA and every solution concept for one scenario (central values)."""

    loaded: LoadedScenario
    problem: BargainingProblem
    zopa: ZopaResult
    solutions: tuple[SolutionResult, ...]
    #: the analysis in each world of each uncertain event (docs/reference/json.md#branches)
    branches: tuple[EventWorlds, ...] = ()
    #: warnings about the central values used (a choice whose mean is none of its values)
    notes: tuple[str, ...] = ()
    #: with more than two parties: the zone under unanimity and under the decision rule
    zone: MultilateralZone | None = None

    def to_dict(self) -> dict[str, Any]:
        sc = self.loaded.scenario
        out: dict[str, Any] = {
            "scenario": _scenario_header(self.loaded),
            "parties": {p.name: _party_summary(sc, p) for p in self.problem.parties},
            "zopa": self.zopa.to_dict(sc),
            "solutions": {s.concept: s.to_dict(sc) for s in self.solutions},
            "hindsight": self.hindsight(),
        }
        if len(self.problem.parties) > 2:
            out["pareto_frontier"] = pareto_entries(self.problem)
            out["opposition"] = multilateral_opposition(self.problem)
            if self.zone is not None:
                out["zone"] = self.zone.to_dict(sc)
            out["omitted"] = self.omitted()
        else:
            out["pareto_frontier"] = pareto_frontier_entries(self.problem)
            out["opposition"] = opposition_entry(self.problem)
        if self.branches:  # only for scenarios with uncertain events: the rest stay as they were
            out["branches"] = [b.to_dict(sc) for b in self.branches]
        if self.notes:
            out["notes"] = list(self.notes)
        return out

    def omitted(self) -> dict[str, str]:
        """The concepts left out because they need exactly two parties (concept key -> why);
        empty for a bilateral scenario."""
        return omitted_concepts(self.problem) if len(self.problem.parties) > 2 else {}

    def hindsight(
        self,
        ensemble_summary: dict[str, Any] | None = None,
        *,
        forecasts: dict[str, Any] | None = None,
        combined: dict[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """The findings beside what actually happened (None without a hindsight block):
        the zone, the ensemble's timing, and the forecasts of ``forecasts`` (what
        :func:`forecast` returns) and the ``combined`` forecast scored against it."""
        predicted = None
        if forecasts is not None and forecasts.get("issue") == self.loaded.scenario.issues[0].id:
            predicted = {row["model"]: row["outcome"] for row in forecasts["forecasts"]}
        return compare_with_hindsight(
            self.loaded.scenario,
            self.zopa,
            self.solutions,
            ensemble_summary,
            forecasts=predicted,
            combined=combined,
        )


@contextlib.contextmanager
def about(loaded: LoadedScenario) -> Iterator[None]:
    """Name the scenario's file in any error raised while working on it (a model or a solver
    that refuses a valid file says which file; a scenario error keeps its own location)."""
    try:
        yield
    except BurdenshareError as exc:
        located = exc.located(loaded.source)
        if located is exc:
            raise
        raise located from exc


def analyze(spec: str | Path) -> Analysis:
    """Can both sides accept a deal, and where should it land: the zone of agreement and every
    bargaining solution of the scenario (a bundled name, a file or a GENIUS folder)."""
    return _analysis(load(spec))


def _analysis(loaded: LoadedScenario) -> Analysis:
    with about(loaded):
        problem = bargaining_problem(loaded.scenario)
        return Analysis(
            loaded=loaded,
            problem=problem,
            zopa=scenario_zopa(problem),
            solutions=tuple(scenario_solutions(problem)),
            branches=branch_analyses(loaded.scenario),
            notes=choice_notes(loaded.scenario),
            zone=multilateral_zone(problem) if len(problem.parties) > 2 else None,
        )


def analyze_any(spec: str | Path) -> Analysis | RulesAnalysis:
    """:func:`analyze`, or for a scenario with a non-linear party (``utility_rules``) the exact
    analysis of :mod:`burdenshare.analysis.rules`."""
    loaded = load(spec)
    if not has_rules(loaded.scenario):
        return _analysis(loaded)
    with about(loaded):
        result = {"scenario": _scenario_header(loaded), **rules_analysis(loaded.scenario)}
    return RulesAnalysis(loaded=loaded, result=result)


def simulate(
    spec: str | Path, negotiators: Sequence[str] | None = None, seed: int = 0
) -> tuple[LoadedScenario, SessionResult, tuple[str, ...]]:
    """One session under the scenario's protocol with the named negotiators: one name for
    every party, or one per party in listing order. Returns the names per party too."""
    loaded = load(spec)
    names = loaded.scenario.party_names
    cast = _per_party(negotiators, len(names))
    negotiators_by_party = {p: make_negotiator(n) for p, n in zip(names, cast, strict=True)}
    with about(loaded):  # the negotiators' names are checked above: not the file's fault
        result = run_session(loaded.scenario, negotiators_by_party, seed=seed)
    return loaded, result, cast


def assumed_branches(sc: Scenario) -> dict[str, Any]:
    """``{"assumed_branches": [...]}``: the world one session at central values assumes for each
    uncertain event (the most probable; :func:`burdenshare.scenario.events.assumed_worlds`), or
    ``{}`` when the scenario has none (its ``simulate --json`` keeps its keys)."""
    from burdenshare.scenario.events import assumed_worlds

    found = [
        {"event": k, "field": path, "code": w.code, "name": w.name, "probability": w.probability}
        for k, path, w in assumed_worlds(sc.protocol.events)
    ]
    return {"assumed_branches": found} if found else {}


def _pair(negotiators: Sequence[str] | None) -> tuple[str, str]:
    """One negotiator name for both parties, or one per party (first party first)."""
    a, b = _per_party(negotiators, 2)
    return (a, b)


def _per_party(negotiators: Sequence[str] | None, parties: int) -> tuple[str, ...]:
    """One negotiator name per party in listing order, from one name (for every party) or one
    per party; by default :data:`DEFAULT_NEGOTIATORS` with two parties and its first name for
    every party with more.

    >>> _per_party(["linear"], 3), _per_party(["boulware", "hardliner"], 2)
    (('linear', 'linear', 'linear'), ('boulware', 'hardliner'))
    """
    if negotiators:
        names = tuple(str(n) for n in negotiators)
    else:
        names = DEFAULT_NEGOTIATORS if parties == 2 else DEFAULT_NEGOTIATORS[:1]
    if len(names) == 1:
        return names * parties
    if len(names) != parties:
        if parties == 2:
            what = "give one negotiator (for both parties) or two (one per party)"
        else:
            what = (
                f"give one negotiator (for all {parties} parties) or {parties} (one per party, "
                "in the order the scenario lists them)"
            )
        raise ScenarioError(
            f"{what}, got {len(names)}", field="--negotiator", value=list(names), has_value=True
        )
    return names


def _scenario_header(loaded: LoadedScenario) -> dict[str, Any]:
    sc = loaded.scenario
    return {
        "id": sc.id,
        "title": sc.title,
        "as_of": sc.as_of.isoformat(),
        "source": loaded.source,
        "sha256": loaded.sha256,
        "burdenshare_version": __version__,
        "money": {"unit": sc.money.unit, "scale": sc.money.scale, "fx": sc.money.fx},
    }


def _party_summary(sc: Scenario, p: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"discount_per_round": p.discount, "outside_option": p.outside_option}
    issues = {}
    for issue, part in zip(sc.issues, p.utility.parts, strict=True):
        if hasattr(part, "ideal"):
            issues[issue.id] = {
                "ideal": part.ideal,
                "reservation": part.reservation,
                "display": {
                    "ideal": sc.format_value(issue.id, part.ideal),
                    "reservation": sc.format_value(issue.id, part.reservation),
                },
            }
        else:
            issues[issue.id] = {"scores": dict(part.scores), "reservation": part.reservation}
    out["issues"] = issues
    if p.ratification_threshold is not None:
        out["ratification"] = {
            "issue": p.ratification_issue,
            "threshold": p.ratification_threshold,
            "display": sc.format_value(str(p.ratification_issue), p.ratification_threshold),
        }
    return out


def _uncertain_fields(sc: Scenario) -> list[str]:
    """The field paths of the scenario's distributions (the names ensembles sample)."""
    from burdenshare.ensemble.sampling import uncertain_parameters

    return list(uncertain_parameters(sc))


def ensemble(
    spec: str | Path | None,
    *,
    n: int | None = None,
    seed: int | None = None,
    negotiators: Sequence[str] | None = None,
    method: str | None = None,
    chunk_size: int | None = None,
    precision: float | None = None,
    backend: str = "local",
    workers: int = 0,
    address: str | None = None,
    store: str | Path | None = None,
    resume: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    correlations: Sequence[tuple[str, str, float]] | None = None,
) -> EnsembleResult:
    """Run (or resume) an ensemble of sessions under uncertainty and store it.

    A new run defaults to ``n`` = 100,000 sessions, ``seed`` 0, Monte Carlo sampling and the
    default negotiators. With ``resume`` (a run id), leave the other arguments out: the run goes
    on with its own, and an argument (or a scenario) that differs from them is refused with a
    :class:`ScenarioError` naming it.
    """
    from burdenshare.backends import make_backend
    from burdenshare.ensemble import DEFAULT_CHUNK, run_ensemble
    from burdenshare.store import RunStore

    if resume is not None:
        given = {
            k: v
            for k, v in {
                "n": n,
                "seed": seed,
                "method": method,
                "negotiators": list(negotiators) if negotiators else None,
                "chunk_size": chunk_size,
                "precision": precision,
                "correlations": correlations,
            }.items()
            if v is not None
        }
        if spec is not None:
            given["scenario_sha256"] = load(spec).sha256
        engine = make_backend(backend, workers=workers, address=address)
        with RunStore.open(store) as st:
            return run_ensemble(
                None, store=st, backend=engine, resume=resume, given=given, progress=progress
            )
    loaded = load(spec if spec is not None else "")
    names = _per_party(negotiators, len(loaded.scenario.party_names))
    method = method or "mc"
    if method not in ("mc", "lhs"):
        raise ScenarioError(
            "unknown sampling method", field="--method", value=method, expected="mc or lhs"
        )
    engine = make_backend(backend, workers=workers, address=address)
    with about(loaded), RunStore.open(store) as st:
        return run_ensemble(
            loaded,
            n=100_000 if n is None else n,
            seed=0 if seed is None else seed,
            negotiators=names,
            method=method,  # type: ignore[arg-type]
            chunk_size=chunk_size or DEFAULT_CHUNK,
            precision=precision,
            backend=engine,
            store=st,
            progress=progress,
            correlations=correlations or (),
        )


def run_scenario(record: RunRecord) -> Scenario:
    """The scenario a stored run was made from (parsed from the text stored with it)."""
    from burdenshare.scenario.io import parse_scenario_text

    fmt = str(record.parameters.get("scenario_format", "yaml"))
    text = record.scenario_text or ""
    return parse_scenario_text(text, source=f"run {record.id}", fmt=fmt).scenario


def list_runs(store: str | Path | None = None, limit: int = 50) -> list[RunRecord]:
    """The stored runs, newest first."""
    from burdenshare.store import RunStore

    with RunStore.open(store, read_only=True) as st:
        return st.list_runs(limit=limit)


def show_run(run_id: str, store: str | Path | None = None) -> RunRecord:
    from burdenshare.store import RunStore

    with RunStore.open(store, read_only=True) as st:
        return st.get_run(run_id)


def export_run(
    run_id: str,
    path: str | Path,
    fmt: str = "parquet",
    store: str | Path | None = None,
    overwrite: bool = False,
    what: str = "sessions",
) -> Path:
    """Write a run's sessions (``what="sessions"``) or offer log (``"offers"``) to Parquet or
    CSV (plus a JSON sidecar of the run)."""
    from burdenshare.store import EXPORT_TABLES, RunStore
    from burdenshare.store import export_run as _export

    if fmt not in ("parquet", "csv"):
        raise ScenarioError(
            "unknown export format", field="--format", value=fmt, expected="parquet or csv"
        )
    if what not in EXPORT_TABLES:
        raise ScenarioError(
            "unknown export table", field="--what", value=what, expected=" or ".join(EXPORT_TABLES)
        )
    with RunStore.open(store, read_only=True) as st:
        return _export(
            st,
            run_id,
            Path(path),
            fmt,  # type: ignore[arg-type]
            what=what,  # type: ignore[arg-type]
            overwrite=overwrite,
        )


def sensitivity(
    spec: str | Path,
    *,
    negotiators: Sequence[str] | None = None,
    n: int = 20_000,
    n_base: int = 1024,
    seed: int = 0,
) -> dict[str, Any]:
    """Which belief matters most: a one-at-a-time tornado and Sobol' indices."""
    from burdenshare.ensemble import sobol, tornado

    loaded = load(spec)
    names = _per_party(negotiators, len(loaded.scenario.party_names))
    with about(loaded):
        t = tornado(loaded.scenario, names, n=n, seed=seed)
        s = sobol(loaded.scenario, names, n_base=n_base, seed=seed)
    return {
        "scenario": _scenario_header(loaded),
        "negotiators": list(names),
        "seed": seed,
        "tornado": t.to_dict(),
        "sobol": s.to_dict(),
        "describe": {"tornado": t.describe(), "sobol": s.describe()},
    }


def forecast(
    spec: str | Path, *, models: Sequence[str] | None = None, issue: str | None = None
) -> dict[str, Any]:
    """Every (or the named) multi-actor forecasting model on the scenario's actors."""
    loaded = load(spec)
    with about(loaded):
        return _forecast(loaded, models, issue)


def _forecast(
    loaded: LoadedScenario, models: Sequence[str] | None, issue: str | None
) -> dict[str, Any]:
    from burdenshare.forecasting.from_scenario import actor_table
    from burdenshare.forecasting.registry import FORECASTERS, make_forecaster

    sc = loaded.scenario
    table = actor_table(sc, issue)
    iid = table.issues[0]
    names = list(models) if models else [n for n in FORECASTERS if n != "blend"]
    rows = []
    skipped = {}
    for name in names:
        model = make_forecaster(name)
        try:
            fc = model.fit().predict(table)
        except ForecastError as exc:
            if models:  # a model the user asked for by name: say why it cannot run
                raise
            skipped[name] = str(exc)
            continue
        value = float(fc.outcome[0])
        row = {
            "model": name,
            "source": getattr(model, "source", ""),
            "outcome": value,
            "display": sc.format_value(iid, value),
            "rounds": fc.to_dict()["rounds"],
            "converged": fc.converged,
        }
        if sc.issue(iid).is_money:
            row["money"] = sc.money.as_dict(value)
        rows.append(row)
    return {
        "scenario": _scenario_header(loaded),
        "issue": iid,
        "combined": _combined(loaded, iid, rows),
        "actors": [
            {
                "id": a,
                "position": float(table.position[k, 0]),
                "display": sc.format_value(iid, float(table.position[k, 0])),
                "salience": float(table.salience[k, 0]),
                "capability": float(table.capability[k]),
            }
            for k, a in enumerate(table.actors)
        ],
        "status_quo": None if np.isnan(table.reference[0]) else float(table.reference[0]),
        "forecasts": rows,
        "skipped": skipped,
    }


def _combined(
    loaded: LoadedScenario, iid: str, rows: Sequence[dict[str, Any]]
) -> dict[str, Any] | None:
    """The combined forecast of the settlement (the first issue) from the bargaining solutions
    at central values and the forecasting models (:mod:`burdenshare.services.combined`); None
    when ``iid`` is another issue (the combination is fitted on the settlement only)."""
    from burdenshare.services.combined import combined_entry, scenario_predictions

    sc = loaded.scenario
    if iid != sc.issues[0].id:
        return None
    solutions: tuple[SolutionResult, ...] = ()
    if not has_rules(sc):
        with contextlib.suppress(BurdenshareError):  # a solver that refuses: no such member
            solutions = _analysis(loaded).solutions
    predictions = scenario_predictions(
        sc, solutions=solutions, forecasts={"issue": iid, "forecasts": rows}
    )
    return combined_entry(sc, predictions)


def backtest_deu3(*, folds: int = 10, seed: int = 0) -> Any:
    """Every forecasting model on the DEU III issues with an outcome (see history.backtest)."""
    from burdenshare.history.backtest import backtest_deu3 as _backtest

    return _backtest(folds=folds, seed=seed)
