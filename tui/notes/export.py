"""One export, start to finish: select, render, write atomically. Shared by the app and the shell."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tui.notes.atomic import OutputExists, write_atomic
from tui.notes.exporters.brat import to_brat
from tui.notes.exporters.collection import DocumentNotes, ExportScope, TextLoader, collect
from tui.notes.exporters.csv_table import to_csv
from tui.notes.exporters.jsonl import to_jsonl
from tui.notes.exporters.markdown import to_markdown
from tui.notes.exporters.w3c import to_w3c
from tui.notes.model import Document
from tui.notes.store_api import NoteStore


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """Everything the app and the shell need to know about one export format."""

    name: str
    label: str
    extension: str
    """Of the default file name; empty for a folder format."""
    render: Callable[[list[DocumentNotes]], str | dict[str, str]]
    folder: bool = False
    """Writes several files, so it needs a folder, never standard output."""
    spans: bool = False
    """Needs each document's text and can only hold passages found in it."""
    by_tag: bool = False
    """Can group by tag instead of by document (``render`` ignores the request otherwise)."""


FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("md", "Markdown (for people)", ".md", to_markdown, by_tag=True),
        ExportFormat("w3c", "W3C Web Annotation JSON-LD", ".jsonld", to_w3c),
        ExportFormat("jsonl", "JSONL spans (Prodigy, doccano, spaCy)", ".jsonl", to_jsonl, spans=True),
        ExportFormat("csv", "CSV (spreadsheets)", ".csv", to_csv),
        ExportFormat("brat", "brat standoff (a folder)", "", to_brat, folder=True, spans=True),
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
class ExportResult:
    path: Path
    documents: int
    annotations: int


def load_text(document: Document) -> str | None:
    """The document's text if the file still holds the bytes that were annotated."""
    from tui.corpus.identity import text_hash
    from tui.text.decode import decode

    path = Path(document.path) if document.path else None
    if path is None or not path.is_file():
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if text_hash(data) != document.hash:
        return None
    return decode(data).text


def render(fmt: str, documents: list[DocumentNotes], *, by_tag: bool = False) -> str | dict[str, str]:
    """The export as text, or for a folder format a mapping of file name to text."""
    chosen = export_format(fmt)
    return chosen.render(documents, by_tag=by_tag) if chosen.by_tag else chosen.render(documents)


def write(rendered: str | dict[str, str], destination: Path, *, force: bool = False) -> None:
    """Write a file, or a folder's files, atomically; without ``force`` nothing is written if
    any target exists."""
    if isinstance(rendered, str):
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
    loader: TextLoader = load_text,
) -> ExportResult:
    """Export ``scope`` in ``fmt`` to ``destination``; never overwrites unless ``force``."""
    chosen = export_format(fmt)
    documents = collect(store, scope, loader)
    write(render(fmt, documents, by_tag=by_tag), destination, force=force)
    count = sum(len(notes.placed() if chosen.spans else notes.annotations) for notes in documents)
    return ExportResult(destination, len(documents), count)
