"""Paragraph -> rows -> cells, with maps both ways.

The three pure steps of the engine, in the order FriBidi and ICU use:

1. :func:`analyse` a paragraph once, whatever the width: grapheme clusters (merged with
   Arabic ligature groups) become *units*, each with the text a terminal can draw, its
   width in cells, its bidi level and whether a row may start before it.
2. :func:`break_rows` cuts the units into rows at a width, in logical order
   (:mod:`tui.text.row_breaks`).
3. :func:`layout_row` reorders one row (UAX #9 L1-L2 on units, so marks stay after their
   base — L3 — and brackets are mirrored — L4) and returns a :class:`Row` that maps every
   cell to logical offsets and any logical range to the cell spans that show it.

Offsets in a :class:`Row` are absolute: the paragraph's ``start`` plus the index into it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import accumulate, compress, count, repeat
from operator import add, itemgetter
from typing import NamedTuple

from tui.text import bidi
from tui.text.bidi_lines import visual_runs
from tui.text.controls import display_char
from tui.text.row_breaks import break_rows as break_rows
from tui.text.row_breaks import unit_breaks
from tui.text.run_shaping import written_for_run_shaping
from tui.text.shaping import ligatures_only, shape, unshaped
from tui.text.units import (
    BIDI_CONTROL_SYMBOLS,
    FLAG_SPACE,
    FLAG_SYMBOL,
    Glyphs,
    cut_fused,
    mirror_table,
    shown_clusters,
    unit_bounds,
    unit_columns,
)
from tui.text.utf16 import without_surrogates
from tui.text.width import DEFAULT_WIDTH_MODEL, WidthModel, get_width_model
from tui.text.word_units import WordUnits, paragraph_units

__all__ = [
    "BIDI_CONTROL_SYMBOLS",
    "FLAG_SPACE",
    "FLAG_SYMBOL",
    "LayoutOptions",
    "Paragraph",
    "Row",
    "analyse",
    "break_rows",
    "display_line",
    "inert_controls",
    "layout_paragraph",
    "layout_row",
    "single_row",
]

RLM = "\u200f"
_unit_bounds = unit_bounds
_shown_clusters = shown_clusters


@dataclass(frozen=True, slots=True)
class LayoutOptions:
    """Everything besides the text and the width that a layout depends on."""

    width_model: WidthModel = field(default_factory=lambda: get_width_model(DEFAULT_WIDTH_MODEL))
    reorder: bool = True
    """False for terminals that reorder and shape by themselves: rows stay in logical order."""
    terminal_shapes: bool = False
    """True for terminals that shape each run of non-blank cells and draw a run that starts
    with right-to-left letters backwards, without reordering the row (kitty): rows are laid
    out in visual order, unshaped, and such runs are written back to front so the terminal
    turns them round again. The cell maps still say where each character is seen."""
    base_level: int | None = None
    """Force the paragraph direction (0 LTR, 1 RTL); None takes it from the first strong character."""
    tab_width: int = 4


class Paragraph(NamedTuple):
    """The width-independent analysis of one paragraph (one block of a document).

    Besides what any width needs, it holds what every row of it would otherwise work out
    again: absolute offsets, the levels of its units and which of them mirror.

    Paragraphs and rows are named tuples, not dataclasses: a screen makes hundreds of them,
    a tuple is built five times faster, and defining a frozen dataclass costs most of a
    millisecond at import."""

    start: int
    text: str
    base_level: int
    bounds: tuple[int, ...]
    glyphs: tuple[str, ...]
    widths: Sequence[int]
    """Bytes where no unit is wider than a ligature (as good as a tuple here, and nothing
    for the garbage collector to walk through), else a tuple."""
    flags: bytes
    cells: Sequence[int]
    """``cells[k]``: the width of units ``[0, k)``, so any run's width is a subtraction (a
    ``range`` where every unit is one cell wide)."""
    bidi: bidi.ParagraphBidi | None
    """None when every level is the paragraph's own LTR level (the fast path)."""
    offsets: tuple[int, ...]
    """``start + bounds[k]``: where each unit begins in the document, and where the last ends.
    A tuple, so that rows share its numbers instead of making their own."""
    levels: bytes
    """One level per unit, after the part of rule L1 that is the same for every row; empty
    without :attr:`bidi`."""
    mirrored: tuple[int, ...]
    """Units whose glyph rule L4 mirrors at an odd level, ascending; empty without :attr:`bidi`."""
    found_breaks: list[tuple[int, ...]]
    """Empty until :attr:`breaks` is first asked for, then holding it."""
    fused: tuple[tuple[int, int], ...] | None = None
    """Where units are fewer than code points because a few units (ligatures) hold several:
    the code points after each such unit's first, as ``(start, end)`` from the paragraph's
    end backwards, so that deleting them in turn makes anything per code point per unit.
    Empty when each unit is one code point; None when not worked out (many units are
    clusters of several code points)."""

    @property
    def unit_count(self) -> int:
        return len(self.glyphs)

    @property
    def breaks(self) -> tuple[int, ...]:
        """Unit indices where a row may start (UAX #14 and kinsoku), ascending.

        Found when first asked for: a paragraph that fits its width never is, so a short
        text (a title, a name) is laid out without loading the line breaker."""
        if not self.found_breaks:
            self.found_breaks.append(unit_breaks(self.text, self.bounds, self.fused))
        return self.found_breaks[0]


class Row(NamedTuple):
    """One terminal row: visual units left to right, each with the logical range it shows."""

    start: int
    end: int
    xs: tuple[int, ...]
    widths: tuple[int, ...]
    glyphs: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    flags: bytes
    rtl: bool
    cell_width: int
    """Cells used, indentation included."""

    def text(self) -> str:
        """What the terminal shows, without the leading indentation."""
        return "".join(self.glyphs)

    def offset_at(self, x: int) -> int | None:
        """The logical offset shown at cell ``x`` (None outside the text)."""
        k = bisect_right(self.xs, x) - 1
        while k >= 0 and self.widths[k] == 0:
            k -= 1
        if k < 0 or x >= self.xs[k] + self.widths[k]:
            return None
        return self.starts[k]

    def spans(self, start: int, end: int) -> list[tuple[int, int]]:
        """The cell ranges ``[x0, x1)`` that show any of the logical range ``[start, end)``.

        A range crossing a direction boundary shows as several spans."""
        spans: list[tuple[int, int]] = []
        for x, w, s, e in zip(self.xs, self.widths, self.starts, self.ends):
            if w == 0 or e <= start or s >= end:
                continue
            if spans and spans[-1][1] == x:
                spans[-1] = (spans[-1][0], x + w)
            else:
                spans.append((x, x + w))
        return spans

    def cell_of(self, offset: int) -> int | None:
        """The cell where a cursor at ``offset`` is drawn, or None if the row does not hold it."""
        if not self.start <= offset < self.end:
            return None
        best = None
        for x, w, s, e in zip(self.xs, self.widths, self.starts, self.ends):
            if s <= offset < e:
                if w:
                    return x
                best = x
        return best


_GLYPH_CACHES: dict[LayoutOptions, Glyphs] = {}


_WORD_UNITS: dict[LayoutOptions, WordUnits] = {}
"""The words learnt with each of :data:`_GLYPH_CACHES`, made and forgotten with it."""


def _glyphs_for(options: LayoutOptions) -> Glyphs:
    cache = _GLYPH_CACHES.get(options)
    if cache is None or len(cache) > 200_000:
        cache = _GLYPH_CACHES[options] = Glyphs(options.width_model, options.tab_width)
        _WORD_UNITS[options] = WordUnits(cache)
    return cache


def analyse(text: str, start: int = 0, options: LayoutOptions | None = None) -> Paragraph:
    """Analyse one paragraph (no newline inside) once for every width."""
    options = options or LayoutOptions()
    if not text and not options.base_level:
        # A blank line: every document has many.
        return Paragraph(start, "", 0, (0,), (), (), b"", (0,), None, (start,), b"", (), [()])
    text = without_surrogates(text)
    par_bidi = None
    base_level = 0
    if options.reorder and (bidi.has_rtl(text) or options.base_level):
        par_bidi = bidi.analyse_paragraph(text, options.base_level, rtl=True)
        base_level = par_bidi.base_level
        if par_bidi.pure_ltr and base_level == 0:
            par_bidi = None
    cache = _glyphs_for(options)
    joined = None
    if options.reorder and not options.terminal_shapes and not text.isascii():
        joined = paragraph_units(text, _WORD_UNITS[options])
    # Most units are single code points, the others mostly ligatures: then what is per
    # code point (offsets, levels) becomes per unit by cutting out the letters a ligature
    # fuses, instead of being picked unit by unit.
    fused: list[tuple[int, int]] | None = None
    bounds: Sequence[int]
    widths: Sequence[int]
    if joined is not None:
        lengths, glyphs, widths, flags = joined
        if (len(lengths) - lengths.count(1)) * FEW_FUSED <= len(lengths):
            fused = _fused(lengths)
            bounds = tuple(cut_fused(range(len(text) + 1), fused))
        else:
            bounds = tuple(accumulate(lengths, initial=0))
            offsets = tuple(accumulate(lengths, initial=start))
    else:
        if not options.reorder:
            shaped = ligatures_only(text)
        elif options.terminal_shapes:
            shaped = unshaped(text)
        else:
            shaped = shape(text)
        bounds = unit_bounds(text, shaped) if text else [0]
        glyphs, widths, flags = unit_columns(bounds, shaped, cache)
        fused = [(a + 1, b) for a, b, _shown in reversed(shaped.ligatures)]
        if len(bounds) + sum(b for _a, b in fused) - sum(a for a, _b in fused) != len(text) + 1:
            # Clusters of several code points besides.
            fused = None
    if fused is not None:
        offsets = tuple(cut_fused(range(start, start + len(text) + 1), fused))
    elif joined is None:
        offsets = tuple(map(add, bounds, repeat(start)))
    levels = b""
    mirrored: tuple[int, ...] = ()
    if par_bidi is not None:
        levels = bidi.separator_levels(par_bidi, text)
        if fused is not None:
            levels = bytes(cut_fused(levels, fused))
        else:
            levels = bytes(itemgetter(*bounds[:-1])(levels)) if len(bounds) > 2 else levels[:1]
        mirror = mirror_table()
        if not mirror.keys().isdisjoint(glyphs):
            mirrored = tuple(compress(count(), map(mirror.__contains__, glyphs)))
    return Paragraph(
        start=start,
        text=text,
        base_level=base_level,
        bounds=bounds if isinstance(bounds, tuple) else tuple(bounds),
        glyphs=glyphs,
        widths=widths,
        flags=flags,
        cells=range(len(widths) + 1) if widths.count(1) == len(widths) else tuple(accumulate(widths, initial=0)),
        bidi=par_bidi,
        offsets=offsets,
        levels=levels,
        mirrored=mirrored,
        found_breaks=[],
        fused=None if fused is None else tuple(fused),
    )


FEW_FUSED = 8
"""A paragraph's offsets and levels are cut down to its units where at most one unit in
this many holds several code points (a ligature now and then), else picked unit by unit."""


def _fused(lengths: bytes) -> list[tuple[int, int]]:
    """The code points each unit of several fuses into its first, as ``(after its first,
    its end)``, from the paragraph's end backwards (so each can be cut out in turn)."""
    fused = []
    extra = 0
    for unit in _SEVERAL.finditer(lengths):
        first = unit.start() + extra
        size = lengths[unit.start()]
        fused.append((first + 1, first + size))
        extra += size - 1
    fused.reverse()
    return fused


_SEVERAL = re.compile(rb"[^\x01]")


def layout_row(par: Paragraph, first: int, last: int, width: int, options: LayoutOptions | None = None) -> Row:
    """Lay out units ``[first, last)`` of ``par`` as one visual row ``width`` cells wide."""
    options = options or LayoutOptions()
    flags = par.flags
    widths: Sequence[int] = par.widths[first:last]
    glyphs: Sequence[str] = par.glyphs[first:last]
    levels = _row_levels(par, first, last) if par.bidi is not None and last > first else None
    if levels is not None and par.mirrored:
        glyphs = _mirrored(par, first, last, glyphs, levels)
    zero_width = 0 in widths
    ones = not zero_width and widths.count(1) == len(widths)
    hanging = last
    total = par.cells[last] - par.cells[first]
    if total > width:
        # Hanging whitespace at the logical end of the row gets no cells.
        widths = list(widths)
        while total > width and hanging > first and flags[hanging - 1] & FLAG_SPACE:
            hanging -= 1
            total -= widths[hanging - first]
            widths[hanging - first] = 0
        widths = tuple(widths)
    # Nothing is drawn for a unit without cells.
    if zero_width:
        glyphs = [g if w else "" for g, w in zip(glyphs, widths)]
    elif hanging < last:
        glyphs = [*glyphs[: hanging - first], *[""] * (last - hanging)]
    starts: Sequence[int] = par.offsets[first:last]
    ends: Sequence[int] = par.offsets[first + 1 : last + 1]
    row_flags = flags[first:last]
    reversed_row = False
    if levels is not None:
        if levels.count(levels[0]) == len(levels):
            if levels[0] & 1:
                # One right-to-left level (most rows of Arabic or Hebrew): L2 reverses it.
                glyphs, widths, starts, ends, row_flags = glyphs[::-1], widths[::-1], starts[::-1], ends[::-1], row_flags[::-1]
                reversed_row = True
        else:
            runs = visual_runs(levels)
            glyphs, widths, starts, ends = (_in_runs(column, runs) for column in (glyphs, widths, starts, ends))
            row_flags = b"".join([row_flags[a:b][::-1] if back else row_flags[a:b] for a, b, back in runs])
            # Units of one cell each stay so in any order; hanging whitespace need not end up
            # at one end of a row of several levels.
            ones = ones and hanging == last
    rtl = par.base_level == 1
    indent = max(width - total, 0) if rtl and options.reorder else 0
    if ones:
        # One cell each but the hanging whitespace, which is at one end of the row.
        shown = range(indent, indent + hanging - first)
        hung = (indent + (0 if reversed_row else hanging - first),) * (last - hanging)
        xs = (*hung, *shown) if reversed_row else (*shown, *hung)
    else:
        xs = tuple(accumulate(widths[:-1], initial=indent))
    if options.terminal_shapes and par.bidi is not None:
        glyphs = written_for_run_shaping(list(glyphs), list(widths), row_flags)
    elif not options.reorder and _right_to_left(par.text, options.base_level):
        # A reordering terminal takes each row's direction from its first strong character;
        # a right-to-left mark keeps a row such as "2025." right to left like its paragraph.
        lead = next((k for k, w in enumerate(widths) if w), None)
        if lead is not None:
            glyphs = list(glyphs)
            glyphs[lead] = RLM + glyphs[lead]
    return Row(
        start=par.offsets[first],
        end=par.offsets[last],
        xs=xs,
        widths=tuple(widths),
        glyphs=tuple(glyphs),
        starts=tuple(starts),
        ends=tuple(ends),
        flags=bytes(row_flags),
        rtl=rtl,
        cell_width=indent + total,
    )


def _in_runs(column: Sequence, runs: list[tuple[int, int, bool]]) -> tuple:
    """One column of a row (glyphs, widths, offsets) in the visual order of ``runs``."""
    shown: list = []
    for a, b, back in runs:
        shown += (column[b - 1 : a - 1 : -1] if a else column[b - 1 :: -1]) if back else column[a:b]
    return tuple(shown)


def _row_levels(par: Paragraph, first: int, last: int) -> bytes:
    """The levels of units ``[first, last)`` as one line (rule L1 with the row's end)."""
    assert par.bidi is not None
    levels = par.levels[first:last]
    bounds = par.bounds
    trailing = bidi.trailing_whitespace(par.bidi, par.text, bounds[first], bounds[last])
    if trailing < bounds[last]:
        k = bisect_left(bounds, trailing, first, last)
        if k < last:
            levels = levels[: k - first] + bytes((par.base_level,)) * (last - k)
    return levels


def _mirrored(par: Paragraph, first: int, last: int, glyphs: Sequence[str], levels: bytes) -> Sequence[str]:
    """Rule L4: the row's glyphs with those at odd levels mirrored."""
    mirror = mirror_table()
    low = bisect_left(par.mirrored, first)
    high = bisect_left(par.mirrored, last, low)
    if low == high:
        return glyphs
    shown = list(glyphs)
    for k in par.mirrored[low:high]:
        if levels[k - first] & 1:
            shown[k - first] = mirror[shown[k - first]]
    return shown


@lru_cache(maxsize=1024)
def _right_to_left(text: str, base_level: int | None) -> bool:
    """Whether a paragraph runs right to left, for a terminal that reorders it itself."""
    if base_level is not None:
        return base_level == 1
    return bidi.has_rtl(text) and bidi.analyse_paragraph(text).base_level == 1


def layout_paragraph(text: str, width: int, options: LayoutOptions | None = None, start: int = 0) -> list[Row]:
    """All rows of one paragraph: the three steps in one call, for tests and small texts."""
    options = options or LayoutOptions()
    par = analyse(text, start, options)
    cuts = break_rows(par, width)
    return [layout_row(par, cuts[i], cuts[i + 1], width, options) for i in range(len(cuts) - 1)]


@cache
def _single_row_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Paragraph separators (a single row shows them as pictures instead of breaking) and
    bidi controls; compiled at the first title, not at import."""
    return re.compile("[\n\r\x1c-\x1e\x85\u2029]"), re.compile("[" + "".join(BIDI_CONTROL_SYMBOLS) + "]")


def inert_controls(text: str) -> str:
    """``text`` with bidi controls replaced by their symbols: seen, and without effect.

    For text quoted by the app (a name, a title, a search term), where an RLO must not turn
    round the rest of the line it is shown in."""
    bidi_controls = _single_row_patterns()[1]
    if bidi_controls.search(text) is None:
        return text
    return bidi_controls.sub(lambda match: BIDI_CONTROL_SYMBOLS[match.group()], text)


def single_row(text: str, width: int, options: LayoutOptions | None = None) -> tuple[str, bool]:
    """A short text (a title, a name) as one visual row at most ``width`` cells wide, and
    whether it reads right to left.

    Newlines and other paragraph separators show as pictures and bidi controls are inert
    (see :func:`inert_controls`); a text too wide is cut at a unit boundary and gets an
    ellipsis at its reading end (the left, for a right-to-left row)."""
    options = options or LayoutOptions()
    if width <= 0:
        return "", False
    one = _single_row_patterns()[0].sub(lambda match: display_char(match.group()), inert_controls(text))
    par = analyse(one, 0, options)
    rtl = par.base_level == 1 and options.reorder
    n = par.unit_count
    if par.cells[-1] <= width:
        # A mark would set the direction of the whole terminal line the text stands in.
        return layout_row(par, 0, n, par.cells[-1], options).text().removeprefix(RLM), rtl
    cut = bisect_right(par.cells, width - 1) - 1
    shown = layout_row(par, 0, cut, width - 1, options).text().removeprefix(RLM)
    return ("…" + shown if rtl else shown + "…"), rtl


def display_line(text: str, width: int, options: LayoutOptions | None = None) -> str:
    """The text of :func:`single_row`."""
    return single_row(text, width, options)[0]
