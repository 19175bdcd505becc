"""Undo and redo for annotation work, each step one committed store transaction.

A change records what it needs to reverse itself the first time it is applied
(the tags an annotation had, the annotation a delete removed), so undo puts back
exactly what was there, ids and uids included.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from tui.notes.model import Annotation, Tag, check_tag_name, excerpt
from tui.notes.store_errors import Gone, NotFound

if TYPE_CHECKING:
    from tui.notes.store_api import NoteStore

DEFAULT_DEPTH = 1000
"""Changes kept for undo; older ones are forgotten."""


class Change(Protocol):
    description: str

    def apply(self, store: NoteStore) -> object: ...

    def revert(self, store: NoteStore) -> None: ...


@dataclass(slots=True)
class AddAnnotation:
    doc_hash: str
    text: str
    start: int
    end: int
    tags: tuple[str, ...] = ()
    note: str = ""
    annotator: str | None = None
    added: Annotation | None = field(default=None, init=False)
    created_tags: tuple[str, ...] = field(default=(), init=False)

    @property
    def description(self) -> str:
        return f"add annotation {excerpt(self.text[self.start : self.end])}"

    def apply(self, store: NoteStore) -> Annotation:
        self.created_tags = _unknown_tags(store, self.tags)
        if self.added is None:
            self.added = store.add_annotation(
                self.doc_hash, self.text, self.start, self.end, self.tags, self.note, self.annotator
            )
        else:
            self.added = store.restore_annotation(self.added)
        return self.added

    def revert(self, store: NoteStore) -> None:
        if self.added is not None:
            store.delete_annotation(self.added.id)
        _drop_unused(store, self.created_tags)


@dataclass(slots=True)
class DeleteAnnotation:
    id: int
    deleted: Annotation | None = field(default=None, init=False)

    @property
    def description(self) -> str:
        quote = self.deleted.quote if self.deleted else str(self.id)
        return f"delete annotation {excerpt(quote)}"

    def apply(self, store: NoteStore) -> Annotation:
        self.deleted = store.delete_annotation(self.id)
        return self.deleted

    def revert(self, store: NoteStore) -> None:
        if self.deleted is not None:
            store.restore_annotation(self.deleted)


@dataclass(slots=True)
class SetTags:
    """Replace an annotation's tags; adding or removing one tag is this with a computed tuple."""

    id: int
    tags: tuple[str, ...]
    label: str = "set tags"
    previous: tuple[str, ...] | None = field(default=None, init=False)
    created_tags: tuple[str, ...] = field(default=(), init=False)

    @property
    def description(self) -> str:
        return self.label

    def apply(self, store: NoteStore) -> Annotation:
        before = _require(store, self.id)
        self.previous = before.tags
        self.created_tags = _unknown_tags(store, self.tags)
        return store.set_tags(self.id, self.tags)

    def revert(self, store: NoteStore) -> None:
        if self.previous is not None:
            store.set_tags(self.id, self.previous)
        _drop_unused(store, self.created_tags)


def add_tag(store: NoteStore, id: int, name: str) -> SetTags:
    """A change adding one tag, computed against the annotation's current tags."""
    tags = _require(store, id).tags
    return SetTags(id, tags if name in tags else (*tags, name), f"add tag {name}")


def remove_tag(store: NoteStore, id: int, name: str) -> SetTags:
    tags = _require(store, id).tags
    return SetTags(id, tuple(tag for tag in tags if tag != name), f"remove tag {name}")


@dataclass(slots=True)
class SetNote:
    id: int
    note: str
    previous: str | None = field(default=None, init=False)

    @property
    def description(self) -> str:
        return "edit note"

    def apply(self, store: NoteStore) -> Annotation:
        self.previous = _require(store, self.id).note
        return store.set_note(self.id, self.note)

    def revert(self, store: NoteStore) -> None:
        if self.previous is not None:
            store.set_note(self.id, self.previous)


@dataclass(slots=True)
class RenameTag:
    old: str
    new: str

    @property
    def description(self) -> str:
        return f"rename tag {self.old} to {self.new}"

    def apply(self, store: NoteStore) -> None:
        store.rename_tag(self.old, self.new)

    def revert(self, store: NoteStore) -> None:
        store.rename_tag(self.new, self.old)


@dataclass(slots=True)
class RecolorTag:
    name: str
    color: str
    previous: str | None = field(default=None, init=False)

    @property
    def description(self) -> str:
        return f"recolour tag {self.name}"

    def apply(self, store: NoteStore) -> None:
        self.previous = _require_tag(store, self.name).color
        store.recolor_tag(self.name, self.color)

    def revert(self, store: NoteStore) -> None:
        if self.previous is not None:
            store.recolor_tag(self.name, self.previous)


@dataclass(slots=True)
class DeleteTag:
    """Deleting a tag remembers where it was, so undo puts it back on every annotation in place."""

    name: str
    deleted: Tag | None = field(default=None, init=False)
    carriers: dict[int, tuple[str, ...]] = field(default_factory=dict, init=False)

    @property
    def description(self) -> str:
        return f"delete tag {self.name}"

    def apply(self, store: NoteStore) -> int:
        self.deleted = _require_tag(store, self.name)
        self.carriers = store.tagged_with(self.name)
        return store.delete_tag(self.name)

    def revert(self, store: NoteStore) -> None:
        if self.deleted is None:
            return
        store.create_tag(self.deleted.name, self.deleted.color, self.deleted.key)
        for annotation_id, tags in self.carriers.items():
            store.set_tags(annotation_id, tags)


class History:
    """Linear undo/redo over a store; a new change drops whatever could have been redone."""

    def __init__(self, store: NoteStore, depth: int = DEFAULT_DEPTH) -> None:
        self._store = store
        self._undo: deque[Change] = deque(maxlen=depth)
        self._redo: list[Change] = []
        self.last_change: Change | None = None
        """The change the last do, undo or redo applied or reversed: what a view must redraw."""

    def do(self, change: Change) -> object:
        """Apply a change in one transaction and remember it; returns what the store returned."""
        with self._store.transaction():
            result = change.apply(self._store)
        self._undo.append(change)
        self._redo.clear()
        self.last_change = change
        return result

    def undo(self) -> str | None:
        """Reverse the last change; its description, or None when there is nothing to undo."""
        return self._step(self._undo, self._redo, reverse=True)

    def redo(self) -> str | None:
        """Apply again the last change undone; its description, or None when there is none."""
        return self._step(self._redo, self._undo, reverse=False)

    def drop_next(self, *, undo: bool = True) -> str | None:
        """Forget the change the next undo (or redo) would make, when it can never be made
        again (its annotation was deleted elsewhere), so the ones before it stay reachable."""
        stack = self._undo if undo else self._redo
        return stack.pop().description if stack else None

    def _step(
        self,
        source: deque[Change] | list[Change],
        target: deque[Change] | list[Change],
        *,
        reverse: bool,
    ) -> str | None:
        """Move one change from ``source`` to ``target``, reverting or re-applying it in one
        transaction; on failure it stays where it was, so the step can be tried again."""
        if not source:
            return None
        change = source.pop()
        try:
            with self._store.transaction():
                if reverse:
                    change.revert(self._store)
                else:
                    change.apply(self._store)
        except BaseException:
            source.append(change)
            raise
        target.append(change)
        self.last_change = change
        return change.description


def touched_annotations(change: Change) -> frozenset[int] | None:
    """The annotations a change adds, removes or edits; None when it may reach any
    number of them (a tag renamed, recoloured or deleted). A change may say for itself
    (``touched()``: relation changes touch no annotation)."""
    own = getattr(change, "touched", None)
    if callable(own):
        return own()
    if isinstance(change, AddAnnotation):
        return frozenset({change.added.id}) if change.added is not None else frozenset()
    if isinstance(change, (DeleteAnnotation, SetTags, SetNote)):
        return frozenset({change.id})
    return None


def _require(store: NoteStore, id: int) -> Annotation:
    annotation = store.get(id)
    if annotation is None:
        raise Gone(id)
    return annotation


def _require_tag(store: NoteStore, name: str) -> Tag:
    tag = store.tag(name)
    if tag is None:
        raise NotFound(f"no tag named {name!r}")
    return tag


def _unknown_tags(store: NoteStore, names: tuple[str, ...]) -> tuple[str, ...]:
    """Tags a change will create by using them: undoing the change removes them again."""
    return tuple(name for name in (check_tag_name(name) for name in names) if store.tag(name) is None)


def _drop_unused(store: NoteStore, names: tuple[str, ...]) -> None:
    for name in names:
        if store.tag(name) is not None and store.tag_usage(name) == 0:
            store.delete_tag(name)

