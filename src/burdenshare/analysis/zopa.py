"""The zone of possible agreement of a scenario, explained in words and money.

An outcome is in the zone when each party values it at least as much as walking away (its
outside option; Raiffa 1982, *The Art and Science of Negotiation*, ch. 4; Fisher & Ury 1981 on
the BATNA). On a single issue the zone is the interval between the walk-away points
(:func:`burdenshare.solutions.zopa_interval`); on several issues it is the set of outcomes, and
per issue we report the span of values found in it (a loss on one issue may be made good on
another).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from burdenshare.analysis.problem import BargainingProblem
from burdenshare.analysis.records import IssueZone, ZopaResult
from burdenshare.preferences import NumericUtility
from burdenshare.solutions import zopa_interval

__all__ = ["describe_zone", "issue_span", "scenario_zopa"]

Zone = tuple[float, float] | tuple[str, ...]


def issue_zones(problem: BargainingProblem, feasible: npt.NDArray[np.bool_]) -> list[IssueZone]:
    """Per issue, the span of values each party accepts (prefers to walking away) and the span
    of the ``feasible`` outcomes, on the problem's grid."""
    accepts = problem.accepts()
    zones = []
    for k, issue in enumerate(problem.scenario.issues):
        values, column = problem.grid.values[k], problem.grid.index[:, k]
        acc = {name: issue_span(values, column, accepts[i]) for i, name in enumerate(problem.names)}
        zones.append(
            IssueZone(issue=issue.id, acceptable=acc, overlap=issue_span(values, column, feasible))
        )
    return zones


def scenario_zopa(problem: BargainingProblem) -> ZopaResult:
    """Where both parties would rather agree than walk away (every party, with more than two:
    :func:`burdenshare.analysis.multilateral.multilateral_zopa`)."""
    sc = problem.scenario
    if len(problem.parties) > 2:
        from burdenshare.analysis.multilateral import multilateral_zopa

        return multilateral_zopa(problem)
    if len(sc.issues) == 1 and sc.issues[0].kind != "categorical":
        return _single_issue(problem)
    feasible = problem.acceptable
    zones = issue_zones(problem, feasible)
    n = int(feasible.sum())
    if n:
        parts = [describe_zone(sc, z.issue, z.overlap) for z in zones if z.overlap is not None]
        text = (
            "A deal both sides prefer to walking away exists; the deals in the zone span "
            + "; ".join(parts)
            + "."
        )
        return ZopaResult(True, tuple(zones), text, None, n, problem.grid.size)
    d1, d2 = problem.disagreement
    short = np.minimum(problem.u1 - d1, problem.u2 - d2)
    k = int(np.argmax(short))
    closest = "; ".join(sc.format_value(i, v) for i, v in problem.grid.outcome(k).items())
    (a, b) = problem.names
    text = (
        "No deal both sides can accept: no combination of the issues gives both sides what walking "
        f"away is worth. The closest, {closest}, leaves {a} at utility "
        f"{problem.u1[k] - d1:+.3f} and "
        f"{b} at {problem.u2[k] - d2:+.3f} relative to walking away."
    )
    return ZopaResult(False, tuple(zones), text, None, 0, problem.grid.size)


def _single_issue(problem: BargainingProblem) -> ZopaResult:
    sc = problem.scenario
    issue = sc.issues[0]
    assert issue.range is not None
    lo, hi = issue.range
    acc: dict[str, Zone | None] = {}
    bounds: list[tuple[float, float]] = []
    walk: dict[str, tuple[float, bool]] = {}
    for p in problem.parties:
        part = p.utility.parts[0]
        assert isinstance(part, NumericUtility)
        # the value worth exactly the outside option (the reservation when that is 0)
        x = float(np.asarray(part.inverse(p.outside_option / p.utility.weights[0])))
        walk[p.name] = (x, part.increasing)
        bounds.append((max(lo, x), hi) if part.increasing else (lo, min(hi, x)))
        acc[p.name] = bounds[-1]
    (a_lo, a_hi), (b_lo, b_hi) = bounds
    overlap = zopa_interval(
        low_party_reservation=min(a_hi, b_hi), high_party_reservation=max(a_lo, b_lo)
    )
    zone = IssueZone(issue=issue.id, acceptable=acc, overlap=overlap)
    n = int(problem.acceptable.sum())
    if overlap is not None:
        where = describe_zone(sc, issue.id, overlap)
        text = f"A deal both sides prefer to walking away exists: {where}."
        return ZopaResult(True, (zone,), text, None, n, problem.grid.size)
    high = next(((name, x) for name, (x, inc) in walk.items() if inc), None)
    low = next(((name, x) for name, (x, inc) in walk.items() if not inc), None)
    fmt = sc.format_value
    if (
        high is None or low is None
    ):  # both want the same direction yet no overlap: outside the range
        text = f"No deal both sides can accept: no {issue.id} value in the range satisfies both."
        return ZopaResult(False, (zone,), text, None, 0, problem.grid.size)
    gap = high[1] - low[1]
    text = (
        f"No deal both sides can accept: on {issue.id}, {high[0]} will not accept less than "
        f"{fmt(issue.id, high[1])} while {low[0]} will not go beyond {fmt(issue.id, low[1])}. "
        f"The gap is {fmt(issue.id, gap)}."
    )
    return ZopaResult(False, (zone,), text, gap, 0, problem.grid.size)


def issue_span(
    values: Sequence[float | str], column: npt.NDArray[np.intp], mask: npt.NDArray[np.bool_]
) -> Zone | None:
    """The values (indices ``column`` into ``values``) of the outcomes in ``mask``: categories
    in the order they first appear, or the least and greatest number."""
    chosen = column[mask]
    if chosen.size == 0:
        return None
    if isinstance(values[0], str):
        _, first = np.unique(chosen, return_index=True)
        return tuple(str(values[int(j)]) for j in chosen[np.sort(first)])
    nums = np.asarray(values, dtype=np.float64)[chosen]
    return (float(nums.min()), float(nums.max()))


def describe_zone(sc: object, issue: str, zone: Zone) -> str:
    from burdenshare.scenario.scenario import Scenario

    assert isinstance(sc, Scenario)
    if zone and isinstance(zone[0], str):
        return f"{issue} in {{{', '.join(map(str, zone))}}}"
    lo, hi = float(zone[0]), float(zone[1])
    if lo == hi:
        return f"{issue} at {sc.format_value(issue, lo)}"
    return f"{issue} between {sc.format_value(issue, lo)} and {sc.format_value(issue, hi)}"
