"""The library's filter text, read into what a document must show to be listed.

The text is the user's, typed in any script: it is split into words and compared, never
parsed as markup. A word must occur (ignoring case) in a row's searchable text, except
``label:NAME``, which asks for a document label named exactly NAME. A name with a space is
quoted: ``label:"news report"`` or ``label:'news report'``, and the quotes a Chinese or
Japanese input method types (“…”, ‘…’, 「…」, 『…』) work alike. A quote left open runs to the
end of the text, so the filter narrows as the name is typed. ``label:`` alone asks for any
label.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

LABEL_FILTER = "label:"
"""A filter word starting so matches documents carrying that label (``label:news``)."""
QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "「": "」", "『": "』"}
"""Opening quote to closing quote, for a label name after ``label:``."""


@dataclass(frozen=True, slots=True)
class LibraryFilter:
    """What a listed document must show: every word, and every label (folded by :func:`fold`)."""

    words: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    """Label names the document must carry; an empty name asks for any label."""

    def __bool__(self) -> bool:
        return bool(self.words or self.labels)


def fold(name: str) -> str:
    """A name as the filter compares it: composed the same way (NFC), case folded."""
    return unicodedata.normalize("NFC", name).casefold()


@lru_cache(maxsize=64)
def parse_filter(text: str) -> LibraryFilter:
    """The words and ``label:`` names of ``text``; the filter is parsed once per keystroke,
    not once per row."""
    words: list[str] = []
    labels: list[str] = []
    at, end = 0, len(text)
    while at < end:
        if text[at].isspace():
            at += 1
            continue
        start = at
        if text[at : at + len(LABEL_FILTER)].casefold() == LABEL_FILTER:
            at += len(LABEL_FILTER)
            close = QUOTES.get(text[at]) if at < end else None
            if close is not None:
                found = text.find(close, at + 1)
                stop = end if found < 0 else found
                labels.append(fold(text[at + 1 : stop].strip()))
                at = stop + 1
                continue
        while at < end and not text[at].isspace():
            at += 1
        word = text[start:at]
        if word[: len(LABEL_FILTER)].casefold() == LABEL_FILTER:
            labels.append(fold(word[len(LABEL_FILTER) :]))
        else:
            words.append(word.casefold())
    return LibraryFilter(tuple(words), tuple(labels))
