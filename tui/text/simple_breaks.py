"""UAX #14 for the plain text of most paragraphs, without asking ICU.

Most paragraphs of Arabic, Gurmukhi and English hold only letters, digits, combining
marks, the space, quotation marks, hyphens and a few other punctuation marks. Among those
classes the line breaking rules reduce to a handful — a row may start after a run of
spaces, and after `!`, `?`, a danda, a hyphen or a slash before a letter — so such a
paragraph's opportunities are found with a few operations over one class letter per
character, where ICU would first build a line breaker (most of the cost, for a paragraph
of a few hundred characters) and then hand back every segment as a tuple. Any other
character sends the paragraph to ICU: the classes here are a subset that a test checks,
code point by code point, on every short string of them and on random text, against ICU
itself (ICU 78, Unicode 17 rules; none of these characters is East Asian, so LB19a binds
every quotation mark to its neighbours).

Class letters (UAX #14 names): ``A`` AL (letters), ``N`` NU, ``M`` CM (combining marks),
``S`` SP (U+0020 only), ``I`` IS, ``E`` EX, ``B`` BA (the dandas), ``O`` OP and ``C`` CP
(``(`` ``[`` and ``)`` ``]``), ``H`` HY (``-``), ``Y`` SY (``/``), and QU split three
ways: ``Q`` neither initial nor final (``'`` ``"``), ``P`` initial (``‘`` ``“``, Pi),
``F`` final (``’`` ``”``, Pf). The rules that apply:

- LB7, LB13, LB15d: no break before a space, EX, IS, CP or SY — except LB15c, ``SP ÷ IS NU``;
- LB9, LB10: a mark belongs to what it follows; after a space or at the start it is AL;
- LB14: none after OP, spaces or not;
- LB15a: the same after an initial quotation mark at the start or after a space, OP or QU;
- LB15b: none between a space and a final quotation mark unless a letter, digit, OP, BA
  or HY follows the mark;
- LB18: otherwise a break after spaces; LB19, LB19a: none on either side of QU;
- LB20a: none after a hyphen at the start or after a space, before a letter;
- LB21: none before BA or HY;
- LB23, LB25, LB28, LB29, LB30: none between letters, digits and IS, before OP after a
  letter or digit, after CP, or after HY before a digit; none after SY before a digit
  when a digit comes before it with only IS and SY between (``1/2``, ``1./2``);
- LB31: a break after EX or BA before a letter, digit or OP; after IS, CP, HY or SY
  before OP; after HY or SY before a letter; after SY before any other digit.

A mark after punctuation is left to ICU, as is anything beyond the Basic Multilingual
Plane (page tables cover only the BMP).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache
from itertools import compress

from tui.text.page_tables import PageTable

NOT_SIMPLE = 0

_CLASS_LETTERS = b"?ANMSIEBOCQPFHY"
"""Byte value -> class letter; 0 (``?``) is a character this module does not handle."""
_A, _N, _M, _S, _I, _E, _B, _O, _C, _Q, _P, _F, _H, _Y = range(1, 15)

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
    '"': _Q,
    "-": _H,
    "/": _Y,
    "\u060c": _I,  # ARABIC COMMA
    "\u061b": _E,  # ARABIC SEMICOLON
    "\u061f": _E,  # ARABIC QUESTION MARK
    "\u06d4": _E,  # ARABIC FULL STOP
    "\u0964": _B,  # DEVANAGARI DANDA, used by Gurmukhi
    "\u0965": _B,  # DEVANAGARI DOUBLE DANDA
    "\u2018": _P,  # LEFT SINGLE QUOTATION MARK
    "\u201c": _P,  # LEFT DOUBLE QUOTATION MARK
    "\u2019": _F,  # RIGHT SINGLE QUOTATION MARK, also the apostrophe
    "\u201d": _F,  # RIGHT DOUBLE QUOTATION MARK
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

_LAST_PAGE = 0x20
"""The page of the curly quotation marks: text with a character beyond it (Chinese, say)
is turned away at once."""

_BY_CATEGORY = {"Lu": _A, "Ll": _A, "Lt": _A, "Lo": _A, "Lm": _A, "Mn": _M, "Mc": _M, "Nd": _N}


def _having(letters: bytes) -> bytes:
    """A ``bytes.translate`` table: 1 for the class letters given, 0 for every other byte."""
    return bytes(1 if value in letters else 0 for value in range(256))


_SPACE = _having(b"S")
_AFTER_SPACE = _having(b"ANMBOQPH")
_SEPARATOR = _having(b"I")
_DIGIT = _having(b"N")
_LETTER = _having(b"A")
_BREAKS_AFTER = _having(b"EB")
_AFTER_BREAKS_AFTER = _having(b"ANMO")
_BREAKS_BEFORE_OPEN = _having(b"ICHY")
_OPEN = _having(b"O")
_MARK = _having(b"M")
_PUNCTUATION_CLASSES = _having(b"IEBOCQPFHY")
_HYPHEN = _having(b"H")
_SOLIDUS = _having(b"Y")
_FINAL = _having(b"F")
_AFTER_SPACED_FINAL = _having(b"ANOBH")
_NUMBER_GOES_ON = _having(b"MIY")

_INITIAL = _having(b"P")
_BEFORE_BINDING_INITIAL = _having(b"SOQPF")


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
    """:func:`simple_breaks`, and whether any row may start before IS (LB15c) or a final
    quotation mark (after a space, LB18): the only opportunities here that kinsoku may
    reject, as none follows OP or an initial quotation mark.

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
    spaces = having(_SPACE)
    if b"O" in classes or b"P" in classes:
        spaces &= ~_held_spaces(classes, having, spaces)
    # A mark takes the class of the letter or digit it follows (no break on either side)
    # or, after a space or at the start, is a letter itself.
    space_before = spaces << 8
    before_number = space_before & having(_SEPARATOR) & (having(_DIGIT) >> 8) if b"I" in classes else 0
    opportunities = (
        (space_before & having(_AFTER_SPACE))
        | before_number
        | ((having(_BREAKS_AFTER) << 8) & having(_AFTER_BREAKS_AFTER))
        | ((having(_BREAKS_BEFORE_OPEN) << 8) & having(_OPEN))
    )
    if b"H" in classes or b"Y" in classes:
        opportunities |= _after_hyphen_or_solidus(classes, having)
    before_final = 0
    if b"F" in classes:
        # LB15b: a final quotation mark after a space starts a row only before a letter,
        # a digit, OP, BA or HY.
        before_final = space_before & having(_FINAL) & (having(_AFTER_SPACED_FINAL) >> 8)
        opportunities |= before_final
    n = len(text)
    breaks = list(compress(range(n), opportunities.to_bytes(n + 1, "little")))
    breaks.append(n)
    return breaks, (before_number | before_final) != 0


def _held_spaces(classes: bytes, having: Callable[[bytes], int], spaces: int) -> int:
    """The spaces after which no row starts: those after OP (LB14) or after an initial
    quotation mark at the start or after a space, OP or QU (LB15a)."""
    binding = having(_OPEN)
    if b"P" in classes:
        binding |= having(_INITIAL) & ((having(_BEFORE_BINDING_INITIAL) << 8) | 1)
    held = spaces & (binding << 8)
    while held:
        longer = held | (spaces & (held << 8))
        if longer == held:
            break
        held = longer
    return held


def _after_hyphen_or_solidus(classes: bytes, having: Callable[[bytes], int]) -> int:
    """Rows starting after HY or SY: before a letter (LB31), except after a hyphen at the
    start or after a space (LB20a); before a digit after SY (LB31), unless a digit comes
    before the SY and IS or SY between them (LB25)."""
    hyphens = having(_HYPHEN)
    word_initial = hyphens & ((having(_SPACE) << 8) | 1)
    found = (((hyphens & ~word_initial) | having(_SOLIDUS)) << 8) & having(_LETTER)
    if b"YN" in classes:
        number = having(_DIGIT)
        goes_on = having(_NUMBER_GOES_ON)
        while True:
            longer = number | ((number << 8) & goes_on)
            if longer == number:
                break
            number = longer
        found |= ((having(_SOLIDUS) & ~number) << 8) & having(_DIGIT)
    return found
