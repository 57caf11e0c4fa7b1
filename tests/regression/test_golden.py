"""Golden answers: every bundled scenario through every verb's ``--json`` gives the same answer.

The cases (``capture.py``) run each bundled scenario through ``analyze``, ``simulate`` (the default
negotiators and three other pairs), ``ensemble`` (Monte Carlo, and Latin hypercube in small chunks,
into a private run store), ``sensitivity`` (small sizes), ``forecast`` and ``run`` (no report), then
``tournament`` on all of them (central values, and drawn values with self-play); ``backtest record``
is marked slow. A verb's refusal (exit code 2, e.g. a scenario with nothing uncertain) is an answer
too: its message is kept.

What is compared: the JSON answer as canonical text (sorted keys, each float written by ``repr``),
so every number must be equal bit for bit. Only what varies by nature is removed first
(``capture.normalise``): a run's id, its creation and finishing times, its timings, the package
version, and the path of the case's private folder. No number is compared with a tolerance: every
case runs the same code on the same inputs, and the golden files were captured on Linux x86_64 with
the project's locked NumPy/SciPy/numba. If a platform ever gives a last-digit difference in a
libm-based value (exp, log, pow in the discounting and the solvers), name the value here and give it
a stated tolerance, rather than regenerating.

Regenerate with ``python -m tests.regression.capture [CASE ...]`` (from the repository root), and
only when a named bug is fixed: the commit that changes a golden file names the bug and what
changes. A speed-up, a refactor or a new feature never changes a bilateral golden answer. Two
other changes are named the same way: a verb that now answers where it refused (the N-party
scenarios' refusals, exit code 2, become answers as the verbs learn N parties), and a new bundled
scenario (its cases are captured from main's code before the branch's changes are compared).
"""

from __future__ import annotations

import difflib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest


def _load_capture() -> ModuleType:
    # the tests are not a package (pytest's importlib mode): load the sibling module by its path
    path = Path(__file__).with_name("capture.py")
    spec = importlib.util.spec_from_file_location("burdenshare_golden_capture", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building the class
    spec.loader.exec_module(module)
    return module


capture = _load_capture()

PARAMS = [
    pytest.param(case, id=case.name, marks=[pytest.mark.slow] if case.slow else [])
    for case in capture.CASES
]


def test_every_bundled_scenario_has_cases() -> None:
    names = {case.name for case in capture.CASES}
    assert capture.SCENARIOS, "no bundled scenario found"
    for scenario in capture.SCENARIOS:
        for verb in ("analyze", "simulate", "ensemble", "sensitivity", "forecast", "run"):
            assert f"{verb}-{scenario}" in names


def test_every_golden_file_belongs_to_a_case() -> None:
    names = {case.name for case in capture.CASES}
    stray = sorted(p.stem for p in capture.GOLDEN.glob("*.json") if p.stem not in names)
    assert not stray, f"golden files without a case (delete them): {stray}"


def test_normalise_removes_only_what_varies() -> None:
    raw = {
        "run": {"id": "abc", "version": "9", "created_at": "t", "seed": 0, "store": "/x/runs"},
        "scenario": {"id": "s", "burdenshare_version": "9", "sha256": "h"},
        "rows": [{"timings": {"wall_seconds": 1.5}, "value": 0.1}],
    }
    assert capture.normalise(raw, "/x") == {
        "run": {"seed": 0, "store": "<tmp>/runs"},
        "scenario": {"id": "s", "sha256": "h"},
        "rows": [{"value": 0.1}],
    }


@pytest.mark.parametrize("case", PARAMS)
def test_answer_equals_golden(case: object, tmp_path: Path) -> None:
    golden = capture.golden_path(case)
    assert golden.exists(), f"no golden file {golden}: run python -m tests.regression.capture"
    expected = golden.read_text(encoding="utf-8")
    actual = capture.run_case(case, tmp_path)
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), "golden", "now", n=2, lineterm=""
        )
        shown = "\n".join(list(diff)[:80])
        pytest.fail(f"{case.name} differs from {golden.name} (bit for bit):\n{shown}")
