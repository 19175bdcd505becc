"""Rule L2 by runs gives the same order as rule L2 as UAX #9 writes it, unit by unit
(the reference in ``test_bidi``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from test_bidi import l2_reference
from visual_order import visual_order

from tui.text.bidi_lines import visual_runs

LEVELS = st.lists(st.integers(0, 6), max_size=40).map(bytes) | st.lists(st.sampled_from([1, 2]), max_size=40).map(bytes)


@given(LEVELS)
def test_runs_spell_out_the_visual_order(levels: bytes) -> None:
    assert visual_order(levels) == l2_reference(list(levels))


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
