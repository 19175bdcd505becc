"""A read-only, str-like view of a document that reads only the slices asked for.

The notes layer takes the document's text to cut a quote and its context; for a file of
hundreds of megabytes the reader hands it this view instead of one enormous string.
"""

from __future__ import annotations

from tui.corpus.document import DocumentSource


class LazyText:
    """Supports ``len()`` and slicing with a step of 1, which is all quoting needs."""

    def __init__(self, source: DocumentSource) -> None:
        self._source = source

    def __len__(self) -> int:
        return self._source.length

    def __getitem__(self, key: slice) -> str:
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("LazyText supports only contiguous slices")
        start, stop, _ = key.indices(len(self))
        return self._source.text(start, stop) if stop > start else ""
