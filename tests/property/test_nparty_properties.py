"""Invariants of the N-party solutions (:mod:`burdenshare.solutions.nparty`), by brute force on
small random grids: Pareto optimality and individual rationality of every point (Nash 1950;
Kalai & Smorodinsky 1975; Kalai 1977), symmetry, the scale invariance of Nash, the Pareto set
against a pairwise check, and with two parties the same answers as the bilateral solvers."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from burdenshare.solutions import (
    egalitarian_discrete,
    kalai_smorodinsky_discrete,
    nash_discrete,
    utilitarian_discrete,
)
from burdenshare.solutions.nparty import (
    egalitarian_point,
    kalai_smorodinsky_level,
    kalai_smorodinsky_point,
    nash_point,
    nash_product,
    pareto_set,
    utilitarian_point,
    zone_mask,
)

FAST = settings(max_examples=60, deadline=None)
SOLVERS: dict[str, Callable[..., int | None]] = {
    "nash": nash_point,
    "kalai_smorodinsky": kalai_smorodinsky_point,
    "egalitarian": egalitarian_point,
    "utilitarian": utilitarian_point,
}
# utilities on a grid of 1/8: exact sums, so that ties are ties
_values = st.integers(0, 8).map(lambda k: k / 8)


@st.composite
def problems(draw: st.DrawFn, parties: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    p = parties if parties is not None else draw(st.integers(2, 4))
    g = draw(st.integers(1, 25))
    U = draw(arrays(np.float64, (p, g), elements=_values))
    d = draw(arrays(np.float64, (p,), elements=st.integers(0, 3).map(lambda k: k / 8)))
    return U, d


def _dominated(U: np.ndarray, i: int, among: np.ndarray) -> bool:
    other = U[:, among]
    col = U[:, [i]]
    return bool(np.any(np.all(other >= col, axis=0) & np.any(other > col, axis=0)))


@FAST
@given(problems())
@pytest.mark.parametrize("name", list(SOLVERS))
def test_every_point_is_rational_and_pareto_optimal(
    name: str, problem: tuple[np.ndarray, np.ndarray]
) -> None:
    U, d = problem
    rational = np.flatnonzero(np.all(d[:, None] <= U, axis=0))
    i = SOLVERS[name](U, d)
    if rational.size == 0:
        assert i is None
        return
    assert i is not None
    assert i in rational
    assert not _dominated(U, i, rational)


@FAST
@given(problems())
def test_the_pareto_set_is_exactly_the_undominated_rational_outcomes(
    problem: tuple[np.ndarray, np.ndarray],
) -> None:
    U, d = problem
    rational = np.flatnonzero(np.all(d[:, None] <= U, axis=0))
    expected = [int(i) for i in rational if not _dominated(U, int(i), rational)]
    assert pareto_set(U, d).tolist() == expected


@FAST
@given(problems(), st.permutations(range(4)))
def test_renaming_the_parties_renames_the_solutions(
    problem: tuple[np.ndarray, np.ndarray], perm: list[int]
) -> None:
    U, d = problem
    order = [k for k in perm if k < U.shape[0]]
    V, e = U[order], d[order]
    for name in ("egalitarian", "utilitarian", "kalai_smorodinsky"):
        i, j = SOLVERS[name](U, d), SOLVERS[name](V, e)
        assert (i is None) == (j is None)
        if i is not None and j is not None:  # the same objective values (ties may differ)
            assert (U[:, i] - d).min() == (V[:, j] - e).min() or name == "kalai_smorodinsky"
            assert U[:, i].sum() == V[:, j].sum()
    assert kalai_smorodinsky_level(U, d) == kalai_smorodinsky_level(V, e)
    i, j = nash_point(U, d), nash_point(V, e)
    assert (i is None) == (j is None)
    if i is not None and j is not None:
        assert nash_product(U[:, i], d) == pytest.approx(nash_product(V[:, j], e), abs=1e-12)


@FAST
@given(
    problems(),
    arrays(np.float64, (4,), elements=st.sampled_from([0.5, 2.0, 4.0])),
    arrays(np.float64, (4,), elements=st.sampled_from([-1.0, 0.0, 3.0])),
)
def test_nash_is_invariant_to_rescaling_each_party(
    problem: tuple[np.ndarray, np.ndarray], scale: np.ndarray, shift: np.ndarray
) -> None:
    U, d = problem
    a, b = scale[: U.shape[0], None], shift[: U.shape[0], None]
    i, j = nash_point(U, d), nash_point(a * U + b, a[:, 0] * d + b[:, 0])
    assert (i is None) == (j is None)
    if i is not None and j is not None:  # powers of two: the rescaled utilities are exact
        assert nash_product(U[:, i], d) == pytest.approx(nash_product(U[:, j], d), abs=1e-12)


@FAST
@given(problems(parties=2))
def test_two_parties_give_the_bilateral_answers(problem: tuple[np.ndarray, np.ndarray]) -> None:
    U, d = problem
    assert egalitarian_point(U, d) == egalitarian_discrete(U[0], U[1], d)
    assert utilitarian_point(U, d) == utilitarian_discrete(U[0], U[1], d)
    assert kalai_smorodinsky_point(U, d) == kalai_smorodinsky_discrete(U[0], U[1], d)
    i, j = nash_point(U, d), nash_discrete(U[0], U[1], d)
    assert (i is None) == (j is None)
    if i is not None and j is not None:
        assert nash_product(U[:, i], d) == pytest.approx(nash_product(U[:, j], d), abs=1e-12)


@FAST
@given(problems(), st.integers(1, 4))
def test_a_majority_zone_holds_the_unanimity_zone(
    problem: tuple[np.ndarray, np.ndarray], needed: int
) -> None:
    U, d = problem
    q = min(needed, U.shape[0])
    assert np.all(zone_mask(U, d, q) >= zone_mask(U, d))
    assert np.all((U[:, zone_mask(U, d, q)] >= d[:, None]).sum(axis=0) >= q)
