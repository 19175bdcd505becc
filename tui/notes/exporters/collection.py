"""What an export covers: the documents and annotations a scope selects, with their texts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from tui.notes.curation_record import Source
from tui.notes.labels import Category, DocumentLabel
from tui.notes.model import ANCHORED, Annotation, Document
from tui.notes.relations import Relation
from tui.notes.store import Store

UNTAGGED_LABEL = "NOTE"
"""Span label of an annotation without tags in span formats (JSONL, brat), so no passage is lost."""

TextLoader = Callable[[Document], str | None]
"""The decoded text of a document as it was annotated, or None when it cannot be had."""


@dataclass(frozen=True, slots=True)
class ExportScope:
    """One document (by hash) or all; one tag or all. A tag selects the annotations carrying
    it, each exported whole with all its tags."""

    doc_hash: str | None = None
    tag: str | None = None
    annotators: frozenset[str] | None = None
    """Only these annotators' annotations (``curation`` for the curated layer); None: everyone's."""


@dataclass(frozen=True, slots=True)
class DocumentNotes:
    document: Document
    text: str | None
    annotations: tuple[Annotation, ...]
    sources: Mapping[str, tuple[Source, ...]] = field(default_factory=dict)
    """Provenance of the curated annotations among them, by uid (see ``tui.notes.curation``)."""
    relations: tuple[Relation, ...] = ()
    """Relations between two of ``annotations``, oldest first."""
    labels: tuple[DocumentLabel, ...] = ()
    """Document labels, every annotator's (``tui.notes.labels``)."""
    categories: tuple[Category, ...] = ()
    """Every category of the store, the same for each document: formats that state each
    category of a set (JSONL ``cats``) read them here."""

    def placed(self) -> tuple[Annotation, ...]:
        """Annotations whose offsets hold their quote in the text: the ones span formats can use."""
        text = self.text
        if text is None:
            return ()
        return tuple(
            annotation
            for annotation in self.annotations
            if annotation.status == ANCHORED and text[annotation.start : annotation.end] == annotation.quote
        )

    def unplaced(self) -> tuple[Annotation, ...]:
        placed = {annotation.id for annotation in self.placed()}
        return tuple(annotation for annotation in self.annotations if annotation.id not in placed)


def collect(store: Store, scope: ExportScope, load_text: TextLoader) -> list[DocumentNotes]:
    """Documents with at least one annotation or document label in scope, by title, each in
    reading order. A scope limited to a tag leaves document labels out."""
    selected = store.annotations(scope.doc_hash) if scope.doc_hash is not None else store.all_annotations()
    if scope.tag is not None:
        selected = [annotation for annotation in selected if scope.tag in annotation.tags]
    if scope.annotators is not None:
        selected = [annotation for annotation in selected if annotation.annotator in scope.annotators]
    provenance = _provenance(store, selected)
    grouped: dict[str, list[Annotation]] = {}
    for annotation in selected:
        grouped.setdefault(annotation.doc_hash, []).append(annotation)
    labels, categories = _labels(store, scope)
    for doc_hash in labels:
        grouped.setdefault(doc_hash, [])
    known = {document.hash: document for document in store.documents()}
    related = _relations(store, scope, grouped)
    collected = []
    for doc_hash, in_document in grouped.items():
        document = known.get(doc_hash) or Document(doc_hash, "", doc_hash[:12])
        sources = {a.uid: provenance[a.uid] for a in in_document if a.uid in provenance}
        collected.append(
            DocumentNotes(
                document,
                load_text(document),
                tuple(in_document),
                sources,
                related.get(doc_hash, ()),
                tuple(labels.get(doc_hash, ())),
                categories,
            )
        )
    collected.sort(
        key=lambda notes: (notes.document.title.casefold(), notes.document.path, notes.document.hash)
    )
    return collected


def _provenance(store: Store, selected: list[Annotation]) -> dict[str, tuple[Source, ...]]:
    """Where the curated annotations among ``selected`` came from (none read when there are none)."""
    from tui.notes.curation_record import CURATION

    reader = getattr(store, "all_provenance", None)
    if reader is None or not any(annotation.annotator == CURATION for annotation in selected):
        return {}
    return {uid: tuple(sources) for uid, sources in reader().items()}


def _relations(
    store: Store, scope: ExportScope, grouped: dict[str, list[Annotation]]
) -> dict[str, tuple[Relation, ...]]:
    """Each document's relations whose two ends are both exported."""
    every = store.relations(scope.doc_hash) if scope.doc_hash is not None else store.all_relations()
    uids = {annotation.uid for in_document in grouped.values() for annotation in in_document}
    by_document: dict[str, list[Relation]] = {}
    for relation in every:
        if relation.head in uids and relation.child in uids:
            by_document.setdefault(relation.doc_hash, []).append(relation)
    return {doc_hash: tuple(relations) for doc_hash, relations in by_document.items()}


def _labels(store: Store, scope: ExportScope) -> tuple[dict[str, list[DocumentLabel]], tuple[Category, ...]]:
    """Document labels in scope by document, and the store's categories."""
    if scope.tag is not None or not callable(getattr(store, "all_document_labels", None)):
        return {}, ()
    found = store.document_labels(scope.doc_hash) if scope.doc_hash is not None else store.all_document_labels()
    if scope.annotators is not None:
        found = [label for label in found if label.annotator in scope.annotators]
    grouped: dict[str, list[DocumentLabel]] = {}
    for label in found:
        grouped.setdefault(label.doc_hash, []).append(label)
    return grouped, tuple(store.categories()) if grouped else ()
