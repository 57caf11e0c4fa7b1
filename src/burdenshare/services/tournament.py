"""Tournaments for the CLI and the web app: load the domains, pick a backend, run, store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from burdenshare.errors import ScenarioError, StoreError
from burdenshare.services.core import load
from burdenshare.tournament import Domain, TournamentPlan, TournamentResult, run_tournament

__all__ = ["DEFAULT_TOURNAMENT_NEGOTIATORS", "load_domain", "tournament", "tournament_chart"]

#: file stem of the chart :func:`tournament_chart` writes into a directory
CHART_NAME = "tournament"

#: the negotiators that meet when none are given: the time-dependent family and the hardliner,
#: which all run in the compiled kernel on numeric scenarios
DEFAULT_TOURNAMENT_NEGOTIATORS = ("boulware", "linear", "conceder", "hardliner")


def load_domain(spec: str | Path) -> Domain:
    """A bundled scenario, a scenario file, or a GENIUS / GeniusWeb domain folder (every
    profile a party), with two or more parties.

    A folder's domain is named by the folder (AMPOvsCity, not "Conflict", the name its XML
    holds; Gratch_distributive and Gratch_integrative, not "GratchDomain" twice); a scenario by
    its id."""
    loaded = load(spec)
    path = Path(spec)
    name = path.resolve().name if path.is_dir() and path.resolve().name else loaded.scenario.id
    return Domain(name, loaded.text, loaded.fmt)


def _distinct(specs: Sequence[str | Path]) -> tuple[Domain, ...]:
    """The domains, each given once; two different domains with the same id (GENIUS's two
    Gratch domains are both "GratchDomain") are told apart as ``id``, ``id-2``, ..."""
    out: list[Domain] = []
    seen: dict[str, str] = {}
    for spec in specs:
        dom = load_domain(spec)
        if dom.text in seen:
            raise ScenarioError(
                "the same domain is given twice",
                field="DOMAINS",
                value=[seen[dom.text], str(spec)],
                expected="each domain once",
            )
        seen[dom.text] = str(spec)
        names = {d.name for d in out}
        name, k = dom.name, 2
        while name in names:
            name, k = f"{dom.name}-{k}", k + 1
        out.append(Domain(name, dom.text, dom.fmt))
    return tuple(out)


def tournament(
    domains: Sequence[str | Path],
    *,
    negotiators: Sequence[str] | None = None,
    repetitions: int | None = None,
    seed: int | None = None,
    self_play: bool | None = None,
    sample: bool | None = None,
    offers: bool | None = None,
    backend: str = "local",
    workers: int = 0,
    address: str | None = None,
    store: str | Path | None = None,
    resume: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TournamentResult:
    """Run (or resume) a tournament and store it; see :mod:`burdenshare.tournament.run`.

    A new tournament defaults to 10 repetitions, seed 0, no self-play, central values and an
    offer log (``offers``). With
    ``resume``, leave the plan out: a domain or argument that differs from the stored plan is
    refused with a :class:`ScenarioError` naming it."""
    from burdenshare.backends import make_backend
    from burdenshare.store import RunStore

    plan = None
    given: dict[str, object] = {}
    if resume is None:
        if not domains:
            raise ScenarioError("give at least one domain, or --resume RUN_ID", field="DOMAINS")
        plan = TournamentPlan(
            domains=_distinct(domains),
            negotiators=tuple(negotiators or DEFAULT_TOURNAMENT_NEGOTIATORS),
            repetitions=10 if repetitions is None else repetitions,
            seed=0 if seed is None else seed,
            self_play=bool(self_play),
            sample=bool(sample),
            offers=True if offers is None else offers,
        )
        plan.check()  # before make_backend, which may start a Ray cluster
    else:
        typed = {
            "domains": _distinct(domains) if domains else None,
            "negotiators": tuple(negotiators) if negotiators else None,
            "repetitions": repetitions,
            "seed": seed,
            "self_play": self_play,
            "sample": sample,
            "offers": offers,
        }
        given = {k: v for k, v in typed.items() if v is not None}
    engine = make_backend(backend, workers=workers, address=address)
    with RunStore.open(store) as st:
        return run_tournament(
            plan, store=st, backend=engine, resume=resume, given=given, progress=progress
        )


def check_chart_path(path_or_dir: str | Path, *, overwrite: bool) -> None:
    """Refuse (exit 2) to replace an existing tournament chart unless ``overwrite``."""
    from burdenshare.report.export import figure_paths
    from burdenshare.services.outputs import refuse_existing

    refuse_existing(figure_paths(path_or_dir, CHART_NAME), overwrite=overwrite, option="--chart")


def tournament_chart(
    run_id: str,
    path_or_dir: str | Path,
    store: str | Path | None = None,
    *,
    overwrite: bool = False,
) -> list[Path]:
    """Write the chart of stored tournament ``run_id`` as PNG and SVG; returns the two paths.

    A path ending in ``.png`` or ``.svg`` names the files (both are written beside each other);
    any other path is a directory (created if needed) that receives ``tournament.png`` and
    ``tournament.svg``. Existing files are refused unless ``overwrite``
    (:func:`check_chart_path` checks before a tournament runs).
    """
    from burdenshare.report.export import write_figure

    check_chart_path(path_or_dir, overwrite=overwrite)
    from burdenshare.report.tournament_plots import tournament_figure
    from burdenshare.store import RunStore
    from burdenshare.tournament import domain_reference, plan_of
    from burdenshare.tournament.run import TournamentPlan

    with RunStore.open(store) as st:
        record = st.get_run(run_id)
        plan = plan_of(record)
        if record.status != "finished" or record.summary is None:
            raise StoreError(
                f"tournament {run_id} is {record.status}; finish it with "
                f"`burdenshare tournament --resume {run_id}` first"
            )
        # a tournament stored before a column existed is drawn without it
        cols = st.samples(run_id, [c for c in plan.columns if c in record.columns])
    # the panels draw the utility plane of two-party domains; the others are in the ranking
    refs = {
        d.name: domain_reference(d.text, d.fmt)
        for d in plan.domains
        if TournamentPlan.parties(d) == 2
    }
    return write_figure(tournament_figure(record.summary, refs, cols), path_or_dir, CHART_NAME)
