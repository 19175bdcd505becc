"""Tokens for training formats (CoNLL, spaCy): where one token ends and the next begins.

ICU's word breaker decides in general: words, numbers and each punctuation mark are
segments, and Thai, Lao, Khmer and Burmese are cut at its dictionary's word breaks
(ICU does that for those scripts whatever the locale). Two changes on top:

- Han and Kana are one token per character. ICU's dictionary groups them into words,
  but Chinese and Japanese NER corpora (MSRA, OntoNotes Chinese, Weibo) are labelled
  per character, and a character is the unit a Chinese annotator selects. A combining
  mark or variation selector stays with the character before it.
- Whitespace and control characters are never part of a token: a segment is cut at
  them and they are dropped, so a token never holds a tab or a line break (which would
  break the one-token-per-line format) and an escape sequence in a document never
  reaches an exported file as a token.

Every other character belongs to exactly one token, so the tokens of a text, read in
order and matched after skipping separators, give back their offsets (``align``).
Offsets are code points.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from tui.text.utf16 import convert_offsets, without_surrogates

WORD_LOCALE = "root"

_HAN_KANA = (
    "\u2e80-\u2fdf"  # CJK radicals, Kangxi radicals
    "\u3005\u3007\u3021-\u3029\u3038-\u303b"  # ideographic iteration mark, number zero, Hangzhou numerals
    "\u3041-\u3098\u309b-\u309f"  # Hiragana (its combining sound marks stay with their letter)
    "\u30a0-\u30ff"  # Katakana
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uf900-\ufaff"  # compatibility ideographs
    "\uff66-\uff9f"  # halfwidth Katakana
    "\U0001aff0-\U0001b16f"  # Kana extended, supplement
    "\U00020000-\U0003347f"  # Extensions B to I, compatibility supplement
)
_ONE_PER_CHARACTER = re.compile(f"[{_HAN_KANA}]")
_SEPARATOR = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


class TokensDoNotMatch(ValueError):
    """A token list that does not read as a text's non-separator characters in order."""

    def __init__(self, index: int, token: str, offset: int) -> None:
        super().__init__(f"token {index + 1} ({token!r}) is not in the text at character {offset}")
        self.index = index
        self.offset = offset


def is_separator(character: str) -> bool:
    """Whitespace or a control character: between tokens, never inside one."""
    return _SEPARATOR.fullmatch(character) is not None


def tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of every token of ``text``, in order, none empty, none overlapping."""
    if not text:
        return []
    from icu4py.breakers import WordBreaker  # at first use: ICU costs milliseconds to load

    offsets = convert_offsets(
        text, (offset for segment in WordBreaker(without_surrogates(text), WORD_LOCALE).segments() for offset in segment)
    )
    cuts = set(offsets)
    for match in _SEPARATOR.finditer(text):
        cuts.update(match.span())
    for match in _ONE_PER_CHARACTER.finditer(text):
        following = match.end()
        while following < len(text) and unicodedata.category(text[following]).startswith("M"):
            following += 1
        cuts.update((match.start(), following))
    ordered = sorted(cuts)
    return [
        (start, end)
        for start, end in zip(ordered, ordered[1:])
        if not _SEPARATOR.match(text, start, start + 1)
    ]


def split_at(spans: Sequence[tuple[int, int]], cuts: Iterable[int]) -> list[tuple[int, int]]:
    """``spans`` with every one that strictly contains a cut split there.

    Both are in code points; ``spans`` must be sorted and disjoint (as ``tokens`` gives)."""
    ordered = sorted(set(cuts))
    result: list[tuple[int, int]] = []
    index = 0
    for start, end in spans:
        while index < len(ordered) and ordered[index] <= start:
            index += 1
        cursor = start
        while index < len(ordered) and ordered[index] < end:
            result.append((cursor, ordered[index]))
            cursor = ordered[index]
            index += 1
        result.append((cursor, end))
    return result


def align(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Offsets of ``words`` in ``text``: each must follow the one before, with only
    separators between them; raises ``TokensDoNotMatch`` otherwise."""
    result: list[tuple[int, int]] = []
    position = 0
    for index, word in enumerate(words):
        gap = _SEPARATOR.match(text, position)
        if gap is not None:
            position = gap.end()
        if not word or not text.startswith(word, position):
            raise TokensDoNotMatch(index, word, position)
        result.append((position, position + len(word)))
        position += len(word)
    return result
