"""A tournament's results table and ranking, from its per-session columns.

ANAC ranks agents by the mean utility they obtain over every session they play, in both roles,
on every domain (Baarslag et al. 2013, *Artificial Intelligence* 198:73-103, sec. 4-5; Fujita et
al. 2016 for the later competitions); it also reports the agreement rate, the social welfare and
the distances of the outcomes to the Pareto frontier and to the Nash point, and NegMAS adds the
Kalai-Smorodinsky and Kalai points. Here, per negotiator, over every session it plays:

- ``mean_utility``: its own discounted utility (its outside option when there is no agreement),
  in the units of the scenario;
- ``welfare``: the session's social welfare, the sum of both sides' discounted utilities (so
  without agreement the sum of the two outside options);
- ``agreement_rate``: the share of sessions that end in agreement;
- ``distance_pareto``, ``distance_nash``, ``distance_ks``, ``distance_kalai``: the distances of
  the session's undiscounted utility pair (the outside options without agreement) to the nearest
  frontier point and to the Nash, Kalai-Smorodinsky and Kalai (egalitarian) points
  (:mod:`burdenshare.tournament.reference`; over the sessions of domains where the point exists);
- ``agreement_time`` and ``agreement_round``: when the agreements came, as the protocol's
  relative time in [0, 1] (:func:`~burdenshare.tournament.match.relative_time`) and as the 1-based
  round, over the sessions that agreed.

Each mean has its standard error ``sd / sqrt(k)`` (``se_utility`` for ``mean_utility``, ``se_`` +
the name for the others) over *distinct observations*: the repetitions of a match that must repeat
identically (central values, no breakdown risk, no stochastic negotiator;
:func:`~burdenshare.tournament.match.repeats_identically`) are one observation, not ``R``
independent ones, so ``-r 20`` does not shrink the interval of a deterministic match
(``distinct_observations`` and ``identical_repetitions`` say how many). The mean itself is over
every session (a self-play session counts once per role). The ranking sorts by ``mean_utility``
(descending), then agreement rate, then name.
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


def mean_and_se(x: npt.NDArray[np.float64], copy: npt.NDArray[np.bool_]) -> tuple[float, float]:
    """The mean of the finite values of ``x`` and its standard error ``sd / sqrt(k)`` over the
    ``k`` finite values that are not copies (``copy[i]`` marks a repetition identical to an
    earlier one); the standard error is NaN below two distinct values.

    >>> mean_and_se(np.array([1.0, 1.0, 1.0, 3.0]), np.array([False, True, True, False]))
    (1.5, 1.0)
    """
    x = np.asarray(x, dtype=np.float64)
    ok = np.isfinite(x)
    distinct = x[ok & ~copy]
    k = int(distinct.size)
    mean = float(x[ok].mean()) if ok.any() else math.nan
    se = float(distinct.std(ddof=1)) / math.sqrt(k) if k > 1 else math.nan
    return mean, se


Match = tuple[str, str, str]

#: the shared per-session metrics of the ranking: key -> stored column
_SHARED = {
    "welfare": "welfare",
    "distance_pareto": "distance_pareto",
    "distance_nash": "distance_nash",
    "distance_ks": "distance_ks",
    "distance_kalai": "distance_kalai",
}


def _column(cols: Mapping[str, npt.NDArray[Any]], name: str, n: int) -> npt.NDArray[np.float64]:
    """A stored numeric column (NaN where a tournament stored before it existed lacks it)."""
    if name not in cols:
        return np.full(n, math.nan)
    return np.asarray(cols[name], dtype=np.float64)


def results_table(
    cols: Mapping[str, npt.NDArray[Any]], repeated: Collection[Match] = ()
) -> list[dict[str, Any]]:
    """One row per match (domain, negotiator A, negotiator B), in first-appearance order;
    ``identical_repetitions`` flags the matches in ``repeated`` (their sessions are copies)."""
    keys = list(zip(cols["domain"], cols["negotiator_a"], cols["negotiator_b"], strict=True))
    n = len(keys)
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
                "welfare": _mean(_column(cols, "welfare", n)[idx]),
                "mean_round": _mean(rounds),
                "mean_time": _mean(_column(cols, "time", n)[idx][agreed]),
                **{c: _mean(_column(cols, c, n)[idx]) for c in _SHARED if c != "welfare"},
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
    total = a.size
    shared = {metric: _column(cols, col, total) for metric, col in _SHARED.items()}
    time_, round_ = _column(cols, "time", total), _column(cols, "round", total)
    rows = []
    for name in negotiators:
        in_a, in_b = a == name, b == name
        util = np.concatenate([cols["discounted_a"][in_a], cols["discounted_b"][in_b]])
        both = np.concatenate([np.flatnonzero(in_a), np.flatnonzero(in_b)])
        dup = copy[both]
        n, k = int(util.size), int(np.count_nonzero(~dup))
        ok = agreed[both]
        row: dict[str, Any] = {"negotiator": name, "sessions": n}
        row["distinct_observations"], row["identical_repetitions"] = k, n - k
        row["mean_utility"], row["se_utility"] = mean_and_se(util, dup)
        row["agreement_rate"], row["se_agreement_rate"] = mean_and_se(ok.astype(float), dup)
        for metric, values in shared.items():
            row[metric], row[f"se_{metric}"] = mean_and_se(values[both], dup)
        when = np.where(ok, time_[both], math.nan)
        row["agreement_time"], row["se_agreement_time"] = mean_and_se(when, dup)
        at = np.where(ok, round_[both], math.nan)
        row["agreement_round"], row["se_agreement_round"] = mean_and_se(at, dup)
        rows.append(row)

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
