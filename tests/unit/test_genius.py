"""GENIUS / GeniusWeb import and export: every shipped domain round-trips; bad files are refused."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from burdenshare.errors import ScenarioError
from burdenshare.interop import (
    GeniusDomain,
    load_genius,
    to_genius_xml,
    to_scenario,
    utility_tables,
)
from burdenshare.interop.genius_xml import MAX_XML_BYTES
from burdenshare.scenario.io import parse_scenario_text

DATA = Path(__file__).resolve().parents[1] / "known_values" / "data" / "genius"
FOLDERS = sorted(p.name for p in DATA.iterdir() if p.is_dir())
NONLINEAR = {"10issues"}  # hyper-rectangle utilities: see test_nonlinear_* below
LINEAR = [f for f in FOLDERS if f not in NONLINEAR]


def _write(files: dict[str, str], folder: Path) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", FOLDERS)
def test_scenario_validates(name: str) -> None:
    domain = load_genius(DATA / name)
    assert len(domain.profiles) >= 2
    text, scenario = to_scenario(domain)
    again = parse_scenario_text(text, source=f"{name}.yaml").scenario
    assert again == scenario
    assert len(scenario.issues) == len(domain.issues)
    notes = " ".join(p.note for p in scenario.provenance)
    for prof in domain.profiles:
        assert Path(prof.source).name in notes
    for pid, prof in zip(scenario.parties, domain.profiles, strict=True):
        party = scenario.parties[pid]
        assert party.outside_option == (prof.reservation or 0.0)  # exactly as given


@pytest.mark.parametrize("name", LINEAR)
def test_round_trip(name: str, tmp_path: Path) -> None:
    domain = load_genius(DATA / name)
    _, scenario = to_scenario(domain, rounds=50)
    back = load_genius(_write(to_genius_xml(scenario), tmp_path / "out"))
    assert [(i.name, i.kind, i.values, i.low, i.high) for i in back.issues] == [
        (i.name, i.kind, i.values, i.low, i.high) for i in domain.issues
    ]
    by_name = {p.name: p for p in back.profiles}
    for pid, prof in zip(scenario.parties, domain.profiles, strict=True):
        got = by_name[f"{scenario.id}_{pid}"]
        for issue in domain.issues:
            w = prof.weights[issue.name]
            assert got.weights[issue.name] == pytest.approx(w, abs=1e-12)
            if issue.kind == "discrete":
                want = prof.evaluations[issue.name]
                if w == 0 and len(set(want.values())) == 1:
                    continue  # flat at weight 0: scores made 1, 0, ... (documented)
                for v in issue.values:
                    assert got.evaluations[issue.name][v] == pytest.approx(want[v], abs=1e-12)
            else:
                assert issue.low is not None
                assert issue.high is not None
                for x in (issue.low, (issue.low + issue.high) / 2, issue.high):
                    assert got.numeric_utility(issue.name, x) == pytest.approx(
                        prof.numeric_utility(issue.name, x), abs=1e-6
                    )
        assert (got.reservation or 0.0) == (prof.reservation or 0.0)
        if prof.discount is None or not 0 < prof.discount < 1:
            assert got.discount is None
        else:
            assert got.discount == pytest.approx(prof.discount, rel=1e-12)


def test_tables_match_genius_utility() -> None:
    domain = load_genius(DATA / "Ultimatum")
    tables = utility_tables(domain)
    p = domain.profiles[0]
    assert p.raw_evaluations["Issue1"]["B"] == 20.0
    assert p.evaluations["Issue1"]["B"] == 0.2
    w1, w2 = p.weights["Issue1"], p.weights["Issue2"]
    assert tables[0][0][1] + tables[0][1][2] == pytest.approx(w1 * 0.2 + w2 * 0.02, abs=1e-15)
    assert [len(t) for t in tables[1]] == [3, 3]


def test_geniusweb_uses_value_utilities_as_given() -> None:
    domain = load_genius(DATA / "Party")
    p = domain.profiles[0]
    assert p.format == "geniusweb"
    assert p.scores("Food")["Chips and Nuts"] == 0.75
    assert p.evaluations["Food"]["Chips and Nuts"] == 1.0
    assert p.reservation is not None
    assert 0 < p.reservation < 1
    assert max(float(t.max()) for t in utility_tables(domain)[0]) <= 1.0


def test_weights_slightly_off_are_renormalised_with_a_note() -> None:
    domain = load_genius(DATA / "Laptop")
    p = domain.profiles[0]
    assert math.fsum(p.raw_weights.values()) == pytest.approx(1.0000518, abs=1e-7)
    assert math.fsum(p.weights.values()) == pytest.approx(1.0, abs=1e-12)
    assert any("divided by their sum" in n for n in p.notes)


def test_nonlinear_profiles_are_read_as_rules() -> None:
    """ANAC 2014 10issues: 20 hyper-rectangles per profile, maxutility 662 and 885 (the files)."""
    domain = load_genius(DATA / "10issues")
    p1, p2 = domain.profiles
    assert (len(p1.rules), p1.max_utility, len(p2.rules), p2.max_utility) == (20, 662, 20, 885)
    assert p1.nonlinear
    assert not p1.weights
    first = p1.rules[0]  # <hyperRectangle utility="97"> INCLUDES index 2, 4, 6, 9 of profile-1
    assert first.utility == 97.0
    assert first.ranges == {
        "c1-i9": (7.0, 9.0),
        "c1-i7": (2.0, 7.0),
        "c1-i5": (0.0, 8.0),
        "c1-i2": (0.0, 7.0),
    }
    with pytest.raises(ScenarioError, match="non-linear"):
        utility_tables(domain)
    _, scenario = to_scenario(domain)
    rules = scenario.parties["profile-1"].utility_rules
    assert rules is not None
    assert rules.scale == 662.0
    assert rules.rules[0].ranges["c1-i9"] == (7.0, 9.0)
    assert scenario.parties["profile-1"].utility == {}


def test_nonlinear_round_trip(tmp_path: Path) -> None:
    domain = load_genius(DATA / "10issues")
    _, scenario = to_scenario(domain)
    back = load_genius(_write(to_genius_xml(scenario), tmp_path / "out"))
    assert [(i.name, i.kind, i.low, i.high) for i in back.issues] == [
        (i.name, i.kind, i.low, i.high) for i in domain.issues
    ]
    for before, after in zip(domain.profiles, back.profiles, strict=True):
        assert after.max_utility == before.max_utility
        assert after.rules == before.rules  # exact: utilities and bounds are whole numbers
        assert (after.reservation or 0.0) == (before.reservation or 0.0)


_RECT = (
    '<utility_space type="nonlinear"><objective name="root">'
    '<issue index="1" name="c1-i10" type="integer" lowerbound="0" upperbound="9"/>'
    '</objective>\n<utility maxutility="10">\n'
    '<ufun type="PlainUfun" weight="1" aggregation="sum">\n{body}\n'
    "</ufun></utility></utility_space>"
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '<hyperRectangle utility="5"><EXCLUDES index="1" min="0" max="2"/></hyperRectangle>',
            "EXCLUDES",
        ),
        (
            '<hyperRectangle utility="5"><INCLUDES index="7" min="0" max="2"/></hyperRectangle>',
            "INCLUDES refers to no issue",
        ),
        (
            '<hyperRectangle utility="5"><INCLUDES index="1" min="4" max="2"/></hyperRectangle>',
            "low <= high",
        ),
        (
            '<hyperRectangle utility="5"><INCLUDES index="1" min="0" max="12"/></hyperRectangle>',
            "inside the issue's range",
        ),
        (
            '<hyperRectangle utility="x"><INCLUDES index="1" min="0" max="2"/></hyperRectangle>',
            "utility must be a finite number",
        ),
        ('<hyperRectangle utility="5"></hyperRectangle>', "at least one INCLUDES"),
    ],
)
def test_malformed_nonlinear_profiles_are_refused(body: str, message: str, tmp_path: Path) -> None:
    folder = tmp_path / "d"
    shutil.copytree(DATA / "10issues", folder)
    (folder / "profile-2.xml").write_text(_RECT.format(body=body), encoding="utf-8")
    with pytest.raises(ScenarioError, match=message) as err:
        load_genius(folder)
    assert "profile-2.xml:" in str(err.value)  # file and line


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('type="PlainUfun"', 'type="MaxUfun"', "PlainUfun"),
        ('aggregation="sum"', 'aggregation="max"', "PlainUfun"),
        ('weight="1"', 'weight="0.5"', "weight other than 1"),
        ('maxutility="662"', 'maxutility="0"', "maxutility must be positive"),
    ],
)
def test_unsupported_nonlinear_forms_are_refused(
    old: str, new: str, message: str, tmp_path: Path
) -> None:
    folder = tmp_path / "d"
    shutil.copytree(DATA / "10issues", folder)
    path = folder / "profile-1.xml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ScenarioError, match=message):
        load_genius(folder)


def test_discount_per_round() -> None:
    domain = load_genius(DATA / "Ultimatum")
    _, scenario = to_scenario(domain, rounds=10, first_mover=1)
    d = next(iter(scenario.parties.values())).discount_per_round
    assert isinstance(d, float)
    assert d**10 == pytest.approx(0.05, rel=1e-12)
    assert scenario.protocol.first_mover == list(scenario.parties)[1]
    assert len(scenario.protocol.round_dates()) == 10


def _ultimatum(tmp_path: Path) -> Path:
    folder = tmp_path / "u"
    shutil.copytree(DATA / "Ultimatum", folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_truncated_file(tmp_path: Path) -> None:
    folder = _ultimatum(tmp_path)
    path = folder / "Ultimatum_util1.xml"
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(ScenarioError, match=r"Ultimatum_util1\.xml:\d+: malformed XML") as exc:
        load_genius(folder)
    assert exc.value.line is not None


def test_unknown_issue(tmp_path: Path) -> None:
    folder = _ultimatum(tmp_path)
    _edit(folder / "Ultimatum_util2.xml", 'name="Issue2"', 'name="Issue9"')
    with pytest.raises(ScenarioError, match=r"Ultimatum_util2\.xml:\d+: issues\.Issue9") as exc:
        load_genius(folder)
    assert "does not have" in exc.value.message


def test_unknown_value(tmp_path: Path) -> None:
    folder = _ultimatum(tmp_path)
    _edit(folder / "Ultimatum_util2.xml", 'value="Y"', 'value="Q"')
    with pytest.raises(ScenarioError, match=r"Ultimatum_util2\.xml:\d+: .*value the domain"):
        load_genius(folder)


def test_entities_refused_without_expansion(tmp_path: Path) -> None:
    folder = _ultimatum(tmp_path)
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        "<utility_space>&lol2;</utility_space>\n"
    )
    (folder / "Ultimatum_util1.xml").write_text(bomb, encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"Ultimatum_util1\.xml:2: document type") as exc:
        load_genius(folder)
    assert "lollol" not in str(exc.value)


def test_external_entity_refused(tmp_path: Path) -> None:
    folder = _ultimatum(tmp_path)
    xxe = '<!doctype x [<!ENTITY e SYSTEM "file:///etc/passwd">]><utility_space>&e;</utility_space>'
    (folder / "Ultimatum_util2.xml").write_text(xxe, encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"Ultimatum_util2\.xml:1: document type"):
        load_genius(folder)


def test_huge_file_refused(tmp_path: Path) -> None:
    folder = _ultimatum(tmp_path)
    (folder / "big.xml").write_bytes(
        b"<utility_space>" + b" " * MAX_XML_BYTES + b"</utility_space>"
    )
    with pytest.raises(ScenarioError, match=r"big\.xml: file is too large"):
        load_genius(folder)


def test_missing_domain(tmp_path: Path) -> None:
    folder = _ultimatum(tmp_path)
    (folder / "Ultimatum.xml").unlink()
    with pytest.raises(ScenarioError, match="no GENIUS domain file found"):
        load_genius(folder)


def test_weights_not_summing_to_one(tmp_path: Path) -> None:
    folder = _ultimatum(tmp_path)
    _edit(folder / "Ultimatum_util1.xml", 'value="0.39622042590756595"', 'value="0.2"')
    with pytest.raises(ScenarioError, match=r"Ultimatum_util1\.xml:\d+: weights: issue weights"):
        load_genius(folder)


def test_reservation_outside_range(tmp_path: Path) -> None:
    folder = _ultimatum(tmp_path)
    _edit(folder / "Ultimatum_util1.xml", '<reservation value="0.1">', '<reservation value="1.0">')
    domain = load_genius(folder)
    assert domain.profiles[0].reservation == 1.0
    with pytest.raises(ScenarioError, match=r"Ultimatum_util1\.xml: reservation: .*\[-1, 1\)"):
        to_scenario(domain)


def test_one_profile_is_not_a_domain(tmp_path: Path) -> None:
    folder = _ultimatum(tmp_path)
    (folder / "Ultimatum_util2.xml").unlink()
    with pytest.raises(ScenarioError, match="two or more profiles"):
        load_genius(folder)


def test_domain_record_is_frozen() -> None:
    domain = load_genius(DATA / "FiftyFiftyA")
    assert isinstance(domain, GeniusDomain)
    with pytest.raises(AttributeError):
        domain.name = "x"  # type: ignore[misc]
    tables = utility_tables(domain)
    assert np.allclose(tables[0][0] + tables[1][0], 1.0)
