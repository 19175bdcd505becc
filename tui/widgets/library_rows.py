"""What the library shows about each document, and how it sorts and filters, without Textual.

A row exists as soon as a file is discovered; its metadata and store figures arrive later
from a worker. Keeping the model pure lets the table stay a thin view and the ordering
rules be tested alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.corpus.names import display_name
from tui.text.layout import LayoutOptions, display_line
from tui.text.width import text_width
from tui.widgets.library_filter import fold, parse_filter

if TYPE_CHECKING:
    from tui.corpus.metadata import DocumentInfo

PENDING = "…"
"""Shown in a cell whose value is still being computed."""
UNREADABLE = "unreadable"
"""Shown in place of the script of a file that could not be described."""
NO_STORE = "—"
"""Shown where a figure needs the annotation store and there is none."""
NOTES_WIDTH = 24
"""Cells given to the annotations column (count and tag names)."""
LABELS_WIDTH = 24
"""Cells given to the document labels column."""
MIN_TITLE_WIDTH = 16
MAX_TITLE_WIDTH = 60
HIDING_ORDER = ("direction", "language", "words", "labels", "annotations", "size")
"""Columns given up first to last when the terminal is too narrow for every one."""


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One document as the library knows it at a given moment."""

    path: Path
    info: DocumentInfo | None = None
    """None until the worker has described the file."""
    read_fraction: float | None = None
    """How far the saved reading position is into the text; None without a store."""
    annotations: int | None = None
    """Number of annotations; None without a store."""
    tags: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    """My document labels (whole-document categories)."""
    done: str | None = None
    """How many of the team marked it done ("1/2 done"); None without a team store."""
    unreadable: bool = False
    """The file could not be described (it vanished or cannot be read)."""

    @property
    def title(self) -> str:
        return self.info.title if self.info is not None and self.info.title else display_name(self.path)


@dataclass(frozen=True, slots=True)
class ShownRow:
    """A row ready for the table: its cells in :data:`COLUMNS` order and its title's side."""

    path: Path
    cells: tuple[str, ...]
    rtl: bool
    """Right-to-left documents align their titles right, where their lines begin."""


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its id, header label and how its values compare."""

    key: str
    label: str
    sort_value: Callable[[DocumentRow], Any]
    """None sorts last whatever the direction: unknown values are not small values."""
    numeric: bool = False


def _info_value(name: str) -> Callable[[DocumentRow], Any]:
    def value(row: DocumentRow) -> Any:
        if row.info is None:
            return None
        found = getattr(row.info, name)
        return found.casefold() if isinstance(found, str) else found

    return value


COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", lambda row: row.title.casefold()),
    Column("script", "Script", _info_value("script")),
    Column("language", "Lang", _info_value("language")),
    Column("direction", "Dir", _info_value("direction")),
    Column("size", "Size", _info_value("size"), numeric=True),
    Column("words", "Words", _info_value("words"), numeric=True),
    Column("read", "Read", lambda row: row.read_fraction, numeric=True),
    Column("annotations", "Notes", lambda row: row.annotations, numeric=True),
    Column("labels", "Labels", lambda row: ", ".join(row.labels).casefold() if row.labels else None),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
_BY_KEY = {column.key: column for column in COLUMNS}


def column(key: str) -> Column:
    return _BY_KEY[key]


def next_column(key: str) -> str:
    """The column after ``key``, wrapping round: what the sort-cycling key moves to."""
    return COLUMN_KEYS[(COLUMN_KEYS.index(key) + 1) % len(COLUMN_KEYS)]


def sort_rows(rows: Iterable[DocumentRow], key: str, reverse: bool = False) -> list[DocumentRow]:
    """Rows ordered by column ``key``; ties and unknown values fall back to the path."""
    value_of = column(key).sort_value
    known: list[tuple[Any, DocumentRow]] = []
    unknown: list[DocumentRow] = []
    for row in rows:
        value = value_of(row)
        if value is None:
            unknown.append(row)
        else:
            known.append((value, row))
    by_path = sorted(known, key=lambda pair: str(pair[1].path))
    ordered = sorted(by_path, key=lambda pair: pair[0], reverse=reverse)
    return [row for _, row in ordered] + sorted(unknown, key=lambda row: str(row.path))


def matches(row: DocumentRow, query: str) -> bool:
    """Whether the row shows everything the filter ``query`` asks for (see
    :mod:`tui.widgets.library_filter`): each word somewhere in its searchable text, each
    ``label:NAME`` as one of its labels, ignoring case."""
    wanted = parse_filter(query)
    if not wanted:
        return True
    labels = {fold(label) for label in row.labels}
    if not all(name in labels if name else labels for name in wanted.labels):
        return False
    parts = [row.title, row.path.name, *row.tags, *row.labels]
    if row.info is not None:
        parts += [row.info.script, row.info.language, row.info.direction]
    haystack = "\n".join(parts).casefold()
    return all(word in haystack for word in wanted.words)


def human_size(size: int) -> str:
    """A byte count as people read it: ``512 B``, ``3.7 KB``, ``12 MB``."""
    if size < 1024:
        return f"{size} B"
    value, unit = size / 1024, "KB"
    for bigger in ("MB", "GB", "TB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"


def word_count(words: int, estimated: bool) -> str:
    """A word count with thousands separators, marked ``≈`` when sampled rather than counted."""
    return f"≈{words:,}" if estimated else f"{words:,}"


def read_percent(fraction: float | None) -> str:
    if fraction is None:
        return NO_STORE
    return f"{round(100 * min(max(fraction, 0.0), 1.0))}%"


@lru_cache(maxsize=16384)
def visual_line(text: str, width: int, options: LayoutOptions) -> str:
    """``display_line`` remembered: the table is redrawn on every keystroke of the filter.

    Bidi controls in a title or tag name show as symbols and do not act, as everywhere the
    app quotes a name."""
    return display_line(text, width, options)


def annotation_summary(row: DocumentRow, options: LayoutOptions) -> str:
    if row.annotations is None:
        return NO_STORE
    parts = [str(row.annotations)]
    if row.done:
        parts.append(row.done)
    if row.tags:
        parts.append(", ".join(row.tags))
    if len(parts) == 1:
        return parts[0]
    return visual_line(" · ".join(parts), NOTES_WIDTH, options)


def shown_row(row: DocumentRow, title_width: int, options: LayoutOptions) -> ShownRow:
    rtl = row.info is not None and row.info.direction == "rtl"
    return ShownRow(row.path, cells(row, title_width, options), rtl)


def cells(row: DocumentRow, title_width: int, options: LayoutOptions) -> tuple[str, ...]:
    """The row's cells in :data:`COLUMNS` order, as the terminal should show them.

    Titles go through the text engine so an Arabic title reads right to left, joined,
    and is cropped to ``title_width`` cells.
    """
    return (visual_line(row.title, title_width, options), *other_cells(row, options))


def other_cells(row: DocumentRow, options: LayoutOptions) -> tuple[str, ...]:
    """Every cell but the title's, which alone depends on the width available."""
    labels = visual_line(", ".join(row.labels), LABELS_WIDTH, options) if row.labels else ""
    store_cells = (read_percent(row.read_fraction), annotation_summary(row, options), labels)
    info = row.info
    if info is None:
        first = UNREADABLE if row.unreadable else PENDING
        rest = "" if row.unreadable else PENDING
        return (first, rest, rest, rest, rest, *store_cells)
    return (
        info.script,
        info.language,
        info.direction.upper(),
        human_size(info.size),
        word_count(info.words, info.words_estimated),
        *store_cells,
    )


@dataclass(frozen=True, slots=True)
class ColumnFit:
    """Which columns fit a width, and how many cells the titles get."""

    keys: tuple[str, ...]
    title_width: int


def fit_columns(
    total_width: int, other_cells: Sequence[Sequence[str]], options: LayoutOptions, *, labels: bool = False
) -> ColumnFit:
    """The columns to show in ``total_width`` cells and the cells left for titles.

    ``other_cells`` holds, per row, the cells after the title (headers included). When even
    the narrowest titles do not fit, columns are dropped in :data:`HIDING_ORDER`. The labels
    column is shown only with ``labels`` (when some document has one).
    """
    widest = dict.fromkeys(COLUMN_KEYS[1:], 0)
    for row_cells in other_cells:
        for key, text in zip(COLUMN_KEYS[1:], row_cells):
            widest[key] = max(widest[key], text_width(text, options.width_model))
    shown = [key for key in COLUMN_KEYS if labels or key != "labels"]
    hideable = [key for key in HIDING_ORDER if key in shown]

    def spare() -> int:
        return total_width - sum(widest[key] for key in shown[1:]) - 2 * len(shown)

    while spare() < MIN_TITLE_WIDTH and hideable:
        shown.remove(hideable.pop(0))
    return ColumnFit(tuple(shown), max(MIN_TITLE_WIDTH, min(MAX_TITLE_WIDTH, spare())))
