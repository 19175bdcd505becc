"""Where a line too long to lay out in one go is cut into blocks.

A block is what the layout engine treats as one bidi paragraph, so a line of megabytes is
cut into pieces of a few thousand characters: at a space near the end of the window when
there is one, else at a grapheme cluster boundary, so no cluster is ever split.
"""

from __future__ import annotations

from tui.text.graphemes import grapheme_boundaries

CUT_CONTEXT_CHARS = 32
"""Characters before the search window handed to the grapheme breaker, so the clusters near
the cut are seen whole."""

BREAKING_SPACES = frozenset(" \t\u3000")


def long_line_cuts(line: str, limit: int) -> list[int]:
    """Where to cut ``line`` so that each piece has at most ``limit`` characters.

    Only cuts with more than ``limit`` characters after the previous one are made, so a
    prefix of a line gets the same cuts as the whole line.
    """
    cuts = []
    start = 0
    while len(line) - start > limit:
        start = _cut(line, start, limit)
        cuts.append(start)
    return cuts


def _cut(line: str, start: int, limit: int) -> int:
    """The cut after ``start``: the last space in the final eighth of the window, else the
    last grapheme boundary in the window, else (one cluster longer than the window) the limit."""
    window_end = start + limit
    space_from = window_end - max(1, limit // 8)
    context = max(start, space_from - CUT_CONTEXT_CHARS)
    while context > start and _is_regional_indicator(line[context - 1]):
        context -= 1
    boundaries = [context + offset for offset in grapheme_boundaries(line[context : window_end + 1])]
    candidates = [boundary for boundary in boundaries if max(start, context) < boundary <= window_end]
    for boundary in reversed(candidates):
        if boundary < space_from:
            break
        if line[boundary - 1] in BREAKING_SPACES:
            return boundary
    return candidates[-1] if candidates else window_end


def _is_regional_indicator(char: str) -> bool:
    """Regional indicators pair up from the start of their run, so context must include it."""
    return "\U0001f1e6" <= char <= "\U0001f1ff"
