"""Reading annotations back: W3C Web Annotation JSON-LD, JSONL spans and brat standoff, merged
into a store, with the relations between them.

The formats are read by ``tui.notes.importers`` (one module each, checked against the JSON
Schemas shipped in ``tui/notes/schemas``); this module plans and writes.

An import is all or nothing. The whole file is parsed and checked first; any
problem (not JSON, an unknown shape, offsets outside the text, a document that
cannot be found) raises ``NotesImportError`` listing what is wrong, before
anything is written. Then every annotation is written in one transaction.

Each annotation is re-anchored against the document's current text, quote first,
so a file exported before the document was edited still lands on the right
passage, or is kept as an orphan. Offsets are authoritative (and must fit the text)
when the export names the same bytes (its SHA-256 equals the document's) and for
JSONL, which carries its own text; otherwise they are only a hint.

Duplicates are skipped: an annotation whose uid is already in the store, or one
with the same document, offsets, tags and note as an existing one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from tui.notes.anchoring import reanchor
from tui.notes.importers import jsonl, w3c
from tui.notes.importers import relations as relation_items
from tui.notes.importers.common import Incoming, IncomingLabel, NotesImportError, Problems
from tui.notes.importers.relations import IncomingRelation
from tui.notes.model import ANCHORED, ORPHAN, Annotation, make_selectors
from tui.notes.store_api import NoteStore

__all__ = ["DocumentResolver", "ImportReport", "NotesImportError", "SourceDocument", "import_bytes", "import_file"]


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A document as it is now: what an imported annotation is anchored against."""

    hash: str
    path: str
    title: str
    text: str


DocumentResolver = Callable[[str | None, str | None], SourceDocument | None]
"""Given the exported content hash and path (either may be None), the current document or None."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    skipped: int
    unanchored: int
    """Added as orphans: their passage was not found in the current text."""
    ignored: tuple[str, ...]
    """Parts of the input that carry nothing Margin keeps (a body that is not text, say)."""
    relations: int = 0
    """Relations added between the annotations."""
    labels: int = 0
    """Document labels added (those already in the store are not counted)."""


@dataclass(frozen=True, slots=True)
class _Hint:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def import_file(store: NoteStore, path: Path, resolve_document: DocumentResolver) -> ImportReport:
    """Import a W3C or JSONL file (format sniffed), or brat standoff (a ``.ann`` file beside
    its ``.txt``, or a folder of them), into the store."""
    path = Path(path)
    if path.is_dir() or path.suffix.lower() == ".ann":
        from tui.notes.importers import brat

        problems = Problems()
        hashes = [document.hash for document in store.documents()]
        return _import_parsed(store, list(brat.parse_path(path, hashes, problems)), resolve_document, problems, str(path))
    try:
        data = path.read_bytes()
    except OSError as error:
        raise NotesImportError(str(path), [error.strerror or str(error)]) from None
    return import_bytes(store, data, resolve_document, source=str(path))


def import_bytes(
    store: NoteStore, data: bytes, resolve_document: DocumentResolver, *, source: str
) -> ImportReport:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotesImportError(source, [f"not UTF-8 text (bad byte at {error.start})"]) from None
    problems = Problems()
    return _import_parsed(store, list(_parse(content, problems)), resolve_document, problems, source)


def _import_parsed(
    store: NoteStore,
    parsed: list[Incoming | IncomingRelation | IncomingLabel],
    resolve_document: DocumentResolver,
    problems: Problems,
    source: str,
) -> ImportReport:
    incoming = [item for item in parsed if isinstance(item, Incoming)]
    relations = [item for item in parsed if isinstance(item, IncomingRelation)]
    labels = [item for item in parsed if isinstance(item, IncomingLabel)]
    if not parsed and not problems.items:
        problems.add(None, "no annotations found")
    planned = _plan(store, incoming, resolve_document, problems)
    relation_items.check(relations, {item.uid for item in incoming if item.uid}, problems)
    planned_labels = _plan_labels(store, labels, resolve_document, problems)
    if problems.items:
        raise NotesImportError(source, problems.items)
    if planned_labels and not callable(getattr(store, "add_document_label", None)):
        raise NotesImportError(source, ["this store keeps no document labels"])
    return _write(store, planned, relations, problems, planned_labels)


def _parse(content: str, problems: Problems) -> Iterator[Incoming | IncomingRelation | IncomingLabel]:
    """Sniff the format: Margin's CSV or Markdown by their first line; else one JSON value is
    W3C (or a single JSONL line), several lines JSONL."""
    stripped = content.strip()
    if not stripped:
        problems.add(None, "the file is empty")
        return
    from tui.notes.importers import tables

    if tables.looks_like_csv(stripped):
        yield from tables.parse_csv(stripped, problems)
        return
    if tables.looks_like_markdown(stripped):
        yield from tables.parse_markdown(stripped, problems)
        return
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError as error:
        lines = [line for line in stripped.splitlines() if line.strip()]
        if len(lines) > 1 and _is_json_object(lines[0]):
            yield from jsonl.parse_lines(lines, problems)
        else:
            problems.add(None, f"not JSON ({error.msg} at line {error.lineno} column {error.colno})")
        return
    if jsonl.looks_like_record(whole):
        yield from jsonl.parse_record(whole, "line 1", problems)
    else:
        yield from w3c.parse(whole, problems)


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


# -- planning and writing --------------------------------------------------------


def _plan(
    store: NoteStore, incoming: list[Incoming], resolve_document: DocumentResolver, problems: Problems
) -> list[tuple[SourceDocument, Annotation, str | None]]:
    """Resolve documents and re-anchor every annotation, still without writing; each with
    the uid the file gave it (what its relations name)."""
    resolved: dict[tuple[str | None, str | None], SourceDocument | None] = {}
    planned = []
    for item in incoming:
        key = (item.source_hash, item.source_path)
        if key not in resolved:
            resolved[key] = resolve_document(item.source_hash, item.source_path)
        document = resolved[key]
        if document is None:
            problems.add(
                item.where, f"unknown document {item.source_path or item.source_hash or '(not named)'}"
            )
            continue
        if item.source_title and store.document(document.hash) is None:
            document = replace(document, title=item.source_title)
        annotation = _anchored(item, document, problems)
        if annotation is not None:
            planned.append((document, annotation, item.uid))
    return planned


def _anchored(item: Incoming, document: SourceDocument, problems: Problems) -> Annotation | None:
    text = document.text
    authoritative = item.own_text is None and not item.stale_offsets and item.source_hash == document.hash
    checked = item.start is not None and item.end is not None and (authoritative or item.quote is None)
    if checked and item.end > len(text):
        problems.add(
            item.where,
            f"offsets {item.start}..{item.end} are beyond the text of {document.path or document.hash} "
            f"({len(text)} characters)",
        )
        return None
    quote = item.quote if item.quote is not None else text[item.start : item.end]
    hint = _Hint(item.start or 0, item.end or 0, quote, item.prefix, item.suffix)
    anchor = reanchor(hint, text)
    if anchor.status == "orphan":
        status, start, end = ORPHAN, hint.start, hint.end
        prefix, suffix = item.prefix, item.suffix
    else:
        status, start, end = ANCHORED, anchor.start, anchor.end
        selectors = make_selectors(text, start, end)
        quote, prefix, suffix = selectors.quote, selectors.prefix, selectors.suffix
    return Annotation(
        id=0,
        uid=item.uid or str(uuid.uuid4()),
        doc_hash=document.hash,
        start=start,
        end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        tags=item.tags,
        note=item.note,
        annotator=item.annotator,
        created=item.created,
        modified=item.modified,
        status=status,
    )


def _plan_labels(
    store: NoteStore, labels: list[IncomingLabel], resolve_document: DocumentResolver, problems: Problems
) -> list[tuple[SourceDocument, IncomingLabel]]:
    resolved: dict[tuple[str | None, str | None], SourceDocument | None] = {}
    planned = []
    for label in labels:
        key = (label.source_hash, label.source_path)
        if key not in resolved:
            resolved[key] = resolve_document(label.source_hash, label.source_path)
        document = resolved[key]
        if document is None:
            problems.add(label.where, f"unknown document {label.source_path or label.source_hash or '(not named)'}")
            continue
        if label.source_title and store.document(document.hash) is None:
            document = replace(document, title=label.source_title)
        planned.append((document, label))
    return planned


def _identity(annotation: Annotation) -> tuple:
    place = (annotation.start, annotation.end) if annotation.status == ANCHORED else (annotation.quote,)
    return (annotation.doc_hash, annotation.status, *place, frozenset(annotation.tags), annotation.note)


def _write(
    store: NoteStore,
    planned: list[tuple[SourceDocument, Annotation, str | None]],
    relations: list[IncomingRelation],
    problems: Problems,
    labels: list[tuple[SourceDocument, IncomingLabel]] | None = None,
) -> ImportReport:
    added = skipped = unanchored = labelled = 0
    with store.transaction():
        known_tags = {tag.name.casefold(): tag.name for tag in store.tags()}

        def same_tags(names: tuple[str, ...]) -> tuple[str, ...]:
            """Tags matched without regard to case: ``Question`` lands on an existing ``question``."""
            return tuple(dict.fromkeys(known_tags.setdefault(name.casefold(), name) for name in names))

        registered: set[str] = set()
        existing: dict[str, dict[tuple, str]] = {}
        seen_uids: set[str] = set()
        stored: dict[str, tuple[str, str]] = {}
        """The file's uid of each annotation -> the (uid, document) the store holds it as."""
        for document, planned_annotation, given in planned:
            annotation = replace(planned_annotation, tags=same_tags(planned_annotation.tags))
            if document.hash not in registered:
                store.register_document(document.hash, document.path, document.title)
                registered.add(document.hash)
                existing[document.hash] = {_identity(known): known.uid for known in store.annotations(document.hash)}
            identity = _identity(annotation)
            already = store.get_by_uid(annotation.uid) if annotation.uid not in seen_uids else None
            if annotation.uid in seen_uids or identity in existing[document.hash] or already is not None:
                skipped += 1
                if given is not None:
                    same = annotation.uid if annotation.uid in seen_uids or already is not None else None
                    kept = same or existing[document.hash][identity]
                    stored[given] = (kept, already.doc_hash if already is not None else document.hash)
                continue
            store.restore_annotation(annotation)
            seen_uids.add(annotation.uid)
            existing[document.hash][identity] = annotation.uid
            if given is not None:
                stored[given] = (annotation.uid, document.hash)
            added += 1
            unanchored += annotation.status == ORPHAN
        known_categories = {category.name.casefold(): category.name for category in store.categories()} if labels else {}
        for document, label in labels or ():
            if document.hash not in registered:
                store.register_document(document.hash, document.path, document.title)
                registered.add(document.hash)
            name = known_categories.setdefault(label.category.casefold(), label.category)
            mine = {known.category for known in store.document_labels(document.hash, label.annotator)}
            if name in mine:
                skipped += 1
                continue
            store.add_document_label(document.hash, name, label.annotator, created=label.created)
            labelled += 1
        related, _same = relation_items.write(store, relations, stored)
    return ImportReport(added, skipped, unanchored, tuple(problems.ignored), related, labelled)
