"""The distances a tournament reports, by hand, on the smallest frontier there is.

Source of the measure: Baarslag et al. (2013), "Evaluating practical negotiating agents: results
and analysis of the 2011 international competition", *Artificial Intelligence* 198:73-103, sec.
5.3; GENIUS computes it as ``BidSpace.distanceToNearestParetoBid``: the Euclidean distance in
the utility plane to the *nearest Pareto-optimal outcome* of the discrete domain (and to the Nash
outcome). :mod:`burdenshare.tournament.reference` states the same rule, ``min_k ||u - f_k||``.

Hand computation: two outcomes, ``f = {(0, 1), (1, 0)}``, both Pareto optimal; Nash point
``(1, 0)`` (as given); the disagreement point ``(0, 0)``.

- ``u = (0, 0)``: ``||u - (0, 1)|| = ||u - (1, 0)|| = 1``, so both distances are 1;
- ``u = (1/2, 1/2)``: ``||u - (0, 1)|| = ||u - (1, 0)|| = sqrt(1/4 + 1/4) = sqrt(1/2)
  = 0.7071068``, so both distances are ``sqrt(1/2)``;
- ``u = (0.9, 0.2)``: nearest point ``(1, 0)``, ``sqrt(0.01 + 0.04) = sqrt(0.05) = 0.2236068``;
  Nash is the same point.

The docstring example of ``reference_distances`` first said 0.5 for ``(1/2, 1/2)``, and was
never run (docstring examples in ``src`` were not collected until issue 12). 0.5 is none of the
reasonable readings: the nearest frontier point is ``sqrt(1/2)`` away, and the segment between
the two outcomes passes through ``(1/2, 1/2)`` (distance 0; a discrete domain has no outcomes on
it anyway); 0.5 is the Chebyshev distance, which neither ANAC nor the module uses. The example
was wrong and the code right; the example now says 0.707107 and runs in ``make test``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from burdenshare.tournament.reference import DomainReference, reference_distances

TOL = 1e-12


def test_distances_on_a_two_outcome_frontier_match_the_hand_computation() -> None:
    ref = DomainReference(np.array([0.0, 1.0]), np.array([1.0, 0.0]), (1.0, 0.0), (0.0, 0.0), "x")
    pareto, nash = reference_distances(ref, np.array([0.0, 0.5, 0.9]), np.array([0.0, 0.5, 0.2]))
    assert pareto.tolist() == pytest.approx([1.0, math.sqrt(0.5), math.sqrt(0.05)], abs=TOL)
    assert nash.tolist() == pytest.approx([1.0, math.sqrt(0.5), math.sqrt(0.05)], abs=TOL)
    # the value the old example claimed is the Chebyshev distance, not the measure
    assert pareto[1] != pytest.approx(0.5, abs=1e-3)
