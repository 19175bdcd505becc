"""Every shortcut of the layout engine gives what the straightforward way gives.

The references below are the engine's earlier, plainer code: a paragraph analysed and each
row laid out on its own (rule L1 and L2 per row through ``bidi.line_levels`` and
L2 as UAX #9 words it, units found by filtering, breaks mapped through a dict), shaping put
together word by word, kinsoku checked offset by offset, joining asked character by
character. Hypothesis compares them with the engine on text mixing every script, control
and hazard the engine must survive, under every layout option.
"""

from __future__ import annotations

import subprocess
import sys
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bidi import l2_reference
from test_layout_properties import PIECES

from tui.text import bidi, bidi_properties, bidi_tables, graphemes, joining, joining_tables, shaping
from tui.text.layout import (
    FLAG_SPACE,
    RLM,
    LayoutOptions,
    Row,
    _glyphs_for,
    _right_to_left,
    _shown_clusters,
    analyse,
    break_rows,
    layout_row,
)
from tui.text.linebreak import (
    MANDATORY_BREAK_AFTER,
    NO_LINE_END,
    NO_LINE_START,
    line_break_opportunities,
    uax14_breaks,
)
from tui.text.run_shaping import written_for_run_shaping
from tui.text.units import mirror_table, unit_bounds, unit_columns
from tui.text.utf16 import without_surrogates
from tui.text.width import get_width_model

MORE = [*PIECES, "\u0644\u064e\u0627", "الله أكبر", "٣", "١٢٣٤", "%", "$", "+", "-", ",", ".", "/", ":", "\u2067(", ")\u2069", "<", ">", "{", "}", "\u00a0", "\u3000", "ー", "…", "（", "）", "“", "”", "\r", "\x1c"]
texts = st.lists(st.sampled_from(MORE), min_size=0, max_size=40).map("".join)
options = st.builds(
    LayoutOptions,
    width_model=st.sampled_from(["xterm", "kitty"]).map(get_width_model),
    reorder=st.booleans(),
    terminal_shapes=st.booleans(),
    base_level=st.sampled_from([None, 0, 1]),
)


def reference_analysis(text: str, par_options: LayoutOptions) -> tuple:
    """Units, glyphs, widths, flags and breaks the plain way."""
    text = without_surrogates(text)
    if not par_options.reorder:
        s = shaping.ligatures_only(text)
    elif par_options.terminal_shapes:
        s = shaping.unshaped(text)
    else:
        s = reference_shape(text)
    if text:
        clusters = graphemes.grapheme_boundaries(text)
        inside = {b for start, end, _ in s.ligatures for b in range(start + 1, end)}
        bounds = [b for b in clusters if b not in inside]
    else:
        bounds = [0]
    cache = _glyphs_for(par_options)
    units = [cache[shown] for shown in _shown_clusters(bounds, s)]
    glyphs, widths, flags = zip(*units) if units else ((), (), ())
    breaks: list[int] = []
    if text:
        unit_of = {b: k for k, b in enumerate(bounds)}
        n = len(units)
        breaks = [k for o in reference_opportunities(text) if (k := unit_of.get(o)) is not None and 0 < k < n]
    return tuple(bounds), glyphs, widths, bytes(flags), tuple(breaks), tuple(accumulate(widths, initial=0))


def reference_row(par, first: int, last: int, width: int, options: LayoutOptions) -> Row:
    """One row laid out on its own, as the engine did before it kept per-paragraph levels."""
    base = par.start
    bounds = par.bounds
    flags = par.flags
    widths = list(par.widths[first:last])
    total = sum(widths)
    if total > width:
        k = last - 1
        while total > width and k >= first and flags[k] & FLAG_SPACE:
            total -= widths[k - first]
            widths[k - first] = 0
            k -= 1
    glyphs = list(par.glyphs[first:last])
    starts = [base + b for b in bounds[first:last]]
    ends = [base + b for b in bounds[first + 1 : last + 1]]
    row_flags = flags[first:last]
    if par.bidi is not None and last > first:
        a, b = bounds[first], bounds[last]
        char_levels = bidi.line_levels(par.bidi, par.text, a, b)
        levels = [char_levels[bounds[k] - a] for k in range(first, last)]
        order = l2_reference(levels)
        mirror = mirror_table()
        glyphs = [(mirror.get(g, g) if level & 1 else g) for g, level in zip(glyphs, levels)]
        pick = itemgetter(*order) if len(order) > 1 else (lambda seq: (seq[order[0]],))
        glyphs = list(pick(glyphs))
        widths = list(pick(widths))
        starts = list(pick(starts))
        ends = list(pick(ends))
        row_flags = bytes(pick(row_flags))
    rtl = par.base_level == 1
    indent = max(width - total, 0) if rtl and options.reorder else 0
    xs = [indent, *accumulate(widths, initial=indent)][1:-1] if widths else []
    if 0 in widths:
        glyphs = [g if w else "" for g, w in zip(glyphs, widths)]
    if options.terminal_shapes and par.bidi is not None:
        glyphs = written_for_run_shaping(glyphs, widths, row_flags)
    elif not options.reorder and _right_to_left(par.text, options.base_level):
        lead = next((k for k, w in enumerate(widths) if w), None)
        if lead is not None:
            glyphs[lead] = RLM + glyphs[lead]
    return Row(base + bounds[first], base + bounds[last], tuple(xs), tuple(widths), tuple(glyphs),
               tuple(starts), tuple(ends), bytes(row_flags), rtl, indent + total)


def reference_shape(text: str) -> shaping.Shaped:
    """A paragraph shaped word by word in a loop."""
    if not shaping.has_arabic(text):
        return shaping.unshaped(text)
    shaping._remember_runs({m.group() for m in shaping._patterns()[2].finditer(text)}.difference(shaping._SHAPED_RUNS))
    pieces: list[str] = []
    ligatures: list[tuple[int, int, str]] = []
    changed = False
    position = 0
    for match in shaping._patterns()[2].finditer(text):
        a, b = match.span()
        pieces.append(text[position:a])
        run = shaping._SHAPED_RUNS[match.group()]
        changed = changed or run.changed
        pieces.append(run.text)
        ligatures.extend((a + start, a + end, shown) for start, end, shown in run.ligatures)
        position = b
    pieces.append(text[position:])
    if not changed:
        return shaping.unshaped(text)
    return shaping.Shaped("".join(pieces), tuple(ligatures), True)


def reference_opportunities(text: str) -> list[int]:
    end = len(text)
    return [
        offset
        for offset in uax14_breaks(text)
        if offset == end
        or text[offset - 1] in MANDATORY_BREAK_AFTER
        or (text[offset] not in NO_LINE_START and text[offset - 1] not in NO_LINE_END)
    ]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.integers(min_value=1, max_value=50), options, st.integers(min_value=0, max_value=3))
def test_rows_equal_rows_laid_out_one_by_one(text, width, layout_options, start):
    par = analyse(text, start, layout_options)
    bounds, glyphs, widths, flags, breaks, cells = reference_analysis(text, layout_options)
    assert (par.bounds, par.glyphs, tuple(par.widths), par.flags, par.breaks, tuple(par.cells)) == (bounds, glyphs, widths, flags, breaks, cells)
    assert tuple(par.offsets) == tuple(start + b for b in bounds)
    cuts = break_rows(par, width)
    for i in range(len(cuts) - 1):
        assert layout_row(par, cuts[i], cuts[i + 1], width, layout_options) == reference_row(
            par, cuts[i], cuts[i + 1], width, layout_options
        ), (text, width, i)


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_any_slice_of_a_paragraph_is_laid_out_like_one_line(text, data):
    """Rows the greedy breaker would never cut (any first and last unit) agree too."""
    layout_options = LayoutOptions(base_level=data.draw(st.sampled_from([None, 0, 1])))
    par = analyse(text, 0, layout_options)
    n = par.unit_count
    first = data.draw(st.integers(min_value=0, max_value=n))
    last = data.draw(st.integers(min_value=first, max_value=n))
    width = data.draw(st.integers(min_value=1, max_value=80))
    assert layout_row(par, first, last, width, layout_options) == reference_row(par, first, last, width, layout_options)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_a_paragraph_is_shaped_as_word_by_word(text):
    assert shaping.shape(text) == reference_shape(text)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_kinsoku_scans_reject_what_checking_each_offset_rejects(text):
    assert line_break_opportunities(text) == reference_opportunities(text)


@settings(max_examples=500, deadline=None)
@given(st.text(st.one_of(st.sampled_from("".join(MORE)), st.characters()), max_size=12))
def test_the_common_character_scan_answers_as_the_full_table(text):
    joining = graphemes._joining()
    assert joining is not None
    assert graphemes.may_join(text) == any(joining[ch] for ch in text)


@settings(max_examples=500, deadline=None)
@given(st.text(st.one_of(st.sampled_from("".join(MORE)), st.characters(codec=None)), max_size=30))
def test_classes_looked_up_by_page_equal_classes_looked_up_per_character(text):
    assert bidi_properties.classify(text) == text.translate(bidi_properties._CLASS_TABLE)


def test_generated_class_pages_equal_pages_derived_at_run_time():
    for page in (0x00, 0x06, 0x20, 0x4E, 0xFE):
        generated = bidi_properties._generated_class_page(page)
        with patch.object(bidi_tables, "UNIDATA_VERSION", "0.0.0"):
            assert bidi_properties._generated_class_page(page) is None
            assert bidi_properties._class_page(page) == generated


@settings(max_examples=500, deadline=None)
@given(st.text(st.one_of(st.sampled_from("".join(MORE)), st.characters(codec=None)), max_size=30))
def test_rtl_looked_up_by_page_equals_the_compiled_character_set(text):
    assert bidi.has_rtl(text) == (not text.isascii() and bidi_properties.rtl_characters().found_in(text))


LETTERS = st.sampled_from(sorted(set(joining_tables.FORMS) | set(joining_tables.AS_IS) | set(joining_tables.HARAKAT)) + ["\u0627\u0644\u0644\u0647", "\u0644\u0627", "\u0644\u0623", "\u0644\u0622", "\u0644\u0625", "\u0640"])


@settings(max_examples=1000, deadline=None)
@given(st.lists(LETTERS, min_size=1, max_size=10).map("".join))
def test_words_joined_without_the_reshaper_equal_the_reshapers(word):
    if joining.can_join(word):
        assert joining.join(word) == shaping._reshape(word)


def test_the_joining_table_is_current():
    """Regenerate with ``python -m tui.text.joining > tui/text/joining_tables.py``."""
    shipped = Path(joining.__file__).with_name("joining_tables.py").read_text(encoding="utf-8")
    assert shipped == joining.table_module_source()
    assert shaping._joins_without_reshaper()


def test_a_screen_of_plain_arabic_words_loads_no_reshaper():
    probe = (
        "import sys; from tui.text.layout import layout_paragraph;"
        "layout_paragraph('أعلنت مجموعة علي بابا عن خطة بقيمة ٣٨٠ مليار، لا الله مِنْ لَا', 20);"
        "print('arabic_reshaper' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@given(
    st.one_of(st.text(st.characters(max_codepoint=0x7F)), texts),
    st.sampled_from(["xterm", "kitty"]),
    st.integers(min_value=1, max_value=8),
)
def test_unit_columns_equal_each_unit_looked_up(text, model, tab_width):
    layout_options = LayoutOptions(width_model=get_width_model(model), tab_width=tab_width)
    text = without_surrogates(text)
    shaped = shaping.shape(text)
    bounds = unit_bounds(text, shaped) if text else [0]
    cache = _glyphs_for(layout_options)
    units = [cache[shown] for shown in _shown_clusters(bounds, shaped)]
    glyphs, widths, flags = zip(*units) if units else ((), (), ())
    found_glyphs, found_widths, found_flags = unit_columns(bounds, shaped, cache)
    assert (found_glyphs, tuple(found_widths), found_flags) == (glyphs, widths, bytes(flags))
