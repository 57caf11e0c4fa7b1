"""The public-goods model of alliances and its test on NATO's figures.

- :mod:`.equilibrium`: Nash equilibrium contributions (Olson & Zeckhauser 1966; Bergstrom,
  Blume & Varian 1986), with a private share of defence (Sandler 1977).
- :mod:`.joint_product`: how the exploitation prediction weakens as the private share rises.
- :mod:`.nato`: NATO's published shares of GDP and levels (shipped in ``data/`` with their
  provenance).
- :mod:`.rank`: Spearman's rank correlation, its p-value and a bootstrap interval.
- :mod:`.exploitation`: the exploitation hypothesis tested year by year on NATO's figures.
"""

from __future__ import annotations

from burdenshare.alliance.equilibrium import (
    best_response,
    identical_allies_contribution,
    nash_contributions,
)
from burdenshare.alliance.records import (
    EditionGap,
    Equilibrium,
    ExploitationTest,
    RankTest,
    YearTest,
)

__all__ = [
    "EditionGap",
    "Equilibrium",
    "ExploitationTest",
    "RankTest",
    "YearTest",
    "best_response",
    "identical_allies_contribution",
    "nash_contributions",
]
