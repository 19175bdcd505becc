"""A paragraph's units joined from its words equal the paragraph analysed whole."""

from __future__ import annotations

from itertools import accumulate
from unittest.mock import patch

from hypothesis import given
from hypothesis import strategies as st
from test_layout_properties import PIECES

from tui.locations import seeds_dir
from tui.text import layout, units, word_units
from tui.text.decode import decode
from tui.text.layout import _WORD_UNITS, LayoutOptions, _glyphs_for, analyse
from tui.text.width import get_width_model
from tui.text.word_units import WordUnits, paragraph_units

HAZARDS = [
    "\u0650",  # a mark: at a word's start it sits on the space before it
    "\u0a3e",  # a Gurmukhi vowel sign (a spacing mark)
    "\u0600",  # ARABIC NUMBER SIGN: a prepended letter joins what follows it, a space too
    "\u200d",
    "\u200c",
    "\u0644\u0627",  # lam-alef: one unit of two letters
    "\u0644\u0651\u0627",
    "\u0a15\u0a4d\u0a30",  # a Gurmukhi conjunct
    "\u0a15\u0a4d",
    "\U0001f600\u200d\U0001f600",
    "\U0001f1eb\U0001f1f7",
    "\ufdfd",
    "e\u0301",
    "\t",
    "\ud800",
]
words = st.lists(st.sampled_from([*PIECES, *HAZARDS]), min_size=0, max_size=5).map("".join)
spaces = st.sampled_from([" ", " ", "  ", "   "])
paragraphs = st.lists(st.tuples(words, spaces), min_size=1, max_size=30).map(lambda pairs: "".join(w + s for w, s in pairs))
option_sets = st.builds(
    LayoutOptions,
    width_model=st.sampled_from(["xterm", "kitty"]).map(get_width_model),
    base_level=st.sampled_from([None, 0, 1]),
    tab_width=st.sampled_from([4, 8]),
)


def analysed_whole(text: str, options: LayoutOptions):
    with patch.object(layout, "paragraph_units", lambda _text, _table: None):
        return analyse(text, 7, options)


def same_analysis(a, b) -> bool:
    """Equal paragraphs, widths compared as numbers, and the same row starts, however each
    found them (``fused`` is a shortcut the whole analysis takes for ligatures only)."""
    if a.breaks != b.breaks:
        return False
    return a._replace(widths=tuple(a.widths), fused=None) == b._replace(widths=tuple(b.widths), fused=None)


@given(paragraphs, st.booleans(), option_sets)
def test_joined_words_give_the_analysis_of_the_whole_paragraph(text: str, trim: bool, options: LayoutOptions) -> None:
    if trim:
        text = text.strip(" ")
    joined = analyse(text, 7, options)
    whole = analysed_whole(text, options)
    assert same_analysis(joined, whole)


def test_every_seed_paragraph_is_joined_from_its_words_as_analysed_whole() -> None:
    options = LayoutOptions()
    _glyphs_for(options)
    joined_paragraphs = 0
    for path in sorted(seeds_dir().glob("*.txt")):
        for text in decode(path.read_bytes()).text.split("\n"):
            joined = paragraph_units(text, _WORD_UNITS[options]) if not text.isascii() else None
            joined_paragraphs += joined is not None
            a, b = analyse(text, 7, options), analysed_whole(text, options)
            assert same_analysis(a, b), path.name
    # The shortcut is taken for most paragraphs of Arabic and Gurmukhi.
    assert joined_paragraphs >= 40


def test_a_word_whose_mark_sits_on_the_space_before_it_is_not_cut_out() -> None:
    table = WordUnits(_glyphs_for(LayoutOptions()))
    text = "\u0628 \u0650\u0628"
    assert paragraph_units(text, table) is None
    assert table["\u0650\u0628"] is None
    entry = table["\u0628"]
    assert entry is not None and entry[0] == b"\x01\x01"


def test_a_word_before_a_space_that_a_prepended_letter_holds_is_not_cut_out() -> None:
    table = WordUnits(_glyphs_for(LayoutOptions()))
    assert paragraph_units("\u0628\u0600 \u0628", table) is None
    assert table["\u0628\u0600"] is None


def test_a_ligature_and_a_conjunct_are_one_unit_each() -> None:
    table = WordUnits(_glyphs_for(LayoutOptions()))
    found = paragraph_units("\u0644\u0627 \u0a15\u0a4d\u0a30", table)
    assert found is not None
    lengths, glyphs, widths, _flags = found
    assert lengths == b"\x02\x01\x03"
    assert glyphs[0] == "\ufefb" and glyphs[1] == " "


def test_a_long_piece_sends_the_paragraph_to_the_whole_analysis_and_is_not_remembered() -> None:
    table = WordUnits(_glyphs_for(LayoutOptions()))
    long_word = "\u0628" * (units.LONGEST_WORD + 1)
    assert paragraph_units(f"\u0628 {long_word}", table) is None
    assert long_word not in table


def test_a_full_memory_is_cleared_and_the_paragraph_still_joined(monkeypatch) -> None:
    monkeypatch.setattr(word_units, "WORDS_LIMIT", 3)
    table = WordUnits(_glyphs_for(LayoutOptions()))
    assert paragraph_units("\u0628 \u062a", table) is not None
    text = "\u062b \u062c \u062d"
    found = paragraph_units(text, table)
    assert found is not None and len(table) == 3
    whole = analysed_whole(text, LayoutOptions())
    assert tuple(accumulate(found[0], initial=0)) == whole.bounds and found[1] == whole.glyphs
