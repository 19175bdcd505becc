"""The annotations of the open document in reading order, filterable by tag.

Each entry shows the tag chips, the quoted passage as the reader shows it (right-to-left
quotes shaped and reordered by the engine) and the start of the note. Orphans — passages
that could not be found again after the document changed — are listed last, never hidden.
The list is a Line API view like the reader: with ten thousand annotations only the
entries on screen are ever laid out.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Select, Static

from tui.notes.model import ORPHAN, Annotation, Tag
from tui.text.layout import LayoutOptions
from tui.widgets.plain import chip_style, line, line_text
from tui.widgets.relation_list import RelationList, RelationRow

CHIP_WIDTH = 20
"""Cells for a tag's name in its chip: several chips share the entry's first row."""
ANNOTATOR_WIDTH = 20
"""Cells given to another annotator's name after the tag chips."""
ENTRY_HEIGHT = 3
"""Chips, quote, note: every entry takes the same rows, so row -> entry is a division."""


FILTER_WIDTH = 34
"""Cells for a tag name in the panel's tag filter, inside its frame and arrow."""


class AnnotationList(ScrollView, can_focus=True):
    """Up/down choose, Enter jumps to the passage, d deletes the annotation."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Previous", show=False, id="panel.previous"),
        Binding("down,j", "move(1)", "Next", show=False, id="panel.next"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="panel.page-up"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="panel.page-down"),
        Binding("home", "first", "First", show=False, id="panel.first"),
        Binding("end", "last", "Last", show=False, id="panel.last"),
        Binding("enter", "jump", "Go to passage", id="panel.jump"),
        Binding("d,delete", "delete", "Delete annotation", id="panel.delete"),
    ]
    COMPONENT_CLASSES = {"annotation-list--highlight", "annotation-list--note", "annotation-list--orphan"}
    DEFAULT_CSS = """
    AnnotationList { height: 1fr; background: $surface; }
    AnnotationList > .annotation-list--highlight { background: $primary 40%; }
    AnnotationList:focus > .annotation-list--highlight { background: $primary 70%; }
    AnnotationList > .annotation-list--note { color: $text-muted; text-style: italic; }
    AnnotationList > .annotation-list--orphan { color: $error; text-style: bold; }
    """

    highlighted: reactive[int] = reactive(0, repaint=True)

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
        self.entries: list[Annotation] = []
        self.tag_colors: dict[str, str] = {}
        self.mine: str | None = None
        """My annotator name: others' entries carry theirs."""
        self.sources: dict[str, str] = {}
        """Where each curated annotation came from, by uid ("from ana, carol")."""
        self._lines: dict[tuple, list[Segment]] = {}

    def show(self, entries: list[Annotation], colors: dict[str, str]) -> None:
        """Replace the entries, keeping the highlight on the same annotation if it is still there."""
        current = self.entries[self.highlighted].id if 0 <= self.highlighted < len(self.entries) else None
        if colors != self.tag_colors:
            self._lines.clear()
        self.entries = entries
        self.tag_colors = colors
        self.virtual_size = Size(self.size.width, len(entries) * ENTRY_HEIGHT)
        index = next((i for i, a in enumerate(entries) if a.id == current), None) if current is not None else None
        self.highlighted = min(index if index is not None else self.highlighted, max(len(entries) - 1, 0))
        self.refresh()

    def _entry_line(self, annotation: Annotation, line: int, width: int) -> list[Segment]:
        source = self.sources.get(annotation.uid, "")
        key = (annotation.id, annotation.modified, annotation.status, annotation.tags, annotation.annotator, source, line, width)
        cached = self._lines.get(key)
        if cached is not None:
            return cached
        if line == 0:
            segments = []
            for name in annotation.tags:
                shown, _rtl = line_text(name, CHIP_WIDTH, self.options)
                segments += [Segment(f" {shown} ", Style.parse(chip_style(self.tag_colors.get(name)))), Segment(" ")]
            if annotation.status == ORPHAN:
                segments.append(Segment("orphan", self.get_component_rich_style("annotation-list--orphan")))
            if not segments:
                segments.append(Segment("untagged", self.get_component_rich_style("annotation-list--note")))
            if self.mine is not None and annotation.annotator and annotation.annotator != self.mine:
                who, _rtl = line_text(annotation.annotator, ANNOTATOR_WIDTH, self.options)
                segments.append(Segment(f" {who}", self.get_component_rich_style("annotation-list--note")))
            if source:
                shown, _rtl = line_text(source, max(width - sum(s.cell_length for s in segments) - 1, 1), self.options)
                segments.append(Segment(f" {shown}", self.get_component_rich_style("annotation-list--note")))
        elif line == 1:
            segments = [Segment(line_text(" ".join(annotation.quote.split()), width, self.options)[0])]
        else:
            note = " ".join(annotation.note.split())
            segments = [
                Segment(line_text(note, width, self.options)[0], self.get_component_rich_style("annotation-list--note"))
            ]
        if len(self._lines) > 4096:
            self._lines.clear()
        self._lines[key] = segments
        return segments

    def render_line(self, y: int) -> Strip:
        _scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        index, line = divmod(row, ENTRY_HEIGHT)
        if index >= len(self.entries):
            return Strip.blank(width, base)
        strip = Strip(self._entry_line(self.entries[index], line, width)).adjust_cell_length(width, base)
        if index == self.highlighted:
            strip = strip.apply_style(self.get_component_rich_style("annotation-list--highlight"))
        return strip.apply_style(base)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.entries) * ENTRY_HEIGHT)
        self._lines.clear()

    def watch_highlighted(self, index: int) -> None:
        if self.entries:
            self.scroll_to_region(Region(0, index * ENTRY_HEIGHT, 1, ENTRY_HEIGHT), animate=False)

    def on_click(self, event: events.Click) -> None:
        index = (self.scroll_offset.y + event.y) // ENTRY_HEIGHT
        if 0 <= index < len(self.entries):
            if index == self.highlighted or event.chain > 1:
                self.post_message(self.Jump(self.entries[index]))
            self.highlighted = index

    def action_move(self, delta: int) -> None:
        if self.entries:
            self.highlighted = min(max(self.highlighted + delta, 0), len(self.entries) - 1)

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = max(len(self.entries) - 1, 0)

    def action_jump(self) -> None:
        if 0 <= self.highlighted < len(self.entries):
            self.post_message(self.Jump(self.entries[self.highlighted]))

    def action_delete(self) -> None:
        if 0 <= self.highlighted < len(self.entries):
            self.post_message(self.Delete(self.entries[self.highlighted]))


class AnnotationPanel(Vertical):
    """A tag filter and an annotator filter above the list of the document's annotations."""

    DEFAULT_CSS = """
    AnnotationPanel { width: 44; border-left: solid $primary; background: $surface; }
    AnnotationPanel #panel-title { height: 1; text-style: bold; padding: 0 1; }
    AnnotationPanel Select { margin: 0; }
    AnnotationPanel #relations-title { height: 2; text-style: bold; padding: 0 1; border-top: solid $primary; }
    """

    Jump = AnnotationList.Jump
    Delete = AnnotationList.Delete

    def __init__(self, options: LayoutOptions, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = options
        self.annotations: list[Annotation] = []
        self.tags: list[Tag] = []
        self._annotators: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("Annotations", id="panel-title", markup=False)
        yield Select([], prompt="All tags", allow_blank=True, id="tag-filter")
        who = Select([], prompt="All annotators", allow_blank=True, id="annotator-filter")
        who.display = False
        yield who
        yield AnnotationList(self.options, id="annotation-list")
        title = Static("Relations", id="relations-title", markup=False)
        relations = RelationList(self.options, id="relation-list")
        title.display = relations.display = False
        yield title
        yield relations

    def show_relations(self, rows: list[RelationRow]) -> None:
        """The document's relations (source → label → target), shown below the annotations."""
        relations = self.query_one(RelationList)
        relations.show(rows)
        title = self.query_one("#relations-title", Static)
        title.update(f"Relations ({len(rows)})")
        title.display = relations.display = bool(rows)

    @property
    def shown(self) -> list[Annotation]:
        return self.query_one(AnnotationList).entries

    def show(
        self, annotations: list[Annotation], tags: list[Tag], mine: str | None = None, sources: dict[str, str] | None = None
    ) -> None:
        """Replace the listed annotations (already in reading order); ``mine`` names me;
        ``sources`` says where curated annotations came from, by uid."""
        self.annotations = annotations
        self.query_one(AnnotationList).mine = mine
        self.query_one(AnnotationList).sources = sources or {}
        names = sorted({a.annotator for a in annotations if a.annotator})
        who = self.query_one("#annotator-filter", Select)
        if names != self._annotators:
            current = who.value
            who.set_options([(name, name) for name in names])
            if isinstance(current, str) and current in names:
                who.value = current
            self._annotators = names
        who.display = len(names) > 1  # one annotator alone has nothing to filter
        select = self.query_one("#tag-filter", Select)
        if [t.name for t in tags] != [t.name for t in self.tags]:
            current = select.value
            select.set_options([(line(t.name, FILTER_WIDTH, self.options), t.name) for t in tags])  # type: ignore[misc]
            if isinstance(current, str) and any(t.name == current for t in tags):
                select.value = current
        self.tags = tags
        self._fill()

    def _fill(self) -> None:
        select = self.query_one("#tag-filter", Select)
        wanted = select.value if isinstance(select.value, str) else None
        who = self.query_one("#annotator-filter", Select).value
        who = who if isinstance(who, str) else None
        chosen = [a for a in self.annotations if (wanted is None or wanted in a.tags) and (who is None or a.annotator == who)]
        anchored = [a for a in chosen if a.status != ORPHAN]
        orphans = [a for a in chosen if a.status == ORPHAN]
        self.query_one(AnnotationList).show(anchored + orphans, {t.name: t.color for t in self.tags})
        count = len(anchored) + len(orphans)
        self.query_one("#panel-title", Static).update(f"Annotations ({count} of {len(self.annotations)})")

    @on(Select.Changed, "#tag-filter")
    @on(Select.Changed, "#annotator-filter")
    def _filter_changed(self) -> None:
        self._fill()
