"""The SQLite store's document labels: categories, category sets, and each annotator's labels.

Schema version 8 adds the tables. Triggers log a label change as a change to the document's
notes and a category change as one to the tag set, so the live views that follow
annotations follow labels too. The queries are ``tui.notes.queries.labels``'s.
"""

from __future__ import annotations

import sqlite3

MIGRATION_8 = """
    CREATE TABLE category_sets (
        name TEXT PRIMARY KEY,
        exclusive INTEGER NOT NULL DEFAULT 0 CHECK (exclusive IN (0, 1)),
        created TEXT NOT NULL
    )

    CREATE TABLE categories (
        name TEXT PRIMARY KEY,
        color TEXT NOT NULL,
        set_name TEXT REFERENCES category_sets(name) ON DELETE SET NULL,
        created TEXT NOT NULL
    )

    CREATE TABLE document_labels (
        doc_hash TEXT NOT NULL,
        annotator TEXT NOT NULL,
        category TEXT NOT NULL REFERENCES categories(name) ON DELETE CASCADE,
        created TEXT NOT NULL,
        PRIMARY KEY (doc_hash, annotator, category)
    ) WITHOUT ROWID

    CREATE INDEX document_labels_by_category ON document_labels(category)

    CREATE TRIGGER document_labels_log_insert AFTER INSERT ON document_labels BEGIN
        INSERT INTO changes(kind, doc_hash) VALUES ('annotations', new.doc_hash);
    END

    CREATE TRIGGER document_labels_log_delete AFTER DELETE ON document_labels BEGIN
        INSERT INTO changes(kind, doc_hash) VALUES ('annotations', old.doc_hash);
    END

    CREATE TRIGGER categories_log_insert AFTER INSERT ON categories BEGIN
        INSERT INTO changes(kind) VALUES ('tags');
    END

    CREATE TRIGGER categories_log_update AFTER UPDATE ON categories BEGIN
        INSERT INTO changes(kind) VALUES ('tags');
    END

    CREATE TRIGGER categories_log_delete AFTER DELETE ON categories BEGIN
        INSERT INTO changes(kind) VALUES ('tags');
    END
"""


def migration_8(connection: sqlite3.Connection) -> None:
    """Document labels: categories, category sets and each annotator's labels per document."""
    for statement in MIGRATION_8.split("\n\n"):
        if statement.strip():
            connection.execute(statement)
