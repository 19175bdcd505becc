"""Labelling whole documents by keyboard in the reader: c, fuzzy search, create, exclusive
sets, undo and redo, on the Arabic, Chinese and Punjabi seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from reader_harness import ARABIC, CHINESE, PUNJABI, reader_app, settle, synchronous
from waiting import pilot_until

from tui.corpus.identity import content_hash
from tui.locations import default_store
from tui.notes.store import Store
from tui.screens.category_picker import CategoryPicker
from tui.widgets.plain import PlainText

SIZE = (100, 30)


def mine(path: Path) -> list[str]:
    with Store.open(default_store()) as store:
        return [label.category for label in store.document_labels(content_hash(path))]


def status(app) -> str:
    return app.screen.query_one("#status", PlainText).text


def prepare_sets() -> None:
    with Store.open(default_store()) as store:
        for name in ("positive", "negative", "neutral"):
            store.create_category(name, set="sentiment")
        store.declare_category_set("sentiment", exclusive=True)
        store.create_category("poetry")
        store.create_category("prose")


async def choose(pilot, typed: str) -> None:
    """Open the picker with c, type, press Enter, and wait for the reader to come back."""
    app = pilot.app
    reader = app.screen
    await pilot.press("c")
    await pilot_until(pilot, lambda: isinstance(app.screen, CategoryPicker), "the category picker")
    await pilot.press(*typed, "enter")
    await pilot_until(pilot, lambda: app.screen is reader, "the reader back")
    await settle(pilot)


@pytest.mark.parametrize("seed", [ARABIC, CHINESE, PUNJABI], ids=["arabic", "chinese", "punjabi"])
@synchronous
async def test_label_a_document_by_keyboard(seed):
    prepare_sets()
    app = reader_app(seed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot_until(pilot, lambda: app.screen.session.doc_hash is not None, "the document identified")
        # Fuzzy: "pstv" finds positive.
        await choose(pilot, "pstv")
        assert mine(seed) == ["positive"]
        assert "labels: positive" in status(app)
        # The set is exclusive: negative replaces positive.
        await choose(pilot, "neg")
        assert mine(seed) == ["negative"]
        assert "labels: negative" in status(app)
        # Categories outside the set add up; a new name creates a category.
        await choose(pilot, "poetry")
        await choose(pilot, "قصيدة" if seed == ARABIC else "诗" if seed == CHINESE else "ਕਵਿਤਾ")
        created = mine(seed)
        assert len(created) == 3 and "negative" in created and "poetry" in created
        # Undo takes the new label and its new category away again; then the set's replacement.
        await pilot.press("u")
        await settle(pilot)
        assert sorted(mine(seed)) == ["negative", "poetry"]
        with Store.open(default_store()) as store:
            assert {c.name for c in store.categories()} == {"positive", "negative", "neutral", "poetry", "prose"}
        await pilot.press("u", "u")
        await settle(pilot)
        assert mine(seed) == ["positive"], "undoing the replacement puts the first label back"
        assert "labels: positive" in status(app)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert mine(seed) == ["negative"]
        # Enter on a label the document has takes it off.
        await choose(pilot, "negative")
        assert mine(seed) == []
        assert "labels:" not in status(app)


@synchronous
async def test_the_picker_ticks_the_documents_labels_and_escape_changes_nothing():
    prepare_sets()
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot_until(pilot, lambda: app.screen.session.doc_hash is not None, "the document identified")
        await choose(pilot, "prose")
        await pilot.press("c")
        await pilot_until(pilot, lambda: isinstance(app.screen, CategoryPicker), "the category picker")
        picker = app.screen
        from textual.widgets import OptionList

        choices = picker.query_one("#choices", OptionList)
        shown = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        assert any("✓" in row and "prose" in row for row in shown)
        assert any("one of" in row and "positive" in row for row in shown), "the exclusive set is named"
        await pilot.press(*"[red]x", "escape")
        await settle(pilot)
    assert mine(ARABIC) == ["prose"]


@synchronous
async def test_picker_lays_out_an_arabic_category_with_the_engine_and_never_as_markup():
    from textual.widgets import OptionList

    from tui.widgets.plain import line_text

    with Store.open(default_store()) as store:
        store.create_category("إيجابي", set="مشاعر")
        store.create_category("[b]bold[/b]")
    app = reader_app(CHINESE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot_until(pilot, lambda: app.screen.session.doc_hash is not None, "the document identified")
        await pilot.press("c")
        await pilot_until(pilot, lambda: isinstance(app.screen, CategoryPicker), "the category picker")
        choices = app.screen.query_one("#choices", OptionList)
        shown = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        shaped, rtl = line_text("إيجابي", 30, app.layout_options)
        assert rtl and shaped != "إيجابي"
        assert any(shaped in row for row in shown), "shaped and reordered by the engine"
        assert any("[b]bold[/b]" in row for row in shown), "brackets shown as typed"
        await pilot.press("escape")
        await settle(pilot)


@synchronous
async def test_others_labels_show_only_when_the_layers_show_them():
    from tui.config import Config
    from tui.screens.layer_picker import LayerPicker

    with Store.open(default_store()) as store:
        store.add_document_label(content_hash(PUNJABI), "negative", "ben")
        store.add_document_label(content_hash(PUNJABI), "poetry", "ana")
    app = reader_app(PUNJABI, Config(annotator="ana"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot_until(pilot, lambda: "labels: poetry" in status(app), "my label")
        assert "ben" not in status(app), "blind by default"
        await pilot.press("L")
        await pilot_until(pilot, lambda: isinstance(app.screen, LayerPicker), "the layer picker")
        await pilot.press("a")
        await pilot_until(pilot, lambda: "labels: poetry · ben: negative" in status(app), "ben's label too")


def test_while_the_notes_server_is_away_a_label_change_is_refused_with_the_reason():
    from types import SimpleNamespace

    from tui.screens.reader_labels import ReaderLabels
    from tui.screens.reader_messages import Notice

    posted = []
    store = SimpleNamespace(online=False, offline_reason="notes offline: the server did not answer", document_labels=lambda *a: [])
    session = SimpleNamespace(store=store, doc_hash="a" * 64, annotator="ana", layer=None, ready=lambda: True)
    session.do = lambda change: pytest.fail("nothing may be written")
    labels = ReaderLabels(session, posted.append)
    labels.toggle("news")
    labels.pick(None)
    assert [type(m) for m in posted] == [Notice, Notice]
    assert "the server did not answer" in posted[0].text and "try again" in posted[0].text
