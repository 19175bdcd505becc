"""The library: every document of a folder, described, sortable, filterable, one key from reading.

Files are listed by name the moment they are found; once the first frame is drawn, a
thread worker describes each one (title, script, words…) and asks the store how far it was
read and how it was annotated, posting rows in batches (``library_scan`` does the reading,
imported by the worker). Descriptions are cached by file size and mtime, so coming back
from the reader only re-asks the store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input
from textual.worker import Worker, WorkerState, get_current_worker

from tui.commands import PaletteCommand, PaletteProvider
from tui.screens.host import MarginHost, host_of
from tui.widgets.library_rows import (
    COLUMN_KEYS,
    COLUMNS,
    DocumentRow,
    column,
    fit_columns,
    matches,
    next_column,
    other_cells,
    shown_row,
    sort_rows,
)
from tui.widgets.library_table import LibraryTable
from tui.widgets.plain import PlainInput, PlainText

BATCH_SECONDS = 0.1
"""How often the worker sends the rows it has described."""
REDRAW_SECONDS = 0.5
"""How often the table is rebuilt while rows arrive: a rebuild costs time in proportion to
the whole list, so a big folder must not be redrawn for every batch."""
PAINT_POLL_SECONDS = 0.05
"""How often a worker waiting for the first frame checks whether it was cancelled."""
SCROLLBAR_WIDTH = 2
"""Cells kept free for the table's vertical scrollbar when the list is long."""

if TYPE_CHECKING:
    from tui.corpus.discover import Discovery
    from tui.screens.library_scan import DocumentFacts
    from tui.screens.store_watch import StoreChanged


class LibraryCommands(PaletteProvider):
    """The library's actions in the palette: sort by any column, reverse, filter, reload."""

    def commands(self) -> Iterator[PaletteCommand]:
        screen = self.screen
        if not isinstance(screen, LibraryScreen):
            return
        for each in COLUMNS:
            text = f"Sort by {each.label.lower()}"
            yield PaletteCommand(text, text, partial(screen.sort_by, each.key), "Order the documents by this column")
        yield PaletteCommand("Reverse sort order", "Reverse sort order", screen.reverse_sort, "Flip the current order")
        yield PaletteCommand("Filter documents", "Filter documents", screen.focus_filter, "Type to narrow the list")
        yield PaletteCommand("Reload folder", "Reload folder", screen.reload, "Look for new files and recount")
        yield PaletteCommand(
            "Agreement and curation",
            "Agreement and curation",
            screen.action_agreement,
            "How far the annotators agree, per tag and pair; Enter curates a document",
        )


class LibraryScreen(Screen):
    """The documents under a folder (or a single file) as a table."""

    BINDING_GROUP_TITLE = "Library"
    COMMANDS = {LibraryCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.quit", "Quit", id="library.quit"),
        Binding("slash", "focus_filter", "Filter", id="library.filter"),
        Binding("escape", "clear_filter", "Clear, back to list", show=False, id="library.table"),
        Binding("s", "cycle_sort", "Sort", id="library.sort"),
        Binding("S", "reverse_sort", "Reverse", id="library.reverse"),
        Binding("r", "reload", "Reload", id="library.reload"),
        Binding("M", "toggle_done", "Mark done", show=False, id="library.done"),
        Binding("A", "agreement", "Agreement", show=False, id="library.agreement"),
    ]

    DEFAULT_CSS = """
    LibraryScreen #filter {
        margin: 0 1;
    }
    LibraryScreen #status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    @dataclass
    class Found(Message):
        """Discovery finished: these are the documents, still undescribed."""

        generation: int
        paths: list[Path]
        skipped: int = 0
        """Entries that could not be documents (FIFOs, devices, unreadable files)."""

    @dataclass
    class Described(Message):
        """A batch of rows is complete (``done`` on the last one)."""

        generation: int
        rows: list[DocumentRow]
        done: bool

    @dataclass
    class Failed(Message):
        """The folder could not be read at all."""

        generation: int
        reason: str

    def __init__(self, root: Path, found: Discovery | None = None) -> None:
        """``found``: what the command line already discovered under ``root``, listed in
        the first frame without looking again; otherwise a worker looks."""
        super().__init__()
        self.root = root
        self._found = found
        self.sort_key = "title"
        self.sort_reverse = False
        self._rows: dict[Path, DocumentRow] = {}
        self._files: DocumentFacts | None = None
        """Created by the first scan's worker, with the modules that describe files."""
        self._generation = 0
        self._skipped = 0
        """Entries discovery could not take as documents (FIFOs, devices, unreadable files)."""
        self._loading = False
        self._filter = ""
        self._redraw: Timer | None = None
        self._painted = threading.Event()
        """Set once the first frame is on the screen: the worker describes nothing before."""

    @property
    def host(self) -> MarginHost:
        return host_of(self)

    def compose(self) -> ComposeResult:
        yield PlainInput(placeholder="Filter by title, script, language or tag  ( / )", id="filter")
        yield LibraryTable(id="documents")
        yield PlainText(wrap=False, id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(LibraryTable).focus()
        found, self._found = self._found, None
        if found is not None:
            self._rows = {path: DocumentRow(path) for path in found.documents}
            self._skipped = found.skipped
        self._start(rediscover=found is None)
        self.call_after_refresh(self._painted.set)

    def on_screen_resume(self) -> None:
        if self._rows and not self._loading:
            self._start(rediscover=False)

    def on_resize(self) -> None:
        self._show()

    def rows(self) -> list[DocumentRow]:
        """The documents as currently known, in the order shown, filter ignored."""
        return sort_rows(self._rows.values(), self.sort_key, self.sort_reverse)

    def sort_by(self, key: str) -> None:
        self.sort_key = column(key).key
        self._show()

    def reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._show()

    def focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def reload(self) -> None:
        self._start(rediscover=True)

    def action_cycle_sort(self) -> None:
        key = next_column(self.sort_key)
        if key == "labels" and not any(row.labels for row in self._rows.values()):
            key = next_column(key)  # not shown until a document has a label
        self.sort_by(key)

    def action_reverse_sort(self) -> None:
        self.reverse_sort()

    def action_focus_filter(self) -> None:
        self.focus_filter()

    def action_focus_table(self) -> None:
        self.query_one(LibraryTable).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.action_focus_table()

    def action_reload(self) -> None:
        self.reload()

    def action_agreement(self) -> None:
        """The agreement screen: tags × annotator pairs, documents lowest agreement first."""
        from tui.screens.agreement import AgreementScreen

        self.app.push_screen(AgreementScreen())

    def action_toggle_done(self) -> None:
        """Mark the highlighted document done for me, or not done again."""
        table = self.query_one(LibraryTable)
        if table.row_count == 0:
            return
        path = Path(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        digest = self._files.content_hash(path) if self._files is not None else None
        store = self.host.store
        if store is None or not callable(getattr(store, "set_done", None)):
            self.notify(self.host.store_notice or "No note store: progress cannot be saved.", severity="error", markup=False)
            return
        if digest is None:
            self.notify("Still reading this document; try again in a moment.", severity="warning")
            return
        from tui.notes.store_errors import StoreError
        from tui.notes.team import toggle_done

        try:
            message = toggle_done(store, digest, self.host.annotator)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.notify(message, markup=False)
        self._start(rediscover=False)

    def on_store_changed(self, message: StoreChanged) -> None:
        """Others' annotations or done marks changed: the counts are read again."""
        changes = message.changes
        # A scan under way may have read the store before this change: start it again.
        if (changes.progress or changes.documents) and self._rows:
            self._start(rediscover=False)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._filter = event.value
        self._show()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.action_focus_table()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.host.open_document(Path(event.row_key.value))

    @on(DataTable.HeaderSelected)
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.sort_key:
            self.reverse_sort()
        else:
            self.sort_reverse = False
            self.sort_by(key)

    def _start(self, rediscover: bool) -> None:
        self._generation += 1
        self._loading = True
        self._scan(self._generation, rediscover, list(self._rows))
        self._show()

    @on(Found)
    def _found(self, message: Found) -> None:
        if message.generation != self._generation:
            return
        self._rows = {path: self._rows.get(path, DocumentRow(path)) for path in message.paths}
        self._skipped = message.skipped
        self._show()

    @on(Described)
    def _described(self, message: Described) -> None:
        if message.generation != self._generation:
            return
        first = not any(row.info is not None for row in self._rows.values())
        for row in message.rows:
            self._rows[row.path] = row
        self._loading = not message.done
        if message.done or (first and message.rows):
            self._show()
        elif self._redraw is None:
            self._redraw = self.set_timer(REDRAW_SECONDS, self._show)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        if message.generation != self._generation:
            return
        self._loading = False
        self._rows = {}
        self.notify(message.reason, title="Library", severity="error", markup=False)
        self._show()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A bug in describing one file must not leave the list "reading" for ever."""
        if event.worker.group == "library" and event.state == WorkerState.ERROR:
            self._loading = False
            self.notify(f"Stopped reading the folder: {event.worker.error}", severity="error", markup=False)
            self._show()

    def _show(self) -> None:
        """Redraw the table from the rows: filter, sort, format."""
        if self._redraw is not None:
            self._redraw.stop()
            self._redraw = None
        try:
            table = self.query_one(LibraryTable)
        except NoMatches:  # not composed yet
            return
        model = self.host.layout_options
        shown = [row for row in self.rows() if matches(row, self._filter)]
        others = [tuple(column(key).label + (" ▲" if key == self.sort_key else "") for key in COLUMN_KEYS[1:])]
        others += [other_cells(row, model) for row in shown]
        labelled = any(row.labels for row in self._rows.values())
        fit = fit_columns(self.size.width - SCROLLBAR_WIDTH, others, model, labels=labelled)
        table.show(
            [shown_row(row, fit.title_width, model) for row in shown],
            fit.keys,
            self.sort_key,
            self.sort_reverse,
            model,
        )
        self.query_one("#status", PlainText).update(self._status(len(shown)))

    def _status(self, shown: int) -> str:
        total = len(self._rows)
        parts = [f"{total} document{'s' if total != 1 else ''}"]
        if self._skipped:
            parts.append(f"{self._skipped} skipped")
        if self._filter.strip():
            parts.append(f"{shown} shown")
        order = "descending" if self.sort_reverse else "ascending"
        parts.append(f"sorted by {column(self.sort_key).label.lower()} ({order})")
        if self._loading:
            described = sum(1 for row in self._rows.values() if row.info is not None)
            parts.append(f"reading {described}/{total}…")
        return " · ".join(parts)

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def _scan(self, generation: int, rediscover: bool, known: list[Path]) -> None:
        """Discover (when asked), then describe every document and fetch its store figures.

        Names are all the first frame shows: describing files and opening the store wait
        until it is drawn, so that they do not compete with it for the processor."""
        from tui.corpus.discover import CorpusError, discover

        worker = get_current_worker()
        paths = known
        if rediscover:
            try:
                discovery = discover(self.root)
            except CorpusError as error:
                self.post_message(self.Failed(generation, str(error)))
                return
            paths = discovery.documents
            self.post_message(self.Found(generation, paths, discovery.skipped))
        while not self._painted.wait(PAINT_POLL_SECONDS):
            if worker.is_cancelled:
                return
        from tui.screens.library_scan import DocumentFacts, store_figures

        if self._files is None:
            self._files = DocumentFacts()
        files = self._files
        # Titles first; then the store (opened here on first use) for progress and counts.
        batch: list[DocumentRow] = []
        sent = time.monotonic()
        for path in paths:
            if worker.is_cancelled:
                return
            batch.append(files.described(path))
            if time.monotonic() - sent >= BATCH_SECONDS:
                self.post_message(self.Described(generation, batch, done=False))
                batch, sent = [], time.monotonic()
        self.post_message(self.Described(generation, batch, done=False))
        store = self.host.store
        figures = store_figures(store, self.host.annotator) if store is not None else None
        rows = []
        for path in paths:
            if worker.is_cancelled:
                return
            rows.append(files.row(path, store, figures))
        self.post_message(self.Described(generation, rows, done=True))
