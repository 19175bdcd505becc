"""CSV for spreadsheets: one row per (annotation, tag), one row with an empty tag if untagged.

UTF-8 with a byte order mark: without it Excel reads the file in the local legacy
code page and Gurmukhi, Arabic and Chinese come out garbled; LibreOffice, pandas
(``encoding="utf-8-sig"``) and Python's ``csv`` read it either way. Rows end in CRLF
as RFC 4180 says. Cells are written as they are; a quote that begins with ``=`` is
data, and spreadsheet users should import rather than open untrusted files.

``start`` and ``end`` count code points of the decoded text (BOM dropped, CRLF and CR read
as LF; see ``tui.notes.offsets`` and the README); with ``--offsets file`` the columns are
named ``file_start`` and ``file_end`` and count the file's characters instead.

A document label is a row of its own with no ``start``, ``end``, ``quote`` or ``uid``: its
``tag`` is the label, its ``annotator`` who gave it (``tui.notes.importers.tables`` reads
both kinds of row back).
"""

from __future__ import annotations

import csv
import io

from tui.corpus.names import portable_path
from tui.notes.exporters.collection import DocumentNotes
from tui.notes.offsets import FILE_OFFSETS, TEXT_OFFSETS, OffsetMode

COLUMNS = (
    "document",
    "path",
    "start",
    "end",
    "quote",
    "tag",
    "note",
    "annotator",
    "created",
    "modified",
    "uid",
)
BOM = "\ufeff"


FILE_OFFSET_COLUMNS = {"start": "file_start", "end": "file_end"}
"""Column names with ``--offsets file``, so a table says which offsets it holds."""


def to_csv(documents: list[DocumentNotes], *, offsets: OffsetMode = TEXT_OFFSETS) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    if offsets == FILE_OFFSETS:
        writer.writerow(FILE_OFFSET_COLUMNS.get(column, column) for column in COLUMNS)
    else:
        writer.writerow(COLUMNS)
    for notes in documents:
        for annotation in notes.annotations:
            for tag in annotation.tags or ("",):
                writer.writerow(
                    (
                        notes.document.title,
                        portable_path(notes.document.path),
                        annotation.start,
                        annotation.end,
                        annotation.quote,
                        tag,
                        annotation.note,
                        annotation.annotator,
                        annotation.created,
                        annotation.modified,
                        annotation.uid,
                    )
                )
        for label in notes.labels:
            writer.writerow(
                (
                    notes.document.title,
                    portable_path(notes.document.path),
                    "",
                    "",
                    "",
                    label.category,
                    "",
                    label.annotator,
                    label.created,
                    label.created,
                    "",
                )
            )
    return buffer.getvalue()
