"""Tagging passages by keyboard: the stored offsets and quote are exactly the characters meant."""

from __future__ import annotations

from pathlib import Path

import pytest
from reader_harness import ARABIC, CHINESE, PUNJABI, reader_app, screen_lines, settle, synchronous

from tui.locations import default_store
from tui.notes.store import Store
from tui.screens.note_editor import NoteEditor
from tui.screens.tag_picker import TagPicker
from tui.text.decode import decode
from tui.text.sentences import sentence_boundaries

SIZE = (100, 30)


def stored(path: Path):
    from tui.corpus.identity import content_hash

    with Store.open(default_store()) as store:
        return store.annotations(content_hash(path))


def second_sentence(text: str) -> tuple[int, int, int]:
    """The second sentence of the first non-empty paragraph (from the third on) that has
    two, without trailing spaces, and how many paragraphs down it is."""
    start = 0
    paragraphs = []
    for line in text.split("\n"):
        if line.strip():
            paragraphs.append((start, line))
        start += len(line) + 1
    for index in range(2, len(paragraphs)):
        base, line = paragraphs[index]
        bounds = sentence_boundaries(line)
        if len(bounds) > 2:
            a, b = bounds[1], bounds[2]
            while b > a and line[b - 1].isspace():
                b -= 1
            return base + a, base + b, index
    raise AssertionError("no paragraph with two sentences")


@pytest.mark.parametrize("seed", [ARABIC, CHINESE, PUNJABI], ids=["arabic", "chinese", "punjabi"])
@synchronous
async def test_tag_a_sentence_by_keyboard(seed):
    text = decode(seed.read_bytes()).text
    start, end, down = second_sentence(text)
    app = reader_app(seed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.view
        # Two paragraphs down, one sentence on: all by keyboard.
        view.set_cursor(0)
        for _ in range(down):
            await pilot.press("right_curly_bracket")
        await pilot.press("right_parenthesis")
        assert view.cursor == start
        await pilot.press("s", "1")
        await settle(pilot)
    annotations = stored(seed)
    assert len(annotations) == 1
    a = annotations[0]
    assert (a.start, a.end) == (start, end)
    assert a.quote == text[start:end]
    assert a.tags == ("key-point",) or len(a.tags) == 1


def test_offsets_are_code_points_not_utf16_units(tmp_path):
    path = tmp_path / "ext-b.txt"
    text = "𠀋𠀋𠀋 first. 𠀋 second sentence here. Third.\n"
    path.write_text(text, encoding="utf-8")

    @synchronous
    async def run():
        app = reader_app(path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("right_parenthesis", "s", "1")
            await settle(pilot)

    run()
    (a,) = stored(path)
    assert a.quote == "𠀋 second sentence here."
    assert (a.start, a.end) == (text.index("𠀋 second"), text.index("here.") + 5)
    assert (a.start, a.end) == (11, 34)  # in UTF-16 units they would be 14 and 38


@synchronous
async def test_visual_mode_extends_by_word_and_snaps_to_clusters():
    text = decode(PUNJABI.read_bytes()).text
    app = reader_app(PUNJABI)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "w", "w", "l")
        sel = app.screen.view.selection
        assert sel is not None and sel[0] == 0
        # The end never splits a cluster: it is a grapheme boundary of the text.
        from tui.text.graphemes import grapheme_boundaries

        line = text.split("\n")[0]
        assert sel[1] in grapheme_boundaries(line)
        await pilot.press("escape")
        assert app.screen.view.selection is None


@synchronous
async def test_picker_creates_a_tag_and_notes_undo_redo_and_jumps():
    text = decode(ARABIC.read_bytes()).text
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("s", "t")
        await settle(pilot)
        assert isinstance(app.screen, TagPicker)
        await pilot.press(*"claim", "enter")
        await settle(pilot)
        (a,) = screen.session.annotations
        assert a.tags == ("claim",)
        # n on the annotation under the cursor writes its note, in Arabic.
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"ملاحظة", "ctrl+s")
        await settle(pilot)
        assert screen.session.annotations[0].note == "ملاحظة"
        await pilot.press("u")
        assert screen.session.annotations[0].note == ""
        await pilot.press("ctrl+r")
        assert screen.session.annotations[0].note == "ملاحظة"
        # Tag a second passage further on and jump between them.
        await pilot.press("right_curly_bracket", "s", "2")
        await settle(pilot)
        assert len(screen.session.annotations) == 2
        await pilot.press("g", "right_square_bracket")
        assert screen.view.cursor == screen.session.annotations[0].start or screen.view.cursor == screen.session.annotations[1].start
        await pilot.press("G", "left_square_bracket")
        assert screen.view.cursor == screen.session.annotations[-1].start
        # The panel lists both; d deletes the highlighted one; u brings it back.
        await pilot.press("a")
        await settle(pilot)
        assert any("Annotations (2 of 2)" in line for line in screen_lines(app))
        await pilot.press("d")
        await settle(pilot)
        assert len(screen.session.annotations) == 1
        await pilot.press("escape", "u")
        await settle(pilot)
        assert len(screen.session.annotations) == 2
        for annotation in screen.session.annotations:
            assert text[annotation.start : annotation.end] == annotation.quote


@synchronous
async def test_highlight_is_drawn_exactly_over_the_tagged_cells_in_rtl_rows():
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_curly_bracket", "s", "1")
        await settle(pilot)
        view = app.screen.view
        (a,) = app.screen.session.annotations
        covered = 0
        for _pos, row in view.window():
            for x0, x1 in row.spans(a.start, a.end):
                covered += x1 - x0
                # Every cell of the span shows a character of the passage, and no other.
                for x in range(x0, x1):
                    assert a.start <= row.offset_at(x) < a.end
        shown = sum(1 for _p, row in view.window() for s, w in zip(row.starts, row.widths) if w and a.start <= s < a.end)
        assert covered >= shown > 0


@synchronous
async def test_tag_key_toggles_on_the_annotation_under_the_cursor():
    app = reader_app(CHINESE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "1")
        await settle(pilot)
        await pilot.press("2")
        (a,) = app.screen.session.annotations
        assert len(a.tags) == 2
        await pilot.press("2")
        assert len(app.screen.session.annotations[0].tags) == 1


@synchronous
async def test_editing_the_file_and_reloading_finds_the_passages_again(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("First sentence here. Second sentence to tag. Third one.\n", encoding="utf-8")
    app = reader_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_parenthesis", "s", "1")
        await settle(pilot)
        (before,) = app.screen.session.annotations
        assert before.quote == "Second sentence to tag."
        path.write_text("A new opening line.\n\nFirst sentence here. Second sentence to tag. Third one.\n", encoding="utf-8")
        await pilot.press("R")
        await settle(pilot)
        (after,) = app.screen.session.annotations
        text = path.read_text(encoding="utf-8")
        assert after.uid == before.uid
        assert text[after.start : after.end] == "Second sentence to tag."
        assert after.start == before.start + len("A new opening line.\n\n")
        # New tags go to the new version of the document.
        await pilot.press("right_parenthesis", "s", "2")
        await settle(pilot)
        for annotation in app.screen.session.annotations:
            assert text[annotation.start : annotation.end] == annotation.quote


@synchronous
async def test_the_paragraph_direction_can_be_overridden():
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.view
        assert view.window()[0][1].rtl
        await pilot.press("d")
        assert not view.window()[0][1].rtl
        await pilot.press("d")
        assert view.window()[0][1].rtl
        await pilot.press("d", "d")
        assert not view.window()[0][1].rtl
    # The choice is the document's: it comes back the next time it is opened.
    again = reader_app(ARABIC)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not again.screen.view.window()[0][1].rtl


@synchronous
async def test_the_mouse_selects_by_dragging_across_a_right_to_left_row():
    from textual import events

    text = decode(ARABIC.read_bytes()).text
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.screen.view
        row = view.window()[1][1]
        # Press at the rightmost cell of the second row (its first letter), drag leftwards.
        right = row.xs[-1] + 2
        await pilot.mouse_down("#view", offset=(right, 1))
        await pilot._post_mouse_events([events.MouseMove], "#view", offset=(right - 10, 1), button=1)
        await pilot.mouse_up("#view", offset=(right - 10, 1))
        await settle(pilot)
        start, end = view.selection
        assert start == row.start
        assert text[start:end] == text[row.start : end] and 8 <= end - start <= 12
        await pilot.press("1")
        await settle(pilot)
        (a,) = app.screen.session.annotations
        assert (a.start, a.end) == (start, end)
