"""The golden cases: every bundled scenario through every verb's ``--json``; how to write them.

Each case is one ``burdenshare`` command line run in-process through ``cli.app.main`` (the console
script's entry point), with a private run store. Its JSON answer is normalised (:func:`normalise`)
and kept in ``tests/regression/golden/<case>.json``; ``test_golden.py`` requires today's answer to
be the same text, so every float is compared bit for bit (JSON writes a float as its ``repr``).

Regenerate the files with::

    python -m tests.regression.capture            # every case (the slow ones too)
    python -m tests.regression.capture CASE ...   # only these cases

Regenerating is allowed only when a named bug is fixed: the commit that changes a golden file says
which bug, and which numbers it changes. Nothing else is a reason to regenerate.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from burdenshare.scenario.library import __file__ as _library_init

GOLDEN = Path(__file__).with_name("golden")

#: the bundled scenarios, by file name (every one of them is a case)
SCENARIOS: tuple[str, ...] = tuple(
    sorted(p.stem for p in Path(_library_init).parent.glob("*.yaml"))
)

#: keys whose value differs from run to run by nature: when a run was made and how long it took,
#: and the package's version (a release must not change an answer)
VOLATILE_KEYS = frozenset({"created_at", "finished_at", "timings", "burdenshare_version"})
#: keys of a stored run's record (a dict under the key "run") that name that one run
RUN_KEYS = frozenset({"id", "version"})
#: the placeholder for the case's private folder (run store, written files) in any string
TMP = "<tmp>"


@dataclass(frozen=True)
class Case:
    """One command line; ``{store}`` in an argument is the case's private run store."""

    name: str
    argv: tuple[str, ...]
    slow: bool = False


def _scenario_cases(scenario: str) -> list[Case]:
    store = "--store={store}"
    return [
        Case(f"analyze-{scenario}", ("analyze", scenario, "--json")),
        Case(f"simulate-{scenario}", ("simulate", scenario, "--json")),
        Case(
            f"simulate-conceder-{scenario}",
            ("simulate", scenario, "-N", "conceder", "--seed", "3", "--json"),
        ),
        Case(
            f"simulate-linear-hardliner-{scenario}",
            ("simulate", scenario, "-N", "linear", "-N", "hardliner", "--seed", "5", "--json"),
        ),
        Case(
            f"simulate-nash-tft-{scenario}",
            ("simulate", scenario, "-N", "nash", "-N", "tit-for-tat", "--seed", "1", "--json"),
        ),
        Case(
            f"ensemble-{scenario}",
            ("ensemble", scenario, "-n", "3000", "--seed", "11", store, "--json"),
        ),
        Case(
            f"ensemble-lhs-conceder-{scenario}",
            (
                "ensemble",
                scenario,
                "-n",
                "2000",
                "-N",
                "conceder",
                "-N",
                "boulware",
                "--method",
                "lhs",
                "--chunk-size",
                "700",
                "--seed",
                "2",
                store,
                "--json",
            ),
        ),
        Case(
            f"sensitivity-{scenario}",
            ("sensitivity", scenario, "-n", "400", "--n-base", "16", "--seed", "4", "--json"),
        ),
        Case(f"forecast-{scenario}", ("forecast", scenario, "--json")),
        Case(
            f"run-{scenario}",
            ("run", scenario, "-n", "1000", "--seed", "8", "--no-report", store, "--json"),
        ),
    ]


#: the tournaments' domains: a fixed list, so that a new bundled scenario adds its own cases
#: instead of changing these answers
TOURNAMENT_DOMAINS = (
    "split-the-pie",
    "us-rok-sma-2019",
    "us-rok-sma-2020-tentative",
    "us-rok-sma-2021",
)

CASES: tuple[Case, ...] = (
    *(case for scenario in SCENARIOS for case in _scenario_cases(scenario)),
    Case(
        "tournament-all",
        ("tournament", *TOURNAMENT_DOMAINS, "-r", "2", "--seed", "6", "--store={store}", "--json"),
    ),
    Case(
        "tournament-sample-self-play",
        (
            "tournament",
            *TOURNAMENT_DOMAINS,
            "-r",
            "2",
            "--sample",
            "--self-play",
            "-N",
            "boulware",
            "-N",
            "conceder",
            "--seed",
            "9",
            "--store={store}",
            "--json",
        ),
    ),
    Case(
        "backtest-record",
        ("backtest", "record", "-n", "200", "--seed", "1", "--json"),
        slow=True,
    ),
)


def normalise(value: Any, tmp: str, parent: str | None = None) -> Any:
    """``value`` without what legitimately varies between runs: :data:`VOLATILE_KEYS` anywhere,
    :data:`RUN_KEYS` in a run's record, and the case's private folder ``tmp`` in any string."""
    if isinstance(value, dict):
        return {
            key: normalise(item, tmp, key)
            for key, item in value.items()
            if key not in VOLATILE_KEYS and not (parent == "run" and key in RUN_KEYS)
        }
    if isinstance(value, list):
        return [normalise(item, tmp, parent) for item in value]
    if isinstance(value, str):
        return value.replace(tmp, TMP)
    return value


def run_case(case: Case, tmp: Path) -> str:
    """The case's normalised JSON answer as canonical text (sorted keys, floats by ``repr``);
    a refusal (exit code 2) is kept as its code and message."""
    from burdenshare.cli.app import main

    argv = [arg.replace("{store}", str(tmp / "runs.duckdb")) for arg in case.argv]
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code
    if code not in (0, None, 2):
        raise AssertionError(f"{case.name}: exit {code}\n{err.getvalue()}")
    if code == 2:  # a user mistake the verb refuses (e.g. no uncertainty to analyse): its message
        answer = {"exit_code": 2, "error": err.getvalue().replace(str(tmp), TMP)}
    else:
        answer = normalise(json.loads(out.getvalue()), str(tmp))
    return json.dumps(answer, indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def golden_path(case: Case) -> Path:
    return GOLDEN / f"{case.name}.json"


def capture(names: Sequence[str] = (), log: Callable[[str], None] = print) -> None:
    """Write the golden file of each case named (every case if none is)."""
    known = {case.name: case for case in CASES}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SystemExit(f"unknown case(s): {', '.join(unknown)}; known: {', '.join(known)}")
    GOLDEN.mkdir(exist_ok=True)
    for case in [known[name] for name in names] if names else CASES:
        with tempfile.TemporaryDirectory() as tmp:
            golden_path(case).write_text(run_case(case, Path(tmp)), encoding="utf-8")
        log(f"wrote {golden_path(case)}")


if __name__ == "__main__":
    capture(sys.argv[1:])
