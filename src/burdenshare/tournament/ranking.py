"""A tournament's results table and ranking, from its per-session columns.

ANAC ranks agents by the mean utility they obtain over every session they play, in both roles,
on every domain (Baarslag et al. 2013, *Artificial Intelligence* 198:73-103, sec. 4-5; Fujita et
al. 2016 for the later competitions); it also reports the agreement rate and the distances of the
outcomes to the Pareto frontier and to the Nash point. Here:

- a negotiator's *utility* in a session is its own discounted utility (its outside option when
  there is no agreement), in the units of the scenario;
- ``mean_utility`` averages it over all the negotiator's sessions (a self-play session counts
  once per role), with its standard error ``sd / sqrt(n)`` over *distinct observations*: the
  repetitions of a match that must repeat identically (central values, no breakdown risk, no
  stochastic negotiator; :func:`~burdenshare.tournament.match.repeats_identically`) are one
  observation, not ``R`` independent ones, so ``-r 20`` does not shrink the interval of a
  deterministic match (``distinct_observations`` and ``identical_repetitions`` say how many);
- ``agreement_rate``, ``distance_pareto`` and ``distance_nash`` average the same sessions
  (``distance_nash`` over the sessions of domains that have a Nash point);
- the ranking sorts by ``mean_utility`` (descending), then agreement rate, then name.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from burdenshare.engine import OUTCOMES

__all__ = ["ranking", "results_table"]

_AGREEMENT = OUTCOMES.index("agreement")


def _mean(x: npt.NDArray[np.float64]) -> float:
    x = x[np.isfinite(x)]
    return float(x.mean()) if x.size else math.nan


Match = tuple[str, str, str]


def results_table(
    cols: Mapping[str, npt.NDArray[Any]], repeated: Collection[Match] = ()
) -> list[dict[str, Any]]:
    """One row per match (domain, negotiator A, negotiator B), in first-appearance order;
    ``identical_repetitions`` flags the matches in ``repeated`` (their sessions are copies)."""
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
                "identical_repetitions": (domain, a, b) in repeated,
            }
        )
    return rows


def _copies(
    cols: Mapping[str, npt.NDArray[Any]],
    a: npt.NDArray[np.str_],
    b: npt.NDArray[np.str_],
    repeated: Collection[Match],
) -> npt.NDArray[np.bool_]:
    """True for the sessions that copy an earlier repetition of their match (every repetition
    after the first of a match in ``repeated``)."""
    if not repeated or "repetition" not in cols or "domain" not in cols:
        return np.zeros(a.size, dtype=np.bool_)
    dom = np.asarray(cols["domain"]).astype(str)
    later = np.asarray(cols["repetition"]) > 0
    keys = set(repeated)
    in_repeated = np.array(
        [(d, x, y) in keys for d, x, y in zip(dom, a, b, strict=True)], dtype=np.bool_
    )
    return np.asarray(in_repeated & later)


def ranking(
    cols: Mapping[str, npt.NDArray[Any]],
    negotiators: Sequence[str],
    repeated: Collection[Match] = (),
) -> list[dict[str, Any]]:
    """Every negotiator's averages over its sessions in both roles, best first; ``repeated``
    are the matches (domain, negotiator A, negotiator B) whose repetitions are identical.

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
    copy = _copies(cols, a, b, repeated)
    rows = []
    for name in negotiators:
        in_a, in_b = a == name, b == name
        util = np.concatenate([cols["discounted_a"][in_a], cols["discounted_b"][in_b]])
        both = np.concatenate([np.flatnonzero(in_a), np.flatnonzero(in_b)])
        distinct = util[~copy[both]]
        n, k = int(util.size), int(distinct.size)
        sd = float(distinct.std(ddof=1)) if k > 1 else math.nan
        rows.append(
            {
                "negotiator": name,
                "sessions": n,
                "distinct_observations": k,
                "identical_repetitions": n - k,
                "mean_utility": float(util.mean()) if n else math.nan,
                "se_utility": sd / math.sqrt(k) if k > 1 else math.nan,
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
