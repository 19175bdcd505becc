"""Exports as downloads: in a browser a path on the server means nothing to the visitor.

The export is written by the same code as ``margin export`` into a private temporary
folder, read back, and handed to Textual's ``App.deliver_binary``, which textual-serve
turns into a download in the visitor's browser. A folder format (brat) travels as a zip.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

from tui.notes.export import ExportResult, export_format, write_export
from tui.notes.exporters.collection import ExportScope
from tui.notes.store import StoreError

EXTENSIONS = {"md": ".md", "w3c": ".jsonld", "jsonl": ".jsonl", "csv": ".csv", "brat": ".zip"}
MIME_TYPES = {
    "md": "text/markdown",
    "w3c": "application/ld+json",
    "jsonl": "application/jsonl",
    "csv": "text/csv",
    "brat": "application/zip",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def download_name(stem: str | None, fmt: str) -> str:
    """A file name safe in an HTTP header (textual-serve writes it unquoted): ASCII only."""
    cleaned = _UNSAFE.sub("-", stem or "").strip(".-")[:60]
    return f"{cleaned or 'margin'}-notes{EXTENSIONS[fmt]}"


def export_bytes(store, fmt: str, scope: ExportScope, *, by_tag: bool = False) -> tuple[bytes, ExportResult]:
    """The export exactly as ``margin export`` would write it, as bytes (brat: a zip)."""
    with tempfile.TemporaryDirectory(prefix="margin-export-") as folder:
        folder_format = export_format(fmt).folder
        target = Path(folder) / ("notes" if folder_format else f"notes{EXTENSIONS[fmt]}")
        result = write_export(store, fmt, scope, target, by_tag=by_tag)
        if not folder_format:
            return target.read_bytes(), result
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(target.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(target).as_posix())
        return buffer.getvalue(), result


def deliver_export(dialog) -> None:
    """Export what the dialog's fields say and send it to the browser as a download."""
    from textual.widgets import Checkbox, Select

    app = dialog.app
    fmt = str(dialog.query_one("#format", Select).value)
    tag_value = dialog.query_one("#tag", Select).value
    tag = tag_value if isinstance(tag_value, str) else None
    whole = dialog.query_one("#scope", Select).value != "doc"
    whose = dialog.query_one("#annotator", Select).value
    annotators = frozenset({whose}) if isinstance(whose, str) else None
    scope = ExportScope(doc_hash=None if whole else dialog.doc_hash, tag=tag, annotators=annotators)
    by_tag = dialog.query_one("#by-tag", Checkbox).value
    stem = dialog.document.stem if dialog.document is not None else None
    try:
        data, result = export_bytes(app.store, fmt, scope, by_tag=by_tag)
    except (StoreError, OSError, ValueError) as error:
        app.notify(f"Not exported: {error}", severity="error", markup=False)
        return
    name = download_name(stem, fmt)
    app.deliver_binary(io.BytesIO(data), save_filename=name, mime_type=MIME_TYPES[fmt])
    plural = "s" if result.annotations != 1 else ""
    app.notify(f"Downloading {name}: {result.annotations} annotation{plural}", markup=False)
