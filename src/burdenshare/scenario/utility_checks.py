"""The checks of one party's utility on one issue: values inside the issue's range, ideal and
walk-away point on the sides the party's preference says, piecewise points and category scores.

:class:`~burdenshare.scenario.scenario.Scenario` runs them on every party (and on events'
effects) after the scenario is parsed; each raises one located
:class:`~burdenshare.errors.ScenarioError`.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from burdenshare.errors import ScenarioError
from burdenshare.scenario.distributions import Distribution, central
from burdenshare.scenario.model import Issue, IssueUtility

__all__ = [
    "check_categorical",
    "check_issue_utility",
    "check_points",
    "check_side",
    "check_value",
    "direction",
    "err",
    "shown",
]


def err(message: str, field: str, value: Any, expected: str | None = None) -> ScenarioError:
    return ScenarioError(message, field=field, value=value, expected=expected, has_value=True)


def shown(value: Any) -> Any:
    return value.to_yaml() if isinstance(value, Distribution) else value


def check_value(issue: Issue, value: float | Distribution | str, field: str) -> None:
    """A value (or a distribution's central value) must be a legal point of the issue."""
    if issue.kind == "categorical":
        if not isinstance(value, str) or value not in (issue.values or ()):
            raise err(
                f"not a category of issue {issue.id!r}",
                field,
                shown(value),
                expected=f"one of {list(issue.values or ())}",
            )
        return
    if isinstance(value, str):
        raise err(
            f"issue {issue.id!r} is numeric", field, value, expected="a number or a distribution"
        )
    assert issue.range is not None
    lo, hi = issue.range
    c = central(value)
    if not lo <= c <= hi:
        what = "the mean of this distribution lies" if isinstance(value, Distribution) else "lies"
        raise err(
            f"{what} outside the range of issue {issue.id!r}",
            field,
            shown(value),
            expected=f"a value in [{lo:g}, {hi:g}]",
        )


def direction(issue: Issue, u: IssueUtility) -> float:
    """+1 if the party prefers higher values on ``issue``, -1 if lower."""
    assert issue.range is not None
    assert u.ideal is not None
    assert not isinstance(u.ideal, str)
    if u.prefers is not None:
        return 1.0 if u.prefers == "higher" else -1.0
    ideal = central(u.ideal)
    if u.reservation is not None and not isinstance(u.reservation, str):
        return 1.0 if central(u.reservation) < ideal else -1.0
    lo, hi = issue.range
    return 1.0 if ideal - lo >= hi - ideal else -1.0


def check_side(
    issue: Issue, u: IssueUtility, value: float | Distribution | str, field: str
) -> None:
    """A reservation-like value must lie on the concession side of the party's ideal."""
    if isinstance(value, str) or u.ideal is None or isinstance(u.ideal, str):
        return
    ideal, res = central(u.ideal), central(value)
    up = direction(issue, u) > 0
    # "the same" relative to the issue's range, so that a range in tiny units (1e-300 wide)
    # is as usable as one in billions
    span = issue.range[1] - issue.range[0] if issue.range is not None else 1.0
    if math.isclose(res, ideal, rel_tol=0, abs_tol=1e-12 * span):
        raise err(
            "reservation equals the ideal: the party has no room to concede",
            field,
            shown(value),
            expected="a walk-away point different from the ideal",
        )
    if (up and res > ideal) or (not up and res < ideal):
        side = "higher" if up else "lower"
        raise err(
            f"reservation on the wrong side of the ideal: a party that prefers {side} values "
            f"must walk away {'below' if up else 'above'} its ideal",
            field,
            shown(value),
            expected=f"a value {'below' if up else 'above'} the ideal {ideal:g}",
        )


def check_issue_utility(issue: Issue, u: IssueUtility, field: str) -> None:
    if issue.kind == "categorical":
        check_categorical(issue, u, field)
        return
    if u.scores is not None:
        raise err(
            "scores apply only to categorical issues",
            f"{field}.scores",
            u.scores,
            expected="ideal, reservation and weight for a numeric issue",
        )
    if u.ideal is None:
        raise ScenarioError(
            "missing the party's ideal value", field=f"{field}.ideal", expected="a number"
        )
    check_value(issue, u.ideal, f"{field}.ideal")
    assert not isinstance(u.ideal, str)
    assert issue.range is not None
    if issue.kind == "integer" and isinstance(u.ideal, float) and not u.ideal.is_integer():
        raise err(
            f"issue {issue.id!r} takes whole numbers",
            f"{field}.ideal",
            u.ideal,
            expected="a whole number",
        )
    if u.reservation is not None:
        check_value(issue, u.reservation, f"{field}.reservation")
        check_side(issue, u, u.reservation, f"{field}.reservation")
    ideal = central(u.ideal)
    if u.reservation is None:
        lo, hi = issue.range
        res = lo if direction(issue, u) > 0 else hi
        if math.isclose(res, ideal, rel_tol=0, abs_tol=1e-12 * (hi - lo)):
            raise err(
                "the ideal sits at the end of the range the party would walk away at",
                f"{field}.ideal",
                shown(u.ideal),
                expected="a reservation, or 'prefers' pointing the other way",
            )
    else:
        assert not isinstance(u.reservation, str)
        res = central(u.reservation)
    if u.points:
        check_points(u, res, ideal, f"{field}.points")


def check_points(u: IssueUtility, res: float, ideal: float, field: str) -> None:
    lo, hi = min(res, ideal), max(res, ideal)
    for k, (x, _) in enumerate(u.points):
        if not lo < x < hi:
            raise err(
                "piecewise points must lie strictly between the reservation and the ideal",
                f"{field}.{k}",
                list(u.points[k]),
                expected=f"a value in ({lo:g}, {hi:g})",
            )
    xs = [x for x, _ in u.points]
    if len(set(xs)) != len(xs):
        raise err("piecewise points need distinct values", field, [list(p) for p in u.points])
    ordered = sorted(u.points, key=lambda p: abs(p[0] - res))
    for a, b in itertools.pairwise(ordered):
        if b[1] <= a[1]:
            raise err(
                "piecewise utilities must rise strictly from the reservation towards the ideal",
                field,
                [list(p) for p in u.points],
                expected="utilities increasing as values move towards the ideal",
            )


def check_categorical(issue: Issue, u: IssueUtility, field: str) -> None:
    cats = list(issue.values or ())
    if u.scores is None:
        raise ScenarioError(
            "a categorical issue needs scores",
            field=f"{field}.scores",
            expected=f"scores: {{category: utility}} for each of {cats}",
        )
    if sorted(u.scores) != sorted(cats):
        raise err(
            "scores must give every category once",
            f"{field}.scores",
            sorted(u.scores),
            expected=f"exactly {cats}",
        )
    for key in ("shape", "points", "prefers"):
        if key in u.model_fields_set:
            raise err(
                f"{key} does not apply to a categorical issue",
                f"{field}.{key}",
                getattr(u, key),
                expected="scores, ideal, reservation and weight",
            )
    for key in ("ideal", "reservation"):
        val = getattr(u, key)
        if val is not None:
            check_value(issue, val, f"{field}.{key}")
    best = max(u.scores.values())
    if u.ideal is not None and u.scores[str(u.ideal)] != best:
        raise err(
            "the ideal category must have the highest score",
            f"{field}.ideal",
            u.ideal,
            expected=f"a category scored {best:g}",
        )
    worst = u.scores[str(u.reservation)] if u.reservation is not None else min(u.scores.values())
    if worst >= best:
        raise err(
            "every acceptable category scores the same: the party has no room to concede",
            f"{field}.reservation" if u.reservation is not None else f"{field}.scores",
            u.reservation if u.reservation is not None else u.scores,
            expected="a reservation category scored below the best one",
        )
