"""Proportional rules: a total shared in proportion to one number per player.

``x_i = total * w_i / sum_j w_j`` with non-negative weights, not all zero. The weight decides the
rule and its justification:

- **stand-alone costs** ``w_i = c({i})``: the proportional rule of the cost-allocation literature
  ([Young1985]_, ch. 1; [Moulin2002]_, section 2), which charges each player in proportion to
  what it would spend alone;
- **equal split** ``w_i = 1``;
- **ability to pay** ``w_i = GDP_i`` or ``GNI_i``: each ally pays the same fraction of its
  income. NATO's common funding works this way: "All Allies contribute to funding NATO using an
  agreed cost share formula derived from the Gross National Income of member countries" (NATO,
  "Funding NATO", quoted in ../shared/data/nato/README.md). NATO's actual shares are negotiated
  from that formula and capped (the United States and Germany each paid 16.35% from 2021, as
  reported by dpa; common_funding_shares.csv), so a pure GNI share is the formula's starting
  point, not NATO's table.

.. [Young1985] H. P. Young (ed.), *Cost Allocation: Methods, Principles, Applications*,
   North-Holland (1985).
.. [Moulin2002] H. Moulin, "Axiomatic cost and surplus sharing", in K. J. Arrow, A. K. Sen and
   K. Suzumura (eds.), *Handbook of Social Choice and Welfare* vol. 1, Elsevier (2002) 289-357.

>>> proportional(90.0, (70.0, 40.0)).round(6).tolist()
[57.272727, 32.727273]
>>> proportional(10.0, (1.0, 1.0, 2.0)).tolist()
[2.5, 2.5, 5.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from burdenshare.errors import ScenarioError

__all__ = ["proportional"]


def proportional(total: float, weights: Sequence[float]) -> NDArray[np.float64]:
    """``total * w_i / sum(w)``; ScenarioError for a negative, non-finite or all-zero weight."""
    w = np.asarray([float(v) for v in weights], dtype=np.float64)
    if w.size == 0 or not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ScenarioError(
            "proportional weights must be finite, >= 0 and not all 0",
            field="weights",
            value=w.tolist(),
            expected="one finite weight >= 0 per player, with a positive sum",
        )
    return np.asarray(float(total) * w / w.sum(), dtype=np.float64)
