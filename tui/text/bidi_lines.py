"""The lines of a paragraph the bidi algorithm has resolved: rules L1 and L2 of UAX #9.

:func:`tui.text.bidi.analyse_paragraph` resolves a paragraph once, whatever the width
(:class:`ParagraphBidi`); each line cut from it then needs rule L1 (whitespace at its end
and before separators back to the paragraph level) and rule L2 (the visual order).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from tui.text.bidi_properties import classify

_L1_RESET = re.compile(r"[_6789b1-5]*+[SB]|[_6789b1-5]++\Z")
_L1_WHITESPACE = "_6789b12345"
_L1_TRAILING = frozenset(_L1_WHITESPACE)


class ParagraphBidi(NamedTuple):
    """Resolved embedding levels of one paragraph, before line breaking (L1 not applied)."""

    base_level: int
    levels: bytes
    removed: frozenset[int]
    pure_ltr: bool
    classes: str = ""
    """The paragraph's class letters, kept so each of its rows is not classified again.
    Not part of the result: equality and hashing leave them out."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ParagraphBidi):
            return NotImplemented
        return self[:4] == other[:4]

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self[:4])


def line_levels(par: ParagraphBidi, text: str, start: int, end: int) -> list[int]:
    """Levels of ``text[start:end]`` after rule L1; ``text`` is the analysed paragraph."""
    if par.pure_ltr:
        return [0] * (end - start)
    levels = list(par.levels[start:end])
    base = par.base_level
    classes = par.classes[start:end] if par.classes else classify(text[start:end])
    for reset in _L1_RESET.finditer(classes):
        low, high = reset.span()
        levels[low:high] = [base] * (high - low)
    return levels


def separator_levels(par: ParagraphBidi, text: str) -> bytes:
    """The levels of the whole paragraph after the part of L1 that does not depend on where
    its lines end (separators, whitespace before them, whitespace ending the paragraph).

    A line's levels (:func:`line_levels`) are this slice with the whitespace that ends the
    line (:func:`trailing_whitespace`) set to the paragraph level, so the regular
    expressions run once per paragraph instead of once per line."""
    if par.pure_ltr:
        return bytes(len(text))
    classes = par.classes or classify(text)
    reset = bytes((par.base_level,))
    if "S" not in classes and "B" not in classes:
        # Only the whitespace ending the paragraph.
        end = len(classes.rstrip(_L1_WHITESPACE))
        return par.levels[:end] + reset * (len(classes) - end)
    levels = bytearray(par.levels)
    for run in _L1_RESET.finditer(classes):
        low, high = run.span()
        levels[low:high] = reset * (high - low)
    return bytes(levels)


def trailing_whitespace(par: ParagraphBidi, text: str, start: int, end: int) -> int:
    """Where the whitespace (and isolate controls, BN) that rule L1 resets at the end of the
    line ``text[start:end]`` begins; ``end`` if there is none (or nothing is reset)."""
    if par.pure_ltr:
        return end
    classes = par.classes or classify(text)
    position = end
    while position > start and classes[position - 1] in _L1_TRAILING:
        position -= 1
    return position


_ANY_CHANGE = bytes((0,)) + b"\x01" * 255


def visual_runs(levels: bytes) -> list[tuple[int, int, bool]]:
    """Rule L2 by runs: the line's runs of one level, left to right on screen, each as
    ``(start, end, reversed)``; a run at an odd level is shown back to front.

    Found by reordering a line's few runs (a number
    or a name in Latin letters inside Arabic makes three) instead of each of its units, so
    a row can be put together from a few slices."""
    n = len(levels)
    if not n:
        return []
    # Where the level changes: the levels against themselves one further on, as integers.
    changed = (int.from_bytes(levels[:-1], "little") ^ int.from_bytes(levels[1:], "little")).to_bytes(n - 1, "little")
    changed = changed.translate(_ANY_CHANGE)
    starts = [0]
    found = changed.find(1)
    while found >= 0:
        starts.append(found + 1)
        found = changed.find(1, found + 1)
    starts.append(n)
    run_levels = [levels[start] for start in starts[:-1]]
    order = list(range(len(run_levels)))
    count = len(order)
    lowest_odd = min(run_levels) | 1
    for level in range(max(run_levels), lowest_odd - 1, -1):
        i = 0
        while i < count:
            if run_levels[order[i]] < level:
                i += 1
                continue
            j = i + 1
            while j < count and run_levels[order[j]] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return [(starts[k], starts[k + 1], bool(run_levels[k] & 1)) for k in order]
