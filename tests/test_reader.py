"""The reader through Pilot: every key path, resize, search, go-to, and remembering the place."""

from __future__ import annotations

import pytest
from reader_harness import (
    ARABIC,
    CHINESE,
    ENGLISH,
    PUNJABI,
    SEEDS,
    reader_app,
    screen_lines,
    settle,
    synchronous,
)

from tui.screens.reader import ReaderScreen
from tui.text.decode import decode
from tui.text.sentences import sentence_boundaries

SIZE = (100, 30)


def text_of(path):
    return decode(path.read_bytes()).text


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
@synchronous
async def test_each_seed_opens_with_its_first_rows(seed):
    app = reader_app(seed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        view = app.screen.view
        rows = view.window()
        assert len(rows) == view.content_size.height
        assert rows[0][1].start == 0
        status = screen_lines(app)[-2]
        assert "0%" in status and "utf-8" in status


@synchronous
async def test_scrolling_keys_move_the_reading_position():
    app = reader_app(ENGLISH)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.view
        await pilot.press("j")
        one = view.top_offset
        assert one > 0
        await pilot.press("k")
        assert view.top_offset == 0
        await pilot.press("space")
        paged = view.top_offset
        assert paged > one
        await pilot.press("pageup")
        assert view.top_offset == 0
        await pilot.press("G")
        last_position, last_row = view.window()[-1]
        assert last_position == view.pager.last()
        assert last_row.end == len(text_of(ENGLISH).rstrip("\n"))
        await pilot.press("g")
        assert view.top_offset == 0


@synchronous
async def test_paragraph_and_sentence_motion():
    text = text_of(ARABIC)
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.view
        await pilot.press("right_curly_bracket")
        start = text.index("\n") + 1
        assert view.cursor == start
        await pilot.press("right_parenthesis")
        paragraph = text[start : text.index("\n", start)]
        second = sentence_boundaries(paragraph)[1]
        assert 0 < second < len(paragraph), "the paragraph has two sentences"
        assert view.cursor == start + second
        # Independently of the segmenter: the first sentence ends with a full stop and a space.
        assert text[start + second - 2 : start + second] == ". "
        await pilot.press("left_curly_bracket")
        assert view.cursor == text.index("\n") + 1


@synchronous
async def test_search_highlights_exact_logical_ranges_in_rtl_rows():
    text = text_of(ARABIC)
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"علي بابا")
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.view
        assert len(view.hits) == text.count("علي بابا")
        for start, end in view.hits:
            assert text[start:end] == "علي بابا"
        # The current hit is drawn over exactly the cells of its characters.
        start, end = view.hits[view.current_hit]
        for _pos, row in view.window():
            if row.start <= start < row.end:
                spans = row.spans(start, end)
                assert sum(b - a for a, b in spans) == len("علي بابا")
                break
        else:
            pytest.fail("current hit not on screen")
        first = view.current_hit
        await pilot.press("n")
        assert view.current_hit == (first + 1) % len(view.hits)
        await pilot.press("N")
        assert view.current_hit == first


@synchronous
async def test_search_folds_case_and_width():
    app = reader_app(ENGLISH)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"CHINA", "enter")
        await settle(pilot)
        text = text_of(ENGLISH)
        assert len(app.screen.view.hits) == text.lower().count("china")


@synchronous
async def test_goto_percent_and_paragraph():
    text = text_of(PUNJABI)
    app = reader_app(PUNJABI)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.view
        await pilot.press("colon", "5", "enter")
        assert view.cursor == view.source.block(4).start
        await pilot.press("colon", "5", "0", "%", "enter")
        assert abs(view.cursor - len(text) // 2) < 400


@synchronous
async def test_resize_keeps_the_same_text_at_the_top():
    app = reader_app(CHINESE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.view
        for _ in range(3):
            await pilot.press("space")
        top = view.top_offset
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        first = view.window()[0][1]
        assert first.start <= top < max(first.end, top + 1)
        await pilot.resize_terminal(200, 40)
        await settle(pilot)
        first = view.window()[0][1]
        assert first.start <= top < max(first.end, top + 1)


@synchronous
async def test_rows_fit_every_width_from_40_to_300():
    for width in (40, 61, 100, 173, 300):
        app = reader_app(PUNJABI)
        async with app.run_test(size=(width, 24)) as pilot:
            await settle(pilot)
            view = app.screen.view
            for _pos, row in view.window():
                assert row.cell_width <= view.text_width


@synchronous
async def test_reading_position_is_remembered_across_runs():
    app = reader_app(ENGLISH)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        top = app.screen.view.top_offset
        assert top > 0
        await pilot.press("q")
        await settle(pilot)
    again = reader_app(ENGLISH)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.screen.view.top_offset == top


@synchronous
async def test_cursor_moves_right_to_left_on_screen_in_arabic():
    text = text_of(ARABIC)
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.view
        assert view.cursor == 0
        row = view.window()[0][1]
        x0 = row.cell_of(0)
        await pilot.press("left")
        assert view.cursor == 1
        assert row.cell_of(view.cursor) < x0
        await pilot.press("right")
        assert view.cursor == 0
        await pilot.press("w")
        assert view.cursor == text.index(" ") + 1


@synchronous
async def test_keys_typed_straight_after_slash_reach_the_search_prompt():
    """Regression: keys queued behind '/' went to the reader ('R' reloaded the file)."""
    from textual import events

    app = reader_app(ENGLISH)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ["slash", "R", "o", "k", "slash", "d"]:
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await settle(pilot)
        assert app.screen.query_one("#prompt").value == "Rok/d"
        assert not app.screen.document.force_text
