"""A tournament's results table and ranking, from its per-session columns.

ANAC ranks agents by the mean utility they obtain over every session they play, in both roles,
on every domain (Baarslag et al. 2013, *Artificial Intelligence* 198:73-103, sec. 4-5; Fujita et
al. 2016 for the later competitions); it also reports the agreement rate, the social welfare and
the distances of the outcomes to the Pareto frontier and to the Nash point, and NegMAS adds the
Kalai-Smorodinsky and Kalai points. Here, per negotiator, over every session it plays:

- ``mean_utility``: its own discounted utility (its outside option when there is no agreement),
  in the units of the scenario, over every role it plays (``a``, ``b``, and with three or more
  parties ``c``, ...: ANAC 2015-17 rank by this mean individual utility, Fujita et al. 2016);
- ``welfare``: the session's social welfare, the sum of every party's discounted utility (so
  without agreement the sum of the outside options);
- ``agreement_rate``: the share of sessions that end in agreement;
- ``distance_pareto``, ``distance_nash``, ``distance_ks``, ``distance_kalai``: the distances of
  the session's undiscounted utility vector (the outside options without agreement) to the nearest
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

__all__ = ["ranking", "results_table", "roles_of"]

_AGREEMENT = OUTCOMES.index("agreement")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def roles_of(cols: Mapping[str, Any]) -> str:
    """The role letters with a ``negotiator_<role>`` column, in order.

    >>> roles_of({"negotiator_a": 0, "negotiator_b": 0, "negotiator_c": 0, "utility_a": 0})
    'abc'
    """
    return "".join(r for r in _LETTERS if f"negotiator_{r}" in cols)


def _names(cols: Mapping[str, npt.NDArray[Any]], role: str) -> npt.NDArray[Any]:
    """A role's negotiator per session (None where the session's domain lacks the role)."""
    return np.asarray([None if x is None else str(x) for x in cols[f"negotiator_{role}"]], object)


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


#: a match: (domain, negotiator of role a, of role b, ...) for the roles its domain has
Match = tuple[str, ...]

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
    """One row per match (domain, and the negotiator of each role), in first-appearance order;
    ``identical_repetitions`` flags the matches in ``repeated`` (their sessions are copies).
    A row has ``negotiator_<role>`` and ``utility_<role>`` (mean discounted utility) for each
    role its domain has: ``a`` and ``b``, and ``c``, ... with three or more parties."""
    letters = roles_of(cols)
    names = [_names(cols, r) for r in letters]
    domains = [str(x) for x in cols["domain"]]
    n = len(domains)
    order: dict[Match, list[int]] = {}
    for i, dom in enumerate(domains):
        lineup = tuple(str(col[i]) for col in names if col[i] is not None)
        order.setdefault((dom, *lineup), []).append(i)
    rows = []
    for key, idx_list in order.items():
        domain, lineup = key[0], key[1:]
        played = letters[: len(lineup)]
        idx = np.asarray(idx_list)
        agreed = cols["outcome"][idx] == _AGREEMENT
        rounds = cols["round"][idx][agreed].astype(np.float64)
        rows.append(
            {
                "domain": domain,
                **{f"negotiator_{r}": x for r, x in zip(played, lineup, strict=True)},
                "sessions": int(idx.size),
                "agreement_rate": float(agreed.mean()),
                **{f"utility_{r}": _mean(_column(cols, f"discounted_{r}", n)[idx]) for r in played},
                "welfare": _mean(_column(cols, "welfare", n)[idx]),
                "mean_round": _mean(rounds),
                "mean_time": _mean(_column(cols, "time", n)[idx][agreed]),
                **{c: _mean(_column(cols, c, n)[idx]) for c in _SHARED if c != "welfare"},
                "identical_repetitions": key in repeated,
            }
        )
    return rows


def _copies(
    cols: Mapping[str, npt.NDArray[Any]],
    names: Sequence[npt.NDArray[Any]],
    repeated: Collection[Match],
) -> npt.NDArray[np.bool_]:
    """True for the sessions that copy an earlier repetition of their match (every repetition
    after the first of a match in ``repeated``)."""
    total = int(names[0].size)
    if not repeated or "repetition" not in cols or "domain" not in cols:
        return np.zeros(total, dtype=np.bool_)
    dom = np.asarray(cols["domain"]).astype(str)
    later = np.asarray(cols["repetition"]) > 0
    keys = set(repeated)
    in_repeated = np.array(
        [
            (str(dom[i]), *(str(col[i]) for col in names if col[i] is not None)) in keys
            for i in range(total)
        ],
        dtype=np.bool_,
    )
    return np.asarray(in_repeated & later)


def ranking(
    cols: Mapping[str, npt.NDArray[Any]],
    negotiators: Sequence[str],
    repeated: Collection[Match] = (),
) -> list[dict[str, Any]]:
    """Every negotiator's averages over its sessions in every role, best first; ``repeated``
    are the matches (domain, negotiator A, negotiator B, ...) whose repetitions are identical.

    >>> cols = {"negotiator_a": np.array(["x", "y"]), "negotiator_b": np.array(["y", "x"]),
    ...         "outcome": np.array([0, 1]), "discounted_a": np.array([0.8, 0.0]),
    ...         "discounted_b": np.array([0.4, 0.0]), "distance_pareto": np.array([0.0, 0.5]),
    ...         "distance_nash": np.array([0.1, 0.3])}
    >>> [(r["rank"], r["negotiator"], r["mean_utility"]) for r in ranking(cols, ["x", "y"])]
    [(1, 'x', 0.4), (2, 'y', 0.2)]
    """
    letters = roles_of(cols)
    names = [_names(cols, r) for r in letters]
    agreed = np.asarray(cols["outcome"]) == _AGREEMENT
    copy = _copies(cols, names, repeated)
    total = int(names[0].size)
    shared = {metric: _column(cols, col, total) for metric, col in _SHARED.items()}
    time_, round_ = _column(cols, "time", total), _column(cols, "round", total)
    rows = []
    for name in negotiators:
        plays = [np.asarray(col == name, dtype=np.bool_) for col in names]  # role a, b, ...
        util = np.concatenate(
            [
                np.asarray(cols[f"discounted_{r}"], dtype=np.float64)[m]
                for r, m in zip(letters, plays, strict=True)
            ]
        )
        both = np.concatenate([np.flatnonzero(m) for m in plays])
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
