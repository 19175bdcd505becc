"""The relations of the open document, one row each: source → label → target.

Both quotes and the label are user or document text, each laid out by the engine on its own
(an Arabic quote shaped and reordered, a Chinese one at two cells a character) and cut to
its share of the row, so a row never tears whatever scripts it mixes. Like the annotation
list it is a Line API view: only the rows on screen are laid out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.text.layout import LayoutOptions
from tui.widgets.plain import line_text

if TYPE_CHECKING:
    from tui.notes.model import Annotation
    from tui.notes.relations import Relation

ARROW = " → "
LABEL_SHARE = 3
"""The label gets at most a third of the row; the quotes split the rest."""


@dataclass(frozen=True, slots=True)
class RelationRow:
    """A relation with its two annotations (None when an end is not loaded or not shown)."""

    relation: Relation
    head: Annotation | None
    child: Annotation | None


def fitted(row: RelationRow, width: int, options: LayoutOptions) -> str:
    """``“source” → label → “target”`` in ``width`` cells, each part laid out by the engine."""
    label_width = max(min(cell_len(row.relation.label) + 1, width // LABEL_SHARE), 1)
    label, _rtl = line_text(row.relation.label, label_width, options)
    room = max(width - 2 * len(ARROW) - cell_len(label) - 4, 2)
    quote_width = max(room // 2, 1)
    head = _quote(row.head, quote_width, options)
    child = _quote(row.child, room - quote_width, options)
    return f"“{head}”{ARROW}{label}{ARROW}“{child}”"


def _quote(annotation: Annotation | None, width: int, options: LayoutOptions) -> str:
    text = " ".join(annotation.quote.split()) if annotation is not None else "?"
    return line_text(text, max(width, 1), options)[0]


class RelationList(ScrollView, can_focus=True):
    """Up/down choose, Enter goes to the source passage, d deletes the relation."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Previous", show=False, id="relations.previous"),
        Binding("down,j", "move(1)", "Next", show=False, id="relations.next"),
        Binding("enter", "jump", "Go to source", id="relations.jump"),
        Binding("d,delete", "delete", "Delete relation", id="relations.delete"),
    ]
    COMPONENT_CLASSES = {"relation-list--highlight"}
    DEFAULT_CSS = """
    RelationList { height: auto; max-height: 8; background: $surface; }
    RelationList > .relation-list--highlight { background: $primary 40%; }
    RelationList:focus > .relation-list--highlight { background: $primary 70%; }
    """

    highlighted: reactive[int] = reactive(0, repaint=True)

    class Jump(Message):
        def __init__(self, relation: Relation) -> None:
            super().__init__()
            self.relation = relation

    class Delete(Message):
        def __init__(self, relation: Relation) -> None:
            super().__init__()
            self.relation = relation

    def __init__(self, options: LayoutOptions, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = options
        self.rows: list[RelationRow] = []

    def show(self, rows: list[RelationRow]) -> None:
        current = self.rows[self.highlighted].relation.uid if 0 <= self.highlighted < len(self.rows) else None
        self.rows = rows
        self.virtual_size = Size(self.size.width, len(rows))
        index = next((i for i, row in enumerate(rows) if row.relation.uid == current), None)
        self.highlighted = min(index if index is not None else self.highlighted, max(len(rows) - 1, 0))
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self.rows):
            return Strip.blank(width, base)
        strip = Strip([Segment(fitted(self.rows[index], width, self.options))]).adjust_cell_length(width, base)
        if index == self.highlighted:
            strip = strip.apply_style(self.get_component_rich_style("relation-list--highlight"))
        return strip.apply_style(base)

    def watch_highlighted(self, index: int) -> None:
        if self.rows:
            self.scroll_to_region(Region(0, index, 1, 1), animate=False)

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.rows):
            if index == self.highlighted or event.chain > 1:
                self.post_message(self.Jump(self.rows[index].relation))
            self.highlighted = index

    def action_move(self, delta: int) -> None:
        if self.rows:
            self.highlighted = min(max(self.highlighted + delta, 0), len(self.rows) - 1)

    def action_jump(self) -> None:
        if 0 <= self.highlighted < len(self.rows):
            self.post_message(self.Jump(self.rows[self.highlighted].relation))

    def action_delete(self) -> None:
        if 0 <= self.highlighted < len(self.rows):
            self.post_message(self.Delete(self.rows[self.highlighted].relation))
