"""UAX #14 for the plain text of most paragraphs, without asking ICU.

Most paragraphs of Arabic, Gurmukhi and English hold only letters, digits, combining
marks, the space, quotation marks, hyphens and a few other punctuation marks. Among those
classes the line breaking rules reduce to a handful — a row may start after a run of
spaces, and after `!`, `?`, a danda, a hyphen or a slash before a letter — and nearly all
of them depend only on the two characters either side, so such a paragraph's
opportunities are one table lookup per pair of neighbouring classes (a
``bytes.translate`` over the whole paragraph), plus a look at the rare pairs where a rule
looks further, while ICU would first build a line breaker (most of the cost, for a
paragraph of a few hundred characters) and then hand back every segment as a tuple. Any other
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


_SPACE_LETTER, _OPEN_LETTER, _DIGIT_LETTER, _LETTER_LETTER, _HYPHEN_LETTER = b"SONAH"
_BEFORE_BINDING_INITIAL = b"SOQPF"
_AFTER_SPACED_FINAL = b"ANOBH"
_NUMBER_GOES_ON = b"MIY"

_CODES = bytes(_CLASS_LETTERS.index(value) if value in _CLASS_LETTERS[1:] else 0 for value in range(256))
"""Class letter -> its number (1 to 14), which fits in four bits."""

_BREAKS_AFTER = {
    "S": "ANMBOQPH",  # LB18
    "E": "ANMO",  # LB31
    "B": "ANMO",
    "I": "O",
    "C": "O",
    "H": "AO",  # LB31, but see LB20a below
    "Y": "AO",
}
"""Where a row may start between two characters, whatever is around them."""

_LEFT_TO_ICU = 2
_IN_CONTEXT = {
    "SI": 3,  # none, but LB15c: SP ÷ IS NU
    "SF": 4,  # none, but LB15b: one before a final quotation mark before some classes
    "OS": 5,  # LB14, LB15a: none after these spaces
    "PS": 5,
    "SH": 6,  # LB18, and LB20a: none after this hyphen before a letter
    "YN": 7,  # LB31, but LB25: none when a number goes on
}
"""Pairs where the characters around them decide, numbered for a quick look for each."""
_NO_CONTEXT = bytes((0, 1, 2, 0, 0, 0, 1, 1)) + bytes(248)
"""The answer for a pair in context when the context does not matter."""


def _pairs() -> bytes:
    """Indexed by the left class number times 16 plus the right one: 1 where a row may
    start between them, 2 for a mark after punctuation (left to ICU), 3 to 7 for the pairs
    in :data:`_IN_CONTEXT`, else 0."""
    table = bytearray(256)

    def index(pair: str) -> int:
        left, right = pair.encode()
        return _CLASS_LETTERS.index(left) << 4 | _CLASS_LETTERS.index(right)

    for left, rights in _BREAKS_AFTER.items():
        for right in rights:
            table[index(left + right)] = 1
    for left in "IEBOCQPFHY":
        table[index(left + "M")] = _LEFT_TO_ICU
    for pair, value in _IN_CONTEXT.items():
        table[index(pair)] = value
    return bytes(table)


_PAIRS = _pairs()


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
    """:func:`simple_breaks`, and whether kinsoku may reject any of them (see
    :func:`simple_break_flags`)."""
    found = simple_break_flags(text)
    if found is None:
        return None
    flags, kinsoku = found
    breaks = list(compress(range(len(text)), flags))
    breaks.append(len(text))
    return breaks, kinsoku


def simple_break_flags(text: str) -> tuple[bytes, bool] | None:
    """For each code point of ``text``, 1 where a row may start before it (as
    :func:`simple_breaks` gives them, the paragraph's end left out), and whether any row
    may start before IS (LB15c) or a final quotation mark (after a space, LB18): the only
    opportunities here that kinsoku may reject, as none follows OP or an initial
    quotation mark.

    Each character's class number (four bits) and the one before it make a byte (a shift
    and an OR of the paragraph's class numbers as one integer), and one table says for
    every such pair whether a row may start between them; the few pairs whose answer
    depends on characters further away are found with ``bytes.find`` and looked at one by
    one."""
    found = _classes().of(text, _LAST_PAGE) if text else None
    if found is None or b"\x00" in found:
        return None
    classes = found
    n = len(text)
    codes = int.from_bytes(classes.translate(_CODES), "little")
    pairs = ((codes << 12) | codes).to_bytes(n + 1, "little").translate(_PAIRS)
    if b"\x02" in pairs:
        return None
    kinsoku = False
    if pairs.translate(None, b"\x00\x01") or classes[0] == _HYPHEN_LETTER:
        # A pair in context (3 to 7; 2 was turned away above).
        pairs, kinsoku = _in_context(classes, pairs)
    return pairs[:n], kinsoku


def _in_context(classes: bytes, pairs: bytes) -> tuple[bytes, bool]:
    """The answers for pairs in context (``pairs`` as :data:`_PAIRS` gives them), and
    whether a row starts before IS (LB15c) or a final quotation mark (LB15b). Each pair
    in context is rare, so each is looked at on its own."""
    answers = bytearray(pairs.translate(_NO_CONTEXT))
    n = len(classes)
    held: set[int] = set()
    i = pairs.find(b"\x05")
    while i >= 0:
        # LB14, LB15a: OP, or an initial quotation mark at the start or after a space, OP
        # or QU, holds the spaces after it to what follows them.
        before = classes[i - 1]
        if before == _OPEN_LETTER or i == 1 or classes[i - 2] in _BEFORE_BINDING_INITIAL:
            end = i
            while end < n and classes[end] == _SPACE_LETTER:
                end += 1
            answers[end] = 0
            held.add(end)
        i = pairs.find(b"\x05", i + 1)
    kinsoku = False
    i = pairs.find(b"\x03")
    while i >= 0:
        # LB15c: SP ÷ IS NU.
        if i + 1 < n and classes[i + 1] == _DIGIT_LETTER and i not in held:
            answers[i] = 1
            kinsoku = True
        i = pairs.find(b"\x03", i + 1)
    i = pairs.find(b"\x04")
    while i >= 0:
        # LB15b: a final quotation mark after a space starts a row before some classes only.
        if i + 1 < n and classes[i + 1] in _AFTER_SPACED_FINAL and i not in held:
            answers[i] = 1
            kinsoku = True
        i = pairs.find(b"\x04", i + 1)
    i = pairs.find(b"\x06")
    if classes[0] == _HYPHEN_LETTER:
        i = 0
    while i >= 0:
        # LB20a: none after a hyphen at the start or after a space, before a letter.
        if i + 1 < n and classes[i + 1] == _LETTER_LETTER:
            answers[i + 1] = 0
        i = pairs.find(b"\x06", i + 1)
    i = pairs.find(b"\x07")
    while i >= 0:
        # LB25: none after SY before a digit when a digit comes before the SY with only
        # IS and SY (or the marks of that digit) between them.
        start = i - 1
        while start > 0 and classes[start - 1] in _NUMBER_GOES_ON:
            start -= 1
        if start > 0 and classes[start - 1] == _DIGIT_LETTER:
            answers[i] = 0
        i = pairs.find(b"\x07", i + 1)
    return bytes(answers), kinsoku
