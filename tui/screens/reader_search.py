"""Searching the open document: the query, a search in a thread worker, and where hits land.

The worker reads block by block (past the index, if the file is still being indexed) and
posts progress and the hits as messages; a search for a query no longer current is dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message
from textual.worker import get_current_worker

from tui.corpus.document import DocumentSource
from tui.screens.reader_messages import SearchDone, SearchProgress
from tui.text.search import SearchOptions, find_all

PROGRESS_BLOCKS = 2000
"""Blocks searched between two progress reports."""


class Search:
    """The current query and whether a search for it is running."""

    def __init__(self) -> None:
        self.query = ""
        self.running: float | None = None
        """How far the running search has read, or None when none is running."""

    def begin(self, query: str) -> bool:
        """A new query; True when there is something to search for."""
        self.query = query
        self.running = 0.0 if query else None
        return bool(query)

    def progress(self, fraction: float) -> None:
        if self.running is not None:
            self.running = fraction

    def finish(self, query: str) -> bool:
        """The worker for ``query`` is done; True when its hits are still wanted."""
        self.running = None
        return query == self.query

    def clear(self) -> None:
        self.query = ""
        self.running = None

    @staticmethod
    def first_hit_from(hits: list[tuple[int, int]], offset: int) -> int | None:
        """The index of the first hit at or after ``offset``, wrapping to the first."""
        for i, (start, _end) in enumerate(hits):
            if start >= offset:
                return i
        return 0 if hits else None


def search_source(source: DocumentSource, query: str, options: SearchOptions, post: Callable[[Message], object]) -> None:
    """Find every hit of ``query`` (run in a thread worker); posts progress, then the hits."""
    worker = get_current_worker()
    hits: list[tuple[int, int]] = []
    i = 0
    # Blocks past the index are indexed on demand, so a search started while the
    # file is still being indexed reads it to the end.
    while i < source.block_count or not source.complete:
        if worker.is_cancelled:
            return
        try:
            block = source.block(i)
        except IndexError:
            break
        hits.extend(find_all(block.text, query, options, base=block.start))
        i += 1
        if i % PROGRESS_BLOCKS == 0:
            fraction = i / max(source.block_count, 1) if source.complete else source.progress
            post(SearchProgress(fraction))
    post(SearchDone(query, hits))
