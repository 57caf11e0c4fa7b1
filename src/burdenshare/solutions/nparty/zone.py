"""The zone of agreement of N parties: acceptable to all, or to a decision rule's majority.

An outcome is acceptable to party ``i`` when ``u_i >= d_i`` (it prefers the deal to walking
away; [Raiffa1982]_ ch. 4 and, for many parties, ch. 17-18 on coalitions and voting). Under
unanimity the zone is the outcomes acceptable to every party (individual rationality,
[Nash1950]_); under a decision rule that needs ``Q`` of the ``P`` parties
(``Protocol.needed(P)``) it is the outcomes acceptable to at least ``Q`` of them. A majority
zone contains the unanimity zone, and its outcomes may leave a minority worse off than walking
away.

.. [Raiffa1982] H. Raiffa, *The Art and Science of Negotiation*, Harvard University Press (1982).
.. [Nash1950] J. F. Nash, "The bargaining problem", *Econometrica* 18 (1950) 155-162.

>>> import numpy as np
>>> U = np.array([[0.1, 0.5, 0.9], [0.9, 0.5, 0.1], [0.5, 0.5, 0.0]])
>>> acceptance_counts(U, (0.2, 0.2, 0.2)).tolist()
[2, 3, 1]
>>> zone_mask(U, (0.2, 0.2, 0.2), needed=2).tolist()
[True, True, False]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burdenshare.errors import SolverError
from burdenshare.solutions.nparty import _arrays

__all__ = ["acceptance_counts", "zone_mask"]


def acceptance_counts(U: ArrayLike, d: ArrayLike, tol: float = 0.0) -> NDArray[np.intp]:
    """For each outcome of ``U`` (``(P, G)``), how many parties prefer it to walking away
    (``u_i >= d_i - tol``)."""
    arr = _arrays.utilities(U)
    vec = _arrays.disagreement(d, arr.shape[0])
    return np.asarray((arr >= vec[:, None] - tol).sum(axis=0), dtype=np.intp)


def zone_mask(
    U: ArrayLike, d: ArrayLike, needed: int | None = None, tol: float = 0.0
) -> NDArray[np.bool_]:
    """True for the outcomes acceptable to at least ``needed`` parties (None: all of them,
    unanimity)."""
    counts = acceptance_counts(U, d, tol)
    parties = _arrays.utilities(U).shape[0]
    q = parties if needed is None else int(needed)
    if not 1 <= q <= parties:
        raise SolverError(f"needed must be between 1 and {parties}, got {needed!r}")
    return np.asarray(counts >= q, dtype=np.bool_)
