"""The PostgreSQL store's curation tables: provenance of curated annotations and rejected passages.

Everyone reads them; only members of ``margin_curators`` write them (row-level security,
as for annotations), so a plain annotator can neither forge provenance nor hide a
disagreement by rejecting it.
"""

from __future__ import annotations

from collections.abc import Iterable

from tui.notes.curation_record import Rejection, Source
from tui.notes.model import utc_now


def migration_statements(is_curator: str) -> list[str]:
    """The DDL of the curation tables and their policies; ``is_curator`` is the schema's
    SQL test for membership of the curators' role (the schema module owns role names)."""
    return [
        """CREATE TABLE curation_sources (
            curated_uid text NOT NULL,
            source_uid text NOT NULL,
            source_annotator text NOT NULL,
            PRIMARY KEY (curated_uid, source_uid)
        )""",
        """CREATE TABLE curation_rejections (
            doc_hash text NOT NULL,
            start integer NOT NULL,
            "end" integer NOT NULL,
            curator text NOT NULL DEFAULT current_user,
            created text NOT NULL,
            PRIMARY KEY (doc_hash, start, "end")
        )""",
        "ALTER TABLE curation_sources ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY curation_sources_read ON curation_sources FOR SELECT USING (true)",
        f"CREATE POLICY curation_sources_write ON curation_sources FOR ALL USING ({is_curator}) "
        f"WITH CHECK ({is_curator})",
        "ALTER TABLE curation_rejections ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY curation_rejections_read ON curation_rejections FOR SELECT USING (true)",
        f"CREATE POLICY curation_rejections_write ON curation_rejections FOR ALL USING ({is_curator}) "
        f"WITH CHECK ({is_curator})",
    ]


class PostgresCurationMixin:
    """``tui.notes.store_api.NoteStore``'s curation methods for ``PostgresStore`` (``_db``)."""

    def set_provenance(self, curated_uid: str, sources: Iterable[Source]) -> None:
        with self.transaction():  # type: ignore[attr-defined]
            self._db.write("DELETE FROM curation_sources WHERE curated_uid = ?", (curated_uid,))
            self._db.write_many(
                "INSERT INTO curation_sources(curated_uid, source_uid, source_annotator) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING",
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
                'INSERT INTO curation_rejections(doc_hash, start, "end", curator, created) '
                'VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc_hash, start, "end") DO UPDATE '
                "SET curator = EXCLUDED.curator, created = EXCLUDED.created",
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
            'WHERE doc_hash = ? ORDER BY start, "end"',
            (doc_hash,),
        )
        return [Rejection(*row) for row in rows]
