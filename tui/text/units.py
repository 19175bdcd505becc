"""Units: what a paragraph is cut into for layout, and what each one shows.

A unit is a grapheme cluster, or several fused by an Arabic ligature; it is never split
across rows or cells. Each shows as text a terminal can draw — control characters and
bidi controls as visible pictures, a mark with nothing to sit on over a dotted circle —
with a width in cells and flags (whitespace, picture).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain, islice

from tui.text.bidi_properties import mirroring_glyphs
from tui.text.controls import display_char, needs_substitution
from tui.text.graphemes import grapheme_boundaries
from tui.text.shaping import Shaped
from tui.text.width import WidthModel

#: Visible stand-ins for bidi controls that can change what a line appears to say.
BIDI_CONTROL_SYMBOLS = {
    "\u202a": "→",  # LRE
    "\u202b": "←",  # RLE
    "\u202c": "↥",  # PDF
    "\u202d": "⇒",  # LRO
    "\u202e": "⇐",  # RLO
    "\u2066": "↱",  # LRI
    "\u2067": "↰",  # RLI
    "\u2068": "↕",  # FSI
    "\u2069": "↧",  # PDI
}

#: Unit flags, one byte per unit.
FLAG_SPACE = 1
FLAG_SYMBOL = 2

_PLAIN = 0x80
_WIDTH_OF_PLAIN = bytes(value & 3 for value in range(256))
_FLAGS_OF_PLAIN = bytes(value >> 2 & 1 for value in range(256))

_DOTTED_CIRCLE = "\u25cc"
_MARK_CATEGORIES = frozenset({"Mn", "Mc", "Me"})


class Glyphs(dict):
    """Cluster -> (drawable text, width, flags), computed once per distinct cluster.

    Text repeats its clusters endlessly (letters, spaces, common syllables), so the
    per-cluster work — control pictures, dotted circles, width — is a dict lookup.

    ``ascii_plain`` answers the same for ASCII text at once, through ``bytes.translate``:
    for each character drawn as itself, a byte holding its width and flags (0 for the
    others, such as a tab or an escape)."""

    __slots__ = ("width_model", "tab_width", "_ascii_plain", "words")

    def __init__(self, width_model: WidthModel, tab_width: int) -> None:
        super().__init__()
        self.width_model = width_model
        self.tab_width = tab_width
        self._ascii_plain: bytes | None = None
        self.words = _Words(self)

    @property
    def ascii_plain(self) -> bytes:
        if self._ascii_plain is None:
            table = bytearray(256)
            for code_point in range(128):
                ch = chr(code_point)
                glyph, width, flags = self[ch]
                if glyph == ch and not flags & ~FLAG_SPACE:
                    table[code_point] = _PLAIN | flags << 2 | width
            self._ascii_plain = bytes(table)
        return self._ascii_plain

    def __missing__(self, shown: str) -> tuple[str, int, int]:
        glyph, flags = unit_glyph(shown, self.tab_width)
        value = (glyph, self.width_model.cluster_width(glyph), flags)
        self[shown] = value
        return value


def unit_glyph(shown: str, tab_width: int) -> tuple[str, int]:
    """The drawable text for one unit (as shaped) and its flags."""
    first = shown[0]
    if first == "\t":
        return " " * tab_width, FLAG_SPACE
    if first in BIDI_CONTROL_SYMBOLS:
        return BIDI_CONTROL_SYMBOLS[first], FLAG_SYMBOL
    flags = FLAG_SPACE if shown.isspace() else 0
    text = shown
    if needs_substitution(text):
        replaced = "".join(display_char(c) for c in text)
        if replaced != text:
            flags |= FLAG_SYMBOL
            flags &= ~FLAG_SPACE
        text = replaced
    if unicodedata.category(text[0]) in _MARK_CATEGORIES:
        text = _DOTTED_CIRCLE + text
    return text, flags


def unit_bounds(text: str, shaped: Shaped) -> list[int]:
    """Grapheme boundaries, without those inside a ligature."""
    clusters = grapheme_boundaries(text)
    if not shaped.ligatures:
        return clusters
    if len(clusters) == len(text) + 1:
        # Every code point is a cluster: a ligature's inner boundaries are a slice to drop.
        for start, end, _shown in reversed(shaped.ligatures):
            del clusters[start + 1 : end]
        return clusters
    inside = {b for start, end, _shown in shaped.ligatures for b in range(start + 1, end)}
    return [b for b in clusters if b not in inside]


def shown_clusters(bounds: list[int], shaped: Shaped) -> list[str]:
    """What each unit shows before control pictures: its slice of the shaped text, with
    any ligature it holds in place of the letters the ligature fuses."""
    text = shaped.text
    if len(bounds) == len(text) + 1:
        return list(text)
    if len(bounds) + sum(end - start - 1 for start, end, _fused in shaped.ligatures) == len(text) + 1:
        # Every code point is a cluster but those a ligature fuses: the ligatures replace
        # their letters (the clusters of the other units are one code point each).
        shown = list(text)
        for start, end, fused in reversed(shaped.ligatures):
            shown[start:end] = [fused]
        return shown
    shown = [text[a:b] for a, b in zip(bounds, bounds[1:])]
    if shaped.ligatures:
        by_unit: dict[int, list[tuple[int, int, str]]] = {}
        for ligature in shaped.ligatures:
            k = bisect_right(bounds, ligature[0]) - 1
            by_unit.setdefault(k, []).append(ligature)
        for k, ligatures in by_unit.items():
            a, b = bounds[k], bounds[k + 1]
            parts = []
            position = a
            for start, end, fused in ligatures:
                parts.append(text[position:start])
                parts.append(fused)
                position = end
            parts.append(text[position:b])
            shown[k] = "".join(parts)
    return shown


WORDS_LIMIT = 65536
"""Words whose columns are remembered before the memory is cleared."""
LONGEST_WORD = 40
"""Longer pieces between spaces (a line of Chinese, a URL) are not words that recur: their
columns are worked out each time and not remembered."""


class _Words(dict):
    """A word (a piece of shaped text between spaces) -> the glyphs, widths and flags of its
    code points followed by those of a space.

    Words recur (a book has a few thousand), so a paragraph's columns are mostly the
    columns of words it is made of, joined, instead of a lookup per code point."""

    __slots__ = ("glyphs",)

    def __init__(self, glyphs: Glyphs) -> None:
        super().__init__()
        self.glyphs = glyphs

    def __missing__(self, word: str) -> tuple[tuple[str, ...], bytes, bytes]:
        glyph_column, width_column, flag_column = zip(*map(self.glyphs.__getitem__, word + " "))
        value = (glyph_column, bytes(width_column), bytes(flag_column))
        if len(word) <= LONGEST_WORD:
            if len(self) >= WORDS_LIMIT:
                self.clear()
            self[word] = value
        return value


def unit_glyphs(bounds: list[int], shaped: Shaped, glyphs: Glyphs) -> list[tuple[str, int, int]]:
    """Each unit's drawable text, width and flags: :func:`shown_clusters` looked up in
    ``glyphs``, without first cutting the text into a list where every unit is one code
    point (or a ligature)."""
    text = shaped.text
    fused = sum(end - start - 1 for start, end, _shown in shaped.ligatures)
    if len(bounds) + fused != len(text) + 1:
        return list(map(glyphs.__getitem__, shown_clusters(bounds, shaped)))
    units = list(map(glyphs.__getitem__, text))
    for start, end, shown in reversed(shaped.ligatures):
        units[start:end] = [glyphs[shown]]
    return units


def unit_columns(bounds: list[int], shaped: Shaped, glyphs: Glyphs) -> tuple[tuple[str, ...], Sequence[int], bytes]:
    """Every unit's drawable text, width and flags, as three columns (the widths as bytes
    where every unit is at most a ligature wide, else as a tuple).

    Where every unit is one code point (or a ligature), the columns are those of the
    paragraph's words joined (see :class:`_Words`), with each ligature then put in place
    of the letters it fuses; an ASCII paragraph of printable characters (most of an English
    text) takes them from two byte translations. Otherwise, and for text with few spaces
    (Chinese), each unit is looked up (:func:`unit_glyphs`)."""
    text = shaped.text
    n = len(text)
    ligatures = shaped.ligatures
    fused = sum(end - start - 1 for start, end, _shown in ligatures) if ligatures else 0
    if len(bounds) + fused == n + 1 and text.count(" ") * 20 >= n:
        if text.isascii():
            plain = text.encode("ascii").translate(glyphs.ascii_plain)
            if b"\x00" not in plain:
                return tuple(text), plain.translate(_WIDTH_OF_PLAIN), plain.translate(_FLAGS_OF_PLAIN)
        word_glyphs, word_widths, word_flags = zip(*map(glyphs.words.__getitem__, text.split(" ")))
        # Each word brings a space after it: the last one is not in the text.
        glyph_column = tuple(islice(chain.from_iterable(word_glyphs), n))
        widths = b"".join(word_widths)[:n]
        flags = b"".join(word_flags)[:n]
        if not ligatures:
            return glyph_column, widths, flags
        shown = list(glyph_column)
        unit_widths = bytearray(widths)
        unit_flags = bytearray(flags)
        for start, end, fused_text in reversed(ligatures):
            glyph, width, flag = glyphs[fused_text]
            shown[start:end] = [glyph]
            unit_widths[start:end] = bytes((width,))
            unit_flags[start:end] = bytes((flag,))
        return tuple(shown), bytes(unit_widths), bytes(unit_flags)
    units = unit_glyphs(bounds, shaped, glyphs)
    if not units:
        return (), (), b""
    glyph_column, width_column, flag_column = zip(*units)
    return glyph_column, width_column, bytes(flag_column)


@lru_cache(maxsize=1)
def mirror_table() -> dict[str, str]:
    """Rule L4 for one-character glyphs; multi-character units never mirror."""
    return {ch: glyph for ch, glyph in mirroring_glyphs().items() if glyph and 0x20 <= ord(ch) < 0x10000}


def cut_fused(values: Sequence, fused: Sequence[tuple[int, int]]) -> Sequence:
    """``values``, one per code point, as one per unit: the code points after the first of
    each unit of several cut out, ``fused`` giving them as ``(start, end)`` from the end
    backwards (see ``tui.text.layout.Paragraph.fused``). Bytes stay bytes; any other
    sequence becomes a tuple; without ``fused``, ``values`` itself."""
    if not fused:
        return values
    kept: bytearray | list = bytearray(values) if isinstance(values, bytes) else list(values)
    for a, b in fused:
        del kept[a:b]
    return bytes(kept) if isinstance(kept, bytearray) else tuple(kept)
