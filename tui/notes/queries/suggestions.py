"""Suggestion queries: predicted spans, shared, and each annotator's decisions on them.

``suggestions`` is nobody's (a model's output); ``suggestion_decisions`` holds one row per
suggestion and annotator, with the uid of the annotation that accepting made: the
provenance shown as "suggested by SOURCE". A decision names its suggestion's document,
which the backend's trigger keeps in step when the document's identity moves. Imports
insert with ``ON CONFLICT DO NOTHING`` on the uid, so a file imported twice adds nothing
the second time.
"""

from __future__ import annotations

from collections.abc import Iterable

from tui.notes.model import ANCHORED, ORPHAN, utc_now
from tui.notes.queries.database import Backend
from tui.notes.store_api import InvalidRequest, NotFound
from tui.notes.suggestions import (
    READ_DECISION,
    SUGGESTION_COLUMNS,
    Decision,
    Suggestion,
    check_decision,
    check_suggestion,
    suggestion_row,
)

SELECT_SUGGESTION = ", ".join(f'"{column}"' for column in SUGGESTION_COLUMNS)
INSERT_SUGGESTION = (
    f"INSERT INTO suggestions({SELECT_SUGGESTION}) VALUES ({', '.join('?' * len(SUGGESTION_COLUMNS))}) "
    "ON CONFLICT (uid) DO NOTHING"
)
SELECT_DECISION = "suggestion_uid, doc_hash, annotator, decision, annotation_uid, decided"


class SuggestionQueries(Backend):
    """``NoteStore``'s suggestion methods."""

    def add_suggestions(self, suggestions: Iterable[Suggestion]) -> int:
        """Store suggestions in one transaction; those already stored (same uid) are skipped.
        Returns how many were added."""
        with self.transaction():
            rows = []
            for suggestion in suggestions:
                check_suggestion(suggestion)
                rows.append(suggestion_row(suggestion))
            return self._db.write_many(INSERT_SUGGESTION, rows)

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
        """An annotator's decisions (on one document, or all), by suggestion uid; anyone's may
        be read, by default this store's own."""
        who = annotator or self._annotator_for(None)
        if doc_hash is None:
            rows = self._db.read(f"SELECT {READ_DECISION} FROM suggestion_decisions WHERE annotator = ?", (who,))
        else:
            rows = self._db.read(
                f"SELECT {READ_DECISION} FROM suggestion_decisions WHERE doc_hash = ? AND annotator = ?",
                (doc_hash, who),
            )
        return {row[0]: Decision(*row) for row in rows}

    def decide_suggestion(
        self, uid: str, decision: str, *, annotation_uid: str | None = None, annotator: str | None = None
    ) -> Decision:
        """Record (or replace) an annotator's decision on a suggestion."""
        with self._db.errors():
            kind = check_decision(decision)
        who = self._annotator_for(annotator)
        with self.transaction():
            found = self._db.read("SELECT doc_hash FROM suggestions WHERE uid = ?", (uid,))
            if not found:
                raise NotFound(f"no suggestion {uid}")
            made = Decision(uid, found[0][0], who, kind, annotation_uid, utc_now())
            self._db.write(
                f"INSERT INTO suggestion_decisions({SELECT_DECISION}) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (annotator, suggestion_uid) DO UPDATE SET doc_hash = excluded.doc_hash, "
                "decision = excluded.decision, annotation_uid = excluded.annotation_uid, decided = excluded.decided",
                (made.suggestion_uid, made.doc_hash, made.annotator, made.decision, made.annotation_uid, made.decided),
            )
            return made

    def undecide_suggestion(self, uid: str, *, annotator: str | None = None) -> None:
        """Forget an annotator's decision: the suggestion is open for them again (undo)."""
        who = self._annotator_for(annotator)
        with self.transaction():
            self._db.write("DELETE FROM suggestion_decisions WHERE suggestion_uid = ? AND annotator = ?", (uid, who))

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
            return self._db.write_many(
                'UPDATE suggestions SET start = ?, "end" = ?, status = ?, quote = ?, prefix = ?, suffix = ? '
                "WHERE uid = ?",
                rows,
            )

    def move_suggestions(self, from_hash: str, to_hash: str) -> int:
        """Carry a document's suggestions and every annotator's decisions on them to its new
        identity (file edited); the decisions follow by the backend's trigger, which a
        server runs as the schema's owner."""
        with self.transaction():
            return self._db.write("UPDATE suggestions SET doc_hash = ? WHERE doc_hash = ?", (to_hash, from_hash)).rowcount
