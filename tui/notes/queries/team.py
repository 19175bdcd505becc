"""Team queries: annotators, done marks, tombstones and the change log's newest entry.

How a backend learns of changes (polling a file, ``LISTEN`` on a server) and how it reads
the log since a token are its own; the rows are the same on both.
"""

from __future__ import annotations

from tui.notes.model import utc_now
from tui.notes.queries.database import Backend
from tui.notes.team import DocumentProgress, Tombstone


class TeamQueries(Backend):
    """The shared part of ``tui.notes.team.TeamStore``."""

    def annotators(self) -> list[str]:
        rows = self._db.read("SELECT annotator FROM annotations UNION SELECT annotator FROM progress ORDER BY 1")
        return [row[0] for row in rows]

    def change_token(self) -> int:
        return self._db.read("SELECT coalesce(max(id), 0) FROM changes")[0][0]

    def set_done(self, doc_hash: str, done: bool = True, annotator: str | None = None) -> None:
        who = self._annotator_for(annotator)
        with self.transaction():
            if done:
                self._db.write(
                    "INSERT INTO progress(doc_hash, annotator, done) VALUES (?, ?, ?) "
                    "ON CONFLICT (doc_hash, annotator) DO NOTHING",
                    (doc_hash, who, utc_now()),
                )
            else:
                self._db.write("DELETE FROM progress WHERE doc_hash = ? AND annotator = ?", (doc_hash, who))

    def done_by(self, doc_hash: str) -> list[str]:
        rows = self._db.read("SELECT annotator FROM progress WHERE doc_hash = ? ORDER BY annotator", (doc_hash,))
        return [row[0] for row in rows]

    def progress(self) -> dict[str, DocumentProgress]:
        counts: dict[str, dict[str, int]] = {}
        for doc_hash, annotator, count in self._db.read(
            "SELECT doc_hash, annotator, count(*) FROM annotations GROUP BY doc_hash, annotator"
        ):
            counts.setdefault(doc_hash, {})[annotator] = count
        done: dict[str, set[str]] = {}
        for doc_hash, annotator in self._db.read("SELECT doc_hash, annotator FROM progress"):
            done.setdefault(doc_hash, set()).add(annotator)
        return {
            doc_hash: DocumentProgress(doc_hash, counts.get(doc_hash, {}), frozenset(done.get(doc_hash, ())))
            for doc_hash in sorted(counts.keys() | done.keys())
        }

    def tombstones(self) -> list[Tombstone]:
        rows = self._db.read("SELECT uid, doc_hash, annotator, deleted FROM tombstones ORDER BY deleted, uid")
        return [Tombstone(*row) for row in rows]

    def buried(self, uid: str) -> bool:
        """Whether the annotation ``uid`` was deleted (a tombstone remains)."""
        return bool(self._db.read("SELECT 1 FROM tombstones WHERE uid = ?", (uid,)))

    def bury(self, tombstone: Tombstone) -> None:
        """Record a deletion made elsewhere (a merge), so no later merge brings it back."""
        with self.transaction():
            self._db.write(
                "INSERT INTO tombstones(uid, doc_hash, annotator, deleted) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (uid) DO NOTHING",
                (tombstone.uid, tombstone.doc_hash, tombstone.annotator, tombstone.deleted),
            )

    def vacuum(self) -> int:
        """Purge tombstones and the change log up to its latest entry; returns tombstones purged."""
        with self.transaction():
            purged = self._db.write("DELETE FROM tombstones").rowcount
            self._db.write("DELETE FROM changes WHERE id < (SELECT max(id) FROM changes)")
            return purged
