"""The SQLite store's curation tables: provenance of curated annotations and rejected passages.

Schema version 6 adds them; their queries are ``tui.notes.queries.curation``'s.
"""

from __future__ import annotations

import sqlite3

MIGRATION_6 = """
    CREATE TABLE curation_sources (
        curated_uid TEXT NOT NULL,
        source_uid TEXT NOT NULL,
        source_annotator TEXT NOT NULL,
        PRIMARY KEY (curated_uid, source_uid)
    );
    CREATE TABLE curation_rejections (
        doc_hash TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        curator TEXT NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (doc_hash, start, "end")
    )
"""


def migration_6(connection: sqlite3.Connection) -> None:
    """Curation: where each curated annotation came from, and the passages rejected."""
    for statement in MIGRATION_6.split(";"):
        if statement.strip():
            connection.execute(statement)
