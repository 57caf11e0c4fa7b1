"""The scale words of money amounts (``"1,038.9 bn KRW"``, ``"13.4 billion USD"``) and their
multipliers: one table for scenario files (:mod:`burdenshare.scenario.units`), the cost model
(:mod:`burdenshare.costs`) and the record of rounds, at the bottom of the layers so that each
of them reads it without importing the others.

>>> SCALES["bn"] == SCALES["billion"] == 1e9
True
"""

from __future__ import annotations

__all__ = ["SCALES"]

#: accepted scale words and their multipliers
SCALES: dict[str, float] = {
    "one": 1.0,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
