"""The passage of one disagreement, with every annotator's spans stacked under its text.

The passage is laid out by the engine (shaped and reordered, right-to-left rows
right-aligned, wide characters two cells), in the document's paragraph direction. Under
each of its rows comes one row per annotator, labelled ``k name`` (``k`` the key that
accepts that version), with a bar in the tag's colour under exactly the cells that show
the annotator's span — found through the row's logical-to-visual map (``Row.spans``), so
a span in an Arabic row is marked under its letters wherever bidi put them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from tui.notes.curation import Disagreement
from tui.notes.model import Annotation, Tag
from tui.text.layout import LayoutOptions, Row, layout_paragraph
from tui.widgets.plain import line_text

CONTEXT = 24
"""Characters of context shown on each side of a disagreement, cut at a space or a line end."""
MAX_TEXT_ROWS = 4
"""Rows of passage shown at most; a longer disagreement is cut (its spans still show)."""
LABEL_WIDTH = 12
"""Cells for the ``k name`` label in front of each annotator's row."""
TAGS_WIDTH = 22
"""Cells after the passage for the tags of each annotator's version (colours alone are not enough)."""
BAR = "━"


@dataclass(frozen=True, slots=True)
class Mark:
    """Cells ``[x0, x1)`` of a passage row that show (part of) ``annotation``."""

    x0: int
    x1: int
    annotation: Annotation


@dataclass(frozen=True, slots=True)
class StackRow:
    """One passage row and, per annotator in the order shown, the marks under it."""

    row: Row
    marks: tuple[tuple[Mark, ...], ...]


def passage_bounds(text: str, offset: int, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened by some context within ``text`` (which begins at ``offset``),
    stopping at a line end and preferring a space."""
    local_start, local_end = start - offset, end - offset
    left = max(0, local_start - CONTEXT)
    newline = text.rfind("\n", left, local_start)
    if newline >= 0:
        left = newline + 1
    else:
        space = text.find(" ", left, local_start)
        if 0 <= space < local_start and left > 0:
            left = space + 1
    right = min(len(text), local_end + CONTEXT)
    newline = text.find("\n", local_end, right)
    if newline >= 0:
        right = newline
    else:
        space = text.rfind(" ", local_end, right)
        if space > local_end and right < len(text):
            right = space
    return left + offset, right + offset


def stack_layout(
    passage: str, passage_start: int, disagreement: Disagreement, width: int, options: LayoutOptions
) -> list[StackRow]:
    """The passage's rows at ``width`` and each annotator's marks under each of them."""
    rows: list[Row] = []
    offset = passage_start
    for piece in passage.split("\n"):
        if piece:
            rows.extend(layout_paragraph(piece, max(width, 1), options, start=offset))
        offset += len(piece) + 1
    stacked = []
    for row in rows[:MAX_TEXT_ROWS]:
        marks = []
        for _name, version in disagreement.versions:
            found = [
                Mark(x0, x1, a)
                for a in sorted(version, key=lambda a: a.start - a.end)
                for x0, x1 in row.spans(a.start, a.end)
            ]
            marks.append(tuple(found))
        stacked.append(StackRow(row, tuple(marks)))
    return stacked


class CurationStack(Widget):
    """Shows one disagreement (or a line saying where the curation stands)."""

    DEFAULT_CSS = """
    CurationStack { height: auto; max-height: 24; background: $boost; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.header = ""
        self.disagreement: Disagreement | None = None
        self.passage = ""
        self.passage_start = 0
        self.options = LayoutOptions()
        self.tags: dict[str, str] = {}
        self._lines: list[Strip] = []
        self._laid_width = -1

    def show(
        self,
        header: str,
        disagreement: Disagreement | None = None,
        passage: str = "",
        passage_start: int = 0,
        options: LayoutOptions | None = None,
        tags: list[Tag] | None = None,
    ) -> None:
        """Show ``header`` and, given one, the disagreement's passage and stacked versions."""
        self.header = header
        self.disagreement = disagreement
        self.passage = passage
        self.passage_start = passage_start
        if options is not None:
            self.options = options
        if tags is not None:
            self.tags = {t.name: t.color for t in tags}
        self._laid_width = -1
        self.refresh(layout=True)

    def rows(self, width: int | None = None) -> list[StackRow]:
        """The stacked rows at the text width now (or ``width``): what tests read back."""
        if self.disagreement is None:
            return []
        text_width = (width if width is not None else self.content_region.width) - LABEL_WIDTH - TAGS_WIDTH
        return stack_layout(self.passage, self.passage_start, self.disagreement, max(text_width, 8), self.options)

    def _build(self, width: int) -> list[Strip]:
        message = replace(self.options, base_level=0)
        lines = [Strip([Segment(line_text(self.header, width, message)[0], Style(bold=True))])]
        if self.disagreement is None:
            return lines
        versions = self.disagreement.versions
        label_style = Style(dim=True)
        text_width = max(width - LABEL_WIDTH - TAGS_WIDTH, 8)
        for number, stacked in enumerate(self.rows(width)):
            row = stacked.row
            indent = row.xs[0] if row.xs else 0
            lines.append(Strip([Segment(" " * (LABEL_WIDTH + indent)), Segment(row.text())]))
            for k, ((name, version), marks) in enumerate(zip(versions, stacked.marks, strict=True), start=1):
                label = line_text(f"{k} {name}", LABEL_WIDTH - 1, message)[0]
                segments = [Segment(label.ljust(LABEL_WIDTH), label_style)]
                segments.extend(self._bar(marks, text_width))
                if number == 0:
                    tags = ", ".join(dict.fromkeys(t for a in version for t in (a.tags or ("note",)))) or "(nothing)"
                    segments.append(Segment(" " + line_text(tags, TAGS_WIDTH - 1, message)[0], label_style))
                lines.append(Strip(segments))
        return lines

    def _bar(self, marks: tuple[Mark, ...], cells: int) -> list[Segment]:
        """A row of cells with a bar under each mark, the tag's name written into the bar
        where it fits (cut by the engine; never markup)."""
        filled: list[tuple[str, Style]] = [(" ", Style())] * cells
        for mark in marks:
            tag = mark.annotation.tags[0] if mark.annotation.tags else ""
            color = self.tags.get(tag)
            style = Style(color=color) if color else Style(dim=True)
            for x in range(mark.x0, min(mark.x1, cells)):
                filled[x] = (BAR, style)
        for mark in marks:
            tag = mark.annotation.tags[0] if mark.annotation.tags else "note"
            room = mark.x1 - mark.x0 - 1
            if room >= 3:
                name = line_text(tag, room, replace(self.options, base_level=0))[0]
                if cell_len(name) != len(name):
                    continue  # a wide or combining name would not fit cell by cell: the colour says it
                style = filled[mark.x0][1] + Style(reverse=True)
                x = mark.x0
                for ch in name:
                    if x >= min(mark.x1, cells):
                        break
                    filled[x] = (ch, style)
                    x += 1
        segments: list[Segment] = []
        for ch, style in filled:
            if segments and segments[-1].style == style:
                segments[-1] = Segment(segments[-1].text + ch, style)
            else:
                segments.append(Segment(ch, style))
        return segments

    def _ensure(self, width: int) -> list[Strip]:
        if width != self._laid_width:
            self._lines = self._build(width)
            self._laid_width = width
        return self._lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._ensure(width))

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        lines = self._ensure(width)
        if y >= len(lines):
            return Strip.blank(width, self.rich_style)
        return lines[y].adjust_cell_length(width).apply_style(self.rich_style)
