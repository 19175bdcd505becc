"""The reading surface: a thin Line API view over the engine's rows.

It keeps a reading position (a :class:`~tui.text.pager.Position`), a cursor and an
optional selection, all as logical offsets, and draws only the rows on screen, each from a
cache keyed on everything it shows. What is drawn over the text (tag colours, search hits,
relation marks) and how a row is drawn with it live in :mod:`tui.widgets.reader_marks`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from tui.corpus.document import DocumentSource
from tui.text.layout import LayoutOptions, Row
from tui.text.motion import Motion
from tui.text.pager import Pager, Position
from tui.widgets.reader_marks import Highlight, Marks, RowStyles, draw_row

__all__ = ["GUTTER", "Highlight", "ReaderView"]

GUTTER = 2
"""Cells left of the text: the annotation mark and the relation mark (or a space)."""
WHEEL_ROWS = 3
"""Rows scrolled by one step of the mouse wheel."""
LINE_CACHE_SIZE = 1024
"""Rendered rows kept (a few screens at any size), as Textual's TextArea keeps."""


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
        self.marks = Marks()
        """Tag highlights, search hits and relation ends drawn over the text."""
        self._window: list[tuple[Position, Row]] | None = None
        self._window_height = 0
        self._line_cache: LRUCache[tuple, Strip] = LRUCache(LINE_CACHE_SIZE)
        """Rendered rows, keyed by everything a row's cells depend on (see :meth:`render_line`)."""
        self._layout_version = 0
        """Bumped when rows may be laid out differently at the same position."""
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
        self._fit_width()
        self._changed()

    def _fit_width(self) -> bool:
        """Lay rows out for the width the view has now; whether it had another.

        Textual draws a frame as soon as it knows a widget's size, before the widget hears
        of it by a Resize event: the rows are fitted here too, so that first frame shows the
        text rather than waiting for the next."""
        if self.pager.width == self.text_width:
            return False
        self._content_changed()
        self.pager.resize(self.text_width)
        self.top = self.pager.position_of(self._top_offset)
        self._window = None
        return True

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return viewport.height

    def window(self) -> list[tuple[Position, Row]]:
        """The rows on screen, laid out on first use after a change."""
        height = max(self.content_size.height, 1)
        if self._window is not None and self._window_height != height and self.content_size.width:
            self._window = None
        if self._window is None:
            if self.content_size.width:
                self._fit_width()
            self._window = self.pager.window(self.top, height)
            self._window_height = height
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

    @property
    def highlights(self) -> list[Highlight]:
        return self.marks.highlights

    @property
    def hits(self) -> list[tuple[int, int]]:
        return self.marks.hits

    @property
    def current_hit(self) -> int | None:
        return self.marks.current_hit

    def set_highlights(self, highlights: list[Highlight], *, presorted: bool = False) -> None:
        """Draw these ranges; ``presorted`` when they already come by (start, end)."""
        self.marks.set_highlights(highlights, presorted=presorted)
        self.refresh()

    def set_relation_ends(self, ends: list[tuple[int, int, int]]) -> None:
        """Mark in the gutter the rows of these passages: (start, end, 1 source / 2 target)."""
        self.marks.set_relation_ends(ends)
        self.refresh()

    def set_hits(self, hits: list[tuple[int, int]], current: int | None) -> None:
        self.marks.set_hits(hits, current)
        self.refresh()

    # -- drawing ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """The row at ``y``, from the cache when nothing it shows has changed.

        The key holds everything a row's cells depend on: its place and layout, the width,
        the highlights on it, the hits and relation ends version, the part of the selection and the cursor inside
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
            self.marks.version,
            # The highlights on this row themselves (their builders keep and reuse them), not
            # a version of the whole list: accepting one suggestion of ten thousand redraws
            # the rows it is on, not the screen.
            tuple(self.marks.overlapping(row.start, max(row.end, row.start + 1))),
            selected,
            cursor,
            base,
            self.app.theme,
        )

    def _render_row(self, row: Row, width: int, base: Style) -> Strip:
        styles = RowStyles(
            cursor=self.get_component_rich_style("reader--cursor"),
            selection=self.get_component_rich_style("reader--selection"),
            symbol=self.get_component_rich_style("reader--symbol"),
            search=self.get_component_rich_style("reader--search"),
            search_current=self.get_component_rich_style("reader--search-current"),
            gutter=self.get_component_rich_style("reader--gutter"),
        )
        cursor = self.cursor if self.has_focus or self.anchor is not None else None
        return draw_row(row, width, self.text_width, base, styles, self.marks, self.selection, cursor)

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

