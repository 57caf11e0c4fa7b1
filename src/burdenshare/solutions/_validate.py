"""Parameter checks shared by the solution modules (private).

Every check raises :class:`~burdenshare.errors.SolverError` with a message naming the parameter and
the offending value, so a caller can see at once what to change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from burdenshare.errors import SolverError


def finite(name: str, value: float) -> float:
    """``value`` as a float, or an error if it is not a finite number."""
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise SolverError(f"{name} must be a finite number, got {value!r}") from None
    if not math.isfinite(out):
        raise SolverError(f"{name} must be a finite number, got {value!r}")
    return out


def open_unit(name: str, value: float) -> float:
    """A discount factor or weight strictly between 0 and 1."""
    out = finite(name, value)
    if not 0.0 < out < 1.0:
        raise SolverError(f"{name} must be in (0, 1), got {value!r}")
    return out


def half_open_unit(name: str, value: float) -> float:
    """A discount factor in (0, 1] (1 means no discounting)."""
    out = finite(name, value)
    if not 0.0 < out <= 1.0:
        raise SolverError(f"{name} must be in (0, 1], got {value!r}")
    return out


def probability(name: str, value: float) -> float:
    """A probability in [0, 1]."""
    out = finite(name, value)
    if not 0.0 <= out <= 1.0:
        raise SolverError(f"{name} must be a probability in [0, 1], got {value!r}")
    return out


def positive(name: str, value: float) -> float:
    """A strictly positive finite number."""
    out = finite(name, value)
    if out <= 0.0:
        raise SolverError(f"{name} must be > 0, got {value!r}")
    return out


def point(name: str, value: Sequence[float]) -> tuple[float, float]:
    """A pair of finite utilities, such as a disagreement point ``(d1, d2)``."""
    try:
        a, b = value
    except (TypeError, ValueError):
        raise SolverError(f"{name} must be a pair (u1, u2), got {value!r}") from None
    return finite(f"{name}[0]", a), finite(f"{name}[1]", b)


def first_mover(value: int) -> int:
    """Which party proposes first: 1 or 2."""
    if value not in (1, 2) or isinstance(value, bool):
        raise SolverError(f"first_mover must be 1 or 2, got {value!r}")
    return int(value)
