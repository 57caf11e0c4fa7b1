"""``import-genius``'s protocol options (issue 12, item 7): rounds, deadline, first mover."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
LAPTOP = str(ROOT / "tests" / "known_values" / "data" / "genius" / "Laptop")
CliMain = Callable[..., tuple[int, str, str]]


def _cli(cli_main: CliMain, *argv: str) -> tuple[int, str]:
    code, out, err = cli_main(*argv)
    return code, " ".join((out + err).split())


def test_import_genius_sets_rounds_deadline_and_first_mover(
    tmp_path: Path, cli_main: CliMain
) -> None:
    """``import-genius --rounds N --deadline DATE --first-mover PARTY``: the written protocol
    has them; a bad or disagreeing value is exit 2 naming the option."""
    out = tmp_path / "laptop.yaml"
    code, text = _cli(
        cli_main,
        *("import-genius", LAPTOP, "-o", str(out), "--deadline", "2000-01-21"),
        *("--first-mover", "laptop_seller_utility"),
    )
    assert code == 0, text
    protocol = yaml.safe_load(out.read_text(encoding="utf-8"))["protocol"]
    assert protocol["first_mover"] == "laptop_seller_utility"
    assert protocol["max_rounds"] == 20
    assert str(protocol["deadline"]) == "2000-01-21"
    for bad, option in (
        (("--rounds", "5", "--deadline", "2000-01-21"), "--rounds"),
        (("--first-mover", "nobody"), "--first-mover"),
        (("--deadline", "1999-12-31"), "--deadline"),
        (("--start", "2020-02-30"), "--start"),
        (("--rounds", "0"), "--rounds"),
    ):
        code, text = _cli(cli_main, "import-genius", LAPTOP, "-o", str(out), "--overwrite", *bad)
        assert code == 2, text
        assert option in text
