"""The installed ``burdenshare`` command, run in subprocesses as a user runs it.

Each process costs about a second of start-up, so every call the tests need is started at once
(``CALLS``) and the tests read the finished results.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main

from burdenshare.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).parent / "burdenshare"
CORPUS = str(ROOT / "tests" / "hostile" / "corpus")
BUNDLED = [
    "nato-hague-2025",
    "nato-wales-2014",
    "split-the-pie",
    "us-japan-rok-trilateral",
    "us-rok-sma-2019",
    "us-rok-sma-2020-tentative",
    "us-rok-sma-2021",
]

FLAGSHIP = "us-rok-sma-2019"

#: a money amount as shown: ₩1,646.9bn ($1.463bn)
AMOUNT = r"₩[\d,]+\.\dbn \(\$[\d.,]+(?:bn|M)\)"


@dataclass(frozen=True)
class Result:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        assert self.code == 0, f"burdenshare {' '.join(self.args)}: {self.stderr}"
        return json.loads(self.stdout)

    @property
    def words(self) -> str:
        """stdout with line wrapping undone."""
        return " ".join(self.stdout.split())


def _run_options() -> tuple[str, ...]:
    """Keep `run` quick where it also runs an ensemble: a few hundred sessions are enough here."""
    command = typer.main.get_command(app).commands["run"]  # type: ignore[attr-defined]
    options = {opt for param in command.params for opt in param.opts}
    return ("--sessions", "200") if "--sessions" in options else ()


RUN = ("run", *_run_options())

CALLS: dict[str, tuple[str, ...]] = {
    "run": RUN,
    "run split-the-pie": (*RUN, "split-the-pie", "--negotiator", "linear"),
    "run us-rok-sma-2020-tentative": (*RUN, "us-rok-sma-2020-tentative"),
    "run us-rok-sma-2021": (*RUN, "us-rok-sma-2021"),
    "run nato-hague-2025": (*RUN, "nato-hague-2025"),
    "run nato-wales-2014": (*RUN, "nato-wales-2014"),
    "run us-japan-rok-trilateral": (*RUN, "us-japan-rok-trilateral"),
    "run --json": (*RUN, FLAGSHIP, "--json"),
    "analyze pie": ("analyze", "split-the-pie", "--json"),
    "seed 5": ("simulate", FLAGSHIP, "--seed", "5", "--json"),
    "seed 5 again": ("simulate", FLAGSHIP, "--seed", "5", "--json"),
    "two negotiators": (
        "simulate",
        "us-rok-sma-2021",
        "-N",
        "nash",
        "-N",
        "time-dependent:e=0.5",
        "--json",
    ),
    "validate ok": ("validate", str(ROOT / "tests" / "hostile" / "well-formed.yaml"), "--json"),
    "scenarios": ("scenarios", "--json"),
    "version": ("--version",),
    # bad input: exit code 2
    "duplicate key": ("validate", f"{CORPUS}/duplicate-key.yaml"),
    "billion laughs": ("analyze", f"{CORPUS}/billion-laughs.yaml", "--json"),
    "unknown name": ("simulate", "no-such-scenario"),
    "unknown negotiator": ("simulate", "split-the-pie", "-N", "stubborn"),
    "unknown option": ("analyze", "split-the-pie", "--bogus"),
}


@pytest.fixture(scope="module")
def cli(run_cli_calls) -> dict[str, Result]:  # type: ignore[no-untyped-def]
    """Every call in CALLS, run at once (tests/conftest.py: private store, scratch folder)."""
    done = run_cli_calls(CALLS)
    return {key: Result(CALLS[key], *done[key]) for key in CALLS}


def test_the_command_is_installed_next_to_python() -> None:
    assert CLI.is_file(), f"no console script at {CLI}; run `make install`"


def test_run_without_argument_explains_the_flagship_in_both_currencies(
    cli: dict[str, Result],
) -> None:
    r = cli["run"]
    assert r.code == 0, r.stderr
    assert r.stderr == ""
    sentence = re.search(
        rf"No deal both sides can accept: on contribution, US will not accept less than {AMOUNT} "
        rf"while ROK will not go beyond {AMOUNT}\. The gap is {AMOUNT}\.",
        r.words,
    )
    assert sentence, r.words
    assert "₩1,646.9bn ($1.463bn)" in sentence.group(0)
    assert "In plain words" in r.stdout
    assert "In one simulated session:" in r.words


@pytest.mark.parametrize("name", [n for n in BUNDLED if n != FLAGSHIP])
def test_run_every_bundled_scenario(cli: dict[str, Result], name: str) -> None:
    r = cli[f"run {name}"]
    assert r.code == 0, r.stderr
    assert "In plain words" in r.stdout
    assert re.search(r"Zone of agreement: (A deal|No deal)", r.words)
    assert "In one simulated session:" in r.words
    if name.startswith("us-rok"):
        assert re.search(AMOUNT, r.stdout)


def test_run_json_has_the_analysis_and_the_simulation(cli: dict[str, Result]) -> None:
    data = cli["run --json"].json()
    assert {"scenario", "parties", "zopa", "solutions", "simulation"} <= set(data)
    assert data["scenario"]["id"] == FLAGSHIP
    assert data["scenario"]["money"] == {"unit": "KRW", "scale": "billion", "fx": {"USD": 1126.0}}
    assert data["zopa"]["exists"] is False
    assert data["zopa"]["gap"] == pytest.approx(493.0667, abs=1e-3)
    assert set(data["zopa"]["gap_money"]) == {"KRW", "USD"}
    for concept, solution in data["solutions"].items():
        assert solution["concept"] == concept
        assert {"outcome", "utilities", "agreement"} <= set(solution)
        assert solution["agreement"] is False
        assert solution["outcome"] is None
    assert "ratified_nash" in data["solutions"]
    sim = data["simulation"]
    assert {"outcome", "agreement", "transcript", "seed", "negotiators"} <= set(sim)
    assert sim["seed"] == 0
    assert sim["negotiators"] == {"US": "boulware", "ROK": "boulware"}
    assert (sim["outcome"], sim["round"], sim["date"]) == ("deadline", 15, "2020-12-15")
    offer = sim["transcript"][0]
    assert (offer["round"], offer["date"], offer["proposer"]) == (1, "2019-11-19", "US")
    assert offer["money"]["contribution"] == pytest.approx({"KRW": 5.63e12, "USD": 5e9})


def test_analyze_split_the_pie_gives_the_textbook_values(cli: dict[str, Result]) -> None:
    data = cli["analyze pie"].json()
    assert set(data) == {
        "scenario",
        "parties",
        "zopa",
        "solutions",
        "hindsight",
        "pareto_frontier",
        "opposition",
    }
    assert data["opposition"]["value"] == pytest.approx(2**-0.5, abs=1e-6)  # a pie: 1/sqrt(2)
    points = data["pareto_frontier"]["points"]  # the pie's frontier is the line u1 + u2 = 1
    assert len(points) > 2
    assert all(abs(p["u1"] + p["u2"] - 1) < 1e-9 for p in points)
    assert data["hindsight"] is None  # the textbook case has no real-world outcome
    assert data["zopa"]["exists"] is True
    nash = data["solutions"]["nash"]
    assert nash["agreement"] is True
    assert nash["outcome"]["share"]["value"] == pytest.approx(0.5, abs=1e-9)
    assert nash["utilities"] == pytest.approx({"A": 0.5, "B": 0.5}, abs=1e-9)
    rubinstein = data["solutions"]["rubinstein"]
    assert rubinstein["outcome"]["share"]["value"] == pytest.approx(1 / 1.9, abs=1e-9)
    assert rubinstein["utilities"]["B"] == pytest.approx(0.9 / 1.9, abs=1e-9)


def test_simulate_is_reproducible_from_its_seed(cli: dict[str, Result]) -> None:
    first, again = cli["seed 5"], cli["seed 5 again"]
    assert first.code == again.code == 0
    assert first.stdout == again.stdout
    data = first.json()
    assert {"outcome", "agreement", "transcript", "seed", "negotiators"} <= set(data)
    assert data["seed"] == 5
    assert len(data["transcript"]) == data["round"]
    # the flagship has a 5% breakdown risk per round: seed 5 breaks down, seed 0 (the default,
    # used by `run --json`) runs out of time
    assert (data["outcome"], data["round"]) == ("breakdown", 11)
    assert cli["run --json"].json()["simulation"]["outcome"] == "deadline"


def test_simulate_with_chosen_negotiators(cli: dict[str, Result]) -> None:
    two = cli["two negotiators"].json()
    assert two["negotiators"] == {"US": "nash", "ROK": "time-dependent:e=0.5"}
    assert two["transcript"][0]["proposer"] == "US"
    # given once, --negotiator applies to both parties
    pie = cli["run split-the-pie"]
    assert pie.code == 0, pie.stderr
    assert "A plays linear, B plays linear (seed 0)" in pie.stdout
    assert "In one simulated session: B accepted A's offer in round 51 (2020-02-20)." in pie.words


def test_validate_a_good_file_and_list_the_bundled_scenarios(cli: dict[str, Result]) -> None:
    info = cli["validate ok"].json()
    assert info["valid"] is True
    assert info["parties"] == ["US", "ROK"]
    listed = cli["scenarios"].json()["scenarios"]
    assert [s["name"] for s in listed] == BUNDLED
    assert all(set(s) == {"name", "title", "as_of"} for s in listed)


def test_version(cli: dict[str, Result]) -> None:
    r = cli["version"]
    assert r.code == 0
    assert re.fullmatch(r"burdenshare \d+\.\d+\.\d+\S*\n", r.stdout)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("duplicate key", "duplicate-key.yaml:4: as_of: duplicate key 'as_of'"),
        ("billion laughs", "billion-laughs.yaml:1: a: YAML anchors and aliases are not allowed"),
        ("unknown name", "no-such-scenario: no bundled scenario or file by that name"),
        ("unknown negotiator", "unknown negotiator 'stubborn'; known negotiators: boulware"),
    ],
)
def test_bad_input_gives_exit_code_2_and_one_line(
    cli: dict[str, Result], key: str, message: str
) -> None:
    r = cli[key]
    assert r.code == 2, (r.code, r.stderr)
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("error: ")
    assert message in lines[0]


def test_an_unknown_option_is_a_usage_error(cli: dict[str, Result]) -> None:
    r = cli["unknown option"]
    assert r.code == 2
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    assert "No such option: --bogus" in r.stderr
    assert "Usage: burdenshare analyze" in r.stderr
