"""What an ensemble says: P(agreement), P(agreement by each date), the settlement distribution in
both currencies, time to agreement and the causes of failure, each with its Monte Carlo error.

Standard errors: a share ``p`` of ``n`` independent sessions has ``sqrt(p (1 - p) / n)``; a mean
has ``sd / sqrt(k)``; a quantile's error comes from the distribution-free order-statistic interval
(the values at ranks ``k q -/+ 1.96 sqrt(k q (1 - q))``; SE = half its width / 1.96; Conover 1999,
*Practical Nonparametric Statistics*, sec. 3.2). With Latin hypercube sampling these errors are
conservative (LHS never has larger variance for monotone outputs; McKay et al. 1979).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from burdenshare.engine import OUTCOMES
from burdenshare.ensemble.accumulate import Accumulator
from burdenshare.scenario.scenario import Scenario

__all__ = ["QUANTILES", "binomial", "quantile_with_se", "summarise"]

#: settlement quantiles reported
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_Z = 1.959963984540054


def binomial(count: int, n: int) -> dict[str, float]:
    """A share with its binomial standard error."""
    p = count / n if n else math.nan
    return {"estimate": p, "se": math.sqrt(p * (1 - p) / n) if n else math.nan, "count": count}


def quantile_with_se(sorted_values: npt.NDArray[np.float64], q: float) -> tuple[float, float]:
    """The ``q`` quantile of sorted values (lower order statistic) and its standard error."""
    k = sorted_values.size
    if k == 0:
        return (math.nan, math.nan)
    rank = min(k - 1, max(0, math.ceil(q * k) - 1))
    half = _Z * math.sqrt(k * q * (1 - q))
    lo = sorted_values[max(0, math.floor(q * k - half) - 1)]
    hi = sorted_values[min(k - 1, math.ceil(q * k + half) - 1)]
    se = float(hi - lo) / (2 * _Z) if k >= 20 else math.nan
    return (float(sorted_values[rank]), se)


def summarise(
    scenario: Scenario,
    acc: Accumulator,
    settlements: Mapping[str, npt.NDArray[np.float64]],
    dates: list[dt.date],
) -> dict[str, Any]:
    """The summary dict (keys documented in docs/reference/json.md, ``ensemble``)."""
    n = acc.done
    counts = {name: int(c) for name, c in zip(OUTCOMES, acc.counts, strict=True)}
    agreed = counts["agreement"]
    deadline_round = max(k for k, d in enumerate(dates) if d <= scenario.protocol.deadline)
    cum = np.cumsum(acc.by_round)
    by_date = [
        {"round": k + 1, "date": d.isoformat(), **binomial(int(cum[k]), n)}
        for k, d in enumerate(dates)
    ]
    failures = n - agreed
    causes = {
        name: {
            "count": counts[name],
            "share_of_sessions": binomial(counts[name], n),
            "share_of_failures": binomial(counts[name], failures) if failures else None,
        }
        for name in OUTCOMES[1:]
    }
    settlement: dict[str, Any] = {}
    for issue in scenario.issues:
        if issue.kind == "categorical":
            continue
        vals = np.sort(np.asarray(settlements.get(issue.id, np.empty(0)), dtype=np.float64))
        total = acc.total(f"value.{issue.id}") if agreed else math.nan
        sq = acc.total(f"value2.{issue.id}") if agreed else math.nan
        mean = total / agreed if agreed else math.nan
        var = (
            max(sq / agreed - mean * mean, 0.0) * agreed / (agreed - 1) if agreed > 1 else math.nan
        )
        sd = math.sqrt(var) if agreed > 1 else math.nan
        qs = {}
        for q in QUANTILES:
            v, se = quantile_with_se(vals, q)
            entry: dict[str, Any] = {"value": v, "se": se}
            if not math.isnan(v):
                entry["display"] = scenario.format_value(issue.id, v)
                if issue.is_money:
                    entry["money"] = scenario.money.as_dict(v)
            qs[str(q)] = entry
        settlement[issue.id] = {
            "n_agreements": agreed,
            "mean": mean,
            "mean_se": sd / math.sqrt(agreed) if agreed > 1 else math.nan,
            "sd": sd,
            "mean_display": scenario.format_value(issue.id, mean) if agreed else None,
            "mean_money": scenario.money.as_dict(mean) if agreed and issue.is_money else None,
            "quantiles": qs,
        }
    rounds_hist = acc.by_round
    round_q: dict[str, dict[str, Any] | None] = {}
    for q in (0.25, 0.5, 0.75):
        if agreed:
            k = int(np.searchsorted(np.cumsum(rounds_hist), math.ceil(q * agreed)))
            round_q[str(q)] = {"round": k + 1, "date": dates[k].isoformat()}
        else:
            round_q[str(q)] = None
    mean_round = acc.rounds_sum / agreed if agreed else math.nan
    payoffs = {}
    for p in scenario.party_names:
        tot = acc.total(f"discounted.{p}")
        tot2 = acc.total(f"discounted2.{p}")
        mean = tot / n
        var = max(tot2 / n - mean * mean, 0.0) * n / (n - 1) if n > 1 else math.nan
        payoffs[p] = {"mean": mean, "se": math.sqrt(var / n) if n > 1 else math.nan}
    return {
        "n_sessions": n,
        "p_agreement": binomial(agreed, n),
        "p_agreement_by_deadline": {
            "date": scenario.protocol.deadline.isoformat(),
            **binomial(int(cum[deadline_round]), n),
        },
        "p_agreement_by_date": by_date,
        "outcomes": {name: binomial(c, n) for name, c in counts.items()},
        "failure_causes": causes,
        "settlement": settlement,
        "time_to_agreement": {
            "mean_rounds": mean_round,
            "mean_days": mean_round * scenario.protocol.round_every_days
            - scenario.protocol.round_every_days
            if agreed
            else math.nan,
            "quantiles": round_q,
        },
        "expected_discounted_utility": payoffs,
    }
