"""The dashboard's deadline-belief panel: how the deal date depends on the believed deadline.

:func:`deadline_beliefs` runs the sweep of
:func:`burdenshare.ensemble.deadline_sweep.deadline_sweep` (the one the report draws) on a
scenario as written, with the what-if's negotiators and seed, and returns it JSON-ready with how
many sessions ran. A believed deadline is what a negotiator concedes against
(``parties.NAME.deadline_belief``, docs/reference/scenario.md "Deadline beliefs"); the sweep sets
every party's belief to each date in turn, with the same draws of every other belief and the
same seeds at every date, so the curves differ by the belief alone.

Its budget is the what-if's. At most :data:`MAX_SWEEP_REQUEST_SESSIONS` sessions per believed
deadline (so at most 1,200,000 per request, a what-if's million and a bit); negotiators that the
compiled engine cannot run go session by session (about 6 ms each), and then the whole sweep runs
at most :data:`~burdenshare.services.whatif.SESSION_BY_SESSION_MAX` sessions, split evenly over
the dates, as one what-if would. Such a cut is never silent: ``sessions_cut`` says what ran and
why.

>>> r = deadline_beliefs("split-the-pie", n=500, negotiators=["boulware"])
>>> r["n_sessions"], r["sessions_cut"], len(r["points"]) >= 1
(500, None, True)
>>> deadline_beliefs("split-the-pie", n=10, beliefs=["1999-01-01"])
Traceback (most recent call last):
...
burdenshare.errors.ScenarioError: beliefs.0: a believed deadline must fall after protocol.start ...
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import Any

from burdenshare.jsonsafe import finite
from burdenshare.scenario.io import LoadedScenario
from burdenshare.scenario.model import MAX_BELIEF_DAYS
from burdenshare.scenario.scenario import Scenario
from burdenshare.services.whatif import (
    SESSION_BY_SESSION_MAX,
    _cast,
    _check_count,
    _names,
    _vectorised,
)
from burdenshare.services.whatif_changes import _bad, parse_date, resolve

__all__ = [
    "DEFAULT_SWEEP_SESSIONS",
    "MAX_SWEEP_BELIEFS",
    "MAX_SWEEP_REQUEST_SESSIONS",
    "deadline_beliefs",
]

#: sessions per believed deadline unless the request says otherwise
DEFAULT_SWEEP_SESSIONS = 20_000
#: the most sessions per believed deadline one request may ask for
MAX_SWEEP_REQUEST_SESSIONS = 100_000
#: the most believed deadlines one request may try (the sweep's own limit)
MAX_SWEEP_BELIEFS = 12


def _beliefs(sc: Scenario, raw: Sequence[object]) -> tuple[dt.date, ...]:
    """The requested believed deadlines as dates: 1 to :data:`MAX_SWEEP_BELIEFS` different
    dates, each after ``protocol.start`` and at most ``MAX_BELIEF_DAYS`` after it (the range a
    scenario's ``deadline_belief`` may take)."""
    if isinstance(raw, str | bytes) or not 1 <= len(raw) <= MAX_SWEEP_BELIEFS:
        raise _bad(
            "beliefs",
            "give a list of believed deadlines",
            raw,
            f"1 to {MAX_SWEEP_BELIEFS} ISO dates, or null for the default set",
        )
    start = sc.protocol.start
    latest = start + dt.timedelta(days=MAX_BELIEF_DAYS)
    expected = f"a date from {(start + dt.timedelta(days=1)).isoformat()} to {latest.isoformat()}"
    out: list[dt.date] = []
    for k, item in enumerate(raw):
        field = f"beliefs.{k}"
        d = parse_date(field, item)
        if not start < d <= latest:
            raise _bad(
                field,
                f"a believed deadline must fall after protocol.start ({start.isoformat()})"
                if d <= start
                else f"a believed deadline may be at most {MAX_BELIEF_DAYS:,} days after "
                "protocol.start",
                d.isoformat(),
                expected,
            )
        if d in out:
            raise _bad(field, "the same believed deadline twice", d.isoformat(), "different dates")
        out.append(d)
    return tuple(out)


def _sweep_cut(per_point: int, requested: int, points: int) -> dict[str, Any] | None:
    """Why a sweep ran fewer sessions per believed deadline than requested (or ``None``).

    >>> _sweep_cut(40, 20_000, 5)["reason"]
    'these negotiators (or this scenario) run session by session (about 6 ms each), so 40 of ...'
    >>> _sweep_cut(500, 500, 5) is None
    True
    """
    if per_point >= requested:
        return None
    return {
        "ran": per_point,
        "requested": requested,
        "limit": SESSION_BY_SESSION_MAX,
        "reason": (
            f"these negotiators (or this scenario) run session by session (about 6 ms each), "
            f"so {per_point:,} of the {requested:,} requested sessions ran for each of the "
            f"{points} believed deadlines (at most {SESSION_BY_SESSION_MAX:,} in all, as for a "
            f"what-if); use a time-dependent negotiator for large ensembles"
        ),
    }


def deadline_beliefs(
    scenario: str | LoadedScenario | Scenario,
    *,
    n: int = DEFAULT_SWEEP_SESSIONS,
    seed: int = 0,
    negotiators: Sequence[str] | None = None,
    beliefs: Sequence[object] | None = None,
    fmt: str = "yaml",
) -> dict[str, Any]:
    """P(deal by each round's date) for several believed deadlines (every party alike) on a
    scenario as written (bundled name, scenario text or object); JSON-ready.

    ``beliefs`` are ISO dates (or dates); ``None`` takes
    :func:`~burdenshare.ensemble.deadline_sweep.default_beliefs` (a quarter, half and three
    quarters of the way to the protocol's deadline, the deadline, the last round). Keys: those
    of ``DeadlineSweep.to_dict`` (``n_sessions`` per believed deadline, ``seed``,
    ``negotiators``, ``deadline``, ``round_dates``, ``points``), plus ``scenario``,
    ``n_requested``, ``sessions_cut`` (``None`` or ``ran``, ``requested``, ``limit``,
    ``reason``), ``beliefs_from`` (``default`` or ``request``), ``vectorised``, ``note`` and
    ``elapsed_seconds``.
    """
    from burdenshare.ensemble.deadline_sweep import deadline_sweep, default_beliefs

    t0 = time.perf_counter()
    requested = _check_count("n", n, 1, MAX_SWEEP_REQUEST_SESSIONS)
    seed = _check_count("seed", seed, 0, 2**63 - 1)
    names = _names(negotiators)
    loaded = resolve(scenario, fmt=fmt)
    sc = loaded.scenario
    pair = _cast(names, sc)
    chosen = default_beliefs(sc) if beliefs is None else _beliefs(sc, beliefs)
    vectorised = _vectorised(sc, pair, seed)
    per_point = (
        requested if vectorised else min(requested, max(1, SESSION_BY_SESSION_MAX // len(chosen)))
    )
    cut = _sweep_cut(per_point, requested, len(chosen))
    sweep = deadline_sweep(sc, pair, n=per_point, seed=seed, beliefs=chosen)
    out = {
        "scenario": {
            "id": sc.id,
            "title": sc.title,
            "source": loaded.source,
            "sha256": loaded.sha256,
        },
        **sweep.to_dict(),
        "n_requested": requested,
        "sessions_cut": cut,
        "beliefs_from": "default" if beliefs is None else "request",
        "vectorised": vectorised,
        "note": "" if cut is None else cut["reason"],
        "elapsed_seconds": time.perf_counter() - t0,
    }
    return dict(finite(out))
