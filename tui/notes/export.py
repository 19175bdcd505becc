"""One export, start to finish: gather, render, write atomically. Shared by the app and the shell.

Gathering reads each document as it is on disk now. A file that changed since it was
annotated is re-anchored in memory by the reader's own code (``plan_reanchoring``), so
offsets always index the text they are exported with; what is left out or orphaned is
counted so the caller can say so. The store is not written: an export works on a
read-only store too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from tui.notes.atomic import OutputExists, write_atomic
from tui.notes.exporters.brat import to_brat
from tui.notes.exporters.collection import DocumentNotes, ExportScope, TextLoader, collect
from tui.notes.exporters.conll import to_conll
from tui.notes.exporters.csv_table import to_csv
from tui.notes.exporters.jsonl import to_jsonl
from tui.notes.exporters.markdown import to_markdown
from tui.notes.exporters.spacy_docbin import to_docbin
from tui.notes.exporters.w3c import to_w3c
from tui.notes.model import Document
from tui.notes.offsets import (
    FILE_OFFSETS,
    TEXT_OFFSETS,
    FileOffsets,
    FileOffsetsUnavailable,
    OffsetMode,
    file_characters,
)
from tui.notes.store_api import NoteStore


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """Everything the app and the shell need to know about one export format."""

    name: str
    label: str
    extension: str
    """Of the default file name; empty for a folder format."""
    render: Callable[..., str | bytes | dict[str, str]]
    options: tuple[str, ...] = ()
    """The keyword options ``render`` takes (``by_tag``, ``offsets``, ``tag``)."""
    folder: bool = False
    """Writes several files, so it needs a folder, never standard output."""
    spans: bool = False
    """Needs each document's text and can only hold passages found in it."""
    bio: bool = False
    """Tags tokens, so of overlapping spans keeps one (``exporters.bio``)."""
    binary: bool = False
    """Writes bytes, so it needs a file, never standard output."""

    @property
    def by_tag(self) -> bool:
        """Can group by tag instead of by document."""
        return "by_tag" in self.options


FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("md", "Markdown (for people)", ".md", to_markdown, ("by_tag",)),
        ExportFormat("w3c", "W3C Web Annotation JSON-LD", ".jsonld", to_w3c, ("offsets",)),
        ExportFormat(
            "jsonl", "JSONL spans (Prodigy, doccano, spaCy)", ".jsonl", to_jsonl, ("offsets",), spans=True
        ),
        ExportFormat("csv", "CSV (spreadsheets)", ".csv", to_csv, ("offsets",)),
        ExportFormat("brat", "brat standoff (a folder)", "", to_brat, folder=True, spans=True),
        ExportFormat(
            "conll", "CoNLL BIO tokens (NER training)", ".conll", to_conll, ("tag",), spans=True, bio=True
        ),
        ExportFormat(
            "spacy", "spaCy DocBin (needs spaCy)", ".spacy", to_docbin, ("tag",), spans=True, bio=True, binary=True
        ),
    )
}
"""The export formats by name, in the order they are offered."""


class UnknownFormat(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown export format {name!r}; choose one of {', '.join(FORMATS)}")


def export_format(name: str) -> ExportFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormat(name) from None


class NotAFolder(ValueError):
    """A folder format was pointed at something that is not a folder."""


@dataclass(frozen=True, slots=True)
class Gathered:
    documents: list[DocumentNotes]
    reanchored: int
    """Documents whose file changed since they were annotated, re-anchored for this export."""
    missing: tuple[Document, ...]
    """Documents whose text could not be read (file gone or unreadable): no spans for them."""


@dataclass(frozen=True, slots=True)
class Omissions:
    """What an export could not carry whole; empty when it carried everything."""

    orphans: int
    skipped: int

    def __bool__(self) -> bool:
        return bool(self.orphans or self.skipped)

    def summary(self) -> str:
        parts = []
        if self.orphans:
            parts.append(
                f"{self.orphans} orphaned annotation{'s' if self.orphans != 1 else ''} "
                "(passage not in the current text)"
            )
        if self.skipped:
            parts.append(
                f"{self.skipped} document{'s' if self.skipped != 1 else ''} left out (file missing or unreadable)"
            )
        return "export incomplete: " + ", ".join(parts)


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    documents: int
    annotations: int
    omissions: Omissions = Omissions(0, 0)


def load_text(document: Document) -> str | None:
    """The document's text if the file still holds the bytes that were annotated."""
    current = _read_current(document)
    return current[2] if current is not None and current[0] == document.hash else None


def _read_current(document: Document) -> tuple[str, bytes, str, str] | None:
    """(hash, bytes, decoded text, encoding) of the document's file as it is now, if readable."""
    from tui.corpus.identity import text_hash
    from tui.text.decode import decode

    path = Path(document.path) if document.path else None
    if path is None or not path.is_file():
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    decoded = decode(data)
    return text_hash(data), data, decoded.text, decoded.encoding


def gather(
    store: NoteStore, scope: ExportScope, *, offsets: OffsetMode = TEXT_OFFSETS, loader: TextLoader = load_text
) -> Gathered:
    """The documents in scope with their current texts, re-anchored where the file changed,
    offsets converted to the file's characters for ``offsets="file"``."""
    from tui.notes.anchoring import plan_reanchoring

    documents = []
    missing = []
    reanchored = 0
    for notes in collect(store, scope, loader):
        current = None
        if notes.text is None or offsets == FILE_OFFSETS:
            current = _read_current(notes.document)
        if notes.text is None and current is not None:
            digest, _data, text, _encoding = current
            _counts, changed = plan_reanchoring(notes.annotations, text)
            moved = {annotation.id: annotation for annotation in changed}
            annotations = tuple(
                replace(moved.get(annotation.id, annotation), doc_hash=digest) for annotation in notes.annotations
            )
            reanchored += digest != notes.document.hash or bool(changed)
            notes = replace(notes, document=replace(notes.document, hash=digest), text=text, annotations=annotations)
        if offsets == FILE_OFFSETS and notes.text is not None:
            notes = _in_file_characters(notes, current)
        if notes.text is None:
            missing.append(notes.document)
        documents.append(notes)
    return Gathered(documents, reanchored, tuple(missing))


def _in_file_characters(notes: DocumentNotes, current: tuple[str, bytes, str, str] | None) -> DocumentNotes:
    if current is None or current[2] != notes.text:
        return replace(notes, text=None)
    try:
        raw = file_characters(current[1], current[3], notes.text)
    except (FileOffsetsUnavailable, LookupError):
        return replace(notes, text=None)
    mapping = FileOffsets(raw)
    return replace(notes, text=raw, annotations=tuple(mapping.annotation(a) for a in notes.annotations))


def omissions(fmt: str, gathered: Gathered, *, offsets: OffsetMode = TEXT_OFFSETS) -> Omissions:
    """Orphans, and documents a format must leave out: span formats need the text, and file
    offsets need the file."""
    chosen = export_format(fmt)
    drops_missing = chosen.spans or offsets == FILE_OFFSETS
    orphans = sum(len(notes.unplaced()) for notes in gathered.documents if notes.text is not None)
    return Omissions(orphans, len(gathered.missing) if drops_missing else 0)


def render(
    fmt: str,
    documents: list[DocumentNotes],
    *,
    by_tag: bool = False,
    offsets: OffsetMode = TEXT_OFFSETS,
    tag: str | None = None,
) -> str | bytes | dict[str, str]:
    """The export as text (bytes for a binary format), or for a folder format a mapping of file
    name to text. Options a format has no use for are ignored; with file offsets, documents
    without text are left out. ``tag``, the tag an export is limited to, is the label BIO
    formats give each span."""
    chosen = export_format(fmt)
    if offsets == FILE_OFFSETS:
        documents = [notes for notes in documents if notes.text is not None]
    given = {"by_tag": by_tag, "offsets": offsets, "tag": tag}
    return chosen.render(documents, **{name: given[name] for name in chosen.options})


def write(rendered: str | bytes | dict[str, str], destination: Path, *, force: bool = False) -> None:
    """Write a file, or a folder's files, atomically; without ``force`` nothing is written if
    any target exists."""
    if isinstance(rendered, str | bytes):
        write_atomic(destination, rendered, force=force)
        return
    if destination.exists() and not destination.is_dir():
        raise NotAFolder(f"{destination} is not a folder")
    destination.mkdir(parents=True, exist_ok=True)
    if not force:
        taken = next((destination / name for name in rendered if (destination / name).exists()), None)
        if taken is not None:
            raise OutputExists(taken)
    for name, content in rendered.items():
        write_atomic(destination / name, content, force=force)


def write_export(
    store: NoteStore,
    fmt: str,
    scope: ExportScope,
    destination: Path,
    *,
    force: bool = False,
    by_tag: bool = False,
    offsets: OffsetMode = TEXT_OFFSETS,
    loader: TextLoader = load_text,
) -> ExportResult:
    """Export ``scope`` in ``fmt`` to ``destination``; never overwrites unless ``force``."""
    chosen = export_format(fmt)
    gathered = gather(store, scope, offsets=offsets, loader=loader)
    write(render(fmt, gathered.documents, by_tag=by_tag, offsets=offsets, tag=scope.tag), destination, force=force)
    exported = [notes for notes in gathered.documents if notes.text is not None or not chosen.spans]
    count = sum(len(notes.placed() if chosen.spans else notes.annotations) for notes in exported)
    return ExportResult(destination, len(exported), count, omissions(fmt, gathered, offsets=offsets))
