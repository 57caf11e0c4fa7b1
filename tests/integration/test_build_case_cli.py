"""`burdenshare build-case`: the bundled FACTS file to a scenario that `analyze` reads; the
service's refusals (exit 2, nothing written); the JSON keys are documented."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from burdenshare.errors import ScenarioError
from burdenshare.history.priors_fit import load_priors, save_priors
from burdenshare.services.cases import build_case_file

ROOT = Path(__file__).resolve().parents[2]
FACTS = ROOT / "src" / "burdenshare" / "history" / "data" / "facts" / "us-rok-sma-2019-11-19.yaml"
JAPAN = ROOT / "tests" / "fixtures" / "facts" / "us-japan-hns-2019-12-04.yaml"
HOW_TO = ROOT / "docs" / "how-to" / "build-case.md"
JSON_REF = ROOT / "docs" / "reference" / "json.md"

Run = Callable[..., tuple[int, str, str]]


def _fixture() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "record_rounds_fixture_c", ROOT / "tests" / "fixtures" / "record_rounds.py"
    )
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_build_case_then_analyze(cli_main: Run, tmp_path: Path) -> None:
    out = tmp_path / "case.yaml"
    code, stdout, stderr = cli_main("build-case", str(FACTS), "-o", str(out), "--json")
    assert code == 0, stderr
    result = json.loads(stdout)
    assert result["scenario"]["as_of"] == "2019-11-19"
    assert result["priors"]["origin"] == "shipped"
    assert result["numbers"]["ask"] == pytest.approx(5 * 1126.2)
    assert result["numbers"]["zone_at_central_values"] is True
    code, stdout, stderr = cli_main("analyze", str(out), "--json")
    assert code == 0, stderr
    analysis = json.loads(stdout)
    assert analysis["zopa"]["exists"] is True
    assert analysis["scenario"]["as_of"] == "2019-11-19"
    # refused without --overwrite, allowed with it; the text form names the file
    code, _, stderr = cli_main("build-case", str(FACTS), "-o", str(out))
    assert code == 2
    assert "already exists" in stderr
    code, stdout, _ = cli_main("build-case", str(FACTS), "-o", str(out), "--overwrite")
    assert code == 0
    assert "zone of agreement at central values: yes" in stdout


def test_the_us_japan_facts_file_builds_with_a_zone(cli_main: Run, tmp_path: Path) -> None:
    out = tmp_path / "japan.yaml"
    code, stdout, stderr = cli_main("build-case", str(JAPAN), "-o", str(out), "--json")
    assert code == 0, stderr
    numbers = json.loads(stdout)["numbers"]
    assert numbers["ask"] == pytest.approx(8 * 109.7)
    assert numbers["zone_at_central_values"] is True
    # the YAML file and the hand-made Facts of the unit tests build the same case
    from burdenshare.history.builder import build_case

    assert (
        build_case(_fixture().japan_facts()).numbers["payer_walkaway"]
        == (numbers["payer_walkaway"])
    )


def test_user_mistakes_exit_2_and_write_nothing(cli_main: Run, tmp_path: Path) -> None:
    out = tmp_path / "case.yaml"
    bad_priors = tmp_path / "p.json"
    bad_priors.write_text('{"version": "priors-v1"}', encoding="utf-8")
    bad_facts = tmp_path / "f.yaml"
    bad_facts.write_text("as_of: 2019-11-19\nalliance: X\n", encoding="utf-8")
    for args in (
        [str(FACTS), "-o", str(out), "--priors", str(bad_priors)],
        [str(FACTS), "-o", str(out), "--priors", str(bad_priors), "--record", str(FACTS)],
        [str(bad_facts), "-o", str(out)],
        [str(tmp_path / "missing.yaml"), "-o", str(out)],
        [str(FACTS), "-o", str(tmp_path / "no-such-folder" / "case.yaml")],
    ):
        code, _, stderr = cli_main("build-case", *args)
        assert code == 2, (args, stderr)
        assert "Traceback" not in stderr
        assert "error:" in stderr
    assert set(tmp_path.iterdir()) == {bad_priors, bad_facts}


def test_record_refits_the_priors(cli_main: Run, tmp_path: Path) -> None:
    """--record FILE refits on the bundled record plus FILE (here the bundled file itself, whose
    rounds replace themselves: the refit is the shipped priors)."""
    record = ROOT / "src" / "burdenshare" / "history" / "data" / "record" / "us-rok-sma.yaml"
    code, stdout, stderr = cli_main(
        "build-case", str(FACTS), "-o", str(tmp_path / "c.yaml"), "--record", str(record), "--json"
    )
    assert code == 0, stderr
    priors = json.loads(stdout)["priors"]
    assert priors["origin"] == "refit"
    assert priors["fitted_on"] == list(load_priors().fitted_on)


def test_the_service_takes_facts_and_priors_files(tmp_path: Path) -> None:
    facts = _fixture().japan_facts()
    path = save_priors(load_priors(), tmp_path / "priors.json")
    result = build_case_file(facts, tmp_path / "c.yaml", priors=path)
    assert result["priors"]["origin"] == str(path)
    assert (tmp_path / "c.yaml").read_text(encoding="utf-8").startswith("# Built by")
    with pytest.raises(ScenarioError, match="already exists"):
        build_case_file(facts, tmp_path / "c.yaml")
    with pytest.raises(ScenarioError, match="not both"):
        build_case_file(facts, tmp_path / "d.yaml", priors=path, records=["x.yaml"])
    assert not (tmp_path / "d.yaml").exists()


def _keys(value: Any, skip: set[str]) -> set[str]:
    out: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in skip:
                out.add(k)
            out |= _keys(v, skip)
    elif isinstance(value, list):
        for v in value:
            out |= _keys(v, skip)
    return out


def test_every_json_key_is_documented(tmp_path: Path) -> None:
    result = build_case_file(_fixture().japan_facts(), tmp_path / "c.yaml")
    documented = set(re.findall(r"`([A-Za-z_]+)`", HOW_TO.read_text(encoding="utf-8")))
    missing = _keys(result, set()) - documented
    assert not missing, f"build-case --json keys missing from docs/how-to/build-case.md: {missing}"
    top = set(
        re.findall(r"`build-case --json`.*", JSON_REF.read_text(encoding="utf-8"))[0]
        .split("|")[1]
        .replace("`", "")
        .replace(" ", "")
        .split(",")
    )
    assert top == set(result)


def test_the_how_to_facts_example_builds(tmp_path: Path) -> None:
    """The FACTS file shown in docs/how-to/build-case.md is read and built as written."""
    from burdenshare.history.record import load_facts

    text = HOW_TO.read_text(encoding="utf-8")
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "facts.yaml"
    path.write_text(block, encoding="utf-8")
    facts = load_facts(path)
    assert (facts.demander, facts.payer, facts.currency) == ("US", "ROK", "KRW")
    result = build_case_file(path, tmp_path / "case.yaml")
    assert result["numbers"]["ask"] == pytest.approx(5 * 1126.2)
    # one meeting public: the cadence is the record's median gap between meetings
    assert result["numbers"]["cadence_days"] == round(load_priors().meeting_gap_days)
