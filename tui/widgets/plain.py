"""Text from a document, a file name, the store or the user, ready for any widget.

Such text is never markup: ``[/red]`` or ``[@click=app.quit]`` is shown as typed, never
parsed, so it can neither crash a widget nor trigger an action. And it is laid out by the
engine, like the reading view: Arabic shaped and reordered, controls shown as their
pictures (an ESC never reaches the terminal), a long text cut at a cluster boundary with an
ellipsis. Explicit bidi controls are shown but do not act here: a file name with an RLO
cannot turn round the message it is quoted in.

- :func:`line` — one row (titles, tag names, status lines, dialog fields);
- :func:`lines` — rows broken by the engine at a width (toasts, dialog questions);
- :func:`line_text` — the same row as a plain string, for a table cell or a strip;
- :class:`PlainText` — a widget showing such text, re-laid out whenever its width changes;
- :class:`PlainInput` — an ``Input`` that shows its value laid out when it is not being
  edited, and with control pictures while it is;
- :func:`chip_style` — the one style of a tag's colour chip.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from rich.segment import Segment
from rich.text import Text
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Static

from tui.text.controls import display_char, display_text
from tui.text.layout import LayoutOptions, inert_controls, layout_paragraph, single_row

_SEPARATORS = re.compile("[\r\x1c-\x1e\x85\u2029]")
"""Paragraph separators other than the newline, which :func:`lines` breaks at."""


@lru_cache(maxsize=8192)
def line_text(text: str, width: int, options: LayoutOptions) -> tuple[str, bool]:
    """The engine's :func:`~tui.text.layout.single_row`, remembered: ``text`` as one
    visual row at most ``width`` cells wide, and whether it reads right to left."""
    return single_row(text, width, options)


def line(
    text: str,
    width: int,
    options: LayoutOptions,
    *,
    style: str = "",
    align: bool = False,
) -> Content:
    """One row of plain ``text`` laid out by the engine (see :func:`line_text`).

    With ``align``, a right-to-left row is padded on the left to ``width`` so it ends at
    the right edge, where it begins to be read."""
    shown, rtl = line_text(text, width, options)
    content = Content.styled(shown, style) if style else Content(shown)
    if align and rtl:
        pad = width - Content(shown).cell_length
        if pad > 0:
            content = Content(" " * pad) + content
    return content


def lines(text: str, width: int, options: LayoutOptions, *, style: str = "") -> Content:
    """Plain ``text`` broken into rows of at most ``width`` cells by the engine.

    Each ``\\n`` starts a paragraph; a right-to-left paragraph's rows are right-aligned."""
    width = max(width, 1)
    rows: list[str] = []
    for paragraph in inert_controls(text).replace("\r\n", "\n").split("\n"):
        paragraph = _SEPARATORS.sub(lambda match: display_char(match.group()), paragraph)
        for row in layout_paragraph(paragraph, width, options):
            indent = row.xs[0] if row.rtl and row.xs else 0
            rows.append(" " * indent + row.text())
    shown = "\n".join(rows)
    return Content.styled(shown, style) if style else Content(shown)


def message_options(options: LayoutOptions) -> LayoutOptions:
    """Layout options for the app's own sentences, which read left to right whatever they quote."""
    return options if options.base_level == 0 else replace(options, base_level=0)


def chip_style(color: str | None) -> str:
    """A tag's chip: black on the tag's colour (``#rrggbb``, checked by the store), or
    reversed for a tag without one. A style string, read by Content and ``Style.parse`` alike."""
    return f"#000000 on {color}" if color else "reverse"


def _app_options(widget: Widget) -> LayoutOptions:
    options = getattr(widget.app, "layout_options", None)
    return options if isinstance(options, LayoutOptions) else LayoutOptions()


class PlainText(Static):
    """Plain text laid out by the engine at the widget's width: wrapped, or one cut row.

    ``message`` marks the app's own sentences (which may quote a name): they read left to
    right whatever they quote. Otherwise the text's direction comes from the text, and a
    right-to-left single row is right-aligned."""

    DEFAULT_CSS = """
    PlainText { height: auto; }
    """

    def __init__(
        self,
        text: str = "",
        *,
        wrap: bool = True,
        message: bool = True,
        style: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__("", markup=False, id=id, classes=classes)
        self.text = text
        self.options: LayoutOptions | None = None
        """Layout options of its own (a document's direction); None takes the app's."""
        self.wrap = wrap
        self.message = message
        self.row_style = style

    def update(self, text: str = "") -> None:  # type: ignore[override]
        """Show ``text`` instead (plain, whatever it contains)."""
        if text != self.text:
            self.text = text
            self.refresh(layout=True)

    def _options(self) -> LayoutOptions:
        options = self.options or _app_options(self)
        return message_options(options) if self.message else options

    def _content(self, width: int) -> Content:
        if self.wrap:
            return lines(self.text, width, self._options(), style=self.row_style)
        return line(self.text, width, self._options(), style=self.row_style, align=True)

    def render(self) -> Content:
        return self._content(self.content_region.width)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((Content(row).cell_length for row in self._content(container.width).plain.split("\n")), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._content(width).plain.split("\n")) if self.wrap else 1


class PlainInput(Input):
    """An ``Input`` that never lets its value reach the terminal raw.

    While it is being edited the value shows in logical order (what the keys act on) with
    control characters as their pictures; otherwise it shows as the engine lays it out,
    shaped and reordered like everything else the app draws."""

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        text = Text(display_text(self.value), no_wrap=True, overflow="ignore", end="")
        if self.highlighter is not None:
            text = self.highlighter(text)
        return text

    def render_line(self, y: int) -> Strip:
        if y != 0 or self.has_focus or not self.value or self.password:
            return super().render_line(y)
        width = self.scrollable_content_region.width
        shown, rtl = line_text(self.value, width, _app_options(self))
        strip = Strip([Segment(shown)])
        if rtl:
            strip = Strip([Segment(" " * max(width - strip.cell_length, 0)), *strip])
        return strip.extend_cell_length(width + 1).apply_style(self.rich_style)
