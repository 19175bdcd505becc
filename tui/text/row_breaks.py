"""Step 2 of the layout: where rows start, at one width, in logical order.

:func:`unit_breaks` turns a paragraph's line break opportunities (UAX #14 and kinsoku, per
code point) into the units a row may start at, once per paragraph; :func:`break_rows`
cuts the units into rows at a width by bisection over their cumulative widths.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import compress, repeat
from operator import itemgetter
from typing import Protocol

from tui.text.linebreak import NO_LINE_END, NO_LINE_START, icu_breaks, kinsoku_kept
from tui.text.simple_breaks import simple_break_flags
from tui.text.units import FLAG_SPACE, cut_fused


class Breakable(Protocol):
    """What rows are cut from: :class:`tui.text.layout.Paragraph`."""

    @property
    def text(self) -> str: ...

    @property
    def bounds(self) -> tuple[int, ...]: ...

    @property
    def flags(self) -> bytes: ...

    @property
    def cells(self) -> Sequence[int]: ...

    @property
    def unit_count(self) -> int: ...

    @property
    def breaks(self) -> tuple[int, ...]: ...


def unit_breaks(text: str, bounds: Sequence[int], fused: tuple[tuple[int, int], ...] | None = None) -> tuple[int, ...]:
    """The units a row may start at: line break opportunities that fall between units."""
    if not text:
        return ()
    n = len(bounds) - 1
    found = simple_break_flags(text)
    if found is not None and not found[1]:
        # Found without ICU and without kinsoku to apply: one flag per code point, taken
        # at each unit's start (a break inside a cluster or a ligature is no break).
        flags = found[0]
        if fused is None:
            at_starts = itemgetter(*bounds[1:n])(flags) if n > 2 else bytes(flags[b] for b in bounds[1:n])
            return tuple(compress(range(1, n), at_starts))
        return tuple(compress(range(1, n), cut_fused(flags, fused)[1:n]))
    if found is not None:
        opportunities = kinsoku_kept(text, [*compress(range(len(text)), found[0]), len(text)])
    else:
        opportunities = kinsoku_kept(text, icu_breaks(text))
    if n == len(text):
        # Opportunities ascend from 1 and end with the paragraph's end.
        return tuple(opportunities[:-1]) if opportunities[0] > 0 and opportunities[-1] == n else tuple([o for o in opportunities if 0 < o < n])
    units = list(map(bisect_left, repeat(bounds), opportunities))
    if list(map(bounds.__getitem__, units)) != opportunities:
        # Some opportunities fall inside a unit (a cluster, a ligature): not where a row may start.
        units = [k for k, o in zip(units, opportunities) if bounds[k] == o]
    if units and units[0] > 0 and units[-1] == n:
        # Ascending, as the opportunities: only the paragraph's end is not a row start.
        return tuple(units[:-1])
    return tuple([k for k in units if 0 < k < n])


def break_rows(par: Breakable, width: int) -> tuple[int, ...]:
    """Unit indices where rows start, followed by the unit count.

    Greedy, in logical order: a row ends at the last line-break opportunity that fits;
    whitespace at a row's end hangs past the edge; a run with no opportunity longer than the
    width folds at a cluster boundary; a row never holds only leading indentation. Each row
    is found by bisection over the cumulative widths, not by walking its units."""
    n = par.unit_count
    if n == 0:
        return (0, 0)
    width = max(width, 1)
    cells, flags = par.cells, par.flags
    breaks: tuple[int, ...] = ()
    starts = [0]
    row_start = 0
    while True:
        end = bisect_right(cells, cells[row_start] + width) - 1
        if end >= n:
            break
        end = max(end, row_start + 1)
        hang = end
        while hang < n and flags[hang] & FLAG_SPACE:
            hang += 1
        if hang >= n:
            break
        # Asked for only here: a paragraph that fits on one row needs no break opportunities.
        breaks = breaks or par.breaks
        i = bisect_right(breaks, hang) - 1
        cut = breaks[i] if i >= 0 and breaks[i] > row_start else 0
        if cut and not _has_content(flags, row_start, cut):
            cut = 0
        if not cut:
            cut = _fold_point(par, row_start, end)
        starts.append(cut)
        row_start = cut
    starts.append(n)
    return tuple(starts)


def _has_content(flags: bytes, start: int, end: int) -> bool:
    """Whether units ``[start, end)`` hold anything but whitespace."""
    return any(not flag & FLAG_SPACE for flag in flags[start:end])


def _fold_point(par: Breakable, row_start: int, k: int) -> int:
    """Where to fold a run with no break opportunity: at ``k``, or a little earlier if
    that keeps closing punctuation off the next row's start (kinsoku)."""
    text, bounds = par.text, par.bounds
    j = k
    while j > row_start + 1 and (text[bounds[j]] in NO_LINE_START or text[bounds[j] - 1] in NO_LINE_END):
        j -= 1
    return j if j > row_start + 1 or text[bounds[j]] not in NO_LINE_START else k
