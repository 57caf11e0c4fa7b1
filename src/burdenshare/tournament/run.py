"""Run a tournament: every lineup of negotiators on every domain, stored and ranked.

Like ANAC (Baarslag et al. 2013, sec. 4), every negotiator meets every other in both roles: the
ordered pair ``(a, b)`` puts ``a`` in the scenario's first party and ``b`` in the second, and the
pair ``(b, a)`` swaps them. Self-play (``a == b``) is left out unless asked for. A domain with
``P`` parties is played as ANAC 2015-17 played its three-party domains (Fujita et al. 2016,
sec. 3; Aydogan et al. 2017): every ordered choice of ``P`` different negotiators, so every
group of ``P`` meets in every assignment of its members to the parties (``n! / (n - P)!``
lineups of ``n`` negotiators; with self-play every one of the ``n ** P`` lineups, repeats
allowed), in lexicographic order of the negotiators' positions; with two parties these are the
ordered pairs above, in the same order. A plan over :data:`MAX_SESSIONS` sessions is refused
before any lineup is listed. Each match runs
``repetitions`` sessions on the batch engine (:mod:`burdenshare.tournament.match`); matches run
on any :class:`~burdenshare.backends.Backend` (in process, worker processes or Ray) and are
recorded in the run store as they finish, one match per stored chunk, so an interrupted tournament
resumes where it stopped and a stored tournament is exported like any run (``runs export``). The
results table and ranking (:mod:`burdenshare.tournament.ranking`) are computed from the stored
sessions, so a resumed tournament ranks exactly as an uninterrupted one.

With ``offers=True`` (the default) the run also keeps an offer log: every offer of every session
(:data:`~burdenshare.tournament.match.OFFER_COLUMNS`), recorded with its match in one transaction
and exported by ``runs export --what offers``. A tournament is small, so the log is cheap; an
ensemble keeps none.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from burdenshare import __version__
from burdenshare.backends import Backend, LocalBackend
from burdenshare.engine import OUTCOMES
from burdenshare.errors import BurdenshareError, ScenarioError, SimulationError, StoreError
from burdenshare.jsonsafe import finite
from burdenshare.negotiation import make_negotiator
from burdenshare.store import RunRecord, RunStore
from burdenshare.tournament.match import (
    MAX_ROLES,
    MatchResult,
    MatchTask,
    domain_seed,
    match_columns,
    match_scenario,
    offer_columns,
    repeats_identically,
    run_match,
)
from burdenshare.tournament.ranking import ranking, results_table
from burdenshare.tournament.reference import DomainReference, domain_reference
from burdenshare.tournament.reference_multi import MultiReference, multi_reference

__all__ = [
    "KIND",
    "MAX_SESSIONS",
    "Domain",
    "TournamentPlan",
    "TournamentResult",
    "match_tasks",
    "plan_of",
    "reference_of",
    "run_tournament",
    "summarise",
]

#: ``parameters["kind"]`` of a stored tournament (ensembles have no kind)
KIND = "tournament"
#: most sessions in one tournament (matches x repetitions)
MAX_SESSIONS = 1_000_000_000
#: most repetitions of one match
MAX_REPETITIONS = 10_000_000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Domain:
    """One domain of a tournament: a scenario as text, under a unique name."""

    name: str
    text: str
    fmt: str = "yaml"


@dataclass(frozen=True)
class TournamentPlan:
    """Which negotiators meet on which domains, how often, with which seed."""

    domains: tuple[Domain, ...]
    negotiators: tuple[str, ...]
    repetitions: int = 10
    seed: int = 0
    self_play: bool = False
    sample: bool = False
    offers: bool = True

    def check(self) -> None:
        """Raise :class:`SimulationError` naming what is wrong with the plan."""
        if not self.domains:
            raise SimulationError("a tournament needs at least one domain")
        names = [d.name for d in self.domains]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise SimulationError(f"domain names must be unique, got {dup} more than once")
        negs = list(self.negotiators)
        dup = sorted({n for n in negs if negs.count(n) > 1})
        if dup:
            raise SimulationError(f"negotiators must be distinct, got {dup} more than once")
        if len(negs) < (1 if self.self_play else 2):
            raise SimulationError(
                f"a tournament needs two negotiators (or one with self-play), got {negs}"
            )
        for dom in self.domains:
            p = self.parties(dom)
            if p > MAX_ROLES:
                raise SimulationError(
                    f"domain {dom.name!r} has {p} parties; a tournament domain has at most "
                    f"{MAX_ROLES}"
                )
            if not self.self_play and len(negs) < p:
                raise SimulationError(
                    f"domain {dom.name!r} has {p} parties: a tournament without self-play "
                    f"needs at least {p} negotiators, got {len(negs)}"
                )
        for spec in negs:
            make_negotiator(spec)
        if not 1 <= self.repetitions <= MAX_REPETITIONS:
            raise SimulationError(
                f"repetitions must be between 1 and {MAX_REPETITIONS:,}, got {self.repetitions}"
            )
        total = self.n_matches * self.repetitions
        if total > MAX_SESSIONS:
            raise SimulationError(
                f"the tournament would run {total:,} sessions; the limit is {MAX_SESSIONS:,}"
            )

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Every ordered pair of negotiators (both roles), self-play only if asked for."""
        return [
            (a, b) for a in self.negotiators for b in self.negotiators if a != b or self.self_play
        ]

    @staticmethod
    def parties(domain: Domain) -> int:
        """How many parties the domain's scenario has."""
        return len(match_scenario(domain.text, domain.fmt).party_names)

    def n_lineups(self, parties: int) -> int:
        """How many lineups a domain with ``parties`` parties has (counted, not listed).

        >>> plan = TournamentPlan((), ("x", "y", "z", "w"))
        >>> plan.n_lineups(2), plan.n_lineups(3), plan.n_lineups(5)
        (12, 24, 0)
        """
        n = len(self.negotiators)
        return n**parties if self.self_play else math.perm(n, parties)

    def lineups(self, parties: int) -> list[tuple[str, ...]]:
        """Every lineup of negotiators for a domain with ``parties`` parties (one per party, in
        listing order): ordered choices of different negotiators, repeats only with self-play.

        >>> TournamentPlan((), ("x", "y", "z")).lineups(3)[:3]
        [('x', 'y', 'z'), ('x', 'z', 'y'), ('y', 'x', 'z')]
        """
        if self.self_play:
            return list(itertools.product(self.negotiators, repeat=parties))
        return list(itertools.permutations(self.negotiators, parties))

    @property
    def roles(self) -> int:
        """The most parties of any domain: the number of role columns stored."""
        return max((self.parties(d) for d in self.domains), default=2)

    @property
    def columns(self) -> dict[str, str]:
        """The stored per-session columns (:func:`~burdenshare.tournament.match.match_columns`)."""
        return match_columns(self.roles)

    @property
    def n_matches(self) -> int:
        return sum(self.n_lineups(self.parties(d)) for d in self.domains)

    def document(self) -> str:
        """The domains as one JSON text (what the run store keeps as the run's scenario)."""
        return json.dumps(
            {"domains": [{"name": d.name, "format": d.fmt, "text": d.text} for d in self.domains]}
        )

    def parameters(self) -> dict[str, Any]:
        return {
            "kind": KIND,
            "domains": [d.name for d in self.domains],
            "negotiators": list(self.negotiators),
            "repetitions": self.repetitions,
            "self_play": self.self_play,
            "sample": self.sample,
            "offers": self.offers,
            "matches": self.n_matches,
        }


@dataclass(frozen=True)
class TournamentResult:
    """A finished tournament: its stored record and summary (ranking, results, domains)."""

    record: RunRecord
    summary: dict[str, Any]

    @property
    def run_id(self) -> str:
        return self.record.id

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = finite({"run": self.record.header(), **self.summary})
        return out


def match_tasks(plan: TournamentPlan) -> list[MatchTask]:
    """The plan's matches in a fixed order: domain, then negotiator A, then negotiator B."""
    tasks: list[MatchTask] = []
    roles = plan.roles
    for di, dom in enumerate(plan.domains):
        seed = domain_seed(plan.seed, di)
        for lineup in plan.lineups(plan.parties(dom)):
            tasks.append(
                MatchTask(
                    index=len(tasks),
                    domain=dom.name,
                    scenario_text=dom.text,
                    scenario_format=dom.fmt,
                    negotiators=lineup,
                    repetitions=plan.repetitions,
                    seed=seed,
                    sample=plan.sample,
                    offers=plan.offers,
                    roles=roles,
                )
            )
    return tasks


def plan_of(record: RunRecord) -> TournamentPlan:
    """The plan of a stored tournament (to resume it)."""
    p = record.parameters
    if p.get("kind") != KIND:
        raise StoreError(
            f"run {record.id} is not a tournament; resume an ensemble with "
            f"`burdenshare ensemble --resume {record.id}`"
        )
    doc = json.loads(record.scenario_text or "{}")
    domains = tuple(Domain(d["name"], d["text"], d["format"]) for d in doc["domains"])
    return TournamentPlan(
        domains=domains,
        negotiators=tuple(p["negotiators"]),
        repetitions=int(p["repetitions"]),
        seed=int(record.seed),
        self_play=bool(p["self_play"]),
        sample=bool(p["sample"]),
        offers=bool(p.get("offers", False)),  # a tournament stored before offer logs has none
    )


#: plan field -> the command-line option that sets it
RESUME_OPTIONS: Mapping[str, str] = {
    "domains": "DOMAINS",
    "negotiators": "--negotiator",
    "repetitions": "--repetitions",
    "seed": "--seed",
    "self_play": "--self-play",
    "sample": "--sample",
    "offers": "--offers/--no-offers",
}


def check_resume_plan(run_id: str, plan: TournamentPlan, given: Mapping[str, object]) -> None:
    """Refuse (``ScenarioError``, exit 2) a plan field given with ``--resume`` that differs from
    the stored plan's: it would be ignored, and the resumed tournament would not be the one the
    user asked for. Domains compare by their scenario text."""
    for name, value in given.items():
        stored: object = getattr(plan, name)
        if name == "domains":
            stored = [d.text for d in plan.domains]
            value = [d.text for d in value]  # type: ignore[attr-defined]
        elif name == "negotiators":
            stored, value = list(plan.negotiators), list(value)  # type: ignore[call-overload]
        if value != stored:
            option = RESUME_OPTIONS[name]
            shown = "(other domains)" if name == "domains" else value
            raise ScenarioError(
                f"tournament {run_id} was started with another value; resume it without "
                f"{option}, or with the same value",
                field=option,
                value=shown,
                expected="the stored domains" if name == "domains" else repr(stored),
            )


def run_tournament(
    plan: TournamentPlan | None,
    *,
    store: RunStore,
    backend: Backend | None = None,
    resume: str | None = None,
    given: Mapping[str, object] | None = None,
    progress: Progress | None = None,
) -> TournamentResult:
    """Run (or resume) a tournament, record every session in ``store``, rank the negotiators.

    With ``resume``, ``given`` holds the plan fields the caller set alongside it (``domains``,
    ``negotiators``, ``repetitions``, ``seed``, ``self_play``, ``sample``); any that differs
    from the stored plan is refused with a :class:`ScenarioError` naming its option."""
    backend = backend or LocalBackend()
    if resume is not None:
        record = store.get_run(resume)
        plan = plan_of(record)
        if record.status == "finished":
            raise StoreError(f"tournament {resume} is already finished; nothing to resume")
        if record.columns != plan.columns:
            raise StoreError(
                f"tournament {resume} was stored by an older burdenshare with other columns; "
                "run it again instead of resuming it"
            )
        check_resume_plan(record.id, plan, given or {})
    else:
        if plan is None:
            raise SimulationError("give a tournament plan or a run id to resume")
        plan.check()
        # the reference points of every domain are computed (and checked) before anything is
        # stored, so a domain the tools cannot analyse fails here with nothing written
        for dom in plan.domains:
            reference_of(dom)
        text = plan.document()
        record = store.create_run(
            scenario_id=f"{KIND}: " + ", ".join(d.name for d in plan.domains)[:200],
            scenario_sha256=hashlib.sha256(text.encode()).hexdigest(),
            scenario_text=text,
            seed=plan.seed,
            version=__version__,
            backend=backend.name,
            parameters=plan.parameters(),
            n_sessions=plan.n_matches * plan.repetitions,
            columns=plan.columns,
            offer_columns=offer_columns(plan.roles) if plan.offers else None,
        )
    assert plan is not None
    total = plan.n_matches * plan.repetitions
    done = store.finished_chunks(record.id)
    tasks = [t for t in match_tasks(plan) if t.index not in done]
    finished = len(done) * plan.repetitions
    t0 = time.perf_counter()
    compute = 0.0
    if progress:
        progress(finished, total)
    results: Iterator[MatchResult] = backend.map_unordered(run_match, tasks)
    try:
        for res in results:
            agreed = int(np.count_nonzero(res.columns["outcome"] == OUTCOMES.index("agreement")))
            stats = {"sessions": res.stop - res.start, "agreements": agreed}
            store.record_chunk(
                record.id, res.index, res.start, res.stop, res.columns, stats, offers=res.offers
            )
            compute += res.seconds
            finished += res.stop - res.start
            if progress:
                progress(finished, total)
    except BurdenshareError:
        # bad input met in a match (a negotiator that cannot play a domain): the tournament can
        # never finish, so a run this call created is removed and nothing stays stored
        if resume is None:
            store.delete_run(record.id)
        else:
            store.mark_interrupted(record.id)
        raise
    except BaseException:  # interrupted, or the backend failed: keep it for --resume
        store.mark_interrupted(record.id)
        raise
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
        backend.close()
    wall = time.perf_counter() - t0
    summary = summarise(plan, store.samples(record.id, list(plan.columns)))
    timings = {
        "wall_seconds": wall,
        "compute_seconds": compute,
        "sessions_this_call": total - len(done) * plan.repetitions,
        "sessions_per_second": (total - len(done) * plan.repetitions) / wall if wall > 0 else None,
    }
    record = store.finish_run(record.id, finite(summary), timings)
    return TournamentResult(record=record, summary=finite(summary))


def reference_of(dom: Domain) -> DomainReference | MultiReference:
    """A domain's reference points: the bilateral ones for two parties, else in the utility
    space of all its parties (:mod:`burdenshare.tournament.reference_multi`)."""
    if TournamentPlan.parties(dom) == 2:
        return domain_reference(dom.text, dom.fmt)
    return multi_reference(dom.text, dom.fmt)


def _frontier_points(ref: DomainReference | MultiReference) -> int:
    return int(ref.frontier_u1.size if isinstance(ref, DomainReference) else ref.frontier_points)


def summarise(plan: TournamentPlan, cols: dict[str, np.ndarray]) -> dict[str, Any]:
    """The tournament's summary: ranking, results table and each domain's reference points."""
    # the matches whose repetitions are copies of one session count once in the intervals
    repeated = {
        (t.domain, *t.negotiators)
        for t in match_tasks(plan)
        if repeats_identically(match_scenario(t.scenario_text, t.scenario_format), t)
    }
    domains = []
    for dom in plan.domains:
        ref = reference_of(dom)
        domains.append(
            {
                "name": dom.name,
                "frontier_points": int(
                    ref.frontier_u1.size
                    if isinstance(ref, DomainReference)
                    else ref.frontier_points
                ),
                "frontier_method": ref.method,
                "nash": None if ref.nash is None else list(ref.nash),
                "kalai_smorodinsky": None
                if ref.kalai_smorodinsky is None
                else list(ref.kalai_smorodinsky),
                "kalai": None if ref.kalai is None else list(ref.kalai),
                "disagreement": list(ref.disagreement),
            }
        )
    return {
        "kind": KIND,
        "sessions": int(cols["outcome"].size),
        "agreement_rate": float(np.mean(cols["outcome"] == OUTCOMES.index("agreement"))),
        "ranking": ranking(cols, plan.negotiators, repeated),
        "results": results_table(cols, repeated),
        "domains": domains,
    }
