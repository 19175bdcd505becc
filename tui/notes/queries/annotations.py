"""Annotation queries: add, list, change and delete annotations, and the store's summaries.

Each query stands here once, with ``?`` placeholders, over the one column list of
``tui.notes.queries.columns``. The backend decides whose name a new annotation carries and
whether this caller may change another's (``Backend`` hooks), and when a remembered
listing is stale (``_fresh_listings``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from tui.notes.model import (
    ANCHORED,
    ORPHAN,
    Annotation,
    AnnotationStatus,
    check_span,
    check_tag_name,
    make_selectors,
    new_uid,
    utc_now,
)
from tui.notes.queries import tags as tag_queries
from tui.notes.queries.columns import (
    ANNOTATION_COLUMNS,
    INSERT_ANNOTATION,
    INSERT_COLUMNS,
    SELECT_ANNOTATION,
    annotation_values,
    assemble,
    group,
)
from tui.notes.queries.database import Backend
from tui.notes.store_api import Conflict, Gone, InvalidRequest, StoreStats, same_version

BY_ID = f"SELECT {SELECT_ANNOTATION} FROM annotations WHERE id = ?"
BY_UID = f"SELECT {SELECT_ANNOTATION} FROM annotations WHERE uid = ?"
OF_DOCUMENT = f'SELECT {SELECT_ANNOTATION} FROM annotations WHERE doc_hash = ? ORDER BY start, "end", id'
TAGS_OF_DOCUMENT = (
    "SELECT t.annotation_id, t.tag FROM annotation_tags t JOIN annotations a "
    "ON a.id = t.annotation_id WHERE a.doc_hash = ? ORDER BY t.annotation_id, t.position"
)
TAGS_OF_ONE = "SELECT annotation_id, tag FROM annotation_tags WHERE annotation_id = ? ORDER BY position"


class AnnotationQueries(Backend):
    """``NoteStore``'s annotation methods and summaries."""

    def _fresh_listings(self) -> dict[str, list[Annotation]]:
        """The remembered listings by document, emptied first if anyone wrote since."""
        raise NotImplementedError

    def add_annotation(
        self,
        doc_hash: str,
        text: str,
        start: int,
        end: int,
        tags: Iterable[str] = (),
        note: str = "",
        annotator: str | None = None,
    ) -> Annotation:
        """Store a passage of ``text``; the quote and its context come from the text itself."""
        who = self._annotator_for(annotator)
        with self.transaction():
            selectors = make_selectors(text, start, end)
            now = utc_now()
            annotation = Annotation(
                id=0,
                uid=new_uid(),
                doc_hash=doc_hash,
                start=start,
                end=end,
                quote=selectors.quote,
                prefix=selectors.prefix,
                suffix=selectors.suffix,
                tags=tag_queries.ensure(self._db, tags),
                note=note,
                annotator=who,
                created=now,
                modified=now,
                status=ANCHORED,
            )
            return self._insert_annotation(annotation, keep_id=False)

    def restore_annotation(self, annotation: Annotation) -> Annotation:
        """Put back a deleted annotation with its id and uid (undo, import, replay)."""
        self._annotator_for(annotation.annotator)
        with self.transaction():
            if self._db.read("SELECT 1 FROM annotations WHERE uid = ?", (annotation.uid,)):
                raise InvalidRequest(f"annotation {annotation.uid} already exists")
            restored = replace(annotation, tags=tag_queries.ensure(self._db, annotation.tags))
            keep_id = annotation.id > 0 and not self._db.read(
                "SELECT 1 FROM annotations WHERE id = ?", (annotation.id,)
            )
            return self._insert_annotation(restored, keep_id=keep_id)

    def _insert_annotation(self, annotation: Annotation, *, keep_id: bool) -> Annotation:
        if annotation.status not in (ANCHORED, ORPHAN):
            raise InvalidRequest(f"unknown annotation status {annotation.status!r}")
        columns = ANNOTATION_COLUMNS if keep_id else INSERT_COLUMNS
        annotation_id = self._db.insert(INSERT_ANNOTATION[columns], annotation_values(annotation, columns))
        tag_queries.write_annotation_tags(self._db, annotation_id, annotation.tags)
        return replace(annotation, id=annotation_id)

    def get(self, id: int) -> Annotation | None:
        return self._one(BY_ID, id)

    def get_by_uid(self, uid: str) -> Annotation | None:
        return self._one(BY_UID, uid)

    def _one(self, sql: str, key: object) -> Annotation | None:
        with self._db.lock, self._db.errors():
            rows = self._db.read(sql, (key,))
            if not rows:
                return None
            return assemble(rows, self._db.read(TAGS_OF_ONE, (rows[0][0],)))[0]

    def annotations(self, doc_hash: str) -> list[Annotation]:
        """A document's annotations (everyone's) in reading order (start, end, id).

        Listings are remembered until anyone writes (``_fresh_listings``), so redrawing a
        10,000-annotation document after each keystroke does not rebuild 10,000 values.
        Inside a transaction nothing is remembered: what it reads may yet be rolled back.
        """
        with self._db.lock, self._db.errors():
            listings = None if self._db.depth else self._fresh_listings()
            if listings is not None:
                remembered = listings.get(doc_hash)
                if remembered is not None:
                    return list(remembered)
            listing = assemble(
                self._db.read(OF_DOCUMENT, (doc_hash,)), self._db.read(TAGS_OF_DOCUMENT, (doc_hash,))
            )
            if listings is not None:
                listings[doc_hash] = listing
        return list(listing)

    def all_annotations(self) -> list[Annotation]:
        """Every annotation, grouped by document, each document in reading order."""
        with self._db.lock, self._db.errors():
            rows = self._db.read(f'SELECT {SELECT_ANNOTATION} FROM annotations ORDER BY doc_hash, start, "end", id')
            tag_rows = self._db.read("SELECT annotation_id, tag FROM annotation_tags ORDER BY annotation_id, position")
        return assemble(rows, tag_rows)

    def _require(self, id: int, expected: Annotation | None = None) -> Annotation:
        """The annotation as it is now, if this caller may change it: ``Gone`` if deleted,
        ``Conflict`` if not ``expected``."""
        annotation = self.get(id)
        if annotation is None:
            raise Gone(id)
        if expected is not None and not same_version(expected, annotation):
            raise Conflict(annotation)
        self._may_change(annotation.annotator, "annotation")
        return annotation

    def set_tags(self, id: int, tags: Iterable[str], *, expected: Annotation | None = None) -> Annotation:
        with self.transaction():
            annotation = self._require(id, expected)
            cleaned = tag_queries.ensure(self._db, tags)
            tag_queries.write_annotation_tags(self._db, id, cleaned)
            return self._touch(annotation, tags=cleaned)

    def add_tag(self, id: int, name: str) -> Annotation:
        with self.transaction():
            annotation = self._require(id)
            if check_tag_name(name) in annotation.tags:
                return annotation
            return self.set_tags(id, (*annotation.tags, name))

    def remove_tag(self, id: int, name: str) -> Annotation:
        with self.transaction():
            annotation = self._require(id)
            if name not in annotation.tags:
                return annotation
            return self.set_tags(id, tuple(tag for tag in annotation.tags if tag != name))

    def set_note(self, id: int, note: str, *, expected: Annotation | None = None) -> Annotation:
        with self.transaction():
            annotation = self._require(id, expected)
            return self._touch(annotation, note=note)

    def _touch(self, annotation: Annotation, **changes: object) -> Annotation:
        """Record a change made by the annotator: bumps ``modified``."""
        modified = utc_now()
        if "note" in changes:
            self._db.write(
                "UPDATE annotations SET note = ?, modified = ? WHERE id = ?",
                (changes["note"], modified, annotation.id),
            )
        else:
            self._db.write("UPDATE annotations SET modified = ? WHERE id = ?", (modified, annotation.id))
        return replace(annotation, **changes, modified=modified)

    def delete_annotation(self, id: int, *, expected: Annotation | None = None) -> Annotation:
        """Delete and return the annotation as it was, so it can be restored."""
        with self.transaction():
            annotation = self._require(id, expected)
            self._db.write("DELETE FROM annotations WHERE id = ?", (id,))
            return annotation

    def update_anchor(
        self, id: int, start: int, end: int, status: AnnotationStatus, text: str | None = None
    ) -> Annotation:
        """Move an annotation after its document changed; with ``text``, refresh quote and context.

        Re-anchoring is not an edit by the annotator, so ``modified`` stays.
        """
        with self.transaction():
            annotation = self._require(id)
            if status not in (ANCHORED, ORPHAN):
                raise InvalidRequest(f"unknown annotation status {status!r}")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
                raise InvalidRequest(f"span {start!r}..{end!r} is not valid")
            quote, prefix, suffix = annotation.quote, annotation.prefix, annotation.suffix
            if text is not None and status == ANCHORED:
                check_span(text, start, end)
                selectors = make_selectors(text, start, end)
                quote, prefix, suffix = selectors.quote, selectors.prefix, selectors.suffix
            self._db.write(
                'UPDATE annotations SET start = ?, "end" = ?, status = ?, quote = ?, prefix = ?, suffix = ? '
                "WHERE id = ?",
                (start, end, status, quote, prefix, suffix, id),
            )
            return replace(
                annotation, start=start, end=end, status=status, quote=quote, prefix=prefix, suffix=suffix
            )

    # -- summaries -------------------------------------------------------------

    def annotation_counts(self) -> dict[str, int]:
        return dict(self._db.read("SELECT doc_hash, count(*) FROM annotations GROUP BY doc_hash"))

    def tags_by_document(self) -> dict[str, list[str]]:
        """Distinct tags used in each document, by name."""
        rows = self._db.read(
            "SELECT DISTINCT a.doc_hash, t.tag FROM annotation_tags t JOIN annotations a "
            "ON a.id = t.annotation_id ORDER BY a.doc_hash, t.tag"
        )
        return group(rows)

    def stats(self) -> StoreStats:
        with self._db.lock, self._db.errors():
            read = self._db.read
            documents = read(
                "SELECT count(*) FROM (SELECT hash FROM documents UNION SELECT doc_hash FROM annotations) d"
            )[0][0]
            annotations, orphans = read(
                "SELECT count(*), coalesce(sum(CASE WHEN status = 'orphan' THEN 1 ELSE 0 END), 0) FROM annotations"
            )[0]
            untagged = read(
                "SELECT count(*) FROM annotations a WHERE NOT EXISTS "
                "(SELECT 1 FROM annotation_tags t WHERE t.annotation_id = a.id)"
            )[0][0]
            by_tag = dict(read("SELECT tag, count(*) FROM annotation_tags GROUP BY tag ORDER BY tag"))
            by_document = dict(read("SELECT doc_hash, count(*) FROM annotations GROUP BY doc_hash ORDER BY doc_hash"))
            by_document_and_tag: dict[str, dict[str, int]] = {}
            for doc_hash, tag, count in read(
                "SELECT a.doc_hash, t.tag, count(*) FROM annotation_tags t JOIN annotations a "
                "ON a.id = t.annotation_id GROUP BY a.doc_hash, t.tag ORDER BY a.doc_hash, t.tag"
            ):
                by_document_and_tag.setdefault(doc_hash, {})[tag] = count
        return StoreStats(documents, annotations, orphans, untagged, by_tag, by_document, by_document_and_tag)
