"""One SQLite connection shared by threads: its lock, its transactions and its errors.

It is the ``tui.notes.queries.database.Database`` the shared queries run on, as it is.

Every mutating store call runs inside ``transaction()``: ``BEGIN IMMEDIATE`` takes the
write lock up front, so two app instances queue (``busy_timeout``) instead of failing
half-way; nested use joins the outer transaction. A read-only store refuses to begin one.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from tui.notes.model import Annotation, InvalidValue
from tui.notes.queries.database import joined
from tui.notes.sqlite.errors import translate
from tui.notes.store_api import InvalidRequest, StoreReadOnly


class Database:
    def __init__(self, path: Path, connection: sqlite3.Connection, read_only_reason: str | None) -> None:
        self.path = path
        self.connection = connection
        self.read_only_reason = read_only_reason
        self.lock = threading.RLock()
        self.depth = 0
        self.listings: dict[str, list[Annotation]] = {}
        """Documents' annotation listings, valid until a write here or a commit elsewhere."""
        self.listings_version: int | None = None
        self.own_changes: list[tuple[int, int]] = []
        """Change-log ids this connection wrote, as (after, up to) ranges: while ``BEGIN
        IMMEDIATE`` holds the write lock no other connection can add to the log, so each
        committed transaction's ids are exactly the ones between its first and last look."""

    def close(self) -> None:
        with self.lock:
            self.connection.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One committed transaction around several calls; nested use joins the outer one."""
        if self.read_only_reason is not None:
            raise StoreReadOnly(
                f"cannot change the notes store {self.path}: it is read-only ({self.read_only_reason})"
            )
        with self.lock, self.errors():
            if self.depth:
                with joined(self):
                    yield
                return
            self.connection.execute("BEGIN IMMEDIATE")
            self.depth = 1
            self.listings.clear()
            first = self._last_change()
            try:
                yield
            except BaseException:
                self.depth = 0
                self.listings.clear()
                self.connection.execute("ROLLBACK")
                raise
            self.depth = 0
            self.listings.clear()
            last = self._last_change()
            try:
                self.connection.execute("COMMIT")
            except sqlite3.Error:
                if self.connection.in_transaction:
                    self.connection.execute("ROLLBACK")
                raise
            if first is not None and last is not None and last > first:
                self.own_changes.append((first, last))

    def _last_change(self) -> int | None:
        """The newest change-log id, or None before the log exists (an old file mid-upgrade)."""
        try:
            return self.connection.execute("SELECT coalesce(max(id), 0) FROM changes").fetchone()[0]
        except sqlite3.OperationalError:
            return None

    def only_own_changes(self, token: int) -> bool:
        """Whether every change after ``token`` was written through this connection; ranges
        at or below ``token`` are forgotten."""
        with self.lock:
            self.own_changes = [(first, last) for first, last in self.own_changes if last > token]
            ranges = list(self.own_changes)
            if not ranges:
                return False
            outside = " AND ".join("NOT (id > ? AND id <= ?)" for _ in ranges)
            parameters: list[int] = [token]
            for first, last in ranges:
                parameters += [first, last]
            sql = f"SELECT count(*) FROM changes WHERE id > ? AND {outside}"
            return self.read(sql, parameters)[0][0] == 0

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """SQLite's and the model's exceptions as the store's own."""
        try:
            yield
        except sqlite3.Error as error:
            raise translate(self.path, error) from None
        except InvalidValue as error:
            raise InvalidRequest(str(error)) from None

    def read(self, sql: str, parameters: Iterable[object] = ()) -> list[tuple]:
        with self.lock, self.errors():
            return self.connection.execute(sql, tuple(parameters)).fetchall()

    def write(self, sql: str, parameters: Iterable[object] = ()) -> sqlite3.Cursor:
        """A statement inside the caller's transaction."""
        return self.connection.execute(sql, tuple(parameters))

    def write_many(self, sql: str, rows: Iterable[tuple]) -> int:
        """One statement per row inside the caller's transaction; how many rows it changed."""
        return self.connection.executemany(sql, rows).rowcount

    def insert(self, sql: str, parameters: Iterable[object]) -> int:
        """An ``INSERT`` of one row inside the caller's transaction; the new row's id."""
        return self.connection.execute(sql, tuple(parameters)).lastrowid
