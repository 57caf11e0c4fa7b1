"""Reading a scenario's text into plain values, safely: YAML event by event (YAML 1.2 core-schema
scalars, no tags, anchors, aliases or merge keys), JSON and TOML, each within the size, depth and
count limits, with the line of every field where the format gives it.

:mod:`burdenshare.scenario.io` turns the values into a validated scenario.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
import typing
from typing import Any

import yaml

from burdenshare.errors import ScenarioError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "Lines", "load_json", "load_toml", "load_yaml"]

#: largest scenario file accepted, in bytes
MAX_BYTES = 1_000_000
#: deepest nesting of mappings and lists accepted
MAX_DEPTH = 20
#: most values (scalars, mappings and lists) a file may hold
MAX_NODES = 50_000

#: the line of each field path, where the format tells it
Lines = dict[tuple[str, ...], int]

# -- YAML, read event by event --------------------------------------------------------------

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """A safe loader whose plain scalars follow the YAML 1.2 core schema.

    PyYAML implements YAML 1.1, where ``1:30`` is the sexagesimal number 90, ``yes``/``no``/
    ``on``/``off`` are booleans, ``012`` is octal 10 and ``1_000`` is 1000. Here, as in YAML 1.2
    (https://yaml.org/spec/1.2.2/#1032-tag-resolution): booleans are only ``true``/``false``,
    nulls ``null``/``~``/empty, integers decimal (``012`` is 12), ``0o`` octal or ``0x`` hex,
    floats decimal with an optional exponent (``1e-3``), ``.inf``, ``.nan``; anything else is
    text (so ``1:30`` and ``yes`` are strings). Dates written ``YYYY-MM-DD`` (YAML 1.1
    timestamps) are still dates: scenarios are full of them.
    """

    yaml_implicit_resolvers: typing.ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}


#: PyYAML's own pattern for YAML 1.1 timestamps (``2019-11-19``)
_YAML11_TIMESTAMP = next(
    pattern
    for tag, pattern in yaml.resolver.Resolver.yaml_implicit_resolvers["0"]
    if tag.endswith(":timestamp")
)
_CORE_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_CORE_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_CORE_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_CORE_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
for _tag, _pattern, _first in (
    ("bool", _CORE_BOOL, list("tTfF")),
    ("null", _CORE_NULL, ["~", "n", "N", ""]),
    ("int", _CORE_INT, list("-+0123456789")),
    ("float", _CORE_FLOAT, list("-+0123456789.")),
    ("timestamp", _YAML11_TIMESTAMP, list("0123456789")),
):
    _Loader.add_implicit_resolver("tag:yaml.org,2002:" + _tag, _pattern, _first)


def _core_int(text: str) -> int:
    """A YAML 1.2 core integer (decimal, ``0o`` octal or ``0x`` hex); ValueError otherwise."""
    if not _CORE_INT.match(text):
        raise ValueError(f"not a YAML 1.2 integer: {text!r}")
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)


def _core_float(text: str) -> float:
    """A YAML 1.2 core float; ValueError otherwise (no sexagesimal ``1:30``)."""
    if not _CORE_FLOAT.match(text) and not _CORE_INT.match(text):
        raise ValueError(f"not a YAML 1.2 number: {text!r}")
    lowered = text.lower()
    if lowered.endswith((".inf", ".nan")):
        return float(lowered.replace(".", ""))
    return float(_core_int(text)) if _CORE_INT.match(text) else float(text)


def _core_bool(text: str) -> bool:
    """A YAML 1.2 core boolean (``true``/``false`` in any of the three cases)."""
    if not _CORE_BOOL.match(text):
        raise ValueError(f"not a YAML 1.2 boolean (true or false): {text!r}")
    return text.lower() == "true"


_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_T + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MAP_TAGS = {None, "!", _T + "map"}
_SEQ_TAGS = {None, "!", _T + "seq"}
_NOT_ALLOWED = "plain YAML values (no !!python or other tags, anchors or aliases)"


class _Frame:
    __slots__ = ("container", "key", "path")

    def __init__(self, container: dict[str, Any] | list[Any], path: tuple[str, ...]) -> None:
        self.container = container
        self.path = path
        self.key: str | None = None


def load_yaml(text: str, source: str) -> tuple[Any, Lines]:
    loader = _Loader(text)
    try:
        return _build(loader, source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ScenarioError(
            f"not valid YAML: {exc.problem or exc.context}",
            file=source,
            line=mark.line + 1 if mark else None,
            expected="well-formed YAML (see docs/reference/scenario.md)",
        ) from None
    except yaml.reader.ReaderError as exc:
        raise ScenarioError(
            f"not valid YAML: {exc.reason} (character {exc.character!r})",
            file=source,
            line=text.count("\n", 0, max(exc.position, 0)) + 1,
            expected="printable text",
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"not valid YAML: {exc}", file=source) from None
    finally:
        loader.dispose()


def _build(loader: Any, source: str) -> tuple[Any, Lines]:
    """Build plain Python values from the event stream, recording each field's line."""
    lines: Lines = {}
    stack: list[_Frame] = []
    root: Any = None
    nodes = documents = 0

    def fail(message: str, line: int, path: tuple[str, ...], expected: str | None = None) -> None:
        raise ScenarioError(
            message, file=source, line=line, field=".".join(path) or None, expected=expected
        )

    def attach(value: Any) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        if isinstance(top.container, dict):
            assert top.key is not None
            top.container[top.key] = value
            top.key = None
        else:
            top.container.append(value)

    while True:
        ev = loader.get_event()
        if isinstance(ev, yaml.StreamEndEvent):
            return root, lines
        if isinstance(ev, yaml.StreamStartEvent | yaml.DocumentEndEvent):
            continue
        line = ev.start_mark.line + 1
        if isinstance(ev, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                fail("more than one YAML document ('---') in the file", line, (), "one scenario")
            continue
        if isinstance(ev, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            attach(stack.pop().container)
            continue
        top = stack[-1] if stack else None
        where = top.path if top else ()
        aliased = isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None)
        if top is not None and isinstance(top.container, dict) and top.key is None:
            # a mapping key
            if aliased:
                fail("YAML anchors and aliases are not allowed", line, where, _NOT_ALLOWED)
            if not isinstance(ev, yaml.ScalarEvent):
                fail("mapping keys must be plain names", line, where, "key: value")
            if ev.tag not in (None, "!", _T + "str"):
                fail(f"YAML tag {ev.tag!r} not allowed on a key", line, where, _NOT_ALLOWED)
            key = ev.value
            if key == "<<" and ev.implicit[0]:
                fail("YAML merge keys ('<<') are not allowed", line, where, _NOT_ALLOWED)
            if key in top.container:
                fail(f"duplicate key {key!r}", line, (*where, key), "each key once per mapping")
            top.key = key
            lines[(*where, key)] = line
            continue
        if top is None:
            path: tuple[str, ...] = ()
        elif isinstance(top.container, dict):
            assert top.key is not None
            path = (*where, top.key)
        else:
            path = (*where, str(len(top.container)))
        if aliased:
            fail("YAML anchors and aliases are not allowed", line, path, _NOT_ALLOWED)
        lines.setdefault(path, line)
        nodes += 1
        if nodes > MAX_NODES:
            fail(f"too many values (over {MAX_NODES:,})", line, path, "a smaller scenario")
        if isinstance(ev, yaml.ScalarEvent):
            attach(_scalar(loader, ev, source, line, path))
            continue
        if len(stack) >= MAX_DEPTH:
            fail(f"nested too deeply (over {MAX_DEPTH} levels)", line, path, "a flatter file")
        if isinstance(ev, yaml.MappingStartEvent):
            if ev.tag not in _MAP_TAGS:
                fail(f"YAML tag {ev.tag!r} not allowed", line, path, _NOT_ALLOWED)
            stack.append(_Frame({}, path))
        else:
            if ev.tag not in _SEQ_TAGS:
                fail(f"YAML tag {ev.tag!r} not allowed", line, path, _NOT_ALLOWED)
            stack.append(_Frame([], path))


def _scalar(loader: Any, ev: Any, source: str, line: int, path: tuple[str, ...]) -> Any:
    tag = ev.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, ev.value, ev.implicit)
    if tag == _T + "value":  # a plain "=" (YAML 1.1 value key): just text
        tag = _T + "str"
    field = ".".join(path) or None
    if tag not in _SCALAR_TAGS:
        raise ScenarioError(
            f"YAML tag {tag!r} not allowed",
            file=source,
            line=line,
            field=field,
            expected=_NOT_ALLOWED,
        )
    try:
        core = _CORE_CONSTRUCTORS.get(tag)
        if core is not None:
            return core(ev.value)
        node = yaml.ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark, ev.style)
        return loader.yaml_constructors[tag](loader, node)
    except (ValueError, OverflowError, yaml.YAMLError) as exc:
        what = {_T + "int": "number", _T + "float": "number", _T + "timestamp": "date"}.get(
            tag, "value"
        )
        digits = "digits" in str(exc)
        raise ScenarioError(
            f"cannot read this {what}: "
            + (f"too many digits (over {_MAX_DIGITS:,})" if digits else str(exc)),
            file=source,
            line=line,
            field=field,
            value=ev.value,
            has_value=True,
            expected="a date written YYYY-MM-DD"
            if what == "date"
            else f"a number of at most {_MAX_DIGITS:,} digits"
            if digits
            else "a moderate number",
        ) from None


_CORE_CONSTRUCTORS: dict[str, Any] = {
    _T + "int": _core_int,
    _T + "float": _core_float,
    _T + "bool": _core_bool,
}
#: the longest integer Python converts from text (``sys.get_int_max_str_digits()``, 4,300)
_MAX_DIGITS = sys.get_int_max_str_digits() or 4300


# -- JSON and TOML ----------------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ScenarioError(f"duplicate key {key!r}", field=key, expected="each key once")
        out[key] = value
    return out


def load_json(text: str, source: str) -> tuple[Any, Lines]:
    try:
        raw = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            f"not valid JSON: {exc.msg}", file=source, line=exc.lineno, expected="well-formed JSON"
        ) from None
    except ScenarioError as exc:
        raise exc.with_file(source) from None
    except RecursionError:
        raise ScenarioError(
            f"nested too deeply (over {MAX_DEPTH} levels)", file=source, expected="a flatter file"
        ) from None
    except ValueError:  # integers with thousands of digits
        raise _too_many_digits(text, source) from None
    _check_shape(raw, source)
    try:  # JSON is (nearly) YAML: borrow the YAML reader's line numbers when it can
        _, lines = load_yaml(text, source)
    except ScenarioError:
        lines = {}
    return raw, lines


_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def load_toml(text: str, source: str) -> Any:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        raise ScenarioError(
            f"not valid TOML: {_TOML_LINE.sub('', str(exc)).strip()}",
            file=source,
            line=int(m.group(1)) if m else None,
            expected="well-formed TOML",
        ) from None
    except RecursionError:
        raise ScenarioError(
            f"nested too deeply (over {MAX_DEPTH} levels)", file=source, expected="a flatter file"
        ) from None
    except ValueError:  # integers with thousands of digits
        raise _too_many_digits(text, source) from None
    _check_shape(raw, source)
    return raw


_TOML_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")
_TOML_KEY = re.compile(r"^\s*([A-Za-z0-9_.\-\" ]+?)\s*=")


def _toml_key_at(text: str, line: int) -> str | None:
    """The dotted key assigned on ``line`` of a TOML text, under its table header (best effort:
    array-of-tables indices are not counted)."""
    table = ""
    rows = text.split("\n")[:line]
    for row in rows[:-1]:
        header = _TOML_TABLE.match(row)
        if header:
            table = header.group(1).replace('"', "").replace(" ", "")
    key = _TOML_KEY.match(rows[-1]) if rows else None
    if key is None:
        return table or None
    name = key.group(1).replace('"', "").replace(" ", "")
    return f"{table}.{name}" if table else name


_LONG_NUMBER = re.compile(r"[-+]?[0-9_]{1000,}")


def _too_many_digits(text: str, source: str) -> ScenarioError:
    """A JSON or TOML integer over Python's conversion limit, located by the YAML reader if it
    can (JSON is nearly YAML), else by the first long run of digits."""
    try:
        load_yaml(text, source)
    except ScenarioError as exc:
        if "too many digits" in exc.message:
            return exc
    match = _LONG_NUMBER.search(text)
    line = text.count("\n", 0, match.start()) + 1 if match else None
    return ScenarioError(
        f"a number has too many digits (over {_MAX_DIGITS:,})",
        file=source,
        line=line,
        field=_toml_key_at(text, line) if line else None,
        value=match.group(0) if match else None,
        has_value=match is not None,
        expected=f"a number of at most {_MAX_DIGITS:,} digits",
    )


def _check_shape(raw: Any, source: str) -> None:
    """Depth and size limits for already-parsed JSON or TOML (iteratively)."""
    todo: list[tuple[Any, tuple[str, ...]]] = [(raw, ())]
    nodes = 0
    while todo:
        value, path = todo.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise ScenarioError(f"too many values (over {MAX_NODES:,})", file=source)
        if isinstance(value, dict | list):
            if len(path) >= MAX_DEPTH:
                raise ScenarioError(
                    f"nested too deeply (over {MAX_DEPTH} levels)",
                    file=source,
                    field=".".join(path),
                    expected="a flatter file",
                )
            items = value.items() if isinstance(value, dict) else enumerate(value)
            todo.extend((v, (*path, str(k))) for k, v in items)


# -- errors: one message with file, line, field, value and what was expected ----------------
