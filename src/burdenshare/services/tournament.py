"""Tournaments for the CLI and the web app: load the domains, pick a backend, run, store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from burdenshare.errors import ScenarioError
from burdenshare.services.core import load
from burdenshare.tournament import Domain, TournamentPlan, TournamentResult, run_tournament

__all__ = ["DEFAULT_TOURNAMENT_NEGOTIATORS", "load_domain", "tournament"]

#: the negotiators that meet when none are given: the time-dependent family and the hardliner,
#: which all run in the compiled kernel on numeric scenarios
DEFAULT_TOURNAMENT_NEGOTIATORS = ("boulware", "linear", "conceder", "hardliner")


def load_domain(spec: str | Path) -> Domain:
    """A bundled scenario, a scenario file, or a GENIUS / GeniusWeb domain folder."""
    loaded = load(spec)
    return Domain(loaded.scenario.id, loaded.text, loaded.fmt)


def tournament(
    domains: Sequence[str | Path],
    *,
    negotiators: Sequence[str] | None = None,
    repetitions: int = 10,
    seed: int = 0,
    self_play: bool = False,
    sample: bool = False,
    backend: str = "local",
    workers: int = 0,
    address: str | None = None,
    store: str | Path | None = None,
    resume: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TournamentResult:
    """Run (or resume) a tournament and store it; see :mod:`burdenshare.tournament.run`."""
    from burdenshare.backends import make_backend
    from burdenshare.store import RunStore

    plan = None
    if resume is None:
        if not domains:
            raise ScenarioError("give at least one domain, or --resume RUN_ID", field="DOMAINS")
        plan = TournamentPlan(
            domains=tuple(load_domain(d) for d in domains),
            negotiators=tuple(negotiators or DEFAULT_TOURNAMENT_NEGOTIATORS),
            repetitions=repetitions,
            seed=seed,
            self_play=self_play,
            sample=sample,
        )
        plan.check()
    engine = make_backend(backend, workers=workers, address=address)
    with RunStore.open(store) as st:
        return run_tournament(plan, store=st, backend=engine, resume=resume, progress=progress)
