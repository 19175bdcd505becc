"""Rule L2 by runs gives the same order as rule L2 as UAX #9 writes it, unit by unit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.text.bidi import visual_order
from tui.text.bidi_lines import visual_runs

LEVELS = st.lists(st.integers(0, 6), max_size=40).map(bytes) | st.lists(st.sampled_from([1, 2]), max_size=40).map(bytes)


def l2_as_written(levels: bytes) -> list[int]:
    """From the highest level down to the lowest odd one, reverse every run of units at
    that level or above."""
    order = list(range(len(levels)))
    if not levels:
        return order
    for level in range(max(levels), (min(levels) | 1) - 1, -1):
        i = 0
        while i < len(levels):
            if levels[i] < level:
                i += 1
                continue
            j = i
            while j < len(levels) and levels[j] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return order


def _order(runs: list[tuple[int, int, bool]]) -> list[int]:
    order: list[int] = []
    for start, end, back in runs:
        order += range(end - 1, start - 1, -1) if back else range(start, end)
    return order


@given(LEVELS)
def test_runs_spell_out_the_visual_order(levels: bytes) -> None:
    assert _order(visual_runs(levels)) == l2_as_written(levels)
    assert visual_order(levels) == l2_as_written(levels)


@given(LEVELS)
def test_each_run_is_one_level_and_odd_runs_are_reversed(levels: bytes) -> None:
    for start, end, back in visual_runs(levels):
        assert end > start
        assert len(set(levels[start:end])) == 1
        assert back == bool(levels[start] & 1)


def test_a_number_inside_arabic_is_one_run_left_to_right() -> None:
    levels = bytes([1, 1, 1, 2, 2, 1, 1])
    assert visual_runs(levels) == [(5, 7, True), (3, 5, False), (0, 3, True)]
    assert visual_runs(b"") == []
