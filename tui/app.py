"""The Margin application: services every screen reads, start-up, and the terminal's state.

Screens reach shared things through the app (``self.app.store``, ``self.app.width_model``)
so each can be built from a path alone, and the command line only has to construct this.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tui.commands import AppCommands
from tui.config import Config
from tui.terminal import TerminalReport, bidi_sequences, layout_options, resolved
from tui.text.width import WidthModel, get_width_model
from tui.widgets.cells import use_width_model

if TYPE_CHECKING:
    from tui.corpus.discover import Discovery
    from tui.notes.store import Store

STORE_OPEN_DELAY = 0.25
"""Seconds after start before a worker opens the store, unless a screen needs it sooner.

Importing the backend holds the interpreter lock, so a worker started at once would
delay the first paint it is meant to stay out of the way of."""


TOAST_WIDTH = 60
"""Textual's toast: 60 cells wide, at most half the screen..."""
TOAST_CHROME = 3
"""...of which its border and padding take three."""
EXIT_GRACE_SECONDS = 3.0
"""How long Margin may take to give the terminal back after SIGTERM or SIGHUP."""


class MarginApp(App[None]):
    """A library of documents and a reader for each, with annotations in one store."""

    TITLE = "Margin"
    BINDING_GROUP_TITLE = "Everywhere"
    COMMANDS = App.COMMANDS | {AppCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False, priority=True),
        Binding("question_mark", "help", "Keys", id="app.help"),
    ]

    def __init__(
        self,
        target: Path | None,
        config: Config,
        *,
        store_path: Path | None = None,
        annotator: str | None = None,
        open_file: bool = False,
        found: Discovery | None = None,
        terminal: TerminalReport | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.target = target
        self.open_file = open_file
        self._found = found
        """The documents the command line found under ``target``, for the library's first frame."""
        self.terminal = terminal or resolved(config.bidi, config.width_model)
        """The bidi mode and width model in use, with the reasons (``auto`` resolved)."""
        self.width_model: WidthModel = get_width_model(self.terminal.width_model)
        self.layout_options = layout_options(self.terminal.bidi, self.width_model)
        """How every text of the app is laid out: the one width model, and how rows are written."""
        self.bidi_mode: str = self.terminal.bidi
        from tui.notes.model import login_name

        self.annotator: str = annotator or config.annotator or login_name()
        self._requested_annotator = annotator or config.annotator or None
        self._store: Store | None = None
        self._store_notice: str | None = None
        self._store_opened = False
        self._store_lock = threading.Lock()
        self._store_path = store_path or config.store
        self._terminal = bidi_sequences(self.bidi_mode)
        self._store_watch = None

    @property
    def store(self) -> Store | None:
        """The annotation store, or None when it could not be opened (``store_notice`` says why).

        Opened on first use, normally by a worker once the first screen is on the terminal:
        importing the backend and opening (or creating) the file is not start-up's job."""
        self._ensure_store()
        return self._store

    @property
    def opened_store(self) -> Store | None:
        """The store if it is open already, else None; never opens it. For what can wait for
        it (a status line), so that drawing the first screen does not open the store."""
        return self._store if self._store_opened else None

    @property
    def store_notice(self) -> str | None:
        """Why annotations are off, or how the store was recovered; None when all is well."""
        self._ensure_store()
        return self._store_notice

    @property
    def terminal_report(self) -> str:
        """What Margin decided about the terminal and why, for the help screen."""
        return self.terminal.describe()

    def get_default_screen(self) -> Screen:
        """The reader when a file was named (no library is built beneath it), else the library."""
        if self.open_file and self.target is not None:
            from tui.screens.reader import ReaderScreen

            return ReaderScreen(self.target)
        from tui.locations import seeds_dir
        from tui.screens.library import LibraryScreen

        found, self._found = self._found, None
        return LibraryScreen(self.target or seeds_dir(), found)

    def on_load(self) -> None:
        use_width_model(self.width_model)
        self.theme = self.config.theme
        self.keymap_warnings = self._check_keymap()
        self.set_keymap(self.config.keymap)

    def on_mount(self) -> None:
        self._write_terminal(self._terminal.take)
        self._catch_signals()
        self.app_suspend_signal.subscribe(self, self._on_suspend, immediate=True)
        self.app_resume_signal.subscribe(self, self._on_resume, immediate=True)
        self.set_timer(STORE_OPEN_DELAY, self._open_store_soon)
        if not gc.isenabled():
            self.call_after_refresh(_collect_again)
        for warning in self.keymap_warnings:
            self.notify(warning, title="Configuration", severity="warning", timeout=10, markup=False)

    def on_unmount(self) -> None:
        self._write_terminal(self._terminal.give_back)
        if self._store_watch is not None:
            self._store_watch.stop()
        with self._store_lock:
            self._store_opened = True  # a worker that has not opened it yet no longer will
            if self._store is not None:
                self._store.close()

    def _check_keymap(self) -> list[str]:
        """Problems in the ``[keymap]`` (unknown ids, bad key names, stolen keys), one line each."""
        if not self.config.keymap:
            return []
        from tui.keymap_check import keymap_problems
        from tui.screens.dialogs import Ask, Confirm
        from tui.screens.export import ExportScreen
        from tui.screens.help import HelpScreen
        from tui.screens.library import LibraryScreen
        from tui.screens.note_editor import NoteEditor
        from tui.screens.reader import ReaderScreen
        from tui.screens.tag_manager import TagManager
        from tui.screens.tag_picker import TagPicker
        from tui.widgets.annotation_panel import AnnotationList
        from tui.widgets.library_table import LibraryTable

        scopes = [
            [*self.BINDINGS, *ReaderScreen.BINDINGS],
            [*self.BINDINGS, *LibraryScreen.BINDINGS],
            AnnotationList.BINDINGS,
            LibraryTable.BINDINGS,
            *[
                [*self.BINDINGS, *screen.BINDINGS]
                for screen in (Ask, Confirm, ExportScreen, HelpScreen, NoteEditor, TagManager, TagPicker)
            ],
        ]
        return keymap_problems(self.config.keymap, scopes)

    def open_document(self, path: Path) -> None:
        """Show ``path`` in the reader, above whatever screen is showing."""
        from tui.screens.reader import ReaderScreen

        self.push_screen(ReaderScreen(path))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast of the app: never markup (messages quote file names, tags and typed
        text), laid out by the engine at the toast's width so Arabic reads right.

        ``markup`` is accepted for Textual's signature and ignored."""
        from tui.widgets.plain import lines, message_options

        options = message_options(self.layout_options)
        width = max(min(TOAST_WIDTH, self.size.width // 2) - TOAST_CHROME, 8)
        shown = lines(str(message), width, options).plain
        heading = lines(str(title), width, options).plain if title else ""
        super().notify(shown, title=heading, severity=severity, timeout=timeout, markup=False)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def _open_store_soon(self) -> None:
        self.run_worker(self._open_store_in_background, thread=True, group="store")

    def _open_store_in_background(self) -> None:
        self._ensure_store()
        if self._store_notice:
            self.call_from_thread(self.notify, self._store_notice, title="Annotations", severity="warning", markup=False)

    def _watch_store(self) -> None:
        """Live updates: changes made elsewhere reach every open screen as ``StoreChanged``.

        Started as the store opens (the caller holds the store lock), so that nothing
        committed after the screens first read the store is missed."""
        from tui.screens.store_watch import StoreWatch

        if self._store is None or self._store_watch is not None:
            return
        self._store_watch = watch = StoreWatch(self._store, self._deliver_changes)
        if watch.possible:
            # A plain daemon thread, not a worker: it runs for the app's whole life, and
            # waiting for the workers to finish (as tests and shutdown do) must not wait on it.
            threading.Thread(target=watch.run, name="margin-store-watch", daemon=True).start()

    def _deliver_changes(self, changes) -> None:
        """From the watching thread: hand each batch to the app's own loop (if still running)."""
        with contextlib.suppress(RuntimeError):
            self.call_from_thread(self._store_changed, changes)

    def _store_changed(self, changes) -> None:
        from tui.screens.store_watch import StoreChanged

        for screen in self.screen_stack:
            screen.post_message(StoreChanged(changes))

    def _ensure_store(self) -> None:
        if self._store_opened:
            return
        with self._store_lock:
            if not self._store_opened:
                self._open_store()
                self._store_opened = True
                self._watch_store()

    def _open_store(self) -> None:
        """Open the annotation store; without one Margin still reads, and says so once."""
        from tui.locations import default_store
        from tui.notes.store import StoreError, StoreUnavailable, open_store
        from tui.notes.team import resolve_annotator

        location = self._store_path or default_store()
        try:
            self._store, self._store_notice = open_store(location, recover=True)
            self.annotator = resolve_annotator(self._store, self._requested_annotator, self.annotator)
        except StoreUnavailable as error:
            self._store = None
            self._store_notice = f"Annotations are off: {error}"
        except StoreError as error:
            if self._store is not None:
                self._store.close()
            self._store = None
            self._store_notice = f"Annotations are off: {error}"

    def _catch_signals(self) -> None:
        """SIGTERM and SIGHUP (the terminal window closed) end Margin as ``q`` would: the
        reading position saved first, then the terminal given back as it was found."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(number, self._on_end_signal)
            except (NotImplementedError, RuntimeError, ValueError):
                return  # not the main thread (a test), or no signals here

    def _on_end_signal(self) -> None:
        import os
        import threading

        for screen in self.screen_stack:
            save = getattr(screen, "save_position", None)
            if save is not None:
                save()
        # Everything is committed by now. When the terminal is gone (the window closed),
        # giving it back can block for ever on a dead tty, so the exit has a deadline.
        watchdog = threading.Timer(EXIT_GRACE_SECONDS, os._exit, args=(0,))
        watchdog.daemon = True
        watchdog.start()
        self.exit()

    def _on_suspend(self, _app: App) -> None:
        self._write_terminal(self._terminal.give_back)

    def _on_resume(self, _app: App) -> None:
        self._write_terminal(self._terminal.take)

    def _write_terminal(self, sequence: str) -> None:
        if sequence and self._driver is not None:
            self._driver.write(sequence)
            self._driver.flush()


def _collect_again() -> None:
    """Turn the cycle collector back on once the first frame is drawn (the command line
    turns it off for start-up); what start-up made is frozen, never to be walked again."""
    gc.freeze()
    gc.enable()
