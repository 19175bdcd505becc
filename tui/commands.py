"""Command palette pieces shared by every screen, and the entries offered everywhere.

Each screen declares its own provider in ``Screen.COMMANDS``; this module knows no screen.
The palette runs the same actions as the keys, so a command and its binding cannot drift.
Titles are matched in logical order (as typed) and shown in visual order (as read).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.screens.host import host_of
from tui.text.layout import display_line

if TYPE_CHECKING:
    from tui.widgets.library_rows import DocumentRow

TITLE_WIDTH = 50
"""Cells given to a document's title in an "Open" entry."""


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    """One palette entry: what is matched, what is shown, and what runs."""

    text: str
    display: str
    run: Callable[[], object]
    help: str


@runtime_checkable
class DocumentCatalogue(Protocol):
    """A screen that lists documents (the library): the palette offers to open each."""

    def rows(self) -> list[DocumentRow]: ...


class PaletteProvider(Provider):
    """A provider whose entries come from :meth:`commands`, matched on their logical text."""

    def commands(self) -> Iterator[PaletteCommand]:
        return iter(())

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


class AppCommands(PaletteProvider):
    """On every screen: the key list, and "Open" for each document of the nearest library."""

    def commands(self) -> Iterator[PaletteCommand]:
        host = host_of(self.screen)
        yield PaletteCommand("Show keys", "Show keys", host.action_help, "Every key of this screen, as bound now")
        catalogue = next((s for s in reversed(self.app.screen_stack) if isinstance(s, DocumentCatalogue)), None)
        if catalogue is None:
            return
        for row in catalogue.rows():
            shown = display_line(row.title, TITLE_WIDTH, host.layout_options)
            yield PaletteCommand(
                f"Open {row.title}", f"Open {shown}", partial(host.open_document, Path(row.path)), str(row.path)
            )


class BoundActions(PaletteProvider):
    """Every action the screen binds to a key, by its description (for the reader)."""

    HIDDEN_PREFIXES: ClassVar[tuple[str, ...]] = ()
    """Binding ids left out of the palette (a family of keys with one meaning each)."""

    def commands(self) -> Iterator[PaletteCommand]:
        screen = self.screen
        seen: set[str] = set()
        for binding in screen.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description or binding.action in seen:
                continue
            if binding.id and binding.id.startswith(self.HIDDEN_PREFIXES):
                continue
            seen.add(binding.action)
            keys = self.app.get_key_display(binding)
            yield PaletteCommand(
                binding.description,
                binding.description,
                partial(screen.run_action, binding.action),
                f"{keys} · {binding.id or binding.action}",
            )
