"""The Nash bargaining solution of N parties, symmetric and weighted, on a finite set.

Maximise the (weighted) Nash product over the individually rational outcomes::

    max  sum_i w_i log(u_i - d_i)   subject to  u_i > d_i for every party i

[Nash1950]_ (two parties, equal weights; the N-party form is the same axioms for N players,
[Roth1979]_ ch. I.6); with unequal weights ``w_i > 0`` (bargaining powers, normalised to sum to 1)
it is the asymmetric (non-symmetric) Nash solution [Kalai1977a]_, [Roth1979]_. It is Pareto
optimal and invariant to positive affine rescaling of any party's utility.

Closed form on the N-party split-the-pie (``u_i = x_i``, ``sum x_i = 1``, ``d = 0``): the first
order conditions ``w_i / x_i = lambda`` give ``x_i = w_i``: equal shares with equal weights,
shares in proportion to the weights otherwise.

Algorithm (:func:`nash_point`): keep the outcomes with every ``u_i > d_i`` and take the largest
weighted log product (ties: the larger sum of utilities, then the lowest index). If some
outcomes are rational but none gives every party a strict gain, the product is 0 on all of
them and the rational outcome with the largest sum is returned.

.. [Nash1950] J. F. Nash, "The bargaining problem", *Econometrica* 18 (1950) 155-162.
.. [Kalai1977a] E. Kalai, "Nonsymmetric Nash solutions and replications of 2-person
   bargaining", *International Journal of Game Theory* 6 (1977) 129-133.
.. [Roth1979] A. E. Roth, *Axiomatic Models of Bargaining*, Springer (1979), ch. I.

>>> import numpy as np
>>> shares = np.array([[a, b, 6 - a - b] for a in range(7) for b in range(7 - a)]).T / 6
>>> shares[:, nash_point(shares, (0, 0, 0))].tolist()
[0.3333333333333333, 0.3333333333333333, 0.3333333333333333]
>>> shares[:, nash_point(shares, (0, 0, 0), weights=(1, 2, 3))].round(6).tolist()
[0.166667, 0.333333, 0.5]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from burdenshare.solutions.nparty import _arrays

__all__ = ["nash_point", "nash_product"]


def nash_point(U: ArrayLike, d: ArrayLike, weights: ArrayLike | None = None) -> int | None:
    """Index of the outcome of ``U`` (``(P, G)``) with the largest weighted Nash product over
    disagreement point ``d``; None if no outcome is individually rational.

    Args:
        U: utilities, one row per party and one column per outcome.
        d: the disagreement point, one utility per party.
        weights: bargaining powers, one per party, each > 0 (normalised); None: equal.
    """
    arr, vec, idx = _arrays.rational(U, d)
    w = _arrays.weights(weights, arr.shape[0])
    if idx.size == 0:
        return None
    gains = arr[:, idx] - vec[:, None]
    total = arr[:, idx].sum(axis=0)
    strict = np.all(gains > 0, axis=0)
    if not np.any(strict):
        return _arrays.argbest(idx, total, np.zeros(idx.size))
    keep = np.flatnonzero(strict)
    log_product = w @ np.log(gains[:, keep])
    return _arrays.argbest(idx[keep], log_product, total[keep])


def nash_product(u: ArrayLike, d: ArrayLike, weights: ArrayLike | None = None) -> float:
    """The weighted Nash product ``prod_i (u_i - d_i)^w_i`` of one utility vector (0 when a
    gain is not positive); weights normalised to sum to 1.

    >>> round(nash_product((0.5, 0.5), (0.0, 0.0)), 12)
    0.5
    """
    vec = np.asarray(u, dtype=np.float64).ravel()
    gains = vec - _arrays.disagreement(d, vec.size)
    w = _arrays.weights(weights, vec.size)
    if np.any(gains <= 0):
        return 0.0
    return float(np.exp(w @ np.log(gains)))
