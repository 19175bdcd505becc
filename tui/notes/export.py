"""One export, start to finish: select, render, write atomically. Shared by the app and the shell."""

from __future__ import annotations

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
from tui.notes.store import Store

FORMATS = ("md", "w3c", "jsonl", "csv", "brat")
SPAN_FORMATS = ("jsonl", "brat")
"""Formats that need each document's text and can only hold passages found in it."""


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


def render(fmt: str, documents: list[DocumentNotes], *, by_tag: bool = False) -> str:
    """The export as text, for every format but brat (which is a folder of files)."""
    if fmt == "md":
        return to_markdown(documents, by_tag=by_tag)
    if fmt == "w3c":
        return to_w3c(documents)
    if fmt == "jsonl":
        return to_jsonl(documents)
    if fmt == "csv":
        return to_csv(documents)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def write_folder(folder: Path, files: dict[str, str], *, force: bool) -> None:
    """Write brat's files; refuse before writing anything if one would be overwritten."""
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder} is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    if not force:
        taken = [name for name in files if (folder / name).exists()]
        if taken:
            raise OutputExists(folder / taken[0])
    for name, content in files.items():
        write_atomic(folder / name, content, force=force)


def write_export(
    store: Store,
    fmt: str,
    scope: ExportScope,
    destination: Path,
    *,
    force: bool = False,
    by_tag: bool = False,
    loader: TextLoader = load_text,
) -> ExportResult:
    """Export ``scope`` in ``fmt`` to ``destination``; never overwrites unless ``force``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    documents = collect(store, scope, loader)
    if fmt == "brat":
        write_folder(destination, to_brat(documents), force=force)
        count = sum(len(notes.placed()) for notes in documents)
    else:
        write_atomic(destination, render(fmt, documents, by_tag=by_tag), force=force)
        count = sum(len(notes.placed() if fmt in SPAN_FORMATS else notes.annotations) for notes in documents)
    return ExportResult(destination, len(documents), count)
