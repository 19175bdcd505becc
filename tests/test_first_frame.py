"""The first frame Textual draws already shows the text: the reader's rows, the library's names.

Textual draws a frame as soon as it knows each widget's size, before the widgets hear of it
by a Resize event and before an Idle event. Whatever waits for those shows only in the next
frame, a frame period later. These tests look at what each widget would draw at the moment of
the first frame (``App._display``) and compare it with what it draws once everything settled.
"""

from __future__ import annotations

import asyncio
import functools
import gc
from pathlib import Path

import pytest

from tui import cli
from tui.app import MarginApp
from tui.config import Config
from tui.corpus.discover import discover
from tui.locations import seeds_dir
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.library_table import LibraryTable
from tui.widgets.reader_view import ReaderView

SIZE = (100, 30)
SEEDS = sorted(seeds_dir().glob("*.txt"))


def synchronous(test):
    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


@pytest.fixture(autouse=True)
def private_locations(tmp_path, monkeypatch):
    monkeypatch.setenv("MARGIN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MARGIN_STORE", str(tmp_path / "data" / "notes.sqlite3"))


def lines_of(widget) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


class FirstFrame:
    """Calls ``look(app)`` when the app draws its first frame with content, once."""

    def __init__(self, app: MarginApp, look) -> None:
        self.seen = None
        shown = app._display

        def display(screen, renderable) -> None:
            if renderable is not None and self.seen is None:
                self.seen = look(app)
            shown(screen, renderable)

        app._display = display


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name[:3])
@synchronous
async def test_the_readers_first_frame_shows_the_rows_it_settles_on(tmp_path, seed):
    app = MarginApp(seed, Config(), store_path=tmp_path / "notes.sqlite3", open_file=True)
    first = FirstFrame(app, lambda app: lines_of(app.screen.query_one(ReaderView)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        settled = lines_of(app.screen.query_one(ReaderView))
    assert first.seen is not None
    assert sum(1 for line in settled if line.strip()) > 5
    assert first.seen == settled


@synchronous
async def test_the_librarys_first_frame_lists_the_names_the_command_line_found(tmp_path):
    root = seeds_dir()
    app = MarginApp(root, Config(), store_path=tmp_path / "notes.sqlite3", found=discover(root))

    def names(app) -> list[str]:
        table = app.screen.query_one(LibraryTable)
        return [str(row.key.value) for row in table.ordered_rows] if table.virtual_size.height else []

    first = FirstFrame(app, names)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
    assert sorted(first.seen) == [str(path) for path in SEEDS]


@synchronous
async def test_a_library_table_is_measured_when_its_rows_are_given(tmp_path):
    """Not on the next Idle event, as ``DataTable`` does: this fails loudly if a Textual
    upgrade renames what ``LibraryTable`` uses to measure at once."""
    app = MarginApp(seeds_dir(), Config(), store_path=tmp_path / "notes.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(LibraryTable)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        screen.sort_by("size")
        assert not table._require_update_dimensions
        assert not table._new_rows
        assert table.virtual_size.height == len(SEEDS) + 1  # the header row


@synchronous
async def test_the_cycle_collector_is_back_on_after_the_first_frame(tmp_path):
    """The command line turns it off for start-up; the app turns it on once drawn."""
    app = MarginApp(SEEDS[1], Config(), store_path=tmp_path / "notes.sqlite3", open_file=True)
    first = FirstFrame(app, lambda app: gc.isenabled())
    gc.disable()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert first.seen is False
            assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


@synchronous
async def test_an_app_started_with_the_collector_on_leaves_it_alone(tmp_path):
    app = MarginApp(SEEDS[1], Config(), store_path=tmp_path / "notes.sqlite3", open_file=True)
    frozen = gc.get_freeze_count()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_the_command_line_turns_the_collector_on_again_whatever_happens(tmp_path, monkeypatch):
    seen = []

    def start(arguments):
        seen.append(gc.isenabled())
        raise cli.UsageError("stop here")

    monkeypatch.setattr(cli, "_start_app", start)
    assert cli.main([str(Path(tmp_path))]) == cli.USAGE_ERROR
    assert seen == [False]
    assert gc.isenabled()
