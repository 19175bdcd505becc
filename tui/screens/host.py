"""What a screen may ask of the application, typed without importing ``tui.app``.

Screens are built from a path alone and reach shared services through the app they are
mounted in. Typing that app as this protocol (instead of importing ``MarginApp``) keeps
screens below the app in the import graph, so the app can import them lazily.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from tui.config import Config
    from tui.notes.store import Store
    from tui.text.layout import LayoutOptions


class MarginHost(Protocol):
    """The application's side of a screen: shared services and one way to open a document."""

    config: Config
    store: Store | None
    """The annotation store, or None when it could not be opened (``store_notice`` says why)."""
    opened_store: Store | None
    """The store if it is open already, else None (asking does not open it)."""
    store_notice: str | None
    annotator: str
    """The name written on new annotations."""
    layout_options: LayoutOptions
    """How every text of the app is laid out (width model, whether Margin reorders)."""
    bidi_mode: str
    """``app`` when Margin reorders right-to-left text, ``terminal`` when the terminal does."""

    def open_document(self, path: Path) -> None:
        """Show ``path`` in the reader, above whatever screen is showing."""

    def action_help(self) -> None:
        """List the keys of the current screen."""


def host_of(node: DOMNode) -> MarginHost:
    """The application ``node`` is mounted in, as the services screens rely on."""
    return cast("MarginHost", node.app)
