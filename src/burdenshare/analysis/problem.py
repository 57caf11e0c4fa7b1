"""From a scenario to a two-party bargaining problem in utility space.

The outcome grid (:func:`burdenshare.preferences.space.candidate_grid`, with the walk-away points
added) is scored by both parties;
outcomes that either party values below its outside option (its utility of walking away) are
dropped, and the Pareto-optimal rest becomes a :class:`~burdenshare.solutions.Frontier`.
Solution points found on the frontier are mapped back to outcomes by interpolating between the
two neighbouring Pareto outcomes (exact for linear and piecewise-linear utilities on one issue).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from burdenshare.errors import SimulationError
from burdenshare.preferences import NumericUtility, Outcome, PartyParameters, party_parameters
from burdenshare.preferences.space import CandidateGrid, candidate_grid
from burdenshare.scenario.scenario import Scenario
from burdenshare.solutions import Frontier, pareto_frontier_2d

__all__ = ["BargainingProblem", "bargaining_problem"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class BargainingProblem:
    """Both parties' utilities over a grid of outcomes, on one date."""

    scenario: Scenario
    parties: tuple[PartyParameters, PartyParameters]
    grid: CandidateGrid
    u1: FloatArray
    u2: FloatArray

    @property
    def names(self) -> tuple[str, str]:
        return (self.parties[0].name, self.parties[1].name)

    @property
    def disagreement(self) -> tuple[float, float]:
        """The disagreement point: each party's outside option (utility of walking away)."""
        return (self.parties[0].outside_option, self.parties[1].outside_option)

    @property
    def acceptable(self) -> npt.NDArray[np.bool_]:
        """True where both parties prefer the outcome to walking away (individual rationality)."""
        d1, d2 = self.disagreement
        return np.asarray((self.u1 >= d1 - 1e-12) & (self.u2 >= d2 - 1e-12))

    def ratifiable(self) -> npt.NDArray[np.bool_]:
        """True where every party's ratifier would approve the outcome."""
        ok = np.ones(self.grid.size, dtype=bool)
        for p in self.parties:
            if p.ratification_threshold is None or p.ratification_issue is None:
                continue
            part = p.utility.parts[p.utility.issues.index(p.ratification_issue)]
            if not isinstance(part, NumericUtility):
                continue  # ratifiers judge numeric issues only (validated in the scenario)
            limit = float(np.asarray(part(p.ratification_threshold)))
            k = self.scenario.issue_ids.index(p.ratification_issue)
            values = np.asarray(self.grid.column(k), dtype=np.float64)
            ok &= np.asarray(part(values)) >= limit - 1e-12
        return ok

    def frontier(
        self, mask: npt.NDArray[np.bool_] | None = None
    ) -> tuple[Frontier, list[int]] | None:
        """The Pareto frontier of the acceptable outcomes (restricted further by ``mask``).

        Returns the frontier and the indices of its outcomes (sorted by party 1's utility), or
        None when no outcome is acceptable to both.
        """
        keep = self.acceptable
        if mask is not None:
            keep = keep & mask
        idx = np.flatnonzero(keep)
        if idx.size == 0:
            return None
        order = idx[pareto_frontier_2d(self.u1[idx], self.u2[idx])]
        # one representative per distinct utility vector
        seen: dict[tuple[float, float], int] = {}
        for i in order:
            seen.setdefault((float(self.u1[i]), float(self.u2[i])), int(i))
        reps = list(seen.values())
        return Frontier.from_points(self.u1[reps], self.u2[reps]), reps

    def outcome_at(self, reps: list[int], u1: float) -> Outcome:
        """The frontier outcome where party 1 gets ``u1`` (interpolated between neighbours)."""
        xs = self.u1[reps]
        if len(reps) == 1 or u1 <= xs[0]:
            return self.grid.outcome(reps[0])
        if u1 >= xs[-1]:
            return self.grid.outcome(reps[-1])
        j = int(np.searchsorted(xs, u1))
        a, b = self.grid.outcome(reps[j - 1]), self.grid.outcome(reps[j])
        lam = (u1 - xs[j - 1]) / (xs[j] - xs[j - 1])
        out: Outcome = {}
        for issue in self.scenario.issues:
            va, vb = a[issue.id], b[issue.id]
            if issue.kind == "continuous" and not isinstance(va, str) and not isinstance(vb, str):
                out[issue.id] = float(va + lam * (float(vb) - va))
            else:
                out[issue.id] = va if lam < 0.5 else vb
        return out

    def utilities(self, outcome: Outcome) -> tuple[float, float]:
        return (self.parties[0].utility(outcome), self.parties[1].utility(outcome))


def bargaining_problem(
    scenario: Scenario,
    *,
    on: dt.date | None = None,
    overrides: Mapping[str, float] | None = None,
    resolution: int = 401,
) -> BargainingProblem:
    """Score the outcome grid for both parties on date ``on`` (default: the protocol's start)."""
    day = on or scenario.protocol.start
    a, b = scenario.party_names
    pa = party_parameters(scenario, a, on=day, overrides=overrides)
    pb = party_parameters(scenario, b, on=day, overrides=overrides)
    try:
        grid = candidate_grid(
            scenario.issues, pa.utility, pb.utility, points=resolution, knots=True
        )
    except SimulationError:
        # a discrete space too large for the grid: every solution lies on the Pareto frontier,
        # so the problem is built from the exact frontier's outcomes instead
        from burdenshare.analysis.frontier_points import frontier_grid

        built = frontier_grid(scenario, (pa, pb))
        if built is None:
            raise
        grid = built
    return BargainingProblem(
        scenario=scenario,
        parties=(pa, pb),
        grid=grid,
        u1=grid.utilities(pa.utility),
        u2=grid.utilities(pb.utility),
    )
