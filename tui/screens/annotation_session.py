"""The annotations of the document open in the reader, and every change made to them.

The reader screen owns one session. The session holds the document's annotations in
reading order, the tags, and the undo history; it commits each change to the store before
the call returns (so a change is durable when the key press returns) and reports to the
screen by messages (:mod:`tui.screens.reader_messages`): what to redraw, what to tell the
reader. It knows nothing of widgets: the screen turns keys, the cursor and the selection
into calls, and messages into drawing. After one change only the annotations it touched are
read again, so tagging stays instant with thousands of them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING

from textual.message import Message

from tui.corpus.lazy_text import LazyText
from tui.notes.model import ORPHAN, Annotation, Tag
from tui.notes.store_errors import Conflict, NotFound, StoreError
from tui.screens.reader_messages import AnnotationsChanged, Notice, Reanchored

if TYPE_CHECKING:
    from tui.corpus.document import DocumentSource
    from tui.notes.history import AddAnnotation, Change, History
    from tui.notes.store_api import NoteStore

ERROR_SECONDS = 10
"""How long an error from the store stays on screen: long enough to read a path."""


def _reading_order(annotation: Annotation) -> tuple[int, int, int]:
    return annotation.start, annotation.end, annotation.id


class AnnotationSession:
    """Annotations of one document: read, changed, undone, placed again after an edit on disk."""

    def __init__(
        self, store: NoteStore | None, annotator: str, post: Callable[[Message], object], *, store_notice: str | None = None
    ) -> None:
        self.store = store
        self.annotator = annotator
        self.store_notice = store_notice
        self._store_known = store is not None or store_notice is not None
        """Whether a missing store is final (else it is still being opened)."""
        self._post = post
        self.doc_hash: str | None = None
        self.source: DocumentSource | None = None
        self.history: History | None = None
        self.everyone: list[Annotation] = []
        """The document's annotations by every annotator, in reading order."""
        self.annotations: list[Annotation] = []
        """Those of the layers shown (:attr:`layer`), in reading order: what keys act on."""
        self.layer: frozenset[str] | None = frozenset({annotator})
        """Whose annotations are shown: these annotators, or everyone (None). Mine by
        default, so that each annotator tags blind to the others."""
        self.tags: list[Tag] = []

    def use_store(self, store: NoteStore | None, annotator: str, store_notice: str | None) -> None:
        """The store, once open (the reader shows the text before the store is opened)."""
        if self.layer == frozenset({self.annotator}):
            self.layer = frozenset({annotator})  # the server's role may name me differently
        self.store, self.annotator, self.store_notice = store, annotator, store_notice
        self._store_known = True

    # -- the document -------------------------------------------------------------------

    def start(self, doc_hash: str, source: DocumentSource) -> bool:
        """Annotate the document with this content hash; False (and a notice) if the store fails."""
        from tui.notes.history import History

        if self.store is None:
            return False
        self.doc_hash = doc_hash
        self.source = source
        self.history = History(self.store)
        return True

    def stop(self) -> None:
        """The document is being read again: no changes until it is identified anew."""
        self.doc_hash = None
        self.history = None

    def ready(self) -> bool:
        """Whether a change can be made now; if not, the reader is told why."""
        if self.store is None and self._store_known:
            self._notice(self.store_notice or "No note store: notes cannot be saved.", "error")
            return False
        if self.store is None or self.doc_hash is None or self.history is None:
            self._notice("Still reading the document; try again in a moment.", "warning")
            return False
        return True

    def load(self) -> None:
        """Read the document's annotations and tags from the store."""
        if self.store is None or self.doc_hash is None:
            return
        try:
            self.everyone = self.store.annotations(self.doc_hash)
            self.tags = self.store.tags()
        except StoreError as error:
            self._notice(str(error), "error", ERROR_SECONDS)
            return
        self.annotations = self._visible(self.everyone)
        self._post(AnnotationsChanged(list(self.annotations), list(self.tags), reloaded=True))

    # -- layers -------------------------------------------------------------------------

    def _visible(self, annotations: list[Annotation]) -> list[Annotation]:
        if self.layer is None:
            return list(annotations)
        return [a for a in annotations if a.annotator in self.layer]

    def show_layer(self, layer: frozenset[str] | None) -> None:
        """Show these annotators' annotations (None: everyone's) and redraw."""
        self.layer = layer
        self.annotations = self._visible(self.everyone)
        self._post(AnnotationsChanged(list(self.annotations), list(self.tags), reloaded=True))

    def annotators(self) -> list[str]:
        """Everyone who annotated in this store (this document's first), me included."""
        names = dict.fromkeys(a.annotator for a in self.everyone)
        lister = getattr(self.store, "annotators", None)
        if lister is not None:
            with suppress(StoreError):
                names.update(dict.fromkeys(lister()))
        names.pop(self.annotator, None)
        return [self.annotator, *sorted(n for n in names if n)]

    @property
    def is_curator(self) -> bool:
        """Whether others' annotations may be changed here: only a curator role on a
        server. On an SQLite file the names are labels anyone can type, so others'
        annotations are left alone there too (``--annotator NAME`` works as NAME)."""
        return getattr(self.store, "annotator", None) is not None and bool(getattr(self.store, "is_curator", False))

    def may_change(self, annotation: Annotation) -> bool:
        """Whether ``annotation`` is mine to change; if not, the reader is told why."""
        if annotation.annotator == self.annotator or not annotation.annotator or self.is_curator:
            return True
        self._notice(
            f"This annotation is {annotation.annotator}'s: only they or a curator may change it.", "warning"
        )
        return False

    def reanchor(self, old_hash: str) -> None:
        """The file changed since its notes were made: find every passage again.

        Slow (reads the whole text); run it in a thread worker. Posts :class:`Reanchored`."""
        from tui.notes.anchoring import reanchor_document

        source = self.source
        if self.store is None or self.doc_hash is None or source is None:
            return
        while not source.complete:
            source.index_step()
        text = source.text(0, source.length)
        try:
            report = reanchor_document(self.store, self.doc_hash, text, from_hash=old_hash)
        except StoreError as error:
            self._notice(str(error), "error", ERROR_SECONDS)
            return
        moved = report.moved + report.fuzzy
        summary = f"The document changed on disk: {moved} passages found again elsewhere, {report.orphan} orphaned."
        self._post(Reanchored(summary if moved or report.orphan else None))

    # -- finding annotations ------------------------------------------------------------

    def at(self, offset: int) -> list[Annotation]:
        """Anchored annotations holding ``offset``, the shortest first."""
        found = [a for a in self.annotations if a.status != ORPHAN and a.start <= offset < a.end]
        return sorted(found, key=lambda a: a.end - a.start)

    def spanning(self, start: int, end: int) -> Annotation | None:
        """The annotation of exactly ``[start, end)`` that I may change, if there is one
        (another's on the same span leaves room for mine)."""
        return next(
            (
                a
                for a in self.annotations
                if (a.start, a.end) == (start, end) and (a.annotator == self.annotator or not a.annotator or self.is_curator)
            ),
            None,
        )

    def next_start(self, offset: int, direction: int) -> int | None:
        """Where the next (or previous) anchored annotation after ``offset`` starts."""
        starts = [a.start for a in self.annotations]
        if direction > 0:
            index, step = bisect_right(starts, offset), 1
        else:
            index, step = bisect_left(starts, offset) - 1, -1
        while 0 <= index < len(self.annotations) and self.annotations[index].status == ORPHAN:
            index += step
        if not 0 <= index < len(self.annotations):
            return None
        return self.annotations[index].start

    def tag_for_key(self, key: str) -> Tag | None:
        """The tag bound to a number key (read from the store if not loaded yet)."""
        tag = next((t for t in self.tags if t.key == key), None)
        if tag is None and self.store is not None:
            try:
                tag = next((t for t in self.store.tags() if t.key == key), None)
            except StoreError:
                tag = None
        return tag

    # -- changes ------------------------------------------------------------------------

    def tag(self, name: str, selection: tuple[int, int] | None, cursor: int) -> bool:
        """Tag the selection, or toggle the tag on the annotation under the cursor.

        True when the selection was used (the caller clears it)."""
        from tui.notes.history import add_tag, remove_tag

        if not self.ready():
            return False
        if selection is not None:
            start, end = selection
            same = self.spanning(start, end)
            if same is None:
                self.do(self._add(start, end, (name,), ""))
            elif self._try(lambda: self.do(add_tag(self.store, same.id, name))) is None:
                # The annotation of exactly this passage went away: tag the passage anew.
                self.do(self._add(start, end, (name,), ""))
            return True
        under = self.at(cursor)
        if under:
            target = under[0]
            if not self.may_change(target):
                return False
            change = remove_tag if name in target.tags else add_tag
            self._try(lambda: self.do(change(self.store, target.id, name)))
            return False
        self._notice("Select a passage first: s sentence, p paragraph, v to start a selection.", "warning")
        return False

    def write_note(self, existing: Annotation | None, start: int, end: int, note: str) -> None:
        """Set the note of ``existing``, or annotate ``[start, end)`` with it."""
        from tui.notes.history import SetNote

        if existing is not None:
            if not self.may_change(existing):
                return
            if self.do(SetNote(existing.id, note)) is not None:
                return
            if self.store is None or self.history is None or self._exists(existing.id):
                return
            # Deleted elsewhere while the note was being written: the note is kept on a new
            # annotation of the same passage rather than lost.
            self.do(self._add(start, end, existing.tags, note))
            self._notice(
                "That annotation was deleted elsewhere; your note was saved on a new annotation of the same passage.",
                "warning",
                ERROR_SECONDS,
            )
            return
        self.do(self._add(start, end, (), note))

    def _exists(self, annotation_id: int) -> bool:
        try:
            return self.store is not None and self.store.get(annotation_id) is not None
        except StoreError:
            return True

    def _try(self, action: Callable[[], object]) -> object | None:
        """Run ``action``; a store error (the annotation gone, changed, the store lost) is
        told and the view refreshed instead of raised."""
        try:
            return action()
        except (StoreError, ValueError) as error:
            self._failed(error)
            return None

    def delete(self, annotation_id: int) -> None:
        from tui.notes.history import DeleteAnnotation

        target = next((a for a in self.everyone if a.id == annotation_id), None)
        if target is not None and not self.may_change(target):
            return
        if self.do(DeleteAnnotation(annotation_id)) is not None:
            self._notice("Annotation deleted (u undoes).")

    def do(self, change: Change) -> object | None:
        """Apply one change: committed to the store before this returns."""
        assert self.history is not None
        try:
            result = self.history.do(change)
        except (StoreError, ValueError) as error:
            self._failed(error)
            return None
        self.refresh(change)
        return result

    def undo(self) -> None:
        self._step("undo", "Undone", "Nothing to undo.")

    def redo(self) -> None:
        self._step("redo", "Redone", "Nothing to redo.")

    def _step(self, method: str, done_label: str, nothing: str) -> None:
        """Undo or redo one change and re-read what it touched."""
        if self.history is None:
            return
        try:
            done = getattr(self.history, method)()
        except (NotFound, Conflict) as error:
            # Another process deleted or changed what this step touches: it can never be
            # made, so it is skipped and the steps before it stay reachable.
            skipped = self.history.drop_next(undo=method == "undo")
            self._failed(error, f"Could not {method} “{skipped}”: {error}. Skipped it; press again for the one before.")
            return
        except (StoreError, ValueError) as error:
            self._failed(error)
            return
        self._notice(f"{done_label}: {done}" if done else nothing)
        if done:
            self.refresh(self.history.last_change)

    def refresh(self, change: Change | None) -> None:
        """After one change: re-read only the annotations it touched (all, for a tag-wide one)."""
        from tui.notes.history import touched_annotations

        touched = touched_annotations(change) if change is not None else None
        if touched is None or self.store is None:
            self.load()
            return
        try:
            fresh = {id: self.store.get(id) for id in touched}
            self.tags = self.store.tags()
        except StoreError as error:
            self._notice(str(error), "error", ERROR_SECONDS)
            return
        kept = [a for a in self.everyone if a.id not in touched]
        for annotation in fresh.values():
            if annotation is not None and annotation.doc_hash == self.doc_hash:
                insort(kept, annotation, key=_reading_order)
        self.everyone = kept
        self.annotations = self._visible(kept)
        self._post(AnnotationsChanged(list(self.annotations), list(self.tags)))

    def _failed(self, error: Exception, message: str | None = None) -> None:
        """Tell why a change failed; when another process changed the store under us, read
        the document's annotations again so what is shown is what is stored."""
        stale = isinstance(error, (NotFound, Conflict))
        self._notice(message or str(error), "warning" if stale else "error", ERROR_SECONDS)
        if stale:
            self.load()

    def _add(self, start: int, end: int, tags: tuple[str, ...], note: str) -> AddAnnotation:
        from tui.notes.history import AddAnnotation

        assert self.doc_hash is not None and self.source is not None
        return AddAnnotation(self.doc_hash, LazyText(self.source), start, end, tags, note, self.annotator)

    def _notice(self, text: str, severity: str = "information", timeout: float | None = None) -> None:
        self._post(Notice(text, severity, timeout))
