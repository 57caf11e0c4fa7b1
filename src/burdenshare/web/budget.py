"""How many sessions one what-if may run: a fixed memory budget per request.

A what-if holds its whole ensemble in memory: one draw per session for every uncertain
parameter, one settlement per session for every issue, and a fixed set of per-session columns
(outcome, round, discounted utilities, their squares). Its peak memory is therefore close to
``n * (BASE + PER_COLUMN * (issues + uncertain parameters))`` bytes. Measured with
``ru_maxrss`` above a 330 MB idle process (``whatif`` on generated scenarios, March 2026):

=================================  ===========  ==========  ======================
scenario                           columns      sessions    bytes per session
=================================  ===========  ==========  ======================
us-rok-sma-2019                    1 + 3        1,000,000   310
4 issues, 19 uncertain parameters  4 + 19       300,000     713
20 issues, 83 uncertain            20 + 83      300,000     2,950
=================================  ===========  ==========  ======================

so ``BASE = 256`` and ``PER_COLUMN = 32`` bound every row, and :data:`MEMORY_BUDGET_BYTES`
gives the flagship its million sessions and the widest scenario (20 issues) about 151,000.

>>> max_sessions(n_issues=1, n_uncertain=3)
1000000
>>> max_sessions(n_issues=20, n_uncertain=83)
151146
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from burdenshare.errors import ScenarioError
from burdenshare.web.requests import MAX_WHATIF_SESSIONS

if TYPE_CHECKING:
    from burdenshare.scenario.scenario import Scenario

__all__ = ["BASE", "MEMORY_BUDGET_BYTES", "PER_COLUMN", "check_sessions", "max_sessions"]

#: the memory one what-if may use for its ensemble
MEMORY_BUDGET_BYTES = 512 * 2**20
#: bytes per session whatever the scenario (outcome, round, utilities, summaries)
BASE = 256
#: bytes per session for each issue and each uncertain parameter
PER_COLUMN = 32


def max_sessions(*, n_issues: int, n_uncertain: int) -> int:
    """The most sessions a what-if on a scenario of this size may run within the budget."""
    per_session = BASE + PER_COLUMN * (n_issues + n_uncertain)
    return max(1, min(MAX_WHATIF_SESSIONS, MEMORY_BUDGET_BYTES // per_session))


def check_sessions(scenario: Scenario, n: int) -> int:
    """``n`` if a what-if of ``n`` sessions on ``scenario`` fits the memory budget; otherwise a
    :class:`~burdenshare.errors.ScenarioError` on the field ``n`` naming the most it may be."""
    from burdenshare.services.catalogue import uncertain_parameters

    limit = max_sessions(
        n_issues=len(scenario.issue_ids), n_uncertain=len(list(uncertain_parameters(scenario)))
    )
    if n > limit:
        raise ScenarioError(
            "too many sessions for one request's memory budget on this scenario",
            field="n",
            value=n,
            expected=f"at most {limit:,} sessions for this scenario "
            f"({MEMORY_BUDGET_BYTES // 2**20} MiB per request)",
        )
    return n
