"""The SQLite annotation store: one file per corpus, safe against crashes and a second instance.

Durability: the store runs in WAL mode with ``synchronous=FULL``. With WAL, ``NORMAL``
already survives the process being killed (a committed transaction is in the WAL,
which the OS keeps), but a power cut can lose the last commits, because the WAL is
only synced at checkpoints. ``FULL`` syncs the WAL on every commit, so a tag is on
disk the moment the call returns. The cost is one fsync per human action, which
nobody notices; bulk work (imports, re-anchoring) runs in one transaction and pays
it once.

Every mutating method is its own ``BEGIN IMMEDIATE`` … ``COMMIT`` transaction, taking
the write lock up front so two app instances queue (``busy_timeout``) instead of
failing half-way. ``transaction()`` groups several calls into one commit, for undo
steps and imports that must be all or nothing.

Errors reach callers as ``StoreError`` subclasses with one-line messages, never as
raw ``sqlite3`` exceptions. This module holds the queries; the schema, the opening of
the file and the translation of errors are its neighbours in ``tui.notes.sqlite``.

It runs to about 500 lines because one class answers the whole core of the
``NoteStore`` interface (documents, tags, annotations, positions, undo's writes) for this
backend, each query beside the row assembly it feeds; the team, relations and tag
queries are mixins in modules of their own, as new tables' queries should be.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from tui.corpus.names import path_from_portable, portable_path
from tui.notes.model import (
    ANCHORED,
    ORPHAN,
    Annotation,
    AnnotationStatus,
    Document,
    Tag,
    check_span,
    login_name,
    make_selectors,
    new_uid,
    utc_now,
)
from tui.notes.sqlite import tags as tag_queries
from tui.notes.sqlite.curation import SQLiteCurationMixin
from tui.notes.sqlite.database import Database, group
from tui.notes.sqlite.labels import SQLiteLabelsMixin
from tui.notes.sqlite.opening import move_aside, open_connection
from tui.notes.sqlite.relations import SQLiteRelationsMixin
from tui.notes.sqlite.schema import (
    ANNOTATION_COLUMNS,
    INSERT_COLUMNS,
    SELECT_ANNOTATION,
    TAGS_AT,
    annotation_values,
    insert_sql,
)
from tui.notes.sqlite.suggestions import SQLiteSuggestionsMixin
from tui.notes.sqlite.team import SQLiteTeamMixin
from tui.notes.store_api import (
    Conflict,
    Gone,
    InvalidRequest,
    StoreDamaged,
    StoreStats,
    same_version,
)


class SQLiteStore(SQLiteLabelsMixin, SQLiteTeamMixin, SQLiteRelationsMixin, SQLiteCurationMixin, SQLiteSuggestionsMixin):
    """Annotations, tags, documents and reading positions of one corpus, in one SQLite file.

    Implements ``tui.notes.store_api.NoteStore`` and ``tui.notes.team.TeamStore``.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self.path = db.path
        self.location = str(db.path)
        self.read_only_reason = db.read_only_reason
        self.read_only = db.read_only_reason is not None

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, create_folder: bool = True, read_only: bool = False) -> SQLiteStore:
        """Open or create the store; ``StoreDamaged`` or ``StoreUnavailable`` if that is impossible.

        Without ``create_folder`` the folder must already exist (a store the user named
        in a missing folder is a typo, not a request for a new tree). A file that cannot
        be written opens read-only; ``read_only`` forces that.
        """
        path = Path(path)
        opened = open_connection(path, create_folder=create_folder, read_only=read_only)
        return cls(Database(path, opened.connection, opened.read_only_reason))

    @classmethod
    def open_or_recover(
        cls, path: Path, *, create_folder: bool = True, read_only: bool = False
    ) -> tuple[SQLiteStore, str | None]:
        """Open the store; a damaged file is moved aside untouched and a fresh store opened.

        The second value is a notice for the user: the recovery, or that the store is
        read-only and why; None when all is well.
        """
        path = Path(path)
        try:
            store = cls.open(path, create_folder=create_folder, read_only=read_only)
        except StoreDamaged as damage:
            if read_only:
                raise
            aside = move_aside(path)
            store = cls.open(path, create_folder=create_folder)
            return store, f"{damage}; it was moved to {aside} and a new store was started"
        notice = None
        if store.read_only:
            notice = f"the notes store {path} is read-only ({store.read_only_reason}): notes are shown, not changed"
        return store, notice

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """One committed transaction around several calls; nested use joins the outer one."""
        return self._db.transaction()

    # -- documents -------------------------------------------------------------

    def register_document(self, hash: str, path: str | os.PathLike[str], title: str) -> None:
        """Remember a document; a later call with a new path records where it moved."""
        with self.transaction():
            self._db.write(
                "INSERT INTO documents(hash, path, title, seen) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(hash) DO UPDATE SET path = excluded.path, title = excluded.title, "
                "seen = excluded.seen",
                (hash, _normalise_path(path), title, utc_now()),
            )

    def document(self, hash: str) -> Document | None:
        rows = self._db.read("SELECT hash, path, title FROM documents WHERE hash = ?", (hash,))
        return _document(rows[0]) if rows else None

    def document_by_path(self, path: str | os.PathLike[str]) -> Document | None:
        """The most recently seen document at that path (an edited file has a new hash)."""
        rows = self._db.read(
            "SELECT hash, path, title FROM documents WHERE path = ? ORDER BY seen DESC, rowid DESC LIMIT 1",
            (_normalise_path(path),),
        )
        return _document(rows[0]) if rows else None

    def documents(self) -> list[Document]:
        rows = self._db.read("SELECT hash, path, title FROM documents ORDER BY title, path")
        return [_document(row) for row in rows]

    # -- reading positions and settings -----------------------------------------

    def set_position(self, doc_hash: str, offset: int) -> None:
        if not isinstance(offset, int) or offset < 0:
            raise InvalidRequest(f"reading position must be a non-negative integer, got {offset!r}")
        with self.transaction():
            self._db.write(
                "INSERT INTO positions(doc_hash, offset, updated) VALUES (?, ?, ?) "
                "ON CONFLICT(doc_hash) DO UPDATE SET offset = excluded.offset, updated = excluded.updated",
                (doc_hash, offset, utc_now()),
            )

    def position(self, doc_hash: str) -> int | None:
        rows = self._db.read("SELECT offset FROM positions WHERE doc_hash = ?", (doc_hash,))
        return rows[0][0] if rows else None

    def set_direction(self, doc_hash: str, level: int | None) -> None:
        """Remember a document's paragraph direction (0 LTR, 1 RTL; None: from its text)."""
        if level not in (None, 0, 1):
            raise InvalidRequest(f"direction must be 0, 1 or None, got {level!r}")
        with self.transaction():
            self._db.write(
                "INSERT INTO document_settings(doc_hash, direction) VALUES (?, ?) "
                "ON CONFLICT(doc_hash) DO UPDATE SET direction = excluded.direction",
                (doc_hash, level),
            )

    def direction(self, doc_hash: str) -> int | None:
        rows = self._db.read("SELECT direction FROM document_settings WHERE doc_hash = ?", (doc_hash,))
        return rows[0][0] if rows else None

    def set_encoding(self, doc_hash: str, encoding: str | None) -> None:
        """Remember the encoding a reader chose for a document (None: detect it again)."""
        if encoding is not None and (not isinstance(encoding, str) or not encoding.strip()):
            raise InvalidRequest(f"encoding must be a codec name or None, got {encoding!r}")
        with self.transaction():
            self._db.write(
                "INSERT INTO document_settings(doc_hash, encoding) VALUES (?, ?) "
                "ON CONFLICT(doc_hash) DO UPDATE SET encoding = excluded.encoding",
                (doc_hash, encoding),
            )

    def encoding(self, doc_hash: str) -> str | None:
        rows = self._db.read("SELECT encoding FROM document_settings WHERE doc_hash = ?", (doc_hash,))
        return rows[0][0] if rows else None

    # -- tags ------------------------------------------------------------------

    def tags(self) -> list[Tag]:
        """Tags with a key first, in key order, then the rest by name."""
        return tag_queries.all_tags(self._db)

    def tag(self, name: str) -> Tag | None:
        return tag_queries.find(self._db, name)

    def create_tag(self, name: str, color: str | None = None, key: str | None = None) -> Tag:
        """A new tag; without a colour or key it gets the next unused palette colour and free key."""
        with self.transaction():
            return tag_queries.create(self._db, name, color, key)

    def rename_tag(self, old: str, new: str) -> None:
        with self.transaction():
            tag_queries.rename(self._db, old, new)

    def recolor_tag(self, name: str, color: str) -> None:
        with self.transaction():
            tag_queries.recolor(self._db, name, color)

    def set_tag_key(self, name: str, key: str | None) -> None:
        """Bind a key 1-9 (taking it from whichever tag had it) or unbind with None."""
        with self.transaction():
            tag_queries.set_key(self._db, name, key)

    def tag_usage(self, name: str) -> int:
        return tag_queries.usage(self._db, name)

    def tagged_with(self, name: str) -> dict[int, tuple[str, ...]]:
        """Each annotation carrying the tag, with its full tag tuple (what undoing a delete needs)."""
        return tag_queries.tagged_with(self._db, name)

    def delete_tag(self, name: str) -> int:
        """Remove the tag and take it off its annotations, which stay; returns how many it was on."""
        with self.transaction():
            return tag_queries.delete(self._db, name)

    # -- annotations -----------------------------------------------------------

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
                annotator=annotator or login_name(),
                created=now,
                modified=now,
                status=ANCHORED,
            )
            return self._insert_annotation(annotation, keep_id=False)

    def restore_annotation(self, annotation: Annotation) -> Annotation:
        """Put back a deleted annotation with its id and uid (undo, import)."""
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
        cursor = self._db.write(insert_sql(columns), annotation_values(annotation, columns))
        annotation_id = cursor.lastrowid
        tag_queries.write_annotation_tags(self._db, annotation_id, annotation.tags)
        return replace(annotation, id=annotation_id)

    def _write_tags(self, annotation_id: int, tags: tuple[str, ...]) -> None:
        self._db.write("DELETE FROM annotation_tags WHERE annotation_id = ?", (annotation_id,))
        self._db.connection.executemany(
            "INSERT INTO annotation_tags(annotation_id, tag, position) VALUES (?, ?, ?)",
            [(annotation_id, tag, position) for position, tag in enumerate(tags)],
        )

    def get(self, id: int) -> Annotation | None:
        rows = self._db.read(f"SELECT {SELECT_ANNOTATION} FROM annotations WHERE id = ?", (id,))
        return self._with_tags(rows)[0] if rows else None

    def get_by_uid(self, uid: str) -> Annotation | None:
        rows = self._db.read(f"SELECT {SELECT_ANNOTATION} FROM annotations WHERE uid = ?", (uid,))
        return self._with_tags(rows)[0] if rows else None

    def annotations(self, doc_hash: str) -> list[Annotation]:
        """A document's annotations in reading order (start, end, id).

        Listings are remembered until this store writes or ``PRAGMA data_version`` shows
        another connection committed, so redrawing a 10,000-annotation document after
        each keystroke does not rebuild 10,000 values.
        """
        with self._db.lock, self._db.errors():
            if not self._db.depth:
                version = self._db.connection.execute("PRAGMA data_version").fetchone()[0]
                if version != self._db.listings_version:
                    self._db.listings.clear()
                    self._db.listings_version = version
                remembered = self._db.listings.get(doc_hash)
                if remembered is not None:
                    return list(remembered)
            rows = self._db.connection.execute(
                f'SELECT {SELECT_ANNOTATION} FROM annotations WHERE doc_hash = ? ORDER BY start, "end", id',
                (doc_hash,),
            ).fetchall()
            tag_rows = self._db.connection.execute(
                "SELECT t.annotation_id, t.tag FROM annotation_tags t JOIN annotations a "
                "ON a.id = t.annotation_id WHERE a.doc_hash = ? ORDER BY t.annotation_id, t.position",
                (doc_hash,),
            ).fetchall()
            listing = _assemble(rows, tag_rows)
            if not self._db.depth:
                self._db.listings[doc_hash] = listing
        return list(listing)

    def all_annotations(self) -> list[Annotation]:
        """Every annotation, grouped by document, each document in reading order."""
        with self._db.lock, self._db.errors():
            rows = self._db.connection.execute(
                f'SELECT {SELECT_ANNOTATION} FROM annotations ORDER BY doc_hash, start, "end", id'
            ).fetchall()
            tag_rows = self._db.connection.execute(
                "SELECT annotation_id, tag FROM annotation_tags ORDER BY annotation_id, position"
            ).fetchall()
        return _assemble(rows, tag_rows)

    def _with_tags(self, rows: list[tuple]) -> list[Annotation]:
        ids = [row[0] for row in rows]
        placeholders = ",".join("?" * len(ids))
        tag_rows = self._db.read(
            f"SELECT annotation_id, tag FROM annotation_tags WHERE annotation_id IN ({placeholders}) "
            "ORDER BY annotation_id, position",
            ids,
        )
        return _assemble(rows, tag_rows)

    def _require(self, id: int, expected: Annotation | None = None) -> Annotation:
        """The annotation as it is now: ``Gone`` if deleted, ``Conflict`` if not ``expected``."""
        annotation = self.get(id)
        if annotation is None:
            raise Gone(id)
        if expected is not None and not same_version(expected, annotation):
            raise Conflict(annotation)
        return annotation

    def set_tags(self, id: int, tags: Iterable[str], *, expected: Annotation | None = None) -> Annotation:
        with self.transaction():
            annotation = self._require(id, expected)
            cleaned = tag_queries.ensure(self._db, tags)
            tag_queries.write_annotation_tags(self._db, id, cleaned)
            return self._touch(annotation, tags=cleaned)

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

    def move_annotations(self, from_hash: str, to_hash: str) -> int:
        """Carry a document's annotations and reading position to its new identity (file edited)."""
        with self.transaction():
            moved = self._db.write("UPDATE annotations SET doc_hash = ? WHERE doc_hash = ?", (to_hash, from_hash))
            self._db.write("UPDATE OR IGNORE positions SET doc_hash = ? WHERE doc_hash = ?", (to_hash, from_hash))
            return moved.rowcount

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
            execute = self._db.connection.execute
            documents = execute(
                "SELECT count(*) FROM (SELECT hash FROM documents UNION SELECT doc_hash FROM annotations)"
            ).fetchone()[0]
            annotations, orphans = execute(
                "SELECT count(*), coalesce(sum(status = 'orphan'), 0) FROM annotations"
            ).fetchone()
            untagged = execute(
                "SELECT count(*) FROM annotations WHERE id NOT IN (SELECT annotation_id FROM annotation_tags)"
            ).fetchone()[0]
            by_tag = dict(execute("SELECT tag, count(*) FROM annotation_tags GROUP BY tag ORDER BY tag"))
            by_document = dict(
                execute("SELECT doc_hash, count(*) FROM annotations GROUP BY doc_hash ORDER BY doc_hash")
            )
            by_document_and_tag: dict[str, dict[str, int]] = {}
            for doc_hash, tag, count in execute(
                "SELECT a.doc_hash, t.tag, count(*) FROM annotation_tags t JOIN annotations a "
                "ON a.id = t.annotation_id GROUP BY a.doc_hash, t.tag ORDER BY a.doc_hash, t.tag"
            ):
                by_document_and_tag.setdefault(doc_hash, {})[tag] = count
        return StoreStats(
            documents=documents,
            annotations=annotations,
            orphans=orphans,
            untagged=untagged,
            by_tag=by_tag,
            by_document=by_document,
            by_document_and_tag=by_document_and_tag,
        )

    def integrity_check(self) -> str:
        """SQLite's full check: ``"ok"`` or the first problem found."""
        return self._db.read("PRAGMA integrity_check")[0][0]


def _assemble(rows: list[tuple], tag_rows: list[tuple]) -> list[Annotation]:
    """Rows in ``ANNOTATION_COLUMNS`` order plus (id, tag) rows; positional for speed on 10,000."""
    tags = group(tag_rows)
    no_tags: tuple[str, ...] = ()
    split = TAGS_AT
    return [
        Annotation(*row[:split], tuple(tags[row[0]]) if row[0] in tags else no_tags, *row[split:])
        for row in rows
    ]


def _normalise_path(path: str | os.PathLike[str]) -> str:
    """The path as stored: absolute, and as text SQLite accepts even for a name that is not
    UTF-8 (see ``tui.corpus.names.portable_path``)."""
    return portable_path(os.path.abspath(os.path.expanduser(os.fspath(path))))


def _document(row: tuple) -> Document:
    hash, path, title = row
    return Document(hash, path_from_portable(path), title)
