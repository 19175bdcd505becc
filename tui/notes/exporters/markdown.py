"""Markdown for people, laid out after KOReader's highlight export.

A heading per document (title, then its path), and per annotation a small heading
with where and when, the passage as a blockquote, its tags and its note, entries
separated by rules; ``by_tag`` groups by tag instead (an annotation with two tags
appears under both). Orphans — passages no longer found in the document — follow
in their own section, never dropped.

Document labels follow in a section of their own, ``## Document labels``: per document a
heading, its path and SHA-256, then one line per label, ``- label · annotator · time``
(``tui.notes.importers.tables`` reads them back).

Right-to-left lines (first strong character Arabic or Hebrew) stay in logical
order and are wrapped in RIGHT-TO-LEFT ISOLATE … POP DIRECTIONAL ISOLATE. The
marks work in every Markdown renderer and in plain-text viewers alike, where a
``<div dir="rtl">`` would show as markup; they keep a right-to-left line from
reordering the ``>`` and punctuation around it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

from tui.corpus.names import display_path
from tui.notes.exporters.collection import DocumentNotes
from tui.notes.model import ORPHAN, Annotation

RLI = "\u2067"
PDI = "\u2069"
UNTAGGED_HEADING = "Untagged"
ORPHANS_NOTICE = "These passages were not found in the current text of their document."
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_BLOCK_START = re.compile(r"^(#|[+\-=]|\d+[.)])")


def to_markdown(documents: list[DocumentNotes], *, by_tag: bool = False) -> str:
    locate = _Locator()
    parts = ["# Margin annotations\n"]
    parts.extend(_by_tag(documents, locate) if by_tag else _by_document(documents, locate))
    parts.extend(_labels(documents))
    orphans = [
        (notes, annotation)
        for notes in documents
        for annotation in notes.annotations
        if annotation.status == ORPHAN
    ]
    if orphans:
        parts.append(f"## Orphaned annotations\n\n{ORPHANS_NOTICE}\n")
        for notes, annotation in orphans:
            parts.append(_entry(notes, annotation, locate, with_document=True))
    return "\n".join(parts)


def _by_document(documents: list[DocumentNotes], locate: _Locator) -> list[str]:
    parts = []
    for notes in documents:
        anchored = [annotation for annotation in notes.annotations if annotation.status != ORPHAN]
        if not anchored:
            continue
        parts.append(_document_heading(notes, len(anchored)))
        parts.extend(_entry(notes, annotation, locate, with_document=False) for annotation in anchored)
    return parts


def _by_tag(documents: list[DocumentNotes], locate: _Locator) -> list[str]:
    groups: dict[str, list[tuple[DocumentNotes, Annotation]]] = {}
    for notes in documents:
        for annotation in notes.annotations:
            if annotation.status == ORPHAN:
                continue
            for tag in annotation.tags or (None,):
                groups.setdefault(tag if tag is not None else "", []).append((notes, annotation))
    parts = []
    for tag in sorted(groups, key=lambda name: (name == "", name.casefold())):
        entries = groups[tag]
        parts.append(f"## {_line(_inline(tag)) if tag else UNTAGGED_HEADING}\n\n{_count(len(entries))}\n")
        parts.extend(_entry(notes, annotation, locate, with_document=True) for notes, annotation in entries)
    return parts


LABELS_HEADING = "## Document labels"
LABEL_SEPARATOR = " · "


def _labels(documents: list[DocumentNotes]) -> list[str]:
    labelled = [notes for notes in documents if notes.labels]
    if not labelled:
        return []
    parts = [f"{LABELS_HEADING}\n"]
    for notes in labelled:
        path = f"`{display_path(notes.document.path)}` · " if notes.document.path else ""
        lines = [f"### {_line(_inline(notes.document.title))}", "", f"{path}sha256 `{notes.document.hash}`", ""]
        lines += [
            f"- {_line(_inline(label.category))}{LABEL_SEPARATOR}{_line(_inline(label.annotator))}"
            f"{LABEL_SEPARATOR}{label.created}"
            for label in notes.labels
        ]
        parts.append("\n".join(lines) + "\n")
    return parts


def _document_heading(notes: DocumentNotes, count: int) -> str:
    path = f"`{display_path(notes.document.path)}` · " if notes.document.path else ""
    return f"## {_line(_inline(notes.document.title))}\n\n{path}{_count(count)}\n"


def _count(count: int) -> str:
    return f"{count} annotation{'s' if count != 1 else ''}"


def _entry(notes: DocumentNotes, annotation: Annotation, locate: _Locator, *, with_document: bool) -> str:
    where = locate(notes, annotation)
    if with_document:
        where = f"{_line(_inline(notes.document.title))} · {where}"
    when = annotation.created.replace("T", " ").replace("Z", " UTC")
    lines = [f"### {where} · {when} · {_inline(annotation.annotator)}", ""]
    lines.extend(_blockquote(annotation.quote))
    lines.append("")
    if annotation.tags:
        lines.append("**Tags:** " + ", ".join(_line(_inline(tag)) for tag in annotation.tags))
        lines.append("")
    if annotation.note:
        lines.extend(
            _line(_escape_block(_inline(line))) if line.strip() else ""
            for line in annotation.note.split("\n")
        )
        lines.append("")
    lines.append("---\n")
    return "\n".join(lines)


class _Locator:
    """Says where a passage is: a line number when the text is known, offsets otherwise."""

    def __init__(self) -> None:
        self._newlines: dict[str, list[int]] = {}

    def __call__(self, notes: DocumentNotes, annotation: Annotation) -> str:
        if notes.text is None or annotation.status == ORPHAN:
            return f"Characters {annotation.start}–{annotation.end}"
        newlines = self._newlines.get(notes.document.hash)
        if newlines is None:
            newlines = [index for index, character in enumerate(notes.text) if character == "\n"]
            self._newlines[notes.document.hash] = newlines
        return f"Line {bisect.bisect_left(newlines, annotation.start) + 1}"


def _blockquote(quote: str) -> list[str]:
    lines = []
    for line in quote.strip("\n").split("\n"):
        content = line.strip(" \t")
        lines.append(f"> {_line(_escape_block(_inline(content)))}" if content else ">")
    return lines


def _inline(text: str) -> str:
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def _escape_block(line: str) -> str:
    """Keep a line that starts like a heading, list item or rule from becoming one."""
    return "\\" + line if _BLOCK_START.match(line) else line


def _line(line: str) -> str:
    return f"{RLI}{line}{PDI}" if _is_right_to_left(line) else line


def _is_right_to_left(text: str) -> bool:
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False
