"""Rows written for terminals that shape runs of text themselves (kitty).

Such a terminal shapes each run of non-blank cells as one HarfBuzz buffer and guesses its
direction from the first letter with a script, so a run starting with Arabic or Hebrew is
drawn backwards, with mirrored brackets; the engine writes those runs back to front.
"""

from __future__ import annotations

from tui.text.bidi_properties import classify
from tui.text.units import FLAG_SPACE, FLAG_SYMBOL, mirror_table


def written_for_run_shaping(glyphs: list[str], widths: list[int], flags: bytes) -> list[str]:
    """The glyphs of a visual row as a run-shaping terminal must be given them.

    Such a terminal shapes each run of non-blank cells as one HarfBuzz buffer, whose
    direction comes from the first letter with a script: a run starting with Arabic or
    Hebrew is drawn backwards, with mirrored brackets. So each run of one-cell units is
    reversed and un-mirrored when, written that way, it starts with a right-to-left letter.
    Only one-cell units are moved, so every cell keeps its place and its character."""
    written = list(glyphs)
    n = len(glyphs)
    k = 0
    while k < n:
        if widths[k] != 1 or flags[k] & (FLAG_SPACE | FLAG_SYMBOL):
            k += 1
            continue
        j = k
        while j < n and widths[j] == 1 and not flags[j] & (FLAG_SPACE | FLAG_SYMBOL):
            j += 1
        backwards = glyphs[j - 1 : k - 1 if k else None : -1]
        if _starts_right_to_left(backwards):
            mirror = mirror_table()
            written[k:j] = [mirror.get(g, g) for g in backwards]
        k = j
    return written


def _starts_right_to_left(glyphs: list[str]) -> bool:
    """Whether the first character of ``glyphs`` with a script is right-to-left, as HarfBuzz
    guesses a buffer's direction."""
    for glyph in glyphs:
        for ch in glyph:
            kind = classify(ch)
            if kind == "L":
                return False
            # HarfBuzz guesses a direction from a letter's script: punctuation such as ؟ and
            # « is Common and decides nothing, Arabic-Indic digits are Arabic.
            if kind in "RA" and ch.isalpha() or "\u0660" <= ch <= "\u0669" or "\u06f0" <= ch <= "\u06f9":
                return True
    return False
