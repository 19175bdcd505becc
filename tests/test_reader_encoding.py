"""Choosing how a file is decoded with ``E``: completion over the text encodings, the choice
remembered per document in the store and used again on reopening, and the notes placed
again in the text as newly decoded."""

from __future__ import annotations

from pathlib import Path

from reader_harness import reader_app, screen_lines, settle, synchronous
from waiting import pilot_until

from tui.corpus.identity import content_hash
from tui.locations import default_store
from tui.notes.store import Store
from tui.screens.reader import ReaderScreen

SIZE = (100, 30)


async def choose(pilot, name: str) -> None:
    await pilot.press("E", *(["backspace"] * 20), *name, "enter")
    await settle(pilot)


async def identified(pilot) -> None:
    screen = pilot.app.screen
    await pilot_until(pilot, lambda: screen.session.ready() and screen.document.doc_hash, "the document identified")
    await settle(pilot)


@synchronous
async def test_the_prompt_completes_over_text_encodings(tmp_path: Path):
    path = tmp_path / "doc.txt"
    path.write_text("hello\n", encoding="utf-8")
    app = reader_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E", *(["backspace"] * 20), *"gb1")
        prompt = app.screen.query_one("#prompt")
        await pilot_until(pilot, lambda: prompt._suggestion == "gb18030", "the suggestion")
        await pilot.press("right")
        assert prompt.value == "gb18030"
        # Codecs that are not text encodings are never offered.
        await pilot.press(*(["backspace"] * 20), *"rot")
        await settle(pilot)
        assert not prompt._suggestion.startswith("rot")


def test_the_chosen_encoding_is_remembered_and_used_on_reopening(tmp_path: Path):
    path = tmp_path / "arabic.txt"
    path.write_bytes("نص عربي قصير للتجربة. جملة ثانية هنا.\n".encode("cp1256") * 5)

    @synchronous
    async def first():
        app = reader_app(path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await identified(pilot)
            await choose(pilot, "iso-8859-1")
            await identified(pilot)
            assert app.screen.source.encoding == "iso-8859-1"

    @synchronous
    async def again():
        app = reader_app(path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await identified(pilot)
            screen = app.screen
            assert isinstance(screen, ReaderScreen)
            await pilot_until(pilot, lambda: screen.source.encoding == "iso-8859-1", "the remembered encoding")
            assert "iso-8859-1" in screen_lines(app)[-2]

    first()
    with Store.open(default_store()) as store:
        assert store.encoding(content_hash(path)) == "iso-8859-1"
    again()


@synchronous
async def test_notes_are_placed_again_when_the_encoding_changes(tmp_path: Path):
    path = tmp_path / "cafe.txt"
    path.write_text("Un café au lait. Deux thés verts.\n", encoding="utf-8")
    app = reader_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await identified(pilot)
        screen = app.screen
        view = screen.view
        start = "Un café au lait. ".index("au")
        view.set_cursor(start)
        await pilot.press("v", *["l"] * 6, "1")  # "au lait"
        await settle(pilot)
        (before,) = screen.session.annotations
        assert before.quote == "au lait" and before.start == start
        await choose(pilot, "latin-1")
        await identified(pilot)
        await pilot_until(pilot, lambda: screen.session.annotations and screen.session.annotations[0].start != start, "notes placed again")
        (after,) = screen.session.annotations
        text = screen.source.text(0, screen.source.length)
        assert "cafÃ©" in text
        assert after.start == start + 1 and text[after.start : after.end] == after.quote == "au lait"
        assert any("remembered" in str(n.message) for n in app._notifications)
