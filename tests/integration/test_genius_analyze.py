"""An imported ANAC domain analysed end to end: AMPOvsCity (1,944,000 outcomes).

Cross-check: the frontier (192 distinct utility vectors shared by 283 outcomes) and the Nash point
u = (0.706, 0.783) were first computed by benchmarks/bench_outcome_space.py with its own small
XML reader, independently of the importer. NegMAS 0.16 reports 193 points on its own scale
(weights times *raw* evaluations; one AMPOvsCity issue tops out at 90, the others at 100); on
GENIUS's scale, evaluations divided by each issue's largest, it also finds 192 (`make
crosscheck`, docs/explanation/negmas-crosscheck.md).
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


def _published_pareto() -> list[tuple[float, float]]:
    """10issues/pareto.xml: the frontier's utility pairs as shipped with the ANAC 2014 domain
    (32-bit floats, already divided by maxutility)."""
    text = (DATA / "10issues" / "pareto.xml").read_text(encoding="utf-8")
    pairs = []
    for line in text.splitlines():
        if "," in line:
            a, b = line.split(",")
            pairs.append((float(a), float(b)))
    return sorted(pairs)


def test_analyze_10issues_folder_matches_the_published_frontier() -> None:
    """10^10 outcomes, non-linear (hyper-rectangle) utilities: `analyze` takes the GENIUS folder
    itself and its exact frontier is pareto.xml's 10 points (to float32 precision, 1e-6)."""
    done = subprocess.run(
        [str(CLI), "analyze", str(DATA / "10issues"), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    front = data["pareto_frontier"]
    assert front["n_outcomes"] == 10**10
    got = [(p["u1"], p["u2"]) for p in front["points"]]
    published = _published_pareto()
    assert len(got) == len(published) == 10
    for (a, b), (x, y) in zip(got, published, strict=True):
        assert a == pytest.approx(x, abs=1e-6)
        assert b == pytest.approx(y, abs=1e-6)
    # every bargaining point is one of the frontier points, with its outcome count
    by_pair = {(p["u1"], p["u2"]): p["count"] for p in front["points"]}
    for key in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
        sol = data["solutions"][key]
        pair = tuple(sol["utilities"].values())
        assert by_pair[pair] == sol["count"]
    # the Nash point (outside options 0) is the published point with the largest product
    x, y = max(published, key=lambda p: p[0] * p[1])
    assert list(data["solutions"]["nash"]["utilities"].values()) == [
        pytest.approx(x, abs=1e-6),
        pytest.approx(y, abs=1e-6),
    ]
    assert 0 < data["opposition"]["value"] < 1


def test_simulating_a_nonlinear_domain_is_a_clear_error() -> None:
    done = subprocess.run(
        [str(CLI), "simulate", str(DATA / "10issues")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "utility_rules" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.iterdir() if p.is_dir()))
def test_every_shipped_domain_analyses(name: str) -> None:
    """Every domain folder is analysed straight from the folder: an exact frontier (all issues
    are discrete, or a grid for a real issue) whose points are mutually non-dominated, and a Nash
    point on it."""
    from burdenshare.services import analyze_any

    doc = analyze_any(DATA / name).to_dict()
    points = doc["pareto_frontier"]["points"]
    assert points
    # two parties: u1, u2; three or more (ANAC 2015's Dinner): one utility per party
    pairs = [
        tuple(p["utilities"].values()) if "utilities" in p else (p["u1"], p["u2"]) for p in points
    ]
    for a in pairs:
        assert not any(b != a and all(bi >= ai for ai, bi in zip(a, b, strict=True)) for b in pairs)
    nash = doc["solutions"]["nash"]
    assert nash["agreement"]
    x = tuple(nash["utilities"].values())
    if doc["pareto_frontier"]["method"].startswith("exact"):  # the Nash point is a frontier point
        assert min(sum(abs(ai - xi) for ai, xi in zip(a, x, strict=True)) for a in pairs) < 1e-9


def test_opposition_is_the_least_normalised_distance_to_the_ideal_corner() -> None:
    """Baarslag et al. (2013): min over outcomes of ||(1, 1) - normalised (u1, u2)||, min-max
    normalised over the outcome space; checked by enumerating Laptop's 27 outcomes, and on the
    pie, whose frontier u1 + u2 = 1 gives 1/sqrt(2)."""
    import itertools
    import math

    from burdenshare.interop import utility_tables
    from burdenshare.services import analyze_any

    tables = utility_tables(load_genius(DATA / "Laptop"))
    sums = [
        [sum(t[j][k] for j, k in enumerate(pick)) for pick in itertools.product(range(3), repeat=3)]
        for t in tables
    ]
    norm = [[(u - min(s)) / (max(s) - min(s)) for u in s] for s in sums]
    expected = min(math.hypot(1 - a, 1 - b) for a, b in zip(*norm, strict=True))
    got = analyze_any(DATA / "Laptop").to_dict()["opposition"]
    assert got["method"].startswith("exact")
    assert got["value"] == pytest.approx(expected, abs=1e-9)
    pie = analyze_any("split-the-pie").to_dict()["opposition"]
    assert pie["value"] == pytest.approx(1 / math.sqrt(2), abs=1e-6)
