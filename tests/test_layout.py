"""The layout engine's promises, one case each."""

from __future__ import annotations

import pytest

from tui.locations import seeds_dir
from tui.text.layout import (
    FLAG_SYMBOL,
    LayoutOptions,
    _shown_clusters,
    _unit_bounds,
    analyse,
    break_rows,
    display_line,
    layout_paragraph,
)
from tui.text.shaping import shape
from tui.text.width import get_width_model

KINSOKU_START = set("、。，．：；？！）」』】〕〉》”")


def rows_text(text, width, **kw):
    return [r.text() for r in layout_paragraph(text, width, LayoutOptions(**kw))]


def test_chinese_breaks_between_ideographs_and_never_starts_a_row_with_closing_punctuation():
    text = "很多年後，面對已成巨頭的阿裡巴巴和首富馬雲，上海市領導發出瞭這樣的感慨：「我為失去這樣一個企業感到遺憾。」"
    # From 6 cells on every row can obey; at 4, "憾。」" (6 cells, no opportunity) cannot.
    for width in range(6, 40):
        rows = layout_paragraph(text, width)
        for row in rows:
            assert row.cell_width <= width
            assert text[row.start] not in KINSOKU_START, (width, text[row.start:row.end])
            assert text[row.end - 1] not in "（「『【〔〈《“" or row.end == len(text)


def test_wide_characters_never_straddle_the_edge():
    rows = layout_paragraph("中文字𠀋𠀋", 5)
    assert [r.cell_width for r in rows] == [4, 4, 2]


def test_leading_indentation_is_never_a_row_of_its_own():
    text = "  " + "很多年後面對已成巨頭" * 3
    rows = layout_paragraph(text, 10)
    assert rows[0].text().startswith("  很")
    assert all(r.text().strip() for r in rows)


def test_unbreakable_run_folds_at_a_cluster_boundary():
    text = "ਪ੍ਰਕਿਰਿਆ" * 6
    rows = layout_paragraph(text, 7)
    for row in rows:
        assert row.cell_width <= 7
        # A Gurmukhi conjunct is never split: no row starts with a virama or a vowel sign.
        assert text[row.start] not in "\u0a4d\u0a3f\u0a3e\u0a40"


def test_rtl_paragraph_is_right_aligned_and_reversed():
    rows = layout_paragraph("مرحبا بالعالم", 20)
    assert rows[0].rtl
    assert rows[0].xs[0] == 20 - rows[0].cell_width + rows[0].xs[0] - rows[0].xs[0] or rows[0].xs[0] > 0
    assert rows[0].cell_width == 20
    # Logical start is at the right edge.
    assert rows[0].starts[-1] == 0


def test_brackets_are_mirrored_in_rtl_runs():
    row = layout_paragraph("أعلن (53 مليار) دولار", 40)[0]
    shown = row.text()
    # Visual order left to right: the logical ")" shows first as "(" and vice versa.
    assert shown.index("(") < shown.index("53") < shown.index(")")
    # The cell that shows "(" is the logical ")".
    x = row.xs[row.glyphs.index("(")]
    assert "أعلن (53 مليار) دولار"[row.offset_at(x)] == ")"


def test_lam_alef_ligature_maps_back_to_both_letters():
    text = "لا"
    row = layout_paragraph(text, 10)[0]
    assert row.text() == "\ufefb"
    assert row.spans(0, 1) == row.spans(1, 2) == [(row.xs[0], row.xs[0] + 1)]
    assert (row.starts[0], row.ends[0]) == (0, 2)


def test_harakat_are_kept_after_their_base():
    text = "مِنْ"
    shown = layout_paragraph(text, 10)[0].text()
    assert "\u0650" in shown and "\u0652" in shown
    assert shown.index("\u0650") == shown.index("\ufee3") + 1


def test_selection_across_a_direction_boundary_is_several_spans():
    text = "abc مرحبا def"
    row = layout_paragraph(text, 40)[0]
    spans = row.spans(1, 6)  # "bc " plus the first two Arabic letters
    assert len(spans) == 2


def test_escape_sequences_become_visible_symbols():
    text = "a\x1b[2Jb\x1b]0;title\x07c"
    row = layout_paragraph(text, 40)[0]
    assert "\x1b" not in row.text() and "\x07" not in row.text()
    assert "\u241b" in row.text()
    assert any(f & FLAG_SYMBOL for f in row.flags)


def test_bidi_overrides_are_shown_not_hidden():
    text = "user\u202eexe.txt"
    shown = layout_paragraph(text, 40)[0].text()
    assert "⇐" in shown


def test_gurmukhi_spacing_vowels_measure_per_model():
    text = "ਕਿ"
    assert layout_paragraph(text, 10, LayoutOptions(width_model=get_width_model("xterm")))[0].cell_width == 2
    assert layout_paragraph(text, 10, LayoutOptions(width_model=get_width_model("kitty")))[0].cell_width == 1


def test_a_lone_combining_mark_gets_a_dotted_circle():
    assert layout_paragraph("\u0301x", 10)[0].text().startswith("\u25cc\u0301")


def test_terminal_bidi_mode_keeps_logical_order_unshaped():
    text = "مرحبا"
    row = layout_paragraph(text, 10, LayoutOptions(reorder=False))[0]
    assert row.text() == "\u200f" + text  # a right-to-left mark sets the row's direction
    assert row.xs[0] == 0


@pytest.mark.parametrize(
    "title,width,expected",
    [
        ("Hello", 10, "Hello"),
        ("Hello world", 6, "Hello…"),
        ("مرحبا", 10, "\ufe8e\ufe92\ufea3\ufeae\ufee3"),
    ],
)
def test_display_line(title, width, expected):
    assert display_line(title, width) == expected


def test_break_rows_is_width_independent_analysis():
    par = analyse("one two three four five six", 0)
    assert break_rows(par, 9) != break_rows(par, 20)
    assert break_rows(par, 1000) == (0, par.unit_count)


def test_display_line_in_terminal_bidi_mode_stays_logical():
    assert display_line("مرحبا", 10, LayoutOptions(reorder=False)) == "مرحبا"


def _shown_by_slicing(bounds: list[int], shaped) -> list[str]:
    """Each unit's slice of the shaped text with its ligatures in place, the general way."""
    shown = []
    for a, b in zip(bounds, bounds[1:]):
        parts, position = [], a
        for start, end, fused in shaped.ligatures:
            if a <= start < b:
                parts += [shaped.text[position:start], fused]
                position = end
        shown.append("".join(parts) + shaped.text[position:b])
    return shown


@pytest.mark.parametrize(
    "text",
    [
        "لا",
        "قال الله لا إله إلا هو",
        "لَا وَلَّا",  # a diacritic inside a lam-alef: its clusters are not one code point each
        "سلام ١٢٣ (AGI) لأن الإسلام",
        "e\u0301 لا",
        "",
    ],
)
def test_units_show_the_same_with_or_without_the_one_code_point_shortcut(text):
    shaped = shape(text)
    bounds = _unit_bounds(text, shaped) if text else [0]
    assert _shown_clusters(bounds, shaped) == _shown_by_slicing(bounds, shaped)


def test_units_of_every_arabic_seed_paragraph_show_as_sliced():
    seed = (seeds_dir() / "001_8fee35915be30630.txt").read_text(encoding="utf-8")
    for paragraph in seed.split("\n"):
        shaped = shape(paragraph)
        bounds = _unit_bounds(paragraph, shaped) if paragraph else [0]
        assert _shown_clusters(bounds, shaped) == _shown_by_slicing(bounds, shaped), paragraph
