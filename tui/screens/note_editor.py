"""Write or edit the note of a passage, in any script.

Textual's ``TextArea`` edits in logical order and does not reorder or shape, so under it a
preview shows the note as the reader will: laid out by Margin's engine.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from tui.corpus.document import MemorySource
from tui.text.layout import LayoutOptions, display_line
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
            yield Static(id="quote")
            yield TextArea(self.note, id="editor", soft_wrap=True, show_line_numbers=False)
            yield Static("As it will read (ctrl+s saves, Esc cancels):", id="preview-label")
            yield ReaderView(MemorySource(self.note), self.options, id="preview")

    def on_mount(self) -> None:
        width = max(self.size.width - 8, 20)
        self.query_one("#quote", Static).update(display_line(self.quote.replace("\n", " "), width, self.options))
        self.query_one("#editor", TextArea).focus()

    @on(TextArea.Changed, "#editor")
    def _changed(self, event: TextArea.Changed) -> None:
        self.query_one("#preview", ReaderView).set_source(MemorySource(event.text_area.text))

    def action_save(self) -> None:
        self.dismiss(self.query_one("#editor", TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
