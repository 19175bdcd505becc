"""Curation queries: provenance of the curated layer's annotations and the passages rejected.

Provenance is keyed by the curated annotation's uid, which an undo keeps, so putting an
annotation back finds its sources again. Who may write these tables is the backend's rule
(on a server only curators; row-level security refuses anyone else).
"""

from __future__ import annotations

from collections.abc import Iterable

from tui.notes.curation_record import Rejection, Source
from tui.notes.model import utc_now
from tui.notes.queries.database import Backend


class CurationQueries(Backend):
    """``NoteStore``'s curation methods."""

    def set_provenance(self, curated_uid: str, sources: Iterable[Source]) -> None:
        with self.transaction():
            self._db.write("DELETE FROM curation_sources WHERE curated_uid = ?", (curated_uid,))
            self._db.write_many(
                "INSERT INTO curation_sources(curated_uid, source_uid, source_annotator) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                [(curated_uid, source.uid, source.annotator) for source in sources],
            )

    def clear_provenance(self, curated_uid: str) -> None:
        with self.transaction():
            self._db.write("DELETE FROM curation_sources WHERE curated_uid = ?", (curated_uid,))

    def provenance(self, curated_uid: str) -> list[Source]:
        rows = self._db.read(
            "SELECT source_uid, source_annotator FROM curation_sources WHERE curated_uid = ? "
            "ORDER BY source_annotator, source_uid",
            (curated_uid,),
        )
        return [Source(*row) for row in rows]

    def all_provenance(self) -> dict[str, list[Source]]:
        return _by_curated(
            self._db.read(
                "SELECT curated_uid, source_uid, source_annotator FROM curation_sources "
                "ORDER BY curated_uid, source_annotator, source_uid"
            )
        )

    def document_provenance(self, doc_hash: str) -> dict[str, list[Source]]:
        return _by_curated(
            self._db.read(
                "SELECT s.curated_uid, s.source_uid, s.source_annotator FROM curation_sources s "
                "JOIN annotations a ON a.uid = s.curated_uid WHERE a.doc_hash = ? "
                "ORDER BY s.curated_uid, s.source_annotator, s.source_uid",
                (doc_hash,),
            )
        )

    def reject_passage(self, doc_hash: str, start: int, end: int, curator: str) -> None:
        with self.transaction():
            self._db.write(
                'INSERT INTO curation_rejections(doc_hash, start, "end", curator, created) '
                'VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc_hash, start, "end") DO UPDATE '
                "SET curator = excluded.curator, created = excluded.created",
                (doc_hash, start, end, curator, utc_now()),
            )

    def unreject_passage(self, doc_hash: str, start: int, end: int) -> None:
        with self.transaction():
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


def _by_curated(rows: list[tuple]) -> dict[str, list[Source]]:
    """(curated uid, source uid, source annotator) rows as each curated uid's sources."""
    found: dict[str, list[Source]] = {}
    for curated, uid, annotator in rows:
        found.setdefault(curated, []).append(Source(uid, annotator))
    return found
