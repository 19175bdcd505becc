"""brat standoff: for each document ``<name>.txt`` (the decoded text) and ``<name>.ann``.

The ``.txt`` is exactly the text the offsets count in, and brat counts code points
(its server is Python 3 ``str``), as Margin does. Each (annotation, tag) is a
text-bound annotation ``T<n>\\t<Label> <start> <end>\\t<text>``; brat labels allow no
spaces, so other characters become ``_``, and ``NOTE`` labels an untagged passage. A
passage over several lines uses brat's discontinuous form ``start end;start end``,
one fragment per non-empty line, the fragments' texts joined by a space. A note is
``#<n>\\tAnnotatorNotes T<n>\\t<note>`` on one line. A relation is
``R<n>\\t<Label> Arg1:T<a> Arg2:T<b>``, from the first text-bound annotation of its source
to that of its target. Orphans have no place in the text and are left out (with their
relations); the caller reports them.
"""

from __future__ import annotations

import re
import unicodedata

from tui.notes.exporters.collection import UNTAGGED_LABEL, DocumentNotes

_UNSAFE_NAME = re.compile(r"[^\w\-.]+")


def to_brat(documents: list[DocumentNotes]) -> dict[str, str]:
    """File name -> content, two files per document with a readable text."""
    files: dict[str, str] = {}
    for notes in documents:
        if notes.text is None:
            continue
        name = file_stem(notes)
        files[f"{name}.txt"] = notes.text
        files[f"{name}.ann"] = _annotations(notes)
    return files


def file_stem(notes: DocumentNotes) -> str:
    """Title (or file name) made safe, plus the hash's start so two same-named files differ."""
    base = _UNSAFE_NAME.sub("_", notes.document.title).strip("._") or "document"
    return f"{base[:60]}-{notes.document.hash[:8]}"


def label(tag: str) -> str:
    """brat's label for a tag: no spaces or punctuation, but every letter with its marks (a
    Gurmukhi vowel sign, an Arabic vowel), which ``\\w`` alone would take for punctuation."""
    return "".join(ch if ch.isalnum() or ch in "_-" or unicodedata.category(ch)[0] == "M" else "_" for ch in tag) or "_"


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The non-empty lines of ``text[start:end]`` as (start, end) pairs, without a line's CR
    (a text in the file's characters keeps CRLF)."""
    pieces = []
    cursor = start
    for line in text[start:end].split("\n"):
        content = line.rstrip("\r")
        if content:
            pieces.append((cursor, cursor + len(content)))
        cursor += len(line) + 1
    return pieces


def _annotations(notes: DocumentNotes) -> str:
    text = notes.text or ""
    lines = []
    number = 0
    first: dict[str, int] = {}
    """Each annotation's first T number: what a relation's arguments name."""
    for annotation in notes.placed():
        pieces = fragments(text, annotation.start, annotation.end)
        if not pieces:
            continue
        offsets = ";".join(f"{start} {end}" for start, end in pieces)
        covered = " ".join(text[start:end] for start, end in pieces)
        first[annotation.uid] = number + 1
        for tag in annotation.tags or (UNTAGGED_LABEL,):
            number += 1
            lines.append(f"T{number}\t{label(tag)} {offsets}\t{covered}")
            if annotation.note:
                lines.append(f"#{number}\tAnnotatorNotes T{number}\t{' '.join(annotation.note.split())}")
    related = [r for r in notes.relations if r.head in first and r.child in first]
    for count, relation in enumerate(related, start=1):
        lines.append(f"R{count}\t{label(relation.label)} Arg1:T{first[relation.head]} Arg2:T{first[relation.child]}")
    return "".join(line + "\n" for line in lines)
