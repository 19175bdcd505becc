"""The library's table of documents: a thin view over rows the screen has sorted and filtered.

Cells arrive as finished strings from ``library_rows``; they are wrapped in ``Text`` so a
title containing ``[`` is never read as markup. Rows are keyed by path, which keeps the
cursor on the same document while rows are refilled, re-sorted or filtered.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, Literal

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from tui.text.layout import LayoutOptions
from tui.text.width import text_width
from tui.widgets.library_rows import COLUMNS, Column, ShownRow


class LibraryTable(DataTable):
    """One row per document; a click on the highlighted row opens it, like Enter."""

    BINDING_GROUP_TITLE = "Document list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="library.open"),
    ]
    """
    | Id | Key | Action |
    | :- | :- | :- |
    | `library.open` | enter | Open the highlighted document. |
    """

    DEFAULT_CSS = """
    LibraryTable {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def show(
        self,
        rows: Sequence[ShownRow],
        shown_keys: Sequence[str],
        sort_key: str,
        reverse: bool,
        options: LayoutOptions,
    ) -> None:
        """Replace every row, keeping the cursor on the same document if it is still listed
        (the top row stays the top row).

        ``rows`` hold a cell per column of ``COLUMNS``; only ``shown_keys`` are displayed.
        Column widths are measured here, with Margin's width model, rather than left to
        the table's deferred measuring, so a row is never drawn in a column sized for
        the rows it replaced.
        """
        # Follow the document under the cursor once the reader has moved it; until then the
        # cursor stays on the top row while documents arrive and sort themselves.
        current = self.highlighted_path if self.cursor_row > 0 else None
        self.clear(columns=True)
        shown = [(index, column) for index, column in enumerate(COLUMNS) if column.key in shown_keys]
        for index, column in shown:
            label = column.label + ((" ▼" if reverse else " ▲") if column.key == sort_key else "")
            width = max([text_width(label, options.width_model), *(text_width(row.cells[index], options.width_model) for row in rows)])
            self.add_column(Text(label), width=width, key=column.key)
        for row in rows:
            self.add_row(
                *(Text(row.cells[index], justify=_justify(column, row)) for index, column in shown),
                key=str(row.path),
            )
        self._measure_rows_now()
        if current is not None and str(current) in self.rows:
            self.move_cursor(row=self.get_row_index(str(current)), animate=False)

    def _measure_rows_now(self) -> None:
        """Size the table for its new rows at once. ``DataTable`` leaves this to its next
        Idle event, so rows added before a frame would show only in the frame after it:
        the library's first frame would be empty. (``test_first_frame`` fails if a
        Textual upgrade changes these names.)"""
        if self._require_update_dimensions:
            self._require_update_dimensions = False
            new_rows = self._new_rows.copy()
            self._new_rows.clear()
            self._update_dimensions(new_rows)

    @property
    def highlighted_path(self) -> Path | None:
        """The document under the cursor, if any."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0))
        return Path(row_key.value) if row_key.value is not None else None

    def on_click(self, event: events.Click) -> None:
        """Make a click anywhere on the highlighted row count as selecting it."""
        meta = event.style.meta
        row = meta.get("row")
        column = meta.get("column")
        if row is not None and column is not None and row >= 0 and row == self.cursor_row:
            self.cursor_coordinate = Coordinate(row, column)


def _justify(column: Column, row: ShownRow) -> Literal["left", "right"]:
    if column.numeric or (column.key == "title" and row.rtl):
        return "right"
    return "left"
