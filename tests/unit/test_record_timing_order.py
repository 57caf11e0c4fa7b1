"""The timing choice's mean Brier scores are summed in case order, not in a set's hash order.

Before the fix the case-targets were a ``set`` of string tuples, so the order of the floating-point
sums (and the last digits of ``backtest record --json``'s ``mean_brier`` and ``by_target``) changed
with ``PYTHONHASHSEED`` from one process to the next (found by tests/regression's golden test).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from burdenshare.history import record_scores
from burdenshare.history.record_methods import ENSEMBLE_PAIRS, TARGETS


def _fake_per_case(n_cases: int) -> dict[str, list[tuple[Any, dict[str, float | None]]]]:
    methods = [f"ensemble:{p}" for p in ENSEMBLE_PAIRS] + ["timing:hazard"]
    out: dict[str, list[tuple[Any, dict[str, float | None]]]] = {}
    for j, method in enumerate(methods):
        rows = []
        for i in range(n_cases):
            case = SimpleNamespace(truth=SimpleNamespace(key=f"round-{i:02d}"))
            # values whose float sum depends on the order they are added in
            scores = {f"brier:{t}": 0.1 * ((i * 7 + j + len(t)) % 11) / 3.0 for t in TARGETS}
            rows.append((case, scores))
        out[method] = rows
    return out


def test_mean_brier_is_the_sum_in_case_order(monkeypatch: pytest.MonkeyPatch) -> None:
    per = _fake_per_case(40)
    monkeypatch.setattr(record_scores, "_per_case", lambda run: per)
    choice = record_scores.timing_choice(SimpleNamespace(cases=()))  # type: ignore[arg-type]
    assert choice.n == 40 * len(TARGETS)
    for method, rows in per.items():
        values = [v for _, s in rows for v in s.values() if v is not None]
        assert choice.scores[method] == sum(values) / len(values)  # exactly: the same order
        for t in TARGETS:
            by_t = [s[f"brier:{t}"] for _, s in rows]
            assert choice.by_target[t][method] == sum(v for v in by_t if v is not None) / len(by_t)
