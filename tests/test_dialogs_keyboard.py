"""Every dialog can be read and used whole by keyboard, at 80x24 too, and a note typed at
full speed straight after ``n`` arrives whole.

Regressions: ``?`` at 100x30 showed half the reader's keys and j, ↓, PgDn and End did
nothing; the export dialog was taller than an 80x24 terminal; a note typed right after
``n`` was saved as its first two characters.
"""

from __future__ import annotations

import pytest
from reader_harness import ARABIC, PUNJABI, reader_app, settle, synchronous
from textual import events
from textual.containers import VerticalScroll
from textual.keys import _character_to_key
from waiting import pilot_until

from tui.screens.export import ExportScreen
from tui.screens.help import HelpScreen
from tui.screens.note_editor import NoteEditor


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
@synchronous
async def test_help_scrolls_by_keyboard_to_its_last_key(size):
    app = reader_app(ARABIC)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        await settle(pilot)
        body = app.screen.query_one(VerticalScroll)
        assert body.max_scroll_y > 0, "the reader's keys fit: this size no longer tests scrolling"
        assert body.region.bottom <= size[1]
        await pilot.press("j")
        await pilot_until(pilot, lambda: body.scroll_y == 1, "j to scroll one row")
        await pilot.press("down", "down")
        await pilot_until(pilot, lambda: body.scroll_y == 3, "↓ to scroll")
        await pilot.press("G")
        await pilot_until(pilot, lambda: body.scroll_y == body.max_scroll_y, "G to reach the end")
        await pilot.press("g")
        await pilot_until(pilot, lambda: body.scroll_y == 0, "g to go back to the top")
        await pilot.press("pagedown")
        await pilot_until(pilot, lambda: body.scroll_y > 3, "PgDn to scroll a page")
        await pilot.press("end")
        await pilot_until(pilot, lambda: body.scroll_y == body.max_scroll_y, "End to reach the end")


@synchronous
async def test_export_dialog_fits_80x24_and_every_control_comes_into_view(tmp_path):
    app = reader_app(ARABIC)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await pilot_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export dialog")
        await settle(pilot)
        screen = app.screen
        body = screen.query_one(VerticalScroll)
        assert body.outer_size.height <= 24
        seen = set()
        for _ in range(12):
            focused = app.focused
            assert focused is not None
            await settle(pilot)
            region = focused.region
            assert region.height > 0 and region.y >= 0 and region.bottom <= 24, focused
            seen.add(focused.id)
            await pilot.press("tab")
        assert {"format", "scope", "tag", "by-tag", "destination", "export", "close"} <= seen


@synchronous
async def test_a_note_typed_at_full_speed_straight_after_n_is_saved_whole():
    note = ("ਨੋਟ: ਮਹੱਤਵਪੂਰਨ ਗੱਲ ملاحظة مهمة جداً " * 6)[:200]
    assert len(note) == 200
    app = reader_app(PUNJABI)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("right_curly_bracket", "s")
        await settle(pilot)
        # Every key is queued at once, as a fast typist or a paste through the terminal does:
        # nothing waits for the editor to open or to take the focus.
        for character in "n" + note:
            app.post_message(events.Key(_character_to_key(character), character))
        await pilot_until(
            pilot,
            lambda: isinstance(app.screen, NoteEditor) and app.screen.query_one("TextArea").text == note,
            "all 200 characters in the editor",
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        reader = app.screen
        (annotation,) = reader.session.annotations
        assert annotation.note == note
        assert app.store.get(annotation.id).note == note
