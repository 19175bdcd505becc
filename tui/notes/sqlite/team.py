"""The SQLite store's team side: tombstones, done marks, the change log and a watcher.

Schema version 3 adds them; triggers keep the tombstones and the change log, so every
writer of the file (another Margin process, an import, a merge) is covered. A second
connection polls ``PRAGMA data_version``, which moves whenever another connection commits,
to wake a watching thread without reading any table.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time

from tui.notes.team import Changes

POLL_S = 0.05
"""How often a watcher asks SQLite whether another connection committed."""

UTC_NOW_SQL = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

MIGRATION_3 = f"""
    CREATE TABLE tombstones (
        uid TEXT PRIMARY KEY,
        doc_hash TEXT NOT NULL,
        annotator TEXT NOT NULL,
        deleted TEXT NOT NULL
    )

    CREATE TABLE progress (
        doc_hash TEXT NOT NULL,
        annotator TEXT NOT NULL,
        done TEXT NOT NULL,
        PRIMARY KEY (doc_hash, annotator)
    )

    CREATE TABLE changes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        doc_hash TEXT
    )

    CREATE TRIGGER annotations_bury AFTER DELETE ON annotations BEGIN
        INSERT OR REPLACE INTO tombstones(uid, doc_hash, annotator, deleted)
        VALUES (old.uid, old.doc_hash, old.annotator, {UTC_NOW_SQL});
        INSERT INTO changes(kind, doc_hash) VALUES ('annotations', old.doc_hash);
    END;

    CREATE TRIGGER annotations_unbury AFTER INSERT ON annotations BEGIN
        DELETE FROM tombstones WHERE uid = new.uid;
        INSERT INTO changes(kind, doc_hash) VALUES ('annotations', new.doc_hash);
    END;

    CREATE TRIGGER annotations_log_update AFTER UPDATE ON annotations BEGIN
        INSERT INTO changes(kind, doc_hash) VALUES ('annotations', old.doc_hash);
        INSERT INTO changes(kind, doc_hash) SELECT 'annotations', new.doc_hash
        WHERE new.doc_hash IS NOT old.doc_hash;
    END;

    CREATE TRIGGER tags_log_insert AFTER INSERT ON tags BEGIN
        INSERT INTO changes(kind) VALUES ('tags');
    END;

    CREATE TRIGGER tags_log_update AFTER UPDATE ON tags BEGIN
        INSERT INTO changes(kind) VALUES ('tags');
    END;

    CREATE TRIGGER tags_log_delete AFTER DELETE ON tags BEGIN
        INSERT INTO changes(kind) VALUES ('tags');
    END;

    CREATE TRIGGER progress_log_insert AFTER INSERT ON progress BEGIN
        INSERT INTO changes(kind, doc_hash) VALUES ('progress', new.doc_hash);
    END;

    CREATE TRIGGER progress_log_delete AFTER DELETE ON progress BEGIN
        INSERT INTO changes(kind, doc_hash) VALUES ('progress', old.doc_hash);
    END
"""


def migration_3(connection: sqlite3.Connection) -> None:
    """Tombstones, done marks and the change log (teams, live updates, merges)."""
    for statement in MIGRATION_3.split("\n\n"):
        if statement.strip():
            connection.execute(statement)


class SQLiteWatcher:
    """A read-only second connection; ``wait`` returns once another connection committed."""

    def __init__(self, path) -> None:
        self._connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
        self._version = self._data_version()

    def _data_version(self) -> int:
        return self._connection.execute("PRAGMA data_version").fetchone()[0]

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            version = self._data_version()
            if version != self._version:
                self._version = version
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(POLL_S, remaining))

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._connection.close()

    def __enter__(self) -> SQLiteWatcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class SQLiteTeamMixin:
    """What a file does its own way in ``tui.notes.team.TeamStore`` (the rest is
    ``tui.notes.queries.team``): reading the change log, and watching by polling."""

    annotator: str | None = None

    def changes_since(self, token: int) -> Changes:
        rows = self._db.read("SELECT DISTINCT kind, doc_hash FROM changes WHERE id > ?", (token,))
        latest = self._db.read("SELECT max(id) FROM changes WHERE id > ?", (token,))[0][0]
        return Changes(
            token=token if latest is None else latest,
            mine=latest is not None and self._db.only_own_changes(token),
            documents=frozenset(doc for kind, doc in rows if kind == "annotations" and doc),
            tags=any(kind == "tags" for kind, _ in rows),
            progress=any(kind == "progress" for kind, _ in rows),
        )

    def watcher(self) -> SQLiteWatcher:
        with self._db.errors():
            return SQLiteWatcher(self._db.path)
