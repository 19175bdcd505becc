"""The PostgreSQL store's relations: directed, labelled links between two annotations.

Schema version 3 (``tui.notes.postgres.schema``) adds them, with the annotations' rules:
everyone reads every relation, each role makes and deletes its own, curators any. The ends are annotation uids
with cascading foreign keys, so deleting an annotation takes its relations with it (the
cascade is the server's, whoever owns the relation). The change log and ``NOTIFY`` reuse
the annotations' trigger functions, as a relation row carries its document's hash too.
"""

from __future__ import annotations

from tui.notes.model import new_uid, utc_now
from tui.notes.relations import RELATION_COLUMNS, Relation, check_ends, check_label
from tui.notes.store_api import InvalidRequest, NotAllowed, NotFound

SELECT_RELATION = ", ".join(RELATION_COLUMNS)


class PostgresRelationsMixin:
    """``NoteStore``'s relation methods for ``PostgresStore`` (``_db``, ``annotator``, ``is_curator``)."""

    def relation_labels(self) -> list[str]:
        rows = self._db.read("SELECT name FROM relation_labels ORDER BY lower(name), name")
        return [row[0] for row in rows]

    def relation_label_usage(self, name: str) -> int:
        return self._db.read("SELECT count(*) FROM relations WHERE label = ?", (name,))[0][0]

    def delete_relation_label(self, name: str) -> None:
        with self.transaction():
            if self.relation_label_usage(name):
                raise InvalidRequest(f"relation label {name!r} is in use")
            self._db.write("DELETE FROM relation_labels WHERE name = ?", (name,))

    def add_relation(
        self, doc_hash: str, head: str, child: str, label: str, annotator: str | None = None
    ) -> Relation:
        who = self._check_annotator(annotator)
        return self.restore_relation(Relation(0, new_uid(), doc_hash, head, child, label, who, utc_now()))

    def restore_relation(self, relation: Relation) -> Relation:
        check_ends(relation.head, relation.child)
        self._check_annotator(relation.annotator)
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
            label = check_label(relation.label)
            self._db.write(
                "INSERT INTO relation_labels(name, created) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (label, utc_now()),
            )
            keep_id = relation.id > 0 and not self._db.read("SELECT 1 FROM relations WHERE id = ?", (relation.id,))
            columns = RELATION_COLUMNS if keep_id else RELATION_COLUMNS[1:]
            values = {column: getattr(relation, column) for column in RELATION_COLUMNS}
            values["label"] = label
            new_id = self._db.write(
                f"INSERT INTO relations({', '.join(columns)}) VALUES ({', '.join(['?'] * len(columns))}) "
                "RETURNING id",
                tuple(values[column] for column in columns),
            ).fetchone()[0]
            return Relation(new_id, *(values[column] for column in RELATION_COLUMNS[1:]))

    def relations(self, doc_hash: str) -> list[Relation]:
        rows = self._db.read(
            f"SELECT {SELECT_RELATION} FROM relations WHERE doc_hash = ? ORDER BY id", (doc_hash,)
        )
        return [Relation(*row) for row in rows]

    def all_relations(self) -> list[Relation]:
        rows = self._db.read(f"SELECT {SELECT_RELATION} FROM relations ORDER BY doc_hash, id")
        return [Relation(*row) for row in rows]

    def relations_of(self, uid: str) -> list[Relation]:
        rows = self._db.read(
            f"SELECT {SELECT_RELATION} FROM relations WHERE head = ? OR child = ? ORDER BY id", (uid, uid)
        )
        return [Relation(*row) for row in rows]

    def delete_relation(self, uid: str) -> Relation:
        with self.transaction():
            rows = self._db.read(f"SELECT {SELECT_RELATION} FROM relations WHERE uid = ?", (uid,))
            if not rows:
                raise NotFound(f"relation {uid} no longer exists (deleted elsewhere); nothing was changed")
            relation = Relation(*rows[0])
            if relation.annotator != self.annotator and not self.is_curator:
                raise NotAllowed(
                    f"this relation is {relation.annotator}'s; only curators change other annotators' relations"
                )
            self._db.write("DELETE FROM relations WHERE uid = ?", (uid,))
            return relation
