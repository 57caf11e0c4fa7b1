"""The scenario text rule for GENIUS and GeniusWeb files: no control or bidi characters.

Names read from a GENIUS XML or GeniusWeb JSON file (domain, issues, values, profiles) end up in
scenario ids, descriptions and terminal output, so they follow the same rule as scenario files
(:mod:`burdenshare.scenario.text`), checked after parsing (XML character references such as
``&#x85;`` and JSON escapes such as ``\\u001b`` are caught too) and reported with the file.

>>> import xml.etree.ElementTree as ET
>>> check_xml_text(ET.fromstring('<issue name="a&#x202e;b"/>'), "d.xml", b"")
Traceback (most recent call last):
...
burdenshare.errors.ScenarioError: d.xml: <issue> name: text holds U+202E RIGHT-TO-LEFT ...
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from burdenshare.errors import ScenarioError
from burdenshare.scenario.text import describe, printable, unsafe_character, unsafe_strings

__all__ = ["check_json_text", "check_xml_text"]

_EXPECTED = "names without control or bidirectional formatting characters"


def check_json_text(doc: Any, file: str, data: bytes) -> None:
    """Refuse a refused character in any key or string of a parsed GeniusWeb JSON file."""
    for path, value, ch, is_key in unsafe_strings(doc):
        raise ScenarioError(
            f"{'key' if is_key else 'text'} holds {describe(ch)}",
            file=file,
            line=_line(data, ch),
            field=printable(".".join(path)),
            value=value,
            expected=_EXPECTED,
        )


def check_xml_text(root: ET.Element, file: str, data: bytes) -> None:
    """Refuse a refused character in any attribute value or text of a parsed GENIUS XML file.

    Element text may span lines (tab and line feed allowed); attribute values are one line.
    """
    for el in root.iter():
        for attr, value in el.attrib.items():
            bad = unsafe_character(value)
            if bad is not None:
                _xml_error(file, data, f"<{el.tag}> {attr}", value, bad[1])
        for text in (el.text or "", el.tail or ""):
            bad = unsafe_character(text, multiline=True)
            if bad is not None:
                _xml_error(file, data, f"<{el.tag}> text", text, bad[1])


def _xml_error(file: str, data: bytes, field: str, value: str, ch: str) -> None:
    raise ScenarioError(
        f"text holds {describe(ch)}",
        file=file,
        line=_line(data, ch),
        field=printable(field),
        value=value,
        has_value=True,
        expected=_EXPECTED,
    )


def _line(data: bytes, ch: str) -> int | None:
    """The line where ``ch`` is first written: raw, as a JSON escape or an XML reference."""
    code = ord(ch)
    forms = {
        ch.encode("utf-8", "surrogatepass"),
        *(f"\\u{code:04{c}}".encode() for c in "xX"),
        *(f"&#x{code:{c}};".encode() for c in "xX"),
        f"&#{code};".encode(),
    }
    starts = [i for i in (data.find(f) for f in forms) if i >= 0]
    return data.count(b"\n", 0, min(starts)) + 1 if starts else None
