"""ANAC-style tournaments: every ordered pair of negotiators on every domain, ranked.

:mod:`.match` runs one match (on the batch engine, or the one-session protocol when it logs the
offers), :mod:`.reference` gives the Pareto, Nash, Kalai-Smorodinsky and Kalai reference points,
:mod:`.ranking` the results table and ranking, :mod:`.run` the whole tournament on a backend,
recorded in the run store.
"""

from __future__ import annotations

from burdenshare.tournament.match import (
    MATCH_COLUMNS,
    OFFER_COLUMNS,
    MatchResult,
    MatchTask,
    run_match,
)
from burdenshare.tournament.ranking import ranking, results_table
from burdenshare.tournament.reference import DomainReference, domain_reference
from burdenshare.tournament.run import (
    KIND,
    Domain,
    TournamentPlan,
    TournamentResult,
    match_tasks,
    plan_of,
    run_tournament,
)

__all__ = [
    "KIND",
    "MATCH_COLUMNS",
    "OFFER_COLUMNS",
    "Domain",
    "DomainReference",
    "MatchResult",
    "MatchTask",
    "TournamentPlan",
    "TournamentResult",
    "domain_reference",
    "match_tasks",
    "plan_of",
    "ranking",
    "results_table",
    "run_match",
    "run_tournament",
]
