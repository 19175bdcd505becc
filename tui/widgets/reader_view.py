"""The reading surface: a thin Line API view over the engine's rows.

It keeps a reading position (a :class:`~tui.text.pager.Position`), a cursor and an
optional selection, all as logical offsets, and draws only the rows on screen. Every
highlight — selection, cursor, tag colours, search hits — is drawn by asking each row which
cells show a logical range, so it is exact over right-to-left and mixed rows.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from tui.corpus.document import DocumentSource
from tui.text.layout import FLAG_SYMBOL, LayoutOptions, Row
from tui.text.motion import Motion
from tui.text.pager import Pager, Position

GUTTER = 2
"""Cells left of the text: the annotation mark and the relation mark (or a space)."""
RELATION_GLYPHS = {1: "→", 2: "←", 3: "↔"}
"""The gutter's second cell on a row holding a relation's source (1), target (2) or both."""
HIT_LOOKBEHIND = 4096
"""How far before a row a search hit may start and still reach into it (longest hit found)."""
WHEEL_ROWS = 3
"""Rows scrolled by one step of the mouse wheel."""
LINE_CACHE_SIZE = 1024
"""Rendered rows kept (a few screens at any size), as Textual's TextArea keeps."""


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


class ReaderView(Widget, can_focus=True):
    """Rows of a document laid out by the engine, with a cursor and a selection."""

    COMPONENT_CLASSES = {
        "reader--cursor",
        "reader--selection",
        "reader--search",
        "reader--search-current",
        "reader--symbol",
        "reader--gutter",
    }

    DEFAULT_CSS = """
    ReaderView {
        background: $surface;
        color: $foreground;
        height: 1fr;
        padding: 0 1 0 0;
    }
    ReaderView > .reader--cursor { background: $foreground; color: $surface; }
    ReaderView > .reader--selection { background: $primary 60%; }
    ReaderView > .reader--search { background: $warning 50%; }
    ReaderView > .reader--search-current { background: $warning; color: $surface; }
    ReaderView > .reader--symbol { color: $text-muted; text-style: reverse; }
    ReaderView > .reader--gutter { color: $primary; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    """The cursor, a logical offset at the start of a grapheme cluster."""

    def __init__(self, source: DocumentSource, options: LayoutOptions, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.source = source
        self.pager = Pager(source, 80, options)
        self.motion = Motion(self.pager)
        self.top = Position(0, 0)
        self.anchor: int | None = None
        self.by_word = False
        """The cursor's last move was by word: a selection ends at a word boundary."""
        self.highlights: list[Highlight] = []
        self._highlight_starts: list[int] = []
        self._max_highlight_len = 0
        self.hits: list[tuple[int, int]] = []
        self.current_hit: int | None = None
        self._window: list[tuple[Position, Row]] | None = None
        self._line_cache: LRUCache[tuple, Strip] = LRUCache(LINE_CACHE_SIZE)
        """Rendered rows, keyed by everything a row's cells depend on (see :meth:`render_line`)."""
        self._layout_version = 0
        """Bumped when rows may be laid out differently at the same position."""
        self._highlights_version = 0
        self._hits_version = 0
        self._relation_ends: list[tuple[int, int, int]] = []
        """(start, end, 1 source / 2 target) of each annotation a relation links, by start."""
        self._relations_version = 0
        self._top_offset = 0
        self._drag_from: int | None = None
        self.on_moved: Callable[[], None] | None = None
        """Called at once when the position or the cursor changes, so whatever shows the
        position (the status line) is drawn in the same frame as the text."""

    # -- geometry -----------------------------------------------------------------------

    @property
    def text_width(self) -> int:
        return max(self.content_size.width - GUTTER, 1)

    def on_resize(self, event: events.Resize) -> None:
        self._content_changed()
        self.pager.resize(self.text_width)
        self.top = self.pager.position_of(self._top_offset)
        self._changed()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return viewport.height

    def window(self) -> list[tuple[Position, Row]]:
        """The rows on screen, laid out on first use after a change."""
        if self._window is None:
            self._window = self.pager.window(self.top, max(self.content_size.height, 1))
        return self._window

    def _changed(self) -> None:
        self._window = None
        rows = self.window()
        if rows:
            self._top_offset = rows[0][1].start
        self.refresh()
        self._moved()
        self.call_after_refresh(self._prefetch)

    def _prefetch(self) -> None:
        """Lay out the screens above and below once this one is drawn, so a page key finds
        them ready."""
        if self._window is None or not self.source.block_count:
            return
        height = max(self.content_size.height, 1)
        self.pager.window(self.pager.move(self.top, height), height)
        self.pager.window(self.pager.move(self.top, -height), height)

    def set_source(self, source: DocumentSource) -> None:
        """Show another text (a reloaded file, an edited note) at the same logical place."""
        self.source = source
        self.pager.source = source
        self.reload()

    def _moved(self) -> None:
        if self.on_moved is not None:
            self.on_moved()

    def reload(self, options: LayoutOptions | None = None) -> None:
        """The document or the layout options changed: lay out again at the same place."""
        self._content_changed()
        if options is not None:
            self.pager.set_options(options)
        else:
            self.pager.invalidate()
        self.top = self.pager.position_of(self._top_offset) if self.source.block_count else Position(0, 0)
        self._changed()

    def _content_changed(self) -> None:
        """Rows at a position may now be laid out differently: drop every rendered row."""
        self._layout_version += 1
        self._line_cache.clear()

    def notify_style_update(self) -> None:
        """The theme or a component style changed: rendered rows carry the old styles."""
        self._line_cache.clear()
        super().notify_style_update()

    # -- reading position ---------------------------------------------------------------

    @property
    def top_offset(self) -> int:
        """The logical offset at the top of the screen: the remembered reading position."""
        return self._top_offset

    def scroll_rows(self, delta: int) -> None:
        """Scroll by rows, keeping the cursor on screen."""
        height = max(self.content_size.height, 1)
        bottom_limit = self.pager.move(self.pager.last(), -(height - 1)) if self.source.block_count else Position(0, 0)
        target = self.pager.move(self.top, delta)
        if delta > 0 and target > bottom_limit:
            target = max(bottom_limit, self.top)
        self.top = target
        self._changed()
        self._keep_cursor_visible()

    def page(self, direction: int) -> None:
        self.scroll_rows(direction * max(self.content_size.height - 1, 1))

    def go_to_offset(self, offset: int, *, move_cursor: bool = True, context: int = 0) -> None:
        """Show ``offset`` near the top (``context`` rows above it) and put the cursor there."""
        if self.source.block_count == 0:
            return
        offset = self.motion.snap(offset)
        self.top = self.pager.move(self.pager.position_of(offset), -context)
        if move_cursor:
            self.cursor = offset
            self.by_word = False
        self._changed()

    def go_home(self) -> None:
        self.go_to_offset(0)

    def go_end(self) -> None:
        if self.source.block_count == 0:
            return
        last = self.pager.last()
        height = max(self.content_size.height, 1)
        self.top = self.pager.move(last, -(height - 1))
        self.cursor = self.motion.snap(self.pager.row(last).start)
        self.by_word = False
        self._changed()

    # -- cursor and selection -----------------------------------------------------------

    def _row_index_of(self, offset: int) -> int | None:
        for i, (_pos, row) in enumerate(self.window()):
            if row.start <= offset < row.end or (row.start == row.end == offset):
                return i
        return None

    def _keep_cursor_visible(self) -> None:
        rows = self.window()
        if not rows or self._row_index_of(self.cursor) is not None:
            return
        first, last = rows[0][1], rows[-1][1]
        target = first if self.cursor < first.start else last
        self.cursor = self.motion.snap(target.start)
        self.by_word = False
        self.refresh()

    def set_cursor(self, offset: int, *, by_word: bool = False) -> None:
        """Move the cursor, scrolling just enough to show it; ``by_word`` after a word motion."""
        if self.source.block_count == 0:
            return
        self.by_word = by_word
        offset = self.motion.snap(offset)
        self.cursor = offset
        if self._row_index_of(offset) is None:
            rows = self.window()
            pos = self.pager.position_of(offset)
            height = max(self.content_size.height, 1)
            if rows and offset < rows[0][1].start:
                self.top = pos
            else:
                self.top = self.pager.move(pos, -(height - 1))
            self._changed()
        else:
            self.refresh()
            self._moved()

    def move_visual_row(self, delta: int) -> None:
        """Move the cursor ``delta`` rows down (or up), keeping its column where possible."""
        pos = self.pager.position_of(self.cursor)
        row = self.pager.row(pos)
        x = row.cell_of(self.cursor) or 0
        target = self.pager.row(self.pager.move(pos, delta))
        offset = target.offset_at(x)
        if offset is None:
            offset = target.starts[-1] if target.starts and x >= target.cell_width else target.start
        self.set_cursor(offset)

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected logical range, or None.

        ``v`` is inclusive: the clusters under the anchor and under the cursor are both
        selected. After a word motion (``w``, ``b``) the cursor sits on the first cluster
        of a word, so the selection ends at the boundary before that word instead of
        taking one letter of it. Whitespace at either end is never part of a passage.
        """
        if self.anchor is None:
            return None
        a, b = sorted((self.anchor, self.cursor))
        end = self.motion.next_unit(b)
        if end <= b:
            end = b + 1
        end = min(end, self._unit_end(b))
        if self.by_word:
            word = self.motion.word_around(end)
            if word is not None:
                end = word[0] if word[0] > a else word[1]
        return self._trimmed(a, end)

    def _trimmed(self, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` without leading and trailing whitespace (as is, if that is all it holds)."""
        text = self.source.text(start, end)
        stripped = text.strip()
        if not stripped:
            return start, end
        head = len(text) - len(text.lstrip())
        tail = len(text) - len(text.rstrip())
        return start + head, end - tail

    def _unit_end(self, offset: int) -> int:
        block = self.source.block_at(offset)
        par = self.pager.paragraph(block)
        local = offset - par.start
        k = bisect_left(par.bounds, local + 1)
        if k < len(par.bounds):
            return par.start + par.bounds[k]
        return par.start + len(par.text)

    def select(self, start: int, end: int) -> None:
        """Select ``[start, end)`` without its outer whitespace: the anchor at the start,
        the cursor on the last cluster."""
        start, end = self._trimmed(start, end)
        self.anchor = self.motion.snap(start)
        self.set_cursor(self.motion.snap(max(end - 1, start)))

    def clear_selection(self) -> None:
        self.anchor = None
        self.refresh()
        self._moved()

    # -- highlights ---------------------------------------------------------------------

    def set_highlights(self, highlights: list[Highlight], *, presorted: bool = False) -> None:
        """Draw these ranges; ``presorted`` when they already come by (start, end)."""
        self.highlights = highlights if presorted else sorted(highlights, key=lambda h: (h.start, h.end))
        self._highlight_starts = [h.start for h in self.highlights]
        self._max_highlight_len = max((h.end - h.start for h in self.highlights), default=0)
        self._highlights_version += 1
        self.refresh()

    def set_relation_ends(self, ends: list[tuple[int, int, int]]) -> None:
        """Mark in the gutter the rows of these passages: (start, end, 1 source / 2 target)."""
        self._relation_ends = sorted(ends)
        self._relations_version += 1
        self.refresh()

    def _relation_glyph(self, start: int, end: int) -> str:
        roles = 0
        for s, e, role in self._relation_ends:
            if s >= end:
                break
            if e > start:
                roles |= role
        return RELATION_GLYPHS.get(roles, " ")

    def set_hits(self, hits: list[tuple[int, int]], current: int | None) -> None:
        self.hits = hits
        self.current_hit = current
        self._hits_version += 1
        self.refresh()

    def _overlapping(self, start: int, end: int) -> list[Highlight]:
        """Highlights overlapping ``[start, end)``, found by bisection."""
        lo = bisect_left(self._highlight_starts, start - self._max_highlight_len)
        hi = bisect_left(self._highlight_starts, end)
        return [h for h in self.highlights[lo:hi] if h.end > start and h.start < end]

    def _hits_in(self, start: int, end: int) -> list[tuple[int, int, bool]]:
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

    # -- drawing ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """The row at ``y``, from the cache when nothing it shows has changed.

        The key holds everything a row's cells depend on: its place and layout, the width,
        the highlight and search versions, the part of the selection and the cursor inside
        it, and the styles (base style and theme; component styles clear the cache)."""
        width = self.content_size.width
        base = self.rich_style
        rows = self.window()
        if y >= len(rows):
            return Strip.blank(width, base)
        pos, row = rows[y]
        key = self._line_key(pos, row, width, base)
        strip = self._line_cache.get(key)
        if strip is None:
            strip = self._line_cache[key] = self._render_row(row, width, base)
        return strip

    def _line_key(self, pos: Position, row: Row, width: int, base: Style) -> tuple:
        selection = self.selection
        if selection is not None and selection[0] < row.end and selection[1] > row.start:
            selected: tuple[int, int] | None = (max(selection[0], row.start), min(selection[1], row.end))
        else:
            selected = None
        cursor = self.cursor if self.has_focus or self.anchor is not None else None
        if cursor is not None and not row.start <= cursor <= row.end:
            cursor = None
        return (
            self._layout_version,
            pos.block,
            pos.row,
            row.start,
            row.end,
            width,
            self._highlights_version,
            self._hits_version,
            self._relations_version,
            selected,
            cursor,
            base,
            self.app.theme,
        )

    def _render_row(self, row: Row, width: int, base: Style) -> Strip:
        overlapping = self._overlapping(row.start, max(row.end, row.start + 1))
        hits = self._hits_in(row.start, row.end)
        selection = self.selection
        cursor = self.cursor if self.has_focus or self.anchor is not None else None
        cursor_style = self.get_component_rich_style("reader--cursor")
        selection_style = self.get_component_rich_style("reader--selection")
        symbol_style = self.get_component_rich_style("reader--symbol")
        hit_style = self.get_component_rich_style("reader--search")
        current_style = self.get_component_rich_style("reader--search-current")

        marked = next((h for h in overlapping if h.mark is not None), None)
        mark = marked.mark if marked is not None else None
        related = self._relation_glyph(row.start, max(row.end, row.start + 1)) if self._relation_ends else " "
        if related == " ":
            segments = [Segment(f"{marked.glyph} " if mark else "  ", base + mark if mark else base)]
        else:
            segments = [
                Segment(marked.glyph if mark else " ", base + mark if mark else base),
                Segment(related, base + self.get_component_rich_style("reader--gutter")),
            ]
        indent = row.xs[0] if row.xs else 0
        if row.start == row.end:
            indent = max(self.text_width - 1, 0) if row.rtl else 0
        if indent:
            segments.append(Segment(" " * indent, base))
        painted = _paint(row, overlapping)
        combined: dict[tuple[Style, ...], Style] = {}
        run_text: list[str] = []
        run_style = base
        for glyph, s, e, flag, w in zip(row.glyphs, row.starts, row.ends, row.flags, row.widths):
            if not w:
                continue
            layers: tuple[Style, ...] = painted.get(s, ())
            if flag & FLAG_SYMBOL:
                layers = (symbol_style, *layers)
            for hs, he, current in hits:
                if hs < e and he > s:
                    layers = (*layers, current_style if current else hit_style)
            if selection and selection[0] < e and selection[1] > s:
                layers = (*layers, selection_style)
            if cursor is not None and s <= cursor < e:
                layers = (*layers, cursor_style)
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
            segments.append(Segment(" ", base + cursor_style))
        return Strip(segments).adjust_cell_length(width, base)

    # -- mouse --------------------------------------------------------------------------

    def offset_at(self, x: int, y: int) -> int | None:
        """The logical offset under a mouse position, if any."""
        rows = self.window()
        if not 0 <= y < len(rows):
            return None
        row = rows[y][1]
        offset = row.offset_at(x - GUTTER)
        if offset is None and row.starts:
            offset = row.start
        return offset

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self.offset_at(event.x, event.y)
        if offset is None:
            return
        self.focus()
        self.anchor = None
        self.set_cursor(offset)
        self._drag_from = offset
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not event.button or self._drag_from is None:
            return
        offset = self.offset_at(event.x, event.y)
        if offset is None:
            return
        if offset != self._drag_from:
            self.anchor = self._drag_from
        self.set_cursor(offset)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self._drag_from = None
        self.release_mouse()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.scroll_rows(WHEEL_ROWS)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.scroll_rows(-WHEEL_ROWS)


def _paint(row: Row, highlights: list[Highlight]) -> dict[int, tuple[Style, ...]]:
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
