"""The SQLite store's suggestions: predicted spans, and each annotator's decisions on them.

Schema version 7 adds two tables. ``suggestions`` is shared (nobody owns a model's
output); ``suggestion_decisions`` holds one row per suggestion and annotator, with the
uid of the annotation that accepting made: the provenance shown as "suggested by SOURCE".
A decision also names its suggestion's document (kept in step by a trigger when the
document's identity moves), so a document's decisions are one index range away.
Imports insert in one transaction with ``INSERT OR IGNORE`` on the uid, so a file imported
twice adds nothing the second time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from tui.notes.model import ANCHORED, ORPHAN, login_name, utc_now
from tui.notes.store_api import InvalidRequest, NotFound
from tui.notes.suggestions import (
    SUGGESTION_COLUMNS,
    Decision,
    Suggestion,
    check_decision,
    check_suggestion,
    suggestion_row,
)

MIGRATION_7 = """
    CREATE TABLE suggestions (
        uid TEXT NOT NULL PRIMARY KEY,
        doc_hash TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        quote TEXT NOT NULL,
        prefix TEXT NOT NULL,
        suffix TEXT NOT NULL,
        tag TEXT NOT NULL,
        score REAL,
        source TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('anchored', 'orphan')),
        created TEXT NOT NULL,
        CHECK (0 <= start AND start <= "end")
    )

    CREATE INDEX suggestions_in_reading_order ON suggestions(doc_hash, start, "end", uid)

    CREATE TABLE suggestion_decisions (
        suggestion_uid TEXT NOT NULL REFERENCES suggestions(uid) ON DELETE CASCADE,
        doc_hash TEXT NOT NULL,
        annotator TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
        annotation_uid TEXT,
        decided TEXT NOT NULL,
        PRIMARY KEY (annotator, suggestion_uid)
    ) WITHOUT ROWID

    CREATE INDEX suggestion_decisions_by_document ON suggestion_decisions(doc_hash, annotator)

    CREATE INDEX suggestion_decisions_by_suggestion ON suggestion_decisions(suggestion_uid)

    CREATE TRIGGER suggestions_move AFTER UPDATE OF doc_hash ON suggestions BEGIN
        UPDATE suggestion_decisions SET doc_hash = new.doc_hash WHERE suggestion_uid = new.uid;
    END
"""

SELECT_SUGGESTION = ", ".join(f'"{column}"' for column in SUGGESTION_COLUMNS)
INSERT_SUGGESTION = (
    f"INSERT OR IGNORE INTO suggestions({SELECT_SUGGESTION}) VALUES ({', '.join('?' * len(SUGGESTION_COLUMNS))})"
)
SELECT_DECISION = "suggestion_uid, doc_hash, annotator, decision, annotation_uid, decided"


def migration_7(connection: sqlite3.Connection) -> None:
    """Model suggestions and each annotator's decisions on them."""
    for statement in MIGRATION_7.split("\n\n"):
        if statement.strip():
            connection.execute(statement)


class SQLiteSuggestionsMixin:
    """Suggestions for ``SQLiteStore`` (which provides ``_db`` and ``transaction``)."""

    def add_suggestions(self, suggestions: Iterable[Suggestion]) -> int:
        """Store suggestions in one transaction; those already stored (same uid) are skipped.
        Returns how many were added."""
        with self.transaction():
            rows = []
            for suggestion in suggestions:
                check_suggestion(suggestion)
                rows.append(suggestion_row(suggestion))
            before = self._db.connection.total_changes
            self._db.write_many(INSERT_SUGGESTION, rows)
            return self._db.connection.total_changes - before

    def suggestions(self, doc_hash: str | None = None) -> list[Suggestion]:
        """A document's suggestions in reading order (every document's, by document, without one)."""
        if doc_hash is None:
            rows = self._db.read(f'SELECT {SELECT_SUGGESTION} FROM suggestions ORDER BY doc_hash, start, "end", uid')
        else:
            rows = self._db.read(
                f'SELECT {SELECT_SUGGESTION} FROM suggestions WHERE doc_hash = ? ORDER BY start, "end", uid',
                (doc_hash,),
            )
        return [Suggestion(*row) for row in rows]

    def suggestion_decisions(self, annotator: str | None = None, doc_hash: str | None = None) -> dict[str, Decision]:
        """An annotator's decisions (on one document, or all), by suggestion uid."""
        who = annotator or login_name()
        if doc_hash is None:
            rows = self._db.read(f"SELECT {SELECT_DECISION} FROM suggestion_decisions WHERE annotator = ?", (who,))
        else:
            rows = self._db.read(
                f"SELECT {SELECT_DECISION} FROM suggestion_decisions WHERE doc_hash = ? AND annotator = ?",
                (doc_hash, who),
            )
        return {row[0]: Decision(*row) for row in rows}

    def decide_suggestion(
        self, uid: str, decision: str, *, annotation_uid: str | None = None, annotator: str | None = None
    ) -> Decision:
        """Record (or replace) an annotator's decision on a suggestion."""
        with self._db.errors():
            kind = check_decision(decision)
        who = annotator or login_name()
        with self.transaction():
            found = self._db.read("SELECT doc_hash FROM suggestions WHERE uid = ?", (uid,))
            if not found:
                raise NotFound(f"no suggestion {uid}")
            made = Decision(uid, found[0][0], who, kind, annotation_uid, utc_now())
            self._db.write(
                f"INSERT OR REPLACE INTO suggestion_decisions({SELECT_DECISION}) VALUES (?, ?, ?, ?, ?, ?)",
                (made.suggestion_uid, made.doc_hash, made.annotator, made.decision, made.annotation_uid, made.decided),
            )
            return made

    def undecide_suggestion(self, uid: str, *, annotator: str | None = None) -> None:
        """Forget an annotator's decision: the suggestion is open for them again (undo)."""
        with self.transaction():
            self._db.write(
                "DELETE FROM suggestion_decisions WHERE suggestion_uid = ? AND annotator = ?",
                (uid, annotator or login_name()),
            )

    def suggested_by(self, doc_hash: str) -> dict[str, str]:
        """Annotations of a document made by accepting a suggestion: annotation uid -> source."""
        rows = self._db.read(
            "SELECT d.annotation_uid, s.source FROM suggestion_decisions d JOIN suggestions s "
            "ON s.uid = d.suggestion_uid WHERE d.doc_hash = ? AND d.decision = 'accepted' "
            "AND d.annotation_uid IS NOT NULL",
            (doc_hash,),
        )
        return dict(rows)

    def update_suggestion_anchors(self, suggestions: Iterable[Suggestion]) -> int:
        """Write where suggestions are now (after their document changed); returns how many."""
        rows = []
        for s in suggestions:
            if s.status not in (ANCHORED, ORPHAN):
                raise InvalidRequest(f"unknown suggestion status {s.status!r}")
            rows.append((s.start, s.end, s.status, s.quote, s.prefix, s.suffix, s.uid))
        with self.transaction():
            before = self._db.connection.total_changes
            self._db.write_many(
                'UPDATE suggestions SET start = ?, "end" = ?, status = ?, quote = ?, prefix = ?, suffix = ? '
                "WHERE uid = ?",
                rows,
            )
            return self._db.connection.total_changes - before

    def move_suggestions(self, from_hash: str, to_hash: str) -> int:
        """Carry a document's suggestions and decisions to its new identity (file edited)."""
        with self.transaction():
            # A trigger carries the decisions along.
            return self._db.write("UPDATE suggestions SET doc_hash = ? WHERE doc_hash = ?", (to_hash, from_hash)).rowcount
