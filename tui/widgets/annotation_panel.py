"""The annotations of the open document in reading order, filterable by tag.

Each entry shows the tag chips, the quoted passage as the reader shows it (right-to-left
quotes shaped and reordered by the engine) and the start of the note. Orphans — passages
that could not be found again after the document changed — are listed last, never hidden.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Select, Static
from textual.widgets.option_list import Option

from tui.notes.model import ORPHAN, Annotation, Tag
from tui.text.layout import LayoutOptions, display_line

ALL_TAGS = "\0all"


class AnnotationPanel(Vertical):
    """Enter jumps to an annotation, d deletes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d,delete", "delete", "Delete annotation", id="panel.delete"),
    ]
    DEFAULT_CSS = """
    AnnotationPanel { dock: right; width: 44; border-left: solid $primary; background: $surface; }
    AnnotationPanel #panel-title { height: 1; text-style: bold; padding: 0 1; }
    AnnotationPanel Select { margin: 0; }
    AnnotationPanel OptionList { height: 1fr; border: none; }
    """

    class Jump(Message):
        def __init__(self, annotation: Annotation) -> None:
            super().__init__()
            self.annotation = annotation

    class Delete(Message):
        def __init__(self, annotation: Annotation) -> None:
            super().__init__()
            self.annotation = annotation

    def __init__(self, options: LayoutOptions, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = options
        self.annotations: list[Annotation] = []
        self.tags: dict[str, Tag] = {}
        self.shown: list[Annotation] = []

    def compose(self) -> ComposeResult:
        yield Static("Annotations", id="panel-title")
        yield Select([], prompt="All tags", allow_blank=True, id="tag-filter")
        yield OptionList(id="annotation-list")

    def show(self, annotations: list[Annotation], tags: list[Tag]) -> None:
        """Replace the listed annotations (already in reading order)."""
        self.annotations = annotations
        self.tags = {t.name: t for t in tags}
        select = self.query_one("#tag-filter", Select)
        current = select.value
        select.set_options([(t.name, t.name) for t in tags])
        if isinstance(current, str) and current in self.tags:
            select.value = current
        self._fill()

    def _fill(self) -> None:
        select = self.query_one("#tag-filter", Select)
        wanted = select.value if isinstance(select.value, str) else None
        anchored = [a for a in self.annotations if a.status != ORPHAN]
        orphans = [a for a in self.annotations if a.status == ORPHAN]
        self.shown = [a for a in anchored + orphans if wanted is None or wanted in a.tags]
        width = max(self.size.width - 4, 20)
        options = [Option(self._entry(a, width)) for a in self.shown]
        listing = self.query_one("#annotation-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(options)
        if options:
            listing.highlighted = min(highlighted or 0, len(options) - 1)
        self.query_one("#panel-title", Static).update(f"Annotations ({len(self.shown)} of {len(self.annotations)})")

    def _entry(self, annotation: Annotation, width: int) -> Content:
        chips = Content.assemble(
            *[Content.styled(f" {name} ", f"on {self.tags[name].color}" if name in self.tags else "reverse") for name in annotation.tags]
        )
        if annotation.status == ORPHAN:
            chips = Content.assemble(chips, Content.styled(" orphan ", "bold $error"))
        quote = display_line(" ".join(annotation.quote.split()), width, self.options)
        lines = [chips, Content(quote)]
        if annotation.note:
            lines.append(Content.styled(display_line(" ".join(annotation.note.split()), width, self.options), "italic $text-muted"))
        return Content("\n").join(lines)

    @on(Select.Changed, "#tag-filter")
    def _filter_changed(self) -> None:
        self._fill()

    @on(OptionList.OptionSelected, "#annotation-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.post_message(self.Jump(self.shown[event.option_index]))

    def action_delete(self) -> None:
        listing = self.query_one("#annotation-list", OptionList)
        if listing.highlighted is not None and listing.highlighted < len(self.shown):
            self.post_message(self.Delete(self.shown[listing.highlighted]))
