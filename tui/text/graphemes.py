"""Extended grapheme clusters: the unit the cursor moves by and layout never splits.

ICU's CharacterBreaker implements UAX #29, whose GB9c rule keeps virama
conjuncts whole for Devanagari, Bengali, Gujarati, Oriya, Telugu and Malayalam
but not for Gurmukhi: ICU splits `ਪ੍ਰ` into `ਪ੍` and `ਰ`. A Punjabi reader sees
one letter there, so Margin joins a cluster ending in the Gurmukhi virama
(optionally followed by ZERO WIDTH JOINER) to a following cluster that starts
with a Gurmukhi consonant. Scripts that GB9c already covers are left to ICU.
"""

from __future__ import annotations

from icu4py.breakers import CharacterBreaker

from tui.text.utf16 import convert_offsets, without_surrogates

GURMUKHI_VIRAMA = "\u0a4d"
ZERO_WIDTH_JOINER = "\u200d"
GURMUKHI_CONSONANTS = frozenset(
    [chr(code) for code in range(0x0A15, 0x0A3A)]
    + [chr(code) for code in range(0x0A59, 0x0A5D)]
    + ["\u0a5e"]
)
"""Letters U+0A15..U+0A39 (unassigned code points in the range never occur in text)
and the nukta letters and RRA U+0A59..U+0A5C, U+0A5E."""


def icu_grapheme_boundaries(text: str) -> list[int]:
    """ICU's UAX #29 boundaries alone, in code points; what the conformance test checks."""
    if not text:
        return [0]
    ends = [end for _start, end in CharacterBreaker(without_surrogates(text), "root").segments()]
    return [0, *convert_offsets(text, ends)]


def grapheme_boundaries(text: str) -> list[int]:
    """Sorted code point offsets of grapheme cluster boundaries, including 0 and ``len(text)``."""
    if text.isascii() and "\r" not in text:
        # Outside CR LF, UAX #29 has no rule that joins two ASCII characters.
        return list(range(len(text) + 1))
    boundaries = icu_grapheme_boundaries(text)
    if GURMUKHI_VIRAMA in text:
        return _join_gurmukhi_conjuncts(text, boundaries)
    return boundaries


def _join_gurmukhi_conjuncts(text: str, boundaries: list[int]) -> list[int]:
    """Drop each boundary that sits between a virama-final cluster and a consonant."""
    kept = [boundaries[0]]
    for index in range(1, len(boundaries) - 1):
        boundary = boundaries[index]
        if not (text[boundary] in GURMUKHI_CONSONANTS and _ends_in_virama(text, kept[-1], boundary)):
            kept.append(boundary)
    if len(boundaries) > 1:
        kept.append(boundaries[-1])
    return kept


def _ends_in_virama(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a consonant cluster closed by a virama (and ZWJs)."""
    if text[start] not in GURMUKHI_CONSONANTS:
        return False
    cluster = text[start:end].rstrip(ZERO_WIDTH_JOINER)
    return cluster.endswith(GURMUKHI_VIRAMA)
