"""A paragraph's units put together from the units of its words.

Nothing that makes a unit reaches across a space. Arabic shaping joins letters within a
run of Arabic, and a space joins nothing. A grapheme cluster ends before a space, and one
starts after it, unless a mark follows the space (the mark then sits on it) or a
prepended letter stands before it. So a word, the text between two spaces, can be
shaped, cut into clusters and ligatures and have each unit looked up once; a paragraph
of known words then becomes a few joins, with no shaping, segmenting or lookup per
character. That is most of the cost of a first screen of Arabic or Gurmukhi, where a
word's clusters and ligatures are found by a loop in Python.

Words are learnt in batches: those a paragraph brings that are not known yet are analysed
together as one text, each between spaces, and cut out of it. A word whose first or
last unit reaches into the space beside it (a mark at its start) cannot be cut out: it is
remembered as such, and a paragraph holding it is analysed whole, as before.
"""

from __future__ import annotations

from itertools import count
from operator import sub

from tui.text.shaping import shape
from tui.text.units import LONGEST_WORD, WORDS_LIMIT, Glyphs, unit_bounds, unit_glyphs

WordEntry = tuple[bytes, tuple[str, ...], bytes, bytes]
"""A word followed by one space: each unit's length in code points, drawable text, width
in cells and flags."""

ParagraphUnits = tuple[bytes, tuple[str, ...], bytes, bytes]
"""Each unit's length in code points, then the columns of
:func:`tui.text.units.unit_columns` (drawable text, width in cells, flags)."""


class WordUnits(dict):
    """Word -> its :data:`WordEntry`, or None for a word whose units reach past it.

    At most :data:`~tui.text.units.WORDS_LIMIT` words are kept; a paragraph with a piece
    longer than :data:`~tui.text.units.LONGEST_WORD` (a line of Chinese, a URL) is analysed
    whole.

    Built for one :class:`~tui.text.units.Glyphs` (a width model and tab width) and for
    the shaping that reorders and shapes rows itself (the default layout)."""

    __slots__ = ("glyphs",)

    def __init__(self, glyphs: Glyphs) -> None:
        super().__init__()
        self.glyphs = glyphs

    def learn(self, words: list[str]) -> None:
        """Analyse ``words`` as one text, each between spaces, and remember each one's units."""
        if len(self) + len(words) > WORDS_LIMIT:
            self.clear()
        # Two spaces between words: a mark at the start of one sits on the second, and the
        # word before it still ends with a space of its own.
        text = " " + "  ".join(words) + " "
        shaped = shape(text)
        bounds = unit_bounds(text, shaped)
        # Looked up unit by unit: the words' columns are remembered here, not also in
        # ``Glyphs.words``.
        units = unit_glyphs(bounds, shaped, self.glyphs)
        unit_at = dict(zip(bounds, count()))
        start = 1
        for word in words:
            end = start + len(word)
            first = unit_at.get(start)
            space = unit_at.get(end)
            entry = None
            # A boundary at each end of the word: its first unit does not reach into the
            # space before it, nor its last into the space after it.
            if first is not None and space is not None:
                glyphs, widths, flags = zip(*units[first : space + 1])
                try:
                    entry = (
                        bytes(map(sub, bounds[first + 1 : space + 2], bounds[first : space + 1])),
                        glyphs,
                        bytes(widths),
                        bytes(flags),
                    )
                except ValueError:
                    # A unit of more than 255 code points, or wider than 255 cells.
                    entry = None
            self[word] = entry
            start = end + 2


def paragraph_units(text: str, table: WordUnits) -> ParagraphUnits | None:
    """The units of ``text`` joined from those of its words, or None where a word cannot be
    (too long to remember, or with units reaching past it): then the paragraph is analysed
    whole."""
    words = text.split(" ")
    entries = list(map(table.get, words))
    if None in entries:
        unknown = set(words).difference(table)
        if not unknown or max(map(len, unknown)) > LONGEST_WORD:
            return None
        table.learn(sorted(unknown))
        entries = list(map(table.get, words))
        if None in entries:
            return None
    lengths, glyphs, widths, flags = zip(*entries)
    # Each word brings the space after it: the last one is not in the text.
    joined = b"".join(lengths)
    n = len(joined) - 1
    # Extending a list word by word copies each word's glyphs at C speed, twice as fast as
    # chaining them one by one.
    shown: list[str] = []
    for word_glyphs in glyphs:
        shown += word_glyphs
    del shown[n:]
    return joined[:n], tuple(shown), b"".join(widths)[:n], b"".join(flags)[:n]
