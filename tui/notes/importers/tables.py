"""Margin's CSV and Markdown exports, read back.

CSV carries everything a row needs: an annotation row (offsets, quote, one tag per row, the
rows of one ``uid`` joined) becomes an annotation found again by its quote; a row without
offsets, quote and uid is a document label. Documents are found by their path (CSV has no
hash). With ``file_start``/``file_end`` columns the offsets count the file's characters, so
they are only a hint.

Markdown is written for people: only its ``## Document labels`` section is read back (each
document by its SHA-256, one label per line); its passages are not imported, and the
report says so.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from tui.corpus.names import path_from_portable
from tui.notes.exporters.csv_table import BOM, COLUMNS, FILE_OFFSET_COLUMNS
from tui.notes.exporters.markdown import LABEL_SEPARATOR, LABELS_HEADING, PDI, RLI
from tui.notes.exporters.w3c import UID_PREFIX
from tui.notes.importers.common import (
    Incoming,
    IncomingLabel,
    Problems,
    checked_label,
    checked_tags,
    time_or_now,
    uid_of,
)

MARKDOWN_TITLE = "# Margin annotations"
_HASH = re.compile(r"^(?:`(.*)` · )?sha256 `([0-9a-f]{64})`$")
_ESCAPED = re.compile(r"\\(.)")
_FILE_COLUMNS = tuple(FILE_OFFSET_COLUMNS.get(column, column) for column in COLUMNS)


def looks_like_csv(content: str) -> bool:
    first = content.lstrip(BOM).split("\n", 1)[0].strip()
    return first in (",".join(COLUMNS), ",".join(_FILE_COLUMNS))


def looks_like_markdown(content: str) -> bool:
    return content.lstrip(BOM).startswith(MARKDOWN_TITLE + "\n")


def parse_csv(content: str, problems: Problems) -> Iterator[Incoming | IncomingLabel]:
    rows = list(csv.reader(io.StringIO(content.lstrip(BOM))))
    header, body = rows[0], rows[1:]
    file_offsets = tuple(header) == _FILE_COLUMNS
    grouped: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for number, row in enumerate(body, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            problems.add(f"row {number}", f"has {len(row)} cells, not {len(COLUMNS)}")
            continue
        cells = dict(zip(COLUMNS, row))
        source = (None, path_from_portable(cells["path"]) if cells["path"] else None, cells["document"] or None)
        if not (cells["start"] or cells["end"] or cells["quote"] or cells["uid"]):
            label = checked_label(
                f"row {number}", source, cells["tag"], cells["annotator"], cells["created"], problems
            )
            if label is not None:
                yield label
            continue
        grouped.setdefault(cells["uid"] or f"row {number}", []).append((number, cells))
    for uid, entries in grouped.items():
        annotation = _annotation(uid, entries, file_offsets, problems)
        if annotation is not None:
            yield annotation


def _annotation(
    uid: str, entries: list[tuple[int, dict[str, str]]], file_offsets: bool, problems: Problems
) -> Incoming | None:
    number, cells = entries[0]
    where = f"row {number}"
    try:
        start, end = int(cells["start"]), int(cells["end"])
    except ValueError:
        problems.add(where, f"offsets {cells['start']!r}..{cells['end']!r} are not integers")
        return None
    if not 0 <= start <= end or not cells["quote"]:
        problems.add(where, "needs offsets 0 <= start <= end and a quote")
        return None
    tags = checked_tags([entry["tag"] for _, entry in entries if entry["tag"]], where, problems)
    return Incoming(
        where=where,
        uid=uid_of(UID_PREFIX + uid) if cells["uid"] else None,
        source_hash=None,
        source_path=path_from_portable(cells["path"]) if cells["path"] else None,
        source_title=cells["document"] or None,
        quote=cells["quote"],
        prefix="",
        suffix="",
        start=start,
        end=end,
        tags=tags,
        note=cells["note"],
        annotator=cells["annotator"] or "unknown",
        created=time_or_now(cells["created"]),
        modified=time_or_now(cells["modified"] or cells["created"]),
        stale_offsets=file_offsets,
    )


def parse_markdown(content: str, problems: Problems) -> Iterator[IncomingLabel]:
    lines = content.lstrip(BOM).splitlines()
    try:
        first = lines.index(LABELS_HEADING)
    except ValueError:
        problems.ignored.append("Markdown: passages are for people and are not imported; no document labels found")
        return
    if any(line.startswith("### ") for line in lines[:first]):
        problems.ignored.append("Markdown: passages are for people and are not imported, only document labels")
    title: str | None = None
    digest: str | None = None
    path: str | None = None
    for number, line in enumerate(lines[first + 1 :], start=first + 2):
        if line.startswith("## "):
            break
        if line.startswith("### "):
            title, digest, path = _plain(line[4:]), None, None
            continue
        found = _HASH.match(line)
        if found:
            path, digest = found.group(1), found.group(2)
            continue
        if line.startswith("- "):
            parts = line[2:].rsplit(LABEL_SEPARATOR, 2)
            if digest is None or len(parts) != 3:
                problems.add(f"line {number}", "a label line needs its document's sha256 above it and 'label · annotator · time'")
                continue
            category, annotator, created = (_plain(part) for part in parts)
            label = checked_label(f"line {number}", (digest, path, title), category, annotator, created, problems)
            if label is not None:
                yield label


def _plain(text: str) -> str:
    """A name as Markdown shows it, back to itself: isolates dropped, escapes undone."""
    text = text.strip()
    if text.startswith(RLI) and text.endswith(PDI):
        text = text[1:-1]
    return _ESCAPED.sub(r"\1", text)
