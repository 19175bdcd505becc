"""Convert ICU's UTF-16 offsets into Python string (code point) offsets.

ICU counts UTF-16 code units, so every character outside the Basic Multilingual
Plane (CJK Extension B, emoji, ...) shifts later offsets by one. Margin's offsets
are always code points, so every ICU result passes through here.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from functools import cache

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
REPLACEMENT = "\ufffd"


def without_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD, one for one.

    Strings from the operating system (``surrogateescape`` file names, arguments, the
    environment) can hold lone surrogates, which neither ICU nor a terminal can take. The
    replacement keeps the length, so every offset into the original stays valid.
    """
    if text.isascii():
        return text
    try:
        # Encoding fails only on a lone surrogate, and runs at C speed without a pattern.
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _lone_surrogate().sub(REPLACEMENT, text)
    return text


@cache
def _lone_surrogate() -> re.Pattern[str]:
    return re.compile("[\ud800-\udfff]")


def _identity(offset: int) -> int:
    return offset


def utf16_to_codepoint_offsets(text: str) -> Callable[[int], int]:
    """A converter from UTF-16 boundary offsets in ``text`` to code point offsets.

    BMP-only text (the common case) gets the identity; otherwise the UTF-16
    start of every astral character is tabulated once, and a boundary ``u``
    maps to ``u`` minus the number of astral characters that start before it.
    Offsets inside a surrogate pair are not boundaries and are not supported.
    """
    if text.isascii() or max(text) <= "\uffff":
        return _identity
    astral_positions = [match.start() for match in _ASTRAL.finditer(text)]
    utf16_starts = [position + index for index, position in enumerate(astral_positions)]

    def convert(offset: int) -> int:
        return offset - bisect_left(utf16_starts, offset)

    return convert


def convert_offsets(text: str, offsets: Iterable[int]) -> list[int]:
    """Convert many UTF-16 boundary offsets of ``text`` at once, skipping work for BMP text."""
    convert = utf16_to_codepoint_offsets(text)
    if convert is _identity:
        return list(offsets)
    return [convert(offset) for offset in offsets]
