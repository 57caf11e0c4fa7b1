"""The scalable Bayesian opponent model of Hindriks & Tykhonov (2008) (``bayesian``).

Hindriks & Tykhonov (2008), "Opponent modelling in automated multi-issue negotiation using
Bayesian learning", *AAMAS 2008*, 331-338; as implemented in GENIUS's
``BayesianOpponentModelScalable``. Each issue ``k`` has independent hypotheses:

* weights: ``w in {0, 0.1, ..., 1}`` with prior proportional to ``(1 - (j + 1) / 11)^3``
  (``j`` the level's index; GENIUS's prior, favouring light issues);
* evaluation functions over the issue's values ``0..m-1`` (numeric values in increasing order,
  categories in the issue's order): *uphill* ``j / (m - 1)``, *downhill* ``(m - 1 - j) / (m - 1)``
  and, for ``m > 2``, *triangular* with its peak at each inner value ``p = 1..m-2``
  (``j / p`` below the peak, ``(m - 1 - j) / (m - 1 - p)`` from it on); uniform prior. One value:
  the single function 1.

The opponent is assumed to concede along an expected utility: its ``i``-th distinct offer
(0-based) is worth ``u_i = 1 - 0.003 i`` to it. The likelihood of a hypothesis giving the offer
utility ``u`` is the normal density of ``(u_i - u) / u_i`` with ``sigma = 0.25``. For each distinct
offer (an offer equal to an earlier one is ignored), as GENIUS does:

1. from the second offer on, update every issue's weight hypotheses (the offer's utility under a
   weight hypothesis ``w`` for issue ``k``: ``w E[e_k] + sum_{j != k} E[w_j] E[e_j]``, expectations
   under the current beliefs);
2. update every issue's evaluation hypotheses (utility ``E[w_k] e + sum_{j != k} E[w_j] E[e_j]``,
   with the weights just updated);
3. estimated utility of an outcome: ``sum_k E[w_k] E[e_k(x_k)]``, divided by ``sum_k E[w_k]`` so
   it lies in [0, 1] (GENIUS leaves it unnormalised; the order of outcomes is the same).

Simplifications, stated: the hypotheses over weight *rankings* of the paper's full model are
replaced by the scalable model's independent per-issue weights; evaluations are the exact
shapes above (GENIUS's discrete hypotheses add 1 to 1000-scaled integers, a difference below
0.1%); every numeric issue is treated as the discrete list of its outcome-space values (GENIUS
uses four triangular peaks on a real issue); a posterior whose normalising sum underflows to 0
keeps the prior beliefs (GENIUS turns into NaN there, a known bug of its implementation).
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from burdenshare.errors import SimulationError
from burdenshare.negotiation.opponent.base import FloatArray, IntArray, OpponentModel, offer_rows
from burdenshare.negotiation.outcome_space import OutcomeSpace

__all__ = [
    "WEIGHT_LEVELS",
    "BayesianModel",
    "bayesian_estimate",
    "bayesian_utilities",
    "evaluation_hypotheses",
    "weight_hypotheses",
]

#: number of weight hypotheses per issue (0, 0.1, ..., 1)
WEIGHT_LEVELS = 11


def weight_hypotheses() -> tuple[FloatArray, FloatArray]:
    """The weight levels and their prior.

    >>> levels, prior = weight_hypotheses()
    >>> levels[:3].tolist(), round(float(prior[0]), 4), float(prior[-1])
    ([0.0, 0.1, 0.2], 0.3306, 0.0)
    """
    j = np.arange(WEIGHT_LEVELS, dtype=np.float64)
    prior = (1.0 - (j + 1.0) / WEIGHT_LEVELS) ** 3
    return j / (WEIGHT_LEVELS - 1), prior / prior.sum()


def evaluation_hypotheses(m: int) -> FloatArray:
    """The evaluation functions of an issue with ``m`` values, one per row ``(H, m)``.

    >>> evaluation_hypotheses(3).tolist()
    [[0.0, 0.5, 1.0], [1.0, 0.5, 0.0], [0.0, 1.0, 0.0]]
    """
    if m == 1:
        return np.ones((1, 1))
    j = np.arange(m, dtype=np.float64)
    rows = [j / (m - 1), (m - 1 - j) / (m - 1)]
    for p in range(1, m - 1):
        rows.append(np.where(j < p, j / p, (m - 1 - j) / (m - 1 - p)))
    return np.stack(rows)


def _likelihood(u: FloatArray, expected: float, sigma: float) -> FloatArray:
    x = (expected - u) / expected
    return np.asarray(
        np.exp(-(x * x) / (2.0 * sigma * sigma)) / (sigma * math.sqrt(2.0 * math.pi)),
        dtype=np.float64,
    )


def bayesian_estimate(
    rows: IntArray, n_values: IntArray, sigma: float = 0.25, step: float = 0.003
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Posterior weight probabilities ``(n, 11)``, evaluation probabilities ``(n, H)`` and the
    evaluation tables ``(n, H, m)`` (padded with probability 0) after the offers ``rows``.

    >>> pw, pe, tables = bayesian_estimate(np.array([[1, 0]]), np.array([2, 2]))
    >>> pe.round(4).tolist()  # one offer: the values it holds look better
    [[0.8983, 0.1017], [0.1017, 0.8983]]
    """
    n = len(n_values)
    levels, prior = weight_hypotheses()
    m_max = int(np.max(n_values)) if n else 1
    per_issue = [evaluation_hypotheses(int(m)) for m in n_values]
    h_max = max((len(h) for h in per_issue), default=1)
    tables = np.zeros((n, h_max, m_max))
    pe = np.zeros((n, h_max))
    for k, h in enumerate(per_issue):
        tables[k, : h.shape[0], : h.shape[1]] = h
        pe[k, : h.shape[0]] = 1.0 / h.shape[0]
    pw = np.tile(prior, (n, 1))
    expected = 1.0
    seen: set[tuple[int, ...]] = set()
    for t in range(len(rows)):
        bid = rows[t]
        key = tuple(int(v) for v in bid)
        if key in seen:
            continue
        seen.add(key)
        e_bid = np.array([pe[k] @ tables[k, :, bid[k]] for k in range(n)])
        ew = pw @ levels
        if len(seen) > 1:
            new_pw = pw.copy()
            for k in range(n):
                partial = float(ew @ e_bid - ew[k] * e_bid[k])
                post = pw[k] * _likelihood(levels * e_bid[k] + partial, expected, sigma)
                total = float(post.sum())
                if total > 0.0:
                    new_pw[k] = post / total
            pw = new_pw
            ew = pw @ levels
        new_pe = pe.copy()
        for k in range(n):
            partial = float(ew @ e_bid - ew[k] * e_bid[k])
            post = pe[k] * _likelihood(partial + ew[k] * tables[k, :, bid[k]], expected, sigma)
            total = float(post.sum())
            if total > 0.0:
                new_pe[k] = post / total
        pe = new_pe
        expected -= step
    return pw, pe, tables


def bayesian_utilities(
    index: IntArray, pw: FloatArray, pe: FloatArray, tables: FloatArray
) -> FloatArray:
    """Step 3: ``sum_k E[w_k] E[e_k(x_k)] / sum_k E[w_k]`` for every outcome (rows of ``index``)."""
    levels, _ = weight_hypotheses()
    ew = pw @ levels
    out = np.zeros(index.shape[0], dtype=np.float64)
    for k in range(index.shape[1]):
        expected_eval = pe[k] @ tables[k]  # (m,)
        out += ew[k] * expected_eval[index[:, k]]
    total = float(ew.sum())
    return out / total if total > 0.0 else out


class BayesianModel(OpponentModel):
    """Hindriks & Tykhonov's scalable Bayesian model (see the module docstring)."""

    name: ClassVar[str] = "bayesian"

    def __init__(self, sigma: float = 0.25, step: float = 0.003) -> None:
        self.sigma = sigma
        self.step = step

    def validate_params(self) -> None:
        s, d = self.sigma, self.step
        if isinstance(s, bool) or not isinstance(s, int | float) or not s > 0:
            raise SimulationError(f"bayesian model: sigma must be a number > 0, got {s!r}")
        if isinstance(d, bool) or not isinstance(d, int | float) or not 0 <= d < 1:
            raise SimulationError(f"bayesian model: step must be in [0, 1), got {d!r}")

    def utilities(self, space: OutcomeSpace) -> FloatArray:
        pw, pe, tables = bayesian_estimate(
            offer_rows(space, self.offers_), space.n_values, float(self.sigma), float(self.step)
        )
        return bayesian_utilities(space.index, pw, pe, tables)
