"""`burdenshare simulate` on scenarios of three and five parties (issue 14)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from burdenshare.testing.contracts import MULTILATERAL_PROTOCOLS, MULTILATERAL_SCENARIOS

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def three(tmp_path: Path) -> str:
    path = tmp_path / "three.yaml"
    path.write_text(MULTILATERAL_SCENARIOS["three-party"], encoding="utf-8")
    return str(path)


@pytest.fixture
def five_text(tmp_path: Path) -> str:
    path = tmp_path / "five.yaml"
    text = MULTILATERAL_SCENARIOS["five-party"] + MULTILATERAL_PROTOCOLS["single-text-majority"]
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_three_parties_json_keeps_the_bilateral_keys(cli_main: Run, three: str) -> None:
    code, out, err = cli_main("simulate", three, "-N", "linear", "--json")
    assert code == 0, err
    data = json.loads(out)
    bilateral = {
        "scenario",
        "outcome",
        "agreement",
        "round",
        "date",
        "after_deadline",
        "cause",
        "utilities",
        "discounted_utilities",
        "negotiators",
        "transcript",
        "seed",
    }
    assert set(data) == bilateral
    assert data["negotiators"] == {"A": "linear", "B": "linear", "C": "linear"}
    assert set(data["utilities"]) == {"A", "B", "C"}
    # the first mover is B; every round's answers are recorded, in turn order after the proposer
    first = data["transcript"][0]
    assert first["proposer"] == "B"
    assert list(first["responses"]) == ["C", "A"][: len(first["responses"])]
    assert set(first["utilities"]) == {"A", "B", "C"}
    assert len(data["transcript"]) == data["round"]


def test_five_parties_one_negotiator_each_under_the_single_text(
    cli_main: Run, five_text: str
) -> None:
    names = ["conceder", "linear", "hardliner", "boulware", "linear"]
    args = [a for n in names for a in ("-N", n)]
    code, out, err = cli_main("simulate", five_text, *args, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["negotiators"] == dict(zip(["P1", "P2", "P3", "P4", "P5"], names, strict=True))
    assert {o["proposer"] for o in data["transcript"]} == {"mediator"}
    # every party answers the text, in turn order from the first mover (P3)
    assert list(data["transcript"][0]["responses"]) == ["P3", "P4", "P5", "P1", "P2"]
    code, text, err = cli_main("simulate", five_text, *args)
    assert code == 0, err
    words = " ".join(text.split())
    assert "P1 plays conceder, P2 plays linear, P3 plays hardliner" in words
    assert "single negotiating text, majority of 3" in words
    assert all(f"u({p})" in words for p in ("P1", "P2", "P3", "P4", "P5"))
    assert data["cause"] in words


def test_the_number_of_negotiators_must_match(cli_main: Run, three: str) -> None:
    code, _, err = cli_main("simulate", three, "-N", "linear", "-N", "boulware")
    assert code == 2
    assert "give one negotiator (for all 3 parties) or 3 (one per party" in " ".join(err.split())


def test_a_bilateral_negotiator_is_refused_by_name(cli_main: Run, three: str) -> None:
    code, _, err = cli_main("simulate", three, "-N", "linear", "-N", "nash", "-N", "linear")
    assert code == 2
    assert "NashSeeker() (for B) plays two-party alternating offers only" in " ".join(err.split())


def test_two_parties_keep_their_message(cli_main: Run) -> None:
    code, _, err = cli_main("simulate", "split-the-pie", "-N", "a", "-N", "b", "-N", "c")
    assert code == 2
    assert "give one negotiator (for both parties) or two (one per party), got 3" in err


def test_many_parties_show_the_answers_in_words(cli_main: Run) -> None:
    # NATO at Wales, 2014: 28 allies; no utility column per ally, the answers counted instead
    code, out, err = cli_main("simulate", "nato-wales-2014", "-N", "linear")
    assert code == 0, err
    words = " ".join(out.split())
    assert "each of the 28 parties plays linear" in words
    assert "u(USA)" not in words
    assert " of 28 asked accepted" in words  # the single text: every ally answers
    assert "Each party's" in words
    assert "USA " in words
