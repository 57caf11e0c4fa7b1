"""The text rule (scenario/text.py): which characters are refused, and escaping for display.

Sources: the Unicode bidirectional formatting characters are those of UAX #9, section 2
(https://www.unicode.org/reports/tr9/#Explicit_Directional_Embeddings and following), the set
the "Trojan Source" paper (Boucher and Anderson 2021, CVE-2021-42574) shows can disguise text.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from burdenshare.scenario.text import (
    MULTILINE_KEYS,
    describe,
    printable,
    unsafe_character,
    unsafe_strings,
)

C0 = [chr(c) for c in range(0x20) if chr(c) not in "\t\n"]
C1 = [chr(c) for c in range(0x7F, 0xA0)]
BIDI = [chr(c) for c in (0x61C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))]
REFUSED = [*C0, *C1, *BIDI, "\u2028", "\u2029", "\ud800", "\udfff"]


def test_bidi_set_is_exactly_the_uax9_formatting_characters() -> None:
    # every bidi formatting character has bidirectional class LRE, RLE, LRO, RLO, PDF, LRI,
    # RLI, FSI, PDI (the explicit ones) or LRM/RLM/ALM (the implicit marks)
    classes = {unicodedata.bidirectional(ch) for ch in BIDI}
    assert classes == {
        "LRE",
        "RLE",
        "LRO",
        "RLO",
        "PDF",
        "LRI",
        "RLI",
        "FSI",
        "PDI",
        "L",
        "R",
        "AL",
    }
    assert all(unicodedata.category(ch) == "Cf" for ch in BIDI)


@pytest.mark.parametrize("ch", REFUSED, ids=[f"U+{ord(c):04X}" for c in REFUSED])
def test_every_refused_character_is_found_and_described(ch: str) -> None:
    assert unsafe_character(f"ab{ch}cd") == (2, ch)
    assert unsafe_character(f"ab{ch}cd", multiline=True) == (2, ch)
    text = describe(ch)
    assert text.startswith(f"U+{ord(ch):04X}")
    assert text.isprintable()


@pytest.mark.parametrize("ch", ["\t", "\n"])
def test_tab_and_line_feed_only_in_multiline_text(ch: str) -> None:
    assert unsafe_character(f"a{ch}b") == (1, ch)
    assert unsafe_character(f"a{ch}b", multiline=True) is None
    assert "\r" not in "".join(MULTILINE_KEYS)
    assert unsafe_character("a\rb", multiline=True) == (1, "\r")


@pytest.mark.parametrize(
    "text", ["한국어 제목", "عربي", "עברית", "Ünïcödé ₩ — “quotes”", "😀", "a b"]
)
def test_ordinary_text_in_any_script_is_allowed(text: str) -> None:
    assert unsafe_character(text) is None


@given(st.text())
def test_allowed_text_holds_no_refused_character(text: str) -> None:
    found = unsafe_character(text)
    if found is None:
        assert not set(text) & {*REFUSED, "\t", "\n"}
    else:
        i, ch = found
        assert text[i] == ch
        assert ch in REFUSED or ch in "\t\n"
        assert unsafe_character(text[:i]) is None


@given(st.text())
def test_printable_output_is_printable_idempotent_and_lossless_on_printable_text(
    text: str,
) -> None:
    shown = printable(text)
    assert shown.isprintable()
    assert printable(shown) == shown
    if text.isprintable():
        assert shown == text


def test_printable_escapes_like_repr() -> None:
    assert printable("A \x1b[31mred\x1b[0m") == "A \\x1b[31mred\\x1b[0m"
    assert printable("\u202eevil\x85\U000e0001") == "\\u202eevil\\x85\\U000e0001"


def test_unsafe_strings_checks_keys_values_and_nesting_in_order() -> None:
    data = {
        "title": "ok",
        "parties": {"U\u202eS": {"note": "two\nlines"}, "ROK": {"x": ["a", "b\x1b"]}},
        "description": "tab\tand\nline feed are fine here",
        "n": 3,
    }
    found = list(unsafe_strings(data))
    assert [(path, ch, key) for path, _, ch, key in found] == [
        (("parties", "U\u202eS"), "\u202e", True),
        (("parties", "ROK", "x", "1"), "\x1b", False),
    ]


def test_unsafe_strings_is_iterative() -> None:
    deep: object = "\x1b"
    for _ in range(5000):
        deep = [deep]
    (path, _, ch, _), *_ = unsafe_strings(deep)
    assert ch == "\x1b"
    assert len(path) == 5000
