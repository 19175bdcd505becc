"""The file behind the reader: opening it, indexing and identifying it in workers, its title.

This is the reader's document lifecycle without any widget: the screen asks it to open or
reopen the file (another encoding, shown as text anyway), runs :meth:`index` and
:meth:`identify` in thread workers, and hears back from them by messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message
from textual.worker import get_current_worker

from tui.corpus.discover import CorpusError
from tui.corpus.document import DocumentSource, MemorySource
from tui.corpus.identity import content_hash
from tui.corpus.names import display_name
from tui.corpus.source import BinaryDocumentError, SourceError, TextSource
from tui.notes.store_errors import StoreError, StoreOffline
from tui.screens.reader_messages import Identified, IdentityFailed, IndexProgress
from tui.text.decode import NotATextEncoding, text_encoding

if TYPE_CHECKING:
    from tui.notes.store_api import NoteStore

INDEX_BATCH = 1 << 19
"""Bytes indexed per step of the background worker (a few milliseconds each)."""
PROGRESS_STEP = 0.02
"""Indexing progress is reported each time it grows by this much (fifty reports a file)."""
TITLE_SEARCH_BLOCKS = 50
"""Blocks searched for a first non-blank line to use as the title."""


@dataclass(frozen=True)
class Registration:
    """What the store remembers of a document it has just been told about."""

    old_hash: str | None = None
    """The hash the file had when last opened, if it changed since: its notes need placing again."""
    position: int | None = None
    direction: int | None = None
    encoding: str | None = None
    """The encoding the reader chose for it last time."""


class ReaderDocument:
    """One file as the reader holds it; ``source`` is replaced on reopening, never mutated."""

    def __init__(self, path: Path, *, encoding: str | None = None, force_text: bool = False) -> None:
        self.path = Path(path)
        self.encoding = encoding
        self.force_text = force_text
        self.source: DocumentSource = MemorySource("")
        """The file being read, or an empty stand-in when it cannot be shown as text."""
        self.binary = False
        """The file looked binary and was not opened (``force_text`` shows it anyway)."""
        self.doc_hash: str | None = None
        self.indexed = 1.0
        """How much of the file the background index has covered."""
        self.saved_position: int | None = None
        """The reading position last saved in the store (it is not written again)."""

    def open(self) -> str | None:
        """Open (or reopen) the file; the reason when it cannot be read. Closes the old source."""
        old = self.source
        self.binary = False
        self.doc_hash = None
        error = None
        try:
            self.source = TextSource.open(self.path, encoding=self.encoding, force_text=self.force_text)
        except BinaryDocumentError:
            self.binary = True
            self.source = MemorySource("")
        except SourceError as problem:
            error = str(problem)
            self.source = MemorySource("")
        old.close()
        self.indexed = 1.0 if self.source.complete else 0.0
        return error

    def close(self) -> None:
        self.source.close()

    def title(self) -> str:
        """The first non-blank line near the top, else the file name."""
        source = self.source
        for i in range(min(source.block_count, TITLE_SEARCH_BLOCKS)):
            text = source.block(i).text.strip()
            if text:
                return text
        return display_name(self.path)

    def changed(self) -> bool:
        """The file on disk is no longer what is shown."""
        return self.source.changed()

    # -- thread workers -----------------------------------------------------------------

    def index(self, post: Callable[[Message], object]) -> None:
        """Index the rest of the file in small batches, posting :class:`IndexProgress`."""
        worker = get_current_worker()
        source = self.source
        reported = 0.0
        while not source.complete and not worker.is_cancelled:
            # Small batches: the reader waits for the source's lock while a batch is indexed.
            fraction = source.index_step(INDEX_BATCH)
            if fraction - reported >= PROGRESS_STEP or source.complete:
                reported = fraction
                post(IndexProgress(fraction))

    def identify(self, post: Callable[[Message], object]) -> None:
        """Hash the file's bytes, posting :class:`Identified` or :class:`IdentityFailed`."""
        try:
            digest = content_hash(self.path)
        except (CorpusError, OSError) as error:
            post(IdentityFailed(f"{error}; notes are off for this document."))
            return
        post(Identified(digest))

    # -- the store ----------------------------------------------------------------------

    def register(self, store: NoteStore, digest: str, title: str, *, keep_encoding: bool) -> Registration:
        """Record the document under its hash (and, with ``keep_encoding``, the encoding it is
        read in now); what the store remembers of it. With the notes server away the hash is
        kept and nothing is remembered: it is registered next time. Raises StoreError."""
        try:
            previous = store.document_by_path(str(self.path))
            store.register_document(digest, str(self.path), title)
            self.doc_hash = digest
            old_hash = previous.hash if previous is not None and previous.hash != digest else None
            position, direction = store.position(digest), store.direction(digest)
            remembered = store.encoding(digest)
            if keep_encoding:
                store.set_encoding(digest, self.encoding)
        except StoreOffline:
            self.doc_hash = digest
            self.saved_position = None
            return Registration()
        self.saved_position = position
        return Registration(old_hash, position, direction, remembered)

    def differs_from(self, encoding: str | None) -> bool:
        """``encoding`` (a remembered choice) is not how the file is decoded now, and the
        reader asked for none this time."""
        if encoding is None or self.encoding is not None:
            return False
        try:
            return text_encoding(encoding) != text_encoding(self.source.encoding)
        except NotATextEncoding:
            return False

    def remember_position(self, store: NoteStore | None, offset: int) -> str | None:
        """Save the reading position (unless it is the one saved); the reason when it could not be saved."""
        if offset == self.saved_position or store is None or self.doc_hash is None:
            return None
        try:
            store.set_position(self.doc_hash, offset)
        except StoreError as error:
            return str(error)
        self.saved_position = offset
        return None
