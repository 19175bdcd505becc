"""Rows of a whole document, laid out lazily around a reading position.

A document may be far too large to lay out at once, and the number of rows above any
point depends on the width. So the reading position is a :class:`Position` — a block
and a row inside it — and every movement walks from there, laying out only the blocks it
passes. Caches are keyed by everything the result depends on, so a resize needs no
flushing: a new width simply misses the row cache, and the width-independent analyses
are reused.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple, Protocol

from tui.text.layout import LayoutOptions, Paragraph, Row, analyse, break_rows, layout_row


class Block(NamedTuple):
    """A slice of the document laid out as one bidi paragraph: a line, or a piece of a line
    too long to lay out in one go.

    ``paragraph_start``/``paragraph_end`` are False where a long line was cut, so the
    interface still knows where the document's real paragraphs begin and end.
    """

    start: int
    text: str
    paragraph_start: bool = True
    paragraph_end: bool = True


class Blocks(Protocol):
    """What the pager reads: the blocks of a document and where an offset falls.

    ``tui.corpus.document.DocumentSource`` extends this with what the reader needs besides
    layout (length, text slices, indexing, encoding); the engine knows only these three.
    """

    @property
    def block_count(self) -> int: ...

    def block(self, i: int) -> Block: ...

    def block_at(self, offset: int) -> int: ...


class Position(NamedTuple):
    """A row of the document: block index, then row index inside that block (and ordered so).

    Blocks and positions are named tuples: cheap to make by the thousand and to define."""

    block: int
    row: int


PARAGRAPH_CACHE_SIZE = 4096
"""Analysed blocks kept (width-independent: bidi levels, shaping, break opportunities)."""
CUTS_CACHE_SIZE = 8192
"""Row cuts kept, per block and width; twice the paragraphs so two widths fit."""
ROW_CACHE_SIZE = 4096
"""Laid-out rows kept, per block, row and width."""


class _LRU(OrderedDict):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key, value):
        self[key] = value
        self.move_to_end(key)
        if len(self) > self.size:
            self.popitem(last=False)
        return value

    def hit(self, key):
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value


class Pager:
    """Lays out :class:`Blocks` at one width, on demand."""

    def __init__(self, source: Blocks, width: int, options: LayoutOptions | None = None) -> None:
        self.source = source
        self.options = options or LayoutOptions()
        self.width = max(width, 1)
        self._paragraphs: _LRU = _LRU(PARAGRAPH_CACHE_SIZE)
        self._cuts: _LRU = _LRU(CUTS_CACHE_SIZE)
        self._rows: _LRU = _LRU(ROW_CACHE_SIZE)

    def resize(self, width: int) -> None:
        """Change the width; analyses stay cached, rows are laid out again when asked for."""
        self.width = max(width, 1)

    def set_options(self, options: LayoutOptions) -> None:
        """New layout options invalidate everything."""
        self.options = options
        self._paragraphs.clear()
        self._cuts.clear()
        self._rows.clear()

    def invalidate(self) -> None:
        """The document's content changed."""
        self.set_options(self.options)

    def paragraph(self, i: int) -> Paragraph:
        par = self._paragraphs.hit(i)
        if par is None:
            block = self.source.block(i)
            par = self._paragraphs.put(i, analyse(block.text, block.start, self.options))
        return par

    def cuts(self, i: int) -> tuple[int, ...]:
        key = (i, self.width)
        cuts = self._cuts.hit(key)
        if cuts is None:
            cuts = self._cuts.put(key, break_rows(self.paragraph(i), self.width))
        return cuts

    def row_count(self, i: int) -> int:
        return len(self.cuts(i)) - 1

    def row(self, pos: Position) -> Row:
        key = (pos.block, pos.row, self.width)
        row = self._rows.hit(key)
        if row is None:
            cuts = self.cuts(pos.block)
            row = self._rows.put(
                key, layout_row(self.paragraph(pos.block), cuts[pos.row], cuts[pos.row + 1], self.width, self.options)
            )
        return row

    @property
    def block_count(self) -> int:
        return self.source.block_count

    def last(self) -> Position:
        last_block = max(self.block_count - 1, 0)
        return Position(last_block, max(self.row_count(last_block) - 1, 0)) if self.block_count else Position(0, 0)

    def move(self, pos: Position, delta: int) -> Position:
        """The row ``delta`` rows after (or before, if negative) ``pos``, clamped to the document."""
        block, row = pos.block, pos.row
        count = self.block_count
        if count == 0:
            return Position(0, 0)
        while delta > 0:
            rows = self.row_count(block)
            if row + delta < rows:
                return Position(block, row + delta)
            if block + 1 >= count:
                return Position(block, rows - 1)
            delta -= rows - row
            block, row = block + 1, 0
        while delta < 0:
            if row + delta >= 0:
                return Position(block, row + delta)
            if block == 0:
                return Position(0, 0)
            delta += row + 1
            block -= 1
            row = self.row_count(block) - 1
        return Position(block, row)

    def window(self, top: Position, height: int) -> list[tuple[Position, Row]]:
        """Up to ``height`` rows starting at ``top``."""
        out: list[tuple[Position, Row]] = []
        count = self.block_count
        block, row = top.block, top.row
        while len(out) < height and block < count:
            rows = self.row_count(block)
            while row < rows and len(out) < height:
                pos = Position(block, row)
                out.append((pos, self.row(pos)))
                row += 1
            block, row = block + 1, 0
        return out

    def position_of(self, offset: int) -> Position:
        """The row that shows logical ``offset`` (the reading position survives a resize)."""
        if self.block_count == 0:
            return Position(0, 0)
        block = self.source.block_at(offset)
        par = self.paragraph(block)
        cuts = self.cuts(block)
        local = offset - par.start
        for r in range(len(cuts) - 1):
            if local < par.bounds[cuts[r + 1]]:
                return Position(block, r)
        return Position(block, len(cuts) - 2)
