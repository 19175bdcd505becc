"""Line breaks found without ICU equal ICU's, for every character the shortcut accepts."""

from __future__ import annotations

from itertools import product

from hypothesis import given
from hypothesis import strategies as st

from tui.locations import seeds_dir
from tui.text.decode import decode
from tui.text.linebreak import (
    NO_LINE_END,
    NO_LINE_START,
    icu_breaks,
    line_break_opportunities,
    uax14_breaks,
)
from tui.text.simple_breaks import _CLASS_LETTERS, _class_of, _page, simple_breaks

SIMPLE = [chr(code) for code in range(0x10000) if _class_of(code)]
"""Every character the shortcut handles."""
REPRESENTATIVES = ["a", "ب", "1", "٣", "\u0650", "\u0a3e", " ", ".", "،", "!", "؟", "\u0964", "ਕ", "é", "(", ")", "[", "]", "'", "‘", "’", "“", "”", "-", "/"]
"""One or two of each class: letters, digits, marks (Mn and Mc), space, IS, EX, BA, OP, CP,
QU (neither initial nor final, initial, final), HY, SY."""
OUTSIDERS = ["{", "}", "«", "»", "\u2010", "\u00a0", "中", "。", "\U00020000", "\u200d", "\t", "%", "+", "\u201a", "\u201b"]
TEMPLATES = ("{c}", "{c}{r}", "{r}{c}", "{r} {c}", "{c} {r}", "{r}{c}{r}", " {c}{r}", "{r} {c}1", "{c}1", "{c} 1", "a{c}\u0650", "{r}{c}{c}")


def test_the_shortcut_covers_the_scripts_it_is_for() -> None:
    simple = set(SIMPLE)
    assert set("‘’“”-/") <= simple
    for name, script_letter in (("001", "ب"), ("000", "ਕ"), ("003", "a"), ("004", "a")):
        path = next(seeds_dir().glob(f"{name}_*.txt"))
        paragraphs = [line for line in decode(path.read_bytes()).text.split("\n") if line]
        assert any(simple_breaks(line) is not None for line in paragraphs), name
        assert script_letter in simple
        # Quotation marks, hyphens and slashes are handled; only a `+` (PR) sends one to ICU.
        left_to_icu = [line for line in paragraphs if simple_breaks(line) is None]
        assert all("+" in line and "+" not in simple for line in left_to_icu), name
    assert simple_breaks("中文") is None and simple_breaks("a {b}") is None and simple_breaks("") is None


def test_every_simple_character_in_context() -> None:
    failures = []
    for c in SIMPLE:
        for r in REPRESENTATIVES:
            for template in TEMPLATES:
                text = template.format(c=c, r=r)
                found = simple_breaks(text)
                if found is not None and found != icu_breaks(text):
                    failures.append((text, found, icu_breaks(text)))
    assert failures == []


def test_every_short_string_of_the_classes() -> None:
    failures = []
    left_to_icu = tried = 0
    for length in range(1, 5):
        for letters in product(REPRESENTATIVES, repeat=length):
            text = "".join(letters)
            found = simple_breaks(text)
            tried += 1
            if found is None:
                # Only a mark after punctuation is left to ICU.
                left_to_icu += 1
            elif found != icu_breaks(text):
                failures.append((text, found, icu_breaks(text)))
    assert failures == []
    assert left_to_icu < 0.2 * tried


@given(st.lists(st.one_of(st.sampled_from(SIMPLE), st.sampled_from(REPRESENTATIVES), st.sampled_from(OUTSIDERS)), max_size=80).map("".join))
def test_random_text_breaks_as_icu_does(text: str) -> None:
    assert uax14_breaks(text) == icu_breaks(text)


@given(st.lists(st.sampled_from([*REPRESENTATIVES, "5", " .5", "( .5", "a .5", " ’a", " ”1"]), max_size=40).map("".join))
def test_kinsoku_is_checked_only_where_it_can_reject(text: str) -> None:
    end = len(text)
    expected = [
        offset
        for offset in icu_breaks(text)
        if offset == end or (text[offset] not in NO_LINE_START and text[offset - 1] not in NO_LINE_END)
    ]
    assert line_break_opportunities(text) == expected


def test_a_page_filled_from_its_blocks_equals_every_code_point_classified() -> None:
    for number in [*range(0x30), 0x4E, 0xFE, 0xFF]:
        first = number << 8
        expected = bytes(_CLASS_LETTERS[_class_of(code)] if _class_of(code) else 0 for code in range(first, first + 256))
        assert _page(number) == expected, hex(number)
