"""What the reader reads: one protocol for a document's text, and an in-memory one.

The layout engine needs only blocks (``tui.text.pager.Blocks``); the reader needs more —
slices of the text for quotes, the length, indexing a huge file in steps, whether the file
changed, the encoding it was decoded with. ``DocumentSource`` names all of it once, so the
reader never has to guess what a source can do. ``TextSource`` (a file) and
``MemorySource`` (a string: the note preview, an empty stand-in) both satisfy it.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Protocol

from tui.text.pager import Block, Blocks


class DocumentSource(Blocks, Protocol):
    """A document's logical text (decoded, BOM dropped, line ends as LF), served as blocks."""

    @property
    def encoding(self) -> str:
        """The encoding the bytes were decoded with, by canonical name."""
        ...

    @property
    def binary(self) -> bool:
        """Whether the bytes looked binary (shown anyway only when asked to)."""
        ...

    @property
    def length(self) -> int:
        """Length of the text in code points; a lower bound until ``complete``."""
        ...

    @property
    def complete(self) -> bool:
        """Whether the whole document is indexed, so ``length`` and ``block_count`` are final."""
        ...

    @property
    def progress(self) -> float:
        """Share of the document indexed, 0..1."""
        ...

    def index_step(self, max_bytes: int = ...) -> float:
        """Index a little more (from a worker); returns ``progress``."""
        ...

    def text(self, start: int, end: int) -> str:
        """The text ``[start, end)``, clipped to its length like a str slice."""
        ...

    def changed(self) -> bool:
        """Whether what is shown no longer matches the file on disk."""
        ...

    def close(self) -> None:
        """Release the file, if any."""
        ...


class MemorySource:
    """A :class:`DocumentSource` over a string already in memory: one block per line."""

    encoding = "utf-8"
    binary = False
    complete = True
    progress = 1.0

    def __init__(self, text: str) -> None:
        self._text = text
        self._blocks: list[Block] = []
        start = 0
        for line in text.split("\n"):
            self._blocks.append(Block(start, line))
            start += len(line) + 1
        self._starts = [block.start for block in self._blocks]

    @property
    def block_count(self) -> int:
        return len(self._blocks)

    @property
    def length(self) -> int:
        return len(self._text)

    def block(self, i: int) -> Block:
        return self._blocks[i]

    def block_at(self, offset: int) -> int:
        return max(bisect_right(self._starts, offset) - 1, 0)

    def index_step(self, max_bytes: int = 0) -> float:
        return 1.0

    def text(self, start: int, end: int) -> str:
        return self._text[start:end]

    def changed(self) -> bool:
        return False

    def close(self) -> None:
        pass
