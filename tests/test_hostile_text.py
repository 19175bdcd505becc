"""Hostile text through every place the app shows text it did not write (issue 8, item 1).

Markup tags must show as typed and never act, escape sequences and bidi overrides as their
pictures, scripts laid out by the engine. One document whose first line is the hostile
string is walked through the library, the reader, its prompts, the tag picker, the tag
manager and its questions, the note editor, the annotations panel, the export dialog and
the toasts; after each step the screen is read back.
"""

from __future__ import annotations

import pytest
from reader_harness import screen_lines, synchronous
from textual.widgets import TextArea
from textual.widgets._toast import Toast
from waiting import pilot_until

from tui.app import MarginApp
from tui.config import Config
from tui.screens.export import ExportScreen
from tui.screens.note_editor import NoteEditor
from tui.screens.reader import ReaderScreen
from tui.screens.tag_manager import TagManager
from tui.screens.tag_picker import TagPicker
from tui.text.controls import display_text, needs_substitution
from tui.text.layout import LayoutOptions
from tui.widgets.plain import PlainInput, line_text

HOSTILE = {
    "closing-tag": "Closing tag only [/red] title",
    "click-action": "[@click=app.quit]Quit me[/] title",
    "bold-tag": "[b]bold?[/b] [",
    "clear-screen": "before\x1b[2Jafter",
    "window-title": "x\x1b]0;pwned\x07y",
    "rlo": "invoice\u202etxt.exe",
    "arabic": "مرحبا بالعالم",
    "chinese": "不過這是中文標題",
    "gurmukhi": "ਨੋਟ ਮਹੱਤਵਪੂਰਨ ਹੈ",
    "long": "ab" * 250,
}
SIZE = (160, 50)
PROBE = 24
"""Characters of a long string that every place has room for."""


def expected(text: str, options: LayoutOptions) -> str:
    """What the screen must show for ``text`` (its start, when it is long): the engine's row."""
    return line_text(text[:PROBE], 1000, options)[0]


def check_screen(app: MarginApp, wanted: str | None, where: str) -> None:
    rows = screen_lines(app)
    screen = "\n".join(rows)
    raw = [row for row in rows if needs_substitution(row.replace("\n", ""))]
    assert not raw, f"{where}: control characters reached the terminal: {raw!r}"
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            meta = segment.style.meta if segment.style is not None else {}
            assert "app.quit" not in str(meta.get("@click", "")), f"{where}: a document made an action"
    if wanted is not None:
        assert wanted in screen, f"{where}: {wanted!r} not on screen:\n{screen}"


def toasts(app: MarginApp) -> str:
    return "\n".join(str(toast.render()) for toast in app.screen.query(Toast))


@pytest.mark.parametrize("hostile", list(HOSTILE.values()), ids=list(HOSTILE))
@synchronous
async def test_hostile_text_is_shown_as_plain_text_everywhere(tmp_path, hostile):
    folder = tmp_path / "corpus"
    folder.mkdir()
    document = folder / "doc.txt"
    document.write_text(f"{hostile}\n\nAlpha beta gamma. Delta epsilon zeta.\n", encoding="utf-8")
    app = MarginApp(folder, Config(), store_path=tmp_path / "notes.sqlite3")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        options = app.layout_options
        shown = expected(hostile, options)
        editing = display_text(hostile[:PROBE])

        # Library: the title column, then the filter field while edited and after.
        await app.workers.wait_for_complete()
        await pilot.pause()
        check_screen(app, shown, "library row")
        await pilot.press("slash")
        app.screen.query_one("#filter", PlainInput).value = hostile
        await pilot.pause()
        check_screen(app, editing, "library filter being edited")
        await pilot.press("enter")
        await pilot.pause()
        check_screen(app, shown, "library filter")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#filter", PlainInput).value == ""

        # Reader: the title, then a search for the string: prompt, status, toast.
        await pilot.press("enter")
        await pilot_until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        reader = app.screen
        await pilot_until(pilot, lambda: reader.session is not None and reader.session.history is not None, "the document's notes")
        check_screen(app, shown, "reader title")
        await pilot.press("slash")
        reader.query_one("#prompt", PlainInput).value = hostile + "?nowhere"
        await pilot.pause()
        check_screen(app, editing, "search prompt")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        check_screen(app, shown, "search status")
        await pilot.press("N")
        await pilot_until(pilot, lambda: app.screen.query(Toast), "a toast")
        check_screen(app, shown, "not-found toast")
        app.notify(hostile, title=hostile)
        await pilot_until(pilot, lambda: toasts(app).count(shown) >= 2, "the toast of the string")
        await pilot.press("escape")

        # Tag the first paragraph (the string itself) with the string as a new tag.
        await pilot.press("g", "p", "t")
        await pilot_until(pilot, lambda: isinstance(app.screen, TagPicker), "the tag picker")
        app.screen.query_one("#query", PlainInput).value = hostile
        await pilot.pause()
        check_screen(app, shown, "tag picker")
        await pilot.press("enter")
        await pilot_until(pilot, lambda: app.screen is reader, "the reader again")

        # Its note, typed in the editor whose header quotes the passage.
        await pilot.press("g", "p", "ctrl+n")
        await pilot_until(pilot, lambda: isinstance(app.screen, NoteEditor), "the note editor")
        editor = app.screen
        await pilot_until(pilot, lambda: editor.focused is not None, "the editor's focus")
        check_screen(app, shown, "note editor quote")
        editor.query_one(TextArea).insert(hostile)
        await pilot.press("ctrl+s")
        await pilot_until(pilot, lambda: app.screen is reader, "the reader again")
        await pilot_until(pilot, lambda: any(a.note == hostile for a in reader.session.annotations), "the note")

        # The annotations panel: chip, quote and note.
        await pilot.press("a")
        await pilot.pause()
        check_screen(app, shown, "annotations panel")
        await pilot.press("escape")

        # The tag manager, and the question it asks about the tag.
        await pilot.press("T")
        await pilot_until(pilot, lambda: isinstance(app.screen, TagManager), "the tag manager")
        tags = app.store.tags()
        check_screen(app, shown if any(t.name == hostile for t in tags) else None, "tag manager")
        await pilot.press("r")
        await pilot.pause()
        check_screen(app, shown if tags else None, "rename question")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot_until(pilot, lambda: app.screen is reader, "the reader again")

        # The export dialog: the tag list, then a destination that cannot be written.
        await pilot.press("x")
        await pilot_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export dialog")
        destination = app.screen.query_one("#destination", PlainInput)
        destination.value = str(tmp_path / "missing" / hostile[:PROBE])
        await pilot.press("ctrl+s")
        await pilot.pause()
        check_screen(app, None, "export dialog")
        assert "Not exported" in str(app.screen.query_one("#result").render())
