"""W3C Web Annotation Data Model (JSON-LD): the interchange format other tools read.

One ``AnnotationCollection`` whose ``first`` page embeds every annotation. Each
annotation carries a ``TextualBody`` with purpose ``tagging`` per tag and one with
purpose ``commenting`` for its note; its target names the file (``source.id``, a
``file:`` URI) and the exact bytes annotated: ``source.sha256`` is the SHA-256 of
the file and ``source.title`` the document's title (Dublin Core), terms defined by an
extension context placed after the Web Annotation context, as the model asks of
extensions. Selectors are a ``TextQuoteSelector`` and,
for anchored annotations, a ``TextPositionSelector`` whose offsets count code points
of the decoded text, as the W3C selector model specifies; the collection's ``offsets``
(an extension term) says exactly which characters they count. Orphans keep only the
quote: their old offsets point at text that is no longer there.

A relation is an annotation of its own, motivated ``linking``, whose targets are the two
annotations it links (their ids), its label a ``tagging`` body. The model's targets are a
set, so the direction is said by two extension terms, ``head`` and ``child``, naming the
source and the target; the targets list them in that order too.
A document label is an annotation whose target is the document itself (its ``source``, no
selector), with motivation ``classifying`` and the label as a ``TextualBody`` of purpose
``classifying``.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from tui.notes.exporters.collection import DocumentNotes
from tui.notes.labels import DocumentLabel
from tui.notes.model import ANCHORED, Annotation, Document
from tui.notes.offsets import DESCRIPTIONS, TEXT_OFFSETS, OffsetMode
from tui.notes.relations import Relation

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MARGIN_NAMESPACE = "https://margin.invalid/ns#"
CONTEXT = [
    ANNO_CONTEXT,
    {
        "sha256": f"{MARGIN_NAMESPACE}sha256",
        "title": "http://purl.org/dc/terms/title",
        "offsets": f"{MARGIN_NAMESPACE}offsets",
        "head": {"@id": f"{MARGIN_NAMESPACE}head", "@type": "@id"},
        "child": {"@id": f"{MARGIN_NAMESPACE}child", "@type": "@id"},
    },
]
UID_PREFIX = "urn:uuid:"


def to_w3c(documents: list[DocumentNotes], *, offsets: OffsetMode = TEXT_OFFSETS) -> str:
    """Pretty outside, one compact line per annotation: readable, diffable, and fast on 100,000
    (``json.dumps`` with ``indent`` falls back to the pure-Python encoder)."""
    items = [
        json.dumps(annotation_json(notes.document, annotation), ensure_ascii=False)
        for notes in documents
        for annotation in notes.annotations
    ]
    items += [
        json.dumps(relation_json(relation), ensure_ascii=False)
        for notes in documents
        for relation in notes.relations
    ]
    items += [
        json.dumps(label_json(notes.document, label), ensure_ascii=False)
        for notes in documents
        for label in notes.labels
    ]
    head = json.dumps({"@context": CONTEXT}, ensure_ascii=False)[1:-1]
    lines = [
        "{",
        f"  {head},",
        '  "type": "AnnotationCollection",',
        '  "label": "Margin annotations",',
        f'  "offsets": {json.dumps(DESCRIPTIONS[offsets], ensure_ascii=False)},',
        f'  "total": {len(items)},',
        '  "first": {',
        '    "type": "AnnotationPage",',
        '    "startIndex": 0,',
        '    "items": [' if items else '    "items": []',
    ]
    if items:
        lines.append(",\n".join(f"      {item}" for item in items))
        lines.append("    ]")
    lines.extend(["  }", "}"])
    return "\n".join(lines) + "\n"


def annotation_json(document: Document, annotation: Annotation) -> dict:
    body = [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in annotation.tags]
    if annotation.note:
        body.append(
            {"type": "TextualBody", "purpose": "commenting", "value": annotation.note, "format": "text/plain"}
        )
    selectors: list[dict] = [
        {
            "type": "TextQuoteSelector",
            "exact": annotation.quote,
            "prefix": annotation.prefix,
            "suffix": annotation.suffix,
        }
    ]
    if annotation.status == ANCHORED:
        selectors.append({"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end})
    source = _source(document, annotation.doc_hash)
    item = {
        "id": f"{UID_PREFIX}{annotation.uid}",
        "type": "Annotation",
        "motivation": _motivation(annotation),
        "creator": {"type": "Person", "name": annotation.annotator},
        "created": annotation.created,
        "modified": annotation.modified,
        "body": body,
        "target": {"source": source, "selector": selectors},
    }
    if not body:
        del item["body"]
    return item


def relation_json(relation: Relation) -> dict:
    head, child = f"{UID_PREFIX}{relation.head}", f"{UID_PREFIX}{relation.child}"
    return {
        "id": f"{UID_PREFIX}{relation.uid}",
        "type": "Annotation",
        "motivation": "linking",
        "creator": {"type": "Person", "name": relation.annotator},
        "created": relation.created,
        "modified": relation.created,
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": relation.label}],
        "target": [head, child],
        "head": head,
        "child": child,
    }


def _source(document: Document, digest: str) -> dict:
    source = {"type": "Text", "format": "text/plain", "sha256": digest}
    if document.path:
        source = {"id": Path(os.path.abspath(document.path)).as_uri(), **source}
    if document.title:
        source["title"] = document.title
    return source


def label_json(document: Document, label: DocumentLabel) -> dict:
    """A document label: the whole document is the target (no selector), the label the body."""
    name = f"margin-label:{document.hash}:{label.annotator}:{label.category}"
    return {
        "id": f"{UID_PREFIX}{uuid.uuid5(uuid.NAMESPACE_URL, name)}",
        "type": "Annotation",
        "motivation": "classifying",
        "creator": {"type": "Person", "name": label.annotator},
        "created": label.created,
        "modified": label.created,
        "body": [{"type": "TextualBody", "purpose": "classifying", "value": label.category}],
        "target": {"source": _source(document, document.hash)},
    }


def _motivation(annotation: Annotation) -> str:
    if annotation.note:
        return "commenting"
    if annotation.tags:
        return "tagging"
    return "highlighting"
