"""The PostgreSQL annotation store: a team's annotations on one server, the same API as SQLite.

Who annotates is the role the URL logs in as (``current_user``): the store fills it in and
refuses another name unless the role is a curator. Row-level security on the server
enforces the same rule for any client, Margin or raw SQL; the store checks first so the
message says whose annotation it is instead of "0 rows updated".

Documents are shared by SHA-256; each annotator keeps their own path, reading position
and direction for a document. The tag set is one for the whole team.

The queries both backends share are in ``tui.notes.queries``; this module holds what is the
server's own: connecting and checking the schema, the ownership rules, documents seen per
annotator, remembering listings until the change log moves, and its integrity check.
"""

from __future__ import annotations

import os

from tui.notes.model import Annotation, Document, utc_now
from tui.notes.postgres.connection import Connection
from tui.notes.postgres.schema import IS_CURATOR, SCHEMA_VERSION, current_version, initialise
from tui.notes.postgres.team import PostgresTeamMixin
from tui.notes.queries.columns import document, stored_path
from tui.notes.queries.store import StoreQueries
from tui.notes.store_api import NotAllowed, StoreUnavailable


class PostgresStore(PostgresTeamMixin, StoreQueries):
    """Annotations, tags, documents and reading positions of a team, on a PostgreSQL server.

    Implements ``tui.notes.store_api.NoteStore`` and ``tui.notes.team.TeamStore``.
    """

    read_only = False
    read_only_reason = None
    _reader_key = "doc_hash, annotator"
    _own_rows = " AND annotator = current_user"

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

    # -- the server's rules ------------------------------------------------------

    def _annotator_for(self, annotator: str | None) -> str:
        """This role's name, or another's for a curator; anyone else is refused."""
        if not annotator or annotator == self.annotator:
            return self.annotator
        if self.is_curator:
            return annotator
        raise NotAllowed(
            f"you are logged in to the notes server as {self.annotator!r}; "
            f"annotations cannot be recorded as {annotator!r}"
        )

    def _may_change(self, owner: str, what: str) -> None:
        """Another's annotation or relation is a curator's to change (row-level security agrees)."""
        if owner != self.annotator and not self.is_curator:
            raise NotAllowed(f"this {what} is {owner}'s; only curators change other annotators' {what}s")

    def _fresh_listings(self) -> dict[str, list[Annotation]]:
        """Remembered listings, forgotten when the change log moves (anyone's write, this
        role's own included)."""
        token = self.change_token()
        if token != self._listings_token:
            self._listings.clear()
            self._listings_token = token
        return self._listings

    # -- documents (each annotator's path and time seen) ---------------------------

    def register_document(self, hash: str, path: str | os.PathLike[str], title: str) -> None:
        """Remember where this annotator keeps a document; others keep their own paths."""
        with self.transaction():
            self._db.write(
                "INSERT INTO documents(hash, path, title, seen) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (hash, annotator) DO UPDATE SET path = EXCLUDED.path, "
                "title = EXCLUDED.title, seen = EXCLUDED.seen",
                (hash, stored_path(path), title, utc_now()),
            )

    def document(self, hash: str) -> Document | None:
        """The document as this annotator last saw it, else as a teammate did."""
        rows = self._db.read(
            "SELECT hash, path, title FROM documents WHERE hash = ? "
            "ORDER BY annotator = current_user DESC, seen DESC LIMIT 1",
            (hash,),
        )
        return document(rows[0]) if rows else None

    def document_by_path(self, path: str | os.PathLike[str]) -> Document | None:
        rows = self._db.read(
            "SELECT hash, path, title FROM documents WHERE path = ? "
            "ORDER BY annotator = current_user DESC, seen DESC LIMIT 1",
            (stored_path(path),),
        )
        return document(rows[0]) if rows else None

    def documents(self) -> list[Document]:
        rows = self._db.read(
            "SELECT hash, path, title FROM (SELECT DISTINCT ON (hash) hash, path, title FROM documents "
            "ORDER BY hash, annotator = current_user DESC, seen DESC) d ORDER BY title, path"
        )
        return [document(row) for row in rows]

    def move_annotations(self, from_hash: str, to_hash: str) -> int:
        """Carry a document's annotations (those this role may change) to its new identity."""
        with self.transaction():
            moved = self._db.write(
                "UPDATE annotations SET doc_hash = ? WHERE doc_hash = ?", (to_hash, from_hash)
            ).rowcount
            self._db.write(
                "UPDATE positions SET doc_hash = ? WHERE doc_hash = ? AND annotator = current_user "
                "AND NOT EXISTS (SELECT 1 FROM positions p WHERE p.doc_hash = ? AND p.annotator = current_user)",
                (to_hash, from_hash, to_hash),
            )
            return moved

    def integrity_check(self) -> str:
        """``"ok"`` when the server answers and every tag on an annotation is a known tag."""
        dangling = self._db.read(
            "SELECT count(*) FROM annotation_tags t LEFT JOIN tags g ON g.name = t.tag WHERE g.name IS NULL"
        )[0][0]
        return "ok" if dangling == 0 else f"{dangling} annotation tags name no tag"


def _needs_init(location: str, version: int | None) -> str:
    what = "has no Margin schema" if version is None else f"has Margin schema version {version}, older than {SCHEMA_VERSION}"
    return f"the notes server {location} {what}: an administrator runs `margin admin init URL`"
