"""Acceptance conditions (Baarslag, Hindriks & Jonker 2014), as pure functions.

Baarslag, Hindriks & Jonker (2014), "Effective acceptance conditions in real-time automated
negotiation", *Decision Support Systems* 60:68-77 (first as "Acceptance conditions in automated
negotiation", *Complex Automated Negotiations*, SCI 319, 2011); as implemented in GENIUS's BOA
acceptance strategies. ``u`` is the own utility of the opponent's offer, ``u_next`` that of the
bid the agent would make now, ``t`` the relative time in [0, 1]:

* ``AC_next(alpha, beta)``: accept iff ``alpha u + beta >= u_next`` (GENIUS's time-dependent
  agents use ``AC_next(1, 0)``);
* ``AC_const(c)``: accept iff ``u >= c``;
* ``AC_time(T)``: accept iff ``t >= T``;
* ``AC_combi(T, MAX^W)``: accept iff ``AC_next(1, 0)``, or ``t >= T`` and ``u`` is at least the
  best utility among the opponent's offers received in the window ``W = [t - (1 - t), t]`` (the
  last stretch of time as long as the time remaining; 0 if none). GENIUS's
  ``AC_CombiMaxInWindow``, whose default is ``T = 0.98``.

A negotiator applies them to offers it may accept at all (its own ratifier approves and the
offer is worth at least its minimum:
:meth:`~burdenshare.negotiation.negotiators.base.Negotiator.admissible`).

>>> ac_next(0.8, 0.8), ac_next(0.79, 0.8), ac_next(0.7, 0.8, alpha=1.0, beta=0.15)
(True, False, True)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["ACCEPTANCE_CONDITIONS", "ac_combi", "ac_const", "ac_next", "ac_time"]

#: the acceptance conditions by name, as the ``accept`` parameter of the GENIUS-style agents
ACCEPTANCE_CONDITIONS = ("next", "const", "time", "combi")

FloatArray = npt.NDArray[np.float64]


def ac_next(u: float, u_next: float, alpha: float = 1.0, beta: float = 0.0) -> bool:
    """``alpha u + beta >= u_next``."""
    return alpha * u + beta >= u_next


def ac_const(u: float, c: float) -> bool:
    """``u >= c``.

    >>> ac_const(0.9, 0.9), ac_const(0.89, 0.9)
    (True, False)
    """
    return u >= c


def ac_time(t: float, T: float) -> bool:
    """``t >= T``.

    >>> ac_time(0.99, 0.98), ac_time(0.5, 0.98)
    (True, False)
    """
    return t >= T


def ac_combi(
    u: float, u_next: float, t: float, T: float, received_u: FloatArray, received_t: FloatArray
) -> bool:
    """``AC_combi(T, MAX^W)``: ``AC_next(1, 0)``, or ``t >= T`` and ``u >= max`` of the utilities
    ``received_u`` of the offers received at times ``received_t`` within ``[2t - 1, t]``.

    >>> ac_combi(0.5, 0.9, 0.99, 0.98, np.array([0.6, 0.4, 0.5]), np.array([0.5, 0.975, 0.99]))
    True
    >>> ac_combi(0.5, 0.9, 0.97, 0.98, np.array([0.5]), np.array([0.97]))
    False
    """
    if ac_next(u, u_next):
        return True
    if not ac_time(t, T):
        return False
    window = (received_t >= t - (1.0 - t)) & (received_t <= t)
    best = float(np.max(received_u[window])) if window.any() else 0.0
    return u >= best
