"""Safe loading of scenario files (YAML, JSON or TOML) into a validated :class:`Scenario`.

Safe loading only: YAML tags that would construct objects are refused, as are anchors and
aliases (which allow "billion laughs" expansion), duplicate keys, deep nesting, files over
:data:`MAX_BYTES` and files that are not UTF-8. Every problem becomes one
:class:`~burdenshare.errors.ScenarioError` naming the file, the line where known, the field path,
the bad value and what was expected.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from burdenshare.errors import ScenarioError
from burdenshare.scenario.scenario import Scenario

__all__ = ["MAX_BYTES", "LoadedScenario", "load_scenario", "parse_scenario_text"]

#: largest scenario file accepted, in bytes
MAX_BYTES = 1_000_000
_MAX_DEPTH = 20
_MAX_NODES = 50_000


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with the text it came from and that text's SHA-256."""

    scenario: Scenario
    text: str
    sha256: str
    source: str


def load_scenario(path: str | Path) -> LoadedScenario:
    """Read, parse and validate a scenario file."""
    p = Path(path)
    name = str(path)
    try:
        if not p.is_file():
            raise ScenarioError("no such scenario file", file=name)
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError(
                f"file is too large ({size:,} bytes)", file=name, expected=f"at most {MAX_BYTES:,} bytes"
            )
        data = p.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"cannot read the file: {exc.strerror}", file=name) from None
    return parse_scenario_bytes(data, source=name, fmt=p.suffix.lower().lstrip("."))


def parse_scenario_bytes(data: bytes, *, source: str = "<input>", fmt: str = "yaml") -> LoadedScenario:
    """Validate raw bytes as a scenario (for uploads and files alike)."""
    if len(data) > MAX_BYTES:
        raise ScenarioError(
            f"file is too large ({len(data):,} bytes)", file=source, expected=f"at most {MAX_BYTES:,} bytes"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            f"file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            file=source, line=line, expected="a UTF-8 encoded text file",
        ) from None
    return parse_scenario_text(text, source=source, fmt=fmt)


def parse_scenario_text(text: str, *, source: str = "<input>", fmt: str = "yaml") -> LoadedScenario:
    """Validate scenario text. ``fmt`` is ``yaml`` (default, also reads JSON), ``json`` or ``toml``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise ScenarioError("file contains NUL bytes; it is not a text scenario", file=source)
    lines: dict[tuple[str, ...], int] = {}
    if fmt == "toml":
        try:
            raw: Any = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(f"not valid TOML: {exc}", file=source) from None
    elif fmt == "json":
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ScenarioError(f"not valid JSON: {exc.msg}", file=source, line=exc.lineno) from None
    else:
        raw, lines = _load_yaml(text, source)
    if not isinstance(raw, dict):
        raise ScenarioError(
            "a scenario must be a mapping of keys (id, title, issues, parties, protocol, ...)",
            file=source, line=1, value=type(raw).__name__, has_value=True, expected="a mapping at the top level",
        )
    try:
        scenario = Scenario.model_validate(raw)
    except ScenarioError as exc:
        raise _locate(exc, source, lines) from None
    except ValidationError as exc:
        raise _from_pydantic(exc, source, lines) from None
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return LoadedScenario(scenario=scenario, text=text, sha256=sha, source=source)


# -- YAML with line numbers ---------------------------------------------------------------------


def _load_yaml(text: str, source: str) -> tuple[Any, dict[tuple[str, ...], int]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ScenarioError(f"not valid YAML: {exc.problem or exc.context}", file=source, line=line) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"not valid YAML: {exc}", file=source) from None
    if node is None:
        raise ScenarioError("the file is empty", file=source, expected="a scenario mapping")
    lines: dict[tuple[str, ...], int] = {}
    _walk(node, (), lines, source, set(), 0)
    try:
        data = yaml.SafeLoader(text).get_single_data()
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ScenarioError(
            f"YAML tag not allowed: {exc.problem}", file=source, line=line,
            expected="plain YAML values (no !!python or other object tags)",
        ) from None
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        raise ScenarioError(f"not valid YAML: {exc}", file=source) from None
    return data, lines


_SAFE_TAGS = {
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


def _walk(node: yaml.Node, path: tuple[str, ...], lines: dict[tuple[str, ...], int], source: str,
          seen: set[int], depth: int) -> None:
    line = node.start_mark.line + 1
    if id(node) in seen:
        raise ScenarioError("YAML anchors and aliases are not allowed in scenario files", file=source,
                            line=line, field=_dotted(path) or None)
    seen.add(id(node))
    if len(seen) > _MAX_NODES:
        raise ScenarioError(f"too many values (over {_MAX_NODES:,})", file=source, line=line)
    if depth > _MAX_DEPTH:
        raise ScenarioError(f"nested too deeply (over {_MAX_DEPTH} levels)", file=source, line=line,
                            field=_dotted(path) or None)
    if node.tag not in _SAFE_TAGS:
        raise ScenarioError(f"YAML tag {node.tag!r} not allowed", file=source, line=line,
                            field=_dotted(path) or None,
                            expected="plain YAML values (no !!python or other object tags)")
    lines.setdefault(path, line)
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ScenarioError("mapping keys must be plain names", file=source,
                                    line=key_node.start_mark.line + 1, field=_dotted(path) or None)
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                raise ScenarioError("YAML merge keys ('<<') are not allowed", file=source,
                                    line=key_node.start_mark.line + 1, field=_dotted(path) or None)
            key = key_node.value
            if key in keys:
                raise ScenarioError(f"duplicate key {key!r}", file=source, line=key_node.start_mark.line + 1,
                                    field=_dotted((*path, key)))
            keys.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*path, key), lines, source, seen, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, str(i)), lines, source, seen, depth + 1)


def _dotted(path: tuple[str, ...] | list[str]) -> str:
    return ".".join(path)


def _line_for(field: str | None, lines: dict[tuple[str, ...], int]) -> int | None:
    if not field:
        return None
    parts = tuple(field.split("."))
    for n in range(len(parts), 0, -1):
        if parts[:n] in lines:
            return lines[parts[:n]]
        star = tuple(p for p in parts[:n] if p != "*")
        if star != parts[:n] and star in lines:
            return lines[star]
    return None


def _locate(exc: ScenarioError, source: str, lines: dict[tuple[str, ...], int]) -> ScenarioError:
    return ScenarioError(exc.message, file=source, line=exc.line or _line_for(exc.field, lines), field=exc.field,
                         value=exc.value, expected=exc.expected, has_value=exc.has_value)


def _iter_loc(loc: tuple[int | str, ...]) -> Iterator[str]:
    for part in loc:
        # pydantic inserts the name of the union member tried ("float", "Distribution", ...)
        if isinstance(part, str) and (part in {"float", "str", "Distribution", "none", "tuple", "is-instance[Distribution]"}
                                      or part.startswith(("function-", "tagged-union", "lax-or-strict"))):
            continue
        yield str(part)


def _from_pydantic(exc: ValidationError, source: str, lines: dict[tuple[str, ...], int]) -> ScenarioError:
    errors = exc.errors(include_url=False)
    # prefer the most specific message: errors from our own validators first
    errors.sort(key=lambda e: (e["type"] not in ("value_error", "extra_forbidden", "missing"), -len(e["loc"])))
    first = errors[0]
    field = _dotted(list(_iter_loc(first["loc"])))
    kind = first["type"]
    msg = first["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    expected = None
    if kind == "extra_forbidden":
        msg = f"unknown key {field.rsplit('.', 1)[-1]!r}"
        expected = "a key documented in docs/reference/scenario.md"
    elif kind == "missing":
        msg = "required key is missing"
    more = len(errors) - 1
    if more:
        msg += f" [and {more} more problem{'s' if more > 1 else ''}]"
    return ScenarioError(
        msg, file=source, line=_line_for(field, lines), field=field or None,
        value=first.get("input") if kind != "missing" else None, expected=expected,
        has_value=kind not in ("missing",) and field != "",
    )
