"""Strings from the operating system may hold lone surrogates; the engine must take them.

A ``surrogateescape`` file name or argument reaches the engine as text ICU refuses
(``UnicodeEncodeError``) and no terminal can draw. Each is drawn as U+FFFD and every
offset still indexes the original string.
"""

from __future__ import annotations

import pytest

from tui.text.graphemes import grapheme_boundaries
from tui.text.layout import display_line, layout_paragraph
from tui.text.linebreak import line_break_opportunities
from tui.text.sentences import sentence_boundaries, word_spans
from tui.text.tokens import tokens

NAMES = [
    b"bad\xff\xfe.txt".decode("utf-8", "surrogateescape"),
    "مرحبا\udcff بالعالم",
    "\ud800",
    "文字\udfff。次の文",
    "ਪੰਜਾਬੀ\udc80 ਭਾਸ਼ਾ",
]


@pytest.mark.parametrize("text", NAMES)
def test_segmenters_take_lone_surrogates(text):
    assert grapheme_boundaries(text)[-1] == len(text)
    assert line_break_opportunities(text)[-1] == len(text)
    assert sentence_boundaries(text)[-1] == len(text)
    assert all(0 <= start < end <= len(text) for start, end in word_spans(text))
    assert all(0 <= start < end <= len(text) for start, end in tokens(text))


@pytest.mark.parametrize("text", NAMES)
def test_layout_draws_a_replacement_character_and_keeps_offsets(text):
    shown = display_line(text, 40)
    shown.encode("utf-8")
    assert "\ufffd" in shown
    rows = layout_paragraph(text, 8)
    assert rows[0].start == 0
    assert rows[-1].end == len(text)
    for row in rows:
        for glyph in row.glyphs:
            glyph.encode("utf-8")
