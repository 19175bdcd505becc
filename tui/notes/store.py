"""The annotation store: one SQLite file per corpus, safe against crashes and a second instance.

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
raw ``sqlite3`` exceptions.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from tui.notes.model import (
    ANCHORED,
    ORPHAN,
    TAG_KEYS,
    Annotation,
    AnnotationStatus,
    Document,
    InvalidValue,
    Tag,
    check_color,
    check_key,
    check_span,
    check_tag_name,
    make_selectors,
    new_uid,
    utc_now,
)

BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 32 * 1024
"""Page cache per connection: a document's 10,000 annotations stay in memory between listings."""
SQLITE_HEADER = b"SQLite format 3\x00"

PALETTE = (
    "#e69f00",
    "#56b4e9",
    "#009e73",
    "#d55e00",
    "#cc79a7",
    "#f0e442",
    "#0072b2",
    "#999999",
    "#a6761d",
    "#66a61e",
)
"""Okabe–Ito's colour-blind-safe colours first, then a few distinct extras."""

DEFAULT_TAGS = (
    Tag("key-point", PALETTE[0], "1"),
    Tag("question", PALETTE[1], "2"),
    Tag("evidence", PALETTE[2], "3"),
    Tag("disagree", PALETTE[3], "4"),
    Tag("todo", PALETTE[4], "5"),
)
"""A new store starts with the tags a close reader reaches for first, on keys 1-5."""


class StoreError(Exception):
    """Anything that went wrong in the store, with a one-line message."""


class StoreDamaged(StoreError):
    """The file is not a readable Margin store; ``Store.open_or_recover`` moves it aside."""


class StoreUnavailable(StoreError):
    """The store cannot be created or written; the app carries on without notes."""


class StoreBusy(StoreError):
    """Another process held the write lock longer than the busy timeout."""


class NotFound(StoreError, LookupError):
    """No annotation or tag by that id or name."""


class InvalidRequest(StoreError, ValueError):
    """A value the store refuses: a bad span, colour, key, a duplicate tag or uid."""


@dataclass(frozen=True, slots=True)
class StoreStats:
    documents: int
    annotations: int
    orphans: int
    untagged: int
    by_tag: dict[str, int]
    by_document: dict[str, int]
    by_document_and_tag: dict[str, dict[str, int]]


def _migration_1(connection: sqlite3.Connection) -> None:
    _execute_script(
        connection,
        """
        CREATE TABLE documents (
            hash TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            title TEXT NOT NULL,
            seen TEXT NOT NULL
        );
        CREATE INDEX documents_by_path ON documents(path);

        CREATE TABLE positions (
            doc_hash TEXT PRIMARY KEY,
            offset INTEGER NOT NULL CHECK (offset >= 0),
            updated TEXT NOT NULL
        );

        CREATE TABLE tags (
            name TEXT PRIMARY KEY,
            color TEXT NOT NULL,
            key TEXT UNIQUE,
            created TEXT NOT NULL
        );

        CREATE TABLE annotations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            doc_hash TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            prefix TEXT NOT NULL,
            suffix TEXT NOT NULL,
            note TEXT NOT NULL,
            annotator TEXT NOT NULL,
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('anchored', 'orphan')),
            CHECK (0 <= start AND start <= "end")
        );
        CREATE INDEX annotations_in_reading_order ON annotations(doc_hash, start, "end", id);

        CREATE TABLE annotation_tags (
            annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            tag TEXT NOT NULL REFERENCES tags(name) ON UPDATE CASCADE ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (annotation_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX annotation_tags_by_tag ON annotation_tags(tag);
        """,
    )
    now = utc_now()
    connection.executemany(
        "INSERT INTO tags(name, color, key, created) VALUES (?, ?, ?, ?)",
        [(tag.name, tag.color, tag.key, now) for tag in DEFAULT_TAGS],
    )


def _migration_2(connection: sqlite3.Connection) -> None:
    """Per-document reading settings: the paragraph direction a reader chose."""
    _execute_script(
        connection,
        """
        CREATE TABLE document_settings (
            doc_hash TEXT PRIMARY KEY,
            direction INTEGER CHECK (direction IN (0, 1))
        );
        """,
    )


def _execute_script(connection: sqlite3.Connection, script: str) -> None:
    """Run DDL statement by statement: ``executescript`` would commit the migration's transaction."""
    for statement in script.split(";"):
        if statement.strip():
            connection.execute(statement)


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_migration_1, _migration_2)
"""Migration ``i`` takes the schema from version ``i`` to ``i + 1``; append, never edit."""

SCHEMA_VERSION = len(MIGRATIONS)

_ANNOTATION_COLUMNS = (
    'id, uid, doc_hash, start, "end", quote, prefix, suffix, note, annotator, created, modified, status'
)


def _damaged_message(path: Path, detail: str) -> str:
    return f"the notes store {path} is damaged ({detail})"


def _translate(path: Path, error: sqlite3.Error) -> StoreError:
    """Map a sqlite3 error to the store's own kind with a one-line message."""
    detail = str(error).splitlines()[0] if str(error) else type(error).__name__
    lowered = detail.lower()
    if isinstance(error, sqlite3.DatabaseError) and any(
        phrase in lowered for phrase in ("not a database", "malformed", "encrypted", "corrupt")
    ):
        return StoreDamaged(_damaged_message(path, detail))
    if "locked" in lowered or "busy" in lowered:
        return StoreBusy(f"the notes store {path} is busy in another process ({detail})")
    if any(
        phrase in lowered
        for phrase in ("readonly", "read-only", "unable to open", "disk i/o", "disk is full", "permission")
    ):
        return StoreUnavailable(f"cannot write the notes store {path} ({detail})")
    if isinstance(error, sqlite3.IntegrityError):
        return InvalidRequest(f"the notes store refused the change ({detail})")
    return StoreError(f"notes store error in {path}: {detail}")


def _default_annotator() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


def _normalise_path(path: str | os.PathLike[str]) -> str:
    return os.path.abspath(os.path.expanduser(os.fspath(path)))


class Store:
    """Annotations, tags, documents and reading positions of one corpus."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._connection = connection
        self._lock = threading.RLock()
        self._depth = 0
        self._listings: dict[str, list[Annotation]] = {}
        self._listings_version: int | None = None

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open or create the store; ``StoreDamaged`` or ``StoreUnavailable`` if that is impossible."""
        path = Path(path)
        _prepare_location(path)
        if path.exists() and path.stat().st_size > 0:
            _check_readable(path)
        try:
            connection = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise _translate(path, error) from None
        try:
            _first_contact(connection, path)
        except sqlite3.Error as error:
            connection.close()
            raise _translate(path, error) from None
        except StoreError:
            connection.close()
            raise
        return cls(path, connection)

    @classmethod
    def open_or_recover(cls, path: Path) -> tuple[Store, str | None]:
        """Open the store; a damaged file is moved aside untouched and a fresh store opened."""
        path = Path(path)
        try:
            return cls.open(path), None
        except StoreDamaged as damage:
            aside = _move_aside(path)
            store = cls.open(path)
            return store, f"{damage}; it was moved to {aside} and a new store was started"

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One committed transaction around several calls; nested use joins the outer one."""
        with self._lock, self._errors():
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._connection.execute("BEGIN IMMEDIATE")
            self._depth = 1
            self._listings.clear()
            try:
                yield
            except BaseException:
                self._depth = 0
                self._listings.clear()
                self._connection.execute("ROLLBACK")
                raise
            self._depth = 0
            self._listings.clear()
            try:
                self._connection.execute("COMMIT")
            except sqlite3.Error:
                if self._connection.in_transaction:
                    self._connection.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise _translate(self.path, error) from None
        except InvalidValue as error:
            raise InvalidRequest(str(error)) from None

    def _read(self, sql: str, parameters: Iterable[object] = ()) -> list[tuple]:
        with self._lock, self._errors():
            return self._connection.execute(sql, tuple(parameters)).fetchall()

    # -- documents -------------------------------------------------------------

    def register_document(self, hash: str, path: str | os.PathLike[str], title: str) -> None:
        """Remember a document; a later call with a new path records where it moved."""
        with self.transaction():
            self._connection.execute(
                "INSERT INTO documents(hash, path, title, seen) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(hash) DO UPDATE SET path = excluded.path, title = excluded.title, "
                "seen = excluded.seen",
                (hash, _normalise_path(path), title, utc_now()),
            )

    def document(self, hash: str) -> Document | None:
        rows = self._read("SELECT hash, path, title FROM documents WHERE hash = ?", (hash,))
        return Document(*rows[0]) if rows else None

    def document_by_path(self, path: str | os.PathLike[str]) -> Document | None:
        """The most recently seen document at that path (an edited file has a new hash)."""
        rows = self._read(
            "SELECT hash, path, title FROM documents WHERE path = ? ORDER BY seen DESC, rowid DESC LIMIT 1",
            (_normalise_path(path),),
        )
        return Document(*rows[0]) if rows else None

    def documents(self) -> list[Document]:
        rows = self._read("SELECT hash, path, title FROM documents ORDER BY title, path")
        return [Document(*row) for row in rows]

    # -- reading positions -----------------------------------------------------

    def set_position(self, doc_hash: str, offset: int) -> None:
        if not isinstance(offset, int) or offset < 0:
            raise InvalidRequest(f"reading position must be a non-negative integer, got {offset!r}")
        with self.transaction():
            self._connection.execute(
                "INSERT INTO positions(doc_hash, offset, updated) VALUES (?, ?, ?) "
                "ON CONFLICT(doc_hash) DO UPDATE SET offset = excluded.offset, updated = excluded.updated",
                (doc_hash, offset, utc_now()),
            )

    def position(self, doc_hash: str) -> int | None:
        rows = self._read("SELECT offset FROM positions WHERE doc_hash = ?", (doc_hash,))
        return rows[0][0] if rows else None

    def set_direction(self, doc_hash: str, level: int | None) -> None:
        """Remember a document's paragraph direction (0 LTR, 1 RTL; None: from its text)."""
        if level not in (None, 0, 1):
            raise InvalidRequest(f"direction must be 0, 1 or None, got {level!r}")
        with self.transaction():
            self._connection.execute(
                "INSERT INTO document_settings(doc_hash, direction) VALUES (?, ?) "
                "ON CONFLICT(doc_hash) DO UPDATE SET direction = excluded.direction",
                (doc_hash, level),
            )

    def direction(self, doc_hash: str) -> int | None:
        rows = self._read("SELECT direction FROM document_settings WHERE doc_hash = ?", (doc_hash,))
        return rows[0][0] if rows else None

    # -- tags ------------------------------------------------------------------

    def tags(self) -> list[Tag]:
        """Tags with a key first, in key order, then the rest by name."""
        rows = self._read(
            "SELECT name, color, key FROM tags ORDER BY key IS NULL, key, name COLLATE NOCASE, name"
        )
        return [Tag(*row) for row in rows]

    def tag(self, name: str) -> Tag | None:
        rows = self._read("SELECT name, color, key FROM tags WHERE name = ?", (name,))
        return Tag(*rows[0]) if rows else None

    def create_tag(self, name: str, color: str | None = None, key: str | None = None) -> Tag:
        """A new tag; without a colour or key it gets the next unused palette colour and free key."""
        with self.transaction():
            name = check_tag_name(name)
            if self.tag(name) is not None:
                raise InvalidRequest(f"tag {name!r} already exists")
            return self._insert_tag(name, color, key)

    def _insert_tag(self, name: str, color: str | None, key: str | None) -> Tag:
        existing = self.tags()
        if color is None:
            color = _next_color([tag.color for tag in existing])
        color = check_color(color)
        key = check_key(key)
        if key is None:
            used = {tag.key for tag in existing}
            key = next((candidate for candidate in TAG_KEYS if candidate not in used), None)
        else:
            self._connection.execute("UPDATE tags SET key = NULL WHERE key = ?", (key,))
        self._connection.execute(
            "INSERT INTO tags(name, color, key, created) VALUES (?, ?, ?, ?)",
            (name, color, key, utc_now()),
        )
        return Tag(name, color, key)

    def _ensure_tags(self, names: Iterable[str]) -> tuple[str, ...]:
        """Tag names cleaned and deduplicated in order; unknown ones are created."""
        cleaned: list[str] = []
        for name in names:
            name = check_tag_name(name)
            if name not in cleaned:
                cleaned.append(name)
        for name in cleaned:
            if self.tag(name) is None:
                self._insert_tag(name, None, None)
        return tuple(cleaned)

    def rename_tag(self, old: str, new: str) -> None:
        """Rename everywhere at once (the annotations follow by ``ON UPDATE CASCADE``)."""
        with self.transaction():
            new = check_tag_name(new)
            self._require_tag(old)
            if new == old:
                return
            if self.tag(new) is not None:
                raise InvalidRequest(f"tag {new!r} already exists")
            self._connection.execute("UPDATE tags SET name = ? WHERE name = ?", (new, old))

    def recolor_tag(self, name: str, color: str) -> None:
        with self.transaction():
            color = check_color(color)
            self._require_tag(name)
            self._connection.execute("UPDATE tags SET color = ? WHERE name = ?", (color, name))

    def set_tag_key(self, name: str, key: str | None) -> None:
        """Bind a key 1-9 (taking it from whichever tag had it) or unbind with None."""
        with self.transaction():
            key = check_key(key)
            self._require_tag(name)
            if key is not None:
                self._connection.execute(
                    "UPDATE tags SET key = NULL WHERE key = ? AND name != ?", (key, name)
                )
            self._connection.execute("UPDATE tags SET key = ? WHERE name = ?", (key, name))

    def tag_usage(self, name: str) -> int:
        return self._read("SELECT count(*) FROM annotation_tags WHERE tag = ?", (name,))[0][0]

    def tagged_with(self, name: str) -> dict[int, tuple[str, ...]]:
        """Each annotation carrying the tag, with its full tag tuple (what undoing a delete needs)."""
        rows = self._read(
            "SELECT t.annotation_id, t.tag FROM annotation_tags t "
            "WHERE t.annotation_id IN (SELECT annotation_id FROM annotation_tags WHERE tag = ?) "
            "ORDER BY t.annotation_id, t.position",
            (name,),
        )
        grouped: dict[int, list[str]] = {}
        for annotation_id, tag in rows:
            grouped.setdefault(annotation_id, []).append(tag)
        return {annotation_id: tuple(tags) for annotation_id, tags in grouped.items()}

    def delete_tag(self, name: str) -> int:
        """Remove the tag and take it off its annotations, which stay; returns how many it was on."""
        with self.transaction():
            self._require_tag(name)
            touched = self.tag_usage(name)
            if touched:
                self._connection.execute(
                    "UPDATE annotations SET modified = ? WHERE id IN "
                    "(SELECT annotation_id FROM annotation_tags WHERE tag = ?)",
                    (utc_now(), name),
                )
            self._connection.execute("DELETE FROM tags WHERE name = ?", (name,))
            return touched

    def _require_tag(self, name: str) -> None:
        if self.tag(name) is None:
            raise NotFound(f"no tag named {name!r}")

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
                tags=self._ensure_tags(tags),
                note=note,
                annotator=annotator or _default_annotator(),
                created=now,
                modified=now,
                status=ANCHORED,
            )
            return self._insert_annotation(annotation, keep_id=False)

    def restore_annotation(self, annotation: Annotation) -> Annotation:
        """Put back a deleted annotation with its id and uid (undo, import)."""
        with self.transaction():
            if self._read("SELECT 1 FROM annotations WHERE uid = ?", (annotation.uid,)):
                raise InvalidRequest(f"annotation {annotation.uid} already exists")
            restored = replace(annotation, tags=self._ensure_tags(annotation.tags))
            keep_id = annotation.id > 0 and not self._read(
                "SELECT 1 FROM annotations WHERE id = ?", (annotation.id,)
            )
            return self._insert_annotation(restored, keep_id=keep_id)

    def _insert_annotation(self, annotation: Annotation, *, keep_id: bool) -> Annotation:
        if annotation.status not in (ANCHORED, ORPHAN):
            raise InvalidRequest(f"unknown annotation status {annotation.status!r}")
        values = (
            annotation.uid,
            annotation.doc_hash,
            annotation.start,
            annotation.end,
            annotation.quote,
            annotation.prefix,
            annotation.suffix,
            annotation.note,
            annotation.annotator,
            annotation.created,
            annotation.modified,
            annotation.status,
        )
        columns = (
            'uid, doc_hash, start, "end", quote, prefix, suffix, note, annotator, created, modified, status'
        )
        if keep_id:
            cursor = self._connection.execute(
                f"INSERT INTO annotations(id, {columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (annotation.id, *values),
            )
        else:
            cursor = self._connection.execute(
                f"INSERT INTO annotations({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values
            )
        annotation_id = cursor.lastrowid
        self._write_tags(annotation_id, annotation.tags)
        return replace(annotation, id=annotation_id)

    def _write_tags(self, annotation_id: int, tags: tuple[str, ...]) -> None:
        self._connection.execute("DELETE FROM annotation_tags WHERE annotation_id = ?", (annotation_id,))
        self._connection.executemany(
            "INSERT INTO annotation_tags(annotation_id, tag, position) VALUES (?, ?, ?)",
            [(annotation_id, tag, position) for position, tag in enumerate(tags)],
        )

    def get(self, id: int) -> Annotation | None:
        rows = self._read(f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (id,))
        return self._with_tags(rows)[0] if rows else None

    def get_by_uid(self, uid: str) -> Annotation | None:
        rows = self._read(f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE uid = ?", (uid,))
        return self._with_tags(rows)[0] if rows else None

    def annotations(self, doc_hash: str) -> list[Annotation]:
        """A document's annotations in reading order (start, end, id).

        Listings are remembered until this store writes or ``PRAGMA data_version`` shows
        another connection committed, so redrawing a 10,000-annotation document after
        each keystroke does not rebuild 10,000 values.
        """
        with self._lock, self._errors():
            if not self._depth:
                version = self._connection.execute("PRAGMA data_version").fetchone()[0]
                if version != self._listings_version:
                    self._listings.clear()
                    self._listings_version = version
                remembered = self._listings.get(doc_hash)
                if remembered is not None:
                    return list(remembered)
            rows = self._connection.execute(
                f'SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE doc_hash = ? ORDER BY start, "end", id',
                (doc_hash,),
            ).fetchall()
            tag_rows = self._connection.execute(
                "SELECT t.annotation_id, t.tag FROM annotation_tags t JOIN annotations a "
                "ON a.id = t.annotation_id WHERE a.doc_hash = ? ORDER BY t.annotation_id, t.position",
                (doc_hash,),
            ).fetchall()
            listing = _assemble(rows, tag_rows)
            if not self._depth:
                self._listings[doc_hash] = listing
        return list(listing)

    def all_annotations(self) -> list[Annotation]:
        """Every annotation, grouped by document, each document in reading order."""
        with self._lock, self._errors():
            rows = self._connection.execute(
                f'SELECT {_ANNOTATION_COLUMNS} FROM annotations ORDER BY doc_hash, start, "end", id'
            ).fetchall()
            tag_rows = self._connection.execute(
                "SELECT annotation_id, tag FROM annotation_tags ORDER BY annotation_id, position"
            ).fetchall()
        return _assemble(rows, tag_rows)

    def _with_tags(self, rows: list[tuple]) -> list[Annotation]:
        ids = [row[0] for row in rows]
        placeholders = ",".join("?" * len(ids))
        tag_rows = self._read(
            f"SELECT annotation_id, tag FROM annotation_tags WHERE annotation_id IN ({placeholders}) "
            "ORDER BY annotation_id, position",
            ids,
        )
        return _assemble(rows, tag_rows)

    def _require(self, id: int) -> Annotation:
        annotation = self.get(id)
        if annotation is None:
            raise NotFound(f"no annotation with id {id}")
        return annotation

    def set_tags(self, id: int, tags: Iterable[str]) -> Annotation:
        with self.transaction():
            annotation = self._require(id)
            cleaned = self._ensure_tags(tags)
            self._write_tags(id, cleaned)
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

    def set_note(self, id: int, note: str) -> Annotation:
        with self.transaction():
            annotation = self._require(id)
            return self._touch(annotation, note=note)

    def _touch(self, annotation: Annotation, **changes: object) -> Annotation:
        """Record a change made by the annotator: bumps ``modified``."""
        modified = utc_now()
        if "note" in changes:
            self._connection.execute(
                "UPDATE annotations SET note = ?, modified = ? WHERE id = ?",
                (changes["note"], modified, annotation.id),
            )
        else:
            self._connection.execute(
                "UPDATE annotations SET modified = ? WHERE id = ?", (modified, annotation.id)
            )
        return replace(annotation, **changes, modified=modified)

    def delete_annotation(self, id: int) -> Annotation:
        """Delete and return the annotation as it was, so it can be restored."""
        with self.transaction():
            annotation = self._require(id)
            self._connection.execute("DELETE FROM annotations WHERE id = ?", (id,))
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
            self._connection.execute(
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
            moved = self._connection.execute(
                "UPDATE annotations SET doc_hash = ? WHERE doc_hash = ?", (to_hash, from_hash)
            ).rowcount
            self._connection.execute(
                "UPDATE OR IGNORE positions SET doc_hash = ? WHERE doc_hash = ?", (to_hash, from_hash)
            )
            return moved

    # -- summaries -------------------------------------------------------------

    def annotation_counts(self) -> dict[str, int]:
        rows = self._read("SELECT doc_hash, count(*) FROM annotations GROUP BY doc_hash")
        return dict(rows)

    def tags_by_document(self) -> dict[str, list[str]]:
        """Distinct tags used in each document, by name."""
        rows = self._read(
            "SELECT DISTINCT a.doc_hash, t.tag FROM annotation_tags t JOIN annotations a "
            "ON a.id = t.annotation_id ORDER BY a.doc_hash, t.tag"
        )
        grouped: dict[str, list[str]] = {}
        for doc_hash, tag in rows:
            grouped.setdefault(doc_hash, []).append(tag)
        return grouped

    def stats(self) -> StoreStats:
        with self._lock, self._errors():
            execute = self._connection.execute
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
        return self._read("PRAGMA integrity_check")[0][0]


def _assemble(rows: list[tuple], tag_rows: list[tuple]) -> list[Annotation]:
    """Rows in ``_ANNOTATION_COLUMNS`` order plus (id, tag) rows; positional for speed on 10,000."""
    tags: dict[int, list[str]] = {}
    for annotation_id, tag in tag_rows:
        tags.setdefault(annotation_id, []).append(tag)
    no_tags: tuple[str, ...] = ()
    return [
        Annotation(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            row[6],
            row[7],
            tuple(tags[row[0]]) if row[0] in tags else no_tags,
            row[8],
            row[9],
            row[10],
            row[11],
            row[12],
        )
        for row in rows
    ]


def _next_color(used: list[str]) -> str:
    for color in PALETTE:
        if color not in used:
            return color
    return PALETTE[len(used) % len(PALETTE)]


def _prepare_location(path: Path) -> None:
    """Create the directory; refuse early, with a clear message, where nothing can be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreUnavailable(
            f"cannot create the directory for the notes store {path} ({error.strerror or error})"
        ) from None
    if path.is_dir():
        raise StoreUnavailable(f"the notes store {path} is a directory")
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise StoreUnavailable(f"the notes store {path} is not readable and writable")
    elif not os.access(path.parent, os.W_OK | os.X_OK):
        raise StoreUnavailable(f"cannot create the notes store in {path.parent} (not writable)")


def _check_readable(path: Path) -> None:
    """Look at the file read-only, so a damaged store is reported before anything writes to it."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreUnavailable(f"cannot read the notes store {path} ({error.strerror or error})") from None
    if header != SQLITE_HEADER:
        raise StoreDamaged(_damaged_message(path, "not an SQLite database"))
    try:
        probe = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.Error as error:
        raise _translate(path, error) from None
    try:
        verdict = probe.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.Error as error:
        raise _translate(path, error) from None
    finally:
        probe.close()
    if verdict != "ok":
        raise StoreDamaged(_damaged_message(path, f"quick_check: {verdict}"))


def _first_contact(connection: sqlite3.Connection, path: Path) -> None:
    """Configure and migrate, waiting out another process doing the same.

    Switching a new file to WAL can report "locked" at once, without the busy handler,
    while a second process is creating the same store: retry until the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            _configure(connection)
            _migrate(connection, path)
            return
        except sqlite3.OperationalError as error:
            message = str(error).lower()
            if ("locked" not in message and "busy" not in message) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _configure(connection: sqlite3.Connection) -> None:
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise sqlite3.OperationalError(f"could not switch to WAL journal (got {mode})")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to date; the write lock makes two first opens migrate once."""
    if connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreUnavailable(
                f"the notes store {path} has schema version {version}, newer than this Margin "
                f"understands ({SCHEMA_VERSION})"
            )
        for target, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            migration(connection)
            connection.execute(f"PRAGMA user_version = {target}")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _move_aside(path: Path) -> Path:
    """Rename the damaged file and its WAL companions together, bytes untouched."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 1
    while aside.exists():
        counter += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
    try:
        os.rename(path, aside)
        for companion in ("-wal", "-shm"):
            source = Path(f"{path}{companion}")
            if source.exists():
                os.rename(source, Path(f"{aside}{companion}"))
    except OSError as error:
        raise StoreUnavailable(
            f"the notes store {path} is damaged and could not be moved aside ({error.strerror or error})"
        ) from None
    return aside
