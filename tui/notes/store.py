"""The annotation store as the rest of Margin sees it: the interface, its errors, one opener.

Callers type against ``NoteStore`` (``tui.notes.store_api``) and catch ``StoreError``.
``open_store`` picks the backend from the location: a ``postgresql://`` (or ``postgres://``)
URL opens a team's server (``tui.notes.postgres``, imported only then), anything else is an
SQLite file (``tui.notes.sqlite``); ``Store`` names the SQLite backend for code that opens a
file directly.
"""

from __future__ import annotations

from pathlib import Path

from tui.notes.location import StoreLocation, is_server_url
from tui.notes.sqlite.schema import SCHEMA_VERSION
from tui.notes.sqlite.store import SQLiteStore
from tui.notes.store_api import (
    DEFAULT_TAGS,
    PALETTE,
    Conflict,
    Gone,
    InvalidRequest,
    NoteStore,
    NotFound,
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreReadOnly,
    StoreStats,
    StoreUnavailable,
)

Store = SQLiteStore

__all__ = [
    "DEFAULT_TAGS",
    "PALETTE",
    "SCHEMA_VERSION",
    "Conflict",
    "Gone",
    "InvalidRequest",
    "NoteStore",
    "NotFound",
    "Store",
    "StoreBusy",
    "StoreDamaged",
    "StoreError",
    "StoreReadOnly",
    "StoreStats",
    "StoreUnavailable",
    "open_store",
]


def open_store(
    location: StoreLocation, *, create_folder: bool = True, read_only: bool = False, recover: bool = False
) -> tuple[NoteStore, str | None]:
    """Open the store at ``location`` with a notice for the user (recovery, read-only) or None.

    With ``recover`` a damaged file is moved aside and a new store started; without it
    ``StoreDamaged`` is raised. A server URL opens PostgreSQL behind a local journal: when
    the server cannot be reached the store works offline and the notice says so (never
    with the password); changes wait in the journal until it answers.
    """
    if is_server_url(location):
        from tui.locations import data_dir
        from tui.notes.journal import JournaledStore

        return JournaledStore.open(str(location), data_dir() / "journal.sqlite3")
    location = Path(location)
    if recover:
        return SQLiteStore.open_or_recover(location, create_folder=create_folder, read_only=read_only)
    store = SQLiteStore.open(location, create_folder=create_folder, read_only=read_only)
    notice = None
    if store.read_only:
        notice = f"the notes store {location} is read-only ({store.read_only_reason}): notes are shown, not changed"
    return store, notice
