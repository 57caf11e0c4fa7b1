"""CategoricalUtility.inverse: a category for every target, the cheapest one that reaches it.

Regression: GeniusWeb value utilities may top out below 1 (Party's best food scores 0.75), and
``inverse`` raised ``ValueError`` on an empty list for any target above the best score.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from burdenshare.preferences.issue_utility import CategoricalUtility

SCORES = st.lists(st.floats(0.0, 1.0), min_size=1, max_size=8)


@given(scores=SCORES, u=st.floats(-2.0, 2.0))
def test_inverse_is_the_cheapest_category_reaching_the_target(
    scores: list[float], u: float
) -> None:
    util = CategoricalUtility(scores=tuple((f"c{k}", v) for k, v in enumerate(scores)))
    got = util.inverse(u)
    target = min(u, 1.0, max(scores))
    assert util(got) >= target - 1e-12
    assert all(util(got) <= v + 1e-12 for v in scores if v >= target - 1e-12)


def test_a_target_above_the_best_score_gives_the_best_category() -> None:
    util = CategoricalUtility(scores=(("chips", 0.75), ("nuts", 0.5)))
    assert util.inverse(0.9) == "chips"
    assert util.inverse(1.0) == "chips"
