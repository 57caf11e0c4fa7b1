"""``burdenshare allocate``: the bundled games, the JSON keys (each documented in json.md),
the shared-cost file's checks (located errors, exit 2) and the rules a file cannot support."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from burdenshare.cooperative import parse_game_text
from burdenshare.cooperative.library import bundled_game_path
from burdenshare.errors import ScenarioError

ROOT = Path(__file__).resolve().parents[2]
JSON_REF = ROOT / "docs" / "reference" / "json.md"
Run = Callable[..., tuple[int, str, str]]


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _documented() -> set[str]:
    text = JSON_REF.read_text(encoding="utf-8")
    section = text.split("## allocate", 1)[1].split("\n## ", 1)[0]
    spans = re.findall(r"`([A-Za-z0-9_.<>\[\]]+)`", section)
    return {part for span in spans for part in re.split(r"[.\[\]]+", span) if part}


def test_airport_example_json(cli_main: Run) -> None:
    code, out, _ = cli_main("allocate", "airport-example", "--json")
    assert code == 0
    doc = json.loads(out)
    by_rule = {a["rule"]: a for a in doc["allocations"]}
    # derived by hand in tests/known_values/test_cost_allocation.py
    assert [s["amount"] for s in by_rule["nucleolus"]["shares"]] == pytest.approx([0.5, 1.25, 4.25])
    assert by_rule["equal"]["in_core"] is False  # Light pays 2 > its stand-alone cost 1
    assert doc["core"]["empty"] is False
    assert {s["rule"] for s in doc["skipped"]} == {"gdp", "gni"}
    missing = _keys(doc) - _documented()
    assert not missing, f"allocate --json keys missing from json.md's allocate section: {missing}"


def test_nato_budget_by_gdp(cli_main: Run) -> None:
    """Shares of the 2021 civil budget (EUR 258.9m) in proportion to the file's GDP figures."""
    code, out, _ = cli_main("allocate", "nato-civil-budget-2021", "--json", "-r", "gdp")
    assert code == 0
    doc = json.loads(out)
    path = bundled_game_path("nato-civil-budget-2021")
    assert path is not None
    problem = parse_game_text(path.read_text(encoding="utf-8"), source=str(path))
    assert problem.gdp is not None
    shares = doc["allocations"][0]["shares"]
    assert doc["game"]["total"] == 258.9
    assert sum(s["amount"] for s in shares) == pytest.approx(258.9)
    expected = 258.9 * np.array(problem.gdp) / sum(problem.gdp)
    assert [s["amount"] for s in shares] == pytest.approx(expected.tolist())
    assert len(shares) == 29
    assert doc["core"] is None


def test_table_output(cli_main: Run) -> None:
    code, out, _ = cli_main("allocate", "airport-example")
    assert code == 0
    assert "nucleolus" in out
    assert "in the core?" in out
    assert "Heavy: 3 to 6" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-r", "banzhaf"), "unknown rule"),
        (("-r", "gdp"), "gdp needs every player's gdp"),
    ],
)
def test_bad_rules_exit_2(cli_main: Run, args: tuple[str, ...], message: str) -> None:
    code, _, err = cli_main("allocate", "airport-example", *args)
    assert code == 2
    assert message in err


def test_shapley_of_a_total_only_file_exit_2(cli_main: Run) -> None:
    code, _, err = cli_main("allocate", "nato-civil-budget-2021", "-r", "shapley")
    assert code == 2
    assert "needs the cost of every coalition" in err


def test_missing_file_exit_2(cli_main: Run, tmp_path: Path) -> None:
    code, _, err = cli_main("allocate", str(tmp_path / "none.yaml"))
    assert code == 2
    assert "no such file" in err


def test_empty_core_and_no_imputation_from_a_file(cli_main: Run, tmp_path: Path) -> None:
    """A game whose stand-alone costs sum to less than c(N): no nucleolus (skipped by default,
    exit 2 when asked for), an empty core."""
    f = tmp_path / "g.yaml"
    f.write_text(
        "title: t\nplayers: {A: {}, B: {}}\ngame:\n  kind: coalitions\n  costs:\n"
        "    - {members: [A], cost: 1}\n    - {members: [B], cost: 1}\n"
        "    - {members: [A, B], cost: 3}\n",
        encoding="utf-8",
    )
    code, out, _ = cli_main("allocate", str(f), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["core"]["empty"] is True
    assert doc["core"]["least_core_epsilon"] == pytest.approx(0.5)
    assert "nucleolus" in {s["rule"] for s in doc["skipped"]}
    code, _, err = cli_main("allocate", str(f), "-r", "nucleolus")
    assert code == 2
    assert "not defined" in err


GOOD = "title: t\nplayers: {A: {}, B: {}}\ngame: {kind: airport, stand_alone: {A: 1, B: 2}}\n"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (GOOD.replace("B: 2", "B: -2"), "g.yaml:3: game.stand_alone.B"),
        (GOOD.replace("airport", "pyramid"), "g.yaml:3: game.kind"),
        (GOOD.replace("title: t", "title: t\nextra: 1"), "g.yaml:2: extra"),
        (GOOD.replace("{A: {}, B: {}}", "{A: {gdp: 1}, B: {}}"), "players.B.gdp"),
        (GOOD.replace("{A: 1, B: 2}", "{A: 1}"), "g.yaml:3: game.stand_alone"),
        ("title: &a t\nplayers: *a\ngame: {kind: total, total: 1}\n", "anchors"),
        (
            "title: t\nplayers: {A: {}, B: {}}\ngame:\n  kind: coalitions\n  costs:\n"
            "    - {members: [A], cost: 1}\n",
            "coalition(s) have no cost",
        ),
        (
            "title: t\nplayers: {A: {}, B: {}}\ngame:\n  kind: coalitions\n  costs:\n"
            "    - {members: [A, C], cost: 1}\n",
            "g.yaml:6: game.costs.0.members",
        ),
        ('title: "t\\e"\nplayers: {A: {}, B: {}}\ngame: {kind: total, total: 1}\n', "title"),
    ],
)
def test_file_errors_are_located(text: str, where: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_game_text(text, source="g.yaml")
    assert where in str(info.value)


def test_player_limits() -> None:
    names = ", ".join(f"P{i}: {{}}" for i in range(21))
    with pytest.raises(ScenarioError, match="at most 20 players"):
        parse_game_text(
            f"title: t\nplayers: {{{names}}}\ngame: {{kind: airport, stand_alone: {{}}}}\n",
            source="g.yaml",
        )
    ok = parse_game_text(f"title: t\nplayers: {{{names}}}\ngame: {{kind: total, total: 5}}\n")
    assert len(ok.players) == 21
