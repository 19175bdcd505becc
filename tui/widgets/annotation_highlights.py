"""Annotations as reader highlights in their first tag's colour.

One style pair (passage, gutter mark) per colour, and one highlight per annotation version,
both reused across redraws: after tagging one passage among thousands, every other highlight
is the same object as before and costs nothing to rebuild.
"""

from __future__ import annotations

from rich.style import Style

from tui.notes.model import ORPHAN, Annotation, Tag
from tui.widgets.plain import chip_style
from tui.widgets.reader_view import Highlight

UNTAGGED_MARK = "white"
"""Gutter colour of a passage with a note but no tag."""


class AnnotationHighlights:
    """Builds the reader's highlights from annotations, caching by annotation version and colour."""

    def __init__(self) -> None:
        self._highlights: dict[tuple[int, str, str | None], Highlight] = {}
        self._styles: dict[str | None, tuple[Style, Style]] = {}

    def build(self, annotations: list[Annotation], tags: list[Tag], *, reloaded: bool = False) -> list[Highlight]:
        """Highlights of the anchored annotations, in the order given (reading order).

        ``reloaded`` drops highlights kept for annotations that may no longer exist."""
        if reloaded:
            self._highlights.clear()
        colors = {t.name: t.color for t in tags}
        highlights = []
        for a in annotations:
            if a.status == ORPHAN:
                continue
            color = colors.get(a.tags[0]) if a.tags else None
            key = (a.id, a.modified, color)
            highlight = self._highlights.get(key)
            if highlight is None:
                style, mark = self.styles(color)
                highlight = self._highlights[key] = Highlight(a.start, a.end, style, mark)
            highlights.append(highlight)
        return highlights

    def styles(self, color: str | None) -> tuple[Style, Style]:
        """The passage style and the gutter mark style of a tag colour (None: untagged)."""
        styles = self._styles.get(color)
        if styles is None:
            if color:
                styles = (Style.parse(chip_style(color)), Style(color=color))
            else:
                styles = (Style(underline=True), Style(color=UNTAGGED_MARK))
            self._styles[color] = styles
        return styles
