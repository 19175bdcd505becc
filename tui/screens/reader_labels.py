"""The document labels of the document open in the reader: shown, picked, toggled, undone.

The reader owns one :class:`ReaderLabels` beside its annotation session and shares the
session's undo history, so ``u`` undoes a label like a tag. Each toggle is one committed
store change (:class:`~tui.notes.labels.ToggleDocumentLabel`); the session then reports the
change like any other and the screen asks :meth:`ReaderLabels.refresh` whether the labels
shown on the status line moved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from tui.notes.store_errors import StoreError
from tui.screens.reader_messages import Notice

if TYPE_CHECKING:
    from textual.app import App

    from tui.screens.annotation_session import AnnotationSession

LABELS_SHOWN = 4
"""Labels named on the status line before the rest are counted."""


class ReaderLabels:
    """My labels on the reader's document, read from the store after every change, and
    those of the other annotators the layers show (none by default: blind annotation)."""

    def __init__(self, session: AnnotationSession, post: Callable[[Message], object]) -> None:
        self.session = session
        self._post = post
        self.labels: tuple[str, ...] = ()
        self.others: tuple[tuple[str, tuple[str, ...]], ...] = ()
        """(annotator, their labels) of the layers shown besides mine."""
        self._read_for: str | None = None

    def _can_label(self) -> bool:
        store = self.session.store
        return store is not None and callable(getattr(store, "document_labels", None))

    def refresh(self) -> bool:
        """Read my labels of the document again; True when they changed (redraw the status)."""
        session = self.session
        labels: tuple[str, ...] = ()
        others: tuple[tuple[str, tuple[str, ...]], ...] = ()
        if self._can_label() and session.doc_hash is not None:
            try:
                everyone = session.store.document_labels(session.doc_hash)
            except StoreError:
                return False
            labels = tuple(label.category for label in everyone if label.annotator == session.annotator)
            shown: dict[str, list[str]] = {}
            for label in everyone:
                if label.annotator != session.annotator and (session.layer is None or label.annotator in session.layer):
                    shown.setdefault(label.annotator, []).append(label.category)
            others = tuple((who, tuple(names)) for who, names in shown.items())
        changed = (labels, others) != (self.labels, self.others)
        self.labels, self.others, self._read_for = labels, others, session.doc_hash
        return changed

    def summary(self) -> str | None:
        """``labels: news, sport`` for the status line (``· ben: news`` for others the layers
        show), or None without labels."""
        parts = [_named(self.labels)] if self.labels else []
        parts += [f"{who}: {_named(names)}" for who, names in self.others]
        return "labels: " + " · ".join(parts) if parts else None

    def _usable(self) -> bool:
        """Whether labels can be changed now; if not, the reader is told why. Unlike tags,
        labels are not journalled while the notes server is away."""
        session = self.session
        if not session.ready():
            return False
        if not self._can_label():
            self._post(Notice("This store keeps no document labels.", "warning", None))
            return False
        if getattr(session.store, "online", True) is False:
            reason = getattr(session.store, "offline_reason", None) or "notes offline"
            self._post(Notice(f"Document labels wait for the notes server ({reason}); try again when it is back.", "warning", None))
            return False
        return True

    def pick(self, app: App) -> None:
        """Open the category picker; the choice is toggled on the document."""
        session = self.session
        if not self._usable():
            return
        from tui.screens.category_picker import CategoryPicker

        try:
            categories, sets = session.store.categories(), session.store.category_sets()
        except StoreError as error:
            self._post(Notice(str(error), "error", None))
            return

        def picked(name: str | None) -> None:
            if name:
                self.toggle(name)

        app.push_screen(CategoryPicker(categories, sets, self.labels), picked)

    def toggle(self, name: str) -> None:
        """Label the document with ``name``, or take the label off; undoable with the session's ``u``."""
        from tui.notes.labels import ToggleDocumentLabel

        session = self.session
        if not self._usable() or session.doc_hash is None:
            return
        change = ToggleDocumentLabel(session.doc_hash, name, session.annotator)
        after = session.do(change)
        if isinstance(after, tuple):
            gone = [label for label in change.previous or () if label not in after and label != change.category]
            verb = "Labelled" if change.added else "Removed label"
            tail = f" (instead of {', '.join(gone)})" if gone else ""
            self._post(Notice(f"{verb}: {change.category}{tail} · u undoes", "information", None))


def _named(labels: tuple[str, ...]) -> str:
    more = len(labels) - LABELS_SHOWN
    return ", ".join(labels[:LABELS_SHOWN]) + (f" +{more}" if more > 0 else "")
