"""Properties of the layout engine over text mixing every script and hazard it must survive."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.text.layout import FLAG_SPACE, LayoutOptions, analyse, break_rows, layout_row
from tui.text.width import get_width_model

PIECES = [
    "abc", "Hello", " ", "  ", "\t", "42", "3.14", "(", ")", "[", "]", "«", "»",
    "مرحبا", "لا", "الله", "مِنْ", "٣٤", "(53 مليار)", "،", "؟",
    "שלום", "עִבְרִית",
    "中文", "很多年後", "，", "。", "「", "」", "：", "𠀋", "𠀋𠀋",
    "ਪੰਜਾਬੀ", "ਕਿ", "ਪ੍ਰ", "।", "॥",
    "e\u0301", "\u0301", "\u200d", "\u200b", "\ufeff",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u200e", "\u200f", "\u061c",
    "\x1b[2J", "\x07", "\x00", "\x7f", "\x85", "\x9b", "\u2028",
]

texts = st.lists(st.sampled_from(PIECES), min_size=0, max_size=40).map("".join)
widths = st.integers(min_value=2, max_value=60)
models = st.sampled_from(["xterm", "kitty"])

C0_C1 = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]}


def _rows(text: str, width: int, model: str):
    options = LayoutOptions(width_model=get_width_model(model))
    par = analyse(text, 0, options)
    cuts = break_rows(par, width)
    return par, cuts, [layout_row(par, cuts[i], cuts[i + 1], width, options) for i in range(len(cuts) - 1)]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, widths, models)
def test_rows_tile_the_paragraph(text, width, model):
    _par, _cuts, rows = _rows(text, width, model)
    assert rows[0].start == 0
    assert rows[-1].end == len(text)
    for a, b in zip(rows, rows[1:]):
        assert a.end == b.start


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, widths, models)
def test_every_row_fits_and_widths_add_up(text, width, model):
    wm = get_width_model(model)
    _par, _cuts, rows = _rows(text, width, model)
    for row in rows:
        assert row.cell_width <= width, (row, width)
        for _x, w, glyph in zip(row.xs, row.widths, row.glyphs):
            assert wm.cluster_width(glyph) == w
        for a, b, w in zip(row.xs, row.xs[1:], row.widths):
            assert b == a + w


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, widths)
def test_maps_are_consistent_both_ways(text, width):
    _par, _cuts, rows = _rows(text, width, "xterm")
    shown = set()
    for row in rows:
        ranges = sorted(zip(row.starts, row.ends))
        # The visual units are a permutation of the row's logical units, which tile the row.
        assert ranges[0][0] == row.start if ranges else row.start == row.end
        for (_s1, e1), (s2, _e2) in zip(ranges, ranges[1:]):
            assert e1 == s2
        for x, w, s, e in zip(row.xs, row.widths, row.starts, row.ends):
            if w == 0:
                continue
            for cell in range(x, x + w):
                assert row.offset_at(cell) == s
            assert row.spans(s, e) == [(x, x + w)]
            shown.update(range(s, e))
            assert row.cell_of(s) == x
    for i, ch in enumerate(text):
        if i not in shown:
            # Only zero-width characters may go without a cell.
            assert ch in {"\u200d", "\u200b", "\ufeff", "\u200e", "\u200f", "\u061c", " ", "\t"} or unicodedata.category(ch) in {"Mn", "Cf"}, (i, ch)


@settings(max_examples=300, deadline=None)
@given(texts, widths)
def test_no_raw_control_reaches_the_terminal(text, width):
    _par, _cuts, rows = _rows(text, width, "xterm")
    for row in rows:
        assert not (set(row.text()) & C0_C1), row.text()


@settings(max_examples=300, deadline=None)
@given(texts, widths)
def test_trailing_whitespace_is_the_only_thing_that_hangs(text, width):
    par, _cuts, rows = _rows(text, width, "xterm")
    for row in rows:
        for s, w, flag in zip(row.starts, row.widths, row.flags):
            k = par.bounds.index(s)
            if par.widths[k] and not w:
                assert flag & FLAG_SPACE, (text, s)
