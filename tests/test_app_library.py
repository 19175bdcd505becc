"""The app shell in a headless terminal: library, filter, sort, opening, help, palette, terminal modes."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.binding import Binding
from textual.drivers.headless_driver import HeadlessDriver
from textual.widgets import Static
from textual.worker import WorkerFailed

from tui.app import MarginApp
from tui.commands import AppCommands
from tui.config import Config
from tui.corpus.identity import content_hash
from tui.locations import seeds_dir
from tui.notes.store import Store
from tui.screens.help import HelpScreen, key_groups
from tui.screens.library import LibraryCommands, LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.terminal import EXPLICIT_BIDI, IMPLICIT_BIDI
from tui.text.layout import LayoutOptions
from tui.widgets.library_rows import (
    COLUMN_KEYS,
    MIN_TITLE_WIDTH,
    DocumentRow,
    cells,
    fit_columns,
    human_size,
    matches,
    next_column,
    sort_rows,
)
from tui.widgets.library_table import LibraryTable


def synchronous(test):
    """Run an async test with asyncio.run: the suite uses no async pytest plugin."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


SIZE = (100, 30)
SEEDS = sorted(seeds_dir().glob("*.txt"))
ARABIC_SEED = SEEDS[1]


@pytest.fixture(autouse=True)
def private_locations(tmp_path, monkeypatch):
    monkeypatch.setenv("MARGIN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MARGIN_STORE", str(tmp_path / "data" / "notes.sqlite3"))


def make_app(tmp_path: Path, config: Config | None = None, **options) -> MarginApp:
    options.setdefault("store_path", tmp_path / "notes.sqlite3")
    return MarginApp(seeds_dir(), config or Config(), **options)


async def settled(pilot) -> LibraryScreen:
    """The library once every worker has finished and its messages are handled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = next(s for s in pilot.app.screen_stack if isinstance(s, LibraryScreen))
    return screen


def listed(screen: LibraryScreen) -> list[Path]:
    table = screen.query_one(LibraryTable)
    return [Path(row.key.value) for row in table.ordered_rows]


def cell(screen: LibraryScreen, path: Path, column: str) -> str:
    return str(screen.query_one(LibraryTable).get_cell(str(path), column))


@synchronous
async def test_the_library_lists_the_five_seeds_described(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        library = await settled(pilot)
        assert sorted(listed(library)) == SEEDS
        assert cell(library, ARABIC_SEED, "script") == "Arabic"
        assert cell(library, ARABIC_SEED, "direction") == "RTL"
        assert cell(library, SEEDS[0], "script") == "Gurmukhi"
        assert cell(library, ARABIC_SEED, "size") == human_size(ARABIC_SEED.stat().st_size)
        assert cell(library, ARABIC_SEED, "read") == "0%"
        assert cell(library, ARABIC_SEED, "annotations") == "0"


@synchronous
async def test_an_arabic_title_is_shown_right_to_left(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        library = await settled(pilot)
        logical = next(row.title for row in library.rows() if row.path == ARABIC_SEED)
        shown = cell(library, ARABIC_SEED, "title")
        assert logical.startswith("التزام")
        assert shown != logical
        # The first logical word is drawn at the right-hand end, in presentation forms.
        assert shown.rstrip("…").strip()[-1] != logical[0]
        assert all("\ufe70" <= ch <= "\ufeff" or ch == " " or ch == "…" for ch in shown[-8:])


@synchronous
async def test_typing_a_filter_narrows_the_rows_and_escape_returns(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        library = await settled(pilot)
        await pilot.press("slash")
        assert app.focused.id == "filter"
        await pilot.press(*"latin")
        assert len(listed(library)) == 2
        await pilot.press("space", *"en")
        assert len(listed(library)) == 2
        await pilot.press("ctrl+u")
        await pilot.press(*"arabic")
        assert listed(library) == [ARABIC_SEED]
        await pilot.press("escape")
        assert isinstance(app.focused, LibraryTable)


@synchronous
async def test_sort_keys_change_the_order(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        library = await settled(pilot)
        by_title = listed(library)
        await pilot.press("s")
        assert library.sort_key == "script"
        by_script = listed(library)
        assert by_script != by_title
        scripts = [cell(library, path, "script") for path in by_script]
        assert scripts == sorted(scripts, key=str.casefold)
        await pilot.press("S")
        assert listed(library)[0] != by_script[0]
        library.sort_by("size")
        await pilot.pause()
        sizes = [path.stat().st_size for path in listed(library)]
        assert sizes == sorted(sizes, reverse=True)


@synchronous
async def test_clicking_a_header_sorts_by_it_and_again_reverses(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        library = await settled(pilot)
        table = library.query_one(LibraryTable)
        header_x = sum(c.get_render_width(table) for c in table.ordered_columns[:4]) + 2
        await pilot.click(LibraryTable, offset=(header_x, 0))
        await pilot.pause()
        assert (library.sort_key, library.sort_reverse) == ("size", False)
        await pilot.click(LibraryTable, offset=(header_x, 0))
        await pilot.pause()
        assert (library.sort_key, library.sort_reverse) == ("size", True)


@synchronous
async def test_enter_opens_the_highlighted_document_in_the_reader(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        library = await settled(pilot)
        highlighted = library.query_one(LibraryTable).highlighted_path
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.path == highlighted


@synchronous
async def test_a_click_on_the_highlighted_row_opens_it(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.click(LibraryTable, offset=(30, 2))
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        await pilot.click(LibraryTable, offset=(4, 2))
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)


@synchronous
async def test_open_file_starts_in_the_reader(tmp_path):
    app = MarginApp(ARABIC_SEED, Config(), store_path=tmp_path / "notes.sqlite3", open_file=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.path == ARABIC_SEED


@synchronous
async def test_help_lists_the_real_keys_of_the_screen_below(tmp_path):
    config = Config(keymap={"library.reverse": "R"})
    app = make_app(tmp_path, config)
    async with app.run_test(size=SIZE) as pilot:
        library = await settled(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        entries = {e.description: e.keys for g in app.screen.groups for e in g.entries}
        assert entries["Sort"] == ("s",)
        assert entries["Reverse"] == ("R",)
        assert entries["Open"] == (app.get_key_display(Binding("enter", "x")),)
        assert entries["Quit"] in (("q",), ("^q",))
        titles = [g.title for g in app.screen.groups]
        assert titles == ["Document list", "Library", "Everywhere"]
        await pilot.press("escape")
        assert app.screen is library


@synchronous
async def test_help_leaves_out_keys_the_filter_takes(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        library = await settled(pilot)
        await pilot.press("slash")
        descriptions = {e.description for g in key_groups(library) for e in g.entries}
        assert "Sort" not in descriptions
        assert "Clear, back to list" in descriptions


@synchronous
async def test_reading_position_and_annotations_come_from_the_store(tmp_path):
    store_path = tmp_path / "notes.sqlite3"
    text = ARABIC_SEED.read_text(encoding="utf-8")
    digest = content_hash(ARABIC_SEED)
    with Store.open(store_path) as store:
        store.set_position(digest, len(text) // 2)
        store.add_annotation(digest, text, 0, 6, tags=["economy"])
    app = make_app(tmp_path, store_path=store_path)
    async with app.run_test(size=SIZE) as pilot:
        library = await settled(pilot)
        assert cell(library, ARABIC_SEED, "read") == "50%"
        assert cell(library, ARABIC_SEED, "annotations") == "1 · economy"
        app.open_document(SEEDS[3])
        await pilot.pause()
        app.store.add_annotation(digest, text, 10, 20, tags=["trade"])
        app.pop_screen()
        library = await settled(pilot)
        assert cell(library, ARABIC_SEED, "annotations") == "2 · economy, trade"


@synchronous
async def test_without_a_store_the_figures_are_dashes_and_a_notice_shows_once(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    app = make_app(tmp_path, store_path=blocker / "notes.sqlite3")
    notices: list[str] = []
    app.notify = lambda message, **_: notices.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        library = await settled(pilot)
        assert app.store is None
        assert cell(library, ARABIC_SEED, "read") == "—"
        assert cell(library, ARABIC_SEED, "annotations") == "—"
        app.open_document(ARABIC_SEED)
        await pilot.pause()
        app.pop_screen()
        await settled(pilot)
    assert len(notices) == 1 and notices[0].startswith("Annotations are off")


@synchronous
async def test_the_palette_offers_library_actions_and_every_document(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        library = await settled(pilot)
        assert LibraryCommands in LibraryScreen.COMMANDS and AppCommands in app.COMMANDS
        provider = LibraryCommands(library)
        everywhere = AppCommands(library)
        texts = [command.text for command in provider.commands()]
        assert "Sort by size" in texts and "Reverse sort order" in texts
        opened = [command.text for command in everywhere.commands() if command.text.startswith("Open ")]
        assert len(opened) == len(SEEDS)
        hits = [hit async for hit in provider.search("sort by size")]
        best = max(hits, key=lambda hit: hit.score)
        best.command()
        assert library.sort_key == "size"
        opener = next(c for c in everywhere.commands() if c.help == str(SEEDS[4]))
        opener.run()
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)


@pytest.fixture
def driver_output(monkeypatch):
    """Everything the app writes to its (headless) driver."""
    written: list[str] = []
    monkeypatch.setattr(HeadlessDriver, "write", lambda self, data: written.append(data))
    return written


@pytest.mark.parametrize("mode", ["app", "terminal"])
@synchronous
async def test_terminal_bidi_mode_is_set_at_start_and_restored_at_exit(tmp_path, driver_output, mode):
    app = make_app(tmp_path, Config(bidi=mode))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        at_start = "".join(driver_output)
        app.app_suspend_signal.publish(app)
        app.app_resume_signal.publish(app)
        around_suspend = "".join(driver_output)[len(at_start):]
    at_exit = "".join(driver_output)
    if mode == "app":
        assert at_start.count(EXPLICIT_BIDI) == 1 and IMPLICIT_BIDI not in at_start
        assert around_suspend == IMPLICIT_BIDI + EXPLICIT_BIDI
        assert at_exit.endswith(IMPLICIT_BIDI)
    else:
        assert EXPLICIT_BIDI not in at_exit and IMPLICIT_BIDI not in at_exit


FRACTIONS = st.one_of(st.none(), st.floats(min_value=0, max_value=1))


@given(fractions=st.lists(FRACTIONS, max_size=30), reverse=st.booleans())
def test_sorting_is_a_monotone_permutation_with_unknowns_last(fractions, reverse):
    rows = [DocumentRow(Path(f"{i:02}.txt"), read_fraction=f) for i, f in enumerate(fractions)]
    ordered = sort_rows(rows, "read", reverse)
    assert sorted(ordered, key=lambda r: r.path) == rows
    known = [r.read_fraction for r in ordered if r.read_fraction is not None]
    assert known == sorted(known, reverse=reverse)
    assert all(r.read_fraction is None for r in ordered[len(known):])


def test_rows_sort_with_unknown_values_last_in_both_directions():
    rows = [DocumentRow(Path("b.txt"), read_fraction=0.5), DocumentRow(Path("a.txt")), DocumentRow(Path("c.txt"), read_fraction=0.1)]
    assert [r.path.name for r in sort_rows(rows, "read")] == ["c.txt", "b.txt", "a.txt"]
    assert [r.path.name for r in sort_rows(rows, "read", reverse=True)] == ["b.txt", "c.txt", "a.txt"]


@pytest.mark.parametrize(
    ("size", "shown"),
    [(0, "0 B"), (1023, "1023 B"), (1024, "1.0 KB"), (3806, "3.7 KB"), (30635, "30 KB"), (5 << 20, "5.0 MB")],
)
def test_human_size(size, shown):
    assert human_size(size) == shown


def test_sort_column_cycles_through_every_column_and_back():
    key, seen = "title", []
    for _ in range(len(COLUMN_KEYS)):
        key = next_column(key)
        seen.append(key)
    assert seen[-1] == "title" and len(set(seen)) == len(COLUMN_KEYS)


@pytest.mark.parametrize(("query", "expected"), [("", True), ("REPORT", True), ("rep eco", True), ("eco zzz", False)])
def test_filter_words_must_all_match(query, expected):
    assert matches(DocumentRow(Path("report.txt"), tags=("economy",)), query) is expected


def test_an_unreadable_file_says_so_instead_of_waiting():
    row = DocumentRow(Path("gone.txt"), unreadable=True)
    assert cells(row, 20, LayoutOptions())[:3] == ("gone.txt", "unreadable", "")
    assert cells(DocumentRow(Path("new.txt")), 20, LayoutOptions())[1] == "…"


@pytest.mark.parametrize(
    ("width", "hidden"),
    [
        (120, ()),
        (66, ("direction",)),
        (60, ("direction", "language")),
        (50, ("direction", "language", "words")),
        (40, ("direction", "language", "words", "annotations", "size")),
    ],
)
def test_narrow_terminals_give_up_columns_in_a_fixed_order(width, hidden):
    model = LayoutOptions()
    rows = [("Gurmukhi", "zh-Hant", "LTR", "2.8 KB", "2,250", "100%", "12")]
    fit = fit_columns(width, rows, model)
    assert set(COLUMN_KEYS) - {"labels"} - set(fit.keys) == set(hidden), "labels: only once a document has one"
    assert fit.title_width >= MIN_TITLE_WIDTH


@synchronous
async def test_a_failure_while_describing_is_reported_and_ends_loading(tmp_path, monkeypatch):
    import tui.screens.library_scan as library_scan

    def broken(path):
        raise ValueError("describe broke")

    monkeypatch.setattr(library_scan, "describe", broken)
    app = make_app(tmp_path)
    notices: list[str] = []
    app.notify = lambda message, **_: notices.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        with contextlib.suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        assert notices == ["Stopped reading the folder: describe broke"]
        status = str(app.screen.query_one("#status", Static).render())
        assert status.startswith("5 documents") and "reading" not in status


@synchronous
async def test_files_are_described_and_the_store_opened_only_after_the_first_frame(tmp_path, monkeypatch):
    """The first frame lists names; reading files and the store must not compete with it."""
    import tui.app as app_module
    import tui.screens.library_scan as library_scan

    monkeypatch.setattr(app_module, "STORE_OPEN_DELAY", 3600.0)  # only the library may open it

    store_open_at_first_frame: list[bool] = []
    drawn_when_described: list[bool] = []
    display, describe = MarginApp._display, library_scan.describe

    def first_frame(app, screen, renderable):
        if renderable is not None and not store_open_at_first_frame:
            store_open_at_first_frame.append(app._store_opened)
        display(app, screen, renderable)

    def described(path, *args, **kwargs):
        drawn_when_described.append(bool(store_open_at_first_frame))
        return describe(path, *args, **kwargs)

    monkeypatch.setattr(MarginApp, "_display", first_frame)
    monkeypatch.setattr(library_scan, "describe", described)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        library = await settled(pilot)
        assert cell(library, ARABIC_SEED, "script") == "Arabic"
    assert store_open_at_first_frame == [False]
    assert len(drawn_when_described) == len(SEEDS) and all(drawn_when_described)


@synchronous
async def test_the_cursor_starts_on_the_top_row_once_documents_are_sorted(tmp_path):
    """Regression: the cursor followed the first file found (the Punjabi seed) down the list."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(LibraryTable)
        assert table.cursor_row == 0
        first = table.highlighted_path
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.path == first


@synchronous
async def test_the_reader_palette_offers_its_bound_actions_and_the_library_documents(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.open_document(SEEDS[0])
        for _ in range(50):
            if isinstance(app.screen, ReaderScreen) and app.screen.view is not None and app.screen.view.window():
                break
            await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        providers = [provider(reader) for provider in (*app.COMMANDS, *reader.COMMANDS) if hasattr(provider, "commands")]
        texts = [command.text for provider in providers for command in provider.commands()]
        assert "Search" in texts and "Undo" in texts and "Show keys" in texts
        assert not any(text.startswith("Tag ") and text[4:].isdigit() for text in texts)
        assert sum(text.startswith("Open ") for text in texts) == len(SEEDS)
        direction = next(c for p in providers for c in p.commands() if c.text == "Paragraph direction")
        await direction.run()
        await pilot.pause()
        assert reader._direction == 0
