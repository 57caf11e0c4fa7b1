"""`burdenshare history record`: one line per round of the record, the user's rounds added or
replacing a bundled one by id, refusals with exit 2, and every JSON key documented."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOW_TO = ROOT / "docs" / "how-to" / "history.md"
US_ROK = ROOT / "src" / "burdenshare" / "history" / "data" / "record" / "us-rok-sma.yaml"

Run = Callable[..., tuple[int, str, str]]


def test_every_bundled_round_is_listed_with_its_outcome(cli_main: Run) -> None:
    code, stdout, stderr = cli_main("history", "record", "--json")
    assert code == 0, stderr
    doc = json.loads(stdout)
    rows = {r["id"]: r for r in doc["rounds"]}
    # rok_sma_rounds.csv 11th SMA: agreed 2021-03-07, 2021 at 1,183.3 bn won (+13.9% on 1,038.9)
    eleventh = rows["us-rok-sma-11"]
    assert eleventh["deal_date"] == "2021-03-07"
    assert eleventh["days_after_expiry"] == 432  # 2019-12-31 to 2021-03-07
    assert eleventh["settlement"] == 1183.3
    assert abs(eleventh["change_pct"] - 100 * (1183.3 - 1038.9) / 1038.9) < 1e-9
    assert eleventh["lapse"] is True
    assert {r["alliance"] for r in doc["rounds"]} == {"US-ROK", "US-Japan"}
    dates = [r["deal_date"] for r in doc["rounds"] if r["deal_date"]]
    assert dates == sorted(dates)
    # documented: every key of the output appears in the how-to's JSON table
    documented = set(re.findall(r"`([a-z_]+)`", HOW_TO.read_text(encoding="utf-8")))
    keys = set(doc) | {k for r in doc["rounds"] for k in r}
    assert keys <= documented, keys - documented


def test_a_user_file_replaces_a_bundled_round(cli_main: Run, tmp_path: Path) -> None:
    text = US_ROK.read_text(encoding="utf-8").replace("1183.3", "1190.0")
    mine = tmp_path / "mine.yaml"
    mine.write_text(text, encoding="utf-8")
    code, stdout, stderr = cli_main("history", "record", "--record", str(mine), "--json")
    assert code == 0, stderr
    doc = json.loads(stdout)
    eleventh = next(r for r in doc["rounds"] if r["id"] == "us-rok-sma-11")
    assert eleventh["settlement"] == 1190.0
    assert eleventh["origin"] == str(mine)
    assert len([r for r in doc["rounds"] if r["id"] == "us-rok-sma-11"]) == 1


def test_refusals_exit_2_with_a_located_message(cli_main: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("rounds: [1\n", encoding="utf-8")
    code, _, stderr = cli_main("history", "record", "--record", str(bad))
    assert code == 2
    assert str(bad) in stderr
    code, _, stderr = cli_main("history", "sma", "--record", str(bad))
    assert code == 2
    assert "--record" in stderr
    code, _, stderr = cli_main("history", "nato")
    assert code == 2
    assert "sma or record" in stderr
    code, stdout, _ = cli_main("history", "record")
    assert code == 0
    assert "us-japan-sma-2016" in stdout
