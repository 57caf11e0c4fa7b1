"""Which characters user-supplied text may hold, and how to show any text safely on a terminal.

Scenario files (and GENIUS imports) are checked **after** parsing, so an escape written in the
file's syntax (YAML ``"\\e"``, JSON ``"\\u001b"``, TOML ``"\\u001B"``, an XML character
reference) is caught as surely as a raw byte. Refused in every text value and every mapping key:

- C0 control characters (U+0000-U+001F) except TAB and LF, DEL (U+007F) and the C1 controls
  (U+0080-U+009F): they move the cursor, recolour or clear a terminal (ESC ``\\x1b[...``) or
  are read as line breaks (NEL U+0085);
- the bidirectional formatting characters: embeddings and overrides U+202A-U+202E, isolates
  U+2066-U+2069, and the marks U+200E, U+200F and U+061C, which reorder or disguise what is
  displayed ("Trojan Source", CVE-2021-42574);
- the line and paragraph separators U+2028 and U+2029;
- lone surrogates (U+D800-U+DFFF): not Unicode text at all (JSON lets ``"\\ud800"`` through).

TAB and LF are allowed only in multi-line prose (:data:`MULTILINE_KEYS`: ``description``,
``note`` and ``source``); names, ids, titles and every other text value are one line.

>>> unsafe_character("A \\x1b[31mred\\x1b[0m talk", multiline=False)
(2, '\\x1b')
>>> unsafe_character("two\\nlines", multiline=True) is None
True
>>> describe("\\u202e")
'U+202E RIGHT-TO-LEFT OVERRIDE (a bidirectional formatting character)'
>>> printable("A \\x1b[31mred\\x1b[0m \\u202etalk")
'A \\\\x1b[31mred\\\\x1b[0m \\\\u202etalk'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

__all__ = [
    "MULTILINE_KEYS",
    "describe",
    "printable",
    "unsafe_character",
    "unsafe_strings",
]

#: keys whose text values may span several lines (TAB and LF allowed)
MULTILINE_KEYS = frozenset({"description", "note", "source"})

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SEPARATORS = frozenset("\u2028\u2029")


def _refused(ch: str, multiline: bool) -> bool:
    code = ord(ch)
    if code < 0x20:
        return not (multiline and ch in "\t\n")
    return 0x7F <= code <= 0x9F or ch in _BIDI or ch in _SEPARATORS or 0xD800 <= code <= 0xDFFF


def unsafe_character(text: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """The index and the first character of ``text`` that is refused (None: all allowed)."""
    if text.isprintable():  # every refused character is one str.isprintable() rejects
        return None
    for i, ch in enumerate(text):
        if _refused(ch, multiline):
            return i, ch
    return None


def describe(ch: str) -> str:
    """One refused character as an escaped code point with its name and what kind it is."""
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return f"U+{code:04X} (a lone surrogate: not valid Unicode, cannot be UTF-8 encoded)"
    if ch in _BIDI:
        return f"U+{code:04X} {unicodedata.name(ch)} (a bidirectional formatting character)"
    if ch in _SEPARATORS:
        return f"U+{code:04X} {unicodedata.name(ch)} (a line break inside one-line text)"
    kind = "a line break or tab inside one-line text" if ch in "\t\n" else "a control character"
    return f"U+{code:04X} {_CONTROL_NAMES.get(code, '')}({kind})"


_CONTROL_NAMES = {
    0x00: "NUL ",
    0x07: "BEL ",
    0x08: "BACKSPACE ",
    0x09: "TAB ",
    0x0A: "LINE FEED ",
    0x0D: "CARRIAGE RETURN ",
    0x1B: "ESCAPE ",
    0x7F: "DELETE ",
    0x85: "NEXT LINE ",
    0x9B: "CONTROL SEQUENCE INTRODUCER ",
}


def unsafe_strings(
    value: Any, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], str, str, bool]]:
    """Every refused character in parsed data: ``(path, text, character, is_key)``, in order.

    ``value`` is what a JSON, YAML or TOML parser returns (mappings, lists, scalars); a key's
    path ends with the key itself. Iterative, so any nesting depth is safe.
    """
    todo: list[tuple[Any, tuple[str, ...]]] = [(value, path)]
    while todo:
        item, where = todo.pop()
        if isinstance(item, str):
            multiline = bool(where) and where[-1] in MULTILINE_KEYS
            bad = unsafe_character(item, multiline=multiline)
            if bad is not None:
                yield where, item, bad[1], False
        elif isinstance(item, dict):
            children = []
            for key, child in item.items():
                name = str(key)
                bad = unsafe_character(name) if isinstance(key, str) else None
                if bad is not None:
                    yield (*where, name), name, bad[1], True
                children.append((child, (*where, name)))
            todo.extend(reversed(children))
        elif isinstance(item, list | tuple):
            todo.extend(reversed([(v, (*where, str(k))) for k, v in enumerate(item)]))


def printable(text: str) -> str:
    """``text`` with every character a terminal would not just print replaced by an escape.

    Control characters, bidirectional formatting characters, separators and anything else
    :meth:`str.isprintable` rejects become ``\\xNN``, ``\\uNNNN`` or ``\\UNNNNNNNN`` (as in
    Python's ``repr``); a backslash is kept as it is. Idempotent on its own output.
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable():
            out.append(ch)
        else:
            code = ord(ch)
            out.append(
                f"\\x{code:02x}"
                if code < 0x100
                else f"\\u{code:04x}"
                if code < 0x10000
                else f"\\U{code:08x}"
            )
    return "".join(out)
