"""CSV for spreadsheets: one row per (annotation, tag), one row with an empty tag if untagged.

UTF-8 with a byte order mark: without it Excel reads the file in the local legacy
code page and Gurmukhi, Arabic and Chinese come out garbled; LibreOffice, pandas
(``encoding="utf-8-sig"``) and Python's ``csv`` read it either way. Rows end in CRLF
as RFC 4180 says. Cells are written as they are; a quote that begins with ``=`` is
data, and spreadsheet users should import rather than open untrusted files.
"""

from __future__ import annotations

import csv
import io

from tui.notes.exporters.collection import DocumentNotes

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


def to_csv(documents: list[DocumentNotes]) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for notes in documents:
        for annotation in notes.annotations:
            for tag in annotation.tags or ("",):
                writer.writerow(
                    (
                        notes.document.title,
                        notes.document.path,
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
    return buffer.getvalue()
