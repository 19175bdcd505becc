"""The Margin application: services every screen reads, start-up, and the terminal's state.

Screens reach shared things through the app (``self.app.store``, ``self.app.width_model``)
so each can be built from a path alone, and the command line only has to construct this.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tui.commands import AppCommands
from tui.config import Config
from tui.terminal import TerminalReport, bidi_sequences, layout_options, resolved
from tui.text.width import WidthModel, get_width_model
from tui.widgets.cells import use_width_model

if TYPE_CHECKING:
    from tui.notes.store import Store


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
        terminal: TerminalReport | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.target = target
        self.open_file = open_file
        self.terminal = terminal or resolved(config.bidi, config.width_model)
        """The bidi mode and width model in use, with the reasons (``auto`` resolved)."""
        self.width_model: WidthModel = get_width_model(self.terminal.width_model)
        self.layout_options = layout_options(self.terminal.bidi, self.width_model)
        """How every text of the app is laid out: the one width model, and how rows are written."""
        self.bidi_mode: str = self.terminal.bidi
        from tui.notes.model import login_name

        self.annotator: str = annotator or config.annotator or login_name()
        self._requested_annotator = annotator or config.annotator or None
        self.store: Store | None = None
        self.store_notice: str | None = None
        self._store_path = store_path or config.store
        self._terminal = bidi_sequences(self.bidi_mode)

    @property
    def terminal_report(self) -> str:
        """What Margin decided about the terminal and why, for the help screen."""
        return self.terminal.describe()

    def get_default_screen(self) -> Screen:
        from tui.locations import seeds_dir
        from tui.screens.library import LibraryScreen

        return LibraryScreen(self.target or seeds_dir())

    def on_load(self) -> None:
        use_width_model(self.width_model)
        self.theme = self.config.theme
        self.set_keymap(self.config.keymap)
        self._open_store()

    def on_mount(self) -> None:
        self._write_terminal(self._terminal.take)
        self.app_suspend_signal.subscribe(self, self._on_suspend, immediate=True)
        self.app_resume_signal.subscribe(self, self._on_resume, immediate=True)
        if self.store_notice:
            self.notify(self.store_notice, title="Annotations", severity="warning", markup=False)
        if self.open_file and self.target is not None:
            self.open_document(self.target)

    def on_unmount(self) -> None:
        self._write_terminal(self._terminal.give_back)
        if self.store is not None:
            self.store.close()

    def open_document(self, path: Path) -> None:
        """Show ``path`` in the reader, above whatever screen is showing."""
        from tui.screens.reader import ReaderScreen

        self.push_screen(ReaderScreen(path))

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def _open_store(self) -> None:
        """Open the annotation store; without one Margin still reads, and says so once."""
        from tui.locations import default_store
        from tui.notes.store import StoreError, StoreUnavailable, open_store
        from tui.notes.team import resolve_annotator

        location = self._store_path or default_store()
        try:
            self.store, self.store_notice = open_store(location, recover=True)
            self.annotator = resolve_annotator(self.store, self._requested_annotator, self.annotator)
        except StoreUnavailable as error:
            self.store = None
            self.store_notice = f"Annotations are off: {error}"
        except StoreError as error:
            if self.store is not None:
                self.store.close()
            self.store = None
            self.store_notice = f"Annotations are off: {error}"

    def _on_suspend(self, _app: App) -> None:
        self._write_terminal(self._terminal.give_back)

    def _on_resume(self, _app: App) -> None:
        self._write_terminal(self._terminal.take)

    def _write_terminal(self, sequence: str) -> None:
        if sequence and self._driver is not None:
            self._driver.write(sequence)
            self._driver.flush()
