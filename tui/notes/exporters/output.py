"""Rendering an export by format name and writing it whole: one file, or a folder for brat."""

from __future__ import annotations

from pathlib import Path

from tui.notes.atomic import OutputExists, write_atomic
from tui.notes.exporters.brat import to_brat
from tui.notes.exporters.collection import DocumentNotes
from tui.notes.exporters.csv_table import to_csv
from tui.notes.exporters.jsonl import to_jsonl
from tui.notes.exporters.markdown import to_markdown
from tui.notes.exporters.w3c import to_w3c

FORMATS = ("md", "w3c", "jsonl", "csv", "brat")
FOLDER_FORMATS = frozenset({"brat"})
"""Formats that write several files and so need a folder, never standard output."""
SPAN_FORMATS = frozenset({"jsonl", "brat"})
"""Formats that need each document's text and can only hold passages found in it."""


class NotAFolder(Exception):
    """A folder format was pointed at something that is not a folder."""


def render(format: str, documents: list[DocumentNotes], *, by_tag: bool = False) -> str | dict[str, str]:
    """The export as text, or for folder formats a mapping of file name to text."""
    if format == "md":
        return to_markdown(documents, by_tag=by_tag)
    if format == "w3c":
        return to_w3c(documents)
    if format == "jsonl":
        return to_jsonl(documents)
    if format == "csv":
        return to_csv(documents)
    if format == "brat":
        return to_brat(documents)
    raise ValueError(f"unknown export format {format!r}; one of {', '.join(FORMATS)}")


def write(rendered: str | dict[str, str], output: Path, *, force: bool = False) -> list[Path]:
    """Write atomically; without ``force`` nothing is written if any target exists."""
    if isinstance(rendered, str):
        write_atomic(output, rendered, force=force)
        return [output]
    if output.exists() and not output.is_dir():
        raise NotAFolder(f"{output} is not a folder")
    output.mkdir(parents=True, exist_ok=True)
    targets = [output / name for name in rendered]
    if not force:
        taken = next((target for target in targets if target.exists()), None)
        if taken is not None:
            raise OutputExists(taken)
    for target, content in zip(targets, rendered.values()):
        write_atomic(target, content, force=force)
    return targets
