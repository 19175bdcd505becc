"""Rule L2 unit by unit, as the tests state orders: the engine's runs
(:func:`tui.text.bidi_lines.visual_runs`) spelled out one logical index at a time."""

from __future__ import annotations

from collections.abc import Sequence

from tui.text.bidi_lines import visual_runs


def visual_order(levels: Sequence[int]) -> list[int]:
    """The line's logical indices, left to right on screen."""
    order: list[int] = []
    for start, end, back in visual_runs(bytes(levels)):
        order += range(end - 1, start - 1, -1) if back else range(start, end)
    return order
