"""Character properties the bidi algorithm reads: classes, paired brackets, mirroring glyphs.

Classes come from ``unicodedata`` (Unicode 14.0 on Python 3.11) and are spelt as one
letter each, so a paragraph's classes form a ``str`` that regular expressions can rewrite
at C speed. Unassigned code points take the defaults of DerivedBidiClass.txt: R or AL in
blocks reserved for right-to-left scripts, ET in Currency Symbols, BN for noncharacters
and unassigned default ignorables, L elsewhere. A character new in Unicode 15.0 therefore
differs from the 15.0 data only where its class is not its block's default (for example
U+10EFD..U+10EFF, Arabic small marks, NSM in 15.0 but AL here); BidiCharacterTest.txt 15.0
contains no such character.

The bracket and mirroring tables are parsed from the Unicode 15.0 files shipped in
``tui/text/data`` at first use, not at import.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

CLASS_LETTERS: dict[str, str] = {
    "L": "L",
    "R": "R",
    "AL": "A",
    "EN": "E",
    "ES": "+",
    "ET": "$",
    "AN": "N",
    "CS": ",",
    "NSM": "m",
    "BN": "b",
    "B": "B",
    "S": "S",
    "WS": "_",
    "ON": "o",
    "LRE": "1",
    "RLE": "2",
    "LRO": "3",
    "RLO": "4",
    "PDF": "5",
    "LRI": "6",
    "RLI": "7",
    "FSI": "8",
    "PDI": "9",
}

RTL_BLOCK_DEFAULTS: tuple[tuple[int, int, str], ...] = (
    (0x0590, 0x05FF, "R"),
    (0x0600, 0x07BF, "AL"),
    (0x07C0, 0x085F, "R"),
    (0x0860, 0x08FF, "AL"),
    (0xFB1D, 0xFB4F, "R"),
    (0xFB50, 0xFDCF, "AL"),
    (0xFDF0, 0xFDFF, "AL"),
    (0xFE70, 0xFEFF, "AL"),
    (0x10800, 0x10CFF, "R"),
    (0x10D00, 0x10D3F, "AL"),
    (0x10D40, 0x10EBF, "R"),
    (0x10EC0, 0x10EFF, "AL"),
    (0x10F00, 0x10F2F, "R"),
    (0x10F30, 0x10F6F, "AL"),
    (0x10F70, 0x10FFF, "R"),
    (0x1E800, 0x1EC6F, "R"),
    (0x1EC70, 0x1ECBF, "AL"),
    (0x1ECC0, 0x1ECFF, "R"),
    (0x1ED00, 0x1ED4F, "AL"),
    (0x1ED50, 0x1EDFF, "R"),
    (0x1EE00, 0x1EEFF, "AL"),
    (0x1EF00, 0x1EFFF, "R"),
)
"""The ``@missing`` lines of DerivedBidiClass.txt 15.0 for right-to-left blocks."""

_UNASSIGNED_ET = (0x20A0, 0x20CF)
_UNASSIGNED_IGNORABLES = ((0x2060, 0x206F), (0xFFF0, 0xFFF8), (0xE0000, 0xE0FFF))

BN_CANDIDATES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x009F),
    (0x00AD, 0x00AD),
    (0x180E, 0x180E),
    (0x200B, 0x200D),
    (0x2060, 0x206F),
    (0xFDD0, 0xFDEF),
    (0xFEFF, 0xFEFF),
    (0xFFF0, 0xFFFF),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
    *((plane + 0xFFFE, plane + 0xFFFF) for plane in range(0x10000, 0x110000, 0x10000)),
)
"""Every code point whose class may be BN; a test checks this against the whole range."""

RTL_CANDIDATES: tuple[tuple[int, int], ...] = (
    *((low, high) for low, high, _ in RTL_BLOCK_DEFAULTS),
    (0x200F, 0x200F),
    (0x202A, 0x202E),
    (0x2066, 0x2069),
)
"""Every code point that may be R, AL, AN or explicit formatting; checked by a test."""

_EQUIVALENT_BRACKETS = {0x2329: 0x3008, 0x232A: 0x3009}


def _is_noncharacter(code_point: int) -> bool:
    return 0xFDD0 <= code_point <= 0xFDEF or code_point & 0xFFFE == 0xFFFE


def bidi_class(code_point: int) -> str:
    """The Bidi_Class short name, with DerivedBidiClass defaults for unassigned code points."""
    name = unicodedata.bidirectional(chr(code_point))
    if name:
        return name
    for low, high, default in RTL_BLOCK_DEFAULTS:
        if low <= code_point <= high:
            return default
    if _UNASSIGNED_ET[0] <= code_point <= _UNASSIGNED_ET[1]:
        return "ET"
    if _is_noncharacter(code_point) or any(
        low <= code_point <= high for low, high in _UNASSIGNED_IGNORABLES
    ):
        return "BN"
    return "L"


class _ClassLetters(dict):
    """Code point -> class letter, filled on demand so ``str.translate`` can use it."""

    __slots__ = ()

    def __missing__(self, code_point: int) -> str:
        letter = CLASS_LETTERS[bidi_class(code_point)]
        self[code_point] = letter
        return letter


_CLASS_TABLE = _ClassLetters()


def classify(text: str) -> str:
    """One class letter per code point of ``text`` (see ``CLASS_LETTERS``)."""
    return text.translate(_CLASS_TABLE)


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


@dataclass(frozen=True, slots=True)
class CharacterSet:
    """A set of code points searched as two patterns, one per side of U+FFFF.

    One character class spanning both sides makes ``re`` test its ranges one by one (about
    35 ns a character); a class within the BMP is a bitmap (about 3 ns), and most text
    holds no astral character at all, which one cheap search shows. The patterns match one
    character: a repeated class loses the fast scan for its first character.
    """

    bmp: re.Pattern[str]
    astral: re.Pattern[str]

    def found_in(self, text: str) -> bool:
        if self.bmp.search(text) is not None:
            return True
        return _ASTRAL.search(text) is not None and self.astral.search(text) is not None

    def positions(self, text: str) -> list[int]:
        """Indices of the members of this set in ``text``, in order."""
        found = [match.start() for match in self.bmp.finditer(text)]
        if _ASTRAL.search(text) is not None:
            found.extend(match.start() for match in self.astral.finditer(text))
            found.sort()
        return found


def _character_class(ranges: list[list[int]]) -> re.Pattern[str]:
    body = "".join(
        re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in ranges
    )
    return re.compile(f"[{body}]" if body else "(?!)")


def _character_set(candidates: tuple[tuple[int, int], ...], letters: str) -> CharacterSet:
    """The candidates whose class letter is one of ``letters``."""
    ranges: list[list[int]] = []
    for low, high in sorted(candidates):
        for code_point in range(low, high + 1):
            if _CLASS_TABLE[code_point] not in letters:
                continue
            if ranges and ranges[-1][1] >= code_point - 1:
                ranges[-1][1] = max(ranges[-1][1], code_point)
            else:
                ranges.append([code_point, code_point])
    return CharacterSet(
        _character_class([[low, min(high, 0xFFFF)] for low, high in ranges if low <= 0xFFFF]),
        _character_class([[max(low, 0x10000), high] for low, high in ranges if high > 0xFFFF]),
    )


@cache
def rtl_characters() -> CharacterSet:
    """Characters that force the full algorithm: R, AL, AN, explicit formatting."""
    return _character_set(RTL_CANDIDATES, "RAN123456789")


@cache
def bn_characters() -> CharacterSet:
    """BN characters, which rule X9 removes even from pure left-to-right text."""
    return _character_set(BN_CANDIDATES, "b")


def _data_lines(name: str) -> Iterator[list[str]]:
    """Field lists of a UCD file shipped in ``tui/text/data``, comments dropped."""
    source = resources.files(__package__).joinpath("data", name)
    for line in source.read_text(encoding="utf-8").splitlines():
        content = line.partition("#")[0].strip()
        if content:
            yield [field.strip() for field in content.split(";")]


@cache
def paired_brackets() -> tuple[dict[str, str], frozenset[str]]:
    """Opening bracket -> its closing bracket, and the set of closing brackets.

    Canonical equivalents (U+2329/U+232A and U+3008/U+3009) are folded to the U+300x form,
    which is what ``bracket_identity`` returns, so either spelling pairs with the other.
    """
    openers: dict[str, str] = {}
    closers: set[str] = set()
    for code, paired, kind in _data_lines("BidiBrackets.txt"):
        char = bracket_identity(chr(int(code, 16)))
        if kind == "o":
            openers[char] = bracket_identity(chr(int(paired, 16)))
        else:
            closers.add(char)
    return openers, frozenset(closers)


def bracket_identity(char: str) -> str:
    """The character a bracket is compared as (its canonical equivalent, if it has one)."""
    equivalent = _EQUIVALENT_BRACKETS.get(ord(char))
    return chr(equivalent) if equivalent else char


@cache
def bracket_pattern() -> re.Pattern[str]:
    """Any character with Bidi_Paired_Bracket_Type Open or Close."""
    characters = [
        chr(int(fields[0], 16)) for fields in _data_lines("BidiBrackets.txt")
    ]
    return re.compile("[" + "".join(re.escape(char) for char in characters) + "]")


@cache
def mirroring_glyphs() -> dict[str, str]:
    """Bidi_Mirroring_Glyph for every character that has one."""
    return {
        chr(int(code, 16)): chr(int(glyph, 16))
        for code, glyph in _data_lines("BidiMirroring.txt")
    }
