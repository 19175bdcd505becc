"""JSON Lines of texts with character spans: the shape Prodigy, doccano and spaCy read.

One line per document: its whole text (the exact text the offsets count in, described
in ``meta.offsets``), one span per (annotation, tag) —
label ``NOTE`` for an annotation without tags — and a ``meta`` object with the
document's identity and every annotation in full (uid, tags, note, annotator,
times), so the file imports back without loss. Annotations whose passage is not in
the text (orphans) are under ``meta.orphans`` and have no span. Documents whose text
cannot be read are left out; the caller reports them.

Relations between placed annotations are in ``relations``, in Prodigy's shape but counted
in characters: ``head`` and ``child`` are the start offsets of the two passages (Prodigy's
are token indices), ``head_span`` and ``child_span`` their ``start``, ``end`` and
``label`` (first tag), as Prodigy writes them; Margin adds the relation's and the
passages' uids, its annotator and time.
A document with labels carries spaCy's textcat ``cats``: every category of the sets the
export's labels use (categories outside any set are one set), each with the share of the
document's labelling annotators who chose it — ``1.0`` or ``0.0`` with one annotator — and
each label in full (who, when) in ``meta.labels``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from tui.corpus.names import portable_path
from tui.notes.curation_record import Source
from tui.notes.exporters.collection import UNTAGGED_LABEL, DocumentNotes
from tui.notes.labels import cats, label_space
from tui.notes.model import Annotation
from tui.notes.offsets import DESCRIPTIONS, TEXT_OFFSETS, OffsetMode
from tui.notes.relations import Relation


def to_jsonl(documents: list[DocumentNotes], *, offsets: OffsetMode = TEXT_OFFSETS) -> str:
    lines = []
    space = label_space(
        (label.category for notes in documents for label in notes.labels),
        next((notes.categories for notes in documents if notes.categories), ()),
    )
    for notes in documents:
        if notes.text is None:
            continue
        placed = notes.placed()
        spans = [
            {"start": annotation.start, "end": annotation.end, "label": label}
            for annotation in placed
            for label in (annotation.tags or (UNTAGGED_LABEL,))
        ]
        record = {
            "text": notes.text,
            "spans": spans,
            **_relations(notes, placed),
            "meta": {
                "hash": notes.document.hash,
                "path": portable_path(notes.document.path),
                "title": notes.document.title,
                "offsets": DESCRIPTIONS[offsets],
                "annotations": [annotation_meta(annotation, notes.sources) for annotation in placed],
                "orphans": [annotation_meta(annotation) for annotation in notes.unplaced()],
            },
        }
        if notes.labels:
            record["cats"] = cats(notes.labels, space)
            record["meta"]["labels"] = [
                {"label": label.category, "annotator": label.annotator, "created": label.created}
                for label in notes.labels
            ]
        lines.append(json.dumps(record, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def annotation_meta(annotation: Annotation, sources: Mapping[str, tuple[Source, ...]] | None = None) -> dict:
    """An annotation in full; a curated one also names the annotations it came from."""
    meta = {
        "uid": annotation.uid,
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "tags": list(annotation.tags),
        "note": annotation.note,
        "annotator": annotation.annotator,
        "created": annotation.created,
        "modified": annotation.modified,
    }
    if sources and annotation.uid in sources:
        meta["sources"] = [{"uid": s.uid, "annotator": s.annotator} for s in sources[annotation.uid]]
    return meta


def _relations(notes: DocumentNotes, placed: tuple[Annotation, ...]) -> dict:
    """``{"relations": [...]}`` for the relations between placed passages; empty without any."""
    by_uid = {annotation.uid: annotation for annotation in placed}
    relations = [
        _relation(relation, by_uid[relation.head], by_uid[relation.child])
        for relation in notes.relations
        if relation.head in by_uid and relation.child in by_uid
    ]
    return {"relations": relations} if relations else {}


def _relation(relation: Relation, head: Annotation, child: Annotation) -> dict:
    return {
        "head": head.start,
        "child": child.start,
        "head_span": _span(head),
        "child_span": _span(child),
        "label": relation.label,
        "uid": relation.uid,
        "head_uid": head.uid,
        "child_uid": child.uid,
        "annotator": relation.annotator,
        "created": relation.created,
    }


def _span(annotation: Annotation) -> dict:
    return {"start": annotation.start, "end": annotation.end, "label": (annotation.tags or (UNTAGGED_LABEL,))[0]}
