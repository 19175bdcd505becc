"""What the app asks of an annotation store, whatever keeps it: the interface and its errors.

``NoteStore`` is the one narrow interface every backend implements (SQLite today, a
PostgreSQL server next). Callers type against it and catch ``StoreError``; nothing here
knows a database driver, so a backend's own exceptions never leave the backend.

Offsets in every annotation are code points of the decoded text (see ``tui.notes.model``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from tui.notes.curation_record import Rejection, Source
from tui.notes.labels import Category, CategorySet, DocumentLabel
from tui.notes.model import Annotation, AnnotationStatus, Document, Tag
from tui.notes.relations import Relation
from tui.notes.suggestions import Decision, Suggestion

PALETTE = (
    "#e69f00",
    "#56b4e9",
    "#009e73",
    "#d55e00",
    "#cc79a7",
    "#f0e442",
    "#0072b2",
    "#999999",
    "#a6761d",
    "#66a61e",
)
"""Okabe–Ito's colour-blind-safe colours first, then a few distinct extras."""

DEFAULT_TAGS = (
    Tag("key-point", PALETTE[0], "1"),
    Tag("question", PALETTE[1], "2"),
    Tag("evidence", PALETTE[2], "3"),
    Tag("disagree", PALETTE[3], "4"),
    Tag("todo", PALETTE[4], "5"),
)
"""A new store starts with the tags a close reader reaches for first, on keys 1-5."""


class StoreError(Exception):
    """Anything that went wrong in the store, with a one-line message."""


class StoreDamaged(StoreError):
    """The file is not a readable Margin store; opening with recovery moves it aside."""


class StoreUnavailable(StoreError):
    """The store cannot be created or opened; the app carries on without notes."""


class StoreReadOnly(StoreUnavailable):
    """A write was asked of a store opened read-only; the message says why it is read-only."""


class StoreOffline(StoreUnavailable):
    """The notes server cannot be reached (at start or lost mid-session); the reason has no secrets."""


class NotAllowed(StoreError):
    """The change is not this annotator's to make (another's annotation; only curators may)."""


class StoreBusy(StoreError):
    """Another process held the write lock longer than the busy timeout."""


class NotFound(StoreError, LookupError):
    """No annotation or tag by that id or name."""


class Gone(NotFound):
    """The annotation a change was aimed at no longer exists: another process deleted it.

    The caller's view is stale; it should reload the document's annotations and say so.
    """

    def __init__(self, id: int) -> None:
        super().__init__(
            f"annotation {id} no longer exists (it was deleted elsewhere, perhaps in another "
            "Margin window); nothing was changed"
        )
        self.id = id


class Conflict(StoreError):
    """The annotation changed since the caller last read it (another process edited it).

    Raised only when the caller names the version it expects; nothing was changed.
    """

    def __init__(self, current: Annotation) -> None:
        super().__init__(
            f"annotation {current.id} was changed elsewhere (perhaps in another Margin window) "
            "since it was shown; nothing was changed"
        )
        self.current = current


class InvalidRequest(StoreError, ValueError):
    """A value the store refuses: a bad span, colour, key, a duplicate tag or uid."""


@dataclass(frozen=True, slots=True)
class StoreStats:
    documents: int
    annotations: int
    orphans: int
    untagged: int
    by_tag: dict[str, int]
    by_document: dict[str, int]
    by_document_and_tag: dict[str, dict[str, int]]


@runtime_checkable
class NoteStore(Protocol):
    """Annotations, tags, documents and reading positions of one corpus.

    Every mutating call is its own committed transaction, durable when it returns;
    ``transaction()`` groups calls into one all-or-nothing commit (nested use joins the
    outer one). A store opened read-only (``read_only``) answers every query and refuses
    every write with ``StoreReadOnly``. Writes aimed at an annotation that another
    process deleted raise ``Gone``; given ``expected``, one it edited raises ``Conflict``.
    """

    location: str
    """Where the store is, for messages (a path, or a URL without its password)."""
    read_only: bool
    read_only_reason: str | None

    def close(self) -> None: ...
    def __enter__(self) -> NoteStore: ...
    def __exit__(self, *exc_info: object) -> None: ...
    def transaction(self) -> AbstractContextManager[None]: ...

    # documents and per-document settings
    def register_document(self, hash: str, path: str | os.PathLike[str], title: str) -> None: ...
    def document(self, hash: str) -> Document | None: ...
    def document_by_path(self, path: str | os.PathLike[str]) -> Document | None: ...
    def documents(self) -> list[Document]: ...
    def set_position(self, doc_hash: str, offset: int) -> None: ...
    def position(self, doc_hash: str) -> int | None: ...
    def set_direction(self, doc_hash: str, level: int | None) -> None: ...
    def direction(self, doc_hash: str) -> int | None: ...
    def set_encoding(self, doc_hash: str, encoding: str | None) -> None: ...
    def encoding(self, doc_hash: str) -> str | None: ...

    # tags
    def tags(self) -> list[Tag]: ...
    def tag(self, name: str) -> Tag | None: ...
    def create_tag(self, name: str, color: str | None = None, key: str | None = None) -> Tag: ...
    def rename_tag(self, old: str, new: str) -> None: ...
    def recolor_tag(self, name: str, color: str) -> None: ...
    def set_tag_key(self, name: str, key: str | None) -> None: ...
    def tag_usage(self, name: str) -> int: ...
    def tagged_with(self, name: str) -> dict[int, tuple[str, ...]]: ...
    def delete_tag(self, name: str) -> int: ...

    # annotations
    def add_annotation(
        self,
        doc_hash: str,
        text: str,
        start: int,
        end: int,
        tags: Iterable[str] = (),
        note: str = "",
        annotator: str | None = None,
    ) -> Annotation: ...
    def restore_annotation(self, annotation: Annotation) -> Annotation: ...
    def get(self, id: int) -> Annotation | None: ...
    def get_by_uid(self, uid: str) -> Annotation | None: ...
    def annotations(self, doc_hash: str) -> list[Annotation]: ...
    def all_annotations(self) -> list[Annotation]: ...
    def set_tags(self, id: int, tags: Iterable[str], *, expected: Annotation | None = None) -> Annotation: ...
    def set_note(self, id: int, note: str, *, expected: Annotation | None = None) -> Annotation: ...
    def delete_annotation(self, id: int, *, expected: Annotation | None = None) -> Annotation: ...
    def update_anchor(
        self, id: int, start: int, end: int, status: AnnotationStatus, text: str | None = None
    ) -> Annotation: ...
    def move_annotations(self, from_hash: str, to_hash: str) -> int: ...

    # relations between two annotations of a document (ends by uid; deleting an end deletes them)
    def relation_labels(self) -> list[str]: ...
    def relation_label_usage(self, name: str) -> int: ...
    def delete_relation_label(self, name: str) -> None: ...
    def add_relation(
        self, doc_hash: str, head: str, child: str, label: str, annotator: str | None = None
    ) -> Relation: ...
    def restore_relation(self, relation: Relation) -> Relation: ...
    def relations(self, doc_hash: str) -> list[Relation]: ...
    def all_relations(self) -> list[Relation]: ...
    def relations_of(self, uid: str) -> list[Relation]: ...
    def delete_relation(self, uid: str) -> Relation: ...
    # model suggestions (tui.notes.suggestions): shared, each annotator decides for themselves
    def add_suggestions(self, suggestions: Iterable[Suggestion]) -> int: ...
    def suggestions(self, doc_hash: str | None = None) -> list[Suggestion]: ...
    def suggestion_decisions(self, annotator: str | None = None, doc_hash: str | None = None) -> dict[str, Decision]: ...
    def decide_suggestion(
        self, uid: str, decision: str, *, annotation_uid: str | None = None, annotator: str | None = None
    ) -> Decision: ...
    def undecide_suggestion(self, uid: str, *, annotator: str | None = None) -> None: ...
    def suggested_by(self, doc_hash: str) -> dict[str, str]: ...
    def update_suggestion_anchors(self, suggestions: Iterable[Suggestion]) -> int: ...
    def move_suggestions(self, from_hash: str, to_hash: str) -> int: ...

    # curation: provenance of the curated layer's annotations, passages rejected
    def set_provenance(self, curated_uid: str, sources: Iterable[Source]) -> None: ...
    def clear_provenance(self, curated_uid: str) -> None: ...
    def provenance(self, curated_uid: str) -> list[Source]: ...
    def all_provenance(self) -> dict[str, list[Source]]: ...
    def document_provenance(self, doc_hash: str) -> dict[str, list[Source]]: ...
    def reject_passage(self, doc_hash: str, start: int, end: int, curator: str) -> None: ...
    def unreject_passage(self, doc_hash: str, start: int, end: int) -> None: ...
    def rejections(self, doc_hash: str) -> list[Rejection]: ...

    # document labels (whole-document categories, per annotator; see tui.notes.labels)
    def categories(self) -> list[Category]: ...
    def category(self, name: str) -> Category | None: ...
    def category_sets(self) -> list[CategorySet]: ...
    def create_category(self, name: str, color: str | None = None, set: str | None = None) -> Category: ...
    def set_category_set(self, name: str, set: str | None) -> Category: ...
    def declare_category_set(self, name: str, exclusive: bool = False) -> CategorySet: ...
    def delete_category(self, name: str) -> int: ...
    def category_usage(self, name: str) -> int: ...
    def document_labels(self, doc_hash: str, annotator: str | None = None) -> list[DocumentLabel]: ...
    def all_document_labels(self) -> list[DocumentLabel]: ...
    def labels_by_document(self, annotator: str | None = None) -> dict[str, list[str]]: ...
    def set_document_labels(
        self, doc_hash: str, categories: Iterable[str], annotator: str | None = None
    ) -> tuple[str, ...]: ...
    def add_document_label(
        self, doc_hash: str, category: str, annotator: str | None = None, *, created: str | None = None
    ) -> tuple[str, ...]: ...
    def remove_document_label(self, doc_hash: str, category: str, annotator: str | None = None) -> tuple[str, ...]: ...
    def move_document_labels(self, from_hash: str, to_hash: str) -> int: ...

    # summaries
    def annotation_counts(self) -> dict[str, int]: ...
    def tags_by_document(self) -> dict[str, list[str]]: ...
    def stats(self) -> StoreStats: ...
    def integrity_check(self) -> str: ...


def next_color(used: Iterable[str]) -> str:
    """The first palette colour not in use, cycling once every colour is taken."""
    taken = list(used)
    for color in PALETTE:
        if color not in taken:
            return color
    return PALETTE[len(taken) % len(PALETTE)]


def same_version(expected: Annotation, current: Annotation) -> bool:
    """Whether ``current`` is still the annotation the caller saw (what a change compares)."""
    return (
        expected.tags == current.tags
        and expected.note == current.note
        and expected.start == current.start
        and expected.end == current.end
        and expected.modified == current.modified
    )
