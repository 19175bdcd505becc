"""Write or edit the note of a passage, in any script.

Textual's ``TextArea`` edits in logical order and does not reorder or shape, so under it a
preview shows the note as the reader will: laid out by Margin's engine.

Keys typed straight after the one that opened the editor arrive before the editor exists:
the screen takes them, in order, and hands the focus to the editor only once none is left
waiting, so nothing is lost or reordered. Saving waits for every key already typed, so a
note is saved whole; Esc asks before it throws away text that was typed.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from tui.corpus.document import MemorySource
from tui.screens.dialogs import Confirm
from tui.text.layout import LayoutOptions
from tui.widgets.plain import PlainText
from tui.widgets.reader_view import ReaderView


class NoteEditor(ModalScreen[str | None]):
    """ctrl+s saves the note, Esc leaves it as it was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note", id="note.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="note.cancel", priority=True),
    ]
    DEFAULT_CSS = """
    NoteEditor { align: center middle; }
    NoteEditor > Vertical { width: 90%; height: 80%; padding: 0 1; background: $panel; border: thick $primary; }
    NoteEditor #quote { height: auto; max-height: 4; color: $text-muted; }
    NoteEditor TextArea { height: 1fr; }
    NoteEditor #preview-label { height: 1; color: $text-muted; }
    NoteEditor ReaderView { height: 1fr; border-top: solid $primary; }
    """

    def __init__(self, quote: str, note: str, options: LayoutOptions) -> None:
        super().__init__()
        self.quote = quote
        self.note = note
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield PlainText(" ".join(self.quote.split()), wrap=False, message=False, id="quote")
            yield TextArea(self.note, id="editor", soft_wrap=True, show_line_numbers=False)
            yield Static("As it will read (ctrl+s saves, Esc cancels):", id="preview-label", markup=False)
            yield ReaderView(MemorySource(self.note), self.options, id="preview")

    @property
    def editor(self) -> TextArea:
        return self.query_one("#editor", TextArea)

    def on_key(self, event: events.Key) -> None:
        """A key that reached the screen itself was typed before the editor had the focus."""
        if event.is_printable and event.character is not None:
            event.stop()
            self.editor.insert(event.character)
        elif event.key == "enter":
            event.stop()
            self.editor.insert("\n")

    def on_idle(self) -> None:
        """Idle means no key is waiting for the screen: now the editor can take the focus."""
        if self.focused is None:
            self.set_focus(self.editor)

    @on(TextArea.Changed, "#editor")
    def _changed(self, event: TextArea.Changed) -> None:
        self.query_one("#preview", ReaderView).set_source(MemorySource(event.text_area.text))

    def action_save(self) -> None:
        # Keys typed before ctrl+s may still wait in the screen's or the editor's queue:
        # read the text only after both have been served.
        self.call_later(self.editor.call_later, self._finish, True)

    def action_cancel(self) -> None:
        self.call_later(self.editor.call_later, self._finish, False)

    def _finish(self, save: bool) -> None:
        text = self.editor.text
        if save:
            self.dismiss(text)
        elif text == self.note:
            self.dismiss(None)
        else:
            self.app.push_screen(Confirm("Discard the changes to this note?"), lambda yes: yes and self.dismiss(None))
