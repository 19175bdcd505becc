"""Rows for each bidi mode, checked against a model of how the terminal draws them."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from reader_harness import ARABIC

from tui.terminal import HIGHLIGHT_CAVEATS, TerminalReport, layout_options
from tui.text.bidi import mirrored
from tui.text.decode import decode
from tui.text.layout import LayoutOptions, Row, layout_paragraph
from tui.text.width import get_width_model

XTERM = get_width_model("xterm")
KITTY_OPTIONS = layout_options("kitty", XTERM)
SEED_LINE = decode(ARABIC.read_bytes()).text.split("\n")[0]


def _starts_rtl(cells: list[str]) -> bool:
    for cell in cells:
        for ch in cell:
            if ch.isascii() and ch.isalpha():
                return False
            if "\u0590" <= ch <= "\u08ff" and ch.isalpha() or "\u0660" <= ch <= "\u0669":
                return True
    return False


def drawn_by_run_shaper(row: Row) -> list[str]:
    """What kitty shows in each cell of a row, as a model: every run of non-blank cells is
    one HarfBuzz buffer, drawn backwards with mirrored brackets when its first letter is
    right-to-left."""
    cells = [glyph for glyph, width in zip(row.glyphs, row.widths) if width]
    drawn: list[str] = []
    run: list[str] = []
    for cell in [*cells, " "]:
        if cell.isspace():
            if run and _starts_rtl(run):
                run = [mirrored(c) or c for c in reversed(run)]
            drawn += run
            run = []
            drawn.append(cell)
        else:
            run.append(cell)
    return drawn[:-1]


WORDS = st.sampled_from(["كتاب", "في", "البيت", "(نص)", "لا", "٢٠٢٤", "2024", "abc", "«قال»", "؟", ".", "كَتَبَ", "[x]"])


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=12), st.integers(min_value=8, max_value=40))
@example(SEED_LINE.split(" "), 60)
@example(["[x]", "«قال»", "؟"], 8)
def test_each_cell_kitty_draws_shows_the_character_the_maps_name(words, width):
    text = " ".join(words)
    for row in layout_paragraph(text, width, KITTY_OPTIONS):
        drawn = drawn_by_run_shaper(row)
        shown = [(s, e) for s, e, w in zip(row.starts, row.ends, row.widths) if w]
        assert len(drawn) == len(shown)
        for cell, (s, e) in zip(drawn, shown):
            original = text[s:e]
            assert cell in (original, mirrored(original) or original), (text, row.text(), original, cell)


def test_kitty_rows_are_unshaped_and_keep_the_app_rows_cells():
    text = "مرحبا بالعالم (نص) 123 abc."
    app = layout_paragraph(text, 40, LayoutOptions(width_model=XTERM))
    kitty = layout_paragraph(text, 40, KITTY_OPTIONS)
    assert not any("\ufb50" <= ch <= "\ufeff" for ch in kitty[0].text())  # no presentation forms
    assert app[0].xs == kitty[0].xs and app[0].starts == kitty[0].starts
    assert kitty[0].text() != "".join(glyph for glyph in drawn_by_run_shaper(kitty[0]))


def test_terminal_mode_rows_stay_logical_and_say_their_direction():
    (row,) = layout_paragraph("مرحبا بالعالم", 40, layout_options("terminal", XTERM))
    assert row.text() == "\u200fمرحبا بالعالم" and row.xs[0] == 0
    (number,) = layout_paragraph("2025.", 40, layout_options("terminal", XTERM, ))
    assert number.text() == "2025."


def test_terminal_mode_gives_lam_alef_one_cell_as_mlterm_does():
    """mlterm draws lam + alef in one cell; written as two, a row ends short and the
    cells left over show the terminal's own background."""
    text = "بلا الاصطناعي"
    (row,) = layout_paragraph(text, 40, layout_options("terminal", XTERM))
    assert row.cell_width == len(text) - 2
    assert "\ufefc" in row.text() and "\ufefb" in row.text()
    lam_alef = row.glyphs.index("\ufefc")
    assert (row.starts[lam_alef], row.ends[lam_alef]) == (1, 3)


def test_the_report_says_what_a_mode_cannot_promise():
    for mode in ("terminal", "kitty"):
        assert HIGHLIGHT_CAVEATS[mode] in TerminalReport(bidi=mode).describe()
    assert "Note:" not in TerminalReport(bidi="app").describe()
