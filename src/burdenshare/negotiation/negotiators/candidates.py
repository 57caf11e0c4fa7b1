"""Candidate outcomes for opponent-model strategies (Nash, Rubinstein), and which are admissible.

The grid itself is :func:`burdenshare.preferences.space.candidate_grid` (without walk-away
knots, so the candidates are evenly spaced); this module adds the built-in negotiators' rule for
which candidates a party could accept.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from burdenshare.negotiation.negotiators.base import TOL, reservation_utility
from burdenshare.negotiation.protocol import RATIFICATION_TOL, issue_utility
from burdenshare.preferences import PartyParameters
from burdenshare.preferences.space import (
    CONTINUOUS_POINTS,
    MAX_CANDIDATES,
    CandidateGrid,
    candidate_grid,
)

__all__ = [
    "CONTINUOUS_POINTS",
    "MAX_CANDIDATES",
    "CandidateGrid",
    "admissible_mask",
    "candidate_grid",
]


FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def admissible_mask(grid: CandidateGrid, params: PartyParameters) -> BoolArray:
    """Candidates the party could accept: its own ratifier approves and ``U >= u_min - TOL``
    (the built-in negotiators' rule, :meth:`Negotiator.admissible`)."""
    iu = grid.issue_utilities(params.utility)
    total = grid.utilities(params.utility)
    ok: BoolArray = total >= reservation_utility(params) - TOL
    if params.ratification_belief is not None and params.ratification_issue is not None:
        k = [i.id for i in grid.issues].index(params.ratification_issue)
        thr = issue_utility(params.utility, params.ratification_issue, params.ratification_belief)
        ok &= iu[:, k] >= thr - RATIFICATION_TOL
    return ok
