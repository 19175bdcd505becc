"""What the reading view draws over the text, and how one row is drawn with it.

:class:`Marks` holds the ranges drawn over the text — tag highlights, search hits, the
passages relations link — in logical offsets, each kind sorted for bisection, with one
version number the view's row cache keys on. :func:`draw_row` turns one engine
:class:`~tui.text.layout.Row` into a strip: the gutter, then the cells with every style
that covers them. Each range is found in a row by asking which cells show it, so it is
exact over right-to-left and mixed rows. Nothing here knows about widgets or focus: the
view hands in the selection, the cursor and the component styles.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.text.layout import FLAG_SYMBOL, Row

HIT_LOOKBEHIND = 4096
"""How far before a row a search hit may start and still reach into it (longest hit found)."""
RELATION_GLYPHS = {1: "→", 2: "←", 3: "↔"}
"""The gutter's second cell on a row holding a relation's source (1), target (2) or both."""


@dataclass(frozen=True, slots=True)
class Highlight:
    """A logical range drawn with a style (tag colours, search hits)."""

    start: int
    end: int
    style: Style
    mark: Style | None = None
    """The gutter mark of rows that carry this highlight (annotations), if any."""
    glyph: str = "▌"
    """The one-cell character of that mark (another annotator's initial, say)."""


@dataclass(frozen=True, slots=True)
class RowStyles:
    """The view's component styles a row is drawn with."""

    cursor: Style
    selection: Style
    symbol: Style
    search: Style
    search_current: Style
    gutter: Style


class Marks:
    """Tag highlights, search hits and relation ends, each replaced whole when it changes."""

    def __init__(self) -> None:
        self.highlights: list[Highlight] = []
        self._highlight_starts: list[int] = []
        self._max_highlight_len = 0
        self.hits: list[tuple[int, int]] = []
        self.current_hit: int | None = None
        self._relation_ends: list[tuple[int, int, int]] = []
        """(start, end, 1 source / 2 target) of each annotation a relation links, by start."""
        self.version = 0
        """Bumped when the hits or relation ends change: rows drawn before may be out of
        date. Highlights are not counted here: a row's cache key holds the highlights on it
        (see :meth:`overlapping`), so a change to one passage redraws only its rows."""

    def set_highlights(self, highlights: list[Highlight], *, presorted: bool = False) -> None:
        """Draw these ranges; ``presorted`` when they already come by (start, end)."""
        self.highlights = highlights if presorted else sorted(highlights, key=lambda h: (h.start, h.end))
        self._highlight_starts = [h.start for h in self.highlights]
        self._max_highlight_len = max((h.end - h.start for h in self.highlights), default=0)

    def set_hits(self, hits: list[tuple[int, int]], current: int | None) -> None:
        self.hits = hits
        self.current_hit = current
        self.version += 1

    def set_relation_ends(self, ends: list[tuple[int, int, int]]) -> None:
        self._relation_ends = sorted(ends)
        self.version += 1

    def overlapping(self, start: int, end: int) -> list[Highlight]:
        """Highlights overlapping ``[start, end)``, found by bisection."""
        lo = bisect_left(self._highlight_starts, start - self._max_highlight_len)
        hi = bisect_left(self._highlight_starts, end)
        return [h for h in self.highlights[lo:hi] if h.end > start and h.start < end]

    def hits_in(self, start: int, end: int) -> list[tuple[int, int, bool]]:
        """Hits overlapping ``[start, end)``, each with whether it is the current one."""
        if not self.hits:
            return []
        lo = bisect_left(self.hits, (start - HIT_LOOKBEHIND, 0))
        out = []
        for i in range(lo, len(self.hits)):
            s, e = self.hits[i]
            if s >= end:
                break
            if e > start:
                out.append((s, e, i == self.current_hit))
        return out

    def relation_glyph(self, start: int, end: int) -> str:
        """The gutter's relation mark for a row showing ``[start, end)``, or a space."""
        roles = 0
        for s, e, role in self._relation_ends:
            if s >= end:
                break
            if e > start:
                roles |= role
        return RELATION_GLYPHS.get(roles, " ")


def draw_row(
    row: Row,
    width: int,
    text_width: int,
    base: Style,
    styles: RowStyles,
    marks: Marks,
    selection: tuple[int, int] | None,
    cursor: int | None,
) -> Strip:
    """One row as a strip ``width`` cells wide: the two gutter cells, then the text."""
    overlapping = marks.overlapping(row.start, max(row.end, row.start + 1))
    hits = marks.hits_in(row.start, row.end)
    marked = next((h for h in overlapping if h.mark is not None), None)
    mark = marked.mark if marked is not None else None
    related = marks.relation_glyph(row.start, max(row.end, row.start + 1))
    if related == " ":
        segments = [Segment(f"{marked.glyph} " if marked and mark else "  ", base + mark if mark else base)]
    else:
        segments = [
            Segment(marked.glyph if marked and mark else " ", base + mark if mark else base),
            Segment(related, base + styles.gutter),
        ]
    indent = row.xs[0] if row.xs else 0
    if row.start == row.end:
        indent = max(text_width - 1, 0) if row.rtl else 0
    if indent:
        segments.append(Segment(" " * indent, base))
    painted = paint(row, overlapping)
    combined: dict[tuple[Style, ...], Style] = {}
    run_text: list[str] = []
    run_style = base
    for glyph, s, e, flag, w in zip(row.glyphs, row.starts, row.ends, row.flags, row.widths):
        if not w:
            continue
        layers: tuple[Style, ...] = painted.get(s, ())
        if flag & FLAG_SYMBOL:
            layers = (styles.symbol, *layers)
        for hs, he, current in hits:
            if hs < e and he > s:
                layers = (*layers, styles.search_current if current else styles.search)
        if selection and selection[0] < e and selection[1] > s:
            layers = (*layers, styles.selection)
        if cursor is not None and s <= cursor < e:
            layers = (*layers, styles.cursor)
        style = combined.get(layers)
        if style is None:
            style = combined[layers] = sum(layers, base) if layers else base
        if style != run_style and run_text:
            segments.append(Segment("".join(run_text), run_style))
            run_text = []
        run_style = style
        run_text.append(glyph)
    if run_text:
        segments.append(Segment("".join(run_text), run_style))
    if row.start == row.end and cursor == row.start:
        segments.append(Segment(" ", base + styles.cursor))
    return Strip(segments).adjust_cell_length(width, base)


def paint(row: Row, highlights: list[Highlight]) -> dict[int, tuple[Style, ...]]:
    """For each unit of ``row`` (by logical start) the distinct highlight styles covering it.

    One sweep over the highlights' ends in logical order, so a row under a hundred
    overlapping annotations costs what a row under a few does; a style already applied
    counts once (adding a Rich style twice changes nothing)."""
    if not highlights:
        return {}
    starts = sorted(row.starts)
    events: list[tuple[int, int, Style]] = []
    for h in highlights:
        first = bisect_right(starts, h.start) - 1
        if first < 0:
            first = 0
        last = bisect_left(starts, h.end)
        if first < last:
            events.append((first, 1, h.style))
            events.append((last, -1, h.style))
    events.sort(key=lambda event: (event[0], event[1]))
    active: dict[Style, int] = {}
    painted: dict[int, tuple[Style, ...]] = {}
    current: tuple[Style, ...] = ()
    position = 0
    for index, start in enumerate(starts):
        changed = False
        while position < len(events) and events[position][0] <= index:
            _at, delta, style = events[position]
            count = active.get(style, 0) + delta
            if count > 0:
                active[style] = count
            else:
                active.pop(style, None)
            position += 1
            changed = True
        if changed:
            current = tuple(active)
        if current:
            painted[start] = current
    return painted
