"""The agreement screen: opened from the library by its key and from the palette, documents
listed lowest agreement first, values coloured by value, Enter opens curation mode."""

from __future__ import annotations

from curation_harness import ANNOTATORS, seed_curation, words_of
from reader_harness import ARABIC, CHINESE, synchronous
from waiting import pilot_until

from tui.app import MarginApp
from tui.config import Config
from tui.corpus.identity import content_hash
from tui.locations import default_store, seeds_dir
from tui.notes.agreement import MEASURES
from tui.notes.store import Store
from tui.screens.agreement import AgreementScreen, lowest_first, value_style
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.text.decode import decode

SIZE = (120, 40)


def seed_agreeing(path):
    """Three annotators marking the same passages alike: full agreement."""
    text = decode(path.read_bytes()).text
    digest = content_hash(path)
    with Store.open(default_store()) as store:
        store.register_document(digest, path, path.name)
        for start, end in words_of(text)[3:12:2]:
            for who in ANNOTATORS:
                store.add_annotation(digest, text, start, end, ["evidence"], annotator=who)
    return digest


async def library_ready(pilot) -> LibraryScreen:
    await pilot_until(pilot, lambda: isinstance(pilot.app.screen, LibraryScreen), "the library")
    return pilot.app.screen


async def computed(pilot) -> AgreementScreen:
    await pilot_until(pilot, lambda: isinstance(pilot.app.screen, AgreementScreen), "the agreement screen")
    screen = pilot.app.screen
    await pilot_until(pilot, lambda: screen.report is not None and not screen.computing, "agreement computed")
    return screen


def test_values_are_coloured_by_value():
    assert value_style(0.1) == "bold red" and value_style(0.5) == "yellow" and value_style(0.9) == "green"
    assert value_style(None) == "dim"


@synchronous
async def test_the_library_key_opens_it_lowest_first_and_enter_curates():
    arabic = seed_curation(ARABIC).digest
    chinese = seed_agreeing(CHINESE)
    app = MarginApp(seeds_dir(), Config(), annotator="ana")
    async with app.run_test(size=SIZE) as pilot:
        await library_ready(pilot)
        await pilot.press("A")
        screen = await computed(pilot)
        report = screen.report
        assert report.annotators == ANNOTATORS  # the curated layer is not an annotator
        assert [digest for digest, _ in screen.order] == [arabic, chinese]
        assert screen.order == lowest_first(report, screen.measure)
        assert screen.order[0][1] < screen.order[1][1] == 1.0
        pairs = screen.query_one("#pairs")
        assert pairs.row_count == 1 + len(report.by_tag)
        # Every measure in turn; a pair measure has a column per pair.
        seen = []
        for _ in MEASURES:
            await pilot.press("m")
            seen.append(screen.measure)
            await pilot.pause()
            columns = len(pairs.columns)
            assert columns == (1 + 3 if screen.measure in ("f1_exact", "f1_overlap", "cohen_kappa") else 2)
        assert sorted(seen) == sorted(MEASURES)
        await pilot.press("enter")  # the first document: the one with the lowest agreement
        await pilot_until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        reader = app.screen
        assert reader.path == ARABIC
        await pilot_until(pilot, lambda: reader.curation is not None and reader.curation.active, "curation mode on")
        await pilot_until(pilot, lambda: reader.curation.current() == 0, "at the first disagreement")
        await pilot.press("q")
        await pilot_until(pilot, lambda: isinstance(app.screen, AgreementScreen), "back to agreement")
        await pilot.press("q")
        await library_ready(pilot)


@synchronous
async def test_the_palette_opens_it():
    seed_curation(ARABIC)
    app = MarginApp(seeds_dir(), Config(), annotator="ana")
    async with app.run_test(size=SIZE) as pilot:
        await library_ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Agreement and curation")
        await pilot.pause()
        await pilot.press("enter")
        screen = await computed(pilot)
        assert [digest for digest, _ in screen.order] == [content_hash(ARABIC)]


@synchronous
async def test_an_empty_store_says_there_is_nothing_to_compare():
    app = MarginApp(seeds_dir(), Config(), annotator="ana")
    async with app.run_test(size=SIZE) as pilot:
        await library_ready(pilot)
        await pilot.press("A")
        screen = await computed(pilot)
        assert screen.order == []
        await pilot.press("enter")
        assert isinstance(app.screen, AgreementScreen)
