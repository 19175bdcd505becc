"""Document labels: whole-document categories, per annotator, as in text classification.

A *category* is shared by the team like a tag (a name and a colour). It may belong to a named
*category set*; a set declared *exclusive* allows each annotator at most one of its
categories on a document, so choosing another one replaces the first (sentiment: positive,
negative, neutral). Categories outside any set, and the categories of an open set, combine
freely (topics). A *document label* is one annotator's choice of one category for one
document, known by the document's SHA-256.

This module holds the values and the rules, with no store and no UI: the store backends
(``tui.notes.sqlite.labels``, ``tui.notes.postgres.labels``) call :func:`with_label` and
:func:`check_exclusive`, and the exporters call :func:`cats`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tui.notes.model import InvalidValue, check_tag_name


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    color: str
    set: str | None = None
    """The category set it belongs to, if any."""


@dataclass(frozen=True, slots=True)
class CategorySet:
    name: str
    exclusive: bool = False
    """At most one of its categories per document and annotator."""


@dataclass(frozen=True, slots=True)
class DocumentLabel:
    doc_hash: str
    annotator: str
    category: str
    created: str


def check_category_name(name: str) -> str:
    """Category names end up where tag names do (CSV cells, JSON keys, Markdown): one visible line."""
    try:
        return check_tag_name(name)
    except InvalidValue as error:
        raise InvalidValue(str(error).replace("tag name", "category name")) from None


def check_set_name(name: str) -> str:
    try:
        return check_tag_name(name)
    except InvalidValue as error:
        raise InvalidValue(str(error).replace("tag name", "category set name")) from None


def exclusive_sets(categories: Iterable[Category], sets: Iterable[CategorySet]) -> dict[str, str]:
    """Category name -> its set's name, for the categories of exclusive sets only."""
    exclusive = {s.name for s in sets if s.exclusive}
    return {c.name: c.set for c in categories if c.set is not None and c.set in exclusive}


def with_label(current: Iterable[str], name: str, exclusive: Mapping[str, str]) -> tuple[str, ...]:
    """``current`` labels with ``name`` added; in an exclusive set it replaces its set's other label."""
    kept = [label for label in current if label != name]
    group = exclusive.get(name)
    if group is not None:
        kept = [label for label in kept if exclusive.get(label) != group]
    return (*kept, name)


def check_exclusive(labels: Iterable[str], exclusive: Mapping[str, str]) -> None:
    """Refuse two labels of one exclusive set on a document (a replace, an import)."""
    seen: dict[str, str] = {}
    for label in labels:
        group = exclusive.get(label)
        if group is None:
            continue
        if group in seen and seen[group] != label:
            raise InvalidValue(
                f"category set {group!r} is exclusive: a document cannot be both {seen[group]!r} and {label!r}"
            )
        seen[group] = label


def label_space(labels: Iterable[str], categories: Iterable[Category]) -> tuple[str, ...]:
    """Every category of the sets ``labels`` use (categories without a set form one group):
    the keys of spaCy's ``cats``, so each document states every category of a set it was
    labelled in."""
    categories = list(categories)
    by_name = {c.name: c for c in categories}
    used = set(labels)
    groups = {by_name[name].set if name in by_name else None for name in used}
    space = [c.name for c in categories if c.set in groups]
    space += sorted(name for name in used if name not in by_name)
    return tuple(dict.fromkeys(sorted(space, key=lambda name: (name.casefold(), name))))


def cats(labels: Iterable[DocumentLabel], space: Iterable[str]) -> dict[str, float]:
    """spaCy textcat ``cats``: per category the share of the document's labelling annotators
    who chose it (1.0 / 0.0 with one annotator)."""
    labels = list(labels)
    annotators = {label.annotator for label in labels}
    if not annotators:
        return {}
    chosen: dict[str, set[str]] = {}
    for label in labels:
        chosen.setdefault(label.category, set()).add(label.annotator)
    return {name: round(len(chosen.get(name, ())) / len(annotators), 4) for name in space}


@dataclass(slots=True)
class ToggleDocumentLabel:
    """An undoable change (``tui.notes.history.Change``): put a label on a document, or take
    it off if it is there. Undo puts back the annotator's labels as they were (an exclusive
    set's replaced label included) and removes a category the change created."""

    doc_hash: str
    category: str
    annotator: str
    previous: tuple[str, ...] | None = None
    created_category: bool = False
    added: bool = False

    @property
    def description(self) -> str:
        return f"{'label' if self.added else 'remove label'} {self.category}"

    def touched(self) -> frozenset[int]:
        """Annotations it changes: none (so the reader re-reads no annotation after it)."""
        return frozenset()

    def apply(self, store) -> tuple[str, ...]:
        self.category = check_category_name(self.category)
        current = tuple(label.category for label in store.document_labels(self.doc_hash, self.annotator))
        self.previous = current
        self.created_category = store.category(self.category) is None
        self.added = self.category not in current
        if self.added:
            return store.add_document_label(self.doc_hash, self.category, self.annotator)
        return store.remove_document_label(self.doc_hash, self.category, self.annotator)

    def revert(self, store) -> None:
        if self.previous is None:
            return
        store.set_document_labels(self.doc_hash, self.previous, self.annotator)
        if self.created_category and store.category(self.category) is not None and not store.category_usage(self.category):
            store.delete_category(self.category)
