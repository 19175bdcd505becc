"""UAX #14 for the plain text of most paragraphs, without asking ICU.

Most paragraphs of Arabic, Gurmukhi and English hold only letters, digits, combining
marks, the space and a few punctuation marks. Among those classes the line breaking rules
reduce to a handful — a row may start after a run of spaces, and after `!`, `?` or a
danda before a letter — so such a paragraph's opportunities are found with a few
operations over one class letter per character, where ICU would first build a line
breaker (most of the cost, for a paragraph of a few hundred characters) and then hand
back every segment as a tuple. Any other character sends the paragraph to ICU: the
classes here are a subset that a test checks, code point by code point and on random
text, against ICU itself.

Class letters (UAX #14 names): ``A`` AL (letters), ``N`` NU, ``M`` CM (combining marks),
``S`` SP (U+0020 only), ``I`` IS, ``E`` EX, ``B`` BA (the dandas), ``O`` OP and ``C`` CP
(``(`` ``[`` and ``)`` ``]``), ``Q`` QU (the apostrophe, neither an initial nor a final
quotation mark). The rules that apply:

- LB7, LB13, LB15d: no break before a space, EX, IS or CP — except LB15c, ``SP ÷ IS NU``;
- LB9, LB10: a mark belongs to what it follows; after a space or at the start it is AL;
- LB14: none after OP, spaces or not (its spaces become ``T``, after which no row starts);
- LB18: a break after spaces; LB19: otherwise none on either side of QU; LB21: none
  before BA;
- LB23, LB25, LB28, LB29, LB30: none between letters, digits and IS, before OP or after CP;
- LB31: a break after EX or BA before a letter, digit or OP, and after IS or CP before OP.

A mark after punctuation is left to ICU, as is anything beyond the Basic Multilingual
Plane (page tables cover only the BMP).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from itertools import compress

from tui.text.page_tables import PageTable

NOT_SIMPLE = 0

_CLASS_LETTERS = b"?ANMSIEBOCQ"
"""Byte value -> class letter; 0 (``?``) is a character this module does not handle."""
_A, _N, _M, _S, _I, _E, _B, _O, _C, _Q = range(1, 11)

_PUNCTUATION = {
    " ": _S,
    ",": _I,
    ".": _I,
    ":": _I,
    ";": _I,
    "!": _E,
    "?": _E,
    "(": _O,
    "[": _O,
    ")": _C,
    "]": _C,
    "'": _Q,
    "\u060c": _I,  # ARABIC COMMA
    "\u061b": _E,  # ARABIC SEMICOLON
    "\u061f": _E,  # ARABIC QUESTION MARK
    "\u06d4": _E,  # ARABIC FULL STOP
    "\u0964": _B,  # DEVANAGARI DANDA, used by Gurmukhi
    "\u0965": _B,  # DEVANAGARI DOUBLE DANDA
}

_BLOCKS = (
    (0x0000, 0x007F),  # ASCII letters and digits
    (0x00C0, 0x024F),  # Latin-1 letters, Latin Extended-A and B
    (0x0300, 0x036F),  # combining diacritical marks
    (0x0620, 0x065F),  # Arabic letters and harakat
    (0x0660, 0x0669),  # Arabic-Indic digits
    (0x066E, 0x06D3),  # Arabic letters
    (0x06F0, 0x06FF),  # Extended Arabic-Indic digits and letters
    (0x0A01, 0x0A75),  # Gurmukhi
)

_LAST_PAGE = max(high for _low, high in _BLOCKS) >> 8
"""Text with a character beyond every block above (Chinese, say) is turned away at once."""

_BY_CATEGORY = {"Lu": _A, "Ll": _A, "Lt": _A, "Lo": _A, "Lm": _A, "Mn": _M, "Mc": _M, "Nd": _N}


def _having(letters: bytes) -> bytes:
    """A ``bytes.translate`` table: 1 for the class letters given, 0 for every other byte."""
    return bytes(1 if value in letters else 0 for value in range(256))


_SPACE = _having(b"S")
_AFTER_SPACE = _having(b"ANMBOQ")
_SEPARATOR = _having(b"I")
_DIGIT = _having(b"N")
_BREAKS_AFTER = _having(b"EB")
_AFTER_BREAKS_AFTER = _having(b"ANMO")
_BREAKS_BEFORE_OPEN = _having(b"IC")
_OPEN = _having(b"O")
_MARK = _having(b"M")
_PUNCTUATION_CLASSES = _having(b"IEBOCQ")


def _class_of(code_point: int) -> int:
    ch = chr(code_point)
    if ch in _PUNCTUATION:
        return _PUNCTUATION[ch]
    if not any(low <= code_point <= high for low, high in _BLOCKS):
        return NOT_SIMPLE
    if code_point < 0x80 and not ch.isalnum():
        return NOT_SIMPLE
    if code_point in (0x00D7, 0x00F7):  # × and ÷ are AI/OP-like symbols, not letters
        return NOT_SIMPLE
    return _BY_CATEGORY.get(unicodedata.category(ch), NOT_SIMPLE)


def _page(number: int) -> bytes:
    """Only the blocks and punctuation on the page are looked at: most of a page is not."""
    first = number << 8
    last = first + 255
    page = bytearray(256)
    wanted = [code for low, high in _BLOCKS for code in range(max(low, first), min(high, last) + 1)]
    wanted += [ord(ch) for ch in _PUNCTUATION if first <= ord(ch) <= last]
    for code_point in wanted:
        value = _class_of(code_point)
        if value:
            page[code_point - first] = _CLASS_LETTERS[value]
    return bytes(page)


@cache
def _classes() -> PageTable:
    return PageTable(_page)


def simple_breaks(text: str) -> list[int] | None:
    """The UAX #14 opportunities of ``text`` (as :func:`tui.text.linebreak.uax14_breaks`
    gives them, ending with ``len(text)``), or None when it holds a character outside the
    classes above."""
    found = simple_opportunities(text)
    return found[0] if found is not None else None


def simple_opportunities(text: str) -> tuple[list[int], bool] | None:
    """:func:`simple_breaks`, and whether any row may start before IS (LB15c): the only
    opportunity here that kinsoku may reject, as none follows OP.

    Each class becomes an integer with a 1 in the byte of each character of that class, so
    "a space before a letter" is a shift and an AND over the whole paragraph; the bytes
    of the result are 1 exactly where a row may start."""
    found = _classes().of(text, _LAST_PAGE) if text else None
    if found is None or b"\x00" in found:
        return None
    classes = found

    def having(table: bytes) -> int:
        return int.from_bytes(classes.translate(table), "little")

    if b"M" in classes and (having(_PUNCTUATION_CLASSES) << 8) & having(_MARK):
        return None
    if b"O" in classes:
        # LB14: spaces after OP start no row.
        while b"OS" in classes or b"TS" in classes:
            classes = classes.replace(b"OS", b"OT").replace(b"TS", b"TT")
    # A mark takes the class of the letter or digit it follows (no break on either side)
    # or, after a space or at the start, is a letter itself.
    space_before = having(_SPACE) << 8
    before_number = space_before & having(_SEPARATOR) & (having(_DIGIT) >> 8) if b"I" in classes else 0
    opportunities = (
        (space_before & having(_AFTER_SPACE))
        | before_number
        | ((having(_BREAKS_AFTER) << 8) & having(_AFTER_BREAKS_AFTER))
        | ((having(_BREAKS_BEFORE_OPEN) << 8) & having(_OPEN))
    )
    n = len(text)
    breaks = list(compress(range(n), opportunities.to_bytes(n + 1, "little")))
    breaks.append(n)
    return breaks, before_number != 0
