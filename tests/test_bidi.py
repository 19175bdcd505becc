"""UAX #9 engine: hand cases in the BidiTest.txt style, Arabic seed cases, properties."""

from __future__ import annotations

import random
import subprocess
import sys
import unicodedata
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tools import require_tool
from visual_order import visual_order

from tui.locations import seeds_dir
from tui.text import bidi, bidi_properties, bidi_tables
from tui.text.bidi import (
    ParagraphBidi,
    analyse_paragraph,
    has_rtl,
    line_levels,
    mirrored,
)
from tui.text.bidi_properties import (
    BN_CANDIDATES,
    RTL_BLOCK_DEFAULTS,
    RTL_CANDIDATES,
    bidi_class,
    classify,
)

SAMPLE = {
    "L": "a",
    "R": "\u05d0",
    "AL": "\u0627",
    "EN": "1",
    "ES": "+",
    "ET": "$",
    "AN": "\u0660",
    "CS": ",",
    "NSM": "\u0300",
    "BN": "\u00ad",
    "B": "\u2029",
    "S": "\t",
    "WS": " ",
    "ON": "!",
    "LRE": "\u202a",
    "RLE": "\u202b",
    "PDF": "\u202c",
    "LRO": "\u202d",
    "RLO": "\u202e",
    "LRI": "\u2066",
    "RLI": "\u2067",
    "FSI": "\u2068",
    "PDI": "\u2069",
}
"""One character per bidi class, as BidiTest.txt's inputs are written in classes."""


def _line(text: str, base_level: int | None) -> tuple[ParagraphBidi, list[int]]:
    par = analyse_paragraph(text, base_level)
    return par, line_levels(par, text, 0, len(text))


def _shown(par: ParagraphBidi, levels: list[int]) -> tuple[str, list[int]]:
    """Levels with 'x' for removed characters, and the order without them (as the UCD files)."""
    written = " ".join("x" if i in par.removed else str(level) for i, level in enumerate(levels))
    return written, [i for i in visual_order(levels) if i not in par.removed]


# Rows copied from BidiTest.txt 15.0 (classes; paragraph level; levels; order).
BIDI_TEST_ROWS = [
    ("L WS R", 0, "0 0 1", [0, 1, 2]),
    ("L WS R", 1, "2 1 1", [2, 1, 0]),
    ("R WS L", None, "1 1 2", [2, 1, 0]),
    ("R WS L", 0, "1 0 0", [0, 1, 2]),
    ("AL EN CS EN", None, "1 2 2 2", [1, 2, 3, 0]),
    ("L EN ET", 1, "2 2 2", [0, 1, 2]),
    ("R ET EN", 0, "1 2 2", [1, 2, 0]),
    ("AN CS AN", 0, "2 2 2", [0, 1, 2]),
    ("EN ES EN", 1, "2 2 2", [0, 1, 2]),
    ("R NSM", 0, "1 1", [1, 0]),
    ("AL NSM EN", 0, "1 1 2", [2, 1, 0]),
    ("RLE L PDF", 0, "x 2 x", [1]),
    ("RLE L PDF", 1, "x 4 x", [1]),
    ("LRO R AL PDF", None, "x 2 2 x", [1, 2]),
    ("RLI L PDI R", 0, "0 2 0 1", [0, 1, 2, 3]),
    ("RLI L PDI R", None, "1 4 1 1", [3, 2, 1, 0]),
    ("FSI R PDI", 0, "0 1 0", [0, 1, 2]),
    ("FSI R PDI", 1, "1 3 1", [2, 1, 0]),
    ("L BN R", 0, "0 x 1", [0, 2]),
    ("L BN R", 1, "2 x 1", [2, 0]),
    ("R WS S L", 0, "1 0 0 0", [0, 1, 2, 3]),
    ("R WS S L", 1, "1 1 1 2", [3, 2, 1, 0]),
    ("L B", 1, "2 1", [1, 0]),
    ("ON R ON", 0, "0 1 0", [0, 1, 2]),
    ("PDI R", None, "1 1", [1, 0]),
    ("LRI PDF R", 0, "0 x 3", [0, 2]),
    ("LRI PDF R", 1, "1 x 3", [2, 0]),
]


@pytest.mark.parametrize(("classes", "base_level", "levels", "order"), BIDI_TEST_ROWS)
def test_bidi_test_rows(classes, base_level, levels, order):
    text = "".join(SAMPLE[name] for name in classes.split())
    assert _shown(*_line(text, base_level)) == (levels, order)


ARABIC_CASES = [
    # The number follows a Latin word, so W7 makes it L; the brackets hold L, so they stay L.
    ("abc (53 مليار) def", None, 0, [0] * 8 + [1] * 5 + [0] * 5),
    # In an RTL paragraph the number follows sos R: EN at level 2, brackets resolve to R.
    ("(53 مليار)", 1, 1, [1, 2, 2] + [1] * 7),
    # From the Arabic seed: numbers after Arabic letters are AN (W2), brackets hold R.
    (
        "بقيمة 380 مليار يوان (53 مليار دولار)",
        None,
        1,
        [1] * 6 + [2] * 3 + [1] * 13 + [2] * 2 + [1] * 13,
    ),
]


@pytest.mark.parametrize(("text", "base_level", "paragraph", "levels"), ARABIC_CASES)
def test_arabic_numbers_and_brackets(text, base_level, paragraph, levels):
    par, line = _line(text, base_level)
    assert (par.base_level, line) == (paragraph, levels)


def test_rtl_paragraph_reads_numbers_left_to_right():
    assert visual_order(_line("(53 مليار)", 1)[1]) == [9, 8, 7, 6, 5, 4, 3, 1, 2, 0]


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        # U+2329 pairs with U+3009 (canonical equivalents of U+3008/U+3009): the closing
        # bracket takes the R of its pair, not the paragraph's L.
        ("\u05d0\u2329\u05d0\u3009", [1, 1, 1, 1]),
        ("\u05d0\u3008\u05d0\u232a", [1, 1, 1, 1]),
        ("\u05d0(\u05d0]", [1, 1, 1, 0]),
        # A mark after a bracket follows the bracket (N0), not the neutral run.
        ("\u05d0(\u05d0)\u0300", [1, 1, 1, 1, 1]),
    ],
)
def test_bracket_pairs_in_ltr_paragraph(text, levels):
    assert list(analyse_paragraph(text, 0).levels) == levels


@pytest.mark.parametrize(("openers", "closing_level"), [(63, 1), (64, 0)])
def test_bracket_stack_overflow_ends_pairing(openers, closing_level):
    text = "\u05d0" + "(" * openers + "\u05d0)"
    assert analyse_paragraph(text, 0).levels[-1] == closing_level


def test_pairs_found_before_a_bracket_stack_overflow_are_kept():
    text = "\u05d0(\u05d0)" + "[" * 64
    assert analyse_paragraph(text, 0).levels[3] == 1


def test_embeddings_beyond_max_depth_overflow():
    text = "\u202b" * 70 + "a" + "\u202c" * 70
    par = analyse_paragraph(text, 0)
    assert par.levels[70] == 126
    assert par.removed == frozenset(range(70)) | frozenset(range(71, 141))


def test_unmatched_pdf_and_pdi_change_nothing():
    par = analyse_paragraph("a\u202c\u2069b", 0)
    assert list(par.levels) == [0, 0, 0, 0]
    assert par.removed == frozenset({1})


def test_removed_characters_take_the_level_before_them():
    par = analyse_paragraph("\u00ad\u05d0\u200d\u05d1\u202ca", 0)
    assert list(par.levels) == [0, 1, 1, 1, 1, 0]
    assert par.removed == frozenset({0, 2, 4})


@pytest.mark.parametrize(
    ("text", "base_level", "start", "end", "levels"),
    [
        ("\u05d0 b ", 1, 0, 4, [1, 1, 2, 1]),
        ("\u05d0 b ", 1, 0, 2, [1, 1]),
        ("a\u05d0 \t\u05d1", 0, 0, 5, [0, 1, 0, 0, 1]),
        ("\u05d0\u202b \u202c", 0, 0, 4, [1, 0, 0, 0]),
        ("\u05d0 \u05d1 c", 0, 0, 2, [1, 0]),
        ("\u05d0\u2066\u2069\u05d1", 0, 0, 3, [1, 0, 0]),
    ],
)
def test_line_levels_reset_trailing_whitespace_and_separators(text, base_level, start, end, levels):
    par = analyse_paragraph(text, base_level)
    assert line_levels(par, text, start, end) == levels


@pytest.mark.parametrize(
    ("levels", "order"),
    [
        ([], []),
        ([0, 0, 0], [0, 1, 2]),
        ([1, 1, 1], [2, 1, 0]),
        ([0, 1, 1, 0], [0, 2, 1, 3]),
        ([1, 2, 2, 1], [3, 1, 2, 0]),
        ([0, 1, 2, 2, 1, 0], [0, 4, 2, 3, 1, 5]),
        ([2, 2, 0, 3], [0, 1, 2, 3]),
    ],
)
def test_visual_order(levels, order):
    assert visual_order(levels) == order


def l2_reference(levels: list[int]) -> list[int]:
    """Rule L2 as UAX #9 words it: from the highest level down to the lowest odd one,
    reverse every run of characters at that level or higher, one index at a time."""
    order = list(range(len(levels)))
    shown = list(levels)
    for level in range(max(levels, default=0), (min(levels, default=1) | 1) - 1, -1):
        start = 0
        while start < len(shown):
            if shown[start] < level:
                start += 1
                continue
            end = start
            while end < len(shown) and shown[end] >= level:
                end += 1
            order[start:end] = order[start:end][::-1]
            shown[start:end] = shown[start:end][::-1]
            start = end
    return order


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_visual_order_reverses_runs_as_l2_says(data):
    # Lines with one, two (the usual mixed line) or more levels, odd or even, adjacent or not.
    present = data.draw(st.lists(st.integers(0, 7), min_size=1, max_size=4, unique=True))
    levels = data.draw(st.lists(st.sampled_from(present), max_size=30))
    assert visual_order(levels) == l2_reference(levels)


@pytest.mark.parametrize(
    ("char", "glyph"),
    [
        ("(", ")"),
        (")", "("),
        ("[", "]"),
        ("«", "»"),
        ("∈", "∋"),
        ("a", None),
        ("\u05d0", None),
    ],
)
def test_mirrored(char, glyph):
    assert mirrored(char) == glyph


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", False),
        ("plain ASCII 123 (x)", False),
        ("ਪੰਜਾਬੀ 中文", False),
        ("a\u0660", True),
        ("a\u200f", True),
        ("\u2067", True),
        ("\u202a", True),
        ("\U00010900", True),
        ("\U0001d173 \U00020000", False),
    ],
)
def test_has_rtl(text, expected):
    assert has_rtl(text) is expected


def test_pure_ltr_fast_path_skips_the_algorithm(monkeypatch):
    def fail(text: str) -> str:
        raise AssertionError("the pure-LTR fast path classified the text")

    monkeypatch.setattr(bidi, "classify", fail)
    par = analyse_paragraph("ਪੰਜਾਬੀ soft\u00adhyphen", 0)
    assert par == ParagraphBidi(0, bytes(18), frozenset({11}), True)


def test_pure_ltr_only_when_every_level_is_zero():
    assert analyse_paragraph("abc", 1).pure_ltr is False
    assert analyse_paragraph("abc \u202aabc\u202c", None).pure_ltr is False
    assert analyse_paragraph("abc \u202dabc\u202c", None).pure_ltr is False
    assert analyse_paragraph("\u2066abc\u2069", None).pure_ltr is False
    assert analyse_paragraph("a\u202cb\u2069", None).pure_ltr is True


def test_invalid_base_level_is_refused():
    with pytest.raises(ValueError):
        analyse_paragraph("abc", 2)


def test_seed_paragraphs_are_right_to_left():
    path = next(seeds_dir().glob("001_*.txt"))
    paragraphs = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    for paragraph in paragraphs:
        par = analyse_paragraph(paragraph)
        assert par.base_level == 1
        assert min(par.levels) == 1


@pytest.mark.parametrize(
    ("code_point", "name"),
    [
        (0x05C8, "R"),
        (0x07BF, "AL"),
        (0x10EFD, "AL"),
        (0x20C1, "ET"),
        (0x2065, "BN"),
        (0xFDD0, "BN"),
        (0x1FFFE, "BN"),
        (0x0378, "L"),
        (0x0041, "L"),
    ],
)
def test_unassigned_code_points_take_their_block_default(code_point, name):
    assert bidi_class(code_point) == name


def _in_ranges(code_point: int, ranges) -> bool:
    return any(low <= code_point <= high for low, high in ranges)


def test_candidate_ranges_cover_every_rtl_and_bn_character():
    rtl_names = {"R", "AL", "AN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
    outside = [
        hex(code_point)
        for code_point in range(0x110000)
        if (name := unicodedata.bidirectional(chr(code_point)))
        and (
            (name in rtl_names and not _in_ranges(code_point, RTL_CANDIDATES))
            or (name == "BN" and not _in_ranges(code_point, BN_CANDIDATES))
        )
    ]
    assert outside == []
    assert all(default in ("R", "AL") for _, _, default in RTL_BLOCK_DEFAULTS)


def test_the_generated_bidi_tables_are_current():
    """Regenerate with ``python -m tui.text.bidi_properties > tui/text/bidi_tables.py``."""
    shipped = (Path(bidi_properties.__file__).with_name("bidi_tables.py")).read_text(encoding="utf-8")
    assert shipped == bidi_properties.table_module_source()


def test_precomputed_sets_match_the_ones_derived_at_run_time():
    assert bidi_properties._generated_ranges("RTL_RANGES") is not None
    assert bidi_properties.rtl_characters() == bidi_properties.character_set(
        bidi_properties._character_ranges(RTL_CANDIDATES, "RAN123456789")
    )
    assert bidi_properties.bn_characters() == bidi_properties.character_set(
        bidi_properties._character_ranges(BN_CANDIDATES, "b")
    )
    assert bidi_properties.mirroring_glyphs() == bidi_properties._parsed_mirroring_glyphs()


def test_another_unicode_version_derives_the_sets_again():
    with patch.object(bidi_tables, "UNIDATA_VERSION", "0.0.0"):
        assert bidi_properties._generated_ranges("RTL_RANGES") is None


def test_importing_bidi_loads_no_ui_library_and_parses_no_data():
    probe = (
        "import sys, tui.text.bidi as b, tui.text.bidi_properties as p;"
        "print(sorted({'textual', 'rich'} & set(sys.modules)),"
        " p.paired_brackets.cache_info().currsize, p.mirroring_glyphs.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["[]", "0", "0"]


# Properties over text mixing every kind of character the algorithm treats differently.
MIXED_ALPHABET = (
    "abcXYZ"
    "\u05d0\u05d1\u05d2"
    "\u0627\u0644\u0645\u0628"
    "0123\u0660\u0661\u06f1"
    "+-$%#,.:/"
    "()[]{}<>\u2329\u232a\u3008\u3009\u00ab\u00bb"
    "\u0300\u064e\u05b8"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\u200e\u200f\u061c\u00ad\u200d"
    " \t\u3000!?\u2029"
)
mixed_text = st.text(alphabet=st.sampled_from(MIXED_ALPHABET), max_size=60)
base_levels = st.sampled_from([None, 0, 1])


@settings(max_examples=300, deadline=None)
@given(mixed_text, base_levels)
def test_levels_are_parallel_and_bounded(text, base_level):
    par = analyse_paragraph(text, base_level)
    assert len(par.levels) == len(text)
    assert all(par.base_level <= level <= 126 for level in par.levels)
    assert par.pure_ltr == (not any(par.levels))
    assert par.removed == frozenset(
        i for i, letter in enumerate(classify(text)) if letter in "b12345"
    )
    if base_level is not None:
        assert par.base_level == base_level


@settings(max_examples=300, deadline=None)
@given(mixed_text, base_levels, st.data())
def test_any_line_orders_to_a_permutation(text, base_level, data):
    par = analyse_paragraph(text, base_level)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    levels = line_levels(par, text, start, end)
    assert len(levels) == end - start
    assert sorted(visual_order(levels)) == list(range(end - start))


@settings(max_examples=200, deadline=None)
@given(mixed_text)
def test_has_rtl_agrees_with_the_classes(text):
    assert has_rtl(text) == any(letter in "RAN123456789" for letter in classify(text))


@given(st.integers(0, 126), st.integers(0, 50))
def test_reversing_a_single_level_line_twice_is_identity(level, length):
    order = visual_order([level] * length)
    assert [order[i] for i in order] == list(range(length))
    assert order == (list(range(length))[::-1] if level % 2 else list(range(length)))


LTR_ALPHABET = "abc \t,.!?-+$0123()[]\u0300\u00ad\u200d\u0a15\u2029"


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(LTR_ALPHABET), max_size=40),
    st.sampled_from([None, 0]),
)
def test_pure_ltr_fast_path_agrees_with_the_full_algorithm(text, base_level):
    fast = analyse_paragraph(text, base_level)
    with patch.object(bidi, "has_rtl", lambda _: True):
        full = analyse_paragraph(text, base_level)
    assert fast == full


FRIBIDI_ALPHABET = "abcd\u05d0\u05d1\u0627\u0644\u0645 0123\u0660\u0661.,:-+$%!?/()[]"
"""No marks: FriBidi's command line puts a mark after its base (rule L3), which UAX #9
leaves to the renderer."""


def _random_lines(count: int, seed: int) -> list[str]:
    chooser = random.Random(seed)
    return [
        "".join(chooser.choice(FRIBIDI_ALPHABET) for _ in range(chooser.randint(1, 30)))
        for _ in range(count)
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("direction", "base_level"), [("--wltr", None), ("--ltr", 0), ("--rtl", 1)]
)
def test_visual_order_matches_gnu_fribidi(direction, base_level):
    fribidi = require_tool("fribidi", "GNU FriBidi cross-checks the visual order (apt-get install libfribidi-bin)")
    lines = _random_lines(400, seed=base_level or 7)
    result = subprocess.run(
        [fribidi, "--nobreak", "--nopad", "--novisual", "--vtol", "--levels", direction],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    rows = result.stdout.splitlines()
    mismatches = []
    for number, text in enumerate(lines):
        expected_order = [int(field) for field in rows[2 * number].split()]
        expected_levels = [int(field) for field in rows[2 * number + 1].split()]
        levels = _line(text, base_level)[1]
        if (visual_order(levels), levels) != (expected_order, expected_levels):
            mismatches.append((text, expected_order, visual_order(levels), expected_levels, levels))
    assert mismatches == []
