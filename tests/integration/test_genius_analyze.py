"""An imported ANAC domain analysed end to end: AMPOvsCity (1,944,000 outcomes).

Cross-check: the frontier (192 distinct utility vectors shared by 283 outcomes) and the Nash point
u = (0.706, 0.783) were first computed by benchmarks/bench_outcome_space.py with its own small
XML reader, independently of the importer; NegMAS 0.16 reports 193 points (it keeps the first of
AMPO's two evaluations of value "0" of issue 2 and decides ties in floating point; see
benchmarks/README.md, section 4).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from burdenshare.interop import load_genius, to_scenario

DATA = Path(__file__).resolve().parents[1] / "known_values" / "data" / "genius"
CLI = Path(sys.executable).parent / "burdenshare"


def test_import_and_analyze_ampo_vs_city(tmp_path: Path) -> None:
    out = tmp_path / "ampo.yaml"
    imported = subprocess.run(
        [str(CLI), "import-genius", str(DATA / "AMPOvsCity"), "-o", str(out), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    analysed = subprocess.run(
        [str(CLI), "analyze", str(out), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert analysed.returncode == 0, analysed.stderr
    data = json.loads(analysed.stdout)
    front = data["pareto_frontier"]
    assert front["n_outcomes"] == 1_944_000
    assert len(front["points"]) == 192
    assert sum(p["count"] for p in front["points"]) == 283
    u1 = [p["u1"] for p in front["points"]]
    assert u1 == sorted(u1)
    nash = data["solutions"]["nash"]["utilities"]
    a, b = nash.values()
    assert a == pytest.approx(0.706, abs=5e-4)
    assert b == pytest.approx(0.783, abs=5e-4)


def test_similarity_functions_do_not_override_evaluations() -> None:
    """The City profile nests a similarity function with its own items; only the issue's direct
    items are evaluations (reading the nested ones flips City's preferences)."""
    domain = load_genius(DATA / "AMPOvsCity")
    city = domain.profiles[1]
    salaries = city.evaluations[domain.issues[0].name]
    assert salaries["0"] == pytest.approx(1.0)
    assert salaries["1000"] == pytest.approx(0.0)
    _text, scenario = to_scenario(domain)
    assert len(scenario.parties) == 2
