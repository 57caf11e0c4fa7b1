"""Put a scenario's findings beside what actually happened (its ``hindsight`` block).

Nothing here feeds back into a model: the comparison is for the reader, so that every report
says plainly where the tool was right and where it was wrong. Every forecast a run makes is
scored, each on its own line:

- the **zone**: whether a zone of agreement exists at the central beliefs, against whether a deal
  came;
- the **timing**: the ensemble's P(deal by the actual date) against whether a deal came by then
  (``y`` = 1 for a deal), with its Brier contribution ``(p - y)^2`` (Brier 1950; a coin's 0.5
  scores 0.25). It is "wrong" when it gave less than one half to what happened;
- the **settlement**: each bargaining solution's and each forecasting model's percent error, and
  the combined forecast's error with whether the deal lies in its 80% interval ("wrong" when it
  does not).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from burdenshare.analysis.records import SolutionResult, ZopaResult
from burdenshare.scenario.scenario import Scenario

__all__ = ["compare_with_hindsight", "timing_score"]


def _p_by(summary: Mapping[str, Any], day: dt.date) -> dict[str, Any] | None:
    """The ensemble's P(agreement by ``day``): the last round on or before it."""
    rows = [r for r in summary["p_agreement_by_date"] if dt.date.fromisoformat(r["date"]) <= day]
    if not rows:
        return None
    last = rows[-1]
    return {"date": last["date"], "estimate": last["estimate"], "se": last["se"]}


def timing_score(p: float, agreed: bool) -> tuple[float, bool]:
    """The Brier contribution ``(p - y)^2`` of P(deal by the date) and whether it was right
    (at least one half on what happened).

    >>> timing_score(0.0, True), timing_score(0.5, False), timing_score(0.75, True)
    ((1.0, False), (0.25, False), (0.0625, True))
    """
    y = 1.0 if agreed else 0.0
    right = p >= 0.5 if agreed else p < 0.5
    return (p - y) ** 2, right


def _error_pct(model: float, actual: float) -> float | None:
    return (model - actual) / actual * 100 if actual else None


def _solution_errors(
    solutions: Sequence[SolutionResult], values: Mapping[str, float | str]
) -> dict[str, dict[str, Any]]:
    errors: dict[str, dict[str, Any]] = {}
    for s in solutions:
        if s.outcome is None:
            continue
        row = {}
        for iid, actual in values.items():
            model = s.outcome.get(iid)
            if isinstance(actual, str) or isinstance(model, str) or model is None:
                row[iid] = {"model": model, "actual": actual, "match": model == actual}
                continue
            row[iid] = {
                "model": float(model),
                "actual": actual,
                "error_pct": _error_pct(float(model), actual),
            }
        errors[s.concept] = row
    return errors


def _zone_verdict(agreed: bool, zone: bool) -> str:
    if agreed and zone:
        return "Right at the central beliefs: the walk-away points overlap, and a deal came."
    if agreed:
        return (
            "Wrong at the central beliefs: the tool finds no zone of agreement, yet a deal came. "
            "The walk-away points it assumed were further apart than the real ones."
        )
    if zone:
        return (
            "Wrong at the central beliefs: the tool finds a zone of agreement, yet no deal came "
            "by then; what blocked it (politics, timing, a veto) is not in the scenario."
        )
    return "Right: the tool finds no zone of agreement, and no deal came by then."


def _timing(p: dict[str, Any] | None, agreed: bool, day: str) -> tuple[dict[str, Any] | None, str]:
    if p is None:
        return None, f"Not scored: the ensemble has no round on or before {day}."
    brier, right = timing_score(float(p["estimate"]), agreed)
    what = "a deal came" if agreed else "no deal came"
    link = "and" if right else "yet"
    text = (
        f"{'Right' if right else 'Wrong'}: the ensemble gave P(deal by {p['date']}) = "
        f"{100 * p['estimate']:.1f}%, {link} {what} by {day} (Brier contribution {brier:.4f}; "
        "a coin scores 0.25)."
    )
    return {**p, "outcome": 1 if agreed else 0, "brier": brier, "right": right}, text


def _signed(pct: float | None) -> str:
    """A percent error for people (``n/a`` when the actual is 0).

    >>> _signed(1.66), _signed(None)
    ('+1.7%', 'n/a')
    """
    return "n/a" if pct is None else f"{pct:+.1f}%"


def _settlement_verdict(
    scenario: Scenario,
    iid: str,
    actual: float,
    solutions: Mapping[str, dict[str, Any]],
    forecasts: Mapping[str, dict[str, Any]],
    combined: dict[str, Any] | None,
    combined_note: str,
) -> str:
    parts = []
    if combined is not None:
        inside = combined["in_interval"]
        parts.append(
            f"{'Right' if inside else 'Wrong'}: the combined forecast "
            f"{scenario.format_value(iid, combined['point'])} is off by "
            f"{_signed(combined['error_pct'])}, and the deal "
            f"{'lies inside' if inside else 'lies outside'} its 80% interval "
            f"({scenario.format_value(iid, combined['low'])} to "
            f"{scenario.format_value(iid, combined['high'])})."
        )
        if combined.get("in_sample_round"):
            parts.append(
                f"In sample: the combination was fitted on this round "
                f"({combined['in_sample_round']}), so this check flatters it."
            )
    else:
        parts.append(
            f"No combined forecast to score{f' ({combined_note})' if combined_note else ''}."
        )
    nash = (solutions.get("nash") or {}).get(iid) or {}
    if nash.get("error_pct") is not None:
        parts.append(f"The Nash solution is off by {nash['error_pct']:+.1f}%.")
    errs = {m: r["error_pct"] for m, r in forecasts.items() if r.get("error_pct") is not None}
    if errs:
        lo = min(errs, key=lambda m: errs[m])
        hi = max(errs, key=lambda m: errs[m])
        parts.append(
            f"The {len(errs)} forecasting models are off by {errs[lo]:+.1f}% ({lo}) to "
            f"{errs[hi]:+.1f}% ({hi})."
        )
    return " ".join(parts)


def compare_with_hindsight(
    scenario: Scenario,
    zopa: ZopaResult,
    solutions: Sequence[SolutionResult],
    ensemble_summary: Mapping[str, Any] | None = None,
    *,
    forecasts: Mapping[str, float | None] | None = None,
    combined: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """The hindsight block and every forecast scored against it (module docstring).

    ``forecasts``: each forecasting model's prediction of the first issue (model -> value);
    ``combined``: the combined forecast's entry (``point``, ``low``, ``high``, ``note``), as
    :func:`burdenshare.services.combined.combined_entry` gives it.
    """
    h = scenario.hindsight
    if h is None:
        return None
    agreed = h.outcome == "agreement"
    out: dict[str, Any] = {
        "outcome": h.outcome,
        "date": h.date.isoformat(),
        "values": dict(h.values),
        "display": {k: scenario.format_value(k, v) for k, v in h.values.items()},
        "note": h.note,
        "source": h.source,
        "zopa_at_central_values": zopa.exists,
    }
    errors = _solution_errors(solutions, h.values)
    out["solutions_vs_actual"] = errors
    iid = scenario.issues[0].id
    raw = h.values.get(iid)
    actual = float(raw) if agreed and isinstance(raw, int | float) else None
    fc_errors: dict[str, dict[str, Any]] = {}
    comb: dict[str, Any] | None = None
    if actual is not None:
        for model, value in (forecasts or {}).items():
            if value is not None:
                fc_errors[model] = {
                    "model": float(value),
                    "actual": actual,
                    "error_pct": _error_pct(float(value), actual),
                }
        if combined is not None and combined.get("point") is not None:
            point, low, high = (float(combined[k]) for k in ("point", "low", "high"))
            comb = {
                "point": point,
                "low": low,
                "high": high,
                "actual": actual,
                "error_pct": _error_pct(point, actual),
                "in_interval": low <= actual <= high,
                "in_sample_round": combined.get("in_sample_round"),
            }
    out["forecasts_vs_actual"] = fc_errors
    out["combined_vs_actual"] = comb
    out["verdict"] = _zone_verdict(agreed, zopa.exists)
    out["timing_verdict"] = None
    if ensemble_summary is not None:
        scored, out["timing_verdict"] = _timing(
            _p_by(ensemble_summary, h.date), agreed, h.date.isoformat()
        )
        out["ensemble_p_agreement_by_date"] = scored
    out["settlement_verdict"] = None
    if not agreed:
        out["settlement_verdict"] = (
            f"Not scored: no deal came by {h.date.isoformat()}, so there is no settlement to "
            "compare; the solutions and models say where a deal would land, not whether one "
            "comes (the zone and the timing above score that)."
        )
    elif actual is not None:
        note = str((combined or {}).get("note") or "")
        out["settlement_verdict"] = _settlement_verdict(
            scenario, iid, actual, errors, fc_errors, comb, note if combined is not None else ""
        )
    return out
