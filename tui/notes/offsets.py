"""Which characters an exported offset counts, said once, and the file-offsets conversion.

Margin's offsets are code points of a document's decoded text with the byte order mark
dropped and CRLF and lone CR read as one LF: the text the reader shows and every
annotation is anchored in. ``--offsets file`` exports offsets into the file's characters
as decoded without newline translation (what ``open(path, encoding=..., newline="")``
reads, byte order mark excluded), for tools that index the file on disk.
"""

from __future__ import annotations

import bisect
from dataclasses import replace
from typing import Literal

from tui.notes.model import ANCHORED, Annotation, make_selectors

OffsetMode = Literal["text", "file"]
TEXT_OFFSETS: OffsetMode = "text"
FILE_OFFSETS: OffsetMode = "file"
OFFSET_MODES: tuple[OffsetMode, ...] = (TEXT_OFFSETS, FILE_OFFSETS)

DESCRIPTIONS: dict[str, str] = {
    TEXT_OFFSETS: (
        "Offsets count Unicode code points of the document's decoded text: byte order mark "
        "dropped, CRLF and lone CR read as one LF (newline translation as in Python's "
        "universal newlines)."
    ),
    FILE_OFFSETS: (
        "Offsets count Unicode code points of the file's characters as decoded, newlines "
        "exactly as in the file (CRLF counts two); a byte order mark is not counted."
    ),
}
"""What the offsets of an export count, written into every export that has offsets."""


class FileOffsetsUnavailable(ValueError):
    """The file's characters do not map onto the annotated text (it cannot be re-decoded alike)."""


def file_characters(data: bytes, encoding: str, normalised: str) -> str:
    """The file's text without newline translation, checked against the annotated text."""
    from tui.text.decode import normalise_newlines

    raw = data.decode(encoding, "replace")
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    if normalise_newlines(raw) != normalised:
        raise FileOffsetsUnavailable("the file's characters do not match its decoded text")
    return raw


class FileOffsets:
    """Maps offsets in the newline-translated text to offsets in the file's characters.

    Only CRLF changes length (it is one LF in the text, two characters in the file), so an
    offset moves right by the number of CRLFs before it; it never lands between CR and LF.
    """

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self._crlf_at: list[int] = []
        found = raw.find("\r\n")
        while found != -1:
            self._crlf_at.append(found - len(self._crlf_at))
            found = raw.find("\r\n", found + 2)

    def __call__(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._crlf_at, offset)

    def annotation(self, annotation: Annotation) -> Annotation:
        """The annotation with offsets and quote in the file's characters; an orphan keeps its hint."""
        if annotation.status != ANCHORED:
            return annotation
        start, end = self(annotation.start), self(annotation.end)
        selectors = make_selectors(self.raw, start, end)
        return replace(
            annotation,
            start=start,
            end=end,
            quote=selectors.quote,
            prefix=selectors.prefix,
            suffix=selectors.suffix,
        )
