"""Command palette entries: the library's actions and opening any listed document.

The palette runs the same actions as the keys, so a command and its binding cannot drift.
Titles are matched in logical order (as typed) and shown in visual order (as read).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.text.layout import display_line

if TYPE_CHECKING:
    from tui.app import MarginApp

TITLE_WIDTH = 50


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    """One palette entry: what is matched, what is shown, and what runs."""

    text: str
    display: str
    run: Callable[[], object]
    help: str


class MarginCommands(Provider):
    """Library actions (when the library is showing) and one "Open" entry per document."""

    def commands(self) -> Iterator[PaletteCommand]:
        from tui.screens.library import LibraryScreen
        from tui.widgets.library_rows import COLUMNS

        app = cast("MarginApp", self.app)
        screen = self.screen
        yield PaletteCommand("Show keys", "Show keys", app.action_help, "Every key of this screen, as bound now")
        if isinstance(screen, LibraryScreen):
            for column in COLUMNS:
                text = f"Sort by {column.label.lower()}"
                yield PaletteCommand(
                    text, text, partial(screen.sort_by, column.key), "Order the documents by this column"
                )
            yield PaletteCommand(
                "Reverse sort order", "Reverse sort order", screen.reverse_sort, "Flip the current order"
            )
            yield PaletteCommand(
                "Filter documents", "Filter documents", screen.focus_filter, "Type to narrow the list"
            )
            yield PaletteCommand(
                "Reload folder", "Reload folder", screen.reload, "Look for new files and recount"
            )
        yield from self._screen_actions(screen)
        libraries = [s for s in app.screen_stack if isinstance(s, LibraryScreen)]
        if libraries:
            for row in libraries[-1].rows():
                shown = display_line(row.title, TITLE_WIDTH, app.layout_options)
                yield PaletteCommand(
                    f"Open {row.title}", f"Open {shown}", partial(app.open_document, row.path), str(row.path)
                )

    def _screen_actions(self, screen) -> Iterator[PaletteCommand]:
        """Every action the current screen binds to a key, by its description."""
        from tui.screens.library import LibraryScreen

        if isinstance(screen, LibraryScreen):
            return
        seen: set[str] = set()
        for binding in screen.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description or binding.action in seen:
                continue
            if binding.id and binding.id.startswith("reader.tag-"):
                continue
            seen.add(binding.action)
            keys = self.app.get_key_display(binding)
            yield PaletteCommand(
                binding.description,
                binding.description,
                partial(screen.run_action, binding.action),
                f"{keys} · {binding.id or binding.action}",
            )

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(command.display, command.run, text=command.text, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.text)
            if score <= 0:
                continue
            shown = matcher.highlight(command.text) if command.display == command.text else command.display
            yield Hit(score, shown, command.run, text=command.text, help=command.help)
