"""Grapheme clusters: UAX #29 conformance, Gurmukhi conjuncts kept whole, code point offsets."""

from __future__ import annotations

import bisect
import re
import unicodedata
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st
from unicode_break_tests import break_cases

from tui.locations import seeds_dir
from tui.text import grapheme_tables, graphemes
from tui.text.graphemes import GURMUKHI_VIRAMA, grapheme_boundaries, icu_grapheme_boundaries

TEST_FILE = Path(__file__).parent / "data" / "GraphemeBreakTest.txt"

EXCLUDED_LINES: dict[int, str] = {
    625: "GB11: Unicode 17.0 took Extended_Pictographic from the 672 assigned non-emoji"
    " symbols such as U+2701 UPPER BLADE SCISSORS, so ICU 78 breaks after its ZWJ",
}
"""GraphemeBreakTest-15.0 lines that ICU 78 (Unicode 17 rules and data) answers differently."""


def _conformance_cases() -> list[tuple[int, str, list[int]]]:
    return break_cases(TEST_FILE)


def test_grapheme_break_conformance() -> None:
    cases = _conformance_cases()
    failures = {
        number: (text, expected, icu_grapheme_boundaries(text))
        for number, text, expected in cases
        if icu_grapheme_boundaries(text) != expected
    }
    unexplained = {number: case for number, case in failures.items() if number not in EXCLUDED_LINES}
    passed = len(cases) - len(failures)
    print(f"GraphemeBreakTest 15.0: {passed}/{len(cases)} pass ({passed / len(cases):.2%})")
    assert unexplained == {}
    assert set(EXCLUDED_LINES) <= set(failures), "an excluded line passes now: drop it"


def test_margin_rule_changes_nothing_in_the_conformance_file() -> None:
    for _number, text, _expected in _conformance_cases():
        assert grapheme_boundaries(text) == icu_grapheme_boundaries(text)


def _clusters(text: str) -> list[str]:
    bounds = grapheme_boundaries(text)
    return [text[start:end] for start, end in zip(bounds, bounds[1:])]


@pytest.mark.parametrize(
    ("text", "clusters"),
    [
        ("ਪ੍ਰ", ["ਪ੍ਰ"]),
        ("ਪ੍ਰਧਾਨ", ["ਪ੍ਰ", "ਧਾ", "ਨ"]),
        ("ਸ੍ਤ੍ਰੀ", ["ਸ੍ਤ੍ਰੀ"]),
        ("ਕ੍\u200dਯ", ["ਕ੍\u200dਯ"]),
        ("ਜ਼੍ਹ", ["ਜ਼੍ਹ"]),
        ("ੜ੍ਹ", ["ੜ੍ਹ"]),
        ("੍ਰ", ["੍", "ਰ"]),
        ("ਪ੍ a", ["ਪ੍", " ", "a"]),
        ("ਪ੍1", ["ਪ੍", "1"]),
        ("ਕਿ", ["ਕਿ"]),
        ("क्षि", ["क्षि"]),
        ("ക്ക", ["ക്ക"]),
        ("e\u0301", ["e\u0301"]),
        ("a\U0002000bb", ["a", "\U0002000b", "b"]),
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467", ["\U0001f468\u200d\U0001f469\u200d\U0001f467"]),
        ("\U0001f1ef\U0001f1f5\U0001f1fa", ["\U0001f1ef\U0001f1f5", "\U0001f1fa"]),
        ("a\r\nb", ["a", "\r\n", "b"]),
        ("", []),
    ],
)
def test_clusters(text: str, clusters: list[str]) -> None:
    assert _clusters(text) == clusters


def test_empty_text_has_one_boundary() -> None:
    assert grapheme_boundaries("") == [0]


def test_astral_offsets_are_code_points() -> None:
    text = "𠀋中𠀋a\u0301𠀋"
    assert grapheme_boundaries(text) == [0, 1, 2, 3, 5, 6]


def test_seed_conjuncts_stay_whole() -> None:
    (path,) = seeds_dir().glob("000_*.txt")
    text = path.read_text(encoding="utf-8")
    conjuncts = [match.start() for match in re.finditer(GURMUKHI_VIRAMA + "[\u0a15-\u0a39\u0a5c]", text)]
    assert conjuncts, "the Punjabi seed has conjuncts"
    bounds = set(grapheme_boundaries(text))
    assert not any(virama + 1 in bounds for virama in conjuncts)
    assert {text[start - 1 : start + 2] for start in conjuncts} >= {"ਪ੍ਰ", "ਦ੍ਰ", "ੜ੍ਹ", "਼੍ਰ"}


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in {"Mn", "Mc", "Me"}


@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=60))
def test_boundaries_are_sorted_and_span_the_text(text: str) -> None:
    bounds = grapheme_boundaries(text)
    assert bounds[0] == 0 and bounds[-1] == len(text)
    assert bounds == sorted(set(bounds))


_BASES = st.sampled_from("aਕਪਰਹक中ب𠀋 ")
_MARKS = st.sampled_from("\u0301\u0a3f\u0a3e\u0a4d\u0a3c\u093f\u094d\u064e\u0670")


@given(st.lists(st.tuples(_BASES, st.lists(_MARKS, max_size=3)), max_size=20))
def test_a_base_is_never_split_from_its_marks(pieces: list[tuple[str, list[str]]]) -> None:
    text = "".join(base + "".join(marks) for base, marks in pieces)
    bounds = set(grapheme_boundaries(text))
    for index in range(1, len(text)):
        if _is_mark(text[index]):
            assert index not in bounds, (text, index)


@given(st.text(st.characters(codec="ascii"), max_size=80))
def test_ascii_fast_path_agrees_with_icu(text: str) -> None:
    assert grapheme_boundaries(text) == icu_grapheme_boundaries(text)


@given(st.text(st.sampled_from("ਕਪਰਹਯਵ੍ਿਾ\u200d ਂ"), max_size=30))
def test_the_gurmukhi_rule_only_removes_boundaries(text: str) -> None:
    assert set(grapheme_boundaries(text)) <= set(icu_grapheme_boundaries(text))


def test_the_generated_grapheme_table_is_current():
    """Regenerate with ``python -m tui.text.graphemes > tui/text/grapheme_tables.py``."""
    shipped = Path(graphemes.__file__).with_name("grapheme_tables.py").read_text(encoding="utf-8")
    assert shipped == graphemes.table_module_source()


def test_icu_joins_no_character_outside_the_table():
    """Each code point the table leaves out stands alone between letters and beside itself
    (so no rule of UAX #29 as ICU implements it can join it), checked in batches."""
    ranges = graphemes.joining_ranges()
    lows = [low for low, _ in ranges]

    def listed(code: int) -> bool:
        i = bisect.bisect_right(lows, code) - 1
        return i >= 0 and code <= ranges[i][1]

    others = [chr(code) for code in range(0x110000) if not listed(code)]
    assert len(others) > 100_000
    joined = []
    for i in range(0, len(others), 2000):
        batch = others[i : i + 2000]
        between = "a" + "a".join(batch) + "a"
        doubled = "".join(ch + ch for ch in batch)
        if icu_grapheme_boundaries(between) != list(range(len(between) + 1)) or icu_grapheme_boundaries(
            doubled
        ) != list(range(len(doubled) + 1)):
            alone = [
                f"U+{ord(ch):04X}"
                for ch in batch
                if icu_grapheme_boundaries("a" + ch + "a") != [0, 1, 2, 3] or icu_grapheme_boundaries(ch + ch) != [0, 1, 2]
            ]
            joined += alone or [f"two neighbours in U+{ord(batch[0]):04X}..U+{ord(batch[-1]):04X}"]
    assert joined == []


@pytest.mark.parametrize("text", ["مرحبا بالعالم", "中文，“引号”", "Ünïcödé", "ਪ੍ਰ", "e\u0301", "a\r\nb", "🇫🇷", "각", "\u1100\u1161"])
def test_the_fast_path_gives_icu_boundaries(text):
    expected = icu_grapheme_boundaries(text)
    if "\u0a4d" not in text:
        assert grapheme_boundaries(text) == expected
    assert graphemes.may_join(text) or expected == list(range(len(text) + 1))


def test_another_unicode_version_always_asks_icu():
    graphemes._joining.cache_clear()
    try:
        with patch.object(grapheme_tables, "UNIDATA_VERSION", "0.0.0"):
            assert graphemes.may_join("abc")
    finally:
        graphemes._joining.cache_clear()


MARKS = [chr(code) for low, high in graphemes.MARK_BLOCKS for code in range(low, high + 1) if unicodedata.category(chr(code)) in ("Mn", "Mc", "Me")]
BASES = ["a", "ب", "ਕ", " ", "1", "\t", "\n", "\r", "é", GURMUKHI_VIRAMA, ".", "ی", "\u200d", "中", "\U0001f600"]


def test_every_mark_joins_as_icu_joins_it() -> None:
    failures = []
    taken = 0
    for mark in MARKS:
        for base in BASES:
            for text in (mark, base + mark, mark + base, base + mark + mark, base + mark + base + mark, "\n" + mark + base, base + "\r\n" + mark):
                found = graphemes._marks_only_boundaries(text)
                if found is None:
                    continue
                taken += 1
                if found != icu_grapheme_boundaries(text):
                    failures.append((text, found, icu_grapheme_boundaries(text)))
    assert failures == []
    assert taken > len(MARKS) * len(BASES)


@given(st.lists(st.sampled_from([*MARKS, *BASES, "ਪ੍ਰ", "لا", "\u0301"]), max_size=40).map("".join))
def test_text_of_marks_is_segmented_as_icu_segments_it(text: str) -> None:
    found = graphemes._marks_only_boundaries(text)
    if found is not None:
        assert found == icu_grapheme_boundaries(text)
    expected = icu_grapheme_boundaries(text)
    if GURMUKHI_VIRAMA in text:
        expected = graphemes._join_gurmukhi_conjuncts(text, expected)
    assert grapheme_boundaries(text) == expected


def test_mark_pages_equal_every_code_point_classified() -> None:
    joining = graphemes._joining()
    marks = graphemes._marks()
    assert joining is not None and marks is not None
    for number in [*range(0x30), 0x4E, 0xFE, 0xFF]:
        expected = bytearray(256)
        for code in range(number << 8, (number + 1) << 8):
            ch = chr(code)
            if (unicodedata.category(ch) == "Cc" and ch != "\r") or unicodedata.category(ch) in ("Zl", "Zp"):
                expected[code & 0xFF] = 3
            elif joining[ch]:
                in_block = any(low <= code <= high for low, high in graphemes.MARK_BLOCKS)
                expected[code & 0xFF] = 1 if in_block and unicodedata.category(ch) in ("Mn", "Mc", "Me") else 2
        assert marks.page(number) == bytes(expected), hex(number)


_BEFORE_A_MARK = st.sampled_from("a ب中\t\n\x1b\x85\u2028\u2029\u200b\u200e\u202e\u2066\ufeff\u00ad\u0600")


@given(st.lists(st.tuples(_BEFORE_A_MARK, st.lists(st.sampled_from("\u0301\u064e\u0650\u0a3f\u0670"), max_size=2)), max_size=12))
def test_a_mark_after_a_control_or_separator_is_clustered_as_icu_does(pieces: list[tuple[str, list[str]]]) -> None:
    text = "".join(base + "".join(marks) for base, marks in pieces)
    assert grapheme_boundaries(text) == icu_grapheme_boundaries(text)
