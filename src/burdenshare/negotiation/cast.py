"""The negotiators of a run, one per party in the scenario's listing order, in words.

>>> negotiators_in_words(["boulware", "linear"])
'boulware vs linear'
>>> negotiators_in_words(["linear"] * 28)
'linear for all 28 parties'
>>> negotiators_in_words(["linear", "hardliner", "linear"])
'linear, hardliner, linear (in listing order)'
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["negotiators_in_words"]


def negotiators_in_words(names: Sequence[str]) -> str:
    """``a vs b`` for two parties (as every bilateral output has always said); with more, one
    name when every party plays it, else every name in the scenario's listing order."""
    cast = [str(n) for n in names]
    if len(cast) <= 2:
        return " vs ".join(cast)
    if len(set(cast)) == 1:
        return f"{cast[0]} for all {len(cast)} parties"
    return f"{', '.join(cast)} (in listing order)"
