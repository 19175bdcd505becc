"""Live updates: a thread watches the store and tells every open screen what changed.

Another annotator's change (PostgreSQL ``LISTEN/NOTIFY``) or another Margin process's on
the same SQLite file (``PRAGMA data_version``) arrives as one :class:`StoreChanged` per
batch; each screen reloads only what it shows (the reader its document's annotations and
the tags, the library its counts), leaving the cursor, selection and scroll alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message

from tui.notes.store_api import NoteStore, StoreError
from tui.notes.team import Changes, TeamStore, watch


@dataclass
class StoreChanged(Message):
    """The store changed outside this screen: which documents, the tag set, done marks."""

    changes: Changes


class StoreWatch:
    """One watching thread per app; ``stop`` ends it within a watcher's timeout."""

    def __init__(self, store: NoteStore, deliver: Callable[[Changes], object]) -> None:
        self.store = store
        self._deliver = deliver
        self._stop = threading.Event()
        self.token: int | None = None
        if callable(getattr(store, "watcher", None)) and callable(getattr(store, "change_token", None)):
            try:
                self.token = store.change_token()
            except StoreError:
                self.token = None

    @property
    def possible(self) -> bool:
        return callable(getattr(self.store, "watcher", None))

    def run(self) -> None:
        """The thread's body: deliver each batch of changes until stopped."""
        store: TeamStore = self.store  # type: ignore[assignment]
        for changes in watch(store, self._stop, token=self.token):
            self._deliver(changes)

    def stop(self) -> None:
        self._stop.set()
