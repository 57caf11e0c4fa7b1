"""From a scenario to a bargaining problem in utility space (two or more parties).

The outcome grid (:func:`burdenshare.preferences.space.candidate_grid`, with the walk-away points
added, and then the points where the frontier crosses each party's outside option) is scored by
both parties; outcomes that either party values below its outside option (its utility of walking
away) are dropped, and the Pareto-optimal rest becomes a :class:`~burdenshare.solutions.Frontier`,
whose ends are therefore exact for any outside option, positive or negative.
Solution points found on the frontier are mapped back to outcomes by interpolating between the
two neighbouring Pareto outcomes (exact for linear and piecewise-linear utilities on one issue;
an integer issue sampled because of its size is rounded to the nearest whole number).

When every whole number of every integer issue does not fit in the grid and every issue is
discrete, the grid holds the exact frontier's outcomes instead
(:func:`burdenshare.analysis.frontier_points.frontier_grid`); otherwise (a continuous issue, or
integer issues too large to list) each issue is sampled and the grid holds the frontier of the
sampled values, found by the same dynamic programme without forming their product
(:func:`~burdenshare.analysis.frontier_points.sampled_frontier_grid`); only if that is over its
budget is the product itself sampled, coarsely (at most ``MAX_SAMPLED`` outcomes).

With three or more parties the grid is scored by every party (``utilities`` of shape
``(P, G)``) and capped at ``MAX_MULTILATERAL`` outcomes; the solutions are the best grid
outcomes of :mod:`burdenshare.solutions.nparty` (no interpolation), so they are exact to the
grid's spacing. For two parties everything above is unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from burdenshare.errors import SimulationError
from burdenshare.preferences import NumericUtility, Outcome, PartyParameters, party_parameters
from burdenshare.preferences.space import CandidateGrid, candidate_grid, sampled_values
from burdenshare.scenario.scenario import Scenario
from burdenshare.solutions import Frontier, pareto_frontier_2d

__all__ = ["BargainingProblem", "bargaining_problem"]

FloatArray = npt.NDArray[np.float64]

#: the most outcomes of a sampled analysis grid: 2^20, so that 20 issues (the documented
#: maximum) fit with their two ends each (the vertices of a linear frontier); about 400 MB
MAX_SAMPLED = 1 << 20
#: the most outcomes of a grid of three or more parties (its Pareto set is found by pairwise
#: comparison, ``O(G^2 P)``; the N-party solutions are searched on the grid itself)
MAX_MULTILATERAL = 20_000
#: coarser samplings tried, in turn, when the frontier of the sampled values is over budget
SAMPLED_FRONTIER_POINTS = (101, 21, 5)


@dataclass(frozen=True)
class BargainingProblem:
    """Every party's utilities over a grid of outcomes, on one date.

    ``utilities[i, g]`` is party ``i``'s (listing order) utility of grid outcome ``g``: shape
    ``(P, G)``. ``u1`` and ``u2`` are its first two rows, for what is bilateral by nature.
    """

    scenario: Scenario
    parties: tuple[PartyParameters, ...]
    grid: CandidateGrid
    utilities: FloatArray

    @property
    def u1(self) -> FloatArray:
        """The first party's utility of every grid outcome (``utilities[0]``)."""
        return np.asarray(self.utilities[0], dtype=np.float64)

    @property
    def u2(self) -> FloatArray:
        """The second party's utility of every grid outcome (``utilities[1]``)."""
        return np.asarray(self.utilities[1], dtype=np.float64)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parties)

    @property
    def disagreement(self) -> tuple[float, ...]:
        """The disagreement point: each party's outside option (utility of walking away)."""
        return tuple(p.outside_option for p in self.parties)

    def accepts(self) -> npt.NDArray[np.bool_]:
        """``(P, G)``: True where party ``i`` prefers grid outcome ``g`` to walking away."""
        d = np.asarray(self.disagreement, dtype=np.float64)[:, None]
        return np.asarray(self.utilities >= d - 1e-12)

    @property
    def acceptable(self) -> npt.NDArray[np.bool_]:
        """True where every party prefers the outcome to walking away (individual rationality)."""
        return np.asarray(np.all(self.accepts(), axis=0))

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
        None when no outcome is acceptable to both. Two parties only: an N-party problem's
        Pareto set is :func:`burdenshare.solutions.nparty.pareto_set`.
        """
        self.scenario.two_parties("the two-party frontier")
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
            if isinstance(va, str) or isinstance(vb, str):
                out[issue.id] = va if lam < 0.5 else vb
            elif issue.kind == "continuous":
                out[issue.id] = float(va + lam * (float(vb) - va))
            elif abs(vb - va) > 1.0:  # a sampled integer issue: the nearest whole number
                out[issue.id] = float(round(va + lam * (float(vb) - va)))
            else:
                out[issue.id] = va if lam < 0.5 else vb
        return out

    def utilities_at(self, outcome: Outcome) -> tuple[float, ...]:
        """Every party's utility of ``outcome`` (listing order)."""
        return tuple(p.utility(outcome) for p in self.parties)


def bargaining_problem(
    scenario: Scenario,
    *,
    on: dt.date | None = None,
    overrides: Mapping[str, float] | None = None,
    resolution: int = 401,
) -> BargainingProblem:
    """Score the outcome grid for every party on date ``on`` (default: the protocol's start).

    With more than two parties the grid is capped at :data:`MAX_MULTILATERAL` outcomes (sampled
    issues are sampled more coarsely to fit), the exact-frontier programme (two parties only) is
    not used, and no outside-option crossing values are added: the N-party solutions are the
    best grid outcomes (:mod:`burdenshare.solutions.nparty`).
    """
    day = on or scenario.protocol.start
    parties = tuple(
        party_parameters(scenario, name, on=day, overrides=overrides)
        for name in scenario.party_names
    )
    if len(parties) > 2:
        grid = _multilateral_grid(scenario, parties, resolution)
        return BargainingProblem(scenario, parties, grid, _score(grid, parties))
    grid = _grid(scenario, parties[0], parties[1], resolution, ())
    u = _score(grid, parties)
    extra = _outside_option_values(
        grid, u[0], u[1], (parties[0].outside_option, parties[1].outside_option)
    )
    if any(extra):
        grid = _grid(scenario, parties[0], parties[1], resolution, extra)
        u = _score(grid, parties)
    return BargainingProblem(scenario=scenario, parties=parties, grid=grid, utilities=u)


def _score(grid: CandidateGrid, parties: tuple[PartyParameters, ...]) -> FloatArray:
    """``(P, G)``: every party's utility of every grid outcome."""
    return np.stack([grid.utilities(p.utility) for p in parties])


def _multilateral_grid(
    scenario: Scenario, parties: tuple[PartyParameters, ...], resolution: int
) -> CandidateGrid:
    """The candidate grid of three or more parties: walk-away points and knots included, every
    whole number of a small integer issue, at most :data:`MAX_MULTILATERAL` outcomes."""
    return candidate_grid(
        scenario.issues,
        *(p.utility for p in parties),
        points=resolution,
        max_size=MAX_MULTILATERAL,
        knots=True,
    )


def _grid(
    scenario: Scenario,
    pa: PartyParameters,
    pb: PartyParameters,
    resolution: int,
    extra: tuple[tuple[float, ...], ...],
) -> CandidateGrid:
    """Every whole number of each integer issue if the product fits; else, when every issue is
    discrete, the exact frontier's outcomes (every solution lies on the Pareto frontier); else
    large integer issues sampled like continuous ones (:func:`candidate_grid`)."""
    try:
        return candidate_grid(
            scenario.issues,
            pa.utility,
            pb.utility,
            points=resolution,
            knots=True,
            exact_integers=True,
            extra=extra,
        )
    except SimulationError:
        from burdenshare.analysis.frontier_points import frontier_grid, sampled_frontier_grid

        built = frontier_grid(scenario, (pa, pb))
        # the product of the sampled values is too large to list: its frontier, by dynamic
        # programming over issues (as for discrete issues, on the sampled values), sampling
        # more coarsely while it is over budget; the knots (ideals, walk-away points, range
        # ends, piecewise points) are always kept, so a piecewise-linear frontier keeps its
        # vertices
        for points in (resolution, *(p for p in SAMPLED_FRONTIER_POINTS if p < resolution)):
            if built is not None:
                break
            values = sampled_values(
                scenario.issues, pa.utility, pb.utility, points=points, extra=extra
            )
            built = sampled_frontier_grid(scenario, (pa, pb), values)
        if built is not None:
            return built
    return candidate_grid(
        scenario.issues,
        pa.utility,
        pb.utility,
        points=resolution,
        max_size=MAX_SAMPLED,
        knots=True,
        extra=extra,
    )


def _outside_option_values(
    grid: CandidateGrid, u1: FloatArray, u2: FloatArray, d: tuple[float, float]
) -> tuple[tuple[float, ...], ...]:
    """Per issue, the values at which the grid's Pareto frontier crosses a party's outside
    option (empty tuples if it never does strictly between two frontier outcomes).

    The acceptable frontier ends where a party's utility equals its outside option. Between two
    neighbouring frontier outcomes that differ on numeric issues only, utilities are linear in
    the interpolation weight (each issue moves inside one linear piece: the knots are grid
    values), so the crossing is at ``lam = (d - u_a) / (u_b - u_a)`` and the issue values
    ``x_a + lam (x_b - x_a)``; added to the grid, they make that end a grid outcome, exactly.
    On an integer issue :func:`candidate_grid` adds the whole numbers either side.
    """
    front = pareto_frontier_2d(u1, u2)
    front = front[np.argsort(u1[front], kind="stable")]
    extra: list[set[float]] = [set() for _ in grid.issues]
    for u, level in ((u1, d[0]), (u2, d[1])):
        along = u[front]
        above = along > level
        # neighbours j, j + 1 with the level strictly between their utilities
        cross = np.flatnonzero((above[:-1] != above[1:]) & (along[:-1] != level))
        for j in cross:
            i, k = int(front[j]), int(front[j + 1])
            if along[j + 1] == level:
                continue
            lam = (level - float(along[j])) / (float(along[j + 1]) - float(along[j]))
            for col, issue in enumerate(grid.issues):
                if issue.kind == "categorical" or (
                    issue.kind == "integer" and _consecutive(grid.values[col])
                ):
                    continue  # every value is already a grid value
                va = float(grid.values[col][int(grid.index[i, col])])
                vb = float(grid.values[col][int(grid.index[k, col])])
                if va != vb:
                    extra[col].add(va + lam * (vb - va))
    return tuple(tuple(sorted(e)) for e in extra)


def _consecutive(values: tuple[float, ...] | tuple[str, ...]) -> bool:
    """True if the (numeric, sorted) values are consecutive whole numbers."""
    return bool(np.all(np.diff(np.asarray(values, dtype=np.float64)) == 1.0))
