"""Defence in depth: a batch's stored values must be valid outcomes, or the run stops.

The negotiators and the kernel keep every proposal inside each issue's range (protocol rule 4),
so an agreement outside it is a bug. :func:`check_batch` catches one before it reaches a store:
it raises :class:`~burdenshare.errors.BurdenshareError` (an internal error, exit code 1) naming
the session, the issue and the value, instead of letting a wrong number be saved without a word.

Per session, with an agreement: every numeric issue's value is finite, inside the range, and a
whole number on an integer issue (categorical issues are not stored as numbers: NaN); without
one: NaN. Every utility is finite.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from burdenshare.errors import BurdenshareError
from burdenshare.scenario.scenario import Scenario

__all__ = ["check_batch"]


def _fail(start: int, k: int, what: str) -> BurdenshareError:
    return BurdenshareError(
        f"internal error: session {start + k} {what}; nothing was stored. Please report this "
        "with the scenario file."
    )


def check_batch(
    scenario: Scenario,
    start: int,
    agreed: npt.NDArray[np.bool_],
    values: Mapping[str, npt.NDArray[np.float64]],
    utilities: Mapping[str, npt.NDArray[np.float64]],
) -> None:
    """Raise if a session's values or utilities are not those of a valid outcome (see above).

    ``start`` is the index of the first session (for the message).
    """
    for issue in scenario.issues:
        x = np.asarray(values[issue.id], dtype=np.float64)
        if issue.kind == "categorical" or issue.range is None:
            bad = ~np.isnan(x)
            if bad.any():
                k = int(np.flatnonzero(bad)[0])
                raise _fail(
                    start, k, f"stored a number {float(x[k])!r} for categorical {issue.id!r}"
                )
            continue
        lo, hi = issue.range
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(x) & (x >= lo) & (x <= hi)
            if issue.kind == "integer":
                ok &= x == np.round(x)
        bad = np.where(agreed, ~ok, ~np.isnan(x))
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            kind = "a whole number" if issue.kind == "integer" else "a number"
            expected = f"{kind} in [{lo:g}, {hi:g}]" if agreed[k] else "no value (no agreement)"
            raise _fail(start, k, f"agreed {issue.id}={float(x[k])!r}; expected {expected}")
    for party, u in utilities.items():
        bad = ~np.isfinite(np.asarray(u, dtype=np.float64))
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise _fail(start, k, f"gave {party} the utility {float(u[k])!r}")
