"""Undoable changes to relations, for :class:`tui.notes.history.History`.

Each is one step of the reader's undo history, applied in one store transaction. Deleting
an annotation that relations use takes them with it (the store's foreign keys cascade);
:class:`DeleteAnnotationWithRelations` remembers them first, so one undo brings the
annotation and every relation back, uids and ids included.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.notes.model import Annotation, excerpt
from tui.notes.relations import Relation
from tui.notes.store_errors import NotAllowed

if TYPE_CHECKING:
    from tui.notes.store_api import NoteStore


@dataclass(slots=True)
class AddRelation:
    doc_hash: str
    head: str
    child: str
    label: str
    annotator: str | None = None
    added: Relation | None = field(default=None, init=False)
    created_label: bool = field(default=False, init=False)

    @property
    def description(self) -> str:
        return f"relate as {self.label}"

    def apply(self, store: NoteStore) -> Relation:
        self.created_label = self.label.strip() not in store.relation_labels()
        if self.added is None:
            self.added = store.add_relation(self.doc_hash, self.head, self.child, self.label, self.annotator)
        else:
            self.added = store.restore_relation(self.added)
        return self.added

    def revert(self, store: NoteStore) -> None:
        if self.added is not None:
            store.delete_relation(self.added.uid)
        if self.created_label and store.relation_label_usage(self.added.label if self.added else self.label) == 0:
            store.delete_relation_label(self.added.label if self.added else self.label)

    def touched(self) -> frozenset[int]:
        return frozenset()


@dataclass(slots=True)
class DeleteRelation:
    uid: str
    deleted: Relation | None = field(default=None, init=False)

    @property
    def description(self) -> str:
        return f"delete relation {self.deleted.label if self.deleted else ''}".rstrip()

    def apply(self, store: NoteStore) -> Relation:
        self.deleted = store.delete_relation(self.uid)
        return self.deleted

    def revert(self, store: NoteStore) -> None:
        if self.deleted is not None:
            store.restore_relation(self.deleted)

    def touched(self) -> frozenset[int]:
        return frozenset()


@dataclass(slots=True)
class DeleteAnnotationWithRelations:
    """Delete an annotation and the relations that use it, as one step."""

    id: int
    deleted: Annotation | None = field(default=None, init=False)
    relations: tuple[Relation, ...] = field(default=(), init=False)

    @property
    def description(self) -> str:
        quote = self.deleted.quote if self.deleted else str(self.id)
        count = len(self.relations)
        return f"delete annotation {excerpt(quote)} and {count} relation{'s' if count != 1 else ''}"

    def apply(self, store: NoteStore) -> Annotation:
        current = store.get(self.id)
        self.relations = tuple(store.relations_of(current.uid)) if current is not None else ()
        self.deleted = store.delete_annotation(self.id)  # the store's foreign keys take the relations
        return self.deleted

    def revert(self, store: NoteStore) -> None:
        if self.deleted is None:
            return
        store.restore_annotation(self.deleted)
        for relation in self.relations:
            with suppress(NotAllowed):  # a teammate's relation comes back only by a curator's hand
                store.restore_relation(relation)

    def touched(self) -> frozenset[int]:
        return frozenset({self.id})


RELATION_CHANGES = (AddRelation, DeleteRelation, DeleteAnnotationWithRelations)
"""The changes after which a document's relations are read again."""
