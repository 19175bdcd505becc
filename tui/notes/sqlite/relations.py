"""The SQLite store's relations: directed, labelled links between two annotations.

Schema version 5 adds them. The ends are annotation uids with foreign keys that cascade,
so a relation can never outlive either annotation, whoever deletes it (the reader, a
merge, raw SQL). Triggers write the change log, so another window redraws a relation made
here, and carry a relation along when its annotations move to a document's new identity.
"""

from __future__ import annotations

import sqlite3

from tui.notes.model import login_name, new_uid, utc_now
from tui.notes.relations import RELATION_COLUMNS, Relation, check_ends, check_label
from tui.notes.store_api import InvalidRequest, NotFound

MIGRATION_5 = """
    CREATE TABLE relation_labels (
        name TEXT PRIMARY KEY,
        created TEXT NOT NULL
    )

    CREATE TABLE relations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        uid TEXT NOT NULL UNIQUE,
        doc_hash TEXT NOT NULL,
        head TEXT NOT NULL REFERENCES annotations(uid) ON DELETE CASCADE,
        child TEXT NOT NULL REFERENCES annotations(uid) ON DELETE CASCADE,
        label TEXT NOT NULL REFERENCES relation_labels(name) ON UPDATE CASCADE,
        annotator TEXT NOT NULL,
        created TEXT NOT NULL,
        CHECK (head != child),
        UNIQUE (head, child, label)
    )

    CREATE INDEX relations_by_document ON relations(doc_hash, id)

    CREATE INDEX relations_by_child ON relations(child)

    CREATE INDEX relations_by_label ON relations(label)

    CREATE TRIGGER relations_log_insert AFTER INSERT ON relations BEGIN
        INSERT INTO changes(kind, doc_hash) VALUES ('annotations', new.doc_hash);
    END

    CREATE TRIGGER relations_log_delete AFTER DELETE ON relations BEGIN
        INSERT INTO changes(kind, doc_hash) VALUES ('annotations', old.doc_hash);
    END

    CREATE TRIGGER relations_follow AFTER UPDATE OF doc_hash ON annotations BEGIN
        UPDATE relations SET doc_hash = new.doc_hash
        WHERE (head = new.uid OR child = new.uid) AND doc_hash IS NOT new.doc_hash;
    END
"""

SELECT_RELATION = ", ".join(RELATION_COLUMNS)


def migration_5(connection: sqlite3.Connection) -> None:
    """Relations between annotations and their shared label set."""
    for statement in MIGRATION_5.split("\n\n"):
        if statement.strip():
            connection.execute(statement)


class SQLiteRelationsMixin:
    """``NoteStore``'s relation methods for ``SQLiteStore`` (which provides ``_db``)."""

    def relation_labels(self) -> list[str]:
        rows = self._db.read("SELECT name FROM relation_labels ORDER BY name COLLATE NOCASE, name")
        return [row[0] for row in rows]

    def relation_label_usage(self, name: str) -> int:
        return self._db.read("SELECT count(*) FROM relations WHERE label = ?", (name,))[0][0]

    def delete_relation_label(self, name: str) -> None:
        """Forget a label no relation uses (undoing the relation that created it)."""
        with self.transaction():
            if self.relation_label_usage(name):
                raise InvalidRequest(f"relation label {name!r} is in use")
            self._db.write("DELETE FROM relation_labels WHERE name = ?", (name,))

    def _ensure_relation_label(self, name: str) -> str:
        name = check_label(name)
        self._db.write(
            "INSERT OR IGNORE INTO relation_labels(name, created) VALUES (?, ?)", (name, utc_now())
        )
        return name

    def add_relation(
        self, doc_hash: str, head: str, child: str, label: str, annotator: str | None = None
    ) -> Relation:
        """Link annotation ``head`` to ``child`` (uids, both in ``doc_hash``) with ``label``."""
        relation = Relation(0, new_uid(), doc_hash, head, child, label, annotator or login_name(), utc_now())
        return self.restore_relation(relation)

    def restore_relation(self, relation: Relation) -> Relation:
        """Store a relation with its uid (and id when free): a new one, an undo, an import."""
        check_ends(relation.head, relation.child)
        with self.transaction():
            for end in (relation.head, relation.child):
                rows = self._db.read("SELECT doc_hash FROM annotations WHERE uid = ?", (end,))
                if not rows:
                    raise NotFound(f"annotation {end} no longer exists; the relation was not made")
                if rows[0][0] != relation.doc_hash:
                    raise InvalidRequest("a relation links two annotations of the same document")
            if self._db.read("SELECT 1 FROM relations WHERE uid = ?", (relation.uid,)):
                raise InvalidRequest(f"relation {relation.uid} already exists")
            if self._db.read(
                "SELECT 1 FROM relations WHERE head = ? AND child = ? AND label = ?",
                (relation.head, relation.child, relation.label),
            ):
                raise InvalidRequest(f"these two annotations are already linked as {relation.label!r}")
            label = self._ensure_relation_label(relation.label)
            keep_id = relation.id > 0 and not self._db.read("SELECT 1 FROM relations WHERE id = ?", (relation.id,))
            columns = RELATION_COLUMNS if keep_id else RELATION_COLUMNS[1:]
            values = {**_values(relation), "label": label}
            cursor = self._db.write(
                f"INSERT INTO relations({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                tuple(values[column] for column in columns),
            )
            return Relation(cursor.lastrowid, *(values[column] for column in RELATION_COLUMNS[1:]))

    def relations(self, doc_hash: str) -> list[Relation]:
        """A document's relations, oldest first."""
        rows = self._db.read(f"SELECT {SELECT_RELATION} FROM relations WHERE doc_hash = ? ORDER BY id", (doc_hash,))
        return [Relation(*row) for row in rows]

    def all_relations(self) -> list[Relation]:
        rows = self._db.read(f"SELECT {SELECT_RELATION} FROM relations ORDER BY doc_hash, id")
        return [Relation(*row) for row in rows]

    def relations_of(self, uid: str) -> list[Relation]:
        """The relations that start or end at the annotation ``uid``, oldest first."""
        rows = self._db.read(
            f"SELECT {SELECT_RELATION} FROM relations WHERE head = ? OR child = ? ORDER BY id", (uid, uid)
        )
        return [Relation(*row) for row in rows]

    def delete_relation(self, uid: str) -> Relation:
        """Delete and return the relation as it was, so it can be restored."""
        with self.transaction():
            rows = self._db.read(f"SELECT {SELECT_RELATION} FROM relations WHERE uid = ?", (uid,))
            if not rows:
                raise NotFound(f"relation {uid} no longer exists (deleted elsewhere); nothing was changed")
            self._db.write("DELETE FROM relations WHERE uid = ?", (uid,))
            return Relation(*rows[0])


def _values(relation: Relation) -> dict[str, object]:
    return {column: getattr(relation, column) for column in RELATION_COLUMNS}
