"""The SQLite schema: versioned migrations and connection settings.

Migration ``i`` takes the schema from version ``i`` to ``i + 1``; the version lives in
``PRAGMA user_version``. Append migrations, never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from tui.notes.model import utc_now
from tui.notes.sqlite.curation import migration_6
from tui.notes.sqlite.labels import migration_8
from tui.notes.sqlite.relations import migration_5
from tui.notes.sqlite.suggestions import migration_7
from tui.notes.sqlite.team import migration_3
from tui.notes.store_api import DEFAULT_TAGS, StoreUnavailable

BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 32 * 1024
"""Page cache per connection: a document's 10,000 annotations stay in memory between listings."""


def _migration_1(connection: sqlite3.Connection) -> None:
    execute_script(
        connection,
        """
        CREATE TABLE documents (
            hash TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            title TEXT NOT NULL,
            seen TEXT NOT NULL
        );
        CREATE INDEX documents_by_path ON documents(path);

        CREATE TABLE positions (
            doc_hash TEXT PRIMARY KEY,
            offset INTEGER NOT NULL CHECK (offset >= 0),
            updated TEXT NOT NULL
        );

        CREATE TABLE tags (
            name TEXT PRIMARY KEY,
            color TEXT NOT NULL,
            key TEXT UNIQUE,
            created TEXT NOT NULL
        );

        CREATE TABLE annotations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            doc_hash TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            prefix TEXT NOT NULL,
            suffix TEXT NOT NULL,
            note TEXT NOT NULL,
            annotator TEXT NOT NULL,
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('anchored', 'orphan')),
            CHECK (0 <= start AND start <= "end")
        );
        CREATE INDEX annotations_in_reading_order ON annotations(doc_hash, start, "end", id);

        CREATE TABLE annotation_tags (
            annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            tag TEXT NOT NULL REFERENCES tags(name) ON UPDATE CASCADE ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (annotation_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX annotation_tags_by_tag ON annotation_tags(tag);
        """,
    )
    now = utc_now()
    connection.executemany(
        "INSERT INTO tags(name, color, key, created) VALUES (?, ?, ?, ?)",
        [(tag.name, tag.color, tag.key, now) for tag in DEFAULT_TAGS],
    )


def _migration_2(connection: sqlite3.Connection) -> None:
    """Per-document reading settings: the paragraph direction a reader chose."""
    execute_script(
        connection,
        """
        CREATE TABLE document_settings (
            doc_hash TEXT PRIMARY KEY,
            direction INTEGER CHECK (direction IN (0, 1))
        );
        """,
    )


def execute_script(connection: sqlite3.Connection, script: str) -> None:
    """Run DDL statement by statement: ``executescript`` would commit the migration's transaction."""
    for statement in script.split(";"):
        if statement.strip():
            connection.execute(statement)


def _migration_4(connection: sqlite3.Connection) -> None:
    """The encoding a reader chose for a document, so it is decoded the same way when reopened."""
    connection.execute("ALTER TABLE document_settings ADD COLUMN encoding TEXT")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _migration_1,
    _migration_2,
    migration_3,
    _migration_4,
    migration_5,
    migration_6,
    migration_7,
    migration_8,
)
"""Migration ``i`` takes the schema from version ``i`` to ``i + 1``; append, never edit."""

SCHEMA_VERSION = len(MIGRATIONS)


def configure(connection: sqlite3.Connection, *, read_only: bool = False) -> None:
    """Durability and speed settings; a read-only connection cannot change the journal mode."""
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not read_only:
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise sqlite3.OperationalError(f"could not switch to WAL journal (got {mode})")
        connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")


def schema_version(connection: sqlite3.Connection) -> int:
    return connection.execute("PRAGMA user_version").fetchone()[0]


def check_version(version: int, where: str, *, read_only: bool = False) -> None:
    """A newer schema is never written to; an older one cannot be migrated read-only."""
    if version > SCHEMA_VERSION:
        raise StoreUnavailable(
            f"the notes store {where} has schema version {version}, newer than this Margin "
            f"understands ({SCHEMA_VERSION})"
        )
    if read_only and version < SCHEMA_VERSION:
        raise StoreUnavailable(
            f"the notes store {where} is read-only and has schema version {version}; this Margin "
            f"needs {SCHEMA_VERSION} and cannot upgrade a file it may not write"
        )


def migrate(connection: sqlite3.Connection, where: str) -> None:
    """Bring the schema up to date; the write lock makes two first opens migrate once."""
    if schema_version(connection) == SCHEMA_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = schema_version(connection)
        check_version(version, where)
        for target, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            migration(connection)
            connection.execute(f"PRAGMA user_version = {target}")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
