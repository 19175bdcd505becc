"""The reader says what happened: no search, odd go-to numbers, notes off, a bad keymap,
what a selection can do, and which paragraph the cursor is in."""

from __future__ import annotations

from pathlib import Path

import pytest
from reader_harness import ARABIC, reader_app, screen_lines, settle, synchronous
from waiting import pilot_until

from tui.config import Config
from tui.keymap_check import keymap_problems, valid_key
from tui.screens.reader import ReaderScreen

SIZE = (100, 30)


def toasts(app) -> list[str]:
    """Toast texts with their line breaks (toasts are laid out in rows) undone."""
    return [" ".join(str(n.message).split()) for n in app._notifications]


def paragraphs_file(tmp_path: Path, count: int = 5) -> Path:
    path = tmp_path / "paras.txt"
    path.write_text("\n".join(f"Paragraph number {i + 1} here." for i in range(count)), encoding="utf-8")
    return path


@synchronous
async def test_next_hit_without_a_search_says_so(tmp_path):
    app = reader_app(paragraphs_file(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("N")
        await pilot_until(pilot, lambda: any("No search" in t for t in toasts(app)), "a toast saying there is no search")


@pytest.mark.parametrize(
    ("typed", "said", "paragraph"),
    [("0", "no paragraph 0", 1), ("-5", "no paragraph -5", 1), ("999", "no paragraph 999", 5), ("150%", "outside", None)],
)
@synchronous
async def test_goto_out_of_range_says_what_it_did(tmp_path, typed, said, paragraph):
    path = paragraphs_file(tmp_path)
    app = reader_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("colon", *typed, "enter")
        await settle(pilot)
        message = await pilot_until(pilot, lambda: next((t for t in toasts(app) if said in t), None), f"a toast with {said!r}")
        if paragraph is not None:
            assert f"went to paragraph {paragraph}" in message
            view = app.screen.view
            assert view.source.block_at(view.cursor) == paragraph - 1


@synchronous
async def test_paragraph_counter_follows_the_cursor_not_the_top_row(tmp_path):
    app = reader_app(paragraphs_file(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "¶ 1/5" in screen_lines(app)[-2]
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        await settle(pilot)
        assert app.screen.view.top_offset == 0
        assert "¶ 3/5" in screen_lines(app)[-2]


@synchronous
async def test_a_selection_shows_what_can_be_done_with_it(tmp_path):
    app = reader_app(paragraphs_file(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "selection" not in screen_lines(app)[-2]
        await pilot.press("v", "w")
        await settle(pilot)
        status = screen_lines(app)[-2]
        assert "selection: 1-9 tag" in status and "cancel" in status
        await pilot.press("escape")
        await settle(pilot)
        assert "selection" not in screen_lines(app)[-2]


@pytest.mark.parametrize("width", [80, 100])
@synchronous
async def test_reader_footer_shows_the_help_key(width):
    app = reader_app(ARABIC)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        footer = screen_lines(app)[-1]
        assert "? Keys" in footer or "?  Keys" in footer, footer


@synchronous
async def test_tag_key_with_notes_off_says_notes_are_off(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    app = reader_app(paragraphs_file(tmp_path), store_path=blocker / "sub" / "notes.db")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.store is None
        app._notifications.clear()
        await pilot.press("s", "1")
        message = await pilot_until(pilot, lambda: toasts(app) and toasts(app)[-1], "a toast")
        assert "Annotations are off" in message and "No tag is bound" not in message


def test_key_names():
    assert all(valid_key(k) for k in ("j", "ctrl+f", "pagedown", "slash", "left_curly_bracket", "f5", "space", "ق"))
    assert not any(valid_key(k) for k in ("notakey", "ctrl+foo", "super+", "kontrol+j", ""))


@synchronous
async def test_keymap_problems_are_warned_at_start_and_the_app_still_starts(tmp_path):
    keymap = {"reader.nope": "x", "reader.bottom": "notakey", "reader.top": "j"}
    app = reader_app(paragraphs_file(tmp_path), Config(keymap=keymap))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        shown = " | ".join(toasts(app))
        assert "reader.nope" in shown
        assert "'notakey' is not a key name" in shown
        assert "reader.top takes 'j', which reader.scroll-down also uses" in shown


def test_a_good_keymap_has_no_problems():
    from tui.app import MarginApp
    from tui.screens.library import LibraryScreen

    scopes = [[*MarginApp.BINDINGS, *ReaderScreen.BINDINGS], [*MarginApp.BINDINGS, *LibraryScreen.BINDINGS]]
    assert keymap_problems({"reader.page-down": "space,ctrl+f", "reader.top": "g,home"}, scopes) == []
