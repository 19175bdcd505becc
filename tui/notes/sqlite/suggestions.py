"""The SQLite store's suggestion tables: predicted spans, and each annotator's decisions on them.

Schema version 7 adds them; a trigger keeps each decision's document in step with its
suggestion's. A decision names its document, so a document's decisions are one index
range away. The queries are ``tui.notes.queries.suggestions``'s.
"""

from __future__ import annotations

import sqlite3

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

def migration_7(connection: sqlite3.Connection) -> None:
    """Model suggestions and each annotator's decisions on them."""
    for statement in MIGRATION_7.split("\n\n"):
        if statement.strip():
            connection.execute(statement)
