"""Sentence and word segmentation, for sentence selection and cursor word motion.

ICU's SentenceBreaker ends Punjabi sentences at `।` and `॥`, Arabic ones at
`؟`, `.` and `!`, and Chinese ones at `。！？`. Its "ss=standard" keyword keeps
English abbreviations such as "Mr." from ending a sentence and changes nothing
for other scripts. One fix is applied on top: UAX #29 counts every quotation
mark as a Close that stays with the sentence before it, so in Chinese
`……遺憾。“我們……` the opening `“` of the next sentence ended the previous one.
A sentence never ends with opening punctuation here; the boundary moves before it.
"""

from __future__ import annotations

import re

from tui.text.utf16 import convert_offsets, without_surrogates

SENTENCE_LOCALE = "en@ss=standard"

OPENING_PUNCTUATION = frozenset("“‘「『（《〈【〔〖［｛｢([{")
"""Marks that open a quotation or parenthesis and so belong to the sentence after them.

The ASCII quotation marks are absent: they open and close alike."""

_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def sentence_boundaries(text: str) -> list[int]:
    """Sorted sentence boundaries in code points, including 0 and ``len(text)``."""
    if not text:
        return [0]
    from icu4py.breakers import SentenceBreaker  # at first use: ICU costs milliseconds to load

    segments = SentenceBreaker(without_surrogates(text), SENTENCE_LOCALE).segments()
    ends = convert_offsets(text, (end for _start, end in segments))
    boundaries = [0]
    for end in ends[:-1]:
        moved = end
        while moved - 1 > boundaries[-1] and text[moved - 1] in OPENING_PUNCTUATION:
            moved -= 1
        if moved < end and text[end].isspace():
            moved = end
        boundaries.append(moved)
    boundaries.append(len(text))
    return boundaries


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) code point spans of words: ICU word segments holding a letter or digit."""
    if not text:
        return []
    from icu4py.breakers import WordBreaker  # at first use: ICU costs milliseconds to load

    offsets = convert_offsets(
        text, (offset for segment in WordBreaker(without_surrogates(text), "root").segments() for offset in segment)
    )
    spans = zip(offsets[0::2], offsets[1::2])
    return [(start, end) for start, end in spans if _LETTER_OR_DIGIT.search(text, start, end)]
