"""The PostgreSQL annotation store: a team's annotations on one server, the same API as SQLite.

Who annotates is the role the URL logs in as (``current_user``): the store fills it in and
refuses another name unless the role is a curator. Row-level security on the server
enforces the same rule for any client, Margin or raw SQL; the store checks first so the
message says whose annotation it is instead of "0 rows updated".

Documents are shared by SHA-256; each annotator keeps their own path, reading position
and direction for a document. The tag set is one for the whole team.

It runs past 500 lines because one class answers the whole core of the ``NoteStore``
interface for this backend, with the ownership checks row-level security needs beside
each write; the team, relations and tag queries are mixins in modules of their own, as
new tables' queries should be.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import replace

from tui.corpus.names import path_from_portable, portable_path
from tui.notes.model import (
    ANCHORED,
    ORPHAN,
    Annotation,
    AnnotationStatus,
    Document,
    Tag,
    check_span,
    check_tag_name,
    make_selectors,
    new_uid,
    utc_now,
)
from tui.notes.postgres import tags as tag_queries
from tui.notes.postgres.connection import Connection
from tui.notes.postgres.curation import PostgresCurationMixin
from tui.notes.postgres.labels import PostgresLabelsMixin
from tui.notes.postgres.relations import PostgresRelationsMixin
from tui.notes.postgres.schema import IS_CURATOR, SCHEMA_VERSION, current_version, initialise
from tui.notes.postgres.suggestions import PostgresSuggestionsMixin
from tui.notes.postgres.team import PostgresTeamMixin
from tui.notes.sqlite.schema import ANNOTATION_COLUMNS, INSERT_COLUMNS, SELECT_ANNOTATION, TAGS_AT
from tui.notes.store_api import (
    Conflict,
    Gone,
    InvalidRequest,
    NotAllowed,
    StoreStats,
    StoreUnavailable,
    same_version,
)


def insert_sql(columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{column}"' for column in columns)
    return f"INSERT INTO annotations({names}) VALUES ({', '.join(['%s'] * len(columns))}) RETURNING id"


class PostgresStore(
    PostgresLabelsMixin, PostgresTeamMixin, PostgresRelationsMixin, PostgresCurationMixin, PostgresSuggestionsMixin
):
    """Annotations, tags, documents and reading positions of a team, on a PostgreSQL server.

    Implements ``tui.notes.store_api.NoteStore`` and ``tui.notes.team.TeamStore``.
    """

    read_only = False
    read_only_reason = None

    def __init__(self, db: Connection, annotator: str, is_curator: bool) -> None:
        self._db = db
        self.location = db.location
        self.annotator = annotator
        """The database role this store writes as: the annotator of every new annotation."""
        self.is_curator = is_curator
        """Whether this role may change other annotators' annotations."""
        self._listings: dict[str, list[Annotation]] = {}
        self._listings_token: int | None = None

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> PostgresStore:
        """Connect, check (or, for a role allowed to, create or upgrade) the schema.

        ``StoreOffline`` when the server cannot be reached; ``StoreUnavailable`` when the
        database has no Margin schema, or an older one, and this role may not set it up.
        """
        db = Connection(url)
        with db.lock, db.errors():
            connection = db.live()
            with connection.cursor() as cursor:
                version = current_version(cursor)
            if version != SCHEMA_VERSION:
                if version is not None and version > SCHEMA_VERSION:
                    db.close()
                    raise StoreUnavailable(
                        f"the notes store {db.location} has schema version {version}, newer than "
                        f"this Margin understands ({SCHEMA_VERSION})"
                    )
                if not migrate:
                    db.close()
                    raise StoreUnavailable(_needs_init(db.location, version))
                try:
                    initialise(connection)
                except Exception as error:
                    db.close()
                    translated = db.translate(error)
                    if translated is None:
                        raise
                    raise StoreUnavailable(f"{_needs_init(db.location, version)} ({translated})") from None
            annotator, curator = connection.execute(
                f"SELECT current_user, {IS_CURATOR} OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
            ).fetchone()
        return cls(db, annotator, bool(curator))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """One committed transaction around several calls; nested use joins the outer one."""
        return self._db.transaction()

    # -- documents -------------------------------------------------------------

    def register_document(self, hash: str, path: str | os.PathLike[str], title: str) -> None:
        """Remember where this annotator keeps a document; others keep their own paths."""
        with self.transaction():
            self._db.write(
                "INSERT INTO documents(hash, path, title, seen) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (hash, annotator) DO UPDATE SET path = EXCLUDED.path, "
                "title = EXCLUDED.title, seen = EXCLUDED.seen",
                (hash, _normalise_path(path), title, utc_now()),
            )

    def document(self, hash: str) -> Document | None:
        """The document as this annotator last saw it, else as a teammate did."""
        rows = self._db.read(
            "SELECT hash, path, title FROM documents WHERE hash = %s "
            "ORDER BY annotator = current_user DESC, seen DESC LIMIT 1",
            (hash,),
        )
        return _document(rows[0]) if rows else None

    def document_by_path(self, path: str | os.PathLike[str]) -> Document | None:
        rows = self._db.read(
            "SELECT hash, path, title FROM documents WHERE path = %s "
            "ORDER BY annotator = current_user DESC, seen DESC LIMIT 1",
            (_normalise_path(path),),
        )
        return _document(rows[0]) if rows else None

    def documents(self) -> list[Document]:
        rows = self._db.read(
            "SELECT hash, path, title FROM (SELECT DISTINCT ON (hash) hash, path, title FROM documents "
            "ORDER BY hash, annotator = current_user DESC, seen DESC) d ORDER BY title, path"
        )
        return [_document(row) for row in rows]

    # -- reading positions and settings -----------------------------------------

    def set_position(self, doc_hash: str, offset: int) -> None:
        if not isinstance(offset, int) or offset < 0:
            raise InvalidRequest(f"reading position must be a non-negative integer, got {offset!r}")
        with self.transaction():
            self._db.write(
                'INSERT INTO positions(doc_hash, "offset", updated) VALUES (%s, %s, %s) '
                'ON CONFLICT (doc_hash, annotator) DO UPDATE SET "offset" = EXCLUDED."offset", '
                "updated = EXCLUDED.updated",
                (doc_hash, offset, utc_now()),
            )

    def position(self, doc_hash: str) -> int | None:
        rows = self._db.read(
            'SELECT "offset" FROM positions WHERE doc_hash = %s AND annotator = current_user', (doc_hash,)
        )
        return rows[0][0] if rows else None

    def set_direction(self, doc_hash: str, level: int | None) -> None:
        if level not in (None, 0, 1):
            raise InvalidRequest(f"direction must be 0, 1 or None, got {level!r}")
        with self.transaction():
            self._db.write(
                "INSERT INTO document_settings(doc_hash, direction) VALUES (%s, %s) "
                "ON CONFLICT (doc_hash, annotator) DO UPDATE SET direction = EXCLUDED.direction",
                (doc_hash, level),
            )

    def direction(self, doc_hash: str) -> int | None:
        rows = self._db.read(
            "SELECT direction FROM document_settings WHERE doc_hash = %s AND annotator = current_user",
            (doc_hash,),
        )
        return rows[0][0] if rows else None

    def set_encoding(self, doc_hash: str, encoding: str | None) -> None:
        if encoding is not None and (not isinstance(encoding, str) or not encoding.strip()):
            raise InvalidRequest(f"encoding must be a codec name or None, got {encoding!r}")
        with self.transaction():
            self._db.write(
                "INSERT INTO document_settings(doc_hash, encoding) VALUES (%s, %s) "
                "ON CONFLICT (doc_hash, annotator) DO UPDATE SET encoding = EXCLUDED.encoding",
                (doc_hash, encoding),
            )

    def encoding(self, doc_hash: str) -> str | None:
        rows = self._db.read(
            "SELECT encoding FROM document_settings WHERE doc_hash = %s AND annotator = current_user",
            (doc_hash,),
        )
        return rows[0][0] if rows else None

    # -- tags (one set for the team) ---------------------------------------------

    def tags(self) -> list[Tag]:
        return tag_queries.all_tags(self._db)

    def tag(self, name: str) -> Tag | None:
        return tag_queries.find(self._db, name)

    def create_tag(self, name: str, color: str | None = None, key: str | None = None) -> Tag:
        with self.transaction():
            return tag_queries.create(self._db, name, color, key)

    def rename_tag(self, old: str, new: str) -> None:
        with self.transaction():
            tag_queries.rename(self._db, old, new)

    def recolor_tag(self, name: str, color: str) -> None:
        with self.transaction():
            tag_queries.recolor(self._db, name, color)

    def set_tag_key(self, name: str, key: str | None) -> None:
        with self.transaction():
            tag_queries.set_key(self._db, name, key)

    def tag_usage(self, name: str) -> int:
        return tag_queries.usage(self._db, name)

    def tagged_with(self, name: str) -> dict[int, tuple[str, ...]]:
        return tag_queries.tagged_with(self._db, name)

    def delete_tag(self, name: str) -> int:
        with self.transaction():
            return tag_queries.delete(self._db, name)

    # -- annotations -----------------------------------------------------------

    def _check_annotator(self, annotator: str | None) -> str:
        """This role's name, or another's for a curator; anyone else is refused."""
        if not annotator or annotator == self.annotator:
            return self.annotator
        if self.is_curator:
            return annotator
        raise NotAllowed(
            f"you are logged in to the notes server as {self.annotator!r}; "
            f"annotations cannot be recorded as {annotator!r}"
        )

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
        who = self._check_annotator(annotator)
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
        self._check_annotator(annotation.annotator)
        with self.transaction():
            if self._db.write("SELECT 1 FROM annotations WHERE uid = %s", (annotation.uid,)).fetchone():
                raise InvalidRequest(f"annotation {annotation.uid} already exists")
            restored = replace(annotation, tags=tag_queries.ensure(self._db, annotation.tags))
            keep_id = annotation.id > 0 and not self._db.write(
                "SELECT 1 FROM annotations WHERE id = %s", (annotation.id,)
            ).fetchone()
            return self._insert_annotation(restored, keep_id=keep_id)

    def _insert_annotation(self, annotation: Annotation, *, keep_id: bool) -> Annotation:
        if annotation.status not in (ANCHORED, ORPHAN):
            raise InvalidRequest(f"unknown annotation status {annotation.status!r}")
        columns = ANNOTATION_COLUMNS if keep_id else INSERT_COLUMNS
        values = tuple(getattr(annotation, column) for column in columns)
        annotation_id = self._db.write(insert_sql(columns), values).fetchone()[0]
        tag_queries.write_annotation_tags(self._db, annotation_id, annotation.tags)
        return replace(annotation, id=annotation_id)

    def get(self, id: int) -> Annotation | None:
        rows = self._db.read(f"SELECT {SELECT_ANNOTATION} FROM annotations WHERE id = %s", (id,))
        return self._with_tags(rows)[0] if rows else None

    def get_by_uid(self, uid: str) -> Annotation | None:
        rows = self._db.read(f"SELECT {SELECT_ANNOTATION} FROM annotations WHERE uid = %s", (uid,))
        return self._with_tags(rows)[0] if rows else None

    def annotations(self, doc_hash: str) -> list[Annotation]:
        """A document's annotations (everyone's) in reading order (start, end, id).

        Listings are remembered until the change log moves, so redrawing a large document
        after each keystroke costs one indexed query instead of thousands of rows.
        """
        with self._db.lock, self._db.errors():
            if not self._db.depth:
                token = self.change_token()
                if token != self._listings_token:
                    self._listings.clear()
                    self._listings_token = token
                remembered = self._listings.get(doc_hash)
                if remembered is not None:
                    return list(remembered)
            connection = self._db.live()
            rows = connection.execute(
                f'SELECT {SELECT_ANNOTATION} FROM annotations WHERE doc_hash = %s ORDER BY start, "end", id',
                (doc_hash,),
            ).fetchall()
            tag_rows = connection.execute(
                "SELECT t.annotation_id, t.tag FROM annotation_tags t JOIN annotations a "
                "ON a.id = t.annotation_id WHERE a.doc_hash = %s ORDER BY t.annotation_id, t.position",
                (doc_hash,),
            ).fetchall()
            listing = assemble(rows, tag_rows)
            if not self._db.depth:
                self._listings[doc_hash] = listing
        return list(listing)

    def all_annotations(self) -> list[Annotation]:
        rows = self._db.read(f'SELECT {SELECT_ANNOTATION} FROM annotations ORDER BY doc_hash, start, "end", id')
        tag_rows = self._db.read("SELECT annotation_id, tag FROM annotation_tags ORDER BY annotation_id, position")
        return assemble(rows, tag_rows)

    def _with_tags(self, rows: list[tuple]) -> list[Annotation]:
        ids = [row[0] for row in rows]
        tag_rows = self._db.read(
            "SELECT annotation_id, tag FROM annotation_tags WHERE annotation_id = ANY(%s) "
            "ORDER BY annotation_id, position",
            (ids,),
        )
        return assemble(rows, tag_rows)

    def _require(self, id: int, expected: Annotation | None = None) -> Annotation:
        """The annotation as it is now, if this role may change it."""
        annotation = self.get(id)
        if annotation is None:
            raise Gone(id)
        if expected is not None and not same_version(expected, annotation):
            raise Conflict(annotation)
        if annotation.annotator != self.annotator and not self.is_curator:
            raise NotAllowed(
                f"this annotation is {annotation.annotator}'s; only curators change other "
                "annotators' annotations"
            )
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
        modified = utc_now()
        if "note" in changes:
            self._db.write(
                "UPDATE annotations SET note = %s, modified = %s WHERE id = %s",
                (changes["note"], modified, annotation.id),
            )
        else:
            self._db.write("UPDATE annotations SET modified = %s WHERE id = %s", (modified, annotation.id))
        return replace(annotation, **changes, modified=modified)

    def delete_annotation(self, id: int, *, expected: Annotation | None = None) -> Annotation:
        """Delete (leaving a tombstone on the server) and return the annotation as it was."""
        with self.transaction():
            annotation = self._require(id, expected)
            self._db.write("DELETE FROM annotations WHERE id = %s", (id,))
            return annotation

    def update_anchor(
        self, id: int, start: int, end: int, status: AnnotationStatus, text: str | None = None
    ) -> Annotation:
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
                'UPDATE annotations SET start = %s, "end" = %s, status = %s, quote = %s, prefix = %s, '
                "suffix = %s WHERE id = %s",
                (start, end, status, quote, prefix, suffix, id),
            )
            return replace(
                annotation, start=start, end=end, status=status, quote=quote, prefix=prefix, suffix=suffix
            )

    def move_annotations(self, from_hash: str, to_hash: str) -> int:
        """Carry a document's annotations (those this role may change) to its new identity."""
        with self.transaction():
            moved = self._db.write(
                "UPDATE annotations SET doc_hash = %s WHERE doc_hash = %s", (to_hash, from_hash)
            ).rowcount
            self._db.write(
                "UPDATE positions SET doc_hash = %s WHERE doc_hash = %s AND annotator = current_user "
                "AND NOT EXISTS (SELECT 1 FROM positions p WHERE p.doc_hash = %s AND p.annotator = current_user)",
                (to_hash, from_hash, to_hash),
            )
            return moved

    # -- summaries -------------------------------------------------------------

    def annotation_counts(self) -> dict[str, int]:
        return dict(self._db.read("SELECT doc_hash, count(*) FROM annotations GROUP BY doc_hash"))

    def tags_by_document(self) -> dict[str, list[str]]:
        rows = self._db.read(
            "SELECT DISTINCT a.doc_hash, t.tag FROM annotation_tags t JOIN annotations a "
            "ON a.id = t.annotation_id ORDER BY a.doc_hash, t.tag"
        )
        grouped: dict[str, list[str]] = {}
        for doc_hash, tag in rows:
            grouped.setdefault(doc_hash, []).append(tag)
        return grouped

    def stats(self) -> StoreStats:
        read = self._db.read
        documents = read("SELECT count(*) FROM (SELECT hash FROM documents UNION SELECT doc_hash FROM annotations) d")[0][0]
        annotations, orphans = read(
            "SELECT count(*), count(*) FILTER (WHERE status = 'orphan') FROM annotations"
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
        """``"ok"`` when the server answers and every tag on an annotation is a known tag."""
        dangling = self._db.read(
            "SELECT count(*) FROM annotation_tags t LEFT JOIN tags g ON g.name = t.tag WHERE g.name IS NULL"
        )[0][0]
        return "ok" if dangling == 0 else f"{dangling} annotation tags name no tag"


def assemble(rows: list[tuple], tag_rows: list[tuple]) -> list[Annotation]:
    """Rows in ``ANNOTATION_COLUMNS`` order plus (id, tag) rows, positionally for speed."""
    tags: dict[int, list[str]] = {}
    for annotation_id, tag in tag_rows:
        tags.setdefault(annotation_id, []).append(tag)
    no_tags: tuple[str, ...] = ()
    split = TAGS_AT
    return [
        Annotation(*row[:split], tuple(tags[row[0]]) if row[0] in tags else no_tags, *row[split:])
        for row in rows
    ]


def _needs_init(location: str, version: int | None) -> str:
    what = "has no Margin schema" if version is None else f"has Margin schema version {version}, older than {SCHEMA_VERSION}"
    return f"the notes server {location} {what}: an administrator runs `margin admin init URL`"


def _normalise_path(path: str | os.PathLike[str]) -> str:
    """The path as stored: absolute, and as text the server accepts even for a name that is
    not UTF-8 (see ``tui.corpus.names.portable_path``)."""
    return portable_path(os.path.abspath(os.path.expanduser(os.fspath(path))))


def _document(row: tuple) -> Document:
    hash, path, title = row
    return Document(hash, path_from_portable(path), title)
