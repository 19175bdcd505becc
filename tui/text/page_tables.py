"""A one-byte property of every code point of a text, looked up in C instead of per character.

``str.translate`` with a dict costs a dictionary lookup and an integer object per
character of a non-ASCII text (about 45 ns). Encoded as UTF-16, a text of the Basic
Multilingual Plane is two byte strings: the low and the high byte of each code point, the
high byte naming a *page* of 256 code points. ``bytes.translate`` maps the low bytes
through one 256-byte table per page at C speed; where a text spans several pages (Arabic
letters and ASCII spaces and digits: two), each page's answer is kept only where the high
byte names it, by masking the answers as integers. A paragraph costs a few passes over
a few hundred bytes instead of one Python-level lookup per character.

Pages are filled from the property function when a text first uses them. A text with a
character outside the BMP is not handled here (``None``): the caller asks per character.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import cache


class PageTable:
    """A byte for every code point of a text, from ``page(n)``: the 256 bytes of the code
    points ``n * 256`` to ``n * 256 + 255``, asked for once per page."""

    __slots__ = ("_make_page", "_pages", "_zero_pages")

    def __init__(self, page: Callable[[int], bytes]) -> None:
        self._make_page = page
        self._pages: dict[int, bytes] = {}
        self._zero_pages: set[int] = set()

    def page(self, page: int) -> bytes:
        """The 256 bytes of one page."""
        return self._page(page)

    def _page(self, page: int) -> bytes:
        table = self._pages.get(page)
        if table is None:
            table = self._pages[page] = self._make_page(page)
            if not table.strip(b"\x00"):
                self._zero_pages.add(page)
        return table

    def of(self, text: str, last_page: int = 0xFF) -> bytes | None:
        """One byte per code point of ``text``; None if it holds a character beyond U+FFFF,
        or on a page after ``last_page`` (a caller that knows only a few pages is spared
        filling the others)."""
        split = _split(text)
        if split is None:
            return None
        pages = split.pages
        if not pages:
            return b""
        if pages[-1] > last_page:
            return None
        low = split.low
        if len(pages) == 1:
            return low.translate(self._page(pages[0]))
        combined = 0
        for page in pages:
            combined |= int.from_bytes(low.translate(self._page(page)), "little") & split.mask(page)
        return combined.to_bytes(len(low), "little")

    def any_in(self, text: str) -> bool | None:
        """Whether any code point of ``text`` has a byte other than 0 (None beyond the BMP).

        Pages whose bytes are all 0 are not looked at: the Latin page and the dozens of
        pages of a Chinese paragraph, when the question is about right-to-left letters."""
        split = _split(text)
        if split is None:
            return None
        for page in split.pages:
            table = self._page(page)
            if page in self._zero_pages:
                continue
            values = split.low.translate(table)
            if len(split.pages) == 1:
                return values.strip(b"\x00") != b""
            if int.from_bytes(values, "little") & split.mask(page):
                return True
        return False


class _Split:
    """The low bytes of a text's code points, the pages it uses (the high bytes, ascending)
    and, asked for per page, a mask of the positions on that page (an integer, 0xFF where
    the code point is on it)."""

    __slots__ = ("high", "low", "masks", "pages")

    def __init__(self, low: bytes, high: bytes, pages: tuple[int, ...]) -> None:
        self.low = low
        self.high = high
        self.pages = pages
        self.masks: dict[int, int] = {}

    def mask(self, page: int) -> int:
        found = self.masks.get(page)
        if found is None:
            found = self.masks[page] = int.from_bytes(self.high.translate(_only_page(page)), "little")
        return found


def _pages(high: bytes) -> tuple[int, ...]:
    """The distinct bytes of ``high``, ascending.

    A page at a time is taken out with ``bytes.translate``, a pass in C over the bytes
    left: a paragraph of one or two scripts, with ASCII and some punctuation, has a few
    pages, and most of its bytes go with the first. A set is made only of what is left
    after four (the dozens of pages of a Chinese paragraph)."""
    pages: list[int] = []
    rest = high
    while rest and len(pages) < 4:
        page = rest[0]
        pages.append(page)
        rest = rest.translate(None, bytes((page,)))
    if rest:
        pages += set(rest)
    pages.sort()
    return tuple(pages)


@cache
def _only_page(page: int) -> bytes:
    """A translation table: 0xFF for ``page``, 0 for every other."""
    return bytes(page) + b"\xff" + bytes(255 - page)


_last: tuple[str, _Split | None] = ("", _Split(b"", b"", ()))


def _split(text: str) -> _Split | None:
    """``text`` split into low bytes and pages; None beyond the BMP.

    Several tables look at the same paragraph one after another (is it right-to-left, its
    bidi classes, may characters join), so the last split is kept."""
    global _last
    last_text, last_split = _last
    if last_text is text:
        return last_split
    split: _Split | None = None
    encoded = text.encode("utf-16-le", "surrogatepass")
    if len(encoded) == 2 * len(text):
        high = encoded[1::2]
        split = _Split(encoded[0::2], high, _pages(high))
    _last = (text, split)
    return split


def membership(ranges: Sequence[tuple[int, int]]) -> PageTable:
    """1 for the code points in ``ranges`` (sorted, inclusive, not overlapping), else 0.

    A page is filled from the ranges that cross it, without testing its code points one
    by one, so a large set costs nothing to prepare (a compiled character class of a few
    hundred ranges takes milliseconds)."""
    lows = [low for low, _high in ranges]
    highs = [high for _low, high in ranges]

    def page(number: int) -> bytes:
        first = number << 8
        last = first + 255
        marks = bytearray(256)
        i = max(bisect_right(lows, first) - 1, 0)
        while i < len(lows) and lows[i] <= last:
            low, high = max(lows[i], first), min(highs[i], last)
            if low <= high:
                marks[low - first : high - first + 1] = b"\x01" * (high - low + 1)
            i += 1
        return bytes(marks)

    return PageTable(page)
