"""Searching the logical text, forgiving about case, compatibility forms and diacritics.

A reader types ``cafe`` and expects ``Café``; types an Arabic word without harakat and expects
the vowelled text to match; types a full-width ``ＡＩ`` or an ASCII ``AI`` and expects both.
So both sides are folded (NFKC, case-folded, optionally without Arabic diacritics) and every
folded character remembers the logical offset it came from, so a hit is highlighted over
exactly the logical characters that matched.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

_ARABIC_DIACRITICS = frozenset(
    chr(c) for c in [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE), 0x0640]
)


class SearchOptions(NamedTuple):
    """How forgiving a search is (a named tuple: cheaper to define than a dataclass)."""

    ignore_case: bool = True
    ignore_diacritics: bool = True
    """Arabic harakat and tatweel, and combining marks of Latin letters, need not match."""


DEFAULT_OPTIONS = SearchOptions()


class Folded(NamedTuple):
    """Text folded for matching, with ``origins[i]`` the logical offset of folded char ``i``."""

    text: str
    origins: tuple[int, ...]


@lru_cache(maxsize=1)
def _drop_marks() -> dict[int, None]:
    """A ``str.translate`` table deleting every nonspacing mark and Arabic diacritic."""
    table = {ord(c): None for c in _ARABIC_DIACRITICS}
    for code in range(0x300, 0x20000):
        if unicodedata.category(chr(code)) == "Mn":
            table[code] = None
    return table


@lru_cache(maxsize=8192)
def _fold_char(ch: str, ignore_case: bool, ignore_diacritics: bool) -> str:
    return fast_fold(ch, SearchOptions(ignore_case, ignore_diacritics))


def fast_fold(text: str, options: SearchOptions = DEFAULT_OPTIONS) -> str:
    """The folded text without the offset map, at C speed: a prefilter for long documents.

    Folding is per character (compatibility decomposition, case folding, marks dropped), so
    this agrees with :func:`fold` and a block whose fast fold lacks the query has no hit."""
    out = unicodedata.normalize("NFKD", text)
    if options.ignore_case:
        out = out.casefold()
    if options.ignore_diacritics:
        out = out.translate(_drop_marks())
    return out


def fold(text: str, options: SearchOptions = DEFAULT_OPTIONS) -> Folded:
    """Fold ``text`` character by character, keeping where each folded character came from."""
    parts: list[str] = []
    origins: list[int] = []
    ignore_case, ignore_diacritics = options.ignore_case, options.ignore_diacritics
    if text.isascii():
        folded = text.lower() if ignore_case else text
        return Folded(folded, tuple(range(len(text))))
    for i, ch in enumerate(text):
        f = _fold_char(ch, ignore_case, ignore_diacritics)
        if f:
            parts.append(f)
            origins.extend([i] * len(f))
    return Folded("".join(parts), tuple(origins))


def fold_query(query: str, options: SearchOptions = DEFAULT_OPTIONS) -> str:
    """The query folded the same way as the text."""
    return fold(query, options).text


def find_all(text: str, query: str, options: SearchOptions = DEFAULT_OPTIONS, base: int = 0) -> list[tuple[int, int]]:
    """Every match of ``query`` in ``text`` as logical ``(start, end)`` ranges plus ``base``.

    Ranges are widened to whole characters of the logical text: a match that starts inside
    the expansion of a ligature or a compatibility character covers all of it."""
    needle = fold_query(query, options)
    if not needle or not text or needle not in fast_fold(text, options):
        return []
    folded = fold(text, options)
    hits: list[tuple[int, int]] = []
    origins = folded.origins
    for match in re.finditer(re.escape(needle), folded.text):
        after = match.end()
        if not options.ignore_diacritics and after < len(folded.text) and unicodedata.combining(folded.text[after]):
            continue
        start = origins[match.start()]
        end = origins[match.end() - 1] + 1
        end = _extend_over_marks(text, end)
        hits.append((base + start, base + end))
    return hits


def _extend_over_marks(text: str, end: int) -> int:
    """Diacritics that were folded away after the last matched letter belong to the hit."""
    while end < len(text) and (text[end] in _ARABIC_DIACRITICS or unicodedata.category(text[end]) == "Mn"):
        end += 1
    return end
