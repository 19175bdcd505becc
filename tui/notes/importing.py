"""Reading annotations back: W3C Web Annotation JSON-LD and JSONL spans, merged into a store.

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
from typing import Any
from urllib.parse import unquote, urlparse

from tui.notes.anchoring import reanchor
from tui.notes.exporters.collection import UNTAGGED_LABEL
from tui.notes.exporters.w3c import UID_PREFIX
from tui.notes.model import (
    ANCHORED,
    ORPHAN,
    Annotation,
    InvalidValue,
    check_tag_name,
    make_selectors,
    utc_now,
)
from tui.notes.store import Store

MAX_LISTED_PROBLEMS = 5


class NotesImportError(Exception):
    """The file cannot be imported; nothing was written."""

    def __init__(self, source: str, problems: list[str]) -> None:
        shown = "; ".join(problems[:MAX_LISTED_PROBLEMS])
        more = len(problems) - MAX_LISTED_PROBLEMS
        suffix = f" (and {more} more)" if more > 0 else ""
        super().__init__(f"cannot import {source}: {shown}{suffix}; nothing was imported")
        self.problems = tuple(problems)


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


@dataclass(frozen=True, slots=True)
class _Incoming:
    where: str
    uid: str | None
    source_hash: str | None
    source_path: str | None
    source_title: str | None
    quote: str | None
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    tags: tuple[str, ...]
    note: str
    annotator: str
    created: str
    modified: str
    own_text: str | None = None
    """The text the offsets count in, when the file carries it (JSONL)."""
    stale_offsets: bool = False
    """The offsets are where the passage used to be (an exported orphan): a hint only."""


@dataclass(frozen=True, slots=True)
class _Hint:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []
        self.ignored: list[str] = []

    def add(self, where: str | None, message: str) -> None:
        """Record a problem, ``where`` naming the item (None: the file as a whole)."""
        self.items.append(f"{where}: {message}" if where else message)


def import_file(store: Store, path: Path, resolve_document: DocumentResolver) -> ImportReport:
    """Import a W3C or JSONL file (format sniffed) into the store."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise NotesImportError(str(path), [error.strerror or str(error)]) from None
    return import_bytes(store, data, resolve_document, source=str(path))


def import_bytes(
    store: Store, data: bytes, resolve_document: DocumentResolver, *, source: str
) -> ImportReport:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotesImportError(source, [f"not UTF-8 text (bad byte at {error.start})"]) from None
    problems = _Problems()
    incoming = list(_parse(content, problems))
    if not incoming and not problems.items:
        problems.add(None, "no annotations found")
    planned = _plan(store, incoming, resolve_document, problems)
    if problems.items:
        raise NotesImportError(source, problems.items)
    return _write(store, planned, problems)


# -- parsing -------------------------------------------------------------------


def _parse(content: str, problems: _Problems) -> Iterator[_Incoming]:
    stripped = content.strip()
    if not stripped:
        problems.add(None, "the file is empty")
        return
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError as error:
        lines = [line for line in stripped.splitlines() if line.strip()]
        if len(lines) > 1 and _is_json_object(lines[0]):
            yield from _parse_jsonl(lines, problems)
        else:
            problems.add(None, f"not JSON ({error.msg} at line {error.lineno} column {error.colno})")
        return
    if isinstance(whole, dict) and "text" in whole and "spans" in whole:
        yield from _parse_jsonl_record(whole, "line 1", problems)
    else:
        yield from _parse_w3c(whole, problems)


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


def _types(value: Any) -> set[str]:
    kinds = value.get("type", value.get("@type")) if isinstance(value, dict) else None
    if isinstance(kinds, str):
        return {kinds}
    if isinstance(kinds, list):
        return {kind for kind in kinds if isinstance(kind, str)}
    return set()


def _parse_w3c(document: Any, problems: _Problems) -> Iterator[_Incoming]:
    if isinstance(document, list):
        items = document
    elif "AnnotationCollection" in _types(document):
        items = list(_collection_items(document, problems))
    elif "AnnotationPage" in _types(document):
        items = document.get("items")
        if not isinstance(items, list):
            problems.add("page", "'items' is not a list")
            return
    elif "Annotation" in _types(document):
        items = [document]
    else:
        problems.add(None, "not a W3C Web Annotation collection, page, list or annotation, nor JSONL spans")
        return
    for index, item in enumerate(items, start=1):
        parsed = _parse_annotation(item, f"annotation {index}", problems)
        if parsed is not None:
            yield parsed


def _collection_items(collection: dict, problems: _Problems) -> Iterator[Any]:
    page = collection.get("first")
    seen = 0
    while page is not None:
        if not isinstance(page, dict):
            problems.add("collection", "pages given by reference are not supported; embed them")
            return
        items = page.get("items")
        if not isinstance(items, list):
            problems.add("collection", "a page's 'items' is not a list")
            return
        yield from items
        seen += 1
        page = page.get("next")
        if seen > 100_000:
            problems.add("collection", "too many pages")
            return


def _parse_annotation(item: Any, where: str, problems: _Problems) -> _Incoming | None:
    if not isinstance(item, dict) or "Annotation" not in _types(item):
        problems.add(where, "not an Annotation object")
        return None
    tags: list[str] = []
    notes: list[str] = []
    bodies = item.get("body", [])
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if isinstance(body, dict) and "TextualBody" in _types(body) and isinstance(body.get("value"), str):
            if body.get("purpose") == "tagging":
                tags.append(body["value"])
            else:
                notes.append(body["value"])
        else:
            problems.ignored.append(f"{where}: a body that is not a TextualBody")
    if isinstance(item.get("bodyValue"), str):
        notes.append(item["bodyValue"])
    targets = item.get("target")
    target = next(
        (
            candidate
            for candidate in (targets if isinstance(targets, list) else [targets])
            if isinstance(candidate, dict)
        ),
        None,
    )
    if target is None:
        problems.add(where, "no target with selectors")
        return None
    source_hash, source_path, source_title = _source(target.get("source"))
    selectors = target.get("selector", [])
    quote = prefix = suffix = None
    start = end = None
    for selector in selectors if isinstance(selectors, list) else [selectors]:
        kinds = _types(selector)
        if "TextQuoteSelector" in kinds:
            quote, prefix, suffix = (
                selector.get("exact"),
                selector.get("prefix", ""),
                selector.get("suffix", ""),
            )
        elif "TextPositionSelector" in kinds:
            start, end = selector.get("start"), selector.get("end")
    if quote is None and start is None:
        problems.add(where, "neither a TextQuoteSelector nor a TextPositionSelector")
        return None
    if not all(isinstance(value, str) for value in (prefix or "", suffix or "")) or (
        quote is not None and (not isinstance(quote, str) or not quote)
    ):
        problems.add(where, "the TextQuoteSelector's exact, prefix and suffix must be text, exact not empty")
        return None
    if start is not None and not _valid_offsets(start, end):
        problems.add(where, f"TextPositionSelector {start!r}..{end!r} is not a span of non-negative integers")
        return None
    return _Incoming(
        where=where,
        uid=_uid(item.get("id")),
        source_hash=source_hash,
        source_path=source_path,
        source_title=source_title,
        quote=quote,
        prefix=prefix or "",
        suffix=suffix or "",
        start=start,
        end=end,
        tags=_checked_tags(tags, where, problems),
        note="\n\n".join(notes),
        annotator=_creator(item.get("creator")),
        created=_time(item.get("created")),
        modified=_time(item.get("modified", item.get("created"))),
    )


def _source(source: Any) -> tuple[str | None, str | None, str | None]:
    """Content hash, file path and title named by a target's source, each if present."""
    if isinstance(source, str):
        return None, _file_path(source), None
    if isinstance(source, dict):
        digest, identifier, title = source.get("sha256"), source.get("id"), source.get("title")
        return (
            digest if isinstance(digest, str) else None,
            _file_path(identifier) if isinstance(identifier, str) else None,
            title if isinstance(title, str) and title else None,
        )
    return None, None, None


def _file_path(uri: str) -> str | None:
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return unquote(parsed.path)
    return None


def _uid(identifier: Any) -> str | None:
    """Margin's own ids are ``urn:uuid:``; another tool's id becomes a stable uuid5."""
    if not isinstance(identifier, str) or not identifier:
        return None
    if identifier.startswith(UID_PREFIX):
        try:
            return str(uuid.UUID(identifier[len(UID_PREFIX) :]))
        except ValueError:
            pass
    return str(uuid.uuid5(uuid.NAMESPACE_URL, identifier))


def _creator(creator: Any) -> str:
    if isinstance(creator, list) and creator:
        creator = creator[0]
    if isinstance(creator, str):
        return creator
    if isinstance(creator, dict):
        for key in ("name", "nickname", "id"):
            if isinstance(creator.get(key), str):
                return creator[key]
    return "unknown"


def _time(value: Any) -> str:
    return value if isinstance(value, str) and value else utc_now()


def _valid_offsets(start: Any, end: Any, *, allow_empty: bool = False) -> bool:
    """Integers (``bool`` is not an offset) with ``0 <= start < end``, or ``<=`` for an orphan's."""
    if type(start) is not int or type(end) is not int:
        return False
    return 0 <= start <= end if allow_empty else 0 <= start < end


def _checked_tags(tags: list[str], where: str, problems: _Problems) -> tuple[str, ...]:
    cleaned: list[str] = []
    for tag in tags:
        try:
            name = check_tag_name(tag)
        except InvalidValue as error:
            problems.add(where, str(error))
            continue
        if name not in cleaned:
            cleaned.append(name)
    return tuple(cleaned)


def _parse_jsonl(lines: list[str], problems: _Problems) -> Iterator[_Incoming]:
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.add(f"line {number}", f"not JSON ({error.msg})")
            continue
        yield from _parse_jsonl_record(record, f"line {number}", problems)


def _parse_jsonl_record(record: Any, where: str, problems: _Problems) -> Iterator[_Incoming]:
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        problems.add(where, "not an object with a 'text' string")
        return
    text = record["text"]
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    source_hash = meta.get("hash") if isinstance(meta.get("hash"), str) else None
    source_path = meta.get("path") if isinstance(meta.get("path"), str) and meta.get("path") else None
    source_title = meta.get("title") if isinstance(meta.get("title"), str) and meta.get("title") else None
    source = (source_hash, source_path, source_title)
    entries = meta.get("annotations")
    if isinstance(entries, list):
        for index, entry in enumerate(entries, start=1):
            yield from _jsonl_entry(entry, f"{where}, annotation {index}", text, source, problems)
        orphans = meta.get("orphans")
        for index, entry in enumerate(orphans if isinstance(orphans, list) else [], start=1):
            yield from _jsonl_entry(entry, f"{where}, orphan {index}", None, source, problems)
        return
    spans = record.get("spans")
    if not isinstance(spans, list):
        problems.add(where, "'spans' is not a list")
        return
    grouped: dict[tuple[int, int], list[str]] = {}
    for index, span in enumerate(spans, start=1):
        if not isinstance(span, dict) or not _valid_offsets(span.get("start"), span.get("end")):
            problems.add(f"{where}, span {index}", "needs integer 'start' < 'end'")
            continue
        if span["end"] > len(text):
            problems.add(
                f"{where}, span {index}",
                f"offsets {span['start']}..{span['end']} are beyond the text ({len(text)} characters)",
            )
            continue
        label = span.get("label")
        labels = grouped.setdefault((span["start"], span["end"]), [])
        if isinstance(label, str) and label and label != UNTAGGED_LABEL:
            labels.append(label)
    now = utc_now()
    for (start, end), labels in grouped.items():
        selectors = make_selectors(text, start, end)
        yield _Incoming(
            where=f"{where}, span {start}..{end}",
            uid=None,
            source_hash=source_hash,
            source_path=source_path,
            source_title=source_title,
            quote=selectors.quote,
            prefix=selectors.prefix,
            suffix=selectors.suffix,
            start=start,
            end=end,
            tags=_checked_tags(labels, where, problems),
            note="",
            annotator="unknown",
            created=now,
            modified=now,
            own_text=text,
        )


def _jsonl_entry(
    entry: Any,
    where: str,
    text: str | None,
    source: tuple[str | None, str | None, str | None],
    problems: _Problems,
) -> Iterator[_Incoming]:
    if not isinstance(entry, dict):
        problems.add(where, "not an object")
        return
    start, end = entry.get("start"), entry.get("end")
    if not (_valid_offsets(start, end) or (text is None and _valid_offsets(start, end, allow_empty=True))):
        problems.add(where, f"offsets {start!r}..{end!r} are not a span of non-negative integers")
        return
    if text is not None and end > len(text):
        problems.add(where, f"offsets {start}..{end} are beyond the text ({len(text)} characters)")
        return
    quote = entry.get("quote")
    if not isinstance(quote, str) or not quote:
        quote = text[start:end] if text is not None else None
    if quote is None:
        problems.add(where, "no quote")
        return
    tags = entry.get("tags", [])
    note = entry.get("note", "")
    if (
        not isinstance(tags, list)
        or not all(isinstance(tag, str) for tag in tags)
        or not isinstance(note, str)
    ):
        problems.add(where, "'tags' must be a list of text and 'note' text")
        return
    prefix, suffix = entry.get("prefix", ""), entry.get("suffix", "")
    yield _Incoming(
        where=where,
        uid=_uid(UID_PREFIX + entry["uid"]) if isinstance(entry.get("uid"), str) else None,
        source_hash=source[0],
        source_path=source[1],
        source_title=source[2],
        quote=quote,
        prefix=prefix if isinstance(prefix, str) else "",
        suffix=suffix if isinstance(suffix, str) else "",
        start=start,
        end=end,
        tags=_checked_tags(tags, where, problems),
        note=note,
        annotator=entry["annotator"] if isinstance(entry.get("annotator"), str) else "unknown",
        created=_time(entry.get("created")),
        modified=_time(entry.get("modified", entry.get("created"))),
        own_text=text,
        stale_offsets=text is None,
    )


# -- planning and writing --------------------------------------------------------


def _plan(
    store: Store, incoming: list[_Incoming], resolve_document: DocumentResolver, problems: _Problems
) -> list[tuple[SourceDocument, Annotation]]:
    """Resolve documents and re-anchor every annotation, still without writing."""
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
            planned.append((document, annotation))
    return planned


def _anchored(item: _Incoming, document: SourceDocument, problems: _Problems) -> Annotation | None:
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


def _identity(annotation: Annotation) -> tuple:
    place = (annotation.start, annotation.end) if annotation.status == ANCHORED else (annotation.quote,)
    return (annotation.doc_hash, annotation.status, *place, frozenset(annotation.tags), annotation.note)


def _write(
    store: Store, planned: list[tuple[SourceDocument, Annotation]], problems: _Problems
) -> ImportReport:
    added = skipped = unanchored = 0
    with store.transaction():
        registered: set[str] = set()
        existing: dict[str, set[tuple]] = {}
        seen_uids: set[str] = set()
        for document, annotation in planned:
            if document.hash not in registered:
                store.register_document(document.hash, document.path, document.title)
                registered.add(document.hash)
                existing[document.hash] = {_identity(known) for known in store.annotations(document.hash)}
            identity = _identity(annotation)
            if (
                annotation.uid in seen_uids
                or identity in existing[document.hash]
                or store.get_by_uid(annotation.uid) is not None
            ):
                skipped += 1
                continue
            store.restore_annotation(annotation)
            seen_uids.add(annotation.uid)
            existing[document.hash].add(identity)
            added += 1
            unanchored += annotation.status == ORPHAN
    return ImportReport(added, skipped, unanchored, tuple(problems.ignored))
