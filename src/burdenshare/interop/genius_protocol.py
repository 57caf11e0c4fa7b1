"""The protocol options of ``import-genius``: profiles, rounds, start, deadline and first mover.

GENIUS counts a deadline in rounds and NegMAS in steps; a burdenshare protocol holds dated rounds.
These options set :func:`~burdenshare.interop.genius.to_scenario`'s protocol: one round a day from
``start``, as many as ``rounds`` or up to ``deadline``, opened by the named party, among the
profiles chosen by :func:`profile_indices` (by default all of them: an ANAC 2015-17 domain with
three profiles becomes a three-party scenario).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from burdenshare.errors import ScenarioError
from burdenshare.interop.genius import GeniusDomain, _slug, chosen_profiles

__all__ = ["profile_indices", "protocol_choices"]


def _party_ids(names: Sequence[str]) -> list[str]:
    taken: set[str] = set()
    return [_slug(name, taken) for name in names]


def profile_indices(domain: GeniusDomain, chosen: Sequence[str] | None) -> tuple[int, ...] | None:
    """The indices of the profiles named in ``chosen`` (``--profile``, in the order given), by
    GENIUS profile name or by party id in the written scenario; None (every profile) when
    nothing is chosen.

    >>> from types import SimpleNamespace
    >>> d = SimpleNamespace(profiles=[SimpleNamespace(name=n) for n in ("A 1", "B", "C")])
    >>> profile_indices(d, ["C", "A_1"]), profile_indices(d, None)
    ((2, 0), None)
    """
    if not chosen:
        return None
    names = [p.name for p in domain.profiles]
    ids = _party_ids(names)
    out: list[int] = []
    for wanted in chosen:
        hits = [k for k in range(len(names)) if wanted in (names[k], ids[k])]
        if not hits:
            raise ScenarioError(
                "no profile by that name",
                field="--profile",
                value=wanted,
                expected=f"one of {', '.join(dict.fromkeys([*ids, *names]))}",
            )
        out.append(hits[0])
    if len(out) < 2 or len(set(out)) != len(out):
        raise ScenarioError(
            "give --profile two or more times, each profile once (or leave it out for all)",
            field="--profile",
            value=list(chosen),
            expected="two or more different profiles",
        )
    return tuple(out)


def protocol_choices(
    domain: GeniusDomain,
    *,
    first_mover: str | None = None,
    rounds: int | None = None,
    start: str | dt.date = dt.date(2000, 1, 1),
    deadline: str | dt.date | None = None,
    profiles: Sequence[int] | None = None,
) -> tuple[int, int, dt.date]:
    """``import-genius``'s protocol options as :func:`to_scenario`'s arguments: which of the
    chosen ``profiles`` (default: all) opens (its position among them), the number of daily
    rounds and the first day.

    ``first_mover`` names a party by its id in the written scenario (the profile name made a
    key) or by its GENIUS profile name; ``deadline`` (a date after ``start``) sets one round a
    day up to it, and must agree with ``rounds`` when both are given (GENIUS counts a deadline
    in rounds; NegMAS in steps; here each round is one day).

    >>> from types import SimpleNamespace
    >>> profiles = [SimpleNamespace(name="Buyer"), SimpleNamespace(name="Seller")]
    >>> d = SimpleNamespace(profiles=profiles)
    >>> protocol_choices(d, first_mover="Seller", deadline="2000-01-31")
    (1, 30, datetime.date(2000, 1, 1))
    """
    first_day = _date(start, "--start")
    n = rounds
    if deadline is not None:
        end = _date(deadline, "--deadline")
        days = (end - first_day).days
        if days < 1:
            raise ScenarioError(
                "the deadline must come after the start",
                field="--deadline",
                value=str(deadline),
                expected=f"a date after {first_day.isoformat()}",
            )
        if n is not None and n != days:
            raise ScenarioError(
                f"--rounds {n} and --deadline {end.isoformat()} disagree: one round a day from "
                f"{first_day.isoformat()} gives {days} rounds",
                field="--rounds",
                value=n,
                expected=f"{days}, or leave one of the two out",
            )
        n = days
    n = 100 if n is None else n
    if not 1 <= n <= 10_000:
        raise ScenarioError("rounds must be 1 to 10,000", field="--rounds", value=n)
    opener = 0
    if first_mover is not None:
        chosen = chosen_profiles(domain, profiles=profiles)
        names = [domain.profiles[k].name for k in chosen]
        ids = _party_ids(names)
        matches = [k for k in range(len(chosen)) if first_mover in (names[k], ids[k])]
        if not matches:
            raise ScenarioError(
                "no party by that name",
                field="--first-mover",
                value=first_mover,
                expected=f"one of {', '.join(dict.fromkeys([*ids, *names]))}",
            )
        opener = matches[0]
    return opener, n, first_day


def _date(value: str | dt.date, option: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ScenarioError(
            "not a date", field=option, value=value, expected="a date written YYYY-MM-DD"
        ) from None
