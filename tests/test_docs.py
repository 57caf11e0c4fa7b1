"""The documentation is complete: these tests fail when a command, option or JSON key is added
without being documented, or when a link in the docs points nowhere (datasette's
``test_docs.py`` is the model).

The doctests in the markdown files themselves run through ``--doctest-glob=*.md``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from burdenshare.analysis import CONCEPTS
from burdenshare.cli.app import app
from burdenshare.negotiation import NEGOTIATORS
from burdenshare.scenario.library import bundled_names

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
JSON_REF = DOCS / "reference" / "json.md"
#: a scenario of three parties (the N-party keys of `analyze --json`)
TRILATERAL = ROOT / "tests" / "fixtures" / "scenarios" / "trilateral-shares.yaml"
INDEX = DOCS / "index.md"
CLI = Path(sys.executable).parent / "burdenshare"

MARKDOWN = sorted([README, *DOCS.rglob("*.md")])
#: the bundled scenarios `run` takes today; issue 14: the N-party ones join when `run` is
#: multilateral (remove this filter then)
RUNNABLE = bundled_names()  # every bundled scenario, the multilateral ones too
GROUP = typer.main.get_command(app)
COMMAND_OBJECTS: dict[str, Any] = dict(getattr(GROUP, "commands", {}))


def _command_names() -> list[str]:
    """Every command registered on the typer app, and every sub-app (a group like ``runs``)."""
    names = []
    for info in app.registered_commands:
        assert info.callback is not None
        names.append(info.name or info.callback.__name__.replace("_", "-"))
    for group in app.registered_groups:
        assert group.name is not None
        names.append(group.name)
    return names


COMMANDS = _command_names()


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# -- commands and options ----------------------------------------------------------------------


def test_the_command_list_is_what_the_docs_expect() -> None:
    assert set(COMMANDS) == set(COMMAND_OBJECTS), "registered_commands and the click group differ"
    assert {"run", "scenarios", "validate", "analyze", "simulate"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_a_how_to_page(command: str) -> None:
    page = DOCS / "how-to" / f"{command}.md"
    assert page.is_file(), f"command {command!r} has no how-to page {page.relative_to(ROOT)}"
    assert f"burdenshare {command}" in _text(page)


#: how-to pages that are not one command's page, each with the command page that links to it
TOPIC_PAGES = {"negotiator": "negotiators", "multilateral": "analyze"}


def test_every_how_to_page_is_a_command() -> None:
    pages = {p.stem for p in (DOCS / "how-to").glob("*.md")} - set(TOPIC_PAGES)
    assert pages <= set(COMMANDS), f"how-to pages for no command: {sorted(pages - set(COMMANDS))}"


@pytest.mark.parametrize(("topic", "command"), sorted(TOPIC_PAGES.items()))
def test_every_topic_page_is_linked_from_its_command_page(topic: str, command: str) -> None:
    assert command in COMMANDS
    assert f"({topic}.md" in _text(DOCS / "how-to" / f"{command}.md")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme_the_index_and_the_json_reference(command: str) -> None:
    assert re.search(rf"burdenshare {command}\b", _text(README)), f"README lacks {command!r}"
    assert f"burdenshare {command}" in _text(INDEX), f"docs/index.md lacks {command!r}"
    assert f"`{command} --json`" in _text(JSON_REF), f"json.md lacks `{command} --json`"


def _params(command: Any) -> Iterator[str]:
    """``SCENARIO`` for an argument, each spelling of an option; through subcommands too."""
    for param in command.params:
        if param.param_type_name == "argument":
            assert param.name is not None
            yield param.name.upper()
        else:
            yield from (opt for opt in [*param.opts, *param.secondary_opts] if opt != "--help")
    for sub in getattr(command, "commands", {}).values():
        yield from _params(sub)


@pytest.mark.parametrize(
    ("command", "token"),
    sorted({(name, token) for name in COMMANDS for token in _params(COMMAND_OBJECTS[name])}),
)
def test_every_argument_and_option_is_in_its_how_to_page(command: str, token: str) -> None:
    """Each has a row of its own in the page's options table: ``| `--seed N` | ...``."""
    page = DOCS / "how-to" / f"{command}.md"
    text = _text(page) if page.is_file() else ""
    first_cells = [line.split("|")[1] for line in text.splitlines() if line.startswith("|")]
    assert any(re.search(rf"`{re.escape(token)}[ `]", cell) for cell in first_cells), (
        f"{token} of `burdenshare {command}` has no row in the options table of {page}"
    )


def test_every_subcommand_is_in_its_how_to_page() -> None:
    """A group such as ``burdenshare runs`` documents each of its subcommands on its page."""
    for name in COMMANDS:
        page = DOCS / "how-to" / f"{name}.md"
        text = _text(page) if page.is_file() else ""
        for sub in getattr(COMMAND_OBJECTS[name], "commands", {}):
            assert f"burdenshare {name} {sub}" in text, f"`{name} {sub}` is not in {page}"


def test_every_option_of_the_program_is_in_the_index() -> None:
    for param in GROUP.params:
        for opt in param.opts:
            assert f"`burdenshare {opt}`" in _text(INDEX), f"{opt} is not documented in index.md"


def test_every_negotiator_is_documented() -> None:
    text = _text(DOCS / "how-to" / "simulate.md")
    for name in [*NEGOTIATORS, "time-dependent"]:
        assert f"`{name}" in text, f"negotiator {name!r} is not in docs/how-to/simulate.md"


def test_every_solution_concept_is_in_the_json_reference() -> None:
    text = _text(JSON_REF)
    for concept in CONCEPTS:
        assert f"`{concept}`" in text, f"solution {concept!r} is not in docs/reference/json.md"


# -- JSON keys ---------------------------------------------------------------------------------


def _run_options() -> list[str]:
    """Keep `run` quick where it also runs an ensemble: a few hundred sessions are enough here."""
    options = {opt for param in COMMAND_OBJECTS["run"].params for opt in param.opts}
    return ["--sessions", "200"] if "--sessions" in options else []


@pytest.fixture(scope="module")
def cli_json(run_cli_calls) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Every verb's ``--json`` output on the bundled scenarios (processes run in parallel)."""
    calls: dict[str, list[str]] = {
        "scenarios": ["scenarios", "--json"],
        "negotiators": ["negotiators", "--json"],
        "validate": ["validate", "us-rok-sma-2019", "--json"],
        "analyze": ["analyze", "us-rok-sma-2021", "--json"],
        "analyze 3 parties": ["analyze", str(TRILATERAL), "--json"],
        "simulate": ["simulate", "split-the-pie", "-N", "linear", "--json"],
        "tournament": [
            "tournament",
            str(ROOT / "tests" / "known_values" / "data" / "genius" / "Laptop"),
            "split-the-pie",
            "-r",
            "2",
            "--json",
        ],
        **{f"run {name}": ["run", name, *_run_options(), "--json"] for name in RUNNABLE},
    }
    out = {}
    for key, (code, stdout, stderr) in run_cli_calls(calls).items():
        assert code == 0, f"burdenshare {' '.join(calls[key])} failed: {stderr}"
        out[key] = json.loads(stdout)
    return out


def _data_keys(doc: dict[str, Any]) -> set[str]:
    """Keys that are the scenario's own data (party names, issue ids, currencies), not schema."""
    scenario = doc.get("scenario")
    keys: set[str] = set()
    if isinstance(scenario, dict):
        keys |= set(doc["parties"]) | set(doc["zopa"]["issues"])
        keys |= {scenario["money"]["unit"], *scenario["money"]["fx"]}
        for party in doc["parties"].values():
            keys |= set(party["issues"])
            for issue in party["issues"].values():
                keys |= set(issue.get("scores", {}))
    listed = doc.get("negotiators")
    if isinstance(listed, list):  # each negotiator's parameter names are its own
        keys |= {name for entry in listed for name in entry["parameters"]}
    ens = doc.get("ensemble")
    if isinstance(ens, dict):  # sample column names are the scenario's own belief paths
        keys |= set(ens["run"].get("columns", {}))
    forecasts = doc.get("forecasts")
    for combined in (doc.get("combined"), forecasts.get("combined") if forecasts else None):
        if isinstance(combined, dict):  # member names (`forecast:bdm-scholz`) are methods
            keys |= set(combined["predictions"]) | set(combined["members"])
    hindsight = doc.get("hindsight")
    if isinstance(hindsight, dict):  # forecasting models by name, as in `forecasts[].model`
        keys |= set(hindsight.get("forecasts_vs_actual") or {})
    return keys


def _schema_keys(value: Any, data: set[str], parties: set[str]) -> set[str]:
    keys: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key in data:
                pass
            elif key.startswith("delta_") and key.removeprefix("delta_") in parties:
                keys.add("delta_<party>")
            elif key.startswith("power_") and key.removeprefix("power_") in parties:
                keys.add("power_<party>")
            else:
                keys.add(key)
            keys |= _schema_keys(item, data, parties)
    elif isinstance(value, list):
        for item in value:
            keys |= _schema_keys(item, data, parties)
    return keys


def _documented_keys() -> set[str]:
    """Names in inline code on the JSON page: `outcome`, and each part of `scenarios[].name`."""
    keys: set[str] = set()
    for span in re.findall(r"`([A-Za-z0-9_.<>\[\]]+)`", _text(JSON_REF)):
        keys.add(span)  # a key that itself contains dots, such as the quantile `0.05`
        keys |= {part for part in re.split(r"[.\[\]]+", span) if part}
    return keys


@pytest.mark.parametrize(
    "verb",
    [
        "scenarios",
        "negotiators",
        "validate",
        "analyze",
        "analyze 3 parties",
        "simulate",
        "tournament",
        *(f"run {name}" for name in RUNNABLE),
    ],
)
def test_every_json_key_is_documented(cli_json: dict[str, Any], verb: str) -> None:
    runs = cli_json
    doc = runs[verb]
    data = _data_keys(doc)
    parties = set(doc["parties"]) if isinstance(doc.get("parties"), dict) else set()
    if "simulation" in doc or verb == "simulate":
        session = doc.get("simulation", doc)
        parties |= set(session["negotiators"])
        data |= set(session["negotiators"])
        for offer in session["transcript"]:
            data |= set(offer["outcome"]) | {c for m in offer["money"].values() for c in m}
    missing = _schema_keys(doc, data, parties) - _documented_keys()
    assert not missing, f"`{verb} --json` keys missing from docs/reference/json.md: {missing}"


def test_the_contract_keys_are_in_the_output_and_documented(cli_json: dict[str, Any]) -> None:
    """The keys users rely on, checked against both the output and the page."""
    runs = cli_json
    documented = _documented_keys()
    analysis = runs["analyze"]
    solution = analysis["solutions"]["nash"]
    offer = runs["simulate"]["transcript"][0]
    expected = {
        "top level of analyze": (set(analysis), {"scenario", "parties", "zopa", "solutions"}),
        "a solution": (set(solution), {"concept", "agreement", "outcome", "utilities"}),
        "a solution outcome": (
            set(solution["outcome"]["contribution"]),
            {"value", "display", "money"},
        ),
        "zopa": (set(analysis["zopa"]), {"exists", "explanation", "gap", "issues"}),
        "top level of simulate": (
            set(runs["simulate"]),
            {"outcome", "agreement", "transcript", "seed", "negotiators"},
        ),
        "an offer": (set(offer), {"round", "date", "proposer", "outcome", "utilities"}),
        "top level of run": (
            set(runs["run us-rok-sma-2019"]),
            {"scenario", "parties", "zopa", "solutions", "simulation"},
        ),
        "validate": (set(runs["validate"]), {"valid", "issues", "parties", "rounds"}),
        "scenarios": (set(runs["scenarios"]), {"scenarios"}),
    }
    for where, (actual, contract) in expected.items():
        assert contract <= actual, f"{where}: {contract - actual} missing from the output"
        assert actual <= documented, f"{where}: {actual - documented} missing from json.md"


# -- links -------------------------------------------------------------------------------------

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _prose(path: Path) -> str:
    """The text outside fenced code blocks and inline code."""
    return re.sub(r"`[^`\n]*`", "", FENCE.sub("", _text(path)))


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[`*_]", "", heading).strip().lower()
    text = re.sub(r"[^\w\s-]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    return {
        _slug(line.lstrip("#"))
        for line in FENCE.sub("", _text(path)).splitlines()
        if line.startswith("#")
    }


def _local_links(path: Path) -> Iterator[tuple[str, Path | None, str]]:
    for target in LINK.findall(_prose(path)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path
        yield target, resolved, anchor


@pytest.mark.parametrize("path", MARKDOWN, ids=[str(p.relative_to(ROOT)) for p in MARKDOWN])
def test_every_local_link_resolves(path: Path) -> None:
    broken = []
    for target, resolved, anchor in _local_links(path):
        if resolved is None or not resolved.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            broken.append(f"{target} (no heading #{anchor})")
    assert not broken, f"{path.relative_to(ROOT)}: broken links: {broken}"


def test_every_docs_page_is_reachable_from_the_index() -> None:
    seen: set[Path] = set()
    todo = [INDEX.resolve()]
    while todo:
        page = todo.pop()
        if page in seen:
            continue
        seen.add(page)
        for _, resolved, _ in _local_links(page):
            if resolved is not None and resolved.suffix == ".md" and resolved.is_file():
                todo.append(resolved)
    pages = {p.resolve() for p in DOCS.rglob("*.md")}
    unreachable = sorted(str(p.relative_to(ROOT)) for p in pages - seen)
    assert not unreachable, f"pages not linked from docs/index.md (directly or not): {unreachable}"


def test_the_link_checker_catches_a_broken_link(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# Title\n[ok](page.md#title) [gone](missing.md) [bad anchor](#nope) "
        "[web](https://example.org) `[code](x.md)`\n",
        encoding="utf-8",
    )
    links = [(t, r is not None and r.exists(), a) for t, r, a in _local_links(page)]
    assert links == [
        ("page.md#title", True, "title"),
        ("missing.md", False, ""),
        ("#nope", True, "nope"),
    ]
    assert _anchors(page) == {"title"}
    assert _slug("Kalai–Smorodinsky solution") == "kalaismorodinsky-solution"
