"""Cursor motion and quick selections in logical order, over a lazily laid out document.

Every position a motion returns is the start of a unit (a grapheme cluster, widened over
an Arabic ligature), so the cursor and any selection snap to cluster boundaries and can
never split a base from its marks or a Gurmukhi conjunct.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache

from tui.text.pager import Pager
from tui.text.sentences import sentence_boundaries, word_spans


@lru_cache(maxsize=256)
def _sentences(text: str) -> tuple[int, ...]:
    return tuple(sentence_boundaries(text))


@lru_cache(maxsize=256)
def _words(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(word_spans(text))


class Motion:
    """Logical motions over the blocks of a :class:`Pager`'s document."""

    def __init__(self, pager: Pager) -> None:
        self.pager = pager

    def _locate(self, offset: int) -> tuple[int, int]:
        """Block index and offset inside it."""
        block = self.pager.source.block_at(offset)
        return block, offset - self.pager.paragraph(block).start

    def snap(self, offset: int) -> int:
        """The start of the unit holding ``offset`` (the document's last unit at the end)."""
        if self.pager.block_count == 0:
            return 0
        block, local = self._locate(max(offset, 0))
        par = self.pager.paragraph(block)
        if local >= len(par.text):
            if not par.text:
                return par.start
            return par.start + par.bounds[-2]
        k = bisect_right(par.bounds, local) - 1
        return par.start + par.bounds[k]

    def next_unit(self, offset: int) -> int:
        block, local = self._locate(offset)
        par = self.pager.paragraph(block)
        k = bisect_right(par.bounds, local)
        if k < len(par.bounds) - 1:
            return par.start + par.bounds[k]
        if block + 1 < self.pager.block_count:
            return self.pager.paragraph(block + 1).start
        return self.snap(offset)

    def prev_unit(self, offset: int) -> int:
        block, local = self._locate(offset)
        par = self.pager.paragraph(block)
        k = bisect_left(par.bounds, local)
        if k > 0 and par.text:
            return par.start + par.bounds[k - 1]
        if block > 0:
            prev = self.pager.paragraph(block - 1)
            return prev.start + (prev.bounds[-2] if prev.text else 0)
        return par.start

    def next_word(self, offset: int) -> int:
        """Start of the next word, crossing into later blocks."""
        block, local = self._locate(offset)
        while block < self.pager.block_count:
            par = self.pager.paragraph(block)
            for start, _end in _words(par.text):
                if start > local:
                    return par.start + start
            block, local = block + 1, -1
        return self.snap(offset)

    def prev_word(self, offset: int) -> int:
        """Start of the word before ``offset`` (or of the word it is inside)."""
        block, local = self._locate(offset)
        while block >= 0:
            par = self.pager.paragraph(block)
            for start, _end in reversed(_words(par.text)):
                if start < local:
                    return par.start + start
            block -= 1
            if block >= 0:
                local = len(self.pager.paragraph(block).text) + 1
        return 0

    def word_around(self, offset: int) -> tuple[int, int] | None:
        """The word ``offset`` falls strictly inside (not at its start), or None."""
        if self.pager.block_count == 0:
            return None
        block, local = self._locate(offset)
        par = self.pager.paragraph(block)
        for start, end in _words(par.text):
            if start < local < end:
                return par.start + start, par.start + end
        return None

    def sentence_range(self, offset: int) -> tuple[int, int]:
        """The sentence holding ``offset``, without trailing whitespace."""
        block, local = self._locate(offset)
        par = self.pager.paragraph(block)
        bounds = _sentences(par.text)
        k = max(bisect_right(bounds, local) - 1, 0)
        start = bounds[k]
        end = bounds[k + 1] if k + 1 < len(bounds) else len(par.text)
        while end > start and par.text[end - 1].isspace():
            end -= 1
        return par.start + start, par.start + end

    def next_sentence(self, offset: int) -> int:
        block, local = self._locate(offset)
        while block < self.pager.block_count:
            par = self.pager.paragraph(block)
            for b in _sentences(par.text):
                if b > local and b < len(par.text):
                    return par.start + b
            block, local = block + 1, -1
            if block < self.pager.block_count and self.pager.paragraph(block).text:
                return self.pager.paragraph(block).start
        return self.snap(offset)

    def prev_sentence(self, offset: int) -> int:
        block, local = self._locate(offset)
        while block >= 0:
            par = self.pager.paragraph(block)
            for b in reversed(_sentences(par.text)):
                if b < local and b < max(len(par.text), 1):
                    return par.start + b
            block -= 1
            if block >= 0:
                local = len(self.pager.paragraph(block).text) + 1
        return 0

    def _paragraph_blocks(self, offset: int) -> tuple[int, int]:
        first = last = self.pager.source.block_at(offset)
        source = self.pager.source
        while first > 0 and not source.block(first).paragraph_start:
            first -= 1
        while last + 1 < source.block_count and not source.block(last).paragraph_end:
            last += 1
        return first, last

    def paragraph_range(self, offset: int) -> tuple[int, int]:
        """The whole paragraph (a line of the file, possibly several blocks)."""
        source = self.pager.source
        first, last = self._paragraph_blocks(offset)
        start = source.block(first).start
        end_block = source.block(last)
        return start, end_block.start + len(end_block.text)

    def next_paragraph(self, offset: int) -> int:
        """Start of the next non-empty paragraph."""
        source = self.pager.source
        block = self._paragraph_blocks(offset)[1] + 1
        while block < source.block_count:
            b = source.block(block)
            if b.paragraph_start and b.text.strip():
                return b.start
            block += 1
        return self.snap(offset)

    def prev_paragraph(self, offset: int) -> int:
        """Start of this paragraph, or of the previous non-empty one when already there."""
        start, _end = self.paragraph_range(offset)
        if start < offset:
            return start
        source = self.pager.source
        block = source.block_at(start) - 1
        while block >= 0:
            b = source.block(block)
            if b.paragraph_start and b.text.strip():
                return b.start
            block -= 1
        return start
