"""Export notes from the app: format, scope and destination, all by keyboard.

It runs the same code as ``margin export``, so a file written here is byte for byte what
the command line would write, and like it never overwrites a file without asking.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Select, Static

from tui.notes.atomic import OutputExists
from tui.notes.export import FORMATS, ExportResult, write_export
from tui.notes.exporters.collection import ExportScope
from tui.notes.store import StoreError
from tui.screens.dialogs import Confirm
from tui.widgets.plain import PlainInput, PlainText, line

FORMAT_LABELS = {
    "md": "Markdown (for people)",
    "w3c": "W3C Web Annotation JSON-LD",
    "jsonl": "JSONL spans (Prodigy, doccano, spaCy)",
    "csv": "CSV (spreadsheets)",
    "brat": "brat standoff (a folder)",
    "conll": "CoNLL BIO tokens (NER training)",
    "spacy": "spaCy DocBin (needs spaCy)",
}
EXTENSIONS = {
    "md": ".md", "w3c": ".jsonld", "jsonl": ".jsonl", "csv": ".csv", "brat": "", "conll": ".conll", "spacy": ".spacy",
}
TAG_WIDTH = 56
"""Cells for a tag name in the tag list: what the dialog's select leaves inside its frame."""


class ExportScreen(ModalScreen[ExportResult | None]):
    """Tab moves between fields; ctrl+s or the Export button writes; Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", "Export", id="export.run", priority=True),
        Binding("escape", "close", "Close", id="export.close"),
    ]
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > VerticalScroll { width: 76; max-width: 100%; height: auto; max-height: 100%; padding: 1 2; background: $panel; border: thick $primary; }
    ExportScreen Label { margin-top: 1; }
    ExportScreen #buttons { height: auto; margin-top: 1; }
    ExportScreen #result { margin-top: 1; height: auto; }
    ExportScreen #result.-error { color: $error; text-style: bold; }
    """

    def __init__(self, document: Path | None, doc_hash: str | None) -> None:
        super().__init__()
        self.document = document
        self.doc_hash = doc_hash

    def compose(self) -> ComposeResult:
        store = self.app.store
        tags = [t.name for t in store.tags()] if store is not None else []
        scopes = [("All documents", "all")]
        if self.doc_hash is not None:
            scopes.insert(0, ("This document", "doc"))
        with VerticalScroll():
            yield Static(Content.styled("Export notes", "bold"))
            yield Label("Format")
            yield Select([(label, key) for key, label in FORMAT_LABELS.items()], value="md", allow_blank=False, id="format")
            yield Label("Documents")
            yield Select(scopes, value=scopes[0][1], allow_blank=False, id="scope")
            yield Label("Tag")
            yield Select(
                [(line(name, TAG_WIDTH, self.app.layout_options), name) for name in tags],  # type: ignore[misc]
                prompt="Every tag",
                allow_blank=True,
                id="tag",
            )
            yield Label("Whose annotations")
            yield Select(self._whose(store), prompt="Everyone's", allow_blank=True, id="annotator")
            yield Checkbox("Group Markdown by tag", id="by-tag")
            yield Label("Write to (a file; a folder for brat)", id="destination-label")
            yield PlainInput(self._default_destination("md"), id="destination")
            with Horizontal(id="buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Close", id="close")
            yield PlainText("", id="result")

    def _whose(self, store) -> list[tuple[Content, str]]:
        """The curated layer (the gold set) first, then each annotator of the store."""
        from tui.notes.curation_record import CURATION

        names: list[str] = []
        lister = getattr(store, "annotators", None)
        if lister is not None:
            try:
                names = [name for name in lister() if name and name != CURATION]
            except StoreError:
                names = []
        options = [(Content("The curated layer (gold set)"), CURATION)]
        options += [(line(name, TAG_WIDTH, self.app.layout_options), name) for name in names]
        return options

    def on_mount(self) -> None:
        self.query_one("#format", Select).focus()
        if self.app.is_web:
            self.query_one("#destination-label", Label).update("Sent to your browser as a download")
            self.query_one("#destination").display = False

    def _default_destination(self, fmt: str) -> str:
        stem = self.document.stem if self.document is not None else "margin"
        base = Path.cwd() / f"{stem}-notes{EXTENSIONS[fmt]}"
        return str(base)

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        destination = self.query_one("#destination", PlainInput)
        previous = {self._default_destination(f) for f in FORMATS}
        if destination.value in previous:
            destination.value = self._default_destination(str(event.value))

    @on(Button.Pressed, "#export")
    def _pressed_export(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#close")
    def _pressed_close(self) -> None:
        self.dismiss(None)

    @on(PlainInput.Submitted, "#destination")
    def _submitted(self) -> None:
        self.action_export()

    def action_export(self, force: bool = False) -> None:
        if self.app.is_web:  # in a browser a server path means nothing: download instead
            from tui.serve.delivery import deliver_export

            deliver_export(self)
            return
        fmt = str(self.query_one("#format", Select).value)
        scope_kind = self.query_one("#scope", Select).value
        tag_value = self.query_one("#tag", Select).value
        tag = tag_value if isinstance(tag_value, str) else None
        whose = self.query_one("#annotator", Select).value
        scope = ExportScope(
            doc_hash=self.doc_hash if scope_kind == "doc" else None,
            tag=tag,
            annotators=frozenset({whose}) if isinstance(whose, str) else None,
        )
        destination = Path(self.query_one("#destination", PlainInput).value.strip()).expanduser()
        by_tag = self.query_one("#by-tag", Checkbox).value
        result_line = self.query_one("#result", PlainText)
        try:
            result = write_export(self.app.store, fmt, scope, destination, force=force, by_tag=by_tag)
        except OutputExists as exists:
            self.app.push_screen(
                Confirm(f"{exists.path} already exists. Overwrite it?"),
                lambda yes: yes and self.action_export(force=True),
            )
            return
        except (StoreError, OSError, ValueError) as error:
            result_line.update(f"Not exported: {error}")
            result_line.add_class("-error")
            result_line.scroll_visible(animate=False)
            return
        result_line.remove_class("-error")
        result_line.update(
            f"Wrote {result.annotations} annotation{'s' if result.annotations != 1 else ''} "
            f"from {result.documents} document{'s' if result.documents != 1 else ''} to {result.path}"
        )
        result_line.scroll_visible(animate=False)
        self.notify(f"Exported {result.annotations} annotations to {result.path}", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
