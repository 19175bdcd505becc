"""Where agreement's documents come from: Margin's store, or export files annotators send in.

Files: Margin's JSONL (annotator per annotation in ``meta.annotations``), any JSONL with
``text`` and ``spans`` (``{"start", "end", "label"}`` objects or ``[start, end, label]``
lists, as Prodigy, doccano and spaCy write), or W3C Web Annotation JSON-LD (``creator.name``,
``TextPositionSelector``). An annotation without an annotator belongs to the file's stem.
Documents from different files are the same document when they carry the same SHA-256:
Margin's (``meta.hash``, ``source.sha256``), else the SHA-256 of the UTF-8 text.

Offsets in all of these are code points; UTF-16 offsets are derived from the text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from tui.notes.agreement import AgreementDocument, Span

if TYPE_CHECKING:
    from tui.notes.store_api import NoteStore

UNTAGGED = "NOTE"
"""The tag of an annotation without tags, as in Margin's JSONL export."""


class AgreementInputError(ValueError):
    """A file or store that cannot be read as annotations, in words for the user."""


@dataclass(slots=True)
class LoadedDocument:
    key: str
    name: str
    text: str | None = None
    annotators: set[str] = field(default_factory=set)
    spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Loaded:
    documents: dict[str, LoadedDocument] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    labels: list[tuple[str, str, str]] = field(default_factory=list)
    """Document labels as (document key, annotator, label)."""

    def document(self, key: str, name: str) -> LoadedDocument:
        found = self.documents.get(key)
        if found is None:
            found = self.documents[key] = LoadedDocument(key, name)
        return found


# -- offsets -----------------------------------------------------------------------


def utf16_offsets(text: str) -> Callable[[int], int] | None:
    """Code point → UTF-16 unit offset for ``text``; None when they are the same (no
    character outside the Basic Multilingual Plane)."""
    if len(text.encode("utf-16-le")) == 2 * len(text):
        return None
    units = [0, *accumulate(2 if ord(ch) > 0xFFFF else 1 for ch in text)]
    return units.__getitem__


def finish(loaded: Loaded, offsets: str = "codepoints") -> list[AgreementDocument]:
    """The documents in the offsets asked for. Without its text, a document's continuum ends
    at its last annotated offset, and UTF-16 offsets cannot be had."""
    finished = []
    for document in loaded.documents.values():
        spans = document.spans
        if document.text is None:
            if offsets == "utf16":
                raise AgreementInputError(
                    f"{document.name}: UTF-16 offsets need the document's text, which is not available"
                )
            length = max((span.end for span in spans), default=0)
        else:
            length = len(document.text)
            spans = [span for span in spans if span.end <= length]
            if len(spans) < len(document.spans):
                loaded.warnings.append(
                    f"{document.name}: {len(document.spans) - len(spans)} spans end past the text, left out"
                )
            convert = utf16_offsets(document.text) if offsets == "utf16" else None
            if convert is not None:
                length = convert(length)
                spans = [Span(convert(s.start), convert(s.end), s.tag, s.annotator) for s in spans]
        finished.append(AgreementDocument(document.key, length, frozenset(document.annotators), tuple(spans)))
    return finished


# -- the store ---------------------------------------------------------------------


def load_store(store: NoteStore, doc_hashes: Iterable[str] | None, load_text: Callable) -> Loaded:
    """Anchored annotations of the store, per document. Every annotator in the selection
    counts as having read every selected document: the store cannot tell a document nobody
    opened from one with nothing to mark."""
    loaded = Loaded()
    wanted = set(doc_hashes) if doc_hashes is not None else None
    known = {document.hash: document for document in store.documents()}
    annotations = (
        [a for digest in sorted(wanted) for a in store.annotations(digest)]
        if wanted is not None
        else store.all_annotations()
    )
    everyone = set()
    texts: dict[str, str | None] = {}
    for annotation in annotations:
        if annotation.status != "anchored":
            continue
        document = known.get(annotation.doc_hash)
        if annotation.doc_hash not in texts:
            texts[annotation.doc_hash] = load_text(document) if document is not None else None
        text = texts[annotation.doc_hash]
        if text is not None and text[annotation.start : annotation.end] != annotation.quote:
            continue
        name = document.path if document is not None and document.path else annotation.doc_hash
        target = loaded.document(annotation.doc_hash, name)
        target.text = text
        everyone.add(annotation.annotator)
        for tag in annotation.tags or (UNTAGGED,):
            target.spans.append(Span(annotation.start, annotation.end, tag, annotation.annotator))
    for document in loaded.documents.values():
        document.annotators = set(everyone)
    if callable(getattr(store, "all_document_labels", None)):
        loaded.labels = [
            (label.doc_hash, label.annotator, label.category)
            for label in store.all_document_labels()
            if wanted is None or label.doc_hash in wanted
        ]
    return loaded


# -- files -------------------------------------------------------------------------


def load_files(paths: Iterable[Path], resolve_text: Callable[[str | None, str | None], str | None]) -> Loaded:
    """Annotations from export files. ``resolve_text(sha256, source_uri)`` finds the text of
    a W3C document on disk, or None."""
    loaded = Loaded()
    for path in paths:
        try:
            raw = Path(path).read_bytes()
        except OSError as error:
            raise AgreementInputError(f"{path}: {error.strerror or error}") from None
        try:
            content = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise AgreementInputError(f"{path}: not UTF-8 text") from None
        stem = Path(path).stem
        whole = _json_or_none(content)
        if isinstance(whole, dict) and ("@context" in whole or whole.get("type") == "AnnotationCollection"):
            _load_w3c(loaded, whole, str(path), stem, resolve_text)
        elif isinstance(whole, list) and all(isinstance(item, dict) and "target" in item for item in whole):
            _load_w3c(loaded, {"items": whole}, str(path), stem, resolve_text)
        else:
            _load_jsonl(loaded, content, str(path), stem)
    return loaded


def _json_or_none(content: str):
    try:
        return json.loads(content)
    except ValueError:
        return None


def _load_jsonl(loaded: Loaded, content: str, name: str, stem: str) -> None:
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{name}: line {number}"
        try:
            record = json.loads(line)
        except ValueError:
            raise AgreementInputError(f"{where}: not JSON (expected W3C JSON-LD or JSON Lines)") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise AgreementInputError(f"{where}: a JSON Lines record needs a 'text' string")
        text = record["text"]
        meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
        digest = meta.get("hash") if isinstance(meta.get("hash"), str) and meta.get("hash") else None
        key = digest or hashlib.sha256(text.encode("utf-8")).hexdigest()
        document = loaded.document(key, meta.get("path") or f"{name} line {number}")
        if document.text is None:
            document.text = text
        loaded.labels += _jsonl_labels(record, meta, key, stem)
        if "spans" not in record and "annotations" not in meta:
            continue
        annotations = meta.get("annotations")
        spans = (
            _margin_spans(annotations, stem)
            if isinstance(annotations, list)
            else _plain_spans(record.get("spans"), stem, where)
        )
        bad = 0
        for span in spans:
            if span is None or not 0 <= span.start < span.end <= len(text):
                bad += 1
                continue
            document.spans.append(span)
            document.annotators.add(span.annotator)
        if bad == len(spans):
            # Nothing marked here: the file's own annotator read the text and found nothing.
            document.annotators.add(stem)
        if bad:
            loaded.warnings.append(f"{where}: {bad} spans do not fit the text, left out")


def _jsonl_labels(record: dict, meta: dict, key: str, stem: str) -> list[tuple[str, str, str]]:
    """Margin's ``meta.labels``, else the categories spaCy's ``cats`` chose (at 0.5 or more)."""
    entries = meta.get("labels")
    if not isinstance(entries, list):
        cats = record.get("cats")
        if not isinstance(cats, dict):
            return []
        entries = [
            {"label": name}
            for name, value in cats.items()
            if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0.5
        ]
    found = []
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("label"), str) and entry["label"]:
            annotator = entry.get("annotator")
            found.append((key, annotator if isinstance(annotator, str) and annotator else stem, entry["label"]))
    return found


def _margin_spans(annotations: list, stem: str) -> list[Span | None]:
    spans: list[Span | None] = []
    for annotation in annotations:
        if not isinstance(annotation, dict):
            spans.append(None)
            continue
        start, end = annotation.get("start"), annotation.get("end")
        if not _offsets(start, end):
            spans.append(None)
            continue
        annotator = annotation.get("annotator")
        annotator = annotator if isinstance(annotator, str) and annotator else stem
        tags = [tag for tag in annotation.get("tags") or () if isinstance(tag, str) and tag]
        spans.extend(Span(start, end, tag, annotator) for tag in tags or (UNTAGGED,))
    return spans


def _plain_spans(raw, stem: str, where: str) -> list[Span | None]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise AgreementInputError(f"{where}: 'spans' must be a list")
    spans: list[Span | None] = []
    for span in raw:
        if isinstance(span, dict):
            start, end = span.get("start"), span.get("end")
            label = span.get("label", UNTAGGED)
            annotator = span.get("annotator")
        elif isinstance(span, list) and len(span) >= 3:
            start, end, label = span[:3]
            annotator = None
        else:
            spans.append(None)
            continue
        if not _offsets(start, end) or not isinstance(label, str) or not label:
            spans.append(None)
            continue
        spans.append(Span(start, end, label, annotator if isinstance(annotator, str) and annotator else stem))
    return spans


def _offsets(start, end) -> bool:
    return type(start) is int and type(end) is int and 0 <= start < end


def _load_w3c(loaded: Loaded, collection: dict, name: str, stem: str, resolve_text: Callable) -> None:
    first = collection.get("first")
    items = first.get("items") if isinstance(first, dict) else collection.get("items")
    if not isinstance(items, list):
        raise AgreementInputError(f"{name}: a W3C annotation collection without items")
    skipped = 0
    for item in items:
        target = item.get("target") if isinstance(item, dict) else None
        source = target.get("source") if isinstance(target, dict) else None
        if isinstance(target, dict) and isinstance(source, str):
            source = {"id": source}
        if not isinstance(source, dict):
            skipped += 1
            continue
        if "selector" not in target and _w3c_label(loaded, item, source, stem):
            continue
        selectors = target.get("selector")
        selectors = selectors if isinstance(selectors, list) else [selectors]
        position = next(
            (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"), None
        )
        if position is None or not _offsets(position.get("start"), position.get("end")):
            skipped += 1
            continue
        digest = source.get("sha256") if isinstance(source.get("sha256"), str) else None
        uri = source.get("id") if isinstance(source.get("id"), str) else None
        if not digest and not uri:
            skipped += 1
            continue
        key = digest or uri
        document = loaded.document(key, _uri_path(uri) or key)
        if document.text is None:
            document.text = resolve_text(digest, uri)
        creator = item.get("creator")
        annotator = creator.get("name") if isinstance(creator, dict) else creator
        annotator = annotator if isinstance(annotator, str) and annotator else stem
        body = item.get("body")
        bodies = body if isinstance(body, list) else [body] if body is not None else []
        tags = [
            b["value"]
            for b in bodies
            if isinstance(b, dict) and b.get("purpose") == "tagging" and isinstance(b.get("value"), str) and b["value"]
        ]
        document.annotators.add(annotator)
        for tag in tags or (UNTAGGED,):
            document.spans.append(Span(position["start"], position["end"], tag, annotator))
    if skipped:
        loaded.warnings.append(f"{name}: {skipped} annotations without a text position, left out")


def _w3c_label(loaded: Loaded, item: dict, source: dict, stem: str) -> bool:
    """A document label (a classifying body on the whole document); False if it is not one."""
    body = item.get("body")
    bodies = body if isinstance(body, list) else [body]
    values = [
        b["value"]
        for b in bodies
        if isinstance(b, dict) and b.get("purpose") == "classifying" and isinstance(b.get("value"), str) and b["value"]
    ]
    key = source.get("sha256") if isinstance(source.get("sha256"), str) else source.get("id")
    if not values or not isinstance(key, str) or not key:
        return False
    creator = item.get("creator")
    annotator = creator.get("name") if isinstance(creator, dict) else creator
    annotator = annotator if isinstance(annotator, str) and annotator else stem
    loaded.labels += [(key, annotator, value) for value in values]
    return True


def _uri_path(uri: str | None) -> str | None:
    if not uri:
        return None
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def file_text_resolver(decode_bytes: Callable[[bytes], str | None]) -> Callable[[str | None, str | None], str | None]:
    """Find a W3C document's text at its ``file:`` URI, only if the bytes still hash to the
    recorded SHA-256 (or no hash was recorded)."""

    def resolve(digest: str | None, uri: str | None) -> str | None:
        path = _uri_path(uri) if uri and uri.startswith("file:") else None
        if path is None:
            return None
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None
        if digest and hashlib.sha256(data).hexdigest() != digest:
            return None
        return decode_bytes(data)

    return resolve
