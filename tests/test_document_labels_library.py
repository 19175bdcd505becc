"""Document labels in the library: a Labels column once a document has one, and the filter
``label:NAME``; labelling in the reader shows in the library on the way back."""

from __future__ import annotations

from pathlib import Path

import pytest
from reader_harness import CHINESE, PUNJABI, settle, synchronous
from waiting import pilot_until

from tui.app import MarginApp
from tui.config import Config
from tui.corpus.identity import content_hash
from tui.locations import seeds_dir
from tui.notes.store import Store
from tui.screens.category_picker import CategoryPicker
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.text.layout import LayoutOptions
from tui.widgets.library_rows import COLUMN_KEYS, DocumentRow, cells, fit_columns, matches
from tui.widgets.library_table import LibraryTable

SIZE = (140, 30)
ME = "ana"


def listed(screen: LibraryScreen) -> list[Path]:
    return [Path(row.key.value) for row in screen.query_one(LibraryTable).ordered_rows]


def column_keys(screen: LibraryScreen) -> list[str]:
    return [str(key.value) for key in screen.query_one(LibraryTable).columns]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("label:news", True),
        ("label:NEWS", True),
        ("label:new", False),
        ("label:", True),
        ("label:news report", True),
        ("label:sport", False),
        ("news", True),
    ],
)
def test_the_label_filter_asks_for_a_label_exactly(query, expected):
    row = DocumentRow(Path("report.txt"), labels=("news", "long read"))
    assert matches(row, query) is expected
    assert matches(DocumentRow(Path("x.txt")), "label:") is False


def test_the_labels_column_is_shown_only_when_asked_and_hidden_before_notes():
    model = LayoutOptions()
    row = DocumentRow(Path("a.txt"), labels=("news", "sport"))
    assert cells(row, 20, model)[-1] == "news, sport"
    rows = [("Gurmukhi", "zh-Hant", "LTR", "2.8 KB", "2,250", "100%", "12", "news, sport")]
    assert "labels" not in fit_columns(200, rows, model).keys
    assert fit_columns(200, rows, model, labels=True).keys == COLUMN_KEYS
    assert "labels" not in fit_columns(52, rows, model, labels=True).keys
    assert "annotations" in fit_columns(52, rows, model, labels=True).keys


@synchronous
async def test_label_in_the_reader_then_filter_the_library(tmp_path):
    store_path = tmp_path / "notes.sqlite3"
    with Store.open(store_path) as store:
        store.add_document_label(content_hash(CHINESE), "poetry", ME)
        store.add_document_label(content_hash(CHINESE), "sport", "someone-else")
    app = MarginApp(seeds_dir(), Config(annotator=ME), store_path=store_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        library = next(s for s in app.screen_stack if isinstance(s, LibraryScreen))
        await pilot_until(pilot, lambda: "labels" in column_keys(library), "the labels column")
        table = library.query_one(LibraryTable)
        row = table.get_row(str(CHINESE))
        assert str(row[column_keys(library).index("labels")]) == "poetry", "only my labels"
        # Open the Punjabi seed, label it, come back.
        table.move_cursor(row=table.get_row_index(str(PUNJABI)))
        await pilot.press("enter")
        await pilot_until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        reader = app.screen
        await pilot_until(pilot, lambda: reader.session.doc_hash is not None, "the document identified")
        await pilot.press("c")
        await pilot_until(pilot, lambda: isinstance(app.screen, CategoryPicker), "the picker")
        await pilot.press(*"poetry", "enter")
        await pilot_until(pilot, lambda: app.screen is reader, "the reader back")
        await settle(pilot)
        await pilot.press("q")
        await pilot_until(pilot, lambda: app.screen is library, "the library back")
        await settle(pilot)
        await pilot.press("slash", *"label:poetry")
        await pilot_until(pilot, lambda: sorted(listed(library)) == sorted([CHINESE, PUNJABI]), "two labelled")
        await pilot.press("ctrl+u", *"label:sport")
        await pilot_until(pilot, lambda: listed(library) == [], "nobody else's label")
        await pilot.press("ctrl+u", *"label: arabic")
        await pilot_until(pilot, lambda: listed(library) == [], "arabic is not labelled")


@synchronous
async def test_a_quoted_label_with_a_space_filters_in_any_script(tmp_path):
    from reader_harness import ARABIC, ENGLISH
    from textual import events

    from tui.widgets.plain import PlainInput

    store_path = tmp_path / "notes.sqlite3"
    with Store.open(store_path) as store:
        store.add_document_label(content_hash(ENGLISH), "News Report", ME)
        store.add_document_label(content_hash(ARABIC), "تقرير إخباري", ME)
        store.add_document_label(content_hash(PUNJABI), "ਖ਼ਬਰ ਰਿਪੋਰਟ", ME)
        store.add_document_label(content_hash(CHINESE), "新闻 报道", ME)
        store.add_document_label(content_hash(CHINESE), "[b]x y[/b]", ME)
    app = MarginApp(seeds_dir(), Config(annotator=ME), store_path=store_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        library = next(s for s in app.screen_stack if isinstance(s, LibraryScreen))
        await pilot_until(pilot, lambda: "labels" in column_keys(library), "the labels column")
        await pilot.press("slash", *'label:"news report"')
        field = library.query_one("#filter", PlainInput)
        await pilot_until(pilot, lambda: listed(library) == [ENGLISH], "the English seed, matched ignoring case")
        for typed, seed in [
            ("label:'تقرير إخباري'", ARABIC),
            ('label:"ਖ਼ਬਰ ਰਿਪੋਰਟ"', PUNJABI),
            ("label:“新闻 报道”", CHINESE),
            ('label:"[b]x y[/b]"', CHINESE),
        ]:
            # Pasted, as an input method commits it: Pilot's key presses drop combining marks.
            await pilot.press("ctrl+u")
            field.post_message(events.Paste(typed))
            await pilot_until(pilot, lambda seed=seed: listed(library) == [seed], f"{typed} alone")
        assert field.value == 'label:"[b]x y[/b]"', "typed text kept as typed"
        await pilot.press("ctrl+u", *"label:news report")
        await pilot_until(pilot, lambda: listed(library) == [], "unquoted, news is a label of its own")
