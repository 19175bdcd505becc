"""The SQLite annotation store: one file per corpus, safe against crashes and a second instance.

Durability: the store runs in WAL mode with ``synchronous=FULL``. With WAL, ``NORMAL``
already survives the process being killed (a committed transaction is in the WAL,
which the OS keeps), but a power cut can lose the last commits, because the WAL is
only synced at checkpoints. ``FULL`` syncs the WAL on every commit, so a tag is on
disk the moment the call returns. The cost is one fsync per human action, which
nobody notices; bulk work (imports, re-anchoring) runs in one transaction and pays
it once.

Every mutating method is its own ``BEGIN IMMEDIATE`` … ``COMMIT`` transaction, taking
the write lock up front so two app instances queue (``busy_timeout``) instead of
failing half-way. ``transaction()`` groups several calls into one commit, for undo
steps and imports that must be all or nothing.

Errors reach callers as ``StoreError`` subclasses with one-line messages, never as
raw ``sqlite3`` exceptions. The queries both backends share are in ``tui.notes.queries``;
this module holds what is the file's own: opening and recovering it, its documents (one
reader, one path per document), remembering listings until ``PRAGMA data_version`` moves,
and SQLite's integrity check. The schema, the opening of the file and the translation of
errors are its neighbours in ``tui.notes.sqlite``.
"""

from __future__ import annotations

import os
from pathlib import Path

from tui.notes.model import Annotation, Document, login_name, utc_now
from tui.notes.queries.columns import document, stored_path
from tui.notes.queries.store import StoreQueries
from tui.notes.sqlite.database import Database
from tui.notes.sqlite.opening import move_aside, open_connection
from tui.notes.sqlite.team import SQLiteTeamMixin
from tui.notes.store_api import StoreDamaged


class SQLiteStore(SQLiteTeamMixin, StoreQueries):
    """Annotations, tags, documents and reading positions of one corpus, in one SQLite file.

    Implements ``tui.notes.store_api.NoteStore`` and ``tui.notes.team.TeamStore``.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self.path = db.path
        self.location = str(db.path)
        self.read_only_reason = db.read_only_reason
        self.read_only = db.read_only_reason is not None

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, create_folder: bool = True, read_only: bool = False) -> SQLiteStore:
        """Open or create the store; ``StoreDamaged`` or ``StoreUnavailable`` if that is impossible.

        Without ``create_folder`` the folder must already exist (a store the user named
        in a missing folder is a typo, not a request for a new tree). A file that cannot
        be written opens read-only; ``read_only`` forces that.
        """
        path = Path(path)
        opened = open_connection(path, create_folder=create_folder, read_only=read_only)
        return cls(Database(path, opened.connection, opened.read_only_reason))

    @classmethod
    def open_or_recover(
        cls, path: Path, *, create_folder: bool = True, read_only: bool = False
    ) -> tuple[SQLiteStore, str | None]:
        """Open the store; a damaged file is moved aside untouched and a fresh store opened.

        The second value is a notice for the user: the recovery, or that the store is
        read-only and why; None when all is well.
        """
        path = Path(path)
        try:
            store = cls.open(path, create_folder=create_folder, read_only=read_only)
        except StoreDamaged as damage:
            if read_only:
                raise
            aside = move_aside(path)
            store = cls.open(path, create_folder=create_folder)
            return store, f"{damage}; it was moved to {aside} and a new store was started"
        notice = None
        if store.read_only:
            notice = f"the notes store {path} is read-only ({store.read_only_reason}): notes are shown, not changed"
        return store, notice

    # -- the file's rules --------------------------------------------------------

    def _annotator_for(self, annotator: str | None) -> str:
        """On a file any name may be recorded; by default the login name."""
        return annotator or login_name()

    def _fresh_listings(self) -> dict[str, list[Annotation]]:
        """Remembered listings, forgotten when ``PRAGMA data_version`` shows another
        connection committed (this one's own writes clear them in ``transaction``)."""
        version = self._db.connection.execute("PRAGMA data_version").fetchone()[0]
        if version != self._db.listings_version:
            self._db.listings.clear()
            self._db.listings_version = version
        return self._db.listings

    # -- documents -------------------------------------------------------------

    def register_document(self, hash: str, path: str | os.PathLike[str], title: str) -> None:
        """Remember a document; a later call with a new path records where it moved."""
        with self.transaction():
            self._db.write(
                "INSERT INTO documents(hash, path, title, seen) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(hash) DO UPDATE SET path = excluded.path, title = excluded.title, "
                "seen = excluded.seen",
                (hash, stored_path(path), title, utc_now()),
            )

    def document(self, hash: str) -> Document | None:
        rows = self._db.read("SELECT hash, path, title FROM documents WHERE hash = ?", (hash,))
        return document(rows[0]) if rows else None

    def document_by_path(self, path: str | os.PathLike[str]) -> Document | None:
        """The most recently seen document at that path (an edited file has a new hash)."""
        rows = self._db.read(
            "SELECT hash, path, title FROM documents WHERE path = ? ORDER BY seen DESC, rowid DESC LIMIT 1",
            (stored_path(path),),
        )
        return document(rows[0]) if rows else None

    def documents(self) -> list[Document]:
        rows = self._db.read("SELECT hash, path, title FROM documents ORDER BY title, path")
        return [document(row) for row in rows]

    def move_annotations(self, from_hash: str, to_hash: str) -> int:
        """Carry a document's annotations and reading position to its new identity (file edited)."""
        with self.transaction():
            moved = self._db.write("UPDATE annotations SET doc_hash = ? WHERE doc_hash = ?", (to_hash, from_hash))
            self._db.write("UPDATE OR IGNORE positions SET doc_hash = ? WHERE doc_hash = ?", (to_hash, from_hash))
            return moved.rowcount

    def integrity_check(self) -> str:
        """SQLite's full check: ``"ok"`` or the first problem found."""
        return self._db.read("PRAGMA integrity_check")[0][0]
