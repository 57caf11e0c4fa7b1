"""Malformed scenario files: each must give ONE clear ScenarioError, never anything else.

The corpus (``corpus/``) is paired with ``expectations.yaml``: for every file, the field path the
error must name, a fragment of its message and the line it must point at. Large or awkward inputs
(over the size limit, directories, missing files) are generated here, into ``tmp_path``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from burdenshare.errors import ScenarioError
from burdenshare.scenario.io import (
    MAX_BYTES,
    MAX_DEPTH,
    load_scenario,
    parse_scenario_bytes,
    parse_scenario_text,
)

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
EXPECT: dict[str, dict[str, Any]] = yaml.safe_load((HERE / "expectations.yaml").read_text())
WELL_FORMED = (HERE / "well-formed.yaml").read_text()


def _load(path: Path) -> ScenarioError:
    """Load ``path`` and return the ScenarioError it raised (any other exception fails)."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value


def test_scenario_corpus_is_large_and_fully_described() -> None:
    files = sorted(p.name for p in CORPUS.iterdir())
    assert len(files) >= 40
    assert files == sorted(EXPECT), "every corpus file needs an entry in expectations.yaml"
    assert all(p.stat().st_size < 20_000 for p in CORPUS.iterdir()), "keep committed files small"


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_scenario_corpus_file_gives_one_clear_error(name: str) -> None:
    expect = EXPECT[name]
    path = CORPUS / name
    started = time.perf_counter()
    err = _load(path)
    assert time.perf_counter() - started < 5, "no input may make loading hang"
    text = str(err)
    assert str(path) in text
    assert expect["message"] in text
    assert err.exit_code == 2
    assert "Traceback" not in text
    if expect["field"] is None:
        assert err.field is None or err.field == ""
    else:
        assert err.field == expect["field"]
        assert f"{expect['field']}: " in text
    if expect["line"] is None:
        assert err.line is None
    else:
        assert err.line == expect["line"]
        assert f"{path}:{expect['line']}: " in text
    assert err.to_dict()["file"] == str(path)


def test_scenario_well_formed_variant_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "well-formed.yaml"
    path.write_text(WELL_FORMED)
    loaded = load_scenario(path)
    s = loaded.scenario
    assert s.id == "mini-sma"
    assert s.parties["US"].utility["contribution"].ideal == pytest.approx(5630.0)
    assert s.actors[0].position == pytest.approx(5630.0)
    assert len(loaded.sha256) == 64


@pytest.mark.parametrize(
    ("transform", "suffix"),
    [
        (lambda t: t.replace("\n", "\r\n"), ".yaml"),
        (lambda t: "\ufeff" + t, ".yaml"),
        (lambda t: t, ".yml"),
        (lambda t: "# a leading comment\n" + t, ".yaml"),
    ],
    ids=["crlf", "bom", "yml-suffix", "comment"],
)
def test_scenario_harmless_variants_are_accepted(
    tmp_path: Path, transform: Any, suffix: str
) -> None:
    path = tmp_path / f"variant{suffix}"
    path.write_bytes(transform(WELL_FORMED).encode("utf-8"))
    assert load_scenario(path).scenario.id == "mini-sma"


def test_scenario_json_and_toml_forms_of_the_well_formed_file_are_accepted(tmp_path: Path) -> None:
    data = yaml.safe_load(WELL_FORMED)
    as_json = json.dumps(data, default=str, indent=2)
    (tmp_path / "s.json").write_text(as_json)
    assert load_scenario(tmp_path / "s.json").scenario.protocol.deadline.isoformat() == (
        "2019-12-31"
    )
    toml = (
        'id = "t"\ntitle = "TOML"\nas_of = 2019-11-19\n'
        '[[issues]]\nid = "contribution"\nrange = [900, 6500]\n'
        "[parties.A.utility.contribution]\nideal = 5000\nreservation = 1500\n"
        "[parties.B.utility.contribution]\nideal = 1000\nreservation = 1200\n"
        '[protocol]\nfirst_mover = "A"\nstart = 2019-11-19\ndeadline = 2019-12-31\n'
    )
    (tmp_path / "s.toml").write_text(toml)
    assert load_scenario(tmp_path / "s.toml").scenario.party_names == ("A", "B")


# -- generated at run time: too large, too deep, too many, not a file ------------------------


def test_scenario_file_too_large(tmp_path: Path) -> None:
    path = tmp_path / "large.yaml"
    path.write_bytes(b"# padding\n" * (MAX_BYTES // 10 + 1))
    err = _load(path)
    assert "too large" in str(err)
    assert str(path) in str(err)
    with pytest.raises(ScenarioError, match="too large"):
        parse_scenario_bytes(b" " * (MAX_BYTES + 1), source="upload.yaml")


def test_scenario_deep_nesting_just_under_the_limit_is_about_types_not_depth() -> None:
    deep = "id: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    with pytest.raises(ScenarioError) as info:
        parse_scenario_text(deep, source="d.yaml")
    assert "nested too deeply" not in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 200_000,
        "a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 400)),
        "x:\n" + "".join(f"  - {{a: {i}, b: {i}}}\n" for i in range(30_000)),
        "a: '" + "x" * 900_000 + "'\n",
        "&a [" + ",".join(["*a"] * 1000) + "]",
        '{"a": ' * 5000 + "1" + "}" * 5000,
    ],
    ids=["deep-flow", "deep-block", "many-values", "long-string", "recursive-alias", "deep-json"],
)
def test_scenario_generated_hostile_inputs_fail_fast(text: str) -> None:
    started = time.perf_counter()
    for fmt in ("yaml", "json", "toml"):
        with pytest.raises(ScenarioError):
            parse_scenario_text(text, source=f"gen.{fmt}", fmt=fmt)
    assert time.perf_counter() - started < 10


def test_scenario_directory_and_missing_file(tmp_path: Path) -> None:
    err = _load(tmp_path)
    assert "directory" in str(err)
    missing = tmp_path / "nope.yaml"
    err = _load(missing)
    assert "no such scenario file" in str(err)
    assert str(missing) in str(err)


def test_scenario_caller_mapping_is_not_modified() -> None:
    from burdenshare.scenario.scenario import Scenario

    data = yaml.safe_load(WELL_FORMED)
    before = repr(data)
    Scenario.model_validate(data)
    assert repr(data) == before


# -- fuzzing: random bytes and YAML-ish text only ever succeed or raise ScenarioError ---------

_YAMLISH = st.lists(
    st.sampled_from(
        [
            "id: x\n",
            "title: t\n",
            "as_of: 2019-11-19\n",
            "issues:\n",
            "  - ",
            "{",
            "}",
            "[",
            "]",
            ": ",
            ", ",
            "- ",
            "  ",
            "\n",
            "&a ",
            "*a ",
            "!!python/name:os.system ",
            "!x ",
            "<<: ",
            "? ",
            "'",
            '"',
            "#",
            "1e999",
            ".nan",
            "-.inf",
            "9" * 50,
            "0x1F",
            "null",
            "yes",
            "2019-13-45",
            "\t",
            "\r\n",
            "\ufeff",
            "%YAML 1.2\n",
            "---\n",
            "...\n",
            "|\n",
            ">\n",
            "parties:\n",
            "  US:\n",
            "    utility: {}\n",
            "protocol: {}\n",
            "weight: 0.5",
            "{uniform: [1, 0]}",
            "range: [9, 1]",
            "\x00",
            "\x07",
            "é",
            "😀",
        ]
    ),
    max_size=40,
).map("".join)

_FUZZ = settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def _only_scenario_errors(call: Any) -> None:
    error: ScenarioError | None = None
    try:
        call()
    except ScenarioError as exc:
        error = exc
    if error is not None:
        assert str(error)
        assert error.exit_code == 2


@_FUZZ
@given(data=st.binary(max_size=2000), fmt=st.sampled_from(["yaml", "json", "toml"]))
def test_scenario_random_bytes_only_raise_scenario_error(data: bytes, fmt: str) -> None:
    _only_scenario_errors(lambda: parse_scenario_bytes(data, source="fuzz", fmt=fmt))


@_FUZZ
@given(text=_YAMLISH, fmt=st.sampled_from(["yaml", "json", "toml"]))
def test_scenario_random_yamlish_text_only_raises_scenario_error(text: str, fmt: str) -> None:
    _only_scenario_errors(lambda: parse_scenario_bytes(text.encode(), source="fuzz", fmt=fmt))


@_FUZZ
@given(
    line=st.integers(min_value=0, max_value=WELL_FORMED.count("\n") - 1),
    junk=st.sampled_from(
        ["", "x", ": [", "{a: 1}", "1e999", "-1", "2.5", "nope", "~", "[]", "{}", "!!str 3"]
    ),
)
def test_scenario_mutated_well_formed_file_only_raises_scenario_error(line: int, junk: str) -> None:
    lines = WELL_FORMED.split("\n")
    head, _, _ = lines[line].partition(": ")
    lines[line] = f"{head}: {junk}" if junk else head
    _only_scenario_errors(lambda: parse_scenario_text("\n".join(lines), source="mutant.yaml"))


# -- paths that are not regular files: say what they are, never hang (issue 11) ---------------


def _services_load_error(path: Path | str) -> ScenarioError:
    from burdenshare.services import load

    started = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        load(path)
    assert time.perf_counter() - started < 5, "a path that is not a file must never block"
    assert info.value.exit_code == 2
    return info.value


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_scenario_fifo_is_named_and_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # nobody writes: opening it for reading the ordinary way would block
    for err in (_services_load_error(fifo), _load(fifo)):
        assert "is a named pipe (FIFO), not a regular file" in str(err)
        assert err.file == str(fifo)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_scenario_symlink_to_a_device_is_named(tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    err = _services_load_error(link)
    assert "is a device (a symlink to /dev/zero), not a regular file" in str(err)


def test_scenario_symlink_loop_and_dangling_symlink_are_named(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop.name)
    assert "is a symlink loop" in str(_services_load_error(loop))
    dangling = tmp_path / "gone.yaml"
    dangling.symlink_to(tmp_path / "never-written.yaml")
    assert "symlink whose target does not exist" in str(_services_load_error(dangling))
    assert "no such scenario file" in str(_services_load_error(tmp_path / "missing.yaml"))


def test_scenario_symlink_to_a_scenario_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text(WELL_FORMED)
    (tmp_path / "link.yaml").symlink_to("real.yaml")
    assert load_scenario(tmp_path / "link.yaml").scenario.id == "mini-sma"


def test_scenario_folder_that_is_not_a_genius_domain_says_so(tmp_path: Path) -> None:
    # the hostile corpus itself: files of every kind, one with a 5,000-digit integer
    err = _services_load_error(CORPUS)
    assert "is a folder, not a scenario file, and holds no GENIUS or GeniusWeb domain" in str(err)
    assert err.file == str(CORPUS)
    assert "set_int_max_str_digits" not in str(err)
    (tmp_path / "big.json").write_text('{"issuesValues": ' + "9" * 5000 + "}")
    err = _services_load_error(tmp_path)  # looks like GeniusWeb, so it is imported: and fails
    assert "too many digits" in str(err)
    assert "set_int_max_str_digits" not in str(err)


# -- strings are checked after parsing, in every format (issue 11) ---------------------------


@pytest.mark.parametrize(
    ("fmt", "title"),
    [
        ("yaml", '"A \\e[31mred"'),
        ("yaml", '"A \\x9b31m red"'),
        ("yaml", '"A \\u202Ered"'),
        ("yaml", '"tab\\tin a title"'),
        ("yaml", "A \u2066isolated\u2069 title"),
        ("yaml", "A \u200fmarked title"),
        ("json", '"A \\u001b[31mred"'),
        ("json", '"A \\u202ered"'),
        ("json", '"line\\u2028separator"'),
        ("toml", '"A \\u001B[31mred"'),
        ("toml", '"A \\U0000202Ered"'),
    ],
)
def test_scenario_escaped_control_characters_are_refused(fmt: str, title: str) -> None:
    data = yaml.safe_load(WELL_FORMED)
    if fmt == "toml":
        text = f'id = "mini"\ntitle = {title}\nas_of = 2019-11-19\n'
    elif fmt == "json":
        text = json.dumps(data, indent=2, default=str).replace(
            '"A small SMA-like negotiation"', title
        )
    else:
        text = WELL_FORMED.replace("A small SMA-like negotiation", title)
    with pytest.raises(ScenarioError) as info:
        parse_scenario_text(text, source=f"s.{fmt}", fmt=fmt)
    err = info.value
    assert err.field == "title"
    assert err.line == (2 if fmt != "json" else 3)
    assert "U+" in err.message
    assert all(ch.isprintable() for ch in str(err)), "the message itself must be printable"


def test_scenario_multiline_prose_may_hold_tabs_and_line_feeds() -> None:
    text = WELL_FORMED.replace(
        "title: A small SMA-like negotiation",
        'title: A small SMA-like negotiation\ndescription: "two\\n\\tlines"',
    )
    assert parse_scenario_text(text, source="s.yaml").scenario.description == "two\n\tlines"
    with pytest.raises(ScenarioError, match="U\\+000A LINE FEED"):
        parse_scenario_text(
            WELL_FORMED.replace("A small SMA-like negotiation", '"A small\\nSMA talk"'),
            source="s.yaml",
        )


def test_scenario_web_upload_and_scenario_text_refuse_escapes() -> None:
    """The web app's upload and what-if text both go through the same loader."""
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from burdenshare.web import create_app

    text = (CORPUS / "text-yaml-escape-esc.yaml").read_text()
    with TestClient(create_app(None), raise_server_exceptions=False) as client:
        upload = client.post(
            "/api/scenarios/validate?filename=s.yaml",
            content=text.encode(),
            headers={"content-type": "application/yaml"},
        )
        whatif = client.post("/api/whatif", json={"scenario_text": text, "n": 10})
    for response in (upload, whatif):
        assert response.status_code == 422
        assert "U+001B ESCAPE" in response.text
        assert "\x1b" not in response.text


# -- GENIUS imports: names follow the same rule ------------------------------------------------

_GENIUS_DOMAIN = """<?xml version="1.0" encoding="UTF-8"?>
<negotiation_template>
<utility_space number_of_issues="1">
<objective index="0" etype="objective" type="objective" name="root">
<issue index="1" etype="discrete" type="discrete" vtype="discrete" name={name}>
<item index="1" value="a"/>
<item index="2" value="b"/>
</issue>
</objective>
</utility_space>
</negotiation_template>
"""
_GENIUS_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<utility_space>
<objective index="0" etype="objective" type="objective" name="root">
<issue index="1" etype="discrete" type="discrete" vtype="discrete" name={name}>
<item index="1" value="a" evaluation="{a}"/>
<item index="2" value="b" evaluation="{b}"/>
</issue>
<weight index="1" value="1.0"/>
</objective>
</utility_space>
"""


def _genius_folder(folder: Path, name: str) -> Path:
    folder.mkdir()
    (folder / "domain.xml").write_bytes(_GENIUS_DOMAIN.replace("{name}", name).encode())
    for party, (a, b) in {"buyer": (1, 0), "seller": (0, 1)}.items():
        profile = _GENIUS_PROFILE.replace("{name}", name).replace("{a}", str(a))
        (folder / f"z-{party}.xml").write_bytes(profile.replace("{b}", str(b)).encode())
    return folder


def test_genius_clean_domain_imports(tmp_path: Path) -> None:
    from burdenshare.services import load

    loaded = load(_genius_folder(tmp_path / "clean", '"price"'))
    assert [i.id for i in loaded.scenario.issues] == ["price"]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ('"pri\x1bce"', "malformed XML"),  # XML 1.0 itself forbids a raw ESC
        ('"pri&#x1b;ce"', "malformed XML"),  # ... and a reference to it
        ('"pri&#x85;ce"', "U+0085 NEXT LINE (a control character)"),
        ('"pri\u202ece"', "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ('"pri&#x2066;ce"', "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ],
)
def test_genius_issue_name_with_control_characters_is_refused(
    tmp_path: Path, name: str, shown: str
) -> None:
    folder = _genius_folder(tmp_path / "domain", name)
    err = _services_load_error(folder)
    assert shown in str(err)
    assert err.file == str(folder / "domain.xml")
    assert err.line == 5
    assert all(ch.isprintable() for ch in str(err))


def test_geniusweb_json_name_with_escape_is_refused(tmp_path: Path) -> None:
    from burdenshare.interop import load_genius

    (tmp_path / "domain.json").write_text(
        '{"name": "d",\n "issuesValues": {"pri\\u001bce": {"values": ["a", "b"]}}}'
    )
    with pytest.raises(ScenarioError) as info:
        load_genius(tmp_path)
    assert "U+001B ESCAPE" in str(info.value)
    assert info.value.line == 2
    assert info.value.field == "issuesValues.pri\\x1bce"
