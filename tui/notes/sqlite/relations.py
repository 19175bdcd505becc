"""The SQLite store's relations: directed, labelled links between two annotations.

Schema version 5 adds them. The ends are annotation uids with foreign keys that cascade,
so a relation can never outlive either annotation, whoever deletes it (the reader, a
merge, raw SQL). Triggers write the change log, so another window redraws a relation made
here, and carry a relation along when its annotations move to a document's new identity.
The queries are ``tui.notes.queries.relations``'s.
"""

from __future__ import annotations

import sqlite3

MIGRATION_5 = """
    CREATE TABLE relation_labels (
        name TEXT PRIMARY KEY,
        created TEXT NOT NULL
    )

    CREATE TABLE relations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        uid TEXT NOT NULL UNIQUE,
        doc_hash TEXT NOT NULL,
        head TEXT NOT NULL REFERENCES annotations(uid) ON DELETE CASCADE,
        child TEXT NOT NULL REFERENCES annotations(uid) ON DELETE CASCADE,
        label TEXT NOT NULL REFERENCES relation_labels(name) ON UPDATE CASCADE,
        annotator TEXT NOT NULL,
        created TEXT NOT NULL,
        CHECK (head != child),
        UNIQUE (head, child, label)
    )

    CREATE INDEX relations_by_document ON relations(doc_hash, id)

    CREATE INDEX relations_by_child ON relations(child)

    CREATE INDEX relations_by_label ON relations(label)

    CREATE TRIGGER relations_log_insert AFTER INSERT ON relations BEGIN
        INSERT INTO changes(kind, doc_hash) VALUES ('annotations', new.doc_hash);
    END

    CREATE TRIGGER relations_log_delete AFTER DELETE ON relations BEGIN
        INSERT INTO changes(kind, doc_hash) VALUES ('annotations', old.doc_hash);
    END

    CREATE TRIGGER relations_follow AFTER UPDATE OF doc_hash ON annotations BEGIN
        UPDATE relations SET doc_hash = new.doc_hash
        WHERE (head = new.uid OR child = new.uid) AND doc_hash IS NOT new.doc_hash;
    END
"""

def migration_5(connection: sqlite3.Connection) -> None:
    """Relations between annotations and their shared label set."""
    for statement in MIGRATION_5.split("\n\n"):
        if statement.strip():
            connection.execute(statement)
