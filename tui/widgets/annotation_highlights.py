"""Annotations as reader highlights in their first tag's colour.

One style pair (passage, gutter mark) per colour, and one highlight per annotation version,
both reused across redraws: after tagging one passage among thousands, every other highlight
is the same object as before and costs nothing to rebuild.
"""

from __future__ import annotations

import unicodedata

from rich.style import Style

from tui.notes.model import ORPHAN, Annotation, Tag
from tui.widgets.plain import chip_style
from tui.widgets.reader_marks import Highlight

UNTAGGED_MARK = "white"
"""Gutter colour of a passage with a note but no tag."""


class AnnotationHighlights:
    """Builds the reader's highlights from annotations, caching by annotation version and colour."""

    def __init__(self) -> None:
        self._highlights: dict[tuple[int, str, str | None, bool], Highlight] = {}
        self._styles: dict[str | None, tuple[Style, Style]] = {}

    def build(
        self, annotations: list[Annotation], tags: list[Tag], *, reloaded: bool = False, mine: str | None = None
    ) -> list[Highlight]:
        """Highlights of the anchored annotations, in the order given (reading order).

        Given ``mine`` (my annotator name), others' annotations are drawn distinctly:
        underlined in the tag colour, with the annotator's initial in the gutter.
        ``reloaded`` drops highlights kept for annotations that may no longer exist."""
        if reloaded:
            self._highlights.clear()
        colors = {t.name: t.color for t in tags}
        highlights = []
        for a in annotations:
            if a.status == ORPHAN:
                continue
            color = colors.get(a.tags[0]) if a.tags else None
            other = mine is not None and bool(a.annotator) and a.annotator != mine
            key = (a.id, a.modified, color, other)
            highlight = self._highlights.get(key)
            if highlight is None:
                if other:
                    style = Style(underline=True, color=color) if color else Style(underline=True)
                    mark = Style(color=color or UNTAGGED_MARK, bold=True)
                    highlight = Highlight(a.start, a.end, style, mark, initial(a.annotator))
                else:
                    style, mark = self.styles(color)
                    highlight = Highlight(a.start, a.end, style, mark)
                self._highlights[key] = highlight
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


def initial(name: str) -> str:
    """The first letter of an annotator's name as one terminal cell, or "•" when it has none
    (a wide, combining or control character would break the gutter)."""
    for char in name:
        if not char.isprintable() or unicodedata.combining(char) or unicodedata.east_asian_width(char) in "WF":
            break
        if char.isalnum():
            upper = char.upper()
            return upper if len(upper) == 1 else char
    return "•"
