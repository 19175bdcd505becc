"""``margin import --suggestions``: predicted spans read from a file, found in their documents.

Accepted shapes, sniffed:

- JSONL spans, one record a line: ``{"text", "spans": [{"start", "end", "label", "score"?,
  "source"?}], "meta": {"hash"?, "path"?, "title"?, "source"?, "score"?}}`` — Margin's own
  export, spaCy's and Prodigy's (extra keys such as ``token_start`` are ignored; a record's
  ``meta.score`` is the score of its spans that have none);
- W3C Web Annotation JSON-LD (a collection, page, list or one annotation): each annotation's
  tagging bodies are its labels, its selectors the place, ``score`` its score and
  ``generator`` (a name or ``{"name"}``) its source.

A record finds its document by ``meta.hash`` or ``meta.path`` (W3C: ``target.source``),
else by its ``text`` being exactly a known document's text — hashed as documents are (the
SHA-256 of its UTF-8 bytes), then compared with each known document's decoded text. Unlike
an annotation import, this is record by record: a record that matches no document (or is
malformed) is reported in one line and nothing from it is imported, and the rest goes in, in
one transaction. When the document's text is not the record's (the file changed since the
model saw it), each span is found again by its quote and context, or kept as an orphan.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.notes.anchoring import reanchor
from tui.notes.exporters.collection import UNTAGGED_LABEL
from tui.notes.importers.common import NotesImportError
from tui.notes.importing import DocumentResolver, SourceDocument
from tui.notes.model import ANCHORED, ORPHAN, InvalidValue, check_tag_name, make_selectors, utc_now
from tui.notes.store_api import NoteStore
from tui.notes.suggestions import Suggestion, check_source, suggestion_uid


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    tag: str
    score: float | None
    source: str | None


@dataclass(frozen=True, slots=True)
class _Record:
    order: int
    where: str
    text: str | None
    """The text the offsets count in, when the record carries it (JSONL)."""
    hash: str | None
    path: str | None
    title: str | None
    spans: tuple[_Span, ...]


@dataclass(slots=True)
class SuggestionImportReport:
    added: int = 0
    skipped: int = 0
    """Already in the store (the same document, span, tag and source)."""
    orphaned: int = 0
    """Added as orphans: their passage is not in the document's current text."""
    records: int = 0
    """Records imported (JSONL lines, W3C annotations)."""
    unmatched: list[str] = field(default_factory=list)
    """One line per record from which nothing was imported, saying why, in file order."""
    _order: list[int] = field(default_factory=list)

    def leave_out(self, order: int, line: str) -> None:
        self._order.append(order)
        self.unmatched.append(line)
        if len(self._order) > 1 and self._order[-2] > order:
            pairs = sorted(zip(self._order, self.unmatched, strict=True))
            self._order = [o for o, _ in pairs]
            self.unmatched = [line for _, line in pairs]


class _BadRecord(Exception):
    pass


def import_suggestions(
    store: NoteStore,
    path: Path,
    resolve_document: DocumentResolver,
    *,
    source: str | None = None,
) -> SuggestionImportReport:
    """Read ``path`` and store its suggestions; ``NotesImportError`` when the file as a whole
    cannot be read (nothing is written then)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise NotesImportError(str(path), [error.strerror or str(error)]) from None
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotesImportError(str(path), [f"not UTF-8 text (bad byte at {error.start})"]) from None
    try:
        default_source = check_source(source if source is not None else path.stem or "model")
    except InvalidValue as error:
        raise NotesImportError(str(path), [f"--source: {error}"]) from None
    report = SuggestionImportReport()
    records = list(_records(content, str(path), report))
    finder = _DocumentFinder(store, resolve_document)
    planned: list[Suggestion] = []
    documents: dict[str, SourceDocument] = {}
    now = utc_now()
    known_tags = {tag.name.casefold(): tag.name for tag in store.tags()}
    for record in records:
        document = finder.find(record)
        if document is None:
            report.leave_out(record.order, f"{record.where}: {_no_document(record)}; nothing imported from it")
            continue
        documents.setdefault(document.hash, document)
        report.records += 1
        placed = _place(record, document)
        for span, start, end, status in placed:
            tag = known_tags.setdefault(span.tag.casefold(), span.tag)
            where = source if source is not None else (span.source or default_source)
            if status == ANCHORED:
                selectors = make_selectors(document.text, start, end)
                quote, prefix, suffix = selectors.quote, selectors.prefix, selectors.suffix
            else:
                quote, prefix, suffix = span.quote, span.prefix, span.suffix
                report.orphaned += 1
            planned.append(
                Suggestion(
                    uid=suggestion_uid(document.hash, start, end, tag, where),
                    doc_hash=document.hash,
                    start=start,
                    end=end,
                    quote=quote,
                    prefix=prefix,
                    suffix=suffix,
                    tag=tag,
                    score=span.score,
                    source=where,
                    status=status,
                    created=now,
                )
            )
    if planned:
        with store.transaction():
            for document in documents.values():
                if store.document(document.hash) is None:
                    store.register_document(document.hash, document.path, document.title)
            # The labels become tags now, so each has its colour (and a free key) before
            # anything is accepted, and keeps it.
            existing = {tag.name for tag in store.tags()}
            for name in dict.fromkeys(s.tag for s in planned):
                if name not in existing:
                    store.create_tag(name)
            report.added = store.add_suggestions(planned)
        report.skipped = len(planned) - report.added
    if not planned and not report.unmatched and not report.records:
        raise NotesImportError(str(path), ["no suggestions found"])
    return report


def _no_document(record: _Record) -> str:
    if record.hash or record.path:
        return f"no known document {record.path or record.hash}"
    if record.text is not None:
        return "no known document has exactly this text (open it in Margin once, or name it in meta.path)"
    return "names no document"


# -- placing spans in the document -------------------------------------------------------


def _place(record: _Record, document: SourceDocument) -> Iterator[tuple[_Span, int, int, str]]:
    """Each span with where it is in the document now: the record's own offsets when its
    text is the document's, else found again by quote and context, else an orphan."""
    text = document.text
    same_text = record.text is not None and record.text == text
    for span in record.spans:
        if same_text or (record.text is None and span.end <= len(text) and text[span.start : span.end] == span.quote):
            yield span, span.start, span.end, ANCHORED
            continue
        anchor = reanchor(span, text)
        if anchor.status == "orphan":
            yield span, span.start, span.end, ORPHAN
        else:
            yield span, anchor.start, anchor.end, ANCHORED


class _DocumentFinder:
    """Documents by name (hash, path) through the resolver, else by their text."""

    def __init__(self, store: NoteStore, resolve_document: DocumentResolver) -> None:
        self._store = store
        self._resolve = resolve_document
        self._resolved: dict[tuple[str | None, str | None], SourceDocument | None] = {}
        self._by_text: dict[str, SourceDocument] | None = None

    def find(self, record: _Record) -> SourceDocument | None:
        if record.hash or record.path:
            key = (record.hash, record.path)
            if key not in self._resolved:
                self._resolved[key] = self._resolve(record.hash, record.path)
            found = self._resolved[key]
            if found is not None:
                return found
        if record.text is None:
            return None
        digest = text_digest(record.text)
        known = self._store.document(digest)
        if known is not None:
            return SourceDocument(known.hash, known.path, known.title, record.text)
        return self._decoded_texts().get(digest)

    def _decoded_texts(self) -> dict[str, SourceDocument]:
        """Every known document whose file can be read, by the digest of its decoded text
        (a file with a byte order mark or CRLF line ends has other bytes than its text)."""
        if self._by_text is None:
            self._by_text = {}
            for document in self._store.documents():
                found = self._resolve(document.hash, document.path)
                if found is not None:
                    self._by_text.setdefault(text_digest(found.text), found)
        return self._by_text


def text_digest(text: str) -> str:
    """A text's SHA-256 as a document's: that of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# -- reading the file --------------------------------------------------------------------


def _records(content: str, source: str, report: SuggestionImportReport) -> Iterator[_Record]:
    stripped = content.strip()
    if not stripped:
        raise NotesImportError(source, ["the file is empty"])
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError as error:
        lines = stripped.splitlines()
        if len([line for line in lines if line.strip()]) < 2:
            raise NotesImportError(
                source, [f"not JSON ({error.msg} at line {error.lineno} column {error.colno})"]
            ) from None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"line {number}"
            try:
                yield _jsonl_record(json.loads(line), number, where)
            except json.JSONDecodeError as bad:
                report.leave_out(number, f"{where}: not JSON ({bad.msg}); nothing imported from it")
            except _BadRecord as bad:
                report.leave_out(number, f"{where}: {bad}; nothing imported from it")
        return
    if isinstance(whole, dict) and "text" in whole and "spans" in whole:
        items: list[tuple[str, Any]] = [("line 1", whole)]
        reader: Callable[[Any, int, str], _Record] = _jsonl_record
    else:
        items = [(f"annotation {index}", item) for index, item in enumerate(_w3c_items(whole, source), start=1)]
        reader = _w3c_record
    for order, (where, item) in enumerate(items, start=1):
        try:
            yield reader(item, order, where)
        except _BadRecord as bad:
            report.leave_out(order, f"{where}: {bad}; nothing imported from it")


def _jsonl_record(record: Any, order: int, where: str) -> _Record:
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not isinstance(
        record.get("spans"), list
    ):
        raise _BadRecord("a record needs a 'text' string and a 'spans' list")
    text = record["text"]
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    record_score = _score(meta.get("score"), "meta.score")
    record_source = _optional_source(meta.get("source"), "meta.source")
    spans = []
    for index, span in enumerate(record["spans"], start=1):
        if not isinstance(span, dict):
            raise _BadRecord(f"span {index} is not an object")
        start, end, label = span.get("start"), span.get("end"), span.get("label")
        if type(start) is not int or type(end) is not int or not 0 <= start < end:
            raise _BadRecord(f"span {index} needs integer 'start' < 'end'")
        if end > len(text):
            raise _BadRecord(f"span {index}: offsets {start}..{end} are beyond the text ({len(text)} characters)")
        if label == UNTAGGED_LABEL:
            continue
        tag = _tag(label, f"span {index}")
        score = _score(span.get("score"), f"span {index} score")
        selectors = make_selectors(text, start, end)
        spans.append(
            _Span(
                start,
                end,
                selectors.quote,
                selectors.prefix,
                selectors.suffix,
                tag,
                record_score if score is None else score,
                _optional_source(span.get("source"), f"span {index} source") or record_source,
            )
        )
    path = meta.get("path") if isinstance(meta.get("path"), str) and meta.get("path") else None
    if path is not None:
        from tui.corpus.names import path_from_portable

        path = path_from_portable(path)
    digest = meta.get("hash") if isinstance(meta.get("hash"), str) and meta.get("hash") else None
    title = meta.get("title") if isinstance(meta.get("title"), str) and meta.get("title") else None
    return _Record(order, where, text, digest, path, title, tuple(spans))


def _w3c_items(document: Any, source: str) -> list[Any]:
    from tui.notes.importers import w3c

    kinds = w3c.types_of(document)
    if isinstance(document, list):
        return document
    if "AnnotationCollection" in kinds:
        items: list[Any] = []
        page = document.get("first")
        while isinstance(page, dict):
            items.extend(page.get("items", []) if isinstance(page.get("items"), list) else [])
            page = page.get("next")
        return items
    if "AnnotationPage" in kinds and isinstance(document.get("items"), list):
        return document["items"]
    if "Annotation" in kinds:
        return [document]
    raise NotesImportError(source, ["not JSONL spans nor a W3C Web Annotation collection, page, list or annotation"])


def _w3c_record(item: Any, order: int, where: str) -> _Record:
    from tui.notes.importers import w3c

    if "Annotation" not in w3c.types_of(item):
        raise _BadRecord("not an Annotation object")
    targets = item.get("target")
    target = targets[0] if isinstance(targets, list) and targets else targets
    if not isinstance(target, dict) or "selector" not in target:
        raise _BadRecord("its target has no selector")
    digest, path, title = w3c._source(target.get("source"))
    try:
        quote, prefix, suffix, start, end = w3c._selected(target["selector"])
    except (AttributeError, KeyError, TypeError):
        raise _BadRecord("its selectors cannot be read") from None
    if not isinstance(quote, str) or not quote:
        raise _BadRecord("a suggestion needs a TextQuoteSelector (the passage it marks)")
    if start is None or type(start) is not int or type(end) is not int or not 0 <= start < end:
        start, end = 0, len(quote)
    labels = []
    bodies = item.get("body", [])
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if isinstance(body, dict) and body.get("purpose") == "tagging" and isinstance(body.get("value"), str):
            labels.append(_tag(body["value"], "tagging body"))
    if not labels:
        raise _BadRecord("no tagging body (the label to suggest)")
    score = _score(item.get("score"), "score")
    generator = item.get("generator")
    if isinstance(generator, list) and generator:
        generator = generator[0]
    if isinstance(generator, dict):
        generator = generator.get("name") or generator.get("id")
    spans = tuple(
        _Span(start, end, quote, prefix or "", suffix or "", label, score, _optional_source(generator, "generator"))
        for label in dict.fromkeys(labels)
    )
    return _Record(order, where, None, digest, path, title, spans)


def _tag(label: Any, where: str) -> str:
    if not isinstance(label, str):
        raise _BadRecord(f"{where} needs a 'label' string")
    try:
        return check_tag_name(label)
    except InvalidValue as error:
        raise _BadRecord(f"{where}: {error}") from None


def _score(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise _BadRecord(f"{where} is not a number")
    return float(value)


def _optional_source(value: Any, where: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _BadRecord(f"{where} is not a string")
    try:
        return check_source(value)
    except InvalidValue as error:
        raise _BadRecord(f"{where}: {error}") from None
