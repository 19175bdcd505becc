"""The SQLite store's curation tables: provenance of curated annotations and rejected passages.

Schema version 6 adds them. Provenance is keyed by the curated annotation's uid, which an
undo keeps, so putting an annotation back finds its sources again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from tui.notes.curation_record import Rejection, Source
from tui.notes.model import utc_now

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


class SQLiteCurationMixin:
    """``tui.notes.store_api.NoteStore``'s curation methods for ``SQLiteStore`` (``_db``)."""

    def set_provenance(self, curated_uid: str, sources: Iterable[Source]) -> None:
        with self.transaction():  # type: ignore[attr-defined]
            self._db.write("DELETE FROM curation_sources WHERE curated_uid = ?", (curated_uid,))
            self._db.write_many(
                "INSERT OR IGNORE INTO curation_sources(curated_uid, source_uid, source_annotator) VALUES (?, ?, ?)",
                [(curated_uid, source.uid, source.annotator) for source in sources],
            )

    def clear_provenance(self, curated_uid: str) -> None:
        with self.transaction():  # type: ignore[attr-defined]
            self._db.write("DELETE FROM curation_sources WHERE curated_uid = ?", (curated_uid,))

    def provenance(self, curated_uid: str) -> list[Source]:
        rows = self._db.read(
            "SELECT source_uid, source_annotator FROM curation_sources WHERE curated_uid = ? "
            "ORDER BY source_annotator, source_uid",
            (curated_uid,),
        )
        return [Source(*row) for row in rows]

    def all_provenance(self) -> dict[str, list[Source]]:
        found: dict[str, list[Source]] = {}
        for curated, uid, annotator in self._db.read(
            "SELECT curated_uid, source_uid, source_annotator FROM curation_sources "
            "ORDER BY curated_uid, source_annotator, source_uid"
        ):
            found.setdefault(curated, []).append(Source(uid, annotator))
        return found

    def document_provenance(self, doc_hash: str) -> dict[str, list[Source]]:
        found: dict[str, list[Source]] = {}
        for curated, uid, annotator in self._db.read(
            "SELECT s.curated_uid, s.source_uid, s.source_annotator FROM curation_sources s "
            "JOIN annotations a ON a.uid = s.curated_uid WHERE a.doc_hash = ? "
            "ORDER BY s.curated_uid, s.source_annotator, s.source_uid",
            (doc_hash,),
        ):
            found.setdefault(curated, []).append(Source(uid, annotator))
        return found

    def reject_passage(self, doc_hash: str, start: int, end: int, curator: str) -> None:
        with self.transaction():  # type: ignore[attr-defined]
            self._db.write(
                'INSERT OR REPLACE INTO curation_rejections(doc_hash, start, "end", curator, created) '
                "VALUES (?, ?, ?, ?, ?)",
                (doc_hash, start, end, curator, utc_now()),
            )

    def unreject_passage(self, doc_hash: str, start: int, end: int) -> None:
        with self.transaction():  # type: ignore[attr-defined]
            self._db.write(
                'DELETE FROM curation_rejections WHERE doc_hash = ? AND start = ? AND "end" = ?',
                (doc_hash, start, end),
            )

    def rejections(self, doc_hash: str) -> list[Rejection]:
        rows = self._db.read(
            'SELECT doc_hash, start, "end", curator, created FROM curation_rejections '
            "WHERE doc_hash = ? ORDER BY start, \"end\"",
            (doc_hash,),
        )
        return [Rejection(*row) for row in rows]
