"""What the library's worker learns about each document: its description, then the store's figures.

Describing a file reads and decodes its head and hashes it whole, so it happens in the
library's worker after the first frame is drawn, and is remembered per file version (size
and mtime): coming back from the reader only asks the store again. The screen imports this
module from its worker, never at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui.corpus.discover import CorpusError
from tui.corpus.files import read_regular
from tui.corpus.identity import content_hash
from tui.corpus.metadata import DocumentInfo, describe
from tui.notes.store_errors import StoreError
from tui.notes.team import DocumentProgress
from tui.text.decode import decode
from tui.widgets.library_rows import DocumentRow

if TYPE_CHECKING:
    from tui.notes.store_api import NoteStore


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What the worker learnt about one file version; reused while size and mtime hold."""

    stamp: tuple[int, int]
    info: DocumentInfo | None
    content_hash: str | None
    length: int | None = None
    """Code points of the decoded text, measured only once a reading position needs it."""


@dataclass(frozen=True, slots=True)
class StoreFigures:
    """The store's answers for every document, asked once per scan."""

    counts: dict[str, int]
    tags: dict[str, list[str]]
    labels: dict[str, list[str]]
    progress: dict[str, DocumentProgress]
    team: list[str]
    """Everyone who annotates here, me included; empty for a store without done marks."""


def store_figures(store: NoteStore, annotator: str) -> StoreFigures | None:
    """Counts, tags, my labels and done marks by document hash; None if the store fails."""
    labels: dict[str, list[str]] = {}
    progress: dict[str, DocumentProgress] = {}
    team: list[str] = []
    try:
        counts, tags = store.annotation_counts(), store.tags_by_document()
        if callable(getattr(store, "labels_by_document", None)):
            labels = store.labels_by_document(annotator)
        if callable(getattr(store, "progress", None)):
            progress = store.progress()
            team = sorted({*store.annotators(), annotator})
    except StoreError:
        return None
    return StoreFigures(counts, tags, labels, progress, team)


class DocumentFacts:
    """Every described file of one library, and the rows made from them (worker thread)."""

    def __init__(self) -> None:
        self._facts: dict[Path, FileFacts] = {}

    def content_hash(self, path: Path) -> str | None:
        """The hash of the file as last described, None until then or if unreadable."""
        facts = self._facts.get(path)
        return facts.content_hash if facts is not None else None

    def described(self, path: Path) -> DocumentRow:
        """The row with the file's description and no store figures."""
        facts = self.file_facts(path)
        return DocumentRow(path, facts.info, unreadable=facts.info is None)

    def row(self, path: Path, store: NoteStore | None, figures: StoreFigures | None) -> DocumentRow:
        """The whole row: description, reading position, annotations, my labels, done marks
        (the store is safe to share between threads)."""
        if store is None or figures is None:
            return self.described(path)
        row = self._with_position(path, store, figures)
        digest = self.content_hash(path)
        if digest in figures.labels:
            row = replace(row, labels=tuple(figures.labels[digest]))
        done = figures.progress.get(digest) if digest else None
        team = figures.team
        # One person alone sees "1/1 done" only once they mark it; a team always sees it.
        if team and row.annotations is not None and (len(team) > 1 or (done and done.done)):
            row = replace(row, done=(done or DocumentProgress(digest or "")).summary(team))
        return row

    def _with_position(self, path: Path, store: NoteStore, figures: StoreFigures) -> DocumentRow:
        facts = self.file_facts(path)
        row = DocumentRow(path, facts.info, unreadable=facts.info is None)
        if facts.content_hash is None:
            return row
        digest = facts.content_hash
        try:
            position = store.position(digest)
        except StoreError:
            return row
        fraction = 0.0
        if position:
            if facts.length is None:
                facts = replace(facts, length=decoded_length(path))
                self._facts[path] = facts
            fraction = position / facts.length if facts.length else 0.0
        return replace(
            row,
            read_fraction=fraction,
            annotations=figures.counts.get(digest, 0),
            tags=tuple(figures.tags.get(digest, ())),
        )

    def file_facts(self, path: Path) -> FileFacts:
        try:
            status = path.stat()
        except OSError:
            return FileFacts((0, 0), None, None)
        stamp = (status.st_size, status.st_mtime_ns)
        cached = self._facts.get(path)
        if cached is not None and cached.stamp == stamp:
            return cached
        try:
            facts = FileFacts(stamp, describe(path), content_hash(path))
        except CorpusError:
            facts = FileFacts(stamp, None, None)
        self._facts[path] = facts
        return facts


def decoded_length(path: Path) -> int | None:
    """Length of the text the reader works on, in code points (what positions count)."""
    try:
        return len(decode(read_regular(path)).text)
    except OSError:
        return None
