"""Progress: M marks a document done in the reader and in the library; the library shows
how many of the team are done with each document."""

from __future__ import annotations

from pathlib import Path

from reader_harness import ENGLISH, settle, synchronous
from textual.widgets.data_table import CellDoesNotExist
from waiting import pilot_until

from tui.app import MarginApp
from tui.config import Config
from tui.corpus.identity import content_hash
from tui.locations import default_store, seeds_dir
from tui.notes.store import Store
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.library_table import LibraryTable

SIZE = (110, 30)


def done_by(path: Path) -> list[str]:
    with Store.open(default_store()) as store:
        return store.done_by(content_hash(path))


def cell(screen: LibraryScreen, path: Path) -> str:
    """The Notes cell of ``path``'s row, or "" while the row is not in the table yet."""
    try:
        return str(screen.query_one(LibraryTable).get_cell(str(path), "annotations"))
    except (KeyError, LookupError, CellDoesNotExist):
        return ""


@synchronous
async def test_mark_done_in_the_reader_and_the_library_shows_k_of_n():
    digest = content_hash(ENGLISH)
    with Store.open(default_store()) as store:
        store.register_document(digest, ENGLISH, ENGLISH.name)
        store.add_annotation(digest, ENGLISH.read_text(encoding="utf-8"), 0, 5, ["todo"], annotator="ben")
        store.set_done(digest, True, "ben")
    app = MarginApp(seeds_dir(), Config(), annotator="ana")
    async with app.run_test(size=SIZE) as pilot:
        library = await pilot_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen, "the library")
        await pilot_until(pilot, lambda: "1/2 done" in cell(library, ENGLISH), "1/2 done in the library")
        app.open_document(ENGLISH)
        reader = await pilot_until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen, "the reader")
        await pilot_until(pilot, lambda: reader.session and reader.session.doc_hash, "the document identified")
        await pilot.press("M")
        await settle(pilot)
        assert done_by(ENGLISH) == ["ana", "ben"]
        await pilot.press("q")
        await pilot_until(pilot, lambda: app.screen is library, "back in the library")
        await pilot_until(pilot, lambda: "2/2 done" in cell(library, ENGLISH), "2/2 done in the library")
        # In the library, M on the highlighted row marks it not done again.
        table = library.query_one(LibraryTable)
        table.move_cursor(row=table.get_row_index(str(ENGLISH)))
        await pilot.press("M")
        await pilot_until(pilot, lambda: done_by(ENGLISH) == ["ben"], "ana no longer done")
        await pilot_until(pilot, lambda: "1/2 done" in cell(library, ENGLISH), "1/2 done again")


@synchronous
async def test_another_process_marking_done_reaches_the_open_library():
    digest = content_hash(ENGLISH)
    with Store.open(default_store()) as store:
        store.register_document(digest, ENGLISH, ENGLISH.name)
        store.add_annotation(digest, ENGLISH.read_text(encoding="utf-8"), 0, 5, ["todo"], annotator="ben")
    app = MarginApp(seeds_dir(), Config(), annotator="ana")
    async with app.run_test(size=SIZE) as pilot:
        library = await pilot_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen, "the library")
        await pilot_until(pilot, lambda: "0/2 done" in cell(library, ENGLISH), "0/2 done")
        with Store.open(default_store()) as other:
            other.set_done(digest, True, "ben")
        await pilot_until(pilot, lambda: "1/2 done" in cell(library, ENGLISH), "ben's mark arriving live")
