"""Multilateral GENIUS domains (issue 14, item 4): every profile becomes a party.

Known values: ANAC 2015's Dinner domain (three profiles; tests/known_values/data/genius/Dinner,
origin in its SOURCES.txt). Each party's imported utility is checked against the XML read
independently here (``xml.etree``): a value's score is its evaluation divided by the issue's
largest evaluation, the weight is the file's weight, GENIUS's linear additive utility
(Baarslag et al. 2013, sec. 2). Tolerance 1e-12 (float sums of five terms).
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from burdenshare.errors import ScenarioError
from burdenshare.interop import load_genius, to_scenario
from burdenshare.interop.genius_protocol import profile_indices, protocol_choices
from burdenshare.preferences import party_parameters

DATA = Path(__file__).resolve().parents[1] / "known_values" / "data" / "genius"
DINNER = DATA / "Dinner"


def _xml_profile(path: Path) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Scores (evaluation / the issue's largest) and weights, by issue name, from the file."""
    root = ET.parse(path).getroot()
    names: dict[str, str] = {}
    scores: dict[str, dict[str, float]] = {}
    for issue in root.iter("issue"):
        names[issue.get("index", "")] = issue.get("name", "")
        raw = {item.get("value", ""): float(item.get("evaluation", "")) for item in issue}
        top = max(raw.values())
        scores[issue.get("name", "")] = {v: e / top for v, e in raw.items()}
    weights = {names[w.get("index", "")]: float(w.get("value", "")) for w in root.iter("weight")}
    return scores, weights


def test_every_profile_becomes_a_party_in_file_order() -> None:
    domain = load_genius(DINNER)
    _, scenario = to_scenario(domain)
    assert scenario.party_names == ("Dinner_util1", "Dinner_util2", "Dinner_util3")
    assert not scenario.bilateral
    assert scenario.protocol.first_mover == "Dinner_util1"
    notes = " ".join(p.note for p in scenario.provenance)
    for k in (1, 2, 3):
        assert f"Dinner_util{k}.xml" in notes


@pytest.mark.parametrize("k", [1, 2, 3])
def test_imported_utilities_equal_the_xml(k: int) -> None:
    """Every value's score and every weight, and whole-outcome utilities over all 1,200
    outcomes, equal those computed from the XML file directly."""
    domain = load_genius(DINNER)
    _, scenario = to_scenario(domain)
    scores, weights = _xml_profile(DINNER / f"Dinner_util{k}.xml")
    assert abs(sum(weights.values()) - 1.0) < 1e-12  # no renormalisation note expected
    party = scenario.parties[f"Dinner_util{k}"]
    by_name = {i.description.removeprefix("GENIUS name: "): i.id for i in scenario.issues}
    for name, iid in by_name.items():
        spec = party.utility[iid]
        assert spec.weight == pytest.approx(weights[name], abs=1e-15)
        assert spec.scores == pytest.approx(scores[name], abs=1e-15)
    params = party_parameters(scenario, f"Dinner_util{k}", on=scenario.protocol.start)
    values = [list(scores[name]) for name in by_name]
    n = 0
    for combo in itertools.product(*values):
        outcome = dict(zip(by_name.values(), combo, strict=True))
        want = sum(weights[name] * scores[name][v] for name, v in zip(by_name, combo, strict=True))
        assert params.utility(outcome) == pytest.approx(want, abs=1e-12)
        n += 1
    assert n == 1200


def test_a_hand_computed_outcome() -> None:
    """Dinner_util1 on (Meat, Cheap Restaurant, Italian food, 20:00, pretty spicy): evaluations
    0/1, 2/5, 3/4, 2/5, 2/5 times the file's weights."""
    _, scenario = to_scenario(load_genius(DINNER))
    outcome = {
        "Vegetarian_yes_no": "Meat",
        "Where_to_eat": "Cheap Restaurant",
        "Origin": "Italian food",
        "time": "20:00",
        "Spicyness": "pretty spicy",
    }
    want = (
        0.15314769269392758 * 2 / 5
        + 0.07007565543026062 * 3 / 4
        + 0.17610464252631627 * 2 / 5
        + 0.09901730899390673 * 2 / 5
    )
    params = party_parameters(scenario, "Dinner_util1", on=scenario.protocol.start)
    assert params.utility(outcome) == pytest.approx(want, abs=1e-15)


def test_profiles_choose_and_order_the_parties() -> None:
    domain = load_genius(DINNER)
    chosen = profile_indices(domain, ["Dinner_util3", "Dinner_util1"])
    assert chosen == (2, 0)
    opener, _, _ = protocol_choices(domain, first_mover="Dinner_util1", profiles=chosen)
    _, scenario = to_scenario(domain, profiles=chosen, first_mover=opener)
    assert scenario.party_names == ("Dinner_util3", "Dinner_util1")
    assert scenario.protocol.first_mover == "Dinner_util1"
    _, two = to_scenario(domain, pair=(0, 1))  # the older spelling for two
    assert two.party_names == ("Dinner_util1", "Dinner_util2")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"profiles": [0]}, "profiles"),
        ({"profiles": [0, 0]}, "profiles"),
        ({"profiles": [0, 3]}, "profiles"),
        ({"pair": (0, 1), "profiles": [0, 1]}, "profiles"),
        ({"first_mover": 3}, "first_mover"),
    ],
)
def test_bad_choices_are_refused(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ScenarioError) as err:
        to_scenario(load_genius(DINNER), **kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


def test_unknown_or_single_profile_names_are_refused() -> None:
    domain = load_genius(DINNER)
    for chosen in (["nobody", "Dinner_util1"], ["Dinner_util1"], ["Dinner_util1"] * 2):
        with pytest.raises(ScenarioError) as err:
            profile_indices(domain, chosen)
        assert err.value.field == "--profile"


def test_two_profile_domains_are_unchanged() -> None:
    """A bilateral domain imports exactly as before (the default takes both profiles)."""
    domain = load_genius(DATA / "Laptop")
    assert to_scenario(domain)[0] == to_scenario(domain, pair=(0, 1))[0]
