"""Two Margins on one store: A deletes an annotation that B still shows. Whatever B then
does to it (a tag key, a note, delete, undo, redo) is refused softly: B refreshes, says what
happened, and keeps every other change it made."""

from __future__ import annotations

import pytest
from reader_harness import ARABIC, CHINESE, reader_app, settle, synchronous
from waiting import pilot_until

from tui.corpus.identity import content_hash
from tui.locations import default_store
from tui.notes.store import Store
from tui.screens.note_editor import NoteEditor

SIZE = (100, 30)


def toasts(app) -> list[str]:
    """Toast texts with their line breaks (toasts are laid out in rows) undone."""
    return [" ".join(str(n.message).split()) for n in app._notifications]


async def two_annotations(pilot):
    """B tags the first sentence (kept) and the first sentence of the next paragraph (the
    one A will delete); the cursor is left on the second."""
    screen = pilot.app.screen
    await pilot_until(pilot, lambda: screen.session.ready(), "the document to be identified")
    await pilot.press("s", "1")
    await pilot.press("right_curly_bracket", "s", "2")
    await settle(pilot)
    kept, doomed = screen.session.annotations
    return kept, doomed


def delete_elsewhere(app, path, annotation_id: int) -> None:
    """Process A: its own connection to the same file.

    B is a Margin that has not heard of the delete yet: its store watch, which would tell
    it within a moment, is kept from delivering, or it would race the keys that follow
    (and, once it has told B, B no longer shows the annotation to act on)."""
    assert app._store_watch is not None, "B watches the store"
    app._store_watch._deliver = lambda changes: None
    with Store.open(default_store()) as other:
        other.delete_annotation(annotation_id)


@pytest.mark.parametrize("keys", [("2",), ("1",), ("D",), ("ctrl+n", "ctrl+s")], ids=["untag", "tag", "delete", "note"])
@synchronous
async def test_a_change_to_an_annotation_deleted_elsewhere_fails_softly(keys):
    app = reader_app(ARABIC)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        kept, doomed = await two_annotations(pilot)
        delete_elsewhere(app, ARABIC, doomed.id)
        app._notifications.clear()
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
            if isinstance(app.screen, NoteEditor):
                await pilot.press(*"ملاحظة")
        await settle(pilot)
        assert app.return_code is None and app._exception is None
        assert app.screen is screen
        shown = " | ".join(toasts(app))
        assert "deleted elsewhere" in shown, shown
        # B refreshed: what it shows is what the store holds; its own other work is intact.
        with Store.open(default_store()) as store:
            stored = store.annotations(content_hash(ARABIC))
        ids = {a.id for a in screen.session.annotations}
        assert kept.id in ids and doomed.id not in ids
        if keys[0] == "ctrl+n":
            # The note written meanwhile was not lost: it went on a new annotation of the passage.
            noted = [a for a in stored if a.note == "ملاحظة"]
            assert len(noted) == 1 and (noted[0].start, noted[0].end) == (doomed.start, doomed.end)
        else:
            assert {a.id for a in stored} == ids == {kept.id}


@pytest.mark.parametrize("direction", ["undo", "redo"])
@synchronous
async def test_undo_and_redo_past_a_change_deleted_elsewhere_keep_the_older_work(direction):
    app = reader_app(CHINESE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        kept, doomed = await two_annotations(pilot)
        # A third change that touches the doomed annotation: a tag added to it.
        await pilot.press("3")
        await settle(pilot)
        if direction == "redo":
            await pilot.press("u")
            await settle(pilot)
        delete_elsewhere(app, CHINESE, doomed.id)
        app._notifications.clear()
        await pilot.press("u" if direction == "undo" else "ctrl+r")
        await settle(pilot)
        assert app._exception is None and app.screen is screen
        assert any("deleted elsewhere" in t and "Skipped" in t for t in toasts(app)), toasts(app)
        assert [a.id for a in screen.session.annotations] == [kept.id]
        if direction == "undo":
            # The adding of the doomed one cannot be undone either; then B's first tag is.
            await pilot.press("u")
            await settle(pilot)
            await pilot.press("u")
            await settle(pilot)
            with Store.open(default_store()) as store:
                assert store.annotations(content_hash(CHINESE)) == []
        assert app._exception is None
