"""A tournament's results table and ranking, from its per-session columns.

ANAC ranks agents by the mean utility they obtain over every session they play, in both roles,
on every domain (Baarslag et al. 2013, *Artificial Intelligence* 198:73-103, sec. 4-5; Fujita et
al. 2016 for the later competitions); it also reports the agreement rate and the distances of the
outcomes to the Pareto frontier and to the Nash point. Here:

- a negotiator's *utility* in a session is its own discounted utility (its outside option when
  there is no agreement), in the units of the scenario;
- ``mean_utility`` averages it over all the negotiator's sessions (a self-play session counts
  once per role), with its standard error ``sd / sqrt(n)``;
- ``agreement_rate``, ``distance_pareto`` and ``distance_nash`` average the same sessions
  (``distance_nash`` over the sessions of domains that have a Nash point);
- the ranking sorts by ``mean_utility`` (descending), then agreement rate, then name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from burdenshare.engine import OUTCOMES

__all__ = ["ranking", "results_table"]

_AGREEMENT = OUTCOMES.index("agreement")


def _mean(x: npt.NDArray[np.float64]) -> float:
    x = x[np.isfinite(x)]
    return float(x.mean()) if x.size else math.nan


def results_table(cols: Mapping[str, npt.NDArray[Any]]) -> list[dict[str, Any]]:
    """One row per match (domain, negotiator A, negotiator B), in first-appearance order."""
    keys = list(zip(cols["domain"], cols["negotiator_a"], cols["negotiator_b"], strict=True))
    order: dict[tuple[str, str, str], list[int]] = {}
    for i, k in enumerate(keys):
        order.setdefault((str(k[0]), str(k[1]), str(k[2])), []).append(i)
    rows = []
    for (domain, a, b), idx_list in order.items():
        idx = np.asarray(idx_list)
        agreed = cols["outcome"][idx] == _AGREEMENT
        rounds = cols["round"][idx][agreed].astype(np.float64)
        rows.append(
            {
                "domain": domain,
                "negotiator_a": a,
                "negotiator_b": b,
                "sessions": int(idx.size),
                "agreement_rate": float(agreed.mean()),
                "utility_a": _mean(cols["discounted_a"][idx]),
                "utility_b": _mean(cols["discounted_b"][idx]),
                "mean_round": _mean(rounds),
                "distance_pareto": _mean(cols["distance_pareto"][idx]),
                "distance_nash": _mean(cols["distance_nash"][idx]),
            }
        )
    return rows


def ranking(
    cols: Mapping[str, npt.NDArray[Any]], negotiators: Sequence[str]
) -> list[dict[str, Any]]:
    """Every negotiator's averages over its sessions in both roles, best first.

    >>> cols = {"negotiator_a": np.array(["x", "y"]), "negotiator_b": np.array(["y", "x"]),
    ...         "outcome": np.array([0, 1]), "discounted_a": np.array([0.8, 0.0]),
    ...         "discounted_b": np.array([0.4, 0.0]), "distance_pareto": np.array([0.0, 0.5]),
    ...         "distance_nash": np.array([0.1, 0.3])}
    >>> [(r["rank"], r["negotiator"], r["mean_utility"]) for r in ranking(cols, ["x", "y"])]
    [(1, 'x', 0.4), (2, 'y', 0.2)]
    """
    a = np.asarray(cols["negotiator_a"]).astype(str)
    b = np.asarray(cols["negotiator_b"]).astype(str)
    agreed = np.asarray(cols["outcome"]) == _AGREEMENT
    rows = []
    for name in negotiators:
        in_a, in_b = a == name, b == name
        util = np.concatenate([cols["discounted_a"][in_a], cols["discounted_b"][in_b]])
        both = np.concatenate([np.flatnonzero(in_a), np.flatnonzero(in_b)])
        n = int(util.size)
        sd = float(util.std(ddof=1)) if n > 1 else math.nan
        rows.append(
            {
                "negotiator": name,
                "sessions": n,
                "mean_utility": float(util.mean()) if n else math.nan,
                "se_utility": sd / math.sqrt(n) if n > 1 else math.nan,
                "agreement_rate": float(agreed[both].mean()) if n else math.nan,
                "distance_pareto": _mean(cols["distance_pareto"][both]),
                "distance_nash": _mean(cols["distance_nash"][both]),
            }
        )

    def key(r: dict[str, Any]) -> tuple[float, float, str]:
        u, ar = r["mean_utility"], r["agreement_rate"]
        return (
            -u if math.isfinite(u) else math.inf,
            -ar if math.isfinite(ar) else 0.0,
            r["negotiator"],
        )

    rows.sort(key=key)
    for k, r in enumerate(rows, start=1):
        r["rank"] = k
    return [{"rank": r.pop("rank"), **r} for r in rows]
