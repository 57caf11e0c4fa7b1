"""Put a scenario's findings beside what actually happened (its ``hindsight`` block).

Nothing here feeds back into a model: the comparison is for the reader, so that every report
says plainly where the tool was right and where it was wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from burdenshare.analysis.records import SolutionResult, ZopaResult
from burdenshare.scenario.scenario import Scenario

__all__ = ["compare_with_hindsight"]


def _p_by(summary: Mapping[str, Any], day: dt.date) -> dict[str, Any] | None:
    """The ensemble's P(agreement by ``day``): the last round on or before it."""
    rows = [r for r in summary["p_agreement_by_date"] if dt.date.fromisoformat(r["date"]) <= day]
    if not rows:
        return None
    last = rows[-1]
    return {"date": last["date"], "estimate": last["estimate"], "se": last["se"]}


def compare_with_hindsight(
    scenario: Scenario,
    zopa: ZopaResult,
    solutions: Sequence[SolutionResult],
    ensemble_summary: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """The hindsight block, each solution's error against the actual deal, and a verdict."""
    h = scenario.hindsight
    if h is None:
        return None
    out: dict[str, Any] = {
        "outcome": h.outcome,
        "date": h.date.isoformat(),
        "values": dict(h.values),
        "display": {k: scenario.format_value(k, v) for k, v in h.values.items()},
        "note": h.note,
        "source": h.source,
        "zopa_at_central_values": zopa.exists,
    }
    errors: dict[str, dict[str, Any]] = {}
    for s in solutions:
        if s.outcome is None:
            continue
        row = {}
        for iid, actual in h.values.items():
            model = s.outcome.get(iid)
            if isinstance(actual, str) or isinstance(model, str) or model is None:
                row[iid] = {"model": model, "actual": actual, "match": model == actual}
                continue
            err = (float(model) - actual) / actual * 100 if actual else None
            row[iid] = {"model": float(model), "actual": actual, "error_pct": err}
        errors[s.concept] = row
    out["solutions_vs_actual"] = errors
    if ensemble_summary is not None:
        out["ensemble_p_agreement_by_date"] = _p_by(ensemble_summary, h.date)
    agreed = h.outcome == "agreement"
    if agreed and zopa.exists:
        verdict = "Right that a deal was possible."
        nash = errors.get("nash", {})
        errs = {k: v["error_pct"] for k, v in nash.items() if v.get("error_pct") is not None}
        if errs:
            verdict += (
                " The Nash solution differs from the deal by "
                + ", ".join(f"{err:+.1f}% on {iid}" for iid, err in errs.items())
                + "."
            )
    elif agreed:
        verdict = (
            "Wrong at the central beliefs: the tool finds no zone of agreement, yet a deal came. "
            "The walk-away points it assumed were further apart than the real ones."
        )
    elif zopa.exists:
        verdict = (
            "Wrong at the central beliefs: the tool finds a zone of agreement, yet no deal came "
            "by then; what blocked it (politics, timing, a veto) is not in the scenario."
        )
    else:
        verdict = "Right: the tool finds no zone of agreement, and no deal came by then."
    out["verdict"] = verdict
    return out
