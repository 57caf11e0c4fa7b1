"""Safe loading of scenario files (YAML, JSON or TOML) into a validated :class:`Scenario`.

Safe loading only: YAML is read event by event (never through a recursive composer), and only
plain values are built: tags that would construct objects are refused, as are anchors and aliases
(which allow "billion laughs" expansion), merge keys, duplicate keys, several documents, nesting
deeper than :data:`MAX_DEPTH`, more than :data:`MAX_NODES` values, files over :data:`MAX_BYTES`
and files that are not UTF-8 text. Every problem becomes one
:class:`~burdenshare.errors.ScenarioError` naming the file, the line where known, the field path,
the bad value and what was expected:

>>> parse_scenario_text("id: x\\ntitle: [1, 2]\\n", source="s.yaml")
Traceback (most recent call last):
...
burdenshare.errors.ScenarioError: s.yaml:2: title: wrong type: must be text [and 4 more ...
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from burdenshare.errors import ScenarioError
from burdenshare.scenario.paths import path_kind, read_regular_file, too_large
from burdenshare.scenario.readers import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    Lines,
    load_json,
    load_toml,
    load_yaml,
)
from burdenshare.scenario.scenario import Scenario
from burdenshare.scenario.text import MULTILINE_KEYS, describe, printable, unsafe_strings
from burdenshare.scenario.units import FieldError

__all__ = [
    "EXAMPLE",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "LoadedScenario",
    "load_scenario",
    "parse_scenario_bytes",
    "parse_scenario_text",
]


_FORMATS = {"yaml": "yaml", "yml": "yaml", "json": "json", "toml": "toml"}


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with the text it came from and that text's SHA-256."""

    scenario: Scenario
    text: str
    sha256: str
    source: str
    #: the text's format: yaml, json or toml
    fmt: str = "yaml"


def load_scenario(path: str | Path) -> LoadedScenario:
    """Read, parse and validate a scenario file (``.yaml``/``.yml``, ``.json`` or ``.toml``).

    The path must name a regular file (or a symlink to one): a folder, a named pipe, a device,
    a socket or a symlink loop is a :class:`ScenarioError` saying what it is
    (:mod:`burdenshare.scenario.paths`).
    """
    name = str(path)
    p = Path(path)
    kind = path_kind(p)
    if kind == "folder":
        raise ScenarioError(
            "is a directory (a folder), not a scenario file",
            file=name,
            expected="the path of a .yaml file",
        )
    if kind == "missing":
        raise ScenarioError("no such scenario file", file=name, expected="the path of a .yaml file")
    data = read_regular_file(p, MAX_BYTES)
    return parse_scenario_bytes(data, source=name, fmt=p.suffix.lower().lstrip("."))


def parse_scenario_bytes(
    data: bytes, *, source: str = "<input>", fmt: str = "yaml"
) -> LoadedScenario:
    """Validate raw bytes as a scenario (for uploads and files alike)."""
    if len(data) > MAX_BYTES:
        raise _too_large(len(data), source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            f"file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            file=source,
            line=line,
            expected="a UTF-8 encoded text file",
        ) from None
    return parse_scenario_text(text, source=source, fmt=fmt)


def parse_scenario_text(text: str, *, source: str = "<input>", fmt: str = "yaml") -> LoadedScenario:
    """Validate scenario text. ``fmt`` is ``yaml`` (default, also reads JSON), ``json`` or ``toml``.

    >>> doc = parse_scenario_text(EXAMPLE, source="example.yaml")
    >>> doc.scenario.parties["US"].utility["contribution"].ideal  # "5 bn USD" at 1,126 won/$
    5630.0
    """
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ScenarioError(
            "text holds characters that are not valid Unicode (lone surrogates)",
            file=source,
            line=text.count("\n", 0, exc.start) + 1,
            expected="UTF-8 text",
        ) from None
    if len(encoded) > MAX_BYTES:
        raise _too_large(len(encoded), source)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise ScenarioError(
            "file contains NUL bytes; it is not a text scenario",
            file=source,
            line=text.count("\n", 0, text.index("\x00")) + 1,
            expected="a UTF-8 text file",
        )
    if not text.strip():
        raise ScenarioError("the file is empty", file=source, expected="a scenario mapping")
    kind = _FORMATS.get(fmt.lower().lstrip("."), "yaml")
    lines: Lines = {}
    if kind == "toml":
        raw: Any = load_toml(text, source)
    elif kind == "json":
        raw, lines = load_json(text, source)
    else:
        raw, lines = load_yaml(text, source)
    if raw is None:
        raise ScenarioError("the file is empty", file=source, expected="a scenario mapping")
    if not isinstance(raw, dict):
        raise ScenarioError(
            "a scenario must be a mapping of keys (id, title, issues, parties, protocol, ...)",
            file=source,
            line=lines.get((), 1),
            value=type(raw).__name__,
            has_value=True,
            expected="a mapping at the top level",
        )
    _check_text(raw, text, source, lines)
    try:
        scenario = Scenario.model_validate(raw)
    except ScenarioError as exc:
        raise _locate(exc, source, lines) from None
    except ValidationError as exc:
        raise _from_pydantic(exc, source, lines) from None
    except (OverflowError, RecursionError, ArithmeticError) as exc:  # pragma: no cover - net
        raise ScenarioError(
            f"a value is out of range: {exc}", file=source, expected="moderate finite numbers"
        ) from None
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return LoadedScenario(scenario=scenario, text=text, sha256=sha, source=source, fmt=fmt)


def _check_text(raw: Any, text: str, source: str, lines: Lines) -> None:
    """Refuse control and bidirectional formatting characters in any parsed key or text value.

    Checked after parsing, so escapes (YAML ``\\e``, JSON and TOML ``\\u001b``) are caught as
    surely as raw characters; see :mod:`burdenshare.scenario.text` for what is refused and why.
    """
    found = list(unsafe_strings(raw))
    if not found:
        return
    by_character: dict[str, int | None] = {}  # TOML has no lines: search once per character

    def line_of(path: tuple[str, ...], ch: str) -> int | None:
        line = _line_for(".".join(path), lines)
        if line is None and ch not in by_character:
            by_character[ch] = _line_of_character(text, ch)
        return line if line is not None else by_character[ch]

    located = [(line_of(path, ch), path, value, ch, key) for path, value, ch, key in found]
    line, path, value, ch, is_key = min(located, key=lambda item: item[0] or 1 << 62)
    more = len(located) - 1
    multiline = not is_key and path[-1] in MULTILINE_KEYS
    raise ScenarioError(
        f"{'key' if is_key else 'text'} holds {describe(ch)}"
        + (f" [and {more} more problem{'s' if more > 1 else ''}]" if more else ""),
        file=source,
        line=line,
        field=printable(".".join(path)),
        value=value,
        has_value=True,
        expected="text without control or bidirectional formatting characters"
        + (" (tab and line feed are allowed here)" if multiline else ", on one line"),
    )


def _line_of_character(text: str, ch: str) -> int | None:
    """The line of the first place ``ch`` is written, raw or as an escape (TOML has no lines)."""
    code = ord(ch)
    escapes = {f"\\u{code:04x}", f"\\u{code:04X}", f"\\U{code:08x}", f"\\U{code:08X}"}
    if code < 0x100:
        escapes |= {f"\\x{code:02x}", f"\\x{code:02X}"}
    escapes |= _NAMED_ESCAPES.get(code, set())
    raw = () if ch in "\t\n\r" else (ch,)  # a raw line break is just the end of a line
    starts = [text.find(form) for form in (*raw, *escapes)]
    found = [i for i in starts if i >= 0]
    return text.count("\n", 0, min(found)) + 1 if found else None


#: YAML's one-letter escapes for characters that are refused
_NAMED_ESCAPES = {
    0x00: {"\\0"},
    0x07: {"\\a"},
    0x08: {"\\b"},
    0x09: {"\\t"},
    0x0A: {"\\n"},
    0x0B: {"\\v"},
    0x0C: {"\\f"},
    0x0D: {"\\r"},
    0x1B: {"\\e"},
    0x85: {"\\N"},
    0x2028: {"\\L"},
    0x2029: {"\\P"},
}


def _too_large(size: int, source: str) -> ScenarioError:
    return too_large(size, source, MAX_BYTES)


def _line_for(field: str | None, lines: Lines) -> int | None:
    """The line of ``field`` or, failing that, of the nearest enclosing field that has one."""
    if not lines:
        return None
    parts = tuple(p for p in (field or "").split(".") if p and p != "*")
    for n in range(len(parts), -1, -1):
        if parts[:n] in lines:
            return lines[parts[:n]]
    return None


def _locate(exc: ScenarioError, source: str, lines: Lines) -> ScenarioError:
    return ScenarioError(
        exc.message,
        file=source,
        line=exc.line or _line_for(exc.field, lines),
        field=exc.field,
        value=exc.value,
        expected=exc.expected,
        has_value=exc.has_value,
    )


def _loc_parts(loc: tuple[int | str, ...]) -> list[str]:
    """The field path of a pydantic location, without the union members pydantic inserts."""
    out = []
    for part in loc:
        if isinstance(part, str) and (
            part in {"float", "str", "int", "Distribution", "none", "tuple", "list", "dict", "date"}
            or part.startswith("constrained-")
            or part.startswith(("function-", "tagged-union", "lax-or-strict", "is-instance"))
            or part.startswith(("union[", "nullable[", "json-or-python"))
        ):
            continue
        out.append(str(part))
    return out


def _unwrap(tp: Any) -> Any:
    """Strip Annotated/Optional/unions down to a model, dict, tuple or list type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin is typing.Union or origin is types.UnionType:
            members = [
                a
                for a in typing.get_args(tp)
                if (isinstance(a, type) and issubclass(a, BaseModel))
                or typing.get_origin(a) in (dict, tuple, list)
            ]
            if not members:
                return tp
            tp = members[0]
        else:
            return tp


def _allowed_keys(parts: list[str]) -> list[str] | None:
    """The keys allowed in the mapping at ``parts`` (None if it is not a record)."""
    tp: Any = Scenario
    for part in parts:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            info = tp.model_fields.get(part)
            if info is None:
                return None
            tp = info.annotation
        elif typing.get_origin(tp) in (dict, tuple, list):
            args = typing.get_args(tp)
            tp = args[-1] if typing.get_origin(tp) is dict else args[0]
        else:
            return None
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return None


_NAME = "a name of letters, digits, '_', '.' or '-' (starting with a letter or digit, at most 64)"
_WRONG_TYPE = {
    "string_type": ("wrong type: must be text", "text"),
    "int_type": ("wrong type: must be a whole number", "a whole number"),
    "int_parsing": ("wrong type: must be a whole number", "a whole number"),
    "int_from_float": ("must be a whole number", "a whole number"),
    "float_type": ("wrong type: must be a number", "a number"),
    "float_parsing": ("wrong type: must be a number", "a number"),
    "finite_number": ("must be a finite number", "a finite number"),
    "dict_type": ("wrong type: must be a mapping", "a mapping of keys (key: value)"),
    "model_type": ("wrong type: must be a mapping", "a mapping of keys (key: value)"),
    "model_attributes_type": ("wrong type: must be a mapping", "a mapping of keys (key: value)"),
    "list_type": ("wrong type: must be a list", "a list [a, b, ...]"),
    "tuple_type": ("wrong type: must be a list", "a list [a, b, ...]"),
    "date_type": ("not a date", "a date written YYYY-MM-DD"),
    "date_parsing": ("not a date", "a date written YYYY-MM-DD"),
    "date_from_datetime_parsing": ("not a date", "a date written YYYY-MM-DD"),
    "date_from_datetime_inexact": ("not a date", "a date written YYYY-MM-DD"),
    "string_pattern_mismatch": ("not a valid name", _NAME),
    "string_too_short": ("must not be empty", "some text"),
    "recursion_loop": ("refers to itself", "plain values"),
}
_BOUNDS = {
    "greater_than_equal": ("too small", "ge", ">="),
    "greater_than": ("too small", "gt", ">"),
    "less_than_equal": ("too large", "le", "<="),
    "less_than": ("too large", "lt", "<"),
}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _describe(err: ErrorDetails, parts: list[str]) -> ScenarioError:
    """One pydantic error as a ScenarioError (without file and line)."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    cause = ctx.get("error")
    field = ".".join(parts)
    value: Any = _plain(err.get("input"))
    has_value = True
    expected: str | None = None
    if isinstance(cause, FieldError):
        sub = cause.field
        return ScenarioError(
            cause.message,
            field=f"{field}.{sub}" if sub and field else (sub or field or None),
            value=_plain(cause.value),
            has_value=cause.has_value,
            expected=cause.expected,
        )
    msg = str(err["msg"]).removeprefix("Value error, ")
    if parts and parts[-1] == "[key]":
        parts = parts[:-1]
        field = ".".join(parts)
        msg, expected = (f"{value!r} is not a valid key", _NAME)
    elif kind == "extra_forbidden":
        key = parts[-1] if parts else ""
        allowed = _allowed_keys(parts[:-1]) or []
        close = difflib.get_close_matches(key, allowed, n=1)
        msg = f"unknown key {key!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
        expected = f"one of: {', '.join(allowed)}" if allowed else "a documented key"
    elif kind == "missing":
        has_value = False
        if parts and parts[-1].isdigit():
            parts = parts[:-1]
            field = ".".join(parts)
            msg, expected = ("too few items in this list", None)
        else:
            msg = f"required key {parts[-1] if parts else ''!r} is missing"
    elif kind == "literal_error":
        msg, expected = ("not an allowed value", f"one of {ctx.get('expected')}")
    elif kind in _WRONG_TYPE:
        msg, expected = _WRONG_TYPE[kind]
    elif kind in _BOUNDS:
        word, key, op = _BOUNDS[kind]
        msg, expected = (word, f"a number {op} {ctx.get(key)}")
    elif kind in ("too_short", "too_long", "string_too_long"):
        limit = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        what = "characters" if kind == "string_too_long" else "items"
        msg = "too few items" if kind == "too_short" else f"too many {what}"
        if limit == 1:
            what = what[:-1]
        expected = f"{'at least' if kind == 'too_short' else 'at most'} {limit} {what}"
    return ScenarioError(
        msg, field=field or None, value=value, has_value=has_value, expected=expected
    )


def _rank(err: ErrorDetails) -> int:
    """Which error to show first: our own checks, unknown keys, the rest, missing keys."""
    if err["type"] == "value_error":
        return 0
    return {"extra_forbidden": 1, "missing": 3}.get(err["type"], 2)


def _from_pydantic(exc: ValidationError, source: str, lines: Lines) -> ScenarioError:
    best: dict[str, tuple[int, ScenarioError]] = {}
    for err in exc.errors(include_url=False):
        parts = _loc_parts(err["loc"])
        described = _describe(err, parts)
        key = described.field or ""
        rank = _rank(err) + (10 if err["type"] in ("too_short", "too_long") else 0)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, described)

    def order(item: tuple[int, ScenarioError]) -> tuple[bool, bool, int, int, int]:
        rank, e = item
        line = _line_for(e.field, lines) or 0
        # missing keys last: they sit at their parent's line, ahead of the real culprit
        return (rank >= 10, rank == 3, line, rank, -len((e.field or "").split(".")))

    ranked = sorted(best.values(), key=order)
    first = ranked[0][1]
    msg = first.message
    if len(ranked) > 1:
        more = len(ranked) - 1
        msg += f" [and {more} more problem{'s' if more > 1 else ''}]"
    return ScenarioError(
        msg,
        file=source,
        line=_line_for(first.field, lines),
        field=first.field,
        value=first.value,
        has_value=first.has_value,
        expected=first.expected,
    )


#: a small complete scenario (the one in docs/reference/scenario.md), used by doctests
EXAMPLE = """\
id: mini-sma
title: A small SMA-like negotiation
as_of: 2019-11-19
money: {unit: KRW, scale: billion, fx: {USD: 1126}}
issues:
  - {id: contribution, unit: money, range: [900, 6500]}
  - {id: duration, kind: integer, unit: years, range: [1, 5]}
parties:
  US:
    utility:
      contribution: {prefers: higher, ideal: 5 bn USD, reservation: 1350, weight: 0.8}
      duration: {prefers: lower, ideal: 1, reservation: 5, weight: 0.2}
    discount_per_round: 0.98
    ratification: none
  ROK:
    utility:
      contribution:
        prefers: lower
        ideal: 1038.9
        reservation: {triangular: [1090.8, 1124.1, 1246.7]}
        weight: 0.9
      duration: {prefers: higher, ideal: 5, reservation: 1, weight: 0.1}
    discount_per_round: 0.97
    ratification: {body: National Assembly, approval_threshold: 1190}
protocol:
  first_mover: US
  start: 2019-11-19
  round_every_days: 28
  deadline: 2019-12-31
  breakdown_risk_per_round: 0.05
"""
