"""The errors every annotation store raises, whatever keeps it.

They live apart from the store interface (:mod:`tui.notes.store_api`, which re-exports
them) so that a screen can catch them without building the interface: the reader's first
screen names them and opens no store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.notes.model import Annotation


class StoreError(Exception):
    """Anything that went wrong in the store, with a one-line message."""


class StoreDamaged(StoreError):
    """The file is not a readable Margin store; opening with recovery moves it aside."""


class StoreUnavailable(StoreError):
    """The store cannot be created or opened; the app carries on without notes."""


class StoreReadOnly(StoreUnavailable):
    """A write was asked of a store opened read-only; the message says why it is read-only."""


class StoreOffline(StoreUnavailable):
    """The notes server cannot be reached (at start or lost mid-session); the reason has no secrets."""


class NotAllowed(StoreError):
    """The change is not this annotator's to make (another's annotation; only curators may)."""


class StoreBusy(StoreError):
    """Another process held the write lock longer than the busy timeout."""


class NotFound(StoreError, LookupError):
    """No annotation or tag by that id or name."""


class Gone(NotFound):
    """The annotation a change was aimed at no longer exists: another process deleted it.

    The caller's view is stale; it should reload the document's annotations and say so.
    """

    def __init__(self, id: int) -> None:
        super().__init__(
            f"annotation {id} no longer exists (it was deleted elsewhere, perhaps in another "
            "Margin window); nothing was changed"
        )
        self.id = id


class Conflict(StoreError):
    """The annotation changed since the caller last read it (another process edited it).

    Raised only when the caller names the version it expects; nothing was changed.
    """

    def __init__(self, current: Annotation) -> None:
        super().__init__(
            f"annotation {current.id} was changed elsewhere (perhaps in another Margin window) "
            "since it was shown; nothing was changed"
        )
        self.current = current


class InvalidRequest(StoreError, ValueError):
    """A value the store refuses: a bad span, colour, key, a duplicate tag or uid."""
